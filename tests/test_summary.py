"""`python -m countybook validate` and `years`: the summary of what data/ holds."""

from __future__ import annotations

import shutil
import subprocess
import sys

from countybook import paths
from countybook.data import derive, load, summary


def _cli(*args, env_data=None):
    import os

    env = dict(os.environ)
    if env_data is not None:
        env["COUNTYBOOK_DATA"] = str(env_data)
    return subprocess.run(
        [sys.executable, "-m", "countybook", *args], cwd=paths.ROOT, capture_output=True, text=True, env=env
    )


def test_summary_counts_figures_per_theme_and_year_and_lists_implied_levels():
    ds = load(paths.ROOT / "data")
    text = summary.summary(ds)
    assert f"{len(ds.figures)} figures" in text
    for year in ds.years():
        assert str(year) in text
    implied = derive.implied_previous(derive.figures_for(ds))
    for row in implied.itertuples():
        assert f"{row.indicator} {row.year}: {row.value:.4g}" in text
    for source in ds.sources.loc[ds.sources["status"] == "used", "id"]:
        assert source in text
    assert "Cross-year check" in text


def test_validate_command_succeeds_on_the_real_data():
    result = _cli("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data is valid")


def test_validate_command_reports_bad_data_in_one_line_without_traceback(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", data)
    figures = data / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",个,", ",万吨,", 1)
    figures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _cli("validate", "--data", str(data))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # The wrong unit breaks two rules, each reported on its own line with file, row and field.
    assert result.stderr.strip().splitlines() == [
        "data/figures.csv, row 2, field 'quote': does not contain the value followed by its unit, as written",
        "data/figures.csv, row 2, field 'unit': differs from the unit the registry gives this indicator",
    ]


def test_years_command_lists_the_years_with_figures():
    result = _cli("years")
    assert result.returncode == 0
    assert result.stdout.split() == [str(y) for y in load(paths.ROOT / "data").years()]


def test_validate_summarises_benchmarks_and_their_cross_year_check():
    ds = load(paths.ROOT / "data")
    text = summary.summary(ds)
    assert f"Benchmarks: {len(ds.benchmarks)} figures of {ds.benchmarks['area'].nunique()} areas" in text
    for name in ds.areas.loc[ds.areas["id"].isin(ds.benchmarks["area"]), "name_en"]:
        assert name in text
    assert "Benchmark cross-year check" in text and "china disposable_income_per_capita 2024" in text

"""downloads.write: one CSV per theme plus the whole dataset, with values as written in data/."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from countybook import paths
from countybook.render import downloads
from countybook.data import load

DATA = paths.ROOT / "data"


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


@pytest.fixture(scope="module")
def edition(ds, tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition")
    return folder, downloads.write(ds, 2024, folder)


def test_one_file_per_theme_and_the_whole_dataset_files(edition):
    folder, written = edition
    themes = [t["id"] for t in yaml.safe_load((DATA / "themes.yml").read_text(encoding="utf-8"))]
    expected = {folder / "downloads" / f"{t}.csv" for t in themes}
    expected |= {folder / "downloads" / f"{name}.csv"
                 for name in ["figures", "projects", "milestones", "sources", "indicators", "themes"]}
    assert set(written) == expected
    assert len(written) == len(expected), "no file is written twice"
    assert all(path.is_file() for path in expected)


@pytest.mark.parametrize("name", ["figures", "projects", "milestones", "sources"])
def test_whole_dataset_files_match_data_as_written(edition, name):
    folder, _ = edition
    data_header, data_rows = _read(DATA / f"{name}.csv")
    header, rows = _read(folder / "downloads" / f"{name}.csv")
    assert header == data_header
    assert rows == data_rows


def test_figures_values_are_written_not_reformatted(edition):
    folder, _ = edition
    _, rows = _read(folder / "downloads" / "figures.csv")
    by_key = {(r["indicator"], r["year"]): r for r in rows}
    assert by_key[("foreign_capital_introduced_bp", "2024")]["value"] == "5000"
    assert by_key[("ecommerce_transaction_volume", "2024")]["yoy_pct"] == "15"
    assert by_key[("industrial_output_above_scale", "2024")]["yoy_pct"] == "15.5"
    assert by_key[("signed_projects_over_100m", "2024")]["yoy_pct"] == ""


def test_theme_files_hold_that_themes_figures_of_the_year(edition):
    folder, _ = edition
    registry = yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))
    theme_of = {e["id"]: e["theme"] for e in registry}
    names = {e["id"]: (e["name_zh"], e["name_en"]) for e in registry}
    data_header, data_rows = _read(DATA / "figures.csv")
    for theme in set(theme_of.values()):
        header, rows = _read(folder / "downloads" / f"{theme}.csv")
        assert [c for c in header if c not in ("name_zh", "name_en")] == data_header
        expected = [r for r in data_rows if r["year"] == "2024" and theme_of[r["indicator"]] == theme]
        assert sorted(r["indicator"] for r in rows) == sorted(r["indicator"] for r in expected)
        written = {r["indicator"]: r for r in rows}
        for original in expected:
            row = written[original["indicator"]]
            assert {k: row[k] for k in data_header} == original
            assert (row["name_zh"], row["name_en"]) == names[original["indicator"]]


def test_indicators_file_joins_aliases(edition):
    folder, _ = edition
    registry = yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))
    _, rows = _read(folder / "downloads" / "indicators.csv")
    assert [r["id"] for r in rows] == [e["id"] for e in registry]
    for entry, row in zip(registry, rows):
        assert row["aliases"] == "; ".join(entry.get("aliases", []))


def test_write_is_repeatable(ds, edition, tmp_path):
    folder, first = edition
    second = downloads.write(ds, 2024, tmp_path)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()

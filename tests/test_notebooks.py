"""nbval over the notebook templates (lax: they run with their defaults) and over every committed
edition, English and Chinese (strict: its stored outputs must match a fresh execution, so data or
a catalogue changed without a rerun of the book fails here)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from countybook import paths
from countybook.render.messages import languages


def _nbval(*args: str) -> subprocess.CompletedProcess:
    # -n 0: nbval runs a notebook's cells in order in one kernel, so no xdist workers here.
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *args],
                          cwd=paths.ROOT, capture_output=True, text=True)


def test_templates_run_cleanly_with_defaults():
    result = _nbval("--nbval-lax", "notebooks/")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize("lang", languages())
def test_committed_edition_matches_a_fresh_execution(lang):
    chapters = paths.chapters_dir(lang)
    if not list(chapters.glob("*.ipynb")):
        pytest.fail(f"{chapters.relative_to(paths.ROOT)} holds no executed notebooks: "
                    "run python -m countybook run --year <year>")
    result = _nbval("--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                    chapters.relative_to(paths.ROOT).as_posix() + "/")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "no tests ran" not in result.stdout


@pytest.mark.parametrize("lang", languages())
def test_executed_edition_has_no_stderr_or_errors(lang):
    import nbformat

    chapters = sorted(paths.chapters_dir(lang).glob("*.ipynb"))
    assert chapters, f"no executed notebooks for {lang}"
    for path in chapters:
        notebook = nbformat.read(path, as_version=4)
        assert notebook.metadata["papermill"]["parameters"]["lang"] == lang, path
        for index, cell in enumerate(notebook.cells):
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", f"{path.name} cell {index} raised"
                assert output.get("name") != "stderr", f"{path.name} cell {index} wrote to stderr: {output.get('text')}"


def test_strict_check_fails_when_data_changes_without_a_rerun(tmp_path):
    """The guard the strict test exists for: a figure edited in data/ but not rerun is caught."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", data)
    figures = data / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    published = 'online_retail_sales,2024,78,亿元,exact,20,,xdkb_2025_guanyun_development,"网络零售额78亿元,增长20%"'
    assert published in text
    figures.write_text(text.replace(published, published.replace("78", "79")), encoding="utf-8")
    chapter = "book/chapters/03_services_commerce.ipynb"
    import os

    env = dict(os.environ, COUNTYBOOK_DATA=str(data))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "--nbval",
                             "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", chapter],
                            cwd=paths.ROOT, capture_output=True, text=True, env=env)
    assert result.returncode != 0, "the stale edition passed the strict check"
    # The printed form, in a table cell (79亿元) or in prose where the unit may be a glossary link.
    assert re.search(r"79\s*(<a [^>]*>)?\s*亿元", result.stdout), "the mismatch report shows the new value"

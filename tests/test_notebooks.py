"""nbval over every committed edition, English and Chinese (strict: its stored outputs must match a
fresh execution, so data or a catalogue changed without a rerun of the book fails here). The strict
English run also proves that the templates run cleanly with their defaults: the English edition holds
the templates' code cells with their default parameters (checked below), so the templates are not
executed a second time."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from countybook import paths
from countybook.render.messages import DEFAULT_LANGUAGE, languages


def _nbval(*args: str) -> subprocess.CompletedProcess:
    # -n 0: nbval runs a notebook's cells in order in one kernel, so no xdist workers here.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *args],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )


def _parameters(cell) -> dict:
    """The names a parameters cell assigns, with their literal values."""
    assignments = [node for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)]
    return {target.id: ast.literal_eval(node.value) for node in assignments for target in node.targets}


@pytest.mark.parametrize("template", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda path: path.name)
def test_the_english_edition_executes_each_template_as_its_defaults_would(template):
    """What a lax nbval run of notebooks/ with their defaults would execute, the strict English run
    executes: the same code cells in the same order, parameters equal to the defaults. If this fails
    (the default year moved on, a template edited without a rerun), rerun the book; if the defaults
    must differ from the edition, the templates need their own nbval run again."""
    import nbformat

    executed_path = paths.chapters_dir(DEFAULT_LANGUAGE) / template.name
    assert executed_path.exists(), f"{template.name} is not in the English edition: the strict run would miss it"
    executed = nbformat.read(executed_path, as_version=4)
    defaults = next(
        _parameters(c)
        for c in nbformat.read(template, as_version=4).cells
        if "parameters" in c.metadata.get("tags", [])
    )
    injected = executed.metadata["papermill"]["parameters"]
    assert injected == {name: defaults[name] for name in injected}, f"{template.name}: defaults {defaults}"
    code = [c.source for c in nbformat.read(template, as_version=4).cells if c.cell_type == "code"]
    executed_code = [
        c.source
        for c in executed.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    assert executed_code == code, f"{template.name}: the edition does not hold the template's code"


@pytest.mark.slow
@pytest.mark.parametrize("lang", languages())
def test_committed_edition_matches_a_fresh_execution(lang):
    chapters = paths.chapters_dir(lang)
    if not list(chapters.glob("*.ipynb")):
        pytest.fail(
            f"{chapters.relative_to(paths.ROOT)} holds no executed notebooks: "
            "run python -m countybook run --year <year>"
        )
    result = _nbval(
        "--nbval",
        "--nbval-sanitize-with",
        "tests/nbval_sanitize.cfg",
        chapters.relative_to(paths.ROOT).as_posix() + "/",
    )
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


@pytest.mark.slow
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
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "--nbval",
            "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg",
            chapter,
        ],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0, "the stale edition passed the strict check"
    # The printed form, in a table cell (79亿元) or in prose where the unit may be a glossary link.
    assert re.search(r"79\s*(<a [^>]*>)?\s*亿元", result.stdout), "the mismatch report shows the new value"

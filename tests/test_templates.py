"""The notebook templates: thin, parameterized, and free of typed figures, so a rerun for another
year stays true."""

from __future__ import annotations

import re

import nbformat
import pytest

from countybook import paths

TEMPLATES = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
# The implied-level formula is the only arithmetic the prose may spell out.
ALLOWED = [
    re.compile(r"\(1 \+ (growth|g)/100\)"),
    re.compile(r"\{download\}`[^`]*`"),
    re.compile(r"\{tableofcontents\}"),
    re.compile(r"\]\([^)]*\)"),
]  # link targets name pages


def _cells(path, cell_type: str):
    notebook = nbformat.read(path, as_version=4)
    return [(index, cell) for index, cell in enumerate(notebook.cells) if cell.cell_type == cell_type]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_markdown_cells_hold_no_typed_figures(path):
    for index, cell in _cells(path, "markdown"):
        text = cell.source
        for pattern in ALLOWED:
            text = pattern.sub("", text)
        assert not re.search(r"\d", text), f"{path.name} cell {index} types a number: {cell.source[:120]}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_parameters_cell_comes_first_and_is_hidden(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    assert "remove-cell" in first.metadata.get("tags", [])
    assert re.search(r"^year = \d{4}$", first.source, re.M)
    assert re.search(r'^lang = "en"$', first.source, re.M), "every template takes the edition's language"


# Notebooks whose code is shown open, as a worked example for readers.
WORKED_EXAMPLES = {"11_work_with_data.ipynb"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_are_stored_without_outputs_and_code_is_thin(path):
    for index, cell in _cells(path, "code"):
        assert not cell.outputs and cell.execution_count is None, f"{path.name} cell {index} has outputs"
        if path.name in WORKED_EXAMPLES and "parameters" not in cell.metadata.get("tags", []):
            continue  # the code is the page: a reader is meant to read and change it
        statements = [line for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert len(statements) <= 3, f"{path.name} cell {index}: move logic into the library"
        tags = cell.metadata.get("tags", [])
        # hide-input: the analysis code is collapsed but a reader may open it (the long view's charts).
        assert {"remove-input", "remove-cell", "hide-input"} & set(tags), f"{path.name} cell {index} shows its code"


THEME_TEMPLATES = [p for p in TEMPLATES if re.match(r"0[1-6]", p.name)]


@pytest.mark.parametrize("path", THEME_TEMPLATES, ids=lambda p: p.name)
def test_each_theme_offers_its_analysis_code_behind_a_toggle(path):
    """The theme's comparisons and charts are collapsed code a reader can open; the prose is generated."""
    tagged = {cell.source.strip().splitlines()[-1]: cell.metadata.get("tags", []) for _, cell in _cells(path, "code")}
    assert "hide-input" in tagged["comparisons"]
    assert "hide-input" in tagged["page.in_context()"]
    assert "remove-input" in tagged["page.analysis()"] and "remove-input" in tagged["page.findings()"]


@pytest.mark.parametrize("path", THEME_TEMPLATES, ids=lambda p: p.name)
def test_the_written_analysis_comes_right_after_the_title(path):
    cells = nbformat.read(path, as_version=4).cells
    sources = [cell.source.strip() for cell in cells]
    title = sources.index("{{ page.chapter.title }}")
    assert sources[title + 1 : title + 3] == ["{{ page.analysis.heading }}", "page.analysis()"]

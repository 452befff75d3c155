"""countybook.render.page_text: the templates' own text comes from the catalogue of the edition's language."""

from __future__ import annotations

import re

import nbformat
import pytest

from countybook import paths
from countybook.data import load
from countybook.render import messages, page_text
from countybook.run import runner

TEMPLATES = sorted(paths.NOTEBOOKS_DIR.glob(runner.NOTEBOOK_GLOB)) + [paths.NOTEBOOKS_DIR / "index.ipynb"]


def _markdown(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


@pytest.fixture(scope="module")
def themes():
    return load().themes


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_every_template_markdown_cell_is_a_catalogue_placeholder(template):
    """Static English text in a template would appear untranslated in the Chinese edition."""
    for source in _markdown(nbformat.read(template, as_version=4)):
        assert page_text.placeholder_key(source), (
            f"{template.name}: markdown cell is not a placeholder: {source[:60]!r}"
        )


@pytest.mark.parametrize("lang", messages.languages())
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_every_placeholder_fills_in_every_language(template, lang, themes):
    nb = page_text.fill(nbformat.read(template, as_version=4), lang, {"year": 2024, "lang": lang}, themes)
    for source in _markdown(nb):
        assert page_text.placeholder_key(source) is None
        # The only braces left are MyST roles and directives ({download}`…`, ```{tableofcontents}).
        assert "{{" not in source and "}}" not in source, source[:80]
        assert not re.search(r"\{(?!download\}`|tableofcontents\})[^}]*\}", source), source[:80]


def test_a_theme_chapter_gets_its_title_in_the_edition_language(themes):
    nb = nbformat.read(paths.NOTEBOOKS_DIR / "02_agriculture.ipynb", as_version=4)
    titles = themes.set_index("id").loc["agriculture"]
    english = page_text.fill(
        nbformat.read(paths.NOTEBOOKS_DIR / "02_agriculture.ipynb", as_version=4), "en", {"year": 2024}, themes
    )
    assert _markdown(english)[0] == f"# {titles['title_en']}"
    for lang in messages.languages():
        filled = page_text.fill(
            nbformat.read(paths.NOTEBOOKS_DIR / "02_agriculture.ipynb", as_version=4), lang, {"year": 2024}, themes
        )
        assert _markdown(filled)[0] == f"# {titles[f'title_{lang}']}"
        assert "downloads/agriculture.csv" in _markdown(filled)[-1]
    assert nb.cells  # the template itself was read, not changed


def test_the_run_parameters_override_the_template_defaults():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                'year = 2024\ntheme = "agriculture"\nlang = "en"', metadata={"tags": ["parameters"]}
            ),
        ]
    )
    assert page_text.template_parameters(nb) == {"year": 2024, "theme": "agriculture", "lang": "en"}


def test_an_unknown_page_text_names_key_and_language():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("{{ page.no_such_text }}")])
    with pytest.raises(page_text.UnknownPageText, match=r"page\.no_such_text.*'en'"):
        page_text.fill(nb, "en", {})


def test_ordinary_markdown_is_left_alone():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A heading {{ page.x }} in a sentence")])
    assert page_text.fill(nb, "en", {}).cells[0].source == "# A heading {{ page.x }} in a sentence"


def test_a_heading_placeholder_takes_the_template_level_and_the_catalogue_words():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## {{ heading.findings }}"),
            nbformat.v4.new_markdown_cell("### {{ context.heading }}"),
        ]
    )
    for lang in messages.languages():
        filled = [cell.source for cell in page_text.fill(nbformat.from_dict(nb), lang, {}).cells]
        assert filled[0] == "## " + messages.say("heading.findings", lang)
        # A message written with its own marks still gets the template's level, once.
        assert filled[1] == "### " + messages.say("context.heading", lang).lstrip("# ")


def _section(outputs_per_cell: list[list]) -> list:
    cells = [nbformat.v4.new_markdown_cell("## Projects")]
    for outputs in outputs_per_cell:
        code = nbformat.v4.new_code_cell("page.projects()")
        code.outputs = outputs
        cells.append(code)
    return cells


@pytest.mark.parametrize(
    "outputs, dropped",
    [
        ([[]], True),
        ([[], []], True),
        ([[], [nbformat.v4.new_output("display_data", {"text/html": "<table/>"})]], False),
    ],
)
def test_a_section_that_printed_nothing_loses_its_heading(outputs, dropped):
    nb = nbformat.v4.new_notebook(cells=_section(outputs))
    page_text.drop_empty_sections(nb)
    assert ("remove-cell" in nb.cells[0].metadata.get("tags", [])) is dropped


def test_a_heading_followed_by_text_or_nothing_stays():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_markdown_cell("## Analysis"),
            nbformat.v4.new_markdown_cell("Some text."),
            nbformat.v4.new_markdown_cell("## Last"),
        ]
    )
    page_text.drop_empty_sections(nb)
    assert not any(cell.metadata.get("tags") for cell in nb.cells)

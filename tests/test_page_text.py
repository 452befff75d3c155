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
        assert page_text.placeholder_key(source), f"{template.name}: markdown cell is not a placeholder: {source[:60]!r}"


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
    english = page_text.fill(nbformat.read(paths.NOTEBOOKS_DIR / "02_agriculture.ipynb", as_version=4), "en",
                             {"year": 2024}, themes)
    assert _markdown(english)[0] == f"# {titles['title_en']}"
    for lang in messages.languages():
        filled = page_text.fill(nbformat.read(paths.NOTEBOOKS_DIR / "02_agriculture.ipynb", as_version=4), lang,
                                {"year": 2024}, themes)
        assert _markdown(filled)[0] == f"# {titles[f'title_{lang}']}"
        assert "downloads/agriculture.csv" in _markdown(filled)[-1]
    assert nb.cells  # the template itself was read, not changed


def test_the_run_parameters_override_the_template_defaults():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('year = 2024\ntheme = "agriculture"\nlang = "en"', metadata={"tags": ["parameters"]}),
    ])
    assert page_text.template_parameters(nb) == {"year": 2024, "theme": "agriculture", "lang": "en"}


def test_an_unknown_page_text_names_key_and_language():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("{{ page.no_such_text }}")])
    with pytest.raises(page_text.UnknownPageText, match=r"page\.no_such_text.*'en'"):
        page_text.fill(nb, "en", {})


def test_ordinary_markdown_is_left_alone():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A heading {{ page.x }} in a sentence")])
    assert page_text.fill(nb, "en", {}).cells[0].source == "# A heading {{ page.x }} in a sentence"

"""The notebooks' own text in the edition's language: a template's markdown cell holding only
`{{ page.some.key }}` is replaced by that catalogue message before the notebook is executed.

Why markdown cells and not code output: a page title must be a real heading of the page for
Sphinx (a heading printed by code becomes a rubric, and a toctree entry without a title is an
error), and a download link must stay a MyST role that Sphinx resolves. The message is filled
with the notebook's parameters (year, theme, lang) and, in a theme chapter, the theme's title in
that language (data/themes.yml), so the same template serves every edition.
"""
from __future__ import annotations

import ast
import re

from ..paths import pdf_name
from .messages import say
from .text import escape

PLACEHOLDER = re.compile(r"^\s*\{\{\s*(page\.[a-z_.]+)\s*\}\}\s*$")


class UnknownPageText(KeyError):
    """A template names a message that no catalogue holds."""


def placeholder_key(source: str) -> str | None:
    match = PLACEHOLDER.match(source)
    return match.group(1) if match else None


def template_parameters(nb) -> dict:
    """The literal assignments of the template's `parameters` cell (year = 2024, theme = "…")."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            found = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            found[target.id] = node.value.value
            return found
    return {}


def fill(nb, lang: str, parameters: dict, themes=None):
    """nb with every placeholder cell replaced by its message in lang (nb is changed in place).

    parameters are the run's (they override the template's defaults); themes is the Dataset's
    themes frame, for the title of a theme chapter.
    """
    values = {**template_parameters(nb), **parameters}
    values.pop("lang", None)  # say()'s own argument
    if "year" in values:  # the landing page links the print edition (countybook.run.pdf)
        values.setdefault("pdf_file", pdf_name(values["year"], lang))
    theme = values.get("theme")
    if theme and themes is not None:
        titles = themes.set_index("id")[f"title_{lang}"]
        # Data, not template text: escaped for MyST, so markup or `{{ … }}` in a title shows as written.
        values["theme_title"] = escape(titles.get(theme, theme))
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        key = placeholder_key(cell.source)
        if key is None:
            continue
        try:
            cell.source = say(key, lang, **values)
        except KeyError as err:
            raise UnknownPageText(f"page text {key!r} cannot be filled in the {lang!r} catalogue: "
                                  f"{err} is missing") from None
    return nb

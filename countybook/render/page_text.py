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
# A section heading of a chapter: `## {{ heading.findings }}`. The template gives the level, the
# catalogue the words, so the heading is a real heading of the page (right-hand contents, search
# titles, an anchor) in every edition; a section that shows nothing for the year loses it
# (drop_empty_sections).
HEADING = re.compile(r"^\s*(#{2,6})\s+\{\{\s*([a-z_]+\.[a-z_.]+)\s*\}\}\s*$")
_HEADING_LINE = re.compile(r"^#{2,6}\s+\S[^\n]*$")


REMOVE_TAG = "remove-cell"


class UnknownPageText(KeyError):
    """A template names a message that no catalogue holds."""


def placeholder_key(source: str) -> str | None:
    match = PLACEHOLDER.match(source)
    if match:
        return match.group(1)
    heading = HEADING.match(source)
    return heading.group(2) if heading else None


def _filled(source: str, key: str, lang: str, values: dict) -> str:
    heading = HEADING.match(source)
    if heading is None:
        return say(key, lang, **values)
    # The words only: the level is the template's.
    return f"{heading.group(1)} {say(key, lang, **values).lstrip('#').strip()}"


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
            cell.source = _filled(cell.source, key, lang, values)
        except KeyError as err:
            raise UnknownPageText(
                f"page text {key!r} cannot be filled in the {lang!r} catalogue: {err} is missing"
            ) from None
    return nb


def drop_empty_sections(nb):
    """nb with every section heading whose section showed nothing tagged `remove-cell` (in place).

    A section is a markdown cell holding one heading line only (## or deeper) and the code cells
    after it up to the next markdown cell; when none of those printed anything for the year (a
    chart with too few bars, no projects named), the heading goes with them, so a chapter never
    carries a heading over nothing. A heading followed directly by text is left alone.
    """
    cells = nb.cells
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown" or not _HEADING_LINE.match(cell.source.strip()):
            continue
        section = []
        for following in cells[index + 1 :]:
            if following.cell_type != "code":
                break
            section.append(following)
        if section and not any(following.get("outputs") for following in section):
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if REMOVE_TAG not in tags:
                tags.append(REMOVE_TAG)
    return nb

"""Text from data is never markup: markup injected into data/ shows as text in the built book.

A copy of data/ gets `<script>` and `<img onerror>` markup in a milestone's text, an indicator's
name, a project's partner, a figure's quote and a source's note, each followed by a marker naming
the field. The index, the industry chapter and the methods page are executed from the templates
against that copy, built with jupyter-book, and the HTML is searched for raw and escaped markup.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import build_small_book

from countybook import paths
from countybook.data import load

YEAR = 2024
MARKUP = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
RAW_SIGNS = ["<script>alert(1)</script>", "<img src=x onerror"]
NOTEBOOKS = ["index", "01_industry_investment", "07_methods"]
TOC = """format: jb-book
root: chapters/index
chapters:
  - file: chapters/01_industry_investment
  - file: chapters/07_methods
"""
# marker -> (data file, key column, key, field, page that must show it)
INJECTIONS = {
    "MARK-milestone": ("milestones.csv", "id", "chemical_park_expansion_submitted", "text_en",
                       "chapters/01_industry_investment.html"),
    "MARK-indicator": ("indicators.yml", "id", "signed_projects_over_100m", "name_en",
                       "chapters/01_industry_investment.html"),
    # The industry chapter's one figure with a growth rate: its name is also written into the prose summary
    # (Markdown, through text.escape), not only into the HTML tables.
    "MARK-prose": ("indicators.yml", "id", "industrial_output_above_scale", "name_en",
                   "chapters/01_industry_investment.html"),
    "MARK-partner": ("projects.csv", "id", "jiaao_bp_partnership", "partner",
                     "chapters/01_industry_investment.html"),
    # The figure's quote keeps its value and unit after the markup, so the schema still accepts it.
    "MARK-quote": ("figures.csv", "indicator", "signed_projects_over_100m", "quote",
                   "chapters/01_industry_investment.html"),
    "MARK-note": ("sources.csv", "id", "xdkb_2025_guanyun_development", "note", "chapters/07_methods.html"),
}


def _inject_csv(path: Path, key_column: str, key: str, field: str, marker: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    hits = [row for row in rows if row[key_column] == key and (key_column != "indicator" or row["year"] == str(YEAR))]
    assert hits, f"{path.name}: no row with {key_column}={key}"
    hits[0][field] = f"{MARKUP} {marker} {hits[0][field]}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _inject_yaml(path: Path, key: str, field: str, marker: str) -> None:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in entries if e["id"] == key)
    entry[field] = f"{MARKUP} {marker} {entry[field]}"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def built_html(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("escaping")

    data = tmp / "data"
    shutil.copytree(paths.ROOT / "data", data)
    for marker, (name, key_column, key, field, _) in INJECTIONS.items():
        if name.endswith(".yml"):
            _inject_yaml(data / name, key, field, marker)
        else:
            _inject_csv(data / name, key_column, key, field, marker)
    load(data)  # the injected data must still pass validation

    html = build_small_book(tmp / "project", NOTEBOOKS, TOC, data, YEAR)
    assert (html / "chapters" / "07_methods.html").exists(), f"pages missing under {html}"
    return html


def test_no_raw_markup_from_data_in_any_page(built_html):
    pages = sorted(built_html.rglob("*.html"))
    assert pages
    for page in pages:
        content = page.read_text(encoding="utf-8")
        for sign in RAW_SIGNS:
            assert sign not in content, f"{page.relative_to(built_html)} contains raw markup from data: {sign}"


@pytest.mark.parametrize("marker", list(INJECTIONS))
def test_injected_text_shows_escaped(built_html, marker):
    page = INJECTIONS[marker][-1]
    content = (built_html / page).read_text(encoding="utf-8")
    assert marker in content, f"{page} does not show the injected {marker} at all"
    assert f"{ESCAPED} {marker}" in content, f"{page} shows {marker} without the escaped markup before it"


def test_name_in_markdown_prose_shows_escaped(built_html):
    """The findings are Markdown: their entities and backslash escapes must render as the text."""
    content = (built_html / "chapters" / "01_industry_investment.html").read_text(encoding="utf-8")
    mark = content.index("MARK-prose")
    start = content.rindex("<li>", 0, mark)
    paragraph = content[start:content.index("</li>", start)]
    assert f"{ESCAPED} MARK-prose" in paragraph, paragraph
    assert "\\(" not in paragraph, f"Markdown escapes leaked into the text: {paragraph}"

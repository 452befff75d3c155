"""Text from data is never markup: markup injected into data/ shows as text in the built book.

One copy of data/ (markup_book, run and built once per test run) gets `<script>` and `<img onerror>`
markup in a milestone's text, an indicator's name, a project's partner, a figure's quote and a
source's note, each followed by a marker naming the field, and then markup, template syntax and
control characters in front of every free-text field. Both editions of the whole book are executed
from the templates against that copy and built with jupyter-book; the HTML is searched for raw and
escaped markup.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import jupyter_book, once_per_run

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
    "MARK-milestone": (
        "milestones.csv",
        "id",
        "chemical_park_expansion_submitted",
        "text_en",
        "chapters/01_industry_investment.html",
    ),
    "MARK-indicator": (
        "indicators.yml",
        "id",
        "signed_projects_over_100m",
        "name_en",
        "chapters/01_industry_investment.html",
    ),
    # The industry chapter's one figure with a growth rate: its name is also written into the prose summary
    # (Markdown, through text.escape), not only into the HTML tables.
    "MARK-prose": (
        "indicators.yml",
        "id",
        "industrial_output_above_scale",
        "name_en",
        "chapters/01_industry_investment.html",
    ),
    "MARK-partner": ("projects.csv", "id", "jiaao_bp_partnership", "partner", "chapters/01_industry_investment.html"),
    # The figure's quote keeps its value and unit after the markup, so the schema still accepts it.
    "MARK-quote": (
        "figures.csv",
        "indicator",
        "signed_projects_over_100m",
        "quote",
        "chapters/01_industry_investment.html",
    ),
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
    # libyaml here and below, as countybook.text_files reads the data: PyYAML's own takes ten times as long.
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    entry = next(e for e in entries if e["id"] == key)
    entry[field] = f"{MARKUP} {marker} {entry[field]}"
    path.write_text(yaml.dump(entries, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def built_html(tmp_path_factory) -> Path:
    """The English edition of the markup book (markup_book below), where the marked fields show."""
    return markup_book(tmp_path_factory)


@pytest.mark.slow
def test_no_raw_markup_from_data_in_any_page(built_html):
    pages = sorted(built_html.rglob("*.html"))
    assert pages
    for page in pages:
        content = page.read_text(encoding="utf-8")
        for sign in RAW_SIGNS:
            assert sign not in content, f"{page.relative_to(built_html)} contains raw markup from data: {sign}"


@pytest.mark.slow
@pytest.mark.parametrize("marker", list(INJECTIONS))
def test_injected_text_shows_escaped(built_html, marker):
    page = INJECTIONS[marker][-1]
    content = (built_html / page).read_text(encoding="utf-8")
    assert marker in content, f"{page} does not show the injected {marker} at all"
    assert f"{ESCAPED} {marker}" in content, f"{page} shows {marker} without the escaped markup before it"


@pytest.mark.slow
def test_name_in_markdown_prose_shows_escaped(built_html):
    """The findings are Markdown: their entities and backslash escapes must render as the text."""
    content = (built_html / "chapters" / "01_industry_investment.html").read_text(encoding="utf-8")
    mark = content.index("MARK-prose")
    start = content.rindex("<li>", 0, mark)
    paragraph = content[start : content.index("</li>", start)]
    assert f"{ESCAPED} MARK-prose" in paragraph, paragraph
    assert "\\(" not in paragraph, f"Markdown escapes leaked into the text: {paragraph}"


# --------------------------------------------------------------------------- every field, both editions
#
# A property of the whole book rather than of a few fields: markup, template syntax and control
# characters put in front of EVERY free-text field of every data file reach both built editions as
# text. The same run and build as the marked fields above: marked slow.

PAYLOAD = (
    "<img src=x onerror=alert(7)> {{year}} {{ page.title }} *emph7* [link7](javascript:x7) $x7$ `tick7` \x00\x1b\u202e "
)
CONTROL_CHARACTERS = ["\x00", "\x1b", "\u202e"]
# What the payload would turn into if a field were read as HTML, MyST or a template.
INTERPRETED = {
    "raw HTML": "<img src=x onerror",
    "emphasis": "<em>emph7</em>",
    "a link": 'href="javascript:x7',
    "mathematics": "x7\\)",
    "inline code": ">tick7<",
}
# The free-text fields of every data file (the others are ids, enums, units, numbers, dates and URLs,
# which validation holds to their forms). test_every_free_text_field_is_injected keeps the list whole.
FREE_TEXT = {
    "benchmarks.csv": ["quote"],
    "figures.csv": ["quote"],
    "milestones.csv": ["text_zh", "text_en", "quote"],
    "projects.csv": ["name_zh", "name_en", "partner", "partner_zh", "quote"],
    "sources.csv": ["title", "title_en", "publisher", "publisher_zh", "authors", "note", "note_zh"],
    "quotes_en.csv": ["quote", "quote_en"],
    "areas.yml": ["name_en", "name_zh"],
    "comparisons.yml": ["note_en", "note_zh"],
    "computed.yml": ["caveat_en", "caveat_zh", "name_en", "name_zh"],
    "glossary.yml": ["definition_en", "definition_zh", "quote", "source", "source_zh", "term_en", "term_zh"],
    "indicators.yml": ["description", "name_en", "name_zh"],
    "long_view.yml": ["after_1990_en", "after_1990_zh", "note_en", "note_zh", "quote"],
    "qualifiers.yml": ["en", "zh", "symbol"],
    "ratios.yml": ["name_en", "name_zh", "per_en", "unit_en"],
    "scopes.yml": ["name_en", "name_zh", "note_en", "note_zh"],
    "stages.yml": ["en", "zh"],
    "themes.yml": ["title_en", "title_zh"],
    "units.yml": ["en", "approx_en"],
}
# Text that is not shown as prose: formulas, unit keys, a milestone's field (an enum), and the match
# strings the extractor and the glossary search source text with (aliases, printed forms, match).
NOT_PROSE = {
    ("milestones.csv", "field"),
    ("glossary.yml", "match"),
    ("indicators.yml", "aliases"),
    ("units.yml", "printed"),
    ("computed.yml", "formula"),
    ("ratios.yml", "formula"),
    ("units.yml", "base_en"),
    ("figures.csv", "unit"),
    ("benchmarks.csv", "unit"),
    ("projects.csv", "investment_unit"),
    ("indicators.yml", "unit"),
    ("ratios.yml", "unit"),
    ("computed.yml", "unit"),
}


def _string_fields(node, found: set, key: str = "") -> set:
    """Every (key, value) of strings in a YAML document, at any depth."""
    if isinstance(node, dict):
        for name, value in node.items():
            _string_fields(value, found, str(name))
    elif isinstance(node, list):
        for value in node:
            _string_fields(value, found, key)
    elif isinstance(node, str) and key:
        found.add((key, node))
    return found


def _prose_fields(data: Path) -> set[tuple[str, str]]:
    """(file, field) of every field whose values read as prose somewhere: a space or a non-ASCII letter."""

    def prose(value: str) -> bool:
        return " " in value.strip() or not value.isascii()

    found = set()
    for path in sorted(data.glob("*.yml")):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        found |= {(path.name, key) for key, value in _string_fields(document, set()) if prose(value)}
    for path in sorted(data.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                found |= {(path.name, key) for key, value in row.items() if value and prose(value)}
    return found


def _inject_everywhere(data: Path) -> None:
    def walk(node, fields):
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and key in fields:
                    node[key] = PAYLOAD + value
                else:
                    walk(value, fields)
        elif isinstance(node, list):
            for value in node:
                walk(value, fields)

    for name, fields in FREE_TEXT.items():
        path = data / name
        if name.endswith(".yml"):
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            walk(document, set(fields))
            path.write_text(
                yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns, rows = reader.fieldnames, list(reader)
        for row in rows:
            for field in fields:
                if row[field]:  # in front: a quote's table row keeps its last cell, the value
                    row[field] = PAYLOAD + row[field]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


def test_every_free_text_field_is_injected():
    """A new prose field in data/ must join FREE_TEXT (or NOT_PROSE), so the property covers it."""
    listed = {(name, field) for name, fields in FREE_TEXT.items() for field in fields}
    unlisted = _prose_fields(paths.ROOT / "data") - listed - NOT_PROSE - {(name, "id") for name in FREE_TEXT}
    assert not unlisted, f"prose fields not injected by the escaping property test: {sorted(unlisted)}"


def markup_book(tmp_path_factory) -> Path:
    """Both editions of the whole book, run from a copy of data/ with MARKUP and a marker in front of
    the fields of INJECTIONS and then PAYLOAD in front of every free-text field, and built with
    jupyter-book, once per test run; the html root (the Chinese edition under zh/)."""
    return once_per_run(tmp_path_factory, "markup_book", _build_markup_book) / "_build" / "html"


@pytest.fixture
def both_editions_with_markup(tmp_path_factory) -> Path:
    return markup_book(tmp_path_factory)


def _build_markup_book(project: Path) -> None:
    from countybook.render.messages import languages
    from countybook.run import runner
    from countybook.run.execute import KernelPool

    data = project / "data"
    shutil.copytree(paths.ROOT / "data", data)
    for marker, (name, key_column, key, field, _) in INJECTIONS.items():
        if name.endswith(".yml"):
            _inject_yaml(data / name, key, field, marker)
        else:
            _inject_csv(data / name, key_column, key, field, marker)
    _inject_everywhere(data)
    load(data)  # the injected data must still pass validation
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(paths.ROOT / name, project / name)
    shutil.copytree(paths.NOTEBOOKS_DIR, project / "notebooks", ignore=shutil.ignore_patterns(".*"))
    book = project / "book"
    book.mkdir()
    (book / "_toc.yml").symlink_to("../_toc.yml")
    for folder in ("_static", "_ext", "_templates"):
        shutil.copytree(paths.BOOK_DIR / folder, book / folder)
    with KernelPool(1) as pool:  # both editions on one warm kernel, as the command line runs them
        for lang in languages():
            edition = paths.edition_dir(book, lang)
            if edition != book:
                edition.mkdir()
                for name in ("_config.yml", "_toc.yml"):
                    shutil.copy(paths.edition_dir(paths.BOOK_DIR, lang) / name, edition / name)
            runner.run(
                YEAR,
                lang=lang,
                notebooks_dir=project / "notebooks",
                chapters_dir=edition / "chapters",
                data_dir=data,
                progress=False,
                jobs=1,  # the other xdist worker has the other core
                pool=pool,
            )
    result = subprocess.run(
        [jupyter_book(), "build", str(book), "--path-output", str(project)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def _pages(html_root: Path) -> dict[str, str]:
    return {
        page.relative_to(html_root).as_posix(): page.read_text(encoding="utf-8")
        for page in sorted(html_root.rglob("*.html"))
    }


@pytest.mark.slow
def test_markup_in_every_field_is_text_in_both_editions(both_editions_with_markup):
    pages = _pages(both_editions_with_markup)
    for lang_root in ("chapters/", "zh/chapters/"):
        chapters = [name for name in pages if name.startswith(lang_root)]
        assert len(chapters) >= 10, f"{lang_root}: the edition was not built ({chapters})"
        # The payload arrived, escaped: shown to the reader as the characters it is.
        assert any("&lt;img src=x onerror=alert(7)&gt;" in pages[name] for name in chapters), lang_root
    found = []
    for name, content in pages.items():
        found += [f"{name}: {what}" for what, sign in INTERPRETED.items() if sign in content]
        found += [f"{name}: control character U+{ord(c):04X}" for c in CONTROL_CHARACTERS if c in content]
    assert not found, "data read as markup or reaching a page:\n" + "\n".join(found[:40])


@pytest.mark.slow
def test_template_syntax_in_a_title_is_text_in_heading_and_page_title(both_editions_with_markup):
    """`{{year}}` in a theme's title stays `{{year}}`: never a MyST substitution (which wrote the build
    folder into <h1> and <title>), never filled by the runner's `{{ page.… }}` placeholders."""
    project = both_editions_with_markup.parent.parent
    for prefix in ("", "zh/"):
        content = (both_editions_with_markup / prefix / "chapters" / "01_industry_investment.html").read_text(
            encoding="utf-8"
        )
        heading = re.search(r"<h1>(.*?)</h1>", content, re.S).group(1)
        title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
        for shown in (heading, title):
            assert "{{year}}" in shown and "{{ page.title }}" in shown, shown
            assert str(project) not in shown and str(YEAR) not in shown.split("{{year}}")[0], shown
        assert str(project) not in content


def test_render_escapes_only_through_text():
    """One escaping path: no render module but text.py escapes on its own (html.escape, markupsafe),
    so the removal of control characters and the Markdown rules cannot be bypassed."""
    import ast

    own = []
    for path in sorted((paths.ROOT / "countybook" / "render").glob("*.py")):
        if path.name == "text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = (
                [node.module]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            own += [f"{path.name}:{node.lineno} imports {m}" for m in modules if m in ("html", "markupsafe")]
    assert not own, own


def test_escape_removes_control_characters_and_neutralises_markdown():
    from countybook.render import text

    shown = text.escape("<b>{{year}}</b> *a* [l](javascript:x) $x$ `c` \x00\x1b\u202e|#")
    assert "<" not in shown and "\x00" not in shown and "\x1b" not in shown and "\u202e" not in shown
    assert "\\{\\{year\\}\\}" in shown and "\\*a\\*" in shown and "\\[l\\]\\(javascript:x\\)" in shown
    assert "\\$x\\$" in shown and "\\`c\\`" in shown and "\\|\\#" in shown
    assert text.html_escape('"a"\x00') == "&quot;a&quot;" and text.plain("a\tb\nc\u202ed") == "a\tb\ncd"

"""The HTML the print edition prints (countybook.run.pdf): every page of an edition's toc as one
document, the cover and contents, and the running header and footer laid over every page.

Kept apart from the printing so it can be read and tested without a browser. Each page's article
goes into the document with its ids prefixed by the page's name (two pages may both have a
"downloads" section), and links between pages become links within the document, so that
Chromium makes them jumps inside the PDF.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..render.messages import say

PRINT_CSS = Path(__file__).with_name("print.css")
A4_MM = (210, 297)


class PdfError(Exception):
    """A print edition that cannot be made; its message is one line for the user."""


@dataclass
class Part:
    """A page of the toc (its file:// address, title and number of printed pages), or the cover
    and contents (with their printed bytes)."""

    url: str
    pdf: bytes = b""
    title: str = ""
    pages: int = 0


@dataclass
class Edition:
    lang: str
    year: int
    title: str
    html_root: Path
    parts: list[Part] = field(default_factory=list)
    front: Part | None = None  # cover and contents
    overlay: bytes = b""  # running header and footer, one page per page of the book
    body: bytes = b""  # every page of the toc, printed as one document
    document: bytes = b""  # the finished PDF


ARTICLE = re.compile(r'<article class="bd-article"[^>]*>.*?</article>', re.S)
HTML_TAG = re.compile(r"<html\b[^>]*>")
STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')
THEME_STYLESHEET = "pydata-sphinx-theme.css"
HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
ID = re.compile(r'(?<=\s)id="([^"]*)"')
HREF = re.compile(r'(?<=\s)href="([^"]*)"')
PRINT_FILE = ".countybook-print-"  # the temporary document beside the pages, removed after printing
PART_ID = "countybook-part-"


def part_id(stem: str) -> str:
    return PART_ID + stem


def combined_html(edition: Edition) -> str:
    """Every page's article in toc order as one document, in the site's own styles plus the print
    styles: one layout and one print instead of one per page (the theme's styles alone cost more
    to load than a page's content). Ids get their page's name as a prefix, so that the pages'
    anchors stay apart, and links between pages become links within the document."""
    sources = [Path(unquote(urlsplit(part.url).path)) for part in edition.parts]
    if len({source.parent for source in sources}) != 1:
        raise PdfError(f"{edition.lang}: the print edition needs every page of the toc in one folder")
    stems = {source.stem for source in sources}
    texts = []
    for part, source in zip(edition.parts, sources):
        try:
            texts.append(source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            raise PdfError(
                f"{edition.lang}: {site_name(edition, part.url)} failed to render: {first_line(err)}"
            ) from None
    first = texts[0]
    html_tag = (HTML_TAG.search(first) or [f'<html lang="{edition.lang}">'])[0]
    # The theme's own stylesheet is left out: print.css restates the little of it paper needs.
    head = "".join(link for link in STYLESHEET.findall(first) if THEME_STYLESHEET not in link)
    parts, targets = [], []
    for part, source, text in zip(edition.parts, sources, texts):
        article = ARTICLE.search(text)
        heading = HEADING.search(article.group(0)) if article else None
        if article is None or heading is None:
            raise PdfError(
                f"{edition.lang}: {site_name(edition, part.url)} failed to render: "
                "no article with a title (h1) in the page"
            )
        part.title = _plain(heading.group(1))
        stem = source.stem
        body = ID.sub(functools.partial(_prefixed_id, stem), article.group(0))
        body = HREF.sub(functools.partial(_in_document_href, stem, stems), body)
        parts.append(f'<section class="countybook-part" id="{part_id(stem)}">{body}</section>')
        targets.append(f'<a href="#{part_id(stem)}">{stem}</a>')
    return (
        f'<!doctype html>{html_tag}<head><meta charset="utf-8">{head}'
        f"<style>{PRINT_CSS.read_text(encoding='utf-8')}</style></head><body>"
        # Chromium names in the PDF only the places that a link points at: these (unseen) links
        # make it name where every page begins, which the contents page needs.
        f'<nav class="countybook-part-targets">{"".join(targets)}</nav>'
        f'<div class="bd-main"><div class="bd-content"><div class="bd-article-container">'
        f"{''.join(parts)}</div></div></div></body></html>"
    )


def _prefixed_id(stem: str, match: re.Match) -> str:
    """An element id made unique in the one document: the page's stem before it."""
    return f'id="{stem}--{match.group(1)}"'


def _in_document_href(stem: str, stems: set[str], match: re.Match) -> str:
    return f'href="{html.escape(_in_document(html.unescape(match.group(1)), stem, stems))}"'


def _in_document(href: str, stem: str, stems: set[str]) -> str:
    """A link of page `stem` as a link in the combined document, where it points into it."""
    if href.startswith("#"):
        return f"#{stem}--{href[1:]}" if href[1:] else f"#{part_id(stem)}"
    target, _, fragment = href.partition("#")
    if "/" not in target and target.endswith(".html") and target[:-5] in stems:
        return f"#{target[:-5]}--{fragment}" if fragment else f"#{part_id(target[:-5])}"
    return href


def _plain(markup: str) -> str:
    markup = re.sub(r'<a class="headerlink".*?</a>', "", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


FRONT_PAGES = 2  # the cover, and the contents on one page


def first_pages(edition: Edition, front_pages: int) -> list[int]:
    """The book page (from 1, the cover) on which each part begins."""
    starts, page = [], front_pages + 1
    for part in edition.parts:
        starts.append(page)
        page += part.pages
    return starts


def front_html(edition: Edition, front_pages: int, date: dt.date) -> str:
    lang, esc = edition.lang, html.escape
    rows = "".join(
        f'<li><a href="{esc(part.url)}"><span class="t">{esc(part.title)}</span><span class="n">{start}</span></a></li>'
        for part, start in zip(edition.parts, first_pages(edition, front_pages))
    )
    return f"""<!doctype html><html lang="{"zh-CN" if lang == "zh" else lang}"><head><meta charset="utf-8">
<title>{esc(edition.title)}</title><style>{FRONT_CSS}</style></head><body>
<section class="cover">
<h1>{esc(edition.title)}</h1>
<p class="year">{esc(say("pdf.cover_year", lang, year=edition.year))}</p>
<p class="date">{esc(say("pdf.edition_date", lang, date=date.isoformat()))}</p>
<p class="note">{esc(say("pdf.source_note", lang, year=edition.year))}</p>
</section>
<section class="contents"><h2>{esc(say("pdf.contents", lang))}</h2><ol>{rows}</ol></section>
</body></html>"""


FRONT_CSS = """@page { size: A4; margin: 20mm 16mm 18mm 16mm; }
body { font-family: "Noto Sans SC", "WenQuanYi Micro Hei", "DejaVu Sans", sans-serif; color: #222; }
.cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.cover h1 { font-size: 28pt; margin: 0 0 8mm; color: #0173b2; }
.cover .year { font-size: 20pt; margin: 0 0 4mm; }
.cover .date { font-size: 12pt; color: #555; margin: 0 0 20mm; }
.cover .note { font-size: 10pt; color: #444; max-width: 140mm; line-height: 1.5; }
.contents h2 { font-size: 18pt; }
.contents ol { list-style: none; padding: 0; font-size: 11pt; }
.contents li { margin: 0 0 3mm; }
.contents a { display: flex; color: #222; text-decoration: none; }
.contents .t { flex: 1; border-bottom: 1px dotted #999; margin-right: 3mm; }"""


def site_name(edition: Edition, url: str) -> str:
    """A file:// address of the edition's site as a path relative to its html root (the page
    names of starts); an address outside it as its bare file name (no machine path leaks out)."""
    path = Path(unquote(urlsplit(url).path))
    try:
        return path.relative_to(edition.html_root.resolve()).as_posix()
    except ValueError:
        return path.name


def first_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def overlay_html(edition: Edition, front_pages: int) -> str:
    """One A4 sheet per page of the book, empty for the cover, with the running header (book
    title, year) and footer (page n of N), to be laid over the printed pages."""
    total = front_pages + sum(part.pages for part in edition.parts)
    esc = html.escape
    header = esc(say("pdf.running_header", edition.lang, title=edition.title, year=edition.year))
    sheets = "".join(
        '<div class="sheet">'
        + (
            ""
            if number == 1
            else f'<div class="h">{header}</div><div class="f">'
            f"{esc(say('pdf.page_number', edition.lang, page=number, pages=total))}</div>"
        )
        + "</div>"
        for number in range(1, total + 1)
    )
    return f"""<!doctype html><html lang="{edition.lang}"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; }} body {{ margin: 0; font-family: "Noto Sans SC", "WenQuanYi Micro Hei", "DejaVu Sans", sans-serif; }}
.sheet {{ position: relative; width: {A4_MM[0]}mm; height: {A4_MM[1]}mm; break-after: page; overflow: hidden; }}
.h, .f {{ position: absolute; left: 16mm; right: 16mm; font-size: 8pt; color: #666; }}
.h {{ top: 9mm; border-bottom: 0.3pt solid #bbb; padding-bottom: 1mm; }} .f {{ bottom: 8mm; text-align: right; }}
</style></head><body>{sheets}</body></html>"""


def edition_date() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names (for a reproducible build)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()

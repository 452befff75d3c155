"""The HTML the print edition prints (countybook/run/print_html.py): the pages of a toc as one
document with their anchors kept apart and their links inside it; the cover and contents; the
running header and footer."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from countybook.run import print_html


def test_pages_become_one_document_with_their_anchors_apart_and_links_inside_it(tmp_path):
    html = tmp_path / "html" / "chapters"
    html.mkdir(parents=True)
    (html / "index.html").write_text(
        '<html lang="en" data-theme="light"><head><link href="../_static/theme.css" rel="stylesheet" />'
        '<link href="../_static/styles/pydata-sphinx-theme.css?digest=1" rel="stylesheet" /></head>'
        '<body><article class="bd-article"><h1 id="top">The book<a class="headerlink" href="#top">#</a></h1>'
        '<a href="02_b.html#notes">b</a> <a href="02_b.html">all of b</a> <a href="#top">up</a>'
        ' <a href="https://example.org/x">web</a> <a href="../_downloads/f.csv">csv</a></article></body></html>',
        encoding="utf-8",
    )
    (html / "02_b.html").write_text(
        '<article class="bd-article"><h1>B &amp; C</h1><p id="notes">n</p></article>', encoding="utf-8"
    )
    edition = print_html.Edition("en", 2024, "Book", tmp_path / "html")
    edition.parts = [print_html.Part((html / name).as_uri()) for name in ("index.html", "02_b.html")]
    document = print_html.combined_html(edition)
    soup = BeautifulSoup(document, "html.parser")
    assert [part.title for part in edition.parts] == ["The book", "B & C"]
    assert (
        soup.html["data-theme"] == "light"
        and soup.select_one('link[rel="stylesheet"]')["href"] == "../_static/theme.css"
    )
    # The theme's large stylesheet is left out of the print (print.css restates what paper needs).
    assert not [link for link in soup.select('link[rel="stylesheet"]') if "pydata-sphinx-theme" in link["href"]]
    hrefs = [a["href"] for a in soup.select("article a")]
    assert hrefs == [
        "#index--top",
        "#02_b--notes",
        f"#{print_html.part_id('02_b')}",
        "#index--top",
        "https://example.org/x",
        "../_downloads/f.csv",
    ]
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids)) and "02_b--notes" in ids and print_html.part_id("index") in ids
    # every page's start is the target of a link, so Chromium names it in the PDF
    assert {a["href"] for a in soup.select("nav a")} == {
        f"#{print_html.part_id('index')}",
        f"#{print_html.part_id('02_b')}",
    }


def _edition(tmp_path, pages: list[int]):
    edition = print_html.Edition("en", 2024, "Book", tmp_path)
    edition.parts = [
        print_html.Part((tmp_path / f"{n}.html").as_uri(), title=f"Chapter {n} & more", pages=count)
        for n, count in enumerate(pages)
    ]
    return edition


def test_the_contents_give_each_page_its_first_sheet_after_the_front_matter(tmp_path):
    edition = _edition(tmp_path, [1, 4, 2])
    assert print_html.first_pages(edition, 2) == [3, 4, 8]
    contents = BeautifulSoup(print_html.front_html(edition, 2, dt.date(2026, 12, 7)), "html.parser")
    rows = [(li.select_one(".t").get_text(), li.select_one(".n").get_text()) for li in contents.select(".contents li")]
    assert rows == [("Chapter 0 & more", "3"), ("Chapter 1 & more", "4"), ("Chapter 2 & more", "8")]
    assert (
        "2026-12-07" in contents.select_one(".cover").get_text() and "2024" in contents.select_one(".cover").get_text()
    )


def test_the_overlay_numbers_every_sheet_but_the_cover(tmp_path):
    edition = _edition(tmp_path, [1, 4, 2])
    sheets = BeautifulSoup(print_html.overlay_html(edition, 2), "html.parser").select(".sheet")
    assert len(sheets) == 9
    assert sheets[0].get_text() == ""
    assert [sheet.select_one(".f").get_text() for sheet in sheets[1:3]] == ["Page 2 of 9", "Page 3 of 9"]
    assert all(sheet.select_one(".h").get_text() == "Book · 2024" for sheet in sheets[1:])


def test_the_edition_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01 00:00 UTC
    assert print_html.edition_date() == dt.date(2025, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert print_html.edition_date() == dt.date.today()

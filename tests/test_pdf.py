"""The print edition (countybook/run/pdf.py): both PDFs made from the committed editions' build,
with every chapter title, real Chinese text, one embedded image per chart, contents page numbers
that lead to their chapters, running page numbers, working links; and its failures: no Chromium,
a page that fails to render, a failed run that leaves the previous PDF in place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import edition_root, once_per_run, toc_pages

from countybook import paths
from countybook.render.messages import DEFAULT_LANGUAGE, languages, say
from countybook.run import pdf

pypdf = pytest.importorskip("pypdf")
pypdfium2 = pytest.importorskip("pypdfium2")


def _chromium_or_none():
    try:
        return pdf.find_chromium()
    except pdf.PdfError:
        return None


needs_chromium = pytest.mark.skipif(_chromium_or_none() is None, reason="no Chromium to print with")


@pytest.fixture(scope="module")
def printed(html_root, tmp_path_factory) -> dict[str, Path]:
    """Both PDFs of the committed editions, printed once per test run from the test build into a
    temporary folder (shared by the xdist workers, as html_root is)."""
    if _chromium_or_none() is None:
        pytest.skip("no Chromium to print with")
    out = once_per_run(
        tmp_path_factory, "printed_pdfs", lambda folder: pdf.make_pdfs(html_dir=html_root, out_dir=folder)
    )
    return {path.name.rsplit("-", 1)[1].removesuffix(".pdf"): path for path in sorted(out.glob("*.pdf"))}


def _reader(path: Path):
    return pypdf.PdfReader(str(path))


@pytest.fixture(scope="module")
def page_texts(printed, tmp_path_factory) -> dict[str, list[str]]:
    """Each PDF's text, page by page, extracted once per test run and shared by the xdist workers as
    the PDFs are."""

    def extract(folder: Path) -> None:
        texts = {lang: _texts(path) for lang, path in printed.items()}
        (folder / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")

    folder = once_per_run(tmp_path_factory, "printed_pdf_texts", extract)
    return json.loads((folder / "texts.json").read_text(encoding="utf-8"))


def _texts(path: Path) -> list[str]:
    """The text of each page, as pdfium reads it (what a PDF viewer copies and searches): twenty times
    faster than pypdf's extraction, which was most of these tests' time."""
    document = pypdfium2.PdfDocument(path)
    try:
        return [document[number].get_textpage().get_text_range() for number in range(len(document))]
    finally:
        document.close()


def _image_widths(page) -> list[int]:
    """The width in pixels of each image a page draws, read from the image dictionaries (also inside
    form XObjects, where Chromium puts them) without decoding any image."""
    widths: list[int] = []

    def walk(resources) -> None:
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for reference in (xobjects.get_object() if xobjects is not None else {}).values():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image":
                widths.append(int(xobject["/Width"]))
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    walk(page.get("/Resources"))
    return widths


def _squeezed(text: str) -> str:
    """Text without any white space: pypdf breaks lines (and CJK runs) where the page did."""
    return re.sub(r"\s+", "", text)


def _page_titles(html_root: Path, lang: str) -> list[str]:
    titles = []
    for page in toc_pages():
        heading = BeautifulSoup(
            (edition_root(html_root, lang) / page).read_text(encoding="utf-8"), "html.parser"
        ).select_one("article h1, main h1, h1")
        for link in heading.select(".headerlink"):
            link.decompose()
        titles.append(heading.get_text().strip())
    return titles


def _charts(html_root: Path, lang: str) -> int:
    return sum(
        len(
            BeautifulSoup((edition_root(html_root, lang) / page).read_text(encoding="utf-8"), "html.parser").select(
                "article img, main img"
            )
        )
        for page in toc_pages()
    )


@needs_chromium
def test_both_pdfs_are_written_as_a4_under_the_book_name_and_year(printed):
    year = pdf.edition_year(paths.chapters_dir(DEFAULT_LANGUAGE))
    assert sorted(printed) == sorted(languages())
    for lang, path in printed.items():
        assert path.name == f"{paths.BOOK_NAME}-{year}-{lang}.pdf"
        reader = _reader(path)
        assert len(reader.pages) > len(toc_pages()) + 1  # cover, contents and at least a page each
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    assert not list(Path(path.parent).glob(".*.tmp"))  # no temporary file left behind


@needs_chromium
@pytest.mark.parametrize("lang", languages())
def test_the_text_holds_every_chapter_title_in_toc_order(page_texts, html_root, lang):
    body = _squeezed("".join(page_texts[lang][2:]))
    position = 0
    for title in _page_titles(html_root, lang):
        found = body.find(_squeezed(title), position)
        assert found >= 0, f"{lang}: {title!r} missing from the PDF, or out of toc order"
        position = found


@needs_chromium
def test_the_chinese_pdf_holds_chinese_text_in_an_embedded_font(printed, page_texts):
    reader = _reader(printed["zh"])
    text = "".join(page_texts["zh"])
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 2000
    assert "规上工业总产值" in _squeezed(text)
    embedded = set()
    for page in reader.pages[:5]:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(
                    key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    embedded.add(str(descendant.get_object()["/BaseFont"]))
    assert embedded, "no embedded font on the first pages"


@needs_chromium
@pytest.mark.parametrize("lang", languages())
def test_one_embedded_image_per_chart_of_the_html_edition_at_print_resolution(printed, html_root, lang):
    widths = [width for page in _reader(printed[lang]).pages for width in _image_widths(page)]
    charts = _charts(html_root, lang)
    assert charts > 0
    assert len(widths) == charts
    assert all(width >= 1500 for width in widths)  # about 260 pixels per inch on A4


@needs_chromium
@pytest.mark.parametrize("lang", languages())
def test_the_contents_page_numbers_lead_to_their_chapters(page_texts, html_root, lang):
    cover = page_texts[lang][0]
    year = pdf.edition_year(paths.chapters_dir(lang))
    assert _squeezed(say("pdf.cover_year", lang, year=year)) in _squeezed(cover)
    contents = page_texts[lang][1]
    assert say("pdf.contents", lang) in contents
    numbers = []
    for title in _page_titles(html_root, lang):
        match = re.search(re.escape(_squeezed(title)) + r"(\d+)", _squeezed(contents))
        assert match, f"{title!r} not in the contents"
        number = int(match.group(1))
        assert _squeezed(title) in _squeezed(page_texts[lang][number - 1]), f"{title!r}: the contents say page {number}"
        numbers.append(number)
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@needs_chromium
@pytest.mark.parametrize("lang", languages())
def test_every_page_after_the_cover_has_the_running_header_and_its_page_number(page_texts, lang):
    total = len(page_texts[lang])
    year = pdf.edition_year(paths.chapters_dir(lang))
    header = _squeezed(say("pdf.running_header", lang, title=pdf.book_title(lang), year=year))
    for number, page_text in enumerate(page_texts[lang][1:], start=2):
        text = _squeezed(page_text)
        assert header in text, f"page {number}: no running header"
        assert _squeezed(say("pdf.page_number", lang, page=number, pages=total)) in text


@needs_chromium
@pytest.mark.parametrize("lang", languages())
def test_links_stay_links_without_machine_paths(printed, lang):
    reader = _reader(printed[lang])
    internal, web, relative = 0, 0, []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            uri = str(annotation["/A"].get("/URI", "")) if "/A" in annotation else ""
            if "/Dest" in annotation or annotation.get("/A", {}).get("/S") == "/GoTo":
                internal += 1
            elif uri.startswith(("http://", "https://")):
                web += 1
            else:
                relative.append(uri)
    assert internal > 20 and web > 5
    assert not [uri for uri in relative if uri.startswith(("file:", "/")) or str(paths.ROOT) in uri]
    assert any("_downloads/" in uri and uri.endswith(".csv") for uri in relative)  # the CSV downloads


@needs_chromium
@pytest.mark.parametrize("lang", languages())
def test_the_landing_page_links_its_pdf(printed, html_root, lang):
    landing = edition_root(html_root, lang) / toc_pages()[0]
    links = [
        a["href"]
        for a in BeautifulSoup(landing.read_text(encoding="utf-8"), "html.parser").select("a[href]")
        if a["href"].endswith(".pdf")
    ]
    assert links == [f"../{pdf.PDF_DIR}/{printed[lang].name}"]
    target = (landing.parent / links[0]).resolve()
    assert target.read_bytes() == printed[lang].read_bytes()


# --------------------------------------------------------------------------- failures


def test_no_chromium_is_one_line_saying_how_to_install_it(monkeypatch):
    monkeypatch.setenv("COUNTYBOOK_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "CHROMIUM_CANDIDATES", ("/nonexistent/chromium-browser",))
    with pytest.raises(pdf.PdfError) as raised:
        pdf.find_chromium()
    message = str(raised.value)
    assert "\n" not in message and "no Chromium found" in message and "apt-get install chromium" in message


def test_the_command_reports_a_failure_in_one_line_and_keeps_the_previous_pdf(monkeypatch, tmp_path, capsys):
    good = tmp_path / "guanyun-2024-en.pdf"
    good.write_bytes(b"%PDF good")

    def fail(*args, **kwargs):
        raise pdf.PdfError("en: chapters/02_agriculture.html failed to render: net::ERR_ABORTED")

    monkeypatch.setattr(pdf, "make_pdfs", fail)
    code = pdf.pdf_main(type("Args", (), {"lang": None})())
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1
    assert "02_agriculture.html failed to render" in err and "no PDF was replaced" in err
    assert good.read_bytes() == b"%PDF good"


def test_a_missing_built_page_is_named(tmp_path):
    html = tmp_path / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "chapters" / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    with pytest.raises(pdf.PdfError, match=r"00_overview\.html is not built: run `jupyter-book build book/`"):
        pdf.editions(["en"], html_dir=html)


def test_an_interrupted_write_leaves_the_previous_file_and_no_temporary(monkeypatch, tmp_path):
    target = tmp_path / "book.pdf"
    target.write_bytes(b"old")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf.os, "replace", broken_replace)
    with pytest.raises(OSError):
        pdf.write_atomically(b"new", target)
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["book.pdf"]


@pytest.mark.parametrize(
    "page, fault, reason",
    [
        ("01_a.html", None, "No such file"),  # removed between the check and the print
        ("01_a.html", "<html><body><p>no article</p></body></html>", "no article with a title"),
        ("01_a.html", b"\xff\xfe\xfa", "codec can't decode"),
    ],
)
def test_a_page_that_fails_to_render_is_named_and_nothing_is_written(tmp_path, page, fault, reason):
    html = tmp_path / "html" / "chapters"
    html.mkdir(parents=True)
    (html / "index.html").write_text('<article class="bd-article"><h1>Book</h1></article>', encoding="utf-8")
    if isinstance(fault, bytes):
        (html / page).write_bytes(fault)
    elif fault is not None:
        (html / page).write_text(fault, encoding="utf-8")
    edition = pdf.Edition("en", 2024, "Book", tmp_path / "html")
    edition.parts = [pdf.Part((html / "index.html").as_uri()), pdf.Part((html / page).as_uri())]
    with pytest.raises(pdf.PdfError, match=rf"^en: chapters/01_a\.html failed to render: .*{reason}"):
        import asyncio

        asyncio.run(pdf._print_all([edition], "/nonexistent/chromium"))  # fails before any browser
    assert not list(tmp_path.rglob("*.pdf"))


def test_the_toc_files_come_in_reading_order(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: a\nparts:\n  - chapters:\n      - file: b\n        sections:\n"
        "          - file: c\n      - file: d\n",
        encoding="utf-8",
    )
    assert pdf.toc_files(toc) == ["a", "b", "c", "d"]


def test_a_written_pdf_is_readable_by_others(tmp_path):
    """mkstemp creates files 0600; a PDF the site links must be world-readable like the rest of _build/."""
    import stat

    target = tmp_path / "book.pdf"
    pdf.write_atomically(b"%PDF-1.7", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644

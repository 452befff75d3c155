"""python -m countybook pdf: the print edition of every built book (A4 PDF, one per language).

Reads the HTML that `jupyter-book build book/` made (_build/html/, _build/html/<lang>/); nothing
is executed again. The articles of every page of an edition's toc are put together, in toc order,
into one document in the site's own styles plus the print styles (print.css beside this module;
ids prefixed with their page's name, links between pages turned into links within the document),
which one Chromium (Playwright, Debian's /usr/bin/chromium or COUNTYBOOK_CHROMIUM) prints, both
editions at once: one layout instead of one per page, whose theme styles alone cost more than
the page. Where each page begins comes from the PDF's named destinations (pypdf), so the cover
and contents, printed next, give each page's number. The running header (book title, year) and
footer (page n of N) come from one more printed overlay laid over every page after the cover.

Links stay links: within the book they jump to their place (Chromium's own internal links); the
contents page's links are turned into jumps to each page's first sheet; other files of the site
(the CSV downloads) become addresses relative to the site's copy of the PDF (<html>/pdf/); web
links stay as they are.

Each PDF is written to _build/pdf/<book>-<year>-<lang>.pdf and copied to <edition html>/pdf/,
where the landing page links it; both through a temporary file and os.replace, so a failed run
never replaces a good PDF.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from .. import paths
from ..render.messages import DEFAULT_LANGUAGE, languages
from .print_html import (
    FRONT_PAGES,
    PRINT_FILE,
    Edition,
    Part,
    PdfError,
    combined_html,  # noqa: F401
    edition_date,
    first_line,
    first_pages,
    front_html,
    overlay_html,
    part_id,
    site_name,
)

PDF_DIR = "pdf"  # under _build/ and under each edition's html root (build.PRINT_EDITION_DIR)
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
INSTALL_HINT = (
    "install Debian's chromium and a CJK font (apt-get install chromium fonts-wqy-microhei) "
    "or set COUNTYBOOK_CHROMIUM to a Chromium executable"
)
PAGE_TIMEOUT_MS = 60_000


# --------------------------------------------------------------------------- command line


def add_pdf_arguments(parser) -> None:
    parser.add_argument(
        "--lang", default=None, choices=list(languages()), help="edition to print (default: every language)"
    )


def pdf_main(args) -> int:
    started = time.monotonic()
    try:
        written = make_pdfs(langs=[args.lang] if getattr(args, "lang", None) else None)
    except PdfError as err:
        print(f"pdf: {err}; no PDF was replaced", file=sys.stderr)
        return 1
    for path in written:
        print(f"pdf: wrote {os.path.relpath(path)}", file=sys.stderr)
    print(f"pdf: {len(written)} PDFs in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- what to print


def build_dir(root: Path | None = None) -> Path:
    return Path(root or paths.ROOT) / "_build"


def site_pdf_path(edition: Edition) -> Path:
    """The copy the edition's landing page links (../pdf/<name> from chapters/index.html)."""
    return edition.html_root / PDF_DIR / paths.pdf_name(edition.year, edition.lang)


def toc_files(toc_file: Path) -> list[str]:
    """The toc's files in reading order ('chapters/index', 'chapters/00_overview', …)."""
    toc = yaml.safe_load(Path(toc_file).read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def edition_year(chapters_dir: Path) -> int:
    """The year the committed edition was executed for (its cache manifest)."""
    manifest = Path(chapters_dir) / ".runner-cache.json"
    try:
        inputs = json.loads(manifest.read_text(encoding="utf-8"))["edition"]["inputs"]
        return int(json.loads(inputs["parameters"])["year"])
    except (OSError, ValueError, KeyError, TypeError):
        raise PdfError(
            f"{os.path.relpath(manifest)} does not say which year the edition is for: "
            "run python -m countybook run --year <year> --build"
        ) from None


def book_title(lang: str, root: Path | None = None) -> str:
    """The edition's title from its _config.yml (a language's own, else the shared one)."""
    root = Path(root or paths.ROOT)
    for config in (paths.edition_dir(root / "book", lang) / "_config.yml", root / "_config.yml"):
        if lang == DEFAULT_LANGUAGE and config.parent != root:
            continue
        if config.is_file():
            title = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("title")
            if title:
                return str(title)
    return "Guanyun"


def editions(langs: list[str] | None = None, root: Path | None = None, html_dir: Path | None = None) -> list[Edition]:
    """The editions to print: toc and year from the repository at root, pages from html_dir
    (default _build/html/, where `jupyter-book build book/` writes)."""
    root = Path(root or paths.ROOT)
    html_dir = Path(html_dir or build_dir(root) / "html")
    found = []
    for lang in langs or languages():
        book = paths.edition_dir(root / "book", lang)
        html_root = paths.edition_dir(html_dir, lang)
        toc = book / "_toc.yml" if lang != DEFAULT_LANGUAGE else root / "_toc.yml"
        edition = Edition(lang, edition_year(book / "chapters"), book_title(lang, root), html_root)
        for name in toc_files(toc):
            page = html_root / f"{name}.html"
            if not page.is_file():
                raise PdfError(
                    f"{os.path.relpath(page)} is not built: run `jupyter-book build book/` "
                    "(or python -m countybook run --year <year> --build) first"
                )
            edition.parts.append(Part(page.resolve().as_uri()))
        found.append(edition)
    return found


# --------------------------------------------------------------------------- printing


def find_chromium() -> str:
    candidates = [
        os.environ.get("COUNTYBOOK_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        *CHROMIUM_CANDIDATES,
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return candidate
    raise PdfError(f"no Chromium found: {INSTALL_HINT}")


def make_pdfs(
    langs: list[str] | None = None, root: Path | None = None, html_dir: Path | None = None, out_dir: Path | None = None
) -> list[Path]:
    """Print every edition; the paths of the PDFs written to out_dir (default _build/pdf/)."""
    chosen = editions(langs, root, html_dir)
    out_dir = Path(out_dir or build_dir(root) / PDF_DIR)
    chromium = find_chromium()
    try:
        from playwright.async_api import async_playwright  # noqa: F401 - only to fail early
    except ImportError:
        raise PdfError("playwright is not installed: pip install -r requirements.txt") from None
    import pypdf  # noqa: F401 - only to fail early

    asyncio.run(_print_all(chosen, chromium))
    written = []
    for edition in chosen:
        document = edition.document
        target = out_dir / paths.pdf_name(edition.year, edition.lang)
        write_atomically(document, target)
        write_atomically(document, site_pdf_path(edition))
        written.append(target)
    return written


async def _print_all(chosen: list[Edition], chromium: str) -> None:
    from playwright.async_api import async_playwright

    documents = [(edition, combined_html(edition)) for edition in chosen]  # bad pages fail before Chromium
    # pypdf's assembly is pure Python: in threads the two editions would queue on the GIL, so each
    # gets a process, started now (spawn: forking a process with Playwright's threads is unsafe) and
    # warmed up while Chromium prints.
    with ProcessPoolExecutor(max_workers=len(chosen), mp_context=multiprocessing.get_context("spawn")) as pool:
        warm = [pool.submit(_warm_up) for _ in chosen]
        async with async_playwright() as p:
            await _print_in(p, chromium, documents, pool)
        for future in warm:
            future.result()


def _warm_up() -> None:
    import pypdf  # noqa: F401 - the import is the work


async def _print_in(p, chromium: str, documents, pool) -> None:
    from playwright.async_api import Error as PlaywrightError

    try:
        browser = await p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
    except PlaywrightError as err:
        raise PdfError(f"Chromium at {chromium} does not start ({first_line(err)}): {INSTALL_HINT}") from None
    try:
        context = await browser.new_context()
        await context.route("**/*", _only_print_resources)
        await asyncio.gather(*(_print_edition(context, edition, document, pool) for edition, document in documents))
    finally:
        await browser.close()


async def _print_edition(context, edition: Edition, document: str, pool) -> None:
    await _print_body(context, edition, document)
    # The overlay only needs the number of sheets, and the cover and contents take two unless the
    # contents run over a page; it is printed again in that case.
    expected = FRONT_PAGES
    await asyncio.gather(_print_front(context, edition), _print_overlay(context, edition, expected))
    if _front(edition).pages != expected:
        await _print_overlay(context, edition, _front(edition).pages)
    edition.document = await asyncio.get_running_loop().run_in_executor(pool, assemble, edition)


async def _only_print_resources(route) -> None:
    """The pages are local files; nothing may wait on the network. The theme's scripts and icon
    fonts only serve the screen (menus, search, buttons)."""
    request = route.request
    if request.url.startswith(("file:", "data:")) and request.resource_type not in ("script", "font"):
        await route.continue_()
    else:
        await route.abort()


async def _print_body(context, edition: Edition, document: str) -> None:
    from pypdf import PdfReader

    folder = Path(unquote(urlsplit(edition.parts[0].url).path)).parent
    for stale in folder.glob(f"{PRINT_FILE}*.html"):  # left by a print that was killed
        with contextlib.suppress(OSError):
            stale.unlink()
    handle, name = tempfile.mkstemp(prefix=f"{PRINT_FILE}{edition.lang}-", suffix=".html", dir=folder)
    page = None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(document)
        page = await context.new_page()
        await page.goto(Path(name).as_uri(), wait_until="load", timeout=PAGE_TIMEOUT_MS)
        await page.evaluate(IMAGES_JS)
        body = await page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    except PdfError:
        raise
    except Exception as err:  # noqa: BLE001 - any failure of Chromium is reported as the edition's
        raise PdfError(f"{edition.lang}: the book's pages failed to render: {first_line(err)}") from None
    finally:
        if page is not None:
            await page.close()
        with contextlib.suppress(OSError):
            os.unlink(name)
    reader = PdfReader(io.BytesIO(body))
    named = reader.named_destinations
    starts = []
    for part in edition.parts:
        stem = Path(unquote(urlsplit(part.url).path)).stem
        destination = named.get(f"/{part_id(stem)}") or named.get(part_id(stem))
        if destination is None:
            raise PdfError(
                f"{edition.lang}: {site_name(edition, part.url)} failed to render: "
                "its first page is not in the printed book"
            )
        start = reader.get_destination_page_number(destination)
        if start is None:
            raise PdfError(
                f"{edition.lang}: {site_name(edition, part.url)} failed to render: "
                "its first page is not in the printed book"
            )
        starts.append(start)
    starts.append(len(reader.pages))
    for part, start, end in zip(edition.parts, starts, starts[1:]):
        part.pages = end - start
    if any(part.pages < 1 for part in edition.parts):
        raise PdfError(f"{edition.lang}: the pages were printed out of toc order")
    edition.body = body


# Every image loaded before printing (a lazy image below the fold would print empty).
IMAGES_JS = """() => Promise.all([...document.images].map(img => { img.loading = 'eager';
  return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; }); }))"""


async def _print_front(context, edition: Edition) -> None:
    """Cover and contents: the chapters' first pages follow from their page counts, and from the
    front matter's own length (printed again in the rare case a longer contents adds a page)."""
    from pypdf import PdfReader

    front_pages = FRONT_PAGES
    for _ in range(3):
        page = await context.new_page()
        try:
            await page.set_content(front_html(edition, front_pages, edition_date()))
            pdf = await page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            await page.close()
        counted = len(PdfReader(io.BytesIO(pdf)).pages)
        if counted == front_pages:
            break
        front_pages = counted
    edition.front = Part("", pdf, pages=front_pages)


async def _print_overlay(context, edition: Edition, front_pages: int) -> None:
    """The running header and footer of every page after the cover, as one printed document whose
    pages are laid over the book's (their text is real text in Chromium's embedded fonts)."""
    page = await context.new_page()
    try:
        await page.set_content(overlay_html(edition, front_pages))
        edition.overlay = await page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        await page.close()


# --------------------------------------------------------------------------- assembling


def _front(edition: Edition) -> Part:
    if edition.front is None:  # printed before the body is assembled; None means a step was skipped
        raise PdfError(f"{edition.lang}: the cover and contents were not printed")
    return edition.front


def assemble(edition: Edition) -> bytes:
    """Cover and contents, then the book, stamped with the running header and footer, its links made to work."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_front(edition).pdf)))
    writer.append(PdfReader(io.BytesIO(edition.body)))
    overlay = PdfReader(io.BytesIO(edition.overlay))
    if len(overlay.pages) != len(writer.pages):
        raise PdfError(
            f"{edition.lang}: the running header was printed on {len(overlay.pages)} pages for {len(writer.pages)}"
        )
    for number, page in enumerate(writer.pages):
        if number:
            page.merge_page(overlay.pages[number], over=True)
    starts = dict(
        zip((site_name(edition, part.url) for part in edition.parts), first_pages(edition, _front(edition).pages))
    )
    _relink(writer, edition, starts)
    writer.add_metadata({"/Title": f"{edition.title} {edition.year}", "/Producer": "countybook (Chromium, pypdf)"})
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _relink(writer, edition: Edition, starts: dict[str, int]) -> None:
    """Links to pages of the book jump to their first page; links to other files of the site
    become relative to <html>/pdf/; web links are left alone."""
    from pypdf.generic import ArrayObject, NameObject, NullObject, TextStringObject

    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if annotation.get("/Subtype") != "/Link" or action is None:
                continue
            action = action.get_object()
            uri = str(action.get("/URI", ""))
            if not uri.startswith("file:"):
                continue
            target = site_name(edition, uri)
            if target in starts:
                destination = writer.pages[starts[target] - 1].indirect_reference
                del annotation[NameObject("/A")]
                annotation[NameObject("/Dest")] = ArrayObject(
                    [destination, NameObject("/XYZ"), NullObject(), NullObject(), NullObject()]
                )
            else:
                relative = "../" + target + (("#" + urlsplit(uri).fragment) if urlsplit(uri).fragment else "")
                action[NameObject("/URI")] = TextStringObject(relative)


def write_atomically(data: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); a published PDF is read by the web server and others.
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise

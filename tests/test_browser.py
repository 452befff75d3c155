"""The committed editions in a real browser: every page of the toc, in every language, loads its
images, its local links (the language switch included) and downloads resolve, nothing logs a
console error, and in a narrow window no short cell of a Chinese chapter's tables breaks inside a word
(one visit per page checks all of it); the English search finds an indicator by its Chinese name, and the Chinese search
(jieba) finds sub-words such as 规上工业 and 粮食 in the right chapters.

The book is built from book/ into a temporary folder and served on 127.0.0.1; every request to
another host is aborted, so the test never touches the network. With COUNTYBOOK_SCREENSHOTS=1 in the
environment, full-page screenshots of the overview and one theme chapter in each edition are saved
under _build/screenshots/ for review (they assert nothing, and took a tenth of this module's time).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import edition_root, toc_pages

from countybook import paths
from countybook.render.messages import DEFAULT_LANGUAGE, languages

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = paths.ROOT / "_build" / "screenshots"
SCREENSHOT_PAGES = ["chapters/00_overview.html", "chapters/03_services_commerce.html"]
PAGES = [(lang, page) for lang in languages() for page in toc_pages()]
# Chinese sub-words a reader types, and the chapter each must find (jieba segments the index).
ZH_SEARCHES = {"规上工业": "chapters/01_industry_investment.html", "粮食": "chapters/02_agriculture.html"}
SEARCH_TERM = "规上工业总产值"  # name_zh of an indicator in data/indicators.yml
# None tolerated: book/_ext/unique_scripts.py removes the theme stack's duplicated inline scripts,
# and html_context.default_mode fixes its "invalid theme mode" message.
KNOWN_STACK_ERRORS: set[str] = set()
CHAPTER_PAGES = {f"chapters/{p.stem}.html" for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb")}
# The pages whose tables a Chinese reader reads in a narrow window (the themes, overview to culture).
TABLE_PAGES = {page for page in toc_pages() if page.startswith("chapters/0")}
NARROW = {"width": 600, "height": 900}
VIEWPORT = {"width": 1280, "height": 900}
# Resolves once the page's pending tasks (late scripts, timers due now) have run: the browser is idle.
SETTLED = "() => new Promise(done => requestIdleCallback(() => done(), {timeout: 2000}))"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(html_root):
    handler = functools.partial(_QuietHandler, directory=str(html_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser_context(base_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
        blocked: list[str] = []

        def only_local(route):
            host = urllib.parse.urlsplit(route.request.url).hostname
            if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        context.blocked = blocked
        yield context
        context.close()
        browser.close()


class Tab:
    """One browser tab every visit of a worker goes through, as a reader goes from page to page: a
    new tab per page cost Chromium twice the CPU (a renderer started for each). Each visit starts
    at the default viewport with an empty list of errors."""

    def __init__(self, context):
        self.page = context.new_page()
        self.errors: list[str] = []
        # Each handler appends to the list of the visit in progress (visit() replaces it); a
        # request's failure goes to the list of the visit that made it: leaving a page aborts its
        # requests still under way (a search's result snippets), and the next visit did not fail.
        self.made_during: dict = {}
        self.page.on(
            "console",
            lambda msg: self.errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None,
        )
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("request", lambda req: self.made_during.__setitem__(req, self.errors))
        self.page.on("requestfinished", lambda req: self.made_during.pop(req, None))
        self.page.on(
            "requestfailed",
            lambda req: self.made_during.pop(req, self.errors).append(f"request failed: {req.url} ({req.failure})"),
        )

    def visit(self, url: str):
        """The tab at url, loaded, and the list its errors go to from now on."""
        self.errors = []
        self.page.set_viewport_size(VIEWPORT)
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        return self.page, self.errors


@pytest.fixture(scope="module")
def tab(browser_context) -> Tab:
    return Tab(browser_context)


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@functools.cache
def _fetch(url: str) -> tuple[int, str]:
    """Status and (for html) body of a local URL, never through a proxy."""
    try:
        with _NO_PROXY.open(url, timeout=10) as response:
            body = response.read()
            is_html = response.headers.get_content_type() == "text/html"
            return response.status, body.decode("utf-8", "replace") if is_html else ""
    except urllib.error.HTTPError as err:
        return err.code, ""


def _unexpected(errors: list[str]) -> list[str]:
    return [error for error in errors if error not in KNOWN_STACK_ERRORS]


def test_toc_lists_the_chapters():
    pages = toc_pages()
    assert pages[0] == "chapters/index.html"
    assert set(pages) >= CHAPTER_PAGES, f"chapters missing from _toc.yml: {CHAPTER_PAGES - set(pages)}"


def _print_edition(link: str) -> bool:
    from countybook.run.pdf import PDF_DIR

    return f"/{PDF_DIR}/" in urllib.parse.urlsplit(link).path and link.endswith(".pdf")


def _edition_url(base_url: str, lang: str) -> str:
    return (
        base_url
        + edition_root(Path("."), lang).as_posix().strip(".").strip("/")
        + ("/" if lang != DEFAULT_LANGUAGE else "")
    )


@pytest.mark.parametrize("lang, page_path", PAGES)
def test_page_loads_images_links_and_no_console_errors(browser_context, tab, base_url, lang, page_path):
    """One visit per page: its images, local links and anchors, no browser error, and in a Chinese
    chapter no short table cell broken inside a word at a narrow width."""
    url = _edition_url(base_url, lang) + page_path
    page, errors = tab.visit(url)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # wake lazily loaded images
    page.wait_for_function("Array.from(document.images).every(img => img.complete)", timeout=15000)
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => ({src: e.currentSrc || e.src, width: e.naturalWidth}))"
    )
    broken_images = [img["src"] for img in images if img["width"] <= 0]
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    if page_path in SCREENSHOT_PAGES and os.environ.get("COUNTYBOOK_SCREENSHOTS") == "1":
        _screenshot(page, lang, page_path)
    wrapped = _wrapped_short_cells(page) if lang == "zh" and page_path in TABLE_PAGES else []
    # The print edition (<edition>/pdf/) is made after the build by `python -m countybook pdf`;
    # tests/test_pdf.py checks that the landing page's link to it resolves once it is made.
    local = sorted({link for link in links if link.startswith(base_url) and not _print_edition(link)})
    broken_links, missing_anchors = _unresolved(local)
    # Let late scripts report: the page stays open until the browser has nothing left to do.
    page.evaluate(SETTLED)

    downloads = [link for link in local if "/_downloads/" in link]
    if page_path in {"chapters/01_industry_investment.html", "chapters/03_services_commerce.html"}:
        assert any(link.endswith(".csv") for link in downloads), f"{page_path}: no CSV download link"

    assert not broken_images, f"{page_path}: images that did not load: {broken_images}"
    assert not broken_links, f"{page_path}: local links that do not resolve: {broken_links}"
    assert not missing_anchors, f"{page_path}: links to anchors missing on their page: {missing_anchors}"
    assert not wrapped, f"zh/{page_path}: short cells broken over lines at {NARROW['width']} px: {wrapped[:8]}"
    assert not _unexpected(errors), f"{page_path}: browser errors:\n" + "\n".join(_unexpected(errors))
    assert not browser_context.blocked, f"requests to other hosts (blocked): {browser_context.blocked}"


def _screenshot(page, lang: str, page_path: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # A viewport as tall as the page, so the sticky sidebars sit where a reader sees them.
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(height, 16000)})
    page.wait_for_timeout(200)
    name = Path(page_path).with_suffix(".png").name
    page.screenshot(path=str(SCREENSHOTS / (name if lang == DEFAULT_LANGUAGE else f"{lang}_{name}")), full_page=True)


def _unresolved(links: list[str]) -> tuple[list[str], list[str]]:
    """Local links that do not answer 200, and links to an anchor their page does not have."""
    broken_links, missing_anchors = [], []
    for link in links:
        target, _, fragment = link.partition("#")
        status, body = _fetch(target)
        if status != 200:
            broken_links.append(f"{link} -> {status}")
        elif fragment and body and f'id="{urllib.parse.unquote(fragment)}"' not in body:
            missing_anchors.append(link)
    return broken_links, missing_anchors


def _search(tab: Tab, url: str, term: str) -> tuple[str, set[str], list[str]]:
    """Summary, result pages (relative to the edition's root) and browser errors of one search."""
    page, errors = tab.visit(f"{url}search.html?q={urllib.parse.quote(term)}")
    # Sphinx fills p.search-summary once the search has finished, with or without results.
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.textContent.trim().length > 0; }",
        timeout=20000,
    )
    summary = page.inner_text("#search-results .search-summary")
    results = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    prefix = urllib.parse.urlsplit(url).path
    return summary, {urllib.parse.urlsplit(r).path[len(prefix) :] for r in results}, errors


def test_search_finds_an_indicator_by_its_chinese_name(tab, base_url):
    summary, found, errors = _search(tab, base_url, SEARCH_TERM)
    assert found & CHAPTER_PAGES, (
        f"search for {SEARCH_TERM} found no chapter page: summary {summary!r}, results {sorted(found)}"
    )
    assert not _unexpected(errors), "search page browser errors:\n" + "\n".join(_unexpected(errors))


@pytest.mark.parametrize("term, chapter", sorted(ZH_SEARCHES.items()))
def test_the_chinese_search_finds_sub_words_in_the_right_chapter(tab, base_url, term, chapter):
    summary, found, errors = _search(tab, _edition_url(base_url, "zh"), term)
    assert chapter in found, f"search for {term} in the zh edition: summary {summary!r}, results {sorted(found)}"
    assert not _unexpected(errors), "search page browser errors:\n" + "\n".join(_unexpected(errors))


# Short cells a Chinese reader reads as one word: a year, a value with its unit, a column title.
WRAPPED_SHORT_CELLS = """() => [...document.querySelectorAll('main table.countybook th, main table.countybook td')]
  .filter(cell => !cell.querySelector('details') && cell.innerText.trim().length <= 8)
  .filter(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    return lines.size > 1;
  })
  .map(cell => cell.innerText.trim())"""


def _wrapped_short_cells(page) -> list[str]:
    """「2024 / 年」 in a narrow column: headers stay on one line, cells break only between words."""
    page.set_viewport_size(NARROW)
    # A line may end at a space or after punctuation (卫生、/教育与文化): between words.
    return [cell for cell in page.evaluate(WRAPPED_SHORT_CELLS) if not re.search(r"[\s、，；：）]", cell)]

"""The built books as a reader gets them: English prose without Chinese units, Chinese pages without
English prose, no placeholder sections, every chart image described by alt text written from its
data, and a language switch on every page that leads to the same page in the other edition."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import edition_root, toc_pages

from countybook.render.messages import DEFAULT_LANGUAGE, languages

UNIT_AFTER_NUMBER = re.compile(r"\d[\d,.]*\s*(亿|万|元|吨|亩|头|件|户|个|家|人|宗|项|条|所|场|公里|小时)")
PLACEHOLDER = re.compile(r"\bNo [^.]{0,80} for this theme|nothing to show", re.I)
ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Names a Chinese page may show in Latin letters: abbreviations, a partner's name, units of
# published names (12GWh), file and code names, the theme's own name for its search box.
LATIN_NAMES = {
    "GDP",
    "CSV",
    "PDF",
    "bp",
    "GWh",
    "DWT",
    "LNG",
    "SRDI",
    "CPI",
    "PM",
    "km",
    "kg",
    "kW",
    "kWh",
    "MW",
    "mu",
    "ha",
    "yml",
    "csv",
    "data",
    "ipynb",
    "pdf",
    "md",
    "UTF",
    "BOM",
    "Ctrl",
    "Guanyun",
    "Jupyter",
    "Book",
    "Sphinx",
    "GMV",
    "UK",
    "pandas",
    "seaborn",
    "matplotlib",
}
IDENTIFIER = re.compile(r"\b[a-z0-9]+(_[a-z0-9]+)+\b")  # a record's id, as the methods page names sources
DOMAIN = re.compile(r"https?://\S+|\b[\w-]+(\.[\w-]+)*\.(com|cn|net|org|io|top|au|gov|hk)\b", re.A)  # a site
PAGES = [(lang, page) for lang in languages() for page in toc_pages()]
OTHER = [(lang, page) for lang, page in PAGES if lang != DEFAULT_LANGUAGE]
ENGLISH = [page for lang, page in PAGES if lang == DEFAULT_LANGUAGE]


def _soup(root, page: str) -> BeautifulSoup:
    """The page parsed once per worker and shared by every test that only reads it (parsing with
    html.parser was most of these tests' time): a test that cuts parts out takes _own_soup."""
    return _parsed(Path(root) / page)


def _main(root, page: str) -> BeautifulSoup:
    soup = _soup(root, page)
    return soup.find("main") or soup


@functools.cache
def _parsed(path: Path) -> BeautifulSoup:
    return _own_soup(path.parent, path.name)


def _own_soup(root, page: str) -> BeautifulSoup:
    """The page parsed for one test alone, to cut parts out of."""
    return BeautifulSoup((Path(root) / page).read_text(encoding="utf-8"), "html.parser")


def _own_main(root, page: str) -> BeautifulSoup:
    soup = _own_soup(root, page)
    return soup.find("main") or soup


def _english_prose(main: BeautifulSoup) -> str:
    """The page's text without what is Chinese on purpose: quotes, published forms, names marked lang=zh."""
    # Data frames a reader's code displays (the worked example) hold the data as stored, units included.
    for element in main.select('[lang="zh"], q, code, script, style, details, table.dataframe'):
        element.decompose()
    return main.get_text(" ")


@pytest.mark.parametrize("page", ENGLISH)
def test_no_chinese_unit_follows_a_number_in_english_prose(html_root, page):
    prose = _english_prose(_own_main(html_root, page))
    found = UNIT_AFTER_NUMBER.findall(prose)
    assert not found, f"{page}: {[m.group(0) for m in UNIT_AFTER_NUMBER.finditer(prose)][:5]}"


@pytest.mark.parametrize("lang, page", PAGES)
def test_no_placeholder_for_an_empty_section(html_root, lang, page):
    text = _main(edition_root(html_root, lang), page).get_text(" ")
    assert not PLACEHOLDER.search(text), PLACEHOLDER.search(text).group(0)


@pytest.mark.parametrize("lang, page", PAGES)
def test_every_image_has_alt_text_from_its_data(html_root, lang, page):
    for image in _main(edition_root(html_root, lang), page).find_all("img"):
        alt = image.get("alt", "")
        assert alt, f"{page}: an image without alt text ({image.get('src')})"
        assert not alt.endswith((".png", ".svg", ".jpg")) and alt != image.get("src"), f"{page}: alt is a file name"
        assert re.search(r"\d", alt) and len(alt) > 20, f"{page}: alt does not describe the data"
        if lang == DEFAULT_LANGUAGE:
            assert alt.startswith(("Bar chart", "Line chart of")), f"{page}: alt does not say what the chart is"
        else:
            assert not ASCII_WORD.search(alt.replace("GDP", "")), f"{lang}/{page}: alt text in English: {alt[:80]}"


@pytest.mark.parametrize("lang", languages())
def test_each_edition_draws_the_same_charts(html_root, lang):
    counts = [len(_main(edition_root(html_root, lang), page).find_all("img")) for page in toc_pages()]
    english = [len(_main(html_root, page).find_all("img")) for page in toc_pages()]
    # Few charts survive the like-for-like rules (one entity, one concept, three bars): at least one.
    assert sum(counts) >= 1 and counts == english


@pytest.mark.parametrize("lang, page", OTHER)
def test_no_english_prose_in_another_edition(html_root, lang, page):
    """Every word a reader of the Chinese edition meets is Chinese, bar a short list of names."""
    main = _own_main(edition_root(html_root, lang), page)
    # Code and the data frames it displays keep the data's own field names and codes.
    for element in main.select("code, script, style, pre, .language-switch, table.dataframe"):
        element.decompose()
    # Original-language material (titles and quotes of English sources) is marked as such.
    for element in main.select("[lang]"):
        if not element["lang"].startswith(lang):
            element.decompose()
    names_removed = IDENTIFIER.sub(" ", DOMAIN.sub(" ", main.get_text(" ")))
    words = {word for word in ASCII_WORD.findall(names_removed) if word not in LATIN_NAMES}
    assert not words, f"{lang}/{page}: English words {sorted(words)[:15]}"


@pytest.mark.parametrize("lang, page", PAGES)
def test_the_page_declares_its_language(html_root, lang, page):
    declared = _soup(edition_root(html_root, lang), page).find("html").get("lang", "")
    assert declared.split("-")[0].split("_")[0] == lang


@pytest.mark.parametrize("lang, page", PAGES)
def test_the_language_switch_leads_to_the_same_page_in_every_other_edition(html_root, lang, page):
    root = edition_root(html_root, lang)
    switch = _soup(root, page).select("nav.language-switch a[href]")
    targets = {link["hreflang"]: (root / page).parent / link["href"] for link in switch}
    assert sorted(targets) == sorted(set(languages()) - {lang}), f"{lang}/{page}: switch links {sorted(targets)}"
    for other, target in targets.items():
        expected = edition_root(html_root, other) / page
        assert target.resolve() == expected.resolve(), f"{lang}/{page} -> {other}: {target}"
        assert expected.is_file()


# --- the book agrees with itself (issue 17) --------------------------------------------------------
OVERVIEW = "chapters/00_overview.html"
METHODS = "chapters/07_methods.html"
DICTIONARY = "chapters/08_dictionary.html"
LANDING = "chapters/index.html"


def _heading(main: BeautifulSoup) -> str:
    return main.find("h1").get_text(" ").replace("#", "").replace("¶", "").strip()


def _first_text(cell) -> str:
    return next(cell.stripped_strings)


def _figure_rows(main: BeautifulSoup) -> list[list[str]]:
    table = main.select_one("table.figures")
    return (
        [[td.get_text(" ").strip() for td in row.find_all("td")] for row in table.select("tbody tr")] if table else []
    )


def _chapters(root) -> dict[str, BeautifulSoup]:
    """Theme chapters by their title (h1)."""
    found = {}
    for page in toc_pages():
        main = _main(root, page)
        if main.select_one("table.figures") is not None:
            found[_heading(main)] = main
    return found


@pytest.mark.parametrize("lang", languages())
def test_the_overview_counts_what_each_chapter_shows(html_root, lang):
    """Urban development said 0 figures on the overview and showed nine (review N3)."""
    root = edition_root(html_root, lang)
    chapters = _chapters(root)
    rows = _main(root, OVERVIEW).select("table.themes tbody tr")
    assert rows
    for row in rows:
        cells = row.find_all("td")
        title, stated = _first_text(cells[0]), cells[1].get_text(" ").strip()
        assert title in chapters, f"{title}: no chapter with this title"
        shown = _figure_rows(chapters[title])
        assert int(re.match(r"\d+", stated).group(0)) == len(shown), f"{lang} {title}: {stated} vs {len(shown)} shown"
        years = {re.search(r"\d{4}", r[1]).group(0) for r in shown}
        if len(years) > 1 or (years and not stated.isdigit()):
            assert all(year in stated for year in years), f"{lang} {title}: {stated} does not say {years}"


def _benchmark_counts(text: str, lang: str) -> tuple[int, int]:
    pattern = (
        r"benchmarks for \d{4} come from (\w+) sources? \(of the (\d+) benchmark sources"
        if lang == "en"
        else r"对照数据来自(\d+)份资料（来源列表共标出对照数据来源(\d+)份）"
    )
    found = re.search(pattern, " ".join(text.split()))
    assert found, f"{lang}: the benchmark sources are not counted"
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    first = found.group(1)
    return (words.index(first) if first in words else int(first)), int(found.group(2))


@pytest.mark.parametrize("lang", languages())
@pytest.mark.parametrize("page", [OVERVIEW, METHODS])
def test_the_stated_number_of_benchmark_sources_is_the_number_the_list_marks(html_root, lang, page):
    """'The benchmarks come from 10 sources' beside a list marking 17 (review 18)."""
    root = edition_root(html_root, lang)
    of_year, total = _benchmark_counts(_main(root, page).get_text(" "), lang)
    marked = _main(root, METHODS).select("div.source-entry.used.benchmark")
    assert total == len(marked) and 0 < of_year <= total


@pytest.mark.parametrize("lang", languages())
def test_every_year_said_to_hold_figures_appears_on_a_chapter(html_root, lang):
    """The landing page named 2021, which no chapter showed (review N2); the sentence now sits on the
    methods page, under how the book is built."""
    root = edition_root(html_root, lang)
    text = " ".join(_main(root, METHODS).get_text(" ").split())
    marker = "Years whose figures the chapters show:" if lang == "en" else "各章所载数据的年份："
    assert marker in text
    said = set(re.findall(r"\d{4}", text.split(marker, 1)[1].split("." if lang == "en" else "。", 1)[0]))
    assert said
    shown = {re.search(r"\d{4}", row[1]).group(0) for main in _chapters(root).values() for row in _figure_rows(main)}
    assert said <= shown, f"{lang}: said {sorted(said)}, shown {sorted(shown)}"


NEVER_TOGETHER = {
    "en": [
        ("e-commerce transaction value", "online retail sales"),
        ("gross industrial output", "industrial value added"),
    ],
    "zh": [("电商交易额", "网络零售额"), ("规上工业总产值", "规上工业增加值")],
}


@pytest.mark.parametrize("lang", languages())
def test_no_chart_or_ratio_pairs_concepts_the_glossary_keeps_apart(html_root, lang):
    """E-commerce value with online retail sales; gross-output growth with value-added growth."""
    root = edition_root(html_root, lang)
    for page in toc_pages():
        main = _main(root, page)
        texts = [image.get("alt", "") for image in main.find_all("img")]
        texts += [row.get_text(" ") for row in main.select("table.ratios tbody tr")]
        for text in texts:
            for a, b in NEVER_TOGETHER[lang]:
                assert not (a in text.lower() and b in text.lower()), f"{lang}/{page}: {text[:120]}"


JARGON = [
    "counts of events in the year",
    "annual flows",
    "year-end stock",
    "levels at year end",
    "年内事件数",
    "全年流量",
    "年末存量",
    "具名项目",
]


@pytest.mark.parametrize("lang", languages())
def test_no_chart_speaks_registry_jargon(html_root, lang):
    """A chart's alt text holds its title: neither may name the registry's measures."""
    root = edition_root(html_root, lang)
    for page in toc_pages():
        for image in _main(root, page).find_all("img"):
            alt = image.get("alt", "")
            assert not [j for j in JARGON if j in alt.lower()], f"{lang}/{page}: {alt[:120]}"


@pytest.mark.parametrize("lang", languages())
def test_the_dictionary_prices_levels_at_current_prices(html_root, lang):
    """Only growth rates are at comparable prices; a GDP level never is."""
    main = _main(edition_root(html_root, lang), DICTIONARY)
    headers = [th.get_text(" ").strip() for th in main.select("table.dictionary thead th")]
    column = headers.index("Price basis" if lang == "en" else "价格口径")
    cells = [row.find_all("td")[column].get_text(" ").strip() for row in main.select("table.dictionary tbody tr")]
    comparable = [c for c in cells if ("comparable" in c if lang == "en" else "可比价" in c)]
    assert comparable, "the registry holds growth at comparable prices (GDP)"
    expected = "levels: current prices; growth: comparable prices" if lang == "en" else "总量按现价，增速按可比价"
    assert all(c == expected for c in comparable), sorted(set(comparable))


@pytest.mark.parametrize("lang, page", PAGES)
def test_no_markdown_emphasis_is_left_unrendered(html_root, lang, page):
    """CommonMark closes ** only when it is not sandwiched between punctuation and a letter: in
    Chinese, **…。**全县 stays literal. Written analysis must put the full stop after the emphasis."""
    main = _own_main(edition_root(html_root, lang), page)
    for element in main.select("code, pre, script, style"):
        element.decompose()
    assert "**" not in main.get_text(" "), f"{lang}/{page}: unrendered ** in the page"


@pytest.mark.parametrize("lang, page", PAGES)
def test_no_markdown_escape_shows_in_a_page(html_root, lang, page):
    """text.escape is for markdown; a string escaped so and put in an HTML table shows its backslashes."""
    main = _own_main(edition_root(html_root, lang), page)
    for element in main.select("code, pre, script, style"):
        element.decompose()
    leaked = re.findall(r"\\[()+*_\[\]#`]", main.get_text(" "))
    assert not leaked, f"{lang}/{page}: markdown escapes shown: {leaked[:5]}"


# Copies the book read benchmarks at (reposts, mirrors, relays): never named as the original.
MIRRORS = (
    "7263355.com",
    "gsdjw.com",
    "auto-ty.com",
    "futunn.com",
    "wxredian.com",
    "llqcyx.com",
    "bx2200.com",
    "people.cn",
    "bastillepost.com",
    "jschina.com.cn",
    "cri.cn",
)


def _without_translation(main: BeautifulSoup) -> list[str]:
    """Chinese source titles and quotes with no English rendering (class "translation") right after them."""
    missing = []
    for element in main.select('q[lang="zh"], span.source-title[lang="zh"]'):
        rendering = element.find_next_sibling()
        if (
            rendering is None
            or "translation" not in (rendering.get("class") or [])
            or not rendering.get_text(strip=True)
        ):
            missing.append(element.get_text()[:30])
    return missing


@pytest.mark.parametrize("page", ENGLISH)
def test_every_chinese_title_and_quote_on_an_english_page_has_the_books_translation_beside_it(html_root, page):
    """Issue 18, item 6: source tables, figure and benchmark tables, the methods page and the glossary."""
    missing = _without_translation(_main(html_root, page))
    assert not missing, f"{page}: {len(missing)} without an English rendering, e.g. {missing[:3]}"


def test_the_english_methods_page_shows_chinese_titles_and_quotes_with_their_translations(html_root):
    main = _main(html_root, METHODS)
    assert len(main.select('span.source-title[lang="zh"]')) >= 20 and len(main.select('q[lang="zh"]')) >= 10
    assert len(main.select("span.translation")) >= 30
    stripped = BeautifulSoup(str(main), "html.parser")
    for rendering in stripped.select("span.translation"):
        rendering.decompose()
    assert _without_translation(stripped)  # the check finds a title or quote left bare


@pytest.mark.parametrize("lang", languages())
def test_the_methods_page_names_each_benchmarks_original_and_mirrors_only_as_read_at(html_root, lang):
    main = _main(edition_root(html_root, lang), METHODS)
    rows = main.select("table.benchmark-sources tbody tr")
    assert rows
    for row in rows:
        original, read_at = row.select("td")[3], row.select("td")[5]
        assert original.select("span.source-title"), row.get_text(" ")[:60]
        named = original.get_text(" ")
        assert not any(mirror in named for mirror in MIRRORS), named[:120]
        assert read_at.get_text(strip=True)


# --- headings that are headings; nothing of the other language where a reader reads (issue 18) -----
THEME_CHAPTERS = [page for page in toc_pages() if re.search(r"chapters/0[1-6]", page)]


def _search_titles(root) -> set[str]:
    import json

    script = (root / "searchindex.js").read_text(encoding="utf-8")
    return set(json.loads(script[script.index("(") + 1 : script.rindex(")")])["alltitles"])


def _section_headings(main: BeautifulSoup) -> list[str]:
    """The page's own headings below its title (not the theme's print-only contents)."""
    article = main.select_one("article") or main
    return [
        h.get_text(" ").replace("#", "").strip()
        for h in article.select("h2, h3, h4, h5, h6")
        if "rubric" not in (h.get("class") or [])
    ]


@pytest.mark.parametrize("lang", languages())
def test_every_section_heading_is_in_the_page_contents_and_the_search_titles(html_root, lang):
    """A heading printed by a cell is a rubric: not in the right-hand contents, not a search title."""
    from countybook.render.messages import say

    root = edition_root(html_root, lang)
    titles = _search_titles(root)
    found = 0
    for page in toc_pages():
        soup = _soup(root, page)
        main = soup.find("main")
        assert not main.select(".rubric"), (
            f"{lang}/{page}: headings printed by cells: {[r.get_text(' ').strip() for r in main.select('.rubric')][:5]}"
        )
        contents = {a.get_text(" ").strip() for a in soup.select("#pst-page-toc-nav a")}
        for heading in _section_headings(main):
            assert heading in contents, f"{lang}/{page}: {heading!r} is not in the page's contents"
            assert heading in titles, f"{lang}/{page}: {heading!r} is not a search title"
            found += 1
        if page in THEME_CHAPTERS:  # every chapter has findings: the test cannot pass on pages without headings
            assert say("heading.findings", lang) in _section_headings(main), f"{lang}/{page}"
    assert found >= 5 * len(THEME_CHAPTERS)


# Latin words the theme may show a Chinese reader: the search shortcut, the print format.
UI_NAMES = {"Ctrl", "PDF", "K"}


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != DEFAULT_LANGUAGE])
def test_no_english_words_in_the_theme_of_another_edition(html_root, lang):
    """Search box, buttons, tooltips and heading links in the edition's language."""
    from bs4 import Comment

    root = edition_root(html_root, lang)
    for page in [*toc_pages(), "search.html", "genindex.html"]:
        soup = _own_soup(root, page)
        for element in soup.select("script, style, pre, main, .language-switch, [lang='en']"):
            element.decompose()
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        said = [
            value
            for element in soup.find_all(True)
            for name in ("title", "aria-label", "placeholder", "data-bs-title", "alt")
            if (value := element.get(name))
        ]
        said += [element.get_text(" ") for element in soup.select("[title], a.headerlink")]
        said.append(soup.get_text(" "))
        # The headings' "link to this heading" tooltips are inside main: read them too.
        said += [a.get("title", "") for a in _soup(root, page).select("main a.headerlink")]
        words = {w for text in said for w in ASCII_WORD.findall(DOMAIN.sub(" ", text)) if w not in UI_NAMES}
        words.discard("html")  # <!DOCTYPE html>
        assert not words, f"{lang}/{page}: English words in the theme: {sorted(words)[:15]}"


# The worked example shows its code and the data's own names on purpose.
WORKED_EXAMPLE = "chapters/11_work_with_data.html"
FILE_PATH = re.compile(r"\b[\w./<>-]+\.(?:yml|yaml|py|ipynb)\b|\bdata/")


@pytest.mark.parametrize("lang, page", [(lang, page) for lang, page in OTHER if page != WORKED_EXAMPLE])
def test_no_record_id_or_file_path_in_the_body_of_another_edition(html_root, lang, page):
    """The indicator dictionary, the sources and the qualifiers show names; ids stay in the downloads."""
    main = _own_main(edition_root(html_root, lang), page)
    for element in main.select("script, style, pre, .cell_input, table.dataframe"):
        element.decompose()
    text = DOMAIN.sub(" ", main.get_text(" "))
    assert not IDENTIFIER.findall(text) and not IDENTIFIER.search(text), (
        f"{lang}/{page}: ids {sorted({m.group(0) for m in IDENTIFIER.finditer(text)})[:10]}"
    )
    assert not FILE_PATH.search(text), f"{lang}/{page}: file paths {FILE_PATH.findall(text)[:5]}"


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != DEFAULT_LANGUAGE])
def test_glossary_links_hold_whole_words(html_root, lang):
    """「按[可比价]格计算」「非[全年]数据」 cut a word; a link starts and ends where words do."""
    from countybook.render import glossary

    root = edition_root(html_root, lang)
    links = 0
    for page in toc_pages():
        for link in _main(root, page).select("a.glossary-term"):
            before = "".join(
                s.get_text() if hasattr(s, "get_text") else str(s) for s in reversed(list(link.previous_siblings))
            )
            after = "".join(s.get_text() if hasattr(s, "get_text") else str(s) for s in link.next_siblings)
            term = link.get_text()
            bounds = glossary._word_bounds(before + term + after)
            assert len(before) in bounds and len(before + term) in bounds and not before.endswith("非"), (
                f"{lang}/{page}: …{before[-6:]}[{term}]{after[:6]}…"
            )
            links += 1
    assert links > 10

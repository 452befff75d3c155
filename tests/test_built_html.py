"""The built books as a reader gets them: English prose without Chinese units, Chinese pages without
English prose, no placeholder sections, every chart image described by alt text written from its
data, and a language switch on every page that leads to the same page in the other edition."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import edition_root, toc_pages

from countybook.render.messages import DEFAULT_LANGUAGE, languages

UNIT_AFTER_NUMBER = re.compile(r"\d[\d,.]*\s*(亿|万|元|吨|亩|头|件|户|个|家|人|宗|项|条|所|场|公里|小时)")
PLACEHOLDER = re.compile(r"\bNo [^.]{0,80} for this theme|nothing to show", re.I)
ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Names a Chinese page may show in Latin letters: abbreviations, a partner's name, units of
# published names (12GWh), file and code names, the theme's own name for its search box.
LATIN_NAMES = {"GDP", "CSV", "PDF", "bp", "GWh", "DWT", "LNG", "SRDI", "CPI", "PM", "km", "kg", "kW", "kWh", "MW", "mu",
               "ha", "yml", "csv", "data", "ipynb", "pdf", "md", "UTF", "BOM", "Ctrl", "Guanyun", "Jupyter", "Book", "Sphinx",
               "GMV", "UK"}
IDENTIFIER = re.compile(r"\b[a-z0-9]+(_[a-z0-9]+)+\b")  # a record's id, as the methods page names sources
DOMAIN = re.compile(r"https?://\S+|\b[\w-]+(\.[\w-]+)*\.(com|cn|net|org|io|top|au|gov|hk)\b", re.A)  # a site
PAGES = [(lang, page) for lang in languages() for page in toc_pages()]
OTHER = [(lang, page) for lang, page in PAGES if lang != DEFAULT_LANGUAGE]
ENGLISH = [page for lang, page in PAGES if lang == DEFAULT_LANGUAGE]


def _soup(root, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / page).read_text(encoding="utf-8"), "html.parser")


def _main(root, page: str) -> BeautifulSoup:
    soup = _soup(root, page)
    return soup.find("main") or soup


def _english_prose(main: BeautifulSoup) -> str:
    """The page's text without what is Chinese on purpose: quotes, published forms, names marked lang=zh."""
    for element in main.select('[lang="zh"], q, code, script, style, details'):
        element.decompose()
    return main.get_text(" ")


@pytest.mark.parametrize("page", ENGLISH)
def test_no_chinese_unit_follows_a_number_in_english_prose(html_root, page):
    prose = _english_prose(_main(html_root, page))
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
            assert alt.startswith("Bar chart of"), f"{page}: alt does not say what the chart is"
        else:
            assert not ASCII_WORD.search(alt.replace("GDP", "")), f"{lang}/{page}: alt text in English: {alt[:80]}"


@pytest.mark.parametrize("lang", languages())
def test_each_edition_draws_the_same_charts(html_root, lang):
    counts = [len(_main(edition_root(html_root, lang), page).find_all("img")) for page in toc_pages()]
    english = [len(_main(html_root, page).find_all("img")) for page in toc_pages()]
    assert sum(counts) >= 5 and counts == english


@pytest.mark.parametrize("lang, page", OTHER)
def test_no_english_prose_in_another_edition(html_root, lang, page):
    """Every word a reader of the Chinese edition meets is Chinese, bar a short list of names."""
    main = _main(edition_root(html_root, lang), page)
    for element in main.select("code, script, style, pre, .language-switch"):
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

"""The built book as a reader gets it: English prose without Chinese units, no placeholder sections,
and every chart image described by alt text written from its data."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import toc_pages

UNIT_AFTER_NUMBER = re.compile(r"\d[\d,.]*\s*(亿|万|元|吨|亩|头|件|户|个|家|人|宗|项|条|所|场|公里|小时)")
PLACEHOLDER = re.compile(r"\bNo [^.]{0,80} for this theme|nothing to show", re.I)


def _main(html_root, page: str) -> BeautifulSoup:
    soup = BeautifulSoup((html_root / page).read_text(encoding="utf-8"), "html.parser")
    return soup.find("main") or soup


def _english_prose(main: BeautifulSoup) -> str:
    """The page's text without what is Chinese on purpose: quotes, published forms, names marked lang=zh."""
    for element in main.select('[lang="zh"], q, code, script, style, details'):
        element.decompose()
    return main.get_text(" ")


@pytest.mark.parametrize("page", toc_pages())
def test_no_chinese_unit_follows_a_number_in_english_prose(html_root, page):
    prose = _english_prose(_main(html_root, page))
    found = UNIT_AFTER_NUMBER.findall(prose)
    assert not found, f"{page}: {[m.group(0) for m in UNIT_AFTER_NUMBER.finditer(prose)][:5]}"


@pytest.mark.parametrize("page", toc_pages())
def test_no_placeholder_for_an_empty_section(html_root, page):
    text = _main(html_root, page).get_text(" ")
    assert not PLACEHOLDER.search(text), PLACEHOLDER.search(text).group(0)


@pytest.mark.parametrize("page", toc_pages())
def test_every_image_has_alt_text_from_its_data(html_root, page):
    for image in _main(html_root, page).find_all("img"):
        alt = image.get("alt", "")
        assert alt, f"{page}: an image without alt text ({image.get('src')})"
        assert not alt.endswith((".png", ".svg", ".jpg")) and alt != image.get("src"), f"{page}: alt is a file name"
        assert alt.startswith("Bar chart of") and re.search(r"\d", alt), f"{page}: alt does not describe the data"


def test_the_book_draws_charts(html_root):
    images = sum(len(_main(html_root, page).find_all("img")) for page in toc_pages())
    assert images >= 5

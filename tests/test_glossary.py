"""countybook.render.glossary: first uses link to their entry, and the links resolve in the built book.

The last tests read the committed book as conftest's html_root builds it (strict: -W -n) and check, in
the HTML, that the first use of every glossary term in each chapter's text sits in a link whose page
and anchor exist. The committed chapters equal a fresh execution of the templates (test_notebooks'
strict nbval), so these pages are what the templates make.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from countybook import paths
from countybook.data import load
from countybook.render import glossary
from countybook.render.edition import Edition

GLOSSARY = pd.DataFrame(
    [
        {"id": "above_designated_size", "term_en": "above designated size", "match": ["规上", "above designated size"]},
        {"id": "above_scale_services", "term_en": "services above designated size", "match": ["规上服务业"]},
        {"id": "mu_and_hectare", "term_en": "mu", "match": ["亩", "mu"]},
    ]
)


def links(markdown: str) -> list[tuple[str, str]]:
    """(anchor, linked text) of every glossary link, in order."""
    return re.findall(r'href="[^"#]*#([^"]+)"[^>]*>([^<]+)</a>', markdown)


def test_only_the_first_use_is_linked_and_the_seen_set_spans_paragraphs():
    seen = set()
    first = glossary.link_first_uses("规上工业 and 规上 again", seen, GLOSSARY, edition=Edition("en", 2024))
    assert links(first) == [("term-above-designated-size", "规上")] and first.endswith("规上 again")
    second = glossary.link_first_uses("规上 in the next paragraph", seen, GLOSSARY, edition=Edition("en", 2024))
    assert links(second) == [] and seen == {"above_designated_size"}


def test_the_longest_match_wins_at_one_place():
    linked = glossary.link_first_uses("规上服务业营业收入, then 规上工业", set(), GLOSSARY, edition=Edition("en", 2024))
    assert links(linked) == [("term-above-scale-services", "规上服务业"), ("term-above-designated-size", "规上")]


def test_english_matches_whole_words_in_any_case():
    linked = glossary.link_first_uses(
        "municipal figures, Above Designated Size, kg per mu", set(), GLOSSARY, edition=Edition("en", 2024)
    )
    assert links(linked) == [("term-above-designated-size", "Above Designated Size"), ("term-mu-and-hectare", "mu")]


WORDS = pd.DataFrame(
    [
        {"id": "prices", "term_en": "current and comparable prices", "match": ["可比价", "现价"]},
        {"id": "annual", "term_en": "cumulative and annual", "match": ["全年"]},
    ]
)


@pytest.mark.parametrize(
    "text, linked",
    [
        ("按可比价格计算", []),  # 可比价 is the start of the word 可比价格
        ("非全年数据，全年流量", [("term-annual", "全年")]),  # 非全年 is another term; the second 全年 is whole
        ("按现价计算", [("term-prices", "现价")]),
    ],
)
def test_a_chinese_term_is_linked_only_where_it_is_a_whole_word(text, linked):
    result = glossary.link_first_uses(text, set(), WORDS, edition=Edition("en", 2024))
    assert links(result) == linked
    assert re.sub(r"<[^>]+>", "", result) == text  # the text itself is untouched
    if linked:  # the link sits on the second 全年, after the first one that was passed over
        assert result.index("<a ") > text.index(linked[0][1]) or text.count(linked[0][1]) == 1


def test_links_headings_code_and_existing_links_are_left_alone():
    text = "# 规上 heading\n\n[规上](other.md) <a href='x'>规上</a> `规上` <span title='规上'>亩</span> then 规上"
    linked = glossary.link_first_uses(text, set(), GLOSSARY, edition=Edition("en", 2024))
    assert linked.startswith("# 规上 heading\n\n[规上](other.md) <a href='x'>规上</a> `规上` <span title='规上'>")
    assert links(linked) == [("term-mu-and-hectare", "亩"), ("term-above-designated-size", "规上")]


def test_chinese_definitions_lose_the_spaces_yaml_folds_in():
    assert glossary._unfold_zh("工业法人单位。 名录每年调整 and English") == "工业法人单位。名录每年调整 and English"


def test_page_depth_prefixes_the_address():
    linked = glossary.link_first_uses("规上", set(), GLOSSARY, page_depth=1, edition=Edition("en", 2024))
    assert 'href="../09_glossary.html#term-above-designated-size"' in linked


def test_glossary_entries_are_anchored_and_conversions_come_from_the_units_registry():
    ds = load(paths.ROOT / "data")
    html = glossary.glossary_html(ds, edition=Edition("en", 2024)).data
    for term_id in ds.glossary["id"]:
        assert f'id="{glossary.anchor(term_id)}"' in html
    for unit, spec in ds.units.items():
        if spec.get("base_en") and float(spec.get("factor", 1)) != 1:
            assert f'<td lang="zh">1 {unit}</td>' in html and f"{float(spec['factor']):,.0f} {spec['base_en']}" in html


def test_zh_glossary_gives_the_chinese_term_definition_and_source_only():
    ds = load(paths.ROOT / "data")
    html = glossary.glossary_html(ds, edition=Edition("zh", 2024)).data
    for row in ds.glossary.itertuples():
        assert f'id="{glossary.anchor(row.id)}"' in html
        assert glossary._unfold_zh(row.definition_zh) in html and row.source_zh in html
        assert " ".join(row.definition_en.split())[:40] not in html and f"— {row.term_en}" not in html
    plain = re.sub(r"<[^>]+>", " ", re.sub(r"<q\b.*?</q>", " ", html))  # quotes stay in the original
    assert not [w for w in re.findall(r"[A-Za-z]{2,}", plain) if w not in {"GMV", "fujian", "gov", "cn", "fjyc"}]
    # Units as a Chinese reader converts them: 1亿元 = 100,000,000元; no English unit listed.
    assert '<td lang="zh">1亿元</td><td>100,000,000元</td>' in html and "billion" not in html


def test_zh_prose_links_the_chinese_use_with_the_chinese_term_as_its_title():
    terms = GLOSSARY.assign(term_zh=["规上", "规上服务业", "亩与公顷"])
    seen = set()
    linked = glossary.link_first_uses(
        "2024年规上服务业营业收入增长7.8%，规上工业增长15.5%。", seen, terms, edition=Edition("zh", 2024)
    )
    assert links(linked) == [("term-above-scale-services", "规上服务业"), ("term-above-designated-size", "规上")]
    assert 'title="规上服务业"' in linked and 'title="services above designated size"' not in linked
    english = glossary.link_first_uses("规上服务业", set(), terms, edition=Edition("en", 2024))
    assert 'title="services above designated size"' in english  # English behaviour unchanged


# --- the built book ------------------------------------------------------------------------------


class _Text(HTMLParser):
    """Text of the page's article in order, each piece with the glossary link (href) it sits in, if any."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside <article>
        self.href = None
        self.skip = 0  # inside <table>, <script>, <style>: HTML tables and code are not prose
        self.ids = set()
        self.pieces: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "article":
            self.depth += 1
        if tag in ("table", "script", "style"):
            self.skip += 1
        if tag == "a" and "glossary-term" in (attrs.get("class") or ""):
            self.href = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag in ("table", "script", "style"):
            self.skip -= 1
        if tag == "a":
            self.href = None

    def handle_data(self, data):
        if self.depth > 0 and not self.skip and data.strip():
            self.pieces.append((data, self.href))


def _parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# --- what the glossary promises, the charts and ratios keep (issue 17) -----------------------------


@pytest.fixture(scope="module")
def book_data():
    return load(paths.ROOT / "data")


def test_transaction_value_and_online_retail_are_never_drawn_together_nor_set_as_a_ratio(book_data):
    from countybook.data import derive
    from countybook.render import charts

    entry = book_data.glossary.set_index("id").loc["transaction_value_vs_retail_sales"]
    assert "never draws the two" in " ".join(entry["definition_en"].split())
    pair = {"online_retail_sales", "ecommerce_transaction_volume"}
    figures = derive.figures_for(book_data)
    both = figures[figures["indicator"].isin(pair)]
    assert len({charts.group_key(r) for _, r in both.iterrows()}) == both["indicator"].nunique() == 2
    for year in book_data.years():
        for theme in [None, *book_data.themes["id"]]:
            figures = derive.figures_for(book_data, year, theme)
            for group in charts.level_groups(figures):
                assert not pair <= set(group["indicator"])
            assert not pair <= set(charts.growth_rows(figures)["indicator"])
    assert not [r for r in book_data.ratios.itertuples() if {r.numerator, r.denominator} == pair]


def test_gross_output_and_value_added_are_compared_only_in_words(book_data):
    from countybook.render import context

    entry = book_data.glossary.set_index("id").loc["gross_output_vs_value_added"]
    assert "never draws them side by side" in " ".join(entry["definition_en"].split())
    for year in book_data.years():
        section = context.where_guanyun_stands(book_data, year, edition=Edition("en", 2024))
        if section.chart is not None:
            assert not section.chart.rows["related"].any()
            assert "industrial_value_added_above_scale" not in set(section.chart.rows["indicator"])
        related = [c for c in section.comparisons if c.related]
        for comparison in related:  # said in a sentence, with its caveat
            assert context.comparison_sentence(book_data, comparison, lang="en") in section.markdown


def test_the_glossary_page_is_built_with_every_entry(html_root):
    page = _parse(html_root / "chapters" / "09_glossary.html")
    ds = load(paths.ROOT / "data")
    assert {glossary.anchor(term_id) for term_id in ds.glossary["id"]} <= page.ids


def first_use_problems(html: Path, page: str) -> tuple[int, list[str]]:
    """(terms checked, problems) for one built page: each glossary term's first use in the page's text
    must sit in a link to an existing page whose anchor is that term's entry."""
    ds = load(paths.ROOT / "data")
    path = html / page
    parsed = _parse(path)
    # Text nodes joined by a newline, so that words of adjacent elements stay apart.
    text = "\n".join(piece for piece, _ in parsed.pieces)
    starts, position = [], 0
    for piece, href in parsed.pieces:
        starts.append((position, position + len(piece), href))
        position += len(piece) + 1
    # Attribute every use to the longest term matching there, as a reader would read it.
    patterns = sorted(
        ((term_id, m) for term_id, ms in zip(ds.glossary["id"], ds.glossary["match"]) for m in ms),
        key=lambda pair: len(pair[1]),
        reverse=True,
    )
    compiled = [
        (
            term_id,
            re.compile(rf"(?<![A-Za-z]){re.escape(m)}(?![A-Za-z])", re.I) if m.isascii() else re.compile(re.escape(m)),
        )
        for term_id, m in patterns
    ]
    first_use, position = {}, 0
    while True:
        hits = [
            (found.start(), -len(found.group(0)), term_id)
            for term_id, pattern in compiled
            for found in [pattern.search(text, position)]
            if found
        ]
        if not hits:
            break
        start, negative_length, term_id = min(hits)
        first_use.setdefault(term_id, start)
        position = start - negative_length
    problems = []
    for term_id, first in first_use.items():
        href = next(h for start, end, h in starts if start <= first < end)
        if not href:
            problems.append(
                f"{page}: the first use of {term_id} ({text[max(0, first - 150) : first + 30]!r}) is not linked"
            )
            continue
        target = urlsplit(href)
        linked_page = (path.parent / target.path).resolve()
        if not linked_page.exists():
            problems.append(f"{page}: {href} points to a missing page")
        elif target.fragment != glossary.anchor(term_id) or target.fragment not in _parse(linked_page).ids:
            problems.append(f"{page}: {href} is not the entry of {term_id}")
    return len(first_use), problems


def _chapter_pages() -> list[str]:
    from conftest import toc_pages

    # The overview and the theme chapters; reference pages (methods, dictionary, glossary) are left out.
    return [page for page in toc_pages() if re.match(r"chapters/0[0-6]", page)]


# Pages whose text is known to use glossary terms, so that the check is seen to check something.
PAGES_USING_TERMS = {
    "chapters/00_overview.html",
    "chapters/01_industry_investment.html",
    "chapters/02_agriculture.html",
}


@pytest.mark.parametrize("page", _chapter_pages())
def test_in_the_committed_edition_each_first_use_links_to_the_glossary(html_root, page):
    checked, problems = first_use_problems(html_root, page)
    assert problems == []
    if page in PAGES_USING_TERMS:
        assert checked, f"{page} uses no glossary term at all: the check checked nothing"

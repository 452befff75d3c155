"""Each built edition speaks its readers' register (docs/terms.md): the Chinese pages as a county
statistical bulletin writes (全国, 比上年增长, 时期数/时点数, 推算 only for an implied previous-year
level, dates as 2025年1月18日), the English pages in NBS English without the registry's words.

The text checked is the book's own: quotes (原文), code, data frames a reader's code displays, and
addresses are what a source or a program wrote, and are left out."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import edition_root, toc_pages

from countybook.render.messages import DEFAULT_LANGUAGE, languages

CJK = "\u4e00-\u9fff"

# Forms a county statistics office would not write, each with what it writes instead.
BANNED_ZH = {
    r"推算占比|推算变动|为推算|派生比率|派生数值|（推算）。|个百分点（推算）": "推算 only for an implied previous-year level; 测算/计算 elsewhere",
    rf"\d年中国(?![{CJK}]*[网报])|中国[：:]|占\d{{4}}年中国": "全国 for a national aggregate",
    r"(?<!称)网络零售额": "网上零售额 (the NBS indicator; the source's 网络零售额 only in its quotes)",
    "灌云县的位置": "与全市、全省、全国比较",
    "概览": "总览",
    "年内事件数|全年流量|年末存量|多年累计(?!数)": "时期数/时点数/当年新增数/历年累计数",
    "具名项目": "文中提及的重点项目",
    "公布原样|原样公布|按原样": "公布数",
    "不作相减|仅并列展示": "不宜直接比较",
    "条形从零起": "(a bulletin does not say how bars are drawn)",
    "输入数据": "据确数计算",
    "县里": "县有关部门",
    "同比": "比上年增长 (annual data)",
    r"较\d{4}年[+−-]|较上年[+−-]": "比上年增长",
    "编写者": "编写组",
    r"(?<![\d.])[-−]0(?:\.0+)?(?![\d.])": "no negative zero (+0.0个百分点)",
    "跨主题看": "从规模看",
    "请核对": "(the book checks, the reader does not)",
    "相当于（两种不同指标）|强度（单位投入的产出）|工作进展（非荣誉）|占比（部分占整体）": "比重/规模对比/平均值/强度/工作进展",
    r"(宗|条|个|家|户)数[\d.]+\1": "no measure word twice (挂牌出让土地37宗)",
    "GDP构成": "地区生产总值构成",
    "这里的资料": "本书所据资料",
    r"\d{4}-\d{1,2}-\d{1,2}": "dates as 2025年1月18日",
    rf"[{CJK}]\(|\)[{CJK}]|[{CJK}] \(": "full-width brackets in Chinese text",
    rf"[{CJK}] \d|\d [{CJK}]": "no space between a Chinese word and a number (1990年45.64万头)",
    r"\b(?:exact|more_than|nearly|at_least|about|estimated|not_stated|annual_flow|year_end_stock|event_count)\b": "qualifier and measure codes named in Chinese",
    r"billion yuan|trillion yuan|\bGMV\b|bp \(UK\)": "Chinese units and names",
}

# The registry's words and the pipeline's phrases an economist would not write.
BANNED_EN = {
    "counts? of events in the year|annual flows?|event count|year end stock": "totals for the year, year-end levels",
    r"Formula \(as published\)|Derived ratio \(computed\)": "Formula / Ratio: the book's own formulas",
    "not subtracted|set side by side": "not directly comparable",
    "bars start at zero": "(a caption says what the chart shows)",
    "Where Guanyun stands": "Guanyun against the city, province and nation",
    "Provincial model villages": "harmonious and beautiful villages (宜居宜业和美乡村)",
    "jobs created in towns": "new urban jobs",
    "check their wording": "(the book checks, the reader does not)",
    "Across themes": "In size",
    r"progress step \(no recognition\)|exact inputs": "progress; from exact figures",
    r"registry field|data/units\.yml": "(no file or field names in prose)",
    r"(?<![\d.])[-−]0(?:\.0+)?(?![\d.])": "no negative zero (+0.0 pp)",
}

PAGES = [(lang, page) for lang in languages() for page in toc_pages()]


def book_text(html: str) -> str:
    """The page's own words: its main content without quotes, code, displayed data frames and addresses."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for element in main.select("q, code, pre, script, style, .cell_input, table.dataframe, .headerlink"):
        element.decompose()
    for image in main.find_all("img"):  # a chart's alt text is the book's words too
        image.replace_with(f"\n{image.get('alt', '')}\n")
    for link in main.find_all("a"):
        if link.get_text().strip().startswith(("http://", "https://")):
            link.decompose()
    # Lines joined without a space: Chinese has none between words, so a form split by markup still shows.
    return "\n".join(line.strip() for line in main.get_text("\n").splitlines() if line.strip())


def register_breaches(text: str, banned: dict[str, str]) -> list[str]:
    """Every banned form found in a text, with its context and what to write instead."""
    found = []
    for pattern, instead in banned.items():
        for match in re.finditer(pattern, text.replace("\n", "")):
            start = max(match.start() - 12, 0)
            context = text.replace("\n", "")[start : match.end() + 12]
            found.append(f"{match.group(0)!r} in …{context}… → {instead}")
    return found


# --- the rules themselves: each catches its form and leaves the right one alone -------------------
@pytest.mark.parametrize(
    "wrong, right",
    [
        ("2024年中国增长7.2%", "2024年全国增长7.2%"),
        ("为推算占比", "（本书测算）"),
        ("网络零售额78亿元", "网上零售额（资料称网络零售额）78亿元"),
        ("同比增长15.5%", "比上年增长15.5%"),
        ("较2023年+15.5%", "比2023年增长15.5%"),
        ("土地挂牌出让宗数37宗", "挂牌出让土地37宗"),
        ("（现代快报，2025-01-18）", "（现代快报，2025年1月18日）"),
        ("外贸进出口总额(人民币)", "外贸进出口总额（人民币）"),
        ("exact / more_than", "确数、超过"),
        ("年内事件数", "当年新增数"),
        ("bp (UK)", "英国bp公司"),
        ("1990年 45.64万头", "1990年45.64万头"),
        ("-0.0个百分点", "+0.0个百分点"),
    ],
)
def test_a_chinese_form_is_caught_and_its_replacement_passes(wrong, right):
    assert register_breaches(wrong, BANNED_ZH) and not register_breaches(right, BANNED_ZH)


def test_a_publisher_named_china_is_not_the_national_aggregate():
    assert not register_breaches("中国日报（经人民网转载），2025年1月17日；中国江苏网英文版", BANNED_ZH)


@pytest.mark.parametrize(
    "wrong, right",
    [
        (
            "Industry and investment: counts of events in the year, 2024",
            "Industry and investment: numbers for the year, 2024",
        ),
        ("The two rates are set side by side, not subtracted", "the rates are not directly comparable"),
        ("Formula (as published)", "Formula"),
    ],
)
def test_an_english_form_is_caught_and_its_replacement_passes(wrong, right):
    assert register_breaches(wrong, BANNED_EN) and not register_breaches(right, BANNED_EN)


def test_quotes_code_and_addresses_are_not_the_books_words():
    html = (
        '<main><p>全国增长7.2%<q lang="zh">网络零售额78亿元,增长20%</q></p>'
        '<div class="cell_input"><pre>x = "中国：同比"</pre></div>'
        '<a href="http://dzb.xfrb.com.cn/Html/2025-01-08/1.html">http://dzb.xfrb.com.cn/Html/2025-01-08/1.html</a></main>'
    )
    assert not register_breaches(book_text(html), BANNED_ZH)
    assert register_breaches(book_text("<main><p>2024年中国<span>增长</span></p></main>"), BANNED_ZH)


# --- the built editions -----------------------------------------------------------------------------
@pytest.mark.parametrize("lang, page", PAGES)
def test_built_page_keeps_its_editions_register(html_root, lang, page):
    banned = BANNED_EN if lang == DEFAULT_LANGUAGE else BANNED_ZH
    html = (edition_root(html_root, lang) / page).read_text(encoding="utf-8")
    breaches = register_breaches(book_text(html), banned)
    assert not breaches, f"{lang}/{page}: {len(breaches)} forms off the register:\n" + "\n".join(breaches[:10])

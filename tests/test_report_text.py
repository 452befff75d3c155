"""intake.report_text: lines joined across print-layout breaks, clause limits, control characters."""

from __future__ import annotations

import pytest
from intake_support import run  # the ds fixture comes from conftest's plugins
from intake_support import triples as _triples

from countybook.intake.report_text import Bounds, control_character, join_lines


def test_line_breaks_inside_phrases_and_numbers_are_joined(ds):
    text = (
        "建成国家级生猪产能调控基地1个、省级数字智慧牧场1\n\n个。全年完成规上工业总产值21\n\n6.6亿\n元,增\n\n长15.5%。"
    )
    found, _ = run(ds, text)
    assert found["provincial_smart_ranches"]["value"] == "1"
    assert found["provincial_smart_ranches"]["quote"] == "省级数字智慧牧场1个"
    output = found["industrial_output_above_scale"]
    assert (output["value"], output["unit"], output["yoy_pct"]) == ("216.6", "亿元", "15.5")
    assert output["quote"] == "全年完成规上工业总产值216.6亿元,增长15.5%"


def test_breaks_after_sentences_and_headings_are_kept():
    assert join_lines("## 标题\n\n正文一。\n\n正文\n二") == "## 标题\n正文一。\n正文二"


def test_full_width_punctuation_separates_clauses_and_sentences(ds):
    text = (
        "全县实现地区生产总值486.2亿元，按可比价格计算，比上年增长6.1％；第一产业增加值增长3.2％。"
        "全年预计（下同）一般公共预算收入30亿元；社会消费品零售总额100亿元。"
    )
    found, _ = run(ds, text)
    assert _triples(found) == {
        "gdp": ("486.2", "亿元", "exact", "6.1"),
        "value_added_primary_industry": ("", "亿元", "exact", "3.2"),
        "general_budget_revenue": ("30", "亿元", "estimated", ""),
        "retail_sales_consumer_goods": ("100", "亿元", "estimated", ""),
    }
    assert found["gdp"]["quote"] == "全县实现地区生产总值486.2亿元，按可比价格计算，比上年增长6.1％"


@pytest.mark.parametrize(
    "text, found",
    [
        ("地区生产总值\x00486.2亿元", (1, 7, "U+0000 (a control character)")),
        ("第一行。\n第二\x1b[31m行", (2, 3, "U+001B (a control character)")),
        ("一。\n二。\n地区生产总值\u202e2.684亿元", (3, 7, "U+202E (RIGHT-TO-LEFT OVERRIDE)")),
        ("规上\u200b工业", (1, 3, "U+200B (ZERO WIDTH SPACE)")),
    ],
)
def test_control_characters_are_found_with_their_line_and_column(text, found):
    assert control_character(text) == found


def test_tabs_and_line_breaks_are_layout_not_control_characters():
    assert control_character("油料\t万吨\t1.2\r\n粮食\n") is None


def test_every_control_and_format_character_is_caught():
    import unicodedata

    missed = [
        hex(code)
        for code in range(0x10000)
        if unicodedata.category(chr(code)) in ("Cc", "Cf")
        and chr(code) not in "\t\n\r"
        and control_character(f"a{chr(code)}b") is None
    ]
    assert missed == []


def test_a_clause_is_read_at_most_a_window_either_side():
    from countybook.intake.report_text import WINDOW

    text = "字" * (3 * WINDOW)
    start, end = Bounds(text).clause_of(WINDOW + 10, WINDOW + 12)
    assert (start, end) == (10, 2 * WINDOW + 12)

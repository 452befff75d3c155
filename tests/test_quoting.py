"""Whether a quote holds its row's value and growth rate as printed (countybook.data.quoting)."""

from __future__ import annotations

import pytest

from countybook.data import quoting


@pytest.mark.parametrize(
    "text, expected",
    [
        ("187.5", True),
        ("0", True),
        ("-3", True),
        ("5000", True),
        ("", False),
        ("1e5", False),
        ("1,000", False),
        (".5", False),
        ("5.", False),
        ("nan", False),
        ("inf", False),
        ("十二", False),
        (None, False),
        (12, False),
    ],
)
def test_is_number(text, expected):
    assert quoting.is_number(text) is expected


def test_is_number_or_blank():
    assert quoting.is_number_or_blank("") and quoting.is_number_or_blank("7.8")
    assert not quoting.is_number_or_blank(" ") and not quoting.is_number_or_blank("abc")


# --- benchmarks: values and growth rates as printed, in Chinese or English -------------------------
@pytest.mark.parametrize(
    "value, unit, printed, quote, expected",
    [
        ("48789.5", "billion yuan", [], "retail sales were 48,789.5 billion yuan, up", True),
        ("48789.5", "billion yuan", [], "retail sales were 48789.5 billion yuan", True),
        ("1349084", "亿元", ["億元"], "國內生產總值1349084億元,按不變價格計算", True),
        ("15.52", "trillion yuan", ["trillion"], "reached ¥15.52 trillion in 2024", True),
        ("8789.5", "billion yuan", [], "retail sales were 48,789.5 billion yuan", False),  # tail of a longer number
        ("48789.5", "亿元", [], "retail sales were 48,789.5 billion yuan", False),  # another unit
        ("", "", [], "growth only", True),
    ],
)
def test_benchmark_value_quoted(value, unit, printed, quote, expected):
    assert quoting.benchmark_value_quoted(value, unit, printed, quote) is expected


@pytest.mark.parametrize(
    "growth, quote, expected",
    [
        ("5.8", "rose by 5.8 percent year on year", True),
        ("1.3", "fiscal revenue up 1.3 pct in 2024", True),
        ("5.0", "比上年增長5.0%", True),
        ("5", "up 5 percent year on year", True),
        ("5", "up 15 percent year on year", False),
        ("-3.8", "固定资产投资下降3.8%", True),
        ("-3.8", "fixed-asset investment rose 3.8 percent", False),
        ("7.2", "up 7.2 billion", False),
        ("", "anything", True),
    ],
)
def test_benchmark_growth_quoted(growth, quote, expected):
    assert quoting.benchmark_growth_quoted(growth, quote) is expected

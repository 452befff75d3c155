"""countybook.render.numbers: published values in English units, exactly; derived values rounded."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from countybook import paths
from countybook.render import numbers

UNITS = yaml.safe_load((paths.ROOT / "data" / "units.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "value,unit,expected",
    [
        ("187.5", "亿元", "18.75 billion yuan"),
        ("17.8", "亿元", "1.78 billion yuan"),
        ("1.4", "亿元", "140 million yuan"),
        ("5000", "万美元", "US$50 million"),
        ("2400.7", "亩", "2,400.7 mu (about 160 ha)"),
        ("182.4", "万亩", "1.824 million mu (about 122,000 ha)"),
        ("88.2", "万吨", "882,000 tonnes"),
        ("105", "万头", "1.05 million head"),
        ("1.2", "亿件", "120 million items"),
        ("17.21", "万平方米", "172,100 m²"),
        ("3", "万户", "30,000 households"),
        ("5", "万吨级", "50,000-DWT class"),
        ("49.7", "%", "49.7%"),
        ("117", "个", "117"),
        ("1169", "家次", "1,169 firm visits"),
        ("4", "小时", "4 hours"),
    ],
)
def test_published_values_read_in_english_units(value, unit, expected):
    assert numbers.english(value, unit, UNITS) == expected


def test_conversion_is_exact_decimal_arithmetic():
    # 187.5 × 10^8 in binary floating point is not a problem here, but 0.1-style values would be.
    assert numbers.to_base("0.3", "亿元", UNITS) == Decimal("30000000.0")
    assert numbers.english("0.3", "亿元", UNITS) == "30 million yuan"


def test_every_unit_converts():
    for unit in UNITS:
        assert numbers.english("1", unit, UNITS)
        assert not any(ch in numbers.english("1", unit, UNITS) for ch in "亿万元吨亩头件户个家"), unit


@pytest.mark.parametrize(
    "value,unit,expected",
    [
        (162.337, "亿元", "16.2 billion yuan"),
        (3.2119, "亿元", "321 million yuan"),
        (0.484, "万吨", "4,840 tonnes"),
        (64.88, "亩", "64.9 mu (about 4.33 ha)"),
    ],
)
def test_derived_values_are_rounded_to_three_significant_digits(value, unit, expected):
    assert numbers.english_derived(value, unit, UNITS) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (15.5, "+15.5%"),
        (-1.4, "−1.4%"),
        (0, "+0%"),
        (20.0, "+20%"),
        (13.08, "+13.1%"),
    ],
)
def test_percent_change_signs_and_precision(value, expected):
    assert numbers.percent_change(value) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (187.5 / 1.155, "162.3"),  # one decimal from 10 upwards
        (4.5612, "4.56"),  # two between 1 and 10
        (0.48412, "0.484"),  # three below 1
        (12345.67, "12,345.7"),  # thousands separated
        (10.0, "10"),  # trailing zeros dropped ...
        (100.0, "100"),  # ... but not the zeros of a whole number
        (0.0, "0"),
        (-4.5612, "-4.56"),
    ],
)
def test_derived_precision(value, expected):
    assert numbers.derived(value) == expected


def test_published_form_keeps_the_source_characters():
    assert numbers.published("187.5", "亿元") == "187.5亿元"


@pytest.mark.parametrize(
    "value_text, unit, target, expected",
    [
        ("51437.4", "billion yuan", "亿元", "514374"),
        ("15522.5", "billion yuan", "亿元", "155225"),
        ("1.2", "万亿元", "亿元", "12000"),
        ("187.5", "亿元", "万亿元", "0.01875"),
    ],
)
def test_a_value_converts_exactly_to_another_unit_of_the_registry(value_text, unit, target, expected):
    assert numbers.converted(value_text, unit, target, UNITS) == expected

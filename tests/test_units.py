"""The one conversion rule (countybook.data.units), checked against every unit in data/units.yml."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest
import yaml

from countybook import paths
from countybook.data import units as unit_rules

# 12.5 of each unit in its base, written out by hand: a changed factor in data/units.yml, or a
# conversion that rounds, fails here. Adding a unit to data/units.yml means adding its row.
TWELVE_AND_A_HALF = {
    "亿元": ("1250000000", "yuan"),
    "万元": ("125000", "yuan"),
    "万美元": ("125000", "US$"),
    "个": ("12.5", ""),
    "家": ("12.5", ""),
    "家次": ("12.5", "firm visits"),
    "宗": ("12.5", ""),
    "项": ("12.5", ""),
    "大领域": ("12.5", ""),
    "条": ("12.5", ""),
    "户": ("12.5", ""),
    "人": ("12.5", ""),
    "场": ("12.5", ""),
    "场次": ("12.5", ""),
    "件": ("12.5", ""),
    "所": ("12.5", ""),
    "万户": ("125000", "households"),
    "万头": ("125000", "head"),
    "万件": ("125000", "items"),
    "亿件": ("1250000000", "items"),
    "万吨": ("125000", "tonnes"),
    "万亩": ("125000", "mu"),
    "亩": ("12.5", "mu"),
    "万平方米": ("125000", "m²"),
    "公里": ("12.5", "km"),
    "GWh": ("12.5", "GWh"),
    "万吨级": ("125000", "DWT class"),
    "小时": ("12.5", "hours"),
    "%": ("12.5", "%"),
    "元": ("12.5", "yuan"),
    "万亿元": ("12500000000000", "yuan"),
    "yuan": ("12.5", "yuan"),
    "billion yuan": ("12500000000", "yuan"),
    "trillion yuan": ("12500000000000", "yuan"),
    "亿斤": ("625000", "tonnes"),
    "亿美元": ("1250000000", "US$"),
    "名": ("12.5", ""),
    "万人": ("125000", "persons"),
    "人次": ("12.5", "person-times"),
    "万人次": ("125000", "person-times"),
    "张": ("12.5", ""),
    "头": ("12.5", "head"),
    "万只": ("125000", "birds"),
    "吨": ("12.5", "tonnes"),
    "公顷": ("12.5", "hectares"),
    "千公顷": ("12500", "hectares"),
    "亿千瓦时": ("1250000000", "kWh"),
    "‰": ("12.5", "‰"),
    "个百分点": ("12.5", "percentage points"),
    "平方公里": ("12.5", "km²"),
    "万千瓦": ("125000", "kW"),
    "万人公里": ("125000", "passenger-km"),
}


@pytest.fixture(scope="module")
def registry() -> dict:
    return yaml.safe_load((paths.data_dir() / "units.yml").read_text(encoding="utf-8"))


def test_the_table_covers_every_unit_of_the_registry(registry):
    assert set(TWELVE_AND_A_HALF) == set(registry)


@pytest.mark.parametrize("unit", sorted(TWELVE_AND_A_HALF))
def test_each_unit_converts_to_its_base_exactly(registry, unit):
    expected, base = TWELVE_AND_A_HALF[unit]
    assert unit_rules.to_base("12.5", unit, registry) == Decimal(expected)
    assert registry[unit].get("base_en", "") == base
    assert unit_rules.from_base(Decimal(expected), unit, registry) == Decimal("12.5")


def test_every_convertible_pair_converts_there_and_back_exactly(registry):
    pairs = [(a, b) for a, b in product(registry, repeat=2) if unit_rules.convertible(a, b, registry)]
    assert ("亿斤", "万吨") in pairs and ("万人", "人") in pairs and ("billion yuan", "亿元") in pairs
    for a, b in pairs:
        there = unit_rules.convert("187.5", a, b, registry)
        assert unit_rules.to_base(there, b, registry) == unit_rules.to_base("187.5", a, registry), (a, b)
        assert unit_rules.convert(there, b, a, registry) == Decimal("187.5"), (a, b)
        assert unit_rules.convertible(b, a, registry), (a, b)  # the rule is symmetric


@pytest.mark.parametrize(
    "unit, target, expected",
    [
        ("亿元", "亿元", True),
        ("万元", "亿元", True),  # same base, another multiplier
        ("万人", "人", True),  # 人 is a bare count (no base_en): converts by multiplier only
        ("吨", "万吨", True),
        ("亿斤", "万吨", True),  # one base, tonnes, though the names differ
        ("个", "家", False),  # two bare counts of different things
        ("万美元", "亿元", False),  # dollars are not yuan
        ("万吨级", "万吨", False),  # a berth class is not a tonnage
        ("公顷", "万亩", False),  # hectares are not mu
        ("亿元", "not a unit", False),
    ],
)
def test_units_that_convert(registry, unit, target, expected):
    assert unit_rules.convertible(unit, target, registry) is expected


def test_conversion_is_decimal_exact_where_floats_are_not(registry):
    assert unit_rules.convert("51437.4", "billion yuan", "亿元", registry) == Decimal("514374")
    assert unit_rules.as_text(unit_rules.convert("0.3", "亿元", "万元", registry)) == "3000"
    assert unit_rules.to_base(0.1, "亿元", registry) == Decimal("10000000")  # 0.1 * 1e8 in floats is not

"""countybook.data.benchmark_schemas: benchmarks obey the figures' unit rule, and no level of 0."""

from __future__ import annotations

import pandas as pd
import pytest

from countybook.data import benchmark_schemas, units
from countybook.data.load import validate

UNITS = {
    "人": {"factor": 1, "base_en": ""},
    "万人": {"factor": 10000, "base_en": "persons"},
    "个": {"factor": 1, "base_en": ""},
    "家": {"factor": 1, "base_en": ""},
    "亿元": {"factor": 100000000, "base_en": "yuan"},
    "万美元": {"factor": 10000, "base_en": "US$"},
}
AREAS = pd.DataFrame(
    [{"id": "guanyun", "level": "county", "subject": True}, {"id": "china", "level": "nation", "subject": False}]
)
REGISTRY = {"population": "人", "firms": "家", "gdp": "亿元"}


def benchmark(**cells) -> dict:
    row = {
        "area_level": "nation",
        "area": "china",
        "indicator": "population",
        "year": "2024",
        "value": "140828",
        "unit": "万人",
        "qualifier": "exact",
        "yoy_pct": "",
        "price_basis": "not_applicable",
        "source": "nbs",
        "quote": "年末全国人口140828万人",
    }
    return {**row, **cells}


def problems(*rows) -> set[tuple[int, str]]:
    frame = pd.DataFrame(rows, index=pd.Index(range(2, 2 + len(rows)), name="row"), dtype=object)
    schema = benchmark_schemas.benchmarks_schema(REGISTRY, UNITS, ["exact"], ["nbs"], AREAS)
    return {(p.row, p.field) for p in validate(frame, schema, "benchmarks.csv")}


@pytest.mark.parametrize(
    "unit, indicator, quote, accepted",
    [
        (
            "万人",
            "population",
            "年末全国人口140828万人",
            True,
        ),  # a multiplier of a bare count: the figures accept it too
        ("个", "firms", "企业140828个", False),  # two bare counts of different things
        ("万美元", "gdp", "总值140828万美元", False),  # dollars are not yuan
    ],
)
def test_a_benchmark_unit_converts_by_the_figures_rule(unit, indicator, quote, accepted):
    found = problems(benchmark(unit=unit, indicator=indicator, quote=quote))
    assert (found == set()) is accepted and found <= {(2, "unit")}
    figure_units_ok = units.convertible(unit, REGISTRY[indicator], UNITS)
    assert figure_units_ok is accepted


def test_a_benchmark_level_of_0_is_refused():
    assert problems(benchmark(value="0", quote="年末全国人口0万人")) == {(2, "value")}
    assert problems(benchmark(value="", unit="", yoy_pct="0.5", quote="增长0.5%")) == set()  # growth only: fine

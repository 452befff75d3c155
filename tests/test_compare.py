"""countybook.data.compare: same-concept pairs are drawn, related pairs only with their note, the rest refused.

Points are built by hand against the real units and areas, with comparison rules written here, so each
rule is exercised on its own.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from countybook import paths
from countybook.data import compare, load
from countybook.data.compare import Point, Refused

RULES = pd.DataFrame(
    [
        {
            "id": "output_vs_value_added",
            "kind": "related",
            "a": "gross_output",
            "b": "value_added",
            "differs_in": ["concept", "price_basis"],
            "note_en": "Gross output is not value added.",
            "note_zh": "总产值不是增加值。",
        },
        {
            "id": "retail_price_basis",
            "kind": "related",
            "a": "online_retail",
            "b": "online_retail",
            "differs_in": ["price_basis"],
            "note_en": "Price basis not stated for Guanyun.",
            "note_zh": "灌云未说明价格口径。",
        },
        {
            "id": "two_spellings",
            "kind": "equivalent",
            "a": "online_retail",
            "b": "internet_retail",
            "differs_in": [],
            "note_en": "One statistic.",
            "note_zh": "同一统计。",
        },
    ]
)


@pytest.fixture(scope="module")
def ds():
    return dataclasses.replace(load(paths.ROOT / "data"), comparisons=RULES)


def point(**fields) -> Point:
    base = dict(
        area="guanyun",
        indicator="online_retail",
        year=2024,
        value=78.0,
        value_text="78",
        unit="亿元",
        qualifier="exact",
        yoy_pct=20.0,
        price_basis="current",
        measure="annual_flow",
        scope="",
        additive=True,
        source="county_article",
        quote="网络零售额78亿元,增长20%",
    )
    return Point(**{**base, **fields})


def china(**fields) -> Point:
    return point(
        **{
            "area": "china",
            "value": 15.52,
            "value_text": "15.52",
            "unit": "万亿元",
            "yoy_pct": 7.2,
            "source": "nbs",
            "quote": "…",
            **fields,
        }
    )


# --- growth rates --------------------------------------------------------------------------------
def test_same_concept_measure_and_price_basis_is_drawn_plainly(ds):
    drawn = compare.compare_growth(ds, point(), china())
    assert drawn.kind == "same" and not drawn.related and drawn.note_en == "" and drawn.differences == ()


def test_every_comparison_carries_both_years_and_both_sources(ds):
    drawn = compare.compare_growth(ds, point(), china())
    assert (drawn.subject.year, drawn.subject.source) == (2024, "county_article")
    assert (drawn.benchmark.year, drawn.benchmark.source) == (2024, "nbs")


def test_declared_equivalent_ids_compare_as_one_concept(ds):
    assert compare.compare_growth(ds, point(), china(indicator="internet_retail")).kind == "same"


def test_a_declared_related_pair_is_drawn_only_with_its_note(ds):
    drawn = compare.compare_growth(
        ds,
        point(indicator="gross_output", price_basis="not_stated"),
        china(indicator="value_added", price_basis="comparable"),
    )
    assert drawn.related and drawn.rule == "output_vs_value_added"
    assert drawn.differences == ("concept", "price_basis")
    assert drawn.note_en == "Gross output is not value added." and drawn.note_zh == "总产值不是增加值。"


def test_the_pair_is_found_whichever_side_is_guanyun(ds):
    drawn = compare.compare_growth(ds, point(indicator="value_added"), china(indicator="gross_output"))
    assert drawn.related and drawn.note_en


def test_a_price_basis_difference_alone_needs_a_declaration(ds):
    assert compare.compare_growth(ds, point(price_basis="not_stated"), china()).related
    with pytest.raises(Refused, match="price basis"):
        compare.compare_growth(
            ds, point(indicator="value_added", price_basis="not_stated"), china(indicator="value_added")
        )


def test_undeclared_different_concepts_are_refused(ds):
    with pytest.raises(Refused, match="concept") as caught:
        compare.compare_growth(ds, point(indicator="gross_output"), china(indicator="online_retail"))
    assert "data/comparisons.yml" in caught.value.reason


def test_a_difference_beyond_what_the_pair_declares_is_refused(ds):
    # online_retail vs online_retail may differ in price basis only; a scope difference is not declared.
    with pytest.raises(Refused, match="scope"):
        compare.compare_growth(ds, point(price_basis="not_stated"), china(scope="above_scale_services"))


@pytest.mark.parametrize(
    "guanyun, other, reason",
    [
        ({"measure": "cumulative"}, {}, "different measures"),
        ({"indicator": "gross_output", "measure": "cumulative"}, {"indicator": "value_added"}, "different measures"),
        ({}, {"year": 2023}, "different years"),
        ({"yoy_pct": math.nan}, {}, "growth rate"),
        ({}, {"measure": compare.UNDECLARED}, "declares no measure"),
    ],
)
def test_incomparable_pairs_are_refused_with_the_reason(ds, guanyun, other, reason):
    with pytest.raises(Refused, match=reason):
        compare.compare_growth(ds, point(**guanyun), china(**other))
    assert isinstance(compare.try_compare(ds, point(**guanyun), china(**other)), Refused)


# --- shares --------------------------------------------------------------------------------------
def test_share_converts_units_and_needs_the_whole_to_contain_the_part(ds):
    part = point(indicator="output", value=187.5, unit="亿元")
    whole = point(indicator="output", area="lianyungang", value=0.5569, unit="万亿元")
    share = compare.share(ds, part, whole)
    assert share.pct == pytest.approx(187.5e8 / 0.5569e12 * 100) and not share.approximate
    with pytest.raises(Refused, match="does not contain"):
        compare.share(ds, point(indicator="output", area="jiangsu"), whole)


@pytest.mark.parametrize(
    "part, whole, reason",
    [
        ({"indicator": "gross_output"}, {"indicator": "value_added"}, "one concept"),
        ({"additive": False}, {}, "does not add up"),
        ({"measure": "rate"}, {}, "does not add up"),
        ({"unit": "万吨"}, {}, "cannot be converted"),
        ({"value": 20000.0}, {"value": 1.0, "unit": "亿元"}, "exceeds the whole"),
        ({}, {"year": 2023}, "different years"),
        ({}, {"value": math.nan}, "published level"),
    ],
)
def test_shares_that_mean_nothing_are_refused(ds, part, whole, reason):
    with pytest.raises(Refused, match=reason):
        compare.share(ds, point(**part), china(**whole))


def test_a_qualified_value_makes_the_share_approximate(ds):
    assert compare.share(ds, point(qualifier="more_than"), china()).approximate


@pytest.mark.parametrize(
    "make",
    [
        lambda ds: compare.compare_growth(ds, point(measure="cumulative"), china()),
        lambda ds: compare.compare_growth(ds, point(), china(year=2023)),
        lambda ds: compare.compare_growth(ds, point(yoy_pct=math.nan), china()),
        lambda ds: compare.compare_growth(ds, point(), china(measure=compare.UNDECLARED)),
        lambda ds: compare.compare_growth(ds, point(price_basis="not_stated"), china(scope="above_scale_services")),
        lambda ds: compare.share(ds, point(indicator="gross_output"), china(indicator="value_added")),
        lambda ds: compare.share(ds, point(additive=False), china()),
        lambda ds: compare.share(ds, point(unit="万吨"), china()),
        lambda ds: compare.share(ds, point(value=20000.0), china(value=1.0, unit="亿元")),
        lambda ds: compare.share(ds, point(), china(year=2023)),
        lambda ds: compare.share(ds, point(), china(value=math.nan)),
        lambda ds: compare.share(ds, point(area="jiangsu"), point(area="lianyungang")),
    ],
)
def test_every_refusal_has_a_code_each_catalogue_words(ds, make):
    """A page says the reason in its own language from the code and details (render/context.refusal_reason)."""
    from countybook.render.messages import catalogues

    with pytest.raises(Refused) as caught:
        make(ds)
    refusal = caught.value
    assert refusal.code
    for lang, catalogue in catalogues().items():
        assert f"refused.{refusal.code}" in catalogue, lang

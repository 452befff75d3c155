"""intake.mentions: each number read as one Kind, with its qualifier and growth sign."""

from __future__ import annotations

import pytest
from intake_support import run  # the ds fixture comes from conftest's plugins
from intake_support import triples as _triples

from countybook.intake import mentions
from countybook.intake.mentions import Kind, find_mentions
from countybook.intake.registry import Registry


@pytest.mark.parametrize(
    "sentence, qualifier",
    [
        ("邮政行业寄递业务量超1.2亿件。", "more_than"),
        ("邮政行业寄递业务量超过1.2亿件。", "more_than"),
        ("邮政行业寄递业务量近1.2亿件。", "nearly"),
        ("邮政行业寄递业务量约1.2亿件。", "about"),
        ("邮政行业寄递业务量达1.2亿件。", "exact"),
        ("邮政行业寄递业务量1.2亿件以上。", "at_least"),
        ("邮政行业寄递业务量1.2亿件。", "exact"),
    ],
)
def test_qualifiers(ds, sentence, qualifier):
    found, _ = run(ds, sentence)
    row = found["postal_delivery_volume"]
    assert (row["value"], row["unit"], row["qualifier"]) == ("1.2", "亿件", qualifier)
    assert "1.2亿件" in row["quote"]


@pytest.mark.parametrize(
    "sentence, qualifier",
    [
        ("固定资产投资突破200亿元。", "more_than"),
        ("固定资产投资超200亿元。", "more_than"),
        ("固定资产投资近200亿元。", "nearly"),
        ("固定资产投资约200亿元。", "about"),
        ("固定资产投资200亿元以上。", "at_least"),
        ("固定资产投资200亿元左右。", "about"),
    ],
)
def test_qualifiers_on_standard_figures(ds, sentence, qualifier):
    found, _ = run(ds, sentence)
    assert (found["fixed_asset_investment"]["value"], found["fixed_asset_investment"]["qualifier"]) == (
        "200",
        qualifier,
    )


def test_growth_phrases(ds):
    text = "电商交易额280亿元,增长15%;网络零售额78亿元,同比下降3.8%。农村生活污水治理(管控)率达55.2%,提高5.5个百分点。"
    found, unassigned = run(ds, text)
    assert found["ecommerce_transaction_volume"]["yoy_pct"] == "15"
    assert found["online_retail_sales"]["yoy_pct"] == "-3.8"
    assert found["online_retail_sales"]["quote"] == "网络零售额78亿元,同比下降3.8%"
    sewage = found["rural_sewage_treatment_rate"]
    assert (sewage["value"], sewage["unit"], sewage["yoy_pct"]) == ("55.2", "%", "")
    # A change in percentage points is not a % growth rate, and its 个 is not a count.
    points = [row for row in unassigned if row["value"] == "5.5"]
    assert len(points) == 1 and "percentage points" in points[0]["reason"]
    assert points[0]["quote"] == "提高5.5个百分点"


def test_unassigned_numbers_are_listed(ds):
    text = "2025年,投资30亿元的智能制造产业园签约落地,村集体经营性收入超500万元,世界500强企业来访。完成投资26亿元;51个省市重点项目完成投资160.8亿元。"
    found, unassigned = run(ds, text)
    assert found["key_projects_investment_completed"]["value"] == "160.8"
    reasons = {row["value"]: row["reason"] for row in unassigned}
    assert "year" in reasons["2025"]
    assert "no indicator" in reasons["30"]
    assert "万元" in reasons["500"] or "no unit" in reasons["500"]
    assert "key_projects_investment_completed" in reasons["26"]
    assert all(row["indicator"] == "" for row in unassigned)
    assert len(unassigned) == 5  # 2025, 30, 500万元, 500强, 26


@pytest.mark.parametrize(
    "text, left_out",
    [
        ("城乡居民人均可支配收入分别达到45678元、25432元。", {"45678", "25432"}),  # 分别: urban, then rural
        ("城乡居民人均可支配收入增长6%。", {""}),  # not all residents
        ("社会消费品零售总额1,234.5亿元。地区生产总值12,345亿元。", {"234.5", "345"}),  # thousands separators
        ("人口自然增长率为-2.21‰。", {"2.21"}),  # no negative levels
    ],
)
def test_doubtful_numbers_are_left_for_a_person(ds, text, left_out):
    found, unassigned = run(ds, text)
    assert found == {}
    assert left_out <= {row["value"] for row in unassigned}


def test_full_width_digits_are_read_and_quoted_as_written(ds):
    found, _ = run(ds, "地区生产总值４８６．２亿元,增长６．１％。")
    assert _triples(found) == {"gdp": ("486.2", "亿元", "exact", "6.1")}
    assert found["gdp"]["quote"] == "地区生产总值４８６．２亿元,增长６．１％"


def test_every_kind_is_met_and_none_is_unlisted(ds):
    """The one list of kinds (Kind) holds exactly the kinds the reading produces."""
    from countybook.intake.assignment import attach_growth
    from countybook.intake.registry import PhraseIndex, find_phrases
    from countybook.intake.report_text import Bounds
    from countybook.intake.table_rows import table_rows

    registry = Registry.from_dataset(ds)
    text = (
        "2024年地区生产总值486.2亿元,增长6.1%。规上工业增加值增长9%。城镇新增就业比上年减少0.5万人。"
        "城镇化率提高1.2个百分点。共3次。社会消费品零售总额1,234.5亿元。人口自然增长率为-2.21‰。\n"
        "粮食 | 吨 | 848656 | 0.02\n"
    )
    tables, spans = table_rows(text, text, registry, 2024)
    found = find_mentions(text, registry, spans)
    attach_growth(text, found, PhraseIndex(find_phrases(text, registry)), Bounds(text), 2024)
    assert {m.kind for m in found + tables} == set(Kind)


def test_kinds_are_members_not_strings():
    assert mentions.Mention(0, 1, "1").kind is Kind.LEVEL
    assert all(isinstance(kind.value, str) and kind.value == kind.name.lower() for kind in Kind)


def test_the_documented_list_of_kinds_is_the_enum():
    import re

    from countybook.intake import extract

    documented = set(
        re.findall(r"`(\w+)`", extract.__doc__.split("countybook.intake.mentions.Kind:")[1].split(".\n")[0])
    )
    assert documented == {kind.value for kind in Kind}

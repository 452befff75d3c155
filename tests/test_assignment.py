"""intake.assignment: growth rates to their levels, levels to indicators, years, areas, estimates."""

from __future__ import annotations

import pytest
from intake_support import run  # the ds fixture comes from conftest's plugins
from intake_support import triples as _triples

from countybook.intake.extract import extract


def test_growth_only_figures_and_decreases(ds):
    text = "地区生产总值增长7.5%。固定资产投资增长0.1%,工业投资下降7.3%。全体居民人均可支配收入增长-1.4%。"
    found, _ = run(ds, text)
    assert _triples(found) == {
        "gdp": ("", "亿元", "exact", "7.5"),
        "fixed_asset_investment": ("", "亿元", "exact", "0.1"),
        "industrial_investment": ("", "亿元", "exact", "-7.3"),
        "disposable_income_per_capita": ("", "元", "exact", "-1.4"),
    }
    assert found["industrial_investment"]["quote"] == "工业投资下降7.3%"


def test_a_growth_rate_goes_to_the_indicator_named_right_before_it(ds):
    # The 3.2% belongs to the primary industry, not to the GDP level before it.
    found, _ = run(ds, "地区生产总值486.2亿元,第一产业增加值增长3.2%。")
    assert _triples(found) == {
        "gdp": ("486.2", "亿元", "exact", ""),
        "value_added_primary_industry": ("", "亿元", "exact", "3.2"),
    }


def test_comparable_prices_recorded_as_price_basis(ds):
    found, _ = run(
        ds,
        "全年实现地区生产总值486.2亿元,按可比价格计算,比上年增长6.1%。规上工业增加值可比价增长9%。"
        "社会消费品零售总额150亿元,增长4%。",
    )
    assert found["gdp"]["price_basis"] == "comparable"
    assert found["industrial_value_added_above_scale"]["price_basis"] == "comparable"
    assert found["retail_sales_consumer_goods"]["price_basis"] == ""


def test_estimate_carries_over_after_xia_tong(ds):
    text = (
        "一年来,全年预计(下同)完成地区生产总值760亿元、增长5.6%;一般公共预算收入32.7亿元,增长10.8%;"
        "固定资产投资突破200亿元。\n社会消费品零售总额425亿元。"
    )
    found, _ = run(ds, text)
    assert {k: v["qualifier"] for k, v in found.items()} == {
        "gdp": "estimated",
        "general_budget_revenue": "estimated",
        "fixed_asset_investment": "more_than",  # the word about the value itself wins
        "retail_sales_consumer_goods": "estimated",
    }


def test_estimate_without_xia_tong_stays_in_its_sentence(ds):
    found, _ = run(ds, "预计全年完成地区生产总值920亿元、增长5.5%。社会消费品零售总额425亿元。")
    assert found["gdp"]["qualifier"] == "estimated"
    assert found["retail_sales_consumer_goods"]["qualifier"] == "exact"


def test_estimate_opening_a_list_covers_it_to_the_full_stop(ds):
    found, _ = run(
        ds, "预计实现地区生产总值391亿元,增长8.6%;社会消费品零售总额105亿元,增长11.3%。城镇居民人均可支配收入42170元。"
    )
    assert {k: v["qualifier"] for k, v in found.items()} == {
        "gdp": "estimated",
        "retail_sales_consumer_goods": "estimated",
        "urban_disposable_income_per_capita": "exact",
    }


def test_estimate_carried_by_xia_tong_stops_at_the_next_section(ds):
    text = "一、综合\n全年预计(下同)完成地区生产总值760亿元。\n社会消费品零售总额425亿元。\n二、财政\n一般公共预算收入32.7亿元。"
    found, _ = run(ds, text, 2023)
    assert {k: v["qualifier"] for k, v in found.items()} == {
        "gdp": "estimated",
        "retail_sales_consumer_goods": "estimated",
        "general_budget_revenue": "exact",
    }


def test_several_years_in_one_sentence(ds):
    text = "地区生产总值由2020年的327.7亿元跃升至2024年的466.3亿元,年均增长9.2%。"
    found, unassigned = extract(text, 2024, "test_source", ds)
    years = {(row["indicator"], row["year"]): row["value"] for row in found}
    assert years == {("gdp", "2020"): "327.7", ("gdp", "2024"): "466.3"}
    assert all(row["yoy_pct"] == "" for row in found)
    average = [row for row in unassigned if row["yoy_pct"] == "9.2"]
    assert len(average) == 1 and "average" in average[0]["reason"]


@pytest.mark.parametrize(
    "area, expected",
    [
        ("county", {"gdp": "486.2"}),
        ("city", {"gdp": "4663"}),
    ],
)
def test_county_and_city_figures_are_told_apart(ds, area, expected):
    text = "全市地区生产总值4663亿元,增长6.0%。全县地区生产总值486.2亿元,增长6.1%。全省地区生产总值137008亿元。"
    candidates, unassigned = extract(text, 2025, "test_source", ds, area=area)
    assert {row["indicator"]: row["value"] for row in candidates} == expected
    assert any("全省" in row["reason"] for row in unassigned)


def test_the_books_own_area_and_the_areas_above_it_come_from_areas_yml(ds):
    # No --area: the subject area of data/areas.yml (灌云县, a county) is the report's own.
    text = "连云港市地区生产总值4663亿元,增长6%。灌云县地区生产总值486.2亿元,增长6.1%。江苏省一般公共预算收入1万亿元。"
    candidates, unassigned = extract(text, 2025, "test_source", ds)
    assert {row["indicator"]: row["value"] for row in candidates} == {"gdp": "486.2"}
    reasons = {row["value"]: row["reason"] for row in unassigned}
    assert "连云港市" in reasons["4663"] and "江苏省" in reasons["1"]


def test_phrases_that_continue_an_earlier_subject(ds):
    text = (
        "全县粮食播种面积81.5万亩,产量36.2万吨,增长1.6%;油料播种面积34.7万亩,产量3.8万吨。"
        "全年生猪饲养量105万头,出栏69万头。出栏牛1.1万头,下降3.4%。\n"
        "全年农林牧渔业总产值37.42亿元,增长4.5%。其中,农业29.24亿元,增长4.9%;林业0.34亿元,下降4.3%;"
        "畜牧业6.76亿元;渔业0.04亿元;农林牧渔服务业1.04亿元。农业增加值20.1亿元。\n"
        "现代农业5亿元。"
    )
    found, unassigned = run(ds, text)
    assert _triples(found) == {
        "grain_sown_area": ("81.5", "万亩", "exact", ""),
        "grain_output": ("36.2", "万吨", "exact", "1.6"),  # 产量 after 粮食播种面积
        "hogs_raised": ("105", "万头", "exact", ""),
        "hogs_slaughtered": ("69", "万头", "exact", ""),  # 出栏 after 生猪饲养量
        "gross_output_agriculture_forestry_animal_husbandry_fishery": ("37.42", "亿元", "exact", "4.5"),
        "gross_output_farming": ("29.24", "亿元", "exact", "4.9"),
        "gross_output_forestry": ("0.34", "亿元", "exact", "-4.3"),
        "gross_output_animal_husbandry": ("6.76", "亿元", "exact", ""),
        "gross_output_fishery": ("0.04", "亿元", "exact", ""),
        "gross_output_agricultural_services": ("1.04", "亿元", "exact", ""),
    }
    left = {row["value"] for row in unassigned}
    # Oil-crop output, cattle, farming value added and a bare 农业 of another paragraph stay with a person.
    assert {"3.8", "1.1", "20.1", "5"} <= left


def test_rates_given_respectively_go_with_the_levels_in_order(ds):
    text = (
        "其中,第一产业增加值23.70亿元,第二产业增加值353.96亿元,第三产业增加值497.48亿元,增速分别为4.4%、4.8%、6.0%。"
        "全口径工业开票销售1710亿元、增长19.8%,主导产业规模超1450亿元、占比达85%,3条重点产业链分别增长40.3%、39.7%、38.3%。"
    )
    found, unassigned = run(ds, text)
    assert _triples(found) == {
        "value_added_primary_industry": ("23.70", "亿元", "exact", "4.4"),
        "value_added_secondary_industry": ("353.96", "亿元", "exact", "4.8"),
        "value_added_tertiary_industry": ("497.48", "亿元", "exact", "6.0"),
        "industrial_invoiced_sales": ("1710", "亿元", "exact", "19.8"),  # not 40.3: the list is of other things
    }
    assert {"39.7", "38.3"} <= {row["value"] for row in unassigned}

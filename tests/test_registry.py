"""intake.registry: every phrase of data/indicators.yml found in one pass, the longest winning."""

from __future__ import annotations

from intake_support import run  # the ds fixture comes from conftest's plugins
from intake_support import triples as _triples

from countybook.intake.registry import Registry, find_phrases


def test_no_value_under_a_wrong_indicator(ds):
    text = (
        "农业总产值90.2亿元。人均地区生产总值62315元。规上工业增加值增长9%。棉花总产量2万吨。"
        "家禽出栏500万只。安全生产事故起数和死亡人数分别下降46.2%、28.6%。"
    )
    found, unassigned = run(ds, text)
    assert _triples(found) == {
        "gdp_per_capita": ("62315", "元", "exact", ""),
        "industrial_value_added_above_scale": ("", "亿元", "exact", "9"),
        "poultry_slaughtered": ("500", "万只", "exact", ""),
    }
    left = {row["value"] or row["yoy_pct"] for row in unassigned}
    assert {"90.2", "2", "-46.2"} <= left  # 农业总产值, 棉花 (not grain), 分别 rates


def test_traditional_characters_are_read_and_quoted_as_written(ds):
    text = "全年全縣實現地區生產總值486.2億元,比上年增長6.1%。一般公共預算收入30.12億元。"
    found, _ = run(ds, text)
    assert _triples(found) == {
        "gdp": ("486.2", "亿元", "exact", "6.1"),
        "general_budget_revenue": ("30.12", "亿元", "exact", ""),
    }
    assert found["gdp"]["quote"] == "全年全縣實現地區生產總值486.2億元,比上年增長6.1%"


def test_a_unit_that_converts_is_proposed_as_printed(ds):
    found, unassigned = run(
        ds, "城镇新增就业1.35万人。全年粮食总产量848656吨。一般公共预算收入123456万元。粮食播种面积12100公顷。"
    )
    assert _triples(found) == {
        "urban_new_jobs": ("1.35", "万人", "exact", ""),
        "grain_output": ("848656", "吨", "exact", ""),
        "general_budget_revenue": ("123456", "万元", "exact", ""),
    }
    # Hectares are not mu: no conversion, so the sown area is left with the reason.
    reasons = {row["value"]: row["reason"] for row in unassigned}
    assert "grain_sown_area" in reasons["12100"] and "万亩" in reasons["12100"]


def test_the_longest_phrase_at_a_position_wins(ds):
    registry = Registry.from_dataset(ds)
    phrases = [p.text for p in find_phrases("人均地区生产总值62315元,规上工业增加值增长9%", registry)]
    assert phrases == ["人均地区生产总值", "规上工业增加值"]


def test_a_short_phrase_is_not_the_tail_of_a_longer_word(ds):
    registry = Registry.from_dataset(ds)
    assert "总产量" not in [p.text for p in find_phrases("棉花总产量2万吨", registry)]
    assert "总产量" in [p.text for p in find_phrases("全年总产量2万吨", registry)]

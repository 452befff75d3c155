"""countybook.data.schemas: each rule, run on a few hand-made rows against a tiny registry."""

from __future__ import annotations

import pandas as pd
import pytest

from countybook.data import schemas, source_kinds, validate

UNITS = {"亿元": {"en": "100 million yuan"}, "个": {"en": "units", "whole": True}, "%": {"en": "%", "max": 100}}
INDICATORS = pd.DataFrame({"id": ["output", "projects", "share"], "unit": ["亿元", "个", "%"]})
QUALIFIERS = ["exact", "more_than"]
SOURCES = ["report"]
THEMES = ["industry"]


def frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as read_csv gives them: all text, index = spreadsheet row (from 2)."""
    return pd.DataFrame(rows, index=pd.Index(range(2, 2 + len(rows)), name="row"), dtype=object)


def figure(**cells) -> dict:
    row = {
        "indicator": "output",
        "year": "2024",
        "value": "187.5",
        "unit": "亿元",
        "qualifier": "exact",
        "yoy_pct": "15.5",
        "source": "report",
        "quote": "完成规上工业总产值187.5亿元,增长15.5%",
    }
    return {**row, **cells}


def figure_problems(*rows) -> set[tuple]:
    schema = schemas.figures_schema(INDICATORS, UNITS, QUALIFIERS, SOURCES)
    return {(p.row, p.field) for p in validate(frame(list(rows)), schema, "figures.csv")}


def test_a_good_figure_passes():
    assert (
        figure_problems(
            figure(), figure(indicator="projects", value="117", unit="个", yoy_pct="", quote="新签约亿元以上项目117个")
        )
        == set()
    )


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"indicator": "outputs"}, {"indicator"}),
        ({"unit": "万元", "quote": "完成规上工业总产值187.5万元,增长15.5%"}, {"unit"}),
        ({"value": "abc", "quote": "abc亿元 增长15.5%"}, {"value"}),
        ({"value": "-1", "quote": "-1亿元,增长15.5%"}, {"value"}),
        ({"indicator": "projects", "unit": "个", "value": "2.5", "quote": "2.5个,增长15.5%"}, {"value"}),
        ({"indicator": "share", "unit": "%", "value": "100.1", "quote": "100.1%,增长15.5%"}, {"value"}),
        ({"yoy_pct": "-100", "quote": "187.5亿元,增长-100%"}, {"yoy_pct"}),
        ({"yoy_pct": "15.50"}, {"quote"}),
        ({"quote": "完成规上工业总产值187.50亿元,增长15.5%"}, {"quote"}),
        ({"quote": ""}, {"quote"}),
        ({"qualifier": "about"}, {"qualifier"}),
        ({"source": "blog"}, {"source"}),
        ({"year": "1948"}, {"year"}),
        ({"year": "2101"}, {"year"}),
        ({"year": "2024.5"}, {"year"}),
    ],
)
def test_each_figure_rule_names_its_field(cells, expected):
    assert figure_problems(
        figure(),
        figure(indicator="projects", value="117", unit="个", yoy_pct="", quote="新签约亿元以上项目117个"),
        figure(**{"year": "2023", **cells}),
    ) == {(4, field) for field in expected}


@pytest.mark.parametrize("year", ["1949", "2100"])
def test_years_at_the_edges_pass(year):
    assert figure_problems(figure(year=year)) == set()


@pytest.mark.parametrize("year", ["2024.0", "02024", "\uff12\uff10\uff12\uff14", "1948", "2101"])
def test_a_year_not_written_as_plain_digits_in_range_is_refused(year):
    assert figure_problems(figure(year=year)) == {(2, "year")}


@pytest.mark.parametrize("value", ["\uff11\uff18\uff17.5", "187.5\n"])
def test_a_value_must_be_written_in_ascii_digits(value):
    assert (2, "value") in figure_problems(figure(value=value))


def test_a_share_may_be_exactly_100():
    assert figure_problems(figure(indicator="share", unit="%", value="100", yoy_pct="", quote="100%")) == set()


def test_duplicate_indicator_year_names_both_rows():
    assert figure_problems(figure(), figure(yoy_pct="", quote="187.5亿元"), figure(year="2023")) == {
        (2, "year"),
        (3, "year"),
    }


def project(**cells) -> dict:
    row = {
        "id": "battery",
        "theme": "industry",
        "year": "2024",
        "name_zh": "储能电池项目",
        "name_en": "Battery",
        "stage": "signed",
        "investment": "70",
        "investment_unit": "亿元",
        "investment_basis": "planned",
        "partner": "",
        "source": "report",
        "quote": "投资70亿元的12GWh储能电池",
    }
    return {**row, **cells}


NO_INVESTMENT = {"investment": "", "investment_unit": "", "investment_basis": "", "quote": "项目竣工"}


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({}, set()),
        (NO_INVESTMENT, set()),
        ({"investment_unit": ""}, {"investment_unit"}),
        ({"investment_basis": ""}, {"investment_unit"}),
        ({**NO_INVESTMENT, "investment_basis": "planned"}, {"investment_unit"}),
        ({"investment_basis": "estimated"}, {"investment_basis"}),
        ({"investment": "seventy", "quote": "投资seventy亿元"}, {"investment"}),
        ({"quote": "储能电池项目签约"}, {"quote"}),
        ({"stage": "dreamt"}, {"stage"}),
        ({"id": "Battery Project"}, {"id"}),
    ],
)
def test_project_rules(cells, expected):
    schema = schemas.projects_schema(THEMES, ["signed"], UNITS, SOURCES)
    problems = validate(frame([project(**cells)]), schema, "projects.csv")
    assert {(p.row, p.field) for p in problems} == {(2, field) for field in expected}


@pytest.mark.parametrize(
    "identifier, ok",
    [
        ("grain_output", True),
        ("signed_projects_over_100m", True),
        ("a1", True),
        ("Grain_output", False),
        ("grain-output", False),
        ("grain__output", False),
        ("_grain", False),
        ("grain_", False),
        ("1grain", False),
        ("粮食", False),
    ],
)
def test_ids_must_be_snake_case(identifier, ok):
    themes = pd.DataFrame(
        {"id": [identifier], "order": [1], "title_zh": ["农业"], "title_en": ["Agriculture"]},
        index=pd.Index([1], name="row"),
    )
    problems = validate(themes, schemas.themes_schema(), "themes.yml")
    assert ([(p.row, p.field) for p in problems] == []) is ok
    if not ok:
        assert [(p.row, p.field) for p in problems] == [(1, "id")]


def test_sources_rules():
    base = {
        "id": "report",
        "title": "t",
        "publisher": "p",
        "publisher_zh": "出版者",
        "authors": "",
        "date": "",
        "url": "",
        "language": "zh",
        "reliability": "high",
        "status": "used",
        "note": "n",
        "note_zh": "注",
        "kind": "government_report",
    }
    rows = [
        base,
        {**base, "id": "page", "url": "www.example.com"},
        {**base, "id": "other", "status": "maybe"},
        {**base, "id": "report"},
        {**base, "id": "rumour", "kind": "gossip"},
    ]
    problems = validate(frame(rows), schemas.sources_schema(), "sources.csv")
    assert {(p.row, p.field) for p in problems} == {(3, "url"), (4, "status"), (2, "id"), (5, "id"), (6, "kind")}


def test_a_source_must_carry_its_chinese_publisher_and_note():
    # The Chinese edition shows both; a blank one would print the English in the Chinese book.
    base = {
        "id": "report",
        "title": "t",
        "publisher": "Example Daily",
        "publisher_zh": "示例日报",
        "authors": "",
        "date": "",
        "url": "",
        "language": "zh",
        "reliability": "high",
        "status": "used",
        "note": "n",
        "note_zh": "注",
        "kind": "government_report",
    }
    assert validate(frame([base]), schemas.sources_schema(), "sources.csv") == []
    rows = [{**base, "publisher_zh": ""}, {**base, "id": "other", "note_zh": ""}, {**base, "id": "third", "note_zh": 3}]
    problems = validate(frame(rows), schemas.sources_schema(), "sources.csv")
    assert {(p.row, p.field) for p in problems} == {(2, "publisher_zh"), (3, "note_zh"), (4, "note_zh")}


def test_ratio_must_name_registered_indicators_and_a_positive_factor():
    base = {
        "id": "per_project",
        "theme": "industry",
        "name_zh": "平均",
        "name_en": "Average",
        "numerator": "output",
        "denominator": "projects",
        "factor": 1,
        "unit": "亿元/个",
        "unit_en": "per",
        "type": "per_unit_average",
        "per_en": "per project",
    }
    rows = pd.DataFrame(
        [base, {**base, "id": "bad", "denominator": "nothing", "factor": 0}], index=pd.Index([1, 2], name="row")
    )
    problems = validate(rows, schemas.ratios_schema(THEMES, ["output", "projects"]), "ratios.yml")
    assert {(p.row, p.field) for p in problems} == {(2, "denominator"), (2, "factor")}


def test_a_growth_only_figure_passes():
    assert figure_problems(figure(value="", quote="规上工业总产值增长15.5%")) == set()


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"value": "", "yoy_pct": "", "quote": "规上工业总产值"}, {"value"}),  # neither value nor growth
        ({"value": "", "quote": "规上工业总产值增长15%"}, {"quote"}),  # growth not as written
        ({"price_basis": "real"}, {"price_basis"}),
    ],
)
def test_growth_only_and_price_basis_rules(cells, expected):
    assert figure_problems(figure(**{"year": "2023", **cells})) == {(2, field) for field in expected}


@pytest.mark.parametrize("basis", ["", "comparable", "current"])
def test_price_basis_values(basis):
    assert figure_problems(figure(price_basis=basis)) == set()


@pytest.mark.parametrize(
    "quote, ok",
    [
        ("粮食 | 亿元 | 187.5 | 15.5", True),  # a table row: value, unit and growth as cells
        ("粮食 | 亿元 | 187.50 | 15.5", False),
        ("粮食 | 万元 | 187.5 | 15.5", False),
        ("粮食 | 亿元 | 187.5 | 1.5", False),
    ],
)
def test_table_row_quotes(quote, ok):
    assert (figure_problems(figure(quote=quote)) == set()) is ok


def test_traditional_characters_and_full_width_percent_in_quotes():
    assert figure_problems(figure(quote="規上工業總產值187.5億元,增長15.5％")) == set()


# --------------------------------------------------------------------------- registry semantics

SEMANTIC_BASE = {
    "id": "output",
    "theme": "industry",
    "name_zh": "产值",
    "name_en": "Output",
    "unit": "亿元",
    "kind": "money",
    "measure": "annual_flow",
    "price_basis": "not_stated",
    "scope": None,
    "headline": 1,
    "chart_group": None,
    "entity": None,
    "description": "Gross output.",
}


def _registry_problems(*changes: dict) -> set:
    rows = [{**SEMANTIC_BASE, **change} for change in changes]
    entries = pd.DataFrame(rows, index=pd.Index(range(1, len(rows) + 1), name="row"), dtype=object)
    problems = validate(entries, schemas.indicators_schema(THEMES, UNITS, ["above_scale_industry"]), "indicators.yml")
    return {(p.row, p.field) for p in problems}


def test_registry_semantics_accept_a_complete_entry():
    assert (
        _registry_problems(
            {},
            {
                "id": "firms",
                "unit": "个",
                "kind": "count",
                "measure": "event_count",
                "price_basis": "not_applicable",
                "headline": None,
                "scope": "above_scale_industry",
                "chart_group": "new_firms",
                "entity": "firm",
            },
        )
        == set()
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"measure": "flow"}, "measure"),
        ({"price_basis": "constant"}, "price_basis"),
        ({"price_basis": "not_applicable"}, "price_basis"),  # money needs a price basis
        ({"scope": "above_scale"}, "scope"),
        ({"headline": 0}, "headline"),
        ({"headline": "first"}, "headline"),
        ({"chart_group": "Jobs Group"}, "chart_group"),
        ({"key_figure": 0}, "key_figure"),
        ({"bulletin_headline": "first"}, "bulletin_headline"),
    ],
)
def test_registry_semantics_refuse_bad_values(change, field):
    assert (1, field) in _registry_problems(change)


def test_a_count_must_name_what_it_counts():
    count = {"unit": "个", "kind": "count", "measure": "event_count", "price_basis": "not_applicable"}
    assert (1, "entity") in _registry_problems(count)
    assert (1, "entity") in _registry_problems({**count, "entity": "Parking Space"})  # snake_case ids only
    assert _registry_problems({**count, "entity": "parking_space"}) == set()


def test_a_count_cannot_carry_a_price_basis():
    assert (1, "price_basis") in _registry_problems({"unit": "个", "kind": "count", "price_basis": "current"})


def test_two_headlines_of_one_theme_cannot_share_a_rank():
    assert _registry_problems({}, {"id": "other"}) == {(1, "headline"), (2, "headline")}


def test_ratio_type_must_be_declared():
    base = {
        "id": "per_project",
        "theme": "industry",
        "name_zh": "平均",
        "name_en": "Average",
        "numerator": "output",
        "denominator": "projects",
        "factor": 1,
        "unit": "亿元/个",
        "unit_en": "per",
        "per_en": "",
        "type": "proportion",
    }
    rows = pd.DataFrame([base], index=pd.Index([1], name="row"))
    problems = validate(rows, schemas.ratios_schema(THEMES, ["output", "projects"]), "ratios.yml")
    assert {(p.row, p.field) for p in problems} == {(1, "type")}


def test_full_width_digits_in_quotes():
    assert figure_problems(figure(quote="完成规上工业总产值１８７．５亿元,增长１５．５％")) == set()


# --- sources' originals and the book's translations (issue 18, items 5 and 6) ----------------------
def source(**cells) -> dict:
    row = {
        "id": "repost",
        "title": "标题",
        "publisher": "a site",
        "publisher_zh": "某网站",
        "authors": "",
        "date": "2025",
        "url": "",
        "language": "zh",
        "reliability": "medium",
        "status": "used",
        "note": "n",
        "note_zh": "注",
        "kind": "news_report",
        "title_en": "Title",
        "copy_of": "",
    }
    return {**row, **cells}


def source_problems(*rows) -> set[tuple]:
    sources = frame(list(rows))
    found = {(p.row, p.field) for p in validate(sources, schemas.sources_schema(), "sources.csv")}
    return found | {(row, "copy_of") for row in schemas.copy_of_problem_rows(sources)}


def test_a_copy_names_an_original_that_is_no_copy_itself():
    original = source(id="bulletin", kind="statistical_bulletin")
    assert source_problems(original, source(copy_of="bulletin")) == set()
    assert source_problems(original, source(copy_of="nowhere")) == {(3, "copy_of")}
    assert source_problems(source(copy_of="repost")) == {(2, "copy_of")}  # a copy of itself
    chained = source(id="mirror", copy_of="repost")
    assert source_problems(original, source(copy_of="bulletin"), chained) == {(4, "copy_of")}


def test_sources_without_the_new_columns_still_validate():
    row = source()
    del row["title_en"], row["copy_of"]
    assert source_problems(row) == set()


def test_every_kind_has_a_rank_and_the_ranks_run_from_bulletin_to_media():
    assert set(source_kinds.SOURCE_TIERS) == set(source_kinds.SOURCE_KINDS)
    assert source_kinds.TIER_ORDER == ("bulletin", "work_report", "departmental_release", "media_report")
    assert source_kinds.SOURCE_TIERS["statistical_bulletin"] == "bulletin"
    assert source_kinds.SOURCE_TIERS["news_report"] == "media_report"


def translation_problems(*rows) -> set[tuple]:
    rows = [dict(zip(["quote", "quote_en"], r)) for r in rows]
    return {(p.row, p.field) for p in validate(frame(rows), schemas.quote_translations_schema(), "quotes_en.csv")}


def test_a_translation_keeps_every_number_as_printed():
    assert (
        translation_problems(
            (
                "完成规上工业总产值187.5亿元,增长15.5%",
                "gross industrial output reached 187.5 hundred million yuan, up 15.5%",
            )
        )
        == set()
    )
    # Converted (18.75 billion) or dropped, a number can no longer be found in the quote.
    assert translation_problems(
        ("完成规上工业总产值187.5亿元,增长15.5%", "gross industrial output reached 18.75 billion yuan, up 15.5%")
    ) == {(2, "quote_en")}
    assert translation_problems(("新签约亿元以上项目117个", "newly signed projects")) == {(2, "quote_en")}
    # 15 is not found inside 15.5
    assert not schemas.numbers_kept("增长15%", "up 15.5%")


def test_a_quote_is_translated_once_and_never_left_blank():
    assert translation_problems(("增长5%", "up 5%"), ("增长5%", "grew 5%")) == {(2, "quote"), (3, "quote")}
    assert translation_problems(("增长5%", "")) == {(2, "quote_en")}

"""text: number formatting, qualified values, theme paragraphs and escaping of data text."""

from __future__ import annotations

import re

import pytest

from countybook import paths
from countybook.data import derive, load
from countybook.render import text
from countybook.render.edition import Edition

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


# --- English values -----------------------------------------------------------------------------


def test_value_en_keeps_the_qualifier_and_converts_the_unit(ds):
    postal = derive.figures_for(ds, 2024).set_index("indicator").loc["postal_delivery_volume"]
    assert postal["qualifier"] == "more_than"
    assert text.value_en(postal, ds, lang="en") == "more than 120 million items"


def test_value_en_of_every_figure_has_no_chinese_unit(ds):
    for _, row in derive.figures_for(ds).iterrows():
        assert not re.search(r"[\u4e00-\u9fff]", text.value_en(row, ds, lang="en")), row["indicator"]


def test_value_en_of_an_implied_level_is_rounded(ds):
    implied = derive.implied_previous(derive.figures_for(ds, 2024)).set_index("indicator")
    assert text.value_en(implied.loc["industrial_output_above_scale"], ds, lang="en") == "16.2 billion yuan"


@pytest.mark.parametrize(
    "ratio,expected",
    [
        ("services_revenue_to_industrial_output", "9.49%"),
        ("planned_investment_per_signed_project", "321 million yuan"),
        ("grain_yield_per_mu", "483.6 kg per mu"),
        ("land_area_per_parcel", "64.9 mu (about 4.33 ha)"),
        ("microcredit_per_household", "45,600 yuan"),
    ],
)
def test_ratio_values_read_in_english_units(ds, ratio, expected):
    ratios = derive.ratios_for(ds, 2024).set_index("ratio")
    assert text.ratio_value_en(ds, ratios.loc[ratio]) == expected


@pytest.mark.parametrize(
    "count,expected",
    [
        (0, "no published figures"),
        (1, "one published figure"),
        (2, "two published figures"),
        (58, "58 published figures"),
    ],
)
def test_edition_sentence_reads_right_for_any_count(ds, count, expected):
    class Few:
        figures = ds.figures.head(count)
        indicators, ratios, units, qualifiers = ds.indicators, ds.ratios.iloc[0:0], ds.units, ds.qualifiers
        themes = ds.themes
        chapters_from = ds.chapters_from
        memo: dict = {}  # what derive works out once, as on a Dataset

        @staticmethod
        def years():
            return [2024]

    assert expected in text.edition_sentence(Few, edition=Edition("en", 2024))


def test_the_edition_lists_only_years_its_chapters_show(ds):
    """2021 holds one figure (express delivery) that no chapter shows: it is not announced (review N2)."""
    assert 2021 in ds.years()
    shown = set()
    for theme in ds.themes["id"]:
        shown |= set(derive.chapter_figures(ds, 2024, theme)["year"])
    assert text.edition_years(ds, 2024) == sorted(shown) and 2021 not in shown
    sentence = text.edition_sentence(ds, edition=Edition("en", 2024))
    assert "2021" not in sentence and all(str(y) in sentence for y in shown)


@pytest.mark.parametrize(
    "checked,flagged,expected",
    [
        (1, 0, "One indicator has published levels"),
        (2, 1, "one differs beyond"),
        (3, 2, "two differ beyond"),
        (2, 0, "all agree"),
    ],
)
def test_cross_year_sentence_counts(checked, flagged, expected):
    assert expected in text.cross_year_sentence(checked, flagged, edition=Edition("en", 2024))


@pytest.mark.parametrize(
    "items,expected", [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")]
)
def test_join_lists_read_right(items, expected):
    assert text.join(items, lang="en") == expected


# --- escape --------------------------------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_leaves_no_raw_markup(payload):
    escaped = text.escape(payload)
    assert "<" not in escaped and ">" not in escaped
    assert "&lt;" in escaped


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_markup_renders_as_text(payload):
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(text.escape(payload))  # raw HTML allowed
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;" in rendered


def test_escape_neutralises_markdown_marks():
    escaped = text.escape("**bold** and [x](y)")
    assert re.search(r"(?<!\\)[*\[\]()]", escaped) is None, escaped
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(escaped)
    assert "<strong>" not in rendered and "<a " not in rendered
    assert "**bold** and [x](y)" in rendered


def test_escape_keeps_plain_text():
    assert text.escape("规上工业总产值 187.5") == "规上工业总产值 187.5"


# --- the Chinese edition: values as published ------------------------------------------------------


def test_the_value_style_is_chosen_by_the_catalogue_setting(monkeypatch):
    from countybook.render import messages

    assert isinstance(text.style("en"), text.EnglishUnits) and isinstance(text.style("zh"), text.Published)
    # The loaded catalogues are read-only: the edited one is served in place of the file's.
    edited = {**messages.catalogue("en"), "number.style": "published"}
    monkeypatch.setattr(text, "catalogue", lambda lang: edited if lang == "en" else messages.catalogue(lang))
    assert isinstance(text.style("en"), text.Published)


def test_zh_value_is_the_published_form_with_the_source_qualifier(ds):
    figures = derive.figures_for(ds, 2024).set_index("indicator")
    assert text.value(figures.loc["postal_delivery_volume"], ds, "zh") == "超1.2亿件"
    assert text.value(figures.loc["industrial_output_above_scale"], ds, "zh") == "187.5亿元"


def test_zh_at_least_follows_the_number(ds):
    row = derive.figures_for(ds, 2024).iloc[0].copy()
    row["qualifier"], row["value_text"], row["unit"] = "at_least", "1000", "万元"
    row = row.drop(["published_value", "published_unit"], errors="ignore")
    assert text.value(row, ds, "zh") == "1000万元以上"


def test_zh_implied_level_is_in_the_registry_unit_rounded(ds):
    implied = derive.implied_previous(derive.figures_for(ds, 2024)).set_index("indicator")
    assert text.value(implied.loc["industrial_output_above_scale"], ds, "zh") == "162亿元"


@pytest.mark.parametrize(
    "ratio,expected",
    [
        ("services_revenue_to_industrial_output", "9.49%"),
        ("planned_investment_per_signed_project", "3.21亿元/个"),
        ("grain_yield_per_mu", "483.6公斤/亩"),
        ("microcredit_per_household", "4.56万元/户"),
    ],
)
def test_zh_ratio_values_keep_the_registry_unit(ds, ratio, expected):
    ratios = derive.ratios_for(ds, 2024).set_index("ratio")
    assert text.ratio_value(ds, ratios.loc[ratio], "zh") == expected


def test_zh_values_never_carry_english_units(ds):
    for _, row in derive.figures_for(ds).iterrows():
        # A unit the source printed in Latin letters (12GWh) stays as printed.
        shown = text.value(row, ds, "zh").replace(row.get("published_unit", row["unit"]), "")
        assert not re.search(r"[A-Za-z]", shown), row["indicator"]


@pytest.mark.parametrize("count", [0, 1, 2, 58])
def test_zh_edition_sentence_for_any_count(ds, count):
    class Few:
        figures = ds.figures.head(count)
        indicators, ratios, units, qualifiers = ds.indicators, ds.ratios.iloc[0:0], ds.units, ds.qualifiers
        themes = ds.themes
        chapters_from = ds.chapters_from
        memo: dict = {}  # what derive works out once, as on a Dataset

        @staticmethod
        def years():
            return [2023, 2024]

    sentence = text.edition_sentence(Few, edition=Edition("zh", 2024))
    assert f"{count}" in sentence and "2024年" in sentence
    assert all(f"{y}年" in sentence for y in text.edition_years(Few, 2024))
    assert not re.search(r"[A-Za-z]{2,}", sentence), sentence


def test_zh_lists_and_changes_use_the_catalogue_words():
    assert text.join(["甲", "乙", "丙"], "zh") == "甲、乙和丙"
    assert text.join(["甲"], "zh") == "甲"
    assert text.change(15.5, "en") == "+15.5%" and text.change(-1.4, "en") == "−1.4%"
    assert "15.5%" in text.change(15.5, "zh") and "1.4%" in text.change(-1.4, "zh")
    assert text.change(15.5, "zh") != text.change(-15.5, "zh")

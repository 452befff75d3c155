"""text: number formatting, qualified values, theme paragraphs and escaping of data text."""
from __future__ import annotations

import re

import pytest

from countybook import paths
from countybook.data import derive
from countybook.render import text
from countybook.data import load

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


# --- number and qualified ------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    (187.5 / 1.155, "162.3"),      # one decimal from 10 upwards
    (4.5612, "4.56"),              # two between 1 and 10
    (0.48412, "0.484"),            # three below 1
    (12345.67, "12,345.7"),        # thousands separated
    (10.0, "10"),                  # trailing zeros dropped ...
    (100.0, "100"),                # ... but not the zeros of a whole number
    (2.50, "2.5"),
    (0.0, "0"),
    (-4.5612, "-4.56"),
])
def test_number_precision(value, expected):
    assert text.number(value) == expected


def test_qualified_more_than(ds):
    postal = derive.figures_for(ds, 2024).set_index("indicator").loc["postal_delivery_volume"]
    assert postal["qualifier"] == "more_than"
    assert text.qualified(postal, ds.qualifiers) == "more than 1.2 亿件"


def test_qualified_uses_each_qualifier_word_and_the_value_as_written(ds):
    words = dict(zip(ds.qualifiers["id"], ds.qualifiers["en"]))
    for _, row in derive.figures_for(ds).iterrows():
        expected = f"{row['value_text']} {row['unit']}"
        if words[row["qualifier"]]:
            expected = f"{words[row['qualifier']]} {expected}"
        assert text.qualified(row, ds.qualifiers) == expected
    foreign = derive.figures_for(ds, 2024).set_index("indicator").loc["foreign_capital_introduced_bp"]
    assert text.qualified(foreign, ds.qualifiers) == "5000 万美元"  # not 5000.0


def test_qualified_implied_value_is_formatted_number(ds):
    implied = derive.implied_previous(derive.figures_for(ds, 2024)).set_index("indicator")
    row = implied.loc["industrial_output_above_scale"]
    assert text.qualified(row, ds.qualifiers) == f"{text.number(187.5 / 1.155)} 亿元" == "162.3 亿元"


# --- theme_summary -------------------------------------------------------------------------------

def _derivable_numbers(ds, year: int, theme: str) -> set[str]:
    """Every number a theme paragraph may legitimately print, computed from the data."""
    figures = derive.figures_for(ds, year, theme)
    growth = figures[figures["yoy_pct"].notna()]
    allowed = {str(year), str(year - 1), str(len(figures)), str(len(growth))}
    allowed |= set(figures["value_text"])
    allowed |= {f"{g:g}" for g in growth["yoy_pct"]}
    ratios = derive.ratios_for(ds, year, theme)
    allowed |= {text.number(v) for v in ratios["value"]}
    history = derive.multi_year(derive.figures_for(ds, theme=theme), year)
    for _, group in history.groupby("indicator"):
        group = group.sort_values("year")
        allowed |= set(group["value_text"]) | {str(y) for y in group["year"]}
        before, now = group["value"].iloc[-2], group["value"].iloc[-1]
        allowed.add(f"{abs((now / before - 1) * 100):.1f}")
    milestones = ds.milestones[(ds.milestones["year"] == year) & (ds.milestones["theme"] == theme)]
    allowed.add(str(len(milestones)))
    allowed |= {str(n) for n in milestones["level"].value_counts()}
    return allowed


def test_services_summary_names_the_fastest_growing_indicator(ds):
    figures = derive.figures_for(ds, 2024, "services_commerce")
    fastest = figures.loc[figures["yoy_pct"].idxmax()]
    assert fastest["indicator"] == "online_retail_sales"
    summary = text.theme_summary(ds, 2024, "services_commerce")
    assert f"{text.name(fastest)} grew fastest" in summary
    assert f"{fastest['yoy_pct']:+g}%" in summary
    assert text.qualified(fastest, ds.qualifiers) in summary
    # The derived ratio is there, computed independently: 17.8 / 187.5 × 100 ≈ 9.49 %.
    assert "9.49 %" in summary
    # The bound is shown as a bound.
    assert "more than 1.2 亿件" in summary


@pytest.mark.parametrize("theme", ["industry_investment", "agriculture", "services_commerce",
                                   "business_reform_innovation", "livelihood_rural", "health_education_culture"])
def test_summary_prints_no_number_that_is_not_derivable_from_the_data(ds, theme):
    summary = text.theme_summary(ds, 2024, theme)
    allowed = _derivable_numbers(ds, 2024, theme)
    found = NUMBER.findall(summary)
    assert found, "a summary with figures states at least their count"
    stray = [n for n in found if n not in allowed]
    assert not stray, f"numbers not derivable from data: {stray} in {summary!r}"


def test_summary_counts_milestones_and_names_their_highest_level(ds):
    summary = text.theme_summary(ds, 2024, "health_education_culture")
    mine = ds.milestones[(ds.milestones["year"] == 2024) & (ds.milestones["theme"] == "health_education_culture")]
    national = (mine["level"] == "national").sum()
    assert f"record {len(mine)} qualitative milestones" in summary
    assert f"the highest at national level ({national} of them)" in summary


def test_summary_with_history_states_the_computed_change(ds):
    summary = text.theme_summary(ds, 2024, "business_reform_innovation")
    change = (242 / 214 - 1) * 100  # tech_smes_registered, 2023 → 2024
    assert f"{change:+.1f}%" in summary and "+13.1%" in summary
    assert "214 家" in summary and "242 家" in summary


@pytest.mark.parametrize("year,theme", [(2023, "agriculture"), (2022, "services_commerce")])
def test_year_without_figures_gives_the_no_figures_sentence(ds, year, theme):
    assert derive.figures_for(ds, year, theme).empty
    summary = text.theme_summary(ds, year, theme)
    assert f"No figures for this theme in {year}" in summary
    held = sorted(set(derive.figures_for(ds, theme=theme)["year"]))
    assert f"Years with figures for this theme: {', '.join(map(str, held))}." in summary


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

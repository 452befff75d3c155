"""derive: figures joined with the registry, implied previous levels, ratios, rankings and coverage.

Expectations are computed here from the raw rows of data/ (read with the csv module, not through
derive), plus a few spot checks against numbers worked out by hand.
"""

from __future__ import annotations

import csv
import math
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

from countybook import paths
from countybook.data import derive, load

DATA = paths.ROOT / "data"


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _registry() -> list[dict]:
    return yaml.load((DATA / "indicators.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # libyaml: quick


def _without_figure(tmp_path: Path, indicator: str, year: int) -> Path:
    """A copy of data/ lacking one published figure."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "figures.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    kept = [r for r in rows if not (r["indicator"] == indicator and int(r["year"]) == year)]
    assert len(kept) == len(rows) - 1
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return folder


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


@pytest.fixture(scope="module")
def raw_figures():
    return _rows("figures.csv")


@pytest.fixture(scope="module")
def theme_of():
    return {entry["id"]: entry["theme"] for entry in _registry()}


# --- figures_for ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year,theme",
    [
        (2024, "agriculture"),
        (2024, "services_commerce"),
        (2023, "business_reform_innovation"),
        (2021, "services_commerce"),
    ],
)
def test_figures_for_filters_by_year_and_theme(ds, raw_figures, theme_of, year, theme):
    expected = {r["indicator"] for r in raw_figures if int(r["year"]) == year and theme_of[r["indicator"]] == theme}
    got = derive.figures_for(ds, year, theme)
    assert expected, "the chosen (year, theme) must hold figures for this test to mean anything"
    assert set(got["indicator"]) == expected
    assert len(got) == len(expected)
    assert set(got["year"]) == {year}
    assert set(got["theme"]) == {theme}
    assert set(got["basis"]) == {derive.PUBLISHED}


def test_figures_for_without_filters_returns_every_figure(ds, raw_figures):
    got = derive.figures_for(ds)
    assert len(got) == len(raw_figures)
    assert set(zip(got["indicator"], got["year"])) == {(r["indicator"], int(r["year"])) for r in raw_figures}


def test_figures_for_joins_registry_names_and_keeps_registry_order(ds):
    registry = _registry()
    names = {e["id"]: (e["name_zh"], e["name_en"], e["kind"]) for e in registry}
    got = derive.figures_for(ds, 2024)
    for row in got.itertuples():
        assert (row.name_zh, row.name_en, row.kind) == names[row.indicator]
    position = {e["id"]: i for i, e in enumerate(registry)}
    order = [position[i] for i in got["indicator"]]
    assert order == sorted(order)


def test_figures_for_a_year_without_figures_is_empty(ds, raw_figures):
    missing = next(y for y in range(2000, 2100) if y not in {int(r["year"]) for r in raw_figures})
    assert derive.figures_for(ds, missing).empty


# --- implied_previous ----------------------------------------------------------------------------


def test_implied_previous_is_value_over_one_plus_growth(ds, raw_figures):
    with_growth = {
        (r["indicator"], int(r["year"])): (float(r["value"]), float(r["yoy_pct"]))
        for r in raw_figures
        if r["yoy_pct"] != ""
    }
    assert with_growth
    implied = derive.implied_previous(derive.figures_for(ds))
    assert len(implied) == len(with_growth)
    for row in implied.itertuples():
        value, growth = with_growth[(row.indicator, row.implied_from_year)]
        assert row.basis == derive.IMPLIED
        assert row.year == row.implied_from_year - 1
        assert row.value == pytest.approx(value / (1 + growth / 100))
        assert math.isnan(row.yoy_pct), "an implied level carries no growth rate of its own"


def test_implied_previous_spot_check_industrial_output(ds):
    implied = derive.implied_previous(derive.figures_for(ds, 2024)).set_index("indicator")
    row = implied.loc["industrial_output_above_scale"]
    assert row["year"] == 2023
    assert row["value"] == pytest.approx(187.5 / 1.155)
    assert row["value"] == pytest.approx(162.34, abs=0.005)


def test_figures_without_growth_imply_nothing(ds):
    figures = derive.figures_for(ds, 2024, "agriculture")
    assert not figures.empty and figures["yoy_pct"].isna().all()
    assert derive.implied_previous(figures).empty
    mixed = derive.figures_for(ds, 2024, "industry_investment")
    assert set(derive.implied_previous(mixed)["indicator"]) == set(mixed.loc[mixed["yoy_pct"].notna(), "indicator"])


def test_implied_previous_leaves_its_input_unchanged(ds):
    figures = derive.figures_for(ds, 2024)
    before = figures.copy()
    derive.implied_previous(figures)
    pd.testing.assert_frame_equal(figures, before)


def test_levels_with_implied_pairs_each_growth_figure_with_its_previous_level(ds):
    figures = derive.figures_for(ds, 2024)
    levels = derive.levels_with_implied(figures)
    grown = set(figures.loc[figures["yoy_pct"].notna(), "indicator"])
    assert set(levels["indicator"]) == grown
    for _indicator, group in levels.groupby("indicator"):
        assert sorted(group["basis"]) == [derive.IMPLIED, derive.PUBLISHED]
        assert sorted(group["year"]) == [2023, 2024]


# --- ratios_for ----------------------------------------------------------------------------------


def test_ratios_are_numerator_over_denominator_times_factor(ds, raw_figures):
    year = 2024
    published = {r["indicator"]: r for r in raw_figures if int(r["year"]) == year}
    ratios_yml = yaml.safe_load((DATA / "ratios.yml").read_text(encoding="utf-8"))
    names = {e["id"]: e["name_zh"] for e in _registry()}
    computable = [r for r in ratios_yml if r["numerator"] in published and r["denominator"] in published]
    assert computable
    got = derive.ratios_for(ds, year).set_index("ratio")
    assert set(got.index) == {r["id"] for r in computable}
    for ratio in computable:
        top, bottom = published[ratio["numerator"]], published[ratio["denominator"]]
        row = got.loc[ratio["id"]]
        assert row["value"] == pytest.approx(float(top["value"]) / float(bottom["value"]) * ratio["factor"])
        assert row["basis"] == derive.DERIVED
        # The formula names both inputs with their values as published, numerator first.
        first = f"{names[ratio['numerator']]}（{top['value']}{top['unit']}）"
        second = f"{names[ratio['denominator']]}（{bottom['value']}{bottom['unit']}）"
        assert first in row["formula"] and second in row["formula"]
        assert row["formula"].index(first) < row["formula"].index("÷") < row["formula"].index(second)
        assert bool(row["inputs_exact"]) == (top["qualifier"] == bottom["qualifier"] == "exact")


def test_ratio_spot_checks(ds):
    got = derive.ratios_for(ds, 2024).set_index("ratio")
    assert got.loc["grain_yield_per_mu", "value"] == pytest.approx(88.2 / 182.4 * 1000)  # ≈ 483.6 kg per mu
    assert got.loc["grain_yield_per_mu", "formula"].endswith("×1000")
    assert got.loc["services_revenue_to_industrial_output", "value"] == pytest.approx(17.8 / 187.5 * 100)
    assert "×" not in got.loc["land_area_per_parcel", "formula"], "a factor of 1 is not written"


def test_ratios_for_filters_by_theme(ds):
    got = derive.ratios_for(ds, 2024, "agriculture")
    assert not got.empty and set(got["theme"]) == {"agriculture"}


def test_ratio_with_a_missing_input_is_skipped(tmp_path):
    ds = load(_without_figure(tmp_path, "online_retail_sales", 2024))
    got = derive.ratios_for(ds, 2024, "services_commerce")
    assert "online_retail_to_ecommerce_value" not in set(got["ratio"])
    # The other services ratio, whose inputs are all there, is still computed.
    assert "services_revenue_to_industrial_output" in set(got["ratio"])


def test_ratios_for_a_year_without_figures_is_empty_with_columns(ds):
    got = derive.ratios_for(ds, 2022)
    assert got.empty
    assert {"ratio", "value", "formula", "basis"} <= set(got.columns)


# --- growth, coverage, counts, multi-year --------------------------------------------------------


def test_growth_ranking_fastest_first(ds, raw_figures):
    grown = [(float(r["yoy_pct"]), r["indicator"]) for r in raw_figures if r["yoy_pct"] != "" and r["year"] == "2024"]
    ranked = derive.growth_ranking(derive.figures_for(ds, 2024))
    assert len(ranked) == len(grown)
    assert list(ranked["yoy_pct"]) == sorted((g for g, _ in grown), reverse=True)
    assert ranked.iloc[0]["indicator"] == max(grown)[1]
    assert ranked.iloc[-1]["indicator"] == min(grown)[1]


def test_growth_ranking_services_2024_online_retail_first_services_revenue_last(ds):
    ranked = derive.growth_ranking(derive.figures_for(ds, 2024, "services_commerce"))
    assert ranked.iloc[0]["indicator"] == "online_retail_sales"
    assert ranked.iloc[-1]["indicator"] == "services_revenue_above_scale"


def test_coverage_is_one_exactly_where_a_figure_exists(ds, raw_figures):
    table = derive.coverage(ds)
    present = {(r["indicator"], int(r["year"])) for r in raw_figures}
    assert int(table.to_numpy().sum()) == len(present)
    for indicator in table.index:
        for year in table.columns:
            assert table.loc[indicator, year] == (1 if (indicator, year) in present else 0)
    position = {e["id"]: i for i, e in enumerate(_registry())}
    assert [position[i] for i in table.index] == sorted(position[i] for i in table.index)


def test_figures_per_theme_counts(ds, raw_figures, theme_of):
    year = 2024
    counts = derive.figures_per_theme(ds, year).set_index("theme")
    milestones, projects = _rows("milestones.csv"), _rows("projects.csv")
    # Themes that hold something in some year; a theme with nothing in any year is left out.
    themes = [
        t["id"]
        for t in yaml.safe_load((DATA / "themes.yml").read_text(encoding="utf-8"))
        # the gazetteer's figures before chapters_from are the long view's, not a theme's
        if any(theme_of[r["indicator"]] == t["id"] for r in raw_figures if int(r["year"]) >= ds.chapters_from)
        or any(r["theme"] == t["id"] for r in milestones + projects)
    ]
    assert set(counts.index) == set(themes)
    for theme in themes:
        mine = [r for r in raw_figures if int(r["year"]) == year and theme_of[r["indicator"]] == theme]
        assert counts.loc[theme, "figures"] == len(mine)
        assert counts.loc[theme, "with_growth"] == sum(r["yoy_pct"] != "" for r in mine)
        assert counts.loc[theme, "implied"] == sum(r["yoy_pct"] != "" for r in mine)
        assert counts.loc[theme, "milestones"] == sum(
            r["theme"] == theme and int(r["year"]) == year for r in milestones
        )
        assert counts.loc[theme, "projects"] == sum(r["theme"] == theme and int(r["year"]) == year for r in projects)
    assert counts["figures"].sum() == sum(int(r["year"]) == year for r in raw_figures)


def test_multi_year_finds_indicators_published_now_and_earlier(ds, raw_figures):
    years_of: dict[str, set] = {}
    for r in raw_figures:
        years_of.setdefault(r["indicator"], set()).add(int(r["year"]))
    expected = {i for i, ys in years_of.items() if 2024 in ys and len(ys) >= 2}
    got = derive.multi_year(derive.figures_for(ds), 2024)
    assert set(got["indicator"]) == expected
    assert "tech_smes_registered" in expected
    smes = got[got["indicator"] == "tech_smes_registered"]
    assert sorted(smes["year"]) == [2023, 2024]


def test_multi_year_ignores_later_years(ds):
    # Up to 2023 tech_smes_registered has one year only; express delivery (2021) is not published in 2023.
    assert derive.multi_year(derive.figures_for(ds), 2023).empty


# --- growth-only figures ---------------------------------------------------------------------

GROWTH_ONLY_2025 = (
    "grain_output,2025,,万吨,exact,-1.4,,xdkb_2025_guanyun_development,粮食总产量下降1.4%\n"
    "grain_sown_area,2025,183.1,万亩,exact,,,xdkb_2025_guanyun_development,粮食播种面积183.1万亩\n"
    "hogs_raised,2025,,万头,exact,3.0,,xdkb_2025_guanyun_development,生猪饲养量增长3.0%\n"
)


@pytest.fixture(scope="module")
def with_growth_only(tmp_path_factory):
    folder = tmp_path_factory.mktemp("growth_only") / "data"
    shutil.copytree(DATA, folder)
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text + ("" if text.endswith("\n") else "\n") + GROWTH_ONLY_2025, encoding="utf-8")
    return load(folder)


def test_growth_only_figures_load_with_no_value(with_growth_only):
    rows = derive.figures_for(with_growth_only, 2025).set_index("indicator")
    assert math.isnan(rows.loc["grain_output", "value"]) and rows.loc["grain_output", "yoy_pct"] == -1.4
    assert set(derive.growth_only(derive.figures_for(with_growth_only, 2025))["indicator"]) == {
        "grain_output",
        "hogs_raised",
    }


def test_growth_only_figures_are_among_growth_rates(with_growth_only):
    ranking = derive.growth_ranking(derive.figures_for(with_growth_only, 2025))
    assert list(ranking["indicator"]) == ["hogs_raised", "grain_output"]


def test_growth_only_figures_imply_no_level_and_join_no_ratio(with_growth_only):
    figures = derive.figures_for(with_growth_only, 2025)
    assert derive.implied_previous(figures).empty
    assert derive.levels_with_implied(figures).empty
    # grain yield needs grain output's level: no ratio for 2025 although the sown area is published.
    assert "grain_yield_per_mu" not in set(derive.ratios_for(with_growth_only, 2025)["ratio"])


def test_growth_only_figures_are_no_level_in_several_years(with_growth_only):
    history = derive.multi_year(derive.figures_for(with_growth_only), 2025)
    assert history["value"].notna().all()
    assert "hogs_raised" not in set(history["indicator"])  # only its 2024 level is published


def test_per_theme_counts_growth_only_as_growth_without_implied_level(with_growth_only):
    counts = derive.figures_per_theme(with_growth_only, 2025).set_index("theme")
    assert counts.loc["agriculture", "figures"] == 3
    assert counts.loc["agriculture", "with_growth"] == 2
    assert counts.loc["agriculture", "implied"] == 0


def test_a_year_or_theme_from_the_kept_join_is_what_joining_those_rows_alone_gives(ds):
    """figures_for joins once per Dataset and filters: the rows, their order and the index are those of
    joining and sorting only the year's (or theme's) figures."""
    for year, theme in [(2024, None), (None, "agriculture"), (2023, "industry_investment"), (1990, None)]:
        alone = replace(ds, figures=ds.figures[(ds.figures["year"] == year) if year else ds.figures["year"].notna()])
        expected = derive.figures_for(alone, theme=theme)
        pd.testing.assert_frame_equal(derive.figures_for(ds, year, theme), expected)


def test_the_kept_join_follows_a_new_figures_frame_and_is_not_shared_with_callers(ds):
    first = derive.figures_for(ds, 2024)
    first.loc[:, "value"] = -1.0  # a caller's edit stays in its copy
    assert (derive.figures_for(ds, 2024)["value"] != -1.0).any()
    changed = ds.figures.copy()
    changed.loc[changed["year"] == 2024, "value"] = 7.0
    again = derive.figures_for(replace(ds, figures=changed, memo=ds.memo), 2024)
    assert set(again["value"].dropna()) == {7.0}

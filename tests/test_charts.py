"""charts: the CJK font, implied bars, empty inputs and the furniture every chart carries."""

from __future__ import annotations

import base64
import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from countybook import paths
from countybook.data import (
    derive,  # noqa: E402
    load,  # noqa: E402
)
from countybook.render import chart_rules, chart_style, charts
from countybook.render.edition import Edition


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- font ----------------------------------------------------------------------------------------


def test_setup_registers_a_cjk_font_so_chinese_draws_without_missing_glyphs(caplog):
    chart_style.setup()
    family = plt.rcParams["font.sans-serif"][0]
    assert family in {entry.name for entry in font_manager.fontManager.ttflist}
    caplog.set_level(logging.DEBUG, logger="matplotlib.font_manager")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("灌云县 规上工业总产值")
        ax.set_xlabel("亿元 · 粮食播种面积")
        ax.text(0.5, 0.5, "“菜篮子”绿色蔬菜保供基地")
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert not missing, missing
    findfont_errors = [
        r.getMessage() for r in caplog.records if r.name == "matplotlib.font_manager" and r.levelno >= logging.WARNING
    ]
    assert not findfont_errors, findfont_errors


def test_a_chart_takes_the_theme_and_leaves_matplotlib_settings_as_they_were(ds):
    """The style applies per figure (charts.style): a page changes no global setting for what the
    notebook draws next, and its charts still get the theme and the CJK font."""
    from countybook.render.chapter import Page

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        before = dict(matplotlib.rcParams)
        page = Page(2024, "industry_investment", ds=ds, lang="zh")
        chart = charts.levels_chart(ds, _firms(ds), 2024, edition=page.edition)
        charts.png_output(chart.figure)
        assert dict(matplotlib.rcParams) == before
        shown = chart.figure.axes[0].get_title(loc="left")
        title = next(t for t in chart.figure.findobj(matplotlib.text.Text) if t.get_text() == shown)
        assert title.get_fontfamily() == [chart_style.theme()["font.family"]] != before["font.family"]


def test_a_control_character_in_a_label_never_reaches_the_drawn_chart(ds):
    fig, ax = plt.subplots()
    ax.bar(["名\x00称\u202e", "b\x1b"], [1, 2])
    ax.set_title("t\x1bitle")
    charts.png_output(fig)
    shown = [t.get_text() for t in fig.findobj(matplotlib.text.Text)] + [
        label.get_text() for label in ax.get_xticklabels()
    ]
    assert "title" in shown and "名称" in shown and "b" in shown
    assert not [t for t in shown if any(c in t for c in "\x00\x1b\u202e")]


# --- like-for-like groups ------------------------------------------------------------------------


def test_groups_hold_one_unit_and_one_measure_and_at_least_three_figures(ds):
    for year in ds.years():
        for theme in ds.themes["id"]:
            for group in charts.level_groups(derive.figures_for(ds, year, theme)):
                assert group["unit"].nunique() == 1 and group["measure"].nunique() == 1
                assert len(group) >= charts.MIN_BARS and not (group["value"] == 1).all()


def test_planned_output_and_cumulative_money_never_share_a_chart(ds):
    figures = derive.figures_for(ds, 2024)
    for group in charts.level_groups(figures.assign(theme="one_theme")):
        assert group["measure"].nunique() == 1


def test_overlapping_employment_measures_are_not_charted_together(ds):
    """New urban jobs, jobs created by entrepreneurs and pension enrolments overlap: separate chart groups."""
    groups = charts.level_groups(derive.figures_for(ds, 2024, "livelihood_rural"))
    for group in groups:
        assert not {"urban_new_jobs", "jobs_created_by_entrepreneurs"} <= set(group["indicator"])


def test_grain_area_and_vegetable_base_area_never_share_a_chart(ds):
    # Both are areas of the year (sown; built), but a base built is no part of the sown area.
    rows = derive.figures_for(ds, 2024, "agriculture")
    rows = rows[rows["indicator"].isin(["grain_sown_area", "vegetable_supply_base_area"])]
    assert len({charts.group_key(r) for _, r in rows.iterrows()}) == 2


# --- one kind of thing per chart (issue 17) ------------------------------------------------------


def test_groups_hold_one_entity(ds):
    for year in ds.years():
        for theme in [*ds.themes["id"], None]:
            for group in charts.level_groups(derive.figures_for(ds, year, theme)):
                assert group["entity"].fillna("").nunique() == 1, list(group["indicator"])


def test_projects_zones_parking_spaces_and_parks_never_share_a_chart(ds):
    together = [
        ("signed_projects_over_100m", "township_industrial_zones_planned"),
        ("parking_spaces_added", "pocket_parks_built"),
        ("parking_spaces_added", "old_residential_areas_renovated"),
        ("new_high_tech_enterprises", "provincial_rd_institutions"),
    ]
    for year in ds.years():
        for theme in [*ds.themes["id"], None]:
            for group in charts.level_groups(derive.figures_for(ds, year, theme)):
                for a, b in together:
                    assert not {a, b} <= set(group["indicator"])


def test_a_count_without_its_entity_is_refused_by_the_schema(tmp_path):
    import shutil

    from countybook.errors import DataError

    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", data)
    registry = (data / "indicators.yml").read_text(encoding="utf-8")
    (data / "indicators.yml").write_text(registry.replace("  entity: firm\n", "", 1), encoding="utf-8")
    with pytest.raises(DataError, match="entity"):
        load(data)


def test_every_entity_and_kind_has_its_words_in_every_catalogue(ds):
    from countybook.data import schemas
    from countybook.render.messages import catalogue, languages

    entities = set(ds.indicators["entity"].dropna())
    for lang in languages():
        for family in ("entity.", "entities."):
            assert {e for e in entities if family + e not in catalogue(lang)} == set()
        for family in ("chart.kind_noun.", "chart.kind_nouns."):
            assert [k for k in schemas.INDICATOR_KINDS if family + k not in catalogue(lang)] == []


def _firms(ds):
    group = derive.figures_for(ds, 2024, "industry_investment")
    return group[group["entity"] == "firm"]


def test_a_group_mixing_entities_breaks_the_rules(ds):
    figures = derive.figures_for(ds, 2024, "industry_investment")
    mixed = figures[
        figures["indicator"].isin(
            ["signed_projects_over_100m", "projects_over_100m_commissioned", "township_industrial_zones_planned"]
        )
    ]
    chart = charts.levels_chart(ds, mixed, 2024, edition=Edition("en", 2024))
    assert any("mixes entities" in v for v in chart_rules.violations(chart))


def test_page_refuses_a_chart_mixing_entities(ds, monkeypatch):
    from countybook.render import chapter

    page = chapter.Page(2024, "industry_investment", ds=ds, lang="en")
    figures = page.figures
    mixed = figures[figures["unit"] == "个"]
    monkeypatch.setattr(page, "_level_charts", lambda: [mixed[mixed["measure"] == "event_count"]])
    with pytest.raises(chapter.ChartRuleBroken, match="entities"):
        page.comparison_chart(0)


# --- titles say the chart's point, in plain words ---------------------------------------------------

JARGON = [
    "counts of events in the year",
    "annual flow",
    "year-end stock",
    "year end stock",
    "levels at year end",
    "event count",
    "measure",
    "年内事件数",
    "全年流量",
    "年末存量",
    "具名项目",
]


def _texts(chart) -> list[str]:
    ax = chart.figure.axes[0]
    return [ax.get_title(loc="left").replace("\n", " "), ax.get_xlabel(), ax.get_ylabel()]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_chart_title_or_axis_carries_registry_jargon(ds, lang):
    drawn = [chart for chart in _every_chart(ds, lang) if chart is not None]
    assert drawn
    for chart in drawn:
        for words in _texts(chart):
            assert not [j for j in JARGON if j in words.lower()], words


def test_the_jargon_check_can_fail():
    assert [j for j in JARGON if j in "industry: counts of events in the year, firms"]


def _value_words(ds, row, lang):
    from countybook.render import text

    return text.value(row, ds, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_levels_titles_are_sentences_naming_the_largest_and_smallest_bar_with_their_values(ds, lang):
    """A title built by the sentence template: it names the largest and the smallest figure and their values,
    computed from the bars, so a rerun with other data keeps it true."""

    drawn = 0
    for year in ds.years():
        for theme in ds.themes["id"]:
            for group in charts.level_groups(derive.figures_for(ds, year, theme)):
                chart = charts.levels_chart(ds, group, year, edition=Edition(lang, 2024))
                title = chart.figure.axes[0].get_title(loc="left").replace("\n", " " if lang == "en" else "")
                top = group.loc[group["value"].idxmax()]
                bottom = group.loc[group["value"].idxmin()]
                name = (lambda r: r["name_en"][1:]) if lang == "en" else (lambda r: r["name_zh"])
                assert name(top) in title and name(bottom) in title, title
                assert _value_words(ds, top, lang) in title and _value_words(ds, bottom, lang) in title
                assert str(year) in title
                verbs = ("led", "trailed") if lang == "en" else ("最", "最")
                assert all(v in title for v in verbs)
                assert title.strip()[-1] not in ",;，；"
                drawn += 1
    assert drawn >= 1


def test_levels_title_follows_the_data(ds):
    firms = _firms(ds).copy()
    firms.loc[firms["indicator"] == "new_four_star_cloud_firms", ["value", "value_text"]] = [500.0, "500"]
    title = charts.levels_title(ds, firms, 2024, lang="en")
    assert "new four-star cloud-adopting enterprises led with 500" in title
    assert "new provincial specialised" in title and "trailed with 5" in title


def test_levels_title_says_each_for_a_tie_and_equal_for_all_equal(ds):
    firms = _firms(ds).copy()
    top = firms.loc[firms["value"].idxmax(), "indicator"]
    tied = firms[firms["indicator"] != top]
    assert "led with 29 each" in charts.levels_title(ds, tied, 2024, lang="en")
    assert "各29家" in charts.levels_title(ds, tied, 2024, "zh")
    same = firms.assign(value=7.0, value_text="7")
    assert charts.levels_title(ds, same, 2024, lang="en").startswith("All six kinds of firm in 2024 stood at 7")


def test_count_axis_names_the_things_counted(ds):
    chart = charts.levels_chart(ds, _firms(ds), 2024, edition=Edition("en", 2024))
    assert chart.figure.axes[0].get_xlabel() == "Firms"
    assert charts.levels_chart(ds, _firms(ds), 2024, Edition("zh", 2024)).figure.axes[0].get_xlabel() == "家"


def test_growth_title_names_the_fastest_and_slowest(ds):
    figures = derive.figures_for(ds, 2024).copy()
    figures = figures[figures["yoy_pct"].notna() & figures["chart_group"].isna()]
    extra = figures.iloc[0].copy()
    extra["indicator"], extra["name_en"], extra["yoy_pct"] = "x", "Something else", -3.0
    import pandas as pd

    rows = pd.concat([figures, extra.to_frame().T], ignore_index=True)
    rows["yoy_pct"] = rows["yoy_pct"].astype(float)
    ranked = charts.growth_rows(rows)
    title = charts.growth_title(ranked, 2024, lang="en")
    fastest = ranked.iloc[0]
    assert title.startswith("In 2024, ") and fastest["name_en"][1:] in title and "grew fastest" in title
    assert "something else fell furthest, −3%" in title


def test_growth_charts_keep_e_commerce_value_and_online_retail_apart(ds):
    for year in ds.years():
        for theme in [*ds.themes["id"], None]:
            rows = charts.growth_rows(derive.figures_for(ds, year, theme))
            assert not {"ecommerce_transaction_volume", "online_retail_sales"} <= set(rows["indicator"])


# --- drawn charts pass the rules ------------------------------------------------------------------


def _every_chart(ds, lang="en"):
    for year in ds.years():
        for theme in [*ds.themes["id"], None]:
            figures = derive.figures_for(ds, year, theme)
            for group in charts.level_groups(figures):
                yield charts.levels_chart(ds, group, year, edition=Edition(lang, 2024))
            yield charts.growth_chart(ds, figures, year, edition=Edition(lang, 2024))


def test_every_chart_the_book_can_draw_passes_the_rules(ds):
    drawn = [chart for chart in _every_chart(ds) if chart is not None]
    assert len(drawn) >= 2
    for chart in drawn:
        assert chart_rules.violations(chart) == [], chart.alt


def _money(ds):
    """Three amounts of money of one kind, as a test group: the data hold no such chart in 2024."""
    figures = derive.figures_for(ds, 2024)
    return figures[
        figures["indicator"].isin(
            ["industrial_output_above_scale", "services_revenue_above_scale", "key_projects_investment_completed"]
        )
    ]


def test_levels_chart_converts_to_english_units_from_zero(ds):
    chart = charts.levels_chart(ds, _money(ds), 2024, edition=Edition("en", 2024))
    ax = chart.figure.axes[0]
    assert ax.get_xlabel() == "Billion yuan"
    assert ax.get_xlim()[0] == 0
    # 187.5 亿元 is drawn as 18.75 (billion yuan)
    assert max(p.get_width() for c in ax.containers for p in c) == pytest.approx(18.75)
    assert not any(ch in ax.get_title() for ch in "亿元")


def test_levels_chart_draws_implied_bars_hatched_and_lighter_with_legend_below(ds):
    group = _money(ds)
    chart = charts.levels_chart(ds, group, 2024, edition=Edition("en", 2024))
    ax = chart.figure.axes[0]
    hatched = [p for c in ax.containers for p in c if p.get_hatch()]
    assert len(hatched) == group["yoy_pct"].notna().sum() > 0
    assert all(p.get_alpha() == charts.IMPLIED_ALPHA for p in hatched)
    assert ax.get_legend() is not None


def test_alt_text_is_written_from_the_data(ds):
    group = _money(ds)
    chart = charts.levels_chart(ds, group, 2024, edition=Edition("en", 2024))
    assert chart.alt.startswith("Bar chart. Of three kinds of amount of money in 2024, gross industrial output")
    for name in group["name_en"]:
        assert name in chart.alt
    assert "18.75 billion yuan" in chart.alt and ".png" not in chart.alt


def test_growth_chart_needs_three_rates(ds):
    figures = derive.figures_for(ds, 2024, "industry_investment")
    assert derive.growth_ranking(figures).shape[0] < 3
    assert charts.growth_chart(ds, figures, 2024, edition=Edition("en", 2024)) is None
    three = derive.figures_for(ds, 2024)
    three = three[three["yoy_pct"].notna()].assign(chart_group=None)
    assert charts.growth_chart(ds, three, 2024, edition=Edition("en", 2024)) is not None


def test_the_named_projects_chart_is_gone():
    assert not hasattr(charts, "projects_chart") and not hasattr(charts, "stage_counts")


def test_charts_of_nothing_are_none(ds):
    empty = derive.figures_for(ds, 2022)
    assert charts.level_groups(empty) == []
    assert charts.growth_chart(ds, empty, 2022, edition=Edition("en", 2024)) is None


# --- the Chinese edition -------------------------------------------------------------------------


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _words(chart) -> list[str]:
    """The chart's words: title, axis labels, category ticks and legend entries (not the numbers)."""
    fig = chart.figure
    found = []
    for ax in fig.axes:
        found += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
        ticks = ax.get_yticklabels()
        found += [t.get_text() for t in ticks]
        if ax.get_legend() is not None:
            found += [t.get_text() for t in ax.get_legend().get_texts()]
    return [w for w in found if w]


def test_zh_charts_draw_every_year_with_chinese_words_no_missing_glyph_and_pass_the_rules(ds, caplog):
    caplog.set_level(logging.DEBUG, logger="matplotlib.font_manager")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawn = [chart for chart in _every_chart(ds, "zh") if chart is not None]
        broken = {chart.alt: chart_rules.violations(chart) for chart in drawn}  # draws each figure
    assert {chart.kind for chart in drawn} >= {"levels"}
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert not missing, missing[:3]
    assert not [
        r.getMessage() for r in caplog.records if r.name == "matplotlib.font_manager" and r.levelno >= logging.WARNING
    ]
    assert not {alt: v for alt, v in broken.items() if v}
    for chart in drawn:
        words = _words(chart)
        # Every word on the chart is Chinese: names from name_zh, the rest from zh.yml.
        assert words and all(_cjk(word) for word in words), words
        assert _cjk(chart.alt) and _cjk(chart.caption)
        assert _cjk(chart.figure.texts[0].get_text())  # the source line


def test_zh_levels_chart_shows_values_in_the_registry_unit_as_published(ds):
    group = _money(ds)
    english = charts.levels_chart(ds, group, 2024, edition=Edition("en", 2024))
    chinese = charts.levels_chart(ds, group, 2024, edition=Edition("zh", 2024))
    assert chinese.figure.axes[0].get_xlabel() == "亿元"
    assert "billion yuan" in english.figure.axes[0].get_xlabel().lower()
    published = chinese.rows[chinese.rows["basis"] == derive.PUBLISHED]
    assert list(published["shown"]) == list(published["value"])  # 187.5 亿元 is drawn as 187.5
    first = published.sort_values("shown", ascending=False).iloc[0]
    assert f"{first['name_zh']}{first['value_text']}亿元" in chinese.alt
    assert first["name_en"] not in chinese.alt


def test_zh_labels_wrap_by_width_not_by_letters():
    # Chinese has no spaces and each character is about two letters wide: a long name still wraps.
    label = charts.wrap("完成“两规划一环评”的镇级工业集中区数量与面积合计", 20)
    assert label.count("\n") >= 2 and all(len(line) <= 10 for line in label.split("\n"))
    assert charts.wrap("Industrial output above designated size", 34) == "Industrial output above designated\nsize"


def test_source_line_names_the_publisher_in_the_chart_language(ds):
    cited = ["nbs_2025_retail_sales_december_2024", "xdkb_2025_guanyun_development"]
    sources = ds.sources.set_index("id").loc[cited]
    chinese = charts.source_line(ds, cited, lang="zh").replace("\n", "")
    english = charts.source_line(ds, cited, lang="en").replace("\n", " ")
    for row in sources.itertuples():
        assert row.publisher_zh in chinese and row.publisher in english
    assert "National Bureau of Statistics" not in chinese and "国家统计局" not in english


def test_a_chart_cites_the_original_of_a_copy_and_english_titles_in_the_english_edition(ds):
    """A repost read (Xinhua's report of the customs release) is cited as its original, whose Chinese
    title the English edition gives in the book's translation."""
    original = ds.sources.set_index("id").loc["gacc_2025_foreign_trade_2024"]
    chinese = charts.source_line(ds, ["xinhua_2025_foreign_trade_2024"], lang="zh").replace("\n", "")
    english = charts.source_line(ds, ["xinhua_2025_foreign_trade_2024"], lang="en").replace("\n", " ")
    assert original["publisher_zh"] in chinese and original["title"] in chinese and "新华社" not in chinese
    assert original["title_en"] in " ".join(english.split()) and "Xinhua" not in english


def test_a_chart_is_output_at_print_resolution_and_shown_at_screen_size():
    figure, ax = plt.subplots(figsize=(4, 2), dpi=100)
    ax.bar(["a", "b", "c"], [1, 2, 3])
    data, metadata = charts.png_output(figure)
    plt.close(figure)
    png = base64.b64decode(data["image/png"])
    pixels = chart_style.png_size(png)
    shown = metadata["image/png"]
    assert pixels[0] >= 2 * shown["width"] - 1 and pixels[1] >= 2 * shown["height"] - 1
    assert 300 <= shown["width"] <= 420  # about 4 inches at 100 dpi on screen, "tight" trims a little
    assert data["text/plain"].startswith("<Figure size")

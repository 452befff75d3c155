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
from countybook.render import chart_rules, charts
from countybook.data import derive  # noqa: E402
from countybook.data import load  # noqa: E402


@pytest.fixture(scope="module")
def ds():
    charts.setup()
    return load(paths.ROOT / "data")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- font ----------------------------------------------------------------------------------------

def test_setup_registers_a_cjk_font_so_chinese_draws_without_missing_glyphs(caplog):
    charts.setup()
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
    findfont_errors = [r.getMessage() for r in caplog.records
                       if r.name == "matplotlib.font_manager" and r.levelno >= logging.WARNING]
    assert not findfont_errors, findfont_errors


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


def test_grain_area_and_vegetable_base_area_differ_in_measure(ds):
    names = ds.indicators.set_index("id")
    assert names.loc["grain_sown_area", "measure"] != names.loc["vegetable_supply_base_area", "measure"]


# --- drawn charts pass the rules ------------------------------------------------------------------

def _every_chart(ds, lang="en"):
    for year in ds.years():
        for theme in [*ds.themes["id"], None]:
            figures = derive.figures_for(ds, year, theme)
            for group in charts.level_groups(figures):
                yield charts.levels_chart(ds, group, year, lang=lang)
            yield charts.growth_chart(ds, figures, year, lang=lang)
            projects = ds.projects[ds.projects["year"] == year]
            yield charts.projects_chart(ds, projects if theme is None else projects[projects["theme"] == theme],
                                        year, "none", lang=lang)


def test_every_chart_the_book_can_draw_passes_the_rules(ds):
    drawn = [chart for chart in _every_chart(ds) if chart is not None]
    assert len(drawn) >= 5
    for chart in drawn:
        assert chart_rules.violations(chart) == [], chart.alt


def test_levels_chart_converts_to_english_units_from_zero(ds):
    group = next(g for g in charts.level_groups(derive.figures_for(ds, 2024, "services_commerce"))
                 if g["unit"].iloc[0] == "亿元")
    chart = charts.levels_chart(ds, group, 2024)
    ax = chart.figure.axes[0]
    assert ax.get_xlabel() == "billion yuan"
    assert ax.get_xlim()[0] == 0
    # 280 亿元 is drawn as 28 (billion yuan)
    assert max(p.get_width() for c in ax.containers for p in c) == pytest.approx(28)
    assert not any(ch in ax.get_title() for ch in "亿元")


def test_levels_chart_draws_implied_bars_hatched_and_lighter_with_legend_below(ds):
    group = derive.figures_for(ds, 2024, "services_commerce")
    group = group[group["unit"] == "亿元"]
    chart = charts.levels_chart(ds, group, 2024)
    ax = chart.figure.axes[0]
    hatched = [p for c in ax.containers for p in c if p.get_hatch()]
    assert len(hatched) == group["yoy_pct"].notna().sum()
    assert all(p.get_alpha() == charts.IMPLIED_ALPHA for p in hatched)
    assert ax.get_legend() is not None


def test_alt_text_is_written_from_the_data(ds):
    group = derive.figures_for(ds, 2024, "services_commerce")
    chart = charts.levels_chart(ds, group[group["unit"] == "亿元"], 2024)
    assert chart.alt.startswith("Bar chart of annual flows in billion yuan")
    for name in group[group["unit"] == "亿元"]["name_en"]:
        assert name in chart.alt
    assert "28 billion yuan" in chart.alt and ".png" not in chart.alt


def test_growth_chart_needs_three_rates(ds):
    figures = derive.figures_for(ds, 2024, "industry_investment")
    assert derive.growth_ranking(figures).shape[0] < 3
    assert charts.growth_chart(ds, figures, 2024) is None
    assert charts.growth_chart(ds, derive.figures_for(ds, 2024, "services_commerce"), 2024) is not None


def test_projects_chart_caption_says_it_counts_named_projects_only(ds):
    projects = ds.projects[(ds.projects["year"] == 2024) & (ds.projects["theme"] == "industry_investment")]
    chart = charts.projects_chart(ds, projects, 2024, "newly signed projects 117")
    assert "named projects" in chart.caption and "117" in chart.caption
    ax = chart.figure.axes[0]
    stages = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    order = [s.replace("\n", " ") for s in ds.stages["en"]]
    assert [order.index(s) for s in stages] == sorted(order.index(s) for s in stages)


def test_charts_of_nothing_are_none(ds):
    empty = derive.figures_for(ds, 2022)
    assert charts.level_groups(empty) == []
    assert charts.growth_chart(ds, empty, 2022) is None
    assert charts.projects_chart(ds, ds.projects.iloc[0:0], 2022, "none") is None


# --- the Chinese edition -------------------------------------------------------------------------

def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _words(chart) -> list[str]:
    """The chart's words: title, axis labels, category ticks and legend entries (not the numbers)."""
    fig = chart.figure
    found = []
    for ax in fig.axes:
        found += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
        ticks = ax.get_yticklabels() if chart.kind != "projects" else ax.get_xticklabels()
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
    assert {chart.kind for chart in drawn} >= {"levels", "projects"}
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert not missing, missing[:3]
    assert not [r.getMessage() for r in caplog.records if r.name == "matplotlib.font_manager"
                and r.levelno >= logging.WARNING]
    assert not {alt: v for alt, v in broken.items() if v}
    for chart in drawn:
        words = _words(chart)
        # Every word on the chart is Chinese: names from name_zh, stages from stages.yml, the rest from zh.yml.
        assert words and all(_cjk(word) for word in words), words
        assert _cjk(chart.alt) and _cjk(chart.caption)
        assert _cjk(chart.figure.texts[0].get_text())  # the source line


def test_zh_levels_chart_shows_values_in_the_registry_unit_as_published(ds):
    figures = derive.figures_for(ds, 2024, "services_commerce")
    group = next(g for g in charts.level_groups(figures) if g["unit"].iloc[0] == "亿元")
    english = charts.levels_chart(ds, group, 2024)
    chinese = charts.levels_chart(ds, group, 2024, lang="zh")
    assert chinese.figure.axes[0].get_xlabel() == "亿元"
    assert "billion yuan" in english.figure.axes[0].get_xlabel()
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
    cited = ["xinhua_2025_foreign_trade_2024", "xdkb_2025_guanyun_development"]
    sources = ds.sources.set_index("id").loc[cited]
    chinese = charts.source_line(ds, cited, lang="zh").replace("\n", "")
    english = charts.source_line(ds, cited).replace("\n", " ")
    for row in sources.itertuples():
        assert row.publisher_zh in chinese and row.publisher in english
    assert "Xinhua via People's Daily Online" not in chinese and "新华社" not in english


def test_a_chart_is_output_at_print_resolution_and_shown_at_screen_size():
    figure, ax = plt.subplots(figsize=(4, 2), dpi=100)
    ax.bar(["a", "b", "c"], [1, 2, 3])
    data, metadata = charts.png_output(figure)
    plt.close(figure)
    png = base64.b64decode(data["image/png"])
    pixels = charts._png_size(png)
    shown = metadata["image/png"]
    assert pixels[0] >= 2 * shown["width"] - 1 and pixels[1] >= 2 * shown["height"] - 1
    assert 300 <= shown["width"] <= 420  # about 4 inches at 100 dpi on screen, "tight" trims a little
    assert data["text/plain"].startswith("<Figure size")

"""charts: the CJK font, implied bars, empty inputs and the furniture every chart carries."""
from __future__ import annotations

import dataclasses
import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from countybook import paths
from countybook.render import charts
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


def _bars(ax):
    return [patch for container in ax.containers for patch in container]


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


# --- levels_chart --------------------------------------------------------------------------------

def test_levels_chart_draws_implied_bars_hatched_and_lighter(ds):
    figures = derive.figures_for(ds, 2024, "industry_investment")
    unit = "亿元"
    chosen = figures[figures["unit"] == unit]
    grown = chosen[chosen["yoy_pct"].notna()]
    assert not grown.empty
    fig = charts.levels_chart(ds, figures, unit, "Industry: figures in 亿元")
    ax = fig.axes[0]
    bars = _bars(ax)
    hatched = [b for b in bars if b.get_hatch()]
    plain = [b for b in bars if not b.get_hatch()]
    # One hatched bar per implied level, at value / (1 + g/100); published bars at their values.
    expected_implied = sorted(v / (1 + g / 100) for v, g in zip(grown["value"], grown["yoy_pct"]))
    assert sorted(b.get_width() for b in hatched) == pytest.approx(expected_implied)
    assert sorted(b.get_width() for b in plain) == pytest.approx(sorted(chosen["value"]))
    assert pytest.approx(187.5 / 1.155) in [b.get_width() for b in hatched]
    assert max(b.get_alpha() for b in hatched) < min((b.get_alpha() or 1) for b in plain)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("implied" in label for label in legend)
    implied_handles = [h for h in ax.get_legend().legend_handles if "implied" in h.get_label()]
    assert implied_handles and all(h.get_hatch() for h in implied_handles)
    assert "implied" in fig.texts[0].get_text()


def test_levels_chart_without_growth_has_no_implied_entry(ds):
    figures = derive.figures_for(ds, 2024, "agriculture")
    unit = charts.largest_units(figures, 1)[0]
    fig = charts.levels_chart(ds, figures, unit, "t")
    ax = fig.axes[0]
    assert not any(b.get_hatch() for b in _bars(ax))
    assert not any("implied" in t.get_text() for t in ax.get_legend().get_texts())
    assert len(_bars(ax)) == (figures["unit"] == unit).sum()


def test_chart_groups_prefer_shared_units_then_money_then_scaled_counts(ds):
    figures = derive.figures_for(ds, 2024)
    counts = figures["unit"].value_counts()
    units = charts.largest_units(figures, len(counts))
    assert sorted(units) == sorted(counts.index)
    shared = [u for u in units if counts[u] >= 2]
    assert units[:len(shared)] == shared, "units held by one figure come last"
    assert units[0] == "亿元"
    agriculture = derive.figures_for(ds, 2024, "agriculture")
    ranked = charts.largest_units(agriculture, 3)
    assert ranked.index("万头") < ranked.index("个"), "hogs in 万头 say more about scale than tallies of bases"


# --- empty inputs --------------------------------------------------------------------------------

def test_every_chart_returns_none_for_empty_input(ds):
    figures = derive.figures_for(ds, 2024)
    none = figures.iloc[0:0]
    assert charts.levels_chart(ds, none, "亿元", "t") is None
    assert charts.levels_chart(ds, figures, "no such unit", "t") is None
    assert charts.growth_chart(ds, none, "t") is None
    assert charts.growth_chart(ds, derive.figures_for(ds, 2024, "agriculture"), "t") is None  # no growth rates
    assert charts.history_chart(ds, derive.multi_year(figures, 2024).iloc[0:0], "t") is None
    assert charts.projects_chart(ds, ds.projects.iloc[0:0], "t") is None
    assert charts.milestones_chart(ds, ds.milestones.iloc[0:0], "t") is None
    assert charts.coverage_heatmap(dataclasses.replace(ds, figures=ds.figures.iloc[0:0]), "t") is None
    assert plt.get_fignums() == [], "a chart that returns None must not leave a figure open"


# --- furniture -----------------------------------------------------------------------------------

def _charts(ds):
    """(name, figure, text the value-axis label must contain)."""
    year = 2024
    figures = derive.figures_for(ds, year)
    industry = derive.figures_for(ds, year, "industry_investment")
    history = derive.multi_year(derive.figures_for(ds), year)
    units_history = sorted(history["unit"].unique())
    return [
        ("levels", lambda: charts.levels_chart(ds, industry, "亿元", "Industry levels"), ["亿元", ds.units["亿元"]["en"]]),
        ("growth", lambda: charts.growth_chart(ds, figures, "Growth"), ["%"]),
        ("history", lambda: charts.history_chart(ds, history, "History"), units_history),
        ("projects", lambda: charts.projects_chart(ds, ds.projects[ds.projects["year"] == year], "Projects"),
         ["count"]),
        ("milestones", lambda: charts.milestones_chart(ds, ds.milestones[ds.milestones["year"] == year],
                                                       "Milestones"), ["count"]),
        ("coverage", lambda: charts.coverage_heatmap(ds, "Coverage"), ["Year"]),
    ]


@pytest.mark.parametrize("index", range(6), ids=["levels", "growth", "history", "projects", "milestones", "coverage"])
def test_each_chart_has_title_unit_label_and_source_line(ds, index):
    name, build, unit_words = _charts(ds)[index]
    fig = build()
    assert fig is not None, name
    ax = fig.axes[0]
    assert ax.get_title(loc="left").strip(), "chart has no title"
    labels = ax.get_xlabel() + " " + ax.get_ylabel()
    for word in unit_words:
        assert word in labels, f"{name}: axis labels {labels!r} lack {word!r}"
    texts = [t.get_text() for t in fig.texts]
    assert any(t.startswith("Source:") for t in texts), texts
    source = next(t for t in texts if t.startswith("Source:"))
    assert ds.sources.set_index("id").loc["xdkb_2025_guanyun_development", "publisher"] in source.replace("\n", " ")


def test_history_chart_plots_each_year_of_each_indicator(ds):
    history = derive.multi_year(derive.figures_for(ds), 2024)
    fig = charts.history_chart(ds, history, "History")
    ax = fig.axes[0]
    points = sorted((x, y) for line in ax.get_lines() for x, y in zip(line.get_xdata(), line.get_ydata()))
    assert points == sorted(zip(history["year"], history["value"]))

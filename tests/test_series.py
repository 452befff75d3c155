"""countybook.data.series: average annual growth, index, segments, and the rule that no growth rate
or line crosses a break; the long view's definitions in data/ and the page built from them."""

from __future__ import annotations

import math
import shutil

import pytest

from countybook import paths
from countybook.data import series
from countybook.data.load import load
from countybook.errors import DataError

P = series.Point
BOUNDARY_1983 = series.Break(id="b1983", kind="boundary", note_en="n", note_zh="n", after=1982)
PRICES_1957 = series.Break(id="p1957", kind="price_basis", note_en="n", note_zh="n", after=1957, indicators=("output",))


# --- arithmetic -----------------------------------------------------------------------------------
def test_average_annual_growth_is_the_compound_rate():
    assert series.cagr(100, 200, 1) == pytest.approx(100)
    assert series.cagr(100, 121, 2) == pytest.approx(10)
    # 55.08 → 88.2 over 34 years: 1.6 times, about 1.4% a year
    assert series.cagr(55.08, 88.2, 34) == pytest.approx(((88.2 / 55.08) ** (1 / 34) - 1) * 100)
    assert series.cagr(200, 100, 1) == pytest.approx(-50)


@pytest.mark.parametrize("first, last, years", [(100, 120, 0), (0, 10, 5), (10, -1, 5)])
def test_average_annual_growth_refuses_what_has_no_rate(first, last, years):
    with pytest.raises(ValueError):
        series.cagr(first, last, years)


def test_index_sets_the_first_year_to_100():
    points = [P("grain", 1990, 50.0), P("grain", 2000, 75.0), P("grain", 2024, 100.0)]
    assert series.index(points, []) == pytest.approx([100, 150, 200])


# --- breaks ---------------------------------------------------------------------------------------
def test_a_break_between_two_points_forbids_a_growth_figure():
    before, after = P("revenue", 1980, 2194.5), P("revenue", 1985, 3532.4)
    with pytest.raises(series.BreakCrossed, match="b1983"):
        series.growth_between(before, after, [BOUNDARY_1983])
    # the same two points without the break have a rate
    assert math.isfinite(series.growth_between(before, after, []))


def test_an_index_across_a_break_is_refused():
    points = [P("revenue", 1980, 1.0), P("revenue", 1985, 2.0)]
    with pytest.raises(series.BreakCrossed):
        series.index(points, [BOUNDARY_1983])


def test_points_on_one_side_of_a_break_have_a_rate():
    assert series.growth_between(
        P("revenue", 1985, 3532.4), P("revenue", 1990, 4321), [BOUNDARY_1983]
    ) == pytest.approx(((4321 / 3532.4) ** (1 / 5) - 1) * 100)


def test_a_change_of_indicator_is_a_break():
    change = series.Break(id="gnp_to_gdp", kind="concept", note_en="n", note_zh="n")
    with pytest.raises(series.BreakCrossed, match="gnp_to_gdp"):
        series.growth_between(P("gnp", 1990, 10.0), P("gdp", 2024, 400.0), [], change)


def test_a_break_for_one_indicator_leaves_the_others_alone():
    assert series.breaks_between(P("output", 1957, 1), P("output", 1990, 2), [PRICES_1957]) == [PRICES_1957]
    assert series.breaks_between(P("other", 1957, 1), P("other", 1990, 2), [PRICES_1957]) == []


def test_segments_cut_at_every_break_so_no_line_crosses_one():
    points = [P("bus", 1965, 31.5), P("bus", 1975, 10.5), P("bus", 1985, 269.3), P("bus", 1990, 184.8)]
    runs = series.segments(points, [BOUNDARY_1983])
    assert [[p.year for p in run] for run in runs] == [[1965, 1975], [1985, 1990]]
    for run in runs:
        for a, b in zip(run, run[1:]):
            assert not series.breaks_between(a, b, [BOUNDARY_1983])
    assert [(a.year, b.year) for a, b, _ in series.cut_points(points, [BOUNDARY_1983])] == [(1975, 1985)]


def test_without_breaks_one_segment_holds_every_point():
    points = [P("grain", 2024, 88.2), P("grain", 1990, 55.08)]
    assert [[p.year for p in run] for run in series.segments(points, [])] == [[1990, 2024]]


# --- the definitions in data/ ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def view(ds):
    return series.load_checked(ds)


def test_the_long_view_names_only_known_indicators_and_used_sources(ds, view):
    assert series.problems(view, ds.all_indicators()["id"], ds.sources.loc[ds.sources["status"] == "used", "id"]) == []


def test_every_series_drawn_in_the_book_crosses_no_break(ds, view):
    """For every series up to the latest year: each line segment and each growth figure lies within one run."""
    for s in series.with_points(view, ds.figures, ds.latest_year()):
        for run in series.segments(s.points, view.breaks, s.change):
            if len(run) > 1:
                assert math.isfinite(series.growth_between(run[0], run[-1], view.breaks, s.change))
        for a, b, _crossed in series.cut_points(s.points, view.breaks, s.change):
            with pytest.raises(series.BreakCrossed):
                series.growth_between(a, b, view.breaks, s.change)


def test_the_long_view_has_five_series_reaching_back_to_1990(ds, view):
    reaching = [
        s for s in series.with_points(view, ds.figures, ds.latest_year()) if s.points and s.points[0].year <= 1990
    ]
    assert len(reaching) >= 5
    grain = next(s for s in reaching if s.id == "grain")
    assert {p.year for p in grain.points} >= {1990, 2024}


def test_the_long_view_for_an_earlier_year_stops_there(ds, view):
    for s in series.with_points(view, ds.figures, 2023):
        assert all(p.year <= 2023 for p in s.points)


def test_gazetteer_figures_carry_their_source_and_clause(ds):
    old = ds.figures[ds.figures["year"] <= 1990]
    assert len(old) >= 40
    assert set(old["source"]) <= {"lianyungang_gazetteer_1990", "lianyungang_gazetteer_tables"}
    assert old["quote"].str.len().gt(0).all()


def test_older_concepts_are_never_filed_under_todays_indicator(ds):
    """GNP is not GDP, 纯收入 is not 可支配收入, all firms are not 规上: the gazetteer's rows use their own ids."""
    old = set(ds.figures.loc[ds.figures["year"] <= 1990, "indicator"])
    assert not old & {
        "gdp",
        "rural_disposable_income_per_capita",
        "industrial_output_above_scale",
        "general_budget_revenue",
        "resident_population",
        "registered_population",
    }
    historical = set(ds.indicators.loc[ds.indicators["historical"].eq(True), "id"])
    assert {"gnp", "rural_net_income_per_capita", "gross_industrial_output_gazetteer"} <= historical


def test_chapters_leave_the_old_figures_to_the_long_view(ds):
    from countybook.data import derive

    # agriculture has no 2023 figure: the chapter must not fall back to 1990
    assert derive.shown_year(ds, 2023, "agriculture") == 2023
    assert derive.chapter_figures(ds, 2024, "agriculture")["year"].min() >= ds.chapters_from


def test_a_long_view_naming_an_unknown_indicator_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    text = (data / "long_view.yml").read_text(encoding="utf-8")
    (data / "long_view.yml").write_text(
        text.replace("indicators: [hogs_raised]", "indicators: [hogs_rasied]"), encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        load(data)
    assert any("hogs_rasied" in str(p) and "long_view.yml" in str(p) for p in err.value.problems)


def test_a_break_without_its_source_is_refused(ds, view):
    bad = series.Break(id="x", kind="boundary", note_en="n", note_zh="n", after=2000, source="nowhere", quote="q")
    view2 = series.LongView(view.chapters_from, view.series, [*view.breaks, bad], view.after_1990)
    found = series.problems(view2, ds.all_indicators()["id"], ds.sources["id"])
    assert len(found) == 1 and "nowhere" in found[0].message


# --- the page ---------------------------------------------------------------------------------------
def test_the_page_draws_no_line_across_a_break(ds, monkeypatch):
    """Every drawn line's points lie in one run of the series; break marks sit between runs."""
    import matplotlib

    matplotlib.use("Agg")
    from countybook.render import long_view

    drawn = []
    monkeypatch.setattr(long_view, "display", lambda obj, **kw: drawn.append(obj))
    page = long_view.LongViewPage(ds.latest_year(), lang="en", ds=ds)
    for s in page.series:
        if len(s.points) < 2:
            continue
        chart = page._chart(s)
        ax = chart.figure.axes[0]
        runs = [[p.year for p in run] for run in series.segments(s.points, page.view.breaks, s.change)]
        solid = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
        assert sorted(list(map(int, line.get_xdata())) for line in solid) == sorted(runs)
        marks = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert len(marks) == sum(len(c) for _, _, c in series.cut_points(s.points, page.view.breaks, s.change))
        assert "Breaks:" in chart.alt
        matplotlib.pyplot.close(chart.figure)

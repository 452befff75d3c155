"""chapter.Page: for a year without figures in a theme every method displays a sentence, never raises."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from IPython.display import HTML, Markdown  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from countybook import paths
from countybook.render import chapter
from countybook.data import derive  # noqa: E402
from countybook.data import load  # noqa: E402

EMPTY_METHODS = ["summary", "headline", "chart_main_unit", "chart_second_unit", "chart_change", "chart_money",
                 "ratios", "projects", "milestones", "figures_and_sources", "key_figures"]
# Their tables right below say "no projects/milestones", so these charts show nothing at all.
SILENT_WHEN_EMPTY = ["chart_projects", "chart_milestones"]


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


@pytest.fixture
def shown(monkeypatch):
    captured = []
    monkeypatch.setattr(chapter, "display", captured.append)
    yield captured
    plt.close("all")


@pytest.mark.parametrize("year,theme", [(2023, "agriculture"), (2021, "agriculture"), (2022, "services_commerce")])
@pytest.mark.parametrize("method", EMPTY_METHODS)
def test_empty_theme_year_displays_one_sentence(ds, shown, year, theme, method):
    assert derive.figures_for(ds, year, theme).empty
    page = chapter.Page(year, theme, ds=ds)
    getattr(page, method)()
    assert len(shown) == 1, shown
    output = shown[0]
    assert isinstance(output, Markdown), f"{method} showed {type(output).__name__}, not a sentence"
    assert str(year) in output.data
    assert "No " in output.data
    assert plt.get_fignums() == [], "no figure is left open"


@pytest.mark.parametrize("method", SILENT_WHEN_EMPTY)
def test_chart_of_an_empty_table_shows_nothing(ds, shown, method):
    getattr(chapter.Page(2023, "agriculture", ds=ds), method)()
    assert shown == []
    assert plt.get_fignums() == []


def test_empty_summary_is_the_no_figures_sentence(ds, shown):
    chapter.Page(2023, "agriculture", ds=ds).summary()
    assert "No figures for this theme in 2023" in shown[0].data
    assert "Years with figures for this theme: 2024." in shown[0].data


def test_year_without_any_figure_overview_does_not_raise(ds, shown):
    page = chapter.Page(2022, None, ds=ds)
    for method in ["summary", "headline", "chart_change", "chart_money", "key_figures", "ratios"]:
        getattr(page, method)()
    assert all(isinstance(o, Markdown) for o in shown)
    assert "No figures in 2022" in shown[1].data


def test_year_with_figures_displays_a_chart_then_a_caption(ds, shown):
    """The control: the capture sees real charts and tables where data exists."""
    page = chapter.Page(2024, "industry_investment", ds=ds)
    page.chart_main_unit()
    assert isinstance(shown[0], Figure) and isinstance(shown[1], Markdown)
    assert shown[1].data.startswith("*Figure:")
    assert plt.get_fignums() == [], "the shown figure is closed"
    page.headline()
    assert isinstance(shown[2], HTML) and 'class="implied"' in shown[2].data


def test_second_unit_needs_two_figures_sharing_it(ds, shown):
    page = chapter.Page(2024, "services_commerce", ds=ds)
    counts = page.figures["unit"].value_counts()
    page.chart_second_unit()
    if len(counts) > 1 and counts.iloc[1] >= 2:
        assert isinstance(shown[0], Figure)
    else:
        assert isinstance(shown[0], Markdown) and "No further figures sharing a unit" in shown[0].data

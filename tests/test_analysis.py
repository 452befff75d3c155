"""countybook/render/analysis.py: written analysis whose numbers are references resolved from data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from countybook import paths
from countybook.data import load
from countybook.render import analysis
from countybook.render.edition import Edition
from countybook.render.messages import languages

ANALYSIS = paths.ROOT / "data" / "analysis"
TEXTS = sorted(ANALYSIS.glob("*/*.md"))
PAGES = sorted({(path.parent.name, path.name.split(".")[0]) for path in TEXTS})


@pytest.fixture(scope="module")
def ds():
    return load()


def _shown_year(ds, year: int, page: str) -> int:
    from countybook.data import derive

    theme = page if page in set(ds.themes["id"]) else None
    return derive.shown_year(ds, year, theme)


def test_there_is_written_analysis_to_check():
    assert PAGES, "no analysis texts under data/analysis/"


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_literal_number_in_an_analysis_text(path):
    lang = path.name.split(".")[1]
    assert analysis.literal_numbers(path.read_text(encoding="utf-8"), lang) == []


@pytest.mark.parametrize("year, page", PAGES)
def test_every_reference_resolves_in_every_language(ds, year, page):
    for lang in languages():
        resolved = analysis.written(ds, Edition(lang, int(year)), page, _shown_year(ds, int(year), page))
        assert resolved is not None, f"{page} has no {lang} text for {year}"
        assert not analysis.REFERENCE.search(resolved)


@pytest.mark.parametrize("year, page", PAGES)
def test_both_languages_of_a_page_cite_the_same_values(year, page):
    cited = {
        lang: set(analysis.references((ANALYSIS / year / f"{page}.{lang}.md").read_text(encoding="utf-8")))
        for lang in languages()
    }
    first, *others = cited.values()
    assert all(other == first for other in others), cited


@pytest.mark.parametrize(
    "source, lang, found",
    [
        ("grew 15.5% in {year}", "en", ["1", "5", "5"]),
        ("grew twice as fast", "en", ["twice"]),
        ("an output of three million tonnes", "en", ["three", "million"]),
        ("比上年增长１５%", "zh", ["１", "５"]),
        ("新增企业二十九家", "zh", ["二十九家"]),
        ("第一个县级中心，{value:grain_output}", "zh", []),
        ("the first county-level centre, {computed:grain_yield_above_china} above", "en", []),
    ],
)
def test_literal_numbers_are_found_outside_references(source, lang, found):
    assert analysis.literal_numbers(source, lang) == found


def test_a_number_follows_the_data_when_the_data_change(ds):
    ctx = analysis.Context(ds, Edition("en", 2024), 2024)
    before = analysis.resolve("Output rose {growth:industrial_output_above_scale}.", ctx, "probe")
    changed = ds.figures.copy()
    changed.loc[(changed["indicator"] == "industrial_output_above_scale") & (changed["year"] == 2024), "yoy_pct"] = 9.9
    after = analysis.resolve(
        "Output rose {growth:industrial_output_above_scale}.",
        analysis.Context(type(ds)(**{**ds.__dict__, "figures": changed}), Edition("en", 2024), 2024),
        "probe",
    )
    assert before == "Output rose 15.5%." and after == "Output rose 9.9%."


@pytest.mark.parametrize(
    "reference, message",
    [
        ("{value:no_such_indicator}", "no figure 'no_such_indicator' for 2024"),
        ("{computed:no_such_comparison}", "no computed value"),
        ("{benchmark:china}", "needs an area and an indicator"),
        ("{gossip:grain_output}", "unknown kind of reference 'gossip'"),
        ("{growth:grain_output}", "has no growth rate"),
    ],
)
def test_an_unresolved_reference_is_one_line_naming_file_line_and_reference(ds, reference, message):
    ctx = analysis.Context(ds, Edition("en", 2024), 2024)
    with pytest.raises(analysis.AnalysisError) as caught:
        analysis.resolve(f"A first line.\nThen {reference} here.", ctx, "data/analysis/2024/probe.en.md")
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"data/analysis/2024/probe.en.md, line 2, reference {reference}: ")
    assert message in text


def test_a_year_without_written_analysis_gets_none_not_another_years_text(ds):
    assert analysis.written(ds, Edition("en", 2023), "industry_investment") is None


def test_a_literal_number_in_a_text_stops_the_edition(ds, tmp_path):
    folder = tmp_path / "analysis" / "2024"
    folder.mkdir(parents=True)
    (folder / "agriculture.en.md").write_text("Grain output was 88.2 万吨.", encoding="utf-8")
    with pytest.raises(analysis.AnalysisError, match="literal number '8'"):
        analysis.written(ds, Edition("en", 2024), "agriculture", data_dir=tmp_path)


def test_missing_headlines_lists_the_bulletin_indicators_without_a_figure(ds):
    missing = analysis.missing_headlines(ds, 2024)
    assert len(missing) >= 6
    assert {
        "gdp",
        "general_budget_revenue",
        "disposable_income_per_capita",
        "fixed_asset_investment",
        "retail_sales_consumer_goods",
        "resident_population",
    } <= set(missing["id"])
    assert list(missing["bulletin_headline"].astype(int)) == sorted(missing["bulletin_headline"].astype(int))


def test_a_published_headline_indicator_leaves_the_missing_list(ds):
    row = dict.fromkeys(ds.figures.columns)
    row.update(
        indicator="gdp",
        year=2024,
        value=500.0,
        value_text="500",
        unit="亿元",
        qualifier="exact",
        source="xdkb_2025_guanyun_development",
        quote="地区生产总值500亿元",
    )
    figures = pd.concat([ds.figures, pd.DataFrame([row])], ignore_index=True)
    with_gdp = type(ds)(**{**ds.__dict__, "figures": figures})
    assert "gdp" not in set(analysis.missing_headlines(with_gdp, 2024)["id"])
    assert "gdp" in set(analysis.missing_headlines(ds, 2024)["id"])


def test_every_theme_with_figures_in_2024_has_written_analysis(ds):
    from countybook.data import derive

    themed = {theme for theme in ds.themes["id"] if not derive.figures_for(ds, 2024, theme).empty}
    written = {page for year, page in PAGES if year == "2024"}
    assert themed <= written
    assert {"index", "overview"} <= written


def test_texts_are_copied_not_shared_between_years(tmp_path):
    # The rule of the README: a new year starts from a copy; the old year's folder is never read for it.
    shutil.copytree(ANALYSIS, tmp_path / "analysis")
    assert analysis.text_path(2025, "overview", "en", tmp_path) == tmp_path / "analysis" / "2025" / "overview.en.md"
    assert not Path(analysis.text_path(2025, "overview", "en", tmp_path)).exists()


def _shown_markdown(page_obj, method, *args) -> str:
    from countybook.render import chapter

    shown = []
    original = chapter.display
    chapter.display = lambda obj, **kw: shown.append(getattr(obj, "data", str(obj)))
    try:
        getattr(page_obj, method)(*args)
    finally:
        chapter.display = original
    return "\n".join(shown)


@pytest.mark.parametrize("theme", ["industry_investment", "agriculture", None])
def test_a_2023_page_says_no_analysis_is_written_and_shows_no_2024_text(ds, theme):
    from countybook.render.chapter import Page

    said = _shown_markdown(Page(2023, theme, ds=ds, lang="en"), "analysis")
    assert "No analysis has been written for 2023 yet" in said
    assert "2024" not in said


def test_the_2024_page_shows_its_analysis_with_numbers_from_data(ds):
    from countybook.render.chapter import Page

    said = _shown_markdown(Page(2024, "agriculture", ds=ds, lang="zh"), "analysis")
    assert "88.2" in said and "{" not in said  # the unit may be a glossary link

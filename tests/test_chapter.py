"""chapter.Page: sections appear only with content, the shown year falls back, broken charts are refused."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from IPython.display import HTML, Markdown  # noqa: E402

from countybook import paths  # noqa: E402
from countybook.data import load  # noqa: E402
from countybook.render import chapter  # noqa: E402

SECTIONS = ["findings", "growth_chart", "ratios", "projects_chart", "projects", "milestones", "figures_table"]


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


@pytest.fixture
def shown(monkeypatch):
    captured = []
    monkeypatch.setattr(chapter, "display", lambda obj, **kwargs: captured.append((obj, kwargs)))
    yield captured
    plt.close("all")


def _texts(shown) -> str:
    return "\n".join(obj.data for obj, _ in shown if isinstance(obj, (Markdown, HTML)))


@pytest.mark.parametrize("method", ["growth_chart", "projects_chart", "projects", "comparison_chart"])
def test_a_section_with_nothing_to_show_displays_nothing(ds, shown, method):
    page = chapter.Page(2024, "agriculture", ds, lang="en")  # no growth rates, no projects, no like-for-like trio
    getattr(page, method)()
    assert shown == []


@pytest.fixture
def words_only(monkeypatch):
    """Charts drawn but not rendered to PNG (most of a page's time), for tests that read only the words."""
    monkeypatch.setattr(chapter.charts, "png_output", lambda figure: ({"text/plain": repr(figure)}, {"image/png": {}}))


@pytest.mark.usefixtures("words_only")
def test_no_placeholder_sentences_anywhere(ds, shown):
    for year in (2021, 2022, 2023, 2024):
        for theme in [*ds.themes["id"], None]:
            page = chapter.Page(year, theme, ds, lang="en")
            for method in SECTIONS:
                getattr(page, method)()
            for rank in range(3):
                page.comparison_chart(rank)
    said = _texts(shown)
    assert "for this theme in" not in said and "nothing to show" not in said.lower()


def test_a_theme_without_figures_for_the_year_shows_its_latest_year(ds, shown):
    page = chapter.Page(2024, "urban_development", ds, lang="en")
    assert page.shown_year == 2023
    page.findings()
    said = _texts(shown)
    assert "no urban development figures for 2024" in said and "latest year held, 2023" in said
    assert "2023" in said


def test_a_chart_is_shown_with_its_alt_text_and_caption_but_no_printed_heading(ds, shown):
    """The section heading is a markdown cell of the template (a real heading of the page)."""
    page = chapter.Page(2024, "industry_investment", ds, lang="en")
    page.comparison_chart(0)
    kinds = [type(obj) for obj, _ in shown]
    assert kinds == [dict, Markdown]
    assert shown[0][0]["text/plain"].startswith("<Figure size")  # what the runner's check looks for
    alt = shown[0][1]["metadata"]["image/png"]["countybook_alt"]
    assert alt.startswith("Bar chart. Of six kinds of firm in 2024") and "107" in alt


def test_no_section_prints_a_heading_from_code(ds, shown):
    """A heading printed by a cell becomes a rubric: missing from the page's contents and search titles."""
    for theme in [*ds.themes["id"], None]:
        page = chapter.Page(2024, theme, ds, lang="en")
        for method in SECTIONS:
            getattr(page, method)()
        page.comparison_chart(0)
        page.telling_comparisons()
        page.in_context()
    page.where_guanyun_stands()
    page.about_sources()
    page.economy_at_a_glance()
    page.cross_year_check()
    page.benchmark_cross_year_check()
    import re

    assert not re.search(r"^#{1,6} ", _texts(shown), re.M)


def test_the_projects_table_comes_without_a_chart(ds, shown):
    page = chapter.Page(2024, "industry_investment", ds, lang="en")
    page.projects_chart()
    assert shown == []
    page.projects()
    assert isinstance(shown[0][0], HTML) and len(shown) == 1


def test_telling_comparisons_without_any_shows_nothing(ds, shown):
    from countybook.data import computed

    page = chapter.Page(2024, "urban_development", ds, lang="en")
    assert computed.computed_for(ds, page.shown_year, "urban_development").empty
    assert page.telling_comparisons() is None and shown == []


def test_a_chart_breaking_the_rules_is_refused(ds, shown, monkeypatch):
    page = chapter.Page(2024, "industry_investment", ds, lang="en")
    monkeypatch.setattr(chapter.chart_rules, "violations", lambda chart: ["mixes units: ['万元', '亿元']"])
    with pytest.raises(chapter.ChartRuleBroken, match="mixes units"):
        page.comparison_chart(0)
    assert shown == []


def test_milestones_show_their_table(ds, shown):
    page = chapter.Page(2024, "health_education_culture", ds, lang="en")
    page.milestones()
    assert isinstance(shown[0][0], HTML) and len(shown) == 1


def test_figures_table_holds_every_year_the_chapter_mentions(ds, shown):
    page = chapter.Page(2024, "business_reform_innovation", ds, lang="en")
    page.figures_table()
    table = shown[0][0].data
    assert "214" in table and "242" in table  # 2023 and 2024 levels of tech SMEs, both in the findings


# --- context layer: In context, where Guanyun stands, About the sources, glossary links ----------
@pytest.mark.parametrize(
    "theme",
    [
        "industry_investment",
        "agriculture",
        "services_commerce",
        "business_reform_innovation",
        "livelihood_rural",
        "health_education_culture",
    ],
)
def test_in_context_shows_exactly_when_a_benchmark_compares(ds, shown, theme):
    from countybook.data.compare import context_for

    page = chapter.Page(2024, theme, ds, lang="en")
    page.in_context()
    if context_for(ds, page.shown_year, theme).empty:
        assert shown == []  # no heading, no empty section
    else:
        text = _texts(shown)
        assert "in Guanyun" in text


def test_overview_opens_with_where_guanyun_stands_and_about_the_sources(ds, shown):
    page = chapter.Page(2024, None, ds, lang="en")
    page.where_guanyun_stands()
    page.about_sources()
    text = _texts(shown)
    assert "growth rates" in text and "sources" in text
    # Gross output beside value added, and Guanyun's online retail beside China's on another price basis,
    # are said in sentences: no chart of related concepts (issue 17), in either display form.
    assert not [kwargs for obj, kwargs in shown if isinstance(obj, dict) and "image/png" in obj]


def test_prose_links_each_glossary_term_once_per_page(ds, shown):
    page = chapter.Page(2024, "industry_investment", ds, lang="en")
    page._say("规上工业总产值 and again 规上工业")
    page._say("规上 in a later paragraph")
    text = _texts(shown)
    assert text.count("09_glossary.html#term-above-designated-size") == 1
    other = chapter.Page(2024, "agriculture", ds, lang="en")
    assert "#term-above-designated-size" in other._linked("规上")  # a new page links the term again


# --- the Chinese edition -----------------------------------------------------------------------------

# Latin-letter names a Chinese page may hold: acronyms and units as the source printed them.
ALLOWED_ASCII = {"GDP", "CSV", "bp", "GWh", "LNG", "UK"}
ZH_METHODS = [
    "findings",
    "ratios",
    "projects",
    "milestones",
    "figures_table",
    "key_figures",
    "intro_edition",
    "themes_table",
    "cross_year_check",
    "years_held",
    "qualifiers_table",
    "dictionary",
]


def _seen_words(shown) -> list[str]:
    import html
    import re

    seen = re.sub(r"<(code|q|a)\b.*?</\1>", " ", _texts(shown), flags=re.S)
    seen = re.sub(r"\]\([^)]*\)|<[^>]+>", " ", seen)  # link targets and tags are not read
    return [w for w in re.findall(r"[A-Za-z]{2,}", html.unescape(seen)) if w not in ALLOWED_ASCII]


def test_page_keeps_its_language(ds):
    assert chapter.Page(2024, "agriculture", ds, lang="en").lang == "en"
    page = chapter.Page(2024, "agriculture", ds, lang="zh")
    assert page.lang == "zh" and page.title == "农业"
    assert chapter.Page(2024, None, ds, lang="zh").title != "All themes"


@pytest.mark.parametrize(
    "theme",
    [
        *[
            "industry_investment",
            "services_commerce",
            "business_reform_innovation",
            "livelihood_rural",
            "urban_development",
            "health_education_culture",
        ],
        None,
    ],
)
def test_zh_page_sections_have_no_english_words(ds, shown, theme):
    page = chapter.Page(2024, theme, ds, lang="zh")
    for method in ZH_METHODS:
        getattr(page, method)()
    words = _seen_words(shown)
    assert not words, sorted(set(words))[:20]


def test_zh_headings_and_fallback_year_come_from_the_catalogue(ds, shown):
    page = chapter.Page(2024, "urban_development", ds, lang="zh")
    page.findings()
    page.milestones()
    said = _texts(shown)
    assert "Findings" not in said and "2023" in said and "城市建设" in said


def test_zh_cross_year_check_heading_is_chinese(ds, shown):
    chapter.Page(2024, None, ds, lang="zh").cross_year_check()
    said = _texts(shown)
    if said:
        assert "Published growth against" not in said

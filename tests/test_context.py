"""countybook.render.context: "In context" sections, "where Guanyun stands" and "About the sources".

The registry's semantics of the few indicators involved are set here, so the tests do not depend on
how the registry happens to classify them: a related-concept case (industrial output, no price basis
stated) and a same-concept case (online retail at current prices).
"""

from __future__ import annotations

import dataclasses
import html

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from countybook import paths  # noqa: E402
from countybook.data import load  # noqa: E402
from countybook.render import chart_rules, chart_style, context, cross_checks, numbers, text  # noqa: E402
from countybook.render.edition import Edition
from countybook.render.messages import number_word, say  # noqa: E402

YEAR = 2024


def with_semantics(ds, **price_basis):
    indicators = ds.indicators.copy()
    indicators["measure"] = "annual_flow"
    indicators["price_basis"] = [
        price_basis.get(i, "not_stated" if k == "money" else "not_applicable")
        for i, k in zip(indicators["id"], indicators["kind"])
    ]
    return dataclasses.replace(ds, indicators=indicators)


@pytest.fixture(scope="module")
def real():
    chart_style.setup()
    return load(paths.ROOT / "data")


@pytest.fixture(scope="module")
def ds(real):
    return with_semantics(real, online_retail_sales="current")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def publisher(ds, source_id, column="publisher"):
    """The publisher a sentence names: the original publication's, where the book read a copy of it."""
    from countybook.render.citations import original_of

    return text.escape(ds.sources.set_index("id").loc[original_of(ds, source_id), column])


def test_a_theme_without_a_comparable_benchmark_has_no_section(ds):
    compared = set(ds.benchmarks["indicator"])
    themes = set(ds.indicators.loc[ds.indicators["id"].isin(compared), "theme"])
    empty = [t for t in ds.themes["id"] if t not in themes]
    assert empty, "every theme has a benchmark now: pick another empty case"
    for theme in empty:
        assert context.in_context(ds, YEAR, theme, edition=Edition("en", 2024)) is None
    assert (
        context.in_context(ds, 1990, "industry_investment", edition=Edition("en", 2024)) is None
    )  # a year without figures


def test_every_comparison_sentence_names_both_years_and_both_sources(ds):
    section = context.in_context(ds, YEAR, "industry_investment", edition=Edition("en", 2024))
    # The heading is the template's markdown cell (a real heading of the page), not printed here.
    assert section is not None and not section.markdown.lstrip().startswith("#")
    assert section.comparisons
    for comparison in section.comparisons:
        sentence = context.comparison_sentence(ds, comparison, lang="en")
        for point in (comparison.subject, comparison.benchmark):
            assert f"in {point.year}" in sentence and publisher(ds, point.source) in sentence
            assert f"{point.yoy_pct:+g}%" in sentence
        assert sentence in section.markdown


def test_a_related_concept_is_stated_with_its_note_and_never_subtracted(ds):
    section = context.in_context(ds, YEAR, "industry_investment", edition=Edition("en", 2024))
    related = [c for c in section.comparisons if c.related]
    assert related, "industrial output vs China's value added is the declared related pair"
    for comparison in related:
        sentence = context.comparison_sentence(ds, comparison, lang="en")
        assert "percentage points" not in sentence and "see the note" in sentence
        assert text.escape(" ".join(comparison.note_en.split())) in section.after


def test_a_same_concept_comparison_states_the_computed_gap(ds):
    section = context.in_context(ds, YEAR, "services_commerce", edition=Edition("en", 2024))
    same = [c for c in section.comparisons if not c.related]
    assert same, "online retail at current prices on both sides compares as one concept"
    comparison = same[0]
    gap = comparison.subject.yoy_pct - comparison.benchmark.yoy_pct
    sentence = context.comparison_sentence(ds, comparison, lang="en")
    assert f"{numbers.derived(abs(gap))} percentage points {'faster' if gap > 0 else 'slower'}" in sentence


def test_the_share_of_the_city_is_computed_from_the_two_published_levels(ds):
    section = context.in_context(ds, YEAR, "industry_investment", edition=Edition("en", 2024))
    city = [s for s in section.shares if s.whole.area == "lianyungang"]
    assert city, "Lianyungang publishes gross industrial output above designated size for 2024"
    share = city[0]
    assert share.pct == pytest.approx(share.part.value / share.whole.value * 100)
    assert (
        f"**{numbers.derived(share.pct)}%** of Lianyungang's {context._value(ds, share.whole, lang='en')}"
        in section.markdown
    )
    assert f"{share.whole.value_text} {share.whole.unit}" in section.markdown  # the value as printed, too


def with_a_second_benchmark(ds):
    """A test dataset only: China's online retail row copied as Jiangsu's with another rate, so that
    three bars of one concept exist (the book's data hold two)."""
    import pandas as pd

    china = ds.benchmarks[(ds.benchmarks["indicator"] == "online_retail_sales") & (ds.benchmarks["area"] == "china")]
    jiangsu = china.assign(area_level="province", area="jiangsu", yoy_pct=9.1)
    return dataclasses.replace(ds, benchmarks=pd.concat([ds.benchmarks, jiangsu], ignore_index=True))


def test_chart_draws_only_same_concept_bars_from_zero_under_a_sentence_title(ds):
    section = context.where_guanyun_stands(with_a_second_benchmark(ds), YEAR, edition=Edition("en", 2024))
    chart = section.chart
    assert chart is not None and chart_rules.violations(chart) == []
    fig = chart.figure
    fig.canvas.draw()
    (ax,) = fig.axes
    bars = [bar for container in ax.containers for bar in container]
    same = [c for c in section.comparisons if not c.related]
    assert same and len(same) < len(section.comparisons), "the fixture must hold a related pair too"
    # One bar per Guanyun indicator compared with a benchmark of its own concept, plus one per such benchmark.
    assert len(bars) == len({c.subject.indicator for c in same}) + len(same)
    assert not any(bar.get_hatch() for bar in bars) and not fig.legends
    assert all(bar.get_x() == 0 for bar in bars)  # every bar starts at zero
    low, high = ax.get_xlim()
    assert low <= 0 <= high
    assert not set(chart.rows["indicator"]) & {
        c.benchmark.indicator for c in section.comparisons if c.related and c.benchmark.indicator != c.subject.indicator
    }
    # The title states the widest gap, computed: Guanyun's +20% against Jiangsu's +9.1% or China's +7.2%.
    title = ax.get_title(loc="left").replace("\n", " ")
    widest = max(same, key=lambda c: abs(c.subject.yoy_pct - c.benchmark.yoy_pct))
    gap = numbers.derived(abs(widest.subject.yoy_pct - widest.benchmark.yoy_pct))
    assert title.startswith(f"In {YEAR}, online retail sales grew faster in Guanyun than in")
    assert title.endswith(f"a gap of {gap} percentage points")
    assert chart.alt.startswith("Bar chart of") and f"{YEAR}" in chart.alt


def test_gross_output_growth_is_never_drawn_beside_value_added_growth(ds):
    for year in ds.years():
        for theme in [None, *ds.themes["id"]]:
            section = (
                context.where_guanyun_stands(ds, year, edition=Edition("en", 2024))
                if theme is None
                else context.in_context(ds, year, theme, edition=Edition("en", 2024))
            )
            if section is None or section.chart is None:
                continue
            drawn = set(section.chart.rows["indicator"])
            assert not {"industrial_output_above_scale", "industrial_value_added_above_scale"} <= drawn


def test_a_real_benchmark_against_a_rate_not_stated_real_says_which_way_the_gap_runs(ds):
    section = context.where_guanyun_stands(ds, YEAR, edition=Edition("en", 2024))
    (gross,) = [c for c in section.comparisons if c.subject.indicator == "industrial_output_above_scale"]
    sentence = context.comparison_sentence(ds, gross, lang="en")
    assert gross.benchmark.price_basis == "comparable" and gross.subject.yoy_pct > gross.benchmark.yoy_pct
    assert "lead look larger" in sentence and "if they fell, the reverse" in sentence
    behind = dataclasses.replace(gross, subject=dataclasses.replace(gross.subject, yoy_pct=1.0))
    assert "shortfall look smaller" in context.comparison_sentence(ds, behind, lang="en")
    assert "价格上涨因素" in context.comparison_sentence(ds, gross, "zh")


def test_a_trillion_is_written_with_four_significant_digits(ds):
    section = context.where_guanyun_stands(ds, YEAR, edition=Edition("en", 2024))
    assert "15.52 trillion yuan" in section.markdown and "15.5225 trillion" not in section.markdown


def test_two_rates_are_said_not_drawn(ds):
    section = context.in_context(ds, YEAR, "industry_investment", edition=Edition("en", 2024))
    bars = 1 + len(section.comparisons)
    assert bars < chart_rules.MIN_BARS and section.chart is None
    assert all(context.comparison_sentence(ds, c, lang="en") in section.markdown for c in section.comparisons)


def test_where_guanyun_stands_counts_the_years_growth_rates_from_data(ds):
    figures = ds.figures[ds.figures["year"] == YEAR]
    section = context.where_guanyun_stands(ds, YEAR, edition=Edition("en", 2024))
    compared = {c.subject.indicator for c in section.comparisons}
    assert (
        say(
            "overview.compared",
            growth_count=number_word(int(figures["yoy_pct"].notna().sum()), lang="en"),
            compared_count=number_word(len(compared), lang="en"),
            year=YEAR,
            lang="en",
        )
        in section.markdown
    )
    assert section.chart is None  # two same-concept bars (Guanyun and China's online retail): said, not drawn
    assert context.where_guanyun_stands(with_a_second_benchmark(ds), YEAR, edition=Edition("en", 2024)).chart.alt
    without = context.where_guanyun_stands(ds, 2023, edition=Edition("en", 2024))
    assert say("overview.no_growth", year=2023, lang="en") in without.markdown and without.chart is None


def test_about_the_sources_follows_the_source_kinds_in_the_data(ds):
    block = context.about_sources(ds, YEAR, edition=Edition("en", 2024))
    main = ds.sources.set_index("id").loc["xdkb_2025_guanyun_development"]
    assert say(f"meaning.{main['kind']}", lang="en") in block and say("sources.no_bulletin", lang="en") in block
    sources = ds.sources.copy()
    sources.loc[sources["id"] == "xdkb_2025_guanyun_development", "kind"] = "statistical_bulletin"
    changed = context.about_sources(dataclasses.replace(ds, sources=sources), YEAR, edition=Edition("en", 2024))
    assert say("meaning.statistical_bulletin", lang="en") in changed
    assert (
        say(f"meaning.{main['kind']}", lang="en") not in changed
        and say("sources.no_bulletin", lang="en") not in changed
    )


def test_benchmark_cross_year_check_lists_every_checked_benchmark(ds):
    from countybook.data.crosscheck import cross_year_check_benchmarks

    checked = cross_year_check_benchmarks(ds)
    sentence, table = cross_checks.benchmark_cross_year(ds, edition=Edition("en", 2024))
    assert table.data.count("<tr>") == len(checked) + 1  # header row and one per check
    assert say("count.benchmark_checks", count=len(checked), lang="en") in sentence
    comparable = checked[(checked["price_basis"] == "comparable") & (checked["difference_pp"].abs() > 1)]
    assert table.data.count(say("check.comparable_prices", lang="en")) == len(comparable)


# --- the Chinese edition -------------------------------------------------------------------------
import re  # noqa: E402

from countybook.data import compare  # noqa: E402

# Names that stay as they are in Chinese prose.
ALLOWED_ASCII = {"GDP", "CSV", "GMV", "pp", "bp"}
# A source's title in another language than Chinese, marked as original-language material.
_ORIGINAL = re.compile(r'<span lang="(?!zh")[^"]*">.*?</span>', re.S)
_DOMAIN = re.compile(r"\b[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b", re.A)  # a site's name: bx2200.com
_TAG = re.compile(r"<[^>]+>")


def english_words(markdown: str) -> list[str]:
    plain = _DOMAIN.sub(" ", _TAG.sub(" ", _ORIGINAL.sub(" ", markdown)))
    return [w for w in re.findall(r"[A-Za-z]{2,}", plain) if w not in ALLOWED_ASCII]


def zh_blocks(ds):
    blocks = []
    for year in ds.years():
        for theme in ds.themes["id"]:
            section = context.in_context(ds, year, theme, edition=Edition("zh", 2024))
            if section is not None:
                blocks += [section.markdown, section.after, section.chart.alt if section.chart else ""]
        stands = context.where_guanyun_stands(ds, year, edition=Edition("zh", 2024))
        blocks += [stands.markdown, stands.after, stands.chart.alt if stands.chart else ""]
        blocks.append(context.about_sources(ds, year, edition=Edition("zh", 2024)))
    sentence, table = cross_checks.benchmark_cross_year(ds, edition=Edition("zh", 2024))
    return blocks + [sentence, table.data]


@pytest.mark.parametrize("dataset", ["real", "ds"])
def test_zh_context_has_no_english_words_but_names(request, dataset):
    chosen = request.getfixturevalue(dataset)
    # Publishers are named in Chinese (publisher_zh), titles in their own language, marked as such.
    found = {block[:80]: english_words(block) for block in zh_blocks(chosen)}
    assert not {start: words for start, words in found.items() if words}


def test_english_words_would_be_caught():
    assert english_words("灌云县 grew **+15.5%** in 2024（<a href='x'>Xinhua via bx2200.com</a>）") == [
        "grew",
        "in",
        "Xinhua",
        "via",
    ]
    assert english_words('《<span lang="en">China grows</span>》《<span lang="zh">Guanyun grows</span>》') == [
        "Guanyun",
        "grows",
    ]


def test_zh_comparison_names_areas_and_indicators_in_chinese_and_growth_as_printed(ds):
    section = context.in_context(ds, YEAR, "industry_investment", edition=Edition("zh", 2024))
    names = ds.all_indicators().set_index("id")
    areas = ds.areas.set_index("id")
    for comparison in section.comparisons:
        sentence = context.comparison_sentence(ds, comparison, lang="zh")
        for point in (comparison.subject, comparison.benchmark):
            assert areas.loc[point.area, "name_zh"] in sentence and f"{point.year}年" in sentence
            assert publisher(ds, point.source, "publisher_zh") in sentence
            assert f"增长{context._printed_pct(point.yoy_pct, point.quote)}%" in sentence
        assert names.loc[comparison.subject.indicator, "name_zh"] in sentence
        assert names.loc[comparison.subject.indicator, "name_en"] not in sentence
    related = [c for c in section.comparisons if c.related]
    assert related and " ".join(related[0].note_zh.split()).replace(" ", "") in section.after


def test_zh_growth_keeps_the_digits_the_quote_prints():
    assert context._printed_pct(5.0, "比上年增長5.0%") == "5.0"
    assert context._printed_pct(20.0, "网络零售额78亿元,增长20%") == "20"
    assert context._printed_pct(15.5, "") == "15.5"
    assert context._growth(-1.4, "zh", "下降1.4%").endswith("1.4%") and context._growth(-1.4, lang="en") == "-1.4%"


def test_zh_share_shows_both_values_as_published_and_english_units_converted_exactly(ds):
    section = context.where_guanyun_stands(ds, YEAR, edition=Edition("zh", 2024))
    online = [s for s in section.shares if s.part.indicator == "online_retail_sales" and s.whole.area == "china"]
    assert online and online[0].whole.unit == "billion yuan"
    share = online[0]
    # 15,522.5 billion yuan is 155225 亿元 exactly: no digit the source did not print, no English unit.
    assert "155225亿元" in section.markdown and "billion" not in section.markdown
    assert (
        f"{share.part.value_text}亿元" in section.markdown and f"**{numbers.derived(share.pct)}%**" in section.markdown
    )


def test_refusal_reasons_name_things_as_each_edition_does(ds):
    section = context.in_context(ds, YEAR, "industry_investment", edition=Edition("en", 2024))
    share = next(s for s in section.shares if s.whole.area == "lianyungang")
    with pytest.raises(compare.Refused) as caught:
        compare.share(ds, share.whole, share.part)  # the city as a part of the county: refused
    refusal = caught.value
    assert refusal.code == "not_contained"
    assert context.refusal_reason(ds, refusal, lang="en") == text.escape(refusal.reason)  # English: as before
    chinese = context.refusal_reason(ds, refusal, "zh")
    assert "灌云县" in chinese and "连云港市" in chinese and "guanyun" not in chinese
    mixed = compare.try_compare(ds, share.part, dataclasses.replace(share.whole, measure="cumulative", yoy_pct=1.0))
    assert mixed.code == "measures"
    assert context.refusal_reason(ds, mixed, lang="en") == text.escape(mixed.reason)
    assert say("measure_name.cumulative", "zh") in context.refusal_reason(ds, mixed, "zh")


def test_zh_about_the_sources_names_publishers_in_chinese_and_titles_in_their_language(ds):
    sources = ds.sources.set_index("id")
    used = ds.figures.loc[ds.figures["year"] == YEAR, "source"].unique()
    chinese, english = (
        context.about_sources(ds, YEAR, edition=Edition("zh", 2024)),
        context.about_sources(ds, YEAR, edition=Edition("en", 2024)),
    )
    for source_id in used:
        row = sources.loc[source_id]
        title = f'<span class="source-title" lang="{row["language"]}">{html.escape(row["title"])}</span>'
        assert title in chinese and text.escape(row["publisher_zh"]) in chinese
        assert row["publisher_zh"] == row["publisher"] or text.escape(row["publisher"]) not in chinese
        assert title in english and text.escape(row["publisher"]) in english


def test_zh_context_would_catch_an_english_publisher(ds):
    sources = ds.sources.assign(publisher_zh=ds.sources["publisher"])
    english_named = dataclasses.replace(ds, sources=sources)
    assert any(english_words(block) for block in zh_blocks(english_named))

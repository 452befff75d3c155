"""countybook.render.findings: findings compare, follow the source's emphasis, and read right."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from countybook import paths
from countybook.data import derive, load
from countybook.render import findings
from countybook.render.edition import Edition

CHINESE_UNIT_AFTER_NUMBER = re.compile(r"\d\s*(亿|万|元|吨|亩|头|件|户|个|家|人|宗|项|条|所|场|公里|小时)")


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


def chapter(ds, year, theme):
    figures = derive.figures_for(ds, year, theme)
    return findings.chapter_findings(
        ds, figures, derive.ratios_for(ds, year, theme), year, theme, edition=Edition("en", 2024)
    )


THEMES_2024 = [
    "industry_investment",
    "agriculture",
    "services_commerce",
    "business_reform_innovation",
    "livelihood_rural",
]


@pytest.mark.parametrize("theme", THEMES_2024)
def test_a_chapter_with_figures_opens_with_at_most_five_findings(ds, theme):
    assert 1 <= len(chapter(ds, 2024, theme)) <= 5


@pytest.mark.parametrize(
    "year,theme",
    [(y, t) for y in (2023, 2024) for t in [*THEMES_2024, "urban_development", "health_education_culture"]],
)
def test_no_finding_restates_a_single_figure(ds, year, theme):
    """A level without its growth rate compares with nothing: it belongs in the table, not the findings."""
    said = chapter(ds, year, theme)
    figures = derive.figures_for(ds, year, theme)
    for _, row in figures[figures["yoy_pct"].isna()].iterrows():
        assert findings.level_sentence(ds, row, lang="en") not in said


def test_the_overview_states_no_lead_figure_without_its_growth(ds):
    figures = derive.figures_for(ds, 2024)
    said = chapter(ds, 2024, None)
    bare = figures[(figures["headline"] == 1) & figures["yoy_pct"].isna()]
    assert not bare.empty
    for _, row in bare.iterrows():
        assert not any(row["name_en"].lower() in sentence.lower() for sentence in said), row["name_en"]


@pytest.mark.parametrize("theme", THEMES_2024)
def test_the_first_finding_is_the_theme_headline_figure_when_it_has_a_growth_rate(ds, theme):
    figures = derive.figures_for(ds, 2024, theme)
    lead = figures[(figures["headline"] == 1) & figures["yoy_pct"].notna()]
    if lead.empty:
        pytest.skip("the theme's headline figure has no growth rate, so it is not a finding")
    assert chapter(ds, 2024, theme)[0].startswith(lead.iloc[0]["name_en"].split(" (")[0])


def test_agriculture_leads_with_its_yield_against_china(ds):
    assert chapter(ds, 2024, "agriculture")[0].startswith("Guanyun's grain output per mu above China's: 22%")


def test_industry_leads_with_output_in_english_units_and_its_scope(ds):
    first = chapter(ds, 2024, "industry_investment")[0]
    assert "18.75 billion yuan" in first and "up 15.5% on 2023" in first
    assert "20 million yuan or more" in first  # the 规上 threshold, from data/scopes.yml
    assert "price basis not stated" in first


def test_services_against_industry_is_equivalent_to_not_a_share(ds):
    said = " ".join(chapter(ds, 2024, "services_commerce"))
    assert "equivalent to 9.49%" in said and "not a share" in said
    assert "times as large" not in said


@pytest.mark.parametrize(
    "year,theme",
    [(y, t) for y in (2021, 2023, 2024) for t in [*THEMES_2024, "urban_development", "health_education_culture", None]],
)
def test_no_chinese_unit_follows_a_number_in_findings(ds, year, theme):
    for sentence in chapter(ds, year, theme):
        assert not CHINESE_UNIT_AFTER_NUMBER.search(sentence), sentence


@pytest.mark.parametrize("year,theme", [(2024, t) for t in THEMES_2024] + [(2024, None)])
def test_every_number_in_findings_comes_from_the_data(ds, year, theme):
    """Digits in a finding are published values, their English conversion, growth rates, years or derived values."""
    figures = derive.figures_for(ds, theme=theme)
    allowed = (
        set(figures["value_text"])
        | {f"{g:g}" for g in figures["yoy_pct"].dropna()}
        | {str(y) for y in range(2000, 2031)}
    )
    for sentence in chapter(ds, year, theme):
        for number in re.findall(r"\d[\d,]*(?:\.\d+)?", sentence):
            plain = number.replace(",", "")
            assert plain in allowed or any(
                plain in findings_text for findings_text in _derived_texts(ds, year, theme)
            ), (number, sentence)


def _derived_texts(ds, year, theme):
    from countybook.render import numbers, text

    figures = derive.figures_for(ds, theme=theme)
    texts = [text.value_en(r, ds, lang="en") for _, r in figures.iterrows()]
    texts += [text.ratio_value_en(ds, r) for _, r in derive.ratios_for(ds, year, theme).iterrows()]
    for _, group in derive.multi_year(figures, year).groupby("indicator"):
        values = group.sort_values("year")["value"].tolist()
        texts.append(numbers.percent_change((values[-1] / values[-2] - 1) * 100))
    texts += [ds.scopes.set_index("id").loc[s, "note_en"] for s in ds.scopes["id"]]
    texts += list(figures["name_en"])
    from countybook.data import computed
    from countybook.render.analysis import format_computed

    telling = computed.computed_for(ds, year, theme)
    texts += [format_computed(r, ds, "en") for _, r in telling.iterrows()] + list(telling["caveat_en"])
    return [t.replace(",", "") for t in texts]


def _milestones(levels_and_types: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": f"m{i}",
                "theme": "t",
                "year": 2024,
                "level": level,
                "type": kind,
                "field": "f",
                "text_zh": "",
                "text_en": "",
                "source": "s",
                "quote": "",
            }
            for i, (level, kind) in enumerate(levels_and_types)
        ]
    )


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([], ""),
        (
            [("national", "recognition")],
            "The sources also record one milestone for 2024, including one recognition (one national).",
        ),
        (
            [("national", "recognition"), ("county", "progress")],
            "The sources also record two milestones for 2024, including one recognition (one national).",
        ),
        (
            [("provincial", "recognition"), ("provincial", "recognition"), ("county", "recognition")],
            "The sources also record three milestones for 2024, including three recognitions (two provincial and one county).",
        ),
        ([("provincial", "progress")] * 12, "The sources also record 12 milestones for 2024."),
    ],
)
def test_milestone_sentence_reads_right_for_zero_one_two_and_many(ds, rows, expected):
    class Fake:
        milestones = _milestones(rows) if rows else _milestones([]).reindex(columns=["year", "theme", "type", "level"])

    assert findings.milestones_sentence(Fake, 2024, "t", lang="en") == expected


def test_a_ranking_claim_or_a_submitted_report_is_not_counted_as_a_recognition(ds):
    said = findings.milestones_sentence(ds, 2024, "services_commerce", lang="en")
    assert "recognition" not in said  # 增幅居全省县区前列 is a ranking the source claims


def test_growth_comparison_names_fastest_and_slowest(ds):
    said = chapter(ds, 2024, "services_commerce")
    growth = [s for s in said if "grew fastest" in s]
    assert growth == [
        "Of the three figures with a published growth rate, online retail sales grew fastest (+20%) and "
        "operating revenue of services enterprises above designated size slowest (+7.8%)."
    ]


def test_an_indicator_with_an_earlier_year_states_the_change_once(ds):
    said = chapter(ds, 2024, "business_reform_innovation")
    mentions = [s for s in said if s.startswith("Technology-based SMEs registered")]
    assert len(mentions) == 1 and "214 in 2023, 242 in 2024" in mentions[0] and "+13.1%" in mentions[0]


def test_overview_compares_across_themes(ds):
    said = chapter(ds, 2024, None)
    assert said[0].startswith("Industry and investment: gross industrial output")
    assert any("grew fastest" in s for s in said)
    assert len(said) <= 5


def test_no_finding_is_repeated_word_for_word_across_chapters(ds):
    for year in ds.years():
        seen: dict[str, str] = {}
        for theme in [*ds.themes["id"], None]:
            for sentence in chapter(ds, year, theme):
                assert sentence not in seen, f"{year}: '{sentence}' in {theme} and {seen[sentence]}"
                seen[sentence] = theme


def test_overview_leads_are_short_forms_naming_their_theme(ds):
    said = chapter(ds, 2024, None)
    assert (
        said[0] == "Industry and investment: gross industrial output of enterprises above designated size "
        "18.75 billion yuan (+15.5% on 2023)."
    )
    # Services revenue against industrial output compares unlike scopes: the chapter table has it, the overview not.
    assert not any("Across themes" in s for s in said)


# --- the Chinese edition -----------------------------------------------------------------------------

# Latin-letter names a Chinese sentence may hold: acronyms and units as the source printed them.
ALLOWED_ASCII = {"GDP", "CSV", "bp", "GWh", "LNG"}


def english_words(sentence: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{2,}", sentence) if w not in ALLOWED_ASCII]


def chapter_zh(ds, year, theme):
    figures = derive.figures_for(ds, year, theme)
    return findings.chapter_findings(
        ds, figures, derive.ratios_for(ds, year, theme), year, theme, edition=Edition("zh", 2024)
    )


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("theme", [*THEMES_2024, "urban_development", "health_education_culture", None])
def test_zh_findings_have_no_english_words_and_keep_the_count(ds, year, theme):
    english, chinese = chapter(ds, year, theme), chapter_zh(ds, year, theme)
    assert len(chinese) == len(english)
    for sentence in chinese:
        assert not english_words(sentence), sentence


def test_zh_headline_is_the_published_value_with_growth_and_year(ds):
    lead = chapter_zh(ds, 2024, "industry_investment")[0]
    assert "187.5亿元" in lead and "2024年" in lead and "增长15.5%" in lead
    assert "billion" not in lead


def test_zh_bound_keeps_the_source_word(ds):
    sentences = " ".join(chapter_zh(ds, 2024, "services_commerce") + chapter_zh(ds, 2024, None))
    assert "超1.2亿件" in sentences or "超1.2亿件" in " ".join(
        findings.level_sentence(ds, r, lang="zh")
        for _, r in derive.figures_for(ds, 2024, "services_commerce").iterrows()
    )


@pytest.mark.parametrize("rows,expected", [(0, ""), (1, "1"), (2, "2"), (8, "8")])
def test_zh_milestone_sentence_counts(ds, rows, expected):
    chosen = ds.milestones[ds.milestones["year"] == 2024].head(rows)
    fake = type("Fake", (), {"milestones": chosen})
    sentence = findings.milestones_sentence(fake, 2024, None, lang="zh")
    assert (sentence == "") == (rows == 0)
    if rows:
        assert expected in sentence and "2024" in sentence and not english_words(sentence), sentence


def test_zh_down_and_up_read_differently(ds):
    row = derive.figures_for(ds, 2024).set_index("indicator").loc["industrial_output_above_scale"].copy()
    up = findings.level_sentence(ds, row, lang="zh")
    row["yoy_pct"] = -row["yoy_pct"]
    down = findings.level_sentence(ds, row, lang="zh")
    assert up != down and "15.5%" in down

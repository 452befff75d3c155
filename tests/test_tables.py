"""tables: implied values marked, every figure linked to its source with its quote, data text escaped."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from countybook import paths
from countybook.data import derive, load
from countybook.render import citations, tables
from countybook.render.edition import Edition
from countybook.render.messages import say

DATA = paths.ROOT / "data"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


def _body_rows(table_html: str) -> list[str]:
    body = table_html.split("<tbody>", 1)[1]
    return re.findall(r"<tr>(.*?)</tr>", body)


def _edit_csv(path: Path, edit) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        edit(row)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """data/ with markup in a figure quote, a milestone, a project and an indicator name."""
    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA, folder)

    def figure(row):
        if row["indicator"] == "industrial_output_above_scale":
            row["quote"] = SCRIPT + row["quote"]  # still holds "187.5亿元" and "15.5%", so it validates

    def milestone(row):
        if row["id"] == "summer_grain_growth":
            row["text_en"] = SCRIPT + row["text_en"]
            row["text_zh"] = IMG + row["text_zh"]
            row["quote"] = SCRIPT + row["quote"]

    def project(row):
        if row["id"] == "energy_storage_battery":
            row["name_en"] = IMG + row["name_en"]

    _edit_csv(folder / "figures.csv", figure)
    _edit_csv(folder / "milestones.csv", milestone)
    _edit_csv(folder / "projects.csv", project)
    registry = yaml.safe_load((folder / "indicators.yml").read_text(encoding="utf-8"))
    for entry in registry:
        if entry["id"] == "industrial_output_above_scale":
            entry["name_en"] = IMG + entry["name_en"]
    (folder / "indicators.yml").write_text(
        yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return load(folder)


# --- the chapter's figures table ---------------------------------------------------------------


def test_figures_table_marks_implied_values_in_english_units(ds):
    figures = derive.figures_for(ds, 2024, "industry_investment")
    rows = _body_rows(tables.figures_table(ds, figures, edition=Edition("en", 2024)).data)
    assert len(rows) == len(figures)
    for (_, figure), row in zip(figures.iterrows(), rows):
        spans = re.findall(r'<span class="implied">(.*?)</span>', row)
        assert len(spans) == (1 if pd.notna(figure["yoy_pct"]) else 0)
    # 187.5 亿元 after +15.5% means 187.5 / 1.155 ≈ 162.3 亿元 in 2023: about 16.2 billion yuan.
    assert (
        '<span class="implied">16.2 billion yuan (2023, implied)</span>'
        in tables.figures_table(ds, figures, edition=Edition("en", 2024)).data
    )


def test_figures_table_shows_english_value_beside_the_published_form(ds):
    figures = derive.figures_for(ds, 2024, "industry_investment")
    row = _body_rows(tables.figures_table(ds, figures, edition=Edition("en", 2024)).data)[
        list(figures["indicator"]).index("industrial_output_above_scale")
    ]
    assert "<td>18.75 billion yuan</td>" in row
    assert '<span lang="zh">187.5亿元</span>' in row


def test_a_bound_keeps_its_qualifier_in_both_forms(ds):
    figures = derive.figures_for(ds, 2024, "services_commerce")
    page = tables.figures_table(ds, figures, edition=Edition("en", 2024)).data
    assert "more than 120 million items" in page and '<span lang="zh">超1.2亿件</span>' in page


def test_one_source_is_named_once_above_the_table(ds):
    figures = derive.figures_for(ds, 2024, "agriculture")
    assert figures["source"].nunique() == 1
    page = tables.figures_table(ds, figures, edition=Edition("en", 2024)).data
    assert page.count("07_methods.html#source-") == 1
    for _, figure in figures.iterrows():
        assert f'<q lang="zh">{html.escape(figure["quote"])}</q>' in page


def test_several_sources_are_named_per_row(ds):
    figures = derive.chapter_figures(ds, 2024, "business_reform_innovation")
    assert figures["source"].nunique() > 1
    rows = _body_rows(tables.figures_table(ds, figures, edition=Edition("en", 2024)).data)
    for (_, figure), row in zip(figures.iterrows(), rows):
        assert f'href="07_methods.html#source-{figure["source"]}"' in row


def test_key_figures_follow_the_registry_key_figure_rank(ds):
    figures = derive.figures_for(ds, 2024)
    cards = re.findall(
        r'<div class="name">(.*?)</div>', tables.key_figures(ds, figures, edition=Edition("en", 2024)).data
    )
    ranked = figures[figures["key_figure"].map(lambda v: v is not None and v == v)]
    expected = [html.escape(r["name_en"]) for _, r in ranked.sort_values("key_figure").iterrows()]
    assert cards == expected and len(cards) >= 5
    # Chosen for what they say about the economy, not one per theme: no award count, no single deal.
    assert "teaching-quality" not in " ".join(cards) and "Foreign capital" not in " ".join(cards)


def test_a_key_figure_rank_reorders_the_cards(ds):
    figures = derive.figures_for(ds, 2024).copy()
    figures.loc[figures["indicator"] == "grain_output", "key_figure"] = 0.5  # ahead of industrial output
    cards = re.findall(
        r'<div class="name">(.*?)</div>', tables.key_figures(ds, figures, edition=Edition("en", 2024)).data
    )
    assert cards[0] == "Grain output"


def test_milestone_and_project_rows_link_to_their_source(ds):
    milestones = ds.milestones[ds.milestones["year"] == 2024]
    rows = _body_rows(tables.milestones(ds, milestones, edition=Edition("en", 2024)).data)
    assert len(rows) == len(milestones)
    for _, m in milestones.iterrows():  # rows are ordered by what each milestone is
        row = next(r for r in rows if html.escape(m["text_en"]) in r)
        assert f"#source-{m['source']}" in row and html.escape(m["quote"]) in row
    projects = ds.projects[ds.projects["year"] == 2024]
    rows = _body_rows(tables.projects(ds, projects, edition=Edition("en", 2024)).data)
    assert len(rows) == len(projects)
    for (_, p), row in zip(projects.iterrows(), rows):
        assert f"#source-{p['source']}" in row and html.escape(p["quote"]) in row


# --- escaping ------------------------------------------------------------------------------------


def _hostile_tables(ds):
    figures = derive.figures_for(ds, 2024)
    return {
        "figures_table": tables.figures_table(ds, figures, edition=Edition("en", 2024)).data,
        "key_figures": tables.key_figures(ds, figures, edition=Edition("en", 2024)).data,
        "milestones": tables.milestones(
            ds, ds.milestones[ds.milestones["year"] == 2024], edition=Edition("en", 2024)
        ).data,
        "projects": tables.projects(ds, ds.projects[ds.projects["year"] == 2024], edition=Edition("en", 2024)).data,
        "dictionary": tables.dictionary(ds, edition=Edition("en", 2024)).data,
    }


@pytest.mark.parametrize("name", ["figures_table", "key_figures", "milestones", "projects", "dictionary"])
def test_markup_in_data_is_escaped(hostile, name):
    page = _hostile_tables(hostile)[name]
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page or "&lt;img" in page, "the hostile text should show, escaped"


def test_hostile_quote_shows_escaped_in_its_row(hostile):
    figures = derive.figures_for(hostile, 2024, "industry_investment")
    page = tables.figures_table(hostile, figures, edition=Edition("en", 2024)).data
    assert html.escape(SCRIPT) in page
    assert html.escape(IMG) in page  # the indicator name
    milestones = tables.milestones(
        hostile, hostile.milestones[hostile.milestones["year"] == 2024], edition=Edition("en", 2024)
    ).data
    assert html.escape(SCRIPT) in milestones and html.escape(IMG) in milestones


def test_units_table_lists_every_unit_with_its_reading_and_use(ds):
    listing = tables.units(ds, edition=Edition("en", 2024)).data
    for _unit, spec in ds.units.items():
        assert html.escape(spec["en"]) in listing
    used = ds.indicators["unit"].value_counts()
    assert f"<td>{used['亿元']}</td>" in listing


def test_ratio_table_states_each_ratio_type(ds):
    page = tables.ratios(ds, derive.ratios_for(ds, 2024), edition=Edition("en", 2024)).data
    assert "size comparison (different measures)" in page and "<td>average</td>" in page
    assert "share of" not in page.lower()


def test_milestones_say_what_each_is(ds):
    page = tables.milestones(ds, ds.milestones[ds.milestones["year"] == 2024], edition=Edition("en", 2024)).data
    assert "ranking claimed by the source" in page and "<td>progress</td>" in page
    assert "recognition by a national body" in page


def test_years_held_shows_gap_years_as_dots(ds):
    page = tables.years_held(ds, edition=Edition("en", 2024)).data
    assert "<th>2022</th>" in page  # no figure for 2022, still a column
    assert "Technology-based SMEs registered" in page


# --- the Chinese edition -----------------------------------------------------------------------------

# Latin-letter names a Chinese table may hold: acronyms and units as the source printed them.
ALLOWED_ASCII = {"GDP", "CSV", "bp", "GWh", "LNG"}


def english_words(table_html: str) -> list[str]:
    """Latin words a reader sees, leaving out tags, ids in <code>, quotes, links and source titles."""
    seen = re.sub(r"<(code|q|a)\b.*?</\1>", " ", table_html, flags=re.S)
    seen = re.sub(r"<[^>]+>", " ", seen)
    return [w for w in re.findall(r"[A-Za-z]{2,}", html.unescape(seen)) if w not in ALLOWED_ASCII]


@pytest.mark.parametrize("theme", ["industry_investment", "services_commerce", "livelihood_rural", None])
def test_zh_figures_table_has_no_english_column_and_shows_values_as_published(ds, theme):
    english = tables.figures_table(ds, derive.chapter_figures(ds, 2024, theme), edition=Edition("en", 2024)).data
    chinese = tables.figures_table(ds, derive.chapter_figures(ds, 2024, theme), edition=Edition("zh", 2024)).data
    assert english.count("<th>") == chinese.count("<th>") + 1  # no English value column
    assert not english_words(chinese), english_words(chinese)
    assert "2024年" in chinese and "billion" not in chinese
    if theme == "industry_investment":
        assert "187.5亿元" in chinese and "规上工业总产值" in chinese and "162亿元" in chinese


def test_zh_implied_value_is_labelled_computed(ds):
    chinese = tables.figures_table(
        ds, derive.chapter_figures(ds, 2024, "industry_investment"), edition=Edition("zh", 2024)
    ).data
    assert re.search(r'class="implied">162亿元（2023年，[^<]+）', chinese), chinese


def test_zh_tables_have_no_english_words(ds):
    figures = derive.figures_for(ds, 2024)
    frames = [
        tables.ratios(ds, derive.ratios_for(ds, 2024), edition=Edition("zh", 2024)),
        tables.milestones(ds, ds.milestones[ds.milestones["year"] == 2024], edition=Edition("zh", 2024)),
        tables.key_figures(ds, figures, edition=Edition("zh", 2024)),
        tables.themes_overview(ds, edition=Edition("zh", 2024)),
        tables.years_held(ds, edition=Edition("zh", 2024)),
        tables.qualifiers(ds, edition=Edition("zh", 2024)),
        tables.dictionary(ds, edition=Edition("zh", 2024)),
    ]
    for table in frames:
        assert not english_words(table.data), english_words(table.data)[:10]
    # Units are listed by their keys, some printed in English by a benchmark's source (billion yuan).
    printed = {w for unit in ds.units for w in re.findall(r"[A-Za-z]{2,}", unit)}
    assert set(english_words(tables.units(ds, edition=Edition("zh", 2024)).data)) <= printed


def test_zh_projects_show_investment_as_published(ds):
    chinese = tables.projects(ds, ds.projects[ds.projects["year"] == 2024], edition=Edition("zh", 2024)).data
    assert "70亿元" in chinese and "billion" not in chinese
    # partners are names (bp); nothing else is English
    assert set(english_words(chinese)) <= {"UK"}, english_words(chinese)


def test_zh_dictionary_and_qualifiers_show_names_not_ids(ds):
    for table in (
        tables.dictionary(ds, edition=Edition("zh", 2024)).data,
        tables.qualifiers(ds, edition=Edition("zh", 2024)).data,
    ):
        assert "<code>" not in table and "more_than" not in table and "grain_output" not in table

    # The exact qualifier has no source word: the row says so in words, not with the code "exact".
    assert html.escape(say("qualifier_label.exact", "zh")) in tables.qualifiers(ds, edition=Edition("zh", 2024)).data
    assert "<code>grain_output</code>" in tables.dictionary(ds, edition=Edition("en", 2024)).data


def test_every_source_has_its_chinese_note(ds):
    assert (ds.sources["note_zh"].str.strip() != "").all()
    assert ds.sources["note_zh"].str.contains(r"[\u4e00-\u9fff]", regex=True).all()


# A site's name, kept as it is in Chinese text: bx2200.com, big5.cri.cn, aap.com.au.
DOMAIN = re.compile(r"\b[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b", re.A)


def test_every_source_has_its_chinese_publisher(ds):
    for source_id, publisher_zh in zip(ds.sources["id"], ds.sources["publisher_zh"]):
        assert re.search(r"[\u4e00-\u9fff]", publisher_zh) or DOMAIN.fullmatch(publisher_zh), source_id
        assert not re.findall(r"[A-Za-z]{2,}", DOMAIN.sub(" ", publisher_zh)), (source_id, publisher_zh)
    assert DOMAIN.sub(" ", "Xinhua via People's Daily Online") != " "  # the check would catch English


def test_links_and_quotes_carry_their_source_language(ds):
    english_source = citations.source_link(ds, "nbs_2025_retail_sales_december_2024", "sales rose 3.5%", lang="zh")
    assert 'lang="en">Total Retail Sales of Consumer Goods in December 2024</span></a>' in english_source
    assert '<q lang="en">sales rose 3.5%</q>' in english_source
    chinese_source = citations.source_link(ds, "xdkb_2025_guanyun_development", "增长15.5%", lang="zh")
    assert (
        'lang="zh">连云港灌云高质量发展迈出坚实步伐</span></a>' in chinese_source
        and '<q lang="zh">增长15.5%</q>' in chinese_source
    )
    shared = tables.figures_table(
        ds, derive.chapter_figures(ds, 2024, "industry_investment"), edition=Edition("zh", 2024)
    ).data
    assert shared.count('<q lang="zh">') == len(derive.chapter_figures(ds, 2024, "industry_investment"))


def test_english_tables_keep_both_forms(ds):
    english = tables.figures_table(
        ds, derive.chapter_figures(ds, 2024, "industry_investment"), edition=Edition("en", 2024)
    ).data
    assert "<th>Value</th><th>As published</th>" in english and "18.75 billion yuan" in english


# --- the book agrees with itself (issue 17) --------------------------------------------------------


def _overview_rows(ds, year, lang="en"):
    """Theme title -> the figures cell of the overview's per-theme table."""
    table = tables.themes_overview(ds, edition=Edition(lang, year)).data
    rows = {}
    for row in _body_rows(table):
        cells = re.findall(r"<td>(.*?)</td>", row)
        rows[html.unescape(re.sub(r"<br>.*", "", cells[0]))] = html.unescape(cells[1])
    return rows


@pytest.mark.parametrize("year", [2023, 2024])
def test_the_per_theme_table_counts_what_each_chapter_shows(ds, year):
    """Urban development shows nine 2023 figures in the 2024 edition; its row said 0 (review N3)."""
    rows = _overview_rows(ds, year)
    titles = ds.themes.set_index("id")["title_en"]
    for theme, title in titles.items():
        if title not in rows:
            continue
        shown = derive.chapter_figures(ds, year, theme)
        cell = rows[title]
        assert int(cell.split(" ")[0]) == len(shown), (title, cell)
        other_years = sorted(set(shown["year"]) - {year})
        for other in other_years:
            assert str(other) in cell  # the year is said where it differs
        if not other_years and len(shown):
            assert cell == str(len(shown))


def test_the_urban_row_says_nine_of_2023(ds):
    rows = _overview_rows(ds, 2024)
    assert rows["Urban development"] == f"{len(derive.chapter_figures(ds, 2024, 'urban_development'))} (2023)"
    assert "2023" in rows["Business environment, reform and innovation"]
    zh = tables.themes_overview(ds, edition=Edition("zh", 2024)).data
    assert "（2023年）" in zh and "2023年1项" in zh


def test_the_dictionary_gives_levels_at_current_prices_where_growth_is_at_comparable_prices(ds):
    """GDP levels are at current prices; only their growth is at comparable prices (review: 'comparable')."""
    table = tables.dictionary(ds, edition=Edition("en", 2024)).data
    comparable = ds.indicators[ds.indicators["price_basis"] == "comparable"]
    assert not comparable.empty
    for row in _body_rows(table):
        code = re.search(r"<code>(.*?)</code>", row).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row)
        price = html.unescape(cells[5])
        if code in set(comparable["id"]):
            assert price == "levels: current prices; growth: comparable prices", (code, price)
        else:
            assert "comparable" not in price
    assert "总量按现价，增速按可比价" in tables.dictionary(ds, edition=Edition("zh", 2024)).data


def test_no_ratio_sets_online_retail_against_e_commerce_value(ds):
    """The glossary says the book never gives one as a share of the other."""
    pair = {"online_retail_sales", "ecommerce_transaction_volume"}
    assert not [r for r in ds.ratios.itertuples() if {r.numerator, r.denominator} == pair]
    services = ds.ratios.set_index("id").loc["services_revenue_to_industrial_output"]
    assert services["type"] == "equivalent_to"  # not a share: the overview's findings can leave it out


def test_the_english_edition_renders_chinese_quotes_and_titles_and_the_chinese_one_does_not(ds):
    figures = derive.chapter_figures(ds, 2024, "industry_investment")
    english = tables.figures_table(ds, figures, Edition("en", 2024)).data
    chinese = tables.figures_table(ds, figures, Edition("zh", 2024)).data
    assert english.count('class="translation"') == len(figures) + 1  # every quote, and the shared source's title
    assert 'class="translation"' not in chinese
    assert "Book&#x27;s translation: “117 newly signed projects of over 100 million yuan each”" in english


def test_chinese_methods_tables_name_qualifiers_and_units_in_chinese(ds):
    # A qualifier is named for the reader (超过, 约数), not by its id; an English source's unit
    # (billion yuan) is not a unit a Chinese reader meets in this edition.
    qualifiers = tables.qualifiers(ds, edition=Edition("zh", 2024)).data
    assert "more_than" not in qualifiers and "<code>" not in qualifiers and "超过" in qualifiers
    units = tables.units(ds, edition=Edition("zh", 2024)).data
    assert "billion yuan" not in units and "亿元" in units
    assert "billion yuan" in tables.units(ds, edition=Edition("en", 2024)).data

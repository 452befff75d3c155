"""countybook.data.load: the real data/ loads with the published figures, the article backs every quote,
and every kind of broken input gives one DataError naming file, row and field."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from countybook import paths
from countybook.data import load
from countybook.errors import DataError

DATA = paths.ROOT / "data"
FIXTURES = Path(__file__).parent / "fixtures" / "data"
ARTICLE = paths.SOURCES_DIR / "guanyun-2024-development-article.txt"
ARTICLE_SOURCE = "xdkb_2025_guanyun_development"


@pytest.fixture(scope="module")
def dataset():
    return load(DATA)


def copy_data(tmp_path: Path) -> Path:
    """A private copy of the real data/ folder, to break one file of."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


# --- 1. the real data --------------------------------------------------------------------------

# (indicator, year, value, unit, qualifier, yoy_pct) as published in the 2024 article and the
# 2023 work report; written out by hand from data/figures.csv, so a changed cell fails here.
PUBLISHED = [
    ("signed_projects_over_100m", 2024, 117, "个", "exact", None),
    ("signed_projects_planned_investment", 2024, 375.8, "亿元", "exact", None),
    ("foreign_capital_introduced_bp", 2024, 5000, "万美元", "exact", None),
    ("storage_battery_project_capacity", 2024, 12, "GWh", "exact", None),
    ("key_projects_investment_completed", 2024, 160.8, "亿元", "exact", None),
    ("hazardous_chemicals_wharf_class", 2024, 5, "万吨级", "exact", None),
    ("industrial_output_above_scale", 2024, 187.5, "亿元", "exact", 15.5),
    ("provincial_quality_smes", 2024, 107, "家", "exact", None),
    ("grain_sown_area", 2024, 182.4, "万亩", "exact", None),
    ("grain_output", 2024, 88.2, "万吨", "exact", None),
    ("hogs_raised", 2024, 105, "万头", "exact", None),
    ("hogs_slaughtered", 2024, 69, "万头", "exact", None),
    ("services_revenue_above_scale", 2024, 17.8, "亿元", "exact", 7.8),
    ("postal_delivery_volume", 2024, 1.2, "亿件", "more_than", None),
    ("ecommerce_transaction_volume", 2024, 280, "亿元", "exact", 15),
    ("online_retail_sales", 2024, 78, "亿元", "exact", 20),
    ("online_bidding_share", 2024, 100, "%", "exact", None),
    ("land_parcels_sold", 2024, 37, "宗", "exact", None),
    ("land_area_sold", 2024, 2400.7, "亩", "exact", None),
    ("reform_items", 2024, 38, "项", "exact", None),
    ("ecological_river_length", 2024, 182, "公里", "exact", None),
    ("rural_sewage_treatment_rate", 2024, 49.7, "%", "exact", None),
    ("poverty_microcredit_households", 2024, 3068, "户", "exact", None),
    ("poverty_microcredit_amount", 2024, 1.4, "亿元", "exact", None),
    ("urban_new_jobs", 2024, 6731, "人", "exact", None),
    ("startup_loan_amount", 2024, 2.6, "亿元", "exact", None),
    ("new_pension_insured", 2024, 7390, "人", "exact", None),
    ("tech_smes_registered", 2023, 214, "家", "exact", None),
    ("tech_smes_registered", 2024, 242, "家", "exact", None),
    ("urban_green_space_added", 2023, 17.21, "万平方米", "exact", None),
    ("business_startup_hours", 2023, 4, "小时", "exact", None),
    ("express_delivery_volume", 2021, 5000, "万件", "more_than", None),
]


@pytest.mark.parametrize(
    "indicator, year, value, unit, qualifier, yoy_pct", PUBLISHED, ids=[f"{row[0]}-{row[1]}" for row in PUBLISHED]
)
def test_published_figure(dataset, indicator, year, value, unit, qualifier, yoy_pct):
    figures = dataset.figures
    match = figures[(figures["indicator"] == indicator) & (figures["year"] == year)]
    assert len(match) == 1
    figure = match.iloc[0]
    assert figure["value"] == value
    assert figure["unit"] == unit
    assert figure["qualifier"] == qualifier
    if yoy_pct is None:
        assert math.isnan(figure["yoy_pct"])
    else:
        assert figure["yoy_pct"] == yoy_pct


def test_figures_are_typed(dataset):
    figures = dataset.figures
    assert figures["year"].dtype == "int64"
    assert figures["value"].dtype == "float64"
    assert figures["yoy_pct"].dtype == "float64"
    # The text as published is kept next to the number (187.5, not 187.50).
    row = figures[figures["indicator"] == "land_area_sold"].iloc[0]
    assert row["value_text"] == "2400.7"


def test_each_indicator_has_one_figure_a_year(dataset):
    duplicated = dataset.figures[dataset.figures.duplicated(["indicator", "year"], keep=False)]
    assert duplicated.empty, duplicated[["indicator", "year"]].to_string()


def test_every_figure_uses_its_registry_unit(dataset):
    registry = dict(zip(dataset.indicators["id"], dataset.indicators["unit"]))
    mismatched = [
        (row.indicator, row.year, row.unit, registry.get(row.indicator))
        for row in dataset.figures.itertuples()
        if registry.get(row.indicator) != row.unit
    ]
    assert mismatched == []


def test_years_come_from_the_figures(dataset):
    assert dataset.years() == [2021, 2023, 2024]
    assert dataset.latest_year() == 2024


# --- 2. the article backs every quote --------------------------------------------------------

# Digit runs in the article that are not figures of the county, so no quote need hold them.
NOT_FIGURES = {
    "2024",  # the year being reported on (2024年全年…)
    "2025",  # the year of the closing outlook (2025年是“十四五”规划的收官之年)
}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def article() -> str:
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not here: {ARTICLE}")
    text = ARTICLE.read_text(encoding="utf-8")
    # The article's text is wrapped anywhere, even inside a word (落\n\n地): join it all up.
    return text.replace("\r", "").replace("\n", "")


def article_quotes(dataset) -> list[tuple[str, str, str]]:
    """(file, id, quote) of every row that quotes the article."""
    quotes = []
    for name, frame, key in [
        ("figures.csv", dataset.figures, "indicator"),
        ("projects.csv", dataset.projects, "id"),
        ("milestones.csv", dataset.milestones, "id"),
    ]:
        rows = frame[frame["source"] == ARTICLE_SOURCE]
        quotes += [(name, row[key], row["quote"]) for _, row in rows.iterrows()]
    return quotes


def test_article_quotes_are_verbatim(dataset, article):
    quotes = article_quotes(dataset)
    assert len(quotes) > 50  # figures, projects and milestones all quote it
    missing = [(name, key, quote) for name, key, quote in quotes if quote not in article]
    assert missing == []


def test_every_number_in_the_article_is_quoted(dataset, article):
    quoted = {number for _, _, quote in article_quotes(dataset) for number in NUMBER.findall(quote)}
    written = set(NUMBER.findall(article))
    assert "187.5" in written and "6731" in written  # the regex reads the article's numbers
    assert sorted(written - NOT_FIGURES - quoted, key=float) == []


# --- 3. broken input ---------------------------------------------------------------------------


def fixture(name):
    """Replace the data file by tests/fixtures/data/<name>."""

    def apply(folder: Path, target: str):
        shutil.copyfile(FIXTURES / name, folder / target)

    apply.__name__ = name
    return apply


def replace(old, new):
    """Edit the data file: replace the first occurrence of `old` (which must be there) by `new`."""

    def apply(folder: Path, target: str):
        path = folder / target
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {target}: the edit is out of date"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def prepend_first_entry():
    """Edit a YAML list: write its first entry a second time, right after itself."""

    def apply(folder: Path, target: str):
        path = folder / target
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        starts = [n for n, line in enumerate(lines) if line.startswith("- ")]
        first = lines[starts[0] : starts[1]]
        path.write_text("".join(lines[: starts[0]] + first + lines[starts[0] :]), encoding="utf-8")

    return apply


def drop_first_line(start: str):
    """Edit the data file: remove the first line that begins with `start`."""

    def apply(folder: Path, target: str):
        path = folder / target
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        number = next(n for n, line in enumerate(lines) if line.startswith(start))
        path.write_text("".join(lines[:number] + lines[number + 1 :]), encoding="utf-8")

    return apply


def delete(folder: Path, target: str):
    (folder / target).unlink()


# (case, file of data/ to break, how, {(file, row, field) of every problem}, a word of the message)
BROKEN = [
    (
        "missing column",
        "figures.csv",
        fixture("broken_missing_column.csv"),
        {("figures.csv", 1, "qualifier")},
        "column is missing",
    ),
    (
        "unknown indicator",
        "figures.csv",
        fixture("broken_unknown_indicator.csv"),
        {("figures.csv", 3, "indicator")},
        "unknown indicator id",
    ),
    (
        "wrong unit",
        "figures.csv",
        fixture("broken_wrong_unit.csv"),
        {("figures.csv", 4, "unit")},
        "differs from the unit the registry gives",
    ),
    (
        "duplicate (indicator, year)",
        "figures.csv",
        fixture("broken_duplicate_row.csv"),
        {("figures.csv", 3, "year"), ("figures.csv", 5, "year")},
        "duplicate (indicator, year)",
    ),
    (
        "text in a number",
        "figures.csv",
        fixture("broken_text_in_number.csv"),
        {("figures.csv", 3, "value")},
        "must be a number",
    ),
    (
        "text in a growth rate",
        "figures.csv",
        fixture("broken_text_in_growth_rate.csv"),
        {("figures.csv", 3, "yoy_pct")},
        "must be blank or a number",
    ),
    (
        "negative count",
        "figures.csv",
        fixture("broken_negative_count.csv"),
        {("figures.csv", 2, "value")},
        "must not be negative",
    ),
    (
        "share over 100",
        "figures.csv",
        fixture("broken_share_over_100.csv"),
        {("figures.csv", 4, "value")},
        "within 0-100",
    ),
    (
        "non-whole count",
        "figures.csv",
        fixture("broken_non_whole_count.csv"),
        {("figures.csv", 2, "value")},
        "whole number",
    ),
    (
        "quote without its number",
        "figures.csv",
        fixture("broken_quote_without_number.csv"),
        {("figures.csv", 3, "quote")},
        "does not contain the value",
    ),
    (
        "quote without its growth rate",
        "figures.csv",
        fixture("broken_quote_without_growth_rate.csv"),
        {("figures.csv", 2, "quote")},
        "growth rate",
    ),
    (
        "unknown source",
        "figures.csv",
        fixture("broken_unknown_source.csv"),
        {("figures.csv", 3, "source")},
        "unknown source id",
    ),
    (
        "excluded source",
        "figures.csv",
        fixture("broken_excluded_source.csv"),
        {("figures.csv", 2, "source")},
        "excluded",
    ),
    (
        "unknown qualifier",
        "figures.csv",
        fixture("broken_unknown_qualifier.csv"),
        {("figures.csv", 2, "qualifier")},
        "unknown qualifier",
    ),
    (
        "year out of range",
        "figures.csv",
        fixture("broken_year_out_of_range.csv"),
        {("figures.csv", 3, "year")},
        "whole year from 1949 to 2100",
    ),
    (
        "unclosed quote",
        "figures.csv",
        fixture("broken_unclosed_quote.csv"),
        {("figures.csv", 3, "(row)")},
        "broken CSV quoting",
    ),
    (
        "too many cells",
        "figures.csv",
        fixture("broken_too_many_cells.csv"),
        {("figures.csv", 4, "(row)")},
        "has 9 cells, the header has 8",
    ),
    ("GBK-encoded file", "figures.csv", fixture("broken_gbk_encoded.csv"), {("figures.csv", 2, "(file)")}, "not UTF-8"),
    ("empty file", "milestones.csv", fixture("broken_empty.csv"), {("milestones.csv", 1, "(header)")}, "file is empty"),
    ("missing file", "sources.csv", delete, {("sources.csv", None, "(file)")}, "file is missing"),
    (
        "investment without unit",
        "projects.csv",
        fixture("broken_project_investment_without_unit.csv"),
        {("projects.csv", 3, "investment_unit")},
        "needs its unit and basis",
    ),
    (
        "unknown milestone level",
        "milestones.csv",
        fixture("broken_milestone_unknown_level.csv"),
        {("milestones.csv", 2, "level")},
        "unknown level",
    ),
    ("malformed YAML", "themes.yml", fixture("broken_malformed.yml"), {("themes.yml", 4, "(file)")}, "malformed YAML"),
    (
        "units not a mapping",
        "units.yml",
        fixture("broken_units_not_a_mapping.yml"),
        {("units.yml", None, "(file)")},
        "must be a mapping",
    ),
    (
        "unknown theme id",
        "indicators.yml",
        replace("  theme: industry_investment\n", "  theme: industry\n"),
        {("indicators.yml", 1, "theme")},
        "unknown theme id",
    ),
    (
        "unknown unit in the registry",
        "indicators.yml",
        replace("  unit: 个\n", "  unit: 只\n"),
        {("indicators.yml", 1, "unit"), ("figures.csv", 2, "unit")},
        "add it to data/units.yml",
    ),
    (
        "duplicate registry id",
        "indicators.yml",
        prepend_first_entry(),
        # the copy also repeats the entry's headline rank within its theme
        {
            ("indicators.yml", 1, "id"),
            ("indicators.yml", 2, "id"),
            ("indicators.yml", 1, "headline"),
            ("indicators.yml", 2, "headline"),
        },
        "is not unique",
    ),
    (
        "non-snake_case registry id",
        "ratios.yml",
        replace("id: grain_yield_per_mu", "id: Grain-Yield"),
        {("ratios.yml", 1, "id")},
        "snake_case",
    ),
    (
        "entry missing a field",
        "stages.yml",
        replace("{id: signed, order: 1, ", "{id: signed, "),
        {("stages.yml", 1, "order")},
        "field is missing",
    ),
    # Every run would die dividing by it: refused when the data are validated.
    (
        "ratio denominator of 0",
        "figures.csv",
        replace(
            "grain_sown_area,2024,182.4,万亩,exact,,,xdkb_2025_guanyun_development,粮食播种面积182.4万亩",
            "grain_sown_area,2024,0,万亩,exact,,,xdkb_2025_guanyun_development,粮食播种面积0万亩",
        ),
        {("figures.csv", 18, "value")},
        "a ratio in ratios.yml divides by this indicator",
    ),
    # The Chinese edition shows both: without them it would print English.
    (
        "source without its Chinese publisher",
        "sources.csv",
        replace("现代快报 (Modern Express),现代快报,", "现代快报 (Modern Express),,"),
        {("sources.csv", 2, "publisher_zh")},
        "must not be empty",
    ),
    (
        "source without its Chinese note",
        "sources.csv",
        replace(
            'Annual figures only.",转载的县政府工作报告（2023年工作回顾）；根据内容归属灌云（摘录中没有页面标题）。仅用全年数据。,',
            'Annual figures only.",,',
        ),
        {("sources.csv", 4, "note_zh")},
        "must not be empty",
    ),  # row 3 is the report this repost copies
]


@pytest.mark.parametrize(
    "target, how, expected, wording", [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_broken_data_names_file_row_and_field(tmp_path, target, how, expected, wording):
    folder = copy_data(tmp_path)
    how(folder, target)
    with pytest.raises(DataError) as caught:
        load(folder)
    problems = caught.value.problems
    assert {(p.file, p.row, p.field) for p in problems} == {
        (f"data/{file}", row, field) for file, row, field in expected
    }
    assert any(wording in p.message for p in problems), [p.message for p in problems]
    # One line per problem, each naming where it is.
    lines = str(caught.value).splitlines()
    assert len(lines) == len(problems)
    for line, problem in zip(lines, problems):
        where = f"row {problem.row}" if problem.row is not None else "whole file"
        assert line.startswith(f"{problem.file}, {where}, field '{problem.field}': ")


def test_problems_in_several_files_are_reported_together(tmp_path):
    folder = copy_data(tmp_path)
    fixture("broken_negative_count.csv")(folder, "figures.csv")
    fixture("broken_milestone_unknown_level.csv")(folder, "milestones.csv")
    with pytest.raises(DataError) as caught:
        load(folder)
    assert {(p.file, p.row, p.field) for p in caught.value.problems} == {
        ("data/figures.csv", 2, "value"),
        ("data/milestones.csv", 2, "level"),
    }


def test_figures_with_a_byte_order_mark_load(tmp_path, dataset):
    folder = copy_data(tmp_path)
    path = folder / "figures.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    loaded = load(folder)
    assert loaded.figures.columns[0] == "indicator"
    pd.testing.assert_frame_equal(loaded.figures, dataset.figures)


def test_a_registry_with_a_byte_order_mark_loads(tmp_path, dataset):
    folder = copy_data(tmp_path)
    path = folder / "indicators.yml"
    path.write_bytes("\ufeff".encode("utf-8") + path.read_bytes())
    assert list(load(folder).indicators["id"]) == list(dataset.indicators["id"])


@pytest.mark.parametrize("written", ["2024.0", "02024", "\uff12\uff10\uff12\uff14", " 2024x"])
def test_a_year_in_any_but_its_one_written_form_is_refused_in_every_file(tmp_path, written):
    # int() and float() read all of these as 2024, but the duplicate checks compare the text:
    # '02024' beside '2024' was a second figure for the same indicator and year.
    folder = copy_data(tmp_path)
    replace("grain_output,2024,", f"grain_output,{written},")(folder, "figures.csv")
    replace(
        "sports_hall_upgrade,health_education_culture,2024,", f"sports_hall_upgrade,health_education_culture,{written},"
    )(folder, "projects.csv")
    replace("tcm_culture_week,health_education_culture,2024,", f"tcm_culture_week,health_education_culture,{written},")(
        folder, "milestones.csv"
    )
    with pytest.raises(DataError) as caught:
        load(folder)
    assert {(p.file, p.field) for p in caught.value.problems} == {
        ("data/figures.csv", "year"),
        ("data/projects.csv", "year"),
        ("data/milestones.csv", "year"),
    }
    assert all("written as plain digits" in p.message for p in caught.value.problems)


def test_a_stray_temporary_file_in_the_data_folder_is_not_data(tmp_path, dataset):
    """What an interrupted writer or an editor leaves behind (hidden, half-written) is passed over."""
    folder = copy_data(tmp_path)
    (folder / ".figures.csv.tmp123").write_text('indicator,year\n"unclosed', encoding="utf-8")
    (folder / ".themes.yml").write_text("- [broken", encoding="utf-8")
    (folder / ".glossary.yml.swp").write_bytes(b"\x00\xff")
    assert load(folder).figures.equals(dataset.figures)


def test_a_folder_without_data_files_is_refused_at_once_in_one_line(tmp_path):
    with pytest.raises(DataError) as caught:
        load(tmp_path)
    assert str(caught.value).count("\n") == 0 and "is not a data folder" in str(caught.value)


def test_load_defaults_to_the_data_folder_named_by_the_environment(tmp_path, monkeypatch):
    folder = copy_data(tmp_path)
    fixture("broken_negative_count.csv")(folder, "figures.csv")
    monkeypatch.setenv("COUNTYBOOK_DATA", str(folder))
    with pytest.raises(DataError):
        load()


def test_a_value_in_a_unit_that_converts_is_loaded_in_the_registry_unit(tmp_path):
    """848656 吨 for grain output (registry: 万吨) loads as 84.8656 万吨, the printed form kept beside it."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(
        text
        + ("" if text.endswith("\n") else "\n")
        + "grain_output,2025,848656,吨,exact,0.02,,xdkb_2025_guanyun_development,"
        "粮食 | 吨 | 848656 | 0.02\n",
        encoding="utf-8",
    )
    row = load(folder).figures.set_index(["indicator", "year"]).loc[("grain_output", 2025)]
    assert (row["value_text"], row["unit"], row["value"]) == ("84.8656", "万吨", 84.8656)
    assert (row["published_value"], row["published_unit"]) == ("848656", "吨")


# --- 4. benchmarks: the same one-line errors -----------------------------------------------------
BROKEN_BENCHMARKS = [
    (
        "unknown area",
        "benchmarks.csv",
        fixture("broken_benchmark_unknown_area.csv"),
        {("benchmarks.csv", 3, "area")},
        "unknown area id",
    ),
    (
        "the book's own county",
        "benchmarks.csv",
        fixture("broken_benchmark_subject_area.csv"),
        {("benchmarks.csv", 3, "area")},
        "belong in data/figures.csv",
    ),
    (
        "level differs from the area's",
        "benchmarks.csv",
        fixture("broken_benchmark_level_differs_from_area.csv"),
        {("benchmarks.csv", 3, "area_level")},
        "differs from the level",
    ),
    (
        "quote without its value",
        "benchmarks.csv",
        fixture("broken_benchmark_quote_without_value.csv"),
        {("benchmarks.csv", 3, "quote")},
        "does not contain the value",
    ),
    (
        "quote without its growth rate",
        "benchmarks.csv",
        fixture("broken_benchmark_quote_without_growth_rate.csv"),
        {("benchmarks.csv", 3, "quote")},
        "growth rate",
    ),
    (
        "unknown price basis",
        "benchmarks.csv",
        fixture("broken_benchmark_unknown_price_basis.csv"),
        {("benchmarks.csv", 3, "price_basis")},
        "unknown price basis",
    ),
    (
        "unit of another base",
        "benchmarks.csv",
        fixture("broken_benchmark_unconvertible_unit.csv"),
        {("benchmarks.csv", 3, "unit")},
        "cannot be converted",
    ),
    (
        "value without unit",
        "benchmarks.csv",
        fixture("broken_benchmark_value_without_unit.csv"),
        {("benchmarks.csv", 3, "unit")},
        "needs its unit",
    ),
    (
        "neither value nor growth",
        "benchmarks.csv",
        fixture("broken_benchmark_neither_value_nor_growth_rate.csv"),
        {("benchmarks.csv", 3, "value")},
        "needs a value or a growth rate",
    ),
    (
        "excluded source",
        "benchmarks.csv",
        fixture("broken_benchmark_excluded_source.csv"),
        {("benchmarks.csv", 3, "source")},
        "excluded",
    ),
    (
        "duplicate benchmark",
        "benchmarks.csv",
        fixture("broken_benchmark_duplicate_row.csv"),
        {("benchmarks.csv", 2, "year"), ("benchmarks.csv", 4, "year")},
        "duplicate (area, indicator, year",
    ),
    (
        "benchmark-only indicator among Guanyun's figures",
        "figures.csv",
        replace("signed_projects_over_100m,2024,", "retail_sales_rural,2024,"),
        {("figures.csv", 2, "indicator")},
        "benchmark-only indicator",
    ),
    (
        "benchmark_only written as text",
        "indicators.yml",
        replace("  benchmark_only: true\n", "  benchmark_only: 'yes'\n"),
        {("indicators.yml", 174, "benchmark_only")},
        "true or false",
    ),
    (
        "glossary term without its Chinese source",
        "glossary.yml",
        drop_first_line("  source_zh: "),
        {("glossary.yml", 1, "source_zh")},
        "field is missing",
    ),
    (
        "benchmark level of 0",
        "benchmarks.csv",
        replace(
            "nation,china,gdp,2024,1349084,亿元,exact,5.0,comparable,ntyb_2025_nbs_annual_release_reprint,"
            '"2024年,全年國內生產總值1349084億元',
            "nation,china,gdp,2024,0,亿元,exact,5.0,comparable,ntyb_2025_nbs_annual_release_reprint,"
            '"2024年,全年國內生產總值0億元',
        ),
        {("benchmarks.csv", 2, "value")},
        "must not be 0",
    ),
    (
        "two subject areas",
        "areas.yml",
        replace("  subject: false\n", "  subject: true\n"),
        {("areas.yml", 1, "subject"), ("areas.yml", 4, "subject")},
        "only one area",
    ),
    (
        "related pair that differs in nothing",
        "comparisons.yml",
        replace("differs_in: [price_basis]", "differs_in: []"),
        {("comparisons.yml", 2, "differs_in")},
        "must say what differs",
    ),
    (
        "comparison naming an unknown indicator",
        "comparisons.yml",
        replace("b: industrial_value_added_above_scale", "b: industrial_value_added_of_nowhere"),
        {("comparisons.yml", 1, "b")},
        "unknown indicator id",
    ),
]


@pytest.mark.parametrize(
    "target, how, expected, wording",
    [case[1:] for case in BROKEN_BENCHMARKS],
    ids=[case[0] for case in BROKEN_BENCHMARKS],
)
def test_broken_benchmarks_name_file_row_and_field(tmp_path, target, how, expected, wording):
    test_broken_data_names_file_row_and_field(tmp_path, target, how, expected, wording)


def test_benchmarks_are_typed_and_kept_apart_from_guanyun_indicators(dataset):
    marks = dataset.benchmarks
    assert len(marks) >= 15 and set(marks["area_level"]) >= {"nation", "province", "city"}
    assert marks["value"].dtype == float and marks["yoy_pct"].dtype == float and marks["year"].dtype == int
    growth_only = marks[marks["value"].isna()]
    assert not growth_only.empty and growth_only["yoy_pct"].notna().all()
    only = set(dataset.benchmark_indicators["id"])
    assert "retail_sales_rural" in only and not only & set(dataset.indicators["id"])
    assert "gdp" in set(dataset.indicators["id"])  # the standard set's GDP serves Guanyun and the benchmarks
    assert "benchmark_only" not in dataset.indicators.columns
    assert set(marks["indicator"]) <= set(dataset.all_indicators()["id"])


# Review N4: things the source says were done during the year (入选, 建设, 建成, 创建) are not year-end stocks.
DONE_DURING_THE_YEAR = [
    "provincial_quality_smes",
    "vegetable_supply_base_area",
    "national_hog_capacity_bases",
    "provincial_smart_ranches",
    "key_projects_count",
    "waste_sorting_compounds",
]


@pytest.mark.parametrize("indicator", DONE_DURING_THE_YEAR)
def test_what_was_done_during_the_year_is_no_year_end_stock(dataset, indicator):
    registry = dataset.indicators.set_index("id")
    quotes = " ".join(dataset.figures.loc[dataset.figures["indicator"] == indicator, "quote"])
    assert registry.loc[indicator, "measure"] != "year_end_stock", quotes


# --- originals, copies and the book's translations (issue 18, items 5 and 6) -----------------------
MIRRORS = ("7263355.com", "gsdjw.com", "auto-ty.com", "futunn.com", "wxredian.com", "llqcyx.com", "bx2200.com")


def test_every_chinese_title_and_quote_in_data_has_the_books_english():
    from countybook.data import translations

    assert translations.untranslated(DATA) == []


def test_an_untranslated_quote_fails_validate_with_one_line_naming_file_row_and_field(tmp_path, capsys):
    from countybook.__main__ import main

    folder = copy_data(tmp_path)
    figures = folder / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, 1) if "新签约亿元以上项目117个" in line)
    lines[row - 1] = lines[row - 1].replace("新签约亿元以上项目117个", "全年新签约亿元以上项目117个")
    figures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources = folder / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "Lianyungang's Guanyun takes solid steps in high-quality development", ""
        ),
        encoding="utf-8",
    )
    assert load(folder) is not None  # the book still builds; only validate asks for the translation
    assert main(["validate", "--data", str(folder)]) != 0
    err = capsys.readouterr().err
    assert f"data/figures.csv, row {row}, field 'quote': no English rendering" in err
    assert "data/sources.csv, row 2, field 'title_en'" in err


def test_every_benchmark_names_an_original_publication_and_no_mirror_is_one(dataset):
    """A mirror, repost or report is only ever the copy read: its original is a separate row, with no
    mirror's address."""
    sources = dataset.sources.set_index("id")
    for source_id in dataset.benchmarks["source"].unique():
        copy_of = sources.loc[source_id, "copy_of"]
        original = sources.loc[copy_of or source_id]
        assert original["copy_of"] == "" and original["title"], source_id
        assert not any(m in original["url"] + original["publisher"] for m in MIRRORS), (source_id, copy_of)
        if any(m in sources.loc[source_id, "url"] for m in MIRRORS):
            assert copy_of, f"{source_id} is a mirror or repost: name its original in copy_of"


def test_a_copy_of_no_known_original_is_one_line_naming_file_row_and_field(tmp_path):
    folder = copy_data(tmp_path)
    sources = folder / "sources.csv"
    lines = sources.read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, 1) if line.startswith("peoples_daily_2024_grain_output_2024,"))
    lines[row - 1] = lines[row - 1].replace(",nbs_2024_grain_output_announcement", ",nbs_2024_grain_announcement")
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load(folder)
    assert f"data/sources.csv, row {row}, field 'copy_of': must be blank or the id of another source" in str(
        refused.value
    )


def test_a_second_load_of_the_same_bytes_is_a_copy_the_caller_may_change(tmp_path):
    folder = copy_data(tmp_path)
    first = load(folder)
    first.figures.loc[:, "value"] = -1.0
    first.units.clear()
    second = load(folder)
    assert (second.figures["value"] != -1.0).any() and second.units


def test_a_file_edited_between_two_loads_is_read_again(tmp_path):
    folder = copy_data(tmp_path)
    before = load(folder)
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    # Same length, same second: only the bytes tell the two files apart.
    figures.write_text(text.replace(",新签约亿元以上项目117个", ",新签订亿元以上项目117个", 1), encoding="utf-8")
    after = load(folder)
    changed = after.figures["quote"] != before.figures["quote"]
    assert changed.sum() == 1 and "新签订" in after.figures.loc[changed, "quote"].iloc[0]
    fixture("broken_negative_count.csv")(folder, "figures.csv")
    with pytest.raises(DataError):
        load(folder)


def test_a_copy_of_the_data_elsewhere_is_read_once_and_a_changed_byte_again(tmp_path, monkeypatch):
    """load() remembers by the bytes, not the folder: a run's or a test's copy of data/ is not
    validated again, and one changed byte in the copy is."""
    import importlib

    from countybook.data.load import forget_loaded

    module = importlib.import_module("countybook.data.load")
    read = []
    real = module._load
    monkeypatch.setattr(module, "_load", lambda folder: read.append(folder) or real(folder))
    forget_loaded()
    first, second = copy_data(tmp_path / "one"), copy_data(tmp_path / "two")
    pd.testing.assert_frame_equal(load(first).figures, load(second).figures)
    assert read == [first]
    figures = second / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("新签约", "新签订", 1), encoding="utf-8")
    assert load(second).figures["quote"].str.contains("新签订").any()
    assert read == [first, second]
    forget_loaded()


def test_what_is_remembered_is_worked_out_again_for_another_frame():
    """load.remembered keeps a value with the frames it was made from: the same frames give the kept
    value without working it out again, a Dataset given another frame works it out anew."""
    from dataclasses import replace

    from countybook.data.load import remembered

    ds = load(paths.data_dir())
    made = []

    def count():
        made.append(1)
        return len(ds.figures)

    first = remembered(ds, "probe", (ds.figures,), count)
    assert remembered(ds, "probe", (ds.figures,), count) == first and len(made) == 1
    fewer = replace(ds, figures=ds.figures.head(3))
    assert remembered(fewer, "probe", (fewer.figures,), lambda: len(fewer.figures)) == 3
    assert remembered(ds, "probe", (ds.figures,), count) == first  # the other Dataset's value is not taken

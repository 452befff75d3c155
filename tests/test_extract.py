"""extract: the whole pipeline on the 2024 article, real reports, bulletins, and its running time."""

from __future__ import annotations

import csv

import pytest
from intake_support import BULLETIN, FIXTURES, run  # ds: a fixture, via conftest
from intake_support import triples as _triples

from countybook import paths
from countybook.data import FIGURE_COLUMNS
from countybook.intake.extract import extract, join_lines, simplified

ARTICLE = paths.SOURCES_DIR / "guanyun-2024-development-article.txt"
ARTICLE_SOURCE = "xdkb_2025_guanyun_development"


# --- the 2024 article ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article():
    if not ARTICLE.exists():
        pytest.skip(f"the 2024 article is not at {ARTICLE} (it is kept outside the repository)")
    return ARTICLE.read_text(encoding="utf-8")


def test_article_recall_and_precision(ds, article):
    expected = ds.figures[(ds.figures["source"] == ARTICLE_SOURCE) & (ds.figures["year"] == 2024)]
    assert len(expected) > 0
    found, unassigned = run(ds, article, 2024, ARTICLE_SOURCE)
    hits = [
        row
        for row in expected.itertuples()
        if row.indicator in found
        and (found[row.indicator]["value"], found[row.indicator]["unit"], found[row.indicator]["qualifier"])
        == (row.value_text, row.unit, row.qualifier)
    ]
    recall = len(hits) / len(expected)
    # Every one of the article's figures, exactly, and nothing else.
    assert recall == 1.0, (
        f"recall {recall:.0%}: missed {sorted(set(expected['indicator']) - {h.indicator for h in hits})}"
    )
    assert set(found) == set(expected["indicator"])
    joined = join_lines(article)
    flat = "".join(article.split())
    for row in found.values():
        # No invented value: the number with its unit is in the text, and the quote is verbatim.
        assert f"{row['value']}{row['unit']}" in flat, row
        assert row["quote"] in joined, row
        assert f"{row['value']}{row['unit']}" in row["quote"]
        if row["yoy_pct"]:
            assert f"{row['yoy_pct'].lstrip('-')}%" in row["quote"]
    # Growth rates come with their levels.
    for row in expected[expected["yoy_pct"].notna()].itertuples():
        assert float(found[row.indicator]["yoy_pct"]) == row.yoy_pct
    # Everything not proposed is listed, with a reason.
    assert all(row["reason"] for row in unassigned)
    assert {"70", "30", "2024"} <= {row["value"] for row in unassigned}


def test_article_candidates_validate_against_a_copy(ds, article, tmp_path):
    """The proposals pass the figures schema (checked by `add` on a copy of data/ without the source's rows)."""
    import shutil

    from countybook.intake.add import add_rows

    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", data)
    lines = (data / "figures.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "figures.csv").write_text("".join(line for line in lines if ARTICLE_SOURCE not in line), encoding="utf-8")
    found, _ = run(ds, article, 2024, ARTICLE_SOURCE)
    review = tmp_path / "review.csv"
    with review.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=FIGURE_COLUMNS)
        writer.writeheader()
        writer.writerows(found.values())
    assert add_rows(review, data_dir=data) == (len(found), 0)


# --- statistical bulletins and work reports ----------------------------------------------------

REAL_REPORTS = FIXTURES / "real_reports"


def test_bulletin_written_for_the_tests(ds):
    found, unassigned = run(ds, BULLETIN.read_text(encoding="utf-8"), 2025)
    # Expected figures typed from the fixture by hand.
    assert _triples(found) == {
        "gdp": ("486.2", "亿元", "exact", "6.1"),
        "value_added_primary_industry": ("68.5", "亿元", "exact", "3.2"),
        "value_added_secondary_industry": ("201.4", "亿元", "exact", "7.0"),
        "value_added_tertiary_industry": ("216.3", "亿元", "exact", "6.0"),
        "gdp_per_capita": ("62315", "元", "exact", "6.4"),
        "resident_population": ("77.9", "万人", "exact", ""),
        "urbanisation_rate": ("55.6", "%", "exact", ""),
        "births": ("4120", "人", "exact", ""),
        "birth_rate": ("5.28", "‰", "exact", ""),
        "gross_output_agriculture_forestry_animal_husbandry_fishery": ("156.3", "亿元", "exact", "3.5"),
        "gross_output_farming": ("82.1", "亿元", "exact", ""),
        "gross_output_animal_husbandry": ("38.6", "亿元", "exact", ""),
        "gross_output_fishery": ("27.4", "亿元", "exact", ""),
        "grain_sown_area": ("183.1", "万亩", "exact", ""),
        "grain_output": ("88.9", "万吨", "exact", "-1.4"),
        "oil_crops_output": ("1.2", "万吨", "exact", "2.5"),
        "meat_output": ("9.8", "万吨", "exact", "-0.6"),
        "aquatic_products_output": ("16.3", "万吨", "exact", "1.1"),
        "industrial_value_added_above_scale": ("", "亿元", "exact", "9.2"),
        "industrial_output_above_scale": ("216.6", "亿元", "exact", "15.5"),
        "fixed_asset_investment": ("", "亿元", "exact", "5.3"),
        "industrial_investment": ("", "亿元", "exact", "-2.1"),
        "general_budget_revenue": ("30.12", "亿元", "exact", "4.1"),
        "tax_revenue": ("22.45", "亿元", "exact", "3.0"),
        "general_budget_expenditure": ("108.7", "亿元", "exact", ""),
        "disposable_income_per_capita": ("32150", "元", "exact", "5.6"),
        "urban_disposable_income_per_capita": ("42380", "元", "exact", "4.9"),
        "rural_disposable_income_per_capita": ("24210", "元", "exact", "6.5"),
    }
    assert found["gdp"]["price_basis"] == "comparable"
    assert found["gdp_per_capita"]["price_basis"] == ""
    # 农业总产值 is not 农林牧渔业总产值, and the city's GDP is not the county's.
    reasons = {row["value"]: row["reason"] for row in unassigned}
    assert "no indicator" in reasons["90.2"]
    assert "全市" in reasons["4663"]


# Core figures of the development set, typed by hand from each report: indicator -> (value, yoy_pct).
# Each report's year and own area as its text says (a county, a district, a city).
DEVELOPMENT_SET = {
    "baoying_2023_zfgzbg_excerpt.txt": (
        2022,
        "county",
        {
            "gdp": ("920", "5.5"),
            "general_budget_revenue": ("28.8", "9.8"),
            "tax_revenue": ("21.7", "5.5"),
            "disposable_income_per_capita": ("", "6.1"),
            "fixed_asset_investment": ("427.3", "14"),
            "foreign_trade_usd": ("9.7", ""),
            "foreign_capital_actually_used": ("8000", ""),  # 万美元: a miss
        },
    ),
    "guannan_2023_zfgzbg_page3_excerpt.txt": (2022, "county", {}),
    "lianyungang_2023_plan_execution_report_excerpt.txt": (
        2023,
        "city",
        {
            "gdp": ("", "11"),
            "industrial_value_added_above_scale": ("", "25"),
            "fixed_asset_investment": ("", "0.1"),
            "industrial_investment": ("", "-7.3"),
            "general_budget_revenue": ("", "20.3"),
            "foreign_trade_usd": ("", "20.1"),  # 外贸进出口总额 fits the US$ and yuan series: a miss
            "foreign_capital_actually_used": ("", "-61.5"),
            "disposable_income_per_capita": ("", "6.8"),
        },
    ),
    "lianyunqu_2023_zfgzbg_excerpt.txt": (
        2022,
        "district",
        {
            "gdp": ("265.3", ""),
            "general_budget_revenue": ("21.6", "11.3"),
            "fixed_asset_investment": ("141.6", ""),
            "industrial_investment": ("80.3", ""),
            "foreign_capital_actually_used": ("1.15", ""),
            "foreign_trade_usd": ("25.7", ""),
            "retail_sales_consumer_goods": ("78.1", ""),
            "disposable_income_per_capita": ("", "3.6"),
            "industrial_output_above_scale": ("467", "10.9"),
        },
    ),
    "quanshan_2024_zfgzbg_excerpt.txt": (
        2023,
        "district",
        {
            "gdp": ("760", "5.6"),
            "general_budget_revenue": ("32.7", "10.8"),
            "fixed_asset_investment": ("200", ""),
            "retail_sales_consumer_goods": ("425", ""),
        },
    ),
}


def test_development_set_recall_and_precision(ds):
    expected_total = proposed = correct = 0
    for name, (year, area, expected) in DEVELOPMENT_SET.items():
        raw = (REAL_REPORTS / name).read_text(encoding="utf-8")
        candidates, _ = extract(raw, year, "test_source", ds, area=area)
        flat = "".join(simplified(raw).split())
        expected_total += len(expected)
        for row in candidates:
            proposed += 1
            # Precision: every proposal is one of the hand-typed figures, with its value and growth.
            assert (row["value"], row["yoy_pct"]) == expected.get(row["indicator"]), (name, row)
            assert row["year"] == str(year), (name, row)
            correct += 1
            if row["value"]:  # no value absent from the text
                assert f"{row['value']}{row['unit']}" in flat, (name, row)
    recall = correct / expected_total
    # Measured: 26 of the 28 core figures, 26 proposals, all right (the two misses are marked above).
    assert recall >= 0.9, f"recall {recall:.0%} ({correct} of {expected_total})"
    assert correct == proposed


def test_guanyun_work_report_excerpt_gives_the_figures_already_in_data(ds):
    """The 2023 work report excerpt is the source guanyun_work_report_2023: extract finds exactly its rows."""
    raw = (REAL_REPORTS / "guanyun_2024_zfgzbg_page2_excerpt.txt").read_text(encoding="utf-8")
    candidates, _ = extract(raw, 2023, "guanyun_work_report_2023", ds)
    held = ds.figures[ds.figures["source"] == "guanyun_work_report_2023"]
    assert {(r["indicator"], r["value"]) for r in candidates} == set(zip(held["indicator"], held["value_text"]))


# --- running time ----------------------------------------------------------------------------


def test_one_megabyte_in_under_two_seconds(ds, article):
    import time

    unit = article + "\n" + BULLETIN.read_text(encoding="utf-8") + "\n"
    text = unit * (1_000_000 // len(unit.encode("utf-8")) + 1)
    started = time.process_time()
    candidates, _ = extract(text, 2024, "test_source", ds)
    assert time.process_time() - started < 2.0
    assert len(candidates) > 58


def test_time_grows_in_proportion_to_the_text(ds):
    import time

    sentence = "全年完成地区生产总值486.2亿元,增长6.1%;固定资产投资增长5.3%,工业投资80.3亿元。"
    timings = []
    for copies in (2000, 8000):
        started = time.process_time()
        extract(sentence * copies, 2025, "test_source", ds)
        timings.append(time.process_time() - started)
    # Four times the text: about four times the time (a square law would give sixteen).
    assert timings[1] < timings[0] * 8 + 0.2, timings


def test_bulletin_in_the_usual_county_layout(ds):
    """A bulletin laid out as Jiangsu counties publish them (numbered sections, 比上年, 同口径, 比年初)."""
    found, unassigned = run(
        ds, (FIXTURES / "bulletin_county_style_written_for_test.txt").read_text(encoding="utf-8"), 2024
    )
    # Typed by hand from the fixture: indicator -> (value, unit, qualifier, growth).
    expected = {
        "gdp": ("1001.23", "亿元", "exact", "5.8"),
        "value_added_primary_industry": ("100.21", "亿元", "exact", "3.1"),
        "value_added_secondary_industry": ("400.52", "亿元", "exact", "6.2"),
        "value_added_tertiary_industry": ("500.50", "亿元", "exact", "5.9"),
        "gdp_per_capita": ("105123", "元", "exact", "6.0"),
        "registered_population": ("112.35", "万人", "exact", ""),
        "resident_population": ("95.21", "万人", "exact", ""),
        "urban_resident_population": ("60.12", "万人", "exact", ""),
        "urbanisation_rate": ("63.14", "%", "exact", ""),
        "births": ("6012", "人", "exact", ""),
        "birth_rate": ("6.31", "‰", "exact", ""),
        "deaths": ("8123", "人", "exact", ""),
        "death_rate": ("8.52", "‰", "exact", ""),
        "urban_new_jobs": ("1.35", "万人", "exact", ""),
        "registered_urban_unemployment_rate": ("1.8", "%", "exact", ""),
        "gross_output_agriculture_forestry_animal_husbandry_fishery": ("210.5", "亿元", "exact", "3.6"),
        "gross_output_farming": ("120.3", "亿元", "exact", "3.2"),
        "gross_output_forestry": ("3.1", "亿元", "exact", "-1.2"),
        "gross_output_animal_husbandry": ("45.6", "亿元", "exact", "4.5"),
        "gross_output_fishery": ("30.2", "亿元", "exact", "2.8"),
        "gross_output_agricultural_services": ("11.3", "亿元", "exact", "5.0"),
        "grain_sown_area": ("182.3", "万亩", "exact", ""),
        "grain_output": ("86.7", "万吨", "exact", "1.1"),
        "industrial_value_added_above_scale": ("", "亿元", "exact", "8.5"),
        "above_scale_industrial_enterprises": ("512", "家", "exact", ""),
        "industrial_output_above_scale": ("800", "亿元", "more_than", "10.2"),
        "fixed_asset_investment": ("", "亿元", "exact", "5.6"),
        "industrial_investment": ("", "亿元", "exact", "12.3"),
        "retail_sales_consumer_goods": ("305.6", "亿元", "exact", "6.5"),
        "foreign_trade_usd": ("10.5", "亿美元", "exact", "12.3"),
        "exports_usd": ("7.8", "亿美元", "exact", "10.1"),
        "foreign_capital_actually_used": ("1.2", "亿美元", "exact", ""),
        "general_budget_revenue": ("52.3", "亿元", "exact", "8.5"),
        "tax_revenue": ("40.1", "亿元", "exact", "6.2"),
        "general_budget_expenditure": ("150.2", "亿元", "exact", "3.4"),
        "expenditure_livelihood": ("121.6", "亿元", "exact", ""),
        "deposits_balance": ("1234.5", "亿元", "exact", ""),
        "loans_balance": ("987.6", "亿元", "exact", ""),
        "disposable_income_per_capita": ("32456", "元", "exact", "5.9"),
        "urban_disposable_income_per_capita": ("45678", "元", "exact", "5.2"),
        "rural_disposable_income_per_capita": ("25432", "元", "exact", "6.8"),
        "consumption_expenditure_per_capita": ("21345", "元", "exact", "5.5"),
        "schools_all_levels": ("210", "所", "exact", ""),
        "health_institutions": ("650", "个", "exact", ""),
        "health_technical_personnel": ("8912", "人", "exact", ""),
        "health_institution_beds": ("7200", "张", "exact", ""),
        "public_libraries": ("1", "个", "exact", ""),
    }
    assert _triples(found) == expected
    # Changes on the previous year, shares and the negative natural growth rate are no levels.
    reasons = {row["value"]: row["reason"] for row in unassigned}
    for change in ("0.5", "0.6", "100.2", "88.8"):
        assert "change on the previous year" in reasons[change]
    assert "negative" in reasons["2.21"]
    # Section headings are not glued to the first clause after them.
    assert found["general_budget_revenue"]["quote"] == "全年一般公共预算收入52.3亿元,同口径增长8.5%"


def test_bulletin_constructs_met_in_real_bulletins(ds):
    text = (
        "粮食播种面积171.1万亩,总产84.9万吨。\n"
        "产品名称 | 单位 | 产量 | 比上年增长(±%) |\n粮食 | 吨 | 848656 | 0.02 |\n生猪出栏量 | 万头 | 33.57 | 12.7 |\n"
        "新增规上工业企业102家、总数达760家。\n"
        "一般公共预算收入的税种构成中,增值税下降21.8%。"
    )
    found, unassigned = run(ds, text, 2024)
    assert _triples(found) == {
        "grain_sown_area": ("171.1", "万亩", "exact", ""),
        "grain_output": ("848656", "吨", "exact", "0.02"),  # the table row, with its growth, over 总产
        "hogs_slaughtered": ("33.57", "万头", "exact", "12.7"),
        "new_above_scale_industrial_firms": ("102", "家", "exact", ""),  # 新增: additions, not the total
    }
    assert {"84.9", "760", ""} <= {row["value"] for row in unassigned}  # the VAT fall is not budget revenue's

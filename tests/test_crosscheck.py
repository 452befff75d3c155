"""Cross-year check: published growth against the growth computed from two consecutive levels."""

from __future__ import annotations

import shutil

import pytest

from countybook import paths
from countybook.data import load
from countybook.data.crosscheck import COLUMNS, cross_year_check

# 2025 levels for indicators that have 2024 levels and growth: 216.6 / 187.5 − 1 = 15.52% (agrees with
# the published 15.5%); 20.0 / 17.8 − 1 = 12.36% against a published 7.8% (as after a change of scope).
EXTRA = """\
industrial_output_above_scale,2025,216.6,亿元,exact,15.5,,xdkb_2025_guanyun_development,"规上工业总产值216.6亿元,增长15.5%"
services_revenue_above_scale,2025,20.0,亿元,exact,7.8,,xdkb_2025_guanyun_development,"规上服务业营业收入20.0亿元,增长7.8%"
online_retail_sales,2025,80,亿元,exact,,,xdkb_2025_guanyun_development,网络零售额80亿元
hogs_raised,2026,110,万头,exact,4.8,,xdkb_2025_guanyun_development,"生猪饲养量110万头,增长4.8%"
"""


@pytest.fixture
def dataset(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text + ("" if text.endswith("\n") else "\n") + EXTRA, encoding="utf-8")
    return load(folder)


def test_computed_rate_and_flag(dataset):
    checked = cross_year_check(dataset).set_index("indicator")
    assert list(cross_year_check(dataset).columns) == list(COLUMNS)
    # Only figures with a published rate and a level the year before are checked: not online retail
    # (no 2025 rate), not hogs 2026 (no 2025 level), not the 2024 rates (no 2023 level).
    assert set(checked.index) == {"industrial_output_above_scale", "services_revenue_above_scale"}
    output = checked.loc["industrial_output_above_scale"]
    assert output["year"] == 2025
    assert output["published_pct"] == 15.5
    assert output["computed_pct"] == pytest.approx((216.6 / 187.5 - 1) * 100)
    assert output["difference_pp"] == pytest.approx(15.5 - (216.6 / 187.5 - 1) * 100)
    assert not output["flagged"]
    services = checked.loc["services_revenue_above_scale"]
    assert services["computed_pct"] == pytest.approx(12.36, abs=0.01)
    assert services["difference_pp"] == pytest.approx(-4.56, abs=0.01)
    assert services["flagged"]


def test_tolerance(dataset):
    assert cross_year_check(dataset, tolerance_pp=5.0)["flagged"].sum() == 0
    assert cross_year_check(dataset, tolerance_pp=0.01)["flagged"].sum() == 2


def test_nothing_to_check_gives_an_empty_frame(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    figures = folder / "figures.csv"
    header, *rows = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    # A rate without the previous level, and a previous level without a later rate.
    keep = [r for r in rows if r.startswith(("industrial_output_above_scale,2024", "tech_smes_registered,"))]
    figures.write_text(header + "".join(keep), encoding="utf-8")
    checked = cross_year_check(load(folder))
    assert checked.empty
    assert list(checked.columns) == list(COLUMNS)


def test_growth_only_figures_are_not_checked_and_are_no_level(tmp_path):
    """A growth-only figure has no level: it is not checked, and it is no year-before level for the next year."""
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(
        text
        + ("" if text.endswith("\n") else "\n")
        + "industrial_output_above_scale,2025,,亿元,exact,12.0,,xdkb_2025_guanyun_development,"
        "规上工业总产值增长12.0%\n"
        + "industrial_output_above_scale,2026,250,亿元,exact,10,,xdkb_2025_guanyun_development,"
        '"规上工业总产值250亿元,增长10%"\n',
        encoding="utf-8",
    )
    checked = cross_year_check(load(folder))
    assert checked.empty


def test_benchmarks_are_checked_area_by_area_in_one_unit(tmp_path):
    """Levels in different units (亿元, 万亿元) are converted before the change is computed; a nominal rate
    far from the levels' change is flagged, a comparable-price rate never is."""
    from countybook.data.crosscheck import cross_year_check_benchmarks

    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    marks = folder / "benchmarks.csv"
    marks.write_text(
        marks.read_text(encoding="utf-8")
        + (
            "city,lianyungang,gdp,2025,5000,亿元,exact,9.0,current,lianyungang_2025_14th_five_year_review,"
            '"地区生产总值5000亿元,增长9.0%"\n'
            "city,lianyungang,industrial_output_above_scale,2025,0.6,万亿元,exact,7.7,current,"
            'lianyungang_2025_14th_five_year_review,"规上工业总产值0.6万亿元,增长7.7%"\n'
        ),
        encoding="utf-8",
    )
    checked = cross_year_check_benchmarks(load(folder)).set_index(["area", "indicator", "year"])
    gdp = checked.loc[("lianyungang", "gdp", 2025)]
    assert gdp["computed_pct"] == pytest.approx((5000 / 4663 - 1) * 100) and gdp["flagged"]  # 7.2% vs 9.0%
    output = checked.loc[("lianyungang", "industrial_output_above_scale", 2025)]
    assert output["computed_pct"] == pytest.approx((6000 / 5569 - 1) * 100) and not output["flagged"]
    jiangsu = checked.loc[("jiangsu", "gdp", 2024)]
    assert jiangsu["price_basis"] == "comparable" and abs(jiangsu["difference_pp"]) > 1 and not jiangsu["flagged"]

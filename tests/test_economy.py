"""render.economy: the overview's "Economy at a glance", shown only for a year with the bulletin's aggregates."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402
import shutil  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from IPython.display import Markdown  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from countybook import paths  # noqa: E402
from countybook.data import load  # noqa: E402
from countybook.render import chapter, chart_rules, economy  # noqa: E402
from countybook.render.edition import Edition

SOURCE = "xdkb_2025_guanyun_development"
# Figures typed by hand for the test (not any real bulletin), in the columns of data/figures.csv.
BULLETIN_ROWS = [
    ("gdp", "486.2", "亿元", "6.1", "comparable", "地区生产总值486.2亿元,按可比价格计算,增长6.1%"),
    ("value_added_primary_industry", "68.5", "亿元", "3.2", "", "第一产业增加值68.5亿元,增长3.2%"),
    ("value_added_secondary_industry", "201.4", "亿元", "7.0", "", "第二产业增加值201.4亿元,增长7.0%"),
    ("value_added_tertiary_industry", "216.3", "亿元", "6.0", "", "第三产业增加值216.3亿元,增长6.0%"),
    ("gdp_per_capita", "62315", "元", "", "", "人均地区生产总值62315元"),
    ("general_budget_revenue", "30.12", "亿元", "4.1", "", "一般公共预算收入30.12亿元,增长4.1%"),
    ("urban_disposable_income_per_capita", "42380", "元", "4.9", "", "城镇居民人均可支配收入42380元,增长4.9%"),
    ("rural_disposable_income_per_capita", "24210", "元", "6.5", "", "农村居民人均可支配收入24210元,增长6.5%"),
    ("resident_population", "77.9", "万人", "", "", "年末全县常住人口77.9万人"),
]


def _with_rows(tmp_path, rows, year=2025):
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    figures = folder / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    lines = [f'{i},{year},{v},{u},exact,{g},{b},{SOURCE},"{q}"' for i, v, u, g, b, q in rows]
    figures.write_text(text + ("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n", encoding="utf-8")
    return load(folder)


@pytest.fixture(scope="module")
def real():
    return load(paths.ROOT / "data")


@pytest.fixture
def bulletin(tmp_path):
    return _with_rows(tmp_path, BULLETIN_ROWS)


def test_a_year_without_the_aggregates_gets_nothing(real):
    for year in real.years():
        assert economy.at_a_glance(real, edition=Edition("en", year)) is None


def test_page_shows_nothing_at_all_without_the_aggregates(real, monkeypatch):
    shown = []
    monkeypatch.setattr(chapter, "display", lambda obj, **kwargs: shown.append(obj))
    chapter.Page(2024, ds=real, lang="en").economy_at_a_glance()
    assert shown == []


def test_the_glance_for_a_bulletin_year(bulletin):
    glance = economy.at_a_glance(bulletin, edition=Edition("en", 2025))
    text = glance.markdown
    assert text.startswith("The county")  # the heading is the template's markdown cell
    assert '| <span lang="zh">486.2亿元</span> | 48.62 billion yuan |' in text
    assert "+6.1% \\(at comparable prices\\)" in text
    assert '| <span lang="zh">62315元</span> | 62,315 yuan | — |' in text
    assert "3.012 billion yuan" in text
    # Shares of the sum of the three sectors, computed here from the typed values.
    total = 68.5 + 201.4 + 216.3
    for share in (68.5 / total, 201.4 / total, 216.3 / total):
        assert f"{share * 100:.1f}%" in text
    assert f"{42380 / 24210:.2f} times" in text
    assert isinstance(glance.chart.figure, Figure)
    assert chart_rules.violations(glance.chart) == []
    assert "Primary industry" in glance.chart.alt
    plt.close(glance.chart.figure)
    # Only indicators with a figure get a row: no tax revenue row here.
    assert "Tax revenue" not in text
    # The economy theme's other figures follow the headline rows.
    assert '| <span lang="zh">77.9万人</span> | 779,000 persons |' in text
    assert text.index("Per capita disposable income of rural") < text.index("Resident population")


def test_growth_only_gdp_is_no_level(tmp_path):
    ds = _with_rows(tmp_path, [("gdp", "", "亿元", "7.5", "", "地区生产总值增长7.5%")])
    glance = economy.at_a_glance(ds, edition=Edition("en", 2025))
    assert "not published (growth only)" in glance.markdown and "+7.5%" in glance.markdown
    assert glance.chart is None and "Structure of GDP" not in glance.markdown


def test_page_displays_the_markdown_then_the_chart(bulletin, monkeypatch):
    shown = []
    monkeypatch.setattr(chapter, "display", lambda obj, **kwargs: shown.append(obj))
    chapter.Page(2025, ds=bulletin, lang="en").economy_at_a_glance()
    assert isinstance(shown[0], Markdown) and "headline statistics" in shown[0].data
    assert isinstance(shown[1], dict) and "image/png" in shown[1]  # the chart, at print resolution
    assert isinstance(shown[2], Markdown) and "derived" in shown[2].data
    plt.close("all")


@pytest.mark.parametrize(
    "value, unit, english",
    [
        ("187.5", "亿元", "18.75 billion yuan"),
        ("5000", "万美元", "US$50 million"),
        ("62315", "元", "62,315 yuan"),
        ("77.9", "万人", "779,000 persons"),
        ("1.2", "亿件", "120 million items"),
        ("0.5", "万吨", "5,000 tonnes"),
        ("4120", "人", "4,120"),
    ],
)
def test_english_amount(real, value, unit, english):
    assert economy.english_amount(value, unit, real.units) == english


# --- the Chinese edition -----------------------------------------------------------------------------


def test_zh_glance_shows_values_as_published_without_an_english_column(bulletin):
    english = economy.at_a_glance(bulletin, edition=Edition("en", 2025))
    chinese = economy.at_a_glance(bulletin, edition=Edition("zh", 2025))
    header_en = next(line for line in english.markdown.splitlines() if line.startswith("| "))
    header_zh = next(line for line in chinese.markdown.splitlines() if line.startswith("| "))
    assert header_en.count("|") == header_zh.count("|") + 1
    assert "486.2亿元" in chinese.markdown and "billion" not in chinese.markdown
    assert "地区生产总值" in chinese.markdown
    words = [w for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]+>", "", chinese.markdown)) if w not in {"GDP"}]
    assert not words, words
    for label in (
        chinese.chart.alt,
        chinese.chart.caption,
        chinese.chart.figure.axes[0].get_title(),
        chinese.chart.figure.axes[0].get_xlabel(),
    ):
        assert not re.findall(r"[A-Za-z]{2,}", label.replace("GDP", "")), label
    assert "2025" in chinese.chart.figure.axes[0].get_title()
    plt.close("all")


def test_zh_growth_keeps_its_sign_and_basis(bulletin):
    chinese = economy.at_a_glance(bulletin, edition=Edition("zh", 2025)).markdown
    gdp = next(line for line in chinese.splitlines() if "486.2" in line)
    assert "6.1%" in gdp and "可比价" in gdp
    plt.close("all")

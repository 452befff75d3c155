"""extract: figures proposed from a report's text, checked on the 2024 article and on small texts."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from countybook import paths
from countybook.__main__ import main
from countybook.data import FIGURE_COLUMNS, load
from countybook.intake.extract import UNASSIGNED_COLUMNS, extract, join_lines

ARTICLE = paths.SOURCES_DIR / "guanyun-2024-development-article.txt"
ARTICLE_SOURCE = "xdkb_2025_guanyun_development"
FIXTURES = Path(__file__).parent / "fixtures" / "extract"


@pytest.fixture(scope="module")
def ds():
    return load(paths.ROOT / "data")


def run(ds, text, year=2025, source="test_source"):
    candidates, unassigned = extract(text, year, source, ds)
    return {row["indicator"]: row for row in candidates}, unassigned


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


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
    hits = [row for row in expected.itertuples()
            if row.indicator in found
            and (found[row.indicator]["value"], found[row.indicator]["unit"], found[row.indicator]["qualifier"])
            == (row.value_text, row.unit, row.qualifier)]
    recall = len(hits) / len(expected)
    assert recall >= 0.9, f"recall {recall:.0%}: missed {sorted(set(expected['indicator']) - {h.indicator for h in hits})}"
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
    (data / "figures.csv").write_text("".join(l for l in lines if ARTICLE_SOURCE not in l), encoding="utf-8")
    found, _ = run(ds, article, 2024, ARTICLE_SOURCE)
    review = tmp_path / "review.csv"
    with review.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=FIGURE_COLUMNS)
        writer.writeheader()
        writer.writerows(found.values())
    assert add_rows(review, data_dir=data) == (len(found), 0)


# --- small texts -----------------------------------------------------------------------------

def test_line_breaks_inside_phrases_and_numbers_are_joined(ds):
    text = "建成国家级生猪产能调控基地1个、省级数字智慧牧场1\n\n个。全年完成规上工业总产值21\n\n6.6亿\n元,增\n\n长15.5%。"
    found, _ = run(ds, text)
    assert found["provincial_smart_ranches"]["value"] == "1"
    assert found["provincial_smart_ranches"]["quote"] == "省级数字智慧牧场1个"
    output = found["industrial_output_above_scale"]
    assert (output["value"], output["unit"], output["yoy_pct"]) == ("216.6", "亿元", "15.5")
    assert output["quote"] == "全年完成规上工业总产值216.6亿元,增长15.5%"


def test_breaks_after_sentences_and_headings_are_kept():
    assert join_lines("## 标题\n\n正文一。\n\n正文\n二") == "## 标题\n正文一。\n正文二"


@pytest.mark.parametrize(
    "sentence, qualifier",
    [
        ("邮政行业寄递业务量超1.2亿件。", "more_than"),
        ("邮政行业寄递业务量超过1.2亿件。", "more_than"),
        ("邮政行业寄递业务量近1.2亿件。", "nearly"),
        ("邮政行业寄递业务量约1.2亿件。", "about"),
        ("邮政行业寄递业务量达1.2亿件。", "exact"),
        ("邮政行业寄递业务量1.2亿件以上。", "at_least"),
        ("邮政行业寄递业务量1.2亿件。", "exact"),
    ],
)
def test_qualifiers(ds, sentence, qualifier):
    found, _ = run(ds, sentence)
    row = found["postal_delivery_volume"]
    assert (row["value"], row["unit"], row["qualifier"]) == ("1.2", "亿件", qualifier)
    assert "1.2亿件" in row["quote"]


def test_growth_phrases(ds):
    text = ("电商交易额280亿元,增长15%;网络零售额78亿元,同比下降3.8%。"
            "农村生活污水治理(管控)率达55.2%,提高5.5个百分点。")
    found, unassigned = run(ds, text)
    assert found["ecommerce_transaction_volume"]["yoy_pct"] == "15"
    assert found["online_retail_sales"]["yoy_pct"] == "-3.8"
    assert found["online_retail_sales"]["quote"] == "网络零售额78亿元,同比下降3.8%"
    sewage = found["rural_sewage_treatment_rate"]
    assert (sewage["value"], sewage["unit"], sewage["yoy_pct"]) == ("55.2", "%", "")
    # A change in percentage points is not a % growth rate, and its 个 is not a count.
    points = [row for row in unassigned if row["value"] == "5.5"]
    assert len(points) == 1 and "percentage points" in points[0]["reason"]
    assert points[0]["quote"] == "提高5.5个百分点"


def test_unassigned_numbers_are_listed(ds):
    text = "2025年,投资30亿元的智能制造产业园签约落地,村集体经营性收入超500万元,世界500强企业来访。完成投资26亿元;51个省市重点项目完成投资160.8亿元。"
    found, unassigned = run(ds, text)
    assert found["key_projects_investment_completed"]["value"] == "160.8"
    reasons = {row["value"]: row["reason"] for row in unassigned}
    assert "year" in reasons["2025"]
    assert "no indicator" in reasons["30"]
    assert "万元" in reasons["500"] or "no unit" in reasons["500"]
    assert "key_projects_investment_completed" in reasons["26"]
    assert all(row["indicator"] == "" for row in unassigned)
    assert len(unassigned) == 5  # 2025, 30, 500万元, 500强, 26


# --- command line ----------------------------------------------------------------------------

def _data_fingerprint() -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (paths.ROOT / "data").iterdir()}


def test_command_writes_review_files_and_never_data(tmp_path, monkeypatch):
    monkeypatch.delenv("COUNTYBOOK_DATA", raising=False)
    before = _data_fingerprint()
    out = tmp_path / "review.csv"
    code = main(["extract", str(FIXTURES / "report_2025.txt"), "--year", "2025", "--source-id",
                 "example_2025_report", "--out", str(out)])
    assert code == 0
    assert _data_fingerprint() == before
    rows = {row["indicator"]: row for row in read(out)}
    assert list(read(out)[0]) == FIGURE_COLUMNS
    assert rows["industrial_output_above_scale"]["value"] == "216.6"
    assert rows["industrial_output_above_scale"]["yoy_pct"] == "15.5"
    assert rows["hogs_raised"]["qualifier"] == "nearly"
    assert rows["postal_delivery_volume"]["qualifier"] == "more_than"
    assert rows["online_retail_sales"]["yoy_pct"] == "-3.8"
    assert rows["provincial_smart_ranches"]["value"] == "2"
    assert {row["year"] for row in rows.values()} == {"2025"}
    unassigned = read(tmp_path / "review.unassigned.csv")
    assert list(unassigned[0]) == UNASSIGNED_COLUMNS
    assert {"2025", "5.5", "8000", "30"} <= {row["value"] for row in unassigned}
    sources = read(tmp_path / "review.sources.csv")
    assert sources[0]["id"] == "example_2025_report"


def test_command_without_out_writes_stdout(capsys):
    code = main(["extract", str(FIXTURES / "report_2025.txt"), "--year", "2025", "--source-id", ARTICLE_SOURCE])
    assert code == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(",".join(FIGURE_COLUMNS))
    assert "216.6" in captured.out
    assert "unassigned" in captured.err and "8000" in captured.err
    assert "new source" not in captured.err

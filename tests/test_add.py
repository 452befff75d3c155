"""add: reviewed rows are validated on a copy of data/ and merged atomically, or refused unchanged."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import folder_snapshot

from countybook import paths
from countybook.__main__ import main
from countybook.data import FIGURE_COLUMNS, SOURCE_COLUMNS, load
from countybook.errors import DataError
from countybook.intake.add import add_rows

NEW_ROW = {
    "indicator": "industrial_output_above_scale",
    "year": "2025",
    "value": "216.6",
    "unit": "亿元",
    "qualifier": "exact",
    "yoy_pct": "15.5",
    "source": "xdkb_2025_guanyun_development",
    "quote": "完成规上工业总产值216.6亿元,增长15.5%",
}
NEW_SOURCE = {
    "id": "example_2025_report",
    "title": "示例县2025年发展情况",
    "publisher": "Test publisher",
    "date": "2026",
    "url": "",
    "language": "zh",
    "reliability": "medium",
    "status": "used",
    "note": "A made-up source for the tests.",
    "kind": "government_report",
    "publisher_zh": "测试出版者",
    "note_zh": "测试用的虚构来源。",
}


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    return folder


def write(path: Path, rows: list[dict], columns=FIGURE_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


snapshot = folder_snapshot


def test_merge_into_a_copy(data, tmp_path, monkeypatch):
    before, count = snapshot(data), len(load(data).figures)
    review = write(
        tmp_path / "review.csv",
        [
            NEW_ROW,
            {**NEW_ROW, "indicator": "online_retail_sales", "value": "80", "yoy_pct": "", "quote": "网络零售额80亿元"},
        ],
    )
    monkeypatch.setenv("COUNTYBOOK_DATA", str(data))
    assert main(["add", str(review)]) == 0
    after = snapshot(data)
    # Existing lines untouched, the new rows appended, nothing else changed, no temporary files left.
    assert after["figures.csv"].startswith(before["figures.csv"])
    assert {k: v for k, v in after.items() if k != "figures.csv"} == {
        k: v for k, v in before.items() if k != "figures.csv"
    }
    figures = load(data).figures
    row = figures[(figures["indicator"] == "industrial_output_above_scale") & (figures["year"] == 2025)].iloc[0]
    assert (row["value"], row["yoy_pct"]) == (216.6, 15.5)
    assert len(figures) == count + 2
    assert not [p for p in data.iterdir() if p.name.startswith(".")]


def test_new_source_is_registered_in_the_same_step(data, tmp_path):
    review = write(tmp_path / "review.csv", [{**NEW_ROW, "source": NEW_SOURCE["id"]}])
    before = snapshot(data)
    with pytest.raises(DataError) as refused:
        add_rows(review, data_dir=data)
    assert "review.csv, row 2, field 'source'" in str(refused.value)
    assert snapshot(data) == before
    sources = write(tmp_path / "review.sources.csv", [NEW_SOURCE], SOURCE_COLUMNS)
    assert add_rows(review, sources, data_dir=data) == (1, 1)
    ds = load(data)
    assert NEW_SOURCE["id"] in set(ds.sources["id"])
    assert (ds.figures["source"] == NEW_SOURCE["id"]).sum() == 1


def test_incomplete_new_source_is_refused_naming_its_row_and_field(data, tmp_path):
    review = write(tmp_path / "review.csv", [{**NEW_ROW, "source": NEW_SOURCE["id"]}])
    sources = write(tmp_path / "new_sources.csv", [{**NEW_SOURCE, "title": ""}], SOURCE_COLUMNS)
    before = snapshot(data)
    with pytest.raises(DataError) as refused:
        add_rows(review, sources, data_dir=data)
    assert "new_sources.csv, row 2, field 'title': must not be empty" in str(refused.value)
    assert snapshot(data) == before


@pytest.mark.parametrize("field", ["publisher_zh", "note_zh"])
def test_a_new_source_without_its_chinese_fields_is_refused(data, tmp_path, field):
    # The Chinese edition shows both: without them it would print the English there.
    review = write(tmp_path / "review.csv", [{**NEW_ROW, "source": NEW_SOURCE["id"]}])
    sources = write(tmp_path / "new_sources.csv", [{**NEW_SOURCE, field: ""}], SOURCE_COLUMNS)
    before = snapshot(data)
    with pytest.raises(DataError) as refused:
        add_rows(review, sources, data_dir=data)
    assert f"new_sources.csv, row 2, field '{field}': must not be empty" in str(refused.value)
    assert snapshot(data) == before


@pytest.mark.parametrize(
    "change, word",
    [({}, "duplicate"), ({"value": "190"}, "conflict"), ({"quote": "规上工业总产值187.5亿元,增长15.5%"}, "duplicate")],
)
def test_existing_indicator_year_is_refused(data, tmp_path, capsys, change, word):
    existing = {
        "indicator": "industrial_output_above_scale",
        "year": "2024",
        "value": "187.5",
        "unit": "亿元",
        "qualifier": "exact",
        "yoy_pct": "15.5",
        "source": "xdkb_2025_guanyun_development",
        "quote": "完成规上工业总产值187.5亿元,增长15.5%",
    }
    if change.get("value"):
        change = {**change, "quote": existing["quote"].replace("187.5", change["value"])}
    review = write(tmp_path / "review.csv", [NEW_ROW, {**existing, **change}])
    before = snapshot(data)
    assert main(["add", str(review), "--data", str(data)]) == 1
    err = capsys.readouterr().err.splitlines()
    refusals = [line for line in err if line.startswith("refused:")]
    assert len(refusals) == 1
    assert refusals[0].startswith(
        f"refused: review.csv, row 3, field 'year': {word}: (industrial_output_above_scale, 2024) is already present"
    )
    assert "data/figures.csv row" in refusals[0]
    assert snapshot(data) == before


def test_duplicate_within_the_review_is_refused(data, tmp_path):
    review = write(tmp_path / "review.csv", [NEW_ROW, NEW_ROW])
    before = snapshot(data)
    with pytest.raises(DataError) as refused:
        add_rows(review, data_dir=data)
    assert "review.csv, row 3, field 'year': duplicate" in str(refused.value)
    assert snapshot(data) == before


def test_bad_unit_is_refused_naming_file_row_and_field(data, tmp_path, capsys):
    # 万元 would convert to the registry's 亿元; tonnes do not.
    bad = {**NEW_ROW, "unit": "万吨", "quote": "完成规上工业总产值216.6万吨,增长15.5%"}
    review = write(
        tmp_path / "review.csv",
        [
            {**NEW_ROW, "indicator": "online_retail_sales", "yoy_pct": "", "value": "80", "quote": "网络零售额80亿元"},
            bad,
        ],
    )
    before = snapshot(data)
    assert main(["add", str(review), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "refused: review.csv, row 3, field 'unit': differs from the unit the registry gives this indicator" in err
    assert "row 2" not in err
    assert snapshot(data) == before


def test_value_missing_from_quote_is_refused(data, tmp_path):
    review = write(tmp_path / "review.csv", [{**NEW_ROW, "value": "216.7"}])
    before = snapshot(data)
    with pytest.raises(DataError) as refused:
        add_rows(review, data_dir=data)
    assert "review.csv, row 2, field 'quote'" in str(refused.value)
    assert snapshot(data) == before


def test_missing_column_is_refused(data, tmp_path):
    review = tmp_path / "review.csv"
    review.write_text("indicator,year,value\nindustrial_output_above_scale,2025,216.6\n", encoding="utf-8")
    before = snapshot(data)
    with pytest.raises(DataError) as refused:
        add_rows(review, data_dir=data)
    assert "review.csv, row 1, field 'unit': column is missing from the header" in str(refused.value)
    assert snapshot(data) == before


@pytest.mark.parametrize(
    "char, name", [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)")]
)
def test_a_control_character_in_a_review_cell_is_refused(data, tmp_path, capsys, char, name):
    """A NUL, an ESC or a bidi override would otherwise reach data/figures.csv and the book's HTML."""
    quote = NEW_ROW["quote"].replace("216.6", f"{char}216.6")
    review = write(tmp_path / "review.csv", [{**NEW_ROW, "quote": quote}])
    before, review_before = snapshot(data), review.read_bytes()
    assert main(["add", str(review), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert f"refused: review.csv, row 2, field 'quote': control character {name}" in err
    assert snapshot(data) == before and review.read_bytes() == review_before


def test_a_control_character_in_a_new_source_is_refused(data, tmp_path, capsys):
    review = write(tmp_path / "review.csv", [{**NEW_ROW, "source": NEW_SOURCE["id"]}])
    source = {**dict.fromkeys(SOURCE_COLUMNS, ""), **NEW_SOURCE, "title": "示例\u202e县"}
    sources = write(tmp_path / "sources.csv", [source], SOURCE_COLUMNS)
    before = snapshot(data)
    assert main(["add", str(review), "--source-file", str(sources), "--data", str(data)]) == 1
    assert "refused: sources.csv, row 2, field 'title': control character U+202E" in capsys.readouterr().err
    assert snapshot(data) == before

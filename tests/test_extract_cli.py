"""extract on the command line: review files written atomically, every path and year checked first."""
from __future__ import annotations

import hashlib

import pytest

from conftest import folder_snapshot
from intake_support import BULLETIN, FIXTURES, read

from countybook import paths
from countybook.__main__ import main
from countybook.data import FIGURE_COLUMNS
from countybook.intake.extract import UNASSIGNED_COLUMNS

ARTICLE_SOURCE = "xdkb_2025_guanyun_development"


def _data_fingerprint() -> dict:
    return {name: hashlib.sha256(content).hexdigest() for name, content in folder_snapshot(paths.ROOT / "data").items()}


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


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("target", ["figures.csv", "review.csv", "sub/review.csv"])
def test_out_inside_the_data_folder_is_refused(tmp_path, capsys, target):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", data)
    (data / "sub").mkdir()
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    code = main(["extract", str(BULLETIN), "--year", "2025", "--source-id", "x", "--data", str(data),
                 "--out", str(data / target)])
    assert code != 0
    assert "data folder" in _one_line_error(capsys)
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def test_out_into_the_default_data_folder_is_refused(capsys, monkeypatch):
    monkeypatch.delenv("COUNTYBOOK_DATA", raising=False)
    before = _data_fingerprint()
    code = main(["extract", str(BULLETIN), "--year", "2025", "--source-id", "x",
                 "--out", str(paths.ROOT / "data" / "figures.csv")])
    assert code != 0
    assert "data folder" in _one_line_error(capsys)
    assert _data_fingerprint() == before


def test_out_into_a_missing_folder(tmp_path, capsys):
    code = main(["extract", str(BULLETIN), "--year", "2025", "--source-id", "x",
                 "--out", str(tmp_path / "missing" / "review.csv")])
    assert code != 0
    assert "does not exist" in _one_line_error(capsys)
    assert not (tmp_path / "missing").exists()


def test_out_onto_a_folder(tmp_path, capsys):
    code = main(["extract", str(BULLETIN), "--year", "2025", "--source-id", "x", "--out", str(tmp_path)])
    assert code != 0
    assert "is a folder" in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_missing_input_says_the_file_does_not_exist(tmp_path, capsys):
    code = main(["extract", str(tmp_path / "nothing.txt"), "--year", "2025", "--source-id", "x"])
    assert code != 0
    err = _one_line_error(capsys)
    assert "does not exist" in err and "UTF-8" not in err


def test_input_not_utf8_names_the_byte(tmp_path, capsys):
    report = tmp_path / "gbk.txt"
    report.write_bytes("地区生产总值486.2亿元".encode("gbk"))
    code = main(["extract", str(report), "--year", "2025", "--source-id", "x"])
    assert code != 0
    assert "UTF-8" in _one_line_error(capsys)



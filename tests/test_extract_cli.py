"""extract on the command line: review files written atomically, every path and year checked first."""

from __future__ import annotations

import hashlib
from pathlib import Path

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
    code = main(
        [
            "extract",
            str(FIXTURES / "report_2025.txt"),
            "--year",
            "2025",
            "--source-id",
            "example_2025_report",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert _data_fingerprint() == before
    rows = {row["indicator"]: row for row in read(out)}
    assert list(read(out)[0]) == list(FIGURE_COLUMNS)
    assert rows["industrial_output_above_scale"]["value"] == "216.6"
    assert rows["industrial_output_above_scale"]["yoy_pct"] == "15.5"
    assert rows["hogs_raised"]["qualifier"] == "nearly"
    assert rows["postal_delivery_volume"]["qualifier"] == "more_than"
    assert rows["online_retail_sales"]["yoy_pct"] == "-3.8"
    assert rows["provincial_smart_ranches"]["value"] == "2"
    assert {row["year"] for row in rows.values()} == {"2025"}
    unassigned = read(tmp_path / "review.unassigned.csv")
    assert list(unassigned[0]) == list(UNASSIGNED_COLUMNS)
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
    code = main(
        [
            "extract",
            str(BULLETIN),
            "--year",
            "2025",
            "--source-id",
            "x",
            "--data",
            str(data),
            "--out",
            str(data / target),
        ]
    )
    assert code != 0
    assert "data folder" in _one_line_error(capsys)
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def test_out_into_the_default_data_folder_is_refused(capsys, monkeypatch):
    monkeypatch.delenv("COUNTYBOOK_DATA", raising=False)
    before = _data_fingerprint()
    code = main(
        [
            "extract",
            str(BULLETIN),
            "--year",
            "2025",
            "--source-id",
            "x",
            "--out",
            str(paths.ROOT / "data" / "figures.csv"),
        ]
    )
    assert code != 0
    assert "data folder" in _one_line_error(capsys)
    assert _data_fingerprint() == before


def test_out_into_a_missing_folder(tmp_path, capsys):
    code = main(
        [
            "extract",
            str(BULLETIN),
            "--year",
            "2025",
            "--source-id",
            "x",
            "--out",
            str(tmp_path / "missing" / "review.csv"),
        ]
    )
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


# --- paths that cannot destroy: one line, exit 2, checked before any work, nothing lost ------------


def _refused(capsys, argv: list[str]) -> str:
    code = main(argv)
    assert code == 2
    return _one_line_error(capsys)


def _extract(source, out, *more) -> list[str]:
    return ["extract", str(source), "--year", "2025", "--source-id", ARTICLE_SOURCE, "--out", str(out), *more]


@pytest.mark.parametrize("name", ["r.txt", "r.csv"])
def test_out_equal_to_the_input_is_refused_and_the_input_kept(tmp_path, capsys, name):
    report = tmp_path / name
    report.write_bytes(BULLETIN.read_bytes())
    err = _refused(capsys, _extract(report, report))
    assert f"{report}: is the input file" in err
    assert report.read_bytes() == BULLETIN.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_out_whose_companion_file_is_the_input_is_refused(tmp_path, capsys):
    report = tmp_path / "r.unassigned.csv"
    report.write_bytes(BULLETIN.read_bytes())
    err = _refused(capsys, _extract(report, tmp_path / "r.csv"))
    assert "is the input file" in err and report.read_bytes() == BULLETIN.read_bytes()


def test_out_through_a_symbolic_link_is_refused_and_the_link_kept(tmp_path, capsys):
    target = tmp_path / "kept.csv"
    target.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "review.csv"
    link.symlink_to(target)
    err = _refused(capsys, _extract(BULLETIN, link))
    assert "is a symbolic link" in err
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "precious\n"


@pytest.mark.parametrize(
    "relative",
    [
        "notebooks/00_overview.ipynb",
        "notebooks/review.csv",
        "book/review.csv",
        "book/chapters/review.csv",
        "data/review.csv",
        "countybook/review.csv",
    ],
)
def test_out_into_the_repositorys_templates_book_data_or_library_is_refused(capsys, relative):
    target = paths.ROOT / relative
    before = target.read_bytes() if target.exists() else None
    err = _refused(capsys, _extract(BULLETIN, target))
    assert err.startswith(f"{target}: ")
    assert (target.read_bytes() if target.exists() else None) == before


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_out_onto_a_device_is_refused_and_the_device_kept(capsys, device):
    import stat

    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    _refused(capsys, _extract(BULLETIN, device))
    assert stat.S_ISCHR(Path(device).stat().st_mode)


def test_out_onto_a_pipe_is_refused(tmp_path, capsys):
    import os
    import stat

    fifo = tmp_path / "review.csv"
    os.mkfifo(fifo)
    assert "is a device or a pipe" in _refused(capsys, _extract(BULLETIN, fifo))
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_an_empty_out_is_one_line(capsys):
    assert _refused(capsys, _extract(BULLETIN, "")) == "--out: an empty path was given; give a file or folder name"


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
def test_an_input_that_is_no_regular_file_is_refused_without_reading_it(tmp_path, capsys, source):
    import os

    if source == "fifo":
        source = tmp_path / "report.txt"
        os.mkfifo(source)  # reading it would wait for a writer forever
    err = _refused(capsys, ["extract", str(source), "--year", "2025", "--source-id", "x"])
    assert "is a device or a pipe" in err


# --- years: the rule of run and of the data -----------------------------------------------------


@pytest.mark.parametrize("year", ["0", "9999", "02024", "2024.0", "\uff12\uff10\uff12\uff14", "-2024"])
def test_extract_refuses_the_years_run_refuses(capsys, year):
    with pytest.raises(SystemExit) as caught:
        main(["extract", str(BULLETIN), "--year", year, "--source-id", "x"])
    assert caught.value.code == 2
    assert f"argument --year: '{year}' is not a whole year from 1949 to 2100" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["run", "--year", year])
    assert caught.value.code == 2


# --- control characters never pass from a report into a review file -------------------------------


@pytest.mark.parametrize(
    "char, name", [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)")]
)
def test_a_control_character_in_the_report_is_refused_naming_file_and_line(tmp_path, capsys, char, name):
    report = tmp_path / "report.txt"
    report.write_text(f"一、综合\n全年地区生产总值486.2亿元{char},增长6.1%。\n", encoding="utf-8")
    before = report.read_bytes()
    code = main(_extract(report, tmp_path / "review.csv"))
    assert code == 1
    err = _one_line_error(capsys)
    assert err.startswith(f"{report}, line 2, column 16: control character {name}")
    assert report.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


# --- the review CSV is UTF-8 whatever the environment says ---------------------------------------


def test_review_on_stdout_is_utf8_under_an_ascii_locale(monkeypatch):
    import io
    import sys

    out, err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="ascii"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="ascii"))
    code = main(["extract", str(FIXTURES / "report_2025.txt"), "--year", "2025", "--source-id", ARTICLE_SOURCE])
    sys.stdout.flush()
    assert code == 0
    review = out.getvalue().decode("utf-8")
    assert "完成规上工业总产值216.6亿元" in review and "\\u" not in review
    assert "\\u" not in err.getvalue().decode("utf-8")


def test_review_files_are_utf8_under_an_ascii_locale(tmp_path, monkeypatch):
    import locale

    monkeypatch.setattr(locale, "getpreferredencoding", lambda *args: "ascii")
    out = tmp_path / "review.csv"
    assert main(_extract(FIXTURES / "report_2025.txt", out)) == 0
    assert "完成规上工业总产值216.6亿元" in out.read_bytes().decode("utf-8")

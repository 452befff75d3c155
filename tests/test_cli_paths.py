"""cli_paths: every path argument of every command is checked by one function before any work."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

import pytest
from conftest import folder_snapshot

from countybook import cli_paths, paths
from countybook.__main__ import main


def refusal(**given) -> str | None:
    return cli_paths.refusal(argparse.Namespace(**given))


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text("地区生产总值486.2亿元。", encoding="utf-8")
    return path


def test_good_paths_pass(tmp_path, report):
    assert refusal(source_file=str(report), out=str(tmp_path / "review.csv"), data=None) is None


@pytest.mark.parametrize("dest", ["source_file", "review_file", "out", "data"])
def test_an_empty_path_is_refused_for_every_role(dest):
    assert "an empty path was given" in refusal(**{dest: ""})


def test_inputs_must_exist_and_be_regular_files(tmp_path):
    assert refusal(review_file=str(tmp_path / "missing.csv")).endswith("the file does not exist")
    assert "is a folder" in refusal(review_file=str(tmp_path))
    os.mkfifo(tmp_path / "pipe.csv")
    assert "is a device or a pipe" in refusal(review_file=str(tmp_path / "pipe.csv"))


def test_a_data_folder_must_be_a_folder(tmp_path, report):
    assert "does not exist" in refusal(data=str(tmp_path / "nowhere"))
    assert "is not a folder" in refusal(data=str(report))


def test_the_companion_files_a_command_writes_are_checked_too(tmp_path, report):
    companion = tmp_path / "review.extra.csv"
    companion.symlink_to(report)
    given = argparse.Namespace(source_file=str(report), out=str(tmp_path / "review.csv"))
    assert cli_paths.refusal(given) is None
    found = cli_paths.refusal(given, lambda out: [out, out.with_name("review.extra.csv")])
    assert found.startswith(f"{companion}: ")


def test_a_hard_link_to_the_input_is_the_input(tmp_path, report):
    twin = tmp_path / "twin.csv"
    os.link(report, twin)
    assert "is the input file" in refusal(source_file=str(report), out=str(twin))


def test_an_output_reached_through_a_linked_folder_is_still_inside_data(tmp_path, report):
    (tmp_path / "looks_harmless").symlink_to(paths.ROOT / "data", target_is_directory=True)
    assert "lies in the data folder" in refusal(
        source_file=str(report), out=str(tmp_path / "looks_harmless" / "figures.csv")
    )


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    return folder


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["add", "@review", "--data", ""], "--data: an empty path was given"),
        (["add", ""], "REVIEW.csv: an empty path was given"),
        (["add", "@review", "--source-file", "/dev/zero"], "/dev/zero: is a device or a pipe"),
        (["add", "@missing"], "@missing: the file does not exist"),
        (["validate", "--data", "@missing"], "@missing: the data folder does not exist"),
        (["years", "--data", "@review"], "@review: is not a folder"),
    ],
)
def test_every_command_checks_its_paths_before_any_work(tmp_path, data, capsys, argv, expected):
    review = tmp_path / "review.csv"
    review.write_text("indicator,year\n", encoding="utf-8")
    named = {"@review": str(review), "@missing": str(tmp_path / "missing")}
    argv = [named.get(a, a) for a in argv]
    if "--data" not in argv:
        argv += ["--data", str(data)]
    before = folder_snapshot(data)
    assert main(argv) == cli_paths.EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(expected.replace("@review", named["@review"]).replace("@missing", named["@missing"]))
    assert folder_snapshot(data) == before and review.read_text(encoding="utf-8") == "indicator,year\n"

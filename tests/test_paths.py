"""countybook.paths: a data folder named by COUNTYBOOK_DATA is checked before anything reads below it."""

from __future__ import annotations

import time

import pytest

from countybook import paths
from countybook.__main__ import main
from countybook.errors import DataError


def test_without_the_override_the_data_folder_is_the_projects():
    assert paths.data_dir() == paths.ROOT / "data"


def test_an_override_naming_a_data_folder_is_taken(tmp_path, monkeypatch):
    (tmp_path / "figures.csv").write_text("indicator\n", encoding="utf-8")
    monkeypatch.setenv("COUNTYBOOK_DATA", str(tmp_path))
    assert paths.data_dir() == tmp_path


@pytest.mark.parametrize("command", [["validate"], ["years"], ["run", "--year", "2024", "--lang", "en"]])
def test_the_root_folder_as_data_fails_fast_in_one_line(monkeypatch, capsys, command):
    # Searching or hashing / whole would take minutes before saying the data are missing.
    monkeypatch.setenv("COUNTYBOOK_DATA", "/")
    started = time.monotonic()
    code = main(command)
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and time.monotonic() - started < 10
    assert len(lines) == 1 and "COUNTYBOOK_DATA=/" in lines[0] and "is not a data folder" in lines[0]


def test_an_empty_folder_is_no_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTYBOOK_DATA", str(tmp_path))
    with pytest.raises(DataError):
        paths.data_dir()

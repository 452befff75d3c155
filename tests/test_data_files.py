"""countybook.data_files: which files of a data folder count, by content."""

from __future__ import annotations

import shutil

from countybook import paths
from countybook.data_files import data_hash


def test_only_files_the_loader_and_pages_read_count_as_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", data)
    before = data_hash(data)
    # What editors, `add` and users leave behind: none of it is read by the loader.
    (data / ".figures.csv.new").write_text("half-written", encoding="utf-8")
    (data / "tmp3k2j_x9").write_bytes(b"\0")
    (data / "figures.csv~").write_text("backup", encoding="utf-8")
    (data / "analysis" / ".notes.md.swp").write_bytes(b"swap")
    assert data_hash(data) == before
    some_analysis = sorted((data / "analysis").rglob("*.md"))[0]
    some_analysis.write_text(some_analysis.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert data_hash(data) != before

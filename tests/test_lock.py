"""countybook.lock: readers share the data folder, a writer has it alone, and nobody waits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from countybook import lock


def test_readers_share_and_a_writer_is_refused_while_they_read(tmp_path):
    with lock.reading_data(tmp_path), lock.reading_data(tmp_path):
        with pytest.raises(lock.Busy, match="in use by a `run` or another `add`"):
            with lock.writing_data(tmp_path):
                pass


def test_a_reader_is_refused_while_a_writer_writes(tmp_path):
    with lock.writing_data(tmp_path), pytest.raises(lock.Busy, match=r"is being changed \(by `add`\)"):
        with lock.reading_data(tmp_path):
            pass
    with lock.reading_data(tmp_path):  # released with the with-block
        pass


def test_a_killed_holder_releases_the_lock(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; sys.path.insert(0, sys.argv[2]); from countybook import lock\n"
                "with lock.writing_data(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)"
            ),
            str(tmp_path),
            str(Path(lock.__file__).parents[1]),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(lock.Busy), lock.reading_data(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with lock.writing_data(tmp_path):
        pass

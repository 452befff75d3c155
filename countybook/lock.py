"""Folder locks shared by every command that reads or writes data/ and book/.

`run` holds a shared lock on the data folder from its year check until the new edition is in
place, and an exclusive one on the book folder; `add` (and any later data/ writer) holds an
exclusive lock on the data folder. So an `add` during a `run` is refused instead of producing an
edition whose chapters saw different data, and two runs may read the same data at once.

flock on the folder itself: no lock file is left behind, and the kernel releases the lock when
the process ends by any means, SIGKILL included.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class Busy(Exception):
    """Another process holds the lock; the message says what to do."""


@contextlib.contextmanager
def locked(folder: Path, *, shared: bool, busy_message: str):
    """Hold a shared or exclusive lock on folder for the with-block; raise Busy at once if taken."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no locking
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError:
            raise Busy(busy_message) from None
        yield
    finally:
        os.close(fd)


def reading_data(folder: Path):
    return locked(
        Path(folder),
        shared=True,
        busy_message=f"{Path(folder).name}/ is being changed (by `add`); run again when it has finished",
    )


def writing_data(folder: Path):
    return locked(
        Path(folder),
        shared=False,
        busy_message=f"{Path(folder).name}/ is in use by a `run` or another `add`; "
        "try again when it has finished (nothing was changed)",
    )

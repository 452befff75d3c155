"""Where the project's folders are, relative to the package so a clone works anywhere."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    # An override lets tests and the runner point notebooks at a copy of data/.
    return Path(os.environ.get("COUNTYBOOK_DATA", ROOT / "data"))


NOTEBOOKS_DIR = ROOT / "notebooks"
BOOK_DIR = ROOT / "book"
CHAPTERS_DIR = BOOK_DIR / "chapters"
SOURCES_DIR = ROOT.parent / "shared" / "sources"

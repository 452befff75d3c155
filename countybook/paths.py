"""Where the project's folders are, relative to the package so a clone works anywhere."""
from __future__ import annotations

import os
from pathlib import Path

from .render.messages import DEFAULT_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    # An override lets tests and the runner point notebooks at a copy of data/.
    return Path(os.environ.get("COUNTYBOOK_DATA", ROOT / "data"))


NOTEBOOKS_DIR = ROOT / "notebooks"
BOOK_DIR = ROOT / "book"
CHAPTERS_DIR = BOOK_DIR / "chapters"  # the default (English) edition's chapters


def edition_dir(book_dir: Path, lang: str, default: str = DEFAULT_LANGUAGE) -> Path:
    """The book folder of one edition: book/ for the default language, book/<lang>/ for another
    (a book of its own, with its _config.yml and _toc.yml, built beside the default one)."""
    return Path(book_dir) if lang == default else Path(book_dir) / lang


BOOK_NAME = "guanyun"  # the PDFs' file names begin with it


def pdf_name(year: int, lang: str) -> str:
    """The print edition's file name (countybook.run.pdf), also linked from the landing page."""
    return f"{BOOK_NAME}-{year}-{lang}.pdf"


def chapters_dir(lang: str, book_dir: Path | None = None) -> Path:
    return edition_dir(book_dir or BOOK_DIR, lang) / "chapters"
SOURCES_DIR = ROOT.parent / "shared" / "sources"

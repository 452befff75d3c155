"""Where the project's folders are, relative to the package so a clone works anywhere."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

from .errors import DataError, Problem
from .render.messages import DEFAULT_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent
DATA_ENVIRONMENT = "COUNTYBOOK_DATA"
# The files of a data folder, by what countybook.data.load reads them as.
DATA_FILES = MappingProxyType(
    {
        "themes": "themes.yml",
        "units": "units.yml",
        "qualifiers": "qualifiers.yml",
        "stages": "stages.yml",
        "scopes": "scopes.yml",
        "indicators": "indicators.yml",
        "ratios": "ratios.yml",
        "sources": "sources.csv",
        "figures": "figures.csv",
        "projects": "projects.csv",
        "milestones": "milestones.csv",
        "areas": "areas.yml",
        "benchmarks": "benchmarks.csv",
        "comparisons": "comparisons.yml",
        "glossary": "glossary.yml",
    }
)


def data_dir() -> Path:
    """data/, or the folder $COUNTYBOOK_DATA names (tests and the runner point notebooks at a copy)."""
    override = os.environ.get(DATA_ENVIRONMENT)
    if override is None:
        return ROOT / "data"
    folder = Path(override)
    check_data_folder(folder, f"{DATA_ENVIRONMENT}={override}")
    return folder


def check_data_folder(folder: Path, label: str) -> None:
    """Refuse at once, in one line, a folder that holds none of the data files (COUNTYBOOK_DATA=/ would
    otherwise be searched and hashed whole before its files were found missing)."""
    if not any((Path(folder) / name).is_file() for name in DATA_FILES.values()):
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    "(folder)",
                    "is not a data folder (no figures.csv, indicators.yml or "
                    "other data file in it); name the project's data/ or a copy of it",
                )
            ]
        )


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

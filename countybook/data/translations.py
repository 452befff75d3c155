"""The book's English renderings of Chinese source titles and quotes, and the check that none is missing.

A title_en beside every Chinese source title (data/sources.csv) and a quote_en for every Chinese
quote (data/quotes_en.csv, keyed by the quote).

A source or figure registered by `extract`/`add` arrives untranslated and still loads (the book builds);
`untranslated` lists what lacks a rendering, file, row and field, and `validate` fails on it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import Problem
from .read import read_csv, read_yaml, read_yaml_list

FILE = "quotes_en.csv"
COLUMNS = ("quote", "quote_en")
CHINESE = re.compile(r"[\u3400-\u9fff]")
# Every file whose rows carry a quote the pages show, with the columns read from it.
QUOTED_CSV = ("figures.csv", "benchmarks.csv", "milestones.csv", "projects.csv")


def is_chinese(text) -> bool:
    return isinstance(text, str) and CHINESE.search(text) is not None


def read(folder: Path) -> pd.DataFrame | None:
    """data/quotes_en.csv, or None where a data folder has none (a fixture, a new book)."""
    path = folder / FILE
    return read_csv(path, f"{folder.name}/{FILE}", list(COLUMNS)) if path.exists() else None


def as_mapping(frame: pd.DataFrame | None) -> dict[str, str]:
    return {} if frame is None else dict(zip(frame["quote"], frame["quote_en"]))


def english_quote(mapping: dict[str, str], quote: str) -> str | None:
    """The book's rendering of a Chinese quote; None for a quote already in English or not yet translated."""
    return mapping.get(quote) if is_chinese(quote) else None


def english_title(source) -> str | None:
    """The book's rendering of a Chinese title; None for an English title or one not yet translated."""
    title_en = source.get("title_en", "") if hasattr(source, "get") else ""
    return title_en if is_chinese(source["title"]) and isinstance(title_en, str) and title_en else None


def _quoted(folder: Path) -> list[tuple[str, int | None, str]]:
    """(file label, row, quote) for every quote in data/: CSV rows by spreadsheet row, YAML entries by
    their place in the list (1 = first)."""
    found: list[tuple[str, int | None, str]] = []
    for name in QUOTED_CSV:
        if (folder / name).exists():
            frame = read_csv(folder / name, f"{folder.name}/{name}", ["quote"])
            found += [(f"{folder.name}/{name}", int(row), quote) for row, quote in frame["quote"].items()]
    if (folder / "glossary.yml").exists():
        terms = read_yaml_list(folder / "glossary.yml", f"{folder.name}/glossary.yml", ["quote"])
        found += [(f"{folder.name}/glossary.yml", n, str(q)) for n, q in enumerate(terms["quote"], 1)]
    if (folder / "long_view.yml").exists():
        view = read_yaml(folder / "long_view.yml", f"{folder.name}/long_view.yml") or {}
        found += [
            (f"{folder.name}/long_view.yml", n, str(b.get("quote", "")))
            for n, b in enumerate(view.get("breaks", []) or [], 1)
        ]
    return found


def untranslated(folder: Path) -> list[Problem]:
    """Every Chinese source title without title_en and every Chinese quote without a row in quotes_en.csv."""
    problems = []
    sources = read_csv(folder / "sources.csv", f"{folder.name}/sources.csv", ["id", "title"])
    for row, source in sources.iterrows():
        if english_title(source) is None and is_chinese(source["title"]):
            problems.append(
                Problem(
                    f"{folder.name}/sources.csv",
                    int(row),
                    "title_en",
                    "a Chinese title needs the book's English translation beside it",
                )
            )
    mapping = as_mapping(read(folder))
    for label, row, quote in _quoted(folder):
        if is_chinese(quote) and quote not in mapping:
            problems.append(
                Problem(
                    label, row, "quote", f"no English rendering in {folder.name}/{FILE} (add a row: quote,quote_en)"
                )
            )
    return problems

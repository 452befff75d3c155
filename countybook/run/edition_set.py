"""The editions of a book as one set: the same year, made from the same data, every one present.

A build publishes the editions side by side with language-switch links between "the same page",
so an English edition of one year beside a Chinese one of another would be untrue. Both the
runner's build step (countybook.run.build) and the Sphinx extension (book/_ext/editions.py, for
`jupyter-book build book/` typed directly) ask problem() first and refuse with its one line.

An edition's year and data come from its cache manifest (countybook.run.cache); an edition
without one (copied by hand, say) is read from its executed notebooks' papermill parameters, and
its data then cannot be compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from . import cache

CONFIG = "_config.yml"
TOC = "_toc.yml"


@dataclass(frozen=True)
class Edition:
    lang: str
    year: int | None
    data: str | None  # hash of the data it was made from; None when unknown
    made: float  # modification time of what it was read from (the newest edition is the one meant)


def read_edition(chapters_dir: Path, lang: str) -> Edition | None:
    """The year and data of the edition in chapters_dir; None when it holds no executed notebook."""
    chapters_dir = Path(chapters_dir)
    manifest = chapters_dir / cache.MANIFEST_NAME
    inputs = cache.read_edition(chapters_dir).get("inputs") or {}
    try:
        year = json.loads(inputs.get("parameters", "")).get("year")
        return Edition(lang, year, inputs.get("data"), manifest.stat().st_mtime)
    except (ValueError, AttributeError, OSError):
        pass
    years = set()
    newest = 0.0
    for notebook in sorted(chapters_dir.glob("*.ipynb")):
        try:
            metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
            years.add(metadata.get("papermill", {}).get("parameters", {}).get("year"))
            newest = max(newest, notebook.stat().st_mtime)
        except (OSError, ValueError, AttributeError):
            years.add(None)
    if not years:
        return None
    return Edition(lang, years.pop() if len(years) == 1 else None, None, newest)


def _command(year, lang: str | None = None) -> str:
    return f"`python -m countybook run --year {year}{f' --lang {lang}' if lang else ''}`"


def problem(
    book_dir: Path | None = None, languages: tuple[str, ...] | None = None, default: str | None = None
) -> str | None:
    """One line saying why the editions in book_dir are not one publishable set; None when they are.

    A language whose folder (book/<lang>/) is absent is not part of the book; a folder without
    its _config.yml or _toc.yml, or without executed chapters, is a broken edition.
    """
    from ..render import messages

    book_dir = Path(book_dir or paths.BOOK_DIR)
    languages = tuple(languages or messages.languages())
    default = default or messages.DEFAULT_LANGUAGE
    editions: list[Edition] = []
    for lang in languages:
        folder = paths.edition_dir(book_dir, lang, default)
        if not folder.is_dir():
            continue  # a book without this language (its stale site is removed by the build)
        if lang != default:
            for name in (CONFIG, TOC):
                if not (folder / name).is_file():
                    shown = (folder / name).relative_to(book_dir.parent).as_posix()
                    return f"{shown} is missing: the {lang} edition cannot be built (restore it from git)"
        edition = read_edition(folder / "chapters", lang)
        if edition is None:
            return f"the {lang} edition has no chapters: run {_command('<year>', lang)}"
        if edition.year is None:
            return f"the {lang} edition mixes years: run {_command('<year>', lang)}"
        editions.append(edition)
    meant = max(editions, key=lambda edition: edition.made)
    for edition in editions:
        if edition.year != meant.year:
            return (
                f"the editions disagree: {meant.lang} is {meant.year}, {edition.lang} is {edition.year}; "
                f"run {_command(meant.year, edition.lang)} (or {_command(edition.year)} for both)"
            )
    for edition in editions:
        if edition.data and meant.data and edition.data != meant.data:
            return (
                f"the editions disagree: {edition.lang} and {meant.lang} of {meant.year} were made from "
                f"different data; run {_command(meant.year)}"
            )
    return None

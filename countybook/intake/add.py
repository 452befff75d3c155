"""Merge reviewed figures into data/, validated with the same schemas as the book.

    python -m countybook add REVIEW.csv [--source-file SOURCES.csv] [--data DIR]

REVIEW.csv has the columns of data/figures.csv (indicator, year, value, unit, qualifier, yoy_pct,
source, quote), as written by ``python -m countybook extract``; other columns are ignored.

New sources are registered in the same step: every source a review row names must either already be
in data/sources.csv or be given in ``--source-file``, a CSV with the columns of data/sources.csv
(``extract`` writes a template, REVIEW.sources.csv, when its --source-id is new). A row of the
source file whose id is already registered with identical cells is skipped; with different cells
it is refused as a conflict.

The steps, all or nothing:

1. Read the review (and source) file; refuse any review row whose (indicator, year) is already in
   data/figures.csv (a duplicate when every cell is equal, a conflict otherwise) or appears twice
   in the review, and any row naming a source that is neither registered nor given.
2. Copy data/ into a temporary folder, append the new rows to figures.csv (and sources.csv) there,
   and validate the copy with ``countybook.data.load``. Problems in appended rows are reported
   against the review or source file and its own row numbers (header = row 1).
3. Only when the copy validates, write each changed file beside the original and swap it in with
   ``os.replace`` (atomic per file; sources.csv first, so figures never name an unknown source).
   The existing lines are kept byte for byte; new rows are appended.

On refusal nothing in data/ changes and each problem is printed on one line as
``file, row N, field 'f': message``. The data folder is ``--data``, else $COUNTYBOOK_DATA, else data/.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .. import paths
from ..data import FIGURE_COLUMNS, FILES, SOURCE_COLUMNS, load
from ..errors import DataError, Problem
from ..data.load import read_figures
from ..data.read import read_csv


def _label(path: Path) -> str:
    return path.name


def _rows(frame, columns) -> list[tuple[int, dict]]:
    return [(int(index), {c: record[c] for c in columns}) for index, record in zip(frame.index, frame.to_dict("records"))]


def _append(original: bytes, rows: list[dict], columns: list[str]) -> bytes:
    """The original bytes unchanged, then the new rows as CSV in the file's own line ending."""
    newline = "\r\n" if b"\r\n" in original else "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([[row[c] for c in columns] for row in rows])
    head = original
    if head and not head.endswith(b"\n"):
        head += newline.encode()
    return head + buffer.getvalue().encode("utf-8")


def _conflicts(review, review_label, existing, figures_label) -> list[Problem]:
    problems = []
    present = {(r["indicator"], r["year"]): (row, r) for row, r in existing}
    seen: dict[tuple, int] = {}
    for row, r in review:
        key = (r["indicator"], r["year"])
        if key in present:
            old_row, old = present[key]
            differing = [c for c in FIGURE_COLUMNS if old[c] != r[c]]
            what = "conflict" if {"value", "unit", "qualifier", "yoy_pct"} & set(differing) else "duplicate"
            detail = (f"{figures_label} row {old_row} already has {old['value']} {old['unit']}"
                      + (f" (here {r['value']} {r['unit']})" if what == "conflict" else "")
                      + (f"; this row differs in {', '.join(differing)}" if differing else "; identical row")
                      + ("; correct data/figures.csv by hand if this is a revision" if what == "conflict" else ""))
            problems.append(Problem(review_label, row, "year", f"{what}: ({r['indicator']}, {r['year']}) is already present: {detail}"))
        elif key in seen:
            problems.append(Problem(review_label, row, "year",
                                    f"duplicate: {r['indicator']} {r['year']} is also in row {seen[key]} of this file"))
        else:
            seen[key] = row
    return problems


def add_rows(review_file: Path, source_file: Path | None = None, data_dir: Path | None = None) -> tuple[int, int]:
    """Validate and merge; return (figures added, sources added) or raise DataError, changing nothing."""
    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    figures_path, sources_path = folder / FILES["figures"], folder / FILES["sources"]
    figures_label, sources_label = f"{folder.name}/{FILES['figures']}", f"{folder.name}/{FILES['sources']}"
    review_label = _label(Path(review_file))
    review = _rows(read_figures(Path(review_file), review_label), FIGURE_COLUMNS)
    if not review:
        raise DataError([Problem(review_label, None, "(file)", "holds no rows to add")])
    given = []
    if source_file is not None:
        given = _rows(read_csv(Path(source_file), _label(Path(source_file)), SOURCE_COLUMNS), SOURCE_COLUMNS)
    existing_figures = _rows(read_figures(figures_path, figures_label), FIGURE_COLUMNS)
    existing_sources = {r["id"]: r for _, r in _rows(read_csv(sources_path, sources_label, SOURCE_COLUMNS),
                                                      SOURCE_COLUMNS)}

    problems = _conflicts(review, review_label, existing_figures, figures_label)
    new_sources: list[tuple[int, dict]] = []
    for row, s in given:
        old = existing_sources.get(s["id"])
        if old is None:
            new_sources.append((row, s))
        elif any(old[c] != s[c] for c in SOURCE_COLUMNS):
            differing = next(c for c in SOURCE_COLUMNS if old[c] != s[c])
            problems.append(Problem(_label(Path(source_file)), row, differing,
                                    f"conflict: source '{s['id']}' is already in {sources_label} with "
                                    f"{differing} '{old[differing]}'"))
    known = set(existing_sources) | {s["id"] for _, s in new_sources}
    for row, r in review:
        if r["source"] not in known:
            problems.append(Problem(review_label, row, "source",
                                    f"unknown source '{r['source']}': register it with --source-file "
                                    "(a CSV with the columns of data/sources.csv)"))
    if problems:
        raise DataError(problems)

    new_figures_bytes = _append(figures_path.read_bytes(), [r for _, r in review], FIGURE_COLUMNS)
    new_sources_bytes = (_append(sources_path.read_bytes(), [s for _, s in new_sources], SOURCE_COLUMNS)
                         if new_sources else None)
    _validate_merged(folder, new_figures_bytes, new_sources_bytes, review, review_label, new_sources,
                     _label(Path(source_file)) if source_file is not None else "")

    # Swap the files in: each os.replace is atomic; sources first so figures never name an unknown source.
    for path, content in ((sources_path, new_sources_bytes), (figures_path, new_figures_bytes)):
        if content is None:
            continue
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            shutil.copymode(path, temporary)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return len(review), len(new_sources)


def _validate_merged(folder, figures_bytes, sources_bytes, review, review_label, new_sources, source_label):
    """load() a copy of the data folder with the rows merged; map failures back to the input files."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / folder.name
        shutil.copytree(folder, copy)
        (copy / FILES["figures"]).write_bytes(figures_bytes)
        if sources_bytes is not None:
            (copy / FILES["sources"]).write_bytes(sources_bytes)
        # Which merged rows came from which input row, by the row numbers load() reports.
        where = {}
        merged_figures = read_csv(copy / FILES["figures"], "figures", FIGURE_COLUMNS).index[-len(review):]
        where.update({(FILES["figures"], int(m)): (review_label, row) for m, (row, _) in zip(merged_figures, review)})
        if new_sources:
            merged_sources = read_csv(copy / FILES["sources"], "sources", SOURCE_COLUMNS).index[-len(new_sources):]
            where.update({(FILES["sources"], int(m)): (source_label, row)
                          for m, (row, _) in zip(merged_sources, new_sources)})
        try:
            load(copy)
        except DataError as err:
            mapped = []
            for p in err.problems:
                name = p.file.split("/", 1)[-1]
                file, row = where.get((name, p.row), (f"{folder.name}/{name}", p.row))
                mapped.append(Problem(file, row, p.field, p.message))
            raise DataError(mapped) from None


def add_add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("review_file", metavar="REVIEW.csv", type=Path, help="reviewed figures (columns of figures.csv)")
    parser.add_argument("--source-file", type=Path, default=None,
                        help="CSV of new sources (columns of data/sources.csv) named by the review rows")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder to merge into (default: $COUNTYBOOK_DATA or data/)")


def add_main(args: argparse.Namespace) -> int:
    try:
        figures, sources = add_rows(args.review_file, args.source_file, args.data)
    except DataError as err:
        for problem in err.problems:
            print(f"refused: {problem}", file=sys.stderr)
        print("nothing was changed in the data folder", file=sys.stderr)
        return 1
    folder = Path(args.data) if args.data is not None else paths.data_dir()
    print(f"added {figures} figures to {folder / FILES['figures']}"
          + (f" and {sources} sources to {folder / FILES['sources']}" if sources else ""))
    return 0

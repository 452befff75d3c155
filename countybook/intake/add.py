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
from collections.abc import Sequence
from pathlib import Path

from .. import paths
from ..data import FIGURE_COLUMNS, FILES, SOURCE_COLUMNS, load
from ..data.load import read_figures
from ..data.read import read_csv
from ..errors import DataError, Problem, describe_os_error, shown_lines
from .report_text import control_character

NOTHING_CHANGED = "nothing was changed in the data folder"


def _label(path: Path) -> str:
    return path.name


def _rows(frame, columns) -> list[tuple[int, dict]]:
    return [
        (int(index), {c: record[c] for c in columns}) for index, record in zip(frame.index, frame.to_dict("records"))
    ]


def _append(original: bytes, rows: list[dict], columns: Sequence[str]) -> bytes:
    """The original bytes unchanged, then the new rows as CSV in the file's own line ending.

    Cells follow the file's own header, so a column the file has beyond `columns` (a translation
    a reviewer writes later) is left blank rather than shifting the row."""
    newline = "\r\n" if b"\r\n" in original else "\n"
    header = next(csv.reader(io.StringIO(original.decode("utf-8-sig"))), None) if original.strip() else None
    order = header if header and set(columns) <= set(header) else columns
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([[row.get(c, "") for c in order] for row in rows])
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
            detail = (
                f"{figures_label} row {old_row} already has {old['value']} {old['unit']}"
                + (f" (here {r['value']} {r['unit']})" if what == "conflict" else "")
                + (f"; this row differs in {', '.join(differing)}" if differing else "; identical row")
                + ("; correct data/figures.csv by hand if this is a revision" if what == "conflict" else "")
            )
            problems.append(
                Problem(
                    review_label, row, "year", f"{what}: ({r['indicator']}, {r['year']}) is already present: {detail}"
                )
            )
        elif key in seen:
            problems.append(
                Problem(
                    review_label,
                    row,
                    "year",
                    f"duplicate: {r['indicator']} {r['year']} is also in row {seen[key]} of this file",
                )
            )
        else:
            seen[key] = row
    return problems


def add_rows(review_file: Path, source_file: Path | None = None, data_dir: Path | None = None) -> tuple[int, int]:
    """Validate and merge; return (figures added, sources added) or raise DataError, changing nothing."""
    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    _remove_leftovers(folder)
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
    existing_sources = {
        r["id"]: r for _, r in _rows(read_csv(sources_path, sources_label, SOURCE_COLUMNS), SOURCE_COLUMNS)
    }

    problems = _conflicts(review, review_label, existing_figures, figures_label)
    problems += _control_characters(review, review_label)
    if source_file is not None:
        problems += _control_characters(given, _label(Path(source_file)))
    new_sources: list[tuple[int, dict]] = []
    for row, s in given:
        old = existing_sources.get(s["id"])
        if old is None:
            new_sources.append((row, s))
        elif any(old[c] != s[c] for c in SOURCE_COLUMNS):
            differing = next(c for c in SOURCE_COLUMNS if old[c] != s[c])
            problems.append(
                Problem(
                    _label(Path(str(source_file))),
                    row,
                    differing,
                    f"conflict: source '{s['id']}' is already in {sources_label} with {differing} '{old[differing]}'",
                )
            )
    known = set(existing_sources) | {s["id"] for _, s in new_sources}
    for row, r in review:
        if r["source"] not in known:
            problems.append(
                Problem(
                    review_label,
                    row,
                    "source",
                    f"unknown source '{r['source']}': register it with --source-file "
                    "(a CSV with the columns of data/sources.csv)",
                )
            )
    if problems:
        raise DataError(problems)

    new_figures_bytes = _append(figures_path.read_bytes(), [r for _, r in review], FIGURE_COLUMNS)
    new_sources_bytes = (
        _append(sources_path.read_bytes(), [s for _, s in new_sources], SOURCE_COLUMNS) if new_sources else None
    )
    _validate_merged(
        folder,
        new_figures_bytes,
        new_sources_bytes,
        review,
        review_label,
        new_sources,
        _label(Path(source_file)) if source_file is not None else "",
    )

    replace_all(folder, [(sources_path, new_sources_bytes), (figures_path, new_figures_bytes)])
    return len(review), len(new_sources)


def _control_characters(rows: list[tuple[int, dict]], label: str) -> list[Problem]:
    """A NUL, an ESC or a bidi override (U+202E) in a cell would reach data/ and the book unseen."""
    problems = []
    for row, record in rows:
        for column, value in record.items():
            found = control_character(value) if isinstance(value, str) else None
            if found is not None:
                problems.append(Problem(label, row, column, f"control character {found[2]}; remove it"))
    return problems


class WriteFailed(Exception):
    """A data file could not be written; every file was restored. The message says which and why."""


def replace_all(folder: Path, changes: list[tuple[Path, bytes | None]]) -> None:
    """Replace each path with its new bytes, all or nothing (None: leave that file alone).

    Every new file is written in full under a temporary name first (a full disk or a read-only
    folder fails here, before anything changed). Each original is kept under a second name (a
    hard link, so it costs nothing) until all replacements succeeded; when one fails (an
    immutable file, say) those already replaced are put back. os.replace is atomic per file, and
    the order given is kept (sources before figures, so figures never name an unknown source).
    """
    staged: list[tuple[Path, Path, Path]] = []  # (target, new bytes, original kept)
    done: list[tuple[Path, Path]] = []
    try:
        for path, content in changes:
            if content is None:
                continue
            handle, temporary_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=folder)
            temporary = Path(temporary_name)
            staged.append((path, temporary, path.with_name(f"{temporary.name[:-4]}.old")))
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            shutil.copymode(path, temporary)
            _keep(path, staged[-1][2])
        for path, temporary, kept in staged:
            os.replace(temporary, path)
            done.append((path, kept))
    except BaseException as err:
        restore_failed = []
        for path, kept in reversed(done):
            try:
                os.replace(kept, path)
            except OSError:
                restore_failed.append(path)
        still_needed = {kept for path, kept in done if path in restore_failed}
        for _, temporary, kept in staged:
            temporary.unlink(missing_ok=True)
            if kept not in still_needed:
                kept.unlink(missing_ok=True)
        if not isinstance(err, OSError):
            raise
        if restore_failed:  # pragma: no cover - needs a file system failing twice in a row
            raise WriteFailed(
                f"{describe_os_error(err)}; could not restore "
                f"{', '.join(p.name for p in restore_failed)}: its previous content is in "
                f"the .old file beside it"
            ) from None
        raise WriteFailed(describe_os_error(err)) from None
    for _, _, kept in staged:
        kept.unlink(missing_ok=True)


def _remove_leftovers(folder: Path) -> None:
    """Temporary files of an `add` killed while writing (SIGKILL, power cut); we hold the lock."""
    for name in (FILES["figures"], FILES["sources"]):
        for leftover in [*folder.glob(f".{name}.*.new"), *folder.glob(f".{name}.*.old")]:
            leftover.unlink(missing_ok=True)


def _keep(path: Path, kept: Path) -> None:
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)


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
        merged_figures = read_csv(copy / FILES["figures"], "figures", FIGURE_COLUMNS).index[-len(review) :]
        where.update({(FILES["figures"], int(m)): (review_label, row) for m, (row, _) in zip(merged_figures, review)})
        if new_sources:
            merged_sources = read_csv(copy / FILES["sources"], "sources", SOURCE_COLUMNS).index[-len(new_sources) :]
            where.update(
                {(FILES["sources"], int(m)): (source_label, row) for m, (row, _) in zip(merged_sources, new_sources)}
            )
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
    # Paths stay strings here: countybook.cli_paths checks them (an empty one too) before any work.
    parser.add_argument("review_file", metavar="REVIEW.csv", help="reviewed figures (columns of figures.csv)")
    parser.add_argument(
        "--source-file", default=None, help="CSV of new sources (columns of data/sources.csv) named by the review rows"
    )
    parser.add_argument("--data", default=None, help="data folder to merge into (default: $COUNTYBOOK_DATA or data/)")


def add_main(args: argparse.Namespace) -> int:
    from .. import lock

    folder = Path(args.data) if args.data is not None else paths.data_dir()
    try:
        with lock.writing_data(folder):
            figures, sources = add_rows(args.review_file, args.source_file, args.data)
    except DataError as err:
        for line in shown_lines(err.problems, prefix="refused: "):
            print(line, file=sys.stderr)
        print(NOTHING_CHANGED, file=sys.stderr)
        return 1
    except (lock.Busy, WriteFailed) as err:
        print(f"{err}; {NOTHING_CHANGED}", file=sys.stderr)
        return 1
    # Ctrl-C and SIGTERM end in the command line's "interrupted; nothing was changed …": replace_all
    # has put back whatever it had replaced before the interruption went on.
    print(
        f"added {figures} figures to {folder / FILES['figures']}"
        + (f" and {sources} sources to {folder / FILES['sources']}" if sources else "")
    )
    return 0

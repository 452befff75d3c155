"""The extract command: arguments, and the review files written atomically (or to stdout).

    python -m countybook extract SOURCE.txt --year 2025 --source-id my_source [--area county] [--out REVIEW.csv]

What it finds is described in countybook.intake.extract; the output files in its docstring too.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .. import years
from ..data import FIGURE_COLUMNS, SOURCE_COLUMNS, load
from ..years import year_argument
from .assignment import AREA_MARKERS
from .extract import UNASSIGNED_COLUMNS, extract
from .report_text import control_character


def _csv_text(rows: list[dict], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def unassigned_path(out: Path) -> Path:
    return out.with_name(out.stem + ".unassigned.csv")


def sources_path(out: Path) -> Path:
    return out.with_name(out.stem + ".sources.csv")


def source_template(source_id: str) -> dict:
    return {
        "id": source_id,
        "title": "",
        "publisher": "",
        "date": "",
        "url": "",
        "language": "zh",
        "reliability": "",
        "status": "used",
        "note": "",
        "kind": "",
    }


def add_extract_arguments(parser: argparse.ArgumentParser) -> None:
    # Paths stay strings here: countybook.cli_paths checks them (an empty one too) before any work.
    parser.add_argument("source_file", metavar="SOURCE.txt", help="the report's text (UTF-8)")
    parser.add_argument(
        "--year", type=year_argument, required=True, help=f"the year the figures describe: {years.RULE}"
    )
    parser.add_argument("--source-id", required=True, help="id of the source in data/sources.csv (new ids allowed)")
    parser.add_argument(
        "--area",
        choices=sorted(AREA_MARKERS),
        default=None,
        help="the report's own area: county (全县), city (全市: a county-level city) or district "
        "(全区); default: from the book's subject area in data/areas.yml (灌云县: county). "
        "Figures of other areas are left unassigned",
    )
    parser.add_argument(
        "--out",
        help="review CSV to write (default: stdout); never a file of data/, notebooks/ "
        "or book/, an input, a link or a device",
    )
    parser.add_argument(
        "--data", default=None, help="data folder holding the registry (default: $COUNTYBOOK_DATA or data/)"
    )


def extract_writes(out: Path) -> list[Path]:
    """Every file `extract --out OUT` may write, for countybook.cli_paths to check before any work."""
    return [out, unassigned_path(out), sources_path(out)]


def _write_utf8(stream, text: str) -> None:
    """CSV to stdout or stderr as UTF-8 whatever PYTHONIOENCODING says: `extract … > review.csv`
    under an ASCII locale would otherwise hold \\uXXXX escapes instead of the report's words."""
    stream.flush()
    raw = getattr(stream, "buffer", None)
    if raw is None:  # a stream without bytes underneath (a StringIO): it holds text, not an encoding
        stream.write(text)
        return
    raw.write(text.encode("utf-8"))
    raw.flush()


def _write_atomically(files: dict[Path, str]) -> None:
    """Write each file to a temporary name beside it, then replace them, so no half-written file is left."""
    temporary: list[Path] = []
    try:
        for path, content in files.items():
            handle, temporary_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary.append(Path(temporary_name))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(content)
        for (path, _), name in zip(files.items(), temporary):
            os.replace(name, path)
    finally:
        for name in temporary:
            name.unlink(missing_ok=True)


def extract_main(args: argparse.Namespace) -> int:
    source = Path(args.source_file)  # exists and is a regular file: checked by countybook.cli_paths
    try:
        raw = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        print(f"{source}: cannot read the text as UTF-8 (byte {err.start}); save it as UTF-8", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"{source}: cannot be read: {err.strerror or err}", file=sys.stderr)
        return 1
    control = control_character(raw)
    if control is not None:
        line, column, char = control
        print(
            f"{source}, line {line}, column {column}: control character {char}; remove it (it would pass "
            "unseen into the quotes, data/ and the book) and run again",
            file=sys.stderr,
        )
        return 1
    ds = load(args.data)
    candidates, unassigned = extract(raw, args.year, args.source_id, ds, area=args.area)
    new_source = args.source_id not in set(ds.sources["id"])
    review = _csv_text(candidates, FIGURE_COLUMNS)
    rest = _csv_text(unassigned, UNASSIGNED_COLUMNS)
    template = _csv_text([source_template(args.source_id)], SOURCE_COLUMNS) if new_source else ""
    if args.out is None:
        _write_utf8(sys.stdout, review)
        _write_utf8(sys.stderr, f"# {len(unassigned)} unassigned numbers\n{rest}")
        if new_source:
            _write_utf8(
                sys.stderr,
                f"# new source '{args.source_id}': complete this row and pass it to add --source-file\n{template}",
            )
        return 0
    out = Path(args.out)
    files = {out: review, unassigned_path(out): rest}
    if new_source:
        files[sources_path(out)] = template
    try:
        _write_atomically(files)
    except OSError as err:
        print(f"{out}: cannot write the review files: {err.strerror or err}; nothing was written", file=sys.stderr)
        return 1
    print(
        f"{len(candidates)} candidate figures, {len(unassigned)} unassigned numbers; wrote "
        + ", ".join(str(p) for p in files),
        file=sys.stderr,
    )
    return 0

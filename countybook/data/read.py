"""Reading CSV and YAML files into plain rows, turning every parse failure into a Problem.

Rows are numbered as a spreadsheet shows them: the CSV header is row 1, the first data row is row 2;
a YAML list's first entry is row 1.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import yaml

from ..errors import DataError, Problem

WHOLE_FILE = "(file)"


def read_text(path: Path, label: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(label, None, WHOLE_FILE, "file is missing")]) from None
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs write.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [Problem(label, line, WHOLE_FILE, f"not UTF-8 text (byte {err.start}); save the file as UTF-8")]
        ) from None


def read_csv(path: Path, label: str, columns: list[str]) -> pd.DataFrame:
    """All cells as text; index = spreadsheet row number. Extra columns are kept, missing ones fail."""
    text = read_text(path, label)
    if not text.strip():
        raise DataError([Problem(label, 1, "(header)", "file is empty; expected a header row")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, rows, problems = [], [], []
    # A record is named by the line it starts on: reader.line_num is the line it ends on, which
    # differs for a quoted cell spanning lines and for an unclosed quote (that runs to the end).
    header, start = None, 1
    try:
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            row, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(Problem(label, row, "(row)", f"has {len(record)} cells, the header has {len(header)}"))
                continue
            records.append(record)
            rows.append(row)
    except csv.Error as err:
        problems.append(Problem(label, start, "(row)", f"broken CSV quoting: {err}"))
    if header is None:
        raise DataError(problems)
    header = [name.strip() for name in header]
    for name in columns:
        if name not in header:
            problems.append(Problem(label, 1, name, "column is missing from the header"))
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(records, columns=header, index=pd.Index(rows, name="row"), dtype=object)
    return frame.apply(lambda column: column.str.strip())


def read_yaml_list(path: Path, label: str, columns: list[str]) -> pd.DataFrame:
    """A YAML list of mappings as a frame; index = entry number."""
    entries = read_yaml(path, label)
    if not isinstance(entries, list) or not entries:
        raise DataError([Problem(label, None, WHOLE_FILE, "expected a non-empty list of entries")])
    problems = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(label, number, "(entry)", "entry is not a mapping of field: value"))
            continue
        for name in columns:
            if name not in entry:
                problems.append(Problem(label, number, name, "field is missing"))
    if problems:
        raise DataError(problems)
    # object dtype keeps each value as written (a rank 2 stays int 2, not 2.0 beside a blank)
    return pd.DataFrame(entries, index=pd.Index(range(1, len(entries) + 1), name="row"), dtype=object)


def read_yaml(path: Path, label: str):
    text = read_text(path, label)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise DataError([Problem(label, row, WHOLE_FILE, f"malformed YAML: {reason}")]) from None

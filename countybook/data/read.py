"""Reading CSV and YAML files into plain rows, turning every parse failure into a Problem.

Rows are numbered as a spreadsheet shows them: the CSV header is row 1, the first data row is row 2;
a YAML list's first entry is row 1.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import MAX_SHOWN_PER_FILE, DataError, Problem
from ..text_files import WHOLE_FILE, parse_yaml, read_text


def read_csv(path: Path, label: str, columns: Sequence[str]) -> pd.DataFrame:
    """All cells as text; index = spreadsheet row number. Extra columns are kept, missing ones fail."""
    text = read_text(path, label)
    if not text.strip():
        raise DataError([Problem(label, 1, "(header)", "file is empty; expected a header row")])
    reader = csv.reader(_lines(text), strict=True)
    records: list[list[str]] = []  # one list per column
    rows: list[int] = []
    problems: list[Problem] = []
    uncounted = 0  # rows with the wrong number of cells beyond those reported
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
                if len(problems) < MAX_SHOWN_PER_FILE:
                    problems.append(
                        Problem(label, row, "(row)", f"has {len(record)} cells, the header has {len(header)}")
                    )
                else:
                    uncounted += 1
                continue
            if not records:
                records.extend([] for _ in record)
            for column, cell in zip(records, record):  # by column: no list object per row
                column.append(cell.strip())
            rows.append(row)
    except csv.Error as err:
        problems.append(Problem(label, start, "(row)", f"broken CSV quoting: {err}"))
    if uncounted:
        problems.append(
            Problem(label, None, WHOLE_FILE, f"{uncounted} more rows have the wrong number of cells (not listed)")
        )
    if header is None:
        raise DataError(problems)
    header = [name.strip() for name in header]
    for name in columns:
        if name not in header:
            problems.append(Problem(label, 1, name, "column is missing from the header"))
    if problems:
        raise DataError(problems)
    del text, reader  # a long file: free the text before the frame is built
    index = pd.Index(rows, name="row")
    if not records:
        return pd.DataFrame(columns=header, index=index, dtype=object)
    return pd.DataFrame(dict(enumerate(records)), index=index, dtype=object).set_axis(header, axis=1)


# Lines as io.StringIO(text, newline="") yields them (ending kept; \r\n, \r or \n), one at a
# time: StringIO copies the whole text into a buffer of four bytes a character first, which for
# a long file costs more memory than the cells read from it.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str):
    return (match.group() for match in _LINE.finditer(text))


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
    """The parsed file, read safely (countybook.text_files) and checked against its model
    (countybook.data.yaml_models)."""
    from .yaml_models import shape_problems

    content = parse_yaml(path, label)
    problems = shape_problems(path.name, content, label)
    if problems:
        raise DataError(problems)
    return content

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
import yaml

from ..errors import MAX_SHOWN_PER_FILE, DataError, Problem

WHOLE_FILE = "(file)"
# data/indicators.yml, the largest YAML file, holds a few dozen KB. The limit keeps a mistaken or
# hostile file (a huge generated one, say) from costing memory and minutes before it is refused.
MAX_YAML_BYTES = 1_000_000


def read_text(path: Path, label: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(label, None, WHOLE_FILE, "file is missing")]) from None
    except IsADirectoryError:
        raise DataError([Problem(label, None, WHOLE_FILE, "is a folder, not a file")]) from None
    except OSError as err:
        raise DataError([Problem(label, None, WHOLE_FILE, f"cannot be read: {err.strerror or err}")]) from None
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs write.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [Problem(label, line, WHOLE_FILE, f"not UTF-8 text (byte {err.start}); save the file as UTF-8")]
        ) from None


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


class _SafeLoader(yaml.composer.Composer, yaml.CSafeLoader):
    """yaml.safe_load's loader without anchors, aliases and duplicate keys.

    Aliases let a few hundred bytes expand into billions of nodes (a "billion laughs" bomb); data/
    has no use for them. A duplicate key silently keeps only its last value.

    libyaml (CSafeLoader's parser) scans and parses, seven times faster than PyYAML's own scanner,
    which every chapter's kernel otherwise spends most of its time in; the nodes are still composed
    by PyYAML's Composer (listed first, so its methods win over libyaml's composer), where the
    checks below see each event.
    """

    def __init__(self, stream):
        yaml.CSafeLoader.__init__(self, stream)
        yaml.composer.Composer.__init__(self)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (& and *) are not allowed in data/", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (str, int, float, bool)) or key is None:
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key '{key}'", key_node.start_mark
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, label: str):
    """The parsed file, read safely and checked against its model (countybook.data.yaml_models)."""
    from .yaml_models import shape_problems

    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text reports a missing file
    if size > MAX_YAML_BYTES:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    WHOLE_FILE,
                    f"file is {size:,} bytes; a YAML file in data/ may hold at most {MAX_YAML_BYTES:,}",
                )
            ]
        )
    text = read_text(path, label)
    try:
        loader = _SafeLoader(text)  # what yaml.load does, typed as this loader
        try:
            content = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise DataError([Problem(label, row, WHOLE_FILE, f"malformed YAML: {reason}")]) from None
    except RecursionError:
        raise DataError([Problem(label, None, WHOLE_FILE, "malformed YAML: nested too deeply")]) from None
    problems = shape_problems(path.name, content, label)
    if problems:
        raise DataError(problems)
    return content

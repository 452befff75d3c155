"""The one written form of a year everywhere (data files, review files, --year): plain ASCII digits,
no sign, no leading zero, no decimal point, e.g. 2024.

Python's int() and float() accept '02024', '2024.0' and the full-width '２０２４'; taken as
equal numbers but different strings, such a year slipped past the duplicate (indicator, year)
checks, which compare the text as written.
"""

from __future__ import annotations

import argparse
import re

FIRST, LAST = 1949, 2100
_CANONICAL = re.compile(r"[1-9][0-9]*", re.ASCII)
RULE = f"a whole year from {FIRST} to {LAST} written as plain digits, e.g. 2024"


def is_year(text) -> bool:
    """True for a year in its one written form within FIRST..LAST."""
    return isinstance(text, str) and _CANONICAL.fullmatch(text) is not None and FIRST <= int(text) <= LAST


def year_argument(text: str) -> int:
    """argparse type for --year: the same rule as the data, so the message reads like the data's."""
    if not is_year(text):
        raise argparse.ArgumentTypeError(f"'{text}' is not {RULE}")
    return int(text)


def count_argument(text: str) -> int:
    """argparse type for counts such as --jobs: a whole number of at least 1."""
    if re.fullmatch(r"[0-9]+", text, re.ASCII) is None or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1, e.g. 2")
    return int(text)

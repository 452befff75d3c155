"""The report's text: lines joined across print-layout breaks, and its clause and sentence limits.

Steps 1 and 10 of countybook.intake.extract: line breaks inside a phrase or a number are dropped,
and every later step reads clauses and sentences through Bounds, which bounds each look-up by WINDOW.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from ..data.chinese import FULL_WIDTH
from ..data.quoting import TABLE_CELL_SEPARATOR

SENTENCE_END = "。!?;!?;"
CLAUSE_BREAKS = SENTENCE_END + ",,、::\n"


# How far back or ahead of a number a clause or sentence is read: real clauses are far shorter, and
# the bound keeps the work per number constant on text without punctuation.
WINDOW = 300


# A bulletin's section headings ("七、财政和金融", "(三)工业") stand on their own line, unpunctuated.
NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]).{0,20}$")


def is_table_row(line: str) -> bool:
    return len(TABLE_CELL_SEPARATOR.findall(line)) >= 2


def join_lines(raw: str) -> str:
    """Drop line breaks inside phrases; keep one newline after a sentence end, a heading or a table row."""
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    parts = []
    for i, line in enumerate(lines):
        if i:
            previous = lines[i - 1]
            keep = (
                previous[-1].translate(FULL_WIDTH) in SENTENCE_END
                or previous.startswith("#")
                or line.startswith("#")
                or is_table_row(previous)
                or is_table_row(line)
                or bool(NUMBERED_HEADING.match(previous))
                or bool(NUMBERED_HEADING.match(line))
            )
            if keep:
                parts.append("\n")
        parts.append(line)
    return "".join(parts)


class Bounds:
    """Clause and sentence limits of a text, found once and looked up by bisection."""

    def __init__(self, text: str):
        self.length = len(text)
        self.clause = [m.start() for m in re.finditer(f"[{re.escape(CLAUSE_BREAKS)}]", text)]
        self.sentence = [m.start() for m in re.finditer(f"[{re.escape(SENTENCE_END)}\n]", text)]
        self.headings = [
            m.start()
            for m in re.finditer(r"(?m)^(?:#|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])", text)
        ]
        self.paragraph = [m.start() for m in re.finditer("\n", text)]
        self.full_stop = [m.start() for m in re.finditer("[。!?!?\n]", text)]

    @staticmethod
    def _around(breaks: list[int], start: int, end: int, length: int) -> tuple[int, int]:
        i = bisect.bisect_left(breaks, start)
        left = breaks[i - 1] + 1 if i else 0
        if left < start - WINDOW:
            left = start - WINDOW
        j = bisect.bisect_left(breaks, end, i)
        right = breaks[j] if j < len(breaks) else length
        if right > end + WINDOW:
            right = end + WINDOW
        return left, right

    def clause_of(self, start: int, end: int) -> tuple[int, int]:
        return self._around(self.clause, start, end, self.length)

    def full_sentence_start(self, index: int) -> int:
        """Start of the sentence up to a full stop (a ; does not end it), at most WINDOW back."""
        i = bisect.bisect_left(self.full_stop, index)
        return max(self.full_stop[i - 1] + 1 if i else 0, index - WINDOW)

    def paragraph_start(self, index: int) -> int:
        """Start of the paragraph (after a line break), at most WINDOW back."""
        i = bisect.bisect_left(self.paragraph, index)
        return max(self.paragraph[i - 1] + 1 if i else 0, index - WINDOW)

    def sentence_of(self, start: int, end: int | None = None) -> tuple[int, int]:
        return self._around(self.sentence, start, start if end is None else end, self.length)


@functools.cache  # built on first use: a command that reads no report pays nothing
def control_pattern() -> re.Pattern:
    """Control and invisible format characters: NUL, ESC, bidi overrides (U+202E), zero-width
    spaces … A tab, a line feed or a carriage return is layout and stays. Drawn from the Unicode
    tables of this Python (the Basic Multilingual Plane and the tag characters), so none is missed."""
    codes = [
        code
        for code in [*range(0x10000), *range(0xE0000, 0xE1000)]
        if unicodedata.category(chr(code)) in ("Cc", "Cf") and chr(code) not in "\t\n\r"
    ]
    ranges: list[list[int]] = []  # [first, last] of each run of consecutive code points
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile(
        "["
        + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        + "]"
    )


def control_character(text: str) -> tuple[int, int, str] | None:
    """(line, column, description) of the first control or invisible format character, or None.

    Such a character would pass unseen from a report into a quote, data/ and the book's HTML
    (U+202E turns the text after it around), so intake refuses it rather than guess what was meant.
    """
    match = control_pattern().search(text)
    if match is None:
        return None
    char = match.group()
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    name = unicodedata.name(char, "a control character")
    return line, column, f"U+{ord(char):04X} ({name})"

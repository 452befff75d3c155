"""Whether a quote holds the value and growth rate a row of data/ claims, as the source printed them.

Every figure and benchmark carries the verbatim clause it came from; these checks keep the number in
the row and the number in the clause from drifting apart (a typo in either is refused by validate).
"""

from __future__ import annotations

import math
import re

from .chinese import simplified

# ASCII digits only: \d would also take full-width and other scripts' digits, which float() reads.
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# A table row copied as text: cells between "|" (or the full-width ｜), or between tabs.
TABLE_CELL_SEPARATOR = re.compile(r"[|｜\t]")


def is_number(text) -> bool:
    return isinstance(text, str) and NUMBER.fullmatch(text) is not None and math.isfinite(float(text))


def is_number_or_blank(text) -> bool:
    return text == "" or is_number(text)


FALLING_WORDS = ("下降", "减少", "降低", "回落")


def table_cells(quote: str) -> list[str]:
    """The cells of a table row quoted as text ("粮食 | 吨 | 848656 | 0.02"); [] for prose."""
    cells = TABLE_CELL_SEPARATOR.split(quote)
    if len(cells) < 3:
        return []
    return [cell.strip() for cell in cells]


def growth_quoted(growth: str, quote: str) -> bool:
    """Reports write a fall as 下降3.8%, not -3.8%, and some a full-width ％: accept each."""
    if not growth:
        return True
    quote = simplified(quote)
    if f"{growth}%" in quote:
        return True
    if growth in table_cells(quote) or f"{growth}%" in table_cells(quote):
        return True  # a table's growth column holds the rate without a % sign
    return growth.startswith("-") and any(f"{word}{growth[1:]}%" in quote for word in FALLING_WORDS)


def value_quoted(value: str, unit: str, quote: str) -> bool:
    """The quote holds the value followed by its unit, or, for a table row, both as cells."""
    if not value:
        return True
    if f"{value}{unit}" in simplified(quote):
        return True
    cells = table_cells(simplified(quote))
    # A printed table gives the unit once, in its column header (运量(万人次)); such a quote is the
    # header row and the area's row, so the unit may stand in brackets at the end of a header cell.
    return value in cells and (unit in cells or any(cell.endswith(f"({unit})") for cell in cells))


_FALLING = FALLING_WORDS + ("down", "fell", "decreased", "dropped", "declined")


def _number_forms(value: str) -> list[str]:
    """'51437.4' as it may be printed: plain or with thousands separators (51,437.4)."""
    whole, _, fraction = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}" if whole.lstrip("-").isdigit() else whole
    forms = {value, sign + grouped + (f".{fraction}" if fraction else "")}
    return sorted(forms, key=len, reverse=True)


def benchmark_value_quoted(value: str, unit: str, printed: list[str], quote: str) -> bool:
    """The value followed by its unit (or a printed spelling of it) appears in the quote as a whole number."""
    if not value:
        return True
    numbers = "|".join(re.escape(form) for form in _number_forms(value))
    units = "|".join(re.escape(u) for u in sorted({unit, *printed}, key=len, reverse=True))
    return re.search(rf"(?<![\d.,])(?:{numbers})\s?(?:{units})", quote) is not None


def benchmark_growth_quoted(growth: str, quote: str) -> bool:
    """'5.8%', '5.8 percent' or '5.8 pct' in the quote, not as the tail of a longer number; a fall may be
    written as a positive rate after a falling word (下降3.8%, down 3.8 percent)."""
    if not growth:
        return True
    magnitude = growth.lstrip("-")
    pattern = rf"(?<![\d.])(?:{re.escape(growth)}|{re.escape(magnitude)})\s?(?:%|percent|pct)"
    found = re.search(pattern, quote)
    if found is None:
        return False
    if growth.startswith("-") and not found.group(0).startswith("-"):
        return any(word in quote for word in _FALLING)
    return True

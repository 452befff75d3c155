"""Bulletin tables copied as text rows ("粮食 | 吨 | 848656 | 0.02"), read row by row.

Step 9 of countybook.intake.extract: the first cell names the indicator, the unit is a cell holding
a unit, the value the first number, the growth rate the number under a growth header.
"""

from __future__ import annotations

import re

from ..data.quoting import TABLE_CELL_SEPARATOR
from ..data.units import convertible
from .mentions import Kind, Mention
from .registry import Registry
from .report_text import is_table_row

TABLE_GROWTH_HEADERS = ("增长", "增减", "比上年", "±")
TABLE_NAME_SUFFIXES = ("", "产量", "总产量", "产值")


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", cell))


def table_rows(original: str, text: str, registry: Registry, year: int) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Figures of table rows written as text, and the spans of those rows."""
    found, spans = [], []
    growth_column = None
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not is_table_row(line):
            growth_column = None
            continue
        spans.append((start, end))
        cells = [c.strip() for c in TABLE_CELL_SEPARATOR.split(line.strip("|｜ \t"))]  # "| a | b |" as "a | b"
        numbers = [i for i, c in enumerate(cells) if _is_number(c)]
        if not numbers:
            heads = [i for i, c in enumerate(cells) if any(h in c for h in TABLE_GROWTH_HEADERS)]
            growth_column = heads[0] if heads else None
            continue
        quote = original[start:end]
        name = next((c for c in cells if c), "")
        unit = next((c for c in cells if c in registry.units_info), "")
        value_at = next((i for i in numbers if i != growth_column), None)
        m = Mention(
            start,
            end,
            cells[value_at] if value_at is not None else "",
            unit,
            kind=Kind.TABLE,
            quote_start=start,
            year=year,
            quote=quote,
        )
        if growth_column is not None and growth_column < len(cells) and _is_number(cells[growth_column]):
            growth_text = cells[growth_column]
        else:
            later = [i for i in numbers if value_at is not None and i > value_at]
            growth_text = cells[later[0]] if later and growth_column is None else ""
        if growth_text:
            m.growth = Mention(
                start,
                end,
                growth_text.lstrip("-"),
                "%",
                kind=Kind.GROWTH,
                sign="-" if growth_text.startswith("-") else "",
            )
        if value_at is None or not unit:
            m.reason = "a table row without a value and a unit of data/units.yml in its cells"
        else:
            choices = {
                ind
                for suffix in TABLE_NAME_SUFFIXES
                for ind, u in registry.indicators_of.get(name + suffix, [])
                if convertible(unit, u, registry.units_info)
            }
            if len(choices) == 1:
                m.indicator, m.score = choices.pop(), (2, True, len(name))
            else:
                m.reason = (
                    f"a table row whose first cell names no indicator measured in {unit}"
                    if not choices
                    else f"a table row that fits several indicators ({', '.join(sorted(choices))})"
                )
        found.append(m)
    return found, spans

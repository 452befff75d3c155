"""Every number of the joined text, read as a level, a growth rate or a kind left for a person.

Step 3 of countybook.intake.extract. Each number becomes a Mention of one Kind; the kinds other
than LEVEL, GROWTH, GROWTH_ONLY and TABLE are never proposed and carry the reason why.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import Enum

from .registry import Registry

RISE_WORDS = ("同比增长", "增长", "提高", "提升", "增加", "上升", "增速", "增幅")
FALL_WORDS = ("同比下降", "下降", "减少", "降低", "回落")
GROWTH_WORDS = tuple(sorted(RISE_WORDS + FALL_WORDS, key=len, reverse=True))
NOT_YEAR_ON_YEAR = ("年均", "累计")
RESPECTIVELY = "分别"
# ASCII digits only: a value is stored as written, and data/ holds numbers in one canonical form.
NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?", re.ASCII)
YEAR_BEFORE = re.compile(r"(\d{4})年(?:的|末|底)?(?:达到|达|为|是)?$", re.ASCII)
OTHER_BASE_YEAR = re.compile(r"比(\d{4})年", re.ASCII)
PERCENT_POINTS = "个百分点"


class Kind(Enum):
    """What a number of the text is; the one list of kinds (the README and docstrings refer here).

    Only LEVEL, GROWTH (attached to its level), GROWTH_ONLY and TABLE are proposed as figures; every
    other kind is listed as unassigned with its reason.
    """

    LEVEL = "level"  # a number followed by a unit of data/units.yml: 848656吨
    GROWTH = "growth"  # a rate in a growth phrase: 增长7.5%, 下降1.4% (negative)
    GROWTH_ONLY = "growth_only"  # a growth rate standing for its indicator named right before it
    CHANGE = "change"  # a change on the previous year in a unit: 比上年末减少0.5万人
    POINTS = "points"  # a change in percentage points: 提高1.2个百分点
    YEAR = "year"  # a date: 2024年
    BARE = "bare"  # a number without a unit of the registry
    GROUPED = "grouped"  # part of a number with thousands separators: 1,234.5
    NEGATIVE = "negative"  # a negative level: -3.2亿元
    TABLE = "table"  # a row of a bulletin table copied as text


@dataclass
class Mention:
    """One number found in the joined text."""

    start: int  # index of the number (after any qualifier word)
    end: int  # index after the unit (or the number if there is no unit)
    value: str
    unit: str = ""
    qualifier: str = "exact"
    quote_start: int = 0
    kind: Kind = Kind.LEVEL
    growth: Mention | None = None
    attached: bool = False
    phrase: str = ""  # for a growth-only figure: the indicator phrase right before it
    sign: str = ""
    reason: str = ""
    indicator: str = ""
    score: tuple = field(default_factory=tuple)
    year: int | None = None
    price_basis: str = ""
    quote: str = ""


GROWTH_BEFORE = re.compile("(" + "|".join(map(re.escape, GROWTH_WORDS)) + ")(?:分别)?(?:了|达|为|是)?(-?)$")


def _growth_at(text: str, start: int) -> tuple[str, int] | None:
    """If the number at `start` follows a growth word, return (sign, start of the growth word)."""
    match = GROWTH_BEFORE.search(text, max(0, start - 10), start)
    if not match:
        return None
    fall = match.group(1) in FALL_WORDS
    negative = fall != bool(match.group(2))  # 增长-1.4% is a fall, 下降-1% (rare) a rise
    return ("-" if negative else ""), match.start(1)


def find_mentions(text: str, registry: Registry, skip: list[tuple[int, int]]) -> list[Mention]:
    mentions = []
    skip_starts = [s for s, _ in skip]
    for match in NUMBER.finditer(text):
        start, end = match.span()
        i = bisect.bisect_right(skip_starts, start) - 1
        if i >= 0 and skip[i][0] <= start < skip[i][1]:
            continue  # inside a table row, read on its own
        value = match.group()
        growth = _growth_at(text, start)
        if text.startswith(PERCENT_POINTS, end):
            mentions.append(
                Mention(
                    start,
                    end + len(PERCENT_POINTS),
                    value,
                    "个百分点",
                    kind=Kind.POINTS,
                    quote_start=growth[1] if growth else start,
                    reason="a change in percentage points, not a % growth rate",
                )
            )
            continue
        if growth and text.startswith("%", end):
            growth_end = end + 1
            qualifier = "exact"
            for word, qid in registry.after_unit_words:
                if qid == "about" and text.startswith(word, growth_end):
                    qualifier, growth_end = qid, growth_end + len(word)
            mention = Mention(
                start, growth_end, value, "%", qualifier, kind=Kind.GROWTH, sign=growth[0], quote_start=growth[1]
            )
            lead = text[max(0, growth[1] - 4) : growth[1]]
            if any(word in lead for word in NOT_YEAR_ON_YEAR):
                mention.reason = "an average or cumulative growth rate over several years, not a year-on-year rate"
            elif RESPECTIVELY in text[max(0, growth[1] - 3) : start]:
                mention.reason = "one of several rates given together (分别) for several things; assign it by hand"
            mentions.append(mention)
            continue
        if text.startswith("年", end) and "." not in value and len(value) == 4:
            mentions.append(
                Mention(
                    start, end + 1, value, "", kind=Kind.YEAR, quote_start=start, reason="a year (date), not a figure"
                )
            )
            continue
        unit_match = registry.unit_pattern.match(text, end)
        unit = unit_match.group() if unit_match else ""
        if not unit:
            mentions.append(
                Mention(
                    start,
                    end,
                    value,
                    "",
                    kind=Kind.BARE,
                    quote_start=start,
                    reason="no unit of data/units.yml follows the number",
                )
            )
            continue
        if start >= 2 and text[start - 1] == "," and text[start - 2].isdigit() and re.match(r"\d{3}(?!\d)", value):
            mentions.append(
                Mention(
                    start,
                    end + len(unit),
                    value,
                    unit,
                    kind=Kind.GROUPED,
                    quote_start=start,
                    reason="part of a number written with thousands separators (1,234.5); record it by hand",
                )
            )
            continue
        if start and text[start - 1] in "-−负":
            mentions.append(
                Mention(
                    start - 1,
                    end + len(unit),
                    value,
                    unit,
                    kind=Kind.NEGATIVE,
                    quote_start=start - 1,
                    reason="a negative value; data/figures.csv holds no negative levels, "
                    "record it by hand if the indicator allows one",
                )
            )
            continue
        if growth:
            mentions.append(
                Mention(
                    start,
                    end + len(unit),
                    value,
                    unit,
                    kind=Kind.CHANGE,
                    quote_start=growth[1],
                    reason="a change on the previous year (增加/减少 …), not a level",
                )
            )
            continue
        qualifier, quote_start = "exact", start
        before = registry.qualifier_pattern.search(text, max(0, start - 4), start)
        if before:
            qualifier, quote_start = registry.qualifier_of[before.group()], before.start()
        unit_end = end + len(unit)
        for word, qid in registry.after_unit_words:
            if text.startswith(word, unit_end):
                qualifier = qid
                unit_end += len(word)
                break
        mention = Mention(start, unit_end, value, unit, qualifier, quote_start)
        year = YEAR_BEFORE.search(text, max(0, quote_start - 10), quote_start)
        if year:
            mention.year = int(year.group(1))
        mentions.append(mention)
    return mentions

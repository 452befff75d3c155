"""Which indicator and year each number belongs to, in the report's own area.

Steps 6 to 8 of countybook.intake.extract: growth rates join their levels (or stand alone as
growth-only figures), levels go to the indicator whose phrase lies closest in the clause, figures
of other areas and phrases that only continue another subject are left for a person, and each
(indicator, year) is proposed once.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from types import MappingProxyType

from ..data import Dataset
from ..data.units import convertible
from .mentions import OTHER_BASE_YEAR, RESPECTIVELY, Kind, Mention
from .registry import PhraseIndex, Registry
from .report_text import Bounds

ESTIMATE_WORD = "预计"
CARRY_WORD = "下同"

COMPARABLE_WORDS = ("可比价", "不变价")
CURRENT_PRICE_WORDS = ("现价",)
AREA_MARKERS = MappingProxyType(
    {"county": ("全县", "我县", "本县"), "city": ("全市", "我市", "本市"), "district": ("全区", "我区", "本区")}
)
OTHER_AREAS = ("全国", "全省", "全市", "全县", "全区", "我省", "我市", "全州")


def estimate_regions(text: str, bounds: Bounds) -> list[tuple[int, int]]:
    """Stretches of text covered by "预计(下同)": from the words to the next heading or the end."""
    regions = []
    for match in re.finditer(CARRY_WORD, text):
        if ESTIMATE_WORD in text[max(0, match.start() - 6) : match.start()]:
            i = bisect.bisect_right(bounds.headings, match.start())
            end = bounds.headings[i] if i < len(bounds.headings) else len(text)
            regions.append((match.start(), end))
    return regions


def in_regions(regions: list[tuple[int, int]], starts: list[int], index: int) -> bool:
    # Regions run to the next heading, so the latest one starting before `index` decides.
    i = bisect.bisect_right(starts, index) - 1
    return i >= 0 and regions[i][0] <= index < regions[i][1]


AREA_SUFFIX_KIND = MappingProxyType({"县": "county", "市": "city", "区": "district"})


@dataclass
class Areas:
    """Whose figures a report gives (its own area) and the other areas it may quote beside them."""

    kind: str  # county | city | district: which 全X is the report's own
    own: set
    pattern: re.Pattern

    @classmethod
    def for_report(cls, ds: Dataset, kind: str | None = None) -> Areas:
        """From --area, else from the book's subject area in data/areas.yml (灌云县: a county)."""
        own, others = set(), set()
        areas = getattr(ds, "areas", None)
        if areas is not None and not areas.empty:
            for row in areas.to_dict("records"):
                name = str(row.get("name_zh") or "")
                if not name:
                    continue
                if row.get("subject") is True:
                    own |= {name, name[:-1]} if name[-1] in AREA_SUFFIX_KIND and len(name) > 2 else {name}
                    kind = kind or AREA_SUFFIX_KIND.get(name[-1])
                elif row.get("level") in ("province", "city"):
                    others.add(name)  # 连云港市, 江苏省: the full name, as a report writes it
        kind = kind or "county"
        own |= set(AREA_MARKERS[kind])
        others = (set(OTHER_AREAS) | others) - own
        return cls(kind, own, re.compile("|".join(sorted(own | others, key=len, reverse=True))))


def _other_area(text: str, bounds: Bounds, start: int, areas: Areas) -> str:
    """The other area a clause names last before `start` (全市 in a county report), or ''."""
    left, _ = bounds.clause_of(start, start)
    last = ""
    for match in areas.pattern.finditer(text, left, max(start, left)):
        last = match.group()
    return "" if not last or last in areas.own else last


def price_basis(text: str, sentence_start: int, growth: Mention) -> str:
    before = text[sentence_start : growth.start]
    if any(word in before for word in COMPARABLE_WORDS):
        return "comparable"
    if any(word in before for word in CURRENT_PRICE_WORDS):
        return "current"
    return ""


# --- assigning -------------------------------------------------------------------------------

LIST_JOINERS = ("、", "和", "及", ",")


def _respective_rates(text: str, mentions: list[Mention], bounds: Bounds) -> None:
    """ "A亿元,B亿元,C亿元,增速分别为4.4%、4.8%、6.0%": the k-th rate goes with the k-th level.

    Only when the sentence (up to its full stop) holds exactly as many levels without a rate before
    分别 as there are rates in the list; otherwise every rate stays unassigned for a person.
    """
    for i, m in enumerate(mentions):
        if m.kind != Kind.GROWTH or RESPECTIVELY not in text[max(0, m.quote_start - 3) : m.start]:
            continue
        rates, j = [m], i + 1
        while (
            j < len(mentions)
            and mentions[j].unit == "%"
            and mentions[j].kind in (Kind.LEVEL, Kind.GROWTH)
            and text[rates[-1].end : mentions[j].quote_start] in LIST_JOINERS
        ):
            rates.append(mentions[j])
            j += 1
        start = bounds.full_sentence_start(m.quote_start)
        # The levels listed right before, in one unit, with nothing else (a rate, a share) between them.
        levels, k = [], i - 1
        while k >= 0 and mentions[k].start >= start and mentions[k].kind == Kind.LEVEL and mentions[k].unit != "%":
            levels.append(mentions[k])
            k -= 1
        levels.reverse()
        if len(rates) < 2 or len(levels) != len(rates) or len({level.unit for level in levels}) != 1:
            continue
        for level, rate in zip(levels, rates):
            rate.kind, rate.sign, rate.reason, rate.attached = Kind.GROWTH, m.sign, "", True
            level.growth = rate


def attach_growth(text: str, mentions: list[Mention], phrases: PhraseIndex, bounds: Bounds, year: int) -> None:
    """Give each growth rate to the level before it, or make it a growth-only figure of the phrase before it."""
    _respective_rates(text, mentions, bounds)
    last_level: Mention | None = None
    previous_end = 0
    for m in mentions:
        sentence_start, _ = bounds.sentence_of(m.start)
        if last_level is not None and last_level.start < sentence_start:
            last_level = None
        if m.kind == Kind.LEVEL:
            last_level = m
        if m.kind == Kind.GROWTH and not m.reason and not m.attached:
            base = OTHER_BASE_YEAR.search(text, sentence_start, m.start)
            if base and int(base.group(1)) != year - 1:
                m.reason = f"growth over {base.group(1)}, not over the previous year"
            elif (
                last_level is not None
                and last_level.growth is None
                and not phrases.within(last_level.end, m.quote_start)
            ):
                last_level.growth, m.attached = m, True
            else:
                # The indicator's name in the growth rate's own clause: in "一般公共预算收入的税种构成中,
                # 增值税下降21.8%" the fall is VAT's, not the budget revenue's.
                clause_start = bounds.clause_of(m.quote_start, m.quote_start)[0]
                nearby = [
                    p
                    for p in phrases.within(max(previous_end, sentence_start, clause_start), m.quote_start)
                    if _continues(text, bounds, p.text, p.start, None)
                ]
                if nearby:
                    m.kind, m.phrase, m.quote_start = Kind.GROWTH_ONLY, nearby[-1].text, nearby[-1].start
                    m.score = (1, True, len(m.phrase))
                else:
                    m.reason = "a growth rate with no level or indicator name before it in the sentence"
        previous_end = m.end


# Phrases that name their subject only by continuing an earlier one: 总产量 is grain's after
# 粮食播种面积 in the same sentence (not after 油料播种面积), 出栏 is hogs' after 生猪饲养量 (not in
# 出栏牛), and a bare branch (农业, 畜牧业 …) right before its number is a branch of the 农林牧渔业总产值
# named earlier in the paragraph ("其中,农业29.24亿元;林业0.34亿元").
# phrase -> (anchor, words that must end right before the anchor, scope, number right after the phrase)
CONTINUATIONS = MappingProxyType(
    {
        "总产量": ("播种面积", ("粮食", "粮食作物"), "sentence", False),
        "产量": ("播种面积", ("粮食", "粮食作物"), "sentence", False),
        "总产": ("播种面积", ("粮食", "粮食作物"), "sentence", False),
        "出栏": ("饲养量", ("生猪",), "sentence", False),
        **dict.fromkeys(
            ("农业", "林业", "牧业", "畜牧业", "渔业", "农林牧渔服务业"), ("农林牧渔业总产值", ("",), "paragraph", True)
        ),
    }
)


def _continues(text: str, bounds: Bounds, phrase: str, start: int, number_at: int | None) -> bool:
    """Whether a phrase may name the number's subject here (always, unless it only continues another)."""
    if phrase not in CONTINUATIONS:
        return True
    anchor, subjects, scope, adjacent = CONTINUATIONS[phrase]
    if adjacent and number_at != start + len(phrase):
        return False
    left = bounds.sentence_of(start)[0] if scope == "sentence" else bounds.paragraph_start(start)
    at = text.rfind(anchor, left, start)
    return at >= 0 and any(text.endswith(subject, left, at) for subject in subjects)


def assign(
    text: str,
    mentions: list[Mention],
    registry: Registry,
    phrases: PhraseIndex,
    bounds: Bounds,
    areas: Areas,
    year: int,
) -> None:
    for i, m in enumerate(mentions):
        if m.kind == Kind.GROWTH_ONLY:
            choices = sorted({ind for ind, _ in registry.indicators_of.get(m.phrase, [])})
            other = _other_area(text, bounds, m.quote_start, areas)
            if other:
                m.reason = f"a figure of {other}, not of the report's own area ({areas.kind})"
            elif len(choices) == 1:
                m.indicator = choices[0]
                m.unit = registry.unit_of[m.indicator]
            else:
                m.reason = f"a growth rate of '{m.phrase}', which fits several indicators ({', '.join(choices)})"
            m.year = year
            continue
        if m.kind != Kind.LEVEL:
            continue
        if m.year is None:
            m.year = year
        c_start, c_end = bounds.clause_of(m.quote_start, m.end)
        other = _other_area(text, bounds, m.quote_start, areas)
        if other:
            m.reason = f"a figure of {other}, not of the report's own area ({areas.kind})"
            continue
        if RESPECTIVELY in text[c_start : m.start]:
            m.reason = "one of several values given together (分别) for several things; assign it by hand"
            continue
        prev_end = mentions[i - 1].end if i and mentions[i - 1].end > c_start else c_start
        next_start = mentions[i + 1].quote_start if i + 1 < len(mentions) else c_end
        next_start = min(max(next_start, m.end), c_end)
        best = None
        other_unit = None
        for rank, (lo, hi) in ((1, (prev_end, next_start)), (0, (c_start, c_end))):
            for phrase in phrases.within(lo, hi):
                options = [(phrase.start, phrase.text)]
                if all(unit != m.unit for _, unit in registry.indicators_of[phrase.text]):
                    # 51个省市重点项目完成投资: the count's phrase lies inside the investment's.
                    options += phrase.inner
                for option_start, option in options:
                    if not _continues(text, bounds, option, option_start, m.quote_start):
                        continue
                    for indicator, unit in registry.indicators_of[option]:
                        exact = unit == m.unit
                        if not exact and not convertible(m.unit, unit, registry.units_info):
                            other_unit = other_unit or (indicator, unit)
                            continue
                        # The published unit itself beats one that converts (1.2万人 for jobs in 人).
                        score = (rank, exact, len(option))
                        if best is None or score > best[0]:
                            best = (score, indicator)
            if best is not None:
                break
        if best is None:
            if other_unit:
                m.reason = (
                    f"near the name of {other_unit[0]}, which the registry measures in {other_unit[1]}, "
                    f"not {m.unit}; add an indicator if this is another measure"
                )
            elif not any(convertible(m.unit, unit, registry.units_info) for unit in registry.indicator_units):
                m.reason = f"no indicator of data/indicators.yml is measured in {m.unit} (or a unit it converts to)"
            else:
                m.reason = (
                    f"no indicator measured in {m.unit} has its name or an alias in the clause; "
                    "add an alias to data/indicators.yml if one should"
                )
            continue
        m.score, m.indicator = best


def one_per_indicator_and_year(text: str, mentions: list[Mention]) -> None:
    groups: dict[tuple, list[Mention]] = {}
    for m in mentions:
        if m.indicator:
            groups.setdefault((m.indicator, m.year), []).append(m)
    for (indicator, _), group in groups.items():
        # A level (in prose or a table row) beats a growth-only mention of the same indicator; then the
        # closest phrase (a table row's exact name ranks above prose), then the first.
        kept = max(group, key=lambda m: (m.kind in (Kind.LEVEL, Kind.TABLE), m.score, -m.start))
        for m in group:
            if m is not kept:
                m.indicator = ""
                m.reason = (
                    f"also fits {indicator}, but '{text[kept.quote_start : kept.end]}' "
                    "matched its name more closely and was proposed instead"
                )

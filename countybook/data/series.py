"""Series across the years: average annual growth, an index, and the breaks no line or rate may cross.

A series (data/long_view.yml) is a list of indicators of one quantity over time; consecutive
indicators are different concepts (GNP, then GDP), so a break always lies between them. Breaks in
time (a boundary change, a change of price basis) separate the points of a year up to `after` from
later ones. The rules, in one place so a chart and a sentence cannot disagree:

- points are cut into segments at every break; a line joins the points of one segment only;
- a growth rate or index compares two points of one segment only (`growth_between` refuses
  otherwise and names the breaks);
- average annual growth is the compound rate (last / first) ** (1 / years) - 1, over whole years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataError, Problem
from .read import read_yaml

FILE = "long_view.yml"
BREAK_KINDS = ("boundary", "concept", "scope", "price_basis", "population_basis")
GROUPS = ("physical", "money", "other")


@dataclass(frozen=True)
class Break:
    id: str
    kind: str
    note_en: str
    note_zh: str
    after: int | None = None  # a break in time: between `after` and any later year
    indicators: tuple[str, ...] = ()  # empty: every indicator
    source: str = ""
    quote: str = ""

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en

    def applies_to(self, indicator: str) -> bool:
        return not self.indicators or indicator in self.indicators


@dataclass(frozen=True)
class Point:
    indicator: str
    year: int
    value: float


@dataclass
class Series:
    id: str
    group: str
    indicators: list[str]
    change: Break | None = None
    points: list[Point] = field(default_factory=list)


class BreakCrossed(ValueError):
    """A growth rate or index was asked across a break."""


def cagr(first: float, last: float, years: int) -> float:
    """Average annual growth in percent, compounded: 55.08 → 88.2 over 34 years is about 1.4% a year."""
    if years <= 0:
        raise ValueError(f"average annual growth needs a span of at least one year, not {years}")
    if first <= 0 or last <= 0:
        raise ValueError("average annual growth needs positive levels at both ends")
    return ((last / first) ** (1 / years) - 1) * 100


def index(points: list[Point], breaks: list[Break]) -> list[float]:
    """Each point as an index of the first (= 100); refused if a break lies among the points."""
    if not points:
        return []
    for a, b in zip(points, points[1:]):
        crossed = breaks_between(a, b, breaks)
        if crossed:
            raise BreakCrossed(_crossed_message(a, b, crossed))
    base = points[0].value
    if base <= 0:
        raise ValueError("an index needs a positive first value")
    return [p.value / base * 100 for p in points]


def breaks_between(a: Point, b: Point, breaks: list[Break], change: Break | None = None) -> list[Break]:
    """Every break between two points: a change of indicator (concept), or a break in time."""
    early, late = (a, b) if a.year <= b.year else (b, a)
    found = []
    if early.indicator != late.indicator:
        found.append(
            change or Break(id="indicator_change", kind="concept", note_en="another indicator", note_zh="另一指标")
        )
    for brk in breaks:
        if brk.after is None:
            continue
        touches = brk.applies_to(early.indicator) or brk.applies_to(late.indicator)
        if touches and early.year <= brk.after < late.year:
            found.append(brk)
    return found


def _crossed_message(a: Point, b: Point, crossed: list[Break]) -> str:
    return (
        f"no growth from {a.indicator} {a.year} to {b.indicator} {b.year}: "
        f"break{'s' if len(crossed) > 1 else ''} {', '.join(c.id for c in crossed)} between them"
    )


def growth_between(a: Point, b: Point, breaks: list[Break], change: Break | None = None) -> float:
    """Average annual growth from a to b in percent; BreakCrossed if any break lies between them."""
    crossed = breaks_between(a, b, breaks, change)
    if crossed:
        raise BreakCrossed(_crossed_message(a, b, crossed))
    return cagr(a.value, b.value, b.year - a.year)


def segments(points: list[Point], breaks: list[Break], change: Break | None = None) -> list[list[Point]]:
    """The points in year order, cut at every break: a line may join the points of one segment only."""
    ordered = sorted(points, key=lambda p: p.year)
    runs: list[list[Point]] = []
    for point in ordered:
        if runs and not breaks_between(runs[-1][-1], point, breaks, change):
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def cut_points(
    points: list[Point], breaks: list[Break], change: Break | None = None
) -> list[tuple[Point, Point, list[Break]]]:
    """Each pair of neighbouring points with the breaks between them (for marking a chart)."""
    ordered = sorted(points, key=lambda p: p.year)
    return [(a, b, found) for a, b in zip(ordered, ordered[1:]) if (found := breaks_between(a, b, breaks, change))]


# --------------------------------------------------------------------------- definitions


@dataclass
class LongView:
    chapters_from: int
    series: list[Series]
    breaks: list[Break]
    after_1990: dict[str, str]


def _break(entry: dict, default_id: str = "") -> Break:
    indicators = entry.get("indicators") or ()
    return Break(
        id=str(entry.get("id", default_id)),
        kind=str(entry.get("kind", "")),
        note_en=str(entry.get("note_en", "")),
        note_zh=str(entry.get("note_zh", "")),
        after=entry.get("after"),
        indicators=tuple(indicators),
        source=str(entry.get("source", "")),
        quote=str(entry.get("quote", "")),
    )


def read_definitions(data_dir: Path | str | None = None) -> LongView:
    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    raw = read_yaml(folder / FILE, f"{folder.name}/{FILE}") or {}
    series = [
        Series(
            id=s["id"],
            group=s["group"],
            indicators=list(s["indicators"]),
            change=_break(s["change"], f"{s['id']}_change") if s.get("change") else None,
        )
        for s in raw.get("series", [])
    ]
    return LongView(
        chapters_from=int(raw.get("chapters_from", 0)),
        series=series,
        breaks=[_break(b) for b in raw.get("breaks", [])],
        after_1990={"en": raw.get("after_1990_en", ""), "zh": raw.get("after_1990_zh", "")},
    )


def problems(view: LongView, indicator_ids, source_ids, label: str = f"data/{FILE}") -> list[Problem]:
    """Every reference of the long view that names nothing, one line each (file, entry, field)."""
    known, sources = set(indicator_ids), set(source_ids)
    found = []
    for number, s in enumerate(view.series, start=1):
        where = f"series {number} ({s.id})"
        if s.group not in GROUPS:
            found.append(Problem(label, None, f"{where} group", f"must be one of {list(GROUPS)}"))
        for ind in s.indicators:
            if ind not in known:
                found.append(Problem(label, None, f"{where} indicators", f"'{ind}' is not in data/indicators.yml"))
        if len(s.indicators) > 1 and s.change is None:
            found.append(
                Problem(
                    label, None, f"{where} change", "a series of several indicators needs its `change` (kind, notes)"
                )
            )
        if s.change is not None and s.change.kind not in BREAK_KINDS:
            found.append(Problem(label, None, f"{where} change", f"kind must be one of {list(BREAK_KINDS)}"))
    for number, b in enumerate(view.breaks, start=1):
        where = f"break {number} ({b.id})"
        if b.kind not in BREAK_KINDS:
            found.append(Problem(label, None, f"{where} kind", f"must be one of {list(BREAK_KINDS)}"))
        if not isinstance(b.after, int):
            found.append(
                Problem(label, None, f"{where} after", "must be a year (the last year under the old definition)")
            )
        if b.source not in sources:
            found.append(
                Problem(label, None, f"{where} source", f"'{b.source}' is not a used source of data/sources.csv")
            )
        if not b.quote or not b.note_en or not b.note_zh:
            found.append(Problem(label, None, where, "needs the quote it rests on and notes in English and Chinese"))
        for ind in b.indicators:
            if ind not in known:
                found.append(Problem(label, None, f"{where} indicators", f"'{ind}' is not in data/indicators.yml"))
    return found


def with_points(view: LongView, figures: pd.DataFrame, year: int) -> list[Series]:
    """The series with their published levels up to `year` (growth-only figures have no level)."""
    upto = figures[(figures["year"] <= int(year)) & figures["value"].notna()]
    result = []
    for s in view.series:
        rows = upto[upto["indicator"].isin(s.indicators)]
        points = [Point(r.indicator, int(r.year), float(r.value)) for r in rows.itertuples()]
        result.append(Series(s.id, s.group, s.indicators, s.change, sorted(points, key=lambda p: p.year)))
    return result


def load_checked(ds, data_dir: Path | str | None = None) -> LongView:
    """The definitions, refused with every problem if any reference names nothing."""
    view = read_definitions(data_dir)
    used = ds.sources.loc[ds.sources["status"] == "used", "id"]
    found = problems(view, ds.all_indicators()["id"], used)
    if found:
        raise DataError(found)
    return view


def is_money(ds, indicator: str) -> bool:
    kinds = ds.all_indicators().set_index("id")["kind"]
    return kinds.get(indicator) == "money"


def finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)

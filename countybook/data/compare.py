"""What may be set side by side: one rule set for every chart, table and sentence that compares.

A growth rate of Guanyun is compared with a benchmark's when both describe the same concept (one
indicator, or two declared `equivalent` in data/comparisons.yml), the same measure (an annual flow is
never set against a cumulative total) and the same price basis, in the same year. Where concept,
price basis or scope differ but the comparison still informs, data/comparisons.yml may declare the
pair `related` with a note: such a comparison is drawn, flagged `related` so charts draw it distinct,
and always carries its note. Anything else is refused with the reason.

A share (Guanyun's level as a percentage of an area's) needs more: the same concept and year, values
in units of one base, an additive concept (not a per-capita figure), and an area that contains Guanyun.

Every comparison keeps both points whole, so both years and both sources travel with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .load import Dataset
from .units import convertible, to_base

# Shares only make sense of totals that add up over areas.
ADDITIVE_MEASURES = frozenset({"annual_flow", "year_end_stock", "cumulative", "capacity", "event_count"})
UNDECLARED = "not_declared"


@dataclass(frozen=True)
class Point:
    """One figure of one area and year, with the semantics that decide comparability."""

    area: str
    indicator: str
    year: int
    value: float
    value_text: str
    unit: str
    qualifier: str
    yoy_pct: float
    price_basis: str
    measure: str
    scope: str
    additive: bool
    source: str
    quote: str

    @property
    def has_growth(self) -> bool:
        return not math.isnan(self.yoy_pct)

    @property
    def has_value(self) -> bool:
        return not math.isnan(self.value)


@dataclass(frozen=True)
class Comparison:
    subject: Point
    benchmark: Point
    kind: str  # "same" or "related"
    rule: str  # id of the declared pair, or "" for one concept
    differences: tuple[str, ...]
    note_en: str
    note_zh: str

    @property
    def related(self) -> bool:
        return self.kind == "related"


@dataclass(frozen=True)
class Share:
    part: Point
    whole: Point
    pct: float
    approximate: bool  # a qualifier (more than, about …) makes the share approximate too


class Refused(Exception):
    """A comparison the rules do not allow, with the reason in words (English, for logs and errors) and
    as a `code` with its `details`, from which a page says the reason in its edition's language."""

    def __init__(self, a: Point, b: Point, reason: str, code: str = "", **details):
        self.a, self.b, self.reason = a, b, reason
        self.code, self.details = code, details
        super().__init__(f"{a.area} {a.indicator} {a.year} vs {b.area} {b.indicator} {b.year}: {reason}")


# --- building points ----------------------------------------------------------------------------
def _registry(ds: Dataset) -> pd.DataFrame:
    return ds.all_indicators().set_index("id")


def _field(entry, name: str, default):
    value = entry.get(name, default) if hasattr(entry, "get") else default
    return default if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _point(registry: pd.DataFrame, area: str, row, price_basis: str | None = None) -> Point:
    entry = registry.loc[row["indicator"]]
    basis = price_basis or _field(entry, "price_basis", "not_stated" if entry["kind"] == "money" else "not_applicable")
    return Point(
        area=area,
        indicator=row["indicator"],
        year=int(row["year"]),
        value=float(row["value"]),
        value_text=str(row.get("value_text", row["value"])),
        unit=str(row["unit"]),
        qualifier=str(row["qualifier"]),
        yoy_pct=float(row["yoy_pct"]),
        price_basis=str(basis),
        measure=str(_field(entry, "measure", UNDECLARED)),
        scope=str(_field(entry, "scope", "")),
        additive=bool(_field(entry, "additive", True)),
        source=str(row["source"]),
        quote=str(row["quote"]),
    )


def subject_area(ds: Dataset) -> str:
    return str(ds.areas.loc[ds.areas["subject"].astype(bool), "id"].iloc[0])


def subject_points(ds: Dataset, year: int | None = None, theme: str | None = None) -> list[Point]:
    """Guanyun's published figures as points (registry price basis: Guanyun's sources state none per row)."""
    registry = _registry(ds)
    figures = ds.figures
    if year is not None:
        figures = figures[figures["year"] == int(year)]
    if theme is not None:
        figures = figures[figures["indicator"].map(registry["theme"]) == theme]
    area = subject_area(ds)
    return [_point(registry, area, row) for _, row in figures.iterrows()]


def benchmark_points(ds: Dataset, year: int | None = None) -> list[Point]:
    registry = _registry(ds)
    marks = ds.benchmarks
    if marks.empty:
        return []
    if year is not None:
        marks = marks[marks["year"] == int(year)]
    return [_point(registry, row["area"], row, row["price_basis"]) for _, row in marks.iterrows()]


# --- the rules ----------------------------------------------------------------------------------
def _rules(ds: Dataset, kind: str) -> list[dict]:
    if ds.comparisons.empty:
        return []
    return [r for r in ds.comparisons.to_dict("records") if r["kind"] == kind]


def same_concept(ds: Dataset, a: str, b: str) -> bool:
    return a == b or any({r["a"], r["b"]} == {a, b} for r in _rules(ds, "equivalent"))


def _declared(ds: Dataset, a: str, b: str) -> list[dict]:
    return [r for r in _rules(ds, "related") if {r["a"], r["b"]} == {a, b}]


def candidates(ds: Dataset, indicator: str) -> set[str]:
    """Indicators a figure of `indicator` may be compared with at all (same, equivalent or declared related)."""
    found = {indicator}
    for rule in ds.comparisons.to_dict("records") if not ds.comparisons.empty else []:
        if indicator in (rule["a"], rule["b"]):
            found |= {rule["a"], rule["b"]}
    return found


def compare_growth(ds: Dataset, a: Point, b: Point) -> Comparison:
    """Compare two growth rates, or raise Refused saying why they cannot be."""
    if not (a.has_growth and b.has_growth):
        raise Refused(a, b, "both figures need a published growth rate", "no_growth")
    if a.year != b.year:
        raise Refused(
            a,
            b,
            f"different years ({a.year} and {b.year}): growth of one year says nothing of another",
            "growth_years",
            a_year=a.year,
            b_year=b.year,
        )
    if UNDECLARED in (a.measure, b.measure):
        raise Refused(a, b, "the registry declares no measure for one of the indicators", "no_measure")
    if a.measure != b.measure:
        raise Refused(
            a,
            b,
            f"different measures ({a.measure} and {b.measure})",
            "measures",
            a_measure=a.measure,
            b_measure=b.measure,
        )
    differences = []
    if not same_concept(ds, a.indicator, b.indicator):
        differences.append("concept")
    if a.price_basis != b.price_basis:
        differences.append("price_basis")
    if a.scope != b.scope and "concept" not in differences:
        differences.append("scope")
    if not differences:
        return Comparison(a, b, "same", "", (), "", "")
    for rule in _declared(ds, a.indicator, b.indicator):
        if set(differences) <= set(rule["differs_in"]):
            return Comparison(a, b, "related", rule["id"], tuple(differences), rule["note_en"], rule["note_zh"])
    described = ", ".join(d.replace("_", " ") for d in differences)
    raise Refused(
        a,
        b,
        f"they differ in {described} and data/comparisons.yml declares no related pair allowing that",
        "undeclared",
        differences=tuple(differences),
    )


def try_compare(ds: Dataset, a: Point, b: Point) -> Comparison | Refused:
    try:
        return compare_growth(ds, a, b)
    except Refused as refusal:
        return refusal


def _contains(ds: Dataset, whole: str, part: str) -> bool:
    parent = dict(zip(ds.areas["id"], ds.areas["parent"]))
    seen = set()
    area = parent.get(part, "")
    while area and area not in seen:
        if area == whole:
            return True
        seen.add(area)
        area = parent.get(area, "")
    return False


def share(ds: Dataset, part: Point, whole: Point) -> Share:
    """`part` as a percentage of `whole`, or raise Refused saying why that is not a share."""
    if part.year != whole.year:
        raise Refused(
            part,
            whole,
            f"different years ({part.year} and {whole.year})",
            "share_years",
            a_year=part.year,
            b_year=whole.year,
        )
    if not same_concept(ds, part.indicator, whole.indicator):
        raise Refused(part, whole, "a share needs one concept; related concepts do not add up", "share_concept")
    if not (part.has_value and whole.has_value):
        raise Refused(part, whole, "both figures need a published level", "no_level")
    if part.measure not in ADDITIVE_MEASURES or not part.additive:
        raise Refused(
            part,
            whole,
            f"{part.indicator} does not add up over areas, so it has no share",
            "not_additive",
            indicator=part.indicator,
        )
    if not convertible(part.unit, whole.unit, ds.units):
        raise Refused(
            part,
            whole,
            f"units {part.unit} and {whole.unit} cannot be converted into each other",
            "units",
            a_unit=part.unit,
            b_unit=whole.unit,
        )
    if not _contains(ds, whole.area, part.area):
        raise Refused(
            part,
            whole,
            f"{whole.area} does not contain {part.area}",
            "not_contained",
            a_area=part.area,
            b_area=whole.area,
        )
    # Exact on the printed digits (a float repr is its published text); validation refuses a level of 0.
    pct = float(to_base(part.value, part.unit, ds.units) / to_base(whole.value, whole.unit, ds.units) * 100)
    if pct > 100:
        raise Refused(
            part, whole, "the part exceeds the whole: the two sources cannot describe the same total", "exceeds"
        )
    return Share(part, whole, pct, approximate=part.qualifier != "exact" or whole.qualifier != "exact")


# --- everything for a page ----------------------------------------------------------------------
@dataclass(frozen=True)
class Context:
    comparisons: list[Comparison]
    refused: list[Refused]
    shares: list[Share]

    @property
    def empty(self) -> bool:
        return not self.comparisons and not self.shares


def context_for(ds: Dataset, year: int, theme: str | None = None) -> Context:
    """Every allowed growth comparison and share for Guanyun's figures of a year (and theme).

    Only candidate pairs are tried (same indicator, equivalent or declared related); the refusals among
    them are kept so a page can say what was not compared and why.
    """
    marks = benchmark_points(ds, year)
    drawn: list[Comparison] = []
    refused: list[Refused] = []
    shares = []
    for mine in subject_points(ds, year, theme):
        allowed = candidates(ds, mine.indicator)
        for other in (m for m in marks if m.indicator in allowed):
            if mine.has_growth and other.has_growth:
                outcome = try_compare(ds, mine, other)
                if isinstance(outcome, Refused):
                    refused.append(outcome)
                else:
                    drawn.append(outcome)
            if mine.has_value and other.has_value and same_concept(ds, mine.indicator, other.indicator):
                try:
                    shares.append(share(ds, mine, other))
                except Refused as refusal:
                    refused.append(refusal)
    return Context(drawn, refused, shares)

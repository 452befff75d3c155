"""Declared schemas for the benchmark layer: the areas Guanyun is compared with, their figures, the
declared comparable concept pairs, and the glossary (pandera, like schemas.py, whose helpers they use).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from .quoting import benchmark_growth_quoted, benchmark_value_quoted, is_number, is_number_or_blank
from .schemas import PRICE_BASES, _id, _one_of, _required, _required_texts, _row_check, _text, _url, _year
from .units import convertible

AREA_LEVELS = ("nation", "province", "city", "county")
COMPARISON_KINDS = ("equivalent", "related")
# What a declared related-concept pair may differ in; a difference in measure is never allowed.
COMPARISON_DIFFERENCES = ("concept", "price_basis", "scope")


def areas_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _id(),
            "level": _text(_one_of(AREA_LEVELS, "area level")),
            **_required_texts("name_zh", "name_en"),
            "parent": _text(),
            "subject": pa.Column(
                None,
                pa.Check(lambda v: isinstance(v, bool), element_wise=True, error="must be true or false (unquoted)"),
            ),
        },
        checks=[
            _row_check("parent", "unknown parent area id", lambda f: (f["parent"] == "") | f["parent"].isin(f["id"])),
            _row_check(
                "subject",
                "only one area can be the book's subject",
                lambda f: ~f["subject"].astype(bool) | (f["subject"].astype(bool).sum() == 1),
            ),
            _row_check(
                "subject",
                "no area is marked as the book's subject (subject: true)",
                lambda f: pd.Series(f["subject"].astype(bool).sum() > 0, index=f.index),
            ),
        ],
    )


def benchmarks_schema(
    indicator_units: Mapping | None = None,
    units: Mapping | None = None,
    qualifier_ids=(),
    used_source_ids=(),
    areas: pd.DataFrame | None = None,
) -> pa.DataFrameSchema:
    """indicator_units: registry unit of every indicator, benchmark-only ones included. Without the
    registry (the defaults) the schema still declares the columns (schemas.declared_columns)."""
    indicator_units, units = indicator_units or {}, units or {}
    level_of = {} if areas is None else dict(zip(areas["id"], areas["level"]))
    subjects = set() if areas is None else set(areas.loc[areas["subject"].astype(bool), "id"])

    def unit_fits(row) -> bool:
        wanted = indicator_units.get(row["indicator"])
        if not row["unit"] or wanted is None or row["unit"] not in units:
            return True  # blank units and unknown ids are reported by their own checks
        return convertible(row["unit"], wanted, units)  # the figures' rule: one rule for every file

    def quoted(row) -> bool:
        printed = list(units.get(row["unit"], {}).get("printed", []))
        return benchmark_value_quoted(row["value"], row["unit"], printed, row["quote"])

    def numeric(column: pd.Series, test) -> pd.Series:
        return column.map(lambda t: not is_number(t) or test(float(t)))

    return pa.DataFrameSchema(
        {
            "area_level": _text(_one_of(AREA_LEVELS, "area level")),
            "area": _text(_one_of(level_of, "area id (add it to data/areas.yml)")),
            "indicator": _text(_one_of(indicator_units, "indicator id (add it to data/indicators.yml)")),
            "year": _text(_year()),
            "value": _text(
                pa.Check(
                    is_number_or_blank,
                    element_wise=True,
                    error="must be blank or a number as published, without separators",
                )
            ),
            "unit": _text(
                pa.Check(
                    lambda v: v == "" or v in units, element_wise=True, error="unknown unit (add it to data/units.yml)"
                )
            ),
            "qualifier": _text(_one_of(qualifier_ids, "qualifier")),
            "yoy_pct": _text(
                pa.Check(is_number_or_blank, element_wise=True, error="must be blank or a number, e.g. 5.8")
            ),
            "price_basis": _text(_one_of(PRICE_BASES, "price basis")),
            "source": _text(_one_of(used_source_ids, "source id (or the source is marked excluded)")),
            "quote": _text(_required()),
        },
        checks=[
            _row_check(
                "area",
                "is the book's own county: its figures belong in data/figures.csv",
                lambda f: ~f["area"].isin(subjects),
            ),
            _row_check(
                "area_level",
                "differs from the level data/areas.yml gives this area",
                lambda f: f["area"].map(level_of).isna() | (f["area_level"] == f["area"].map(level_of)),
            ),
            _row_check(
                "value",
                "a benchmark needs a value or a growth rate",
                lambda f: (f["value"] != "") | (f["yoy_pct"] != ""),
            ),
            _row_check(
                "unit",
                "a value needs its unit, and only a value has one",
                lambda f: (f["value"] == "") == (f["unit"] == ""),
            ),
            _row_check(
                "unit",
                "cannot be converted to the unit the registry gives this indicator",
                lambda f: f.apply(unit_fits, axis=1),
            ),
            _row_check("value", "must not be negative", lambda f: numeric(f["value"], lambda v: v >= 0)),
            # Shares and computed comparisons divide by a benchmark's level: 0 would stop every run.
            _row_check(
                "value",
                "must not be 0: the book divides by a benchmark's level (shares, comparisons); "
                "leave the value blank if the source gives none",
                lambda f: numeric(f["value"], lambda v: v != 0),
            ),
            _row_check(
                "yoy_pct",
                "a fall of 100% or more cannot be a growth rate",
                lambda f: numeric(f["yoy_pct"], lambda v: v > -100),
            ),
            _row_check(
                "quote",
                "does not contain the value followed by its unit, as written",
                lambda f: f.apply(quoted, axis=1),
            ),
            _row_check(
                "quote",
                "does not contain the growth rate as written (e.g. 5.8% or 5.8 percent)",
                lambda f: f.apply(lambda row: benchmark_growth_quoted(row["yoy_pct"], row["quote"]), axis=1),
            ),
            _row_check(
                "year",
                "duplicate (area, indicator, year, price_basis): one benchmark each",
                lambda f: ~f.duplicated(["area", "indicator", "year", "price_basis"], keep=False),
            ),
        ],
    )


def comparisons_schema(indicator_ids) -> pa.DataFrameSchema:
    def differences_ok(value) -> bool:
        return isinstance(value, list) and all(item in COMPARISON_DIFFERENCES for item in value)

    return pa.DataFrameSchema(
        {
            "id": _id(),
            "kind": _text(_one_of(COMPARISON_KINDS, "comparison kind")),
            "a": _text(_one_of(indicator_ids, "indicator id")),
            "b": _text(_one_of(indicator_ids, "indicator id")),
            "differs_in": pa.Column(
                None,
                pa.Check(
                    differences_ok, element_wise=True, error=f"must be a list drawn from {list(COMPARISON_DIFFERENCES)}"
                ),
            ),
            **_required_texts("note_en", "note_zh"),
        },
        checks=[
            _row_check(
                "differs_in",
                "an equivalent pair is one concept and differs in nothing; a related pair must say what differs",
                lambda f: f.apply(
                    lambda r: (
                        (r["kind"] == "equivalent") == (len(r["differs_in"]) == 0)
                        if isinstance(r["differs_in"], list)
                        else True
                    ),
                    axis=1,
                ),
            ),
            _row_check(
                "b",
                "a pair is declared once",
                lambda f: ~f.apply(lambda r: tuple(sorted((r["a"], r["b"]))), axis=1).duplicated(keep=False),
            ),
        ],
    )


def glossary_schema() -> pa.DataFrameSchema:
    def match_ok(value) -> bool:
        return isinstance(value, list) and bool(value) and all(isinstance(m, str) and m.strip() for m in value)

    def claimed_twice(frame: pd.DataFrame) -> pd.Series:
        owners: dict[str, int] = {}
        for matches in frame["match"]:
            for match in matches if isinstance(matches, list) else []:
                owners[str(match).lower()] = owners.get(str(match).lower(), 0) + 1
        return frame["match"].map(lambda ms: not isinstance(ms, list) or all(owners[str(m).lower()] == 1 for m in ms))

    return pa.DataFrameSchema(
        {
            "id": _id(),
            # source_zh: the Chinese glossary names the source in Chinese, never falling back to English.
            **_required_texts("term_zh", "term_en", "definition_en", "definition_zh", "source", "source_zh"),
            "url": _url(),
            "quote": _text(),
            "match": pa.Column(
                None, pa.Check(match_ok, element_wise=True, error="must be a non-empty list of strings")
            ),
        },
        checks=[
            _row_check("match", "a match string belongs to two terms: a use could not be linked to one", claimed_twice)
        ],
    )

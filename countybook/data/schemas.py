"""Declared schemas for every file in data/ (pandera), built against the registry they refer to.

A wide (row-level) check names the field it is about in its error as "field|message", so a failure
can be reported against the right cell.
"""
from __future__ import annotations

import math
import re

import pandas as pd
import pandera.pandas as pa

from .chinese import simplified

SNAKE_CASE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
YEAR_RANGE = (1949, 2100)
INDICATOR_KINDS = ["money", "count", "area", "volume", "share", "length", "capacity", "duration"]
RELIABILITY = ["high", "medium", "low"]
SOURCE_STATUS = ["used", "excluded"]
MILESTONE_LEVELS = ["national", "provincial", "municipal", "county"]
INVESTMENT_BASIS = ["planned", "completed_to_date"]
# A figure's price basis when its source states one (按可比价格计算 → comparable); blank means "as the
# registry gives the indicator".
FIGURE_PRICE_BASIS = ["comparable", "current"]
TABLE_CELL_SEPARATOR = "|"


def is_number(text) -> bool:
    return isinstance(text, str) and bool(NUMBER.match(text)) and math.isfinite(float(text))


FALLING_WORDS = ("下降", "减少", "降低", "回落")


def table_cells(quote: str) -> list[str]:
    """The cells of a table row quoted as text ("粮食 | 吨 | 848656 | 0.02"); [] for prose."""
    if quote.count(TABLE_CELL_SEPARATOR) < 2:
        return []
    return [cell.strip() for cell in quote.split(TABLE_CELL_SEPARATOR)]


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
    cells = table_cells(quote)
    return value in cells and unit in cells


def convertible(units: dict, unit: str, registry_unit) -> bool:
    """The same unit, or one that converts to it exactly (万人 to 人: both measure persons)."""
    if unit == registry_unit:
        return True
    a, b = units.get(unit), units.get(registry_unit)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    return bool(a.get("base_en")) and a.get("base_en") == b.get("base_en") and bool(a.get("factor")) and bool(b.get("factor"))


def is_number_or_blank(text) -> bool:
    return text == "" or is_number(text)


def _text(*checks, nullable=False, unique=False) -> pa.Column:
    return pa.Column(None, checks=[pa.Check(lambda v: isinstance(v, str), element_wise=True, error="must be text"),
                                    *checks], nullable=nullable, unique=unique)


def _required() -> pa.Check:
    return pa.Check(lambda v: isinstance(v, str) and v != "", element_wise=True, error="must not be empty")


def _one_of(values, what: str) -> pa.Check:
    allowed = sorted(set(values))
    return pa.Check(lambda v: v in allowed, element_wise=True, error=f"unknown {what}; expected one of {allowed}")


def _snake_id() -> pa.Check:
    return pa.Check.str_matches(SNAKE_CASE, error="must be an English snake_case id")


def _row_check(field: str, message: str, test) -> pa.Check:
    return pa.Check(test, error=f"{field}|{message}")


def _year() -> pa.Check:
    low, high = YEAR_RANGE
    return pa.Check(lambda v: is_number(v) and float(v).is_integer() and low <= float(v) <= high,
                    element_wise=True, error=f"must be a whole year between {low} and {high}")


def themes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "order": pa.Column(int, pa.Check.ge(0), unique=True),
            "title_zh": _text(_required()),
            "title_en": _text(_required()),
        }
    )


def indicators_schema(theme_ids, units) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "theme": _text(_one_of(theme_ids, "theme id")),
            "name_zh": _text(_required()),
            "name_en": _text(_required()),
            "unit": _text(_one_of(units, "unit (add it to data/units.yml)")),
            "kind": _text(_one_of(INDICATOR_KINDS, "kind")),
            "description": _text(_required()),
        }
    )


def sources_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "title": _text(_required()),
            "publisher": _text(_required()),
            "date": _text(),
            "url": _text(pa.Check(lambda v: v == "" or v.startswith(("http://", "https://")),
                                  element_wise=True, error="must be empty or an http(s) address")),
            "language": _text(_required()),
            "reliability": _text(_one_of(RELIABILITY, "reliability")),
            "status": _text(_one_of(SOURCE_STATUS, "status")),
            "note": _text(_required()),
        }
    )


def figures_schema(indicators: pd.DataFrame, units: dict, qualifier_ids, used_source_ids) -> pa.DataFrameSchema:
    unit_of = dict(zip(indicators["id"], indicators["unit"]))

    def value_ok(frame, test):
        # A value that is not a number is reported by the column check; skip it here, as float()
        # would raise and fail the whole check against no row.
        return frame.apply(lambda row: not is_number(row["value"]) or test(row, float(row["value"])), axis=1)

    def whole(row, value):
        return not units.get(row["unit"], {}).get("whole") or value.is_integer()

    def within_max(row, value):
        limit = units.get(row["unit"], {}).get("max")
        return limit is None or value <= limit


    return pa.DataFrameSchema(
        {
            "indicator": _text(_one_of(unit_of, "indicator id (add it to data/indicators.yml)")),
            "year": _text(_year()),
            "value": _text(pa.Check(is_number_or_blank, element_wise=True,
                                    error="must be a number as published, e.g. 187.5 (blank only with a growth rate)")),
            "unit": _text(_required()),
            "qualifier": _text(_one_of(qualifier_ids, "qualifier")),
            "yoy_pct": _text(pa.Check(is_number_or_blank, element_wise=True, error="must be blank or a number, e.g. 15.5")),
            "price_basis": pa.Column(None, checks=[pa.Check(lambda v: v == "" or v in FIGURE_PRICE_BASIS,
                                                            element_wise=True,
                                                            error=f"must be blank or one of {FIGURE_PRICE_BASIS}")],
                                     required=False),
            "source": _text(_one_of(used_source_ids, "source id (or the source is marked excluded)")),
            "quote": _text(_required()),
        },
        checks=[
            # Another unit of the same measure (万人 for 人) is accepted: load converts it.
            _row_check("unit", "differs from the unit the registry gives this indicator",
                       lambda f: f["indicator"].map(unit_of).isna()
                       | pd.Series([convertible(units, a, b) for a, b in zip(f["unit"], f["indicator"].map(unit_of))],
                                   index=f.index, dtype=bool)),
            _row_check("value", "must not be negative", lambda f: value_ok(f, lambda row, v: v >= 0)),
            _row_check("value", "must be a whole number for this unit", lambda f: value_ok(f, whole)),
            _row_check("value", "share must lie within 0-100", lambda f: value_ok(f, within_max)),
            _row_check("yoy_pct", "a fall of 100% or more cannot be a growth rate",
                       lambda f: f["yoy_pct"].map(lambda t: not is_number(t) or float(t) > -100)),
            _row_check("value", "a figure needs a value or a growth rate (a growth-only figure has just the rate)",
                       lambda f: (f["value"] != "") | (f["yoy_pct"] != "")),
            _row_check("quote", "does not contain the value followed by its unit, as written",
                       lambda f: f.apply(lambda row: value_quoted(row["value"], row["unit"], row["quote"]), axis=1)),
            _row_check("quote", "does not contain the growth rate as written (e.g. 15.5%)",
                       lambda f: f.apply(lambda row: growth_quoted(row["yoy_pct"], row["quote"]), axis=1)),
            _row_check("year", "duplicate (indicator, year): each indicator has one figure a year",
                       lambda f: ~f.duplicated(["indicator", "year"], keep=False)),
        ],
    )


def projects_schema(theme_ids, stage_ids, units, used_source_ids) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "theme": _text(_one_of(theme_ids, "theme id")),
            "year": _text(_year()),
            "name_zh": _text(_required()),
            "name_en": _text(_required()),
            "stage": _text(_one_of(stage_ids, "stage")),
            "investment": _text(pa.Check(is_number_or_blank, element_wise=True, error="must be blank or a number")),
            "investment_unit": _text(pa.Check(lambda v: v == "" or v in units, element_wise=True, error="unknown unit")),
            "investment_basis": _text(pa.Check(lambda v: v == "" or v in INVESTMENT_BASIS, element_wise=True,
                                               error=f"must be blank or one of {INVESTMENT_BASIS}")),
            "partner": _text(),
            "source": _text(_one_of(used_source_ids, "source id")),
            "quote": _text(_required()),
        },
        checks=[
            _row_check("investment_unit", "an investment needs its unit and basis, and only an investment has them",
                       lambda f: ((f["investment"] == "") == (f["investment_unit"] == ""))
                       & ((f["investment"] == "") == (f["investment_basis"] == ""))),
            _row_check("quote", "does not contain the investment followed by its unit, as written",
                       lambda f: f.apply(lambda r: not r["investment"] or f"{r['investment']}{r['investment_unit']}" in r["quote"], axis=1)),
        ],
    )


def milestones_schema(theme_ids, used_source_ids) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "theme": _text(_one_of(theme_ids, "theme id")),
            "year": _text(_year()),
            "level": _text(_one_of(MILESTONE_LEVELS, "level")),
            "field": _text(_required()),
            "text_zh": _text(_required()),
            "text_en": _text(_required()),
            "source": _text(_one_of(used_source_ids, "source id")),
            "quote": _text(_required()),
        }
    )


def ratios_schema(theme_ids, indicator_ids) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "theme": _text(_one_of(theme_ids, "theme id")),
            "name_zh": _text(_required()),
            "name_en": _text(_required()),
            "numerator": _text(_one_of(indicator_ids, "indicator id")),
            "denominator": _text(_one_of(indicator_ids, "indicator id")),
            "factor": pa.Column(float, pa.Check.gt(0), coerce=True),
            "unit": _text(_required()),
            "unit_en": _text(_required()),
        }
    )

"""Declared schemas for the book's own files in data/ (pandera), built against the registry they refer to.

The benchmark layer's files (areas, benchmarks, comparisons, glossary) have theirs in
benchmark_schemas.py; whether a quote holds its row's numbers is quoting.py's, and which units
convert into each other is units.py's.

A wide (row-level) check names the field it is about in its error as "field|message", so a failure
can be reported against the right cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from .. import years
from .chinese import simplified
from .quoting import growth_quoted, is_number, is_number_or_blank, value_quoted
from .source_kinds import SOURCE_KINDS
from .units import convertible

SNAKE_CASE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
YEAR_RANGE = (years.FIRST, years.LAST)
INDICATOR_KINDS = ("money", "count", "area", "volume", "share", "length", "capacity", "duration")
RELIABILITY = ("high", "medium", "low")
SOURCE_STATUS = ("used", "excluded")
# What kind of text a source is, by its origin (a repost keeps its original's kind; the note and the
# reliability say how it reached us). render/messages.py says what each kind means for the reader.
MILESTONE_LEVELS = ("national", "provincial", "municipal", "county")
# "completed" when the source says 完成投资 without a period; "completed_to_date" only for 累计.
INVESTMENT_BASIS = ("planned", "completed", "completed_to_date")
# What a milestone is: a recognition by a body at its level, a ranking the source claims, or a step
# of progress (a report submitted, a plan drawn up) that no higher level has yet acted on.
MILESTONE_TYPES = ("recognition", "ranking_claim", "progress")
# What kind of quantity an indicator is: only figures of one measure (and one unit) share a chart.
MEASURES = (
    "annual_flow",
    "year_end_stock",
    "cumulative",
    "planned",
    "capacity",
    "event_count",
    "rate",
    "class",
    "duration",
)
PRICE_BASES = ("current", "comparable", "not_stated", "not_applicable")
MONEY_PRICE_BASES = ("current", "comparable", "not_stated")
RATIO_TYPES = ("share", "equivalent_to", "per_unit_average", "intensity")
# A figure's price basis when its source states one (按可比价格计算 → comparable); blank means "as the
# registry gives the indicator".
FIGURE_PRICE_BASIS = ("comparable", "current")


def _text(*checks, nullable=False, unique=False) -> pa.Column:
    return pa.Column(
        None,
        checks=[pa.Check(lambda v: isinstance(v, str), element_wise=True, error="must be text"), *checks],
        nullable=nullable,
        unique=unique,
    )


def _required() -> pa.Check:
    return pa.Check(lambda v: isinstance(v, str) and v != "", element_wise=True, error="must not be empty")


def _required_texts(*names: str) -> dict[str, pa.Column]:
    return {name: _text(_required()) for name in names}


def _id() -> pa.Column:
    return _text(_snake_id(), unique=True)


def _one_of(values, what: str) -> pa.Check:
    allowed = sorted(set(values))
    return pa.Check(lambda v: v in allowed, element_wise=True, error=f"unknown {what}; expected one of {allowed}")


def _snake_id() -> pa.Check:
    return pa.Check.str_matches(SNAKE_CASE, error="must be an English snake_case id")


def _row_check(field: str, message: str, test) -> pa.Check:
    return pa.Check(test, error=f"{field}|{message}")


def _url() -> pa.Column:
    return _text(
        pa.Check(
            lambda v: v == "" or v.startswith(("http://", "https://")),
            element_wise=True,
            error="must be empty or an http(s) address",
        )
    )


def _year() -> pa.Check:
    return pa.Check(years.is_year, element_wise=True, error=f"must be {years.RULE}")


def declared_columns(schema: pa.DataFrameSchema, required: bool | None = None) -> list[str]:
    """The columns a schema declares, in file order: the one declaration of each CSV file's header
    (load, add and extract read and write them from here); only the required or optional ones if asked."""
    return [name for name, column in schema.columns.items() if required is None or column.required == required]


def themes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _id(),
            "order": pa.Column(int, pa.Check.ge(0), unique=True, coerce=True),
            **_required_texts("title_zh", "title_en"),
        }
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _optional_one_of(values, what: str) -> pa.Check:
    allowed = sorted(set(values))
    return pa.Check(
        lambda v: _blank(v) or v in allowed,
        element_wise=True,
        error=f"unknown {what}; expected blank or one of {allowed}",
    )


def _optional_snake_id() -> pa.Column:
    return pa.Column(
        None,
        pa.Check(
            lambda v: _blank(v) or (isinstance(v, str) and bool(re.match(SNAKE_CASE, v))),
            element_wise=True,
            error="must be blank or a snake_case id",
        ),
        nullable=True,
    )


def _rank(value) -> bool:
    return _blank(value) or (isinstance(value, int) and not isinstance(value, bool) and value >= 1)


def indicators_schema(theme_ids, units, scope_ids=()) -> pa.DataFrameSchema:
    def price_basis_fits_kind(frame):
        money = frame["kind"] == "money"
        return (money & frame["price_basis"].isin(MONEY_PRICE_BASES)) | (
            ~money & (frame["price_basis"] == "not_applicable")
        )

    def count_names_its_entity(frame):
        # A count says what it counts (firms, projects, parking spaces): charts set only counts of one
        # kind of thing side by side, so a count without its entity could not be charted honestly.
        return (frame["kind"] != "count") | frame["entity"].map(lambda v: not _blank(v))

    def headline_unique_per_theme(frame):
        ranked = frame[frame["headline"].map(lambda v: not _blank(v))]
        clash = ranked.duplicated(["theme", "headline"], keep=False)
        return pd.Series(True, index=frame.index).mask(clash.reindex(frame.index, fill_value=False), False)

    return pa.DataFrameSchema(
        {
            "id": _id(),
            "theme": _text(_one_of(theme_ids, "theme id")),
            **_required_texts("name_zh", "name_en"),
            "unit": _text(_one_of(units, "unit (add it to data/units.yml)")),
            "kind": _text(_one_of(INDICATOR_KINDS, "kind")),
            "measure": _text(_one_of(MEASURES, "measure")),
            "price_basis": _text(_one_of(PRICE_BASES, "price basis")),
            "scope": pa.Column(None, _optional_one_of(scope_ids, "scope (add it to data/scopes.yml)"), nullable=True),
            "headline": pa.Column(
                None, pa.Check(_rank, element_wise=True, error="must be blank or a whole rank from 1"), nullable=True
            ),
            # bulletin_headline: the rank of a statistical bulletin's headline indicator, for the list
            # of what a year's sources do not publish; key_figure: the landing page's order.
            "bulletin_headline": pa.Column(
                None,
                pa.Check(_rank, element_wise=True, error="must be blank or a whole rank from 1"),
                nullable=True,
                required=False,
            ),
            "key_figure": pa.Column(
                None,
                pa.Check(_rank, element_wise=True, error="must be blank or a whole rank from 1"),
                nullable=True,
                required=False,
            ),
            "chart_group": _optional_snake_id(),
            "entity": _optional_snake_id(),
            "description": _text(_required()),
        },
        checks=[
            _row_check(
                "entity",
                "a count must name the kind of thing it counts (entity: firm, project, …)",
                count_names_its_entity,
            ),
            _row_check(
                "price_basis",
                "money indicators take current, comparable or not_stated; others not_applicable",
                price_basis_fits_kind,
            ),
            _row_check("headline", "two indicators of one theme share this headline rank", headline_unique_per_theme),
        ],
    )


def scopes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _id(),
            **_required_texts("name_zh", "name_en", "note_zh", "note_en"),
        }
    )


def sources_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _id(),
            **_required_texts("title", "publisher"),
            # The publisher in Chinese (domain names kept as names): the Chinese edition shows it, so a
            # source without it would print English there; `add` refuses a new source without it too.
            "publisher_zh": _text(_required()),
            "authors": _text(),
            "date": _text(),
            "url": _url(),
            "language": _text(_required()),
            "reliability": _text(_one_of(RELIABILITY, "reliability")),
            "status": _text(_one_of(SOURCE_STATUS, "status")),
            "note": _text(_required()),
            # The note in Chinese, for the Chinese edition's methods page (required as publisher_zh is).
            "note_zh": _text(_required()),
            "kind": _text(_one_of(SOURCE_KINDS, "source kind")),
            # title_en: the book's translation of a Chinese title (countybook/data/translations.py
            # requires one for every Chinese title). copy_of: the original publication a repost, mirror,
            # report or translation reproduces; the book cites the original and says it read this copy.
            "title_en": pa.Column(
                None, pa.Check(lambda v: isinstance(v, str), element_wise=True, error="must be text"), required=False
            ),
            "copy_of": pa.Column(
                None, pa.Check(lambda v: isinstance(v, str), element_wise=True, error="must be text"), required=False
            ),
        },
    )


COPY_OF_RULE = "must be blank or the id of another source that is itself an original (blank copy_of)"


def copy_of_problem_rows(frame: pd.DataFrame) -> list:
    """Rows (the frame's index) whose copy_of names no original: checked on the whole file, after the
    schema, since a copy and its original may lie in different blocks of a long file."""
    if "copy_of" not in frame:
        return []
    originals = set(frame.loc[frame["copy_of"] == "", "id"])
    ok = (frame["copy_of"] == "") | (frame["copy_of"].isin(originals) & (frame["copy_of"] != frame["id"]))
    return list(frame.index[~ok])


def quote_translations_schema() -> pa.DataFrameSchema:
    """data/quotes_en.csv: the book's English rendering of each Chinese quote, keyed by the quote itself
    (one translation however many rows cite the clause), numbers written as the quote prints them."""
    return pa.DataFrameSchema(
        {
            "quote": _text(_required(), unique=True),
            "quote_en": _text(_required()),
        },
        checks=[
            _row_check(
                "quote_en",
                "must keep every number of the quote as printed (187.5亿元: 187.5 hundred million yuan)",
                lambda f: f.apply(lambda r: numbers_kept(r["quote"], r["quote_en"]), axis=1),
            ),
        ],
    )


def numbers_kept(quote: str, english: str) -> bool:
    """Every number printed in the quote appears, whole, in its English rendering."""
    return all(
        re.search(rf"(?<![\d.]){re.escape(n)}(?!\.?\d)", english)
        for n in re.findall(r"[0-9]+(?:\.[0-9]+)?", simplified(quote))
    )


def figures_schema(
    indicators: pd.DataFrame | None = None,
    units: Mapping | None = None,
    qualifier_ids=(),
    used_source_ids=(),
    denominators=(),
) -> pa.DataFrameSchema:
    """denominators: the indicators a ratio of data/ratios.yml divides by. Without a registry (the
    defaults) the schema still declares the columns: see declared_columns."""
    unit_of = {} if indicators is None else dict(zip(indicators["id"], indicators["unit"]))
    units, denominators = units or {}, frozenset(denominators)

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
            "value": _text(
                pa.Check(
                    is_number_or_blank,
                    element_wise=True,
                    error="must be a number as published, e.g. 187.5 (blank only with a growth rate)",
                )
            ),
            "unit": _text(_required()),
            "qualifier": _text(_one_of(qualifier_ids, "qualifier")),
            "yoy_pct": _text(
                pa.Check(is_number_or_blank, element_wise=True, error="must be blank or a number, e.g. 15.5")
            ),
            "price_basis": pa.Column(
                None,
                checks=[
                    pa.Check(
                        lambda v: v == "" or v in FIGURE_PRICE_BASIS,
                        element_wise=True,
                        error=f"must be blank or one of {list(FIGURE_PRICE_BASIS)}",
                    )
                ],
                required=False,
            ),
            "source": _text(_one_of(used_source_ids, "source id (or the source is marked excluded)")),
            "quote": _text(_required()),
        },
        checks=[
            # Another unit of the same measure (万人 for 人) is accepted: load converts it.
            _row_check(
                "unit",
                "differs from the unit the registry gives this indicator",
                lambda f: (
                    f["indicator"].map(unit_of).isna()
                    | pd.Series(
                        [convertible(a, b, units) for a, b in zip(f["unit"], f["indicator"].map(unit_of))],
                        index=f.index,
                        dtype=bool,
                    )
                ),
            ),
            _row_check("value", "must not be negative", lambda f: value_ok(f, lambda row, v: v >= 0)),
            # Refused here, not at run time, where every edition would stop dividing by it.
            _row_check(
                "value",
                "is 0, but a ratio in ratios.yml divides by this indicator (a ratio to 0 is undefined)",
                lambda f: value_ok(f, lambda row, v: v != 0 or row["indicator"] not in denominators),
            ),
            _row_check("value", "must be a whole number for this unit", lambda f: value_ok(f, whole)),
            _row_check("value", "share must lie within 0-100", lambda f: value_ok(f, within_max)),
            _row_check(
                "yoy_pct",
                "a fall of 100% or more cannot be a growth rate",
                lambda f: f["yoy_pct"].map(lambda t: not is_number(t) or float(t) > -100),
            ),
            _row_check(
                "value",
                "a figure needs a value or a growth rate (a growth-only figure has just the rate)",
                lambda f: (f["value"] != "") | (f["yoy_pct"] != ""),
            ),
            _row_check(
                "quote",
                "does not contain the value followed by its unit, as written",
                lambda f: f.apply(lambda row: value_quoted(row["value"], row["unit"], row["quote"]), axis=1),
            ),
            _row_check(
                "quote",
                "does not contain the growth rate as written (e.g. 15.5%)",
                lambda f: f.apply(lambda row: growth_quoted(row["yoy_pct"], row["quote"]), axis=1),
            ),
            _row_check(
                "year",
                "duplicate (indicator, year): each indicator has one figure a year",
                lambda f: ~f.duplicated(["indicator", "year"], keep=False),
            ),
        ],
    )


def projects_schema(theme_ids=(), stage_ids=(), units=(), used_source_ids=()) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _id(),
            "theme": _text(_one_of(theme_ids, "theme id")),
            "year": _text(_year()),
            **_required_texts("name_zh", "name_en"),
            "stage": _text(_one_of(stage_ids, "stage")),
            "investment": _text(pa.Check(is_number_or_blank, element_wise=True, error="must be blank or a number")),
            "investment_unit": _text(
                pa.Check(lambda v: v == "" or v in units, element_wise=True, error="unknown unit")
            ),
            "investment_basis": _text(
                pa.Check(
                    lambda v: v == "" or v in INVESTMENT_BASIS,
                    element_wise=True,
                    error=f"must be blank or one of {list(INVESTMENT_BASIS)}",
                )
            ),
            "partner": _text(),
            "source": _text(_one_of(used_source_ids, "source id")),
            "quote": _text(_required()),
        },
        checks=[
            _row_check(
                "investment_unit",
                "an investment needs its unit and basis, and only an investment has them",
                lambda f: (
                    ((f["investment"] == "") == (f["investment_unit"] == ""))
                    & ((f["investment"] == "") == (f["investment_basis"] == ""))
                ),
            ),
            _row_check(
                "quote",
                "does not contain the investment followed by its unit, as written",
                lambda f: f.apply(
                    lambda r: not r["investment"] or f"{r['investment']}{r['investment_unit']}" in r["quote"], axis=1
                ),
            ),
        ],
    )


def milestones_schema(theme_ids=(), used_source_ids=()) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _id(),
            "theme": _text(_one_of(theme_ids, "theme id")),
            "year": _text(_year()),
            "level": _text(_one_of(MILESTONE_LEVELS, "level")),
            "type": _text(_one_of(MILESTONE_TYPES, "milestone type")),
            **_required_texts("field", "text_zh", "text_en"),
            "source": _text(_one_of(used_source_ids, "source id")),
            "quote": _text(_required()),
        }
    )


def ratios_schema(theme_ids, indicator_ids) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _id(),
            "theme": _text(_one_of(theme_ids, "theme id")),
            **_required_texts("name_zh", "name_en"),
            "numerator": _text(_one_of(indicator_ids, "indicator id")),
            "denominator": _text(_one_of(indicator_ids, "indicator id")),
            "factor": pa.Column(float, pa.Check.gt(0), coerce=True),
            "type": _text(_one_of(RATIO_TYPES, "ratio type")),
            **_required_texts("unit", "unit_en"),
            "per_en": _text(),
        }
    )

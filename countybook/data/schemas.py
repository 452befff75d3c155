"""Declared schemas for every file in data/ (pandera), built against the registry they refer to.

A wide (row-level) check names the field it is about in its error as "field|message", so a failure
can be reported against the right cell.
"""
from __future__ import annotations

import math
import re

import pandas as pd
import pandera.pandas as pa

from .. import years
from .chinese import simplified

SNAKE_CASE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
# ASCII digits only: \d would also take full-width and other scripts' digits, which float() reads.
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
YEAR_RANGE = (years.FIRST, years.LAST)
INDICATOR_KINDS = ["money", "count", "area", "volume", "share", "length", "capacity", "duration"]
RELIABILITY = ["high", "medium", "low"]
SOURCE_STATUS = ["used", "excluded"]
# What kind of text a source is, by its origin (a repost keeps its original's kind; the note and the
# reliability say how it reached us). render/messages.py says what each kind means for the reader.
SOURCE_KINDS = ["statistical_bulletin", "statistical_release", "departmental_release", "government_report", "government_site",
                "press_release", "news_agency_report", "news_report", "newspaper_feature", "secondary_summary",
                "reference_page", "blog", "printed_gazetteer"]
MILESTONE_LEVELS = ["national", "provincial", "municipal", "county"]
# "completed" when the source says 完成投资 without a period; "completed_to_date" only for 累计.
INVESTMENT_BASIS = ["planned", "completed", "completed_to_date"]
# What a milestone is: a recognition by a body at its level, a ranking the source claims, or a step
# of progress (a report submitted, a plan drawn up) that no higher level has yet acted on.
MILESTONE_TYPES = ["recognition", "ranking_claim", "progress"]
# What kind of quantity an indicator is: only figures of one measure (and one unit) share a chart.
MEASURES = ["annual_flow", "year_end_stock", "cumulative", "planned", "capacity", "event_count", "rate", "class",
            "duration"]
PRICE_BASES = ["current", "comparable", "not_stated", "not_applicable"]
MONEY_PRICE_BASES = ["current", "comparable", "not_stated"]
RATIO_TYPES = ["share", "equivalent_to", "per_unit_average", "intensity"]
# A figure's price basis when its source states one (按可比价格计算 → comparable); blank means "as the
# registry gives the indicator".
FIGURE_PRICE_BASIS = ["comparable", "current"]
# A table row copied as text: cells between "|" (or the full-width ｜), or between tabs.
TABLE_CELL_SEPARATOR = re.compile(r"[|｜\t]")


def is_number(text) -> bool:
    return isinstance(text, str) and NUMBER.fullmatch(text) is not None and math.isfinite(float(text))


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


MULTIPLIER = re.compile(r"^(?:万亿|亿|万|千|百)")


def convertible(units: dict, unit: str, registry_unit) -> bool:
    """The same unit, or one that converts to it exactly by the units' `factor`.

    Two units convert when they are the same unit with another multiplier (万人 and 人, 吨 and 万吨,
    万元 and 亿元) or share a non-empty English base (亿斤 and 万吨 both count tonnes). Bare counts
    (base_en "") convert only by multiplier, so 个 never becomes 家.
    """
    if unit == registry_unit:
        return True
    a, b = units.get(unit), units.get(registry_unit)
    if not isinstance(a, dict) or not isinstance(b, dict) or not a.get("factor") or not b.get("factor"):
        return False
    base_a, base_b = a.get("base_en", ""), b.get("base_en", "")
    if base_a and base_b:
        return base_a == base_b
    return MULTIPLIER.sub("", unit) == MULTIPLIER.sub("", str(registry_unit))


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
    return pa.Check(years.is_year, element_wise=True, error=f"must be {years.RULE}")


def themes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "order": pa.Column(int, pa.Check.ge(0), unique=True, coerce=True),
            "title_zh": _text(_required()),
            "title_en": _text(_required()),
        }
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _optional_one_of(values, what: str) -> pa.Check:
    allowed = sorted(set(values))
    return pa.Check(lambda v: _blank(v) or v in allowed, element_wise=True,
                    error=f"unknown {what}; expected blank or one of {allowed}")


def _rank(value) -> bool:
    return _blank(value) or (isinstance(value, int) and not isinstance(value, bool) and value >= 1)


def indicators_schema(theme_ids, units, scope_ids=()) -> pa.DataFrameSchema:
    def price_basis_fits_kind(frame):
        money = frame["kind"] == "money"
        return (money & frame["price_basis"].isin(MONEY_PRICE_BASES)) | (~money & (frame["price_basis"] == "not_applicable"))

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
            "id": _text(_snake_id(), unique=True),
            "theme": _text(_one_of(theme_ids, "theme id")),
            "name_zh": _text(_required()),
            "name_en": _text(_required()),
            "unit": _text(_one_of(units, "unit (add it to data/units.yml)")),
            "kind": _text(_one_of(INDICATOR_KINDS, "kind")),
            "measure": _text(_one_of(MEASURES, "measure")),
            "price_basis": _text(_one_of(PRICE_BASES, "price basis")),
            "scope": pa.Column(None, _optional_one_of(scope_ids, "scope (add it to data/scopes.yml)"), nullable=True),
            "headline": pa.Column(None, pa.Check(_rank, element_wise=True, error="must be blank or a whole rank from 1"),
                                  nullable=True),
            # bulletin_headline: the rank of a statistical bulletin's headline indicator, for the list
            # of what a year's sources do not publish; key_figure: the landing page's order.
            "bulletin_headline": pa.Column(None, pa.Check(_rank, element_wise=True,
                                                          error="must be blank or a whole rank from 1"), nullable=True,
                                           required=False),
            "key_figure": pa.Column(None, pa.Check(_rank, element_wise=True,
                                                   error="must be blank or a whole rank from 1"), nullable=True,
                                    required=False),
            "chart_group": pa.Column(None, pa.Check(lambda v: _blank(v) or (isinstance(v, str) and bool(re.match(SNAKE_CASE, v))),
                                                    element_wise=True, error="must be blank or a snake_case id"),
                                     nullable=True),
            "entity": pa.Column(None, pa.Check(lambda v: _blank(v) or (isinstance(v, str) and bool(re.match(SNAKE_CASE, v))),
                                               element_wise=True, error="must be blank or a snake_case id"),
                                nullable=True),
            "description": _text(_required()),
        },
        checks=[
            _row_check("entity", "a count must name the kind of thing it counts (entity: firm, project, …)",
                       count_names_its_entity),
            _row_check("price_basis", "money indicators take current, comparable or not_stated; others not_applicable",
                       price_basis_fits_kind),
            _row_check("headline", "two indicators of one theme share this headline rank", headline_unique_per_theme),
        ],
    )


def scopes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "name_zh": _text(_required()),
            "name_en": _text(_required()),
            "note_zh": _text(_required()),
            "note_en": _text(_required()),
        }
    )


def sources_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "title": _text(_required()),
            "publisher": _text(_required()),
            # The publisher in Chinese for the Chinese edition (domain names kept as names); blank, like
            # note_zh, for a source `add` registers before a reviewer writes it (tests/test_tables checks data/).
            "publisher_zh": pa.Column(None, pa.Check(lambda v: isinstance(v, str), element_wise=True,
                                                     error="must be text"), required=False),
            "authors": _text(),
            "date": _text(),
            "url": _text(pa.Check(lambda v: v == "" or v.startswith(("http://", "https://")),
                                  element_wise=True, error="must be empty or an http(s) address")),
            "language": _text(_required()),
            "reliability": _text(_one_of(RELIABILITY, "reliability")),
            "status": _text(_one_of(SOURCE_STATUS, "status")),
            "note": _text(_required()),
            # The note in Chinese for the Chinese edition's methods page; blank until a reviewer writes
            # it (a source added by `extract`/`add` arrives without it; tests/test_tables checks data/).
            "note_zh": pa.Column(None, pa.Check(lambda v: isinstance(v, str), element_wise=True, error="must be text"),
                                 required=False),
            "kind": _text(_one_of(SOURCE_KINDS, "source kind")),
            # title_en: the book's translation of a Chinese title (countybook/data/translations.py
            # requires one for every Chinese title). copy_of: the original publication a repost, mirror,
            # report or translation reproduces; the book cites the original and says it read this copy.
            "title_en": pa.Column(None, pa.Check(lambda v: isinstance(v, str), element_wise=True,
                                                 error="must be text"), required=False),
            "copy_of": pa.Column(None, pa.Check(lambda v: isinstance(v, str), element_wise=True,
                                                error="must be text"), required=False),
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


# A source's rank as a record of official figures, best first, by its kind: the statistics bureau's
# bulletin, then the government's work report, then a release of a department (a statistics bureau's
# release, a government website, a plan report's office), then anything a medium relays.
SOURCE_TIERS = {"statistical_bulletin": "bulletin", "government_report": "work_report",
                "statistical_release": "departmental_release", "departmental_release": "departmental_release",
                "government_site": "departmental_release",
                "printed_gazetteer": "departmental_release", "press_release": "media_report",
                "news_agency_report": "media_report", "news_report": "media_report",
                "newspaper_feature": "media_report", "secondary_summary": "media_report",
                "reference_page": "media_report", "blog": "media_report"}
TIER_ORDER = ["bulletin", "work_report", "departmental_release", "media_report"]


def quote_translations_schema() -> pa.DataFrameSchema:
    """data/quotes_en.csv: the book's English rendering of each Chinese quote, keyed by the quote itself
    (one translation however many rows cite the clause), numbers written as the quote prints them."""
    return pa.DataFrameSchema(
        {
            "quote": _text(_required(), unique=True),
            "quote_en": _text(_required()),
        },
        checks=[
            _row_check("quote_en", "must keep every number of the quote as printed (187.5亿元: 187.5 hundred "
                                   "million yuan)", lambda f: f.apply(lambda r: numbers_kept(r["quote"], r["quote_en"]),
                                                                      axis=1)),
        ],
    )


def numbers_kept(quote: str, english: str) -> bool:
    """Every number printed in the quote appears, whole, in its English rendering."""
    return all(re.search(rf"(?<![\d.]){re.escape(n)}(?!\.?\d)", english)
               for n in re.findall(r"[0-9]+(?:\.[0-9]+)?", simplified(quote)))


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
            "type": _text(_one_of(MILESTONE_TYPES, "milestone type")),
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
            "type": _text(_one_of(RATIO_TYPES, "ratio type")),
            "unit": _text(_required()),
            "unit_en": _text(_required()),
            "per_en": _text(),
        }
    )


# --- Benchmarks: figures for the areas Guanyun is compared with ---------------------------------
AREA_LEVELS = ["nation", "province", "city", "county"]
COMPARISON_KINDS = ["equivalent", "related"]
# What a declared related-concept pair may differ in; a difference in measure is never allowed.
COMPARISON_DIFFERENCES = ["concept", "price_basis", "scope"]
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


def areas_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "level": _text(_one_of(AREA_LEVELS, "area level")),
            "name_zh": _text(_required()),
            "name_en": _text(_required()),
            "parent": _text(),
            "subject": pa.Column(None, pa.Check(lambda v: isinstance(v, bool), element_wise=True,
                                                error="must be true or false (unquoted)")),
        },
        checks=[
            _row_check("parent", "unknown parent area id",
                       lambda f: (f["parent"] == "") | f["parent"].isin(f["id"])),
            _row_check("subject", "only one area can be the book's subject",
                       lambda f: ~f["subject"].astype(bool) | (f["subject"].astype(bool).sum() == 1)),
            _row_check("subject", "no area is marked as the book's subject (subject: true)",
                       lambda f: pd.Series(f["subject"].astype(bool).sum() > 0, index=f.index)),
        ],
    )


def benchmarks_schema(indicator_units: dict, units: dict, qualifier_ids, used_source_ids,
                      areas: pd.DataFrame) -> pa.DataFrameSchema:
    """indicator_units: registry unit of every indicator, benchmark-only ones included."""
    level_of = dict(zip(areas["id"], areas["level"]))
    subjects = set(areas.loc[areas["subject"].astype(bool), "id"])

    def convertible(row) -> bool:
        wanted = indicator_units.get(row["indicator"])
        if not row["unit"] or wanted is None or row["unit"] not in units:
            return True  # blank units and unknown ids are reported by their own checks
        if row["unit"] == wanted:
            return True
        base = units[row["unit"]].get("base_en")
        return bool(base) and base == units.get(wanted, {}).get("base_en")

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
            "value": _text(pa.Check(is_number_or_blank, element_wise=True,
                                    error="must be blank or a number as published, without separators")),
            "unit": _text(pa.Check(lambda v: v == "" or v in units, element_wise=True,
                                   error="unknown unit (add it to data/units.yml)")),
            "qualifier": _text(_one_of(qualifier_ids, "qualifier")),
            "yoy_pct": _text(pa.Check(is_number_or_blank, element_wise=True, error="must be blank or a number, e.g. 5.8")),
            "price_basis": _text(_one_of(PRICE_BASES, "price basis")),
            "source": _text(_one_of(used_source_ids, "source id (or the source is marked excluded)")),
            "quote": _text(_required()),
        },
        checks=[
            _row_check("area", "is the book's own county: its figures belong in data/figures.csv",
                       lambda f: ~f["area"].isin(subjects)),
            _row_check("area_level", "differs from the level data/areas.yml gives this area",
                       lambda f: f["area"].map(level_of).isna() | (f["area_level"] == f["area"].map(level_of))),
            _row_check("value", "a benchmark needs a value or a growth rate",
                       lambda f: (f["value"] != "") | (f["yoy_pct"] != "")),
            _row_check("unit", "a value needs its unit, and only a value has one",
                       lambda f: (f["value"] == "") == (f["unit"] == "")),
            _row_check("unit", "cannot be converted to the unit the registry gives this indicator",
                       lambda f: f.apply(convertible, axis=1)),
            _row_check("value", "must not be negative", lambda f: numeric(f["value"], lambda v: v >= 0)),
            _row_check("yoy_pct", "a fall of 100% or more cannot be a growth rate",
                       lambda f: numeric(f["yoy_pct"], lambda v: v > -100)),
            _row_check("quote", "does not contain the value followed by its unit, as written",
                       lambda f: f.apply(quoted, axis=1)),
            _row_check("quote", "does not contain the growth rate as written (e.g. 5.8% or 5.8 percent)",
                       lambda f: f.apply(lambda row: benchmark_growth_quoted(row["yoy_pct"], row["quote"]), axis=1)),
            _row_check("year", "duplicate (area, indicator, year, price_basis): one benchmark each",
                       lambda f: ~f.duplicated(["area", "indicator", "year", "price_basis"], keep=False)),
        ],
    )


def comparisons_schema(indicator_ids) -> pa.DataFrameSchema:
    def differences_ok(value) -> bool:
        return isinstance(value, list) and all(item in COMPARISON_DIFFERENCES for item in value)

    return pa.DataFrameSchema(
        {
            "id": _text(_snake_id(), unique=True),
            "kind": _text(_one_of(COMPARISON_KINDS, "comparison kind")),
            "a": _text(_one_of(indicator_ids, "indicator id")),
            "b": _text(_one_of(indicator_ids, "indicator id")),
            "differs_in": pa.Column(None, pa.Check(differences_ok, element_wise=True,
                                                   error=f"must be a list drawn from {COMPARISON_DIFFERENCES}")),
            "note_en": _text(_required()),
            "note_zh": _text(_required()),
        },
        checks=[
            _row_check("differs_in", "an equivalent pair is one concept and differs in nothing; a related pair "
                                     "must say what differs",
                       lambda f: f.apply(lambda r: (r["kind"] == "equivalent") == (len(r["differs_in"]) == 0)
                                         if isinstance(r["differs_in"], list) else True, axis=1)),
            _row_check("b", "a pair is declared once", lambda f: ~f.apply(
                lambda r: tuple(sorted((r["a"], r["b"]))), axis=1).duplicated(keep=False)),
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
            "id": _text(_snake_id(), unique=True),
            "term_zh": _text(_required()),
            "term_en": _text(_required()),
            "definition_en": _text(_required()),
            "definition_zh": _text(_required()),
            "source": _text(_required()),
            "url": _text(pa.Check(lambda v: v == "" or v.startswith(("http://", "https://")),
                                  element_wise=True, error="must be empty or an http(s) address")),
            "quote": _text(),
            "match": pa.Column(None, pa.Check(match_ok, element_wise=True, error="must be a non-empty list of strings")),
        },
        checks=[_row_check("match", "a match string belongs to two terms: a use could not be linked to one",
                           claimed_twice)],
    )

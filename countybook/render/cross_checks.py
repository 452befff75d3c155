"""The benchmarks' own cross-year check on the methods page: does each published growth rate agree
with the two published levels it joins (countybook.data.crosscheck)?"""

from __future__ import annotations

from ..data import Dataset
from ..data.crosscheck import cross_year_check_benchmarks
from .citations import html_table
from .edition import Edition
from .messages import say
from .text import html_escape


def benchmark_cross_year(ds: Dataset, edition: Edition):
    """The benchmarks' own cross-year check (countybook.data.crosscheck) as a sentence and a table, or None."""
    lang = edition.lang
    checked = cross_year_check_benchmarks(ds)
    if checked.empty:
        return None
    areas = ds.areas.set_index("id")[f"name_{lang}"]
    names = ds.all_indicators().set_index("id")[f"name_{lang}"]
    rows = [
        [
            html_escape(areas[r.area]),
            html_escape(names[r.indicator]),
            say("date.year", lang, year=r.year),
            say("check.published", lang, value=r.published_pct),
            say("check.computed", lang, value=r.computed_pct),
            say("check.difference", lang, value=r.difference_pp),
            say(f"check.{_verdict(r)}", lang),
        ]
        for r in checked.itertuples()
    ]
    sentence = say(
        "check.benchmarks",
        lang,
        checked=say("count.benchmark_checks", lang, count=len(checked)),
        flagged=say("count.flagged", lang, count=int(checked["flagged"].sum())),
    )
    table = html_table(
        [
            say(f"check.col_{column}", lang)
            for column in ("area", "indicator", "year", "published", "computed", "difference", "check")
        ],
        rows,
        "cross-year benchmarks",
    )
    return sentence, table


def _verdict(row) -> str:
    if row.flagged:
        return "differs"
    return "comparable_prices" if row.price_basis == "comparable" and abs(row.difference_pp) > 1 else "consistent"

"""`validate` and `years`: check data/ and report what it holds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataError
from . import derive, translations
from .load import Dataset, load


def add_validate_arguments(parser) -> None:
    parser.add_argument("--data", help="data folder (default: data/ or $COUNTYBOOK_DATA)")


add_years_arguments = add_validate_arguments


def summary(ds: Dataset) -> str:
    figures = derive.figures_for(ds)
    table = pd.crosstab(figures["theme"], figures["year"]).reindex(ds.themes["id"], fill_value=0)
    implied = derive.implied_previous(figures)
    used = ds.sources[ds.sources["status"] == "used"]
    lines = [
        f"data is valid: {len(ds.figures)} figures, {len(ds.indicators)} indicators, {len(ds.projects)} projects, "
        f"{len(ds.milestones)} milestones, {len(used)} sources used ({len(ds.sources) - len(used)} excluded).",
        "",
        "Figures per theme and year:",
        table.to_string(),
        "",
        f"Implied previous-year levels (computed from published growth, never stored): {len(implied)}",
    ]
    lines += [
        f"  {r.indicator} {r.year}: {r.value:.4g} {r.unit} (implied by {r.implied_from_year})"
        for r in implied.itertuples()
    ]
    lines += ["", "Sources used:"]
    counts = figures["source"].value_counts()
    marks = ds.benchmarks["source"].value_counts() if not ds.benchmarks.empty else {}
    lines += [
        f"  {r.id} ({r.reliability}): {counts.get(r.id, 0)} figure{'' if counts.get(r.id, 0) == 1 else 's'}, "
        f"{marks.get(r.id, 0)} benchmark{'' if marks.get(r.id, 0) == 1 else 's'}"
        for r in used.itertuples()
    ]
    lines += cross_year_lines(ds)
    lines += benchmark_lines(ds)
    return "\n".join(lines)


def benchmark_lines(ds: Dataset) -> list[str]:
    """Benchmarks per area and year, the sources they rest on, and their own cross-year check."""
    from .crosscheck import cross_year_check_benchmarks

    marks = ds.benchmarks
    if marks.empty:
        return ["", "Benchmarks: none (data/benchmarks.csv holds no rows)."]
    names = ds.areas.set_index("id")["name_en"]
    table = pd.crosstab(marks["area"].map(names), marks["year"])
    lines = [
        "",
        f"Benchmarks: {len(marks)} figures of {marks['area'].nunique()} areas, "
        f"{marks['indicator'].nunique()} indicators ({len(ds.benchmark_indicators)} benchmark-only), "
        f"{marks['yoy_pct'].notna().sum()} with a growth rate, from {marks['source'].nunique()} sources; "
        f"{len(ds.comparisons)} declared comparison rules.",
        table.to_string(),
    ]
    checked = cross_year_check_benchmarks(ds)
    if checked.empty:
        return lines + ["Benchmark cross-year check: no area has two consecutive levels and a growth rate."]
    lines.append("Benchmark cross-year check (comparable-price growth is not expected to match current-price levels):")
    for r in checked.itertuples():
        verdict = "DIFFERS" if r.flagged else ("ok" if abs(r.difference_pp) <= 1 else f"{r.price_basis} prices")
        lines.append(
            f"  {r.area} {r.indicator} {r.year}: published {r.published_pct:+g}%, computed "
            f"{r.computed_pct:+.1f}% ({r.difference_pp:+.1f} pp) {verdict}"
        )
    return lines


def cross_year_lines(ds: Dataset) -> list[str]:
    from .crosscheck import cross_year_check

    checked = cross_year_check(ds)
    if checked.empty:
        return ["", "Cross-year check: no indicator has two consecutive levels and a published growth rate."]
    lines = ["", "Cross-year check (published growth against the growth of two published levels):"]
    for r in checked.itertuples():
        verdict = "DIFFERS" if r.flagged else "ok"
        lines.append(
            f"  {r.indicator} {r.year}: published {r.published_pct:+g}%, computed "
            f"{r.computed_pct:+.1f}% ({r.difference_pp:+.1f} pp) {verdict}"
        )
    return lines


def validate_main(args) -> int:
    """data/ and the message catalogues: everything a run needs, every problem in one pass."""
    from ..render import catalogue_check

    found = catalogue_check.problems()
    try:
        ds = load(args.data)
    except DataError as err:
        raise DataError(found + err.problems) from None
    # Untranslated titles and quotes do not stop a build (a source `add` registered is shown in its
    # original alone), but the data is not complete until each has the book's English beside it.
    found += translations.untranslated(Path(args.data) if args.data else paths.data_dir())
    if found:
        raise DataError(found)
    print(summary(ds))
    return 0


def years_main(args) -> int:
    print(" ".join(str(year) for year in load(args.data).years()))
    return 0

"""Cross-year check: does a published growth rate agree with the two published levels?

When an indicator has a level for year Y-1 and for year Y, and year Y's figure carries a published
growth rate, the rate implied by the levels, (level_Y / level_Y-1 - 1) × 100, is compared with the
published one. They often differ a little (rounding, comparable-price growth) and sometimes a lot:
the previous year was revised, or the scope changed (the list of enterprises above designated size
规上 is redrawn every year, so 规上 totals are not comparable level to level). Differences larger
than the tolerance, in percentage points, are flagged for the reader, not corrected.
"""

from __future__ import annotations

import math

import pandas as pd

from .load import Dataset

COLUMNS = ("indicator", "year", "published_pct", "computed_pct", "difference_pp", "flagged")


def cross_year_check(dataset: Dataset, tolerance_pp: float = 1.0) -> pd.DataFrame:
    """One row per figure with a published growth rate and a published level the year before.

    Columns: indicator, year, published_pct, computed_pct, difference_pp (published − computed) and
    flagged (|difference| > tolerance_pp). Sorted by indicator and year; empty when nothing is checkable.
    """
    figures = dataset.figures
    # Growth-only figures (no published level) neither are checked nor serve as the year before.
    level = {
        (row.indicator, int(row.year)): float(row.value)
        for row in figures.itertuples()
        if not math.isnan(float(row.value))
    }
    rows = []
    for row in figures.itertuples():
        published = float(row.yoy_pct)
        if math.isnan(published) or math.isnan(float(row.value)):
            continue
        before = level.get((row.indicator, int(row.year) - 1))
        if before is None or before == 0:
            continue
        computed = (float(row.value) / before - 1) * 100
        difference = published - computed
        rows.append(
            {
                "indicator": row.indicator,
                "year": int(row.year),
                "published_pct": published,
                "computed_pct": computed,
                "difference_pp": difference,
                "flagged": bool(abs(difference) > tolerance_pp),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame.astype(
            {"year": int, "published_pct": float, "computed_pct": float, "difference_pp": float, "flagged": bool}
        )
    return frame.sort_values(["indicator", "year"]).reset_index(drop=True)


BENCHMARK_COLUMNS = (
    "area",
    "indicator",
    "year",
    "published_pct",
    "computed_pct",
    "difference_pp",
    "price_basis",
    "flagged",
)


def cross_year_check_benchmarks(dataset: Dataset, tolerance_pp: float = 1.0) -> pd.DataFrame:
    """The same check for benchmarks, area by area, with levels converted to one unit first.

    A growth rate at comparable prices is expected to differ from the change of two current-price levels
    by the price change (GDP, value added), so such rows are listed with their price basis but never
    flagged; a nominal rate (current, or not stated) that differs by more than the tolerance is flagged.
    """
    from .units import to_base

    rows = []
    benchmarks = dataset.benchmarks
    if benchmarks.empty:
        return pd.DataFrame(columns=BENCHMARK_COLUMNS)
    level = {}
    for row in benchmarks.itertuples():
        if not math.isnan(row.value):
            level[(row.area, row.indicator, int(row.year))] = float(to_base(row.value, row.unit, dataset.units))
    for row in benchmarks.itertuples():
        published = float(row.yoy_pct)
        now = level.get((row.area, row.indicator, int(row.year)))
        before = level.get((row.area, row.indicator, int(row.year) - 1))
        if math.isnan(published) or now is None or not before:
            continue
        computed = (now / before - 1) * 100
        difference = published - computed
        rows.append(
            {
                "area": row.area,
                "indicator": row.indicator,
                "year": int(row.year),
                "published_pct": published,
                "computed_pct": computed,
                "difference_pp": difference,
                "price_basis": row.price_basis,
                "flagged": bool(row.price_basis != "comparable" and abs(difference) > tolerance_pp),
            }
        )
    frame = pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)
    return frame.sort_values(["area", "indicator", "year"]).reset_index(drop=True)

"""The like-for-like rules every chart must pass, checked on the drawn figure, not by eye.

`violations(chart)` reads the chart's rows (unit, measure and entity of each bar) and its matplotlib
artists: bars start at zero, there are at least three, not all equal to one, and the legend's box
overlaps no bar. Page refuses to show a chart that breaks a rule, so the runner rejects the edition.
"""

from __future__ import annotations

from matplotlib.patches import Rectangle

MIN_BARS = 3


def _bars(ax) -> list[Rectangle]:
    return [
        patch
        for container in ax.containers
        for patch in container
        if isinstance(patch, Rectangle) and (patch.get_width() != 0 or patch.get_height() != 0)
    ]


def _horizontal(bars: list[Rectangle]) -> bool:
    # seaborn's horizontal bars all start at the same x; vertical ones at the same y.
    return len({round(b.get_x(), 9) for b in bars}) == 1 and len({round(b.get_y(), 9) for b in bars}) > 1


def violations(chart) -> list[str]:
    found = []
    rows = chart.rows
    if chart.kind == "levels":
        if rows["unit"].nunique() != 1:
            found.append(f"mixes units: {sorted(rows['unit'].unique())}")
        if rows["measure"].nunique() != 1:
            found.append(f"mixes measures: {sorted(rows['measure'].unique())}")
        # Blank entities count as one kind of their own: a count without one never reaches a chart
        # (the schema requires it), an amount without one is a plain quantity of its unit. Rows without
        # the column (the GDP structure's three sector shares) are amounts of one kind.
        if "entity" in rows:
            entities = rows["entity"].map(lambda e: e if isinstance(e, str) else "")
            if entities.nunique() != 1:
                found.append(f"mixes entities: {sorted(set(entities))}")
    if chart.kind in ("levels", "growth") and "chart_group" in rows:
        groups = rows["chart_group"].map(lambda g: g if isinstance(g, str) else "")
        if groups.nunique() > 1:
            found.append(f"mixes chart groups kept apart: {sorted(set(groups))}")
    if chart.kind == "context" and rows["related"].any():
        # A related concept (gross output beside value added) is said in a sentence with its caveat, never drawn.
        found.append("draws a related concept beside a different one")
    fig = chart.figure
    barred = [(ax, bars) for ax in fig.axes if (bars := _bars(ax))]
    if not barred:
        return found  # a line chart (the long view's): nothing below applies, and nothing to lay out
    # Laid out without rasterising: the extents below need the text placed, not the pixels (the
    # PNG is drawn once, when the chart is shown; this saved a tenth of a chart's time).
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    for ax, bars in barred:
        horizontal = _horizontal(bars)
        starts = [b.get_x() if horizontal else b.get_y() for b in bars]
        lengths = [b.get_width() if horizontal else b.get_height() for b in bars]
        ends = [s + length for s, length in zip(starts, lengths)]
        if any(abs(min(s, e)) > 1e-9 and min(s, e) > 0 for s, e in zip(starts, ends)):
            found.append("a bar does not start at zero")
        low, high = ax.get_xlim() if horizontal else ax.get_ylim()
        if low > 0 or high < 0:
            found.append(f"the value axis ({low:g} to {high:g}) does not include zero")
        if len(bars) < MIN_BARS:
            found.append(f"only {len(bars)} bars: say it in a sentence")
        if all(abs(v - 1) < 1e-9 for v in chart.bar_values):
            found.append("every bar is 1: a chart shows nothing a sentence would not")
        legend = ax.get_legend()
        if legend is not None:
            box = legend.get_window_extent(renderer)
            if any(box.overlaps(bar.get_window_extent(renderer)) for bar in bars):
                found.append("the legend covers bars")
    return found

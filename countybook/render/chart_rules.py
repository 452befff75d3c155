"""The like-for-like rules every chart must pass, checked on the drawn figure, not by eye.

`violations(chart)` reads the chart's rows (unit and measure of each bar) and its matplotlib
artists: bars start at zero, there are at least three, not all equal to one, and the legend's box
overlaps no bar. Page refuses to show a chart that breaks a rule, so the runner rejects the edition.
"""
from __future__ import annotations

from matplotlib.patches import Rectangle

MIN_BARS = 3


def _bars(ax) -> list[Rectangle]:
    return [patch for container in ax.containers for patch in container
            if isinstance(patch, Rectangle) and (patch.get_width() != 0 or patch.get_height() != 0)]


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
    fig = chart.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        bars = _bars(ax)
        if not bars:
            continue
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

"""countybook.render.chart_rules: each rule catches the chart that breaks it, from the drawn artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from countybook.render import chart_rules  # noqa: E402
from countybook.render.charts import Chart  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def rows(units=("亿元",) * 3, measures=("annual_flow",) * 3, entities=(None,) * 3, groups=(None,) * 3) -> pd.DataFrame:
    return pd.DataFrame(
        {"unit": list(units), "measure": list(measures), "entity": list(entities), "chart_group": list(groups)}
    )


def bar_chart(values, left=0.0, horizontal=True, legend_loc=None, frame=None) -> Chart:
    fig, ax = plt.subplots(figsize=(6, 3))
    labels = [f"item {i}" for i in range(len(values))]
    if horizontal:
        container = ax.barh(labels, values, left=left, label="published")
        ax.set_xlim(left=min(0, left) if left <= 0 else left)
    else:
        container = ax.bar(labels, values, bottom=left, label="published")
    assert container
    if legend_loc is not None:
        ax.legend(**legend_loc)
    return Chart(fig, "alt", "caption", frame if frame is not None else rows(), list(values))


def test_a_good_chart_passes():
    chart = bar_chart([3, 5, 8], legend_loc={"loc": "upper center", "bbox_to_anchor": (0.5, -0.2)})
    assert chart_rules.violations(chart) == []


def test_mixed_units_are_caught():
    assert any(
        "mixes units" in v
        for v in chart_rules.violations(bar_chart([3, 5, 8], frame=rows(units=("亿元", "万元", "亿元"))))
    )


def test_mixed_measures_are_caught():
    frame = rows(measures=("annual_flow", "planned", "cumulative"))
    assert any("mixes measures" in v for v in chart_rules.violations(bar_chart([3, 5, 8], frame=frame)))


def test_bars_not_starting_at_zero_are_caught():
    """A truncated axis (213 to 243) makes a 13% rise fill the chart."""
    chart = bar_chart([30, 25, 20], left=213)
    found = chart_rules.violations(chart)
    assert any("zero" in v for v in found)


def test_vertical_bars_from_a_raised_baseline_are_caught():
    chart = bar_chart([3, 4, 5], left=2, horizontal=False)
    chart.figure.axes[0].set_ylim(2, 10)
    assert any("zero" in v for v in chart_rules.violations(chart))


def test_fewer_than_three_bars_are_caught():
    assert any(
        "only 2 bars" in v
        for v in chart_rules.violations(
            bar_chart(
                [3, 5],
                frame=rows(
                    units=("亿元",) * 2, measures=("annual_flow",) * 2, entities=(None,) * 2, groups=(None,) * 2
                ),
            )
        )
    )


def test_bars_all_one_are_caught():
    assert any("every bar is 1" in v for v in chart_rules.violations(bar_chart([1, 1, 1])))


def test_a_legend_over_the_bars_is_caught():
    chart = bar_chart([8, 8, 8], legend_loc={"loc": "center"})
    assert any("legend covers bars" in v for v in chart_rules.violations(chart))


def test_mixed_entities_are_caught():
    # 117 signed projects beside 9 industrial zones: one unit (个), one measure, two kinds of thing.
    chart = bar_chart(
        [117, 25, 9], frame=rows(("个",) * 3, ("event_count",) * 3, ("project", "project", "industrial_zone"))
    )
    assert any("mixes entities" in v for v in chart_rules.violations(chart))
    same = bar_chart([117, 25, 9], frame=rows(("个",) * 3, ("event_count",) * 3, ("project",) * 3))
    assert chart_rules.violations(same) == []


def test_a_blank_entity_beside_a_named_one_is_caught():
    chart = bar_chart([3, 5, 8], frame=rows(("个",) * 3, ("event_count",) * 3, ("firm", None, "firm")))
    assert any("mixes entities" in v for v in chart_rules.violations(chart))


def test_chart_groups_kept_apart_are_caught():
    chart = bar_chart([280, 78, 17.8], frame=rows(groups=("ecommerce_transactions", "online_retail", None)))
    assert any("chart groups" in v for v in chart_rules.violations(chart))


def test_a_related_concept_drawn_in_a_context_chart_is_caught():
    frame = pd.DataFrame(
        {"area": ["guanyun", "china", "jiangsu"], "indicator": ["a", "b", "a"], "related": [False, True, False]}
    )
    chart = bar_chart([15.5, 5.8, 6.0], frame=frame)
    chart.kind = "context"
    assert any("related concept" in v for v in chart_rules.violations(chart))
    chart.rows = frame.assign(related=False)
    assert chart_rules.violations(chart) == []

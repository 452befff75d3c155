"""The book's one chart theme and the few chart kinds its chapters use.

Every chart has a title, units on its value axis, bilingual indicator labels, a source line under
it, and implied values drawn hatched and lighter with their own legend entry. A chart function
returns None when there is nothing worth drawing; the notebook then shows a sentence instead.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.patches import Patch

from ..data import derive
from . import text
from ..data import Dataset

PALETTE = sns.color_palette("colorblind")
PUBLISHED_COLOUR = PALETTE[0]
IMPLIED_ALPHA = 0.35
LABEL_WIDTH = 28


def setup() -> None:
    """Register the bundled open-licensed CJK font (Noto Sans SC) and apply the theme."""
    import pylopdf_fonts_zh_cn

    font_manager.fontManager.addfont(str(pylopdf_fonts_zh_cn.sans_path()))
    family = font_manager.FontProperties(fname=str(pylopdf_fonts_zh_cn.sans_path())).get_name()
    sns.set_theme(style="whitegrid", palette=PALETTE, font=family, font_scale=1.0)
    plt.rcParams.update(
        {
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,  # the CJK font lacks U+2212
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titlesize": 13,
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "svg.hashsalt": "countybook",
        }
    )


def bilingual(name_en: str, name_zh: str) -> str:
    return "\n".join(textwrap.wrap(name_en, LABEL_WIDTH)) + f"\n{name_zh}"


def source_line(ds: Dataset, source_ids, implied: bool = False) -> str:
    titles = ds.sources.set_index("id").loc[sorted(set(source_ids))]
    cited = "; ".join(f"{row.publisher}, {row.title}" + (f" ({row.date})" if row.date else "")
                      for row in titles.itertuples())
    extra = " Lighter hatched bars: implied previous-year level = value ÷ (1 + growth/100), computed." if implied else ""
    return "\n".join(textwrap.wrap(f"Source: {cited}.{extra}", 110))


def _finish(fig, ax, ds: Dataset, title: str, sources, implied: bool = False):
    ax.set_title("\n".join(textwrap.wrap(title, 60)), loc="left")
    text = source_line(ds, sources, implied)
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=8, color="#444444")
    fig.tight_layout(rect=(0, 0.04 + 0.025 * text.count("\n"), 1, 1))
    return fig


def _height(rows: int) -> float:
    return max(2.8, 0.75 * rows + 1.6)


def levels_chart(ds: Dataset, figures: pd.DataFrame, unit: str, title: str):
    """Horizontal bars of figures sharing one unit; implied previous-year levels beside them."""
    chosen = derive.levels(figures[figures["unit"] == unit])  # a growth-only figure has no bar
    if chosen.empty:
        return None
    implied = derive.implied_previous(chosen)
    rows = pd.concat([chosen, implied], ignore_index=True)
    rows["label"] = [bilingual(e, z) for e, z in zip(rows["name_en"], rows["name_zh"])]
    rows["series"] = [f"{y} ({'implied' if b == derive.IMPLIED else 'published'})"
                      for y, b in zip(rows["year"], rows["basis"])]
    order = list(rows[rows["basis"] == derive.PUBLISHED].sort_values("value", ascending=False)["label"])
    fig, ax = plt.subplots(figsize=(9, _height(len(order) * (1.4 if not implied.empty else 1))))
    hue_order = sorted(rows["series"].unique())
    sns.barplot(data=rows, y="label", x="value", hue="series", order=order, hue_order=hue_order,
                palette=[PUBLISHED_COLOUR] * len(hue_order), ax=ax, orient="h", legend=False)
    # Bar labels keep the source's wording: ">1.2" for 超1.2, and the implied level as computed.
    symbols = dict(zip(ds.qualifiers["id"], ds.qualifiers["symbol"]))
    label_of = {(r.series, r.label): symbols.get(r.qualifier, "") + r.value_text if r.basis == derive.PUBLISHED
                else text.number(r.value) for r in rows.itertuples()}
    handles = []
    for container, series in zip(ax.containers, hue_order):
        implied_series = "implied" in series
        for patch in container:
            patch.set_alpha(IMPLIED_ALPHA if implied_series else 1)
            patch.set_hatch("//" if implied_series else None)
        ax.bar_label(container, padding=3, fontsize=9, labels=[
            label_of.get((series, order[round(p.get_y() + p.get_height() / 2)]), "") for p in container])
        handles.append(Patch(facecolor=PUBLISHED_COLOUR, alpha=IMPLIED_ALPHA if implied_series else 1,
                             hatch="//" if implied_series else None, label=series))
    ax.legend(handles=handles, loc="lower right", fontsize=9)
    unit_en = ds.units.get(unit, {}).get("en", unit)
    ax.set_xlabel(f"{unit} ({unit_en})")
    ax.set_ylabel("")
    ax.margins(x=0.15)
    return _finish(fig, ax, ds, title, chosen["source"], implied=not implied.empty)


def growth_chart(ds: Dataset, figures: pd.DataFrame, title: str):
    """Published year-on-year growth rates, ranked."""
    ranked = derive.growth_ranking(figures)
    if ranked.empty:
        return None
    ranked["label"] = [bilingual(e, z) for e, z in zip(ranked["name_en"], ranked["name_zh"])]
    fig, ax = plt.subplots(figsize=(9, _height(len(ranked))))
    sns.barplot(data=ranked, y="label", x="yoy_pct", color=PALETTE[2], ax=ax, orient="h")
    ax.bar_label(ax.containers[0], fmt="%+.1f%%", padding=3, fontsize=9)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel("Published year-on-year growth (%) · 同比增长")
    ax.set_ylabel("")
    ax.margins(x=0.15)
    return _finish(fig, ax, ds, title, ranked["source"])


def history_chart(ds: Dataset, history: pd.DataFrame, title: str):
    """Indicators published in more than one year, one small line per indicator."""
    if history.empty:
        return None
    history = history.copy()
    history["label"] = [bilingual(e, z) for e, z in zip(history["name_en"], history["name_zh"])]
    fig, ax = plt.subplots(figsize=(9, 4))
    sns.lineplot(data=history, x="year", y="value", hue="label", marker="o", errorbar=None, ax=ax)
    ax.set_xticks(sorted(history["year"].unique()))
    units = sorted(history["unit"].unique())
    ax.set_ylabel(" / ".join(f"{u} ({ds.units.get(u, {}).get('en', u)})" for u in units))
    ax.set_xlabel("Year")
    ax.legend(fontsize=8, loc="best")
    return _finish(fig, ax, ds, title, history["source"])


def projects_chart(ds: Dataset, projects: pd.DataFrame, title: str):
    """Named projects counted by stage, in stage order."""
    if projects.empty:
        return None
    stages = ds.stages
    labels = {row.id: f"{row.en}\n{row.zh}" for row in stages.itertuples()}
    counts = projects["stage"].value_counts().reindex(stages["id"]).dropna()
    frame = pd.DataFrame({"stage": [labels[s] for s in counts.index], "projects": counts.values})
    fig, ax = plt.subplots(figsize=(9, 3.6))
    sns.barplot(data=frame, x="stage", y="projects", color=PALETTE[4], ax=ax)
    ax.bar_label(ax.containers[0], fmt="%d", padding=2, fontsize=9)
    ax.set_ylabel("Named projects (count) · 项目数")
    ax.set_xlabel("Stage reached in the year · 阶段")
    return _finish(fig, ax, ds, title, projects["source"])


def milestones_chart(ds: Dataset, milestones: pd.DataFrame, title: str):
    """Qualitative milestones counted by level of recognition and by field."""
    if milestones.empty:
        return None
    levels = ["national", "provincial", "municipal", "county"]
    table = pd.crosstab(milestones["field"], milestones["level"]).reindex(columns=levels, fill_value=0)
    long = table.reset_index().melt(id_vars="field", var_name="level", value_name="milestones")
    fig, ax = plt.subplots(figsize=(9, _height(len(table))))
    sns.barplot(data=long, y="field", x="milestones", hue="level", hue_order=levels, ax=ax, orient="h",
                palette=PALETTE[:4])
    ax.set_xlabel("Milestones (count) · 里程碑数")
    ax.set_ylabel("")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="Level", fontsize=9)
    return _finish(fig, ax, ds, title, milestones["source"])


def coverage_heatmap(ds: Dataset, title: str):
    """Which years hold which indicators: the data's coverage at a glance."""
    table = derive.coverage(ds)
    if table.empty:
        return None
    names = ds.indicators.set_index("id")
    table.index = [f"{names.loc[i, 'name_en'][:40]} · {names.loc[i, 'name_zh']}" for i in table.index]
    fig, ax = plt.subplots(figsize=(9, max(4, 0.2 * len(table) + 1.5)))
    sns.heatmap(table, cmap=sns.light_palette(PALETTE[0], as_cmap=True), cbar=False, linewidths=0.5,
                linecolor="white", ax=ax, yticklabels=True)
    ax.tick_params(axis="y", labelsize=6)
    ax.set_xlabel("Year (dark: a published figure exists)")
    ax.set_ylabel("")
    return _finish(fig, ax, ds, title, ds.figures["source"])


# Which groups say most about scale: money first, then physical quantities, then scaled counts
# (万头) before tallies of things (个, 家), which are often small and lumpy.
KIND_PRIORITY = {"money": 0, "volume": 1, "area": 2, "length": 2, "capacity": 3, "count": 4}


def largest_units(figures: pd.DataFrame, count: int = 2) -> list[str]:
    """The units to chart side by side: shared by several figures, then by kind, then by size of group."""
    sizes = figures["unit"].value_counts()
    kinds = figures.groupby("unit")["kind"].first()

    def rank(unit):
        tally = kinds[unit] == "count" and not unit.startswith(("万", "亿"))
        kind = KIND_PRIORITY.get(kinds[unit], 5) + (1 if tally else 0)
        return (sizes[unit] < 2, kind, -sizes[unit], unit)

    return sorted(sizes.index, key=rank)[:count]

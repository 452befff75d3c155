"""The book's one chart theme and the few chart kinds its chapters use.

A chart compares like with like: its bars are figures of one unit AND one measure (annual flows
with annual flows, never a planned amount beside an output or a cumulative stock), drawn from zero,
at least three of them and not all equal to one; otherwise the chapter says it in a sentence.
The English edition shows values in English units (18.75 billion yuan, not 187.5 亿元), the Chinese
edition in the registry's unit as published (catalogue setting `number.style`). Each chart carries its
alt text, written from its data, and `chart_rules.violations` checks every drawn chart.
"""
from __future__ import annotations

import base64
import struct
import textwrap
import unicodedata
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.patches import Patch

from ..data import Dataset, derive
from . import numbers, text
from .chart_rules import MIN_BARS
from .messages import DEFAULT_LANGUAGE, say

PALETTE = sns.color_palette("colorblind")
PUBLISHED_COLOUR = PALETTE[0]
GROWTH_COLOUR = PALETTE[2]
STAGE_COLOUR = PALETTE[4]
IMPLIED_ALPHA = 0.35
LABEL_WIDTH = 34

# Which groups say most about scale: money first, then physical quantities, then counts.
KIND_PRIORITY = {"money": 0, "volume": 1, "area": 2, "length": 2, "capacity": 3, "count": 4}


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


# Charts are drawn at twice their screen resolution (about 260 pixels per inch on an A4 page of the
# print edition) and shown at their screen size, as IPython's "retina" format does.
PRINT_SCALE = 2


def png_output(figure) -> tuple[dict, dict]:
    """The display data of a chart (PNG at PRINT_SCALE, and matplotlib's text form, which the
    runner's check recognises as a figure) and its metadata: the size to show it at."""
    from IPython.core.pylabtools import print_figure

    png = print_figure(figure, fmt="png", bbox_inches="tight", dpi=figure.dpi * PRINT_SCALE)
    width, height = _png_size(png)
    return ({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": repr(figure)},
            {"image/png": {"width": width // PRINT_SCALE, "height": height // PRINT_SCALE}})


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])  # the IHDR chunk, right after the signature


@dataclass
class Chart:
    """A drawn chart with what the rules and the reader need: its rows, alt text and caption."""
    figure: object
    alt: str
    caption: str
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    bar_values: list[float] = field(default_factory=list)
    kind: str = "levels"


def _columns(text: str) -> int:
    """Width in Latin-letter columns: a CJK character is drawn about twice as wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """Lines of about `width` Latin letters; Chinese, which has no spaces and wider glyphs, at half as many characters."""
    if label and _columns(label) > 1.5 * len(label):  # mostly Chinese; an English line citing a Chinese title keeps its width
        width = max(1, round(width * len(label) / _columns(label)))
    return "\n".join(textwrap.wrap(label, width))


def source_line(ds: Dataset, source_ids, implied: bool = False, lang: str = DEFAULT_LANGUAGE) -> str:
    titles = ds.sources.set_index("id").loc[sorted(set(source_ids))]
    cited = say("list.semicolon", lang).join(
        say("chart.source_item", lang, publisher=text.publisher(row, lang), title=row.title,
            date=say("chart.source_date", lang, date=row.date) if row.date else "")
        for row in titles.itertuples())
    note = say("chart.implied_note", lang) if implied else ""
    return wrap(say("chart.source", lang, sources=cited) + note, 110)


def _finish(fig, ax, ds: Dataset, title: str, sources, implied: bool = False, lang: str = DEFAULT_LANGUAGE):
    ax.set_title(wrap(title, 60), loc="left")
    line = source_line(ds, sources, implied, lang)
    fig.text(0.01, 0.005, line, ha="left", va="bottom", fontsize=8, color="#444444")
    fig.tight_layout(rect=(0, 0.04 + 0.025 * line.count("\n"), 1, 1))
    return fig


def _height(rows: int) -> float:
    return max(3.0, 0.6 * rows + 2.0)


# --------------------------------------------------------------------------- like-for-like groups

def group_key(row) -> tuple:
    """Figures may share a chart only when theme, chart group, unit and measure all agree."""
    group = row.get("chart_group")
    return (row["theme"], group if isinstance(group, str) else "", row["unit"], row["measure"])


def level_groups(figures: pd.DataFrame) -> list[pd.DataFrame]:
    """Groups of the year's published figures that make a like-for-like chart, most telling first."""
    figures = derive.levels(figures)  # a growth-only figure has no bar
    if figures.empty:
        return []
    keyed = figures.assign(_key=[group_key(r) for _, r in figures.iterrows()])
    groups = []
    for _, group in keyed.groupby("_key", sort=False):
        values = group["value"]
        if len(group) < MIN_BARS or (values == 1).all():
            continue
        groups.append(group.drop(columns="_key"))
    return sorted(groups, key=lambda g: (KIND_PRIORITY.get(g["kind"].iloc[0], 5), -len(g)))


def _display_scale(base_values: list[float], base_en: str) -> tuple[float, str]:
    """One scale for a whole axis: the largest value decides (billion yuan, million head, …)."""
    largest = max(abs(v) for v in base_values) if base_values else 0
    for size, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if largest >= size:
            return size, f"{name} {base_en}".strip()
    return 1.0, base_en


def _axis(rows: pd.DataFrame, unit: str, ds: Dataset, lang: str) -> tuple[list[float], str]:
    """Bar lengths and the axis's unit: English units scaled by the largest bar (billion yuan), or the
    registry's unit as published (亿元), in which every row's value is already held; the edition's value
    style (text.style, from the catalogue's `number.style`) decides."""
    if not text.style(lang).shows_english:
        return list(rows["value"].astype(float)), unit
    spec = ds.units[unit]
    base = [float(numbers.to_base(r.value_text, unit, ds.units)) if r.basis == derive.PUBLISHED
            else r.value * float(spec.get("factor", 1)) for r in rows.itertuples()]
    size, unit_label = _display_scale(base, spec.get("base_en", ""))
    return [b / size for b in base], unit_label


def _group_title(ds: Dataset, group: pd.DataFrame, unit_label: str, lang: str = DEFAULT_LANGUAGE) -> str:
    measure = say(f"measure_name.{group['measure'].iloc[0]}", lang)
    theme = ds.themes.set_index("id").loc[group["theme"].iloc[0], f"title_{lang}"]
    return say("chart.group_title", lang, theme=theme, measure=measure,
               unit=say("chart.group_unit", lang, unit=unit_label) if unit_label else "")


def levels_chart(ds: Dataset, group: pd.DataFrame, year: int, lang: str = DEFAULT_LANGUAGE) -> Chart | None:
    """Horizontal bars of one like-for-like group, implied previous-year levels beside their figures."""
    if len(group) < MIN_BARS:
        return None
    unit = group["unit"].iloc[0]
    implied = derive.implied_previous(group)
    rows = pd.concat([group, implied], ignore_index=True)
    rows["shown"], unit_label = _axis(rows, unit, ds, lang)
    rows["label"] = [wrap(name) for name in rows[f"name_{lang}"]]
    rows["series"] = [say("chart.series_implied" if b == derive.IMPLIED else "chart.series_published", lang, year=y)
                      for y, b in zip(rows["year"], rows["basis"])]
    implied_series = set(rows.loc[rows["basis"] == derive.IMPLIED, "series"])
    order = list(rows[rows["basis"] == derive.PUBLISHED].sort_values("shown", ascending=False)["label"])
    hue_order = sorted(rows["series"].unique())
    fig, ax = plt.subplots(figsize=(9, _height(len(order) * (1.4 if not implied.empty else 1))))
    sns.barplot(data=rows, y="label", x="shown", hue="series", order=order, hue_order=hue_order,
                palette=[PUBLISHED_COLOUR] * len(hue_order), ax=ax, orient="h", legend=False)
    symbols = dict(zip(ds.qualifiers["id"], ds.qualifiers["symbol"]))
    label_of = {(r.series, r.label): symbols.get(r.qualifier, "") + numbers.derived(r.shown) for r in rows.itertuples()}
    handles = []
    for container, series in zip(ax.containers, hue_order):
        is_implied = series in implied_series
        for patch in container:
            patch.set_alpha(IMPLIED_ALPHA if is_implied else 1)
            patch.set_hatch("//" if is_implied else None)
        ax.bar_label(container, padding=3, fontsize=9, labels=[
            label_of.get((series, order[round(p.get_y() + p.get_height() / 2)]), "") for p in container])
        handles.append(Patch(facecolor=PUBLISHED_COLOUR, alpha=IMPLIED_ALPHA if is_implied else 1,
                             hatch="//" if is_implied else None, label=series))
    if len(handles) > 1:
        # Below the plot, never over the bars.
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(handles),
                  fontsize=9, frameon=False)
    what = say(f"measure_name.{group['measure'].iloc[0]}", lang)
    ax.set_xlabel(unit_label or what)
    ax.set_ylabel("")
    ax.set_xlim(left=0)
    ax.margins(x=0.15)
    published = rows[rows["basis"] == derive.PUBLISHED].sort_values("shown", ascending=False)
    values = say("list.semicolon", lang).join(
        say("alt.item", lang, label=getattr(r, f"name_{lang}"), value=text.value(r._asdict(), ds, lang))
        for r in published.itertuples())
    title = _group_title(ds, group, unit_label, lang)
    fig = _finish(fig, ax, ds, say("chart.levels_title", lang, group=title, year=year), group["source"],
                  implied=not implied.empty, lang=lang)
    return Chart(fig, say("alt.levels", lang, what=what, values=values,
                          unit=say("alt.levels_unit", lang, unit=unit_label) if unit_label else ""),
                 say("caption.levels", lang, count=numbers.scaled(len(group), ""), measure=what), rows,
                 list(rows["shown"]))


def growth_chart(ds: Dataset, figures: pd.DataFrame, year: int, lang: str = DEFAULT_LANGUAGE) -> Chart | None:
    """Published year-on-year growth rates, ranked; at least three."""
    ranked = derive.growth_ranking(figures)
    if len(ranked) < MIN_BARS:
        return None
    ranked["label"] = [wrap(name) for name in ranked[f"name_{lang}"]]
    fig, ax = plt.subplots(figsize=(9, _height(len(ranked))))
    sns.barplot(data=ranked, y="label", x="yoy_pct", color=GROWTH_COLOUR, ax=ax, orient="h")
    ax.bar_label(ax.containers[0], labels=[numbers.percent_change(v) for v in ranked["yoy_pct"]], padding=3, fontsize=9)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(say("chart.growth_axis", lang))
    ax.set_ylabel("")
    low, high = min(0, ranked["yoy_pct"].min()), max(0, ranked["yoy_pct"].max())
    ax.set_xlim(low * 1.2, high * 1.2)
    values = say("list.semicolon", lang).join(
        say("alt.item", lang, label=getattr(r, f"name_{lang}"), value=numbers.percent_change(r.yoy_pct))
        for r in ranked.itertuples())
    fig = _finish(fig, ax, ds, say("chart.growth_title", lang, year=year), ranked["source"], lang=lang)
    return Chart(fig, say("alt.growth", lang, values=values), say("caption.growth", lang), ranked,
                 list(ranked["yoy_pct"]), kind="growth")


def stage_counts(ds: Dataset, projects: pd.DataFrame) -> pd.Series:
    """Named projects per stage reached, in stage order; empty when they would not make a chart."""
    counts = projects["stage"].value_counts().reindex(ds.stages["id"]).dropna()
    return counts.iloc[0:0] if len(counts) < MIN_BARS or (counts == 1).all() else counts


def projects_chart(ds: Dataset, projects: pd.DataFrame, year: int, totals: str,
                   lang: str = DEFAULT_LANGUAGE) -> Chart | None:
    """Named projects counted by stage, in stage order."""
    counts = stage_counts(ds, projects)
    if counts.empty:
        return None
    labels = dict(zip(ds.stages["id"], ds.stages[lang]))
    frame = pd.DataFrame({"stage": [wrap(labels[s], 14) for s in counts.index], "projects": counts.values})
    fig, ax = plt.subplots(figsize=(9, 3.8))
    sns.barplot(data=frame, x="stage", y="projects", color=STAGE_COLOUR, ax=ax)
    ax.bar_label(ax.containers[0], fmt="%d", padding=2, fontsize=9)
    ax.set_ylabel(say("chart.projects_axis", lang))
    ax.set_xlabel("")
    ax.set_ylim(bottom=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    values = say("list.semicolon", lang).join(say("alt.item", lang, label=labels[s], value=int(c))
                                             for s, c in counts.items())
    fig = _finish(fig, ax, ds, say("chart.projects_title", lang, year=year), projects["source"], lang=lang)
    caption = say("caption.projects", lang, named=say("count.projects", lang, count=len(projects)), totals=totals)
    return Chart(fig, say("alt.projects", lang, values=values), caption, frame, [float(c) for c in counts.values],
                 kind="projects")

"""The book's one chart theme and the few chart kinds its chapters use.

A chart compares like with like: its bars are figures of one unit, one measure (annual flows
with annual flows, never a planned amount beside an output or a cumulative stock) AND one entity
(firms with firms, never projects beside industrial zones), drawn from zero, at least three of them
and not all equal to one; otherwise the chapter says it in a sentence. Its title is a sentence
computed from its bars (which is largest, which smallest), so it stays true when the data change.
The English edition shows values in English units (18.75 billion yuan, not 187.5 亿元), the Chinese
edition in the registry's unit as published (catalogue setting `number.style`). Each chart carries its
alt text, written from its data, and `chart_rules.violations` checks every drawn chart.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..data import Dataset, derive, translations
from . import numbers, text
from .chart_rules import MIN_BARS
from .chart_style import PALETTE, png_output, styled
from .edition import Edition
from .messages import DEFAULT_LANGUAGE, number_word, say

PUBLISHED_COLOUR = PALETTE[0]
GROWTH_COLOUR = PALETTE[2]
IMPLIED_ALPHA = 0.35
LABEL_WIDTH = 34

# Which groups say most about scale: money first, then physical quantities, then counts.
KIND_PRIORITY = MappingProxyType({"money": 0, "volume": 1, "area": 2, "length": 2, "capacity": 3, "count": 4})


@dataclass
class Chart:
    """A drawn chart with what the rules and the reader need: its rows, alt text and caption."""

    figure: Figure
    alt: str
    caption: str
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    bar_values: list[float] = field(default_factory=list)
    kind: str = "levels"


def show(figure, alt: str) -> None:
    """Display a figure a notebook drew itself, with its alt text (the book's image alt attribute)."""
    from IPython.display import display

    from .alt_text import ALT_METADATA_KEY

    data, metadata = png_output(figure)  # at print resolution, like the library's own charts
    metadata["image/png"][ALT_METADATA_KEY] = text.plain(alt)
    display(data, raw=True, metadata=metadata)
    plt.close(figure)


def _columns(text: str) -> int:
    """Width in Latin-letter columns: a CJK character is drawn about twice as wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """Lines of about `width` Latin letters; Chinese, which has no spaces and wider glyphs, at half as many characters."""
    label = text.plain(label)  # every chart's titles, bar names and source lines come through here
    if label and _columns(label) > 1.5 * len(
        label
    ):  # mostly Chinese; an English line citing a Chinese title keeps its width
        width = max(1, round(width * len(label) / _columns(label)))
    return "\n".join(textwrap.wrap(label, width))


def source_line(ds: Dataset, source_ids, implied: bool = False, *, lang: str) -> str:
    """The chart's footer: each original publication (a copy read counts as its original; the methods
    page names the copy), by its English title in an edition that shows English."""
    from .citations import original_of

    titles = ds.sources.set_index("id").loc[sorted({original_of(ds, s) for s in source_ids})]
    english = text.style(lang).shows_english
    cited = say("list.semicolon", lang).join(
        say(
            "chart.source_item",
            lang,
            publisher=text.publisher(row, lang),
            title=(translations.english_title(row) or row["title"]) if english else row["title"],
            date=say("chart.source_date", lang, date=text.date(row["date"], lang)) if row["date"] else "",
        )
        for _, row in titles.iterrows()
    )
    note = say("chart.implied_note", lang) if implied else ""
    return wrap(say("chart.source", lang, sources=cited) + note, 110)


def _finish(fig, ax, ds: Dataset, title: str, sources, implied: bool = False, *, lang: str):
    ax.set_title(wrap(title, 60), loc="left")
    line = source_line(ds, sources, implied, lang=lang)
    fig.text(0.01, 0.005, line, ha="left", va="bottom", fontsize=8, color="#444444")
    fig.tight_layout(rect=(0, 0.04 + 0.025 * line.count("\n"), 1, 1))
    return fig


def _height(rows: float) -> float:
    return max(3.0, 0.6 * rows + 2.0)


# --------------------------------------------------------------------------- like-for-like groups


def _entity(row) -> str:
    entity = row.get("entity")
    return entity if isinstance(entity, str) else ""


def group_key(row) -> tuple:
    """Figures may share a chart only when theme, chart group, unit, measure and entity all agree:
    117 signed projects beside 9 industrial zones, or 745 parking spaces beside 2 parks, share a unit
    (个) and a measure but count different things, so their bars would compare nothing."""
    group = row.get("chart_group")
    return (row["theme"], group if isinstance(group, str) else "", row["unit"], row["measure"], _entity(row))


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
    base = [
        float(numbers.to_base(r.value_text, unit, ds.units))
        if r.basis == derive.PUBLISHED
        else r.value * float(spec.get("factor", 1))
        for r in rows.itertuples()
    ]
    size, unit_label = _display_scale(base, spec.get("base_en", ""))
    return [b / size for b in base], unit_label


def _noun(group: pd.DataFrame, lang: str, count: int) -> str:
    """What the bars count or measure: the registry's entity (firm, parking space) in the catalogue's
    words, or for an amount without one (money, area) the kind of quantity."""
    entity = _entity(group.iloc[0])
    family = (
        ("entity" if entity else "chart.kind_noun") if count == 1 else ("entities" if entity else "chart.kind_nouns")
    )
    return say(f"{family}.{entity or group['kind'].iloc[0]}", lang)


def _title_name(row, lang: str) -> str:
    name = row[f"name_{lang}"]
    return text.in_sentence(name) if lang == DEFAULT_LANGUAGE else name


def levels_title(ds: Dataset, group: pd.DataFrame, year: int, lang: str) -> str:
    """The chart's point as a sentence computed from its bars, so a rerun with other figures stays true:
    which figure is largest and which smallest, with their values ("Of six kinds of firm in 2024, …
    led with 107, and … trailed with 1")."""
    shown = derive.levels(group)
    top, bottom = shown["value"].max(), shown["value"].min()
    leaders, trailers = shown[shown["value"] == top], shown[shown["value"] == bottom]

    def names(rows):
        return text.join([_title_name(r, lang) for _, r in rows.iterrows()], lang)

    def each(rows):
        return say("chart.each", lang) if len(rows) > 1 else ""

    fields: dict[str, Any] = dict(
        year=year,
        count=number_word(len(shown), lang),
        noun=_noun(group, lang, 1),
        top=text.value(leaders.iloc[0], ds, lang),
        bottom=text.value(trailers.iloc[0], ds, lang),
    )
    if top == bottom:
        return say("chart.levels_title_equal", lang, **fields)
    key = "chart.levels_title_count" if group["kind"].iloc[0] == "count" else "chart.levels_title_amount"
    return say(
        key,
        lang,
        leaders=names(leaders),
        each=each(leaders),
        trailers=names(trailers),
        each_bottom=each(trailers),
        **fields,
    )


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _axis_label(group: pd.DataFrame, unit_label: str, lang: str) -> str:
    """Plain words: the edition's unit (Billion yuan, 亿元, 家), or for a bare English count the things
    counted (Firms); never the registry's measure names."""
    if not unit_label and text.style(lang).shows_english:
        unit_label = _noun(group, lang, 2)
    return _capital(text.plain(unit_label))


@styled
def levels_chart(ds: Dataset, group: pd.DataFrame, year: int, edition: Edition) -> Chart | None:
    """Horizontal bars of one like-for-like group, implied previous-year levels beside their figures."""
    lang = edition.lang
    if len(group) < MIN_BARS:
        return None
    unit = group["unit"].iloc[0]
    implied = derive.implied_previous(group)
    rows = pd.concat([group, implied], ignore_index=True)
    rows["shown"], unit_label = _axis(rows, unit, ds, lang)
    rows["label"] = [wrap(name) for name in rows[f"name_{lang}"]]
    rows["series"] = [
        say("chart.series_implied" if b == derive.IMPLIED else "chart.series_published", lang, year=y)
        for y, b in zip(rows["year"], rows["basis"])
    ]
    implied_series = set(rows.loc[rows["basis"] == derive.IMPLIED, "series"])
    order = list(rows[rows["basis"] == derive.PUBLISHED].sort_values("shown", ascending=False)["label"])
    hue_order = sorted(rows["series"].unique())
    fig, ax = plt.subplots(figsize=(9, _height(len(order) * (1.4 if not implied.empty else 1))))
    sns.barplot(
        data=rows,
        y="label",
        x="shown",
        hue="series",
        order=order,
        hue_order=hue_order,
        palette=[PUBLISHED_COLOUR] * len(hue_order),
        ax=ax,
        orient="h",
        legend=False,
    )
    symbols = dict(zip(ds.qualifiers["id"], ds.qualifiers["symbol"]))
    label_of = {
        (r.series, r.label): text.plain(symbols.get(r.qualifier, "")) + numbers.derived(r.shown)
        for r in rows.itertuples()
    }
    handles = []
    for container, series in zip(ax.containers, hue_order):
        is_implied = series in implied_series
        for patch in container:
            patch.set_alpha(IMPLIED_ALPHA if is_implied else 1)
            patch.set_hatch("//" if is_implied else None)
        assert isinstance(container, BarContainer)  # barplot draws bars only
        ax.bar_label(
            container,
            padding=3,
            fontsize=9,
            labels=[label_of.get((series, order[round(p.get_y() + p.get_height() / 2)]), "") for p in container],
        )
        handles.append(
            Patch(
                facecolor=PUBLISHED_COLOUR,
                alpha=IMPLIED_ALPHA if is_implied else 1,
                hatch="//" if is_implied else None,
                label=series,
            )
        )
    if len(handles) > 1:
        # Below the plot, never over the bars.
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=len(handles),
            fontsize=9,
            frameon=False,
        )
    ax.set_xlabel(_axis_label(group, unit_label, lang))
    ax.set_ylabel("")
    ax.set_xlim(left=0)
    ax.margins(x=0.15)
    published = rows[rows["basis"] == derive.PUBLISHED].sort_values("shown", ascending=False)
    values = say("list.semicolon", lang).join(
        say("alt.item", lang, label=getattr(r, f"name_{lang}"), value=text.value(r._asdict(), ds, lang))
        for r in published.itertuples()
    )
    title = levels_title(ds, group, year, lang)
    fig = _finish(fig, ax, ds, title, group["source"], implied=not implied.empty, lang=lang)
    return Chart(
        fig,
        say("alt.levels", lang, title=title, values=values),
        _capital(say("caption.levels", lang, count=number_word(len(group), lang), nouns=_noun(group, lang, 2))),
        rows,
        list(rows["shown"]),
    )


def _growth_words(value: float, lang: str) -> str:
    if text.style(lang).shows_english:
        return numbers.percent_change(value)  # '+15.5%', '−3%' as the bars' labels write them
    key = "context.growth_up" if value > 0 else "context.growth_down" if value < 0 else "context.growth_flat"
    return say(key, lang, value=value, size=abs(value), printed=f"{abs(value):g}")


def growth_title(ranked: pd.DataFrame, year: int, lang: str) -> str:
    """Which rate was fastest and which slowest (or fell furthest), computed from the bars."""
    top, bottom = ranked["yoy_pct"].max(), ranked["yoy_pct"].min()

    def names(value):
        return text.join([_title_name(r, lang) for _, r in ranked[ranked["yoy_pct"] == value].iterrows()], lang)

    if top == bottom:
        return say(
            "chart.growth_title_equal",
            lang,
            year=year,
            count=number_word(len(ranked), lang),
            top=_growth_words(top, lang),
        )
    return say(
        "chart.growth_title",
        lang,
        year=year,
        fastest=names(top),
        top=_growth_words(top, lang),
        slowest=names(bottom),
        bottom=_growth_words(bottom, lang),
        slowest_verb=say("chart.growth_fell" if bottom < 0 else "chart.growth_slowest", lang),
    )


def _chart_group(row) -> str:
    group = row.get("chart_group")
    return group if isinstance(group, str) else ""


def growth_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """The ranked growth rates one chart may hold: an indicator with a chart group of its own (e-commerce
    transaction value, online retail sales) shares no chart with another group, growth charts included;
    the largest such set is drawn, the ungrouped one first on a tie."""
    ranked = derive.growth_ranking(figures)
    if ranked.empty:
        return ranked
    keys = ranked.apply(_chart_group, axis=1)
    best = max(keys.unique(), key=lambda k: (int((keys == k).sum()), k == ""))
    return ranked[keys == best].reset_index(drop=True)


@styled
def growth_chart(ds: Dataset, figures: pd.DataFrame, year: int, edition: Edition) -> Chart | None:
    """Published year-on-year growth rates of one chart group, ranked; at least three."""
    lang = edition.lang
    ranked = growth_rows(figures)
    if len(ranked) < MIN_BARS:
        return None
    ranked["label"] = [wrap(name) for name in ranked[f"name_{lang}"]]
    fig, ax = plt.subplots(figsize=(9, _height(len(ranked))))
    sns.barplot(data=ranked, y="label", x="yoy_pct", color=GROWTH_COLOUR, ax=ax, orient="h")
    bars = ax.containers[0]
    assert isinstance(bars, BarContainer)  # barplot draws bars only
    ax.bar_label(bars, labels=[numbers.percent_change(v) for v in ranked["yoy_pct"]], padding=3, fontsize=9)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(say("chart.growth_axis", lang))
    ax.set_ylabel("")
    low, high = min(0, ranked["yoy_pct"].min()), max(0, ranked["yoy_pct"].max())
    ax.set_xlim(low * 1.2, high * 1.2)
    values = say("list.semicolon", lang).join(
        say("alt.item", lang, label=getattr(r, f"name_{lang}"), value=numbers.percent_change(r.yoy_pct))
        for r in ranked.itertuples()
    )
    fig = _finish(fig, ax, ds, growth_title(ranked, year, lang), ranked["source"], lang=lang)
    return Chart(
        fig,
        say("alt.growth", lang, values=values),
        say("caption.growth", lang),
        ranked,
        list(ranked["yoy_pct"]),
        kind="growth",
    )

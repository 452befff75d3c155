"""The context layer's content: "In context" sections, the overview's "where Guanyun stands" and
"About the sources", built from data/benchmarks.csv through the rules of countybook.data.compare.

Functions return content (Markdown strings and matplotlib figures), never display it: the Page
methods in chapter.py show them. A theme without a comparable benchmark gets None, so its chapter
shows no empty section. All sentences come from render/messages.py.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape as html_escape

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from ..data import Dataset
from ..data.compare import Comparison, Context, Point, Refused, Share, context_for, subject_area
from . import chart_rules, charts, numbers, text
from .messages import number_word, say
from .tables import METHODS_PAGE

# Benchmarks read from the nearest area outwards.
LEVEL_ORDER = {"county": 0, "city": 1, "province": 2, "nation": 3}


@dataclass
class Section:
    """A block of a page: Markdown before the chart, the chart (with alt text and caption), Markdown after."""
    markdown: str
    chart: charts.Chart | None = None
    after: str = ""
    comparisons: list[Comparison] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)


# --- words ----------------------------------------------------------------------------------------
def _names(ds: Dataset):
    return ds.all_indicators().set_index("id")


def _indicator(ds: Dataset, indicator: str, start: bool = False) -> str:
    row = _names(ds).loc[indicator]
    english = row["name_en"] if start else text.in_sentence(row["name_en"])
    return f"{text.escape(english)} ({text.escape(row['name_zh'])})"


def _area(ds: Dataset, area: str) -> str:
    return text.escape(ds.areas.set_index("id").loc[area, "name_en"])


def source_reference(ds: Dataset, source_id: str) -> str:
    """The source's publisher, linked to its entry on the methods page (raw HTML: no Sphinx reference)."""
    publisher = ds.sources.set_index("id").loc[source_id, "publisher"]
    return f'<a href="{METHODS_PAGE}#source-{html_escape(source_id)}">{text.escape(publisher)}</a>'


def _value(ds: Dataset, point: Point) -> str:
    """'18.75 billion yuan (187.5 亿元)': English units, then the value as the source printed it."""
    words = dict(zip(ds.qualifiers["id"], ds.qualifiers["en"])).get(point.qualifier, "")
    english = numbers.english(point.value_text, point.unit, ds.units)
    printed = f"{point.value_text} {point.unit}"
    shown = english if english == printed else f'{english} (<span lang="zh">{text.escape(printed)}</span>)'
    return f"{words + ' ' if words else ''}{shown}"


def _bullets(sentences: list[str]) -> str:
    """One comparison per bullet: each names two areas, two years and two sources, too much for one paragraph."""
    return "\n".join(f"- {sentence}" for sentence in sentences)


def _growth(value: float) -> str:
    return f"{value:+g}%"


def comparison_sentence(ds: Dataset, comparison: Comparison) -> str:
    a, b = comparison.subject, comparison.benchmark
    fields = dict(subject_name=_indicator(ds, a.indicator, start=True), subject_growth=_growth(a.yoy_pct),
                  subject_area=_area(ds, a.area), subject_year=a.year, subject_source=source_reference(ds, a.source),
                  benchmark_name=_indicator(ds, b.indicator), benchmark_growth=_growth(b.yoy_pct),
                  benchmark_area=_area(ds, b.area), benchmark_year=b.year,
                  benchmark_source=source_reference(ds, b.source))
    if comparison.related:
        return say("context.related" if "concept" in comparison.differences else "context.related_basis", **fields)
    gap = a.yoy_pct - b.yoy_pct
    direction = say("context.faster" if gap > 0 else "context.slower" if gap < 0 else "context.level")
    return say("context.same", gap=numbers.derived(abs(gap)), direction=direction, **fields)


def share_sentence(ds: Dataset, share: Share) -> str:
    part, whole = share.part, share.whole
    return say("context.share", subject_name=_indicator(ds, part.indicator, start=True),
               subject_area=_area(ds, part.area), subject_value=_value(ds, part), subject_year=part.year,
               subject_source=source_reference(ds, part.source), pct=numbers.derived(share.pct),
               whole_area=_area(ds, whole.area), whole_value=_value(ds, whole), whole_year=whole.year,
               whole_source=source_reference(ds, whole.source),
               approximate=say("context.share_approximate") if share.approximate else "")


def notes_markdown(ds: Dataset, context: Context) -> str:
    """The related pairs' notes (each once) and the candidate pairs refused, with their reasons."""
    parts = []
    seen, notes = set(), []
    for comparison in context.comparisons:
        if comparison.related and comparison.rule not in seen:
            seen.add(comparison.rule)
            a, b = comparison.subject.indicator, comparison.benchmark.indicator
            note = text.escape(" ".join(comparison.note_en.split()))
            notes.append(say("context.note_item_one", subject_name=_indicator(ds, a, True), note=note) if a == b else
                         say("context.note_item", subject_name=_indicator(ds, a, True),
                             benchmark_name=_indicator(ds, b), note=note))
    if notes:
        parts.append(say("context.notes_heading") + "\n\n" + "\n".join(notes))
    if context.refused:
        items = [say("context.refused_item", subject_name=_indicator(ds, r.a.indicator, True),
                     subject_area=_area(ds, r.a.area), benchmark_name=_indicator(ds, r.b.indicator),
                     benchmark_area=_area(ds, r.b.area), reason=text.escape(r.reason)) for r in _unique(context.refused)]
        parts.append(say("context.refused_heading") + "\n\n" + "\n".join(items))
    return "\n\n".join(parts)


def _unique(refusals: list[Refused]) -> list[Refused]:
    kept, seen = [], set()
    for refusal in refusals:
        key = (refusal.a.indicator, refusal.b.area, refusal.b.indicator, refusal.reason)
        if key not in seen:
            seen.add(key)
            kept.append(refusal)
    return kept


def _ordered(ds: Dataset, comparisons: list[Comparison]) -> list[Comparison]:
    level = dict(zip(ds.areas["id"], ds.areas["level"]))
    return sorted(comparisons, key=lambda c: (c.subject.indicator, LEVEL_ORDER[level[c.benchmark.area]]))


# --- the chart ------------------------------------------------------------------------------------
def context_chart(ds: Dataset, comparisons: list[Comparison], title: str, year: int) -> charts.Chart | None:
    """Growth of Guanyun and the benchmarks as horizontal bars from zero, grouped by Guanyun's indicator:
    solid bars for Guanyun and same-concept benchmarks, hollow hatched bars for related concepts.

    None below three bars: two rates are said better in the sentence than drawn (the chart rules agree).
    """
    groups: dict[str, list[Comparison]] = {}
    for comparison in _ordered(ds, comparisons):
        groups.setdefault(comparison.subject.indicator, []).append(comparison)
    rows = [(point, related) for group in groups.values()
            for point, related in [(group[0].subject, False)] + [(c.benchmark, c.related) for c in group]]
    if len(rows) < chart_rules.MIN_BARS:
        return None
    areas = ds.areas.set_index("id")
    order = [subject_area(ds)] + [a for a in areas.index if a != subject_area(ds)]
    colour = {area: charts.PALETTE[i % len(charts.PALETTE)] for i, area in enumerate(order)}
    names = _names(ds)
    positions, labels, y = [], [], 0.0
    for group in groups.values():
        for point, _ in [(group[0].subject, False)] + [(c.benchmark, c.related) for c in group]:
            positions.append(y)
            labels.append(charts.wrap(f"{areas.loc[point.area, 'name_en']}: {names.loc[point.indicator, 'name_en']}"))
            y += 1
        y += 0.6  # a gap between Guanyun's indicators
    fig, ax = plt.subplots(figsize=(9, 1.8 + 0.5 * y))
    values = [point.yoy_pct for point, _ in rows]
    bars = ax.barh(positions, values, height=0.7,
                   color=["white" if related else colour[point.area] for point, related in rows],
                   edgecolor=[colour[point.area] for point, _ in rows], linewidth=2,
                   hatch=None)
    for bar, (point, related) in zip(bars, rows):
        if related:
            bar.set_hatch("//")
    ax.bar_label(bars, labels=[_growth(v) for v in values], padding=4, fontsize=9)
    ax.set_yticks(positions, labels=labels)
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", linewidth=0.8)
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low) * 0.18 or 1.0
    ax.set_xlim(low - (pad if low < 0 else 0), high + pad)
    ax.set_xlabel(say("context.chart_axis", year=year))
    ax.set_title("\n".join(textwrap.wrap(title, 70)), loc="left")
    ax.grid(axis="y", visible=False)
    handles = [Patch(facecolor="#777777", edgecolor="#777777", label=say("context.chart_same")),
               Patch(facecolor="white", edgecolor="#777777", hatch="//", label=say("context.chart_related"))]
    sources = sorted({c.subject.source for c in comparisons} | {c.benchmark.source for c in comparisons})
    line = charts.source_line(ds, sources)
    bottom = 0.04 + 0.025 * (line.count("\n") + 1)
    # The legend sits in its own band under the axes, never over a bar.
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, bottom), ncol=2, frameon=False, fontsize=9)
    fig.text(0.01, 0.005, line, ha="left", va="bottom", fontsize=8, color="#444444")
    fig.tight_layout(rect=(0, bottom + 0.07, 1, 1))
    return charts.Chart(figure=fig, alt=_alt(ds, groups, year), caption=say("context.chart_caption", year=year),
                        rows=pd.DataFrame({"area": [p.area for p, _ in rows], "indicator": [p.indicator for p, _ in rows],
                                           "related": [r for _, r in rows]}),
                        bar_values=values, kind="context")


def _alt(ds: Dataset, groups: dict[str, list[Comparison]], year: int) -> str:
    names = _names(ds)
    rows = []
    for indicator, group in groups.items():
        for point, related in [(group[0].subject, False)] + [(c.benchmark, c.related) for c in group]:
            rows.append(say("context.chart_alt_row", area=ds.areas.set_index("id").loc[point.area, "name_en"],
                            name=text.in_sentence(names.loc[point.indicator, "name_en"]),
                            growth=_growth(point.yoy_pct),
                            related=say("context.chart_alt_related") if related else ""))
    return say("context.chart_alt", year=year, rows=" ".join(rows))


# --- sections -------------------------------------------------------------------------------------
def in_context(ds: Dataset, year: int, theme: str) -> Section | None:
    """The theme chapter's "In context" section, or None when no benchmark compares with its figures."""
    context = context_for(ds, year, theme)
    if context.empty:
        return None
    title = ds.themes.set_index("id").loc[theme, "title_en"]
    sentences = [comparison_sentence(ds, c) for c in _ordered(ds, context.comparisons)]
    sentences += [share_sentence(ds, s) for s in context.shares]
    chart = context_chart(ds, context.comparisons, say("context.chart_title", title=title, year=year), year)
    return Section(markdown=say("context.heading") + "\n\n" + _bullets(sentences), chart=chart,
                   after=notes_markdown(ds, context), comparisons=context.comparisons, shares=context.shares)


def where_guanyun_stands(ds: Dataset, year: int) -> Section:
    """The overview's opening: how many of the year's growth rates have a benchmark, what they show, one chart."""
    context = context_for(ds, year)
    names = _names(ds)
    figures = ds.figures[ds.figures["year"] == int(year)]
    growth = figures[figures["yoy_pct"].notna()]
    compared = {c.subject.indicator for c in context.comparisons}
    if growth.empty:
        lead = say("overview.no_growth", year=year)
    elif not compared:
        lead = say("overview.none_compared", growth_count=number_word(len(growth)), year=year)
    else:
        lead = say("overview.compared", growth_count=number_word(len(growth)), compared_count=number_word(len(compared)),
                   year=year)
    parts = [comparison_sentence(ds, c) for c in _ordered(ds, context.comparisons)]
    parts += [share_sentence(ds, s) for s in context.shares]
    unmatched = [i for i in growth["indicator"] if i not in compared]
    if compared and unmatched:
        listed = [f"{text.escape(text.in_sentence(names.loc[i, 'name_en']))} ({text.escape(names.loc[i, 'name_zh'])})"
                  for i in unmatched]
        parts.append(say("overview.unmatched", names=text.join(listed)))
    chart = context_chart(ds, context.comparisons, say("overview.chart_title", year=year), year)
    return Section(markdown=say("overview.heading") + "\n\n" + lead + "\n\n" + _bullets(parts), chart=chart,
                   after=notes_markdown(ds, context), comparisons=context.comparisons, shares=context.shares)


def about_sources(ds: Dataset, year: int) -> str:
    """What kind of source each of the year's sources is and what that means for the reader, from
    data/sources.csv (kind, reliability, status) and the figures and benchmarks that cite them."""
    sources = ds.sources.set_index("id")
    figures = ds.figures[ds.figures["year"] == int(year)]
    counts = figures["source"].value_counts()
    items = []
    for source_id, count in counts.items():
        row = sources.loc[source_id]
        items.append(say("sources.item", title=text.escape(row["title"]), publisher=text.escape(row["publisher"]),
                         date=f", {text.escape(row['date'])}" if row["date"] else "",
                         kind_phrase=say(f"kind.{row['kind']}"), reliability=text.escape(row["reliability"]),
                         figures=say("count.figures", count=int(count))))
    parts = [say("sources.heading")]
    if items:
        parts.append(say("sources.subject", year=year, sources=say("count.sources", count=len(items)),
                         items="; ".join(items)))
        kinds = list(dict.fromkeys(sources.loc[counts.index, "kind"]))
        parts += [say(f"meaning.{kind}") for kind in kinds]
    subject_kinds = set(sources.loc[ds.figures["source"].unique(), "kind"])
    if "statistical_bulletin" not in subject_kinds:
        parts.append(say("sources.no_bulletin"))
    marks = ds.benchmarks[ds.benchmarks["year"] == int(year)] if not ds.benchmarks.empty else ds.benchmarks
    if not marks.empty:
        per_kind = sources.loc[marks["source"].unique(), "kind"].value_counts()
        listed = [say(f"kinds.{kind}", count=int(n)) for kind, n in per_kind.items()]
        parts.append(say("sources.benchmarks", sources=say("count.sources", count=int(per_kind.sum())),
                         items=text.join(listed)))
    excluded = int((ds.sources["status"] == "excluded").sum())
    if excluded:
        further = say("count.further_sources", count=excluded)
        parts.append(say("sources.excluded", sources=further[:1].upper() + further[1:]))
    return "\n\n".join([parts[0], " ".join(parts[1:])])


def benchmark_cross_year(ds: Dataset):
    """The benchmarks' own cross-year check (countybook.data.crosscheck) as a sentence and a table, or None."""
    from ..data.crosscheck import cross_year_check_benchmarks
    from .tables import _table

    checked = cross_year_check_benchmarks(ds)
    if checked.empty:
        return None
    areas = ds.areas.set_index("id")["name_en"]
    names = _names(ds)["name_en"]
    rows = [[text.escape(areas[r.area]), text.escape(names[r.indicator]), str(r.year), _growth(r.published_pct),
             f"{r.computed_pct:+.1f}%", f"{r.difference_pp:+.1f} pp", say(f"check.{_verdict(r)}")]
            for r in checked.itertuples()]
    sentence = say("check.benchmarks", checked=say("count.benchmark_checks", count=len(checked)),
                   flagged=say("count.flagged", count=int(checked["flagged"].sum())))
    table = _table([say("check.col_area"), say("check.col_indicator"), say("check.col_year"), say("check.col_published"),
                    say("check.col_computed"), say("check.col_difference"), say("check.col_check")], rows,
                   "cross-year benchmarks")
    return say("check.heading") + "\n\n" + sentence, table


def _verdict(row) -> str:
    if row.flagged:
        return "differs"
    return "comparable_prices" if row.price_basis == "comparable" and abs(row.difference_pp) > 1 else "consistent"

"""The context layer's content: "In context" sections, the overview's "where Guanyun stands" and
"About the sources", built from data/benchmarks.csv through the rules of countybook.data.compare.

Functions return content (Markdown strings and matplotlib figures), never display it: the Page
methods in chapter.py show them. A theme without a comparable benchmark gets None, so its chapter
shows no empty section. All sentences come from render/messages.py; every function takes the edition's
`lang` ("en" or "zh"): names come from the data's name_en / name_zh, words from that catalogue, values
in the catalogue's number style (English units, or as published).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from ..data import Dataset
from ..data.compare import Comparison, Context, Point, Refused, Share, context_for, subject_area
from . import chart_rules, charts, numbers, text
from .citations import METHODS_PAGE, benchmark_source_ids, original_of, title_in_markdown
from .edition import Edition
from .messages import DEFAULT_LANGUAGE, number_word, say
from .text import html_escape

# Benchmarks read from the nearest area outwards.
LEVEL_ORDER = MappingProxyType({"county": 0, "city": 1, "province": 2, "nation": 3})
TRILLION = 10**12


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


def _indicator(ds: Dataset, indicator: str, start: bool = False, *, lang: str) -> str:
    row = _names(ds).loc[indicator]
    name = row[f"name_{lang}"] if start else text.in_sentence(row[f"name_{lang}"])
    return say("context.indicator", lang, name=text.escape(name), name_zh=text.escape(row["name_zh"]))


def _area(ds: Dataset, area: str, lang: str) -> str:
    return text.escape(ds.areas.set_index("id").loc[area, f"name_{lang}"])


def source_reference(ds: Dataset, source_id: str, lang: str) -> str:
    """The publisher of the original publication (a copy read, such as a repost, counts as its original),
    linked to the entry of what was read on the methods page (raw HTML: no Sphinx reference)."""
    publisher = text.publisher(ds.sources.set_index("id").loc[original_of(ds, source_id)], lang)
    return f'<a href="{METHODS_PAGE}#source-{html_escape(source_id)}">{text.escape(publisher)}</a>'


def _value(ds: Dataset, point: Point, lang: str) -> str:
    """'18.75 billion yuan (187.5 亿元)': English units, then the value as the source printed it; in an
    edition that shows values as published (text.style), only the printed form: '1349084亿元'."""
    if not text.style(lang).shows_english:
        return text.escape(text.printed_form(_in_registry_unit(ds, point), ds))
    words = dict(zip(ds.qualifiers["id"], ds.qualifiers["en"])).get(point.qualifier, "")
    english = numbers.english(point.value_text, point.unit, ds.units)
    if numbers.to_base(point.value_text, point.unit, ds.units) >= TRILLION:
        # 15.5225 trillion yuan claims a precision no reader needs: four significant digits (15.52
        # trillion); the exact printed form follows in brackets.
        english = numbers.english_base(
            float(numbers.to_base(point.value_text, point.unit, ds.units)), point.unit, ds.units, digits=4
        )
    printed = f"{point.value_text} {point.unit}"
    # The qualifier's words and the unit's English name come from data: escaped like any data text.
    shown = (
        text.escape(english)
        if english == printed
        else f'{text.escape(english)} (<span lang="zh">{text.escape(printed)}</span>)'
    )
    return f"{text.escape(words) + ' ' if words else ''}{shown}"


def _in_registry_unit(ds: Dataset, point: Point) -> dict:
    """The point as a row for text.printed_form. A benchmark printed in an English unit (51,437.4 billion
    yuan, from an English-language release) is converted exactly, by decimal arithmetic, to the
    registry's Chinese unit (514374亿元); a Chinese unit stays as printed."""
    row = {"value_text": point.value_text, "unit": point.unit, "qualifier": point.qualifier}
    target = _names(ds).loc[point.indicator, "unit"]
    if point.unit.isascii() and target != point.unit and target in ds.units:
        row.update(value_text=numbers.converted(point.value_text, point.unit, target, ds.units), unit=target)
    return row


def _bullets(sentences: list[str]) -> str:
    """One comparison per bullet: each names two areas, two years and two sources, too much for one paragraph."""
    return "\n".join(f"- {sentence}" for sentence in sentences)


def _growth(value: float, lang: str, quote: str = "") -> str:
    """A published growth rate: '+5%' in English; in Chinese '增长5.0%' / '下降1.4%', the digits as the quote
    prints them (5.0, 20) where it holds them (the catalogue's forms)."""
    key = "context.growth_up" if value > 0 else "context.growth_down" if value < 0 else "context.growth_flat"
    return say(key, lang, value=value, size=abs(value), printed=_printed_pct(abs(value), quote))


def _printed_pct(size: float, quote: str) -> str:
    """The rate's digits as the source printed them ('5.0' in '增长5.0%'), else the shortest form."""
    for digits in (f"{size:.1f}", f"{size:g}", f"{size:.2f}"):
        if re.search(rf"(?<![\d.]){re.escape(digits)}\s*(%|％|percent)", quote):
            return digits
    return f"{size:g}"


def _year(year: int, lang: str) -> str:
    return say("date.year", lang, year=year)


def comparison_sentence(ds: Dataset, comparison: Comparison, lang: str) -> str:
    a, b = comparison.subject, comparison.benchmark
    fields: dict[str, Any] = dict(
        subject_name=_indicator(ds, a.indicator, True, lang=lang),
        subject_growth=_growth(a.yoy_pct, lang, a.quote),
        subject_area=_area(ds, a.area, lang),
        subject_year=a.year,
        subject_source=source_reference(ds, a.source, lang),
        benchmark_name=_indicator(ds, b.indicator, lang=lang),
        benchmark_growth=_growth(b.yoy_pct, lang, b.quote),
        benchmark_area=_area(ds, b.area, lang),
        benchmark_year=b.year,
        benchmark_source=source_reference(ds, b.source, lang),
    )
    if comparison.related:
        return say(
            "context.related" if "concept" in comparison.differences else "context.related_basis",
            lang,
            caveat=_price_caveat(ds, comparison, lang),
            **fields,
        )
    gap = a.yoy_pct - b.yoy_pct
    direction = say("context.faster" if gap > 0 else "context.slower" if gap < 0 else "context.level", lang)
    return say("context.same", lang, gap=numbers.derived(abs(gap)), direction=direction, **fields)


def _price_caveat(ds: Dataset, comparison: Comparison, lang: str) -> str:
    """Which way a real benchmark against a rate not stated to be real moves the gap: a rate at current
    prices carries price rises, so it flatters Guanyun when prices rose. Said, never assumed: the
    direction of prices is not in the sources, so both cases are named."""
    a, b = comparison.subject, comparison.benchmark
    if b.price_basis != "comparable" or a.price_basis == "comparable":
        return ""
    effect = say("context.caveat_lead" if a.yoy_pct >= b.yoy_pct else "context.caveat_lag", lang)
    return say("context.caveat_price", lang, benchmark_area=_area(ds, b.area, lang), effect=effect)


def share_sentence(ds: Dataset, share: Share, lang: str) -> str:
    part, whole = share.part, share.whole
    return say(
        "context.share",
        lang,
        subject_name=_indicator(ds, part.indicator, True, lang=lang),
        subject_area=_area(ds, part.area, lang),
        subject_value=_value(ds, part, lang),
        subject_year=part.year,
        subject_source=source_reference(ds, part.source, lang),
        pct=numbers.derived(share.pct),
        whole_area=_area(ds, whole.area, lang),
        whole_value=_value(ds, whole, lang),
        whole_year=whole.year,
        whole_source=source_reference(ds, whole.source, lang),
        approximate=say("context.share_approximate", lang) if share.approximate else "",
    )


def refusal_reason(ds: Dataset, refusal: Refused, lang: str) -> str:
    """Why a pair was not compared, in the edition's words: the catalogue's `refused.<code>` filled from the
    refusal's details, with measures, indicators, areas and differences named as the edition names them."""
    if not refusal.code:
        return text.escape(refusal.reason)
    details = dict(refusal.details)
    names = _names(ds)
    areas = ds.areas.set_index("id")
    # The plain placeholder names the thing as the edition does; `<name>_id` keeps the registry's id.
    for key, named in (
        ("a_measure", lambda v: say(f"measure_name.{v}", lang)),
        ("b_measure", lambda v: say(f"measure_name.{v}", lang)),
        ("a_area", lambda v: areas.loc[v, f"name_{lang}"]),
        ("b_area", lambda v: areas.loc[v, f"name_{lang}"]),
        ("indicator", lambda v: names.loc[v, f"name_{lang}"]),
    ):
        if key in details:
            details[f"{key}_id"], details[key] = details[key], named(details[key])
    if "differences" in details:
        details["differences"] = say("list.comma", lang).join(
            say(f"difference.{d}", lang) for d in details["differences"]
        )
    # Escaped as a whole, as the English reason always was: the template's own brackets become inert too.
    return text.escape(say(f"refused.{refusal.code}", lang, **details))


def notes_markdown(ds: Dataset, context: Context, lang: str) -> str:
    """The related pairs' notes (each once) and the candidate pairs refused, with their reasons."""
    parts = []
    seen, notes = set(), []
    for comparison in context.comparisons:
        if comparison.related and comparison.rule not in seen:
            seen.add(comparison.rule)
            a, b = comparison.subject.indicator, comparison.benchmark.indicator
            note = text.escape(_unfold(getattr(comparison, f"note_{lang}")))
            notes.append(
                say("context.note_item_one", lang, subject_name=_indicator(ds, a, True, lang=lang), note=note)
                if a == b
                else say(
                    "context.note_item",
                    lang,
                    subject_name=_indicator(ds, a, True, lang=lang),
                    benchmark_name=_indicator(ds, b, lang=lang),
                    note=note,
                )
            )
    if notes:
        parts.append(say("context.notes_heading", lang) + "\n\n" + "\n".join(notes))
    if context.refused:
        items = [
            say(
                "context.refused_item",
                lang,
                subject_name=_indicator(ds, r.a.indicator, True, lang=lang),
                subject_area=_area(ds, r.a.area, lang),
                benchmark_name=_indicator(ds, r.b.indicator, lang=lang),
                benchmark_area=_area(ds, r.b.area, lang),
                reason=refusal_reason(ds, r, lang),
            )
            for r in _unique(context.refused)
        ]
        parts.append(say("context.refused_heading", lang) + "\n\n" + "\n".join(items))
    return "\n\n".join(parts)


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def _unfold(note: str) -> str:
    """A folded YAML note on one line; Chinese takes no space where YAML folded a line between characters."""
    return _CJK_GAP.sub("", " ".join(note.split()))


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
def context_title(ds: Dataset, comparisons: list[Comparison], year: int, lang: str) -> str:
    """The chart's point as a sentence computed from its bars: the widest gap between Guanyun and a
    benchmark of the same concept, and which way it runs."""
    widest = max(comparisons, key=lambda c: abs(c.subject.yoy_pct - c.benchmark.yoy_pct))
    gap = widest.subject.yoy_pct - widest.benchmark.yoy_pct
    direction = say("context.faster" if gap > 0 else "context.slower" if gap < 0 else "context.level", lang)
    name = _names(ds).loc[widest.subject.indicator, f"name_{lang}"]
    return say(
        "context.chart_title",
        lang,
        year=year,
        subject_name=text.in_sentence(name) if lang == DEFAULT_LANGUAGE else name,
        subject_area=ds.areas.set_index("id").loc[widest.subject.area, f"name_{lang}"],
        subject_growth=_growth(widest.subject.yoy_pct, lang, widest.subject.quote),
        benchmark_area=ds.areas.set_index("id").loc[widest.benchmark.area, f"name_{lang}"],
        benchmark_growth=_growth(widest.benchmark.yoy_pct, lang, widest.benchmark.quote),
        gap=numbers.derived(abs(gap)),
        direction=direction,
    )


@charts.styled
def context_chart(ds: Dataset, comparisons: list[Comparison], year: int, lang: str) -> charts.Chart | None:
    """Growth of Guanyun and the benchmarks of the same concept as horizontal bars from zero, grouped by
    Guanyun's indicator. A related concept (gross output beside value added, a rate on another price
    basis) is never drawn: its sentence says it with the caveat (issue 17).

    None below three bars: two rates are said better in the sentence than drawn (the chart rules agree).
    """
    comparisons = [c for c in comparisons if not c.related]
    groups: dict[str, list[Comparison]] = {}
    for comparison in _ordered(ds, comparisons):
        groups.setdefault(comparison.subject.indicator, []).append(comparison)
    rows = [point for group in groups.values() for point in [group[0].subject] + [c.benchmark for c in group]]
    if len(rows) < chart_rules.MIN_BARS:
        return None
    areas = ds.areas.set_index("id")
    order = [subject_area(ds)] + [a for a in areas.index if a != subject_area(ds)]
    colour = {area: charts.PALETTE[i % len(charts.PALETTE)] for i, area in enumerate(order)}
    names = _names(ds)
    positions, labels, y = [], [], 0.0
    for group in groups.values():
        for point in [group[0].subject] + [c.benchmark for c in group]:
            positions.append(y)
            labels.append(
                charts.wrap(
                    say(
                        "context.chart_label",
                        lang,
                        area=areas.loc[point.area, f"name_{lang}"],
                        name=names.loc[point.indicator, f"name_{lang}"],
                    )
                )
            )
            y += 1
        y += 0.6  # a gap between Guanyun's indicators
    fig, ax = plt.subplots(figsize=(9, 1.8 + 0.5 * y))
    values = [point.yoy_pct for point in rows]
    bars = ax.barh(positions, values, height=0.7, color=[colour[point.area] for point in rows])
    ax.bar_label(bars, labels=[say("context.chart_growth", lang, value=v) for v in values], padding=4, fontsize=9)
    ax.set_yticks(positions, labels=labels)
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", linewidth=0.8)
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low) * 0.18 or 1.0
    ax.set_xlim(low - (pad if low < 0 else 0), high + pad)
    ax.set_xlabel(say("context.chart_axis", lang, year=year))
    title = context_title(ds, comparisons, year, lang)
    ax.set_title(charts.wrap(title, 70), loc="left")
    ax.grid(axis="y", visible=False)
    sources = sorted({c.subject.source for c in comparisons} | {c.benchmark.source for c in comparisons})
    line = charts.source_line(ds, sources, lang=lang)
    fig.text(0.01, 0.005, line, ha="left", va="bottom", fontsize=8, color="#444444")
    fig.tight_layout(rect=(0, 0.04 + 0.025 * (line.count("\n") + 1), 1, 1))
    return charts.Chart(
        figure=fig,
        alt=_alt(ds, groups, year, lang),
        caption=say("context.chart_caption", lang, year=year),
        rows=pd.DataFrame(
            {"area": [p.area for p in rows], "indicator": [p.indicator for p in rows], "related": [False] * len(rows)}
        ),
        bar_values=values,
        kind="context",
    )


def _alt(ds: Dataset, groups: dict[str, list[Comparison]], year: int, lang: str) -> str:
    names = _names(ds)
    rows = []
    for _indicator, group in groups.items():
        for point in [group[0].subject] + [c.benchmark for c in group]:
            rows.append(
                say(
                    "context.chart_alt_row",
                    lang,
                    area=ds.areas.set_index("id").loc[point.area, f"name_{lang}"],
                    name=text.in_sentence(names.loc[point.indicator, f"name_{lang}"]),
                    growth=_growth(point.yoy_pct, lang, point.quote),
                )
            )
    return say("context.chart_alt", lang, year=year, rows=say("context.chart_alt_separator", lang).join(rows))


# --- sections -------------------------------------------------------------------------------------
def in_context(ds: Dataset, year: int, theme: str, edition: Edition) -> Section | None:
    """The theme chapter's "In context" section, or None when no benchmark compares with its figures."""
    lang = edition.lang
    context = context_for(ds, year, theme)
    if context.empty:
        return None
    sentences = [comparison_sentence(ds, c, lang) for c in _ordered(ds, context.comparisons)]
    sentences += [share_sentence(ds, s, lang) for s in context.shares]
    chart = context_chart(ds, context.comparisons, year, lang)
    return Section(
        markdown=_bullets(sentences),
        chart=chart,
        after=notes_markdown(ds, context, lang),
        comparisons=context.comparisons,
        shares=context.shares,
    )


def where_guanyun_stands(ds: Dataset, year: int, edition: Edition) -> Section:
    """The overview's opening: how many of the year's growth rates have a benchmark, what they show, one chart."""
    lang = edition.lang
    context = context_for(ds, year)
    figures = ds.figures[ds.figures["year"] == int(year)]
    growth = figures[figures["yoy_pct"].notna()]
    compared = {c.subject.indicator for c in context.comparisons}
    if growth.empty:
        lead = say("overview.no_growth", lang, year=year)
    elif not compared:
        lead = say("overview.none_compared", lang, growth_count=number_word(len(growth), lang), year=year)
    else:
        lead = say(
            "overview.compared",
            lang,
            growth_count=number_word(len(growth), lang),
            compared_count=number_word(len(compared), lang),
            year=year,
        )
    parts = [comparison_sentence(ds, c, lang) for c in _ordered(ds, context.comparisons)]
    parts += [share_sentence(ds, s, lang) for s in context.shares]
    unmatched = [i for i in growth["indicator"] if i not in compared]
    if compared and unmatched:
        listed = [_indicator(ds, i, lang=lang) for i in unmatched]
        parts.append(say("overview.unmatched", lang, names=text.join(listed, lang)))
    chart = context_chart(ds, context.comparisons, year, lang)
    return Section(
        markdown=lead + "\n\n" + _bullets(parts),
        chart=chart,
        after=notes_markdown(ds, context, lang),
        comparisons=context.comparisons,
        shares=context.shares,
    )


def about_sources(ds: Dataset, year: int, edition: Edition) -> str:
    """What kind of source each of the year's sources is and what that means for the reader, from
    data/sources.csv (kind, reliability, status) and the figures and benchmarks that cite them."""
    lang = edition.lang
    sources = ds.sources.set_index("id")
    figures = ds.figures[ds.figures["year"] == int(year)]
    counts = figures["source"].value_counts()
    items = []
    for source_id, count in counts.items():
        row = sources.loc[source_id]
        items.append(
            say(
                "sources.item",
                lang,
                title=title_in_markdown(row, lang),
                publisher=text.escape(text.publisher(row, lang)),
                date=say("sources.date", lang, date=text.escape(text.date(row["date"], lang))) if row["date"] else "",
                kind_phrase=say(f"kind.{row['kind']}", lang),
                reliability=say(f"reliability.{row['reliability']}", lang),
                figures=say("count.figures", lang, count=int(count)),
            )
        )
    parts = []
    if items:
        parts.append(
            say(
                "sources.subject",
                lang,
                year=year,
                sources=say("count.sources", lang, count=len(items)),
                items=say("list.semicolon", lang).join(items),
            )
        )
        kinds = list(dict.fromkeys(sources.loc[counts.index, "kind"]))
        parts += [say(f"meaning.{kind}", lang) for kind in kinds]
    subject_kinds = set(sources.loc[ds.figures["source"].unique(), "kind"])
    if "statistical_bulletin" not in subject_kinds:
        parts.append(say("sources.no_bulletin", lang))
    marks = ds.benchmarks[ds.benchmarks["year"] == int(year)] if not ds.benchmarks.empty else ds.benchmarks
    if not marks.empty:
        per_kind = sources.loc[benchmark_source_ids(ds, year), "kind"].value_counts()
        listed = [say(f"kinds.{kind}", lang, count=int(n)) for kind, n in per_kind.items()]
        parts.append(
            say(
                "sources.benchmarks",
                lang,
                sources=say("count.sources", lang, count=int(per_kind.sum())),
                year=year,
                total=len(benchmark_source_ids(ds)),
                items=text.join(listed, lang),
            )
        )
    excluded = int((ds.sources["status"] == "excluded").sum())
    if excluded:
        further = say("count.further_sources", lang, count=excluded)
        parts.append(say("sources.excluded", lang, sources=further[:1].upper() + further[1:]))
    return say("sources.sentence_separator", lang).join(parts)

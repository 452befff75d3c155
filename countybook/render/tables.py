"""The tables chapters show, as escaped HTML: headline figures, figures and sources, ratios,
milestones, projects and the indicator dictionary.

Every published figure links to its source entry on the methods page and carries its verbatim
quote; implied values get the `implied` class and an explicit label.
"""
from __future__ import annotations

import re
from html import escape

import pandas as pd
from IPython.display import HTML

from ..data import derive
from . import numbers, text
from .messages import say
from ..data import Dataset

METHODS_PAGE = "07_methods.html"


CHINESE_RUN = re.compile(r"[\d.]*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][\d.\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]*")


def _mark_chinese(escaped: str) -> str:
    """Wrap the Chinese runs of an English note (a quoted phrase) in lang="zh", for readers and checks."""
    return CHINESE_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', escaped)


def _table(headers: list[str], rows: list[list[str]], css: str) -> HTML:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return HTML(f'<table class="countybook {css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def _name(row) -> str:
    return f"{escape(row['name_en'])}<br><span lang=\"zh\">{escape(row['name_zh'])}</span>"


def source_link(ds: Dataset, source_id: str, quote: str) -> str:
    """Link to the source's entry plus the verbatim quote, expandable."""
    title = ds.sources.set_index("id").loc[source_id, "title"]
    return (f'<a href="{METHODS_PAGE}#source-{escape(source_id)}" lang="zh">{escape(title)}</a>'
            f'<details><summary>quote</summary><q lang="zh">{escape(quote)}</q></details>')


def _published_form(row, ds: Dataset) -> str:
    """The value as the source printed it, with its qualifier word: 超1.2亿件, 187.5亿元."""
    if not row["value_text"]:
        return "—"  # a growth-only figure: the source printed no level
    word = dict(zip(ds.qualifiers["id"], ds.qualifiers["zh"])).get(row["qualifier"], "")
    # As printed, also when load converted it to the registry's unit (848656吨 for grain in 万吨).
    printed = numbers.published(row.get("published_value", row["value_text"]), row.get("published_unit", row["unit"]))
    return f'<span lang="zh">{escape(word + printed)}</span>'


def figures_table(ds: Dataset, figures: pd.DataFrame) -> HTML:
    """The chapter's one table: every figure it shows, in English units and as published, with its
    growth, the implied previous-year level, and its quote. The source is named once when all rows
    share it, else per row."""
    implied = derive.implied_previous(figures).set_index(["indicator", "implied_from_year"])
    shared = figures["source"].nunique() == 1
    rows = []
    for _, row in figures.iterrows():
        growth = numbers.percent_change(row["yoy_pct"]) if pd.notna(row["yoy_pct"]) else "—"
        key = (row["indicator"], row["year"])
        previous = (f'<span class="implied">{escape(text.value_en(implied.loc[key], ds))} '
                    f'({row["year"] - 1}, implied)</span>') if key in implied.index else "—"
        quote = f'<details><summary>quote</summary><q lang="zh">{escape(row["quote"])}</q></details>'
        cells = [_name(row), str(row["year"]), escape(text.value_en(row, ds)), _published_form(row, ds), growth,
                 previous, quote if shared else source_link(ds, row["source"], row["quote"])]
        rows.append(cells)
    headers = ["Indicator", "Year", "Value", "As published", "Growth", "Previous year (implied)",
               "Quote" if shared else "Source and quote"]
    table = _table(headers, rows, "figures").data
    if shared and not figures.empty:
        source = figures["source"].iloc[0]
        title = ds.sources.set_index("id").loc[source, "title"]
        table = (f'<p class="table-source">Source of every row: <a href="{METHODS_PAGE}#source-{escape(source)}" '
                 f'lang="zh">{escape(title)}</a></p>' + table)
    return HTML(table)


def ratios(ds: Dataset, frame: pd.DataFrame) -> HTML:
    rows = [[f"{escape(r['name_en'])}<br><span lang=\"zh\">{escape(r['name_zh'])}</span>",
             escape(say(f"ratio_type.{r['type']}")),
             f'<span class="derived">{escape(text.ratio_value_en(ds, r))}</span>',
             f'<span lang="zh">{escape(r["formula"])}</span>',
             "exact inputs" if r["inputs_exact"] else "an input is a bound: the ratio is approximate"]
            for _, r in frame.iterrows()]
    return _table(["Derived ratio (computed)", "Type", "Value", "Formula (as published)", "Note"], rows, "ratios")


def milestones(ds: Dataset, frame: pd.DataFrame) -> HTML:
    order = {"recognition": 0, "ranking_claim": 1, "progress": 2}
    frame = frame.sort_values("type", key=lambda t: t.map(order), kind="stable")
    rows = [[escape(r["text_en"]), f'<span lang="zh">{escape(r["text_zh"])}</span>',
             escape(say(f"milestone_type.{r['type']}", level=r["level"])),
             source_link(ds, r["source"], r["quote"])] for _, r in frame.iterrows()]
    return _table(["Milestone", "As published", "What it is", "Source"], rows, "milestones")


def projects(ds: Dataset, frame: pd.DataFrame) -> HTML:
    stages = ds.stages.set_index("id")
    rows = []
    for _, r in frame.iterrows():
        money = (f"{escape(numbers.english(r['investment_text'], r['investment_unit'], ds.units))} "
                 f"({escape(say('investment_basis.' + r['investment_basis']))})") if pd.notna(r["investment"]) else "—"
        rows.append([f"{escape(r['name_en'])}<br><span lang=\"zh\">{escape(r['name_zh'])}</span>",
                     f"{escape(stages.loc[r['stage'], 'en'])} <span lang=\"zh\">{escape(stages.loc[r['stage'], 'zh'])}</span>",
                     money, escape(r["partner"]) or "—", source_link(ds, r["source"], r["quote"])])
    return _table(["Project", "Stage", "Investment", "Partner", "Source"], rows, "projects")


def dictionary(ds: Dataset) -> HTML:
    """The indicator registry for readers: names, unit, kind, description and the years held."""
    years = derive.figures_for(ds).groupby("indicator")["year"].apply(lambda ys: ", ".join(map(str, sorted(ys))))
    themes = ds.themes.set_index("id")
    scopes = ds.scopes.set_index("id")["name_en"]
    rows = [[f"<code>{escape(r.id)}</code>", f"{escape(r.name_en)}<br><span lang=\"zh\">{escape(r.name_zh)}</span>",
             escape(themes.loc[r.theme, "title_en"]),
             f'<span lang="zh">{escape(r.unit)}</span> ({escape(ds.units[r.unit]["en"])})',
             escape(r.measure.replace("_", " ")), escape(r.price_basis.replace("_", " ")),
             escape(scopes.get(r.scope, "—") if isinstance(r.scope, str) else "—"),
             escape(r.description), escape(years.get(r.id, "—"))]
            for r in ds.indicators.itertuples()]
    return _table(["Id", "Name", "Theme", "Unit", "Measure", "Price basis", "Scope", "Description", "Years"], rows,
                  "dictionary")


def years_held(ds: Dataset) -> HTML:
    """Indicators held for more than one year, with every year from first to last as a column (gaps shown)."""
    figures = derive.figures_for(ds)
    counts = figures.groupby("indicator")["year"].nunique()
    several = [i for i in ds.indicators["id"] if counts.get(i, 0) >= 2]
    years = list(range(int(figures["year"].min()), int(figures["year"].max()) + 1)) if not figures.empty else []
    names = ds.indicators.set_index("id")
    held = set(zip(figures["indicator"], figures["year"]))
    rows = [[escape(names.loc[i, "name_en"])] + ["✓" if (i, y) in held else "·" for y in years] for i in several]
    return _table(["Indicator"] + [str(y) for y in years], rows, "years-held")


def sources(ds: Dataset) -> HTML:
    """One entry per source (anchored for the chapters' links): used ones first."""
    entries = []
    for r in ds.sources.sort_values("status", key=lambda s: s != "used", kind="stable").itertuples():
        link = f'<a href="{escape(r.url)}">{escape(r.url)}</a>' if r.url else "no address kept"
        status = "used" if r.status == "used" else "not used"
        credited = f'<br>Credited: <span lang="zh">{escape(r.authors)}</span>' if r.authors else ""
        entries.append(
            f'<div class="source-entry {escape(r.status)}" id="source-{escape(r.id)}">'
            f'<p><strong lang="zh">{escape(r.title)}</strong> — {escape(r.publisher)}'
            f'{", " + escape(r.date) if r.date else ""}'
            f'{credited}<br>'
            f'<code>{escape(r.id)}</code> · {status} · reliability: {escape(r.reliability)} · {link}<br>'
            f'{_mark_chinese(escape(r.note))}</p></div>')
    return HTML(f'<div class="source-list">{"".join(entries)}</div>')


def themes_overview(ds: Dataset, year: int) -> HTML:
    counts = derive.figures_per_theme(ds, year)
    rows = [[f"{escape(r.title_en)}<br><span lang=\"zh\">{escape(r.title_zh)}</span>", str(r.figures),
             str(r.with_growth), str(r.implied), str(r.projects), str(r.milestones)] for r in counts.itertuples()]
    return _table(["Theme", "Published figures", "With growth rate", "Implied previous-year levels",
                   "Named projects", "Milestones"], rows, "themes")


def key_figures(ds: Dataset, figures: pd.DataFrame) -> HTML:
    """One card per theme: the figure the source leads with (headline rank 1), in theme order."""
    leads = figures[figures["headline"].map(lambda v: v == 1)]
    order = dict(zip(ds.themes["id"], range(len(ds.themes))))
    leads = leads.sort_values("theme", key=lambda t: t.map(order))
    cards = []
    for _, r in leads.iterrows():
        growth_text = (f'<div class="growth">{numbers.percent_change(r["yoy_pct"])} on {r["year"] - 1}</div>'
                       if pd.notna(r["yoy_pct"]) else "")
        cards.append(f'<div class="key-figure"><div class="value">{escape(text.value_en(r, ds))}</div>'
                     f'<div class="name">{escape(r["name_en"])}</div>{growth_text}'
                     f'<div class="published">{_published_form(r, ds)}</div>'
                     f'<div class="source">{source_link(ds, r["source"], r["quote"])}</div></div>')
    return HTML(f'<div class="key-figures">{"".join(cards)}</div>')


def units(ds: Dataset) -> HTML:
    """Every unit allowed in data/, its English reading and the indicators that use it."""
    used = ds.indicators.groupby("unit")["id"].count()
    rows = [[f'<span lang="zh">{escape(unit)}</span>', escape(spec["en"]),
             escape(numbers.english("1", unit, ds.units)) if spec.get("factor", 1) != 1 else "—",
             "whole numbers" if spec.get("whole") else "", str(used.get(unit, 0))] for unit, spec in ds.units.items()]
    return _table(["Unit", "Reading", "1 unit in English units", "Values", "Indicators"], rows, "units")


def qualifiers(ds: Dataset) -> HTML:
    rows = [[f"<code>{escape(r.id)}</code>", escape(r.zh) or "—", escape(r.en) or "(exact)", escape(r.symbol) or "—"]
            for r in ds.qualifiers.itertuples()]
    return _table(["Id", "Source word", "Shown as", "Symbol"], rows, "qualifiers")


def cross_year(checked: pd.DataFrame) -> HTML:
    rows = [[f"<code>{escape(str(r['indicator']))}</code>", str(r["year"]), f"{r['published_pct']:+g}%",
             f"{r['computed_pct']:+.1f}%", f"{r['difference_pp']:+.1f} pp",
             "differs beyond tolerance" if r["flagged"] else "consistent"] for _, r in checked.iterrows()]
    return _table(["Indicator", "Year", "Published growth", "Computed from levels", "Difference", "Check"],
                  rows, "cross-year")

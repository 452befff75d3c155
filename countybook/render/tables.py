"""The tables chapters show, as escaped HTML: headline figures, figures and sources, ratios,
milestones, projects and the indicator dictionary.

Every published figure links to its source entry on the methods page and carries its verbatim
quote; implied values get the `implied` class and an explicit label.
"""
from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML

from ..data import derive
from . import text
from ..data import Dataset

METHODS_PAGE = "07_methods.html"


def _table(headers: list[str], rows: list[list[str]], css: str) -> HTML:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return HTML(f'<table class="countybook {css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def _name(row) -> str:
    return f"{escape(row['name_en'])}<br><span lang=\"zh\">{escape(row['name_zh'])}</span>"


def source_link(ds: Dataset, source_id: str, quote: str) -> str:
    """Link to the source's entry plus the verbatim quote, expandable."""
    title = ds.sources.set_index("id").loc[source_id, "title"]
    return (f'<a href="{METHODS_PAGE}#source-{escape(source_id)}" title="{escape(title)}">{escape(title)}</a>'
            f'<details><summary>quote</summary><q lang="zh">{escape(quote)}</q></details>')


def _value(row, ds: Dataset) -> str:
    return escape(text.qualified(row, ds.qualifiers))


def headline(ds: Dataset, figures: pd.DataFrame) -> HTML:
    """Value, qualifier, published growth and the implied previous-year level, per figure."""
    implied = derive.implied_previous(figures).set_index("indicator")
    rows = []
    for _, row in figures.iterrows():
        growth = f"{row['yoy_pct']:+g}%" if pd.notna(row["yoy_pct"]) else "—"
        if row["indicator"] in implied.index:
            before = implied.loc[row["indicator"]]
            previous = (f'<span class="implied">{text.number(before["value"])} {escape(row["unit"])} '
                        f'({before["year"]}, implied)</span>')
        else:
            previous = "—"
        rows.append([_name(row), _value(row, ds), growth, previous, source_link(ds, row["source"], row["quote"])])
    return _table(["Indicator", "Value (published)", "Published growth", "Previous year (implied)", "Source"],
                  rows, "headline")


def figures_and_sources(ds: Dataset, figures: pd.DataFrame) -> HTML:
    """Every figure the chapter uses, with its id, quote and source."""
    rows = [[f"<code>{escape(r['indicator'])}</code>", str(r["year"]), _value(r, ds), escape(r["qualifier"]),
             source_link(ds, r["source"], r["quote"])] for _, r in figures.iterrows()]
    return _table(["Indicator id", "Year", "Value", "Qualifier", "Source and quote"], rows, "sources")


def ratios(frame: pd.DataFrame) -> HTML:
    rows = [[f"{escape(r['name_en'])}<br><span lang=\"zh\">{escape(r['name_zh'])}</span>",
             f'<span class="derived">{text.number(r["value"])} {escape(r["unit"])}</span>',
             escape(r["formula"]),
             "exact inputs" if r["inputs_exact"] else "an input is a bound: the ratio is approximate"]
            for _, r in frame.iterrows()]
    return _table(["Derived ratio (computed)", "Value", "Formula", "Note"], rows, "ratios")


def milestones(ds: Dataset, frame: pd.DataFrame) -> HTML:
    rows = [[escape(r["text_en"]), f'<span lang="zh">{escape(r["text_zh"])}</span>', escape(r["level"]),
             source_link(ds, r["source"], r["quote"])] for _, r in frame.iterrows()]
    return _table(["Milestone", "里程碑", "Level", "Source"], rows, "milestones")


def projects(ds: Dataset, frame: pd.DataFrame) -> HTML:
    stages = ds.stages.set_index("id")
    rows = []
    for _, r in frame.iterrows():
        money = f"{r['investment']:g} {escape(r['investment_unit'])} ({escape(r['investment_basis'].replace('_', ' '))})" \
            if pd.notna(r["investment"]) else "—"
        rows.append([f"{escape(r['name_en'])}<br><span lang=\"zh\">{escape(r['name_zh'])}</span>",
                     f"{escape(stages.loc[r['stage'], 'en'])} · {escape(stages.loc[r['stage'], 'zh'])}",
                     money, escape(r["partner"]) or "—", source_link(ds, r["source"], r["quote"])])
    return _table(["Project", "Stage", "Investment", "Partner", "Source"], rows, "projects")


def dictionary(ds: Dataset) -> HTML:
    """The indicator registry for readers: names, unit, kind, description and the years held."""
    years = derive.figures_for(ds).groupby("indicator")["year"].apply(lambda ys: ", ".join(map(str, sorted(ys))))
    themes = ds.themes.set_index("id")
    rows = [[f"<code>{escape(r.id)}</code>", f"{escape(r.name_en)}<br><span lang=\"zh\">{escape(r.name_zh)}</span>",
             escape(themes.loc[r.theme, "title_en"]), f"{escape(r.unit)} ({escape(ds.units[r.unit]['en'])})",
             escape(r.kind), escape(r.description), escape(years.get(r.id, "—"))]
            for r in ds.indicators.itertuples()]
    return _table(["Id", "Name", "Theme", "Unit", "Kind", "Description", "Years"], rows, "dictionary")


def sources(ds: Dataset) -> HTML:
    """One entry per source (anchored for the chapters' links): used ones first."""
    entries = []
    for r in ds.sources.sort_values("status", key=lambda s: s != "used", kind="stable").itertuples():
        link = f'<a href="{escape(r.url)}">{escape(r.url)}</a>' if r.url else "no address kept"
        status = "used" if r.status == "used" else "not used"
        entries.append(
            f'<div class="source-entry {escape(r.status)}" id="source-{escape(r.id)}">'
            f'<p><strong lang="zh">{escape(r.title)}</strong> — {escape(r.publisher)}'
            f'{", " + escape(r.date) if r.date else ""}<br>'
            f'<code>{escape(r.id)}</code> · {status} · reliability: {escape(r.reliability)} · {link}<br>'
            f'{escape(r.note)}</p></div>')
    return HTML(f'<div class="source-list">{"".join(entries)}</div>')


def themes_overview(ds: Dataset, year: int) -> HTML:
    counts = derive.figures_per_theme(ds, year)
    rows = [[f"{escape(r.title_en)}<br><span lang=\"zh\">{escape(r.title_zh)}</span>", str(r.figures),
             str(r.with_growth), str(r.implied), str(r.projects), str(r.milestones)] for r in counts.itertuples()]
    return _table(["Theme", "Published figures", "With growth rate", "Implied previous-year levels",
                   "Named projects", "Milestones"], rows, "themes")


def key_figures(ds: Dataset, figures: pd.DataFrame, count: int = 6) -> HTML:
    """Cards for the figures with a published growth rate, topped up with the largest money figures."""
    growth = derive.growth_ranking(figures)
    money = figures[(figures["kind"] == "money") & figures["yoy_pct"].isna()].sort_values("value", ascending=False)
    chosen = pd.concat([growth, money]).head(count)
    cards = []
    for _, r in chosen.iterrows():
        growth_text = f'<div class="growth">{r["yoy_pct"]:+g}% on {r["year"] - 1}</div>' if pd.notna(r["yoy_pct"]) else ""
        cards.append(f'<div class="key-figure"><div class="value">{_value(r, ds)}</div>'
                     f'<div class="name">{_name(r)}</div>{growth_text}'
                     f'<div class="source">{source_link(ds, r["source"], r["quote"])}</div></div>')
    return HTML(f'<div class="key-figures">{"".join(cards)}</div>')


def units(ds: Dataset) -> HTML:
    """Every unit allowed in data/, its English reading and the indicators that use it."""
    used = ds.indicators.groupby("unit")["id"].count()
    rows = [[f'<span lang="zh">{escape(unit)}</span>', escape(spec["en"]),
             "whole numbers" if spec.get("whole") else "", str(used.get(unit, 0))] for unit, spec in ds.units.items()]
    return _table(["Unit", "Reading", "Values", "Indicators"], rows, "units")


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

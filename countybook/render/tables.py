"""The tables chapters show, as escaped HTML: headline figures, figures and sources, ratios,
milestones, projects and the indicator dictionary.

Every published figure links to its source entry on the methods page and carries its verbatim
quote; implied values get the `implied` class and an explicit label.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML

from ..data import Dataset, derive
from . import numbers, text
from .citations import html_table, quote_html, shows_ids, source_language, source_link, title_link
from .edition import Edition
from .messages import say
from .text import html_escape as escape


def _name(row, lang: str) -> str:
    return text.style(lang).name_html(row["name_en"], row["name_zh"])


def figures_table(ds: Dataset, figures: pd.DataFrame, edition: Edition) -> HTML:
    """The chapter's one table: every figure it shows, in the edition's form (English units beside the
    published form, or the published form alone), with its growth, the implied previous-year level, and
    its quote. The source is named once when all rows share it, else per row."""
    lang = edition.lang
    style = text.style(lang)
    implied = derive.implied_previous(figures).set_index(["indicator", "implied_from_year"])
    shared = figures["source"].nunique() == 1
    none = say("table.none", lang)
    rows = []
    for _, row in figures.iterrows():
        growth = escape(text.change(row["yoy_pct"], lang)) if pd.notna(row["yoy_pct"]) else none
        key = (row["indicator"], row["year"])
        previous = (
            (
                f'<span class="implied">{escape(say("value.implied", lang, value=style.value(implied.loc[key], ds, lang), year=say("date.year", lang, year=row["year"] - 1)))}'
                "</span>"
            )
            if key in implied.index
            else none
        )
        cells = [
            _name(row, lang),
            escape(say("date.year", lang, year=row["year"])),
            *style.value_cells(row, ds, lang),
            growth,
            previous,
            quote_html(ds, row["quote"], lang, source_language(ds, row["source"]))
            if shared
            else source_link(ds, row["source"], row["quote"], lang),
        ]
        rows.append(cells)
    headers = [
        say("col.indicator", lang),
        say("col.year", lang),
        *style.value_headers(lang),
        say("col.growth", lang),
        say("col.previous_implied", lang),
        say("col.quote" if shared else "col.source_and_quote", lang),
    ]
    table = html_table(headers, rows, "figures").data
    if shared and not figures.empty:
        table = (
            f'<p class="table-source">{escape(say("table.source_of_every_row", lang))}'
            f"{title_link(ds, figures['source'].iloc[0], lang)}</p>" + table
        )
    return HTML(table)


def ratios(ds: Dataset, frame: pd.DataFrame, edition: Edition) -> HTML:
    lang = edition.lang
    style = text.style(lang)
    rows = [
        [
            style.name_html(r["name_en"], r["name_zh"]),
            escape(say(f"ratio_type.{r['type']}", lang)),
            f'<span class="derived">{escape(text.ratio_value(ds, r, lang))}</span>',
            f'<span lang="zh">{escape(r["formula"])}</span>',
            escape(say("ratio.exact_inputs" if r["inputs_exact"] else "ratio.bound_input", lang)),
        ]
        for _, r in frame.iterrows()
    ]
    headers = ["col.ratio", "col.type", "col.value", "col.formula", "col.note"]
    return html_table([say(h, lang) for h in headers], rows, "ratios")


def milestones(ds: Dataset, frame: pd.DataFrame, edition: Edition) -> HTML:
    lang = edition.lang
    style = text.style(lang)
    order = {"recognition": 0, "ranking_claim": 1, "progress": 2}
    frame = frame.sort_values("type", key=lambda t: t.map(order), kind="stable")
    rows = [
        [
            *style.both_cells(r["text_en"], r["text_zh"]),
            escape(say(f"milestone_type.{r['type']}", lang, level=say(f"level.{r['level']}", lang))),
            source_link(ds, r["source"], r["quote"], lang),
        ]
        for _, r in frame.iterrows()
    ]
    headers = [say("col.milestone", lang), say("col.milestone_published", lang)][: len(style.both_cells("", ""))]
    return html_table(headers + [say("col.what_it_is", lang), say("col.source", lang)], rows, "milestones")


def _partner(row, style) -> str:
    """A project's partner, named in the reader's language where the data give a Chinese name (英国bp公司)."""
    chinese = row.get("partner_zh") or ""
    return style.name_html(row["partner"], chinese) if row["partner"] and chinese else escape(row["partner"])


def projects(ds: Dataset, frame: pd.DataFrame, edition: Edition) -> HTML:
    lang = edition.lang
    style = text.style(lang)
    stages = ds.stages.set_index("id")
    rows = []
    for _, r in frame.iterrows():
        money = (
            escape(
                say(
                    "investment.value",
                    lang,
                    value=style.amount(r["investment_text"], r["investment_unit"], ds),
                    basis=say("investment_basis." + r["investment_basis"], lang),
                )
            )
            if pd.notna(r["investment"])
            else say("table.none", lang)
        )
        stage = stages.loc[r["stage"]]
        rows.append(
            [
                style.name_html(r["name_en"], r["name_zh"]),
                style.name_html(stage["en"], stage["zh"]).replace("<br>", " "),
                money,
                _partner(r, style) or say("table.none", lang),
                source_link(ds, r["source"], r["quote"], lang),
            ]
        )
    headers = ["col.project", "col.stage", "col.investment", "col.partner", "col.source"]
    return html_table([say(h, lang) for h in headers], rows, "projects")


def _price_basis_key(price_basis: str) -> str:
    """A growth rate at comparable prices belongs to a level at current prices (a GDP level is never at
    comparable prices), so a comparable basis is shown as the pair."""
    return (
        "price_basis_label.levels_current_growth_comparable"
        if price_basis == "comparable"
        else f"price_basis_label.{price_basis}"
    )


def dictionary(ds: Dataset, edition: Edition) -> HTML:
    """The indicator registry for readers: names, unit, kind, description and the years held.

    The description column shows only where the registry holds it in the page's language."""
    lang = edition.lang
    style = text.style(lang)
    years = (
        derive.figures_for(ds)
        .groupby("indicator")["year"]
        .apply(lambda ys: say("list.comma", lang).join(say("date.year", lang, year=y) for y in sorted(ys)))
    )
    themes = ds.themes.set_index("id")
    scopes = ds.scopes.set_index("id")
    none = say("table.none", lang)
    described = text.field(ds.indicators.iloc[0], "description", lang) is not None if len(ds.indicators) else False
    rows = []
    for r in ds.indicators.itertuples():
        unit = f'<span lang="zh">{escape(r.unit)}</span>' + (
            f" ({escape(ds.units[r.unit]['en'])})" if style.shows_english else ""
        )
        scope = (
            escape(text.field(scopes.loc[r.scope], "name", lang))
            if isinstance(r.scope, str) and r.scope in scopes.index
            else none
        )
        description = [escape(text.field(r, "description", lang))] if described else []
        rows.append(
            [
                *([f"<code>{escape(r.id)}</code>"] if shows_ids(lang) else []),
                style.name_html(r.name_en, r.name_zh),
                escape(text.field(themes.loc[r.theme], "title", lang)),
                unit,
                escape(say(f"measure_label.{r.measure}", lang)),
                escape(say(_price_basis_key(r.price_basis), lang)),
                scope,
                *description,
                escape(years.get(r.id, none)),
            ]
        )
    headers = [
        *(["col.id"] if shows_ids(lang) else []),
        "col.name",
        "col.theme",
        "col.unit",
        "col.measure",
        "col.price_basis",
        "col.scope",
        *(["col.description"] if described else []),
        "col.years",
    ]
    return html_table([say(h, lang) for h in headers], rows, "dictionary")


def years_held(ds: Dataset, edition: Edition) -> HTML:
    """Indicators held for more than one year, with every year from first to last as a column (gaps shown).

    The chapters' years only: the long-view page shows the older figures with their breaks."""
    lang = edition.lang
    figures = derive.recent(ds, derive.figures_for(ds))
    counts = figures.groupby("indicator")["year"].nunique()
    several = [i for i in ds.indicators["id"] if counts.get(i, 0) >= 2]
    years = list(range(int(figures["year"].min()), int(figures["year"].max()) + 1)) if not figures.empty else []
    names = ds.indicators.set_index("id")
    held = set(zip(figures["indicator"], figures["year"]))
    rows = [
        [escape(text.field(names.loc[i], "name", lang))] + ["✓" if (i, y) in held else "·" for y in years]
        for i in several
    ]
    return html_table(
        [say("col.indicator", lang)] + [say("date.year", lang, year=y) for y in years], rows, "years-held"
    )


def theme_counts(ds: Dataset, year: int) -> pd.DataFrame:
    """Per theme, what its chapter shows for an edition of `year`: the figures of its table (the shown
    year's, an earlier year's for a theme without figures in `year`, and earlier years of the same
    indicators), their growth rates and implied levels, and the shown year's projects and milestones."""
    counted = derive.figures_per_theme(ds, year)
    rows = []
    for r in counted.itertuples():
        shown = derive.shown_year(ds, year, r.theme)
        figures = derive.chapter_figures(ds, year, r.theme)
        rows.append(
            {
                "theme": r.theme,
                "title_en": r.title_en,
                "title_zh": r.title_zh,
                "shown_year": shown,
                "figures": len(figures),
                "years": figures["year"].value_counts().sort_index(ascending=False),
                "with_growth": int(figures["yoy_pct"].notna().sum()),
                "implied": len(derive.implied_previous(figures)),
                "projects": int(((ds.projects["theme"] == r.theme) & (ds.projects["year"] == shown)).sum()),
                "milestones": int(((ds.milestones["theme"] == r.theme) & (ds.milestones["year"] == shown)).sum()),
            }
        )
    return pd.DataFrame(rows)


def _figures_cell(row, year: int, lang: str) -> str:
    """'9 (2023)' when a chapter shows another year than the edition's; '14 (13 of 2024, 1 of 2023)' when
    it shows more than one; the bare count otherwise."""
    years = row.years
    if list(years.index) in ([], [year]):
        return str(row.figures)
    if len(years) == 1:
        return say("themes.count_year", lang, count=row.figures, year=say("date.year", lang, year=int(years.index[0])))
    parts = say("list.comma", lang).join(
        say("themes.count_of_year", lang, count=int(n), year=say("date.year", lang, year=int(y)))
        for y, n in years.items()
    )
    return say("themes.count_years", lang, count=row.figures, parts=parts)


def themes_overview(ds: Dataset, edition: Edition) -> HTML:
    """Per theme, the counts its chapter shows (theme_counts), with the year where it differs."""
    lang = edition.lang
    year = edition.year
    style = text.style(lang)
    counts = theme_counts(ds, year)
    rows = [
        [
            style.name_html(r.title_en, r.title_zh),
            escape(_figures_cell(r, year, lang)),
            str(r.with_growth),
            str(r.implied),
            str(r.projects),
            str(r.milestones),
        ]
        for r in counts.itertuples()
    ]
    headers = [
        "col.theme",
        "col.published_figures",
        "col.with_growth",
        "col.implied_levels",
        "col.named_projects",
        "col.milestones",
    ]
    return html_table([say(h, lang) for h in headers], rows, "themes")


def key_figures(ds: Dataset, figures: pd.DataFrame, edition: Edition) -> HTML:
    """The landing page's cards: the figures the registry ranks as key (`key_figure`), in that order,
    chosen for what they say about the county's economy rather than one per theme."""
    lang = edition.lang
    style = text.style(lang)
    ranked = figures[figures["key_figure"].map(lambda v: v is not None and v == v)]
    leads = ranked.sort_values("key_figure", key=lambda s: s.astype(int))
    cards = []
    for _, r in leads.iterrows():
        growth = escape(
            say(
                "key.growth",
                lang,
                change=text.change(r["yoy_pct"], lang),
                previous=say("date.year", lang, year=r["year"] - 1),
            )
        )
        growth_text = f'<div class="growth">{growth}</div>' if pd.notna(r["yoy_pct"]) else ""
        value, *published = style.value_cells(r, ds, lang)
        cards.append(
            f'<div class="key-figure"><div class="value">{value}</div>'
            f'<div class="name">{escape(text.field(r, "name", lang))}</div>{growth_text}'
            + "".join(f'<div class="published">{cell}</div>' for cell in published)
            + f'<div class="source">{source_link(ds, r["source"], r["quote"], lang)}</div></div>'
        )
    return HTML(f'<div class="key-figures">{"".join(cards)}</div>')


def units(ds: Dataset, edition: Edition) -> HTML:
    """Every unit allowed in data/, its English reading (English edition) and the indicators that use it."""
    lang = edition.lang
    english = text.style(lang).shows_english
    used = ds.indicators.groupby("unit")["id"].count()
    none = say("table.none", lang)
    # A unit is written as its source printed it: in Chinese, or in English by an English source.
    rows = [
        [
            f'<span lang="{"en" if unit.isascii() else "zh"}">{escape(unit)}</span>',
            *(
                [
                    escape(spec["en"]),
                    escape(numbers.english("1", unit, ds.units)) if spec.get("factor", 1) != 1 else none,
                ]
                if english
                else []
            ),
            escape(say("unit.whole", lang)) if spec.get("whole") else "",
            str(used.get(unit, 0)),
        ]
        # English sources' units (billion yuan) are English words: the Chinese edition shows none.
        for unit, spec in ds.units.items()
        if english or not re.fullmatch(r"[a-z ]+", unit)
    ]
    headers = [
        "col.unit",
        *(["col.reading", "col.in_english_units"] if english else []),
        "col.values",
        "col.indicators",
    ]
    return html_table([say(h, lang) for h in headers], rows, "units")


def qualifiers(ds: Dataset, edition: Edition) -> HTML:
    lang = edition.lang
    english = text.style(lang).shows_english
    none = say("table.none", lang)
    rows = [
        [
            escape(say(f"qualifier_label.{r.id}", lang)),
            escape(r.zh) or none,
            *([escape(r.en) or escape(say("qualifier.exact", lang))] if english else []),
            escape(r.symbol) or none,
        ]
        for r in ds.qualifiers.itertuples()
    ]
    headers = ["col.qualifier", "col.source_word", *(["col.shown_as"] if english else []), "col.symbol"]
    return html_table([say(h, lang) for h in headers], rows, "qualifiers")


def cross_year(checked: pd.DataFrame, edition: Edition, ds: Dataset | None = None) -> HTML:
    """Published growth against the change of two published levels; the English edition names each
    indicator by its id, another edition by its name in the registry (`ds` needed)."""
    lang = edition.lang
    names = (
        ds.indicators.set_index("id")[f"name_{lang}"] if ds is not None and not text.style(lang).shows_english else None
    )
    rows = [
        [
            f"<code>{escape(str(r['indicator']))}</code>" if names is None else escape(names[r["indicator"]]),
            escape(say("date.year", lang, year=r["year"])),
            f"{r['published_pct']:+g}%",
            f"{r['computed_pct']:+.1f}%",
            escape(say("crosscheck.difference", lang, value=f"{r['difference_pp']:+.1f}")),
            escape(say("check.differs" if r["flagged"] else "check.consistent", lang)),
        ]
        for _, r in checked.iterrows()
    ]
    headers = [
        "check.col_indicator",
        "check.col_year",
        "check.col_published",
        "check.col_computed",
        "check.col_difference",
        "check.col_check",
    ]
    return html_table([say(h, lang) for h in headers], rows, "cross-year")

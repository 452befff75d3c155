"""The tables chapters show, as escaped HTML: headline figures, figures and sources, ratios,
milestones, projects and the indicator dictionary.

Every published figure links to its source entry on the methods page and carries its verbatim
quote; implied values get the `implied` class and an explicit label.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML

from ..data import Dataset, derive, translations
from ..data.schemas import SOURCE_TIERS, TIER_ORDER
from . import numbers, text
from .edition import Edition
from .messages import say
from .text import html_escape as escape

METHODS_PAGE = "07_methods.html"


CHINESE_RUN = re.compile(
    r"[\d.]*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][\d.\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]*"
)


def _shows_ids(lang: str) -> bool:
    """Record ids (snake_case) and registry codes beside the names: in the English edition, read by
    analysts who take the data further. Another edition shows names only, in its own language; the
    ids stay in the downloads, where they join one file to another."""
    return text.style(lang).shows_english


def _sources_named(escaped_note: str, sources: pd.DataFrame) -> str:
    """A note's mention of another source by its id, as that source's title in 《》, marked with the
    title's language (HTML; the note is escaped already)."""
    titles = {r.id: (r.title, r.language) for r in sources.itertuples()}

    def titled(found: re.Match) -> str:
        if found.group(0) not in titles:
            return found.group(0)
        title, language = titles[found.group(0)]
        return f'《<span lang="{escape(language)}">{escape(title.strip("《》"))}</span>》'

    return re.sub(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", titled, escaped_note)


def _mark_chinese(escaped: str) -> str:
    """Wrap the Chinese runs of an English note (a quoted phrase) in lang="zh", for readers and checks."""
    return CHINESE_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', escaped)


def _table(headers: list[str], rows: list[list[str]], css: str) -> HTML:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return HTML(f'<table class="countybook {css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def _name(row, lang: str) -> str:
    return text.style(lang).name_html(row["name_en"], row["name_zh"])


def _translation(english: str | None, key: str, lang: str, inert=escape) -> str:
    """The book's English rendering beside a Chinese original, in an edition that shows English; marked
    as the book's translation (class "translation") so a reader never takes it for the source's words.
    `inert` makes the text inert where the span lands (HTML, or Markdown for text.escape)."""
    if not english or not text.style(lang).shows_english:
        return ""
    return f' <span class="translation" lang="en">{inert(say(key, lang, text=english))}</span>'


def _quote(quote: str, lang: str, language: str, english: str | None = None) -> str:
    """The verbatim quote, expandable, marked with its source's `language` (the quote stays in the
    original), with the book's English rendering of a Chinese quote beside it in the English edition."""
    return (
        f"<details><summary>{escape(say('table.quote', lang))}</summary>"
        f'<q lang="{escape(language)}">{escape(quote)}</q>{_translation(english, "translation.quote", lang)}'
        "</details>"
    )


def quote_html(ds: Dataset, quote: str, lang: str, language: str) -> str:
    """_quote with the book's rendering looked up in data/quotes_en.csv. A source that mixes languages
    (a Chinese headline over an English body) may be quoted in English: such a quote is marked English."""
    if language == "zh" and not translations.is_chinese(quote):
        language = "en"
    return _quote(quote, lang, language, translations.english_quote(ds.quote_translations, quote))


def _source_language(ds: Dataset, source_id: str) -> str:
    return ds.sources.set_index("id").loc[source_id, "language"]


def original_of(ds: Dataset, source_id: str) -> str:
    """The id of the publication a source reproduces (copy_of), or the source's own id for an original."""
    sources = ds.sources.set_index("id")
    copy_of = sources.loc[source_id].get("copy_of", "")
    return copy_of if isinstance(copy_of, str) and copy_of else source_id


def _title(source, lang: str, inert=escape) -> str:
    """A source's title as published (marked with its language), with the book's English rendering of a
    Chinese title beside it in the English edition."""
    return (
        f'<span class="source-title" lang="{escape(source["language"])}">{inert(source["title"])}</span>'
        + _translation(translations.english_title(source), "translation.title", lang, inert)
    )


def title_in_markdown(source, lang: str) -> str:
    """The title for a Markdown sentence: the text between inline HTML tags is still read as Markdown."""
    return _title(source, lang, text.escape)


def _title_link(ds: Dataset, source_id: str, lang: str) -> str:
    """The title of the publication a figure comes from, linked to its entry on the methods page; where
    the book read a copy (a repost, a mirror, a translation), the original's title and the copy it was
    read at, each linked to its entry."""
    sources = ds.sources.set_index("id")
    original = original_of(ds, source_id)
    link = f'<a href="{METHODS_PAGE}#source-{escape(original)}">{_title(sources.loc[original], lang)}</a>'
    if original == source_id:
        return link
    copy = sources.loc[source_id]
    return (
        link
        + escape(say("source.read_at_inline", lang))
        + (f'<a href="{METHODS_PAGE}#source-{escape(source_id)}">{escape(text.publisher(copy, lang))}</a>')
    )


def source_link(ds: Dataset, source_id: str, quote: str, lang: str) -> str:
    """Link to the source's entry plus the verbatim quote, expandable; both marked with the source's language."""
    return _title_link(ds, source_id, lang) + quote_html(ds, quote, lang, _source_language(ds, source_id))


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
            quote_html(ds, row["quote"], lang, _source_language(ds, row["source"]))
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
    table = _table(headers, rows, "figures").data
    if shared and not figures.empty:
        table = (
            f'<p class="table-source">{escape(say("table.source_of_every_row", lang))}'
            f"{_title_link(ds, figures['source'].iloc[0], lang)}</p>" + table
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
    return _table([say(h, lang) for h in headers], rows, "ratios")


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
    return _table(headers + [say("col.what_it_is", lang), say("col.source", lang)], rows, "milestones")


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
    return _table([say(h, lang) for h in headers], rows, "projects")


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
                *([f"<code>{escape(r.id)}</code>"] if _shows_ids(lang) else []),
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
        *(["col.id"] if _shows_ids(lang) else []),
        "col.name",
        "col.theme",
        "col.unit",
        "col.measure",
        "col.price_basis",
        "col.scope",
        *(["col.description"] if described else []),
        "col.years",
    ]
    return _table([say(h, lang) for h in headers], rows, "dictionary")


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
    return _table([say("col.indicator", lang)] + [say("date.year", lang, year=y) for y in years], rows, "years-held")


def benchmark_source_ids(ds: Dataset, year: int | None = None) -> list[str]:
    """The publications benchmarks cite (of one year, or of any), each copy read counted as its original:
    the one count behind both the overview's "the benchmarks come from N of M sources" and the methods
    list's benchmark marks."""
    marks = ds.benchmarks if year is None or ds.benchmarks.empty else ds.benchmarks[ds.benchmarks["year"] == int(year)]
    used = set(ds.sources.loc[ds.sources["status"] == "used", "id"])
    return sorted({original_of(ds, s) for s in set(marks["source"]) & used}) if not marks.empty else []


def tier(source) -> str:
    """The source's rank as a record of official figures (schemas.SOURCE_TIERS), by its kind."""
    return SOURCE_TIERS[source["kind"]]


def _entry(ds: Dataset, r, lang: str, role: bool, copied: bool = False) -> str:
    """One source's lines: title (with the book's English title), publisher, date, credits, status,
    reliability, address and note. An original read only in copies (`copied`) without an address is
    one whose official address was looked for and not found."""
    missing = "source.no_official_address" if copied else "source.no_address"
    link = f'<a href="{escape(r.url)}">{escape(r.url)}</a>' if r.url else escape(say(missing, lang))
    status = say("source.status_used" if r.status == "used" else "source.status_not_used", lang)
    if role:
        status += say("source.role_benchmark", lang)
    credited = (
        f'<br>{escape(say("source.credited", lang))}<span lang="zh">{escape(r.authors)}</span>' if r.authors else ""
    )
    note = text.field(r, "note", lang) or ""
    reliability = say("source.reliability", lang, reliability=say(f"reliability.{r.reliability}", lang))
    return (
        f"<strong>{_title(r._asdict(), lang)}</strong> — {escape(text.publisher(r, lang))}"
        f"{escape(say('source.date', lang, date=text.date(r.date, lang))) if r.date else ''}"
        f"{credited}<br>"
        f"{f'<code>{escape(r.id)}</code> · ' if _shows_ids(lang) else ''}"
        f"{escape(status)} · {escape(reliability)} · {link}<br>"
        f"{_mark_chinese(escape(note)) if text.style(lang).shows_english else _sources_named(escape(note), ds.sources)}"
    )


def sources(ds: Dataset, edition: Edition) -> HTML:
    """One entry per publication (anchored for the chapters' links), used ones first, with its rank; each
    copy the book read (a repost, a mirror, a translation) sits inside its original's entry as "read at"."""
    lang = edition.lang
    entries = []
    benchmark_sources = set(benchmark_source_ids(ds))
    frame = ds.sources.reindex(
        columns=[*ds.sources.columns, *[c for c in ("copy_of", "title_en") if c not in ds.sources.columns]]
    ).fillna("")
    copies = frame[frame["copy_of"] != ""]
    originals = frame[frame["copy_of"] == ""]
    for r in originals.sort_values("status", key=lambda s: s != "used", kind="stable").itertuples(index=False):
        role = r.id in benchmark_sources
        rank = escape(say("source.tier", lang, tier=say(f"tier.{tier(r._asdict())}", lang)))
        its_copies = copies[copies["copy_of"] == r.id]
        read_at = "".join(
            f'<div class="source-copy {escape(c.status)}" id="source-{escape(c.id)}"><p>'
            f"{escape(say('source.read_at', lang))}{_entry(ds, c, lang, False)}</p></div>"
            for c in its_copies.itertuples(index=False)
        )
        entries.append(
            f'<div class="source-entry {escape(r.status)}{" benchmark" if role else ""}" id="source-{escape(r.id)}">'
            f"<p>{_entry(ds, r, lang, role, copied=not its_copies.empty)}<br>{rank}</p>{read_at}</div>"
        )
    return HTML(f'<div class="source-list">{"".join(entries)}</div>')


def benchmark_sources(ds: Dataset, edition: Edition) -> HTML:
    """Every benchmark with the original publication its figure comes from, that publication's rank, the
    copy the book read it at (or the original itself), and the quote with the book's English rendering."""
    lang = edition.lang
    sources = ds.sources.set_index("id")
    areas = ds.areas.set_index("id")
    names = ds.all_indicators().set_index("id")
    order = {t: n for n, t in enumerate(TIER_ORDER)}
    marks = ds.benchmarks.assign(original=ds.benchmarks["source"].map(lambda s: original_of(ds, s)))
    marks = marks.assign(rank=marks["original"].map(lambda o: order[tier(sources.loc[o])]))
    rows = []
    for r in marks.sort_values(["rank", "area", "year"], kind="stable").itertuples():
        original = sources.loc[r.original]
        address = (
            f'<a href="{escape(original["url"])}">{escape(original["url"])}</a>'
            if original["url"]
            else escape(say("source.no_official_address", lang))
        )
        cited = (
            f'<a href="{METHODS_PAGE}#source-{escape(r.original)}">{_title(original, lang)}</a>'
            f" — {escape(text.publisher(original, lang))}"
            f"{escape(say('source.date', lang, date=text.date(original['date'], lang))) if original['date'] else ''}<br>{address}"
        )
        if r.original == r.source:
            # A media report read as itself is no official publication: its figure is secondary too.
            read_at = escape(say("source.read_original", lang)) + (
                f"<br>{escape(say('source.secondary_media', lang))}" if tier(original) == "media_report" else ""
            )
        else:
            copy = sources.loc[r.source]
            read_at = (
                f'<a href="{METHODS_PAGE}#source-{escape(r.source)}">{escape(text.publisher(copy, lang))}</a>'
                f"<br>{escape(say('source.secondary', lang))}"
            )
        rows.append(
            [
                escape(text.field(areas.loc[r.area], "name", lang)),
                escape(text.field(names.loc[r.indicator], "name", lang)),
                escape(say("date.year", lang, year=r.year)),
                cited,
                escape(say(f"tier.{tier(original)}", lang)),
                read_at,
                quote_html(ds, r.quote, lang, sources.loc[r.source, "language"]),
            ]
        )
    headers = [
        "col.area",
        "col.indicator",
        "col.year",
        "col.original_publication",
        "col.rank",
        "col.read_at",
        "col.quote",
    ]
    return _table([say(h, lang) for h in headers], rows, "benchmark-sources")


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
    return _table([say(h, lang) for h in headers], rows, "themes")


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
    return _table([say(h, lang) for h in headers], rows, "units")


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
    return _table([say(h, lang) for h in headers], rows, "qualifiers")


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
    return _table([say(h, lang) for h in headers], rows, "cross-year")

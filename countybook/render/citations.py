"""Citations as HTML: source titles (with the book's English rendering), quotes, links to the methods
page's entries, the list of sources and the table of where each benchmark comes from."""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML

from ..data import Dataset, translations
from ..data.source_kinds import SOURCE_TIERS, TIER_ORDER
from . import text
from .edition import Edition
from .messages import say
from .text import html_escape as escape

METHODS_PAGE = "07_methods.html"

CHINESE_RUN = re.compile(
    r"[\d.]*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][\d.\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]*"
)


def shows_ids(lang: str) -> bool:
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


def html_table(headers: list[str], rows: list[list[str]], css: str) -> HTML:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return HTML(f'<table class="countybook {css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


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


def source_language(ds: Dataset, source_id: str) -> str:
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


def title_link(ds: Dataset, source_id: str, lang: str) -> str:
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
    return title_link(ds, source_id, lang) + quote_html(ds, quote, lang, source_language(ds, source_id))


def benchmark_source_ids(ds: Dataset, year: int | None = None) -> list[str]:
    """The publications benchmarks cite (of one year, or of any), each copy read counted as its original:
    the one count behind both the overview's "the benchmarks come from N of M sources" and the methods
    list's benchmark marks."""
    marks = ds.benchmarks if year is None or ds.benchmarks.empty else ds.benchmarks[ds.benchmarks["year"] == int(year)]
    used = set(ds.sources.loc[ds.sources["status"] == "used", "id"])
    return sorted({original_of(ds, s) for s in set(marks["source"]) & used}) if not marks.empty else []


def tier(source) -> str:
    """The source's rank as a record of official figures (source_kinds.SOURCE_TIERS), by its kind."""
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
        f"{f'<code>{escape(r.id)}</code> · ' if shows_ids(lang) else ''}"
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
    return html_table([say(h, lang) for h in headers], rows, "benchmark-sources")

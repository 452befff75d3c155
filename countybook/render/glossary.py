"""The glossary page and the links from each chapter's first use of a term to its entry.

Links are written as inline HTML (`<a href="09_glossary.html#term-…">`), not as Markdown links: myst-nb
would turn a Markdown link in a cell output into a Sphinx cross-reference, which the strict build
(`-W -n`) rejects for an anchor that is raw HTML. Every chapter sits in book/chapters/, next to the
glossary, so the relative address resolves in the built HTML; `page_depth` prefixes "../" for a page
one folder deeper.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pandas as pd
from IPython.display import HTML

from ..data import Dataset, translations
from .edition import Edition
from .messages import say
from .text import html_escape as escape
from .text import style

GLOSSARY_PAGE = "09_glossary.html"
# Parts of a Markdown string never to link inside: whole anchors, other HTML tags, inline code,
# Markdown links and images, and heading lines.
_PROTECTED = re.compile(r"(<a\b[^>]*>.*?</a>|<[^>]+>|`[^`]*`|!?\[[^\]]*\]\([^)]*\)|^#[^\n]*$)", re.S | re.M)


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
# A negating prefix makes another term of what follows: 非全年 is not a use of 全年.
_PREFIXES = ("非",)


def _word_bounds(text: str) -> frozenset[int]:
    """The offsets in text where a Chinese word starts or ends (jieba's general dictionary, no
    guessing of new words), so a term is linked only where it is a whole word or a run of whole
    words: 可比价 inside 可比价格, or 全年 inside 非全年, is not a use of the term."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # its start-up notice would be stderr in the executed notebook
    bounds, position = {0, len(text)}, 0
    for token in jieba.cut(text, HMM=False):
        position += len(token)
        bounds.add(position)
    return frozenset(bounds)


def _whole(found: re.Match, bounds: Callable[[], frozenset[int]]) -> bool:
    """Whether found is a use of its term; bounds gives the text's word bounds when a Chinese match
    needs them (segmenting is most of the linking's time, and English prose seldom needs it)."""
    if found.group(0).isascii():
        return True  # English matches are whole words by their pattern
    before = found.string[: found.start()]
    words = bounds()
    return found.start() in words and found.end() in words and not before.endswith(_PREFIXES)


def anchor(term_id: str) -> str:
    return f"term-{term_id.replace('_', '-')}"


def _patterns(glossary: pd.DataFrame) -> list[tuple[str, re.Pattern]]:
    """(term id, pattern) for every match string, longest first so 规上服务业 wins over 规上."""
    pairs = [(row["id"], str(match)) for _, row in glossary.iterrows() for match in row["match"]]
    pairs.sort(key=lambda pair: len(pair[1]), reverse=True)
    compiled = []
    for term_id, match in pairs:
        if match.isascii():
            # English words match whole words, in any case: "mu" is not the start of "municipal".
            compiled.append((term_id, re.compile(rf"(?<![A-Za-z]){re.escape(match)}(?![A-Za-z])", re.I)))
        else:
            compiled.append((term_id, re.compile(re.escape(match))))
    return compiled


def link_first_uses(markdown: str, seen: set, glossary: pd.DataFrame, page_depth: int = 0, *, edition: Edition) -> str:
    """Link the first use of each glossary term not yet in `seen` to its entry; add it to `seen`.

    `seen` belongs to one page: pass the same set for every paragraph of a chapter, so a term is
    linked once per chapter, where the reader first meets it. The Chinese match strings (规上) find
    the term in Chinese prose as in English; the link's tooltip is the term in the edition's language.
    """
    lang = edition.lang
    if glossary is None or glossary.empty:
        return markdown
    patterns = _patterns(glossary)
    terms = dict(zip(glossary["id"], glossary[f"term_{lang}"]))
    prefix = "../" * page_depth
    pieces = _PROTECTED.split(markdown)
    for index in range(0, len(pieces), 2):  # even pieces are plain text, odd ones protected
        pieces[index] = _link_text(pieces[index], seen, patterns, terms, prefix)
    return "".join(pieces)


def _link_text(text: str, seen: set, patterns, terms: dict, prefix: str) -> str:
    """Every use is attributed to the longest term matching there (规上服务业 is a use of that term, not of
    规上), whether or not it is linked; only a term's first use gets the link."""
    out, position = [], 0
    bounds = functools.cache(functools.partial(_word_bounds, text))
    while True:
        best = None
        for term_id, pattern in patterns:
            found = pattern.search(text, position)
            while found and not _whole(found, bounds):
                found = pattern.search(text, found.start() + 1)
            # Earliest use first; at one place the longest match, which comes first in `patterns`.
            if found and (best is None or found.start() < best[1].start()):
                best = (term_id, found)
        if best is None:
            out.append(text[position:])
            return "".join(out)
        term_id, found = best
        out.append(text[position : found.start()])
        if term_id in seen:
            out.append(found.group(0))
        else:
            seen.add(term_id)
            out.append(
                f'<a class="glossary-term" href="{prefix}{GLOSSARY_PAGE}#{anchor(term_id)}" '
                f'title="{escape(terms[term_id])}">{found.group(0)}</a>'
            )
        position = found.end()


def glossary_html(ds: Dataset, edition: Edition) -> HTML:
    """One anchored entry per term. English: Chinese and English term, both definitions; Chinese: the
    Chinese term and definition. Where each comes from, in the catalogue's words."""
    lang = edition.lang
    entries = []
    for row in ds.glossary.itertuples():
        source = escape(_localised(row, "source", lang))
        if row.url:
            source = f'<a href="{escape(row.url)}">{source}</a>'
        quote = say("glossary.quote", lang, quote=escape(row.quote)) if row.quote else ""
        english = translations.english_quote(ds.quote_translations, row.quote) if style(lang).shows_english else None
        if english:
            quote += (
                f' <span class="translation" lang="en">{escape(say("translation.quote", lang, text=english))}</span>'
            )
        extra = _conversions(ds, lang) if row.id == "yi_and_wan" else ""
        entries.append(
            f'<div class="glossary-entry" id="{anchor(row.id)}">'
            f"<dt>{say('glossary.term', lang, term_zh=escape(row.term_zh), term_en=escape(row.term_en))}</dt>"
            f"<dd>{say('glossary.definitions', lang, definition_en=escape(' '.join(row.definition_en.split())), definition_zh=escape(_unfold_zh(row.definition_zh)))}"
            f'{extra}<p class="glossary-source">{say("glossary.source", lang, source=source, quote=quote)}</p></dd></div>'
        )
    return HTML(f'<dl class="glossary">{"".join(entries)}</dl>')


def _localised(row, name: str, lang: str) -> str:
    """A field in the edition's language (source_zh), else the field as written (source)."""
    value = getattr(row, f"{name}_{lang}", "")
    return value if isinstance(value, str) and value.strip() else getattr(row, name)


def _unfold_zh(text: str) -> str:
    """YAML folds a long line with a space; Chinese takes none between characters."""
    return _CJK_GAP.sub("", " ".join(text.split()))


def _conversions(ds: Dataset, lang: str) -> str:
    """Every unit with a declared base, converted to it (from data/units.yml, never typed here); the
    Chinese base unit is the unit of factor 1 with that base (元 for yuan), where the registry has one."""
    chinese_base: dict[str, str] = {}
    for unit, spec in ds.units.items():
        if not unit.isascii() and float(spec.get("factor", 1)) == 1 and spec.get("base_en"):
            chinese_base.setdefault(spec["base_en"], unit)
    # An edition showing values as published lists only the Chinese units, each against a Chinese base.
    as_published = not style(lang).shows_english
    rows = []
    for unit, spec in ds.units.items():
        if as_published and (unit.isascii() or spec.get("base_en") not in chinese_base):
            continue
        if spec.get("base_en") and float(spec.get("factor", 1)) != 1:
            rows.append(
                say(
                    "glossary.conversion_row",
                    lang,
                    unit=escape(unit),
                    reads=escape(spec["en"]),
                    factor=float(spec["factor"]),
                    base=escape(spec["base_en"]),
                    base_zh=escape(chinese_base.get(spec["base_en"], spec["base_en"])),
                )
            )
    if not rows:
        return ""
    return (
        f'<table class="countybook conversions"><thead>{say("glossary.conversion_head", lang)}'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )

"""The glossary page and the links from each chapter's first use of a term to its entry.

Links are written as inline HTML (`<a href="09_glossary.html#term-…">`), not as Markdown links: myst-nb
would turn a Markdown link in a cell output into a Sphinx cross-reference, which the strict build
(`-W -n`) rejects for an anchor that is raw HTML. Every chapter sits in book/chapters/, next to the
glossary, so the relative address resolves in the built HTML; `page_depth` prefixes "../" for a page
one folder deeper.
"""
from __future__ import annotations

import re
from html import escape

import pandas as pd
from IPython.display import HTML

from ..data import Dataset

GLOSSARY_PAGE = "09_glossary.html"
# Parts of a Markdown string never to link inside: whole anchors, other HTML tags, inline code,
# Markdown links and images, and heading lines.
_PROTECTED = re.compile(r"(<a\b[^>]*>.*?</a>|<[^>]+>|`[^`]*`|!?\[[^\]]*\]\([^)]*\)|^#[^\n]*$)", re.S | re.M)


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


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


def link_first_uses(markdown: str, seen: set, glossary: pd.DataFrame, page_depth: int = 0) -> str:
    """Link the first use of each glossary term not yet in `seen` to its entry; add it to `seen`.

    `seen` belongs to one page: pass the same set for every paragraph of a chapter, so a term is
    linked once per chapter, where the reader first meets it.
    """
    if glossary is None or glossary.empty:
        return markdown
    patterns = _patterns(glossary)
    terms = dict(zip(glossary["id"], glossary["term_en"]))
    prefix = "../" * page_depth
    pieces = _PROTECTED.split(markdown)
    for index in range(0, len(pieces), 2):  # even pieces are plain text, odd ones protected
        pieces[index] = _link_text(pieces[index], seen, patterns, terms, prefix)
    return "".join(pieces)


def _link_text(text: str, seen: set, patterns, terms: dict, prefix: str) -> str:
    """Every use is attributed to the longest term matching there (规上服务业 is a use of that term, not of
    规上), whether or not it is linked; only a term's first use gets the link."""
    out, position = [], 0
    while True:
        best = None
        for term_id, pattern in patterns:
            found = pattern.search(text, position)
            # Earliest use first; at one place the longest match, which comes first in `patterns`.
            if found and (best is None or found.start() < best[1].start()):
                best = (term_id, found)
        if best is None:
            out.append(text[position:])
            return "".join(out)
        term_id, found = best
        out.append(text[position:found.start()])
        if term_id in seen:
            out.append(found.group(0))
        else:
            seen.add(term_id)
            out.append(f'<a class="glossary-term" href="{prefix}{GLOSSARY_PAGE}#{anchor(term_id)}" '
                       f'title="{escape(terms[term_id])}">{found.group(0)}</a>')
        position = found.end()


def glossary_html(ds: Dataset) -> HTML:
    """One anchored entry per term: Chinese and English term, both definitions, where it comes from."""
    entries = []
    for row in ds.glossary.itertuples():
        source = escape(row.source)
        if row.url:
            source = f'<a href="{escape(row.url)}">{source}</a>'
        quote = f'<br>Quoted: <q lang="zh">{escape(row.quote)}</q>' if row.quote else ""
        extra = _conversions(ds) if row.id == "yi_and_wan" else ""
        entries.append(
            f'<div class="glossary-entry" id="{anchor(row.id)}">'
            f'<dt><strong lang="zh">{escape(row.term_zh)}</strong> — {escape(row.term_en)}</dt>'
            f'<dd><p>{escape(" ".join(row.definition_en.split()))}</p>'
            f'<p lang="zh">{escape(_unfold_zh(row.definition_zh))}</p>{extra}'
            f'<p class="glossary-source">Source: {source}{quote}</p></dd></div>')
    return HTML(f'<dl class="glossary">{"".join(entries)}</dl>')


def _unfold_zh(text: str) -> str:
    """YAML folds a long line with a space; Chinese takes none between characters."""
    return _CJK_GAP.sub("", " ".join(text.split()))


def _conversions(ds: Dataset) -> str:
    """Every unit with a declared base, converted to it (from data/units.yml, never typed here)."""
    rows = []
    for unit, spec in ds.units.items():
        if spec.get("base_en") and float(spec.get("factor", 1)) != 1:
            rows.append(f'<tr><td lang="zh">1 {escape(unit)}</td><td>{escape(spec["en"])}</td>'
                        f"<td>{float(spec['factor']):,.0f} {escape(spec['base_en'])}</td></tr>")
    if not rows:
        return ""
    return ('<table class="countybook conversions"><thead><tr><th>Unit</th><th>Reads</th><th>Equals</th></tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table>')

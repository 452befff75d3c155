"""Propose figures from a new report's text, for a person to review before `add` merges them.

    python -m countybook extract SOURCE.txt --year 2025 --source-id my_source [--out REVIEW.csv]

What it does, in order:

1. **Join the text.** Reports copied from a print layout break lines (often with blank lines) in the
   middle of a phrase or a number ("省级数字智慧牧场1" … "个"). Line breaks are dropped, so the pieces
   join, except after sentence-ending punctuation (。!?; and their ASCII forms) and around markdown
   headings (lines starting with #), where the break is kept as a clause boundary. Leading and trailing
   spaces of each line are removed. Quotes are taken verbatim from this joined text.
2. **Find numbers.** Every Arabic number is looked at. A number followed by a unit of data/units.yml
   (longest unit first, so 万吨级 wins over 万吨 and 家次 over 家) is a *level*. A number inside a growth
   phrase (增长/下降/提高/… x% or x个百分点) is a *growth rate*, attached to the nearest level before it
   in the same sentence; 下降/减少/降低/回落 give a negative rate. Changes in percentage points are not
   growth rates (yoy_pct holds % growth only), so they are listed as unassigned.
3. **Qualifiers.** The words of data/qualifiers.yml (超, 近, 约 before the number; 以上 after the
   unit) plus a few spellings of the same meaning (超过/突破 = more_than, 接近/将近 = nearly,
   大约 = about) set the qualifier; 达/达到 means the figure is exact.
4. **Assign levels to indicators.** An indicator is a candidate for a level when its unit equals the
   level's unit and its `name_zh` or one of its `aliases` (data/indicators.yml) occurs near the number:
   first between the neighbouring numbers of the same clause, else anywhere in the clause. The longest
   phrase found wins. When several levels fit one indicator, the one with the longest phrase (then the
   first) is proposed and the others are listed as unassigned, naming the indicator they also fit.
5. **Quote.** The shortest clause (text between , 。 ; 、 : ! ? and their full-width forms) holding the
   number; when a growth rate is attached, the quote runs on to the end of the growth phrase's clause.

Output (chosen design): two CSV files, never anything in data/.

* ``REVIEW.csv`` — the candidates, with exactly the columns of data/figures.csv
  (indicator, year, value, unit, qualifier, yoy_pct, source, quote), so it can be edited in a
  spreadsheet and passed straight to ``python -m countybook add``.
* ``REVIEW.unassigned.csv`` — every number that was not proposed (years, numbers without a unit,
  units no indicator uses, levels no indicator phrase is near, weaker duplicates, percentage-point
  changes), with the same columns plus ``reason``; indicator is left blank. To keep one, fill in the
  indicator, drop the reason and move the row into REVIEW.csv.
* ``REVIEW.sources.csv`` — written only when --source-id is not yet in data/sources.csv: a template
  row for the new source with the id filled in; complete it and pass it to ``add --source-file``.

Without --out, the candidates are written to stdout and the unassigned numbers (and the source
template, if any) to stderr, so ``extract … > review.csv`` still gives a clean review file.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..data import FIGURE_COLUMNS, SOURCE_COLUMNS, Dataset, load

UNASSIGNED_COLUMNS = FIGURE_COLUMNS + ["reason"]

SENTENCE_END = "。!?;!?;"
CLAUSE_BREAKS = SENTENCE_END + ",,、::\n"

# Spellings of the registry's qualifiers beyond the single word data/qualifiers.yml gives.
# Each word sits right before the number; `at_least` (以上) is read after the unit instead.
QUALIFIER_VARIANTS = {
    "more_than": ["超过", "突破"],
    "nearly": ["接近", "将近"],
    "about": ["大约"],
    "exact": ["达到", "达"],
}
AFTER_UNIT_QUALIFIER = "at_least"

RISE_WORDS = ["同比增长", "增长", "提高", "提升", "增加", "上升"]
FALL_WORDS = ["同比下降", "下降", "减少", "降低", "回落"]
NUMBER = r"\d+(?:\.\d+)?"
PERCENT_POINTS = "个百分点"


@dataclass
class Mention:
    """One number found in the joined text."""

    start: int          # index of the number (after any qualifier word)
    end: int            # index after the unit (or the number if there is no unit)
    value: str
    unit: str = ""
    qualifier: str = "exact"
    quote_start: int = 0
    kind: str = "level"  # level | growth | points | year | bare
    growth: "Mention | None" = None
    sign: str = ""
    reason: str = ""
    indicator: str = ""
    score: tuple = field(default_factory=tuple)


# --- text ------------------------------------------------------------------------------------

def join_lines(raw: str) -> str:
    """Drop line breaks inside phrases; keep one newline after a sentence end or around a heading."""
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    out = ""
    for i, line in enumerate(lines):
        if i:
            previous = lines[i - 1]
            keep = previous[-1] in SENTENCE_END or previous.startswith("#") or line.startswith("#")
            out += "\n" if keep else ""
        out += line
    return out


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and text[left - 1] not in CLAUSE_BREAKS:
        left -= 1
    right = end
    while right < len(text) and text[right] not in CLAUSE_BREAKS:
        right += 1
    return left, right


def _sentence_start(text: str, index: int) -> int:
    while index > 0 and text[index - 1] not in SENTENCE_END + "\n":
        index -= 1
    return index


# --- registry --------------------------------------------------------------------------------

@dataclass
class Registry:
    units: list[str]                       # longest first
    qualifier_words: list[tuple[str, str]]  # (word, qualifier id), longest first
    after_unit_words: list[str]
    phrases: dict[str, list[tuple[str, str]]]  # unit -> [(phrase, indicator id)]

    @classmethod
    def from_dataset(cls, ds: Dataset) -> "Registry":
        units = sorted(ds.units, key=len, reverse=True)
        words: list[tuple[str, str]] = []
        after: list[str] = []
        for q in ds.qualifiers.itertuples():
            if not q.zh:
                continue
            if q.id == AFTER_UNIT_QUALIFIER:
                after.append(q.zh)
            else:
                words.append((q.zh, q.id))
        for qid, variants in QUALIFIER_VARIANTS.items():
            if qid in set(ds.qualifiers["id"]):
                words += [(w, qid) for w in variants]
        words.sort(key=lambda pair: len(pair[0]), reverse=True)
        phrases: dict[str, list[tuple[str, str]]] = {}
        for row in ds.indicators.to_dict("records"):
            aliases = row.get("aliases")
            aliases = aliases if isinstance(aliases, list) else []
            for phrase in {row["name_zh"], *aliases}:
                if phrase:
                    phrases.setdefault(row["unit"], []).append((str(phrase), row["id"]))
        return cls(units, words, after, phrases)


# --- finding numbers -------------------------------------------------------------------------

def _growth_at(text: str, start: int, end: int) -> tuple[str, int] | None:
    """If the number at [start, end) is inside a growth phrase, return (sign, phrase start)."""
    before = text[max(0, start - 6):start]
    for word in sorted(FALL_WORDS + RISE_WORDS, key=len, reverse=True):
        if before.endswith(word):
            return ("-" if word in FALL_WORDS else ""), start - len(word)
    return None


def find_mentions(text: str, registry: Registry) -> list[Mention]:
    mentions = []
    for match in re.finditer(NUMBER, text):
        start, end = match.span()
        if start and (text[start - 1].isascii() and (text[start - 1].isalnum() or text[start - 1] == ".")):
            continue  # part of a code or a longer token (e.g. "G15")
        value = match.group()
        rest = text[end:]
        growth = _growth_at(text, start, end)
        if rest.startswith(PERCENT_POINTS):
            mentions.append(Mention(start, end + len(PERCENT_POINTS), value, "个百分点", kind="points",
                                    quote_start=growth[1] if growth else start,
                                    reason="a change in percentage points, not a % growth rate"))
            continue
        if growth and rest.startswith("%"):
            mentions.append(Mention(start, end + 1, value, "%", kind="growth", sign=growth[0], quote_start=growth[1]))
            continue
        if rest.startswith("年") and "." not in value and len(value) == 4:
            mentions.append(Mention(start, end + 1, value, "", kind="year", quote_start=start,
                                    reason="a year (date), not a figure"))
            continue
        unit = next((u for u in registry.units if rest.startswith(u)), "")
        if not unit:
            mentions.append(Mention(start, end, value, "", kind="bare", quote_start=start,
                                    reason="no unit of data/units.yml follows the number"))
            continue
        qualifier, quote_start = "exact", start
        for word, qid in registry.qualifier_words:
            if text[max(0, start - len(word)):start] == word:
                qualifier, quote_start = qid, start - len(word)
                break
        unit_end = end + len(unit)
        for word in registry.after_unit_words:
            if text[unit_end:].startswith(word):
                qualifier = AFTER_UNIT_QUALIFIER
                unit_end += len(word)
                break
        mentions.append(Mention(start, unit_end, value, unit, qualifier, quote_start))
    return mentions


def _attach_growth(text: str, mentions: list[Mention]) -> None:
    """Give each growth rate to the nearest level before it in the same sentence."""
    for i, m in enumerate(mentions):
        if m.kind != "growth":
            continue
        sentence = _sentence_start(text, m.start)
        for prior in reversed(mentions[:i]):
            if prior.start < sentence or prior.kind == "growth":
                break
            if prior.kind == "level":
                if prior.growth is None:
                    prior.growth = m
                break
        if not any(p.growth is m for p in mentions):
            m.reason = "a growth rate with no level before it in the sentence"


def _assign(text: str, mentions: list[Mention], registry: Registry) -> None:
    levels = [m for m in mentions if m.kind in ("level", "growth", "points", "year", "bare")]
    for i, m in enumerate(levels):
        if m.kind != "level":
            continue
        candidates = registry.phrases.get(m.unit, [])
        if not candidates:
            m.reason = f"no indicator of data/indicators.yml is measured in {m.unit}"
            continue
        c_start, c_end = _clause_bounds(text, m.quote_start, m.end)
        prev_end = max([o.end for o in levels[:i] if o.end <= m.start and o.end > c_start], default=c_start)
        next_start = min([o.quote_start for o in levels[i + 1:] if o.quote_start >= m.end and o.quote_start < c_end],
                         default=c_end)
        near, clause = text[prev_end:next_start], text[c_start:c_end]
        best = None
        for phrase, indicator in candidates:
            for rank, context in ((1, near), (0, clause)):
                if phrase in context:
                    score = (rank, len(phrase))
                    if best is None or score > best[0]:
                        best = (score, indicator)
                    break
        if best is None:
            m.reason = (f"no indicator measured in {m.unit} has its name or an alias in the clause; "
                        "add an alias to data/indicators.yml if one should")
            continue
        m.score, m.indicator = best
    by_indicator: dict[str, list[Mention]] = {}
    for m in levels:
        if m.indicator:
            by_indicator.setdefault(m.indicator, []).append(m)
    for indicator, group in by_indicator.items():
        kept = max(group, key=lambda m: (m.score, -m.start))
        for m in group:
            if m is not kept:
                m.indicator = ""
                m.reason = (f"also fits {indicator}, but '{text[kept.quote_start:kept.end]}' "
                            "matched its name more closely and was proposed instead")


def _quote(text: str, m: Mention) -> str:
    start, end = _clause_bounds(text, m.quote_start, m.end)
    if m.growth is not None:
        end = _clause_bounds(text, m.growth.quote_start, m.growth.end)[1]
    return text[start:end]


def extract(raw_text: str, year: int, source_id: str, ds: Dataset) -> tuple[list[dict], list[dict]]:
    """Return (candidate rows, unassigned rows) for a report text."""
    registry = Registry.from_dataset(ds)
    text = join_lines(raw_text)
    mentions = find_mentions(text, registry)
    _attach_growth(text, mentions)
    _assign(text, mentions, registry)
    order = {row: i for i, row in enumerate(ds.indicators["id"])}
    candidates, unassigned = [], []
    for m in mentions:
        if m.kind == "growth" and not m.reason:
            continue  # carried by its level
        yoy = f"{m.growth.sign}{m.growth.value}" if m.growth is not None else ""
        row = {"indicator": m.indicator, "year": str(year), "value": m.value, "unit": m.unit,
               "qualifier": m.qualifier if m.kind == "level" else "", "yoy_pct": yoy, "source": source_id,
               "quote": _quote(text, m)}
        if m.kind == "growth":
            row.update(value="", unit="", yoy_pct=f"{m.sign}{m.value}")
        if m.indicator:
            candidates.append(row)
        else:
            row["reason"] = m.reason + (f" (its growth rate {yoy}% is dropped with it)" if yoy else "")
            unassigned.append(row)
    candidates.sort(key=lambda r: order.get(r["indicator"], len(order)))
    return candidates, unassigned


# --- command line ----------------------------------------------------------------------------

def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def unassigned_path(out: Path) -> Path:
    return out.with_name(out.stem + ".unassigned.csv")


def sources_path(out: Path) -> Path:
    return out.with_name(out.stem + ".sources.csv")


def source_template(source_id: str) -> dict:
    return {"id": source_id, "title": "", "publisher": "", "date": "", "url": "", "language": "zh",
            "reliability": "", "status": "used", "note": "", "kind": ""}


def add_extract_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source_file", metavar="SOURCE.txt", type=Path, help="the report's text (UTF-8)")
    parser.add_argument("--year", type=int, required=True, help="the year the figures describe")
    parser.add_argument("--source-id", required=True, help="id of the source in data/sources.csv (new ids allowed)")
    parser.add_argument("--out", type=Path, help="review CSV to write (default: stdout)")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder holding the registry (default: $COUNTYBOOK_DATA or data/)")


def extract_main(args: argparse.Namespace) -> int:
    try:
        raw = Path(args.source_file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        print(f"{args.source_file}: cannot read the text as UTF-8: {err}", file=sys.stderr)
        return 1
    ds = load(args.data)
    candidates, unassigned = extract(raw, args.year, args.source_id, ds)
    new_source = args.source_id not in set(ds.sources["id"])
    review = _csv_text(candidates, FIGURE_COLUMNS)
    rest = _csv_text(unassigned, UNASSIGNED_COLUMNS)
    template = _csv_text([source_template(args.source_id)], SOURCE_COLUMNS) if new_source else ""
    if args.out is None:
        sys.stdout.write(review)
        sys.stderr.write(f"# {len(unassigned)} unassigned numbers\n{rest}")
        if new_source:
            sys.stderr.write(f"# new source '{args.source_id}': complete this row and pass it to add --source-file\n"
                             f"{template}")
        return 0
    out = Path(args.out)
    out.write_text(review, encoding="utf-8")
    unassigned_path(out).write_text(rest, encoding="utf-8")
    written = [out, unassigned_path(out)]
    if new_source:
        sources_path(out).write_text(template, encoding="utf-8")
        written.append(sources_path(out))
    print(f"{len(candidates)} candidate figures, {len(unassigned)} unassigned numbers; wrote "
          + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0

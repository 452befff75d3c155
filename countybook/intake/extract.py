"""Propose figures from a new report's text, for a person to review before `add` merges them.

    python -m countybook extract SOURCE.txt --year 2025 --source-id my_source [--area county] [--out REVIEW.csv]

Works on the county's newspaper features, government work reports (政府工作报告) and statistical
bulletins (统计公报). What it does, in order:

1. **Join the text.** Reports copied from a print layout break lines (often with blank lines) in the
   middle of a phrase or a number ("省级数字智慧牧场1" … "个"). Line breaks are dropped, so the pieces
   join, except after sentence-ending punctuation (。!?; and their ASCII forms), around markdown
   headings (lines starting with #) and around table rows (lines with two or more "|"), where the
   break is kept. Quotes are taken verbatim from this joined text.
2. **Match on simplified characters.** The joined text is converted to simplified characters with
   OpenCC (character for character, so every position still points at the source's own text), and
   full-width digits and punctuation (４８６．２, ％, ，；：) are read as their ASCII forms. Matching runs
   on the converted text; quotes keep the source's text.
3. **Find numbers.** A number followed by a unit of data/units.yml (longest unit first, so 万吨级 wins
   over 万吨) is a *level*. A number inside a growth phrase (增长/下降/提高/… x%) is a *growth rate*;
   下降/减少/降低/回落 give a negative rate. 年均/累计 growth, or growth over a year other than the
   previous one (比2020年增长), is not a year-on-year rate and is listed as unassigned, like changes
   in percentage points (个百分点), changes on the previous year (比上年末减少0.5万人), negative values
   and numbers with thousands separators. A 4-digit number followed by 年 is a year. Each number is
   of one kind of countybook.intake.mentions.Kind: `level`, `growth`, `growth_only`, `table` (proposed)
   and `change`, `points`, `year`, `bare`, `grouped`, `negative` (listed as unassigned, with the reason).
4. **Qualifiers.** 超/超过/突破 (more than), 近/接近/将近 (nearly), 约/大约 and a trailing 左右 (about),
   a trailing 以上 (at least), 达/达到 (exact). 预计 in the sentence marks the figures *estimated*;
   "预计(下同)" or "(预计,下同)" carries that to every figure after it, up to the next heading. A
   word about the value itself (超, 近, …) wins over estimated.
5. **Indicator phrases.** Every name_zh and alias of data/indicators.yml is found in one pass, the
   longest phrase at a position winning, so 人均地区生产总值 is never read as 地区生产总值 and
   规上工业增加值 never as 工业增加值. A phrase of three characters or fewer (总产量, 出栏) counts only
   when it is not the tail of a longer word (棉花总产量 is not 粮食 总产量).
6. **Assign levels.** An indicator is a candidate for a level when its unit equals the level's unit
   and one of its phrases lies between the neighbouring numbers of the same clause, else anywhere in
   the clause. The longest phrase wins. A growth rate goes with the level before it in the same
   sentence when no other indicator phrase stands between them; otherwise, if an indicator phrase
   stands right before it, it becomes a *growth-only* figure of that indicator (empty value, the
   registry's unit): "地区生产总值增长7.5%". 可比价/按可比价格计算 before a growth rate sets the
   figure's price_basis to comparable (现价/按现价计算: current).
7. **Years.** A level written as "2020年的3277亿元" belongs to 2020, whatever --year says; every
   other figure belongs to --year. Each (indicator, year) is proposed once: the level with the
   closest phrase; the others are listed as unassigned, naming the indicator they also fit.
8. **Area.** Only the area of the report counts (--area county: 全县/我县/本县; city: 全市/我市/本市;
   district: 全区/我区/本区; by default from the book's subject area in data/areas.yml, whose own
   name, 灌云县 or 灌云, also counts as the report's own). A clause that names another area last
   before its number (全国, 全省, 全市 in a county report, 连云港市, 江苏省) is about that area: its
   numbers are left unassigned.
   Phrases that only continue an earlier subject count only after it (产量 after 粮食播种面积, 出栏
   after 生猪饲养量, a bare 农业/林业/… after 农林牧渔业总产值: CONTINUATIONS); a phrase right after 新增
   (additions) or 城乡 (urban and rural apart) does not count; rates listed with 分别 pair with exactly
   as many levels listed before them, in order, or stay unassigned.
9. **Table rows** ("粮食 | 吨 | 848656 | 0.02"; cells between |, ｜ or tabs): the first cell names the indicator (exactly a phrase
   of the registry, or that phrase less 产量/总产量/产值), the unit is a cell holding a unit, the
   value the first number, the growth rate the number in a column headed 增长/增减/比上年 (or, with no
   header, the number after the value). The quote is the whole row as written.
10. **Quote.** The shortest clause (text between , 。 ; 、 : ! ? and their full-width forms) holding the
   number; when a growth rate is attached, the quote runs on to the end of the growth phrase's clause.

The steps live in their own modules: report_text (1, 10), registry (4, 5), mentions (3),
assignment (6 to 8), table_rows (9); extract() below runs them in order. A report holding a
control character (NUL, ESC, U+202E …) is refused by the command, naming the file, line and column.

Every step looks at a bounded window around each number, or walks the text once, so the time taken
grows in proportion to the length of the text.

Output (chosen design): CSV files, never anything in data/. Every path is checked before any work
by countybook.cli_paths (an --out in data/, notebooks/ or book/, an input, a link or a device is
refused); the command itself is countybook.intake.extract_cli.

* ``REVIEW.csv`` — the candidates, with exactly the columns of data/figures.csv, so it can be edited
  in a spreadsheet and passed straight to ``python -m countybook add``.
* ``REVIEW.unassigned.csv`` — every number that was not proposed, with the same columns plus
  ``reason``; indicator is left blank. To keep one, fill in the indicator, drop the reason and move
  the row into REVIEW.csv.
* ``REVIEW.sources.csv`` — written only when --source-id is not yet in data/sources.csv: a template
  row for the new source with the id filled in; complete it and pass it to ``add --source-file``.

Without --out, the candidates are written to stdout and the unassigned numbers (and the source
template, if any) to stderr, so ``extract … > review.csv`` still gives a clean review file.
"""

from __future__ import annotations

from ..data import FIGURE_COLUMNS, Dataset
from ..data.chinese import simplified
from .assignment import (
    ESTIMATE_WORD,
    Areas,
    assign,
    attach_growth,
    estimate_regions,
    in_regions,
    one_per_indicator_and_year,
    price_basis,
)
from .mentions import Kind, Mention, find_mentions
from .registry import ESTIMATED, PhraseIndex, Registry, find_phrases
from .report_text import Bounds, join_lines
from .table_rows import table_rows

UNASSIGNED_COLUMNS = (*FIGURE_COLUMNS, "reason")


def _quote(original: str, bounds: Bounds, m: Mention) -> str:
    if m.quote:
        return m.quote
    start, end = bounds.clause_of(m.quote_start, m.end)
    if m.growth is not None:
        end = bounds.clause_of(m.growth.quote_start, m.growth.end)[1]
    return original[start:end]


def extract(
    raw_text: str, year: int, source_id: str, ds: Dataset, area: str | None = None
) -> tuple[list[dict], list[dict]]:
    """Return (candidate rows, unassigned rows) for a report text."""
    registry = Registry.from_dataset(ds)
    original = join_lines(raw_text)
    text = simplified(original)
    bounds = Bounds(text)
    tables, table_spans = table_rows(original, text, registry, year)
    mentions = find_mentions(text, registry, table_spans)
    phrases = PhraseIndex(find_phrases(text, registry))
    attach_growth(text, mentions, phrases, bounds, year)
    assign(text, mentions, registry, phrases, bounds, Areas.for_report(ds, area), year)
    mentions = sorted(mentions + tables, key=lambda m: m.start)
    one_per_indicator_and_year(text, mentions)
    estimates = estimate_regions(text, bounds)
    estimate_starts = [start for start, _ in estimates]
    order = {row: i for i, row in enumerate(ds.indicators["id"])}
    candidates, unassigned = [], []
    for m in mentions:
        if m.kind == Kind.GROWTH and m.attached:
            continue  # carried by its level
        row = {
            "indicator": m.indicator,
            "year": str(m.year or year),
            "value": m.value,
            "unit": m.unit,
            "qualifier": m.qualifier if m.kind in (Kind.LEVEL, Kind.GROWTH_ONLY, Kind.TABLE) else "",
            "yoy_pct": "",
            "price_basis": "",
            "source": source_id,
            "quote": _quote(original, bounds, m),
        }
        growth = m if m.kind in (Kind.GROWTH, Kind.GROWTH_ONLY) else m.growth
        if growth is not None:
            row["yoy_pct"] = f"{growth.sign}{growth.value}"
            if m.kind != Kind.TABLE:
                row["price_basis"] = price_basis(text, bounds.sentence_of(growth.start)[0], growth)
        if m.kind in (Kind.GROWTH, Kind.GROWTH_ONLY):
            row["value"] = ""
            if m.kind == Kind.GROWTH:
                row["unit"] = ""
            else:
                row["quote"] = original[bounds.clause_of(m.quote_start, m.end)[0] : bounds.clause_of(m.start, m.end)[1]]
        if row["qualifier"] == "exact" and m.kind != Kind.TABLE:
            # A work report's 预计 opening a list (预计实现…;…;…。) covers the list up to its full stop.
            sentence_start = bounds.full_sentence_start(m.quote_start)
            if ESTIMATE_WORD in text[sentence_start : m.start] or in_regions(estimates, estimate_starts, m.start):
                row["qualifier"] = ESTIMATED if ESTIMATED in registry.qualifier_ids else "exact"
        if m.indicator:
            candidates.append(row)
        else:
            yoy = row["yoy_pct"] if m.kind not in (Kind.GROWTH, Kind.GROWTH_ONLY) else ""
            row["reason"] = m.reason + (f" (its growth rate {yoy}% is dropped with it)" if yoy else "")
            unassigned.append(row)
    candidates.sort(key=lambda r: (order.get(r["indicator"], len(order)), r["year"]))
    return candidates, unassigned

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
   and numbers with thousands separators. A 4-digit number followed by 年 is a year.
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

Every step looks at a bounded window around each number, or walks the text once, so the time taken
grows in proportion to the length of the text.

Output (chosen design): CSV files, never anything in data/ (an --out inside data/ is refused).

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

import argparse
import bisect
import csv
import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..data import FIGURE_COLUMNS, SOURCE_COLUMNS, Dataset, load
from ..data.chinese import FULL_WIDTH, simplified
from ..data.quoting import TABLE_CELL_SEPARATOR
from ..data.units import convertible

UNASSIGNED_COLUMNS = [*FIGURE_COLUMNS, "reason"]

SENTENCE_END = "。!?;!?;"
CLAUSE_BREAKS = SENTENCE_END + ",,、::\n"

# Spellings of the registry's qualifiers beyond the single word data/qualifiers.yml gives.
# Each word sits right before the number; `at_least` (以上) and 左右 are read after the unit.
QUALIFIER_VARIANTS = {
    "more_than": ["超过", "突破"],
    "nearly": ["接近", "将近"],
    "about": ["大约"],
    "exact": ["达到", "达"],
}
AFTER_UNIT_QUALIFIERS = {"at_least": ["以上"], "about": ["左右"]}
ESTIMATED = "estimated"
ESTIMATE_WORD = "预计"
CARRY_WORD = "下同"

RISE_WORDS = ["同比增长", "增长", "提高", "提升", "增加", "上升", "增速", "增幅"]
FALL_WORDS = ["同比下降", "下降", "减少", "降低", "回落"]
GROWTH_WORDS = sorted(RISE_WORDS + FALL_WORDS, key=len, reverse=True)
NOT_YEAR_ON_YEAR = ["年均", "累计"]
RESPECTIVELY = "分别"
COMPARABLE_WORDS = ["可比价", "不变价"]
CURRENT_PRICE_WORDS = ["现价"]
# ASCII digits only: a value is stored as written, and data/ holds numbers in one canonical form.
NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?", re.ASCII)
YEAR_BEFORE = re.compile(r"(\d{4})年(?:的|末|底)?(?:达到|达|为|是)?$", re.ASCII)
OTHER_BASE_YEAR = re.compile(r"比(\d{4})年", re.ASCII)
PERCENT_POINTS = "个百分点"
# A short phrase is trusted after one of these (the end of a verb or an area), never after another word.
SHORT_PHRASE = 3
SHORT_PHRASE_MAY_FOLLOW = set("成现年中计达为的和及与县市区全其")
URBAN_AND_RURAL = "城乡"
NEWLY_ADDED = "新增"

AREA_MARKERS = {"county": ["全县", "我县", "本县"], "city": ["全市", "我市", "本市"],
                "district": ["全区", "我区", "本区"]}
OTHER_AREAS = ["全国", "全省", "全市", "全县", "全区", "我省", "我市", "全州"]

# How far back or ahead of a number a clause or sentence is read: real clauses are far shorter, and
# the bound keeps the work per number constant on text without punctuation.
WINDOW = 300

TABLE_GROWTH_HEADERS = ["增长", "增减", "比上年", "±"]
TABLE_NAME_SUFFIXES = ["", "产量", "总产量", "产值"]


@dataclass
class Mention:
    """One number found in the joined text."""

    start: int          # index of the number (after any qualifier word)
    end: int            # index after the unit (or the number if there is no unit)
    value: str
    unit: str = ""
    qualifier: str = "exact"
    quote_start: int = 0
    kind: str = "level"  # level | growth | growth_only | change | points | year | bare | table
    growth: "Mention | None" = None
    attached: bool = False
    phrase: str = ""     # for a growth-only figure: the indicator phrase right before it
    sign: str = ""
    reason: str = ""
    indicator: str = ""
    score: tuple = field(default_factory=tuple)
    year: int | None = None
    price_basis: str = ""
    quote: str = ""


# --- text ------------------------------------------------------------------------------------

# A bulletin's section headings ("七、财政和金融", "(三)工业") stand on their own line, unpunctuated.
NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]).{0,20}$")


def is_table_row(line: str) -> bool:
    return len(TABLE_CELL_SEPARATOR.findall(line)) >= 2


def join_lines(raw: str) -> str:
    """Drop line breaks inside phrases; keep one newline after a sentence end, a heading or a table row."""
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    parts = []
    for i, line in enumerate(lines):
        if i:
            previous = lines[i - 1]
            keep = (previous[-1].translate(FULL_WIDTH) in SENTENCE_END or previous.startswith("#") or line.startswith("#")
                    or is_table_row(previous) or is_table_row(line)
                    or bool(NUMBERED_HEADING.match(previous)) or bool(NUMBERED_HEADING.match(line)))
            if keep:
                parts.append("\n")
        parts.append(line)
    return "".join(parts)


class Bounds:
    """Clause and sentence limits of a text, found once and looked up by bisection."""

    def __init__(self, text: str):
        self.length = len(text)
        self.clause = [m.start() for m in re.finditer(f"[{re.escape(CLAUSE_BREAKS)}]", text)]
        self.sentence = [m.start() for m in re.finditer(f"[{re.escape(SENTENCE_END)}\n]", text)]
        self.headings = [m.start() for m in re.finditer(r"(?m)^(?:#|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])",
                                                        text)]
        self.paragraph = [m.start() for m in re.finditer("\n", text)]
        self.full_stop = [m.start() for m in re.finditer("[。!?!?\n]", text)]

    @staticmethod
    def _around(breaks: list[int], start: int, end: int, length: int) -> tuple[int, int]:
        i = bisect.bisect_left(breaks, start)
        left = breaks[i - 1] + 1 if i else 0
        if left < start - WINDOW:
            left = start - WINDOW
        j = bisect.bisect_left(breaks, end, i)
        right = breaks[j] if j < len(breaks) else length
        if right > end + WINDOW:
            right = end + WINDOW
        return left, right

    def clause_of(self, start: int, end: int) -> tuple[int, int]:
        return self._around(self.clause, start, end, self.length)

    def full_sentence_start(self, index: int) -> int:
        """Start of the sentence up to a full stop (a ; does not end it), at most WINDOW back."""
        i = bisect.bisect_left(self.full_stop, index)
        return max(self.full_stop[i - 1] + 1 if i else 0, index - WINDOW)

    def paragraph_start(self, index: int) -> int:
        """Start of the paragraph (after a line break), at most WINDOW back."""
        i = bisect.bisect_left(self.paragraph, index)
        return max(self.paragraph[i - 1] + 1 if i else 0, index - WINDOW)

    def sentence_of(self, start: int, end: int | None = None) -> tuple[int, int]:
        return self._around(self.sentence, start, start if end is None else end, self.length)


# --- registry --------------------------------------------------------------------------------

@dataclass
class Registry:
    units: list[str]                        # longest first
    qualifier_words: list[tuple[str, str]]  # (word, qualifier id), longest first
    after_unit_words: list[tuple[str, str]]
    indicators_of: dict[str, list[tuple[str, str]]]  # phrase -> [(indicator id, unit)]
    unit_of: dict[str, str]
    units_info: dict
    phrase_pattern: re.Pattern | None
    qualifier_ids: set
    inner: dict[str, list[tuple[int, str]]]  # phrase -> registered phrases inside it, with offsets
    unit_pattern: re.Pattern                 # the units, longest first
    qualifier_pattern: re.Pattern            # the qualifier words, anchored before a number
    qualifier_of: dict[str, str]
    indicator_units: set

    @classmethod
    def from_dataset(cls, ds: Dataset) -> "Registry":
        units = sorted(ds.units, key=len, reverse=True)
        qualifier_ids = set(ds.qualifiers["id"])
        words: list[tuple[str, str]] = []
        after: list[tuple[str, str]] = []
        for q in ds.qualifiers.itertuples():
            if not q.zh or q.id == ESTIMATED:
                continue
            if q.zh in AFTER_UNIT_QUALIFIERS.get(q.id, []):
                after.append((q.zh, q.id))
            else:
                words.append((q.zh, q.id))
        for qid, variants in QUALIFIER_VARIANTS.items():
            if qid in qualifier_ids:
                words += [(w, qid) for w in variants]
        for qid, variants in AFTER_UNIT_QUALIFIERS.items():
            if qid in qualifier_ids:
                after += [(w, qid) for w in variants if (w, qid) not in after]
        words.sort(key=lambda pair: len(pair[0]), reverse=True)
        indicators_of: dict[str, list[tuple[str, str]]] = {}
        for row in ds.indicators.to_dict("records"):
            if row.get("historical") is True:
                continue  # a concept of older statistics (1990 财政收入): a new report's phrase is today's concept
            aliases = row.get("aliases")
            aliases = aliases if isinstance(aliases, list) else []
            for phrase in {row["name_zh"], *aliases}:
                if isinstance(phrase, str) and phrase:
                    phrase = simplified(phrase)
                    if (row["id"], row["unit"]) not in indicators_of.get(phrase, []):
                        indicators_of.setdefault(phrase, []).append((row["id"], row["unit"]))
        unit_of = dict(zip(ds.indicators["id"], ds.indicators["unit"]))
        inner = {}
        for phrase in indicators_of:
            inside = [(phrase.find(other), other) for other in indicators_of if other != phrase and other in phrase]
            inner[phrase] = [(at, other) for at, other in inside if _may_start(phrase, at, other)]
        return cls(units, words, after, indicators_of, unit_of, ds.units, _trie_pattern(indicators_of),
                   qualifier_ids, inner,
                   unit_pattern=re.compile("|".join(map(re.escape, units))),
                   qualifier_pattern=re.compile("(?:" + "|".join(map(re.escape, [w for w, _ in words])) + ")$"
                                                if words else r"(?!)"),
                   qualifier_of=dict(words), indicator_units=set(unit_of.values()))


def _trie_pattern(phrases) -> re.Pattern | None:
    """One regular expression for all phrases, as a trie, preferring the longest match at a position.

    A flat alternation would try every phrase at every position; the trie shares prefixes, so the
    regex engine rejects most positions on their first character.
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node) -> str:
        terminal = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Optional and greedy: the longer phrase is tried first, the shorter one on backtracking.
        return f"(?:{body})?" if terminal else body

    if not trie:
        return None
    return re.compile(build(trie))


# --- phrases ---------------------------------------------------------------------------------

@dataclass
class Phrase:
    start: int
    end: int
    text: str
    inner: list[tuple[int, str]] = field(default_factory=list)  # (start, phrase) of phrases inside it


def _may_start(text: str, start: int, phrase: str) -> bool:
    """A short phrase (总产量, 出栏) counts only when it is not the tail of a longer word (棉花总产量)."""
    if text.startswith(URBAN_AND_RURAL, start - len(URBAN_AND_RURAL)) and start >= len(URBAN_AND_RURAL):
        return False  # 城乡居民人均可支配收入 is urban and rural residents, each apart, not all residents
    if text.startswith(NEWLY_ADDED, start - len(NEWLY_ADDED)) and start >= len(NEWLY_ADDED):
        return False  # 新增规上工业企业102家 is the year's additions, not the number of enterprises
    if len(phrase) > SHORT_PHRASE or start == 0:
        return True
    before = text[start - 1]
    return not ("\u4e00" <= before <= "\u9fff") or before in SHORT_PHRASE_MAY_FOLLOW


def find_phrases(text: str, registry: Registry) -> list[Phrase]:
    if registry.phrase_pattern is None:
        return []
    found = []
    for match in registry.phrase_pattern.finditer(text):
        start, end = match.span()
        if start == end:
            continue
        phrase = match.group()
        if not _may_start(text, start, phrase):
            continue
        found.append(Phrase(start, end, phrase, [(start + at, other) for at, other in registry.inner[phrase]]))
    return found


class PhraseIndex:
    def __init__(self, phrases: list[Phrase]):
        self.phrases = phrases
        self.starts = [p.start for p in phrases]

    def within(self, start: int, end: int) -> list[Phrase]:
        """Phrases lying wholly inside [start, end)."""
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.phrases) and self.phrases[i].start < end:
            if self.phrases[i].end <= end:
                out.append(self.phrases[i])
            i += 1
        return out


# --- finding numbers -------------------------------------------------------------------------

GROWTH_BEFORE = re.compile("(" + "|".join(map(re.escape, GROWTH_WORDS)) + ")(?:分别)?(?:了|达|为|是)?(-?)$")


def _growth_at(text: str, start: int) -> tuple[str, int] | None:
    """If the number at `start` follows a growth word, return (sign, start of the growth word)."""
    match = GROWTH_BEFORE.search(text, max(0, start - 10), start)
    if not match:
        return None
    fall = match.group(1) in FALL_WORDS
    negative = fall != bool(match.group(2))  # 增长-1.4% is a fall, 下降-1% (rare) a rise
    return ("-" if negative else ""), match.start(1)


def find_mentions(text: str, registry: Registry, skip: list[tuple[int, int]]) -> list[Mention]:
    mentions = []
    skip_starts = [s for s, _ in skip]
    for match in NUMBER.finditer(text):
        start, end = match.span()
        i = bisect.bisect_right(skip_starts, start) - 1
        if i >= 0 and skip[i][0] <= start < skip[i][1]:
            continue  # inside a table row, read on its own
        value = match.group()
        growth = _growth_at(text, start)
        if text.startswith(PERCENT_POINTS, end):
            mentions.append(Mention(start, end + len(PERCENT_POINTS), value, "个百分点", kind="points",
                                    quote_start=growth[1] if growth else start,
                                    reason="a change in percentage points, not a % growth rate"))
            continue
        if growth and text.startswith("%", end):
            growth_end = end + 1
            qualifier = "exact"
            for word, qid in registry.after_unit_words:
                if qid == "about" and text.startswith(word, growth_end):
                    qualifier, growth_end = qid, growth_end + len(word)
            mention = Mention(start, growth_end, value, "%", qualifier, kind="growth", sign=growth[0],
                              quote_start=growth[1])
            lead = text[max(0, growth[1] - 4):growth[1]]
            if any(word in lead for word in NOT_YEAR_ON_YEAR):
                mention.reason = "an average or cumulative growth rate over several years, not a year-on-year rate"
            elif RESPECTIVELY in text[max(0, growth[1] - 3):start]:
                mention.reason = "one of several rates given together (分别) for several things; assign it by hand"
            mentions.append(mention)
            continue
        if text.startswith("年", end) and "." not in value and len(value) == 4:
            mentions.append(Mention(start, end + 1, value, "", kind="year", quote_start=start,
                                    reason="a year (date), not a figure"))
            continue
        unit_match = registry.unit_pattern.match(text, end)
        unit = unit_match.group() if unit_match else ""
        if not unit:
            mentions.append(Mention(start, end, value, "", kind="bare", quote_start=start,
                                    reason="no unit of data/units.yml follows the number"))
            continue
        if start >= 2 and text[start - 1] == "," and text[start - 2].isdigit() and re.match(r"\d{3}(?!\d)", value):
            mentions.append(Mention(start, end + len(unit), value, unit, kind="grouped", quote_start=start,
                                    reason="part of a number written with thousands separators (1,234.5); "
                                           "record it by hand"))
            continue
        if start and text[start - 1] in "-−负":
            mentions.append(Mention(start - 1, end + len(unit), value, unit, kind="negative", quote_start=start - 1,
                                    reason="a negative value; data/figures.csv holds no negative levels, "
                                           "record it by hand if the indicator allows one"))
            continue
        if growth:
            mentions.append(Mention(start, end + len(unit), value, unit, kind="change", quote_start=growth[1],
                                    reason="a change on the previous year (增加/减少 …), not a level"))
            continue
        qualifier, quote_start = "exact", start
        word = registry.qualifier_pattern.search(text, max(0, start - 4), start)
        if word:
            qualifier, quote_start = registry.qualifier_of[word.group()], word.start()
        unit_end = end + len(unit)
        for word, qid in registry.after_unit_words:
            if text.startswith(word, unit_end):
                qualifier = qid
                unit_end += len(word)
                break
        mention = Mention(start, unit_end, value, unit, qualifier, quote_start)
        year = YEAR_BEFORE.search(text, max(0, quote_start - 10), quote_start)
        if year:
            mention.year = int(year.group(1))
        mentions.append(mention)
    return mentions


# --- context ---------------------------------------------------------------------------------

def _estimate_regions(text: str, bounds: Bounds) -> list[tuple[int, int]]:
    """Stretches of text covered by "预计(下同)": from the words to the next heading or the end."""
    regions = []
    for match in re.finditer(CARRY_WORD, text):
        if ESTIMATE_WORD in text[max(0, match.start() - 6):match.start()]:
            i = bisect.bisect_right(bounds.headings, match.start())
            end = bounds.headings[i] if i < len(bounds.headings) else len(text)
            regions.append((match.start(), end))
    return regions


def _in_regions(regions: list[tuple[int, int]], starts: list[int], index: int) -> bool:
    # Regions run to the next heading, so the latest one starting before `index` decides.
    i = bisect.bisect_right(starts, index) - 1
    return i >= 0 and regions[i][0] <= index < regions[i][1]


AREA_SUFFIX_KIND = {"县": "county", "市": "city", "区": "district"}


@dataclass
class Areas:
    """Whose figures a report gives (its own area) and the other areas it may quote beside them."""

    kind: str          # county | city | district: which 全X is the report's own
    own: set
    pattern: re.Pattern

    @classmethod
    def for_report(cls, ds: Dataset, kind: str | None = None) -> "Areas":
        """From --area, else from the book's subject area in data/areas.yml (灌云县: a county)."""
        own, others = set(), set()
        areas = getattr(ds, "areas", None)
        if areas is not None and not areas.empty:
            for row in areas.to_dict("records"):
                name = str(row.get("name_zh") or "")
                if not name:
                    continue
                if row.get("subject") is True:
                    own |= {name, name[:-1]} if name[-1] in AREA_SUFFIX_KIND and len(name) > 2 else {name}
                    kind = kind or AREA_SUFFIX_KIND.get(name[-1])
                elif row.get("level") in ("province", "city"):
                    others.add(name)  # 连云港市, 江苏省: the full name, as a report writes it
        kind = kind or "county"
        own |= set(AREA_MARKERS[kind])
        others = (set(OTHER_AREAS) | others) - own
        return cls(kind, own, re.compile("|".join(sorted(own | others, key=len, reverse=True))))


def _other_area(text: str, bounds: Bounds, start: int, areas: Areas) -> str:
    """The other area a clause names last before `start` (全市 in a county report), or ''."""
    left, _ = bounds.clause_of(start, start)
    last = ""
    for match in areas.pattern.finditer(text, left, max(start, left)):
        last = match.group()
    return "" if not last or last in areas.own else last


def _price_basis(text: str, sentence_start: int, growth: Mention) -> str:
    before = text[sentence_start:growth.start]
    if any(word in before for word in COMPARABLE_WORDS):
        return "comparable"
    if any(word in before for word in CURRENT_PRICE_WORDS):
        return "current"
    return ""


# --- assigning -------------------------------------------------------------------------------

LIST_JOINERS = ("、", "和", "及", ",")


def _respective_rates(text: str, mentions: list[Mention], bounds: Bounds) -> None:
    """"A亿元,B亿元,C亿元,增速分别为4.4%、4.8%、6.0%": the k-th rate goes with the k-th level.

    Only when the sentence (up to its full stop) holds exactly as many levels without a rate before
    分别 as there are rates in the list; otherwise every rate stays unassigned for a person.
    """
    for i, m in enumerate(mentions):
        if m.kind != "growth" or RESPECTIVELY not in text[max(0, m.quote_start - 3):m.start]:
            continue
        rates, j = [m], i + 1
        while (j < len(mentions) and mentions[j].unit == "%" and mentions[j].kind in ("level", "growth")
               and text[rates[-1].end:mentions[j].quote_start] in LIST_JOINERS):
            rates.append(mentions[j])
            j += 1
        start = bounds.full_sentence_start(m.quote_start)
        # The levels listed right before, in one unit, with nothing else (a rate, a share) between them.
        levels, k = [], i - 1
        while k >= 0 and mentions[k].start >= start and mentions[k].kind == "level" and mentions[k].unit != "%":
            levels.append(mentions[k])
            k -= 1
        levels.reverse()
        if len(rates) < 2 or len(levels) != len(rates) or len({level.unit for level in levels}) != 1:
            continue
        for level, rate in zip(levels, rates):
            rate.kind, rate.sign, rate.reason, rate.attached = "growth", m.sign, "", True
            level.growth = rate


def _attach_growth(text: str, mentions: list[Mention], phrases: PhraseIndex, bounds: Bounds, year: int) -> None:
    """Give each growth rate to the level before it, or make it a growth-only figure of the phrase before it."""
    _respective_rates(text, mentions, bounds)
    last_level: Mention | None = None
    previous_end = 0
    for m in mentions:
        sentence_start, _ = bounds.sentence_of(m.start)
        if last_level is not None and last_level.start < sentence_start:
            last_level = None
        if m.kind == "level":
            last_level = m
        if m.kind == "growth" and not m.reason and not m.attached:
            base = OTHER_BASE_YEAR.search(text, sentence_start, m.start)
            if base and int(base.group(1)) != year - 1:
                m.reason = f"growth over {base.group(1)}, not over the previous year"
            elif (last_level is not None and last_level.growth is None
                  and not phrases.within(last_level.end, m.quote_start)):
                last_level.growth, m.attached = m, True
            else:
                # The indicator's name in the growth rate's own clause: in "一般公共预算收入的税种构成中,
                # 增值税下降21.8%" the fall is VAT's, not the budget revenue's.
                clause_start = bounds.clause_of(m.quote_start, m.quote_start)[0]
                nearby = [p for p in phrases.within(max(previous_end, sentence_start, clause_start), m.quote_start)
                          if _continues(text, bounds, p.text, p.start, None)]
                if nearby:
                    m.kind, m.phrase, m.quote_start = "growth_only", nearby[-1].text, nearby[-1].start
                    m.score = (1, True, len(m.phrase))
                else:
                    m.reason = "a growth rate with no level or indicator name before it in the sentence"
        previous_end = m.end


# Phrases that name their subject only by continuing an earlier one: 总产量 is grain's after
# 粮食播种面积 in the same sentence (not after 油料播种面积), 出栏 is hogs' after 生猪饲养量 (not in
# 出栏牛), and a bare branch (农业, 畜牧业 …) right before its number is a branch of the 农林牧渔业总产值
# named earlier in the paragraph ("其中,农业29.24亿元;林业0.34亿元").
# phrase -> (anchor, words that must end right before the anchor, scope, number right after the phrase)
CONTINUATIONS = {
    "总产量": ("播种面积", ("粮食", "粮食作物"), "sentence", False),
    "产量": ("播种面积", ("粮食", "粮食作物"), "sentence", False),
    "总产": ("播种面积", ("粮食", "粮食作物"), "sentence", False),
    "出栏": ("饲养量", ("生猪",), "sentence", False),
    **{branch: ("农林牧渔业总产值", ("",), "paragraph", True)
       for branch in ("农业", "林业", "牧业", "畜牧业", "渔业", "农林牧渔服务业")},
}


def _continues(text: str, bounds: Bounds, phrase: str, start: int, number_at: int | None) -> bool:
    """Whether a phrase may name the number's subject here (always, unless it only continues another)."""
    if phrase not in CONTINUATIONS:
        return True
    anchor, subjects, scope, adjacent = CONTINUATIONS[phrase]
    if adjacent and number_at != start + len(phrase):
        return False
    left = bounds.sentence_of(start)[0] if scope == "sentence" else bounds.paragraph_start(start)
    at = text.rfind(anchor, left, start)
    return at >= 0 and any(text.endswith(subject, left, at) for subject in subjects)


def _assign(text: str, mentions: list[Mention], registry: Registry, phrases: PhraseIndex, bounds: Bounds,
            areas: Areas, year: int) -> None:
    for i, m in enumerate(mentions):
        if m.kind == "growth_only":
            phrase = m.phrase
            choices = sorted({ind for ind, _ in registry.indicators_of.get(phrase, [])})
            other = _other_area(text, bounds, m.quote_start, areas)
            if other:
                m.reason = f"a figure of {other}, not of the report's own area ({areas.kind})"
            elif len(choices) == 1:
                m.indicator = choices[0]
                m.unit = registry.unit_of[m.indicator]
            else:
                m.reason = f"a growth rate of '{phrase}', which fits several indicators ({', '.join(choices)})"
            m.year = year
            continue
        if m.kind != "level":
            continue
        if m.year is None:
            m.year = year
        c_start, c_end = bounds.clause_of(m.quote_start, m.end)
        other = _other_area(text, bounds, m.quote_start, areas)
        if other:
            m.reason = f"a figure of {other}, not of the report's own area ({areas.kind})"
            continue
        if RESPECTIVELY in text[c_start:m.start]:
            m.reason = "one of several values given together (分别) for several things; assign it by hand"
            continue
        prev_end = mentions[i - 1].end if i and mentions[i - 1].end > c_start else c_start
        next_start = mentions[i + 1].quote_start if i + 1 < len(mentions) else c_end
        next_start = min(max(next_start, m.end), c_end)
        best = None
        other_unit = None
        for rank, (lo, hi) in ((1, (prev_end, next_start)), (0, (c_start, c_end))):
            for phrase in phrases.within(lo, hi):
                options = [(phrase.start, phrase.text)]
                if all(unit != m.unit for _, unit in registry.indicators_of[phrase.text]):
                    # 51个省市重点项目完成投资: the count's phrase lies inside the investment's.
                    options += phrase.inner
                for option_start, option in options:
                    if not _continues(text, bounds, option, option_start, m.quote_start):
                        continue
                    for indicator, unit in registry.indicators_of[option]:
                        exact = unit == m.unit
                        if not exact and not convertible(m.unit, unit, registry.units_info):
                            other_unit = other_unit or (indicator, unit)
                            continue
                        # The published unit itself beats one that converts (1.2万人 for jobs in 人).
                        score = (rank, exact, len(option))
                        if best is None or score > best[0]:
                            best = (score, indicator)
            if best is not None:
                break
        if best is None:
            if other_unit:
                m.reason = (f"near the name of {other_unit[0]}, which the registry measures in {other_unit[1]}, "
                            f"not {m.unit}; add an indicator if this is another measure")
            elif not any(convertible(m.unit, unit, registry.units_info) for unit in registry.indicator_units):
                m.reason = f"no indicator of data/indicators.yml is measured in {m.unit} (or a unit it converts to)"
            else:
                m.reason = (f"no indicator measured in {m.unit} has its name or an alias in the clause; "
                            "add an alias to data/indicators.yml if one should")
            continue
        m.score, m.indicator = best


def _one_per_indicator_and_year(text: str, mentions: list[Mention]) -> None:
    groups: dict[tuple, list[Mention]] = {}
    for m in mentions:
        if m.indicator:
            groups.setdefault((m.indicator, m.year), []).append(m)
    for (indicator, _), group in groups.items():
        # A level (in prose or a table row) beats a growth-only mention of the same indicator; then the
        # closest phrase (a table row's exact name ranks above prose), then the first.
        kept = max(group, key=lambda m: (m.kind in ("level", "table"), m.score, -m.start))
        for m in group:
            if m is not kept:
                m.indicator = ""
                m.reason = (f"also fits {indicator}, but '{text[kept.quote_start:kept.end]}' "
                            "matched its name more closely and was proposed instead")


# --- table rows ------------------------------------------------------------------------------

def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", cell))


def table_rows(original: str, text: str, registry: Registry, year: int) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Figures of table rows written as text, and the spans of those rows."""
    found, spans = [], []
    growth_column = None
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not is_table_row(line):
            growth_column = None
            continue
        spans.append((start, end))
        cells = [c.strip() for c in TABLE_CELL_SEPARATOR.split(line.strip("|｜ \t"))]  # "| a | b |" as "a | b"
        numbers = [i for i, c in enumerate(cells) if _is_number(c)]
        if not numbers:
            heads = [i for i, c in enumerate(cells) if any(h in c for h in TABLE_GROWTH_HEADERS)]
            growth_column = heads[0] if heads else None
            continue
        quote = original[start:end]
        name = next((c for c in cells if c), "")
        unit = next((c for c in cells if c in registry.units_info), "")
        value_at = next((i for i in numbers if i != growth_column), None)
        m = Mention(start, end, cells[value_at] if value_at is not None else "", unit, kind="table",
                    quote_start=start, year=year, quote=quote)
        if growth_column is not None and growth_column < len(cells) and _is_number(cells[growth_column]):
            growth_text = cells[growth_column]
        else:
            later = [i for i in numbers if value_at is not None and i > value_at]
            growth_text = cells[later[0]] if later and growth_column is None else ""
        if growth_text:
            m.growth = Mention(start, end, growth_text.lstrip("-"), "%", kind="growth",
                               sign="-" if growth_text.startswith("-") else "")
        if value_at is None or not unit:
            m.reason = "a table row without a value and a unit of data/units.yml in its cells"
        else:
            choices = {ind for suffix in TABLE_NAME_SUFFIXES
                       for ind, u in registry.indicators_of.get(name + suffix, [])
                       if convertible(unit, u, registry.units_info)}
            if len(choices) == 1:
                m.indicator, m.score = choices.pop(), (2, True, len(name))
            else:
                m.reason = ("a table row whose first cell names no indicator measured in "
                            f"{unit}" if not choices else
                            f"a table row that fits several indicators ({', '.join(sorted(choices))})")
        found.append(m)
    return found, spans


# --- output ----------------------------------------------------------------------------------

def _quote(original: str, bounds: Bounds, m: Mention) -> str:
    if m.quote:
        return m.quote
    start, end = bounds.clause_of(m.quote_start, m.end)
    if m.growth is not None:
        end = bounds.clause_of(m.growth.quote_start, m.growth.end)[1]
    return original[start:end]


def extract(raw_text: str, year: int, source_id: str, ds: Dataset,
            area: str | None = None) -> tuple[list[dict], list[dict]]:
    """Return (candidate rows, unassigned rows) for a report text."""
    registry = Registry.from_dataset(ds)
    original = join_lines(raw_text)
    text = simplified(original)
    bounds = Bounds(text)
    tables, table_spans = table_rows(original, text, registry, year)
    mentions = find_mentions(text, registry, table_spans)
    phrases = PhraseIndex(find_phrases(text, registry))
    _attach_growth(text, mentions, phrases, bounds, year)
    _assign(text, mentions, registry, phrases, bounds, Areas.for_report(ds, area), year)
    mentions = sorted(mentions + tables, key=lambda m: m.start)
    _one_per_indicator_and_year(text, mentions)
    estimates = _estimate_regions(text, bounds)
    estimate_starts = [start for start, _ in estimates]
    order = {row: i for i, row in enumerate(ds.indicators["id"])}
    candidates, unassigned = [], []
    for m in mentions:
        if m.kind == "growth" and m.attached:
            continue  # carried by its level
        row = {"indicator": m.indicator, "year": str(m.year or year), "value": m.value, "unit": m.unit,
               "qualifier": m.qualifier if m.kind in ("level", "growth_only", "table") else "",
               "yoy_pct": "", "price_basis": "", "source": source_id, "quote": _quote(original, bounds, m)}
        growth = m if m.kind in ("growth", "growth_only") else m.growth
        if growth is not None:
            row["yoy_pct"] = f"{growth.sign}{growth.value}"
            if m.kind != "table":
                row["price_basis"] = _price_basis(text, bounds.sentence_of(growth.start)[0], growth)
        if m.kind in ("growth", "growth_only"):
            row["value"] = ""
            if m.kind == "growth":
                row["unit"] = ""
            else:
                row["quote"] = original[bounds.clause_of(m.quote_start, m.end)[0]:bounds.clause_of(m.start, m.end)[1]]
        if row["qualifier"] == "exact" and m.kind != "table":
            # A work report's 预计 opening a list (预计实现…;…;…。) covers the list up to its full stop.
            sentence_start = bounds.full_sentence_start(m.quote_start)
            if ESTIMATE_WORD in text[sentence_start:m.start] or _in_regions(estimates, estimate_starts, m.start):
                row["qualifier"] = ESTIMATED if ESTIMATED in registry.qualifier_ids else "exact"
        if m.indicator:
            candidates.append(row)
        else:
            yoy = row["yoy_pct"] if m.kind not in ("growth", "growth_only") else ""
            row["reason"] = m.reason + (f" (its growth rate {yoy}% is dropped with it)" if yoy else "")
            unassigned.append(row)
    candidates.sort(key=lambda r: (order.get(r["indicator"], len(order)), r["year"]))
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
    parser.add_argument("--area", choices=sorted(AREA_MARKERS), default=None,
                        help="the report's own area: county (全县), city (全市: a county-level city) or district "
                             "(全区); default: from the book's subject area in data/areas.yml (灌云县: county). "
                             "Figures of other areas are left unassigned")
    parser.add_argument("--out", type=Path, help="review CSV to write (default: stdout)")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder holding the registry (default: $COUNTYBOOK_DATA or data/)")


def _refuse_out(out: Path, data_dir: Path) -> str | None:
    """Why --out cannot be written, as one line, or None."""
    target = out.resolve()
    for data in {data_dir.resolve(), paths.data_dir().resolve()}:
        if target == data or data in target.parents:
            return (f"{out}: extract never writes into the data folder {data_dir}; write the review file "
                    "elsewhere and merge it with `python -m countybook add`")
    if target.is_dir():
        return f"{out}: is a folder; give a file name for the review CSV, e.g. {out / 'review.csv'}"
    if not target.parent.is_dir():
        return f"{out}: the folder {out.parent} does not exist; create it or choose another --out"
    return None


def _write_atomically(files: dict[Path, str]) -> None:
    """Write each file to a temporary name beside it, then replace them, so no half-written file is left."""
    temporary = []
    try:
        for path, content in files.items():
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary.append(Path(name))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(content)
        for (path, _), name in zip(files.items(), temporary):
            os.replace(name, path)
    finally:
        for name in temporary:
            name.unlink(missing_ok=True)


def extract_main(args: argparse.Namespace) -> int:
    source = Path(args.source_file)
    if not source.exists():
        print(f"{source}: the file does not exist", file=sys.stderr)
        return 1
    if source.is_dir():
        print(f"{source}: is a folder, not a report's text file", file=sys.stderr)
        return 1
    try:
        raw = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        print(f"{source}: cannot read the text as UTF-8 (byte {err.start}); save it as UTF-8", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"{source}: cannot be read: {err.strerror or err}", file=sys.stderr)
        return 1
    data_dir = Path(args.data) if args.data is not None else paths.data_dir()
    if args.out is not None:
        for path in (Path(args.out), unassigned_path(Path(args.out)), sources_path(Path(args.out))):
            refusal = _refuse_out(path, data_dir)
            if refusal:
                print(refusal, file=sys.stderr)
                return 1
    ds = load(args.data)
    candidates, unassigned = extract(raw, args.year, args.source_id, ds, area=args.area)
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
    files = {out: review, unassigned_path(out): rest}
    if new_source:
        files[sources_path(out)] = template
    try:
        _write_atomically(files)
    except OSError as err:
        print(f"{out}: cannot write the review files: {err.strerror or err}; nothing was written", file=sys.stderr)
        return 1
    print(f"{len(candidates)} candidate figures, {len(unassigned)} unassigned numbers; wrote "
          + ", ".join(str(p) for p in files), file=sys.stderr)
    return 0

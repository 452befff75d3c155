"""What the data registry teaches extract: units, qualifier words and every indicator phrase.

Steps 4 and 5 of countybook.intake.extract: the qualifier words (data/qualifiers.yml and their
spellings below) and one trie-shaped pattern of every name_zh and alias of data/indicators.yml, so
the longest phrase at a position wins and a short phrase counts only where it starts a word.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from types import MappingProxyType

from ..data import Dataset
from ..data.chinese import simplified

# Spellings of the registry's qualifiers beyond the single word data/qualifiers.yml gives.
# Each word sits right before the number; `at_least` (以上) and 左右 are read after the unit.
QUALIFIER_VARIANTS = MappingProxyType(
    {
        "more_than": ("超过", "突破"),
        "nearly": ("接近", "将近"),
        "about": ("大约",),
        "exact": ("达到", "达"),
    }
)
AFTER_UNIT_QUALIFIERS = MappingProxyType({"at_least": ("以上",), "about": ("左右",)})
ESTIMATED = "estimated"

# A short phrase is trusted after one of these (the end of a verb or an area), never after another word.
SHORT_PHRASE = 3
SHORT_PHRASE_MAY_FOLLOW = frozenset("成现年中计达为的和及与县市区全其")
URBAN_AND_RURAL = "城乡"
NEWLY_ADDED = "新增"


@dataclass
class Registry:
    units: list[str]  # longest first
    qualifier_words: list[tuple[str, str]]  # (word, qualifier id), longest first
    after_unit_words: list[tuple[str, str]]
    indicators_of: dict[str, list[tuple[str, str]]]  # phrase -> [(indicator id, unit)]
    unit_of: dict[str, str]
    units_info: dict
    phrase_pattern: re.Pattern | None
    qualifier_ids: set
    inner: dict[str, list[tuple[int, str]]]  # phrase -> registered phrases inside it, with offsets
    unit_pattern: re.Pattern  # the units, longest first
    qualifier_pattern: re.Pattern  # the qualifier words, anchored before a number
    qualifier_of: dict[str, str]
    indicator_units: set

    @classmethod
    def from_dataset(cls, ds: Dataset) -> Registry:
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
        return cls(
            units,
            words,
            after,
            indicators_of,
            unit_of,
            ds.units,
            _trie_pattern(indicators_of),
            qualifier_ids,
            inner,
            unit_pattern=re.compile("|".join(map(re.escape, units))),
            qualifier_pattern=re.compile(
                "(?:" + "|".join(map(re.escape, [w for w, _ in words])) + ")$" if words else r"(?!)"
            ),
            qualifier_of=dict(words),
            indicator_units=set(unit_of.values()),
        )


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

"""Findings: the three to five sentences that open a chapter, each comparing something.

Candidates are built from the data (the headline figures with their growth, the growth rates side
by side, the derived ratios by type, earlier years of the same indicator, the milestones), each
carrying the headline rank of the indicators it is about; the chapter shows the best-ranked few,
so the source's own emphasis (industrial output first) leads, not the largest growth rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data import Dataset, computed, derive
from ..data.schemas import MILESTONE_LEVELS
from . import text
from .analysis import format_computed
from .edition import Edition
from .messages import number_word, say

UNRANKED = 99
MAX_FINDINGS = 5


@dataclass(frozen=True)
class Finding:
    rank: float
    sentence: str


def _rank(row) -> float:
    value = row.get("headline")
    return float(value) if value is not None and not pd.isna(value) else UNRANKED


def _caveats(ds: Dataset, row, with_growth: bool, lang: str) -> list[str]:
    notes = []
    if row.get("kind") == "money" and with_growth:
        basis = row.get("price_basis") or "not_stated"
        notes.append(say(f"caveat.{'price_basis' if basis == 'not_stated' else basis}", lang))
    scope = row.get("scope")
    if isinstance(scope, str) and scope:
        spec = ds.scopes.set_index("id").loc[scope]
        notes.append(say("caveat.scope", lang, note=text.escape(text.field(spec, "note", lang))))
    if row.get("qualifier", "exact") != "exact":
        notes.append(say("caveat.bound", lang))
    return notes


def _with_caveats(notes: list[str], lang: str) -> str:
    return say("finding.caveats", lang, notes=say("list.semicolon", lang).join(notes)) if notes else ""


def level_sentence(ds: Dataset, row, lead: bool = True, *, lang: str) -> str:
    """'Gross industrial output … came to 18.75 billion yuan in 2024, up 15.5% on 2023 (…).'"""
    own = text.field(row, "name", lang)
    name = own if lead else text.in_sentence(own)
    statement = say(
        f"measure.{row['measure']}",
        lang,
        name=text.escape(name),
        value=text.escape(text.value(row, ds, lang)),
        year=row["year"],
    )
    growth = ""
    if pd.notna(row.get("yoy_pct")):
        pct = row["yoy_pct"]
        key = "growth.up" if pct > 0 else "growth.down" if pct < 0 else "growth.flat"
        growth = say(key, lang, pct=f"{abs(pct):g}%", previous=row["year"] - 1)
    return say(
        "finding.level",
        lang,
        statement=statement,
        growth=growth,
        caveats=_with_caveats(_caveats(ds, row, pd.notna(row.get("yoy_pct")), lang), lang).rstrip(),
    )


def _level_findings(ds: Dataset, figures: pd.DataFrame, lang: str) -> list[Finding]:
    """Ranked figures with their growth: a level alone restates a number, a level with its change compares."""
    return [
        Finding(_rank(row), level_sentence(ds, row, lang=lang))
        for _, row in figures.iterrows()
        if _rank(row) < UNRANKED and pd.notna(row.get("yoy_pct"))
    ]


def computed_sentence(ds: Dataset, row, lang: str) -> str:
    """A telling comparison of data/computed.yml: its name, value and caveat."""
    return say(
        "finding.computed",
        lang,
        name=text.escape(row[f"name_{lang}"]),
        value=text.escape(format_computed(row, ds, lang)),
        year=row["year"],
        caveat=text.escape(row[f"caveat_{lang}"].rstrip(".。")),
    )


def _computed_findings(ds: Dataset, year: int, theme: str | None, lang: str) -> list[Finding]:
    """Comparisons whose type makes them meaningful on their own (computed.FINDING_TYPES), one per type."""
    frame = computed.computed_for(ds, year, theme)
    found: list[Finding] = []
    types: set[str] = set()
    for _, row in frame.iterrows():
        if row["type"] not in computed.FINDING_TYPES or row["type"] in types:
            continue
        types.add(row["type"])
        found.append(Finding(1.5 + len(found) / 10, computed_sentence(ds, row, lang)))
    return found


def _growth_finding(figures: pd.DataFrame, lang: str) -> list[Finding]:
    growth = derive.growth_ranking(figures)
    if len(growth) < 2:
        return []
    first, last = growth.iloc[0], growth.iloc[-1]
    rank = min(_rank(r) for _, r in growth.iterrows()) + 0.5
    if len(growth) == 2:
        sentence = say(
            "finding.growth_two",
            lang,
            first=text.escape(text.field(first, "name", lang)),
            first_pct=text.change(first["yoy_pct"], lang),
            second=text.escape(text.in_sentence(text.field(last, "name", lang))),
            second_pct=text.change(last["yoy_pct"], lang),
        )
    else:
        sentence = say(
            "finding.growth_many",
            lang,
            growth_count=say("count.growth", lang, count=len(growth)),
            first=text.escape(text.in_sentence(text.field(first, "name", lang))),
            first_pct=text.change(first["yoy_pct"], lang),
            last=text.escape(text.in_sentence(text.field(last, "name", lang))),
            last_pct=text.change(last["yoy_pct"], lang),
        )
    return [Finding(rank, sentence)]


def ratio_sentence(ds: Dataset, ratio, lang: str) -> str:
    """One derived ratio in words that say its type: share, equivalent to, average, intensity."""
    names = ds.indicators.set_index("id")
    numerator, denominator = names.loc[ratio["numerator"]], names.loc[ratio["denominator"]]
    value = text.escape(text.ratio_value(ds, ratio, lang))
    kind = ratio["type"]
    ratio_name = text.escape(text.field(ratio, "name", lang))
    if kind in ("share", "equivalent_to"):
        scoped = [
            text.field(ds.scopes.set_index("id").loc[row["scope"]], "name", lang)
            for row in (numerator, denominator)
            if isinstance(row.get("scope"), str) and row["scope"]
        ]
        notes = (
            [
                say(
                    "caveat.scopes",
                    lang,
                    scopes=say("list.semicolon", lang).join(
                        dict.fromkeys(text.escape(text.lower_first(s)) for s in scoped)
                    ),
                )
            ]
            if scoped
            else []
        )
        return say(
            f"ratio.{kind}",
            lang,
            numerator=text.escape(text.field(numerator, "name", lang)),
            value=value,
            denominator=text.escape(text.in_sentence(text.field(denominator, "name", lang))),
            year=ratio["year"],
            caveats=_with_caveats(notes, lang).rstrip(),
        )
    if kind == "per_unit_average" and ratio["per_en"]:
        return say(
            "ratio.per_unit_average",
            lang,
            name=ratio_name,
            denominator_count=text.style(lang).count(ratio["denominator_text"], ratio["denominator_unit"], ds),
            denominator=text.escape(text.in_sentence(text.field(denominator, "name", lang))),
            value=value,
            per=text.escape(ratio["per_en"]),
            year=ratio["year"],
        )
    if kind == "per_unit_average":
        return say("ratio.per_unit_average_plain", lang, name=ratio_name, value=value, year=ratio["year"])
    return say("ratio.intensity", lang, name=ratio_name, value=value, year=ratio["year"])


def _ratio_findings(ds: Dataset, ratios: pd.DataFrame, lang: str) -> list[Finding]:
    ranks = {i: _rank(r) for i, r in ds.indicators.set_index("id").iterrows()}
    found, types = [], set()
    for _, ratio in ratios.iterrows():
        if ratio["type"] in types or ratio["type"] == "intensity":
            # one ratio of each type: findings compare, they do not list every average; an intensity
            # alone (kg per mu) compares with nothing, its benchmark comparison is a computed value
            continue
        types.add(ratio["type"])
        rank = min(ranks.get(ratio["numerator"], UNRANKED), ranks.get(ratio["denominator"], UNRANKED)) + 0.3
        found.append(Finding(rank, ratio_sentence(ds, ratio, lang)))
    return found


def history_sentence(ds: Dataset, history: pd.DataFrame, lang: str) -> str:
    history = history.sort_values("year")
    before, now = history.iloc[-2], history.iloc[-1]
    change = (now["value"] / before["value"] - 1) * 100
    return say(
        "finding.history",
        lang,
        name=text.escape(text.field(now, "name", lang)),
        before_year=before["year"],
        before=text.escape(text.value(before, ds, lang)),
        now=text.escape(text.value(now, ds, lang)),
        year=now["year"],
        pct=text.change(change, lang),
    )


def _history_findings(ds: Dataset, theme: str | None, year: int, lang: str) -> list[Finding]:
    history = derive.multi_year(derive.recent(ds, derive.figures_for(ds, theme=theme)), year)
    return [
        Finding(_rank(group.iloc[-1]) + 0.2, history_sentence(ds, group, lang))
        for _, group in history.groupby("indicator", sort=False)
    ]


def milestones_sentence(ds: Dataset, year: int, theme: str | None, lang: str) -> str:
    """'The sources also record 8 milestones for 2024, including five recognitions (two national, …).'"""
    mine = ds.milestones[ds.milestones["year"] == year]
    if theme is not None:
        mine = mine[mine["theme"] == theme]
    if mine.empty:
        return ""
    recognised = mine[mine["type"] == "recognition"]
    detail = ""
    if not recognised.empty:
        counts = recognised["level"].value_counts()
        levels = [
            say(
                "finding.milestones_level",
                lang,
                number=number_word(int(counts[level]), lang),
                level=say(f"level.{level}", lang),
            )
            for level in MILESTONE_LEVELS
            if level in counts
        ]
        detail = say(
            "finding.milestones_recognitions",
            lang,
            recognitions=say("count.recognitions", lang, count=len(recognised)),
            levels=text.join(levels, lang),
        )
    return say(
        "finding.milestones",
        lang,
        milestones=say("count.milestones", lang, count=len(mine)),
        year=year,
        recognitions=detail,
    )


def _overview_lead(ds: Dataset, row, lang: str) -> str:
    """The overview's short form of a theme's lead figure (the chapter says it in full, with caveats)."""
    growth = (
        say("finding.overview_growth", lang, pct=text.change(row["yoy_pct"], lang), previous=row["year"] - 1)
        if pd.notna(row.get("yoy_pct"))
        else ""
    )
    theme = text.field(ds.themes.set_index("id").loc[row["theme"]], "title", lang)
    return say(
        "finding.overview_lead",
        lang,
        theme=text.escape(theme),
        name=text.escape(text.in_sentence(text.field(row, "name", lang))),
        value=text.escape(text.value(row, ds, lang)),
        growth=growth,
    )


def _overview_candidates(ds: Dataset, figures: pd.DataFrame, ratios: pd.DataFrame, lang: str) -> list[Finding]:
    """Across themes: each theme's lead figure in theme order, the growth rates and the cross-theme ratios."""
    order = dict(zip(ds.themes["id"], range(len(ds.themes))))
    leads = [
        Finding(order[row["theme"]], _overview_lead(ds, row, lang))
        for _, row in figures.iterrows()
        if _rank(row) == 1 and pd.notna(row.get("yoy_pct"))
    ]
    growth = [Finding(0.5, f.sentence) for f in _growth_finding(figures, lang)]
    names = ds.indicators.set_index("id")[f"name_{lang}"]
    across = [
        Finding(
            0.6,
            say(
                "finding.overview_ratio",
                lang,
                numerator=text.escape(text.in_sentence(names[r["numerator"]])),
                value=text.escape(text.ratio_value(ds, r, lang)),
                year=r["year"],
                denominator=text.escape(text.in_sentence(names[r["denominator"]])),
            ),
        )
        for _, r in ratios.iterrows()
        if r["type"] == "share" and _themes_of(ds, r) > 1
    ]
    return leads + growth + across


def _themes_of(ds: Dataset, ratio) -> int:
    """How many themes a ratio's inputs belong to: the overview compares across themes only."""
    themes = ds.indicators.set_index("id")["theme"]
    return len({themes[ratio["numerator"]], themes[ratio["denominator"]]})


def chapter_findings(
    ds: Dataset, figures: pd.DataFrame, ratios: pd.DataFrame, year: int, theme: str | None, edition: Edition
) -> list[str]:
    """The chapter's opening findings, best-ranked first; at most five. theme None: the overview."""
    lang = edition.lang
    if theme is None:
        candidates = _overview_candidates(ds, figures, ratios, lang)
    else:
        history = _history_findings(ds, theme, year, lang)
        # An indicator with earlier years is stated once, with its change, not twice.
        repeated = set(derive.multi_year(derive.recent(ds, derive.figures_for(ds, theme=theme)), year)["indicator"])
        levels = _level_findings(ds, figures[~figures["indicator"].isin(repeated)], lang)
        candidates = (
            levels
            + _growth_finding(figures, lang)
            + _ratio_findings(ds, ratios, lang)
            + history
            + _computed_findings(ds, year, theme, lang)
        )
    # Never filled up with bare levels: a chapter with few comparisons shows few findings.
    chosen = sorted(candidates, key=lambda f: f.rank)[:MAX_FINDINGS]
    sentences = [f.sentence for f in chosen]
    milestones = milestones_sentence(ds, year, theme, lang) if theme is not None else ""
    if milestones and len(sentences) < MAX_FINDINGS:
        sentences.append(milestones)
    return sentences

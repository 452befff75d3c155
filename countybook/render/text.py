"""Sentences from figures: every number in the book's prose is formatted here from data.

Text drawn from data is escaped, so a name or quote containing markup shows as text.
"""
from __future__ import annotations

import html
import re

import pandas as pd

from ..data import derive
from . import numbers
from ..data import Dataset

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~$])")


def escape(text) -> str:
    """Make data text inert in Markdown and HTML: entities for <>&, backslashes for Markdown marks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def number(value: float) -> str:
    """A derived number with sensible precision: 162.3, 4.56, 0.484; thousands separated."""
    magnitude = abs(value)
    decimals = 1 if magnitude >= 10 else 2 if magnitude >= 1 else 3
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def qualified(row, qualifiers: pd.DataFrame) -> str:
    """'more than 1.2 亿件' — the published value as written, with the source's qualifier."""
    words = dict(zip(qualifiers["id"], qualifiers["en"])).get(row["qualifier"], "")
    value = row["value_text"] if row.get("basis", derive.PUBLISHED) == derive.PUBLISHED else number(row["value"])
    return f"{words + ' ' if words else ''}{value} {row['unit']}"


def in_sentence(english: str) -> str:
    """Lower-case the first letter for use mid-sentence, unless it starts an acronym (LNG)."""
    return english[:1].lower() + english[1:] if english[1:2].islower() or english[1:2] == "-" else english


def name(row) -> str:
    return f"{escape(in_sentence(row['name_en']))} ({escape(row['name_zh'])})"


def _growth_clause(row) -> str:
    return f"{row['yoy_pct']:+g}%"


def _list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def theme_summary(ds: Dataset, year: int, theme: str) -> str:
    """Interpretive paragraph for a theme chapter, or the explicit 'no figures' sentence."""
    title = ds.themes.set_index("id").loc[theme, "title_en"]
    figures = derive.figures_for(ds, year, theme)
    if figures.empty:
        return no_figures_sentence(ds, year, theme)
    parts = [f"For {year} the sources give **{len(figures)}** published {plural(len(figures), 'figure')} "
             f"on {title.lower()}."]
    growth = derive.growth_ranking(figures)
    if len(growth) == 1:
        top = growth.iloc[0]
        parts.append(f"Only one comes with a published growth rate: {name(top)} reached "
                     f"{qualified(top, ds.qualifiers)}, {_growth_clause(top)} on {year - 1}.")
    elif len(growth) > 1:
        top, low = growth.iloc[0], growth.iloc[-1]
        parts.append(f"Of the {len(growth)} with a published growth rate, {name(top)} grew fastest "
                     f"({_growth_clause(top)}, to {qualified(top, ds.qualifiers)}) and {name(low)} slowest "
                     f"({_growth_clause(low)}).")
    else:
        parts.append("None of them comes with a published growth rate, so change on the previous year "
                     "cannot be shown from these sources.")
    parts += [earlier_year_sentence(ds, group) for _, group in
              derive.multi_year(derive.figures_for(ds, theme=theme), year).groupby("indicator", sort=False)]
    ratios = derive.ratios_for(ds, year, theme)
    if not ratios.empty:
        first = ratios.iloc[0]
        parts.append(f"Derived from the published figures, {escape(in_sentence(first['name_en']))} comes to "
                     f"{number(first['value'])} {escape(first['unit'])}.")
    parts.append(milestones_sentence(ds, year, theme))
    approximate = figures[figures["qualifier"] != "exact"]
    if not approximate.empty:
        parts.append("Published as bounds rather than exact values: "
                     f"{_list([qualified(r, ds.qualifiers) for _, r in approximate.iterrows()])}.")
    return " ".join(part for part in parts if part)


def milestones_sentence(ds: Dataset, year: int, theme: str) -> str:
    """'The sources also record 8 qualitative milestones, the highest at national level (2 of them).'"""
    mine = ds.milestones[(ds.milestones["year"] == year) & (ds.milestones["theme"] == theme)]
    if mine.empty:
        return ""
    levels = mine["level"].value_counts()
    top = next(level for level in ["national", "provincial", "municipal", "county"] if level in levels)
    if len(mine) == 1:
        return f"The sources also record one qualitative milestone, at {top} level."
    return (f"The sources also record {len(mine)} qualitative milestones, the highest at {top} level "
            f"({levels[top]} of them).")


def plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def earlier_year_sentence(ds: Dataset, history: pd.DataFrame) -> str:
    """'X was also published for 2023: 214 家 → 242 家, a computed change of +13.1%.'"""
    history = history.sort_values("year")
    before, now = history.iloc[-2], history.iloc[-1]
    change = (now["value"] / before["value"] - 1) * 100
    return (f"{escape(now['name_en'])} ({escape(now['name_zh'])}) was also published for {before['year']}: "
            f"{qualified(before, ds.qualifiers)} then, {qualified(now, ds.qualifiers)} in {now['year']} — "
            f"a computed change of {change:+.1f}% (from two sources; check their wording).")


def no_figures_sentence(ds: Dataset, year: int, theme: str) -> str:
    title = ds.themes.set_index("id").loc[theme, "title_en"]
    held = sorted(set(derive.figures_for(ds, theme=theme)["year"]))
    elsewhere = f" Years with figures for this theme: {', '.join(map(str, held))}." if held else ""
    return f"**No figures for this theme in {year}** ({escape(title)}).{elsewhere}"


def overview_summary(ds: Dataset, year: int) -> str:
    """The overview's opening paragraph: coverage, fastest growth, industry against services."""
    figures = derive.figures_for(ds, year)
    per_theme = derive.figures_per_theme(ds, year)
    covered = per_theme[per_theme["figures"] > 0]
    parts = [f"The sources give **{len(figures)}** published figures for {year}, across "
             f"{len(covered)} of the {len(per_theme)} themes."]
    if not covered.empty:
        biggest = covered.sort_values("figures", ascending=False).iloc[0]
        parts.append(f"{escape(biggest['title_en'])} holds the most ({biggest['figures']}).")
    growth = derive.growth_ranking(figures)
    if len(growth) >= 2:
        top, low = growth.iloc[0], growth.iloc[-1]
        parts.append(f"{len(growth)} figures come with a published growth rate: {name(top)} grew fastest "
                     f"({_growth_clause(top)}) and {name(low)} slowest ({_growth_clause(low)}).")
    elif len(growth) == 1:
        parts.append(f"Only {name(growth.iloc[0])} comes with a published growth rate "
                     f"({_growth_clause(growth.iloc[0])}).")
    else:
        parts.append("No figure for this year comes with a published growth rate.")
    comparison = derive.ratios_for(ds, year)
    comparison = comparison[comparison["ratio"] == "services_revenue_to_industrial_output"]
    if not comparison.empty:
        row = comparison.iloc[0]
        parts.append(f"Services revenue of firms above designated size equalled {number(row['value'])}% of "
                     f"industrial output above designated size ({escape(row['formula'])}), so industrial output "
                     f"was {number(100 / row['value'])} times as large — bearing in mind that revenue and gross "
                     f"output are different measures.")
    return " ".join(part for part in parts if part)


def edition_sentence(ds: Dataset, year: int) -> str:
    """What this edition holds: counts of published, implied and derived values."""
    figures = derive.figures_for(ds, year)
    implied = len(derive.implied_previous(figures))
    ratios = len(derive.ratios_for(ds, year))
    years = ", ".join(map(str, ds.years()))
    return (f"This edition covers **{year}**: **{len(figures)}** published {plural(len(figures), 'figure')}, "
            f"**{implied}** implied previous-year {plural(implied, 'level')} and **{ratios}** derived "
            f"{plural(ratios, 'ratio')}. Years with figures in the data: {years}.")


# --------------------------------------------------------------------------- English values

def lower_first(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def number_word(count: int) -> str:
    from .messages import number_word as word

    return word(count)


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def value_en(row, ds: Dataset) -> str:
    """A figure in English units with the source's qualifier: 'more than 120 million items'."""
    words = dict(zip(ds.qualifiers["id"], ds.qualifiers["en"])).get(row.get("qualifier", "exact"), "")
    if row.get("basis", derive.PUBLISHED) == derive.PUBLISHED:
        amount = numbers.english(row["value_text"], row["unit"], ds.units)
    else:
        amount = numbers.english_derived(row["value"], row["unit"], ds.units)
    return f"{words + ' ' if words else ''}{amount}"


def ratio_value_en(ds: Dataset, ratio) -> str:
    """A derived ratio's value in English units: '9.5%', '321 million yuan', '483.6 kg per mu'."""
    if ratio["type"] in ("share", "equivalent_to"):
        return f"{numbers.derived(ratio['value'])}%"
    if ratio["type"] == "per_unit_average" and ratio["per_en"]:
        numerator = numbers.to_base(ratio["numerator_text"], ratio["numerator_unit"], ds.units)
        denominator = numbers.to_base(ratio["denominator_text"], ratio["denominator_unit"], ds.units)
        return numbers.english_base(float(numerator / denominator), ratio["numerator_unit"], ds.units)
    return f"{numbers.derived(ratio['value'])} {ratio['unit_en']}"

"""Sentences from figures: every number in the book's prose is formatted here from data.

Text drawn from data is escaped, so a name or quote containing markup shows as text.
"""
from __future__ import annotations

import html
import re


from ..data import derive
from . import numbers
from .messages import say
from ..data import Dataset

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~$])")


def escape(text) -> str:
    """Make data text inert in Markdown and HTML: entities for <>&, backslashes for Markdown marks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def in_sentence(english: str) -> str:
    """Lower-case the first letter for use mid-sentence, unless it starts an acronym (LNG)."""
    return english[:1].lower() + english[1:] if english[1:2].islower() or english[1:2] == "-" else english


def name(row) -> str:
    return f"{escape(in_sentence(row['name_en']))} ({escape(row['name_zh'])})"


def edition_sentence(ds: Dataset, year: int) -> str:
    """What this edition holds: counts of published, implied and derived values, in words that fit the count."""
    figures = derive.figures_for(ds, year)
    implied = len(derive.implied_previous(figures))
    ratios = len(derive.ratios_for(ds, year))
    years = join([str(y) for y in ds.years()])
    return (f"This edition covers **{year}**: {say('count.figures', count=len(figures))}, "
            f"{say('count.implied', count=implied)} and {say('count.ratios', count=ratios)}. "
            f"Years with figures in the data: {years}.")


def cross_year_sentence(checked: int, flagged: int) -> str:
    """What the cross-year check compared and found."""
    found = say("crosscheck.agree") if flagged == 0 else say("crosscheck.differ", count=flagged)
    sentence = say("crosscheck.checked", indicators=say("crosscheck.indicators", count=checked), found=found)
    return sentence[:1].upper() + sentence[1:]


# --------------------------------------------------------------------------- English values

def lower_first(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def value_en(row, ds: Dataset) -> str:
    """A figure in English units with the source's qualifier: 'more than 120 million items'."""
    if row.get("value_text", "x") == "":
        return "level not published (growth only)"
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

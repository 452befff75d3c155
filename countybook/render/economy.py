"""The overview's "Economy at a glance": GDP and its structure, per-capita GDP, public finance, incomes.

Also every other figure of the `economy` theme (population, deposits and loans, spending items),
which has no chapter of its own.

Built from the standard indicators of a statistical bulletin or work report. A year without any of
them gets None, and the overview then shows nothing at all (no heading, no "not available" line).
Every number shown is a published figure as written, or marked *derived* with the figures it was
computed from (the sector shares of GDP, the urban-rural income ratio).
"""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from ..data import Dataset, derive
from . import numbers
from .charts import Chart
from .messages import say
from .text import escape

number = numbers.derived


# Rows of the table, in order; only those with a figure for the year are shown.
GLANCE_INDICATORS = [
    "gdp",
    "value_added_primary_industry",
    "value_added_secondary_industry",
    "value_added_tertiary_industry",
    "gdp_per_capita",
    "general_budget_revenue",
    "tax_revenue",
    "general_budget_expenditure",
    "disposable_income_per_capita",
    "urban_disposable_income_per_capita",
    "rural_disposable_income_per_capita",
]
SECTORS = ["value_added_primary_industry", "value_added_secondary_industry", "value_added_tertiary_industry"]
SECTOR_LABELS = {"value_added_primary_industry": "Primary", "value_added_secondary_industry": "Secondary",
                 "value_added_tertiary_industry": "Tertiary"}


@dataclass
class Glance:
    markdown: str
    chart: Chart | None = None  # the structure of GDP, when the three sectors are published


def english_amount(value_text: str, unit: str, units: dict) -> str:
    """The published value in English units (187.5 亿元 -> '18.75 billion yuan'), by data/units.yml."""
    return numbers.english(value_text, unit, units)


def _growth(row) -> str:
    if pd.isna(row["yoy_pct"]):
        return "—"
    # The same words as the findings' price-basis caveats; a basis not stated adds nothing here.
    basis = row.get("price_basis", "")
    basis = say(f"caveat.{basis}") if basis in ("comparable", "current") else ""
    return f"{row['yoy_pct']:+g}%" + (f" ({basis})" if basis else "")


def _level(row, ds: Dataset) -> tuple[str, str]:
    """The value as the source printed it (marked Chinese) and in English units, each with its qualifier."""
    if pd.isna(row["value"]):
        return "not published (growth only)", ""
    word_zh = dict(zip(ds.qualifiers["id"], ds.qualifiers["zh"])).get(row["qualifier"], "") or ""
    word_en = dict(zip(ds.qualifiers["id"], ds.qualifiers["en"])).get(row["qualifier"], "") or ""
    printed = f"{word_zh}{row.get('published_value', row['value_text'])}{row.get('published_unit', row['unit'])}"
    english = english_amount(row["value_text"], row["unit"], ds.units)
    return (f'<span lang="zh">{escape(printed)}</span>',
            escape(f"{word_en} {english}" if word_en else english))


def at_a_glance(ds: Dataset, year: int) -> Glance | None:
    """What the overview shows under "Economy at a glance" for `year`, or None if the year has none of it."""
    figures = derive.figures_for(ds, year)
    figures = figures[figures["indicator"].isin(GLANCE_INDICATORS)]
    if figures.empty:
        return None
    # The economy theme has no chapter of its own: its other figures (population, deposits, spending
    # items) are listed here too, after the headline rows, in registry order.
    others = derive.figures_for(ds, year, "economy")
    others = others[~others["indicator"].isin(GLANCE_INDICATORS)]
    rows = list(GLANCE_INDICATORS) + list(others["indicator"])
    figures = pd.concat([figures, others]).set_index("indicator")
    lines = [f"## {say('heading.economy')}", "",
             f"The county's headline statistics for {year}, as published "
             "(values as printed, and in English units; growth year on year).", "",
             "| Indicator | Published value | In English | Growth |", "|---|---|---|---|"]
    for indicator in rows:
        if indicator not in figures.index:
            continue
        row = figures.loc[indicator]
        value, english = _level(row, ds)
        lines.append(f"| {escape(row['name_en'])} (<span lang=\"zh\">{escape(row['name_zh'])}</span>) | {value} | "
                     f"{english or '—'} | "
                     f"{escape(_growth(row))} |")
    notes = []
    structure = gdp_structure(figures)
    if structure is not None:
        shares = ", ".join(f"{SECTOR_LABELS[s].lower()} {number(share)}%" for s, share in structure.items())
        notes.append(f"Structure of GDP (*derived* from the three published sector values): {shares}.")
    ratio = urban_rural_income_ratio(figures)
    if ratio is not None:
        notes.append(f"Urban residents' per capita disposable income was {number(ratio)} times rural residents' "
                     "(*derived* from the two published incomes).")
    sources = ds.sources.set_index("id")
    used = [escape(sources.loc[s, "title"]) for s in dict.fromkeys(figures["source"]) if s in sources.index]
    notes.append("Source: " + "; ".join(used) + ".")
    markdown = "\n".join(lines) + "\n\n" + "\n\n".join(notes)
    return Glance(markdown, structure_chart(structure, year) if structure is not None else None)


def gdp_structure(figures: pd.DataFrame) -> dict[str, float] | None:
    """Each sector's share (%) of the sum of the three published sector values; None unless all three are published."""
    if not all(s in figures.index and pd.notna(figures.loc[s, "value"]) for s in SECTORS):
        return None
    if len({figures.loc[s, "unit"] for s in SECTORS}) != 1:
        return None  # shares of values in different units would need a conversion first
    total = sum(figures.loc[s, "value"] for s in SECTORS)
    if total <= 0:
        return None
    return {s: figures.loc[s, "value"] / total * 100 for s in SECTORS}


def urban_rural_income_ratio(figures: pd.DataFrame) -> float | None:
    urban, rural = "urban_disposable_income_per_capita", "rural_disposable_income_per_capita"
    if not all(i in figures.index and pd.notna(figures.loc[i, "value"]) for i in (urban, rural)):
        return None
    if figures.loc[urban, "unit"] != figures.loc[rural, "unit"] or figures.loc[rural, "value"] <= 0:
        return None
    return figures.loc[urban, "value"] / figures.loc[rural, "value"]


def structure_chart(structure: dict[str, float], year: int) -> Chart:
    """Three bars from zero: each sector's share of the sum of the three (derived)."""
    labels = [SECTOR_LABELS[s] for s in structure]
    shares = list(structure.values())
    fig, ax = plt.subplots(figsize=(9, 2.6))
    bars = ax.barh(labels[::-1], shares[::-1], color=[f"C{i}" for i in range(len(labels))][::-1])
    ax.bar_label(bars, labels=[f"{number(v)}%" for v in shares[::-1]], padding=3, fontsize=9)
    ax.set_xlim(0, max(100.0, max(shares) * 1.15))
    ax.set_xlabel("% of the sum of the three industries' value added (derived)")
    ax.set_title(f"Structure of GDP, {year}")
    fig.tight_layout()
    rows = pd.DataFrame({"indicator": list(structure), "unit": "%", "measure": "rate", "value": shares})
    alt = ("Bar chart of the structure of GDP in " + str(year) + ": "
           + "; ".join(f"{label} industry {number(v)}%" for label, v in zip(labels, shares)) + ".")
    caption = (f"Figure: shares of the primary, secondary and tertiary industries in the sum of their published "
               f"value added, {year} (derived).")
    return Chart(fig, alt, caption, rows, shares)

"""The overview's "Economy at a glance": GDP and its structure, per-capita GDP, public finance, incomes.

Built from the standard indicators of a statistical bulletin or work report. A year without any of
them gets None, and the overview then shows nothing at all (no heading, no "not available" line).
Every number shown is a published figure as written, or marked *derived* with the figures it was
computed from (the sector shares of GDP, the urban-rural income ratio).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import matplotlib.pyplot as plt
import pandas as pd

from ..data import Dataset, derive
from .text import escape, number

HEADING = "Economy at a glance"

# Rows of the table, in order; only those with a figure for the year are shown.
GLANCE_INDICATORS = [
    "gdp",
    "value_added_primary_industry",
    "value_added_secondary_industry",
    "value_added_tertiary_industry",
    "gdp_per_capita",
    "general_public_budget_revenue",
    "tax_revenue",
    "general_public_budget_expenditure",
    "disposable_income_per_capita",
    "disposable_income_per_capita_urban",
    "disposable_income_per_capita_rural",
]
SECTORS = ["value_added_primary_industry", "value_added_secondary_industry", "value_added_tertiary_industry"]
SECTOR_LABELS = {"value_added_primary_industry": "Primary", "value_added_secondary_industry": "Secondary",
                 "value_added_tertiary_industry": "Tertiary"}
PRICE_BASIS_EN = {"comparable": "at comparable prices", "current": "at current prices"}


@dataclass
class Glance:
    markdown: str
    figure: object | None = None  # a matplotlib Figure, or None when there is nothing to chart
    caption: str = ""


def english_amount(value_text: str, unit: str, units: dict) -> str:
    """The published value in its English base unit: 187.5 亿元 -> '18.75 billion yuan'.

    Uses the unit's `factor` and `base_en` from data/units.yml; exact decimal arithmetic, so no digit
    appears that the conversion does not produce.
    """
    info = units.get(unit, {})
    factor, base = info.get("factor"), info.get("base_en")
    if not factor or not base:
        return f"{value_text} {info.get('en', unit)}"
    amount = Decimal(value_text) * Decimal(str(factor))
    for size, word in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if abs(amount) >= size:
            scaled = (amount / size).normalize()
            return f"{scaled:f} {word} {base}"
    whole = amount.normalize()
    return f"{whole:,f} {base}" if whole == whole.to_integral() else f"{whole:f} {base}"


def _growth(row) -> str:
    if pd.isna(row["yoy_pct"]):
        return "—"
    basis = PRICE_BASIS_EN.get(row.get("price_basis", ""), "")
    return f"{row['yoy_pct']:+g}%" + (f" ({basis})" if basis else "")


def _level(row, ds: Dataset) -> tuple[str, str]:
    if pd.isna(row["value"]):
        return "not published (growth only)", ""
    words = dict(zip(ds.qualifiers["id"], ds.qualifiers["en"])).get(row["qualifier"], "")
    prefix = f"{words} " if words else ""
    return (f"{prefix}{escape(row['value_text'])} {escape(row['unit'])}",
            prefix + escape(english_amount(row["value_text"], row["unit"], ds.units)))


def at_a_glance(ds: Dataset, year: int) -> Glance | None:
    """What the overview shows under "Economy at a glance" for `year`, or None if the year has none of it."""
    figures = derive.figures_for(ds, year)
    figures = figures[figures["indicator"].isin(GLANCE_INDICATORS)]
    if figures.empty:
        return None
    figures = figures.set_index("indicator")
    lines = [f"## {HEADING}", "",
             f"The county's headline statistics for {year}, as published "
             "(values as printed, with the English amount; growth year on year).", "",
             "| Indicator | Published value | In English | Growth |", "|---|---|---|---|"]
    for indicator in GLANCE_INDICATORS:
        if indicator not in figures.index:
            continue
        row = figures.loc[indicator]
        value, english = _level(row, ds)
        lines.append(f"| {escape(row['name_en'])} ({escape(row['name_zh'])}) | {value} | {english or '—'} | "
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
    if structure is None:
        return Glance(markdown)
    figure = structure_chart(structure, f"Structure of GDP, {year}")
    caption = (f"Figure: shares of the primary, secondary and tertiary industries in the sum of their published "
               f"value added, {year} (derived).")
    return Glance(markdown, figure, caption)


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
    urban, rural = "disposable_income_per_capita_urban", "disposable_income_per_capita_rural"
    if not all(i in figures.index and pd.notna(figures.loc[i, "value"]) for i in (urban, rural)):
        return None
    if figures.loc[urban, "unit"] != figures.loc[rural, "unit"] or figures.loc[rural, "value"] <= 0:
        return None
    return figures.loc[urban, "value"] / figures.loc[rural, "value"]


def structure_chart(structure: dict[str, float], title: str):
    fig, ax = plt.subplots(figsize=(9, 1.9))
    left = 0.0
    for i, (sector, share) in enumerate(structure.items()):
        ax.barh([0], [share], left=left, color=f"C{i}", label=SECTOR_LABELS[sector])
        ax.text(left + share / 2, 0, f"{SECTOR_LABELS[sector]}\n{number(share)}%", ha="center", va="center",
                fontsize=9, color="white" if share > 12 else "black")
        left += share
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xlabel("% of the sum of the three sectors' value added (derived)")
    ax.set_title(title)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig

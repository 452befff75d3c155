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
from . import numbers, text
from .charts import Chart, styled
from .edition import Edition
from .messages import say
from .text import escape

number = numbers.derived


# Rows of the table, in order; only those with a figure for the year are shown.
GLANCE_INDICATORS = (
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
)
SECTORS = ("value_added_primary_industry", "value_added_secondary_industry", "value_added_tertiary_industry")


@dataclass
class Glance:
    markdown: str
    chart: Chart | None = None  # the structure of GDP, when the three sectors are published


def english_amount(value_text: str, unit: str, units: dict) -> str:
    """The published value in English units (187.5 亿元 -> '18.75 billion yuan'), by data/units.yml."""
    return numbers.english(value_text, unit, units)


def _growth(row, lang: str) -> str:
    if pd.isna(row["yoy_pct"]):
        return say("table.none", lang)
    pct = row["yoy_pct"]
    signed = say("economy.up" if pct > 0 else "economy.down" if pct < 0 else "economy.flat", lang, pct=f"{abs(pct):g}%")
    # The same words as the findings' price-basis caveats; a basis not stated adds nothing here.
    basis = row.get("price_basis", "")
    if basis in ("comparable", "current"):
        return say("economy.growth_basis", lang, pct=signed, basis=say(f"caveat.{basis}", lang))
    return signed


def _level(row, ds: Dataset, lang: str) -> list[str]:
    """The table's value cells in the edition's style: the printed form (marked Chinese) and, in the
    English edition, the value in English units with its qualifier."""
    style = text.style(lang)
    if pd.isna(row["value"]):
        return [say("economy.not_published", lang)] + [say("table.none", lang)] * (len(style.value_headers(lang)) - 1)
    return [
        f'<span lang="zh">{escape(text.printed_form(row, ds))}</span>',
        *([escape(text.value_en(row, ds, lang))] if style.shows_english else []),
    ]


def at_a_glance(ds: Dataset, edition: Edition) -> Glance | None:
    """What the overview shows under "Economy at a glance" for `year`, or None if the year has none of it."""
    lang = edition.lang
    year = edition.year
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
    style = text.style(lang)
    headers = [
        "economy.col_indicator",
        "economy.col_published",
        *(["economy.col_english"] if style.shows_english else []),
        "economy.col_growth",
    ]
    lines = [
        say("economy.intro", lang, year=year),
        "",
        "| " + " | ".join(say(h, lang) for h in headers) + " |",
        "|" + "---|" * len(headers),
    ]
    for indicator in rows:
        if indicator not in figures.index:
            continue
        row = figures.loc[indicator]
        name = style.name_markdown(row["name_en"], row["name_zh"])
        lines.append(f"| {name} | " + " | ".join(_level(row, ds, lang)) + f" | {escape(_growth(row, lang))} |")
    notes = []
    structure = gdp_structure(figures)
    if structure is not None:
        shares = say("list.comma", lang).join(
            say("economy.share_item", lang, sector=say(f"economy.sector_in_sentence.{s}", lang), share=number(share))
            for s, share in structure.items()
        )
        notes.append(say("economy.structure", lang, shares=shares))
    ratio = urban_rural_income_ratio(figures)
    if ratio is not None:
        notes.append(say("economy.income_ratio", lang, ratio=number(ratio)))
    sources = ds.sources.set_index("id")
    used = [
        text.original(escape(sources.loc[s, "title"]), sources.loc[s, "language"])
        for s in dict.fromkeys(figures["source"])
        if s in sources.index
    ]
    notes.append(say("economy.source", lang, sources=say("list.semicolon", lang).join(used)))
    markdown = "\n".join(lines) + "\n\n" + "\n\n".join(notes)
    return Glance(markdown, structure_chart(structure, year, lang) if structure is not None else None)


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


@styled
def structure_chart(structure: dict[str, float], year: int, lang: str) -> Chart:
    """Three bars from zero: each sector's share of the sum of the three (derived)."""
    labels = [say(f"economy.sector.{s}", lang) for s in structure]
    shares = list(structure.values())
    fig, ax = plt.subplots(figsize=(9, 2.6))
    bars = ax.barh(labels[::-1], shares[::-1], color=[f"C{i}" for i in range(len(labels))][::-1])
    ax.bar_label(bars, labels=[f"{number(v)}%" for v in shares[::-1]], padding=3, fontsize=9)
    ax.set_xlim(0, max(100.0, max(shares) * 1.15))
    ax.set_xlabel(say("economy.chart_axis", lang))
    ax.set_title(say("economy.chart_title", lang, year=year))
    fig.tight_layout()
    rows = pd.DataFrame({"indicator": list(structure), "unit": "%", "measure": "rate", "value": shares})
    alt = say(
        "economy.chart_alt",
        lang,
        year=year,
        items=say("list.semicolon", lang).join(
            say("economy.chart_alt_item", lang, sector=label, share=number(v)) for label, v in zip(labels, shares)
        ),
    )
    caption = say("economy.chart_caption", lang, year=year)
    return Chart(fig, alt, caption, rows, shares)

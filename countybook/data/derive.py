"""Indicator maths: figures joined with the registry, implied previous-year levels, ratios, growth.

Nothing here is ever stored in data/: every derived value is recomputed from published figures
and carries `basis` = "implied" or "derived" so the book can mark it.
"""

from __future__ import annotations

import pandas as pd

from .load import Dataset, remembered

RATIO_COLUMNS = (
    "ratio",
    "theme",
    "type",
    "numerator",
    "denominator",
    "numerator_text",
    "numerator_unit",
    "denominator_text",
    "denominator_unit",
    "per_en",
    "name_zh",
    "name_en",
    "year",
    "value",
    "unit",
    "unit_en",
    "formula",
    "inputs_exact",
    "basis",
)
PUBLISHED = "published"
IMPLIED = "implied"
DERIVED = "derived"


def figures_for(ds: Dataset, year: int | None = None, theme: str | None = None) -> pd.DataFrame:
    """Published figures joined with their indicator's names, theme and kind, in registry order."""
    joined = _joined_figures(ds)
    if year is not None:
        joined = joined[joined["year"] == year]
    if theme is not None:
        joined = joined[joined["theme"] == theme]
    return joined.reset_index(drop=True)  # a copy on write: a caller's edits stay its own


def _joined_figures(ds: Dataset) -> pd.DataFrame:
    """Every figure joined with the registry, in registry order, once per Dataset (a chapter asks for
    them a hundred times, per theme and year: the join and sort were most of its data work). The
    sort is stable (several keys), so a year's or a theme's rows filtered from it keep the order a
    sort of those rows alone would give."""
    return remembered(ds, "joined_figures", (ds.figures, ds.indicators), lambda: _join(ds))


def _join(ds: Dataset) -> pd.DataFrame:
    registry = ds.indicators[
        [
            "id",
            "theme",
            "name_zh",
            "name_en",
            "kind",
            "measure",
            "price_basis",
            "scope",
            "headline",
            "chart_group",
            "key_figure",
            "entity",
        ]
    ].rename(columns={"id": "indicator"})
    registry["registry_order"] = range(len(registry))
    joined = ds.figures.merge(registry, on="indicator", how="left", suffixes=("", "_registry"))
    if "price_basis_registry" in joined:
        # A figure's own price basis (the source said 按可比价格计算) overrides the registry's default.
        own = joined["price_basis"].fillna("").astype(str)
        joined["price_basis"] = own.where(own != "", joined.pop("price_basis_registry"))
    return joined.assign(basis=PUBLISHED).sort_values(["registry_order", "year"])


def levels(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures with a published level: growth-only figures (a rate without its level) left out."""
    return figures[figures["value"].notna()]


def growth_only(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures whose source gives only the growth rate, not the level."""
    return figures[figures["value"].isna() & figures["yoy_pct"].notna()]


def implied_level(value, growth_pct):
    """The previous year's level a growth rate implies: value / (1 + g/100) (numbers or columns)."""
    return value / (1 + growth_pct / 100)


def implied_previous(figures: pd.DataFrame) -> pd.DataFrame:
    """Previous-year levels implied by published growth: value / (1 + g/100), one row per figure with g."""
    with_growth = levels(figures)
    with_growth = with_growth[with_growth["yoy_pct"].notna()].copy()
    with_growth["implied_from_year"] = with_growth["year"]
    with_growth["formula"] = [
        f"{text} ÷ (1 + {growth:g}/100)" for text, growth in zip(with_growth["value_text"], with_growth["yoy_pct"])
    ]
    with_growth["value"] = implied_level(with_growth["value"], with_growth["yoy_pct"])
    with_growth["year"] = with_growth["year"] - 1
    with_growth["value_text"] = with_growth["value"].map(lambda v: f"{v:.1f}")
    with_growth["basis"] = IMPLIED
    with_growth["yoy_pct"] = float("nan")
    return with_growth.reset_index(drop=True)


def levels_with_implied(figures: pd.DataFrame) -> pd.DataFrame:
    """Published figures of those indicators with growth, each beside its implied previous level."""
    implied = implied_previous(figures)
    published = levels(figures)
    published = published[published["indicator"].isin(implied["indicator"])]
    return pd.concat([implied, published], ignore_index=True).sort_values(["registry_order", "year"])


def growth_ranking(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures with a published growth rate, fastest first."""
    return figures[figures["yoy_pct"].notna()].sort_values("yoy_pct", ascending=False).reset_index(drop=True)


def ratios_for(ds: Dataset, year: int, theme: str | None = None) -> pd.DataFrame:
    """Each registry ratio whose numerator and denominator are both published for the year."""
    figures = levels(figures_for(ds, year)).set_index("indicator")
    names = ds.indicators.set_index("id")
    rows = []
    for ratio in ds.ratios.itertuples():
        if theme is not None and ratio.theme != theme:
            continue
        if ratio.numerator not in figures.index or ratio.denominator not in figures.index:
            continue
        top, bottom = figures.loc[ratio.numerator], figures.loc[ratio.denominator]
        scale = "" if ratio.factor == 1 else f"×{ratio.factor:g}"
        rows.append(
            {
                "ratio": ratio.id,
                "theme": ratio.theme,
                "type": ratio.type,
                "numerator": ratio.numerator,
                "denominator": ratio.denominator,
                "numerator_text": top["value_text"],
                "numerator_unit": top["unit"],
                "denominator_text": bottom["value_text"],
                "denominator_unit": bottom["unit"],
                "per_en": ratio.per_en,
                "name_zh": ratio.name_zh,
                "name_en": ratio.name_en,
                "year": year,
                "value": top["value"] / bottom["value"] * ratio.factor,
                "unit": ratio.unit,
                "unit_en": ratio.unit_en,
                # Written as Chinese text: full-width brackets, no space between a number and its unit.
                "formula": f"{names.loc[ratio.numerator, 'name_zh']}（{top['value_text']}{top['unit']}）÷"
                f"{names.loc[ratio.denominator, 'name_zh']}（{bottom['value_text']}{bottom['unit']}）{scale}",
                "inputs_exact": top["qualifier"] == "exact" and bottom["qualifier"] == "exact",
                "basis": DERIVED,
            }
        )
    return pd.DataFrame(rows, columns=RATIO_COLUMNS)


def coverage(ds: Dataset) -> pd.DataFrame:
    """Indicator × year: 1 where a published figure exists, 0 otherwise; rows in registry order."""
    present = figures_for(ds)
    table = pd.crosstab(present["indicator"], present["year"]).clip(upper=1)
    order = [i for i in ds.indicators["id"] if i in table.index]
    return table.loc[order]


def figures_per_theme(ds: Dataset, year: int) -> pd.DataFrame:
    """Count of published figures, growth rates, implied levels and milestones per theme.

    A theme no figure of any year belongs to (the standard bulletin aggregates before a bulletin is
    added) is left out, so a book without such figures says nothing about them.
    """
    figures = figures_for(ds, year)
    held = set(recent(ds, figures_for(ds))["theme"]) | set(ds.projects["theme"]) | set(ds.milestones["theme"])
    rows = []
    for theme in ds.themes.itertuples():
        if theme.id not in held:
            continue
        mine = figures[figures["theme"] == theme.id]
        with_growth = int(mine["yoy_pct"].notna().sum())
        # each published growth rate beside a published level implies one previous-year level
        implied = int((mine["yoy_pct"].notna() & mine["value"].notna()).sum())
        rows.append(
            {
                "theme": theme.id,
                "title_en": theme.title_en,
                "title_zh": theme.title_zh,
                "figures": len(mine),
                "with_growth": with_growth,
                "implied": implied,
                "milestones": int(((ds.milestones["theme"] == theme.id) & (ds.milestones["year"] == year)).sum()),
                "projects": int(((ds.projects["theme"] == theme.id) & (ds.projects["year"] == year)).sum()),
            }
        )
    return pd.DataFrame(rows)


def multi_year(figures_all_years: pd.DataFrame, year: int) -> pd.DataFrame:
    """Figures, up to `year`, of indicators published in `year` and in at least one earlier year."""
    upto = levels(figures_all_years)
    upto = upto[upto["year"] <= year]
    now = set(upto.loc[upto["year"] == year, "indicator"])
    counts = upto.groupby("indicator")["year"].nunique()
    keep = [i for i in now if counts.get(i, 0) >= 2]
    return upto[upto["indicator"].isin(keep)].reset_index(drop=True)


def recent(ds: Dataset, figures: pd.DataFrame) -> pd.DataFrame:
    """The figures a chapter may compare: from ds.chapters_from on (older ones are the long view's)."""
    return figures[figures["year"] >= ds.chapters_from]


def shown_year(ds: Dataset, year: int, theme: str | None) -> int:
    """The year a chapter shows: `year`, or for a theme with no figures that year, its latest earlier one."""
    if theme is None or not figures_for(ds, year, theme).empty:
        return year
    earlier = recent(ds, figures_for(ds, theme=theme))
    earlier = earlier[earlier["year"] < year]
    return int(earlier["year"].max()) if not earlier.empty else year


def chapter_figures(ds: Dataset, year: int, theme: str | None) -> pd.DataFrame:
    """Every figure a chapter shows: the shown year's, and earlier years of the same indicators."""
    shown = shown_year(ds, year, theme)
    now = figures_for(ds, shown, theme)
    history = multi_year(recent(ds, figures_for(ds, theme=theme)), shown)
    rows = pd.concat([history[history["year"] < shown], now])
    return rows.sort_values(["registry_order", "year"]).reset_index(drop=True)

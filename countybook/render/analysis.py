"""The written analysis: an analyst's text per year, page and language, its numbers resolved from data.

Texts live in data/analysis/<year>/<page>.<lang>.md (page: `index`, `overview` or a theme id). They
hold no literal numbers: every number is a reference resolved when the notebook executes, so a
corrected figure or a rerun changes the prose with it:

    {year} {previous_year}              the edition's year, the one before
    {value:ID}                          Guanyun's published figure (in the edition's form)
    {growth:ID}                         its published growth rate
    {previous:ID}                       the level a year earlier: published, or implied (and said so)
    {ratio:ID}                          a derived ratio of data/ratios.yml
    {computed:ID}                       a telling comparison of data/computed.yml
    {benchmark:AREA:ID}                 an area's published level (data/benchmarks.csv)
    {benchmark_growth:AREA:ID}          an area's published growth rate
    {count_missing}                     how many headline bulletin indicators the year's sources lack
    {project:ID}                        a named project's investment (data/projects.csv)

A reference that cannot be resolved stops the edition with one line naming file, line and
reference. Why not myst-nb's `glue`: glue resolves at Sphinx build time, after the runner has
swapped the edition in, and a missing key is then only a build warning; numbers here must be
written in each edition's own form (18.75 billion yuan / 187.5亿元) and must fail the run, not the
build, when they cannot be found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..data import Dataset, computed, derive
from ..data.read import read_text
from . import numbers, text
from .edition import Edition, OfEdition
from .messages import say

REFERENCE = re.compile(r"\{([a-z_]+)(?::([a-z0-9_:]+))?\}")
KINDS = (
    "year",
    "previous_year",
    "value",
    "growth",
    "previous",
    "ratio",
    "computed",
    "benchmark",
    "benchmark_growth",
    "count_missing",
    "project",
)
ANALYSIS_FOLDER = "analysis"
# Digits may not appear in a text at all (years are {year}); number words that state a quantity
# are refused as well. Ordinals name a position, not a quantity, and stay allowed (first, 第一).
_DIGITS = re.compile(r"[0-9０-９]")
_ENGLISH_NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|trillion|twice|double|triple|half|third|quarter|fifth|dozen)s?\b",
    re.IGNORECASE,
)
_CHINESE_COUNTS = re.compile(r"(?<!第)[一二两三四五六七八九十百千]+(?:个|家|项|条|所|倍|成|万|亿|年|%|分之)")


class AnalysisError(ValueError):
    """A reference in a written analysis that the data cannot resolve."""


@dataclass(frozen=True)
class Context(OfEdition):
    """What references resolve against: one page of one edition (shown_year: the year the page shows,
    earlier than the edition's for a theme without figures in it)."""

    ds: Dataset
    edition: Edition
    shown_year: int


def analysis_dir(data_dir: Path | None = None) -> Path:
    return (Path(data_dir) if data_dir is not None else paths.data_dir()) / ANALYSIS_FOLDER


def text_path(year: int, page: str, lang: str, data_dir: Path | None = None) -> Path:
    return analysis_dir(data_dir) / str(year) / f"{page}.{lang}.md"


def literal_numbers(source: str, lang: str) -> list[str]:
    """Numbers written into a text instead of referenced: digits, and quantities in words."""
    bare = REFERENCE.sub(" ", source)
    found = _DIGITS.findall(bare)
    found += [
        m.group(0) for m in (_CHINESE_COUNTS.finditer(bare) if lang == "zh" else _ENGLISH_NUMBER_WORDS.finditer(bare))
    ]
    return found


def references(source: str) -> list[str]:
    """Every reference of a text, as written ('computed:grain_yield_above_china'), in order."""
    return [kind + (f":{arg}" if arg else "") for kind, arg in REFERENCE.findall(source)]


def missing_headlines(ds: Dataset, year: int) -> pd.DataFrame:
    """The headline indicators of a statistical bulletin (registry `bulletin_headline`) that no
    figure of the year gives for Guanyun, in the registry's order of importance."""
    registry = ds.all_indicators()
    ranked = (
        registry[registry["bulletin_headline"].map(lambda v: v is not None and v == v)]
        if "bulletin_headline" in registry
        else registry.iloc[0:0]
    )
    held = set(ds.figures.loc[ds.figures["year"] == year, "indicator"])
    missing = ranked[~ranked["id"].isin(held)]
    return missing.sort_values("bulletin_headline", key=lambda s: s.astype(int)).reset_index(drop=True)


# --------------------------------------------------------------------------- resolving


def _figure(ctx: Context, indicator: str, year: int | None = None):
    figures = derive.figures_for(ctx.ds, ctx.shown_year if year is None else year)
    rows = figures[figures["indicator"] == indicator]
    if rows.empty:
        raise AnalysisError(f"no figure '{indicator}' for {ctx.shown_year if year is None else year}")
    return rows.iloc[0]


def _percent(value: float, decimals: int = 1) -> str:
    return f"{round(float(value), decimals):.{decimals}f}%" if decimals else f"{round(float(value)):.0f}%"


def format_computed(row, ds: Dataset, lang: str) -> str:
    """A computed comparison in the edition's words: '22%', '12.8 percentage points', '25.2亿元'."""
    decimals = int(row["decimals"])
    amount = f"{round(float(row['value']), decimals):.{decimals}f}"
    unit = row["unit"]
    if unit == "%":
        return say("analysis.unit.percent", lang, value=amount)
    if unit in computed.RESULT_UNITS:
        return say(f"analysis.unit.{unit}", lang, value=amount)
    return text.style(lang).computed(float(row["value"]), unit, ds)


def _level_in_edition(ds: Dataset, value_text: str, unit: str, indicator: str, lang: str) -> str:
    """A level as the edition writes it: English units, or the printed form in the registry's unit
    (a benchmark printed in billion yuan becomes 亿元 in the Chinese edition)."""
    if text.style(lang).shows_english:
        return numbers.english(value_text, unit, ds.units)
    target = ds.all_indicators().set_index("id").loc[indicator, "unit"]
    if unit.isascii() and target != unit and target in ds.units:
        return numbers.published(numbers.converted(value_text, unit, target, ds.units), target)
    return numbers.published(value_text, unit)


def formula_in_edition(row, ds: Dataset, lang: str) -> str:
    """A computed comparison's formula with its inputs written in the edition's form."""
    shown = {}
    for name, parts in row["input_parts"].items():
        if parts[0] == "rate":
            shown[name] = f"{parts[1]:g}%"
            continue
        level = _level_in_edition(ds, parts[1], parts[2], parts[3], lang)
        shown[name] = level if parts[0] == "level" else f"{level} ÷ (1 + {parts[4]:g}%)"
    return computed.fill_formula(row["formula"], shown)


def _benchmark(ctx: Context, area: str, indicator: str, column: str):
    bench = ctx.ds.benchmarks
    rows = bench[(bench["area"] == area) & (bench["indicator"] == indicator) & (bench["year"] == ctx.shown_year)]
    rows = rows[rows[column].notna()]
    if rows.empty:
        raise AnalysisError(f"no benchmark '{indicator}' of '{area}' for {ctx.shown_year}")
    return rows.iloc[0]


def _benchmark_value(ctx: Context, row) -> str:
    """A benchmark level in prose: English units to four significant digits (15.52 trillion yuan, not
    the release's 15,522.5 billion), or the printed form in the registry's unit."""
    if text.style(ctx.lang).shows_english:
        return numbers.english_derived(float(row["value"]), row["unit"], ctx.ds.units, digits=4)
    return _level_in_edition(ctx.ds, row["value_text"], row["unit"], row["indicator"], ctx.lang)


def resolve_reference(ctx: Context, kind: str, arg: str) -> str:
    """The text a reference stands for, as Markdown: words drawn from data (units, qualifiers) escaped."""
    ds, lang, escape = ctx.ds, ctx.lang, text.escape
    if kind not in KINDS:
        raise AnalysisError(f"unknown kind of reference '{kind}' (the kinds are {', '.join(KINDS)})")
    if kind == "year":
        return str(ctx.shown_year)
    if kind == "previous_year":
        return str(ctx.shown_year - 1)
    if kind == "count_missing":
        return str(len(missing_headlines(ds, ctx.shown_year)))
    if not arg:
        raise AnalysisError(f"'{kind}' needs an id: {{{kind}:…}}")
    if kind == "value":
        return escape(text.value(_figure(ctx, arg), ds, lang))
    if kind == "growth":
        row = _figure(ctx, arg)
        if pd.isna(row["yoy_pct"]):
            raise AnalysisError(f"figure '{arg}' of {ctx.shown_year} has no growth rate")
        return f"{row['yoy_pct']:g}%"
    if kind == "previous":
        before = derive.figures_for(ds, ctx.shown_year - 1)
        before = derive.levels(before[before["indicator"] == arg])
        if not before.empty:
            return escape(text.value(before.iloc[0], ds, lang))
        implied = derive.implied_previous(derive.figures_for(ds, ctx.shown_year))
        implied = implied[implied["indicator"] == arg]
        if implied.empty:
            raise AnalysisError(f"no level of '{arg}' for {ctx.shown_year - 1}, published or implied")
        row = implied.iloc[0]
        return say(
            "value.implied",
            lang,
            value=escape(text.value(row, ds, lang)),
            year=say("date.year", lang, year=row["year"]),
        )
    if kind == "ratio":
        ratios = derive.ratios_for(ds, ctx.shown_year)
        rows = ratios[ratios["ratio"] == arg]
        if rows.empty:
            raise AnalysisError(f"no ratio '{arg}' for {ctx.shown_year}")
        return escape(text.ratio_value(ds, rows.iloc[0], lang))
    if kind == "project":
        projects = ds.projects[(ds.projects["id"] == arg) & ds.projects["investment"].notna()]
        if projects.empty:
            raise AnalysisError(f"no project '{arg}' with an investment")
        row = projects.iloc[0]
        return escape(text.style(lang).amount(row["investment_text"], row["investment_unit"], ds))
    if kind == "computed":
        rows = computed.computed_for(ds, ctx.shown_year)
        rows = rows[rows["id"] == arg]
        if rows.empty:
            raise AnalysisError(f"no computed value '{arg}' for {ctx.shown_year}")
        return escape(format_computed(rows.iloc[0], ds, lang))
    area, _, indicator = arg.partition(":")
    if not indicator:
        raise AnalysisError(f"'{kind}' needs an area and an indicator: {{{kind}:AREA:ID}}")
    if kind == "benchmark":
        return escape(_benchmark_value(ctx, _benchmark(ctx, area, indicator, "value")))
    return f"{_benchmark(ctx, area, indicator, 'yoy_pct')['yoy_pct']:g}%"


def resolve(source: str, ctx: Context, label: str) -> str:
    """The text with every reference replaced; AnalysisError naming the first one that fails."""
    lines = source.split("\n")
    for number, line in enumerate(lines, start=1):

        def replace(match: re.Match, number: int = number) -> str:
            try:
                return resolve_reference(ctx, match.group(1), match.group(2) or "")
            except AnalysisError as err:
                raise AnalysisError(f"{label}, line {number}, reference {match.group(0)}: {err}") from None

        lines[number - 1] = REFERENCE.sub(replace, line)
    return "\n".join(lines)


def written(
    ds: Dataset, edition: Edition, page: str, shown_year: int | None = None, data_dir: Path | None = None
) -> str | None:
    """The page's analysis for the edition's year, resolved; None when none has been written for that year."""
    year, lang = edition.year, edition.lang
    path = text_path(year, page, lang, data_dir)
    if not path.is_file():
        return None
    label = f"data/{ANALYSIS_FOLDER}/{year}/{path.name}"
    source = read_text(path, label)
    stray = literal_numbers(source, lang)
    if stray:
        raise AnalysisError(
            f"{label}: literal number {stray[0]!r}; write numbers as references such as {{value:ID}} or {{year}}"
        )
    return resolve(source.strip(), Context(ds, edition, year if shown_year is None else shown_year), label)

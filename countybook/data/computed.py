"""The telling comparisons of data/computed.yml, evaluated for one year.

Each entry names its inputs (Guanyun's figures, a previous-year level, benchmarks, growth rates)
and a formula over them. Inputs enter in their base unit (units.yml `factor`), so two amounts of
one base divide or subtract whatever unit each source printed. The formula is parsed, never run:
only numbers, input names, + - * / and parentheses are accepted, so a data file cannot execute
code. An entry whose inputs are not all held for the year is simply absent that year.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from .. import paths
from ..errors import DataError, Problem
from . import derive
from .load import Dataset, remembered
from .read import read_yaml
from .units import from_base, to_base

FILE_NAME = "computed.yml"
TERM_KINDS = ("figure", "previous", "benchmark", "benchmark_growth", "growth")
TYPES = ("share", "equivalent_to", "multiple", "relative", "gap", "change", "intensity")
# Units of a result that are not units of data/units.yml: how each is written is the catalogue's.
RESULT_UNITS = ("%", "pp", "times", "kg_per_mu")
# Where a comparison may be used: a finding or a chart only if its type says it is meaningful
# beside the figures it is built from; `equivalent_to` of unlike amounts stays in the table.
FINDING_TYPES = ("share", "relative", "gap", "change", "multiple")
COLUMNS = (
    "id",
    "theme",
    "type",
    "name_en",
    "name_zh",
    "year",
    "value",
    "unit",
    "decimals",
    "formula",
    "formula_filled",
    "inputs",
    "input_parts",
    "sources",
    "implied",
    "caveat_en",
    "caveat_zh",
)

_OPERATORS = MappingProxyType(
    {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
)


class ComputeError(ValueError):
    """A formula or input that cannot be evaluated."""


@dataclass(frozen=True)
class Input:
    name: str
    term: str
    value: float  # in the base unit
    shown: str  # as printed: "187.5亿元", "15.5%"
    source: str
    implied: bool = False
    # What an edition needs to write the input its own way: the level as printed (value, unit,
    # indicator), the growth rate an implied level was derived with, or the rate itself.
    parts: tuple = ()


def definitions(data_dir: Path | None = None) -> list[dict]:
    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    path = folder / FILE_NAME
    if not path.is_file():
        return []
    return read_yaml(path, f"{folder.name}/{FILE_NAME}") or []


def _names(formula: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(formula, mode="eval")) if isinstance(node, ast.Name)}


def evaluate_formula(formula: str, values: dict[str, float]) -> float:
    """The formula's value; ComputeError for anything but arithmetic on known names."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as err:
        raise ComputeError(f"formula is not arithmetic: {err.msg}") from None

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ComputeError("formula divides by zero")
            return _OPERATORS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ComputeError(f"formula names '{node.id}', which is not an input")
            return values[node.id]
        raise ComputeError(
            f"formula may hold only numbers, input names, + - * / and parentheses (found {type(node).__name__})"
        )

    return walk(tree)


def _base(ds: Dataset, value: float, unit: str) -> float:
    return float(to_base(value, unit, ds.units))


def _figure(ds: Dataset, indicator: str, year: int):
    """The first figure of indicator in year with a level, or None."""
    return remembered(ds, "levels_by_indicator_year", (ds.figures,), lambda: _levels_by_indicator_year(ds)).get(
        (indicator, year)
    )


def _levels_by_indicator_year(ds: Dataset) -> dict:
    # A page resolves hundreds of terms; filtering the figures for each was most of its time.
    found: dict = {}
    for _, row in ds.figures[ds.figures["value"].notna()].iterrows():
        found.setdefault((row["indicator"], row["year"]), row)
    return found


def _joined(value_text: str, unit: str) -> str:
    """'187.5亿元', but '15522.5 billion yuan': a space only before a unit in Latin letters."""
    return f"{value_text} {unit}" if unit[:1].isascii() and unit[:1].isalpha() else f"{value_text}{unit}"


def _printed(row) -> str:
    return _joined(
        str(row.get("published_value", row["value_text"]) or row["value_text"]),
        str(row.get("published_unit", row["unit"]) or row["unit"]),
    )


def _published_level(ds: Dataset, term: str, indicator: str, row) -> Input:
    return Input(
        "",
        term,
        _base(ds, row["value"], row["unit"]),
        _printed(row),
        row["source"],
        parts=("level", row["value_text"], row["unit"], indicator),
    )


def resolve_term(ds: Dataset, term: str, year: int) -> Input | None:
    """One input's value for the year, or None when it is not held."""
    kind, _, rest = term.partition(":")
    if kind == "figure":
        row = _figure(ds, rest, year)
        return None if row is None else _published_level(ds, term, rest, row)
    if kind == "previous":
        row = _figure(ds, rest, year - 1)
        if row is not None:
            return _published_level(ds, term, rest, row)
        now = _figure(ds, rest, year)
        if now is None or pd.isna(now["yoy_pct"]):
            return None
        implied = derive.implied_level(float(now["value"]), float(now["yoy_pct"]))
        return Input(
            "",
            term,
            _base(ds, implied, now["unit"]),
            f"{_printed(now)} ÷ (1 + {now['yoy_pct']:g}%)",
            now["source"],
            implied=True,
            parts=("implied", now["value_text"], now["unit"], rest, float(now["yoy_pct"])),
        )
    if kind == "growth":
        rows = ds.figures[(ds.figures["indicator"] == rest) & (ds.figures["year"] == year)]
        rows = rows[rows["yoy_pct"].notna()]
        return (
            None
            if rows.empty
            else Input(
                "",
                term,
                float(rows.iloc[0]["yoy_pct"]),
                f"{rows.iloc[0]['yoy_pct']:g}%",
                rows.iloc[0]["source"],
                parts=("rate", float(rows.iloc[0]["yoy_pct"])),
            )
        )
    if kind in ("benchmark", "benchmark_growth"):
        area, _, indicator = rest.partition(":")
        bench = ds.benchmarks
        rows = bench[(bench["area"] == area) & (bench["indicator"] == indicator) & (bench["year"] == year)]
        column = "value" if kind == "benchmark" else "yoy_pct"
        rows = rows[rows[column].notna()]
        if rows.empty:
            return None
        row = rows.iloc[0]
        if kind == "benchmark":
            return Input(
                "",
                term,
                _base(ds, row["value"], row["unit"]),
                _joined(row["value_text"], row["unit"]),
                row["source"],
                parts=("level", row["value_text"], row["unit"], indicator),
            )
        return Input(
            "",
            term,
            float(row["yoy_pct"]),
            f"{row['yoy_pct']:g}%",
            row["source"],
            parts=("rate", float(row["yoy_pct"])),
        )
    raise ComputeError(f"unknown input kind '{kind}' (the kinds are {', '.join(TERM_KINDS)})")


def problems(ds: Dataset, entries: list[dict] | None = None, label: str = f"data/{FILE_NAME}") -> list[Problem]:
    """Every entry's references and formula checked against the registry: one line per problem."""
    entries = definitions() if entries is None else entries
    indicators = set(ds.all_indicators()["id"])
    areas = set(ds.areas["id"]) if "id" in ds.areas else set()
    themes = set(ds.themes["id"])
    units = set(ds.units)
    found, seen = [], set()
    for row, entry in enumerate(entries, start=1):

        def problem(field: str, message: str, row: int = row) -> None:
            found.append(Problem(label, row, field, message))

        if entry["id"] in seen:
            problem("id", f"'{entry['id']}' appears twice")
        seen.add(entry["id"])
        if entry["theme"] not in themes:
            problem("theme", f"'{entry['theme']}' is not a theme of data/themes.yml")
        if entry["type"] not in TYPES:
            problem("type", f"'{entry['type']}' is not one of {', '.join(TYPES)}")
        if entry["unit"] not in RESULT_UNITS and entry["unit"] not in units:
            problem("unit", f"'{entry['unit']}' is neither {', '.join(RESULT_UNITS)} nor a unit of data/units.yml")
        for name, term in entry["inputs"].items():
            kind, _, rest = term.partition(":")
            if kind not in TERM_KINDS:
                problem("inputs", f"{name}: unknown input kind '{kind}'")
                continue
            area, _, indicator = rest.partition(":") if kind.startswith("benchmark") else ("", "", rest)
            if indicator not in indicators:
                problem("inputs", f"{name}: '{indicator}' is not an indicator of data/indicators.yml")
            if area and area not in areas:
                problem("inputs", f"{name}: '{area}' is not an area of data/areas.yml")
        try:
            stray = _names(entry["formula"]) - set(entry["inputs"])
            if stray:
                problem("formula", f"names {', '.join(sorted(stray))}, not among the inputs")
            else:
                evaluate_formula(entry["formula"], dict.fromkeys(entry["inputs"], 1.0))
        except (SyntaxError, ComputeError) as err:
            problem("formula", str(err))
    return found


def _checked(ds: Dataset) -> list[dict]:
    entries = definitions()
    _check(ds, entries)
    return entries


def _check(ds: Dataset, entries: list[dict]) -> None:
    found = problems(ds, entries)
    if found:
        raise DataError(found)


def computed_for(ds: Dataset, year: int, theme: str | None = None, entries: list[dict] | None = None) -> pd.DataFrame:
    """Every comparison whose inputs are all held for the year (of one theme, or all)."""
    if entries is not None:
        _check(ds, entries)
        return _comparisons(ds, year, theme, entries)
    # data/computed.yml read and checked once per Dataset, and a year's (or theme's) comparisons worked
    # out once: a page asks for them in every section.
    path = paths.data_dir() / FILE_NAME
    # Everything problems() and resolve_term() read: another of these frames, and both are redone.
    frames = (ds.figures, ds.benchmarks, ds.indicators, ds.benchmark_indicators, ds.areas, ds.themes, ds.units)
    checked = remembered(ds, f"computed:{path}", frames, lambda: _checked(ds))
    found = remembered(ds, f"computed:{path}:{year}:{theme}", frames, lambda: _comparisons(ds, year, theme, checked))
    return found.copy()  # a caller's edits stay its own


def _comparisons(ds: Dataset, year: int, theme: str | None, entries: list[dict]) -> pd.DataFrame:
    rows = []
    for entry in entries:
        if theme is not None and entry["theme"] != theme:
            continue
        inputs = []
        for name, term in entry["inputs"].items():
            resolved = resolve_term(ds, term, year)
            if resolved is None:
                break
            inputs.append(
                Input(name, term, resolved.value, resolved.shown, resolved.source, resolved.implied, resolved.parts)
            )
        else:
            values = {i.name: i.value for i in inputs}
            try:
                value = evaluate_formula(entry["formula"], values)
                if entry["unit"] in ds.units:  # a change of levels: back from the base unit to the entry's
                    value = float(from_base(value, entry["unit"], ds.units))
            except ComputeError as err:
                raise DataError(
                    [Problem(f"data/{FILE_NAME}", None, "formula", f"{entry['id']}, {year}: {err}")]
                ) from None
            filled = fill_formula(entry["formula"], {i.name: i.shown for i in inputs})
            rows.append(
                {
                    **{
                        key: entry[key]
                        for key in (
                            "id",
                            "theme",
                            "type",
                            "name_en",
                            "name_zh",
                            "unit",
                            "formula",
                            "caveat_en",
                            "caveat_zh",
                        )
                    },
                    "decimals": int(entry.get("decimals", 1)),
                    "year": year,
                    "value": value,
                    "formula_filled": filled,
                    "inputs": {i.name: i.term for i in inputs},
                    "sources": list(dict.fromkeys(i.source for i in inputs)),
                    "implied": any(i.implied for i in inputs),
                    "input_parts": {i.name: i.parts for i in inputs},
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def fill_formula(formula: str, shown: dict[str, str]) -> str:
    """The formula with each input name replaced by its value as shown (longest names first)."""
    for name in sorted(shown, key=len, reverse=True):
        formula = _replace_name(formula, name, shown[name])
    return formula


def _replace_name(formula: str, name: str, shown: str) -> str:
    """The formula with one input name replaced by the value as printed (whole names only)."""
    return re.sub(rf"\b{re.escape(name)}\b", f"[{shown}]", formula)

"""The CSV downloads in the reader's language: headers and registry codes as an edition's words.

The default (English) edition writes every file as data/ holds it: the data's column names and
codes (annual_flow, not_stated), which an analyst joins back to data/. Another edition writes the
same rows with each header in its catalogue's words (`download.col.<column>`) and each code as the
label its pages show (measure_label.annual_flow → 全年流量, a theme id → its title, a stage id →
data/stages.yml's name), so a reader opening the file in a spreadsheet sees no English codes.
Ids (indicator, source, project) stay as written: they are what joins one file to another. Two
registry columns that only steer the book's own layout (entity, chart_group) are left out there.

A code without a label is a fault of the data or the catalogue, reported as one line naming the
file, column and value, never written through in English.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..data import Dataset
from ..errors import DataError, Problem
from .messages import DEFAULT_LANGUAGE, catalogue, say

# Columns of the registry that steer the book's layout and hold codes no reader needs.
LAYOUT_COLUMNS = frozenset({"entity", "chart_group"})

Label = Callable[[object, pd.Series], str]


def _say_code(prefix: str, lang: str) -> Label:
    """A code as the catalogue message prefix + code ('measure_label.' + 'annual_flow')."""

    def label(code, row):
        key = f"{prefix}{str(code).replace(' ', '_')}"
        if key not in catalogue(lang):
            raise KeyError(key)
        return say(key, lang)

    return label


def _from_table(frame: pd.DataFrame, key: str, value: str) -> Label:
    names = dict(zip(frame[key], frame[value]))
    return lambda code, row: names[code]


def _milestone_type(lang: str) -> Label:
    return lambda code, row: say(f"milestone_type.{code}", lang, level=say(f"level.{row['level']}", lang))


def _derived_type(lang: str) -> Label:
    ratio = _say_code("ratio_type.", lang)
    # An implied level's type is already in the edition's words (downloads.derived_rows).
    return lambda code, row: str(code) if row["kind"] == "implied_level" else ratio(code, row)


def _yes_no(lang: str) -> Label:
    return lambda code, row: say("download.yes" if str(code).lower() == "true" else "download.no", lang)


def code_labels(ds: Dataset, lang: str) -> dict[str, dict[str, Label]]:
    """file name -> column -> how a code of that column reads in lang. The theme files are figures."""
    theme = _from_table(ds.themes, "id", f"title_{lang}")
    price_basis = _say_code("price_basis_label.", lang)
    measure = _say_code("measure_label.", lang)
    qualifier = _say_code("qualifier_label.", lang)
    scope = _from_table(ds.scopes, "id", f"name_{lang}")
    return {
        "figures": {"qualifier": qualifier, "measure": measure, "price_basis": price_basis, "scope": scope},
        "derived": {"kind": _say_code("download.kind.", lang), "type": _derived_type(lang)},
        "benchmarks": {
            "area_level": _say_code("area_level.", lang),
            "area": _from_table(ds.areas, "id", f"name_{lang}"),
            "qualifier": qualifier,
            "price_basis": price_basis,
        },
        "projects": {
            "theme": theme,
            "stage": _from_table(ds.stages, "id", lang),
            "investment_basis": _say_code("investment_basis.", lang),
        },
        "milestones": {
            "theme": theme,
            "level": _say_code("level.", lang),
            "type": _milestone_type(lang),
            "field": _say_code("milestone_field.", lang),
        },
        "sources": {
            "language": _say_code("download.language.", lang),
            "reliability": _say_code("reliability.", lang),
            "status": _say_code("download.status.", lang),
            "kind": _say_code("kind.", lang),
        },
        "indicators": {
            "theme": theme,
            "kind": _say_code("indicator_kind.", lang),
            "measure": measure,
            "price_basis": price_basis,
            "scope": scope,
            "additive": _yes_no(lang),
            "historical": _yes_no(lang),
        },
        "themes": {},
    }


def _blank(value) -> bool:
    return (
        value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip())
    )


def localised(frame: pd.DataFrame, name: str, ds: Dataset, lang: str) -> pd.DataFrame:
    """frame (the download `name`, or a theme's figures) as the edition of lang writes it: the same
    rows; in another language than the default, its headers and codes in that language's words."""
    if lang == DEFAULT_LANGUAGE:
        return frame
    every = code_labels(ds, lang)
    labels = every.get(name, every["figures"])
    out = frame.drop(columns=[c for c in frame.columns if c in LAYOUT_COLUMNS])
    # Rows as written: a label may read another column's code (a milestone's level). Made once for
    # every labelled column (a row as a Series is most of the labelling's time).
    rows = [row for _, row in frame.iterrows()] if any(column in out.columns for column in labels) else []
    for column, label in labels.items():
        if column not in out.columns:
            continue
        values = []
        for index, (code, row) in enumerate(zip(out[column], rows)):
            if _blank(code):
                values.append(code)
                continue
            try:
                values.append(label(code, row))
            except KeyError as missing:
                raise DataError(
                    [
                        Problem(
                            f"downloads/{name}.csv", index + 1, column, f"code {code!r} has no {lang} label ({missing})"
                        )
                    ]
                ) from None
        out[column] = values
    unnamed = [c for c in out.columns if f"download.col.{c}" not in catalogue(lang)]
    if unnamed:
        raise DataError(
            [
                Problem(f"downloads/{name}.csv", None, c, f"column has no {lang} header (download.col.{c})")
                for c in unnamed
            ]
        )
    return out.rename(columns={c: say(f"download.col.{c}", lang) for c in out.columns})

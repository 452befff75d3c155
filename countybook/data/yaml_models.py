"""The shape of every YAML file in data/ (pydantic models), checked when the file is read.

pandera (countybook.data.schemas) checks values against each other once the files are frames:
ids, references, units. These models come first and check only the shape, so that `validate`
refuses what would later crash another command: a unit written as a list, an alias list written
as one string, a number where text belongs, an unknown field in a fixed layout.

To give a new YAML file a shape, define its model below and add one line to SHAPES:

    ("sectors.yml", list[Sector]),

The models are the one declaration of each YAML file's fields: load.py reads the required and
optional fields from here (fields_of), and the pandera schemas check values of these fields only.

A YAML file in data/ without a registered model is still read safely (countybook.data.read) but
its shape is not checked, so a file another part of the book is about to add is never refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ..errors import Problem


class Fixed(BaseModel):
    """A layout whose every field is known: an unknown field is a typo or a misplaced value.

    strict: YAML already types its scalars, so 1 must not pass as text nor "yes" as true.
    """

    model_config = ConfigDict(strict=True, extra="forbid")


class Open(BaseModel):
    """A layout other parts of the book extend with optional fields: unknown fields pass."""

    model_config = ConfigDict(strict=True, extra="allow")


class Theme(Fixed):
    id: str
    order: int
    title_zh: str
    title_en: str


class Unit(Fixed):
    en: str
    whole: bool = False
    max: float | None = None
    factor: float | None = None  # to the base unit named by base_en
    base_en: str | None = None
    approx_en: str | None = None  # an approximate metric equivalent, value / approx_divisor
    approx_divisor: float | None = None
    printed: list[str] = []  # other spellings of the unit in sources (traditional characters, English)


class Qualifier(Fixed):
    id: str
    zh: str
    en: str
    symbol: str
    zh_after: bool = False  # the source's word follows the number (1000万元以上)


class Stage(Fixed):
    id: str
    order: int
    zh: str
    en: str


class Named(Open):
    """An entry of a theme, named in both languages (an indicator, a ratio)."""

    id: str
    theme: str
    name_zh: str
    name_en: str


class Indicator(Named):
    unit: str
    kind: str
    description: str
    # The registry's semantic fields; their allowed values are checked with the registry
    # (schemas.py), here only that each is a single value of the right type.
    measure: str
    price_basis: str
    aliases: list[str] = []
    scope: str | None = None
    headline: int | None = None
    chart_group: str | None = None
    bulletin_headline: int | None = None
    key_figure: int | None = None
    entity: str | None = None
    # A concept of older statistics (the gazetteer's GNP): shown on the long-view page only.
    historical: bool | None = None


class Ratio(Named):
    type: str
    numerator: str
    denominator: str
    factor: float
    unit: str
    unit_en: str
    per_en: str


class Scope(Fixed):
    id: str
    name_zh: str
    name_en: str
    note_zh: str
    note_en: str


class Area(Fixed):
    id: str
    level: str
    name_zh: str
    name_en: str
    parent: str
    subject: bool


class Comparison(Fixed):
    id: str
    kind: str
    a: str
    b: str
    differs_in: list[str]
    note_en: str
    note_zh: str


class Term(Fixed):
    id: str
    term_zh: str
    term_en: str
    definition_en: str
    definition_zh: str
    source: str
    source_zh: str  # the source named in Chinese: the Chinese glossary shows it, never the English
    url: str
    quote: str
    match: list[str]


class Computed(Fixed):
    id: str
    theme: str
    type: str
    name_en: str
    name_zh: str
    inputs: dict[str, str]
    formula: str
    unit: str
    decimals: int = 1
    caveat_en: str
    caveat_zh: str


class SeriesChange(Fixed):
    kind: str
    note_en: str
    note_zh: str


class LongViewSeries(Fixed):
    id: str
    group: str
    indicators: list[str]
    change: SeriesChange | None = None


class SeriesBreak(Fixed):
    id: str
    kind: str
    after: int
    indicators: list[str] = []
    source: str
    quote: str
    note_en: str
    note_zh: str


class LongViewFile(Fixed):
    chapters_from: int
    series: list[LongViewSeries]
    breaks: list[SeriesBreak]
    after_1990_en: str
    after_1990_zh: str


SHAPES = (
    ("themes.yml", list[Theme]),
    ("units.yml", dict[str, Unit]),
    ("qualifiers.yml", list[Qualifier]),
    ("stages.yml", list[Stage]),
    ("indicators.yml", list[Indicator]),
    ("ratios.yml", list[Ratio]),
    ("scopes.yml", list[Scope]),
    ("areas.yml", list[Area]),
    ("comparisons.yml", list[Comparison]),
    ("glossary.yml", list[Term]),
    ("computed.yml", list[Computed]),
    ("long_view.yml", LongViewFile),
)


@cache
def adapters() -> Mapping[str, TypeAdapter]:
    """A validator per registered file, built on first use (building them costs a tenth of a second)."""
    return MappingProxyType({file_name: TypeAdapter(shape) for file_name, shape in SHAPES})


def fields_of(file_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, optional) field names of one entry of a registered list file, in declared order."""
    shape = dict(SHAPES)[file_name]
    model = (get_args(shape) or (shape,))[-1]
    fields = model.model_fields
    return (
        tuple(name for name, f in fields.items() if f.is_required()),
        tuple(name for name, f in fields.items() if not f.is_required()),
    )


def shape_problems(file_name: str, content: Any, label: str) -> list[Problem]:
    """Problems of content (a parsed YAML file) against the model registered for file_name.

    Rows as read.py numbers them: a list's first entry is row 1. In a mapping file (units.yml)
    the key is named as part of the field.
    """
    adapter = adapters().get(file_name)
    if adapter is None:
        return []
    try:
        adapter.validate_python(content)
    except ValidationError as err:
        return [_problem(error, content, label) for error in err.errors(include_url=False)]
    return []


_MESSAGES = MappingProxyType(
    {
        "extra_forbidden": "unknown field (a typo, or a field this file does not have)",
        "missing": "field is missing",
    }
)


def _problem(error: Mapping[str, Any], content: Any, label: str) -> Problem:
    loc = list(error.get("loc", ()))
    row = None
    if isinstance(content, list) and loc and isinstance(loc[0], int):
        row = loc.pop(0) + 1
    field = ".".join(str(part) for part in loc) or "(file)"
    message = _MESSAGES.get(str(error.get("type")), error.get("msg", "wrong shape"))
    found = error.get("input")
    if error.get("type") not in _MESSAGES and not isinstance(found, (dict, list)):
        message += f" (found {found!r})"
    elif isinstance(found, (dict, list)) and error.get("type") not in _MESSAGES:
        message += f" (found a {'mapping' if isinstance(found, dict) else 'list'})"
    message = (
        message.replace("Input should be", "must be", 1)
        .replace("a valid dictionary or instance of", "a mapping of field: value, like a")
        .replace("a valid dictionary", "a mapping of key: value")
        .replace("a valid list", "a list")
    )
    return Problem(label, row, field, message[0].lower() + message[1:])

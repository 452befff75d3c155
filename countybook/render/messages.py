"""The book's own words, kept in one catalogue per language (indicator names come from the registry).

The catalogues are YAML files beside this module, `catalogues/<lang>.yml`, one per edition; the
languages of the book are the catalogues found there, English first. Every catalogue has the same
keys (catalogue_check.py checks both ways, in `validate` and before a run). `say(key, lang, **values)`
fills a template; a template given as a mapping of plural forms (zero, one, two, other) is chosen by the `count`
value, so "no milestones", "one milestone", "two milestones" and "12 milestones" each read right;
a language without such forms gives only `other`.

The catalogues are data of the library but not Python: the runner's cache hashes each language's
catalogue separately, so a change to the Chinese words re-executes only the Chinese edition.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

CATALOGUE_DIR = Path(__file__).with_name("catalogues")
DEFAULT_LANGUAGE = "en"


def catalogue_path(lang: str) -> Path:
    return CATALOGUE_DIR / f"{lang}.yml"


def catalogue_label(path: Path) -> str:
    """A catalogue as errors name it: its path in the project (countybook/render/catalogues/zh.yml)."""
    try:
        return path.resolve().relative_to(Path(__file__).resolve().parents[2]).as_posix()
    except ValueError:
        return path.name


def languages() -> tuple[str, ...]:
    """Every language with a catalogue, the default first."""
    found = sorted(path.stem for path in CATALOGUE_DIR.glob("*.yml") if not path.name.startswith("."))
    return tuple(sorted(found, key=lambda lang: lang != DEFAULT_LANGUAGE))


@cache
def catalogue(lang: str) -> Mapping[str, Any]:
    """One language's messages, read once (safely: a syntax error is one DataError line naming the
    file and line); catalogue.cache_clear() forgets them."""
    from ..errors import DataError, Problem
    from ..text_files import parse_yaml

    if lang not in languages():
        raise KeyError(f"no catalogue for language {lang!r}; the languages are {', '.join(languages())}")
    path = catalogue_path(lang)
    content = parse_yaml(path, catalogue_label(path))
    if not isinstance(content, dict) or not content:
        raise DataError(
            [
                Problem(
                    catalogue_label(path),
                    None,
                    "(file)",
                    "is empty or not a mapping of key: message; "
                    "translate every key of the default catalogue, or remove the file",
                )
            ]
        )
    return MappingProxyType(content)


def catalogues() -> Mapping[str, Mapping[str, object]]:
    """Every language's catalogue, the default first."""
    return MappingProxyType({lang: catalogue(lang) for lang in languages()})


def plural_form(count: int) -> str:
    return "zero" if count == 0 else "one" if count == 1 else "two" if count == 2 else "other"


def number_word(count: int, lang: str) -> str:
    """Small counts in the catalogue's words (English: no, one … nine), larger ones in figures."""
    words = catalogue(lang)["number.words"]
    if 0 <= count < len(words):
        return words[count]
    return f"{count:,}"


def say(key: str, lang: str, count: int | str | None = None, **values: Any) -> str:
    template = catalogue(lang)[key]
    if count is not None and not isinstance(template, dict):
        values.setdefault("count", count)
    if isinstance(template, dict):
        if not isinstance(count, int):
            raise ValueError(f"message {key!r} needs a count (a number, to choose its plural form)")
        form = plural_form(count)
        template = template.get(form) or template.get("other")
        values.setdefault("n", number_word(count, lang))
    return template.format(**values)

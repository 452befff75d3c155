"""The edition travels as an explicit argument: no function of the library takes the language or the
Edition as a default argument, and an Edition refuses a language without a catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import countybook
from countybook.render.edition import Edition

PACKAGE = Path(countybook.__file__).parent
EDITION_PARAMETERS = {"lang", "language"}  # and any parameter annotated as an Edition


def defaulted_edition_parameters(source: str) -> list[tuple[int, str, str]]:
    """(line, function, parameter) for every parameter naming the edition that has a default value."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        args = node.args
        positional = args.posonlyargs + args.args
        with_default = positional[len(positional) - len(args.defaults) :] if args.defaults else []
        with_default += [a for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
        for arg in with_default:
            annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
            if arg.arg in EDITION_PARAMETERS or "Edition" in annotation:
                found.append((node.lineno, getattr(node, "name", "<lambda>"), arg.arg))
    return found


# Known exceptions, each a `lang=None` of the run package: print_edition and _command take None for
# "every language" (a filter, not a default language).
ALLOWED = {("countybook/run/command.py", "print_edition"), ("countybook/run/edition_set.py", "_command")}


def test_no_library_function_takes_the_edition_as_a_default_argument():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {function}({parameter}=…)"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, function, parameter in defaulted_edition_parameters(path.read_text(encoding="utf-8"))
        if (path.relative_to(PACKAGE.parent).as_posix(), function) not in ALLOWED
    ]
    assert not offenders, "the edition is passed explicitly, never defaulted:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "def f(ds, lang='en'): pass",
        "def f(ds, *, lang=DEFAULT_LANGUAGE): pass",
        "def f(ds, edition: Edition | None = None): pass",
        "def f(ds, ed: Edition = EN): pass",
        "class P:\n    def __init__(self, year, lang: str | None = None): pass",
    ],
)
def test_the_scan_finds_a_defaulted_edition(source):
    assert defaulted_edition_parameters(source)


def test_the_scan_accepts_required_editions():
    assert not defaulted_edition_parameters("def f(ds, year=2024, *, lang): pass\ndef g(edition: Edition, x=1): pass")


def test_an_edition_names_a_language_with_a_catalogue_and_an_int_year():
    assert Edition("zh", 2024).say("date.year", year=2024) != Edition("en", 2024).say("date.year", year=2024)
    with pytest.raises(ValueError, match="no catalogue for language 'fr'"):
        Edition("fr", 2024)
    with pytest.raises(TypeError):
        Edition("en", "2024")


def test_an_edition_is_immutable():
    edition = Edition("en", 2024)
    with pytest.raises(AttributeError):
        edition.lang = "zh"

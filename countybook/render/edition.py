"""The edition a page belongs to: its language and year, built once per page and passed explicitly.

Why one object rather than a `lang` argument with a default: a forgotten `lang=` used to print
English in the Chinese edition without any error. A page (chapter.Page, long_view.LongViewPage)
builds its Edition once; every section builder a page calls takes it as a required argument, and
the small helpers below them take the language the Edition names (`edition.lang`), also required.
No render function takes the Edition or the language as a default argument
(tests/test_edition.py scans the package for one).

The year is the edition's year (the book of 2024). A section that shows an earlier year, because
its theme has no figures in the edition's year, still takes that shown year as its own argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from .messages import languages, say


@dataclass(frozen=True)
class Edition:
    lang: str
    year: int

    def __post_init__(self) -> None:
        if self.lang not in languages():
            raise ValueError(f"no catalogue for language {self.lang!r}; the languages are {', '.join(languages())}")
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise TypeError(f"an edition's year is an int, not {self.year!r}")

    def say(self, key: str, count: int | str | None = None, **values) -> str:
        """A message of this edition's catalogue (messages.say in the edition's language)."""
        return say(key, self.lang, count, **values)


class OfEdition:
    """What belongs to one edition (a page, the analysis' context): its year and language are the
    edition's, read through it so the two can never disagree."""

    edition: Edition

    @property
    def year(self) -> int:
        return self.edition.year

    @property
    def lang(self) -> str:
        return self.edition.lang

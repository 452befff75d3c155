"""Sentences from figures: every number in the book's prose is formatted here from data.

How a value is written depends on the edition, and is decided in one place: the catalogue's
`number.style` names a `Style` below. `english` (the English edition) converts published
values to English units and keeps the published form beside them in tables; `published` (the
Chinese edition) writes every value as the source printed it (187.5亿元, 超1.2亿件) and computed
values in the registry's unit, rounded and labelled.

Text drawn from data is escaped, so a name or quote containing markup shows as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from types import MappingProxyType

from ..data import Dataset, derive
from . import numbers
from .edition import Edition
from .messages import DEFAULT_LANGUAGE, catalogue, say

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~$])")
# Characters no page may carry: C0 and C1 controls other than tab and line breaks (NUL, ESC), and the
# bidirectional controls that reorder what a reader sees (U+202E shows "fdp.exe" as "exe.pdf").
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# The one escaping path from data to a page. Every string read from data/ reaches the HTML through
# html_escape (HTML built in Python: tables, entries, attributes) or escape (Markdown a cell
# displays, headings and page titles included); both remove the control characters first.


def plain(value) -> str:
    """Data text without the characters no page may carry (controls, bidirectional overrides)."""
    return _CONTROL.sub("", str(value))


def html_escape(value, quote: bool = True) -> str:
    """Data text inert in HTML, as element content or a quoted attribute value."""
    return html.escape(plain(value), quote=quote)


def escape(text) -> str:
    """Data text inert in Markdown (MyST) and HTML: entities for <>&, backslashes for Markdown marks,
    braces included, so `{{ … }}` is never a substitution and `$x$` never mathematics."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html_escape(text, quote=False))


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def date(value, lang: str) -> str:
    """A source's date (stored ISO: 2025, 2025-01, 2025-01-18) as the edition writes dates: Chinese text
    never shows an ISO date (2025年1月18日). Anything else is returned as stored."""
    match = _ISO_DATE.fullmatch(str(value).strip())
    if not match:
        return str(value)
    year, month, day = (int(part) if part else None for part in match.groups())
    if day:
        return say("date.day", lang, year=year, month=month, day=day)
    return say("date.month", lang, year=year, month=month) if month else say("date.year", lang, year=year)


def in_sentence(english: str) -> str:
    """Lower-case the first letter for use mid-sentence, unless it starts an acronym (LNG)."""
    return english[:1].lower() + english[1:] if english[1:2].islower() or english[1:2] == "-" else english


def field(record, name: str, lang: str):
    """A data field in the page's language: name_en / name_zh, title_en / title_zh, note / note_zh.

    The default language's field may also be unsuffixed (sources' `note`, indicators'
    `description`); a language without its field gives None."""
    keys = [f"{name}_{lang}"] + ([name] if lang == DEFAULT_LANGUAGE else [])
    for key in keys:
        found = getattr(record, key, None) if hasattr(record, "_fields") else record.get(key)
        if found is not None:
            return found
    return None


def publisher(source, lang: str) -> str:
    """A source's publisher in the page's language; as recorded where the translation is still blank
    (a source `add` registered before a reviewer wrote publisher_zh). Plain text, not escaped."""
    return field(source, "publisher", lang) or field(source, "publisher", DEFAULT_LANGUAGE)


def original(escaped: str, language: str) -> str:
    """Escaped text kept in its original language (a source's title or quote), marked as such so
    readers, screen readers and the edition's language checks know it is not the page's prose."""
    return f'<span lang="{html_escape(language)}">{escaped}</span>'


def name(row) -> str:
    return f"{escape(in_sentence(row['name_en']))} ({escape(row['name_zh'])})"


def edition_sentence(ds: Dataset, edition: Edition) -> str:
    """What this edition holds: counts of published, implied and derived values, in words that fit the count."""
    lang = edition.lang
    year = edition.year
    figures = derive.figures_for(ds, year)
    implied = len(derive.implied_previous(figures))
    ratios = len(derive.ratios_for(ds, year))
    years = join([say("date.year", lang, year=y) for y in edition_years(ds, year)], lang)
    return say(
        "edition.sentence",
        lang,
        year=year,
        figures=say("count.figures", lang, count=len(figures)),
        implied=say("count.implied", lang, count=implied),
        ratios=say("count.ratios", lang, count=ratios),
        years=years,
    )


def edition_years(ds: Dataset, year: int) -> list[int]:
    """The years whose figures the edition's chapters show (derive.chapter_figures of every theme): a year
    held in data/ but shown on no chapter (one 2021 figure whose indicator has no later year) is not
    announced as a year with figures."""
    shown = set()
    for theme in ds.themes["id"]:
        shown |= {int(y) for y in derive.chapter_figures(ds, year, theme)["year"]}
    return sorted(shown)


def cross_year_sentence(checked: int, flagged: int, edition: Edition) -> str:
    """What the cross-year check compared and found."""
    lang = edition.lang
    found = say("crosscheck.agree", lang) if flagged == 0 else say("crosscheck.differ", lang, count=flagged)
    sentence = say(
        "crosscheck.checked", lang, indicators=say("crosscheck.indicators", lang, count=checked), found=found
    )
    return sentence[:1].upper() + sentence[1:]


def lower_first(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def join(items: list[str], lang: str) -> str:
    """'a', 'a and b', 'a, b and c' (甲、乙和丙), in the catalogue's words."""
    if len(items) <= 1:
        return "".join(items)
    return say("list.comma", lang).join(items[:-1]) + say("list.and", lang) + items[-1]


def change(pct: float, lang: str) -> str:
    """A growth rate with its direction, as the catalogue writes it: '+15.5%', '−1.4%', '增长15.5%'."""
    key = "change.up" if pct > 0 else "change.down" if pct < 0 else "change.flat"
    return say(key, lang, pct=numbers.percent_change(pct).lstrip("+−"))


# --------------------------------------------------------------------------- values by style


def _qualifier_word(ds: Dataset, qualifier, column: str) -> str:
    return dict(zip(ds.qualifiers["id"], ds.qualifiers[column])).get(qualifier, "") or ""


def printed_form(row, ds: Dataset) -> str:
    """The value as the source printed it, with its qualifier word where the source puts it:
    超1.2亿件, 187.5亿元, 1000万元以上. Also when load converted it to the registry's unit (848656吨 for
    grain in 万吨). Plain text, not escaped."""
    word = _qualifier_word(ds, row.get("qualifier", "exact"), "zh")
    printed = numbers.published(row.get("published_value", row["value_text"]), row.get("published_unit", row["unit"]))
    after = "zh_after" in ds.qualifiers and bool(
        dict(zip(ds.qualifiers["id"], ds.qualifiers["zh_after"])).get(row.get("qualifier", "exact")) is True
    )
    return printed + word if after else word + printed


def published_form_html(row, ds: Dataset) -> str:
    """The printed form for a table cell, marked as Chinese; '—' for a growth-only figure."""
    if not row["value_text"]:
        return "—"  # a growth-only figure: the source printed no level
    return f'<span lang="zh">{html_escape(printed_form(row, ds))}</span>'


class EnglishUnits:
    """The English edition: English units in prose, the published form beside them in tables."""

    shows_english = True

    def value(self, row, ds: Dataset, lang: str) -> str:
        return value_en(row, ds, lang)

    def computed(self, value: float, unit: str, ds: Dataset) -> str:
        return numbers.english_derived(value, unit, ds.units)

    def amount(self, value_text: str, unit: str, ds: Dataset) -> str:
        return numbers.english(value_text, unit, ds.units)

    def count(self, value_text: str, unit: str, ds: Dataset) -> str:
        """A denominator's count, its noun following in the sentence: '12'."""
        return numbers.scaled(numbers.to_base(value_text, unit, ds.units), "")

    def ratio_value(self, ds: Dataset, ratio, lang: str) -> str:
        return ratio_value_en(ds, ratio)

    def value_cells(self, row, ds: Dataset, lang: str) -> list[str]:
        return [html_escape(value_en(row, ds, lang)), published_form_html(row, ds)]

    def value_headers(self, lang: str) -> list[str]:
        return [say("col.value", lang), say("col.as_published", lang)]

    def name_html(self, english: str, chinese: str) -> str:
        return f'{html_escape(english)}<br><span lang="zh">{html_escape(chinese)}</span>'

    def name_markdown(self, english: str, chinese: str) -> str:
        return f'{escape(english)} (<span lang="zh">{escape(chinese)}</span>)'

    def both_cells(self, english: str, chinese: str) -> list[str]:
        """A text given in both languages (a milestone): the English, then the source's words."""
        return [html_escape(english), f'<span lang="zh">{html_escape(chinese)}</span>']


class Published:
    """The Chinese edition: values as the source printed them; computed ones in the registry's unit."""

    shows_english = False

    def value(self, row, ds: Dataset, lang: str) -> str:
        if row.get("value_text", "x") == "":
            return say("value.growth_only", lang)
        if row.get("basis", derive.PUBLISHED) == derive.PUBLISHED:
            return printed_form(row, ds)
        return self.computed(row["value"], row["unit"], ds)

    def computed(self, value: float, unit: str, ds: Dataset) -> str:
        return numbers.published_derived(value, unit)

    def amount(self, value_text: str, unit: str, ds: Dataset) -> str:
        return numbers.published(value_text, unit)

    def count(self, value_text: str, unit: str, ds: Dataset) -> str:
        return numbers.published(value_text, unit)

    def ratio_value(self, ds: Dataset, ratio, lang: str) -> str:
        return f"{numbers.derived(ratio['value'])}{ratio['unit']}"

    def value_cells(self, row, ds: Dataset, lang: str) -> list[str]:
        return [published_form_html(row, ds)]

    def value_headers(self, lang: str) -> list[str]:
        return [say("col.as_published", lang)]

    def name_html(self, english: str, chinese: str) -> str:
        return html_escape(chinese)

    def name_markdown(self, english: str, chinese: str) -> str:
        return escape(chinese)

    def both_cells(self, english: str, chinese: str) -> list[str]:
        return [html_escape(chinese)]


STYLES: Mapping[str, EnglishUnits | Published] = MappingProxyType({"english": EnglishUnits(), "published": Published()})


def style(lang: str):
    """The value style the catalogue of `lang` names (`number.style`)."""
    return STYLES[catalogue(lang)["number.style"]]


def value(row, ds: Dataset, lang: str) -> str:
    """A figure (published, or implied and computed) in the edition's form."""
    return style(lang).value(row, ds, lang)


def ratio_value(ds: Dataset, ratio, lang: str) -> str:
    return style(lang).ratio_value(ds, ratio, lang)


# --------------------------------------------------------------------------- English values


def value_en(row, ds: Dataset, lang: str) -> str:
    """A figure in English units with the source's qualifier: 'more than 120 million items'."""
    if row.get("value_text", "x") == "":
        return say("value.growth_only", lang)
    words = _qualifier_word(ds, row.get("qualifier", "exact"), "en")
    if row.get("basis", derive.PUBLISHED) == derive.PUBLISHED:
        amount = numbers.english(row["value_text"], row["unit"], ds.units)
    else:
        amount = numbers.english_derived(row["value"], row["unit"], ds.units)
    return f"{words + ' ' if words else ''}{amount}"


def ratio_value_en(ds: Dataset, ratio) -> str:
    """A derived ratio's value in English units: '9.5%', '321 million yuan', '483.6 kg per mu'."""
    if ratio["type"] in ("share", "equivalent_to"):
        return f"{numbers.derived(ratio['value'])}%"
    if ratio["type"] == "per_unit_average" and ratio["per_en"]:
        numerator = numbers.to_base(ratio["numerator_text"], ratio["numerator_unit"], ds.units)
        denominator = numbers.to_base(ratio["denominator_text"], ratio["denominator_unit"], ds.units)
        return numbers.english_base(float(numerator / denominator), ratio["numerator_unit"], ds.units)
    return f"{numbers.derived(ratio['value'])} {ratio['unit_en']}"

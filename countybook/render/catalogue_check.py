"""What an edition needs of its message catalogue, checked before a run and by `validate`.

Every catalogue must read as YAML, hold every key of every other catalogue (a key missing from
zh.yml would pass a run and then break both builds), give each message the same shape (one
template, or plural forms with `other`) and fill the same placeholders as the default language's
message, except where PLACEHOLDER_EXCEPTIONS declares a difference. Each problem is one line naming
the file, the key and what differs.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from types import MappingProxyType

from ..errors import DataError, Problem
from . import messages

FORMS = ("zero", "one", "two", "other")

# Values a language's template deliberately leaves out or adds, against the default language's template:
# (left out, added). Anything else must use exactly the default's placeholders.
PLACEHOLDER_EXCEPTIONS = MappingProxyType(
    {
        # The Chinese edition names an indicator once, in Chinese ({name} is name_zh there).
        ("zh", "context.indicator"): ({"name_zh"}, set()),
        # The Chinese glossary gives the Chinese term and definition only.
        ("zh", "glossary.term"): ({"term_en"}, set()),
        ("zh", "glossary.definitions"): ({"definition_en"}, set()),
        # Chinese units converted to the Chinese base unit (1亿元 = 100,000,000元), without the English reading.
        ("zh", "glossary.conversion_row"): ({"reads", "base"}, {"base_zh"}),
        # Chinese writes a rate with its verb and the digits as the source printed them (增长5.0%, 持平).
        ("zh", "context.growth_up"): ({"value"}, {"printed"}),
        ("zh", "context.growth_down"): ({"value"}, {"printed"}),
        ("zh", "context.growth_flat"): ({"value"}, set()),
        # and a change with its verb (增长15.5%, 持平): no change has no number.
        ("zh", "change.flat"): ({"pct"}, set()),
        # Chinese names the benchmark's indicator even when it is the county's (全国网上零售额增长7.2%).
        ("zh", "context.related_basis"): (set(), {"benchmark_name"}),
        # Chinese says a change on the previous year as 比上年增长/下降 (the year compared with is implied).
        ("zh", "growth.up"): ({"previous"}, set()),
        ("zh", "finding.overview_growth"): ({"previous"}, set()),
        ("zh", "growth.down"): ({"previous"}, set()),
        ("zh", "growth.flat"): ({"previous"}, set()),
        # English keeps the registry's ids in a refusal's reason; Chinese names the measure, area or indicator.
        ("zh", "refused.measures"): ({"a_measure_id", "b_measure_id"}, {"a_measure", "b_measure"}),
        ("zh", "refused.not_additive"): ({"indicator_id"}, {"indicator"}),
        ("zh", "refused.not_contained"): ({"a_area_id", "b_area_id"}, {"a_area", "b_area"}),
    }
)


def forms(template) -> list[str]:
    """The template strings of a message: one, or one per plural form; none for a list setting."""
    if isinstance(template, dict):
        return [template[form] for form in FORMS if isinstance(template.get(form), str)]
    return [template] if isinstance(template, str) else []


def fields(form: str) -> list[tuple[str, str | None, str]]:
    """(literal text, field name, format spec) of a template, as str.format reads it."""
    return [(literal, name, spec or "") for literal, name, spec, _ in string.Formatter().parse(form)]


def placeholders(template) -> set[str]:
    """The names a message fills, over all its plural forms (`n` and `count` come with the count)."""
    names = set()
    for form in forms(template):
        try:
            names |= {name for _, name, _ in fields(form) if name is not None}
        except ValueError:  # a single brace: reported by the caller as a broken template
            names.add("{")
    return names - {"n", "count"} if isinstance(template, dict) else names


def catalogue_problems(
    catalogues: Mapping[str, Mapping], default: str = messages.DEFAULT_LANGUAGE, exceptions: Mapping | None = None
) -> list[tuple[str, str, str]]:
    """(language, key, what is wrong) for every way the catalogues disagree: a key one holds and another
    lacks, a message plural in one and not in another, a plural without `other`, and placeholders that
    differ from the default language's."""
    exceptions = PLACEHOLDER_EXCEPTIONS if exceptions is None else exceptions
    problems = []
    for lang, catalogue in catalogues.items():
        for other, theirs in catalogues.items():
            if other != lang:
                problems += [
                    (other, key, f"is missing (it is in {lang}.yml)") for key in catalogue if key not in theirs
                ]
    reference = catalogues.get(default, {})
    for lang, catalogue in catalogues.items():
        for key, template in catalogue.items():
            if key not in reference:
                continue
            if type(template) is not type(reference[key]):
                problems.append(
                    (lang, key, f"is a {type(template).__name__}, in {default}.yml a {type(reference[key]).__name__}")
                )
                continue
            if isinstance(template, dict) and ("other" not in template or set(template) - set(FORMS)):
                problems.append((lang, key, f"needs an 'other' form and only {', '.join(FORMS)}"))
            left_out, added = exceptions.get((lang, key), (set(), set()))
            expected = (placeholders(reference[key]) - left_out) | added
            if placeholders(template) != expected:
                problems.append(
                    (
                        lang,
                        key,
                        f"fills {sorted(placeholders(template))}, expected {sorted(expected)} "
                        f"(the placeholders of {default}.yml)",
                    )
                )
    return problems


def problems() -> list[Problem]:
    """Every catalogue problem as a Problem naming file, line and key; [] when the editions can run."""
    read, found = {}, []
    for lang in messages.languages():
        try:
            read[lang] = messages.catalogue(lang)
        except DataError as err:
            found += err.problems
    for lang, key, message in catalogue_problems(read):
        path = messages.catalogue_path(lang)
        found.append(Problem(messages.catalogue_label(path), _line_of(path, key), key, message))
    return found


def check() -> None:
    """Raise one DataError listing every catalogue problem; nothing when the catalogues agree."""
    found = problems()
    if found:
        raise DataError(found)


def _line_of(path, key: str) -> int | None:
    """The line a top-level key stands on, for a key the file holds."""
    pattern = re.compile(rf"^[\"']?{re.escape(key)}[\"']?\s*:")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, start=1) if pattern.match(line)), None)

"""The book's own words, kept in one place per language (indicator names come from the registry).

`say(key, **values)` fills a template; a template given as a mapping of plural forms (zero, one,
two, other) is chosen by the `count` value, so "no milestones", "one milestone", "two
milestones" and "12 milestones" each read right. A Chinese catalogue is added beside "en" with
the same keys; tests/test_messages.py checks that every catalogue has every key.
"""
from __future__ import annotations

NUMBER_WORDS_EN = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

CATALOGUES: dict[str, dict[str, object]] = {
    "en": {
        # --- counts
        "count.figures": {"zero": "no published figures", "one": "one published figure", "other": "{n} published figures"},
        "count.milestones": {"zero": "no milestones", "one": "one milestone", "other": "{n} milestones"},
        "count.recognitions": {"zero": "no recognitions", "one": "one recognition", "other": "{n} recognitions"},
        "count.projects": {"zero": "no named projects", "one": "one named project", "other": "{n} named projects"},
        "count.ratios": {"zero": "no derived ratios", "one": "one derived ratio", "other": "{n} derived ratios"},
        "count.implied": {"zero": "no implied previous-year levels", "one": "one implied previous-year level",
                          "other": "{n} implied previous-year levels"},
        "count.themes": {"zero": "no themes", "one": "one theme", "other": "{n} themes"},
        "count.growth": {"zero": "no figure with a published growth rate",
                         "one": "one figure with a published growth rate",
                         "other": "{n} figures with a published growth rate"},
        # --- how a level is stated, by the indicator's measure
        "measure.annual_flow": "{name} came to {value} in {year}",
        "measure.year_end_stock": "{name} stood at {value} in {year}",
        "measure.cumulative": "{name} reached a cumulative {value} by {year}",
        "measure.planned": "{name} totalled {value} (planned, not spent) in {year}",
        "measure.capacity": "{name} is {value}",
        "measure.event_count": "{name}: {value} in {year}",
        "measure.rate": "{name} was {value} in {year}",
        "measure.class": "{name}: {value}",
        "measure.duration": "{name} was {value} in {year}",
        "growth.up": ", up {pct} on {previous}",
        "growth.down": ", down {pct} on {previous}",
        "growth.flat": ", unchanged on {previous}",
        "caveat.price_basis": "price basis not stated",
        "caveat.comparable": "at comparable prices",
        "caveat.current": "at current prices",
        "caveat.scope": "{note}",
        "caveat.bound": "the source gives a bound, not an exact value",
        "caveat.scopes": "scopes: {scopes}",
        "finding.level": "{statement}{growth}{caveats}.",
        "finding.growth_two": "{first} grew faster ({first_pct}) than {second} ({second_pct}).",
        "finding.growth_many": "Of the {growth_count}, {first} grew fastest ({first_pct}) and {last} slowest ({last_pct}).",
        "finding.pair": "{first}; {second}.",
        "ratio.share": "{numerator} made up {value} of {denominator} in {year}.",
        "ratio.equivalent_to": "{numerator} was equivalent to {value} of {denominator} in {year} — two different "
                               "measures, so this compares sizes; it is not a share{caveats}.",
        "ratio.per_unit_average": "{name}: {value} across the {denominator_count} {denominator} ({year}).",
        "ratio.per_unit_average_plain": "{name}: {value} on average ({year}).",
        "ratio.intensity": "{name}: {value} ({year}).",
        "finding.history": "{name}: {before} in {before_year}, {now} in {year} — a computed change of {pct} "
                           "(two different sources; check their wording).",
        "finding.milestones": "The sources also record {milestones} for {year}{recognitions}.",
        "finding.milestones_recognitions": ", including {recognitions} ({levels})",
        "finding.milestones_level": "{number} {level}",
        "finding.earlier_year_only": "The sources hold no {theme} figures for {year}; this chapter shows the latest "
                                     "year held, {latest}.",
        "finding.none": "The sources hold no figures on this theme for {year} or any earlier year.",
        "level.national": "national",
        "level.provincial": "provincial",
        "level.municipal": "municipal",
        "level.county": "county",
        "list.and": " and ",
        "list.comma": ", ",
        # --- section headings generated with their content
        "heading.findings": "Findings",
        "heading.comparisons": "Comparisons",
        "heading.growth": "Growth on the previous year",
        "heading.history": "Earlier years",
        "heading.ratios": "Derived ratios",
        "heading.projects": "Named projects",
        "heading.milestones": "Milestones",
        "heading.figures": "Figures and sources",
        # --- chart words
        "chart.levels_title": "{group}, {year}",
        "chart.growth_title": "Published growth on the previous year, {year}",
        "chart.growth_axis": "Published year-on-year growth (%)",
        "chart.projects_title": "Named projects by the stage they reached in {year}",
        "chart.projects_axis": "Named projects (count)",
        "chart.source": "Source: {sources}.",
        "chart.implied_note": " Hatched bars: previous-year level implied by the published growth rate, computed.",
        "chart.series_published": "{year}, published",
        "chart.series_implied": "{year}, implied",
        "alt.levels": "Bar chart of {what}{unit}: {values}.",
        "alt.growth": "Bar chart of published year-on-year growth rates: {values}.",
        "alt.projects": "Bar chart of named projects by stage: {values}.",
        "alt.item": "{label} {value}",
        "caption.levels": "{count} figures of one kind ({measure}) in one unit; bars start at zero.",
        "caption.growth": "Growth rates as published; the price basis is not stated unless noted.",
        "caption.projects": "Counts only the projects the source names ({named}); the source also reports "
                            "totals: {totals}.",
        "measure_name.annual_flow": "annual flows",
        "measure_name.year_end_stock": "levels at year end",
        "measure_name.cumulative": "cumulative totals",
        "measure_name.planned": "planned amounts",
        "measure_name.capacity": "capacities",
        "measure_name.event_count": "counts of events in the year",
        "measure_name.rate": "rates",
        "measure_name.class": "classes",
        "measure_name.duration": "durations",
    },
}


def plural_form(count: int) -> str:
    return "zero" if count == 0 else "one" if count == 1 else "two" if count == 2 else "other"


def number_word(count: int, lang: str = "en") -> str:
    """Small counts in words (one … nine), larger ones in figures with separators."""
    if lang == "en" and 0 <= count < len(NUMBER_WORDS_EN):
        return NUMBER_WORDS_EN[count]
    return f"{count:,}"


def say(key: str, lang: str = "en", count: int | None = None, **values) -> str:
    template = CATALOGUES[lang][key]
    if count is not None and not isinstance(template, dict):
        values.setdefault("count", count)
    if isinstance(template, dict):
        if count is None:
            raise ValueError(f"message {key!r} needs a count")
        form = plural_form(count)
        template = template.get(form) or template.get("other")
        values.setdefault("n", number_word(count, lang))
    return template.format(**values)

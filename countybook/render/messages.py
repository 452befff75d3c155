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
        "finding.overview_lead": "{theme}: {name} {value}{growth}.",
        "finding.overview_growth": " ({pct} on {previous})",
        "finding.overview_ratio": "Across themes, {numerator} was equivalent to {value} of {denominator} in {year} "
                                  "(a comparison of sizes, not a share).",
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
        "crosscheck.indicators": {"one": "{n} indicator has", "other": "{n} indicators have"},
        "crosscheck.checked": "{indicators} published levels for two consecutive years and a published growth rate "
                              "for the later one, so the rate can be checked against the levels: {found}.",
        "crosscheck.agree": "all agree within the tolerance",
        "crosscheck.differ": {"one": "{n} differs beyond the tolerance", "other": "{n} differ beyond the tolerance"},
        # --- what a table row is
        "ratio_type.share": "share (part of the whole)",
        "ratio_type.equivalent_to": "equivalent to (two different measures)",
        "ratio_type.per_unit_average": "average per unit",
        "ratio_type.intensity": "intensity (output per unit of input)",
        "milestone_type.recognition": "recognition by a {level} body",
        "milestone_type.ranking_claim": "ranking claimed by the source",
        "milestone_type.progress": "progress step (no recognition)",
        "investment_basis.planned": "planned",
        "investment_basis.completed": "investment completed",
        "investment_basis.completed_to_date": "investment completed to date",
        # --- section headings generated with their content
        "heading.findings": "Findings",
        "heading.economy": "Economy at a glance",
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
        # --- context layer (render/context.py): In context (theme chapters) ----------------------------------------------------------
        "context.heading": "## In context",
        "context.same": ("{subject_name} grew **{subject_growth}** in {subject_area} in {subject_year} ({subject_source}), "
                         "against **{benchmark_growth}** in {benchmark_area} in {benchmark_year} ({benchmark_source}): "
                         "{gap} percentage points {direction} (computed)."),
        "context.related": ("{subject_name} grew **{subject_growth}** in {subject_area} in {subject_year} "
                            "({subject_source}); {benchmark_name}, a related but different measure, grew "
                            "**{benchmark_growth}** in {benchmark_area} in {benchmark_year} ({benchmark_source}). "
                            "The two rates are set side by side, not subtracted: see the note."),
        "context.related_basis": ("{subject_name} grew **{subject_growth}** in {subject_area} in {subject_year} "
                                  "({subject_source}), against **{benchmark_growth}** in {benchmark_area} in "
                                  "{benchmark_year} ({benchmark_source}); the price bases differ or are not stated, so "
                                  "the rates are set side by side, not subtracted: see the note."),
        "context.faster": "faster",
        "context.slower": "slower",
        "context.level": "as fast",
        "context.share": ("{subject_name} in {subject_area}, {subject_value} in {subject_year} ({subject_source}), "
                          "came to **{pct}%** of {whole_area}'s {whole_value} in {whole_year} ({whole_source}) "
                          "— a computed share{approximate}."),
        "context.share_approximate": ", approximate because a value is published as a bound",
        "context.notes_heading": "**Comparability notes**",
        "context.note_item": "- {subject_name} and {benchmark_name}: {note}",
        "context.note_item_one": "- {subject_name}: {note}",
        "context.refused_heading": "**Not compared**",
        "context.refused_item": "- {subject_name} ({subject_area}) and {benchmark_name} ({benchmark_area}): {reason}.",
        "context.chart_title": "{title}: Guanyun's growth beside other areas, {year}",
        "context.chart_axis": "Year-on-year growth, % ({year})",
        "context.chart_same": "Guanyun, or a benchmark of the same concept",
        "context.chart_related": "related concept or price basis (hollow: see the note)",
        "context.chart_alt": "Bar chart of year-on-year growth in {year}, Guanyun beside other areas. {rows}",
        "context.chart_alt_row": "{area}, {name}: {growth}{related}.",
        "context.chart_alt_related": " (a related concept)",
        "context.chart_caption": ("Figure: published growth rates of {year}, Guanyun first in each group; solid bars "
                                  "compare one concept, hollow hatched bars a related one (see the comparability notes)."),
        # --- the benchmarks' cross-year check (methods page) ----------------------------------------
        "check.heading": "## Benchmarks: published growth against two published levels",
        "check.benchmarks": ("For {checked} a benchmark area publishes levels for two consecutive years and a growth rate "
                             "for the later one; {flagged} beyond one percentage point at current prices. A rate at "
                             "comparable prices (GDP, value added) is not expected to match the change of two "
                             "current-price levels: the gap is roughly the price change."),
        "count.benchmark_checks": {"one": "one indicator", "other": "{n} indicators"},
        "count.flagged": {"zero": "no nominal rate differs", "one": "one nominal rate differs",
                          "other": "{n} nominal rates differ"},
        "check.differs": "differs beyond tolerance",
        "check.consistent": "consistent",
        "check.comparable_prices": "comparable prices: gap expected",
        "check.col_area": "Area",
        "check.col_indicator": "Indicator",
        "check.col_year": "Year",
        "check.col_published": "Published growth",
        "check.col_computed": "Computed from levels",
        "check.col_difference": "Difference",
        "check.col_check": "Check",
        # --- Where Guanyun stands (overview) ------------------------------------------------------
        "overview.heading": "## Where Guanyun stands",
        "overview.compared": ("Of the {growth_count} growth rates Guanyun's sources publish for {year}, {compared_count} "
                              "can be set beside a benchmark of Lianyungang, Jiangsu or China."),
        "overview.none_compared": ("None of the {growth_count} growth rates Guanyun's sources publish for {year} has a "
                                   "benchmark of the same or a declared related concept in the data, so this edition "
                                   "cannot yet say where Guanyun stands."),
        "overview.no_growth": ("Guanyun's sources publish no growth rate for {year}, so this edition cannot set "
                               "Guanyun's change beside Lianyungang's, Jiangsu's or China's."),
        "overview.unmatched": "No comparable benchmark is held for {names}.",
        "overview.chart_title": "Where Guanyun stands: growth beside other areas, {year}",
        # --- About the sources ----------------------------------------------------------------------
        "sources.heading": "## About the sources",
        "sources.subject": "Guanyun's figures for {year} come from {sources}: {items}.",
        "sources.item": "*{title}* ({publisher}{date}), {kind_phrase}, reliability {reliability}, {figures}",
        "count.sources": {"one": "one source", "other": "{n} sources"},
        "count.further_sources": {"one": "one further source was", "other": "{n} further sources were"},
        "sources.no_bulletin": ("No statistical bulletin (统计公报) for Guanyun is held, so no figure here has been "
                                "through the statistics bureau's own publication."),
        "sources.benchmarks": "The benchmarks come from {sources}: {items}.",
        "sources.excluded": ("{sources} considered and left out (partial-year, untraceable or unreliable); the "
                             "methods page lists each with its reason."),
        # What a kind of source means for the reader (the kinds of data/sources.csv).
        "kind.statistical_bulletin": "a statistical bulletin",
        "kind.statistical_release": "a statistics-bureau release",
        "kind.government_report": "a government work report",
        "kind.government_site": "a government website item",
        "kind.press_release": "a press release",
        "kind.news_agency_report": "a news-agency report",
        "kind.news_report": "a news report",
        "kind.newspaper_feature": "a newspaper feature",
        "kind.secondary_summary": "a secondary summary",
        "kind.reference_page": "a reference page",
        "kind.blog": "a blog post",
        "kind.printed_gazetteer": "a printed gazetteer",
        # Counted kinds, for the benchmarks' sources.
        "kinds.statistical_bulletin": {"one": "one statistical bulletin", "other": "{n} statistical bulletins"},
        "kinds.statistical_release": {"one": "one statistics-bureau release", "other": "{n} statistics-bureau releases"},
        "kinds.government_report": {"one": "one government work report", "other": "{n} government work reports"},
        "kinds.government_site": {"one": "one government website item", "other": "{n} government website items"},
        "kinds.press_release": {"one": "one press release", "other": "{n} press releases"},
        "kinds.news_agency_report": {"one": "one news-agency report", "other": "{n} news-agency reports"},
        "kinds.news_report": {"one": "one news report", "other": "{n} news reports"},
        "kinds.newspaper_feature": {"one": "one newspaper feature", "other": "{n} newspaper features"},
        "kinds.secondary_summary": {"one": "one secondary summary", "other": "{n} secondary summarys"},
        "kinds.reference_page": {"one": "one reference page", "other": "{n} reference pages"},
        "kinds.blog": {"one": "one blog post", "other": "{n} blog posts"},
        "kinds.printed_gazetteer": {"one": "one printed gazetteer", "other": "{n} printed gazetteers"},
        "meaning.statistical_bulletin": ("A statistical bulletin is the statistics bureau's own annual account: "
                                         "definitions and scopes follow national rules, and figures are final or "
                                         "flagged as preliminary."),
        "meaning.statistical_release": ("A statistics-bureau release gives official figures with national "
                                        "definitions; growth rates state (or follow) their price basis."),
        "meaning.government_report": ("A government work report reviews the year in the government's own words: its "
                                      "figures are official but often rounded and selected, and some are estimates "
                                      "(预计) made before the final statistics."),
        "meaning.government_site": ("A government website item reports the government's figures, often for part of "
                                    "the year; definitions are rarely stated."),
        "meaning.press_release": "A press release is promotional: its figures are official but chosen to impress.",
        "meaning.news_agency_report": ("A news-agency report relays an official release closely, usually in its own "
                                       "wording; the release itself remains the better source."),
        "meaning.news_report": ("A news report relays figures second-hand; check its wording against the original "
                                "release where one exists."),
        "meaning.newspaper_feature": ("A newspaper feature reports figures supplied by the county (written with county "
                                      "correspondents): they are the county's own, not a statistical bulletin's, "
                                      "rarely state their definitions, scope or price basis, and may later be revised."),
        "meaning.secondary_summary": ("A secondary summary restates figures from elsewhere; it is used only where the "
                                      "original could not be found, and its figures should be confirmed."),
        "meaning.reference_page": "A reference page rarely names where its figures come from.",
        "meaning.blog": "A blog post is not a source of record.",
        "meaning.printed_gazetteer": ("A printed gazetteer records history under the boundaries and accounting "
                                      "measures of its time."),
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

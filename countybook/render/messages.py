"""Every sentence template of the context layer, per language, in one catalogue.

Templates are str.format strings filled from data; a Chinese edition adds a "zh" catalogue with the
same keys (tests check that every language has every key). Kept as Python, not YAML, so that the
runner's cache, which hashes the library's .py files, notices an edited sentence.
"""
from __future__ import annotations

MESSAGES = {
    "en": {
        # --- In context (theme chapters) ----------------------------------------------------------
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
        "context.chart_related": "related concept (hollow: see the note)",
        "context.chart_caption": ("Figure: published growth rates of {year}, Guanyun first; filled markers compare one "
                                  "concept, hollow markers a related one (see the comparability notes)."),
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
        "sources.subject": ("Guanyun's figures for {year} come from {count} {sources}: {items}."),
        "sources.item": "*{title}* ({publisher}{date}), {kind_phrase}, reliability {reliability}, {figures} {figure_word}",
        "sources.no_bulletin": ("No statistical bulletin (统计公报) for Guanyun is held, so no figure here has been "
                                "through the statistics bureau's own publication."),
        "sources.benchmarks": "The benchmarks come from {count} sources: {items}.",
        "sources.benchmark_item": "{count} {kind_phrase}",
        "sources.excluded": ("{count} further sources were considered and left out (partial-year, untraceable or "
                             "unreliable); the methods page lists each with its reason."),
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


def say(key: str, lang: str = "en", **fields) -> str:
    """The template `key` in `lang`, filled with `fields`; a missing key is a programming error."""
    return MESSAGES[lang][key].format(**fields)

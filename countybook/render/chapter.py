"""What a notebook cell calls: one object per page, one method per figure, table or paragraph.

A section with nothing to show for the year displays nothing at all, so a chapter never carries
"no … for this theme" placeholders. Section headings are not printed here: the templates hold them
as markdown cells (`## {{ heading.findings }}`), so they are real headings of the page (contents,
search titles, anchors), and the runner drops a heading whose section printed nothing
(countybook.render.page_text.drop_empty_sections). A theme with no
figures for the year shows its latest earlier year, and says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from ..data import Dataset, derive, load
from . import analysis as analysis_layer
from . import chart_rules, charts, citations, cross_checks, findings, tables, text
from . import context as context_layer
from . import glossary as glossary_layer
from .alt_text import ALT_METADATA_KEY
from .edition import Edition, OfEdition
from .messages import say


class ChartRuleBroken(RuntimeError):
    """A chart would mislead; the edition is rejected instead of published."""


class Page(OfEdition):
    def __init__(self, year: int, theme: str | None = None, ds: Dataset | None = None, *, lang: str):
        self.edition = Edition(lang, int(year))
        self.ds = ds if ds is not None else load()
        self.theme = theme
        self.shown_year = derive.shown_year(self.ds, self.year, theme)
        self.figures = derive.figures_for(self.ds, self.shown_year, theme)
        self.history = derive.multi_year(
            derive.recent(self.ds, derive.figures_for(self.ds, theme=theme)), self.shown_year
        )
        self.ratios_frame = derive.ratios_for(self.ds, self.shown_year, theme)
        themes = self.ds.themes.set_index("id")
        # The theme's title in the page's language (title_zh / title_en).
        self.title = text.field(themes.loc[theme], "title", lang) if theme else say("theme.all", lang)

    # --- output helpers -------------------------------------------------------------------
    def _say(self, markdown: str) -> None:
        display(Markdown(self._linked(markdown)))

    def _linked(self, markdown: str) -> str:
        """The chapter's first use of each glossary term links to its entry (one set of seen terms per page)."""
        if not hasattr(self, "_glossary_seen"):
            self._glossary_seen: set[str] = set()
        return glossary_layer.link_first_uses(markdown, self._glossary_seen, self.ds.glossary, edition=self.edition)

    def _show(self, chart: charts.Chart | None) -> bool:
        if chart is None:
            return False
        broken = chart_rules.violations(chart)
        if broken:
            plt.close(chart.figure)
            raise ChartRuleBroken(f"chart '{chart.alt[:60]}…' breaks the chart rules: {'; '.join(broken)}")
        data, metadata = charts.png_output(chart.figure)
        metadata["image/png"][ALT_METADATA_KEY] = text.plain(chart.alt)
        display(data, raw=True, metadata=metadata)
        plt.close(chart.figure)
        self._say(f"*{text.escape(chart.caption)}*")
        return True

    # --- the written analysis ---------------------------------------------------------------
    def analysis(self, page: str | None = None) -> None:
        """The analyst's text for this year and page (a theme id, or `overview` / `index` named by
        the cross-theme pages), its numbers resolved from data; for a year without one, a line
        saying so (never another year's text)."""
        name = page or self.theme or "overview"
        resolved = analysis_layer.written(self.ds, self.edition, name, self.shown_year)
        if resolved is None:
            resolved = f"*{say('analysis.none', self.lang, year=self.year)}*"
        self._say(resolved)

    def not_in_sources(self) -> None:
        """The bulletin's headline indicators the year's sources do not publish, and how to add them."""
        missing = analysis_layer.missing_headlines(self.ds, self.year)
        if missing.empty:
            return
        names = [text.escape(text.field(row, "name", self.lang)) for _, row in missing.iterrows()]
        # Markdown inside an admonition block, so the names get their glossary links like any prose.
        self._say(
            '<div class="admonition note not-in-sources">\n\n'
            f'<p class="admonition-title">{text.escape(say("missing.title", self.lang))}</p>\n\n'
            f"{text.escape(say('missing.lead', self.lang, year=self.year, count=len(missing)))}\n\n"
            + "\n".join(f"- {name}" for name in names)
            + "\n\n"
            f"{text.escape(say('missing.why', self.lang, year=self.year, kinds=self._source_kinds()))}\n\n"
            f"{text.escape(say('missing.how', self.lang))}\n\n</div>"
        )

    def _source_kinds(self) -> str:
        """The kinds of source the year's figures come from ('a newspaper feature'), in words."""
        used = set(self.ds.figures.loc[self.ds.figures["year"] == self.year, "source"])
        kinds = self.ds.sources[self.ds.sources["id"].isin(used)]["kind"]
        return text.join([say(f"kind.{kind}", self.lang) for kind in dict.fromkeys(kinds)], self.lang)

    def telling_comparisons(self) -> pd.DataFrame | None:
        """The theme's (or, on the overview, every theme's) computed comparisons for the year, as a
        frame a reader can take further: value, formula with its inputs, sources and caveat; None
        when there is none, so the cell shows nothing and its section heading goes (an empty frame
        would print an empty table under it)."""
        from ..data import computed

        frame = computed.computed_for(self.ds, self.shown_year, self.theme)
        lang = self.lang
        if frame.empty:
            return None
        # pandas escapes the frame's HTML; the characters no page may carry are removed here.
        return pd.DataFrame(
            {
                say("col.comparison", lang): frame[f"name_{lang}"].map(text.plain),
                say("col.value", lang): [
                    text.plain(analysis_layer.format_computed(r, self.ds, lang)) for _, r in frame.iterrows()
                ],
                say("col.computed_formula", lang): [
                    text.plain(analysis_layer.formula_in_edition(r, self.ds, lang)) for _, r in frame.iterrows()
                ],
                say("col.sources", lang): [
                    say("list.semicolon", lang).join(
                        text.plain(text.publisher(self.ds.sources.set_index("id").loc[s], lang)) for s in r
                    )
                    for r in frame["sources"]
                ],
                say("col.caveat", lang): frame[f"caveat_{lang}"].map(text.plain),
            }
        ).set_index(say("col.comparison", lang))

    # --- findings -------------------------------------------------------------------------
    def findings(self) -> None:
        sentences = findings.chapter_findings(
            self.ds, self.figures, self.ratios_frame, self.shown_year, self.theme, edition=self.edition
        )
        lead = ""
        if self.shown_year != self.year:
            lead = (
                say(
                    "finding.earlier_year_only",
                    self.lang,
                    theme=text.escape(self.title.lower()),
                    year=self.year,
                    latest=self.shown_year,
                )
                + "\n\n"
            )
        if not sentences:
            key = "finding.no_comparison" if not self.figures.empty else "finding.none"
            sentences = [say(key, self.lang, year=self.shown_year if key == "finding.no_comparison" else self.year)]
        self._say(lead + "\n".join(f"- {s}" for s in sentences))

    # --- charts ---------------------------------------------------------------------------
    def _level_charts(self) -> list[pd.DataFrame]:
        return charts.level_groups(self.figures)

    def comparison_chart(self, rank: int = 0) -> None:
        """The rank-th like-for-like chart of the year's figures, if there is one."""
        groups = self._level_charts()
        if rank < len(groups):
            self._show(charts.levels_chart(self.ds, groups[rank], self.shown_year, edition=self.edition))

    def growth_chart(self) -> None:
        self._show(charts.growth_chart(self.ds, self.figures, self.shown_year, edition=self.edition))

    def _projects(self) -> pd.DataFrame:
        frame = self.ds.projects[self.ds.projects["year"] == self.shown_year]
        return frame[frame["theme"] == self.theme] if self.theme else frame

    def projects_chart(self) -> None:
        """Shows nothing: the named-projects chart is gone (issue 17: it counted the few projects the
        source names, not the county's totals); projects() gives the heading and the table. Kept until
        the templates stop calling it."""

    # --- tables ---------------------------------------------------------------------------
    def ratios(self) -> None:
        if not self.ratios_frame.empty:
            display(tables.ratios(self.ds, self.ratios_frame, edition=self.edition))

    def projects(self) -> None:
        frame = self._projects()
        if frame.empty:
            return
        display(tables.projects(self.ds, frame, edition=self.edition))

    def _milestones(self) -> pd.DataFrame:
        frame = self.ds.milestones[self.ds.milestones["year"] == self.shown_year]
        return frame[frame["theme"] == self.theme] if self.theme else frame

    def milestones(self) -> None:
        frame = self._milestones()
        if not frame.empty:
            display(tables.milestones(self.ds, frame, edition=self.edition))

    def figures_table(self) -> None:
        display(
            tables.figures_table(self.ds, derive.chapter_figures(self.ds, self.year, self.theme), edition=self.edition)
        )

    def themes_table(self) -> None:
        display(tables.themes_overview(self.ds, edition=self.edition))

    def economy_at_a_glance(self) -> None:
        """Overview: GDP, its structure, public finance and incomes; nothing at all for a year without them."""
        from . import economy

        glance = economy.at_a_glance(self.ds, edition=self.edition)
        if glance is None:
            return
        self._say(glance.markdown)
        self._show(glance.chart)

    # --- front and back matter ------------------------------------------------------------
    def intro_edition(self) -> None:
        self._say(text.edition_sentence(self.ds, edition=self.edition))

    def key_figures(self) -> None:
        if not self.figures.empty:
            display(tables.key_figures(self.ds, self.figures, edition=self.edition))

    def sources_table(self) -> None:
        """The ranking of sources, then every publication with the copies read."""
        self._say(say("sources.ranking", self.lang))
        display(citations.sources(self.ds, edition=self.edition))

    def benchmark_sources_table(self) -> None:
        """Where each benchmark sits: its original publication, rank and the copy read; nothing without any
        (the runner then drops the section's heading)."""
        if not self.ds.benchmarks.empty:
            display(citations.benchmark_sources(self.ds, self.edition))

    def units_table(self) -> None:
        display(tables.units(self.ds, edition=self.edition))

    def qualifiers_table(self) -> None:
        display(tables.qualifiers(self.ds, edition=self.edition))

    def years_held(self) -> None:
        display(tables.years_held(self.ds, edition=self.edition))

    def cross_year_check(self) -> None:
        """What was compared and found; nothing at all when no indicator can be checked."""
        from ..data.crosscheck import cross_year_check

        checked = cross_year_check(self.ds)
        if checked.empty:
            return
        flagged = int(checked["flagged"].sum())
        self._say(text.cross_year_sentence(len(checked), flagged, edition=self.edition))
        display(tables.cross_year(checked, edition=self.edition, ds=self.ds))

    def dictionary(self) -> None:
        display(tables.dictionary(self.ds, edition=self.edition))

    # --- context: benchmarks, sources, glossary -------------------------------------------
    def _section(self, section) -> None:
        self._say(section.markdown)
        self._show(section.chart)
        if section.after:
            self._say(section.after)

    def in_context(self) -> None:
        """Theme chapters: Guanyun beside Lianyungang, Jiangsu and China; nothing at all without a benchmark."""
        section = (
            context_layer.in_context(self.ds, self.shown_year, self.theme, edition=self.edition) if self.theme else None
        )
        if section is not None:
            self._section(section)

    def where_guanyun_stands(self) -> None:
        """Overview opening: a paragraph and one chart of Guanyun's growth beside the benchmarks."""
        self._section(context_layer.where_guanyun_stands(self.ds, self.shown_year, edition=self.edition))

    def about_sources(self) -> None:
        self._say(context_layer.about_sources(self.ds, self.shown_year, edition=self.edition))

    def glossary(self) -> None:
        display(glossary_layer.glossary_html(self.ds, edition=self.edition))

    def benchmark_cross_year_check(self) -> None:
        """Methods page: the benchmarks' growth rates against their own consecutive levels; nothing when none."""
        found = cross_checks.benchmark_cross_year(self.ds, edition=self.edition)
        if found is not None:
            self._say(found[0])
            display(found[1])

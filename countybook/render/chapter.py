"""What a notebook cell calls: one object per page, one method per figure, table or paragraph.

Each method displays its output, or a sentence saying why there is nothing to show, so a chapter
for a year without figures reads sensibly instead of showing an empty chart or raising.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from . import charts
from . import context as context_layer
from . import glossary as glossary_layer
from ..data import derive
from . import tables
from . import text
from ..data import Dataset, load


class Page:
    def __init__(self, year: int, theme: str | None = None, ds: Dataset | None = None):
        self.ds = ds if ds is not None else load()
        self.year = int(year)
        self.theme = theme
        self.figures = derive.figures_for(self.ds, self.year, theme)
        themes = self.ds.themes.set_index("id")
        self.title_en = themes.loc[theme, "title_en"] if theme else "All themes"
        self.title_zh = themes.loc[theme, "title_zh"] if theme else "全部主题"
        charts.setup()

    # --- text -----------------------------------------------------------------------------
    def _say(self, markdown: str) -> None:
        display(Markdown(self._linked(markdown)))

    def _linked(self, markdown: str) -> str:
        """The chapter's first use of each glossary term links to its entry (one set of seen terms per page)."""
        if not hasattr(self, "_glossary_seen"):
            self._glossary_seen = set()
        return glossary_layer.link_first_uses(markdown, self._glossary_seen, self.ds.glossary)

    def _nothing(self, what: str) -> None:
        self._say(f"*No {what} for this theme in {self.year}.*")

    def summary(self) -> None:
        lead = f"**{text.escape(self.title_zh)}** · figures for **{self.year}**\n\n"
        body = (text.theme_summary(self.ds, self.year, self.theme) if self.theme
                else text.overview_summary(self.ds, self.year))
        self._say(lead + body)

    # --- charts ---------------------------------------------------------------------------
    def _show(self, fig, caption: str, what: str) -> None:
        if fig is None:
            self._nothing(what)
            return
        display(fig)
        plt.close(fig)
        self._say(f"*{caption}*")

    def _unit_chart(self, rank: int) -> None:
        units = charts.largest_units(self.figures)
        unit = units[rank] if rank < len(units) else None
        # A lone bar says nothing; beyond the main group, chart only units shared by several figures.
        if unit is None or (rank > 0 and (self.figures["unit"] == unit).sum() < 2):
            self._nothing("further figures sharing a unit")
            return
        lone = self.figures[self.figures["unit"] == unit]
        if len(lone) == 1 and lone["yoy_pct"].isna().all():
            self._say(f"*Only one figure of this theme for {self.year} is measured in {text.escape(unit)}: "
                      "a chart would add nothing to the table above.*")
            return
        unit_en = self.ds.units[unit]["en"]
        chosen = self.figures[self.figures["unit"] == unit]
        title = f"{self.title_en}: figures in {unit} ({unit_en}), {self.year}"
        caption = (f"Figure: the {len(chosen)} published {text.plural(len(chosen), 'figure')} of {self.year} "
                   f"measured in {unit} ({unit_en}), largest first"
                   + ("; hatched bars are previous-year levels implied by the published growth rates."
                      if chosen["yoy_pct"].notna().any() else "."))
        self._show(charts.levels_chart(self.ds, self.figures, unit, title), text.escape(caption), "figures")

    def chart_main_unit(self) -> None:
        self._unit_chart(0)

    def chart_second_unit(self) -> None:
        self._unit_chart(1)

    def chart_change(self) -> None:
        """Growth rates where published; otherwise indicators seen in more than one year."""
        if self.figures["yoy_pct"].notna().any():
            fig = charts.growth_chart(self.ds, self.figures, f"{self.title_en}: published growth rates, {self.year}")
            caption = "Figure: year-on-year growth as published, fastest first."
            self._show(fig, caption, "growth rates")
            return
        history = derive.multi_year(derive.figures_for(self.ds, theme=self.theme), self.year)
        fig = charts.history_chart(self.ds, history, f"{self.title_en}: indicators published in several years")
        caption = "Figure: levels of the indicators published for more than one year (different sources)."
        self._show(fig, caption, "growth rates or earlier-year figures")

    def chart_money(self) -> None:
        """Overview: every money figure of the year side by side, with implied previous levels."""
        money = self.figures[self.figures["kind"] == "money"]
        unit = charts.largest_units(money, 1)
        fig = charts.levels_chart(self.ds, money, unit[0], f"Money figures of {self.year}, all themes") if unit else None
        self._show(fig, f"Figure: money figures of {self.year} in {unit[0] if unit else '—'}; hatched bars are "
                        "previous-year levels implied by published growth rates.", "money figures")

    def chart_projects(self) -> None:
        frame = self._projects()
        if len(frame) < 2:
            return  # the projects table below lists the one project, or says there are none
        fig = charts.projects_chart(self.ds, frame, f"{self.title_en}: named projects by stage, {self.year}")
        self._show(fig, f"Figure: the {len(frame)} named projects of {self.year} by the stage they reached.",
                   "named projects")

    def chart_milestones(self) -> None:
        frame = self._milestones()
        if frame.empty:
            return  # the milestones table below says there are none
        fig = charts.milestones_chart(self.ds, frame, f"{self.title_en}: milestones by field and level, {self.year}")
        self._show(fig, f"Figure: the {len(frame)} qualitative milestones of {self.year} by field and level of "
                        "recognition.", "milestones")

    def chart_coverage(self) -> None:
        fig = charts.coverage_heatmap(self.ds, "Which years hold which indicators")
        self._show(fig, "Figure: coverage of the dataset; each dark cell is one published figure.", "figures")

    # --- tables ---------------------------------------------------------------------------
    def _projects(self):
        frame = self.ds.projects[self.ds.projects["year"] == self.year]
        return frame[frame["theme"] == self.theme] if self.theme else frame

    def _milestones(self):
        frame = self.ds.milestones[self.ds.milestones["year"] == self.year]
        return frame[frame["theme"] == self.theme] if self.theme else frame

    def headline(self) -> None:
        if self.figures.empty:
            self._say(text.no_figures_sentence(self.ds, self.year, self.theme) if self.theme
                      else f"**No figures in {self.year}.**")
            return
        display(tables.headline(self.ds, self.figures))

    def _table(self, frame, what: str, render) -> None:
        if frame.empty:
            self._nothing(what)
        else:
            display(render(frame))

    def ratios(self) -> None:
        self._table(derive.ratios_for(self.ds, self.year, self.theme), "derived ratios", tables.ratios)

    def projects(self) -> None:
        self._table(self._projects(), "named projects", lambda f: tables.projects(self.ds, f))

    def milestones(self) -> None:
        self._table(self._milestones(), "milestones", lambda f: tables.milestones(self.ds, f))

    def figures_and_sources(self) -> None:
        self._table(self.figures, "figures", lambda f: tables.figures_and_sources(self.ds, f))

    def themes_table(self) -> None:
        display(tables.themes_overview(self.ds, self.year))

    # --- front and back matter ------------------------------------------------------------
    def intro_edition(self) -> None:
        self._say(text.edition_sentence(self.ds, self.year))

    def key_figures(self) -> None:
        if self.figures.empty:
            self._say(f"**No figures in {self.year}.**")
            return
        display(tables.key_figures(self.ds, self.figures))

    def sources_table(self) -> None:
        display(tables.sources(self.ds))

    def units_table(self) -> None:
        display(tables.units(self.ds))

    def qualifiers_table(self) -> None:
        display(tables.qualifiers(self.ds))

    def cross_year_check(self) -> None:
        from ..data.crosscheck import cross_year_check

        checked = cross_year_check(self.ds)
        if checked.empty:
            self._say("No indicator has levels for two consecutive years together with a published growth "
                      "rate for the later one, so no published rate can be checked against the levels yet.")
            return
        display(tables.cross_year(checked))

    def dictionary(self) -> None:
        display(tables.dictionary(self.ds))

    # --- context: benchmarks, sources, glossary -------------------------------------------
    def _section(self, section) -> None:
        self._say(section.markdown)
        if section.figure is not None:
            display(section.figure)
            plt.close(section.figure)
            self._say(f"*{text.escape(section.caption)}*")
        if section.after:
            self._say(section.after)

    def in_context(self) -> None:
        """Theme chapters: Guanyun beside Lianyungang, Jiangsu and China; nothing at all without a benchmark."""
        section = context_layer.in_context(self.ds, self.year, self.theme) if self.theme else None
        if section is not None:
            self._section(section)

    def where_guanyun_stands(self) -> None:
        """Overview opening: a paragraph and one chart of Guanyun's growth beside the benchmarks."""
        self._section(context_layer.where_guanyun_stands(self.ds, self.year))

    def about_sources(self) -> None:
        self._say(context_layer.about_sources(self.ds, self.year))

    def glossary(self) -> None:
        display(glossary_layer.glossary_html(self.ds))

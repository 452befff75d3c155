"""The long-view page: every series of data/long_view.yml up to the book's year, with its breaks.

Physical quantities come first (their concept has not changed), money after them in current prices
only, with the price change said. Each chart draws one line per segment (countybook.data.series):
no line crosses a break, and every break is marked on the chart and named in the text. Growth is
the average annual rate over a segment, never across a break.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from matplotlib.ticker import FuncFormatter

from ..data import Dataset, series
from ..data.load import load
from . import chart_rules, charts, numbers, text
from .chapter import ChartRuleBroken
from .citations import html_table, quote_html, title_link
from .edition import Edition, OfEdition
from .messages import say
from .text import html_escape

LINE_COLOUR = charts.PALETTE[0]
OTHER_CONCEPT_COLOUR = charts.PALETTE[1]
BREAK_COLOUR = "#b22222"


class LongViewPage(OfEdition):
    def __init__(self, year: int, lang: str, ds: Dataset | None = None):
        self.edition = Edition(lang, int(year))
        self.ds = ds if ds is not None else load()
        self.view = series.load_checked(self.ds)
        self.series = [s for s in series.with_points(self.view, self.ds.figures, self.year) if s.points]
        self.registry = self.ds.all_indicators().set_index("id")
        self.style = text.style(lang)

    # --- helpers ----------------------------------------------------------------------------
    def _say(self, markdown: str) -> None:
        display(Markdown(markdown))

    def _name(self, indicator: str) -> str:
        return text.field(self.registry.loc[indicator], "name", self.lang)

    def _row(self, point: series.Point) -> pd.Series:
        figures = self.ds.figures
        return figures[(figures["indicator"] == point.indicator) & (figures["year"] == point.year)].iloc[0]

    def _amount(self, point: series.Point) -> str:
        row = self._row(point)
        return self.style.amount(str(row["published_value"]), str(row["published_unit"]), self.ds)

    def _year(self, year: int) -> str:
        return say("date.year", self.lang, year=year)

    def _breaks_in(self, s: series.Series) -> list[series.Break]:
        found: list[series.Break] = []
        for _, _, crossed in series.cut_points(s.points, self.view.breaks, s.change):
            found += [b for b in crossed if b not in found]
        return found

    # --- sections ---------------------------------------------------------------------------
    def intro(self) -> None:
        if not self.series:
            self._say(say("long_view.nothing", self.lang, year=self.year))
            return
        first = min(p.year for s in self.series for p in s.points)
        last = max(p.year for s in self.series for p in s.points)
        joined = sum(
            1 for s in self.series if any(len(seg) > 1 for seg in series.segments(s.points, self.view.breaks, s.change))
        )
        self._say(
            say(
                "long_view.span",
                self.lang,
                first=first,
                last=last,
                year=self.year,
                count=len(self.series),
                joined=joined,
            )
        )

    def summary_table(self) -> None:
        """Then and now: the latest run of comparable points (or, after a break, the points either side of it)."""
        rows = []
        none = say("table.none", self.lang)
        for s in self.series:
            runs = series.segments(s.points, self.view.breaks, s.change)
            last_run = runs[-1]
            if len(last_run) >= 2:
                a, b = last_run[0], last_run[-1]
                rate = series.growth_between(a, b, self.view.breaks, s.change)
                multiple = numbers.derived(b.value / a.value)
                growth = say("long_view.cell_down" if rate < 0 else "long_view.cell_up", self.lang, pct=_pct(rate))
            elif len(runs) >= 2:
                # The latest point stands alone after a break: show the point before it, and why no rate.
                a, b = runs[-2][-1], last_run[0]
                kinds = list(
                    dict.fromkeys(
                        say(f"long_view.kind.{k.kind}", self.lang)
                        for k in series.breaks_between(a, b, self.view.breaks, s.change)
                    )
                )
                multiple = growth = say("long_view.cell_break", self.lang, kinds=text.join(kinds, self.lang))
            else:
                a, b = last_run[0], None
                multiple = growth = none
            names = list(dict.fromkeys(self._name(p.indicator) for p in ([a, b] if b else [a])))
            rows.append(
                [
                    html_escape(" → ".join(names)),
                    html_escape(self._level(a)),
                    html_escape(self._level(b)) if b else none,
                    html_escape(multiple),
                    html_escape(growth),
                ]
            )
        headers = [
            "long_view.col.series",
            "long_view.col.first",
            "long_view.col.last",
            "long_view.col.multiple",
            "long_view.col.growth",
        ]
        display(html_table([say(h, self.lang) for h in headers], rows, "long-view"))

    def _level(self, point: series.Point) -> str:
        return say("long_view.level", self.lang, year=point.year, amount=self._amount(point))

    def group(self, group: str) -> None:
        """Chart and sentences of every series of one group (physical, money, other)."""
        shown = [s for s in self.series if s.group == group]
        if not shown:
            self._say(say("long_view.group_empty", self.lang, year=self.year))
            return
        for s in shown:
            # The series' name leads its paragraph, in bold: a heading printed by a cell would be a
            # rubric, missing from the page's contents and search titles; the group's heading is
            # the template's, and the series are its items.
            self._say(f"**{text.escape(self._series_title(s))}**\n\n{self._sentences(s)}")
            if len(s.points) >= 2:
                self._show(self._chart(s))

    def _series_title(self, s: series.Series) -> str:
        return self._name(s.points[-1].indicator)

    def _sentences(self, s: series.Series) -> str:
        lang = self.lang
        said = []
        runs = series.segments(s.points, self.view.breaks, s.change)
        for run in runs:
            a, b = run[0], run[-1]
            if a is b:
                said.append(
                    say("long_view.single", lang, name=self._name(a.indicator), year=a.year, amount=self._amount(a))
                )
                continue
            growth = series.growth_between(a, b, self.view.breaks, s.change)
            # One year apart: the rate is simply the change on the year before (比上年增长).
            said.append(
                say(
                    "long_view.segment_one_year" if b.year - a.year == 1 else "long_view.segment",
                    lang,
                    name=self._name(a.indicator),
                    first_year=a.year,
                    first=self._amount(a),
                    last_year=b.year,
                    last=self._amount(b),
                    multiple=numbers.derived(b.value / a.value),
                    years=b.year - a.year,
                    direction=say("long_view.down" if growth < 0 else "long_view.up", lang),
                    pct=_pct(growth),
                )
            )
            if series.is_money(self.ds, a.indicator):
                said.append(say("long_view.money_prices", lang))
        for brk in self._breaks_in(s):
            said.append(
                say(
                    "long_view.break_named",
                    lang,
                    kind=say(f"long_view.kind.{brk.kind}", lang),
                    note=_full_stop(brk.note(lang), lang),
                )
            )
        if all(p.year < self.ds.chapters_from for p in s.points):
            said.append(say("long_view.no_recent", lang))
        if s.points[0].year <= 1990 < s.points[-1].year:
            said.append(self.view.after_1990[lang if lang in self.view.after_1990 else "en"])
        return text.escape(" ".join(said))

    # --- the chart ----------------------------------------------------------------------------
    def _display_unit(self, s: series.Series) -> str:
        return self.registry.loc[s.points[-1].indicator, "unit"]

    def _in_unit(self, point: series.Point, unit: str) -> float:
        own = self.registry.loc[point.indicator, "unit"]
        return point.value * self.ds.units[own]["factor"] / self.ds.units[unit]["factor"]

    @charts.styled
    def _chart(self, s: series.Series) -> charts.Chart:
        lang = self.lang
        unit = self._display_unit(s)
        runs = series.segments(s.points, self.view.breaks, s.change)
        fig, ax = plt.subplots(figsize=(8, 3.6))
        last_indicator = s.points[-1].indicator
        labelled: set[str] = set()
        for run in runs:
            xs = [p.year for p in run]
            ys = [self._in_unit(p, unit) for p in run]
            colour = LINE_COLOUR if run[0].indicator == last_indicator else OTHER_CONCEPT_COLOUR
            # One line per segment: matplotlib never joins two plot() calls.
            label = text.plain(self._name(run[0].indicator))
            ax.plot(xs, ys, marker="o", color=colour, linewidth=2, label=label if label not in labelled else None)
            labelled.add(label)
            for x, y, p in zip(xs, ys, run):
                ax.annotate(
                    text.plain(self._amount(p)),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 7),
                    ha="center",
                    fontsize=8,
                )
        placed = []
        for a, b, crossed in series.cut_points(s.points, self.view.breaks, s.change):
            for brk in crossed:
                # A break in time sits just after its last year; a change of concept somewhere between the
                # two points (the sources do not date it), drawn half-way.
                placed.append((brk.after + 0.5 if brk.after is not None else (a.year + b.year) / 2, brk))
        marks: list[tuple[int, series.Break]] = []
        for where, brk in sorted(placed, key=lambda pair: pair[0]):
            number = len(marks) + 1
            ax.axvline(where, color=BREAK_COLOUR, linestyle="--", linewidth=1)
            ax.text(
                where,
                1.0,
                f" {number} {say(f'long_view.kind.{brk.kind}', lang)}",
                transform=ax.get_xaxis_transform(),
                rotation=90,
                va="top",
                ha="right",
                fontsize=8,
                color=BREAK_COLOUR,
            )
            marks.append((number, brk))
        ax.set_ylim(bottom=0, top=max(self._in_unit(p, unit) for p in s.points) * 1.25)
        # Plain numbers on the value axis: no '1e6' offset a reader has to multiply out.
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 or v == 0 else f"{v:g}"))
        if len({p.indicator for p in s.points}) > 1:
            ax.legend(loc="lower right", fontsize=8, frameon=True)
        years = [p.year for p in s.points]
        ax.set_xlim(min(years) - 3, max(years) + 3)
        ax.set_xlabel(say("long_view.axis_year", lang))
        ax.set_ylabel(text.plain(self._unit_label(unit)))
        title = self._series_title(s)
        sources = sorted({self._row(p)["source"] for p in s.points})
        charts._finish(fig, ax, self.ds, title, sources, lang=lang)
        breaks_text = say("list.semicolon", lang).join(
            say(
                "long_view.mark",
                lang,
                number=n,
                kind=say(f"long_view.kind.{b.kind}", lang),
                note=b.note(lang).rstrip(".。"),
            )
            for n, b in marks
        )
        caption = say(
            "long_view.caption", lang, name=title, breaks=breaks_text if marks else say("long_view.no_break", lang)
        )
        values = say("list.comma", lang).join(
            say("long_view.alt_value", lang, year=self._year(p.year), amount=self._amount(p)) for p in s.points
        )
        alt = say(
            "long_view.alt",
            lang,
            name=title,
            values=values,
            breaks=breaks_text if marks else say("long_view.no_break", lang),
        )
        rows = pd.DataFrame(
            {
                "unit": [unit] * len(s.points),
                "measure": [self.registry.loc[s.points[-1].indicator, "measure"]] * len(s.points),
            }
        )
        return charts.Chart(figure=fig, alt=alt, caption=caption, rows=rows, kind="series")

    def _unit_label(self, unit: str) -> str:
        return self.ds.units[unit]["en"] if lang_is_english(self.lang) else unit

    def _show(self, chart: charts.Chart) -> None:
        broken = chart_rules.violations(chart)
        if broken:
            plt.close(chart.figure)
            raise ChartRuleBroken(f"chart '{chart.alt[:60]}…' breaks the chart rules: {'; '.join(broken)}")
        charts.show(chart.figure, chart.alt)  # at print resolution, with its alt text
        self._say(f"*{text.escape(chart.caption)}*")

    # --- breaks, older figures, exclusions --------------------------------------------------------
    def breaks_table(self) -> None:
        rows = []
        for s in self.view.series:
            if s.change is not None:
                rows.append(
                    [
                        html_escape(say(f"long_view.kind.{s.change.kind}", self.lang)),
                        html_escape(" → ".join(self._name(i) for i in s.indicators)),
                        html_escape(s.change.note(self.lang)),
                        "",
                    ]
                )
        for b in self.view.breaks:
            applies = (
                text.join([self._name(i) for i in b.indicators], self.lang)
                if b.indicators
                else say("long_view.all_series", self.lang)
            )
            rows.append(
                [
                    html_escape(say(f"long_view.kind.{b.kind}", self.lang)),
                    html_escape(applies),
                    html_escape(b.note(self.lang)),
                    title_link(self.ds, b.source, self.lang) + quote_html(self.ds, b.quote, self.lang, "zh"),
                ]
            )
        headers = ["long_view.col.kind", "long_view.col.applies", "long_view.col.note", "long_view.col.source"]
        display(html_table([say(h, self.lang) for h in headers], rows, "long-view-breaks"))

    def older_figures(self) -> None:
        """Every figure before chapters_from that no series shows: one year each, listed as published."""
        in_series = {i for s in self.view.series for i in s.indicators}
        figures = self.ds.figures
        older = figures[
            (figures["year"] < self.ds.chapters_from)
            & (figures["year"] <= self.year)
            & ~figures["indicator"].isin(in_series)
        ]
        rows = [
            [
                html_escape(self._name(r.indicator)),
                html_escape(self._year(int(r.year))),
                html_escape(self.style.amount(str(r.published_value), str(r.published_unit), self.ds)),
                title_link(self.ds, r.source, self.lang) + quote_html(self.ds, r.quote, self.lang, "zh"),
            ]
            for r in older.itertuples()
        ]
        if not rows:
            self._say(say("long_view.group_empty", self.lang, year=self.year))
            return
        headers = ["col.indicator", "long_view.col.year", "col.value", "long_view.col.source"]
        display(html_table([say(h, self.lang) for h in headers], rows, "long-view-older"))

    def excluded(self) -> None:
        """Sources left out whose figures a reader might look for here (second-hand pages), with the reason."""
        sources = self.ds.sources.set_index("id")
        rows = [
            [title_link(self.ds, sid, self.lang), html_escape(text.field(sources.loc[sid], "note", self.lang))]
            for sid in EXCLUDED_SECOND_HAND
            if sid in sources.index
        ]
        display(
            html_table(
                [say("long_view.col.source", self.lang), say("long_view.col.reason", self.lang)],
                rows,
                "long-view-excluded",
            )
        )


# Second-hand pages that give Guanyun figures a long view would use (2021 GDP and resident population,
# a 2018 population): excluded in data/sources.csv, listed on the page so a reader knows why they are absent.
EXCLUDED_SECOND_HAND = ("zhzhwenwen_2021_gdp", "mgwiki_2018_population")


def _full_stop(note: str, lang: str) -> str:
    """A note as a sentence of its own: ends with the language's full stop."""
    stop = "。" if lang == "zh" else "."
    return note if note.endswith((".", "。")) else note + stop


def _pct(rate: float) -> str:
    """A rate without its sign (the words say the direction): '1.4%'."""
    return numbers.percent_change(rate).lstrip("+−")


def lang_is_english(lang: str) -> bool:
    return text.style(lang).shows_english

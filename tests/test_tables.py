"""tables: implied values marked, every figure linked to its source with its quote, data text escaped."""
from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from countybook import paths
from countybook.data import derive
from countybook.render import tables, text
from countybook.data import load

DATA = paths.ROOT / "data"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


def _body_rows(table_html: str) -> list[str]:
    body = table_html.split("<tbody>", 1)[1]
    return re.findall(r"<tr>(.*?)</tr>", body)


def _edit_csv(path: Path, edit) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        edit(row)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """data/ with markup in a figure quote, a milestone, a project and an indicator name."""
    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA, folder)

    def figure(row):
        if row["indicator"] == "industrial_output_above_scale":
            row["quote"] = SCRIPT + row["quote"]  # still holds "187.5亿元" and "15.5%", so it validates

    def milestone(row):
        if row["id"] == "summer_grain_growth":
            row["text_en"] = SCRIPT + row["text_en"]
            row["text_zh"] = IMG + row["text_zh"]
            row["quote"] = SCRIPT + row["quote"]

    def project(row):
        if row["id"] == "energy_storage_battery":
            row["name_en"] = IMG + row["name_en"]

    _edit_csv(folder / "figures.csv", figure)
    _edit_csv(folder / "milestones.csv", milestone)
    _edit_csv(folder / "projects.csv", project)
    registry = yaml.safe_load((folder / "indicators.yml").read_text(encoding="utf-8"))
    for entry in registry:
        if entry["id"] == "industrial_output_above_scale":
            entry["name_en"] = IMG + entry["name_en"]
    (folder / "indicators.yml").write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")
    return load(folder)


# --- headline ------------------------------------------------------------------------------------

def test_headline_marks_implied_values(ds):
    figures = derive.figures_for(ds, 2024, "industry_investment")
    grown = figures[figures["yoy_pct"].notna()]
    assert not grown.empty
    rows = _body_rows(tables.headline(ds, figures).data)
    assert len(rows) == len(figures)
    for (_, figure), row in zip(figures.iterrows(), rows):
        spans = re.findall(r'<span class="implied">(.*?)</span>', row)
        if pd.notna(figure["yoy_pct"]):
            previous = text.number(figure["value"] / (1 + figure["yoy_pct"] / 100))
            assert spans == [f"{previous} {figure['unit']} ({figure['year'] - 1}, implied)"]
        else:
            assert spans == []
    # Spot check: 187.5 亿元 after +15.5% means 187.5 / 1.155 ≈ 162.3 亿元 in 2023.
    assert '<span class="implied">162.3 亿元 (2023, implied)</span>' in tables.headline(ds, figures).data


@pytest.mark.parametrize("builder", [tables.headline, tables.figures_and_sources])
def test_every_figure_row_links_to_its_source_and_quotes_it(ds, builder):
    figures = derive.figures_for(ds, 2024)
    rows = _body_rows(builder(ds, figures).data)
    assert len(rows) == len(figures)
    for (_, figure), row in zip(figures.iterrows(), rows):
        assert f'href="07_methods.html#source-{figure["source"]}"' in row
        assert f"<q lang=\"zh\">{html.escape(figure['quote'])}</q>" in row
        assert html.escape(text.qualified(figure, ds.qualifiers)) in row


def test_source_anchors_exist_on_the_sources_table(ds):
    listing = tables.sources(ds).data
    for source in set(ds.figures["source"]):
        assert f'id="source-{source}"' in listing


def test_milestone_and_project_rows_link_to_their_source(ds):
    milestones = ds.milestones[ds.milestones["year"] == 2024]
    rows = _body_rows(tables.milestones(ds, milestones).data)
    assert len(rows) == len(milestones)
    for (_, m), row in zip(milestones.iterrows(), rows):
        assert f"#source-{m['source']}" in row and html.escape(m["quote"]) in row
    projects = ds.projects[ds.projects["year"] == 2024]
    rows = _body_rows(tables.projects(ds, projects).data)
    assert len(rows) == len(projects)
    for (_, p), row in zip(projects.iterrows(), rows):
        assert f"#source-{p['source']}" in row and html.escape(p["quote"]) in row


# --- escaping ------------------------------------------------------------------------------------

def _hostile_tables(ds):
    figures = derive.figures_for(ds, 2024)
    return {
        "headline": tables.headline(ds, figures).data,
        "figures_and_sources": tables.figures_and_sources(ds, figures).data,
        "key_figures": tables.key_figures(ds, figures).data,
        "milestones": tables.milestones(ds, ds.milestones[ds.milestones["year"] == 2024]).data,
        "projects": tables.projects(ds, ds.projects[ds.projects["year"] == 2024]).data,
        "dictionary": tables.dictionary(ds).data,
    }


@pytest.mark.parametrize("name", ["headline", "figures_and_sources", "key_figures", "milestones", "projects",
                                  "dictionary"])
def test_markup_in_data_is_escaped(hostile, name):
    page = _hostile_tables(hostile)[name]
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page or "&lt;img" in page, "the hostile text should show, escaped"


def test_hostile_quote_shows_escaped_in_its_row(hostile):
    figures = derive.figures_for(hostile, 2024, "industry_investment")
    page = tables.headline(hostile, figures).data
    assert html.escape(SCRIPT) in page
    assert html.escape(IMG) in page  # the indicator name
    milestones = tables.milestones(hostile, hostile.milestones[hostile.milestones["year"] == 2024]).data
    assert html.escape(SCRIPT) in milestones and html.escape(IMG) in milestones


def test_units_table_lists_every_unit_with_its_reading_and_use(ds):
    listing = tables.units(ds).data
    for unit, spec in ds.units.items():
        assert html.escape(spec["en"]) in listing
    used = ds.indicators["unit"].value_counts()
    assert f"<td>{used['亿元']}</td>" in listing

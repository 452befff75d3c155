"""downloads.write: one CSV per theme plus the whole dataset and derived values, UTF-8 with BOM."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from countybook import paths
from countybook.data import load
from countybook.render import downloads

DATA = paths.ROOT / "data"


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


@pytest.fixture(scope="module")
def edition(ds, tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition")
    return folder, downloads.write(ds, 2024, folder, lang="en")


def test_one_file_per_theme_and_the_whole_dataset_files(edition):
    folder, written = edition
    themes = [t["id"] for t in yaml.safe_load((DATA / "themes.yml").read_text(encoding="utf-8"))]
    expected = {folder / "downloads" / f"{t}.csv" for t in themes}
    expected |= {
        folder / "downloads" / f"{name}.csv"
        for name in ["figures", "derived", "benchmarks", "projects", "milestones", "sources", "indicators", "themes"]
    }
    assert set(written) == expected
    assert len(written) == len(expected), "no file is written twice"
    assert all(path.is_file() for path in expected)


def test_every_file_starts_with_a_byte_order_mark(edition):
    _, written = edition
    for path in written:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


@pytest.mark.parametrize("name", ["projects", "milestones", "sources"])
def test_whole_dataset_files_match_data_as_written(edition, name):
    folder, _ = edition
    data_header, data_rows = _read(DATA / f"{name}.csv")
    header, rows = _read(folder / "downloads" / f"{name}.csv")
    assert header == data_header
    assert rows == data_rows


def test_figures_values_are_written_not_reformatted(edition):
    folder, _ = edition
    _, rows = _read(folder / "downloads" / "figures.csv")
    by_key = {(r["indicator"], r["year"]): r for r in rows}
    assert by_key[("foreign_capital_introduced_bp", "2024")]["value"] == "5000"
    assert by_key[("ecommerce_transaction_volume", "2024")]["yoy_pct"] == "15"
    assert by_key[("industrial_output_above_scale", "2024")]["yoy_pct"] == "15.5"
    assert by_key[("signed_projects_over_100m", "2024")]["yoy_pct"] == ""


def test_figures_file_has_the_chapter_columns_english_unit_and_converted_value(edition):
    folder, _ = edition
    header, rows = _read(folder / "downloads" / "figures.csv")
    _, chapter_rows = _read(folder / "downloads" / "industry_investment.csv")
    assert header == list(downloads.FIGURE_DOWNLOAD_COLUMNS)
    assert {"name_zh", "name_en", "unit_en", "value_converted"} <= set(header)
    output = {(r["indicator"], r["year"]): r for r in rows}[("industrial_output_above_scale", "2024")]
    assert (output["value"], output["unit"], output["value_converted"], output["unit_en"]) == (
        "187.5",
        "亿元",
        "18750000000",
        "yuan",
    )
    _, data_rows = _read(DATA / "figures.csv")
    assert len(rows) == len(data_rows)


def test_theme_files_hold_every_figure_the_chapter_shows(ds, edition):
    from countybook.data import derive

    folder, _ = edition
    for theme in ds.themes["id"]:
        _, rows = _read(folder / "downloads" / f"{theme}.csv")
        shown = derive.chapter_figures(ds, 2024, theme)
        assert [(r["indicator"], r["year"]) for r in rows] == [
            (i, str(y)) for i, y in zip(shown["indicator"], shown["year"])
        ]
    # the business chapter shows tech SMEs for 2023 and 2024: both are in its file
    _, rows = _read(folder / "downloads" / "business_reform_innovation.csv")
    assert {("tech_smes_registered", "2023"), ("tech_smes_registered", "2024")} <= {
        (r["indicator"], r["year"]) for r in rows
    }


def test_derived_file_holds_implied_levels_and_ratios_with_formula_and_type(ds, edition):
    folder, _ = edition
    _, rows = _read(folder / "downloads" / "derived.csv")
    implied = {r["id"]: r for r in rows if r["kind"] == "implied_level"}
    assert implied["industrial_output_above_scale"]["year"] == "2023"
    assert implied["industrial_output_above_scale"]["formula"] == "187.5 ÷ (1 + 15.5/100)"
    ratios = {r["id"]: r for r in rows if r["kind"] == "ratio"}
    assert ratios["services_revenue_to_industrial_output"]["type"] == "equivalent_to"
    assert "÷" in ratios["services_revenue_to_industrial_output"]["formula"]


def test_indicators_file_leaves_out_extractor_aliases(edition):
    folder, _ = edition
    registry = yaml.safe_load((DATA / "indicators.yml").read_text(encoding="utf-8"))
    header, rows = _read(folder / "downloads" / "indicators.csv")
    assert [r["id"] for r in rows] == [e["id"] for e in registry if not e.get("benchmark_only")]
    assert "aliases" not in header and {"measure", "price_basis", "scope"} <= set(header)


def test_sources_file_credits_the_articles_authors(edition):
    folder, _ = edition
    _, rows = _read(folder / "downloads" / "sources.csv")
    article = next(r for r in rows if r["id"] == "xdkb_2025_guanyun_development")
    for name in ["武文劼", "孙航", "侍述清", "王晓宇"]:
        assert name in article["authors"]


def test_write_is_repeatable(ds, edition, tmp_path):
    folder, first = edition
    second = downloads.write(ds, 2024, tmp_path, lang="en")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()


def test_benchmarks_file_holds_every_benchmark_with_values_as_published(edition):
    folder, _ = edition
    data_header, data_rows = _read(DATA / "benchmarks.csv")
    header, rows = _read(folder / "downloads" / "benchmarks.csv")
    assert header == data_header + ["original_source", "quote_en"]
    assert [(r["area"], r["indicator"], r["year"], r["value"], r["quote"]) for r in rows] == [
        (r["area"], r["indicator"], r["year"], r["value"], r["quote"]) for r in data_rows
    ]
    assert [float(r["yoy_pct"]) if r["yoy_pct"] else None for r in rows] == [
        float(r["yoy_pct"]) if r["yoy_pct"] else None for r in data_rows
    ]


def test_zh_derived_rows_name_implied_levels_in_chinese_and_keep_the_values(ds):
    english, chinese = downloads.derived_rows(ds, lang="en"), downloads.derived_rows(ds, lang="zh")
    implied = chinese["kind"] == "implied_level"
    assert (english["type"][implied] == "implied by growth").all()
    assert not chinese["type"][implied].str.contains(r"[A-Za-z]").any()
    assert chinese.drop(columns="type").equals(english.drop(columns="type"))


def test_sources_file_holds_the_chinese_notes(edition):
    folder, _ = edition
    fields, rows = _read(folder / "downloads" / "sources.csv")
    assert "note_zh" in fields and all(r["note_zh"] for r in rows)
    assert "publisher_zh" in fields and all(r["publisher_zh"] for r in rows)


def test_benchmarks_file_names_each_original_and_renders_chinese_quotes(edition):
    folder, _ = edition
    _, rows = _read(folder / "downloads" / "benchmarks.csv")
    _, sources = _read(folder / "downloads" / "sources.csv")
    copy_of = {r["id"]: r["copy_of"] for r in sources}
    for r in rows:
        assert r["original_source"] == (copy_of[r["source"]] or r["source"]) and not copy_of[r["original_source"]]
        assert bool(r["quote_en"]) == bool(re.search(r"[\u4e00-\u9fff]", r["quote"])), r["quote"]
    grain = next(r for r in rows if r["indicator"] == "grain_output" and r["year"] == "2024")
    assert grain["source"] == "peoples_daily_2024_grain_output_2024"
    assert grain["original_source"] == "nbs_2024_grain_output_announcement"


# --- the Chinese edition's downloads: same rows, Chinese headers and codes ---------------------------
ENGLISH_CODE = re.compile(r"[A-Za-z]{2,}")
# Registry codes a Chinese reader must not meet in any cell (ids aside, which join the files).
CODES = [
    "annual_flow",
    "not_stated",
    "not_applicable",
    "more_than",
    "event_count",
    "comparable",
    "implied_level",
    "excluded",
    "newspaper_feature",
    "in_production",
    "year_end_stock",
    "recognition",
    "provincial",
]


@pytest.fixture(scope="module")
def zh_edition(ds, tmp_path_factory):
    folder = tmp_path_factory.mktemp("zh_edition")
    return folder, downloads.write(ds, 2024, folder, lang="zh")


def test_zh_files_start_with_a_byte_order_mark_and_have_the_same_rows(edition, zh_edition):
    english, chinese = edition[1], zh_edition[1]
    assert sorted(p.name for p in english) == sorted(p.name for p in chinese)
    for path in chinese:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
        _, zh_rows = _read(path)
        _, en_rows = _read(edition[0] / "downloads" / path.name)
        assert len(zh_rows) == len(en_rows), path.name


def test_zh_headers_and_codes_are_chinese(ds, zh_edition):
    from countybook.render import download_labels
    from countybook.render.messages import say

    labels = download_labels.code_labels(ds, "zh")
    checked = 0
    for path in zh_edition[1]:
        header, rows = _read(path)
        assert not [h for h in header if ENGLISH_CODE.search(h)], f"{path.name}: {header}"
        cells = {cell for row in rows for cell in row.values()}
        assert not [code for code in CODES if code in cells], path.name
        for column in labels.get(path.stem, labels["figures"]):
            title = say(f"download.col.{column}", "zh")
            if title not in header:
                continue
            for row in rows:
                assert not ENGLISH_CODE.search(row[title]), f"{path.name}, column {title}: {row[title]!r}"
                checked += row[title] != ""
    assert checked > 500  # the codes were there to check


def test_zh_codes_are_the_labels_the_pages_show(ds, zh_edition):
    from countybook.render.messages import say

    _, rows = _read(zh_edition[0] / "downloads" / "figures.csv")
    measure = {r.id: r.measure for r in ds.indicators.itertuples()}
    for row in rows:
        indicator = row[say("download.col.indicator", "zh")]
        assert row[say("download.col.measure", "zh")] == say(f"measure_label.{measure[indicator]}", "zh")


def test_a_code_without_a_label_is_one_clear_line(ds, tmp_path):
    from countybook.errors import DataError
    from countybook.render import download_labels

    broken = ds.milestones.assign(field=["unheard of field"] * len(ds.milestones))
    with pytest.raises(DataError, match=r"downloads/milestones\.csv, row 1, field 'field': code 'unheard of field'"):
        download_labels.localised(broken, "milestones", ds, "zh")


def test_the_english_files_are_data_as_written_whatever_the_labels(ds, edition):
    from countybook.render import download_labels

    assert download_labels.localised(ds.milestones, "milestones", ds, "en") is ds.milestones

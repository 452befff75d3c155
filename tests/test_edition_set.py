"""countybook.run.edition_set: the editions of a book are one year, made from one data, all present."""

from __future__ import annotations

import json
import shutil

from countybook import paths
from countybook.run import cache, edition_set
from countybook.run.plan import run_parameters


def _notebook(folder, name, year, lang):
    folder.mkdir(parents=True, exist_ok=True)
    nb = {"cells": [], "metadata": {"papermill": {"parameters": run_parameters(year, lang)}}}
    (folder / name).write_text(json.dumps(nb), encoding="utf-8")


def _book(tmp_path, years: dict[str, int]):
    book = tmp_path / "book"
    for lang, year in years.items():
        folder = paths.edition_dir(book, lang, "en")
        _notebook(folder / "chapters", "00_overview.ipynb", year, lang)
        if lang != "en":
            (folder / "_config.yml").write_text("title: x\n", encoding="utf-8")
            (folder / "_toc.yml").write_text("root: chapters/index\n", encoding="utf-8")
    return book


def test_the_committed_editions_are_one_set():
    assert edition_set.problem(paths.BOOK_DIR) is None


def test_without_a_manifest_the_year_is_read_from_the_executed_notebooks(tmp_path):
    book = _book(tmp_path, {"en": 2024, "zh": 2024})
    assert edition_set.problem(book, ("en", "zh"), "en") is None
    _notebook(book / "zh" / "chapters", "01_industry.ipynb", 2023, "zh")
    assert "the zh edition mixes years" in edition_set.problem(book, ("en", "zh"), "en")


def test_editions_of_two_years_name_the_run_that_makes_them_one(tmp_path):
    book = _book(tmp_path, {"en": 2024, "zh": 2024})
    _notebook(book / "chapters", "00_overview.ipynb", 2023, "en")  # the newest: the year meant
    line = edition_set.problem(book, ("en", "zh"), "en")
    assert line == (
        "the editions disagree: en is 2023, zh is 2024; run `python -m countybook run --year 2023 "
        "--lang zh` (or `python -m countybook run --year 2024` for both)"
    )


def test_a_manifest_says_year_and_data(tmp_path):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    inputs = {"parameters": cache.parameters_key(run_parameters(2023, "zh")), "data": "abc"}
    (chapters / cache.MANIFEST_NAME).write_text(
        cache.manifest_text({}, {"inputs": inputs, "files": {}}), encoding="utf-8"
    )
    edition = edition_set.read_edition(chapters, "zh")
    assert (edition.year, edition.data) == (2023, "abc")


def test_a_language_whose_folder_is_gone_is_not_part_of_the_book_but_a_broken_one_is(tmp_path):
    book = _book(tmp_path, {"en": 2024, "zh": 2024})
    (book / "zh" / "_config.yml").unlink()
    assert "_config.yml is missing" in edition_set.problem(book, ("en", "zh"), "en")
    shutil.rmtree(book / "zh")
    assert edition_set.problem(book, ("en", "zh"), "en") is None

"""countybook.run.plan: one run's choices in one object, folders from countybook.paths by default."""

from __future__ import annotations

import dataclasses

import pytest

from countybook import paths
from countybook.run.plan import EXTRA_NOTEBOOKS, RunError, RunPlan


def test_defaults_are_the_repositorys_folders_for_each_language():
    plan = RunPlan.create(2024, lang="en")
    assert (plan.lang, plan.chapters_dir, plan.notebooks_dir) == ("en", paths.CHAPTERS_DIR, paths.NOTEBOOKS_DIR)
    assert plan.parameters == {"year": 2024, "lang": "en"} and plan.book_dir == paths.BOOK_DIR
    zh = RunPlan.create(2024, lang="zh")
    assert zh.chapters_dir == paths.BOOK_DIR / "zh" / "chapters" and zh.book_dir == paths.BOOK_DIR / "zh"


def test_a_plan_cannot_change_under_a_running_edition():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RunPlan.create(2024, lang="en").year = 2023


def test_an_unknown_language_is_refused_naming_the_languages():
    with pytest.raises(RunError, match="unknown language 'xx'; the languages are en, zh"):
        RunPlan.create(2024, lang="xx")


def test_templates_are_the_chapters_in_order_then_the_root_page(tmp_path):
    for name in ("10_long.ipynb", "05b_urban.ipynb", "05_rural.ipynb", "scratch.ipynb", *EXTRA_NOTEBOOKS):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    plan = RunPlan.create(2024, lang="en", notebooks_dir=tmp_path)
    assert [p.name for p in plan.templates()] == ["05_rural.ipynb", "05b_urban.ipynb", "10_long.ipynb", "index.ipynb"]
    for path in tmp_path.glob("[0-9]*"):
        path.unlink()
    assert plan.templates() == []  # a root page alone is no book

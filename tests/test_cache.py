"""countybook.run.cache: the cache key is made of contents only — not of where the repository or
the interpreter lives, and not of files in data/ that nothing reads."""

from __future__ import annotations

import shutil
import sys

from runner_fixtures import run, tree_digest

from countybook import paths
from countybook.run import cache, runner


def test_the_environment_hash_does_not_name_the_interpreters_path(monkeypatch):
    before = cache.environment_hash("python3")
    monkeypatch.setattr(sys, "executable", "/elsewhere/venv/bin/python")
    assert cache.environment_hash("python3") == before
    assert cache.environment_hash("another-kernel") != before


def test_the_environment_hash_counts_the_pinned_distributions_only(tmp_path, monkeypatch):
    """A fresh virtual environment holds exactly the lock; a developer's machine holds more."""
    lock = tmp_path / "requirements.txt"
    lock.write_text("# exact versions\npandas==2.0.0\nSeaborn_Extra==1.0\n-e .\n", encoding="utf-8")

    def hash_with(installed: dict[str, str]) -> str:
        monkeypatch.setattr(cache, "installed_versions", lambda: installed)
        return cache.environment_hash("python3", lock)

    before = hash_with({"pandas": "2.0.0", "seaborn-extra": "1.0", "awscli": "1.0"})
    assert hash_with({"pandas": "2.0.0", "seaborn-extra": "1.0"}) == before  # an unpinned one gone
    assert hash_with({"pandas": "2.1.0", "seaborn-extra": "1.0"}) != before  # a pinned one moved
    assert hash_with({"pandas": "2.0.0"}) != before  # a pinned one missing


def test_installed_versions_read_the_names_of_the_metadata_folders():
    import pytest as installed_here

    assert cache.installed_versions()["pytest"] == installed_here.__version__


def test_a_copy_of_the_repository_elsewhere_has_the_same_cache_key(tmp_path):
    """What a fresh clone computes, without running anything: the shared inputs of the real
    repository and of a copy in another folder are the same."""
    copy = tmp_path / "clone"
    for name in ("data", "countybook"):
        shutil.copytree(paths.ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for lang in ("en", "zh"):
        here = runner.RunPlan.create(2024, lang=lang)
        there = runner.RunPlan.create(
            2024,
            lang=lang,
            data_dir=copy / "data",
            library_dir=copy / "countybook",
            chapters_dir=copy / "book" / "chapters",
        )
        assert runner.shared_inputs(here) == runner.shared_inputs(there)


def test_a_fresh_copy_first_run_executes_nothing_and_changes_nothing(repo, executions, tmp_path, monkeypatch):
    """A clone in another folder, with its own virtual environment there: the committed edition is
    reused as it is."""
    run(repo)
    assert executions
    copy = tmp_path / "elsewhere" / "clone"
    shutil.copytree(repo, copy, symlinks=True)
    monkeypatch.setattr(sys, "executable", str(copy / ".venv" / "bin" / "python"))
    before = tree_digest(copy / "book" / "chapters")
    executions.clear()
    result = run(copy)
    assert executions == [] and result.executed == [] and not result.changed
    assert tree_digest(copy / "book" / "chapters") == before  # the committed manifest stays clean


def test_a_stray_file_in_data_does_not_invalidate_the_cache(repo, executions):
    run(repo)
    executions.clear()
    (repo / "data" / ".figures.csv.new").write_text("an add in progress", encoding="utf-8")
    (repo / "data" / "tmpq1w2e3").write_text("scratch", encoding="utf-8")
    result = run(repo)
    assert executions == [] and not result.changed

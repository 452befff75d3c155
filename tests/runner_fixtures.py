"""Shared by the tests of countybook.run: a small repository of fixture notebooks and helpers to run it.

Imported by test_runner, test_command, test_swap, test_cache and test_build (fixtures are imported by name).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import threading
from pathlib import Path

import pytest

from countybook import paths
from countybook.run import cache, command, execute, runner

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
# The edition: executed notebooks, the cache manifest and, once the library offers them, downloads/.
EDITION = sorted([cache.MANIFEST_NAME, "00_alpha.ipynb", "01_beta.ipynb", "downloads", "search-words.txt"])
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _copy_data(target: Path) -> None:
    shutil.copytree(paths.ROOT / "data", target)


@pytest.fixture
def repo(tmp_path):
    """A small repository: fixture notebooks, a copy of data/ and of the library, an empty book/."""
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    for name in ("00_alpha.ipynb", "01_beta.ipynb"):
        shutil.copy(FIXTURES / name, root / "notebooks" / name)
    _copy_data(root / "data")
    # A frozen copy of the library, so edits made meanwhile in the working tree don't bust the cache.
    shutil.copytree(paths.ROOT / "countybook", root / "countybook", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "book").mkdir()
    return root


@pytest.fixture
def executions(monkeypatch):
    """Names of the notebooks the runner executes (its workers are threads of this process)."""
    names: list[str] = []
    lock = threading.Lock()
    original = execute.execute_one

    def counting(template, *args, **kwargs):
        with lock:
            names.append(Path(template).name)
        return original(template, *args, **kwargs)

    monkeypatch.setattr(execute, "execute_one", counting)
    return names


def run(repo: Path, year: int = 2024, **kwargs) -> runner.RunResult:
    kwargs.setdefault("chapters_dir", repo / "book" / "chapters")
    kwargs.setdefault("lang", "en")
    # One kernel: the other xdist worker has the other core (test_kernels runs two on purpose).
    kwargs.setdefault("jobs", 1)
    kwargs.setdefault("data_dir", repo / "data")
    return runner.run(year, notebooks_dir=repo / "notebooks", library_dir=repo / "countybook", progress=False, **kwargs)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def plain(output: dict) -> str:
    return "".join(output.get("data", {}).get("text/plain", ""))


def cli_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_run_arguments(parser)
    return parser.parse_args(list(argv))


def use_repo_paths(monkeypatch, repo: Path) -> None:
    """Point the runner's default paths (what run_main uses) at the temporary repository."""
    monkeypatch.setattr(paths, "ROOT", repo)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", repo / "notebooks")
    monkeypatch.setattr(paths, "BOOK_DIR", repo / "book")
    monkeypatch.setattr(paths, "CHAPTERS_DIR", repo / "book" / "chapters")
    monkeypatch.setenv("COUNTYBOOK_DATA", str(repo / "data"))


def edit_one_figure(data_dir: Path) -> None:
    """A real, valid edit: reword the quote of the first figure (it still holds value and unit)."""
    figures = data_dir / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert ",新签约亿元以上项目117个" in text
    figures.write_text(text.replace(",新签约亿元以上项目117个", ",全年新签约亿元以上项目117个", 1), encoding="utf-8")

"""countybook.run.build: the book build behind `run --build` — skipped when nothing changed; refused,
or failed, in one line naming the cause (fault injection: no real full disk is needed)."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest

from countybook.render import messages
from countybook.run import build, cache
from countybook.run.plan import run_parameters


def fake_edition(chapters: Path, year: int, lang: str, data: str = "data-hash") -> None:
    """What a run leaves in a chapters folder, as far as the build's checks read it."""
    chapters.mkdir(parents=True, exist_ok=True)
    (chapters / "index.ipynb").write_text("{}", encoding="utf-8")
    inputs = {"parameters": cache.parameters_key(run_parameters(year, lang)), "data": data}
    (chapters / cache.MANIFEST_NAME).write_text(
        cache.manifest_text({}, {"inputs": inputs, "files": {}}), encoding="utf-8"
    )


@pytest.fixture
def root(tmp_path) -> Path:
    """A repository whose editions are one set (2024, same data) and whose configs are in place."""
    root = tmp_path / "repo"
    for lang in messages.languages():
        book = root / "book" if lang == messages.DEFAULT_LANGUAGE else root / "book" / lang
        fake_edition(book / "chapters", 2024, lang)
        if lang != messages.DEFAULT_LANGUAGE:
            (book / "_config.yml").write_text("title: x\n", encoding="utf-8")
            (book / "_toc.yml").write_text("root: chapters/index\n", encoding="utf-8")
    return root


@pytest.fixture
def builds(monkeypatch) -> list:
    """The jupyter-book commands started (none really); each succeeds and writes a page."""
    started = []

    def fake_run(command, cwd, **kwargs):
        started.append(command)
        page = Path(cwd) / build.BUILD_DIR / "html" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("page", encoding="utf-8")
        return subprocess.CompletedProcess(command, 0, stdout="build succeeded\n")

    monkeypatch.setattr(build.subprocess, "run", fake_run)
    monkeypatch.setattr(build, "jupyter_book", lambda: "jupyter-book")
    return started


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert "Traceback" not in err and len(lines) == 1, err
    return lines[0]


def test_the_print_edition_in_the_site_does_not_make_the_build_stale(root, builds):
    from countybook.run import pdf

    assert build.build(root / "book", root) == 0 and len(builds) == 1
    for site in (root / "_build" / "html", root / "_build" / "html" / "zh"):
        (site / pdf.PDF_DIR).mkdir(parents=True)
        (site / pdf.PDF_DIR / "guanyun-2024-en.pdf").write_bytes(b"%PDF")
    assert build.build(root / "book", root) == 0 and len(builds) == 1  # still up to date
    (root / "_build" / "html" / "index.html").write_text("changed", encoding="utf-8")
    assert build.build(root / "book", root) == 0 and len(builds) == 2  # a real change still counts
    assert (root / "_build" / build.BUILD_LOG).read_text(encoding="utf-8") == "build succeeded\n"


def test_editions_of_different_years_are_never_built_together(root, builds, capsys):
    """`run --year 2023 --lang en` alone: the build refuses, naming the run that makes one set."""
    fake_edition(root / "book" / "chapters", 2023, "en")
    assert build.build(root / "book", root) == 1
    line = one_line(capsys.readouterr().err)
    assert "en is 2023, zh is 2024" in line and "run --year 2023 --lang zh" in line
    assert builds == []


def test_editions_made_from_different_data_are_never_built_together(root, builds, capsys):
    fake_edition(root / "book" / "zh" / "chapters", 2024, "zh", data="other-data")
    assert build.build(root / "book", root) == 1
    assert "different data" in one_line(capsys.readouterr().err) and builds == []


@pytest.mark.parametrize("missing", ["zh/_config.yml", "zh/_toc.yml", "zh/chapters"])
def test_a_missing_edition_or_edition_config_fails_the_build(root, builds, capsys, missing):
    import shutil

    target = root / "book" / missing
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    assert build.build(root / "book", root) == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith("build refused: ") and ("zh" in line) and builds == []


def test_a_catalogue_that_does_not_parse_is_one_line_before_the_build(root, builds, capsys, monkeypatch, tmp_path):
    broken = tmp_path / "zh.yml"
    broken.write_text("language:\n  name: 中文\n  switch: [unclosed\n", encoding="utf-8")
    real = messages.catalogue_path
    monkeypatch.setattr(messages, "catalogue_path", lambda lang: broken if lang == "zh" else real(lang))
    assert build.build(root / "book", root) == 1
    line = one_line(capsys.readouterr().err)
    assert "zh.yml line" in line and "fix the catalogue" in line and builds == []


@pytest.mark.parametrize(
    "code, advice", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the file system is read-only")]
)
def test_a_full_disk_or_read_only_build_folder_is_one_line_before_the_build(
    root, builds, capsys, monkeypatch, code, advice
):
    def failing(*args, **kwargs):
        raise OSError(code, "injected", str(root / "_build" / ".countybook-write-check-x"))

    monkeypatch.setattr(build.os, "fsync", failing)
    assert build.build(root / "book", root) == 1
    line = one_line(capsys.readouterr().err)
    assert line == f"build failed: cannot write or read _build: {advice}" + line.split(advice, 1)[1]
    assert builds == []


@pytest.mark.parametrize(
    "code, advice", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the file system is read-only")]
)
def test_a_disk_filling_up_during_the_build_is_one_line_not_a_traceback(root, capsys, monkeypatch, code, advice):
    """jupyter-book's traceback goes to the log; the user reads the cause."""
    import os

    traceback = (
        'Running Sphinx v7.4.7\nTraceback (most recent call last):\n  File "sphinx/util.py", line 1\n'
        f"OSError: [Errno {code}] {os.strerror(code)}: '{root}/_build/html/chapters/00_overview.html'\n"
    )
    monkeypatch.setattr(build, "jupyter_book", lambda: "jupyter-book")
    monkeypatch.setattr(
        build.subprocess, "run", lambda command, cwd, **kw: subprocess.CompletedProcess(command, 1, stdout=traceback)
    )
    assert build.build(root / "book", root) == 1
    line = one_line(capsys.readouterr().err.split("\n", 1)[1])  # after the "building the book" line
    assert advice in line and "00_overview.html" in line and build.BUILD_LOG in line
    assert (root / "_build" / build.BUILD_LOG).read_text(encoding="utf-8") == traceback
    assert not (root / "_build" / build.BUILD_STAMP).exists()


def test_any_other_failed_build_names_its_first_error_line(root, capsys):
    output = "Running Sphinx\nWARNING: something\nsphinx.errors.ExtensionError: the zh edition failed\nmore\n"
    assert build.failure_line(output, root) == "sphinx.errors.ExtensionError: the zh edition failed"


def test_pages_of_older_layouts_are_removed_from_the_site(tmp_path):
    build_dir = tmp_path / "_build"
    other_editions_notebooks = build_dir / "html" / "jupyter_execute" / "chapters" / "00_overview.ipynb"
    other_editions_notebooks.parent.mkdir(parents=True)
    other_editions_notebooks.write_text("{}", encoding="utf-8")
    removed = build.remove_stale_build_pages(build_dir)
    assert removed == [build_dir / "html" / "jupyter_execute"] and not other_editions_notebooks.exists()

"""The notebook runner: year check, rejection, reproducible output, cache, atomic edition swap.

Most tests run tiny fixture notebooks (tests/fixtures/notebooks/) on a temporary copy of the
repository; the last one runs the real notebooks and is skipped until notebooks/ holds some.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from countybook import paths
from countybook.render import search_words
from countybook.render.messages import languages, say
from countybook.run import cache, runner

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
REAL_NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob(runner.NOTEBOOK_GLOB))
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
    original = runner._execute_one

    def counting(template, *args, **kwargs):
        with lock:
            names.append(Path(template).name)
        return original(template, *args, **kwargs)

    monkeypatch.setattr(runner, "_execute_one", counting)
    return names


def run(repo: Path, year: int = 2024, **kwargs) -> runner.RunResult:
    kwargs.setdefault("chapters_dir", repo / "book" / "chapters")
    return runner.run(
        year,
        notebooks_dir=repo / "notebooks",
        data_dir=repo / "data",
        library_dir=repo / "countybook",
        progress=False,
        **kwargs,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def plain(output: dict) -> str:
    return "".join(output.get("data", {}).get("text/plain", ""))


def cli_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    runner.add_run_arguments(parser)
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


# --------------------------------------------------------------------------- year and data checks


def test_unknown_year_exits_2_with_one_line_and_starts_no_kernel(repo, monkeypatch, capsys):
    import papermill

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for an unknown year")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    use_repo_paths(monkeypatch, repo)
    from countybook.data import load

    years = load(repo / "data").years()
    assert 1999 not in years

    code = runner.run_main(cli_args("--year", "1999"))

    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "no figures for 1999; years with figures: " + ", ".join(str(y) for y in years)
    ]
    assert not (repo / "book" / "chapters").exists()
    assert list((repo / "book").iterdir()) == []


def test_bad_data_prints_the_data_error_and_exits_1(repo, monkeypatch, capsys):
    figures = repo / "data" / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[1] = "twenty"  # the year column
    lines[1] = ",".join(fields)
    figures.write_text("".join(lines), encoding="utf-8")
    use_repo_paths(monkeypatch, repo)

    code = runner.run_main(cli_args("--year", "2024"))

    assert code == 1
    err = capsys.readouterr().err
    assert "figures.csv" in err and "Traceback" not in err
    assert not (repo / "book" / "chapters").exists()


def _cli_importable() -> bool:
    try:
        for module_name, _ in importlib.import_module("countybook.__main__").COMMANDS.values():
            importlib.import_module(module_name)
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _cli_importable(), reason="not every command module of the CLI exists yet")
def test_cli_unknown_year_in_a_real_process(repo):
    env = {**os.environ, "COUNTYBOOK_DATA": str(repo / "data")}
    done = subprocess.run([sys.executable, "-m", "countybook", "run", "--year", "1999"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("no figures for 1999; years with figures: ")


# --------------------------------------------------------------------------- rejection


def test_a_raising_notebook_rejects_the_run_and_leaves_chapters_untouched(repo, monkeypatch, capsys):
    run(repo)
    chapters = repo / "book" / "chapters"
    before = tree_digest(chapters)
    shutil.copy(FIXTURES / "broken.ipynb", repo / "notebooks" / "02_broken.ipynb")

    with pytest.raises(runner.RunRejected) as rejected:
        run(repo, force=True)

    [failure] = rejected.value.failures
    assert failure.notebook == "02_broken.ipynb"
    assert failure.cell == 3  # index in the template file, the injected cell not counted
    assert failure.error == "ValueError: no figures for theme 'energy' in 2024"
    message = str(rejected.value)
    assert "02_broken.ipynb, cell 3: ValueError: no figures for theme 'energy' in 2024" in message
    assert "second line" not in message
    assert tree_digest(chapters) == before
    assert sorted(p.name for p in (repo / "book").iterdir()) == ["chapters"]

    # The same through the command line: exit 1, the message on stderr, no traceback.
    use_repo_paths(monkeypatch, repo)
    capsys.readouterr()
    assert runner.run_main(cli_args("--year", "2024", "--force")) == 1
    err = capsys.readouterr().err
    assert "02_broken.ipynb, cell 3: ValueError" in err and "Traceback" not in err
    assert tree_digest(chapters) == before


def test_first_run_failing_leaves_no_chapters_folder(repo):
    shutil.copy(FIXTURES / "broken.ipynb", repo / "notebooks" / "02_broken.ipynb")
    with pytest.raises(runner.RunRejected):
        run(repo)
    assert list((repo / "book").iterdir()) == []


# --------------------------------------------------------------------------- reproducible output


def test_rerun_writes_byte_identical_notebooks_without_volatile_metadata(repo):
    chapters = repo / "book" / "chapters"
    run(repo, force=True)
    first = {name: (chapters / name).read_bytes() for name in ("00_alpha.ipynb", "01_beta.ipynb")}
    run(repo, force=True)
    second = {name: (chapters / name).read_bytes() for name in first}
    assert first == second

    assert sorted(p.name for p in chapters.iterdir()) == EDITION
    assert stat.S_IMODE(chapters.stat().st_mode) == 0o755
    for path in chapters.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path.name

    for name, raw in second.items():
        text = raw.decode("utf-8")
        assert not TIMESTAMP.search(text), name
        nb = json.loads(text)
        assert set(nb["metadata"]["papermill"]).isdisjoint(runner.VOLATILE_PAPERMILL_NOTEBOOK)
        assert nb["metadata"]["papermill"]["parameters"] == {"year": 2024, "lang": "en"}
        injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        assert len(injected) == 1
        assert "remove-cell" in injected[0]["metadata"]["tags"]
        assert injected[0]["id"] == "injected-parameters"
        for cell in nb["cells"]:
            assert "execution" not in cell["metadata"] and "ExecuteTime" not in cell["metadata"]
            assert set(cell["metadata"].get("papermill", {})).isdisjoint(runner.VOLATILE_PAPERMILL_CELL)

    alpha = json.loads(second["00_alpha.ipynb"])
    outputs = [o for cell in alpha["cells"] for o in cell.get("outputs", [])]
    assert any("figures for 2024" in "".join(o.get("text", [])) for o in outputs)  # read COUNTYBOOK_DATA
    assert any(plain(o) == "'notebooks'" for o in outputs)  # cwd = notebooks/


def test_parameters_reach_the_notebook_and_index_is_part_of_the_edition(repo):
    shutil.copy(FIXTURES / "01_beta.ipynb", repo / "notebooks" / "index.ipynb")  # the book's root page
    shutil.copy(FIXTURES / "01_beta.ipynb", repo / "notebooks" / "scratch.ipynb")  # not a chapter
    result = run(repo, year=2023)
    assert result.executed == ["00_alpha.ipynb", "01_beta.ipynb", "index.ipynb"]
    for name in ("01_beta.ipynb", "index.ipynb"):
        nb = json.loads((repo / "book" / "chapters" / name).read_text(encoding="utf-8"))
        assert "'year': 2023" in plain(nb["cells"][-1]["outputs"][0])
    assert not (repo / "book" / "chapters" / "scratch.ipynb").exists()


# --------------------------------------------------------------------------- cache


def test_cache_skips_unchanged_and_reexecutes_on_data_change_and_force(repo, executions):
    chapters = repo / "book" / "chapters"
    first = run(repo)
    assert sorted(executions) == ["00_alpha.ipynb", "01_beta.ipynb"]
    assert first.executed == ["00_alpha.ipynb", "01_beta.ipynb"]
    digest = tree_digest(chapters)

    executions.clear()
    second = run(repo)
    assert executions == []
    assert second.reused == ["00_alpha.ipynb", "01_beta.ipynb"] and not second.changed
    assert tree_digest(chapters) == digest

    edit_one_figure(repo / "data")
    run(repo)
    assert sorted(executions) == ["00_alpha.ipynb", "01_beta.ipynb"]  # data is tracked as a whole

    executions.clear()
    run(repo)
    assert executions == []

    run(repo, force=True)
    assert sorted(executions) == ["00_alpha.ipynb", "01_beta.ipynb"]


def test_cache_tracks_template_year_library_and_the_edition_itself(repo, executions):
    chapters = repo / "book" / "chapters"
    run(repo)

    executions.clear()
    template = repo / "notebooks" / "01_beta.ipynb"
    template.write_text(template.read_text(encoding="utf-8").replace("year * 2", "year * 3"), encoding="utf-8")
    run(repo)
    assert executions == ["01_beta.ipynb"]
    beta = json.loads((chapters / "01_beta.ipynb").read_text(encoding="utf-8"))
    assert "'double': 6072" in plain(beta["cells"][-1]["outputs"][0])

    executions.clear()
    run(repo, year=2023)
    assert sorted(executions) == ["00_alpha.ipynb", "01_beta.ipynb"]

    executions.clear()
    with open(repo / "countybook" / "render" / "text.py", "a", encoding="utf-8") as f:
        f.write("\n# touched\n")
    run(repo, year=2023)
    assert sorted(executions) == ["00_alpha.ipynb", "01_beta.ipynb"]

    executions.clear()
    (chapters / "00_alpha.ipynb").write_text("{}", encoding="utf-8")  # a damaged chapter is not trusted
    run(repo, year=2023)
    assert executions == ["00_alpha.ipynb"]

    executions.clear()
    (repo / "notebooks" / "01_beta.ipynb").unlink()
    result = run(repo, year=2023)
    assert executions == [] and result.changed
    assert sorted(p.name for p in chapters.iterdir()) == [n for n in EDITION if n != "01_beta.ipynb"]


def test_a_catalogue_change_reexecutes_only_that_language(repo, executions):
    """Each edition has its own manifest and tracks its own catalogue, not the other's."""
    zh_chapters = repo / "book" / "zh" / "chapters"
    run(repo, lang="en")
    run(repo, lang="zh", chapters_dir=zh_chapters)
    assert sorted(executions) == sorted(["00_alpha.ipynb", "01_beta.ipynb"] * 2)
    alpha = json.loads((zh_chapters / "00_alpha.ipynb").read_text(encoding="utf-8"))
    assert alpha["metadata"]["papermill"]["parameters"] == {"year": 2024, "lang": "zh"}

    executions.clear()
    with open(repo / "countybook" / "render" / "catalogues" / "zh.yml", "a", encoding="utf-8") as f:
        f.write("\n# a translator's edit\n")
    english = run(repo, lang="en")
    assert executions == [] and not english.changed
    chinese = run(repo, lang="zh", chapters_dir=zh_chapters)
    assert sorted(executions) == ["00_alpha.ipynb", "01_beta.ipynb"]
    assert chinese.executed == ["00_alpha.ipynb", "01_beta.ipynb"]


def test_an_unknown_language_exits_2_naming_the_languages(repo, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli_args("--year", "2024", "--lang", "xx")
    assert exit_.value.code == 2
    message = capsys.readouterr().err.strip().splitlines()[-1]
    assert "'xx'" in message and "en, zh" in message
    with pytest.raises(runner.RunError, match="the languages are en, zh"):
        run(repo, lang="xx")


def test_the_command_runs_every_language_by_default(repo, monkeypatch, capsys):
    use_repo_paths(monkeypatch, repo)
    shutil.copy(FIXTURES / "01_beta.ipynb", repo / "notebooks" / "01_beta.ipynb")
    monkeypatch.setattr(paths, "chapters_dir", lambda lang, book_dir=None: paths.edition_dir(repo / "book", lang) / "chapters")
    ran = []
    original = runner.run
    monkeypatch.setattr(runner, "run", lambda year, lang=None, **kw: ran.append(lang) or original(
        year, lang=lang, library_dir=repo / "countybook", progress=False, **kw))
    assert runner.run_main(cli_args("--year", "2024", "--jobs", "1")) == 0
    assert ran == ["en", "zh"]
    assert (repo / "book" / "chapters" / "01_beta.ipynb").is_file()
    assert (repo / "book" / "zh" / "chapters" / "01_beta.ipynb").is_file()
    err = capsys.readouterr().err
    assert "en: 2 executed" in err and "zh: 2 executed" in err
    ran.clear()
    assert runner.run_main(cli_args("--year", "2024", "--lang", "zh", "--jobs", "1")) == 0
    assert ran == ["zh"]


def test_unchanged_output_keeps_the_previous_file(repo):
    """--force with identical results keeps files (and mtimes), so jupyter-book rereads nothing."""
    chapters = repo / "book" / "chapters"
    run(repo)
    inode = (chapters / "00_alpha.ipynb").stat().st_ino
    run(repo, force=True)
    assert (chapters / "00_alpha.ipynb").stat().st_ino == inode


# --------------------------------------------------------------------------- edition swap


def test_swap_without_renameat2_and_recovery_after_interruption(repo, monkeypatch, executions):
    chapters = repo / "book" / "chapters"
    monkeypatch.setattr(runner, "_exchange", lambda a, b: False)
    run(repo)
    run(repo, force=True)
    digest = tree_digest(chapters)
    assert sorted(p.name for p in (repo / "book").iterdir()) == ["chapters"]

    # Interrupted between "rename old aside" and "rename new into place", plus a half-built folder.
    os.rename(chapters, repo / "book" / f"{runner.TMP_PREFIX}-old-x")
    (repo / "book" / f"{runner.TMP_PREFIX}-new-y").mkdir()
    executions.clear()
    result = run(repo)
    assert executions == [] and not result.changed
    assert tree_digest(chapters) == digest
    assert sorted(p.name for p in (repo / "book").iterdir()) == ["chapters"]


def test_a_second_concurrent_run_is_refused(repo):
    import fcntl

    fd = os.open(repo / "book", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(runner.RunError, match="another run"):
            run(repo)
    finally:
        os.close(fd)


def test_no_notebooks_is_an_error(repo):
    for path in (repo / "notebooks").iterdir():
        path.unlink()
    with pytest.raises(runner.RunError, match="no notebooks"):
        run(repo)


# --------------------------------------------------------------------------- the real notebooks


@pytest.mark.skipif(not REAL_NOTEBOOKS, reason="notebooks/ holds no NN_*.ipynb yet")
def test_real_notebooks_rerun_byte_identical(tmp_path):
    """Two real chapters (the overview and the first theme, both with charts), executed twice.

    Only two, to keep the suite fast: the strict nbval test executes the whole edition anyway.
    """
    root = tmp_path / "repo"
    ignore = shutil.ignore_patterns("_build", ".git", "__pycache__", ".ipynb_checkpoints")
    # Copies of data/ and countybook/ taken now: the working tree may change while this runs.
    for name in ("data", "countybook"):
        shutil.copytree(paths.ROOT / name, root / name, ignore=ignore)
    chosen = REAL_NOTEBOOKS[:2]
    (root / "notebooks").mkdir()
    for path in chosen:
        shutil.copy(path, root / "notebooks" / path.name)
    (root / "book").mkdir()
    chapters = root / "book" / "chapters"

    run(root, force=True)
    first = tree_digest(chapters)
    run(root, force=True)
    assert tree_digest(chapters) == first
    assert {name for name in first if "/" not in name} == {p.name for p in chosen} | {cache.MANIFEST_NAME,
                                                                                     search_words.FILE_NAME}
    for path in chosen:
        text = (chapters / path.name).read_text(encoding="utf-8")
        assert not TIMESTAMP.search(text), path.name
        assert '"remove-cell"' in text
        nb = json.loads(text)
        assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]


@pytest.mark.skipif(not REAL_NOTEBOOKS, reason="notebooks/ holds no NN_*.ipynb yet")
def test_every_year_end_to_end(tmp_path):
    """Issue acceptance: every year that holds figures runs through the real notebooks.

    One copy of the repository, one run per year and language (--jobs 2, warm kernels): each run succeeds,
    no output of any notebook is an error or a stderr stream, and a theme without figures in a
    year says so (2023 has no agriculture figures).
    """
    from countybook.data import load

    root = tmp_path / "repo"
    ignore = shutil.ignore_patterns("_build", ".git", "__pycache__", ".ipynb_checkpoints", ".countybook-tmp*")
    for name in ("data", "countybook", "notebooks"):
        shutil.copytree(paths.ROOT / name, root / name, ignore=ignore)
    (root / "book").mkdir()
    years = load(root / "data").years()
    assert years
    for year in years:
        for lang in languages():
            chapters = paths.edition_dir(root / "book", lang) / "chapters"
            result = run(root, year=year, jobs=2, lang=lang, chapters_dir=chapters)
            names = sorted(p.name for p in chapters.glob("*.ipynb"))
            assert result.executed == names and len(names) == len(REAL_NOTEBOOKS) + 1, (year, lang)
            for name in names:
                nb = json.loads((chapters / name).read_text(encoding="utf-8"))
                assert nb["metadata"]["papermill"]["parameters"] == {"year": year, "lang": lang}
                bad = [o for c in nb["cells"] for o in c.get("outputs", [])
                       if o["output_type"] == "error" or (o["output_type"] == "stream" and o["name"] == "stderr")]
                assert bad == [], f"{year} {lang} {name}: {bad[:1]}"
            if year == 2023:
                agriculture = (chapters / "02_agriculture.ipynb").read_text(encoding="utf-8")
                assert say("finding.none", lang, year=year) in agriculture


# --------------------------------------------------------------------------- --pdf


@pytest.mark.parametrize("build_code, printed", [(0, True), (1, False)])
def test_pdf_builds_then_prints_in_a_fresh_process_only_after_a_good_build(monkeypatch, build_code, printed):
    calls = []
    monkeypatch.setattr(runner, "run", lambda year, lang, jobs, force: runner.RunResult(changed=False))
    monkeypatch.setattr(runner, "build", lambda: calls.append("build") or build_code)
    monkeypatch.setattr(runner.subprocess, "call", lambda command, cwd: calls.append(command[1:]) or 7)

    code = runner.run_main(cli_args("--year", "2024", "--pdf"))  # no --build: --pdf implies it

    assert calls[0] == "build"
    if printed:
        assert calls[1] == ["-m", "countybook", "pdf"] and code == 7  # the print's own exit code
    else:
        assert len(calls) == 1 and code == 1


def test_the_print_edition_in_the_site_does_not_make_the_build_stale(tmp_path, monkeypatch):
    from countybook.run import pdf

    root = tmp_path / "repo"
    (root / "book" / "chapters").mkdir(parents=True)
    page = root / "_build" / "html" / "chapters" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("page", encoding="utf-8")
    builds = []
    monkeypatch.setattr(runner.subprocess, "call", lambda *args, **kwargs: builds.append(args) or 0)
    assert runner.build(root / "book", root) == 0 and len(builds) == 1
    for site in (root / "_build" / "html", root / "_build" / "html" / "zh"):
        (site / pdf.PDF_DIR).mkdir(parents=True)
        (site / pdf.PDF_DIR / "guanyun-2024-en.pdf").write_bytes(b"%PDF")
    assert runner.build(root / "book", root) == 0 and len(builds) == 1  # still up to date
    page.write_text("changed", encoding="utf-8")
    assert runner.build(root / "book", root) == 0 and len(builds) == 2  # a real change still counts


def test_a_collapsed_cell_that_showed_nothing_is_removed_from_the_page(tmp_path):
    """A hide-input cell whose section is empty this year would leave a bare "show code" toggle."""
    import nbformat

    from countybook.run.runner import postprocess

    nb = nbformat.v4.new_notebook()
    empty = nbformat.v4.new_code_cell("page.comparison_chart(2)", metadata={"tags": ["hide-input"]})
    shown = nbformat.v4.new_code_cell("page.ratios()", metadata={"tags": ["hide-input"]})
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "## Derived ratios"})]
    removed_input = nbformat.v4.new_code_cell("page.findings()", metadata={"tags": ["remove-input"]})
    nb.cells = [empty, shown, removed_input]
    template = tmp_path / "template.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), template)
    tags = [cell.metadata["tags"] for cell in postprocess(nb, template).cells]
    assert tags == [["hide-input", "remove-cell"], ["hide-input"], ["remove-input"]]


def test_a_section_heading_whose_section_showed_nothing_leaves_with_it(tmp_path):
    """The template's `## {{ heading.… }}` cell goes when the section's cells printed nothing this year."""
    import nbformat

    from countybook.run.runner import postprocess

    nb = nbformat.v4.new_notebook()
    empty_heading = nbformat.v4.new_markdown_cell("## Growth")
    empty = nbformat.v4.new_code_cell("page.growth_chart()", metadata={"tags": ["hide-input"]})
    shown_heading = nbformat.v4.new_markdown_cell("## Derived ratios")
    shown = nbformat.v4.new_code_cell("page.ratios()", metadata={"tags": ["hide-input"]})
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<table></table>"})]
    nb.cells = [empty_heading, empty, shown_heading, shown]
    template = tmp_path / "template.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), template)
    cells = postprocess(nb, template).cells
    assert "remove-cell" in cells[0].metadata.get("tags", [])
    assert "remove-cell" not in cells[2].metadata.get("tags", [])

"""The real notebooks end to end, executed once per test run (conftest.fresh_edition: the runner,
one warm kernel for both languages of a year, in a copy of the repository) and read by every test here:

- the committed editions are byte for byte what a fresh run writes (data, a catalogue or the library
  changed without a rerun of the book fails here, and a rerun is shown to be reproducible);
- every year that holds figures runs cleanly in every language;
- a fresh kernel per chapter writes the bytes the warm kernel wrote after all the other chapters;
- nbval, in a fresh kernel of its own, reproduces the chapter a reader reruns themselves (Work with
  the data) in both editions, and catches it when the data changed without a rerun.

The English edition also stands for a run of the templates with their defaults: it holds the
templates' code cells with their default parameters (checked below).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_IGNORE, FreshEdition, run_copy

from countybook import paths
from countybook.data import load
from countybook.render import search_words
from countybook.render.messages import DEFAULT_LANGUAGE, languages, say
from countybook.run import cache, edition_set, runner

TEMPLATES = sorted(paths.NOTEBOOKS_DIR.glob(runner.NOTEBOOK_GLOB))
YEARS = load(paths.data_dir()).years()
# The chapter readers rerun themselves: plain pandas and seaborn on data/, checked by nbval.
READERS_CHAPTER = "11_work_with_data.ipynb"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _nbval(*args: str) -> subprocess.CompletedProcess:
    # -n 0: nbval runs a notebook's cells in order in one kernel, so no xdist workers here.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *args],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )


def _parameters(cell) -> dict:
    """The names a parameters cell assigns, with their literal values."""
    assignments = [node for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)]
    return {target.id: ast.literal_eval(node.value) for node in assignments for target in node.targets}


@pytest.mark.parametrize("template", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda path: path.name)
def test_the_english_edition_executes_each_template_as_its_defaults_would(template):
    """What a lax nbval run of notebooks/ with their defaults would execute, the strict English run
    executes: the same code cells in the same order, parameters equal to the defaults. If this fails
    (the default year moved on, a template edited without a rerun), rerun the book; if the defaults
    must differ from the edition, the templates need their own nbval run again."""
    import nbformat

    executed_path = paths.chapters_dir(DEFAULT_LANGUAGE) / template.name
    assert executed_path.exists(), f"{template.name} is not in the English edition: the strict run would miss it"
    executed = nbformat.read(executed_path, as_version=4)
    defaults = next(
        _parameters(c)
        for c in nbformat.read(template, as_version=4).cells
        if "parameters" in c.metadata.get("tags", [])
    )
    injected = executed.metadata["papermill"]["parameters"]
    assert injected == {name: defaults[name] for name in injected}, f"{template.name}: defaults {defaults}"
    code = [c.source for c in nbformat.read(template, as_version=4).cells if c.cell_type == "code"]
    executed_code = [
        c.source
        for c in executed.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    assert executed_code == code, f"{template.name}: the edition does not hold the template's code"


@pytest.mark.parametrize("lang", languages())
def test_executed_edition_has_no_stderr_or_errors(lang):
    import nbformat

    chapters = sorted(paths.chapters_dir(lang).glob("*.ipynb"))
    assert chapters, f"no executed notebooks for {lang}"
    for path in chapters:
        notebook = nbformat.read(path, as_version=4)
        assert notebook.metadata["papermill"]["parameters"]["lang"] == lang, path
        for index, cell in enumerate(notebook.cells):
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", f"{path.name} cell {index} raised"
                assert output.get("name") != "stderr", f"{path.name} cell {index} wrote to stderr: {output.get('text')}"


def committed_year(lang: str) -> int | None:
    edition = edition_set.read_edition(paths.chapters_dir(lang), lang)
    return None if edition is None else edition.year


def fresh_editions(pairs) -> pytest.MarkDecorator:
    """Parametrize a test with the shared fresh execution (conftest's `fresh`) of each (year, lang)."""
    pairs = list(pairs)
    return pytest.mark.parametrize("fresh", pairs, indirect=True, ids=[f"{year}-{lang}" for year, lang in pairs])


def edition_differences(expected: Path, actual: Path) -> list[str]:
    """Where two editions differ, a line each: a file only in one, or the first cell of a notebook
    whose source or outputs differ (the bytes of anything else)."""
    files = {
        folder: {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
        for folder in (expected, actual)
    }
    lines = [
        f"{name}: only in {folder}"
        for folder in files
        for name in files[folder]
        if name not in files[expected] or name not in files[actual]
    ]
    for name in sorted(files[expected].keys() & files[actual].keys()):
        old, new = files[expected][name].read_bytes(), files[actual][name].read_bytes()
        if old == new:
            continue
        if name.endswith(".ipynb"):
            old_cells, new_cells = (json.loads(text)["cells"] for text in (old, new))
            for index, (was, now) in enumerate(zip(old_cells, new_cells)):
                if was != now:
                    lines.append(
                        f"{name}: cell {index} differs: {json.dumps(now.get('outputs', now['source']), ensure_ascii=False)[:300]}"
                    )
                    break
            else:
                lines.append(f"{name}: {len(old_cells)} cells, now {len(new_cells)}, or the metadata differs")
        else:
            lines.append(f"{name}: the bytes differ")
    return lines


@pytest.mark.slow
@fresh_editions((committed_year(lang), lang) for lang in languages())
def test_the_committed_edition_is_what_a_fresh_run_writes(fresh: FreshEdition):
    differences = edition_differences(paths.chapters_dir(fresh.lang), fresh.chapters)
    rerun = f"python -m countybook run --year {fresh.year} --lang {fresh.lang}"
    assert not differences, f"the committed edition is stale: run {rerun} and commit it\n" + "\n".join(differences[:10])


def test_the_comparison_names_the_file_and_cell_that_differ(tmp_path):
    """The guard of the test above: an output changed in one chapter and a file left out are named."""
    committed = paths.chapters_dir(DEFAULT_LANGUAGE)
    copy = tmp_path / "chapters"
    shutil.copytree(committed, copy)
    assert edition_differences(committed, copy) == []
    chapter = copy / READERS_CHAPTER
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    index = next(i for i, c in enumerate(notebook["cells"]) if c.get("outputs"))
    notebook["cells"][index]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "79 亿元"}]
    chapter.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    (copy / search_words.FILE_NAME).unlink()
    differences = edition_differences(committed, copy)
    assert differences[0] == f"{search_words.FILE_NAME}: only in {committed}"
    assert differences[1].startswith(f"{READERS_CHAPTER}: cell {index} differs:") and "79 亿元" in differences[1]
    assert len(differences) == 2


@pytest.mark.slow
@fresh_editions((year, lang) for year in YEARS for lang in languages())
def test_every_year_runs_cleanly_in_every_language(fresh: FreshEdition):
    """Every year that holds figures runs through the real notebooks: one notebook per template and
    the index, the year's parameters in each, no error and nothing on stderr, no timestamp, the
    set-up cells hidden, and a theme without figures in a year says so (2023 has no agriculture)."""
    year, lang, chapters = fresh
    names = sorted(p.name for p in chapters.glob("*.ipynb"))
    assert names == sorted([p.name for p in TEMPLATES] + ["index.ipynb"])
    top_level = {p.name for p in chapters.iterdir() if p.is_file()}
    assert top_level == {*names, cache.MANIFEST_NAME, search_words.FILE_NAME}
    assert any((chapters / "downloads").glob("*.csv"))
    for name in names:
        text = (chapters / name).read_text(encoding="utf-8")
        assert not TIMESTAMP.search(text), name
        assert '"remove-cell"' in text, name
        nb = json.loads(text)
        assert nb["metadata"]["papermill"]["parameters"] == {"year": year, "lang": lang}
        bad = [
            o
            for c in nb["cells"]
            for o in c.get("outputs", [])
            if o["output_type"] == "error" or (o["output_type"] == "stream" and o["name"] == "stderr")
        ]
        assert bad == [], f"{year} {lang} {name}: {bad[:1]}"
    if year == 2023:
        agriculture = (chapters / "02_agriculture.ipynb").read_text(encoding="utf-8")
        assert say("finding.none", lang, year=year) in agriculture


@pytest.mark.slow
@fresh_editions([(2023, DEFAULT_LANGUAGE)])
def test_a_fresh_kernel_per_chapter_writes_what_the_warm_kernel_wrote(fresh: FreshEdition, tmp_path):
    """The overview (charts, every theme) and agriculture for 2023 (a theme without figures), each in
    a fresh kernel, against the same chapters from the shared run, where one warm kernel executed them
    among all the others (reset in between): the same bytes."""
    year, lang, warm = fresh
    chosen = [TEMPLATES[0], TEMPLATES[2]]
    root = tmp_path / "repo"
    for name in ("data", "countybook"):
        shutil.copytree(paths.ROOT / name, root / name, ignore=REPO_IGNORE)
    (root / "notebooks").mkdir()
    for path in chosen:
        shutil.copy(path, root / "notebooks" / path.name)
    cold = root / "book" / "chapters"
    run_copy(root, year, lang, chapters_dir=cold, reuse_kernels=False)
    for path in chosen:
        assert (cold / path.name).read_bytes() == (warm / path.name).read_bytes(), path.name


def _nbval(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    # -n 0: nbval runs a notebook's cells in order in one kernel, so no xdist workers here.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "--nbval"]
        + ["--nbval-sanitize-with", "tests/nbval_sanitize.cfg", *args],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        env=env,
    )


def _readers_chapters() -> list[str]:
    return [(paths.chapters_dir(lang) / READERS_CHAPTER).relative_to(paths.ROOT).as_posix() for lang in languages()]


@pytest.mark.slow
def test_nbval_reproduces_the_readers_chapter_in_every_edition():
    result = _nbval(*_readers_chapters())
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "no tests ran" not in result.stdout


@pytest.mark.slow
def test_nbval_fails_when_data_changes_without_a_rerun(tmp_path):
    """The guard nbval is there for: a figure edited in data/ but not rerun is caught and shown."""
    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", data)
    figures = data / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    published = 'online_retail_sales,2024,78,亿元,exact,20,,xdkb_2025_guanyun_development,"网络零售额78亿元,增长20%"'
    assert published in text
    figures.write_text(text.replace(published, published.replace("78", "79")), encoding="utf-8")
    result = _nbval(_readers_chapters()[0], env=dict(os.environ, COUNTYBOOK_DATA=str(data)))
    assert result.returncode != 0, "the stale edition passed the strict check"
    # The computed comparison's formula, filled with the published inputs, shows the new value.
    assert "[79亿元]" in result.stdout, "the mismatch report shows the new value"

"""countybook.run.runner: one edition's run from the year check to the swap: rejection,
reproducible output and the cache, on tiny fixture notebooks (tests/fixtures/notebooks/) in a
temporary copy of the repository (runner_fixtures.py). The real notebooks end to end are
tests/test_notebooks.py's.
"""

from __future__ import annotations

import json
import shutil
import stat

import pytest
from runner_fixtures import (
    EDITION,
    FIXTURES,
    TIMESTAMP,
    cli_args,
    edit_one_figure,
    plain,
    run,
    tree_digest,
    use_repo_paths,
)

from countybook.run import command, postprocess, runner

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
    assert command.run_main(cli_args("--year", "2024", "--force")) == 1
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
        assert set(nb["metadata"]["papermill"]).isdisjoint(postprocess.VOLATILE_PAPERMILL_NOTEBOOK)
        assert nb["metadata"]["papermill"]["parameters"] == {"year": 2024, "lang": "en"}
        injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        assert len(injected) == 1
        assert "remove-cell" in injected[0]["metadata"]["tags"]
        assert injected[0]["id"] == "injected-parameters"
        for cell in nb["cells"]:
            assert "execution" not in cell["metadata"] and "ExecuteTime" not in cell["metadata"]
            assert set(cell["metadata"].get("papermill", {})).isdisjoint(postprocess.VOLATILE_PAPERMILL_CELL)

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


def test_unchanged_output_keeps_the_previous_file(repo):
    """--force with identical results keeps files (and mtimes), so jupyter-book rereads nothing."""
    chapters = repo / "book" / "chapters"
    run(repo)
    inode = (chapters / "00_alpha.ipynb").stat().st_ino
    run(repo, force=True)
    assert (chapters / "00_alpha.ipynb").stat().st_ino == inode


def test_no_notebooks_is_an_error(repo):
    for path in (repo / "notebooks").iterdir():
        path.unlink()
    with pytest.raises(runner.RunError, match="no notebooks"):
        run(repo)

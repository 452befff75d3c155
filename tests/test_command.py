"""countybook.run.command: `python -m countybook run` — exit codes, one line per fault, every
language by default, --build and --pdf."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys

import pytest
from runner_fixtures import FIXTURES, cli_args, run, use_repo_paths

from countybook import paths
from countybook.run import build, command, kernels, runner

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

    code = command.run_main(cli_args("--year", "1999"))

    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == ["no figures for 1999; years with figures: " + ", ".join(str(y) for y in years)]
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

    code = command.run_main(cli_args("--year", "2024"))

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
    done = subprocess.run(
        [sys.executable, "-m", "countybook", "run", "--year", "1999"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("no figures for 1999; years with figures: ")


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
    monkeypatch.setattr(
        paths, "chapters_dir", lambda lang, book_dir=None: paths.edition_dir(repo / "book", lang) / "chapters"
    )
    ran = []
    original = runner.run
    monkeypatch.setattr(
        runner,
        "run",
        lambda year, lang=None, **kw: (
            ran.append(lang) or original(year, lang=lang, library_dir=repo / "countybook", progress=False, **kw)
        ),
    )
    started = []
    start = kernels.WarmKernel.start
    monkeypatch.setattr(kernels.WarmKernel, "start", lambda kernel: started.append(kernel) or start(kernel))
    assert command.run_main(cli_args("--year", "2024", "--jobs", "1")) == 0
    assert ran == ["en", "zh"]
    # Both languages ran on one kernel, shut down when the command is done.
    assert len(started) == 1 and started[0].km is None
    assert (repo / "book" / "chapters" / "01_beta.ipynb").is_file()
    assert (repo / "book" / "zh" / "chapters" / "01_beta.ipynb").is_file()
    err = capsys.readouterr().err
    assert "en: 2 executed" in err and "zh: 2 executed" in err
    ran.clear()
    assert command.run_main(cli_args("--year", "2024", "--lang", "zh", "--jobs", "1")) == 0
    assert ran == ["zh"]


# --------------------------------------------------------------------------- --pdf


@pytest.mark.parametrize("build_code, printed", [(0, True), (1, False)])
def test_pdf_builds_then_prints_in_a_fresh_process_only_after_a_good_build(monkeypatch, build_code, printed):
    calls = []
    monkeypatch.setattr(runner, "run", lambda year, lang, jobs, force, pool: runner.RunResult(changed=False))
    monkeypatch.setattr(build, "build", lambda: calls.append("build") or build_code)
    monkeypatch.setattr(command.subprocess, "call", lambda command, cwd: calls.append(command[1:]) or 7)

    code = command.run_main(cli_args("--year", "2024", "--pdf"))  # no --build: --pdf implies it

    assert calls[0] == "build"
    if printed:
        assert calls[1] == ["-m", "countybook", "pdf"] and code == 7  # the print's own exit code
    else:
        assert len(calls) == 1 and code == 1

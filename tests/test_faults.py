"""Fault injection: each defect of issue 10 reproduced, and the behaviour that replaced it.

Bad input, odd environments, interruptions and failing writes must end in one line naming what to
do, a non-zero exit and untouched data and edition. Most tests work in-process on copies of
data/; four start kernels (the environment, the verification, Ctrl-C/SIGTERM and the SIGKILL
with a book build), on the small fixture notebooks.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import folder_snapshot, jupyter_book, once_per_run

from countybook import lock, paths
from countybook.__main__ import main
from countybook.data import SOURCE_COLUMNS, load
from countybook.data.load import BLOCK_ROWS
from countybook.errors import MAX_SHOWN_PER_FILE, DataError
from countybook.intake import add
from countybook.render import downloads
from countybook.run import build, execute, kernels, runner, swap

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
ROW_2024 = {
    "indicator": "industrial_output_above_scale",
    "year": "2024",
    "value": "187.5",
    "unit": "亿元",
    "qualifier": "exact",
    "yoy_pct": "15.5",
    "source": "xdkb_2025_guanyun_development",
    "quote": "完成规上工业总产值187.5亿元,增长15.5%",
}
NEW_ROW = {**ROW_2024, "year": "2025", "value": "216.6", "quote": "完成规上工业总产值216.6亿元,增长15.5%"}
# Every column of data/sources.csv (blank unless set), so the test follows new columns.
NEW_SOURCE = {
    **dict.fromkeys(SOURCE_COLUMNS, ""),
    "id": "example_2025_report",
    "title": "示例县2025年发展情况",
    "publisher": "Test publisher",
    "date": "2026",
    "language": "zh",
    "reliability": "medium",
    "status": "used",
    "note": "A made-up source for the tests.",
    "kind": "government_report",
    "publisher_zh": "测试出版者",
    "note_zh": "测试用的虚构来源。",
}


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(paths.ROOT / "data", folder)
    return folder


def write_csv(path: Path, rows: list[dict], columns=None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


snapshot = folder_snapshot


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def one_line(text: str) -> str:
    lines = [line for line in text.replace("\r", "\n").splitlines() if line.strip()]
    assert "Traceback" not in text, text
    return lines[-1] if lines else ""


# --------------------------------------------------------------------------- 1. kernel environment


def test_kernel_environment_is_fixed_whatever_the_caller_sets():
    caller = {
        "MPLBACKEND": "Agg",
        "LANG": "C",
        "LC_ALL": "C",
        "LC_TIME": "de_DE.UTF-8",
        "LANGUAGE": "de",
        "TZ": "America/New_York",
        "PYTHONHASHSEED": "123",
        "PYTHONWARNINGS": "error",
        "PYTHONSTARTUP": "/somewhere/startup.py",
        "COLUMNS": "40",
        "PATH": "/usr/bin",
    }
    env = kernels.kernel_environment(Path("data"), Path("lib") / "countybook", base=caller, private_dir=Path("private"))
    for key, value in kernels.FIXED_ENVIRONMENT.items():
        assert env[key] == value
    assert env["MPLBACKEND"] == "module://matplotlib_inline.backend_inline"
    for key in ("LC_TIME", "LANGUAGE", "PYTHONWARNINGS", "PYTHONSTARTUP", "COLUMNS"):
        assert key not in env
    assert env["PATH"] == "/usr/bin" and env["IPYTHONDIR"] == str(Path("private") / "ipython")


def _small_repo(root: Path, notebooks: dict[str, Path]) -> Path:
    """Notebooks under new names, a copy of data/ and of the library, an empty book/."""
    (root / "notebooks").mkdir(parents=True)
    for name, source in notebooks.items():
        shutil.copy(source, root / "notebooks" / name)
    shutil.copytree(paths.ROOT / "data", root / "data")
    shutil.copytree(paths.ROOT / "countybook", root / "countybook", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "book").mkdir()
    return root


def _run(root: Path, edition: str = "chapters", **kwargs) -> runner.RunResult:
    kwargs.setdefault("lang", "en")
    return runner.run(
        2024,
        notebooks_dir=root / "notebooks",
        chapters_dir=root / "book" / edition,
        data_dir=root / "data",
        library_dir=root / "countybook",
        progress=False,
        jobs=1,
        force=True,
        **kwargs,
    )


def test_editions_are_byte_identical_whatever_the_callers_environment(tmp_path):
    """Defect 1 and the acceptance item, as a user meets them: `run` in a shell with
    MPLBACKEND=Agg, LANG=C and New York time, then in a UTF-8 shell in Shanghai. Both editions
    hold the chart, and every file (notebooks, downloads, manifest) has the same bytes."""
    root = _small_repo(tmp_path / "repo", {"00_probe.ipynb": FIXTURES / "environment_probe.ipynb"})
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MPLBACKEND", "LANG", "LC_ALL", "TZ", "PYTHONHASHSEED", "PYTHONSTARTUP")
        and not key.startswith("LC_")
    }
    base.update({"COUNTYBOOK_DATA": str(root / "data"), "PYTHONPATH": str(root)})
    headless = {
        **base,
        "MPLBACKEND": "Agg",
        "LANG": "C",
        "LC_ALL": "C",
        "TZ": "America/New_York",
        "PYTHONHASHSEED": "123",
        "PYTHONSTARTUP": str(tmp_path / "nowhere.py"),
    }
    desktop = {**base, "LANG": "C.UTF-8", "TZ": "Asia/Shanghai"}
    editions = []
    for env in (headless, desktop):
        done = subprocess.run(
            # One language: the comparison is of the English edition (another would start its own kernel).
            [sys.executable, "-m", "countybook", "run", "--year", "2024", "--lang", "en", "--force", "--jobs", "1"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "1 executed, 0 reused" in done.stderr and ", 1 charts checked in " in done.stderr
        editions.append(tree_digest(root / "book" / "chapters"))
    assert editions[0] == editions[1]
    probe = json.loads((root / "book" / "chapters" / "00_probe.ipynb").read_text(encoding="utf-8"))
    images = [o for cell in probe["cells"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
    state = "".join(probe["cells"][-1]["outputs"][0]["data"]["text/plain"])
    assert len(images) == 1 and "matplotlib_inline" in state and "'UTC'" in state and "C.UTF-8" in state


def test_a_chart_lost_in_a_real_kernel_rejects_the_run(tmp_path):
    root = _small_repo(
        tmp_path / "repo",
        {"00_probe.ipynb": FIXTURES / "environment_probe.ipynb", "01_lost.ipynb": FIXTURES / "chart_lost_to_agg.ipynb"},
    )
    with pytest.raises(runner.RunRejected) as caught:
        _run(root)
    assert [(f.notebook, f.cell) for f in caught.value.failures if "chart lost" in f.error] == [("01_lost.ipynb", 3)]
    assert not (root / "book" / "chapters").exists()


def test_connection_files_live_in_the_runs_private_folder_also_for_fresh_kernels(tmp_path, monkeypatch):
    root = _small_repo(tmp_path / "repo", {"00_alpha.ipynb": FIXTURES / "00_alpha.ipynb"})
    files = []
    original = kernels.manager_class_in

    def recording(folder):
        base = original(folder)

        class Recording(base):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                files.append(Path(self.connection_file))

        return Recording

    monkeypatch.setattr(kernels, "manager_class_in", recording)
    _run(root, reuse_kernels=False)
    assert len(files) == 1 and files[0].parent.name.startswith(f"{kernels.PRIVATE_PREFIX}{os.getpid()}-")
    assert not files[0].parent.exists()  # removed with the run


def test_the_runner_version_retires_editions_made_without_verification():
    # An edition made before verification (possibly with lost charts) must not be reused.
    assert runner.RUNNER_VERSION >= 2


# --------------------------------------------------------------------------- 2. years


@pytest.mark.parametrize("written", ["02024", "2024.0", "\uff12\uff10\uff12\uff14"])
def test_add_refuses_a_year_written_differently(data, tmp_path, capsys, written):
    before = snapshot(data)
    review = write_csv(tmp_path / "review.csv", [{**ROW_2024, "year": written}])
    assert main(["add", str(review), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert (
        f"refused: review.csv, row 2, field 'year': must be a whole year from 1949 to 2100 written as plain "
        f"digits, e.g. 2024 (found '{written}')" in err
    )
    assert err.splitlines()[-1] == add.NOTHING_CHANGED and "Traceback" not in err
    assert snapshot(data) == before


@pytest.mark.parametrize("argument", ["02024", "2024.0", "\uff12\uff10\uff12\uff14"])
def test_run_refuses_a_year_written_differently(argument, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["run", "--year", argument])
    assert caught.value.code == 2
    assert f"argument --year: '{argument}' is not a whole year" in capsys.readouterr().err


def test_jobs_that_is_not_a_number_reads_plainly(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--year", "2024", "--jobs", "abc"])
    err = capsys.readouterr().err
    assert "argument --jobs: 'abc' is not a whole number of at least 1" in err and "_positive" not in err


# --------------------------------------------------------------------------- 3. temporary folders


def test_a_run_stages_its_edition_beside_the_book_never_inside(tmp_path, monkeypatch):
    root = _small_repo(tmp_path / "repo", {"00_alpha.ipynb": FIXTURES / "00_alpha.ipynb"})
    seen = []
    staging = swap.new_staging_folder
    monkeypatch.setattr(swap, "new_staging_folder", lambda *args: seen.append(staging(*args)) or seen[-1])
    # Nothing executed: the staging folder is all this test is about.
    monkeypatch.setattr(execute, "execute_all", lambda *args, **kwargs: None)
    _run(root)
    assert len(seen) == 1
    assert seen[0].parent == root and seen[0].name.startswith(f"{swap.TMP_PREFIX}-new-en-")
    assert not seen[0].exists()


def test_build_removes_pages_a_killed_run_left_in_build(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "book" / "chapters").mkdir(parents=True)
    stale = [
        root / "_build" / "html" / f"{swap.TMP_PREFIX}-new-x" / "01.html",
        root / "_build" / "jupyter_execute" / f"{swap.TMP_PREFIX}-new-x" / "01.ipynb",
        root / "_build" / ".doctrees" / f"{swap.TMP_PREFIX}-new-x" / "01.doctree",
    ]
    for path in stale:
        path.parent.mkdir(parents=True)
        path.write_text("stale", encoding="utf-8")
    kept = root / "_build" / "html" / "chapters" / "00.html"
    kept.parent.mkdir(parents=True)
    kept.write_text("page", encoding="utf-8")
    assert build.remove_stale_build_pages(root / "_build")
    assert not any(path.parent.exists() for path in stale) and kept.exists()


def test_config_keeps_staging_folders_out_of_the_book():
    import yaml

    patterns = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))["exclude_patterns"]
    assert f"**/{swap.TMP_PREFIX}*" in patterns and f"{swap.TMP_PREFIX}*" in patterns
    assert f"{swap.TMP_PREFIX}*/" in (paths.ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


# --------------------------------------------------------------------------- 4. all-or-nothing add


def test_add_restores_every_file_when_one_cannot_be_replaced(data, tmp_path, monkeypatch, capsys):
    """Defect 4: sources.csv was replaced, then figures.csv failed (chattr +i); data/ was left
    half-merged. Here os.replace fails on figures.csv the way an immutable file makes it fail."""
    before = snapshot(data)
    review = write_csv(tmp_path / "review.csv", [{**NEW_ROW, "source": NEW_SOURCE["id"]}])
    sources = write_csv(tmp_path / "review.sources.csv", [NEW_SOURCE])
    original = os.replace

    def immutable_figures(source, target, *args, **kwargs):
        if Path(target).name == "figures.csv" and Path(source).name.endswith(".new"):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(target))
        return original(source, target, *args, **kwargs)

    monkeypatch.setattr(add.os, "replace", immutable_figures)
    assert main(["add", str(review), "--source-file", str(sources), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "cannot write or read figures.csv: not permitted; check the file's permissions and attributes "
        f"(ls -l, lsattr); {add.NOTHING_CHANGED}\n"
    )
    assert snapshot(data) == before  # sources.csv restored, no temporary file left


@pytest.mark.skipif(shutil.which("chattr") is None, reason="chattr not available")
def test_add_with_an_immutable_figures_file(data, tmp_path):
    """The reproduction itself, where the file system supports immutable files (as root)."""
    target = data / "figures.csv"
    if subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode != 0:
        pytest.skip("file system without immutable files, or not root")
    try:
        before = snapshot(data)
        review = write_csv(tmp_path / "review.csv", [{**NEW_ROW, "source": NEW_SOURCE["id"]}])
        sources = write_csv(tmp_path / "review.sources.csv", [NEW_SOURCE])
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "countybook",
                "add",
                str(review),
                "--source-file",
                str(sources),
                "--data",
                str(data),
            ],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        assert one_line(done.stderr).endswith(add.NOTHING_CHANGED)
        assert snapshot(data) == before
    finally:
        subprocess.run(["chattr", "-i", str(target)], capture_output=True)


def test_add_on_a_read_only_folder_is_one_line(data, tmp_path, monkeypatch, capsys):
    before = snapshot(data)
    review = write_csv(tmp_path / "review.csv", [NEW_ROW])

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(data / ".figures.csv.x.new"))

    monkeypatch.setattr(add.tempfile, "mkstemp", read_only)
    assert main(["add", str(review), "--data", str(data)]) == 1
    assert capsys.readouterr().err == (
        f"cannot write or read .figures.csv.x.new: the file system is read-only; "
        f"work on a writable copy; {add.NOTHING_CHANGED}\n"
    )
    assert snapshot(data) == before


def test_add_interrupted_between_two_replacements_puts_the_first_back(data, tmp_path, monkeypatch, capsys):
    before = snapshot(data)
    review = write_csv(tmp_path / "review.csv", [{**NEW_ROW, "source": NEW_SOURCE["id"]}])
    sources = write_csv(tmp_path / "review.sources.csv", [NEW_SOURCE])
    original, calls = os.replace, []

    def interrupted(source, target, *args, **kwargs):
        calls.append(Path(target).name)
        if Path(target).name == "figures.csv" and Path(source).name.endswith(".new"):
            raise KeyboardInterrupt
        return original(source, target, *args, **kwargs)

    monkeypatch.setattr(add.os, "replace", interrupted)
    assert main(["add", str(review), "--source-file", str(sources), "--data", str(data)]) == 130
    assert capsys.readouterr().err == f"interrupted; {add.NOTHING_CHANGED}\n"
    assert calls[:2] == ["sources.csv", "figures.csv"] and snapshot(data) == before


def test_a_killed_adds_temporary_files_are_removed_by_the_next(data, tmp_path):
    (data / ".figures.csv.abc.new").write_text("half", encoding="utf-8")
    (data / ".sources.csv.abc.old").write_text("old", encoding="utf-8")
    review = write_csv(tmp_path / "review.csv", [NEW_ROW])
    assert main(["add", str(review), "--data", str(data)]) == 0
    assert not [p.name for p in data.iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------- 7. add during a run


def test_add_during_a_run_is_refused_and_changes_nothing(data, tmp_path, capsys):
    before = snapshot(data)
    review = write_csv(tmp_path / "review.csv", [NEW_ROW])
    with lock.reading_data(data):  # what a run holds from its year check until the swap
        assert main(["add", str(review), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "data/ is in use by a `run` or another `add`; try again when it has finished "
        f"(nothing was changed); {add.NOTHING_CHANGED}\n"
    )
    assert snapshot(data) == before
    assert main(["add", str(review), "--data", str(data)]) == 0  # and once the run is over, it goes in


def test_a_run_during_an_add_is_refused(tmp_path):
    root = _small_repo(tmp_path / "repo", {"00_alpha.ipynb": FIXTURES / "00_alpha.ipynb"})
    with lock.writing_data(root / "data"):
        with pytest.raises(runner.RunError, match=r"data/ is being changed \(by `add`\)"):
            _run(root)
    assert not (root / "book" / "chapters").exists()


def test_two_runs_may_read_the_same_data():
    folder = paths.ROOT / "data"
    with lock.reading_data(folder), lock.reading_data(folder):
        pass


# --------------------------------------------------------------------------- 5. YAML shapes


def _problems(folder: Path) -> set[tuple]:
    with pytest.raises(DataError) as caught:
        load(folder)
    return {(p.file, p.row, p.field) for p in caught.value.problems}, caught.value


def test_a_unit_of_the_wrong_shape_is_refused(data):
    with (data / "units.yml").open("a", encoding="utf-8") as stream:
        stream.write("bad: [1, 2]\n")
    found, err = _problems(data)
    assert found == {("data/units.yml", None, "bad")}
    assert "must be a mapping of field: value, like a Unit (found a list)" in str(err)


@pytest.mark.parametrize(
    "written, field, message",
    [
        ("  aliases: 新签约亿元以上项目\n", "aliases", "must be a list (found '新签约亿元以上项目')"),
        ("  aliases:\n  - [新签约, 亿元以上项目]\n", "aliases.0", "must be a valid string (found a list)"),
    ],
)
def test_aliases_of_the_wrong_shape_are_refused(data, written, field, message):
    # Both passed `validate` and ended in a TypeError in `extract` and the downloads.
    path = data / "indicators.yml"
    text = path.read_text(encoding="utf-8")
    assert "  aliases:\n  - 新签约亿元以上项目\n" in text
    path.write_text(text.replace("  aliases:\n  - 新签约亿元以上项目\n", written, 1), encoding="utf-8")
    found, err = _problems(data)
    assert found == {("data/indicators.yml", 1, field)}
    assert message in str(err)


def test_an_alias_bomb_is_refused_before_it_expands(data):
    bomb = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(8)
    ]
    (data / "units.yml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    started = time.monotonic()
    found, err = _problems(data)
    assert time.monotonic() - started < 5
    assert found == {("data/units.yml", 1, "(file)")}
    assert "anchors and aliases (& and *) are not allowed" in str(err)


def test_an_oversized_or_deeply_nested_yaml_file_is_refused(data):
    (data / "stages.yml").write_bytes(b"# padding\n" * 200_000)
    (data / "themes.yml").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    found, err = _problems(data)
    # libyaml stops at its nesting limit on the first line; PyYAML's composer, for a file nested
    # less deeply than that, at Python's recursion limit (read_yaml: "nested too deeply").
    assert found == {("data/stages.yml", None, "(file)"), ("data/themes.yml", 1, "(file)")}
    assert "at most 1,000,000" in str(err) and "maximum nesting depth" in str(err)


def test_a_yaml_file_nested_past_pythons_recursion_limit_is_refused(data):
    depth = sys.getrecursionlimit()  # under libyaml's limit, over what the composer can recurse
    (data / "themes.yml").write_text("[" * depth + "]" * depth, encoding="utf-8")
    found, err = _problems(data)
    assert found == {("data/themes.yml", None, "(file)")}
    assert "nested too deeply" in str(err)


def test_a_duplicate_key_is_refused(data):
    with (data / "units.yml").open("a", encoding="utf-8") as stream:
        stream.write('亿元: {en: "a different reading"}\n')
    last_line = len((data / "units.yml").read_text(encoding="utf-8").splitlines())
    found, err = _problems(data)
    assert found == {("data/units.yml", last_line, "(file)")} and "duplicate key '亿元'" in str(err)


def test_an_unregistered_yaml_file_is_still_read_safely(data):
    (data / "planned_for_later.yml").write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    found, _ = _problems(data)
    assert found == {("data/planned_for_later.yml", 1, "(file)")}


# --------------------------------------------------------------------------- 6. formula injection


def test_downloads_neutralise_formula_cells_but_keep_numbers(data, tmp_path):
    figures = data / "figures.csv"
    with figures.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        columns, rows = reader.fieldnames, list(reader)
    target = next(r for r in rows if (r["indicator"], r["year"]) == ("industrial_output_above_scale", "2024"))
    target.update(yoy_pct="-1.4", quote='=HYPERLINK("http://x","完成规上工业总产值187.5亿元,下降1.4%")')
    write_csv(figures, rows, columns)
    sources = data / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "xdkb_2025_guanyun_development,连云港灌云", "xdkb_2025_guanyun_development,@SUM(1+1)连云港灌云", 1
        ),
        encoding="utf-8",
    )
    ds = load(data)
    downloads.write(ds, 2024, tmp_path / "edition", lang="en")
    folder = tmp_path / "edition" / downloads.FOLDER
    for name in ("figures.csv", "industry_investment.csv"):
        with (folder / name).open(encoding=downloads.ENCODING, newline="") as stream:
            row = next(
                r
                for r in csv.DictReader(stream)
                if r["indicator"] == "industrial_output_above_scale" and r["year"] == "2024"
            )
        assert row["quote"].startswith("'=HYPERLINK(") and row["yoy_pct"] == "-1.4" and row["value"] == "187.5"
    with (folder / "sources.csv").open(encoding=downloads.ENCODING, newline="") as stream:
        titles = {r["id"]: r["title"] for r in csv.DictReader(stream)}
    assert titles["xdkb_2025_guanyun_development"].startswith("'@SUM(1+1)")
    assert all(
        not cell.startswith(downloads.FORMULA_START)
        for path in folder.glob("*.csv")
        for row in csv.reader(path.open(encoding=downloads.ENCODING))
        for cell in row
        if cell != "-1.4"
    )


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-x", "@A1", "\tcmd", "\rcmd"])
def test_every_formula_start_of_owasp_is_neutralised_in_text_columns(cell):
    import pandas as pd

    frame = pd.DataFrame({"quote": [cell, "plain"], "yoy_pct": ["-3.8", "2"]})
    neutral = downloads.neutralise_formulas(frame)
    assert neutral["quote"].tolist() == [f"'{cell}", "plain"] and neutral["yoy_pct"].tolist() == ["-3.8", "2"]


# --------------------------------------------------------------------------- 9. bounded validate


def test_validate_stops_early_on_a_flood_of_bad_rows_and_says_how_many_more(data, capsys):
    figures = data / "figures.csv"
    header, *rows = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    copies = 3 * BLOCK_ROWS // len(rows) + 1
    figures.write_text(header + "".join(rows) * copies, encoding="utf-8")
    started = time.monotonic()
    assert main(["validate", "--data", str(data)]) == 1
    seconds = time.monotonic() - started
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == MAX_SHOWN_PER_FILE + 1
    assert lines[0].startswith("data/figures.csv, whole file, field '(file)': checking stopped after ")
    assert f"rows {BLOCK_ROWS + 2}-{len(rows) * copies + 1} were not checked" in lines[0]
    assert lines[-1].endswith("more problems not shown; fix those above and check again")
    assert seconds < 60  # the whole file took minutes before; generous for a loaded machine


def test_a_long_valid_file_is_checked_as_a_whole(data, monkeypatch):
    # Blocks see duplicates only within themselves; a file whose blocks all pass is checked whole.
    monkeypatch.setattr(importlib.import_module("countybook.data.load"), "BLOCK_ROWS", 40)
    figures = data / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    figures.write_text("".join(lines + [lines[1]]), encoding="utf-8")  # the first row again, last
    found, _ = _problems(data)
    assert found == {("data/figures.csv", 2, "year"), ("data/figures.csv", len(lines) + 1, "year")}


# --------------------------------------------------------------------------- 10. one line, never a traceback


def test_validate_with_an_ascii_only_terminal(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COUNTYBOOK_DATA": str(paths.ROOT / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "countybook", "validate"],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert done.stdout.startswith("data is valid") and "\\u" in done.stdout


def test_output_cut_short_by_head_ends_quietly():
    env = {**os.environ, "COUNTYBOOK_DATA": str(paths.ROOT / "data")}
    validate = subprocess.Popen(
        [sys.executable, "-m", "countybook", "validate"],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    validate.stdout.close()  # what `| head -1` does once it has its line; here before any line
    err = validate.stderr.read().decode("utf-8")
    assert validate.wait(timeout=120) == 141 and err == ""


@pytest.mark.parametrize(
    "code, advice",
    [
        (errno.ENOSPC, "the disk is full; free some space and run again"),
        (errno.EROFS, "the file system is read-only; work on a writable copy"),
    ],
)
def test_run_on_a_full_disk_or_read_only_file_system_is_one_line(tmp_path, monkeypatch, capsys, code, advice):
    root = _small_repo(tmp_path / "repo", {"00_alpha.ipynb": FIXTURES / "00_alpha.ipynb"})
    for name, value in {
        "ROOT": root,
        "NOTEBOOKS_DIR": root / "notebooks",
        "BOOK_DIR": root / "book",
        "CHAPTERS_DIR": root / "book" / "chapters",
    }.items():
        monkeypatch.setattr(paths, name, value)
    monkeypatch.setenv("COUNTYBOOK_DATA", str(root / "data"))

    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(root / "x" / "downloads" / "figures.csv"))

    monkeypatch.setattr(downloads, "write", failing)
    assert main(["run", "--year", "2024"]) == 1
    # The edition being written is named: the English one, the first of the run.
    assert (
        capsys.readouterr().err == f"en: cannot write or read figures.csv: {advice}; the edition was left as it was\n"
    )
    assert sorted(p.name for p in root.iterdir()) == ["book", "countybook", "data", "notebooks"]


def test_an_unexpected_error_is_one_line(monkeypatch, capsys):
    import countybook.data.summary as summary

    monkeypatch.setattr(summary, "validate_main", lambda args: 1 / 0)
    monkeypatch.delenv("COUNTYBOOK_DEBUG", raising=False)
    assert main(["validate"]) == 1
    assert capsys.readouterr().err == (
        "unexpected error: ZeroDivisionError: division by zero (set COUNTYBOOK_DEBUG=1 "
        "for the traceback, and please report it)\n"
    )


def test_a_missing_review_file_is_named_as_missing(tmp_path, data, capsys):
    before = snapshot(data)
    assert main(["add", str(tmp_path / "nowhere.csv"), "--data", str(data)]) == 2  # a usage error, before any work
    assert one_line(capsys.readouterr().err) == f"{tmp_path / 'nowhere.csv'}: the file does not exist"
    assert snapshot(data) == before


# --------------------------------------------------------------------------- interruptions in real processes


def _cli_repo(root: Path) -> Path:
    """A copy the command line runs in: its own library (python -m puts the cwd first), data,
    a quick and a slow-on-request notebook, and what `jupyter-book build book/` needs."""
    _small_repo(
        root, {"00_alpha.ipynb": FIXTURES / "00_alpha.ipynb", "01_slow.ipynb": FIXTURES / "slow_on_request.ipynb"}
    )
    shutil.copy(paths.ROOT / "_config.yml", root / "_config.yml")
    shutil.copytree(paths.BOOK_DIR / "_ext", root / "book" / "_ext")
    shutil.copytree(paths.BOOK_DIR / "_static", root / "book" / "_static")
    shutil.copytree(paths.BOOK_DIR / "_templates", root / "book" / "_templates")
    toc = "format: jb-book\nroot: chapters/00_alpha\nchapters:\n  - file: chapters/01_slow\n"
    (root / "book" / "_toc.yml").write_text(toc, encoding="utf-8")
    (root / "tmp").mkdir()
    return root


def _cli_env(root: Path) -> dict:
    # TMPDIR: the kernels' private folders land where the test can see them.
    return {
        **os.environ,
        "PYTHONFAULTHANDLER": "1",
        "COUNTYBOOK_DATA": str(root / "data"),
        "TMPDIR": str(root / "tmp"),
        "PYTHONPATH": str(root),
    }


def _countybook(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m countybook ARGS` in the small repository, as a user's shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "countybook", *args],
        cwd=root,
        env=_cli_env(root),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _sigint_as_in_a_shell() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_slow_run(root: Path, *languages: str) -> subprocess.Popen:
    """`run --force --jobs 1` stopped inside its second notebook, the first already written."""
    (root / "notebooks" / "SLOW").touch()
    process = subprocess.Popen(
        [sys.executable, "-m", "countybook", "run", "--year", "2024", "--force", "--jobs", "1", *languages],
        cwd=root,
        env=_cli_env(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As a shell starts a command in the foreground: Ctrl-C not ignored. A child inherits an
        # ignored SIGINT, and something in a long test session leaves this worker ignoring it (the
        # run then never saw the signal).
        preexec_fn=_sigint_as_in_a_shell,
    )
    deadline = time.monotonic() + 120
    while not list(root.glob(f"{swap.TMP_PREFIX}-new-*/00_alpha.ipynb")):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.2)
    assert list((root / "tmp").glob(f"{kernels.PRIVATE_PREFIX}{process.pid}-*/kernel-*.json"))
    return process


@pytest.fixture
def first_run_repo(tmp_path_factory) -> Path:
    """A command-line repository whose English edition a first run made, once per test run and
    shared by the xdist workers (conftest.once_per_run); each test interrupts or kills a second run
    in a copy of it. One edition: a killed run leaves its first language half done, and the book
    built then is that edition's site alone."""

    def make(folder: Path) -> None:
        first = _countybook(_cli_repo(folder / "repo"), "run", "--year", "2024", "--lang", "en", "--jobs", "1")
        assert first.returncode == 0, first.stderr

    return once_per_run(tmp_path_factory, "first_run_repo", make) / "repo"


@pytest.mark.slow  # a command and its kernel in real processes, waited for: among the long tests, not last
@pytest.mark.parametrize("sent, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_ctrl_c_sigterm_or_sighup_during_a_run_ends_quietly(first_run_repo, tmp_path, sent, code):
    """One language is enough to see a signal end a run."""
    root = tmp_path / "repo"
    shutil.copytree(first_run_repo, root, symlinks=True)
    edition = tree_digest(root / "book" / "chapters")
    process = _start_slow_run(root, "--lang", "en")
    process.send_signal(sent)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # faulthandler (PYTHONFAULTHANDLER) shows every thread
        _, err = process.communicate(timeout=60)
        pytest.fail(f"the run did not end within 60 s of signal {sent}:\n{err[-8000:]}")
    assert process.returncode == code
    assert one_line(err) == "interrupted; the edition was left as it was"
    assert tree_digest(root / "book" / "chapters") == edition
    assert not list(root.glob(f"{swap.TMP_PREFIX}*")) and not list((root / "book").glob(f"{swap.TMP_PREFIX}*"))
    assert list((root / "tmp").iterdir()) == []  # connection files (with their keys) removed


@pytest.mark.slow
def test_a_killed_run_never_reaches_the_built_book(first_run_repo, tmp_path):
    """Defect 3: kill a run mid-way, then `jupyter-book build book/`: no half-built chapter may
    be published, also not from a folder an older version left inside book/. The next run
    removes what the killed one left, its kernels' connection files included."""
    root = tmp_path / "repo"
    shutil.copytree(first_run_repo, root, symlinks=True)
    process = _start_slow_run(root)
    process.kill()
    process.communicate(timeout=60)
    (root / "notebooks" / "SLOW").unlink()
    assert list(root.glob(f"{swap.TMP_PREFIX}-new-*")) and not list((root / "book").glob(".*"))
    legacy = root / "book" / f"{swap.TMP_PREFIX}-new-legacy"
    legacy.mkdir()
    shutil.copy(root / "book" / "chapters" / "01_slow.ipynb", legacy / "01_slow.ipynb")

    built = subprocess.run(
        [jupyter_book(), "build", "book/"],
        cwd=root,
        env=_cli_env(root),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:]
    html = root / "_build" / "html"
    assert (html / "chapters" / "01_slow.html").is_file()
    assert not [p for p in html.rglob("*") if swap.TMP_PREFIX in p.as_posix()]
    assert swap.TMP_PREFIX not in (html / "searchindex.js").read_text(encoding="utf-8")

    again = _countybook(root, "run", "--year", "2024", "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert not list(root.glob(f"{swap.TMP_PREFIX}*")) and not list((root / "book").glob(f"{swap.TMP_PREFIX}*"))
    assert not list((root / "tmp").glob(f"{kernels.PRIVATE_PREFIX}{process.pid}-*"))

"""Warm kernels (countybook.run.kernels): a reused, reset kernel writes the bytes a fresh kernel writes.

Each comparison executes the same notebooks twice on a temporary copy: once with a fresh kernel
per notebook (papermill's own, reuse_kernels=False) and once with --jobs 1 and warm kernels, so
that every notebook after the first runs in a kernel that already executed another one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from countybook import paths
from countybook.run import execute as stage_execute
from countybook.run import kernels, runner

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
IGNORE = shutil.ignore_patterns("_build", ".git", "__pycache__", ".ipynb_checkpoints", ".countybook-tmp*")


def make_repo(root: Path, notebooks: dict[str, Path]) -> Path:
    """A copy of data/ and countybook/ taken now, and the given notebooks under new names."""
    for name in ("data", "countybook"):
        shutil.copytree(paths.ROOT / name, root / name, ignore=IGNORE)
    (root / "notebooks").mkdir()
    for name, source in notebooks.items():
        shutil.copy(source, root / "notebooks" / name)
    (root / "book").mkdir()
    return root


def execute(root: Path, edition: str, year: int = 2024, **kwargs) -> runner.RunResult:
    kwargs.setdefault("lang", "en")
    return runner.run(
        year,
        notebooks_dir=root / "notebooks",
        chapters_dir=root / "book" / edition,
        data_dir=root / "data",
        library_dir=root / "countybook",
        progress=False,
        force=True,
        **kwargs,
    )


def tree_bytes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def outputs(nb_path: Path) -> list[dict]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [output for cell in nb["cells"] for output in cell.get("outputs", [])]


def plain(output: dict) -> str:
    return "".join(output.get("data", {}).get("text/plain", ""))


def test_reset_warm_kernel_writes_the_bytes_of_a_fresh_kernel(tmp_path):
    """A notebook that changes globals, cwd, environment, sys.path, rcParams and warning state,
    then probes of all that: the probes read the same in a reset warm kernel as in a fresh one."""
    # chapter -> the fixture it is made from
    chapters = {
        "00_dirty.ipynb": "state_dirty.ipynb",
        "01_probe.ipynb": "state_probe.ipynb",
        "02_dirty.ipynb": "state_dirty.ipynb",
        "03_probe.ipynb": "state_probe.ipynb",
        "04_alpha.ipynb": "00_alpha.ipynb",
    }
    root = make_repo(tmp_path / "repo", {name: FIXTURES / fixture for name, fixture in chapters.items()})
    # Each fixture once in a fresh kernel of its own, under its first chapter's name (a notebook's
    # name is not in what it writes): what every chapter made from it must be, wherever it ran in
    # the warm kernel.
    first_chapter: dict[str, str] = {}
    for name, fixture in chapters.items():
        first_chapter.setdefault(fixture, name)
    fresh_root = make_repo(tmp_path / "fresh", {name: FIXTURES / fixture for fixture, name in first_chapter.items()})
    # The probes warn and draw outside the inline backend on purpose: not a book's chapter, so
    # the runner's verification (tests/test_faults.py) is off here.
    execute(fresh_root, "fresh", reuse_kernels=False, jobs=2, verify_outputs=False)
    started = []
    original = kernels.WarmKernel.start

    def counting_start(self):
        started.append(self)
        return original(self)

    try:
        kernels.WarmKernel.start = counting_start
        execute(root, "warm", jobs=1, verify_outputs=False)
    finally:
        kernels.WarmKernel.start = original
    assert len(started) == 1  # one kernel executed all five notebooks
    assert started[0].km is None  # and was shut down at the end

    fresh, warm = tree_bytes(fresh_root / "book" / "fresh"), tree_bytes(root / "book" / "warm")
    assert {name: warm[name] for name in chapters} == {
        name: fresh[first_chapter[fixture]] for name, fixture in chapters.items()
    }

    def others(tree: dict, notebooks) -> dict:  # the downloads and search words (not the run's manifest)
        return {name: digest for name, digest in tree.items() if name not in notebooks and not name.startswith(".")}

    assert others(warm, chapters) == others(fresh, first_chapter.values())

    probe = outputs(root / "book" / "warm" / "03_probe.ipynb")
    assert plain(probe[0]) == "[]"  # no variable left over
    state = plain(probe[1])
    assert "'cwd': 'notebooks'" in state and "'env': None" in state and "'figures': []" in state
    assert "'path': False" in state and "'runtime_warnings_ignored': False" in state
    assert "'linewidth': 9" not in state
    assert probe[1]["execution_count"] == 4  # counted from 1: injected parameters cell is 2
    assert [o["text"] for o in probe if o.get("name") == "stderr"] == [["<string>:2: UserWarning: probe warning\n"]]


def test_a_failing_notebook_gets_the_worker_a_new_kernel(tmp_path):
    root = make_repo(
        tmp_path / "repo",
        {
            "00_probe.ipynb": FIXTURES / "state_probe.ipynb",
            "01_broken.ipynb": FIXTURES / "broken.ipynb",
            "02_probe.ipynb": FIXTURES / "state_probe.ipynb",
        },
    )
    env = kernels.kernel_environment(root / "data", root / "countybook")
    kernel = kernels.WarmKernel(runner.KERNEL_NAME, root / "notebooks", env)
    templates = sorted((root / "notebooks").glob("*.ipynb"))
    plan = runner.RunPlan.create(
        2024,
        lang="en",
        notebooks_dir=root / "notebooks",
        chapters_dir=root / "book" / "chapters",
        data_dir=root / "data",
        library_dir=root / "countybook",
    )
    try:
        results = []
        for template in templates:
            outcome, _ = stage_execute.execute_one(template, plan, kernel)
            results.append(outcome)
            if isinstance(outcome, runner.Failure):
                assert kernel.km is None  # shut down after the failure
        assert kernel.starts == 2
    finally:
        kernel.shutdown(now=True)
    first, failure, second = results
    assert isinstance(failure, runner.Failure) and failure.cell == 3
    assert nbformat.writes(first) == nbformat.writes(second)


def test_kernels_are_shut_down_when_the_run_is_interrupted(tmp_path, monkeypatch):
    root = make_repo(tmp_path / "repo", {f"0{i}_alpha.ipynb": FIXTURES / "00_alpha.ipynb" for i in range(4)})
    made, pids = [], []
    original_start = kernels.WarmKernel.start

    def recording_start(self):
        made.append(self)
        original_start(self)
        pids.append(self.km.provisioner.process.pid)

    def interrupted(nb, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(kernels.WarmKernel, "start", recording_start)
    monkeypatch.setattr(runner, "write_notebook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        execute(root, "chapters", jobs=2)
    assert made and pids and all(kernel.km is None for kernel in made)
    assert sorted(p.name for p in (root / "book").iterdir()) == []
    for pid in pids:  # killed and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_warm_up_imports_what_the_notebooks_import(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import json, xml.dom\nfrom pathlib import Path\nfrom . import sibling"),
        nbformat.v4.new_markdown_cell("import markdown_is_not_code"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport behind_a_magic"),
        nbformat.v4.new_code_cell("def late():\n    import csv\nimport json"),
    ]
    path = tmp_path / "00_probe.ipynb"
    nbformat.write(notebook, path)
    assert kernels.imports_of([path]) == ("json", "xml.dom", "pathlib", "pathlib.Path", "csv")


def test_the_warm_up_skips_a_name_that_is_not_a_module_and_a_module_that_fails(tmp_path, monkeypatch):
    (tmp_path / "fails_on_import.py").write_text("raise RuntimeError('broken module')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    class Shell:
        pass

    shell = Shell()
    snapshot = kernels.warm_up(shell, ["pathlib.Path", "fails_on_import", "colorsys"])
    assert getattr(shell, kernels.SNAPSHOT_ATTRIBUTE) is snapshot
    assert "colorsys" in __import__("sys").modules and "fails_on_import" not in __import__("sys").modules


def test_a_new_client_of_a_killed_warm_kernel_stops_waiting(tmp_path):
    """nbclient asks each new client to wait until the kernel answers; a kernel killed meanwhile
    (an interrupted run) must end that wait with an error, not keep the worker for a minute."""
    env = kernels.kernel_environment(paths.data_dir(), paths.ROOT)
    kernel = kernels.WarmKernel(runner.KERNEL_NAME, tmp_path, env)
    kernel.start()
    try:
        from jupyter_core.utils import run_sync

        ready = kernel.km.client()
        ready.start_channels()
        run_sync(ready.wait_for_ready)(timeout=30)  # a live kernel answers
        ready.stop_channels()
        kernel.kill()
        late = kernel.km.client()
        late.start_channels()
        with pytest.raises(kernels.KernelError, match="the kernel died"):
            run_sync(late.wait_for_ready)(timeout=30)
        late.stop_channels()
    finally:
        kernel.shutdown(now=True)

"""countybook.run.execute: the kernel pool that the languages of one command-line run share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from runner_fixtures import repo, run, tree_digest  # noqa: F401 - repo is a fixture

from countybook.run import execute, kernels

SETTING = execute.KernelSetting("python3", Path("/notebooks"), (("COUNTYBOOK_DATA", "/data"),), ("pandas", "json"))


@pytest.mark.parametrize(
    "asked, served",
    [
        (SETTING, True),
        (execute.KernelSetting(SETTING.kernel_name, SETTING.notebooks_dir, SETTING.environment, ("json",)), True),
        (execute.KernelSetting(SETTING.kernel_name, SETTING.notebooks_dir, SETTING.environment, ("seaborn",)), False),
        (
            execute.KernelSetting(SETTING.kernel_name, SETTING.notebooks_dir, (("COUNTYBOOK_DATA", "/other"),), ()),
            False,
        ),
        (execute.KernelSetting(SETTING.kernel_name, Path("/elsewhere"), SETTING.environment, ()), False),
        (execute.KernelSetting("python2", SETTING.notebooks_dir, SETTING.environment, ()), False),
    ],
)
def test_a_warm_kernel_serves_only_the_same_place_environment_and_fewer_imports(asked, served):
    assert SETTING.serves(asked) is served


@pytest.fixture
def starts(monkeypatch) -> list:
    """Every WarmKernel started, in order."""
    started: list = []
    original = kernels.WarmKernel.start

    def counting(self):
        started.append(self)
        return original(self)

    monkeypatch.setattr(kernels.WarmKernel, "start", counting)
    return started


def test_both_languages_run_on_one_pools_kernel_with_the_bytes_of_separate_runs(repo, tmp_path, starts):  # noqa: F811
    alone = tmp_path / "alone"
    shutil.copytree(repo, alone)
    for lang in ("en", "zh"):
        run(alone, lang=lang, chapters_dir=alone / "book" / lang / "chapters")
    assert len(starts) == 2  # a kernel for each run of its own
    starts.clear()

    with execute.KernelPool(1) as pool:
        for lang in ("en", "zh"):
            run(repo, lang=lang, chapters_dir=repo / "book" / lang / "chapters", pool=pool)
        assert len(starts) == 1 and starts[0].km is not None  # still warm between the runs
    assert starts[0].km is None  # shut down with the pool
    for lang in ("en", "zh"):
        assert tree_digest(repo / "book" / lang / "chapters") == tree_digest(alone / "book" / lang / "chapters")


def test_a_run_on_other_data_gets_a_new_kernel_from_the_pool(repo, tmp_path, starts):  # noqa: F811
    other = tmp_path / "other-data"
    shutil.copytree(repo / "data", other)
    with execute.KernelPool(1) as pool:
        run(repo, pool=pool)
        run(repo, pool=pool, data_dir=other, chapters_dir=repo / "book" / "other", force=True)
        assert len(starts) == 2
        assert starts[0].km is None and starts[1].km is not None  # the first was shut down for the second
    assert starts[1].km is None


def test_an_interrupted_run_closes_the_pool_and_its_kernels(repo, starts, monkeypatch):  # noqa: F811
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with execute.KernelPool(1) as pool:
        run(repo, pool=pool)
        monkeypatch.setattr("countybook.run.runner.write_notebook", interrupted)
        with pytest.raises(KeyboardInterrupt):
            run(repo, pool=pool, lang="zh", chapters_dir=repo / "book" / "zh" / "chapters")
        # One kernel (a reset that met the killed kernel may ask it to start again: it refuses).
        assert all(kernel is starts[0] for kernel in starts)
        assert starts[0].killed and starts[0].km is None
        assert not (repo / "book" / "zh" / "chapters").exists()

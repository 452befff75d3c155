"""countybook.run.swap: staging beside the book, the atomic swap, recovery after an interruption,
one run per book folder."""
from __future__ import annotations

import os

import pytest

from countybook.run import private_apis, runner, swap

from runner_fixtures import (  # noqa: F401 - fixtures are used by name
    EDITION, FIXTURES, TIMESTAMP, cli_args, edit_one_figure, executions, plain, repo, run, tree_digest,
    use_repo_paths,
)


# --------------------------------------------------------------------------- edition swap


def test_swap_without_renameat2_and_recovery_after_interruption(repo, monkeypatch, executions):
    chapters = repo / "book" / "chapters"
    monkeypatch.setattr(private_apis, "rename_exchange", lambda a, b: False)
    run(repo)
    run(repo, force=True)
    digest = tree_digest(chapters)
    assert sorted(p.name for p in (repo / "book").iterdir()) == ["chapters"]

    # Interrupted between "rename old aside" and "rename new into place", plus a half-built folder.
    os.rename(chapters, repo / "book" / f"{swap.TMP_PREFIX}-old-x")
    (repo / "book" / f"{swap.TMP_PREFIX}-new-y").mkdir()
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

"""countybook.run.swap: staging beside the book, the atomic swap, recovery after an interruption,
one run per book folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from runner_fixtures import cli_args, run, tree_digest, use_repo_paths

from countybook.run import command, execute, private_apis, runner, swap

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


# --------------------------------------------------------------------------- two languages at once


def test_a_run_of_one_language_leaves_another_languages_staging_alone(repo, executions):
    """`run --lang en &` then `run --lang zh`: the English run is simulated in progress (its book
    folder locked, its staging folder half-written); the Chinese run succeeds beside it and
    touches neither, while what an older version left (no language in the name) is removed."""
    import fcntl

    english_staging = repo / f"{swap.TMP_PREFIX}-new-en-k3j2h1"
    english_staging.mkdir()
    (english_staging / "00_alpha.ipynb").write_text("being written", encoding="utf-8")
    legacy = repo / f"{swap.TMP_PREFIX}-new-a1b2c3d4"
    legacy.mkdir()
    fd = os.open(repo / "book", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the English run holds its book folder
        result = run(repo, lang="zh", chapters_dir=repo / "book" / "zh" / "chapters")
    finally:
        os.close(fd)
    assert result.executed == ["00_alpha.ipynb", "01_beta.ipynb"]
    assert (english_staging / "00_alpha.ipynb").read_text(encoding="utf-8") == "being written"
    assert not legacy.exists()
    assert sorted(p.name for p in repo.glob(f"{swap.TMP_PREFIX}*")) == [english_staging.name]


def test_staging_folders_carry_their_language(repo, monkeypatch):
    seen = []
    staging = swap.new_staging_folder
    monkeypatch.setattr(swap, "new_staging_folder", lambda *args: seen.append(staging(*args)) or seen[-1])
    monkeypatch.setattr(execute, "execute_all", lambda *args, **kwargs: None)
    run(repo, lang="zh", chapters_dir=repo / "book" / "zh" / "chapters")
    assert len(seen) == 1 and seen[0].parent == repo and seen[0].name.startswith(f"{swap.TMP_PREFIX}-new-zh-")


# --------------------------------------------------------------------------- staging on the target's file system


def _devices(monkeypatch, by_folder: dict[Path, int]) -> None:
    """Fault injection: pretend some folders are mounts of their own."""
    monkeypatch.setattr(swap, "device", lambda path: by_folder.get(Path(path), 1))


def test_with_book_on_another_file_system_the_run_stages_inside_the_book_folder(repo, monkeypatch):
    book = repo / "book"
    _devices(monkeypatch, {book: 2, book / "chapters": 2})
    seen = []
    staging = swap.new_staging_folder
    monkeypatch.setattr(swap, "new_staging_folder", lambda *args: seen.append(staging(*args)) or seen[-1])
    result = run(repo)
    assert result.executed == ["00_alpha.ipynb", "01_beta.ipynb"]
    assert seen[0].parent == book and not seen[0].exists()
    assert sorted(p.name for p in book.iterdir()) == ["chapters"]


def test_chapters_on_a_file_system_of_their_own_is_refused_before_any_kernel(repo, monkeypatch, capsys):
    run(repo)
    before = tree_digest(repo / "book" / "chapters")
    _devices(monkeypatch, {repo / "book" / "chapters": 3})

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started although the swap cannot succeed")

    monkeypatch.setattr(execute, "execute_all", no_kernel)
    use_repo_paths(monkeypatch, repo)
    code = command.run_main(cli_args("--year", "2024", "--lang", "en", "--force"))
    assert code == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("en: ") and "file system of its own" in err
    assert tree_digest(repo / "book" / "chapters") == before
    assert not list(repo.glob(f"{swap.TMP_PREFIX}*"))

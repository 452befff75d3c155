"""Where a run stages its edition and how it puts it in place (step 6 of a run).

A run assembles its edition in a folder of its own, named for its language
(.countybook-tmp-new-<lang>-*), beside the book folder: same file system, so the swap is a rename,
but never read by jupyter-book, which would publish a killed run's half-built chapters. Runs of
different languages lock different book folders and may run at once, so each recovers only what a
run of its own language (or an older version, whose names carry no language) left behind.
Where the folder beside the book is on another file system (book/ is a mount of its own), the
run stages inside the book folder (_config.yml keeps the name out of the site); where neither can
be renamed onto the target, the run refuses before any kernel starts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .. import paths
from . import private_apis
from .plan import RunError, default_language

# Folders of a run in progress (-new-) or of a swap interrupted half-way (-old-). _config.yml
# also excludes the name, build removes pages older runs left in _build/, .gitignore names it.
TMP_PREFIX = ".countybook-tmp"


@contextlib.contextmanager
def exclusive(book_dir: Path):
    """One run at a time per book folder (see countybook.lock)."""
    from .. import lock

    try:
        with lock.locked(
            book_dir, shared=False, busy_message=f"another run is writing {book_dir}; try again when it has finished"
        ):
            yield
    except lock.Busy as err:
        raise RunError(str(err)) from None


def staging_root(chapters_dir: Path, lang: str) -> Path:
    """The folder beside the book folder — also beside the default edition's book folder, which
    holds the other editions (book/zh/chapters/ stages beside book/)."""
    book = chapters_dir.parent
    for _ in paths.edition_dir(Path(), lang, default_language()).parts:
        book = book.parent
    return book.parent


def device(path: Path) -> int:
    return os.stat(path).st_dev


def staging_dir(chapters_dir: Path, lang: str) -> Path:
    """Where this edition stages: the first of beside-the-book and the book folder itself that is
    on the file system of the edition (so the swap is a rename); RunError naming both otherwise."""
    target = chapters_dir if chapters_dir.exists() else chapters_dir.parent
    wanted = device(target)
    candidates = [staging_root(chapters_dir, lang), chapters_dir.parent]
    for candidate in candidates:
        if device(candidate) == wanted:
            return candidate
    raise RunError(
        f"{target} is on a file system of its own: a new edition could not be renamed "
        f"into it from {candidates[0]} or {candidates[1]}; make {target.parent} "
        "part of the same file system"
    )


def new_staging_folder(chapters_dir: Path, lang: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}-new-{lang}-", dir=staging_dir(chapters_dir, lang)))
    os.chmod(folder, 0o755)
    return folder


def _language_of(leftover: Path) -> str | None:
    """The language in a staging folder's name; None for an older version's (no language)."""
    kind_and_rest = leftover.name[len(TMP_PREFIX) + 1 :]
    rest = kind_and_rest.split("-", 1)[1] if "-" in kind_and_rest else ""
    return rest.split("-", 1)[0] if "-" in rest else None


def recover(chapters_dir: Path, lang: str) -> None:
    """Undo what an interrupted run of this language left behind (we hold its lock, so none of
    those is in progress); another language's staging is left alone."""
    folders = {staging_root(chapters_dir, lang), chapters_dir.parent}
    leftovers = sorted(
        (
            path
            for folder in folders
            for path in folder.glob(f"{TMP_PREFIX}-*")
            if path.is_dir() and _language_of(path) in (lang, None)
        ),
        key=lambda p: p.stat().st_mtime,
    )
    olds = [p for p in leftovers if p.name.startswith(f"{TMP_PREFIX}-old-")]
    if not chapters_dir.exists() and olds:
        # Interrupted between the two renames of the fallback swap: put the old edition back.
        os.rename(olds[-1], chapters_dir)
        leftovers.remove(olds[-1])
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def swap_into_place(new_dir: Path, chapters_dir: Path) -> None:
    """Make new_dir the edition; afterwards new_dir holds the previous edition, if any."""
    if not chapters_dir.exists():
        os.rename(new_dir, chapters_dir)
        return
    if private_apis.rename_exchange(new_dir, chapters_dir):
        return
    old_dir = new_dir.with_name(new_dir.name.replace(f"{TMP_PREFIX}-new-", f"{TMP_PREFIX}-old-", 1))
    os.rename(chapters_dir, old_dir)
    try:
        os.rename(new_dir, chapters_dir)
    except BaseException:
        os.rename(old_dir, chapters_dir)
        raise
    os.rename(old_dir, new_dir)

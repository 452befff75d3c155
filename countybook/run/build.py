"""`run --build`: the book built from the editions in place, with one line for any failure.

`jupyter-book build book/` from the repository root builds the default edition, and
book/_ext/editions.py builds the others into _build/html/<lang>/. Before it starts, this module
checks what would otherwise fail deep inside Sphinx with a traceback, or worse publish something
untrue: the editions form one set (countybook.run.edition_set), the message catalogues parse, and
_build/ can be written. jupyter-book's own output goes to _build/jupyter-book.log; a failing
build is reported in one line naming its cause (a full disk, a read-only file system, the first
error line) and the log.

The build is skipped when the stamp in _build/ shows that the last successful build read exactly
the current book/ tree (editions included), _config.yml, _toc.yml and environment, and that
_build/html/ is as that build left it: Sphinx would rebuild nothing anyway, and its start-up
alone costs more than a whole unchanged run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import paths
from ..errors import describe_os_error
from . import cache, edition_set
from .swap import TMP_PREFIX

BUILD_DIR = "_build"  # where `jupyter-book build book/` writes (beside _config.yml)
BUILD_STAMP = ".countybook-build.json"  # in BUILD_DIR: what the last successful build read
BUILD_LOG = "jupyter-book.log"  # in BUILD_DIR: jupyter-book's output of the last build
PRINT_EDITION_DIR = "pdf"  # = pdf.PDF_DIR: the PDFs copied into each edition's site after the build
# An OSError in jupyter-book's output: "OSError: [Errno 28] No space left on device: '…'".
OS_ERROR = re.compile(r"\[Errno (\d+)\][^:]*(?::\s*'([^']*)')?")


class BuildRefused(Exception):
    """The book cannot be built as it stands; the message says what to do."""


def build(book_dir: Path | None = None, root: Path | None = None) -> int:
    """Build the book; its exit code, after one line on stderr if it failed."""
    root = Path(root or paths.ROOT)
    book_dir = Path(book_dir or paths.BOOK_DIR)
    try:
        return _build(book_dir, root)
    except BuildRefused as err:
        print(f"build refused: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"build failed: {describe_os_error(err)}", file=sys.stderr)
        return 1


def _build(book_dir: Path, root: Path) -> int:
    build_dir = root / BUILD_DIR
    check_before_build(book_dir, build_dir)
    stamp_file = build_dir / BUILD_STAMP
    remove_stale_build_pages(build_dir)  # before the stamp check: removing them changes the html hash
    inputs = _build_inputs(book_dir, root)
    try:
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
        if stamp.get("inputs") == inputs and stamp.get("html") == _html_hash(root):
            print("book unchanged since the last build: jupyter-book not run", file=sys.stderr)
            return 0
    except (OSError, ValueError, AttributeError):
        pass
    program = jupyter_book()
    if program is None:
        print(
            "build failed: jupyter-book not found beside this Python or on PATH (install requirements.txt)",
            file=sys.stderr,
        )
        return 127
    target = os.path.relpath(book_dir, root) + os.sep
    with contextlib.suppress(OSError):
        stamp_file.unlink()  # a build that fails or is interrupted leaves no stamp
    log = build_dir / BUILD_LOG
    print(f"building the book (jupyter-book build {target}; its output in {log.relative_to(root)})", file=sys.stderr)
    done = subprocess.run(
        [program, "build", target],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    output = done.stdout or ""
    with contextlib.suppress(OSError):
        log.write_text(output, encoding="utf-8")
    if done.returncode != 0:
        print(f"build failed: {failure_line(output, root)} (see {log.relative_to(root)})", file=sys.stderr)
        return done.returncode
    if (build_dir / "html").is_dir():
        with contextlib.suppress(OSError):
            stamp_file.write_text(
                json.dumps({"inputs": inputs, "html": _html_hash(root)}, sort_keys=True), encoding="utf-8"
            )
    return 0


def jupyter_book() -> str | None:
    """jupyter-book beside this interpreter (a venv not activated) or else on PATH."""
    beside = Path(sys.executable).with_name("jupyter-book")
    return str(beside) if beside.exists() else shutil.which("jupyter-book")


def check_before_build(book_dir: Path, build_dir: Path) -> None:
    """BuildRefused or OSError, in one line, for what would fail or mislead inside the build."""
    problem = edition_set.problem(book_dir)
    if problem:
        raise BuildRefused(problem)
    check_catalogues()
    build_dir.mkdir(parents=True, exist_ok=True)
    # A read-only or full file system, found before Sphinx writes half a site; named as the
    # folder the user can do something about, not as the probe file.
    try:
        with tempfile.NamedTemporaryFile(dir=build_dir, prefix=".countybook-write-check-") as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as err:
        raise OSError(err.errno, err.strerror, f"{build_dir.name}/") from None


def check_catalogues() -> None:
    """Every page's words come from the catalogues: one that does not parse fails every page."""
    import yaml

    from ..render import messages

    for lang in messages.languages():
        path = messages.catalogue_path(lang)
        try:
            # libyaml: PyYAML's own scanner takes ten times as long, in every build's process.
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            reason = getattr(err, "problem", None) or str(err).splitlines()[0]
            raise BuildRefused(
                f"{path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path}"
                f"{where}: {reason} (fix the catalogue, then build again)"
            ) from None


def failure_line(output: str, root: Path) -> str:
    """The cause of a failed build in one phrase: a file-system error first, then the first error line."""
    for match in OS_ERROR.finditer(output):
        code = int(match.group(1))
        if code in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT, errno.EPERM):
            return describe_os_error(OSError(code, os.strerror(code), match.group(2)))
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"(Error|Exception)\b|\b(error|ERROR|CRITICAL)\b", line) and not line.startswith(
            ("Traceback", "File ")
        ):
            return line.replace(str(root) + os.sep, "")
    return f"jupyter-book ended with {lines[-1] if lines else 'no output'}"


def remove_stale_build_pages(build_dir: Path) -> list[Path]:
    """Remove what builds of an older layout left in _build/: pages made of a run's temporary
    folder under book/, and another edition's executed notebooks inside the default site
    (_build/html/jupyter_execute/, where myst-nb put them before editions.py gave each its own).

    Sphinx drops a vanished source from its index but leaves its HTML pages (and their copies in
    the other build folders) in place, where they stay reachable. Returns what was removed.
    """
    build_dir = Path(build_dir)
    if not build_dir.is_dir():
        return []
    stale = sorted(build_dir.glob(f"*/{TMP_PREFIX}*")) + [
        p for p in [build_dir / "html" / "jupyter_execute"] if p.exists()
    ]
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return stale


def _build_inputs(book_dir: Path, root: Path) -> dict:
    return {
        "book": cache.tree_hash(book_dir, exclude=(f"{TMP_PREFIX}*", BUILD_DIR)),
        "config": [
            cache.file_hash(path) if path.is_file() else None for path in (root / "_config.yml", root / "_toc.yml")
        ],
        "environment": cache.environment_hash("jupyter-book"),
        "target": os.path.relpath(book_dir, root),
    }


def _html_hash(root: Path) -> str:
    # The print edition lands in the site after the build; it does not make the build stale.
    return cache.tree_hash(root / BUILD_DIR / "html", exclude=(PRINT_EDITION_DIR,))

"""python -m countybook run --year Y [--lang L] [--jobs N] [--build] [--force] [--pdf]

Executes every notebooks/NN_*.ipynb (plus notebooks/index.ipynb, the book's root page) with
papermill for one year and one language and replaces that language's chapters folder with the
result as one edition: book/chapters/ for English, book/<lang>/chapters/ for another language
(countybook.paths.edition_dir). Without --lang every language with a message catalogue is run,
one edition after the other, each with its own cache manifest, lock and swap. Before a template
is executed, its `{{ page.… }}` markdown cells are filled in the edition's language
(countybook.render.page_text).

1. The year is checked against data/ before any kernel starts: an unknown year exits 2 with one
   line naming the years that hold figures; bad data prints the DataError and exits 1.
2. Notebooks whose inputs are unchanged since their last successful execution are reused from
   the current edition (see countybook.run.cache for what is tracked); --force executes all. When
   nothing at all changed (every notebook reusable, downloads intact, same data, library,
   environment and year as recorded in the manifest) the run ends there, without loading the
   data or importing pandas or papermill: the year was checked against these very data when the
   edition in place was made. Anything else goes through the year check of 1 first.
3. The others run on --jobs worker threads (default os.cpu_count()). Each worker starts ONE
   python3 kernel in notebooks/ (with parameters {"year": Y}, COUNTYBOOK_DATA pointing at the
   data the year was checked against, the library on PYTHONPATH, and an environment fixed by
   countybook.run.kernels whatever the caller's: inline matplotlib backend, C.UTF-8 locale, UTC,
   PYTHONHASHSEED=0; connection files in a private folder removed on every exit), imports
   countybook.render.chapter into it once, and executes its notebooks one after another in it through
   papermill.execute_notebook(..., km=...), resetting the kernel to its warm-up state before
   each (countybook.run.kernels; the output is byte-identical to a fresh kernel's). A notebook that
   fails gets its worker a new kernel; all kernels are shut down at the end, also on failure or
   Ctrl-C. run(reuse_kernels=False) starts a fresh kernel per notebook instead.
4. If any notebook raises, or an executed notebook fails verify() (a figure without its image,
   an error or stderr output, other parameters than the run's), the run is rejected naming
   notebook, cell index and the first line of the fault, and book/chapters/ is left as it was.
   The data folder is locked for reading from the year check to the swap (countybook.lock), so
   an `add` meanwhile is refused rather than reaching some chapters and not others.
5. Executed notebooks are post-processed so that a rerun writes byte-identical files: the
   injected-parameters cell also gets `remove-cell` and a fixed id, and timestamps, durations
   and input/output paths are dropped. A notebook whose bytes come out identical to the
   previous edition keeps that file (hard link), so its modification time does not change and
   an incremental jupyter-book build does not read it again.
6. The new edition is assembled in .countybook-tmp-new-*/ beside book/ (same file system, but
   never read by jupyter-book, which would publish a killed run's half-built chapters) and swapped
   with book/chapters/ by one atomic renameat2(RENAME_EXCHANGE) where available, else by two
   renames that a later run repairs if interrupted between them. It holds exactly the executed
   notebooks, the CSV downloads of countybook.render.downloads (downloads/), the search words of
   countybook.render.search_words and the cache manifest (.runner-cache.json). An edition identical to the one in place is not swapped at all.
7. --build then runs `jupyter-book build book/` from the repository root and returns its exit
   code (--pdf also, then prints the books with `python -m countybook pdf`, countybook.run.pdf); it is skipped when _build/.countybook-build.json shows that the last successful build
   read exactly the current book/, _config.yml, _toc.yml and environment and left _build/html/
   as it is now.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from .. import paths
from ..errors import DataError, describe_os_error
from ..years import count_argument, year_argument


def _languages() -> tuple[str, ...]:
    from ..render.messages import languages

    return languages()


def _default_language() -> str:
    from ..render.messages import DEFAULT_LANGUAGE

    return DEFAULT_LANGUAGE


def lang_argument(text: str) -> str:
    """--lang: one of the languages with a catalogue; anything else exits 2 naming them."""
    if text not in _languages():
        raise argparse.ArgumentTypeError(f"unknown language {text!r}; the languages are {', '.join(_languages())}")
    return text

# Bump when post-processing changes what is written, so cached chapters are executed again.
# 2: notebooks are verified before they enter an edition (an edition made before could hold
# charts lost to MPLBACKEND=Agg, and must not be reused).
RUNNER_VERSION = 2
NOTEBOOK_GLOB = "[0-9][0-9]*_*.ipynb"  # 05b_… slots a chapter between two others
EXTRA_NOTEBOOKS = ("index.ipynb",)  # the book's root page (_toc.yml: root: chapters/index)
# Folders of a run in progress (-new-) or of a swap interrupted half-way (-old-). They live beside
# book/, not in it, because `jupyter-book build book/` reads every notebook under book/ and would
# publish a killed run's half-built chapters; _config.yml also excludes the name and build()
# removes pages older runs left in _build/. Named in .gitignore.
TMP_PREFIX = ".countybook-tmp"
BUILD_DIR = "_build"  # where `jupyter-book build book/` writes (beside _config.yml)
BUILD_STAMP = ".countybook-build.json"  # in BUILD_DIR: what the last successful build read
KERNEL_NAME = "python3"
INJECTED_TAG = "injected-parameters"
REMOVE_TAG = "remove-cell"
HIDE_INPUT_TAG = "hide-input"
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed_timing")
VOLATILE_PAPERMILL_CELL = ("start_time", "end_time", "duration")
VOLATILE_PAPERMILL_NOTEBOOK = ("start_time", "end_time", "duration", "input_path", "output_path")


class UnknownYear(Exception):
    def __init__(self, year: int, years: list[int]):
        self.year, self.years = year, years
        available = ", ".join(str(y) for y in years) or "none"
        super().__init__(f"no figures for {year}; years with figures: {available}")


class RunError(Exception):
    """The run could not start or finish; book/chapters/ is untouched."""


@dataclass(frozen=True)
class Failure:
    notebook: str
    cell: int | None
    error: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "outside any cell"
        return f"{self.notebook}, {where}: {self.error}"


class RunRejected(RunError):
    def __init__(self, failures: list[Failure], chapters_dir: Path):
        self.failures = failures
        lines = [f"run rejected ({chapters_dir.name}/ left untouched; cells counted from 0):"]
        lines += [f"  {failure}" for failure in failures]
        super().__init__("\n".join(lines))


@dataclass
class RunResult:
    executed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    charts: dict[str, int] = field(default_factory=dict)  # images in each executed notebook
    changed: bool = True  # False when the edition in place was already up to date


# --------------------------------------------------------------------------- command line


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_argument, required=True, help="year whose figures the chapters show")
    parser.add_argument("--lang", type=lang_argument, default=None,
                        help="edition to run: " + " or ".join(_languages()) + " (default: every language)")
    parser.add_argument("--jobs", type=count_argument, default=os.cpu_count() or 1,
                        help="notebooks executed at once (default: number of CPUs)")
    parser.add_argument("--build", action="store_true", help="then run `jupyter-book build book/`")
    parser.add_argument("--force", action="store_true", help="execute every notebook, ignoring the cache")
    parser.add_argument("--pdf", action="store_true",
                        help="then print each built book as an A4 PDF into _build/pdf/ (implies --build)")


def run_main(args) -> int:
    for lang in [args.lang] if getattr(args, "lang", None) else _languages():
        started = time.monotonic()
        try:
            result = run(args.year, lang=lang, jobs=args.jobs, force=args.force)
        except UnknownYear as err:
            print(err, file=sys.stderr)
            return 2
        except (DataError, RunError) as err:
            print(f"{lang}: {err}", file=sys.stderr)
            return 1
        except OSError as err:  # a full disk, a read-only file system: the swap is the last step
            print(f"{lang}: {describe_os_error(err)}; the edition was left as it was", file=sys.stderr)
            return 1
        charts = sum(result.charts.values())
        print(
            f"{lang}: {len(result.executed)} executed, {len(result.reused)} reused"
            f"{'' if result.changed else ' (edition already up to date)'}"
            f"{f', {charts} charts checked' if result.executed else ''}"
            f" in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
        )
    if args.build or getattr(args, "pdf", False):
        try:
            code = build()
        except KeyboardInterrupt:
            print("interrupted during the book build; the new edition is in place: "
                  "run `jupyter-book build book/` to finish", file=sys.stderr)
            return 130
        if code != 0 or not getattr(args, "pdf", False):
            return code
        return print_edition(args.lang)
    return 0


def print_edition(lang: str | None = None) -> int:
    """`python -m countybook pdf` in a fresh process: Playwright runs its own event loop, and the
    run's threads, kernels and imports have no business in it."""
    command = [sys.executable, "-m", "countybook", "pdf"] + (["--lang", lang] if lang else [])
    return subprocess.call(command, cwd=paths.ROOT)


def build(book_dir: Path | None = None, root: Path | None = None) -> int:
    """`jupyter-book build book/` from the repository root; its exit code.

    Skipped (exit 0) when the build stamp in _build/ shows that the last successful build read
    exactly the current book/ tree (edition included), _config.yml, _toc.yml and environment,
    and that _build/html/ is as that build left it: Sphinx would rebuild nothing anyway, and its
    start-up alone costs more than a whole unchanged run.
    """
    root = Path(root or paths.ROOT)
    book_dir = Path(book_dir or paths.BOOK_DIR)
    stamp_file = root / BUILD_DIR / BUILD_STAMP
    remove_stale_build_pages(root / BUILD_DIR)  # before the stamp check: removing them changes the html hash
    inputs = _build_inputs(book_dir, root)
    try:
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
        if stamp.get("inputs") == inputs and stamp.get("html") == _html_hash(root):
            print("book unchanged since the last build: jupyter-book not run", file=sys.stderr)
            return 0
    except (OSError, ValueError, AttributeError):
        pass
    beside = Path(sys.executable).with_name("jupyter-book")
    program = str(beside) if beside.exists() else shutil.which("jupyter-book")
    if program is None:
        print("jupyter-book not found", file=sys.stderr)
        return 127
    target = os.path.relpath(book_dir, root) + os.sep
    with contextlib.suppress(OSError):
        stamp_file.unlink()  # a build that fails or is interrupted leaves no stamp
    code = subprocess.call([program, "build", target], cwd=root)
    if code == 0 and (root / BUILD_DIR / "html").is_dir():
        with contextlib.suppress(OSError):
            stamp_file.write_text(json.dumps({"inputs": inputs, "html": _html_hash(root)}, sort_keys=True),
                                  encoding="utf-8")
    return code


def remove_stale_build_pages(build_dir: Path) -> list[Path]:
    """Remove what builds of an older layout made of a run's temporary folder under book/.

    Sphinx drops a vanished source from its index but leaves its HTML pages (and their copies in
    the other build folders) in place, where they stay reachable. Returns the folders removed.
    """
    removed = []
    for stale in sorted(Path(build_dir).glob(f"*/{TMP_PREFIX}*")) if Path(build_dir).is_dir() else []:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


def _build_inputs(book_dir: Path, root: Path) -> dict:
    return {
        "book": cache.tree_hash(book_dir, exclude=(f"{TMP_PREFIX}*", BUILD_DIR)),
        "config": [cache.file_hash(path) if path.is_file() else None
                   for path in (root / "_config.yml", root / "_toc.yml")],
        "environment": cache.environment_hash("jupyter-book"),
        "target": os.path.relpath(book_dir, root),
    }


PRINT_EDITION_DIR = "pdf"  # = pdf.PDF_DIR: the PDFs copied into each edition's site after the build


def _html_hash(root: Path) -> str:
    # The print edition lands in the site after the build; it does not make the build stale.
    return cache.tree_hash(root / BUILD_DIR / "html", exclude=(PRINT_EDITION_DIR,))


# --------------------------------------------------------------------------- the run


def check_year(year: int, data_dir: Path):
    """The loaded Dataset; raise UnknownYear (or the loader's DataError) before any kernel starts."""
    from ..data import load
    from ..render import catalogue_check

    catalogue_check.check()  # a broken catalogue would otherwise pass the run and break the build
    ds = load(data_dir)
    years = ds.years()
    if year not in years:
        raise UnknownYear(year, years)
    return ds


def run(
    year: int,
    *,
    lang: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    notebooks_dir: Path | None = None,
    chapters_dir: Path | None = None,
    data_dir: Path | None = None,
    library_dir: Path | None = None,
    kernel_name: str = KERNEL_NAME,
    progress: bool = True,
    reuse_kernels: bool = True,
    verify_outputs: bool = True,
) -> RunResult:
    """Execute the notebooks for year and lang (default English) into chapters_dir; paths default
    to countybook.paths (book/chapters/ for English, book/<lang>/chapters/ for another language).

    reuse_kernels=False starts a fresh kernel for every notebook (slower; the warm kernels are
    tested to write the same bytes). verify_outputs=False skips verify() (for tests whose
    notebooks write to stderr on purpose); the command line always verifies.
    """
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve()
    lang = lang or _default_language()
    if lang not in _languages():
        raise RunError(f"unknown language {lang!r}; the languages are {', '.join(_languages())}")
    chapters_dir = Path(chapters_dir or paths.chapters_dir(lang)).absolute()
    data_dir = Path(data_dir or paths.data_dir()).resolve()
    library_dir = Path(library_dir or paths.ROOT / "countybook").resolve()
    jobs = jobs or os.cpu_count() or 1
    book_dir = chapters_dir.parent

    templates = sorted(notebooks_dir.glob(NOTEBOOK_GLOB))
    if templates:
        templates += [path for path in (notebooks_dir / name for name in EXTRA_NOTEBOOKS) if path.is_file()]

    from . import kernels  # standard library only at import time

    kernels.remove_stale_private_folders()  # connection files of killed runs, even if none starts now
    with _reading_data(data_dir):
        # Nothing changed at all: answered from hashes and the manifest, without loading the data
        # (the year was checked against these very data when the edition in place was made).
        if templates and not force and book_dir.is_dir():
            with _exclusive(book_dir):
                _recover(book_dir, chapters_dir, lang)
                unchanged = _unchanged_edition(year, lang, templates, chapters_dir, data_dir, library_dir,
                                               kernel_name)
                if unchanged is not None:
                    return unchanged

        ds = check_year(year, data_dir)
        if not templates:
            raise RunError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}")

        book_dir.mkdir(parents=True, exist_ok=True)
        with _exclusive(book_dir):
            _recover(book_dir, chapters_dir, lang)
            return _run_locked(year, lang, jobs, force, templates, notebooks_dir, chapters_dir, data_dir,
                               library_dir, kernel_name, progress, ds, reuse_kernels, verify_outputs)


def staging_dir(chapters_dir: Path, lang: str | None = None) -> Path:
    """Where a run assembles its edition: beside the book folder (same file system, so the swap
    is a rename), never inside it (see TMP_PREFIX) — nor inside the default edition's book
    folder, which holds the other editions' (book/zh/chapters/ stages beside book/)."""
    from pathlib import PurePath

    book = chapters_dir.parent
    for _ in paths.edition_dir(PurePath(), lang or _default_language(), _default_language()).parts:
        book = book.parent
    return book.parent


@contextlib.contextmanager
def _reading_data(data_dir: Path):
    from .. import lock

    if not data_dir.is_dir():  # check_year reports the missing files
        yield
        return
    try:
        with lock.reading_data(data_dir):
            yield
    except lock.Busy as err:
        raise RunError(str(err)) from None


def run_parameters(year: int, lang: str) -> dict:
    """What papermill injects into every notebook of an edition."""
    return {"year": year, "lang": lang}


def _shared_inputs(year: int, lang: str, data_dir: Path, library_dir: Path, kernel_name: str) -> dict:
    """The inputs every notebook of the run shares (countybook.run.cache explains each)."""
    from ..render.messages import catalogue_path

    # The catalogue the kernels read: the one in library_dir (a test's frozen copy, say).
    catalogue = Path(library_dir) / catalogue_path(lang).relative_to(Path(paths.__file__).parent)
    return {
        "parameters": cache.parameters_key(run_parameters(year, lang)),
        "data": cache.tree_hash(data_dir),
        "library": cache.tree_hash(library_dir, "*.py"),
        "catalogue": cache.file_hash(catalogue) if catalogue.is_file() else None,
        "environment": cache.environment_hash(kernel_name),
        "runner": RUNNER_VERSION,
    }


def _unchanged_edition(year, lang, templates, chapters_dir, data_dir, library_dir, kernel_name) -> RunResult | None:
    """RunResult(all reused, changed=False) when the edition in place is exactly what a run would
    write; None when anything differs (then the full run decides what to execute)."""
    if not chapters_dir.is_dir():
        return None
    entries = cache.read_manifest(chapters_dir)
    edition = cache.read_edition(chapters_dir)
    names = [template.name for template in templates]
    if not entries or not edition or sorted(entries) != sorted(names):
        return None
    shared = _shared_inputs(year, lang, data_dir, library_dir, kernel_name)
    if edition.get("inputs") != shared:
        return None
    for template in templates:
        inputs = {**shared, "template": cache.file_hash(template)}
        if not cache.reusable(entries.get(template.name), inputs, chapters_dir / template.name):
            return None
    files = edition.get("files")
    if not isinstance(files, dict):
        return None
    present = {path.relative_to(chapters_dir).as_posix() for path in chapters_dir.rglob("*") if path.is_file()}
    if present != set(files) | set(names) | {cache.MANIFEST_NAME}:
        return None
    try:
        if any(cache.file_hash(chapters_dir / name) != digest for name, digest in files.items()):
            return None
    except OSError:
        return None
    return RunResult(reused=names, changed=False)


def _run_locked(year, lang, jobs, force, templates, notebooks_dir, chapters_dir, data_dir, library_dir,
                kernel_name, progress, ds, reuse_kernels=True, verify_outputs=True) -> RunResult:
    parameters = run_parameters(year, lang)
    shared = _shared_inputs(year, lang, data_dir, library_dir, kernel_name)
    previous = cache.read_manifest(chapters_dir) if chapters_dir.is_dir() else {}
    entries: dict[str, dict] = {}
    to_run: list[Path] = []
    result = RunResult()
    for template in templates:
        inputs = {**shared, "template": cache.file_hash(template)}
        entries[template.name] = {"inputs": inputs}
        entry = previous.get(template.name)
        if not force and cache.reusable(entry, inputs, chapters_dir / template.name):
            entries[template.name]["output"] = entry["output"]
            result.reused.append(template.name)
        else:
            to_run.append(template)

    new_dir = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}-new-", dir=staging_dir(chapters_dir, lang)))
    try:
        os.chmod(new_dir, 0o755)
        for name in result.reused:
            _link_or_copy(chapters_dir / name, new_dir / name)
        _write_downloads(ds, year, lang, new_dir, chapters_dir)

        failures = _execute_all(to_run, parameters, jobs, notebooks_dir, data_dir, library_dir,
                                kernel_name, progress, len(result.reused), new_dir, chapters_dir,
                                entries, result, reuse_kernels, verify_outputs, ds.themes)
        if failures:
            raise RunRejected(failures, chapters_dir)

        # Every file of the edition besides notebooks and manifest (the downloads), so that an
        # unchanged rerun can be recognised from hashes alone (_unchanged_edition).
        files = {
            path.relative_to(new_dir).as_posix(): cache.file_hash(path)
            for path in sorted(new_dir.rglob("*")) if path.is_file() and path.name not in entries
            and path.relative_to(new_dir).as_posix() != cache.MANIFEST_NAME
        }
        manifest = new_dir / cache.MANIFEST_NAME
        manifest.write_text(cache.manifest_text(entries, {"inputs": shared, "files": files}), encoding="utf-8")
        os.chmod(manifest, 0o644)
        if chapters_dir.is_dir() and cache.tree_hash(new_dir) == cache.tree_hash(chapters_dir):
            result.changed = False  # identical edition: leave the folder (and its mtimes) alone
        else:
            _swap_into_place(new_dir, chapters_dir)
    finally:
        # After a swap new_dir holds the previous edition (or nothing at all).
        shutil.rmtree(new_dir, ignore_errors=True)
    return result


def _write_downloads(ds, year: int, lang: str, new_dir: Path, chapters_dir: Path) -> None:
    """The edition's CSV downloads (countybook.render.downloads) and search words, unchanged files
    kept with their mtimes."""
    try:
        from ..render import downloads
    except ImportError:
        return
    from ..render import search_words

    for path in [*downloads.write(ds, year, new_dir, lang=lang), search_words.write(ds, new_dir)]:
        path = Path(path)
        os.chmod(path, 0o644)
        os.chmod(path.parent, 0o755)
        _keep_previous_if_identical(chapters_dir / path.relative_to(new_dir), path)


def _execute_all(to_run, parameters, jobs, notebooks_dir, data_dir, library_dir, kernel_name,
                 progress, already_done, new_dir, chapters_dir, entries, result,
                 reuse_kernels=True, verify_outputs=True, themes=None) -> list[Failure]:
    """Run to_run on `jobs` worker threads, each with one warm kernel (see countybook.run.kernels).

    Workers take notebooks from a shared queue in order; this thread writes the results. On
    Ctrl-C (or any error here) no further notebook starts, the kernels are killed, and every
    worker shuts its kernel down before this raises.
    """
    if not to_run:
        return []
    import queue
    import threading

    from tqdm import tqdm

    from . import kernels

    failures: list[Failure] = []
    work: queue.Queue = queue.Queue()
    for template in to_run:
        work.put(template)
    done: queue.Queue = queue.Queue()
    stop = threading.Event()
    warm: list = []

    def worker() -> None:
        kernel = (kernels.WarmKernel(kernel_name, notebooks_dir, env, connection_dir=private)
                  if reuse_kernels else None)
        if kernel is not None:
            warm.append(kernel)
        try:
            while not stop.is_set():
                try:
                    template = work.get_nowait()
                except queue.Empty:
                    return
                outcome, seconds = _execute_one(template, parameters, notebooks_dir, kernel_name, kernel,
                                                connection_dir=private, themes=themes)
                done.put((template, outcome, seconds))
        except BaseException as err:  # noqa: BLE001 - reported by the main thread
            done.put((None, err, 0.0))
        finally:
            if kernel is not None:
                kernel.shutdown(now=True)  # its work is collected: no need to wait for a clean exit
            done.put(None)  # this worker has finished

    bar = tqdm(total=len(to_run) + already_done, initial=already_done, unit="notebook",
               desc=f"run {parameters['year']}", file=sys.stderr, disable=not progress)
    threads = [threading.Thread(target=worker, name=f"countybook-run-{i}", daemon=True)
               for i in range(max(1, min(jobs, len(to_run))))]
    with contextlib.ExitStack() as stack:
        # The kernels' connection files and IPython profile: gone when this block is left.
        private = stack.enter_context(kernels.private_folder())
        env = kernels.kernel_environment(data_dir, library_dir, private_dir=private)  # read by worker()
        stack.enter_context(bar)
        if not reuse_kernels:
            stack.enter_context(_kernel_environment(data_dir, library_dir, private))
        try:
            for thread in threads:
                thread.start()
            running = len(threads)
            while running:
                try:
                    item = done.get(timeout=0.5)
                except queue.Empty:
                    continue
                if item is None:
                    running -= 1
                    continue
                template, outcome, seconds = item
                if template is None:
                    raise outcome
                result.seconds[template.name] = seconds
                bar.set_postfix_str(template.name, refresh=False)
                bar.update()
                if isinstance(outcome, Failure):
                    failures.append(outcome)
                    continue
                problems = verify(outcome, template, parameters) if verify_outputs else []
                if problems:
                    failures.extend(problems)
                    continue
                result.charts[template.name] = count_charts(outcome)
                target = new_dir / template.name
                _write_notebook(outcome, target)
                entries[template.name]["output"] = cache.file_hash(target)
                _keep_previous_if_identical(chapters_dir / template.name, target)
                result.executed.append(template.name)
        except BaseException:  # e.g. Ctrl-C: start no further notebook; nothing of this run is kept
            stop.set()
            for kernel in list(warm):
                kernel.kill()
            raise
        finally:
            for thread in threads:
                if thread.is_alive() or thread.ident is not None:
                    thread.join(timeout=60)
    result.executed.sort()
    return sorted(failures, key=lambda failure: failure.notebook)


def _execute_one(template: Path, parameters: dict, notebooks_dir: Path, kernel_name: str, kernel=None,
                 connection_dir: Path | None = None, themes=None):
    """Execute one notebook; (post-processed NotebookNode or Failure, seconds).

    With a WarmKernel the notebook runs in that kernel (started, or reset to its warm-up state,
    first); a failure shuts the kernel down so the next notebook gets a new one. Without one,
    papermill starts and stops a kernel of its own, whose connection file goes into
    connection_dir (the run's private folder) when given.
    """
    import papermill

    started = time.monotonic()
    options = dict(
        parameters=dict(parameters),
        kernel_name=kernel_name,
        progress_bar=False,
        request_save_on_cell_execute=False,
        # The kernel's working folder, without papermill's process-wide os.chdir.
        resources={"metadata": {"path": str(notebooks_dir)}},
    )
    try:
        import nbformat

        from ..render import page_text

        source = page_text.fill(nbformat.read(str(template), as_version=4), parameters.get("lang", _default_language()),
                                parameters, themes)
        if kernel is None:
            # Quiet the kernel's start-up warning about unencrypted local TCP; errors still show.
            if connection_dir is not None:
                from . import kernels

                options["kernel_manager_class"] = kernels.manager_class_in(connection_dir)
            nb = papermill.execute_notebook(source, None, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                            **options)
        else:
            try:
                if kernel.km is None:
                    kernel.start()
                else:
                    try:
                        kernel.reset()
                    except Exception:  # noqa: BLE001 - a kernel that cannot be reset is replaced
                        kernel.start()
                nb = papermill.execute_notebook(source, None, km=kernel.km, **options)
            except BaseException:
                kernel.shutdown(now=True)
                raise
            finally:
                kernel.close_clients()
    except Exception as err:  # noqa: BLE001 - any failure rejects the run, reported per notebook
        return _failure(template, err), time.monotonic() - started
    return postprocess(nb, template), time.monotonic() - started


def _failure(template: Path, err: Exception) -> Failure:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        text = f"{err.ename}: {err.evalue}" if err.evalue else str(err.ename)
        return Failure(template.name, _template_cell_index(template, err.cell_index), _first_line(text))
    return Failure(template.name, None, _first_line(f"{type(err).__name__}: {err}"))


def _first_line(text: str) -> str:
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0].strip() if lines else str(text)


def _template_cell_index(template: Path, executed_index: int) -> int | None:
    """Map a cell index of the executed notebook back to the template (minus the injected cell)."""
    import nbformat

    nb = nbformat.read(str(template), as_version=4)
    injected = 0
    for index, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            injected = index + 1
            break
    if executed_index == injected:
        return None  # the injected parameters cell itself
    return executed_index - 1 if executed_index > injected else executed_index


# --------------------------------------------------------------------------- verification

FIGURE_TEXT = "<Figure size"  # matplotlib's text/plain repr of a Figure
PNG = "image/png"


def verify(nb, template: Path, parameters: dict) -> list[Failure]:
    """What an executed notebook must hold before it may enter an edition; one Failure per fault.

    * every figure displayed has its image: a display whose text/plain is a matplotlib Figure
      repr without an image/png beside it is a lost chart (a non-inline backend such as Agg, or
      an image format switched off). This rule needs no list of chart cells, so it holds for
      any chart method a chapter calls, including ones added later;
    * no error output and nothing on stderr (a warning in a chapter is a fault to fix, and with
      a non-interactive backend plt.show() warns there);
    * papermill injected exactly the run's parameters.
    Cells are numbered like the template's, as in a rejected run.
    """
    failures = []
    injected = [cell for cell in nb.cells if INJECTED_TAG in cell.get("metadata", {}).get("tags", [])]
    recorded = nb.metadata.get("papermill", {}).get("parameters")
    if len(injected) != 1 or recorded != parameters:
        failures.append(Failure(template.name, None,
                                f"parameters are {recorded!r}, expected {parameters!r} in one injected cell"))
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        where = _template_cell_index(template, index)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                failures.append(Failure(template.name, where, _first_line(
                    f"error output: {output.get('ename', '')}: {output.get('evalue', '')}")))
            elif kind == "stream" and output.get("name") == "stderr":
                failures.append(Failure(template.name, where, "wrote to stderr: " + _first_line(
                    "".join(output.get("text", "")) or "(empty)")))
            elif kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                if "".join(data.get("text/plain", "")).startswith(FIGURE_TEXT) and PNG not in data:
                    failures.append(Failure(template.name, where,
                                            "chart lost: a figure was displayed without its PNG image "
                                            "(is a non-inline matplotlib backend set?)"))
    return failures


def count_charts(nb) -> int:
    return sum(PNG in output.get("data", {}) for cell in nb.cells for output in cell.get("outputs", []))


# --------------------------------------------------------------------------- post-processing


def postprocess(nb, template: Path):
    """Make an executed notebook reproducible: same inputs, same bytes."""
    import json

    with open(template, encoding="utf-8") as f:
        template_ids = {cell.get("id") for cell in json.load(f).get("cells", []) if cell.get("id")}

    for index, cell in enumerate(nb.cells):
        metadata = cell.setdefault("metadata", {})
        tags = list(metadata.get("tags", []))
        if INJECTED_TAG in tags:
            if REMOVE_TAG not in tags:
                tags.append(REMOVE_TAG)
            metadata["tags"] = tags
            if "id" in cell:
                cell["id"] = INJECTED_TAG if INJECTED_TAG not in template_ids else f"{INJECTED_TAG}-{index}"
        elif "id" in cell and cell["id"] not in template_ids:
            cell["id"] = f"cell-{index}"  # ids papermill or nbformat generated at random
        if HIDE_INPUT_TAG in tags and cell.get("cell_type") == "code" and not cell.get("outputs"):
            # A section with nothing to show this year (a chart with too few bars) would leave an
            # empty "show code" toggle on the page: the cell goes, as its output did.
            metadata["tags"] = [*tags, REMOVE_TAG]
        for key in VOLATILE_CELL_METADATA:
            metadata.pop(key, None)
        papermill_meta = metadata.get("papermill")
        if isinstance(papermill_meta, dict):
            for key in VOLATILE_PAPERMILL_CELL:
                papermill_meta.pop(key, None)

    papermill_meta = nb.metadata.get("papermill")
    if isinstance(papermill_meta, dict):
        for key in VOLATILE_PAPERMILL_NOTEBOOK:
            papermill_meta.pop(key, None)
    nb.metadata.pop("widgets", None)  # widget state holds random model ids
    from ..render.alt_text import move_alt_text
    from ..render.page_text import drop_empty_sections

    move_alt_text(nb)
    drop_empty_sections(nb)
    return nb


def _write_notebook(nb, target: Path) -> None:
    import nbformat

    nbformat.write(nb, str(target))  # sorted keys, indent 1, trailing newline
    os.chmod(target, 0o644)


def _keep_previous_if_identical(previous: Path, target: Path) -> None:
    """Reuse the previous edition's file when the bytes match, keeping its modification time."""
    try:
        same = previous.is_file() and previous.read_bytes() == target.read_bytes()
    except OSError:
        return
    if same:
        target.unlink()
        _link_or_copy(previous, target)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        os.chmod(target, 0o644)


# --------------------------------------------------------------------------- environment


@contextlib.contextmanager
def _kernel_environment(data_dir: Path, library_dir: Path, private_dir: Path | None = None):
    """Apply kernels.kernel_environment to this process for the fresh-kernel path, whose kernels
    inherit os.environ; restored afterwards."""
    from . import kernels  # imported lazily, like every kernel-side module of the runner

    full = kernels.kernel_environment(data_dir, library_dir, private_dir=private_dir)
    wanted = {key: value for key, value in full.items() if os.environ.get(key) != value}
    dropped = [key for key in os.environ if key not in full]
    saved = {key: os.environ.get(key) for key in [*wanted, *dropped]}
    for key in dropped:
        del os.environ[key]
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --------------------------------------------------------------------------- edition swap


@contextlib.contextmanager
def _exclusive(book_dir: Path):
    """One run at a time per book folder (see countybook.lock)."""
    from .. import lock

    try:
        with lock.locked(book_dir, shared=False,
                         busy_message=f"another run is writing {book_dir}; try again when it has finished"):
            yield
    except lock.Busy as err:
        raise RunError(str(err)) from None


def _recover(book_dir: Path, chapters_dir: Path, lang: str | None = None) -> None:
    """Undo what an interrupted run left behind (we hold the lock, so nothing is in progress).

    Looks beside the book folder, where runs stage, and inside it, where earlier versions did.
    """
    folders = {staging_dir(chapters_dir, lang), book_dir}
    leftovers = sorted((path for folder in folders for path in folder.glob(f"{TMP_PREFIX}-*") if path.is_dir()),
                       key=lambda p: p.stat().st_mtime)
    olds = [p for p in leftovers if p.name.startswith(f"{TMP_PREFIX}-old-")]
    if not chapters_dir.exists() and olds:
        # Interrupted between the two renames of the fallback swap: put the old edition back.
        os.rename(olds[-1], chapters_dir)
        leftovers.remove(olds[-1])
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def _swap_into_place(new_dir: Path, chapters_dir: Path) -> None:
    """Make new_dir the edition; afterwards new_dir holds the previous edition, if any."""
    if not chapters_dir.exists():
        os.rename(new_dir, chapters_dir)
        return
    if _exchange(new_dir, chapters_dir):
        return
    old_dir = new_dir.parent / f"{TMP_PREFIX}-old-{new_dir.name[len(TMP_PREFIX) + 5:]}"
    os.rename(chapters_dir, old_dir)
    try:
        os.rename(new_dir, chapters_dir)
    except BaseException:
        os.rename(old_dir, chapters_dir)
        raise
    os.rename(old_dir, new_dir)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))

"""One edition's run: from the year check to the swap (the orchestration of `python -m countybook run`).

Executes every notebooks/NN_*.ipynb (plus notebooks/index.ipynb, the book's root page) with
papermill for one year and one language and replaces that language's chapters folder with the
result as one edition: book/chapters/ for English, book/<lang>/chapters/ for another language
(countybook.paths.edition_dir). Before a template is executed, its `{{ page.… }}` markdown cells
are filled in the edition's language (countybook.render.page_text). The stages:

1. The year is checked against data/ before any kernel starts: an unknown year raises
   UnknownYear naming the years that hold figures; bad data raises the loader's DataError.
2. Notebooks whose inputs are unchanged since their last successful execution are reused from
   the current edition (countybook.run.cache says what is tracked); force executes all. When
   nothing at all changed (every notebook reusable, downloads intact, same data, library,
   environment and year as recorded in the manifest) the run ends there, without loading the
   data or importing pandas or papermill: the year was checked against these very data when the
   edition in place was made. Anything else goes through the year check of 1 first.
3. The others are executed on warm kernels (countybook.run.execute, countybook.run.kernels).
4. If any notebook raises, or an executed notebook fails verification (countybook.run.verify),
   the run is rejected naming notebook, cell index and the first line of the fault, and the
   chapters folder is left as it was. The data folder is locked for reading from the year check
   to the swap (countybook.lock), so an `add` meanwhile is refused rather than reaching some
   chapters and not others.
5. Executed notebooks are post-processed so that a rerun writes byte-identical files
   (countybook.run.postprocess).
6. The new edition is staged and swapped in atomically (countybook.run.swap). It holds exactly
   the executed notebooks, the CSV downloads of countybook.render.downloads (downloads/), the
   search words of countybook.render.search_words and the cache manifest (.runner-cache.json).
   An edition identical to the one in place is not swapped at all.
The command line is countybook.run.command; the book build countybook.run.build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from .. import paths
from ..data_files import data_hash
from . import cache, execute, swap
from .plan import (  # noqa: F401 - the runner's public names, importable from here as before
    KERNEL_NAME,
    NOTEBOOK_GLOB,
    RUNNER_VERSION,
    Failure,
    RunError,
    RunPlan,
    RunRejected,
    RunResult,
    UnknownYear,
    run_parameters,
)
from .postprocess import keep_previous_if_identical, link_or_copy, write_notebook
from .verify import count_charts, verify


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


def run(year: int, pool=None, **choices) -> RunResult:
    """Execute the notebooks for year into its edition; choices are RunPlan.create's (lang, jobs,
    force, folders, kernel_name, progress, reuse_kernels, verify_outputs). With a pool
    (countybook.run.execute.KernelPool) the notebooks run on its kernels, which stay warm for the
    next run; without one, on kernels of this run's own."""
    return run_plan(RunPlan.create(year, **choices), pool)


def run_plan(plan: RunPlan, pool=None) -> RunResult:
    templates = plan.templates()
    from . import kernels  # standard library only at import time

    kernels.remove_stale_private_folders()  # connection files of killed runs, even if none starts now
    with _reading_data(plan.data_dir):
        # Nothing changed at all: answered from hashes and the manifest, without loading the data
        # (the year was checked against these very data when the edition in place was made).
        if templates and not plan.force and plan.book_dir.is_dir():
            with swap.exclusive(plan.book_dir):
                swap.recover(plan.chapters_dir, plan.lang)
                unchanged = unchanged_edition(plan, templates)
                if unchanged is not None:
                    return unchanged

        ds = check_year(plan.year, plan.data_dir)
        if not templates:
            raise RunError(f"no notebooks matching {NOTEBOOK_GLOB} in {plan.notebooks_dir}")

        plan.book_dir.mkdir(parents=True, exist_ok=True)
        with swap.exclusive(plan.book_dir):
            swap.recover(plan.chapters_dir, plan.lang)
            return _run_locked(plan, templates, ds, pool)


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


def shared_inputs(plan: RunPlan) -> dict:
    """The inputs every notebook of the run shares (countybook.run.cache explains each); contents
    only, never where the repository or the interpreter lives."""
    from ..render.messages import catalogue_path

    # The catalogue the kernels read: the one in library_dir (a test's frozen copy, say).
    catalogue = plan.library_dir / catalogue_path(plan.lang).relative_to(Path(paths.__file__).parent)
    return {
        "parameters": cache.parameters_key(plan.parameters),
        "data": data_hash(plan.data_dir),
        "library": cache.tree_hash(plan.library_dir, "*.py"),
        "catalogue": cache.file_hash(catalogue) if catalogue.is_file() else None,
        "environment": cache.environment_hash(plan.kernel_name),
        "runner": RUNNER_VERSION,
    }


def unchanged_edition(plan: RunPlan, templates: list[Path]) -> RunResult | None:
    """RunResult(all reused, changed=False) when the edition in place is exactly what a run would
    write; None when anything differs (then the full run decides what to execute)."""
    chapters_dir = plan.chapters_dir
    if not chapters_dir.is_dir():
        return None
    entries = cache.read_manifest(chapters_dir)
    edition = cache.read_edition(chapters_dir)
    names = [template.name for template in templates]
    if not entries or not edition or sorted(entries) != sorted(names):
        return None
    shared = shared_inputs(plan)
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


def _run_locked(plan: RunPlan, templates: list[Path], ds, pool=None) -> RunResult:
    chapters_dir = plan.chapters_dir
    shared = shared_inputs(plan)
    previous = cache.read_manifest(chapters_dir) if chapters_dir.is_dir() else {}
    entries: dict[str, dict] = {}
    to_run: list[Path] = []
    result = RunResult()
    for template in templates:
        inputs = {**shared, "template": cache.file_hash(template)}
        entries[template.name] = {"inputs": inputs}
        entry = previous.get(template.name)
        if entry is not None and not plan.force and cache.reusable(entry, inputs, chapters_dir / template.name):
            entries[template.name]["output"] = entry["output"]
            result.reused.append(template.name)
        else:
            to_run.append(template)

    new_dir = swap.new_staging_folder(chapters_dir, plan.lang)  # checks the file system first
    failures: list[Failure] = []

    def take(template: Path, outcome, seconds: float) -> None:
        result.seconds[template.name] = seconds
        if isinstance(outcome, Failure):
            failures.append(outcome)
            return
        problems = verify(outcome, template, plan.parameters) if plan.verify_outputs else []
        if problems:
            failures.extend(problems)
            return
        result.charts[template.name] = count_charts(outcome)
        target = new_dir / template.name
        write_notebook(outcome, target)
        entries[template.name]["output"] = cache.file_hash(target)
        keep_previous_if_identical(chapters_dir / template.name, target)
        result.executed.append(template.name)

    try:
        for name in result.reused:
            link_or_copy(chapters_dir / name, new_dir / name)
        _write_downloads(ds, plan, new_dir)
        execute.execute_all(plan, to_run, take, themes=ds.themes, already_done=len(result.reused), pool=pool)
        result.executed.sort()
        if failures:
            raise RunRejected(sorted(failures, key=lambda failure: failure.notebook), chapters_dir)

        # Every file of the edition besides notebooks and manifest (the downloads), so that an
        # unchanged rerun can be recognised from hashes alone (unchanged_edition).
        files = {
            path.relative_to(new_dir).as_posix(): cache.file_hash(path)
            for path in sorted(new_dir.rglob("*"))
            if path.is_file()
            and path.name not in entries
            and path.relative_to(new_dir).as_posix() != cache.MANIFEST_NAME
        }
        manifest = new_dir / cache.MANIFEST_NAME
        manifest.write_text(cache.manifest_text(entries, {"inputs": shared, "files": files}), encoding="utf-8")
        os.chmod(manifest, 0o644)
        if chapters_dir.is_dir() and cache.tree_hash(new_dir) == cache.tree_hash(chapters_dir):
            result.changed = False  # identical edition: leave the folder (and its mtimes) alone
        else:
            swap.swap_into_place(new_dir, chapters_dir)
    finally:
        # After a swap new_dir holds the previous edition (or nothing at all).
        shutil.rmtree(new_dir, ignore_errors=True)
    return result


def _write_downloads(ds, plan: RunPlan, new_dir: Path) -> None:
    """The edition's CSV downloads (countybook.render.downloads) and search words, unchanged files
    kept with their mtimes."""
    try:
        from ..render import downloads
    except ImportError:
        return
    from ..render import search_words

    for path in [*downloads.write(ds, plan.year, new_dir, lang=plan.lang), search_words.write(ds, new_dir)]:
        path = Path(path)
        os.chmod(path, 0o644)
        os.chmod(path.parent, 0o755)
        keep_previous_if_identical(plan.chapters_dir / path.relative_to(new_dir), path)

"""Fixtures shared by the tests that read the built book (test_browser, test_built_html, test_pdf,
test_glossary), the small books built from templates, and the `slow` marker.

Tiers: `python -m pytest` runs everything; `python -m pytest -m "not slow"` leaves out every test that
executes notebooks or builds a book (those needing html_root are marked here, the others in their module).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from countybook import paths
from countybook.render.messages import languages

# The runner's test repository and execution counter (repo, executions), for the tests of countybook.run.
pytest_plugins = ["runner_fixtures", "intake_support"]

# The editions as folders relative to the default book (and to its html root): "." is English.
EDITIONS = [paths.edition_dir(Path("."), lang) for lang in languages()]


def edition_root(html_root: Path, lang: str) -> Path:
    """The html root of one edition: the default book's, or <html>/<lang>/ for another language."""
    return paths.edition_dir(html_root, lang)


def toc_pages() -> list[str]:
    """Every page the toc lists, as paths relative to the html root ('chapters/00_overview.html')."""
    from countybook.run.pdf import toc_files

    return [f"{name}.html" for name in toc_files(paths.ROOT / "_toc.yml")]


# Fixtures that execute or build a whole book once per test run (the group of tests sharing it).
BOOK_FIXTURES = {"html_root": "html_root", "built_html": "markup_book", "both_editions_with_markup": "markup_book"}


def book_group(item) -> str | None:
    """The shared execution or build a test reads, if any."""
    names = getattr(item, "fixturenames", ())
    if "fresh" in names:
        return FRESH_GROUP
    return next((BOOK_FIXTURES[name] for name in BOOK_FIXTURES if name in names), None)


def pytest_collection_modifyitems(items):
    """A test reading an executed or built book waits for a whole execution or build: slow by
    definition. --dist worksteal hands each of two workers a contiguous half of the list (and a
    worker that runs out steals from the end of the other's), so the readers of the shared books
    go first, side by side, and the other slow tests open the second half: both workers start on
    long tests, the short ones fill in behind, the readers of one execution seldom wait on each
    other, and no long test is left to run alone at the end while the other core idles."""
    grouped = [item for item in items if book_group(item)]
    for item in grouped:
        item.add_marker(pytest.mark.slow)
    grouped.sort(key=lambda item: book_group(item) or "")
    rest = [item for item in items if not book_group(item)]
    slow = [item for item in rest if item.get_closest_marker("slow")]
    fast = [item for item in rest if not item.get_closest_marker("slow")]
    before = max(0, len(items) // 2 - len(grouped))
    items[:] = grouped + fast[:before] + slow + fast[before:]


def jupyter_book() -> str:
    """jupyter-book as the runner finds it: beside this interpreter (a venv not activated), else on PATH."""
    try:
        from countybook.run.build import jupyter_book as locate  # the run package's own locator
    except ImportError:

        def locate() -> str | None:
            beside = Path(sys.executable).with_name("jupyter-book")
            return str(beside) if beside.exists() else shutil.which("jupyter-book")

    program = locate()
    if program is None:
        pytest.fail(f"jupyter-book is neither beside {sys.executable} nor on PATH: install requirements.txt")
    return program


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """make(folder) once per test run, its folder then shared by every xdist worker: the workers of
    one run share the parent of their base temporary folders, and a lock there lets the first worker
    build while the others wait for it (a session fixture alone runs once per worker)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder, done, failed = base / name, base / f"{name}.done", base / f"{name}.failed"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if failed.exists():
                pytest.fail(f"{name} failed in another worker: {failed.read_text(encoding='utf-8')}")
            if not done.exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                try:
                    make(folder)
                except BaseException as err:
                    failed.write_text(str(err)[-8000:], encoding="utf-8")
                    raise
                done.touch()
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


# What a copy of the repository for an execution leaves out: builds, caches, a running kernel's files.
REPO_IGNORE = shutil.ignore_patterns("_build", ".git", "__pycache__", ".ipynb_checkpoints", ".countybook-tmp*")


def run_copy(root: Path, year: int, lang: str, **options):
    """The runner on a copy of the repository at root (its notebooks/, data/ and countybook/), into
    the edition's chapters folder under root/book unless chapters_dir says otherwise. One job: the
    other xdist worker has the other core."""
    from countybook.run import runner

    options.setdefault("chapters_dir", paths.edition_dir(root / "book", lang) / "chapters")
    return runner.run(
        year,
        lang=lang,
        notebooks_dir=root / "notebooks",
        data_dir=root / "data",
        library_dir=root / "countybook",
        progress=False,
        jobs=1,
        **options,
    )


def fresh_edition(tmp_path_factory, year: int, lang: str) -> Path:
    """The real notebooks executed by the runner for every year that holds figures, in every
    language, once per test run and shared by every xdist worker, in a copy of data/, countybook/
    and notebooks/ taken when first asked; returns the copy's chapters folder of (year, lang).

    One job and one kernel pool for all of them (one warm kernel running every chapter of every
    edition in turn, reset in between, as the command line runs the languages of a year): the
    other worker has the other core, the warm-up is paid once, and one kernel for everything is
    also the order most likely to show state leaking from one chapter, or edition, into the next."""
    from countybook.data import load
    from countybook.run.execute import KernelPool

    def execute(folder: Path) -> None:
        for name in ("data", "countybook", "notebooks"):
            shutil.copytree(paths.ROOT / name, folder / name, ignore=REPO_IGNORE)
        with KernelPool(1) as pool:
            for each_year in sorted({*load(folder / "data").years(), year}):
                for each_lang in languages():
                    chapters = _fresh_chapters(folder, each_year, each_lang)
                    run_copy(folder, each_year, each_lang, chapters_dir=chapters, pool=pool)

    return _fresh_chapters(once_per_run(tmp_path_factory, FRESH_GROUP, execute), year, lang)


FRESH_GROUP = "fresh_editions"  # the shared execution's folder, and the group its readers are ordered by


def _fresh_chapters(folder: Path, year: int, lang: str) -> Path:
    return paths.edition_dir(folder / "book" / str(year), lang) / "chapters"


class FreshEdition(NamedTuple):
    year: int
    lang: str
    chapters: Path


@pytest.fixture
def fresh(request, tmp_path_factory) -> FreshEdition:
    """fresh_edition for the (year, lang) a test is parametrized with (indirectly)."""
    year, lang = request.param
    if year is None:
        pytest.fail(f"no committed {lang} edition to compare with: run python -m countybook run --year <year>")
    return FreshEdition(year, lang, fresh_edition(tmp_path_factory, year, lang))


@pytest.fixture(scope="session")
def html_root(tmp_path_factory) -> Path:
    """The committed editions built once per test run into a temporary folder, from a snapshot of
    book/ and the config (so that a run rewriting book/chapters/ meanwhile cannot leave the build half
    old, half new); the default book's build builds the other editions into <html>/<lang>/
    (book/_ext/editions.py). Strict (-W -n): a warning or an unresolved reference anywhere fails it."""
    return once_per_run(tmp_path_factory, "committed_book", _build_committed_book) / "_build" / "html"


def _build_committed_book(tmp: Path) -> None:
    program = jupyter_book()
    source = tmp / "source"
    source.mkdir()
    for name in ["_config.yml", "_toc.yml"]:
        shutil.copy(paths.ROOT / name, source / name)
    shutil.copytree(paths.BOOK_DIR, source / "book", symlinks=True, ignore=shutil.ignore_patterns(".runner*"))
    notebooks = [Path(page).with_suffix(".ipynb") for page in toc_pages()]
    missing = []
    for edition in EDITIONS:
        book = source / "book" / edition
        missing += [str(edition / nb) for nb in notebooks if not (book / nb).exists()]
        missing += [] if (book / "chapters" / "downloads").is_dir() else [f"{edition / 'chapters'}/downloads/"]
    if missing:
        pytest.fail(
            f"the committed edition in book/ is incomplete (missing {missing}): "
            "run python -m countybook run --year <year>"
        )
    result = subprocess.run(
        [program, "build", str(source / "book"), "--path-output", str(tmp), "-W", "-n", "--keep-going"],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    root = tmp / "_build" / "html"
    for lang in languages():
        assert (edition_root(root, lang) / "index.html").exists(), f"no index.html in {edition_root(root, lang)}"


def build_small_book(
    project: Path, notebooks: list[str], toc: str, data_dir: Path, year: int, strict: bool = False, lang: str = "en"
) -> Path:
    """Run some templates for one year into a new project with the real config, extensions and
    styles, build it, and return its html root: for tests that change data or code and look at
    the built pages. The runner fills the page text and writes the downloads, as for the book."""
    from countybook.run import runner

    program = jupyter_book()
    (project / "book").mkdir(parents=True)
    (project / "notebooks").mkdir()
    shutil.copy(paths.ROOT / "_config.yml", project / "_config.yml")
    (project / "_toc.yml").write_text(toc, encoding="utf-8")
    (project / "book" / "_toc.yml").symlink_to("../_toc.yml")
    for folder in ("_static", "_ext", "_templates"):  # _config.yml's styles, local extensions, templates
        shutil.copytree(paths.BOOK_DIR / folder, project / "book" / folder)
    for name in notebooks:  # only the templates: notebooks/ may hold a running kernel's sockets
        shutil.copy(paths.NOTEBOOKS_DIR / f"{name}.ipynb", project / "notebooks" / f"{name}.ipynb")
    runner.run(
        year,
        lang=lang,
        notebooks_dir=project / "notebooks",
        chapters_dir=project / "book" / "chapters",
        data_dir=data_dir,
        progress=False,
        jobs=1,
    )
    command = [program, "build", str(project / "book"), "--path-output", str(project)]
    # Strict: any warning, or a reference Sphinx cannot resolve, fails the build.
    command += ["-W", "-n", "--keep-going"] if strict else []
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return project / "_build" / "html"


def folder_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder by its relative path, with its bytes: data/ holds subfolders
    (the written analysis), so a test that data/ is unchanged must walk them too."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}

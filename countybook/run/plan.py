"""What one run of `python -m countybook run` is asked to do, and what it reports back.

RunPlan gathers the choices that every stage of a run reads (year, language, folders, jobs, the
cache switch, the kernel mode), so that the stages take one object instead of a dozen arguments.
The outcomes (RunResult, Failure) and the errors a run raises live here too: every stage module
imports them, and this module imports nothing heavy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths

# Bump when post-processing changes what is written, so cached chapters are executed again.
# 2: notebooks are verified before they enter an edition (an edition made before could hold
# charts lost to MPLBACKEND=Agg, and must not be reused).
RUNNER_VERSION = 2
NOTEBOOK_GLOB = "[0-9][0-9]*_*.ipynb"  # 05b_… slots a chapter between two others
EXTRA_NOTEBOOKS = ("index.ipynb",)  # the book's root page (_toc.yml: root: chapters/index)
KERNEL_NAME = "python3"


def languages() -> tuple[str, ...]:
    from ..render.messages import languages as catalogue_languages

    return catalogue_languages()


def default_language() -> str:
    from ..render.messages import DEFAULT_LANGUAGE

    return DEFAULT_LANGUAGE


def run_parameters(year: int, lang: str) -> dict:
    """What papermill injects into every notebook of an edition."""
    return {"year": year, "lang": lang}


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


@dataclass(frozen=True)
class RunPlan:
    """One edition's run: every folder absolute, the language checked."""

    year: int
    lang: str
    notebooks_dir: Path
    chapters_dir: Path
    data_dir: Path
    library_dir: Path
    jobs: int = 1
    force: bool = False
    kernel_name: str = KERNEL_NAME
    progress: bool = True
    reuse_kernels: bool = True  # False: a fresh kernel per notebook (tested to write the same bytes)
    verify_outputs: bool = True  # False only for tests whose notebooks write to stderr on purpose

    @classmethod
    def create(
        cls,
        year: int,
        *,
        lang: str,
        jobs: int | None = None,
        notebooks_dir: Path | None = None,
        chapters_dir: Path | None = None,
        data_dir: Path | None = None,
        library_dir: Path | None = None,
        **choices,
    ) -> RunPlan:
        """The plan with countybook.paths' folders for whatever is not given (book/chapters/ for
        English, book/<lang>/chapters/ for another language); RunError for an unknown language."""
        if lang not in languages():
            raise RunError(f"unknown language {lang!r}; the languages are {', '.join(languages())}")
        return cls(
            year=year,
            lang=lang,
            notebooks_dir=Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve(),
            chapters_dir=Path(chapters_dir or paths.chapters_dir(lang)).absolute(),
            data_dir=Path(data_dir or paths.data_dir()).resolve(),
            library_dir=Path(library_dir or paths.ROOT / "countybook").resolve(),
            jobs=jobs or os.cpu_count() or 1,
            **choices,
        )

    @property
    def book_dir(self) -> Path:
        """The edition's book folder (book/ or book/<lang>/), locked while the run writes."""
        return self.chapters_dir.parent

    @property
    def parameters(self) -> dict:
        return run_parameters(self.year, self.lang)

    def templates(self) -> list[Path]:
        """The chapter templates in order, then the root page; [] when there are no chapters."""
        templates = sorted(self.notebooks_dir.glob(NOTEBOOK_GLOB))
        if templates:
            templates += [path for path in (self.notebooks_dir / name for name in EXTRA_NOTEBOOKS) if path.is_file()]
        return templates

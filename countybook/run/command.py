"""python -m countybook run --year Y [--lang L] [--jobs N] [--build] [--force] [--pdf]

Runs one edition per language (countybook.run.runner; without --lang every language with a
message catalogue, one after the other, each with its own cache manifest, lock and swap, all on
one pool of warm kernels: countybook.run.execute.KernelPool), then
with --build builds the book (countybook.run.build) and with --pdf also prints it
(`python -m countybook pdf`, countybook.run.pdf). Exit codes: 2 for an unknown year or
language, 1 for bad data, a rejected run or a failed build (one line on stderr each), 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from .. import paths
from ..errors import DataError, describe_os_error
from ..years import count_argument, year_argument
from . import build, runner
from .plan import RunError, UnknownYear, languages


def lang_argument(text: str) -> str:
    """--lang: one of the languages with a catalogue; anything else exits 2 naming them."""
    if text not in languages():
        raise argparse.ArgumentTypeError(f"unknown language {text!r}; the languages are {', '.join(languages())}")
    return text


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_argument, required=True, help="year whose figures the chapters show")
    parser.add_argument(
        "--lang",
        type=lang_argument,
        default=None,
        help="edition to run: " + " or ".join(languages()) + " (default: every language)",
    )
    parser.add_argument(
        "--jobs",
        type=count_argument,
        default=os.cpu_count() or 1,
        help="notebooks executed at once (default: number of CPUs)",
    )
    parser.add_argument("--build", action="store_true", help="then run `jupyter-book build book/`")
    parser.add_argument("--force", action="store_true", help="execute every notebook, ignoring the cache")
    parser.add_argument(
        "--pdf", action="store_true", help="then print each built book as an A4 PDF into _build/pdf/ (implies --build)"
    )


def run_main(args) -> int:
    from .execute import KernelPool

    # One pool for every language: the second edition runs on kernels the first one warmed up.
    with KernelPool(args.jobs) as pool:
        for lang in [args.lang] if getattr(args, "lang", None) else languages():
            code = _run_edition(args, lang, pool)
            if code:
                return code
    if args.build or getattr(args, "pdf", False):
        try:
            code = build.build()
        except KeyboardInterrupt:
            print(
                "interrupted during the book build; the new edition is in place: "
                "run `jupyter-book build book/` to finish",
                file=sys.stderr,
            )
            return 130
        if code != 0 or not getattr(args, "pdf", False):
            return code
        return print_edition(args.lang)
    return 0


def _run_edition(args, lang: str, pool) -> int:
    """One language's run, reported in one line on stderr; the exit code (0 when it went well)."""
    started = time.monotonic()
    try:
        result = runner.run(args.year, lang=lang, jobs=args.jobs, force=args.force, pool=pool)
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
    return 0


def print_edition(lang: str | None = None) -> int:
    """`python -m countybook pdf` in a fresh process: Playwright runs its own event loop, and the
    run's threads, kernels and imports have no business in it."""
    command = [sys.executable, "-m", "countybook", "pdf"] + (["--lang", lang] if lang else [])
    return subprocess.call(command, cwd=paths.ROOT)

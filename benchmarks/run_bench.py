"""Benchmark: the naive papermill loop against `python -m countybook run`, side by side.

    python benchmarks/run_bench.py [--reps 3] [--year 2024] [--jobs N] [--with-tests] [--only-pdf]
                                   [--only-inputs] [--only-tests]

Everything runs on a temporary copy of the repository (without .git and _build), so data/ and
book/ here are never touched. Scenarios, each repeated --reps times (median reported):

  a  naive: the `papermill` command line for each notebook and each language (-p lang en / zh)
     one after another into a temporary folder, copied into book/chapters/ and
     book/zh/chapters/, then `jupyter-book build book/` (which builds both editions)
  b  python -m countybook run --year Y --build --force      (both editions)
  c  python -m countybook run --year Y --build            (nothing changed: everything cached)
  d  python -m countybook run --year Y --build            after a real edit of one data row
     (the quote of one figure is reworded, alternating between two valid wordings)

and the print edition (also alone, with --only-pdf, then beside b measured in the same minutes):

  p  python -m countybook pdf   after a build: both PDFs (a fresh process, as `run --pdf` starts it;
     target p/b < 0.25)

and the input-scaling scenarios (also alone, with --only-inputs), each a separate process whose
wall time and peak memory (maximum resident set size) are reported:

  e  python -m countybook extract on a 1 MB report (the extract fixture repeated; target < 2 s)
  f  python -m countybook validate on a data folder whose figures.csv is 50 MB (its rows
     repeated, so almost every row is a duplicate: the flood of errors of issue 10)

and the test suite (only with --only-tests; target < 120 s wall on 2 cores):

  t  python -m pytest in a fresh clone of the committed HEAD, wall and CPU seconds

It prints each median, the ratios b/a, c/b and d/b (targets on 2 cores: b/a <= 0.4,
c/b <= 0.1), the time of the build alone, per-notebook timings through the papermill command
line and in-process (one kernel at a time), and with --with-tests the duration of the README's
test command (`python -m pytest`, run in the copy).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(
    ".git", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".countybook-tmp*", "*.egg-info"
)
QUOTE = ",新签约亿元以上项目117个"
QUOTE_EDITS = [",全年新签约亿元以上项目117个", QUOTE]  # alternately: each run sees a real change
EXTRACT_REPORT = ROOT / "tests" / "fixtures" / "extract" / "report_2025.txt"
EXTRACT_BYTES = 1_000_000
VALIDATE_BYTES = 50_000_000


def sh(cmd, cwd, env, check=True) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if check and done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, cmd))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done


def templates(copy: Path) -> list[Path]:
    notebooks = sorted((copy / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
    return notebooks + [p for p in [copy / "notebooks" / "index.ipynb"] if p.exists()]


def jupyter_book() -> str:
    beside = Path(sys.executable).with_name("jupyter-book")
    return str(beside) if beside.exists() else "jupyter-book"


def papermill_cli() -> str:
    beside = Path(sys.executable).with_name("papermill")
    return str(beside) if beside.exists() else "papermill"


def naive(copy: Path, env: dict, year: int, per_notebook: dict[str, list[float]]) -> tuple[float, float]:
    """(total seconds, build seconds) of the naive pipeline, every edition."""
    from countybook import paths
    from countybook.render.messages import languages

    started = time.monotonic()
    for lang in languages():
        with tempfile.TemporaryDirectory(dir=copy) as out:
            for template in templates(copy):
                seconds, _ = sh(
                    [
                        papermill_cli(),
                        "--no-progress-bar",
                        "-k",
                        "python3",
                        "--cwd",
                        str(copy / "notebooks"),
                        "-p",
                        "year",
                        str(year),
                        "-p",
                        "lang",
                        lang,
                        str(template),
                        str(Path(out) / template.name),
                    ],
                    copy,
                    env,
                )
                per_notebook.setdefault(f"{lang}/{template.name}", []).append(seconds)
            chapters = paths.edition_dir(copy / "book", lang) / "chapters"
            chapters.mkdir(parents=True, exist_ok=True)
            for executed in Path(out).glob("*.ipynb"):
                shutil.copy(executed, chapters / executed.name)
    build_seconds, _ = sh([jupyter_book(), "build", "book/"], copy, env)
    return time.monotonic() - started, build_seconds


def countybook_run(copy: Path, env: dict, year: int, jobs: int | None, *flags: str) -> tuple[float, float, str]:
    """(total seconds, seconds the runner reports for itself, its summary lines)."""
    cmd = [sys.executable, "-m", "countybook", "run", "--year", str(year), "--build", *flags]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    seconds, done = sh(cmd, copy, env)
    # One summary line per edition ("en: 12 executed, 0 reused … in 5.1 s"); the runner's own time is their sum.
    summary = [line.split("\r")[-1] for line in done.stderr.splitlines() if re.search(r"executed, \d+ reused", line)]
    own = [float(match.group(1)) for line in summary for match in [re.search(r"in ([\d.]+) s", line)] if match]
    return seconds, sum(own) if own else float("nan"), " | ".join(summary)


def print_edition(copy: Path, env: dict) -> tuple[float, str]:
    """(seconds of `python -m countybook pdf`, its own summary line)."""
    seconds, done = sh([sys.executable, "-m", "countybook", "pdf"], copy, env)
    return seconds, (done.stderr.strip().splitlines() or [""])[-1]


def pdf_scenario(copy: Path, env: dict, year: int, jobs: int | None, reps: int) -> None:
    """p beside b: the PDFs of both editions against the forced full rerun, rep by rep."""
    forced, printed = [], []
    for rep in range(reps):
        total, _, _ = countybook_run(copy, env, year, jobs, "--force")
        forced.append(total)
        seconds, line = print_edition(copy, env)
        printed.append(seconds)
        print(f"rep {rep + 1}: b {total:.1f} s, p {seconds:.1f} s ({line})", flush=True)
    b, p = statistics.median(forced), statistics.median(printed)
    print(f"\nprint edition, medians over {reps}: p = {p:.1f} s, b = {b:.1f} s, p/b = {p / b:.2f} (target < 0.25)")


def in_process_timings(copy: Path, env: dict, year: int) -> str:
    """Per-notebook seconds through papermill.execute_notebook, one kernel at a time."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from countybook.run import runner\n"
        "root = Path.cwd()\n"
        f"r = runner.run({year}, lang='en', jobs=1, force=True, progress=False, notebooks_dir=root / 'notebooks',\n"
        "               chapters_dir=root / 'book' / 'chapters', data_dir=root / 'data',\n"
        "               library_dir=root / 'countybook')\n"
        "print(json.dumps(r.seconds))\n"
    )
    _, done = sh([sys.executable, "-c", code], copy, env)
    return done.stdout.strip().splitlines()[-1]


def measured(cmd, cwd, env) -> tuple[float, float, int, str, str, float]:
    """(seconds, peak resident memory in MB, exit code, stdout, stderr, CPU seconds) of one process:
    the CPU seconds, user and system, are its own and its waited-for descendants' (kernels, workers).

    os.wait4 gives the resource usage of exactly this child, not the maximum over every child
    this benchmark has waited for (which RUSAGE_CHILDREN would give).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text_out, text_err = (stream.read().decode("utf-8", "replace") for stream in (out, err))
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    megabytes = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return seconds, megabytes, process.returncode, text_out, text_err, usage.ru_utime + usage.ru_stime


def repeated_to(text: str, size: int) -> str:
    """text repeated until it holds at least size bytes of UTF-8."""
    count = size // len(text.encode("utf-8")) + 1
    return text * count


def input_scaling(copy: Path, env: dict, reps: int) -> None:
    """Scenarios e and f: extract on 1 MB, validate on 50 MB; medians of time and peak memory."""
    work = copy / "input-scaling"
    work.mkdir()
    report = work / "report_1mb.txt"
    report.write_text(repeated_to(EXTRACT_REPORT.read_text(encoding="utf-8"), EXTRACT_BYTES), encoding="utf-8")
    big_data = work / "data"
    shutil.copytree(copy / "data", big_data)
    figures = big_data / "figures.csv"
    header, *rows = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    figures.write_text(header + repeated_to("".join(rows), VALIDATE_BYTES), encoding="utf-8")
    scenarios = {
        "e": (
            f"extract, {report.stat().st_size / 1e6:.1f} MB report",
            [
                sys.executable,
                "-m",
                "countybook",
                "extract",
                str(report),
                "--year",
                "2025",
                "--source-id",
                "benchmark_report",
                "--out",
                str(work / "review" / "review.csv"),
            ],
        ),
        "f": (
            f"validate, {figures.stat().st_size / 1e6:.1f} MB figures.csv",
            [sys.executable, "-m", "countybook", "validate", "--data", str(big_data)],
        ),
    }
    (work / "review").mkdir()
    print("\ninput scaling (each a separate process; medians over", reps, "repetitions)")
    for key, (label, cmd) in scenarios.items():
        times, peaks = [], []
        for _ in range(reps):
            seconds, megabytes, code, out, err, _ = measured(cmd, copy, env)
            times.append(seconds)
            peaks.append(megabytes)
        lines = len((out + err).splitlines())
        last = (err.strip().splitlines() or out.strip().splitlines() or [""])[-1][:100]
        print(
            f"  {key} {label:38s}: {statistics.median(times):6.2f} s, peak {statistics.median(peaks):6.0f} MB, "
            f"exit {code}, {lines} output lines; last: {last}"
        )


def test_suite(reps: int) -> None:
    """(t) The README's test command, `python -m pytest`, in a fresh clone of the committed HEAD (as
    fresh-clone-check and CI run it: no _build, no cache), wall and CPU seconds per repetition."""
    with tempfile.TemporaryDirectory(prefix="countybook-tests-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k != "COUNTYBOOK_DATA"}
        env["PYTHONPATH"] = str(clone)
        walls, cpus = [], []
        for rep in range(reps):
            seconds, _, code, out, _, cpu = measured(
                [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], clone, env
            )
            tail = out.strip().splitlines()[-1] if out.strip() else ""
            print(f"rep {rep + 1}: t {seconds:.1f} s wall, {cpu:.1f} s CPU, exit {code}: {tail}", flush=True)
            if code != 0:
                sys.exit(out[-3000:])
            walls.append(seconds)
            cpus.append(cpu)
        print(
            f"  t python -m pytest, fresh clone    : {statistics.median(walls):7.1f}   "
            f"(CPU {statistics.median(cpus):.1f} s on {os.cpu_count()} cores; target < 120 s wall)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=None, help="passed to run (default: its own, the CPU count)")
    parser.add_argument("--with-tests", action="store_true", help="also time `python -m pytest` in the copy")
    parser.add_argument(
        "--only-pdf", action="store_true", help="only the print edition (p), beside the forced full rerun (b)"
    )
    parser.add_argument(
        "--only-inputs",
        action="store_true",
        help="only the input-scaling scenarios e and f (extract 1 MB, validate 50 MB)",
    )
    parser.add_argument(
        "--only-tests", action="store_true", help="only the README's test command in a fresh clone of HEAD (t)"
    )
    args = parser.parse_args()
    if args.reps < 3:
        parser.error("--reps must be at least 3 (medians)")
    if args.only_tests:
        test_suite(args.reps)
        return 0

    with tempfile.TemporaryDirectory(prefix="countybook-bench-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, symlinks=True, ignore=IGNORE)
        # The copy's library and data, for the command line and for every kernel.
        env = {k: v for k, v in os.environ.items() if k != "COUNTYBOOK_DATA"}
        env["PYTHONPATH"] = os.pathsep.join([str(copy), *filter(None, [os.environ.get("PYTHONPATH")])])
        env_naive = {**env, "COUNTYBOOK_DATA": str(copy / "data")}
        figures = copy / "data" / "figures.csv"
        if QUOTE not in figures.read_text(encoding="utf-8"):
            sys.exit(f"benchmark edit: {QUOTE!r} is no longer in data/figures.csv; pick another row")

        print(f"copy: {copy}  cpus: {os.cpu_count()}  notebooks: {len(templates(copy))}", flush=True)
        if args.only_inputs:
            input_scaling(copy, env, args.reps)
            return 0
        print("warm-up: run --build (edition and _build in place)…", flush=True)
        countybook_run(copy, env, args.year, args.jobs)
        if args.only_pdf:
            pdf_scenario(copy, env, args.year, args.jobs, args.reps)
            return 0

        results: dict[str, list[float]] = {k: [] for k in "abcd"}
        own: dict[str, list[float]] = {k: [] for k in "bcd"}
        builds: list[float] = []
        per_notebook: dict[str, list[float]] = {}
        for rep in range(args.reps):
            total, build_seconds = naive(copy, env_naive, args.year, per_notebook)
            results["a"].append(total)
            builds.append(build_seconds)
            print(f"rep {rep + 1}: a {total:.1f} s (build {build_seconds:.1f} s)", flush=True)
            for key, flags in (("b", ["--force"]), ("c", [])):
                total, runner_seconds, line = countybook_run(copy, env, args.year, args.jobs, *flags)
                results[key].append(total)
                own[key].append(runner_seconds)
                print(f"rep {rep + 1}: {key} {total:.1f} s (run {runner_seconds:.1f} s: {line})", flush=True)
            old, new = QUOTE_EDITS[(rep + 1) % 2], QUOTE_EDITS[rep % 2]
            figures.write_text(figures.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
            total, runner_seconds, line = countybook_run(copy, env, args.year, args.jobs)
            results["d"].append(total)
            own["d"].append(runner_seconds)
            print(f"rep {rep + 1}: d {total:.1f} s (run {runner_seconds:.1f} s: {line})", flush=True)

        med = {k: statistics.median(v) for k, v in results.items()}
        print("\nmedians over", args.reps, "repetitions (seconds)")
        print(f"  a naive papermill CLI loop + build : {med['a']:7.1f}   (build alone {statistics.median(builds):.1f})")
        print(
            f"  b run --build --force              : {med['b']:7.1f}   (runner alone {statistics.median(own['b']):.1f})"
        )
        print(
            f"  c run --build, nothing changed     : {med['c']:7.1f}   (runner alone {statistics.median(own['c']):.1f})"
        )
        print(
            f"  d run --build, one data row edited : {med['d']:7.1f}   (runner alone {statistics.median(own['d']):.1f})"
        )
        print(
            f"ratios: b/a = {med['b'] / med['a']:.2f} (target <= 0.4)   c/b = {med['c'] / med['b']:.2f} "
            f"(target <= 0.1)   d/b = {med['d'] / med['b']:.2f}"
        )
        print("\nper notebook, papermill command line (median s):")
        for name, values in per_notebook.items():
            print(f"  {name:40s} {statistics.median(values):5.2f}")
        print("per notebook, in-process papermill.execute_notebook, one kernel at a time (s):")
        print("  " + in_process_timings(copy, env, args.year))

        pdf_scenario(copy, env, args.year, args.jobs, args.reps)
        input_scaling(copy, env, args.reps)

        if args.with_tests:
            seconds, done = sh([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], copy, env, check=False)
            tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
            print(f"\npython -m pytest: {seconds:.1f} s, exit {done.returncode}: {tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

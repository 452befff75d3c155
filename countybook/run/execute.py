"""Executing the templates of a run (step 3): worker threads, each with one warm kernel.

Workers take notebooks from a shared queue in order and hand each outcome (a post-processed
notebook or a Failure) to the calling thread, which verifies and writes it. On Ctrl-C (or any
error in the calling thread) no further notebook starts, the kernels are killed, and every worker
shuts its kernel down before the error goes on.

The workers and their kernels belong to a KernelPool, which may outlive one run: the command
line runs every language of a year on one pool, so the second edition's notebooks find kernels
that are started, warmed up and have already read the data and fonts (about 3 s of CPU saved per
edition). A run without a pool gets one of its own, closed when it ends.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .plan import Failure, RunPlan
from .postprocess import postprocess
from .verify import first_line, template_cell_index

# (template, post-processed notebook or Failure, seconds), called in the calling thread.
OnDone = Callable[[Path, object, float], None]


def execute_all(
    plan: RunPlan, to_run: list[Path], on_done: OnDone, *, themes=None, already_done: int = 0, pool=None
) -> None:
    """Execute to_run on the pool's workers (plan.jobs of them in a pool of the run's own when
    none is given; see countybook.run.kernels)."""
    if not to_run:
        return
    if pool is not None:
        pool.execute(plan, to_run, on_done, themes=themes, already_done=already_done)
        return
    with KernelPool(plan.jobs) as own:
        own.execute(plan, to_run, on_done, themes=themes, already_done=already_done)


@dataclass(frozen=True)
class KernelSetting:
    """What a warm kernel was started for: a kernel serves a run that asks for the same kernel,
    working folder and environment (data and library included), and imports nothing the kernel
    did not warm up."""

    kernel_name: str
    notebooks_dir: Path
    environment: tuple[tuple[str, str], ...]
    warm_imports: tuple[str, ...]  # in the order of first import

    def serves(self, other: KernelSetting) -> bool:
        return replace(other, warm_imports=self.warm_imports) == self and set(self.warm_imports) >= set(
            other.warm_imports
        )


@dataclass
class _Run:
    """One run's share of the pool: its plan, what its notebooks need, and where outcomes go."""

    plan: RunPlan
    themes: object
    setting: KernelSetting | None  # None: a fresh kernel per notebook
    done: queue.Queue
    stop: threading.Event


class KernelPool:
    """Worker threads that each keep one warm kernel from run to run, until the pool is closed.

    A WarmKernel is driven by its own thread's event loop, so each stays with the thread that
    started it; a run whose setting a thread's kernel does not serve gets that thread a new one.
    Use it as a context manager: leaving it shuts every kernel down and removes their private
    folder (connection files).
    """

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self._tasks: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._kernels: dict[int, Any] = {}  # thread index -> its WarmKernel
        self._stack = contextlib.ExitStack()
        self._private: Path | None = None

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the calling thread ---------------------------------------------------------------------
    def execute(self, plan: RunPlan, to_run: list[Path], on_done: OnDone, *, themes=None, already_done: int = 0):
        from tqdm import tqdm

        from . import kernels

        if self._private is None:
            # The kernels' connection files and IPython profile: gone when the pool closes.
            self._private = self._stack.enter_context(kernels.private_folder())
        setting = (
            KernelSetting(
                plan.kernel_name,
                plan.notebooks_dir,
                tuple(
                    sorted(
                        kernels.kernel_environment(plan.data_dir, plan.library_dir, private_dir=self._private).items()
                    )
                ),
                kernels.imports_of(to_run),
            )
            if plan.reuse_kernels
            else None
        )
        run = _Run(plan, themes, setting, queue.Queue(), threading.Event())
        bar = tqdm(
            total=len(to_run) + already_done,
            initial=already_done,
            unit="notebook",
            desc=f"run {plan.year}",
            file=sys.stderr,
            disable=not plan.progress,
        )
        with contextlib.ExitStack() as stack:
            stack.enter_context(bar)
            if not plan.reuse_kernels:
                stack.enter_context(kernel_environment_here(plan.data_dir, plan.library_dir, self._private))
            try:
                for template in to_run:
                    self._tasks.put((run, template))
                self._start_workers(min(self.jobs, len(to_run)))
                for _ in to_run:
                    template, outcome, seconds = run.done.get()
                    if template is None:
                        raise outcome
                    bar.set_postfix_str(template.name, refresh=False)
                    bar.update()
                    on_done(template, outcome, seconds)
            except BaseException:  # e.g. Ctrl-C: start no further notebook; nothing of this run is kept
                run.stop.set()
                self.close(kill=True)
                raise

    def close(self, kill: bool = False) -> None:
        """Stop the workers, each shutting its kernel down (killed first with kill), and wait for them."""
        if kill:
            for kernel in list(self._kernels.values()):
                kernel.kill()
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join(timeout=60)
        self._threads.clear()
        self._stack.close()
        self._private = None

    def _start_workers(self, wanted: int) -> None:
        while len(self._threads) < wanted:
            index = len(self._threads)
            thread = threading.Thread(target=self._serve, args=(index,), name=f"countybook-run-{index}", daemon=True)
            self._threads.append(thread)
            thread.start()

    # --- each worker thread ---------------------------------------------------------------------
    def _serve(self, index: int) -> None:
        kernel = None
        setting: KernelSetting | None = None
        try:
            while (task := self._tasks.get()) is not None:
                run, template = task
                if run.stop.is_set():
                    continue
                try:
                    if kernel is not None and (
                        run.setting is None or kernel.killed or setting is None or not setting.serves(run.setting)
                    ):
                        kernel.shutdown(now=True)
                        kernel = None
                    if kernel is None and run.setting is not None:
                        setting = run.setting
                        kernel = self._new_kernel(setting)
                        self._kernels[index] = kernel
                    outcome, seconds = execute_one(
                        template, run.plan, kernel, connection_dir=self._private, themes=run.themes
                    )
                    run.done.put((template, outcome, seconds))
                except BaseException as err:  # noqa: BLE001 - reported by the calling thread
                    run.done.put((None, err, 0.0))
        finally:
            if kernel is not None:
                kernel.shutdown(now=True)  # its work is collected: no need to wait for a clean exit
            self._kernels.pop(index, None)

    def _new_kernel(self, setting: KernelSetting):
        from . import kernels

        return kernels.WarmKernel(
            setting.kernel_name,
            setting.notebooks_dir,
            dict(setting.environment),
            setting.warm_imports,
            connection_dir=self._private,
        )


def execute_one(template: Path, plan: RunPlan, kernel=None, connection_dir: Path | None = None, themes=None):
    """Execute one notebook; (post-processed NotebookNode or Failure, seconds).

    With a WarmKernel the notebook runs in that kernel (started, or reset to its warm-up state,
    first); a failure shuts the kernel down so the next notebook gets a new one. Without one,
    papermill starts and stops a kernel of its own, whose connection file goes into
    connection_dir (the run's private folder) when given.
    """
    import papermill

    started = time.monotonic()
    parameters = plan.parameters
    options = dict(
        parameters=dict(parameters),
        kernel_name=plan.kernel_name,
        progress_bar=False,
        request_save_on_cell_execute=False,
        # The kernel's working folder, without papermill's process-wide os.chdir.
        resources={"metadata": {"path": str(plan.notebooks_dir)}},
    )
    try:
        import nbformat

        from ..render import page_text

        source = page_text.fill(nbformat.read(str(template), as_version=4), plan.lang, parameters, themes)
        if kernel is None:
            # Quiet the kernel's start-up warning about unencrypted local TCP; errors still show.
            if connection_dir is not None:
                from . import kernels

                options["kernel_manager_class"] = kernels.manager_class_in(connection_dir)
            nb = papermill.execute_notebook(source, None, extra_arguments=["--IPKernelApp.log_level=ERROR"], **options)
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
        return failure_of(template, err), time.monotonic() - started
    return postprocess(nb, template), time.monotonic() - started


def failure_of(template: Path, err: Exception) -> Failure:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        text = f"{err.ename}: {err.evalue}" if err.evalue else str(err.ename)
        return Failure(template.name, template_cell_index(template, err.cell_index), first_line(text))
    return Failure(template.name, None, first_line(f"{type(err).__name__}: {err}"))


@contextlib.contextmanager
def kernel_environment_here(data_dir: Path, library_dir: Path, private_dir: Path | None = None):
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

"""Executing the templates of a run (step 3): worker threads, each with one warm kernel.

Workers take notebooks from a shared queue in order and hand each outcome (a post-processed
notebook or a Failure) to the calling thread, which verifies and writes it. On Ctrl-C (or any
error in the calling thread) no further notebook starts, the kernels are killed, and every worker
shuts its kernel down before the error goes on.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .plan import Failure, RunPlan
from .postprocess import postprocess
from .verify import first_line, template_cell_index

# (template, post-processed notebook or Failure, seconds), called in the calling thread.
OnDone = Callable[[Path, object, float], None]


def execute_all(plan: RunPlan, to_run: list[Path], on_done: OnDone, *, themes=None, already_done: int = 0) -> None:
    """Execute to_run on plan.jobs worker threads (see countybook.run.kernels)."""
    if not to_run:
        return
    import queue
    import threading

    from tqdm import tqdm

    from . import kernels

    work: queue.Queue = queue.Queue()
    for template in to_run:
        work.put(template)
    done: queue.Queue = queue.Queue()
    stop = threading.Event()
    warm: list = []

    warm_imports = kernels.imports_of(to_run) if plan.reuse_kernels else ()

    def worker() -> None:
        kernel = (
            kernels.WarmKernel(plan.kernel_name, plan.notebooks_dir, env, warm_imports, connection_dir=private)
            if plan.reuse_kernels
            else None
        )
        if kernel is not None:
            warm.append(kernel)
        try:
            while not stop.is_set():
                try:
                    template = work.get_nowait()
                except queue.Empty:
                    return
                outcome, seconds = execute_one(template, plan, kernel, connection_dir=private, themes=themes)
                done.put((template, outcome, seconds))
        except BaseException as err:  # noqa: BLE001 - reported by the calling thread
            done.put((None, err, 0.0))
        finally:
            if kernel is not None:
                kernel.shutdown(now=True)  # its work is collected: no need to wait for a clean exit
            done.put(None)  # this worker has finished

    bar = tqdm(
        total=len(to_run) + already_done,
        initial=already_done,
        unit="notebook",
        desc=f"run {plan.year}",
        file=sys.stderr,
        disable=not plan.progress,
    )
    threads = [
        threading.Thread(target=worker, name=f"countybook-run-{i}", daemon=True)
        for i in range(max(1, min(plan.jobs, len(to_run))))
    ]
    with contextlib.ExitStack() as stack:
        # The kernels' connection files and IPython profile: gone when this block is left.
        private = stack.enter_context(kernels.private_folder())
        env = kernels.kernel_environment(plan.data_dir, plan.library_dir, private_dir=private)  # read by worker()
        stack.enter_context(bar)
        if not plan.reuse_kernels:
            stack.enter_context(kernel_environment_here(plan.data_dir, plan.library_dir, private))
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
                bar.set_postfix_str(template.name, refresh=False)
                bar.update()
                on_done(template, outcome, seconds)
        except BaseException:  # e.g. Ctrl-C: start no further notebook; nothing of this run is kept
            stop.set()
            for kernel in list(warm):
                kernel.kill()
            raise
        finally:
            for thread in threads:
                if thread.is_alive() or thread.ident is not None:
                    thread.join(timeout=60)


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

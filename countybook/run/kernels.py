"""Warm kernels for `python -m countybook run`: one python3 kernel per worker, reused.

Starting a kernel and importing countybook.render.chapter (pandas, pandera, matplotlib, seaborn) costs
about 2 s of CPU, as much as executing a small chapter. So each runner worker starts ONE kernel,
imports into it once (silently) the modules its notebooks import (imports_of: read from their code
cells, so notebooks that import little start fast), and executes its notebooks one after another
in it with `papermill.execute_notebook(..., km=kernel.km)`: papermill hands km to nbclient, whose
NotebookClient neither starts nor shuts down a kernel manager it did not create (owns_km False).

Before each notebook the kernel is reset so that the executed notebook is byte-identical to one
executed in a fresh kernel (tests/test_kernels.py checks this on the real notebooks):

* user namespace and input/output history cleared (`reset(new_session=False)`, plus the input
  history that only a new session would clear), execution counter back to 1;
* matplotlib figures closed and rcParams back to what they were right after the warm-up import
  (which also loads the inline backend, as a fresh kernel's first figure would);
* working folder, os.environ, sys.path and warning filters back to their warm-up state, and
  every module's warning registry invalidated, so a warning shows again as it would in a fresh
  kernel instead of being suppressed as already shown.

These run as silent executions (silent=True, store_history=False), which do not move the
execution counter. Imported modules stay imported; that is the point. A notebook that fails
leaves the kernel in an unknown state, so the worker restarts its kernel before the next one.

The functions below the line `in the kernel` run inside the kernel process, not in the runner.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

START_TIMEOUT = 60  # seconds for a kernel to answer after it started
CONTROL_TIMEOUT = 120  # seconds for the warm-up import or a reset
IOPUB_SILENCE = 0.2  # seconds without an IOPub message after which a new client is ready anyway
# The kernel's start-up warning about unencrypted local TCP would print once per kernel.
EXTRA_ARGUMENTS = ("--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:")


class KernelError(RuntimeError):
    """The kernel could not be started, warmed up or reset."""


# What an edition's bytes may depend on in the kernel's environment, fixed here rather than
# inherited from whoever calls `run`: MPLBACKEND=Agg (common on CI) makes every chart display as
# "<Figure size ...>" text instead of an image; the locale and time zone reach formatted dates
# and sorting; the hash seed reaches set and dict-of-set orders.
FIXED_ENVIRONMENT = MappingProxyType(
    {
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONUTF8": "1",
    }
)
# Removed from the kernel's environment: each can change what a cell prints (start-up scripts,
# warning filters that turn warnings into errors or hide them, a language or locale category
# overriding LC_ALL's neighbours, terminal sizes pandas may read, optimisation dropping asserts,
# the pid of an outer Jupyter that jupyter_client replaces with the runner's own anyway).
DROPPED_ENVIRONMENT = (
    "PYTHONSTARTUP",
    "PYTHONWARNINGS",
    "PYTHONOPTIMIZE",
    "PYTHONDEVMODE",
    "PYTHONBREAKPOINT",
    "LANGUAGE",
    "COLUMNS",
    "LINES",
    "JPY_PARENT_PID",
)
PRIVATE_PREFIX = "countybook-kernels-"
# How code sent to the kernel names the functions below `in the kernel`.
IN_KERNEL = "__import__('countybook.run.kernels').run.kernels"


def kernel_environment(
    data_dir: Path, library_dir: Path, base: dict | None = None, private_dir: Path | None = None
) -> dict[str, str]:
    """Environment of a kernel: this run's data and library, and FIXED_ENVIRONMENT.

    PYTHONPATH puts the library's parent first so a run on a copy of the repository imports the
    copy's countybook (an editable install's finder comes after PYTHONPATH). With private_dir
    (the run's folder for connection files, see private_folder) IPython reads its profile from
    there, so a user's ipython_kernel_config.py (say, SVG instead of PNG figures) cannot reach
    the edition either.
    """
    env = dict(os.environ if base is None else base)
    for key in [key for key in env if key.startswith("LC_") or key in DROPPED_ENVIRONMENT]:
        del env[key]
    pythonpath = [str(library_dir.parent)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env.update(FIXED_ENVIRONMENT)
    env.update(
        {
            "COUNTYBOOK_DATA": str(data_dir),
            "PYTHONPATH": os.pathsep.join(pythonpath),
        }
    )
    if private_dir is not None:
        env["IPYTHONDIR"] = str(Path(private_dir) / "ipython")
    return env


@contextlib.contextmanager
def private_folder():
    """A folder of this process for the kernels' connection files (they hold signing keys).

    Removed when the run ends by any path Python sees (return, exception, Ctrl-C, SIGTERM turned
    into an exception by the command line, interpreter exit). A SIGKILLed run cannot clean up, so
    every run first removes the folders of processes that no longer exist.
    """
    import atexit
    import shutil
    import tempfile

    remove_stale_private_folders()
    folder = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))
    remove = functools.partial(shutil.rmtree, folder, ignore_errors=True)
    atexit.register(remove)
    try:
        yield folder
    finally:
        remove()
        atexit.unregister(remove)


def remove_stale_private_folders() -> None:
    """Remove the private folders of runs that were killed (their process no longer exists)."""
    import shutil
    import tempfile

    for folder in Path(tempfile.gettempdir()).glob(f"{PRIVATE_PREFIX}*-*"):
        pid = folder.name[len(PRIVATE_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _process_exists(int(pid)) and _own_folder(folder):
            shutil.rmtree(folder, ignore_errors=True)


def _own_folder(folder: Path) -> bool:
    try:
        return folder.is_dir() and folder.stat().st_uid == os.getuid()
    except OSError:
        return False


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def manager_class_in(connection_dir: Path):
    """A kernel manager class writing its connection file into connection_dir, for kernels that
    papermill starts itself (run(reuse_kernels=False)): nbclient takes it as kernel_manager_class."""
    from jupyter_client.manager import AsyncKernelManager

    class PrivateKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.connection_file = str(Path(connection_dir) / f"kernel-{uuid.uuid4().hex}.json")

    return PrivateKernelManager


def _kernel_manager_class():
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

    class WarmKernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout=None):
            # parent: the kernel manager that made this client (jupyter_client passes itself)
            await answered_kernel_info(self, START_TIMEOUT if timeout is None else timeout, self.parent.is_alive)

    class TrackingKernelManager(AsyncKernelManager):
        """Remembers the clients nbclient creates (one per notebook) so they can be closed."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.client_factory = WarmKernelClient

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.countybook_clients.append(kc)
            return kc

    return TrackingKernelManager


def imports_of(notebooks) -> tuple[str, ...]:
    """The modules the code cells of these notebooks import, in order of first import: what a warm
    kernel imports once. (For `from a.b import c`, a.b and a.b.c: c may be a module; warm_up skips
    what is not one.) A cell that is not plain Python (a magic) is skipped."""
    import ast

    import nbformat

    found: dict[str, None] = {}
    for path in notebooks:
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
                    found.update(dict.fromkeys(f"{node.module}.{alias.name}" for alias in node.names))
    return tuple(found)


async def answered_kernel_info(kc, timeout: float, is_alive) -> None:
    """A new client of a kernel that already answers is ready once a kernel_info request is
    answered and its messages are read off IOPub (up to its idle status).

    jupyter_client's wait_for_ready instead reads IOPub until it has been silent for 0.2 s, which
    cost each notebook 0.2 s of waiting: a third of a short chapter. If this client subscribed to
    IOPub too late to see the idle status, the same 0.2 s of silence ends the wait. A kernel killed
    meanwhile (the run interrupted) ends it at once.
    """
    from queue import Empty

    msg_id = kc.kernel_info()
    await shell_reply(kc, msg_id, timeout, is_alive)
    while True:
        try:
            message = await kc.get_iopub_msg(timeout=IOPUB_SILENCE)
        except Empty:
            return
        if (
            message.get("parent_header", {}).get("msg_id") == msg_id
            and message.get("msg_type") == "status"
            and message.get("content", {}).get("execution_state") == "idle"
        ):
            return


async def shell_reply(kc, msg_id: str, timeout: float, is_alive) -> dict:
    """The shell channel's reply to request msg_id; KernelError if none comes within timeout or the
    kernel dies meanwhile (checked whenever the channel is quiet for half a second)."""
    import time
    from queue import Empty

    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise KernelError(f"no reply from the kernel within {timeout:.0f} s")
        try:
            reply = await kc.get_shell_msg(timeout=min(remaining, 0.5))
        except Empty:
            if not await is_alive():
                raise KernelError("the kernel died") from None
            continue
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            return reply


class WarmKernel:
    """One kernel owned by one worker thread; every method must be called from that thread.

    (The kernel manager is asynchronous, driven by the thread's own event loop, the same loop
    nbclient uses in that thread.)
    """

    def __init__(
        self,
        kernel_name: str,
        cwd: Path,
        env: dict[str, str],
        warm_imports: tuple[str, ...] = (),
        connection_dir: Path | None = None,
    ):
        self.kernel_name = kernel_name
        self.connection_dir = connection_dir
        self.cwd = Path(cwd)
        self.env = env
        self.warm_imports = tuple(warm_imports)
        self.km: Any = None  # jupyter_client's AsyncKernelManager once started
        self._control: Any = None  # its client for silent executions
        self.starts = 0  # kernels started so far (1 + restarts)
        self.killed = False  # set by kill(): the run is over, no kernel may start any more

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        from jupyter_core.utils import run_sync

        self.shutdown(now=True)
        if self.killed:
            # A kill during a reset made the worker ask for a new kernel; that one would execute
            # the next notebook while the interrupted run waits for this thread to end.
            raise KernelError("the run was interrupted")
        km = _kernel_manager_class()(kernel_name=self.kernel_name)
        km.countybook_clients = []
        if self.connection_dir is not None:
            # Otherwise jupyter_client writes it with mkstemp into the system's temporary folder,
            # where a killed run leaves it behind.
            km.connection_file = str(Path(self.connection_dir) / f"kernel-{uuid.uuid4().hex}.json")
        self.km = km
        self.starts += 1
        run_sync(km.start_kernel)(cwd=str(self.cwd), env=self.env, extra_arguments=list(EXTRA_ARGUMENTS))
        # Its own session: the shell socket's zmq identity is the session id, and the clients
        # nbclient creates share km.session, so with the same session the kernel's replies
        # would go to whichever of them connected last.
        from jupyter_client.session import Session

        control = km.client(session=Session(key=km.session.key, signature_scheme=km.session.signature_scheme))
        km.countybook_clients.remove(control)
        # Only the shell channel: silent executions publish nothing worth reading.
        control.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self._control = control
        self._execute(
            f"{IN_KERNEL}.warm_up(get_ipython(), {list(self.warm_imports)!r})", timeout=START_TIMEOUT + CONTROL_TIMEOUT
        )

    def reset(self) -> None:
        """Make the kernel's state that of a freshly warmed-up kernel."""
        self._execute(f"{IN_KERNEL}.reset(get_ipython())")

    def close_clients(self) -> None:
        """Stop the channels of the clients nbclient created (it keeps those of a km it does not own)."""
        if self.km is None:
            return
        for kc in self.km.countybook_clients:
            with contextlib.suppress(Exception):  # best effort
                kc.stop_channels()
        self.km.countybook_clients.clear()

    def kill(self) -> None:
        """From any thread: kill the kernel process (the worker then sees a dead kernel) and keep
        any other from starting."""
        self.killed = True
        km = self.km
        process = getattr(getattr(km, "provisioner", None), "process", None) if km else None
        if process is not None:
            with contextlib.suppress(Exception):  # already gone
                process.kill()

    def shutdown(self, now: bool = False) -> None:
        km, self.km = self.km, None
        if km is None:
            return
        from jupyter_core.utils import run_sync

        for kc in [self._control, *km.countybook_clients]:
            if kc is not None:
                with contextlib.suppress(Exception):
                    kc.stop_channels()
        self._control = None
        km.countybook_clients.clear()
        try:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=now)
        except Exception:  # noqa: BLE001 - a dead kernel cannot be asked to stop
            with contextlib.suppress(Exception):
                run_sync(km.cleanup_resources)()

    # --- silent execution -----------------------------------------------------------------------
    def _execute(self, code: str, timeout: float = CONTROL_TIMEOUT) -> None:
        from jupyter_core.utils import run_sync

        if self._control is None:
            raise KernelError("kernel not started")
        run_sync(self._async_execute)(code, timeout)

    async def _async_execute(self, code: str, timeout: float) -> None:
        kc = self._control
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        content = (await shell_reply(kc, msg_id, timeout, self.km.is_alive))["content"]
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename', 'error')}: {content.get('evalue', '')}")


# =============================================================================== in the kernel


@dataclass
class Snapshot:
    """The kernel's state right after the warm-up, which every reset goes back to. It is kept on
    the kernel's IPython shell (SNAPSHOT_ATTRIBUTE), which outlives the user namespace a reset
    clears, and handed to reset() explicitly."""

    cwd: str
    environ: dict = field(default_factory=dict)
    path: list = field(default_factory=list)
    filters: list = field(default_factory=list)
    rc: dict | None = None  # matplotlib's rcParams, when matplotlib is imported

    @classmethod
    def take(cls) -> Snapshot:
        import warnings

        rc = None
        if "matplotlib" in sys.modules:
            rc = dict(sys.modules["matplotlib"].rcParams.copy())
        return cls(
            cwd=os.getcwd(), environ=dict(os.environ), path=list(sys.path), filters=list(warnings.filters), rc=rc
        )


SNAPSHOT_ATTRIBUTE = "countybook_snapshot"


def warm_up(shell, modules) -> Snapshot:
    """Import the heavy modules once and remember, on the shell, the state every reset goes back to."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - not a module (`from package import function`), or
            # a module that fails: the notebook importing it raises the error itself, where it is reported
            continue
    if "matplotlib.pyplot" in sys.modules:
        # Load the (inline) backend now, as a fresh kernel's first figure would: it activates
        # IPython's matplotlib integration (rcParams["interactive"], the hook that shows a
        # cell's figures), and that state belongs in the snapshot every reset restores.
        plt = sys.modules["matplotlib.pyplot"]
        plt.switch_backend(plt.rcParams["backend"])
    snapshot = Snapshot.take()
    setattr(shell, SNAPSHOT_ATTRIBUTE, snapshot)
    # The imported modules live as long as the kernel: out of the collector's sight, the full
    # collection every reset makes (IPython's) takes milliseconds instead of a twentieth of a second.
    gc.freeze()
    return snapshot


def reset(shell, snapshot: Snapshot | None = None) -> None:
    """Make the kernel's state that of a freshly warmed-up kernel (the shell's snapshot by default)."""
    import warnings

    snapshot = snapshot or getattr(shell, SNAPSHOT_ATTRIBUTE)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    shell.reset(new_session=False)
    shell.execution_count = 1
    history = shell.history_manager
    if history is not None:  # In / _ih start empty, as in a new kernel (same list objects)
        history.input_hist_parsed[:] = [""]
        history.input_hist_raw[:] = [""]
    os.chdir(snapshot.cwd)
    if dict(os.environ) != snapshot.environ:
        os.environ.clear()
        os.environ.update(snapshot.environ)
    sys.path[:] = snapshot.path
    # resetwarnings() marks every module's __warningregistry__ stale, so a warning shows again
    # as in a fresh kernel instead of being suppressed as already shown; then the filters return.
    warnings.resetwarnings()
    warnings.filters[:] = snapshot.filters  # type: ignore[index]  # a list at run time, typed Sequence
    if snapshot.rc is not None:
        import matplotlib

        # Validated again on the way in; the values came out of rcParams, so each is valid.
        matplotlib.rcParams.update(snapshot.rc)

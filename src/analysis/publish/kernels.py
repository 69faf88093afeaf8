"""Kernels for report notebooks: on IPC sockets, reused between reports, killed on a timeout.

The kernel is either fresh for each report or, given a ``ReusedKernel``, one started kernel that
runs successive reports: before each one ``KERNEL_RESET`` gives the notebook what a fresh kernel
would (an empty namespace, no figures, the report style, execution count 1), and the kernel is
replaced after any failure and after ``REUSE_LIMIT`` reports. Imported modules stay imported,
which is the point (about 2 s a report); the package's only cache, ``analysis.data.load``'s, is keyed
by the extract files' paths and modification times, so it cannot carry one area into another.
tests/test_build.py checks that a report built after another area is byte-identical to the same
report built in a fresh kernel.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import multiprocessing.util
import os
import signal
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args
from traitlets import Instance, Unicode

from analysis.data.fingerprint import code_digest
from analysis.publish.model import KERNEL, ReportError

# Reports one kernel runs before it is replaced: bounds the memory a long-lived kernel can gather.
REUSE_LIMIT = 40
REUSE_ENGINE = "analysis-reused-kernel"
# Run (silently, outside the notebook's history) in a reused kernel before each report. What stays
# is what a fresh kernel also has once the notebook's imports ran: imported modules and their
# caches. Figures are closed and matplotlib's settings are those of a fresh import of
# analysis.present.style (rc file defaults, then the report style) in case a report changed any.
KERNEL_RESET = """\
def _analysis_kernel_reset():
    import os, sys
    os.chdir({cwd!r})
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib
        import matplotlib.pyplot
        matplotlib.pyplot.close("all")
        matplotlib.rc_file_defaults()
    if "analysis.present.style" in sys.modules:
        sys.modules["analysis.present.style"].apply()
    # %reset -f (an empty user namespace and output history) in a new history session, so
    # that execution counts start at 1 again as in a fresh kernel.
    get_ipython().reset(new_session=True)


_analysis_kernel_reset()
"""


class IPCKernelManager(AsyncKernelManager):
    """A kernel on IPC sockets with a unique connection file (the papermill #511 fix).

    Kernels started at the same time over TCP can race for the same port ("Address already in
    use"); socket files named by a fresh uuid cannot collide. Instances are remembered so that
    the wall-clock watchdog can kill a hung kernel.
    """

    live: ClassVar[weakref.WeakSet[IPCKernelManager]] = weakref.WeakSet()

    def __init__(self, **kwargs: Any) -> None:
        kernel_id = uuid.uuid4().hex
        connection_file = os.path.join(tempfile.gettempdir(), f"analysis-kernel-{kernel_id}.json")
        super().__init__(transport="ipc", kernel_id=kernel_id, connection_file=connection_file, **kwargs)
        IPCKernelManager.live.add(self)

    @classmethod
    def kill_all(cls, remove_files: bool = False) -> None:
        """SIGKILL every running kernel this process started (each leads its own process group).

        ``remove_files`` also removes their connection and socket files (when this process is
        about to end without the managers' own clean-up).
        """
        for km in list(cls.live):
            pgid = getattr(km.provisioner, "pgid", None) if km.has_kernel else None
            if pgid:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pgid, signal.SIGKILL)
            if remove_files:
                with contextlib.suppress(Exception):
                    km.cleanup_connection_file()
                    km.cleanup_ipc_files()


class ReusedKernel:
    """One started kernel, and one client connected to it, that a process keeps for successive reports.

    ``acquire`` returns the kernel manager for the next report: the same one as last time unless
    it has run ``limit`` reports, has died, or was started for another kernel name, working folder
    or environment (fixed when a kernel starts) or before the package's code last changed
    (``analysis.data.fingerprint.code_digest``: its modules would be stale); otherwise a new,
    not yet started one, which nbclient starts exactly as it starts a kernel of its own. The
    client (``kc``) nbclient connects to it is kept too (a new one waits 0.2 s for the kernel).
    ``release(ok=False)``, after any failure or timeout, kills the kernel, so that the next
    report gets a fresh one.
    """

    def __init__(self, limit: int = REUSE_LIMIT) -> None:
        self.limit = limit
        self.km: IPCKernelManager | None = None
        self.kc: Any = None  # the kernel client, set by ReusedKernelClient
        self.key: tuple[Any, ...] | None = None
        self.reports = 0  # reports this kernel has run, the current one included

    def acquire(self, name: str, cwd: Path, env: dict[str, str]) -> IPCKernelManager:
        """The kernel manager to run the next report with (counted as one of the kernel's reports)."""
        km = self._manager(name, cwd, env)
        self.reports += 1
        return km

    def _manager(self, name: str, cwd: Path, env: dict[str, str]) -> IPCKernelManager:
        key = (name, str(cwd), tuple(sorted(env.items())), code_digest())
        if self.km is not None and (key != self.key or self.reports >= self.limit or not self._alive()):
            self.close()
        if self.km is None:
            self.km, self.key, self.reports = IPCKernelManager(kernel_name=name), key, 0
        return self.km

    def start(
        self,
        name: str,
        cwd: Path,
        env: dict[str, str],
        code: str,
        timeout: float | None,
        meanwhile: Callable[[], object] = lambda: None,
    ) -> bool:
        """Start the kernel the next report will get, now, and run ``code`` (imports) in it.

        For a worker to do while the build prepares the data; ``meanwhile`` runs here while the
        kernel runs ``code``. nbclient starts the kernel as papermill would (this environment
        plus ``env``, working folder ``cwd``). On any failure the kernel is closed, so that the
        report starts a fresh one; returns whether it worked.
        """
        from nbclient import NotebookClient

        km = self._manager(name, cwd, env)
        client = NotebookClient(
            nbformat.v4.new_notebook(), km=km, kernel_name=name, startup_timeout=_startup(timeout), timeout=_seconds(timeout)
        )
        client.kc = self.kc
        try:
            with _environ(env), client.setup_kernel(cwd=str(cwd)):
                msg_id = client.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
                meanwhile()
                reply = client.wait_for_reply(msg_id)
            ok = reply is not None and reply["content"].get("status") == "ok"
        except Exception:
            ok = False
        self.kc = client.kc
        if not ok:
            self.close()
        return ok

    def release(self, ok: bool) -> None:
        if not ok:
            self.close()

    def _alive(self) -> bool:
        assert self.km is not None
        try:
            return self.km.has_kernel and run_sync(self.km.is_alive)()
        except Exception:
            return False

    def close(self) -> None:
        """Close the client, kill the kernel (if any) and remove its connection and socket files."""
        km, kc = self.km, self.kc
        self.km, self.kc, self.key, self.reports = None, None, None, 0
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is None or not km.has_kernel:
            return
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already dead (the watchdog) or half started: make sure, then tidy
            pgid = getattr(km.provisioner, "pgid", None)
            if pgid:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pgid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                run_sync(km.cleanup_resources)()


_reused: ReusedKernel | None = None


def reused_kernel() -> ReusedKernel:
    """This process's ``ReusedKernel``; its kernel is killed when the process exits."""
    global _reused
    if _reused is None:
        _reused = ReusedKernel()
        # Runs at exit in the main process (atexit) and in pool workers, which skip atexit.
        multiprocessing.util.Finalize(None, _reused.close, exitpriority=10)
    return _reused


def close_reused_kernel() -> None:
    if _reused is not None:
        _reused.close()


class ReusedKernelClient(PapermillNotebookClient):
    """papermill's client for a ``ReusedKernel``: its kernel and client, reset first, left running after.

    nbclient keeps a kernel manager it was given (``km=``) running and also leaves open the
    client it connected for the run; the client is handed back to ``reused`` for the next report
    (and closed by ``ReusedKernel.close``).
    """

    reused = Instance(ReusedKernel, allow_none=True, help="the kernel to run in and keep")
    kernel_reset = Unicode("", help="code run in the kernel before the notebook's first cell").tag(config=True)

    def papermill_execute_cells(self) -> None:
        if self.kernel_reset:
            assert self.kc is not None
            reply = self.wait_for_reply(
                self.kc.execute(self.kernel_reset, silent=True, store_history=False, allow_stdin=False)
            )
            if reply is None or reply["content"].get("status") != "ok":
                content = reply["content"] if reply else {}
                raise RuntimeError(f"kernel reset failed: {content.get('ename')}: {content.get('evalue')}")
        super().papermill_execute_cells()

    def execute(self, **kwargs: Any) -> nbformat.NotebookNode:
        assert self.reused is not None and self.km is self.reused.km
        self.kc = self.reused.kc
        try:
            return super().execute(**kwargs)
        finally:
            self.reused.kc = self.kc


class ReusedKernelEngine(NBClientEngine):
    """papermill's nbclient engine (``NBClientEngine.execute_managed_notebook``) with ``ReusedKernelClient``."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logging.getLogger("papermill"),
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        return ReusedKernelClient(nb_man, **final_kwargs).execute()


papermill_engines.register(REUSE_ENGINE, ReusedKernelEngine)


@functools.cache
def kernel_name() -> str:
    """The project's kernel (``make setup`` installs it) or, failing that, the env's python3."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def execute(
    notebook: Path,
    parameters: dict[str, Any],
    *,
    timeout: float | None,
    executed: Path,
    env: dict[str, str],
    kernel: ReusedKernel | None = None,
) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters``; write the executed copy to ``executed``.

    The kernel is ``kernel``'s, reset first, or else a fresh one, killed afterwards. It inherits
    this process's environment plus ``env`` (e.g. ANALYSIS_RAW_DIR, so the notebook reads the
    extracts the build validated). papermill's per-cell timeout cannot stop a run that hangs
    outside a cell (papermill #711 hangs after the last one), so a watchdog kills the kernel
    once ``timeout`` seconds have passed since the start; nbclient then notices the dead kernel
    and returns. After a failure the caller must ``kernel.release(ok=False)``.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    executed.parent.mkdir(parents=True, exist_ok=True)
    if kernel is None:
        engine: dict[str, Any] = {
            "kernel_manager_class": IPCKernelManager,
            # Every output is in by now and the kernel is thrown away: kill it rather than wait
            # for a graceful exit (0.3 s a report, and up to 5 s when the kernel is slow to go).
            "shutdown_kernel": "immediate",
        }
    else:
        engine = {
            "engine_name": REUSE_ENGINE,
            "km": kernel.acquire(kernel_name(), notebook.parent, env),
            "reused": kernel,
            "kernel_reset": KERNEL_RESET.format(cwd=str(notebook.parent)),
        }
    watchdog = threading.Timer(timeout, IPCKernelManager.kill_all) if timeout is not None else None
    started = time.monotonic()
    if watchdog is not None:
        watchdog.daemon = True
        watchdog.start()
    try:
        with _environ(env):
            return pm.execute_notebook(
                notebook,
                executed,
                parameters=parameters,
                kernel_name=kernel_name(),
                language="python",
                cwd=notebook.parent,
                request_save_on_cell_execute=False,
                progress_bar=False,
                log_output=False,
                start_timeout=_startup(timeout),
                execution_timeout=_seconds(timeout),
                record_timing=False,
                **engine,
            )
    except PapermillExecutionError as exc:
        raise ReportError(f"cell {exc.cell_index} raised {exc.ename}: {exc.evalue}") from None
    except Exception as exc:
        if timeout is not None and time.monotonic() - started >= timeout:
            raise ReportError(f"timed out after {timeout:g} s; kernel killed") from None
        raise ReportError(f"execution failed: {type(exc).__name__}: {exc}") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()


def _seconds(timeout: float | None) -> int | None:
    """Whole seconds for nbclient's per-cell timeout; None (no limit) stays None."""
    return None if timeout is None else math.ceil(timeout)


def _startup(timeout: float | None) -> int:
    """Seconds a kernel may take to start: at most 60, less when the whole report must finish sooner."""
    return 60 if timeout is None else math.ceil(min(60.0, timeout))


@contextlib.contextmanager
def _environ(env: dict[str, str]) -> Iterator[None]:
    """Set ``env`` in os.environ while papermill starts the kernel (which inherits it), then restore it."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

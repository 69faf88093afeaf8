"""Running jobs: one process per worker, forked from a server that has imported papermill once."""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from analysis.publish.model import BUILT, FAILED, Job, Outcome
from analysis.publish.plan import notebook_imports


def run_job(job: Job) -> Outcome:
    """Render one report into ``job.work`` (in a worker process). Never raises: failing is an outcome.

    The report runs in this process's reused kernel unless ``job.fresh_kernel``; the message
    says which report of its kernel it was (1: a fresh kernel).
    """
    from analysis.publish.export import Page
    from analysis.publish.kernels import reused_kernel
    from analysis.publish.model import ReportError
    from analysis.publish.render import render_report

    started = time.monotonic()
    kernel = None if job.fresh_kernel else reused_kernel()
    try:
        page = render_report(
            job.notebook,
            job.parameters,
            Page(job.area, job.facts, job.built),
            timeout=job.timeout,
            executed=job.work / "executed.ipynb",
            env=job.env,
            kernel=kernel,
        )
        (job.work / "page.html").write_bytes(page.html.encode("utf-8"))
        run = 1 if kernel is None else kernel.reports
        return Outcome(
            job.key, BUILT, f"{page.images} image(s), report {run} of its kernel", time.monotonic() - started, page.title
        )
    except ReportError as exc:
        message = str(exc)
    except Exception as exc:  # one report's surprise must not stop the others
        message = f"{type(exc).__name__}: {exc}"
    return Outcome(job.key, FAILED, message, time.monotonic() - started)


def _warm_up(kernel: tuple[Path, dict[str, str], str, float | None] | None, driver: int) -> None:
    """Every worker's start (the pool's initializer): best effort, as a report meets any problem again."""
    from analysis.publish.render import warm_up

    _exit_with(driver)
    try:
        warm_up(kernel)
    except Exception as exc:  # an initializer that raises would break the pool
        print(f"build: a worker could not warm up ({type(exc).__name__}: {exc})", file=sys.stderr)


def _exit_with(driver: int) -> None:
    """End this worker, and kill its kernel, as soon as process ``driver`` (the build) has gone.

    A pool worker waits for work on a queue whose both ends it holds, so it would never notice
    a build killed with SIGKILL, and would keep its kernel running for ever.
    """

    def watch() -> None:
        try:
            fd = os.pidfd_open(driver)  # readable once the process has ended
        except ProcessLookupError:  # ended already
            pass
        except (AttributeError, OSError):  # no pidfd on this system: poll
            while _alive(driver):
                time.sleep(1)
        else:
            select.select([fd], [], [])
        from analysis.publish.kernels import IPCKernelManager

        IPCKernelManager.kill_all(remove_files=True)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def fork_server() -> multiprocessing.context.BaseContext:
    """Where workers come from: a server process that imports ``analysis.publish.preload`` once, then forks them."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["analysis.publish.preload"])
    return context


KernelPlan = tuple[Path, dict[str, str], str, float | None]  # folder, environment, imports, timeout


class Workers:
    """``count`` worker processes forked from the server, each warming up as soon as it starts.

    Warming up is compiling the template and, with a ``kernel`` plan, starting the kernel the
    worker keeps for its reports and running the notebooks' imports in it (about 2 s). The build
    starts them before it plans when every report will be built, so that this happens while it
    plans and prepares the data. ``close()`` ends them and their kernels.
    """

    def __init__(self, count: int, kernel: KernelPlan | None):
        self.pool = ProcessPoolExecutor(
            max_workers=count, mp_context=fork_server(), initializer=_warm_up, initargs=(kernel, os.getpid())
        )
        # A submitted task starts a worker while none is idle, so this starts them all now. Starting
        # one waits until the fork server has imported papermill and nbconvert: a thread waits.
        self._starter = threading.Thread(target=lambda: [self.pool.submit(int) for _ in range(count)], daemon=True)
        self._starter.start()

    def close(self) -> None:
        self._starter.join()
        self.pool.shutdown(wait=True, cancel_futures=True)


# Run in each kept kernel after the notebooks' imports: the extracts any report may read, read and
# checked while the build itself validates and derives the data (``analysis.data.load.preload``).
PRELOAD = "import analysis.data.load, analysis.measures.reads\nanalysis.data.load.preload(analysis.measures.reads.EXTRACTS)"


def kernel_plan(notebooks: list[Path], env: dict[str, str], timeout: float | None) -> KernelPlan:
    """What every worker's kept kernel starts with: the notebooks' folder, ``env``, their imports and
    ``PRELOAD``, ``timeout``."""
    code = f"{notebook_imports(list(dict.fromkeys(notebooks)))}\n{PRELOAD}"
    return notebooks[0].resolve().parent, env, code, timeout


def run_jobs(
    jobs: list[Job], workers: int, prepare: Callable[[], None], started: Workers | None = None
) -> Iterator[Outcome]:
    """Run ``prepare`` here, then every job; outcomes arrive as jobs finish.

    Workers fork from a fresh server process that has imported papermill and nbconvert once,
    never from this one, which has numpy's threads; ``started`` are workers already warming up
    (``Workers``; their starter closes them), else ``workers`` are started now, warm up while this
    process prepares the data and are closed at the end. One worker and nothing started: jobs run here.
    """
    if workers <= 1 and started is None:
        try:
            prepare()
            yield from map(run_job, jobs)
        finally:
            if jobs:
                from analysis.publish.kernels import close_reused_kernel

                close_reused_kernel()
        return
    pool = started
    if pool is None:  # every job has the same folder, environment and timeout
        pool = Workers(
            workers, None if jobs[0].fresh_kernel else kernel_plan([j.notebook for j in jobs], jobs[0].env, jobs[0].timeout)
        )
    try:
        prepare()
        futures = {pool.pool.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool as exc:
                yield Outcome(futures[future].key, FAILED, f"worker process died ({exc})")
    finally:
        if started is None:
            pool.close()

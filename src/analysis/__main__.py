"""``python -m analysis``: the command line (``analysis.cli``).

When the command returns, the process ends without tearing its modules down one by one: every
exit handler still runs (multiprocessing's, logging's, weakref finalizers'), the standard streams
are flushed, then ``os._exit`` with the command's exit code. Freeing pandas', scipy's and
statsmodels' module state at shutdown takes about 0.4 s after a build (measured; docs/performance.md)
and nothing in it writes a file. An uncaught exception ends the ordinary way.
"""

import atexit
import os
import sys

_exit_code: list[int] = []


def _end_now() -> None:
    """Registered first, so it runs last of the exit handlers (they run in reverse order)."""
    if _exit_code:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_code[0])


atexit.register(_end_now)

from analysis.cli import main  # noqa: E402  (after the handler, so every handler it brings runs first)

_exit_code.append(int(main() or 0))
sys.exit(_exit_code[0])

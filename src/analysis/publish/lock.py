"""One build at a time: an exclusive lock on ``out/.lock`` that names its holder."""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class LockHeld(RuntimeError):
    """Another build holds the out folder's lock: exit 3."""

    def __init__(self, path: Path, holder: dict[str, Any]):
        self.pid = holder.get("pid")
        who = f"pid {self.pid}, started {holder.get('started', 'at an unknown time')}" if self.pid else "pid unknown"
        super().__init__(f"another build ({who}) holds {path}")


class BuildLock:
    """An exclusive ``flock`` on the lock file, which holds the holder's pid and start time.

    The operating system drops a flock when its holder dies, so a file left by a killed build
    is free to take: its old content only says whose it was (reported as ``stale``).
    """

    def __init__(self, path: Path):
        self.path = path
        self.stale: dict[str, Any] = {}
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockHeld(self.path, _read_holder(self.path)) from None
        self.stale = _read_holder(self.path)
        holder = {"pid": os.getpid(), "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._fd is not None
        os.ftruncate(self._fd, 0)  # empty: nobody holds it
        os.close(self._fd)


def _read_holder(path: Path) -> dict[str, Any]:
    try:
        holder = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}

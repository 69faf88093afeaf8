"""The one staleness rule: a result is stale when the fingerprint of what it was made from changes.

``fingerprint(inputs)`` is a SHA-256 over the declared inputs (whatever JSON the caller passes:
file digests, rows of some areas, parameters), the package's code (every file under
``src/analysis``, templates included) and the versions of the key packages. Used by
``data/processed`` (``measures.inputs``), the build's validation and plan cache, each published
report's manifest entry, and the reused report kernels (which restart after a code change).
No pandas.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import platform
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).parents[1]  # the whole analysis package
KEY_PACKAGES = ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "nbclient", "ipykernel", "jupyter_client")


def digest_of(*parts: str) -> str:
    """SHA-256 hex digest of ``parts``, each ended by a NUL (so ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def _package_files() -> tuple[tuple[str, int, int], ...]:
    """(relative path, size, modification time in ns) of every file in the package (about 1 ms)."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return tuple((p.relative_to(PACKAGE_DIR).as_posix(), *(lambda s: (s.st_size, s.st_mtime_ns))(p.stat())) for p in files)


@functools.lru_cache(maxsize=4)
def _code_digest(stamp: tuple[tuple[str, int, int], ...]) -> str:
    return digest_of(*(f"{name}={hashlib.sha256((PACKAGE_DIR / name).read_bytes()).hexdigest()}" for name, _, _ in stamp))


def code_digest() -> str:
    """The package's source and templates, by content; recomputed only when a file's size or mtime changes."""
    return _code_digest(_package_files())


@functools.cache
def versions() -> dict[str, str]:
    """Python's and the key packages' versions ("missing" for one not installed)."""
    found = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def fingerprint(inputs: Any) -> str:
    """SHA-256 of ``inputs`` (JSON-serialisable; dict keys sorted), the package's code and key versions."""
    return digest_of(json.dumps({"inputs": inputs, "code": code_digest(), "versions": versions()}, sort_keys=True))

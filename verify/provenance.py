"""Where a result comes from: the code version it was measured with, the git
commit, the machine.

The store keys results by :func:`code_version`, a hash of the source files a
measurement depends on (``numerics/``, ``theory/``, ``verify/claims/``, the
claim's own module when it lives elsewhere) and of the numeric libraries'
versions.  Editing a solver therefore invalidates its stale results, while
committing, or editing the report renderer, does not force a recomputation.
The git commit is recorded next to each result and at the top of the report,
for the reader; it is deliberately not part of the key, because a commit that
only adds a report would otherwise throw away hours of paper-scale results.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from verify.claim import Claim

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
MEASUREMENT_SOURCES = ("numerics", "theory", "verify/claims")
NUMERIC_LIBRARIES = ("numpy", "scipy", "mpmath", "sympy", "gmpy2")


def code_version(claim: Claim) -> str:
    """The version under which ``claim``'s measurements are stored: 16 hex
    digits of a hash of the measurement sources and library versions."""
    module_file = getattr(sys.modules.get(claim.measure.__module__), "__file__", None)
    return _code_version(str(Path(module_file).resolve()) if module_file else "")


@functools.lru_cache(maxsize=None)
def _code_version(claim_module_file: str) -> str:
    files = sorted(path for folder in MEASUREMENT_SOURCES
                   for path in (PACKAGE_ROOT / folder).rglob("*.py"))
    if claim_module_file and Path(claim_module_file) not in files:
        files.append(Path(claim_module_file))
    digest = hashlib.sha256()
    for path in files:
        name = os.path.relpath(path, PACKAGE_ROOT).encode()
        digest.update(name + b"\0" + path.read_bytes() + b"\0")
    digest.update(repr(library_versions()).encode())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def library_versions() -> dict[str, str]:
    """Python's and the numeric libraries' versions (a new scipy may change a result)."""
    versions = {"python": platform.python_version()}
    for name in NUMERIC_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@functools.lru_cache(maxsize=None)
def git_commit() -> str | None:
    """The commit of the checkout the code runs from, with ``+changes`` when
    tracked files differ from it; None outside a git checkout."""
    def git(*args: str) -> str:
        # --no-optional-locks: `status` must not refresh the index under a concurrent commit
        return subprocess.run(["git", "--no-optional-locks", "-C", str(PACKAGE_ROOT), *args],
                              capture_output=True,
                              text=True, check=True, timeout=10).stdout.strip()
    try:
        commit = git("rev-parse", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+changes" if changed else "")


def machine() -> dict[str, str | int]:
    """What the report says about the machine it was produced on."""
    return {"platform": platform.platform(), "processor": platform.machine(),
            "cpus": os.cpu_count() or 1, **library_versions()}

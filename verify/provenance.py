"""Where a result comes from: the code version it was measured with, the git
commit, the machine.

The store keys results by :func:`code_version`, a hash of the source files a
claim's measurements depend on and of the numeric libraries' versions.  The
files are those its module runs when imported, found by the static import
graph (:mod:`verify.imports`): the claim's registry module (one paper's
package, e.g. ``verify.claims.ding``), the module of its ``measure``, and every
project module they import, transitively.  Editing a solver therefore
invalidates the stale results of the claims that use it, and only theirs: an
edit to the SQ claims (``verify/claims/ding/``) does not re-measure KR.
Committing, or editing the report renderer, forces no recomputation.  The git
commit is recorded next to each result and at the top of the report, for the
reader; it is deliberately not part of the key, because a commit that only
adds a report would otherwise throw away hours of paper-scale results.
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
from typing import Iterable

from verify import claims
from verify.claim import Claim
from verify.imports import project_files

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
NUMERIC_LIBRARIES = ("numpy", "scipy", "mpmath", "sympy", "gmpy2")


def code_version(claim: Claim) -> str:
    """The version under which ``claim``'s measurements are stored: 16 hex
    digits of a hash of its :func:`measurement_sources` and the library versions."""
    return _version_from(tuple(sorted(_start_files(claim))))


def measurement_sources(claim: Claim) -> list[Path]:
    """The source files whose code can change ``claim``'s measurements: its
    registry module's and its ``measure``'s, and what they import (module docstring)."""
    return project_files(_start_files(claim), PACKAGE_ROOT)


def _start_files(claim: Claim) -> set[Path]:
    registered = claims.registered_module(claim)
    modules = [sys.modules.get(claim.measure.__module__)]
    modules += [claims.loaded_module(registered)] if registered else []
    files = (getattr(module, "__file__", None) for module in modules)
    return {Path(file).resolve() for file in files if file}


# once per process and claim module: the sources do not change under a running measurement
@functools.lru_cache(maxsize=None)
def _version_from(starts: tuple[Path, ...]) -> str:
    return version_of(project_files(starts, PACKAGE_ROOT))


def version_of(files: Iterable[Path], root: Path = PACKAGE_ROOT) -> str:
    """16 hex digits of a hash of ``files`` (names relative to ``root``, and
    contents) and of the library versions."""
    digest = hashlib.sha256()
    for path in sorted(files):
        name = os.path.relpath(path, root).encode()
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

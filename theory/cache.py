"""Derivations computed once: in memory per process, and on disk across processes.

:func:`derivation` replaces ``functools.cache`` on the functions of ``theory``
that run sympy.  The first call in a process looks for the result on disk and
derives it only when it is missing; later calls return the same object, as
``functools.cache`` does.  A sympy derivation takes 0.1–0.5 s and the claim
modules need dozens of them when they are imported, so without the disk cache
every worker process paid ~10 s of sympy before its first measurement.

Entries live under ``$VERIFY_CACHE_DIR`` (default
``~/.cache/implicit-bias-verify``), in ``derivations/``, one pickle per call.
An entry's key hashes the function's qualified name and arguments together
with :func:`code_key`: the source of every module of ``theory`` (a derivation
may call any helper of the package, so an edit anywhere in it invalidates all
entries; re-deriving them all takes ~10 s) and the versions of Python, sympy
and mpmath.  Entries are written atomically (a temporary file renamed into
place), so concurrent workers never see half an entry; one that cannot be read
back (truncated, corrupted, or pickled by code that no longer unpickles) is
derived again and overwritten.  The cache is best-effort: an unwritable
directory only costs the time of deriving again.  It holds pickles, which
execute code when loaded: point it only at a directory that you alone write.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import platform
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable, TypeVar

__all__ = ["CACHE_DIR_ENV", "cache_dir", "code_key", "derivation"]

CACHE_DIR_ENV = "VERIFY_CACHE_DIR"
DEFAULT_CACHE_DIR = Path("~/.cache/implicit-bias-verify")
THEORY_ROOT = Path(__file__).resolve().parent
# Arguments whose repr is a faithful, process-independent key; anything else
# (an object whose repr shows its address, say) is cached in memory only.
_PLAIN = (int, float, str, bool, type(None))

F = TypeVar("F", bound=Callable)


def cache_dir() -> Path:
    """Where derivations are stored (read from the environment at each call, so
    a test or a cluster job may point it elsewhere)."""
    configured = os.environ.get(CACHE_DIR_ENV) or str(DEFAULT_CACHE_DIR)
    return Path(configured).expanduser() / "derivations"


@functools.cache
def code_key() -> str:
    """A hash of theory's source files and of the libraries that shape a derivation."""
    digest = hashlib.sha256()
    for path in sorted(THEORY_ROOT.rglob("*.py")):
        digest.update(path.relative_to(THEORY_ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    versions = [platform.python_version()] + [metadata.version(name)
                                              for name in ("sympy", "mpmath")]
    digest.update(repr(versions).encode())
    return digest.hexdigest()


def _is_plain(value) -> bool:
    if isinstance(value, tuple):
        return all(map(_is_plain, value))
    return isinstance(value, _PLAIN)


def _entry(function: Callable, args: tuple, kwargs: dict) -> Path | None:
    """The file of this call's result, or None when its arguments make no stable key."""
    call = (args, tuple(sorted(kwargs.items())))
    if not _is_plain(call):
        return None
    text = f"{function.__module__}.{function.__qualname__}{call!r}\0{code_key()}"
    return cache_dir() / f"{hashlib.sha256(text.encode()).hexdigest()}.pickle"


def _load(path: Path):
    """The stored result, or raise LookupError when there is none that can be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LookupError(path) from error
    try:
        return pickle.loads(data)
    # an unreadable entry of any kind (truncated, garbage, a class that moved) is re-derived
    except Exception as error:
        raise LookupError(path) from error


def _store(path: Path, value) -> None:
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # e.g. a result holding a closure: it stays cached in memory only
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)  # atomic: a reader sees the old entry or the new one
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return  # best-effort: an unwritable cache only costs deriving again


def derivation(function: F) -> F:
    """``functools.cache`` backed by the disk cache of this module (see the docstring)."""
    @functools.cache
    @functools.wraps(function)
    def cached(*args, **kwargs):
        path = _entry(function, args, kwargs)
        if path is not None:
            try:
                return _load(path)
            except LookupError:
                pass
        value = function(*args, **kwargs)
        if path is not None:
            _store(path, value)
        return value
    return cached

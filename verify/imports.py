"""The project's static import graph: which source files a module runs when imported.

:func:`project_files` starts from some Python files and follows every
``import`` and ``from … import`` statement (at any depth of the file, since a
function-level import runs when a measurement calls it) into the project's
packages, ``numerics``, ``theory`` and ``verify``.  Importing ``a.b.c`` runs
``a/__init__.py`` and ``a/b/__init__.py`` too, so those count; ``from a.b
import c`` counts ``a/b/c.py`` when it is a module.  Imports of other packages
(numpy, scipy) are not followed: their versions are hashed separately
(:func:`verify.provenance.library_versions`).  Modules imported by name at run
time (``importlib.import_module(text)``) are invisible to a static graph; the
claim registry imports claim modules that way, which is what keeps one paper's
claims independent of another's.

``theory`` imports nothing of ``numerics`` or ``verify``, but its package
``__init__.py`` imports all its modules:

>>> from verify.provenance import PACKAGE_ROOT
>>> files = project_files([PACKAGE_ROOT / "theory" / "prediction.py"], PACKAGE_ROOT)
>>> {path.parent.name for path in files}, "potentials.py" in {path.name for path in files}
({'theory'}, True)
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import Iterable

__all__ = ["PROJECT_PACKAGES", "module_file", "project_files"]

PROJECT_PACKAGES = ("numerics", "theory", "verify")


def module_file(name: str, root: Path) -> Path | None:
    """The source file of the project module ``name`` under ``root`` (a package's
    ``__init__.py``), or None when ``name`` is not a project module."""
    if name.split(".")[0] not in PROJECT_PACKAGES:
        return None
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path: Path, root: Path) -> str | None:
    """The dotted name of a project file (None for a file outside ``root``)."""
    try:
        parts = list(path.relative_to(root).with_suffix("").parts)
    except ValueError:
        return None
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _with_parents(name: str, root: Path) -> list[Path]:
    """The files that ``import name`` runs in the project: its packages' and its own."""
    parts = name.split(".")
    found = (module_file(".".join(parts[:end]), root) for end in range(1, len(parts) + 1))
    return [path for path in found if path is not None]


def _imports_of(path: Path, root: Path) -> frozenset[Path]:
    """The project files that the import statements of ``path`` run."""
    stat = path.stat()
    return _parsed_imports(path, root, stat.st_mtime_ns, stat.st_size)


# keyed by the file's modification time and size too: an edited file is parsed again
@functools.lru_cache(maxsize=None)
def _parsed_imports(path: Path, root: Path, mtime_ns: int, size: int) -> frozenset[Path]:
    tree = ast.parse(path.read_bytes(), filename=str(path))
    name = _module_name(path, root)
    # the package a relative import starts from: the module itself for an __init__.py
    package = (name if path.name == "__init__.py" else name.rpartition(".")[0]) if name else None
    found: set[Path] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.update(_with_parents(alias.name, root))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not package:
                    continue  # a relative import in a file outside the project: not ours
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module
            found.update(_with_parents(base, root))
            for alias in node.names:  # `from package import module` runs the module too
                submodule = module_file(f"{base}.{alias.name}", root)
                if submodule is not None:
                    found.add(submodule)
    return frozenset(found)


def project_files(starts: Iterable[Path], root: Path) -> list[Path]:
    """``starts`` and every project file their imports reach, transitively, sorted
    (a start inside the project brings the ``__init__.py`` of its packages)."""
    root = root.resolve()
    seen: set[Path] = set()
    pending = []
    for start in map(Path.resolve, map(Path, starts)):
        name = _module_name(start, root)
        pending += [start] + (_with_parents(name, root) if name else [])
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        pending.extend(_imports_of(path, root) - seen)
    return sorted(seen)

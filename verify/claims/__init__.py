"""The registry of claims: every claim module exports ``CLAIMS``, a list of
:class:`~verify.claim.Claim` or of claim kinds (:mod:`verify.kinds`).

One module per paper, listed in ``BUILTIN_MODULES``.  Further modules (a
user's own claims, the toy claim of the tests) join the registry by being
named in the environment variable ``VERIFY_CLAIM_MODULES`` (module names
separated by commas) or on the command line (``--claims MODULE_OR_PATH``,
:func:`use_modules`).  A module may be given as the path of a ``.py`` file: it
is imported under a name derived from its absolute path
(:func:`module_name_of_path`), and the path itself is what workers receive.  Claims are registered by module rather than one by one
because a worker process finds its claim by id in a registry of its own: a
module name is what it can import.  So those modules must be importable
wherever claims are measured, which for a remote Dask cluster means installed
on its workers.  The runner sends each task the name of the module that
registered its claim (:func:`registered_module`), and the worker imports that
module only (:func:`claim_in_module`): a worker measuring SQ never pays for
importing the other papers' claims, nor depends on its own environment's
``VERIFY_CLAIM_MODULES``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import re
import sys
from pathlib import Path

from verify.claim import Claim
from verify.errors import BadInput

BUILTIN_MODULES = ("verify.claims.woodworth", "verify.claims.matt_stoger", "verify.claims.ding",
                   "verify.claims.zhang_louis")
# The id prefix of each built-in paper's claims (tests/test_verify_framework.py checks that
# every built-in id has its module's prefix): a command naming KR-1 imports woodworth only
BUILTIN_PREFIXES = {"KR": "verify.claims.woodworth", "SM": "verify.claims.matt_stoger",
                    "SQ": "verify.claims.ding", "ZL": "verify.claims.zhang_louis"}
EXTRA_MODULES_ENV = "VERIFY_CLAIM_MODULES"

_claims_of_module: dict[str, tuple[Claim, ...]] = {}  # import cache
_modules_from_command_line: list[str] = []


class UnknownClaimError(BadInput, ValueError):
    """A claim id that no registered module defines."""


def extra_modules() -> tuple[str, ...]:
    """The claim modules named in ``VERIFY_CLAIM_MODULES`` and by :func:`use_modules`,
    in order (``.py`` paths made absolute, so a worker finds them)."""
    names = os.environ.get(EXTRA_MODULES_ENV, "")
    named = (_spec(name.strip()) for name in names.split(",") if name.strip())
    return tuple(dict.fromkeys([*named, *_modules_from_command_line]))


def use_modules(specs) -> None:
    """Add claim modules (names or ``.py`` paths) to this process's registry, as
    ``--claims`` does; each is imported now, so a bad one fails at once."""
    for spec in map(_spec, specs):
        _module_claims(spec)
        if spec not in _modules_from_command_line:
            _modules_from_command_line.append(spec)


def _is_path(spec: str) -> bool:
    return spec.endswith(".py") or os.sep in spec or "/" in spec


def _spec(spec: str) -> str:
    return str(Path(spec).expanduser().resolve()) if _is_path(spec) else spec


def module_name_of_path(path: str) -> str:
    """The module name a claim file is imported under: its stem and a hash of its
    absolute path (two files called claims.py do not collide).

    >>> module_name_of_path("/tmp/my claims.py").startswith("verify_user_claims.my_claims_")
    True
    """
    stem = re.sub(r"\W", "_", Path(path).stem)
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    return f"verify_user_claims.{stem}_{digest}"


def loaded_module(spec: str):
    """The module behind a claim module name or ``.py`` path, imported once."""
    spec = _spec(spec)
    if not _is_path(spec):
        return importlib.import_module(spec)
    name = module_name_of_path(spec)
    if name in sys.modules:
        return sys.modules[name]
    if not Path(spec).is_file():
        raise BadInput(f"claim file {spec} does not exist; pass the path of a .py file that "
                       "defines CLAIMS, or an importable module name")
    module_spec = importlib.util.spec_from_file_location(name, spec)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module     # registered first: dataclasses and pickling look it up
    try:
        module_spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def registered_module(claim: Claim) -> str | None:
    """The name (or ``.py`` path) of the imported claim module that defines a claim
    with this id (where a worker finds it), or None: a claim made elsewhere (in a
    notebook, say) under an id that no registered module defines."""
    for attempt in range(2):
        for name, registered in _claims_of_module.items():
            if any(item.id == claim.id for item in registered):
                return name
        if attempt == 0:
            # a claim imported straight from its module (``from verify.claims.woodworth import
            # beyond``) before anything loaded the registry: load it once and look again
            all_claims()
    return None


def claim_in_module(module: str, claim_id: str) -> Claim:
    """The claim ``claim_id`` of one claim module, importing that module only (what
    a worker does)."""
    for claim in _module_claims(module):
        if claim.id == claim_id:
            return claim
    raise UnknownClaimError(f"claim module {module} defines no claim {claim_id!r}; the worker "
                            "runs other code than the process that sent it the task: install "
                            "the same version of the project on the workers")


def all_claims() -> list[Claim]:
    """Every registered claim, ordered by id with numbers compared as numbers
    (KR-1, KR-2, …, KR-10, then the next paper's prefix)."""
    by_id: dict[str, tuple[Claim, str]] = {}
    modules = dict.fromkeys(BUILTIN_MODULES + extra_modules())
    for module in modules:
        for claim in _module_claims(module):
            if claim.id in by_id:
                raise BadInput(f"claim id {claim.id!r} is defined twice, in {by_id[claim.id][1]} "
                               f"and in {module}; give one of them another id")
            by_id[claim.id] = (claim, module)
    return sorted((claim for claim, _ in by_id.values()), key=lambda claim: id_sort_key(claim.id))


def get_claim(claim_id: str) -> Claim:
    """The registered claim with this id; an :class:`UnknownClaimError` naming
    the known ids otherwise.

    Only the modules that may define the id are imported: its paper's, when its
    prefix is a built-in paper's, and the user's (each built-in module costs about
    a second of imports).  The whole registry is loaded when that finds no single
    claim, to name the known ids or the two modules that define it twice.
    """
    home = BUILTIN_PREFIXES.get(claim_id.split("-")[0])
    found = [claim for module in dict.fromkeys(((home,) if home else ()) + extra_modules())
             for claim in _module_claims(module) if claim.id == claim_id]
    if len(found) == 1:
        return found[0]
    claims = all_claims()
    for claim in claims:
        if claim.id == claim_id:
            return claim
    # ids are written in capitals (KR-1); `kr-1` is an obvious slip, so name the id meant
    same_but_case = [claim.id for claim in claims if claim.id.casefold() == claim_id.casefold()]
    if same_but_case:
        raise UnknownClaimError(f"unknown claim id {claim_id!r}; did you mean "
                                f"{' or '.join(same_but_case)}? (ids are case-sensitive)")
    known = ", ".join(claim.id for claim in claims) or "none (no claim module is registered)"
    raise UnknownClaimError(f"unknown claim id {claim_id!r}; known ids: {known} "
                            "(see `python -m verify list`)")


def id_sort_key(claim_id: str) -> tuple:
    """Sort key comparing the digit runs of an id as numbers.

    >>> sorted(["KR-10", "KR-2", "KR-1", "SM-1"], key=id_sort_key)
    ['KR-1', 'KR-2', 'KR-10', 'SM-1']
    """
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", claim_id))


def _module_claims(name: str) -> tuple[Claim, ...]:
    if name not in _claims_of_module:
        try:
            module = loaded_module(name)
        except ModuleNotFoundError as error:
            if not (name == error.name or name.startswith(f"{error.name}.")):
                raise  # the module exists; something it imports does not
            raise BadInput(f"claim module {name} cannot be imported; correct --claims or "
                           f"{EXTRA_MODULES_ENV}, or make the module importable") from error
        claims = getattr(module, "CLAIMS", None)
        if claims is not None:
            from verify.kinds import Kind   # here: the kinds import claim helpers

            claims = [item.to_claim() if isinstance(item, Kind) else item for item in claims]
        if claims is None:
            raise BadInput(f"claim module {name} has no CLAIMS list; define CLAIMS = [...] in it "
                           f"or leave it out of {EXTRA_MODULES_ENV}")
        bad = [item for item in claims if not isinstance(item, Claim)]
        if bad:
            raise BadInput(f"claim module {name}: CLAIMS holds {bad[0]!r}, which is not a "
                           "verify.claim.Claim; list only Claim objects in it")
        _claims_of_module[name] = tuple(claims)
    return _claims_of_module[name]

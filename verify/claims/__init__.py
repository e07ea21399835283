"""The registry of claims: every claim module exports ``CLAIMS``, a list of
:class:`~verify.claim.Claim` or of claim kinds (:mod:`verify.kinds`).

One module per paper, listed in ``BUILTIN_MODULES``.  Further modules (a
user's own claims, the toy claim of the tests) join the registry by being
named in the environment variable ``VERIFY_CLAIM_MODULES`` (module names
separated by commas).  Claims are registered by module rather than one by one
because a worker process finds its claim by id in a registry of its own: a
module name is what it can import.  So those modules must be importable
wherever claims are measured, which for a remote Dask cluster means installed
on its workers; the runner passes the names it used to its workers
explicitly, so a worker sees the registry of the process that started the run.
"""

from __future__ import annotations

import importlib
import os
import re

from verify.claim import Claim
from verify.errors import BadInput

BUILTIN_MODULES = ("verify.claims.woodworth", "verify.claims.matt_stoger", "verify.claims.ding",
                   "verify.claims.zhang_louis")
EXTRA_MODULES_ENV = "VERIFY_CLAIM_MODULES"

_claims_of_module: dict[str, tuple[Claim, ...]] = {}  # import cache
_modules_loaded_for_workers: list[str] = []


class UnknownClaimError(BadInput, ValueError):
    """A claim id that no registered module defines."""


def extra_modules() -> tuple[str, ...]:
    """The claim modules named in ``VERIFY_CLAIM_MODULES``, in order."""
    names = os.environ.get(EXTRA_MODULES_ENV, "")
    return tuple(name.strip() for name in names.split(",") if name.strip())


def load_modules(names: tuple[str, ...]) -> None:
    """Make the claims of ``names`` part of this process's registry for good.

    Used by worker processes, which must see the modules of the process that
    submitted the work whatever their own environment says.
    """
    for name in names:
        _module_claims(name)
        if name not in _modules_loaded_for_workers:
            _modules_loaded_for_workers.append(name)


def all_claims() -> list[Claim]:
    """Every registered claim, ordered by id with numbers compared as numbers
    (KR-1, KR-2, …, KR-10, then the next paper's prefix)."""
    by_id: dict[str, tuple[Claim, str]] = {}
    modules = dict.fromkeys(BUILTIN_MODULES + extra_modules() + tuple(_modules_loaded_for_workers))
    for module in modules:
        for claim in _module_claims(module):
            if claim.id in by_id:
                raise BadInput(f"claim id {claim.id!r} is defined twice, in {by_id[claim.id][1]} "
                               f"and in {module}; give one of them another id")
            by_id[claim.id] = (claim, module)
    return sorted((claim for claim, _ in by_id.values()), key=lambda claim: id_sort_key(claim.id))


def get_claim(claim_id: str) -> Claim:
    """The registered claim with this id; an :class:`UnknownClaimError` naming
    the known ids otherwise."""
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
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if not (name == error.name or name.startswith(f"{error.name}.")):
                raise  # the module exists; something it imports does not
            raise BadInput(f"claim module {name} cannot be imported; correct "
                           f"{EXTRA_MODULES_ENV} or make the module importable") from error
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

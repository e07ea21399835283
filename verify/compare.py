"""Verdicts: a claim's prediction held against its stored measurements.

``predict`` and ``compare`` are cheap and run in the main process, on the
measurements as read back from the store.  A run never dies because one claim
misbehaves: a point whose measurement failed, or a ``predict``/``compare``
that raises, gives an ``inconclusive`` verdict that says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from verify.claim import SIZES, Claim, Outcome, Verdict
from verify.errors import BadInput
from verify.runner import Execution, Measurements, measure_points
from verify.store import ResultStore


@dataclass(frozen=True)
class Evaluation:
    """One claim at one size: prediction, measurements and verdict."""

    claim: Claim
    size: str
    prediction: dict | None
    results: list[tuple[dict, dict]]
    failures: list[tuple[dict, str]]
    verdict: Verdict


def evaluate_claims(claims: Sequence[Claim], size: str, store: ResultStore,
                    execution: Execution = Execution()) -> list[Evaluation]:
    """Measure the claims' points at ``size`` (resuming from ``store``) and
    judge each claim."""
    check_size(size, claims)
    points = {claim.id: claim.points(size) for claim in claims}
    measured = measure_points(((claim, points[claim.id]) for claim in claims), store, execution,
                              label=f"measure ({size})")
    return [evaluate(claim, size, points[claim.id], measured[claim.id]) for claim in claims]


def check_size(size: str, claims: Sequence[Claim] = ()) -> None:
    """A :class:`BadInput` naming the fix, for a size no claim knows or one that some
    of ``claims`` do not define (only some define "paper")."""
    if size not in SIZES:
        raise BadInput(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    missing = [claim.id for claim in claims if size not in claim.sizes]
    if missing:
        raise BadInput(f"{', '.join(missing)} {'defines' if len(missing) == 1 else 'define'} "
                       f"no size {size!r}; leave them out (`python "
                       "-m verify list` shows each claim's sizes; without claim ids, the "
                       f"commands run every claim that defines {size!r})")


def evaluate(claim: Claim, size: str, points: Sequence[dict],
             measurements: Measurements) -> Evaluation:
    """The verdict on ``claim`` from the measurements of its ``points``."""
    results, failures = measurements.results(points), measurements.failures(points)
    try:
        prediction = claim.predict(size)
    except Exception as error:
        return Evaluation(claim, size, None, results, failures,
                          _inconclusive(f"predict raised {type(error).__name__}: {error}"))
    if failures:
        point, error = failures[0]
        verdict = _inconclusive(f"the measurement failed at {len(failures)} of {len(points)} "
                                f"points; first at {point}: {error}")
    else:
        try:
            verdict = claim.compare(prediction, results)
        except Exception as error:
            verdict = _inconclusive(f"compare raised {type(error).__name__}: {error}")
    return Evaluation(claim, size, prediction, results, failures, verdict)


def _inconclusive(reason: str) -> Verdict:
    """The verdict when the framework, not the claim's comparator, has to decide
    (the full prediction is still in the report's data)."""
    return Verdict(Outcome.INCONCLUSIVE, prediction="—", measurement="—", deviation=None,
                   tolerance=None, reason=reason)

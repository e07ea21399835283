"""What every claim's quick-size test asserts, written once for all claim modules.

A claim module's test file names the claims it judges (``QUICK_CLAIMS``) and
runs two checks per claim: the quick verdict holds with its figure rendering
cleanly, and the claim's deliberately wrong prediction is rejected.  The claims
of every collected claim test file are measured once, as one batch in one
temporary store (:class:`QuickBatch`, the session fixture ``quick_batch`` of
tests/conftest.py), with the audit ladders its file names in ``QUICK_AUDITS``:
one pool of workers instead of one per file and per audit, busy across papers
until the last point.
"""

from __future__ import annotations

import io
import os
import warnings

from matplotlib.figure import Figure

from verify import claims as registry
from verify.audit import audit_ladder
from verify.claim import Outcome
from verify.compare import evaluate
from verify.runner import Execution, measure_points
from verify.store import ResultStore

QUICK = Execution(workers=2, progress=False)


class QuickBatch:
    """The quick measurements of ``claims`` in ``store``, taken as one batch when a
    test first asks for any of them, together with the audit ladders of the claims
    in ``audited`` (so that those audits find every rung stored and start no pool)."""

    def __init__(self, claims, audited, store, lock):
        self.claims, self.audited, self.store = list(claims), set(audited), store
        self._lock, self._evaluations = lock, None

    def evaluations(self, claims):
        """The evaluations of ``claims`` (a subset of the batch), by id."""
        if self._evaluations is None:
            with self._lock:
                self._evaluations = self._measure()
        return {claim.id: self._evaluations[claim.id] for claim in claims}

    def _measure(self):
        # a worker imports the registered module of its claim (verify.runner): load the
        # registry, since these files import the claims' own modules directly
        registry.all_claims()
        points = {claim.id: claim.points("quick") for claim in self.claims}
        rungs = {claim.id: [point for _, ladder in audit_ladder(claim, "quick") for point in ladder]
                 for claim in self.claims if claim.id in self.audited}
        measured = measure_points([(claim, points[claim.id] + rungs.get(claim.id, []))
                                   for claim in self.claims], self.store, QUICK,
                                  label="measure (quick)")
        # judged on the quick points only, as evaluate_claims judges them
        return {claim.id: evaluate(claim, "quick", points[claim.id], measured[claim.id])
                for claim in self.claims}


def session_directory(tmp_path_factory):
    """The test session's temporary directory, one for all its pytest-xdist workers:
    a worker's base directory (``popen-gwN``) sits inside the session's."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def quick_store(tmp_path_factory):
    """A fresh result store (a context manager) for the session and its workers."""
    return ResultStore(session_directory(tmp_path_factory) / "quick-batch.sqlite")


def assert_quick_verdict(evaluation, expected=Outcome.HOLDS):
    """The quick verdict is ``expected``, names its nearest alternative, has
    rows and a reason, and its figure renders cleanly."""
    verdict = evaluation.verdict
    assert not evaluation.failures, evaluation.failures
    assert verdict.outcome is expected, f"{verdict.outcome}: {verdict.measurement}: {verdict.reason}"
    assert verdict.reason and verdict.rows
    assert verdict.alternative is not None and verdict.alternative.prediction, \
        "every verdict names its nearest alternative (issue 15)"
    if expected is Outcome.HOLDS:
        assert verdict.deviation <= verdict.tolerance and verdict.alternative.rejected
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # e.g. a glyph the figure's font lacks
        figure = evaluation.claim.figure(evaluation.prediction, evaluation.results, verdict)
        assert isinstance(figure, Figure) and figure.axes
        figure.savefig(io.BytesIO(), format="png")


def assert_quick_verdict_holds(evaluation):
    assert_quick_verdict(evaluation, Outcome.HOLDS)


def assert_perturbed_prediction_is_rejected(evaluation):
    """The comparison fails when the nearest alternative is judged in place of
    the claim (``perturb``)."""
    claim = evaluation.claim
    verdict = claim.compare(claim.perturb(evaluation.prediction), evaluation.results)
    assert verdict.outcome is Outcome.DEVIATES, f"{verdict.measurement}: {verdict.reason}"
    assert verdict.deviation > verdict.tolerance

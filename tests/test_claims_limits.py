"""The limit and experiment claims of Woodworth et al. (KR-3, KR-4, KR-5, KR-10)
at quick size, run through the framework (runner, store, comparison, audit) as
a report would run them.

Every claim holds at quick size; the second test per claim shows that its
comparison is able to fail, by feeding it the claim's deliberately wrong
prediction.
"""

from __future__ import annotations

import io
import math
import warnings

import pytest
from matplotlib.figure import Figure

from verify.audit import audit_claim
from verify.claim import Outcome
from verify.claims.woodworth import limits
from verify.compare import evaluate_claims
from verify.runner import Execution
from verify.store import ResultStore

IDS = [claim.id for claim in limits.CLAIMS]
QUICK = Execution(workers=2, progress=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with ResultStore(tmp_path_factory.mktemp("store") / "results.sqlite") as opened:
        yield opened


@pytest.fixture(scope="module")
def evaluations(store):
    """All four claims measured once, as one batch (the workers stay busy across claims)."""
    return {evaluation.claim.id: evaluation
            for evaluation in evaluate_claims(limits.CLAIMS, "quick", store, QUICK)}


def test_the_module_defines_its_four_claims():
    assert IDS == ["KR-3", "KR-4", "KR-5", "KR-10"]


@pytest.mark.parametrize("claim_id", IDS)
def test_quick_verdict_holds(evaluations, claim_id):
    evaluation = evaluations[claim_id]
    verdict = evaluation.verdict
    assert not evaluation.failures, evaluation.failures
    assert verdict.outcome is Outcome.HOLDS, f"{verdict.measurement}: {verdict.reason}"
    assert verdict.deviation <= verdict.tolerance and verdict.reason and verdict.rows
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # e.g. a glyph the figure's font lacks
        figure = evaluation.claim.figure(evaluation.prediction, evaluation.results, verdict)
        assert isinstance(figure, Figure) and figure.axes
        figure.savefig(io.BytesIO(), format="png")


@pytest.mark.parametrize("claim_id", IDS)
def test_perturbed_prediction_is_rejected(evaluations, claim_id):
    evaluation = evaluations[claim_id]
    claim = evaluation.claim
    verdict = claim.compare(claim.perturb(evaluation.prediction), evaluation.results)
    assert verdict.outcome is Outcome.DEVIATES, f"{verdict.measurement}: {verdict.reason}"
    assert verdict.deviation > verdict.tolerance


def test_kr3_gradient_flow_meets_the_theory_minimiser_far_inside_the_tolerance(evaluations):
    # The tolerance 1e-8 is a bound; the flow's integration error is ~1e-11.
    assert evaluations["KR-3"].verdict.deviation < 1e-10


def test_kr5_audit_fits_a_decay_of_the_l1_distance(evaluations, store):
    """The audit reuses the quick points (D = 3 rungs are on the ladder) and fits a
    rate; the rate itself is reported, not claimed (≈ 3 = D for D = 3)."""
    [claim] = [claim for claim in limits.CLAIMS if claim.id == "KR-5"]
    audit = audit_claim(claim, "quick", store, QUICK)
    assert all(rung.deviation is not None for rung in audit.rungs)
    assert audit.decay.gamma is not None and math.isfinite(audit.decay.gamma)
    assert audit.decay.ci95 is not None

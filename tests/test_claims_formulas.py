"""The formula claims of Woodworth et al. (KR-1, KR-2, KR-6 … KR-9) at quick size,
run through the framework (runner, store, comparison) as a report would run them.

Every claim holds at quick size; the second test per claim shows that its
comparison is able to fail, by feeding it the claim's deliberately wrong
prediction.
"""

from __future__ import annotations

import io
import warnings

import pytest
from matplotlib.figure import Figure

from verify import claims as registry
from verify.audit import audit_claim
from verify.claim import Outcome
from verify.claims.woodworth import formulas
from verify.compare import evaluate_claims
from verify.runner import Execution
from verify.store import ResultStore

IDS = [claim.id for claim in formulas.CLAIMS]
QUICK = Execution(workers=2, progress=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with ResultStore(tmp_path_factory.mktemp("store") / "results.sqlite") as opened:
        yield opened


@pytest.fixture(scope="module")
def evaluations(store):
    """All six claims measured once, as one batch (the workers stay busy across claims)."""
    return {evaluation.claim.id: evaluation
            for evaluation in evaluate_claims(formulas.CLAIMS, "quick", store, QUICK)}


def test_the_woodworth_package_registers_the_formula_claims_in_order():
    ids = [claim.id for claim in registry.all_claims() if claim.id.startswith("KR-")]
    assert set(IDS) <= set(ids)
    assert ids == sorted(ids, key=registry.id_sort_key)


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
    assert verdict.outcome is Outcome.DEVIATES, verdict.reason
    assert verdict.deviation > verdict.tolerance


def test_kr2_series_truncation_error_decays_like_the_next_term(store):
    """z²/4 is off by ≈ z²/48 relative: the audit's decay exponent in 1/z is 2."""
    [claim] = [claim for claim in formulas.CLAIMS if claim.id == "KR-2"]
    audit = audit_claim(claim, "quick", store, QUICK)
    low, high = audit.decay.ci95
    assert low <= 2.0 <= high and abs(audit.decay.gamma - 2.0) < 0.01
    assert audit.extrapolation.consistent is True

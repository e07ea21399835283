"""The formula claims of Woodworth et al. (KR-1, KR-2, KR-6 … KR-9) at quick size,
run through the framework (runner, store, comparison) as a report would run them.

Every claim holds at quick size; the second test per claim shows that its
comparison is able to fail, by feeding it the claim's deliberately wrong
prediction.
"""

from __future__ import annotations


import pytest

from verify import claims as registry
from tests.claim_checks import (QUICK, assert_perturbed_prediction_is_rejected,
                                 assert_quick_verdict_holds, quick_evaluations, quick_store)
from verify.audit import audit_claim
from verify.claims.woodworth import formulas

IDS = [claim.id for claim in formulas.CLAIMS]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with quick_store(tmp_path_factory) as opened:
        yield opened


@pytest.fixture(scope="module")
def evaluations(store):
    """All six claims measured once, as one batch (the workers stay busy across claims)."""
    return quick_evaluations(formulas.CLAIMS, store)


def test_the_woodworth_package_registers_the_formula_claims_in_order():
    ids = [claim.id for claim in registry.all_claims() if claim.id.startswith("KR-")]
    assert set(IDS) <= set(ids)
    assert ids == sorted(ids, key=registry.id_sort_key)


@pytest.mark.parametrize("claim_id", IDS)
def test_quick_verdict_holds(evaluations, claim_id):
    assert_quick_verdict_holds(evaluations[claim_id])


@pytest.mark.parametrize("claim_id", IDS)
def test_perturbed_prediction_is_rejected(evaluations, claim_id):
    assert_perturbed_prediction_is_rejected(evaluations[claim_id])


def test_kr2_series_truncation_error_decays_like_the_next_term(store):
    """z²/4 is off by ≈ z²/48 relative: the audit's decay exponent in 1/z is 2."""
    [claim] = [claim for claim in formulas.CLAIMS if claim.id == "KR-2"]
    audit = audit_claim(claim, "quick", store, QUICK)
    low, high = audit.decay.ci95
    assert low <= 2.0 <= high and abs(audit.decay.gamma - 2.0) < 0.01
    assert audit.extrapolation.consistent is True

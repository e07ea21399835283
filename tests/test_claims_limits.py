"""The limit and experiment claims of Woodworth et al. (KR-3, KR-4, KR-5, KR-10)
at quick size, run through the framework (runner, store, comparison, audit) as
a report would run them.

KR-3, KR-4 and KR-5 hold at quick size and reject their nearest alternative;
KR-10 is inconclusive: with 3 seeds the Fig. 1c steps in N do not exclude the
reversed ordering.  The second test per claim shows that the comparison fails
when the nearest alternative is judged in place of the claim.
"""

from __future__ import annotations

import math

import pytest

from tests.claim_checks import (QUICK, assert_perturbed_prediction_is_rejected,
                                assert_quick_verdict)
from verify.audit import audit_claim
from verify.claim import Outcome
from verify.claims.woodworth import limits

IDS = [claim.id for claim in limits.CLAIMS]
EXPECTED = {"KR-3": Outcome.HOLDS, "KR-4": Outcome.HOLDS, "KR-5": Outcome.HOLDS,
            # 3 seeds: the Fig. 1c steps' intervals straddle 0 (the reversed ordering)
            "KR-10": Outcome.INCONCLUSIVE}
QUICK_CLAIMS = limits.CLAIMS  # measured in the session's batch (tests/claim_checks.py)
QUICK_AUDITS = ["KR-5"]  # ladders measured in the batch too


@pytest.fixture(scope="module")
def store(quick_batch):
    return quick_batch.store


@pytest.fixture(scope="module")
def evaluations(quick_batch):
    """All four claims measured once, in the session's one batch."""
    return quick_batch.evaluations(QUICK_CLAIMS)


def test_the_module_defines_its_four_claims():
    assert IDS == ["KR-3", "KR-4", "KR-5", "KR-10"]


@pytest.mark.parametrize("claim_id", IDS)
def test_quick_verdict(evaluations, claim_id):
    assert_quick_verdict(evaluations[claim_id], EXPECTED[claim_id])


@pytest.mark.parametrize("claim_id", IDS)
def test_perturbed_prediction_is_rejected(evaluations, claim_id):
    assert_perturbed_prediction_is_rejected(evaluations[claim_id])


def test_kr3_gradient_flow_meets_the_theory_minimiser_far_inside_the_tolerance(evaluations):
    # The tolerance 1e-8 is a bound; the flow's integration error is ~1e-11.
    assert max(row["deviation"] for row in evaluations["KR-3"].verdict.rows) < 1e-10


def test_kr5_audit_fits_a_decay_of_the_l1_distance(evaluations, store):
    """The audit reuses the quick points (D = 3 rungs are on the ladder) and fits a
    rate; the rate itself is reported, not claimed (≈ 3 = D for D = 3)."""
    [claim] = [claim for claim in limits.CLAIMS if claim.id == "KR-5"]
    audit = audit_claim(claim, "quick", store, QUICK)
    assert all(rung.deviation is not None for rung in audit.rungs)
    assert audit.decay.gamma is not None and math.isfinite(audit.decay.gamma)
    assert audit.decay.ci95 is not None

"""KR-11, KR-13 (matrix completion) and KR-12 (ReLU networks) at quick size, through
the framework (runner, store, comparison) as a report runs them.

KR-11 (§6, Fig. 3 and the kernel limit) and KR-12 hold and reject their nearest
alternative (the regimes swapped, the opposite ordering).  KR-13, App. D's remark
that the rich regime ends at the minimum-nuclear-norm completion, deviates exactly
on the instances whose M_NN is not the planted matrix, where the flow tends to the
planted matrix instead: its alternative is named and not rejected.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.claim_checks import (assert_perturbed_prediction_is_rejected, assert_quick_verdict)
from verify.claim import Outcome
from verify.claims.woodworth import beyond


QUICK_CLAIMS = beyond.CLAIMS  # measured in the session's batch (tests/claim_checks.py)


@pytest.fixture(scope="module")
def evaluations(quick_batch):
    return quick_batch.evaluations(QUICK_CLAIMS)


def test_the_module_defines_its_three_claims():
    assert [claim.id for claim in beyond.CLAIMS] == ["KR-11", "KR-12", "KR-13"]


@pytest.mark.parametrize("claim_id", ["KR-11", "KR-12"])
def test_quick_verdict_holds_and_the_alternative_fails(evaluations, claim_id):
    assert_quick_verdict(evaluations[claim_id], Outcome.HOLDS)
    assert_perturbed_prediction_is_rejected(evaluations[claim_id])


def test_kr13_deviates_where_the_nuclear_norm_misses_the_planted_matrix(evaluations):
    evaluation = evaluations["KR-13"]
    # App. D's remark fails on seeds 0 and 1; the flow goes to the planted matrix there
    assert_quick_verdict(evaluation, Outcome.DEVIATES)
    verdict = evaluation.verdict
    assert verdict.alternative.prediction == "the flow tends to the planted M*"
    assert not verdict.alternative.rejected
    for row in verdict.rows:
        differs = row["‖M_NN − M*‖/‖M*‖"] > beyond.LIMIT_FRACTION
        assert differs == (row["‖M_NN‖_* / ‖M*‖_*"] < 1 - 1e-6)   # M_NN beats M* where they differ
        assert row["holds"] == (not differs), row
        assert row["alternative deviation"] <= beyond.LIMIT_FRACTION
    assert sum(not row["holds"] for row in verdict.rows) == 2
    assert "on seeds [0, 1]" in verdict.measurement
    # the figure's ladder shows the approach: the distance to M* falls along α
    for _, measured in evaluation.results:
        assert measured["to_planted"][-1] <= measured["to_planted"][0]
    assert np.isfinite(verdict.deviation)

"""The Zhang & Louis claims of the scaling, networks and exploratory modules
(ZL-3, ZL-4, ZL-6 … ZL-10) at quick size, run through the framework (runner,
store, comparison, audit) as a report would run them.

Each claim's quick verdict is asserted, and a second test per claim shows
that its comparison is able to fail, by feeding it the claim's deliberately
wrong prediction.
"""

from __future__ import annotations

import io
import math
import warnings

import pytest

from tests.claim_checks import (QUICK, assert_perturbed_prediction_is_rejected,
                                 assert_quick_verdict_holds, quick_evaluations, quick_store)
from verify.audit import audit_claim
from verify.claim import Outcome
from verify.claims.zhang_louis import exploratory, networks, scaling

CLAIMS = scaling.CLAIMS + networks.CLAIMS + exploratory.CLAIMS
IDS = [claim.id for claim in CLAIMS]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with quick_store(tmp_path_factory) as opened:
        yield opened


@pytest.fixture(scope="module")
def evaluations(store):
    """Every claim measured once, as one batch (the workers stay busy across claims)."""
    return quick_evaluations(CLAIMS, store)


# ZL-8 and ZL-9 deviate at quick size (tests below); the others hold.
HOLDING = ["ZL-3", "ZL-4", "ZL-6", "ZL-7", "ZL-10"]


def test_the_modules_define_their_claims():
    assert IDS == ["ZL-3", "ZL-4", "ZL-6", "ZL-7", "ZL-8", "ZL-9", "ZL-10"]


@pytest.mark.parametrize("claim_id", HOLDING)
def test_quick_verdict_holds(evaluations, claim_id):
    assert_quick_verdict_holds(evaluations[claim_id])


@pytest.mark.parametrize("claim_id", HOLDING)
def test_perturbed_prediction_is_rejected(evaluations, claim_id):
    assert_perturbed_prediction_is_rejected(evaluations[claim_id])


def test_zl8_deviates_where_the_dln_l1_norm_keeps_falling(evaluations):
    """Exact DLN limits inherit the elbow at n⋆(p_eff), but at α = 0.03 their ℓ1
    norm keeps falling past it (the kernel-like bulk of Q_α shrinks) where the
    min-ℓ_{p_eff} law plateaus: the verdict deviates, on those rows only."""
    evaluation = evaluations["ZL-8"]
    verdict = evaluation.verdict
    assert not evaluation.failures and verdict.outcome is Outcome.DEVIATES
    failed = [row for row in verdict.rows if row["holds"] is False]
    assert failed and all(row["alpha"] == 0.03 and "plateau" in row["check"] for row in failed)
    assert all(row["holds"] for row in verdict.rows if row["check"].startswith("elbow"))
    assert failed[0]["slope (measured, mean)"] < -0.1
    claim = evaluation.claim
    wrong = claim.compare(claim.perturb(evaluation.prediction), evaluation.results)
    assert wrong.outcome is Outcome.DEVIATES and wrong.deviation > verdict.deviation


def test_zl9_measures_the_opposite_direction_and_can_hold(evaluations):
    """Label noise at a large step makes the network sparser (p falls), against
    the summary's 'raises p_eff'; the step alone raises p a little.  The same
    comparison holds for the reversed prediction, so it can decide both ways."""
    evaluation = evaluations["ZL-9"]
    verdict = evaluation.verdict
    assert not evaluation.failures and verdict.outcome is Outcome.DEVIATES
    rows = {row["condition"]: row for row in verdict.rows}
    assert rows["large step + label noise"]["measured direction"] == "down"
    assert rows["large step"]["measured direction"] == "up"
    claim = evaluation.claim
    reversed_prediction = claim.compare(claim.perturb(evaluation.prediction), evaluation.results)
    assert reversed_prediction.outcome is Outcome.HOLDS
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claim.figure(evaluation.prediction, evaluation.results, verdict).savefig(
            io.BytesIO(), format="png")
    networks_figure = evaluations["ZL-8"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        networks_figure.claim.figure(networks_figure.prediction, networks_figure.results,
                                     networks_figure.verdict).savefig(io.BytesIO(), format="png")


def test_zl3_judges_elbows_at_every_quick_d(evaluations):
    """The elbow is located (not merely tolerated) at each d for p = 1.3, within
    a factor e^{0.5} of n⋆ (the tolerance is wider; this pins the measurement)."""
    rows = [row for row in evaluations["ZL-3"].verdict.rows
            if row["p"] == 1.3 and row["kappa"] is None]
    assert len(rows) == 3 and all(row["holds"] for row in rows)
    assert all(row["deviation"] < 0.5 for row in rows)


def test_zl4_sees_growth_below_r_star_and_a_plateau_above(evaluations):
    """d = 2n, p = 1.7 (r⋆ = 1.4): on the spike side the r = 1 exponent is positive
    beyond its CI, the r = p one is within 0.05 of 0."""
    rows = {row["r"]: row for row in evaluations["ZL-4"].verdict.rows
            if row["p"] == 1.7 and row["regime"] == "spike"}
    assert rows[1.0]["slope (measured, mean)"] - rows[1.0]["95 % CI ±"] > 0.1
    assert abs(rows[1.7]["slope (measured, mean)"]) < 0.05


def test_zl3_and_zl4_audits_fit_a_decay(evaluations, store):
    """The audits reuse (ZL-3) or extend (ZL-4) the quick points and report a
    deviation at every rung."""
    for claim in scaling.CLAIMS[:2]:
        audit = audit_claim(claim, "quick", store, QUICK)
        assert all(rung.deviation is not None and math.isfinite(rung.deviation)
                   for rung in audit.rungs), audit.rungs

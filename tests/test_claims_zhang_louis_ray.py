"""The ray claims of Zhang & Louis (ZL-1, ZL-2, ZL-5) at quick size, run through
the framework (runner, store, comparison, audit) as a report would run them,
and their formula views.

Every claim holds at quick size and rejects its nearest alternative; the second
test per claim shows that the comparison fails when that alternative is judged
in the claim's place.
"""

from __future__ import annotations

import math

import pytest

from tests.claim_checks import (QUICK, assert_perturbed_prediction_is_rejected,
                                 assert_quick_verdict)
from verify.audit import audit_claim
from verify.claims.zhang_louis import ray, views

IDS = [claim.id for claim in ray.CLAIMS]
QUICK_CLAIMS = ray.CLAIMS  # measured in the session's batch (tests/claim_checks.py)
QUICK_AUDITS = ["ZL-2"]  # ladders measured in the batch too


@pytest.fixture(scope="module")
def store(quick_batch):
    return quick_batch.store


@pytest.fixture(scope="module")
def evaluations(quick_batch):
    return quick_batch.evaluations(QUICK_CLAIMS)


def test_the_module_defines_its_three_claims():
    assert IDS == ["ZL-1", "ZL-2", "ZL-5"]


@pytest.mark.parametrize("claim_id", IDS)
def test_quick_verdict_holds(evaluations, claim_id):
    assert_quick_verdict(evaluations[claim_id])


@pytest.mark.parametrize("claim_id", IDS)
def test_perturbed_prediction_is_rejected(evaluations, claim_id):
    assert_perturbed_prediction_is_rejected(evaluations[claim_id])


def test_zl1_duality_gap_is_far_inside_its_certificate_bound(evaluations):
    rows = [row for row in evaluations["ZL-1"].verdict.rows
            if row["check"].startswith("duality")]
    assert rows and all(row["deviation"] < 1e-9 for row in rows)


def test_zl2_audit_fits_a_decay_of_the_ray_error(evaluations, store):
    """The ray's error shrinks as d/n grows (a positive decay exponent is reported;
    its value is the audit's finding, not an assertion beyond its sign)."""
    [claim] = [claim for claim in ray.CLAIMS if claim.id == "ZL-2"]
    audit = audit_claim(claim, "quick", store, QUICK)
    assert all(rung.deviation is not None for rung in audit.rungs)
    assert audit.decay.gamma is not None and math.isfinite(audit.decay.gamma)
    assert audit.decay.gamma > 0


@pytest.mark.parametrize("view", views.FORMULA_VIEWS,
                         ids=[view.name for view in views.FORMULA_VIEWS])
def test_formula_views_derive_and_pass_their_checks(view):
    values = view.resolve([])
    assert view.derive(values)
    rows = view.check(values)
    assert rows and all(row.passed for row in rows), [
        (row.at, row.relative_difference, row.tolerance) for row in rows]


@pytest.mark.parametrize("assignments", [["p=1.9", "d=50000", "sigma=0.5"], ["p=1.1", "s=5"]])
def test_n_star_view_at_other_parameters(assignments):
    view = next(view for view in views.FORMULA_VIEWS if view.name == "n_star")
    assert all(row.passed for row in view.check(view.resolve(assignments)))


def test_exponent_view_across_the_threshold():
    view = next(view for view in views.FORMULA_VIEWS if view.name == "zl_exponents")
    for r in ("1.05", "1.5"):          # r < r⋆ = 1.4 and r > r⋆ at p = 1.7
        assert all(row.passed for row in view.check(view.resolve(["p=1.7", f"r={r}"])))

"""The SQ claims of Ding et al. (2025) at quick size, run through the framework
(runner, store, comparison, audit) as a report would run them.

Each claim's quick verdict is stated with the reason when it is not `holds`;
where the measurement rejects the nearest alternative, judging that
alternative in place of the claim must fail.
"""

from __future__ import annotations

import math

import pytest

from tests.claim_checks import (QUICK, assert_perturbed_prediction_is_rejected,
                                 assert_quick_verdict)
from verify.claim import Outcome
from verify.audit import audit_claim
from verify.claims import ding
from verify.claims.ding.bench import bench_row

IDS = [claim.id for claim in ding.CLAIMS]
QUICK_CLAIMS = ding.CLAIMS  # measured in the session's batch (tests/claim_checks.py)


@pytest.fixture(scope="module")
def store(quick_batch):
    return quick_batch.store


@pytest.fixture(scope="module")
def evaluations(quick_batch):
    return quick_batch.evaluations(QUICK_CLAIMS)


def test_the_package_defines_its_five_claims():
    assert IDS == ["SQ-1", "SQ-2", "SQ-3", "SQ-4", "SQ-5"]


EXPECTED = {
    # at quick T (≤ 3.2·10⁴) both D exponents sit between the two thresholds' exponents, so
    # the competing threshold lies inside the finite-size range the rows rely on
    "SQ-1": Outcome.INCONCLUSIVE,
    # α ≤ β: the T exponent (≈ −0.58) excludes the asymptotic −0.5 and meets the range only
    # where the competing threshold (−0.571) also lies (issue 15)
    "SQ-2": Outcome.INCONCLUSIVE,
    # the separation at α > β rejects "no separation", but linear SGD's exponent at α > β and
    # the quadratic one at α ≤ β lean on ranges that contain their alternatives
    "SQ-3": Outcome.INCONCLUSIVE,
    "SQ-4": Outcome.HOLDS,
    "SQ-5": Outcome.HOLDS,
}


@pytest.mark.parametrize("claim_id", IDS)
def test_quick_verdict(evaluations, claim_id):
    assert_quick_verdict(evaluations[claim_id], EXPECTED[claim_id])


@pytest.mark.parametrize("claim_id", [key for key, value in EXPECTED.items()
                                      if value is Outcome.HOLDS])
def test_perturbed_prediction_is_rejected(evaluations, claim_id):
    assert_perturbed_prediction_is_rejected(evaluations[claim_id])


def _row(evaluation, *parts):
    [row] = [row for row in evaluation.verdict.rows if all(part in row["at"] for part in parts)]
    return row


def test_sq3_quadratic_decays_faster_than_linear_when_alpha_exceeds_beta(evaluations):
    gap = _row(evaluations["SQ-3"], "regime = above", "quantity = quadratic / linear")
    assert gap["slope (mean)"] + gap["95 % CI ±"] < 0 and gap["alternative rejected"]


def test_sq2_names_the_alternative_it_cannot_reject_below_the_diagonal(evaluations):
    verdict = evaluations["SQ-2"].verdict
    row = _row(evaluations["SQ-2"], "law = T", "regime = below")
    assert abs(row["slope (mean)"] + 0.5) > row["95 % CI ±"]      # the asymptote is not reached
    assert row["finite-size allowance used"] and not row["alternative rejected"]
    assert "competing threshold" in verdict.reason and not verdict.alternative.rejected


@pytest.mark.parametrize("claim_id", ["SQ-1", "SQ-2", "SQ-3"])
def test_quick_audit_rungs_are_points_of_the_quick_run(claim_id):
    [claim] = [claim for claim in ding.CLAIMS if claim.id == claim_id]
    quick = claim.points("quick")
    assert all(point in quick for value in claim.audit.ladder("quick")
               for point in claim.audit.points(value))


@pytest.mark.parametrize("claim_id", ["SQ-1", "SQ-2", "SQ-3"])
def test_quick_audits_reuse_the_quick_points_and_fit_a_decay(evaluations, store, claim_id):
    [claim] = [claim for claim in ding.CLAIMS if claim.id == claim_id]
    audit = audit_claim(claim, "quick", store, QUICK)
    assert [rung.value for rung in audit.rungs] == [3162, 10000, 31623]
    assert all(rung.deviation is not None and math.isfinite(rung.deviation)
               for rung in audit.rungs)
    assert audit.decay.gamma is not None


@pytest.mark.parametrize("view", ding.FORMULA_VIEWS, ids=lambda view: view.name)
def test_formula_views_pass_their_checks(view):
    rows = view.check(view.resolve([]))
    assert rows and all(row.passed for row in rows), [(r.at, r.relative_difference) for r in rows]
    assert view.derive(view.resolve([]))


def test_rate_view_parses_and_rejects_parameters():
    view = next(view for view in ding.FORMULA_VIEWS if view.name == "sq_rates")
    values = view.resolve(["alpha=1.5", "beta=2"])
    assert all(row.passed for row in view.check(values))
    with pytest.raises(Exception, match="beta"):
        view.resolve(["beta=0.5"])


def test_bench_row_reports_rate_and_floor_ratio():
    row = bench_row(7, True, lambda message: None)
    assert [line["comparison"] for line in row.lines] == ["coordinate-updates / s / core",
                                                          "time per update / numpy floor"]
    assert all(line["value"] > 0 and line["verdict"] in ("PASS", "FAIL") for line in row.lines)
    assert row.data["updates"] > 0 and row.number == 7


def test_sq2_needs_its_m_fit_model_limited_by_the_t_ladders_d():
    """SQ-2's M fit is judged only if top ≤ D/4, D learned by the T ladder's model at the
    M ladder's T (a precondition across points: the M points do not rerun that model)."""
    from verify.claims.ding.laws import sq2_model_limited
    t_point = {"ladder": "quick", "law": "T", "regime": "above", "n": 31623}
    m_point = {"ladder": "quick", "law": "M", "regime": "above", "T": 31623, "top": 3}
    assert sq2_model_limited([(t_point, {"learned": [12, 14]}), (m_point, {})]) == []
    unmet = sq2_model_limited([(t_point, {"learned": [8, 8]}), (m_point, {})])
    assert len(unmet) == 1 and "reaches 3, above D/4 = 2" in unmet[0]
    assert "not measured" in sq2_model_limited([(m_point, {})])[0]


@pytest.mark.parametrize("size", ["quick", "full"])
def test_sq1_sq2_and_sq3_read_one_set_of_runs_per_t_ladder_point(size):
    """The T ladders of SQ-1, SQ-2 (in T) and SQ-3 declare one shared measurement per
    point (Claim.shares), so a run measures each once: the same identities, one per
    point, and SQ-2's M points none."""
    claims = {claim.id: claim for claim in ding.CLAIMS}

    def identities(claim_id):
        shared = [claims[claim_id].shares(point) for point in claims[claim_id].points(size)]
        return sorted(map(repr, filter(None, shared)))

    assert identities("SQ-1") == identities("SQ-2") == identities("SQ-3")
    assert len(set(identities("SQ-3"))) == len(claims["SQ-3"].points(size))
    in_m = [p for p in claims["SQ-2"].points(size) if p["law"] == "M"]
    assert in_m and all(claims["SQ-2"].shares(point) is None for point in in_m)


def test_sq3_needs_linear_runs_that_match_their_exact_expectation():
    from verify.claims.ding.experiment import EXPECTATION_Z_LIMIT, linear_matches_expectation
    point = {"regime": "above", "T": 1000}
    assert linear_matches_expectation([(point, {"expectation z": -4.2})]) == []
    [unmet] = linear_matches_expectation([(point, {"expectation z": EXPECTATION_Z_LIMIT + 1})])
    assert "7.0 standard errors" in unmet and "T = 1000" in unmet

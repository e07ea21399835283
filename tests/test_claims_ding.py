"""The SQ claims of Ding et al. (2025) at quick size, run through the framework
(runner, store, comparison, audit) as a report would run them.

Every claim holds at quick size; the second test per claim shows that its
comparison is able to fail, by feeding it the claim's deliberately wrong
prediction.
"""

from __future__ import annotations

import math

import pytest

from tests.claim_checks import (QUICK, assert_perturbed_prediction_is_rejected,
                                 assert_quick_verdict_holds, quick_evaluations, quick_store)
from verify.audit import audit_claim
from verify.claims import ding
from verify.claims.ding.bench import bench_row

IDS = [claim.id for claim in ding.CLAIMS]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with quick_store(tmp_path_factory) as opened:
        yield opened


@pytest.fixture(scope="module")
def evaluations(store):
    return quick_evaluations(ding.CLAIMS, store)


def test_the_package_defines_its_five_claims():
    assert IDS == ["SQ-1", "SQ-2", "SQ-3", "SQ-4", "SQ-5"]


@pytest.mark.parametrize("claim_id", IDS)
def test_quick_verdict_holds(evaluations, claim_id):
    assert_quick_verdict_holds(evaluations[claim_id])


@pytest.mark.parametrize("claim_id", IDS)
def test_perturbed_prediction_is_rejected(evaluations, claim_id):
    assert_perturbed_prediction_is_rejected(evaluations[claim_id])


def test_sq3_quadratic_decays_faster_than_linear_when_alpha_exceeds_beta(evaluations):
    [gap] = [row for row in evaluations["SQ-3"].verdict.rows if row["check"].startswith("quadratic −")]
    assert gap["fitted"] + gap["95 % CI ±"] < 0


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

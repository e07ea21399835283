"""KR-11 (matrix completion) and KR-12 (ReLU networks) at quick size, through the
framework (runner, store, comparison) as a report runs them.

KR-12 holds at quick size.  KR-11 deviates at quick size, and the test pins
down how: the paper's App. D statement (α → 0 gives the minimum-nuclear-norm
completion) fails exactly on the instances whose minimum-nuclear-norm
completion is not the planted rank-one matrix, where the flow recovers the
planted matrix instead; every other statement holds.  For both claims the
deliberately wrong prediction is rejected on more rows.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from tests.claim_checks import (assert_perturbed_prediction_is_rejected,
                                assert_quick_verdict_holds, quick_evaluations, quick_store)
from verify.claim import Outcome
from verify.claims.woodworth import beyond


@pytest.fixture(scope="module")
def evaluations(tmp_path_factory):
    with quick_store(tmp_path_factory) as store:
        yield quick_evaluations(beyond.CLAIMS, store)


def test_the_module_defines_its_two_claims():
    assert [claim.id for claim in beyond.CLAIMS] == ["KR-11", "KR-12"]


def test_kr12_quick_verdict_holds(evaluations):
    assert_quick_verdict_holds(evaluations["KR-12"])


def test_kr12_perturbed_prediction_is_rejected(evaluations):
    assert_perturbed_prediction_is_rejected(evaluations["KR-12"])


def nuclear_norm_recovers(results, seed):
    """Whether the measured minimum-nuclear-norm completion of ``seed`` is its M*."""
    truth, _ = beyond.completion_instance(seed)
    [measured] = [m for p, m in results if p["kind"] == "limits" and p["seed"] == seed]
    return np.linalg.norm(np.array(measured["nuclear"]) - truth) <= 1e-6 * np.linalg.norm(truth)


def test_kr11_quick_verdict_deviates_only_where_the_nuclear_norm_misses_the_planted_matrix(
        evaluations):
    evaluation = evaluations["KR-11"]
    verdict = evaluation.verdict
    assert not evaluation.failures, evaluation.failures
    assert verdict.outcome is Outcome.DEVIATES, verdict.reason
    seeds = sorted({row["seed"] for row in verdict.rows})
    missed = [seed for seed in seeds if not nuclear_norm_recovers(evaluation.results, seed)]
    assert missed and len(missed) < len(seeds)    # quick size shows both kinds of instance
    for row in verdict.rows:
        app_d = row["check"].startswith("α → 0 (App. D)")
        assert row["holds"] == (not (app_d and row["seed"] in missed)), row
    # where they differ, the flow at the smallest α is 10× closer to M* than to M_NN
    to = {("App. D" in row["check"], row["initialisation"], row["seed"]): row["value"]
          for row in verdict.rows if row["check"].startswith("α → 0")}
    for (nuclear, case, seed), value in to.items():
        if nuclear and seed in missed:
            assert value > 10 * to[(False, case, seed)]
    assert verdict.deviation == sum(not row["holds"] for row in verdict.rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = evaluation.claim.figure(evaluation.prediction, evaluation.results, verdict)
        assert isinstance(figure, Figure) and figure.axes
        figure.savefig(io.BytesIO(), format="png")


def test_kr11_comparison_holds_where_the_limits_agree_and_fails_when_perturbed(evaluations):
    """On the instances whose nuclear-norm completion is M*, every statement holds; the
    swapped prediction fails the limit and ordering rows there too."""
    evaluation = evaluations["KR-11"]
    claim = evaluation.claim
    agreeing = [seed for seed in sorted({p["seed"] for p, _ in evaluation.results})
                if nuclear_norm_recovers(evaluation.results, seed)]
    subset = [(p, m) for p, m in evaluation.results if p["seed"] in agreeing]
    assert claim.compare(evaluation.prediction, subset).outcome is Outcome.HOLDS
    perturbed = claim.compare(claim.perturb(evaluation.prediction), subset)
    assert perturbed.outcome is Outcome.DEVIATES and perturbed.deviation > perturbed.tolerance
    assert_perturbed_prediction_is_rejected(evaluation)

"""numerics.sgd: power-law streams, one-pass SGD for both models, the exact risk,
the schedule and the certificate."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import zeta

from numerics.sgd import (BLOCK, PowerLawProblem, SGDConfig, learned_coordinates,
                          linear_expected_risk, one_pass_sgd, two_phase_schedule)
from numerics.solution import Status
from numerics.validation import InputError

PROBLEM = PowerLawProblem(alpha=2.0, beta=1.5, noise=0.5, dimension=20)


@pytest.mark.parametrize("kwargs, words", [
    ({"alpha": 1.0}, "alpha = 1.0 must be a finite number > 1"),
    ({"beta": float("nan")}, "beta = nan"),
    ({"noise": -1.0}, "noise = -1.0 must be a finite standard deviation"),
    ({"dimension": 0}, "dimension must be a positive integer"),
])
def test_bad_problems_are_rejected_with_the_fix(kwargs, words):
    args = {"alpha": 2.0, "beta": 1.5, "noise": 1.0, "dimension": 5, **kwargs}
    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        PowerLawProblem(**args)


@given(st.integers(1, 200), st.integers(1, 200))
def test_tail_energy_is_the_hurwitz_zeta_tail(m, extra):
    problem = PowerLawProblem(3.0, 1.5, 1.0, m + extra)
    listed = np.sum((problem.eigenvalues * problem.truth ** 2)[m:])
    assert math.isclose(problem.tail_energy(m), listed + problem.tail_energy(m + extra),
                        rel_tol=1e-12)


@given(st.integers(1, 20))
def test_excess_risk_at_the_truth_is_the_approximation_error(m):
    assert math.isclose(PROBLEM.excess_risk(PROBLEM.truth[:m]), 0.5 * zeta(1.5, m + 1),
                        rel_tol=1e-14)


def test_excess_risk_rejects_more_coordinates_than_the_stream():
    with pytest.raises(InputError, match="w has 21 coordinates but the stream has d = 20"):
        PROBLEM.excess_risk(np.zeros(21))


@given(st.integers(2, 100_000))
@example(17)     # found by the random profile: T₂ = 9, K = 4, L = ⌈9/4⌉ = 3 gave 3 stages
def test_two_phase_schedule(horizon):
    multipliers = two_phase_schedule(horizon)
    first = horizon // 2
    assert multipliers.shape == (horizon,)
    assert np.all(multipliers[:first] == 1) and np.all(np.diff(multipliers) <= 0)
    ratios = multipliers[1:][np.diff(multipliers) != 0] / multipliers[:-1][np.diff(multipliers) != 0]
    assert np.all(ratios == 0.5)                       # each stage halves the step
    second = horizon - first
    stages = max(1, math.ceil(math.log2(second))) if second > 1 else 1
    assert multipliers[-1] == 0.5 ** stages            # ⌈log₂ T₂⌉ halvings by the end


def _naive_quadratic(problem, size, step, horizon, seed, init):
    """The textbook loop v ← v − 2ηr x⊙v on the stream one_pass_sgd draws for ``seed``."""
    rng = np.random.default_rng(seed)
    v = np.full(size, init)
    multipliers = two_phase_schedule(horizon)
    scale = np.sqrt(problem.eigenvalues)
    for start in range(0, horizon, BLOCK):
        x_block = rng.standard_normal((BLOCK, problem.dimension)) * scale
        noise = rng.standard_normal(BLOCK)
        for k in range(min(BLOCK, horizon - start)):
            x = x_block[k]
            y = x @ problem.truth + problem.label_noise * noise[k]
            r = x[:size] @ (v * v) - y
            v = v - 2 * step * multipliers[start + k] * r * x[:size] * v
    return v * v


def test_the_vectorised_engine_matches_the_textbook_loop():
    w = _naive_quadratic(PROBLEM, 12, 0.05, 700, seed=3, init=0.1)
    runs = one_pass_sgd(PROBLEM, [SGDConfig("quadratic", 12, 0.05, 700)], [3], init=0.1)
    assert np.allclose(runs.weights[0][0], w, rtol=1e-10, atol=1e-14)


def test_runs_do_not_depend_on_their_companions():
    """Sharing a stream (other seeds, sizes, steps, horizons, models) changes no run,
    up to rounding: the batched matrix-vector products may sum in another order."""
    alone = one_pass_sgd(PROBLEM, [SGDConfig("quadratic", 10, 0.05, 500)], [7], init=0.1)
    crowd = one_pass_sgd(PROBLEM, [SGDConfig("linear", 20, 0.2, 900),
                                   SGDConfig("quadratic", 10, 0.05, 500),
                                   SGDConfig("quadratic", 10, 0.02, 500),
                                   SGDConfig("quadratic", 5, 0.05, 300)], [2, 7], init=0.1)
    assert np.allclose(alone.weights[0][0], crowd.weights[1][1], rtol=1e-12, atol=0)
    assert math.isclose(alone.risk[0, 0], crowd.risk[1, 1], rel_tol=1e-12)


def test_runs_of_other_sizes_share_a_group_without_touching_each_other():
    """Runs of nearby sizes share one padded state array (numerics.sgd._size_clusters):
    a smaller run's extra coordinates stay 0, its weights, checkpoints and risk are
    those of its own size alone, and a diverging larger neighbour leaves it alone."""
    configs = [SGDConfig("quadratic", 20, 20.0, 400), SGDConfig("quadratic", 12, 0.05, 400),
               SGDConfig("linear", 20, 50.0, 400), SGDConfig("linear", 8, 0.2, 400)]
    crowd = one_pass_sgd(PROBLEM, configs, [0, 1], init=0.1, checkpoints=[200],
                         record_weights=True)
    assert np.all(crowd.status[:, [0, 2]] == Status.DIVERGED) and crowd.ok[:, [1, 3]].all()
    for c in (1, 3):
        alone = one_pass_sgd(PROBLEM, [configs[c]], [0, 1], init=0.1, checkpoints=[200],
                             record_weights=True)
        assert crowd.weights[c].shape == alone.weights[0].shape == (2, configs[c].size)
        np.testing.assert_allclose(crowd.weights[c], alone.weights[0], rtol=1e-12)
        np.testing.assert_allclose(crowd.checkpoint_weights[c], alone.checkpoint_weights[0],
                                   rtol=1e-12)
        np.testing.assert_allclose(crowd.risk[:, c], alone.risk[:, 0], rtol=1e-12)


def test_linear_runs_average_to_their_exact_expectation():
    exact = linear_expected_risk(PROBLEM, 15, [0.3, 0.1], 600)
    runs = one_pass_sgd(PROBLEM, [SGDConfig("linear", 15, 0.3, 600),
                                  SGDConfig("linear", 15, 0.1, 600)], range(300))
    error = runs.risk.std(axis=0, ddof=1) / math.sqrt(300)
    assert np.all(np.abs(runs.risk.mean(axis=0) - exact) <= 4 * error)   # 4 standard errors


def test_an_unstable_step_is_reported_as_diverged_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runs = one_pass_sgd(PROBLEM, [SGDConfig("linear", 20, 50.0, 400),
                                      SGDConfig("quadratic", 20, 20.0, 400),
                                      SGDConfig("linear", 20, 0.2, 400)], [0, 1], init=0.3)
        exact = linear_expected_risk(PROBLEM, 20, [50.0, 0.2], 400)
    assert np.all(runs.status[:, :2] == Status.DIVERGED) and np.all(np.isinf(runs.risk[:, :2]))
    assert np.all(runs.status[:, 2] == Status.SUCCESS) and not runs.ok[:, :2].any()
    assert np.isinf(exact[0]) and np.isfinite(exact[1])


def test_checkpoints_record_the_risk_and_weights():
    runs = one_pass_sgd(PROBLEM, [SGDConfig("quadratic", 20, 0.05, 1000),
                                  SGDConfig("quadratic", 20, 0.05, 400)], [0],
                        init=0.1, checkpoints=[0, 100, 400, 1000], record_weights=True)
    assert np.isclose(runs.checkpoint_risk[0, 0, 0], PROBLEM.excess_risk(np.full(20, 0.01)))
    assert runs.checkpoint_risk[0, 0, -1] == runs.risk[0, 0]
    assert runs.checkpoint_risk[0, 1, 2] == runs.risk[0, 1]
    assert np.isnan(runs.checkpoint_risk[0, 1, 3])                 # past its horizon
    assert np.array_equal(runs.checkpoint_weights[0][0, -1], runs.weights[0][0])


def test_certificate_counts_updates_and_checks_the_stream():
    runs = one_pass_sgd(PROBLEM, [SGDConfig("quadratic", 20, 0.05, 3000),
                                  SGDConfig("linear", 10, 0.2, 2000)], [0, 1, 2], init=0.1)
    cert = runs.certificate
    assert cert.coordinate_updates == 3 * (20 * 3000 + 10 * 2000)
    assert cert.steps == (3000, 2000) and cert.precision > 15
    assert np.all(np.abs(cert.stream_z) < 6) and all(n > 0 for n in cert.stream_samples)


def test_learned_coordinates_counts_the_relative_error():
    w = PROBLEM.truth[:4] * np.array([1.0, 1.49, 0.51, 0.49])
    assert learned_coordinates(PROBLEM, w) == 3
    assert learned_coordinates(PROBLEM, w, tolerance=0.1) == 1
    with pytest.raises(InputError, match="tolerance"):
        learned_coordinates(PROBLEM, w, tolerance=1.5)


@pytest.mark.parametrize("call, words", [
    (lambda: one_pass_sgd(PROBLEM, [SGDConfig("quadratic", 30, 0.1, 10)], [0], init=0.1),
     "exceeds the stream's d = 20"),
    (lambda: one_pass_sgd(PROBLEM, [SGDConfig("quadratic", 5, 0.1, 10)], [0]),
     "init must be a positive finite number"),
    (lambda: one_pass_sgd(PROBLEM, [SGDConfig("linear", 5, 0.1, 10)], [1, 1]), "repeat a seed"),
    (lambda: one_pass_sgd(PROBLEM, [], [0]), "non-empty list of SGDConfig"),
    (lambda: SGDConfig("cubic", 5, 0.1, 10), "choose one of quadratic, linear"),
    (lambda: one_pass_sgd(PROBLEM, [SGDConfig("linear", 5, 0.1, 10)], [0], checkpoints=[20]),
     "checkpoints must lie in"),
    (lambda: linear_expected_risk(PROBLEM, 5, [], 10), "non-empty list of positive"),
])
def test_bad_runs_are_rejected_with_the_fix(call, words):
    with pytest.raises(InputError, match=words):
        call()

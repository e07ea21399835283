"""Simulated training dynamics against the exact limits of numerics.dln.

gradient_flow integrates the flow itself (no potential, no dual), so its
agreement with dln_limit checks the implicit-bias theorems (Woodworth et al.
2020, Thms 1 and 3) and the dual solver at once.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from numerics.dln import dln_limit
from numerics.dynamics import gradient_descent, gradient_flow
from numerics.solution import Status
from numerics.validation import InputError

ALPHAS = (1e-2, 1e-1, 1.0, 10.0)
AGREEMENT = 1e-8


def gaussian_instance(seed, n, d):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal(n)


def relative_gap(beta, reference):
    return float(np.linalg.norm(beta - reference) / np.linalg.norm(reference))


# Each (D, α) pair of the required range once, with the sizes spread over
# n = 5–20, d = 10–60 so that every size meets both depths.
GRID = [
    (2, 1e-2, (5, 10)), (2, 1e-1, (20, 60)), (2, 1.0, (12, 30)), (2, 10.0, (8, 45)),
    (3, 1e-2, (12, 30)), (3, 1e-1, (8, 45)), (3, 1.0, (5, 10)), (3, 10.0, (20, 60)),
]


@pytest.mark.parametrize("depth, alpha, size", GRID)
def test_gradient_flow_reaches_the_dln_limit(depth, alpha, size):
    X, y = gaussian_instance(1000 * depth + size[1], *size)
    flow = gradient_flow(X, y, alpha, depth)
    limit = dln_limit(X, y, alpha, depth)
    assert flow.ok and limit.ok
    assert flow.certificate.primal_residual <= 1e-12
    assert relative_gap(flow.value, limit.value) <= AGREEMENT
    # On these instances the flow's own a-posteriori estimate vouches for it too.
    assert flow.certificate.details["drift_error_estimate"] <= AGREEMENT


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(5, 20), extra=st.integers(0, 50),
       depth=st.sampled_from([2, 3]), alpha=st.sampled_from(ALPHAS))
def test_gradient_flow_agrees_with_dln_limit_on_random_instances(seed, n, extra, depth, alpha):
    d = min(60, max(10, n + 1) + extra)
    X, y = gaussian_instance(seed, n, d)
    # LSODA is the fast stiff method (the Radau default is covered by the grid above).
    flow = gradient_flow(X, y, alpha, depth, method="LSODA")
    limit = dln_limit(X, y, alpha, depth)
    assert flow.ok and limit.ok
    assert relative_gap(flow.value, limit.value) <= AGREEMENT


@pytest.mark.parametrize("depth, alpha, method", [(3, 0.1, "BDF"), (4, 0.3, "LSODA")])
def test_drift_estimate_bounds_the_error_of_a_loose_integration(depth, alpha, method):
    X, y = gaussian_instance(0, 8, 20)
    flow = gradient_flow(X, y, alpha, depth, method=method, rtol=1e-7)
    limit = dln_limit(X, y, alpha, depth).value
    error = np.max(np.abs(flow.value - limit)) / np.max(np.abs(limit))
    assert flow.ok  # interpolating is not enough: the limit is off ...
    assert error > 1e-8
    # ... and the certificate says so.
    assert error <= flow.certificate.details["drift_error_estimate"]


def test_gradient_flow_stops_at_t_max_without_claiming_success():
    X, y = gaussian_instance(1, 5, 10)
    flow = gradient_flow(X, y, 1.0, t_max=1e-3)
    assert flow.status is Status.TIME_LIMIT and not flow.ok
    assert "raise t_max" in flow.message and "max_iter" not in flow.message
    assert flow.certificate.primal_residual > flow.certificate.tolerance


@pytest.mark.parametrize("depth", [2, 3])
def test_end_to_end_convention_is_per_factor_at_the_root(depth):
    X, y = gaussian_instance(2, 6, 15)
    alpha = 0.3
    end_to_end = gradient_flow(X, y, alpha, depth, convention="end_to_end")
    per_factor = gradient_flow(X, y, alpha ** (1 / depth), depth)
    assert relative_gap(end_to_end.value, per_factor.value) <= 1e-10
    # Not vacuous: at the same α the two conventions start at different scales.
    assert relative_gap(gradient_flow(X, y, alpha, depth).value, per_factor.value) > 1e-3
    gd_end_to_end = gradient_descent(X, y, alpha, depth, lr=0.02, steps=20_000,
                                     convention="end_to_end")
    gd_per_factor = gradient_descent(X, y, alpha ** (1 / depth), depth, lr=0.02, steps=20_000)
    assert relative_gap(gd_end_to_end.value, gd_per_factor.value) <= 1e-10


@pytest.mark.parametrize("depth, alpha", [(2, 0.5), (2, 0.1), (3, 0.5)])
def test_gradient_descent_is_a_first_order_discretisation_of_the_flow(depth, alpha):
    X, y = gaussian_instance(3, 5, 12)
    limit = dln_limit(X, y, alpha, depth).value
    errors = []
    for lr in (0.02, 0.01):
        gd = gradient_descent(X, y, alpha, depth, lr=lr, steps=100_000)
        assert gd.ok and gd.certificate.iterations < 100_000
        errors.append(relative_gap(gd.value, limit))
    # The limit moves by O(η): within a constant times η, and halving η halves it.
    # The ratio is 2·(1 + O(η)) (the next term of the step-size expansion); ±10 %
    # admits that term at η = 0.02 (measured: 2.000), while a wrong order of
    # discretisation error (ratio 1 or 4) fails.
    assert errors[0] <= 0.5 * 0.02
    assert 1.8 <= errors[0] / errors[1] <= 2.2


def test_full_batch_gradient_descent_with_a_small_step_decreases_the_loss():
    X, y = gaussian_instance(4, 5, 12)
    gd = gradient_descent(X, y, 0.5, 3, lr=0.01, steps=2000, record_every=1)
    losses = np.array([loss for _, loss in gd.stats["trajectory"]])
    assert [step for step, _ in gd.stats["trajectory"]] == list(range(len(losses)))
    assert np.all(np.diff(losses) <= 0)
    assert losses[-1] < 1e-6 * losses[0]


@pytest.mark.parametrize("lr", [1.0, 1e3])
def test_huge_step_diverges(lr):
    X, y = gaussian_instance(3, 5, 12)
    gd = gradient_descent(X, y, 0.5, lr=lr, steps=1000)
    assert gd.status is Status.DIVERGED and not gd.ok
    assert gd.certificate.iterations < 1000
    residual = gd.certificate.primal_residual
    assert not np.isfinite(residual) or residual > 1.0


def test_minibatch_sgd_interpolates_at_a_constant_step():
    # Interpolation: every batch loss vanishes at the solution, so SGD needs no
    # step decay to converge, and lands near the flow's limit.
    X, y = gaussian_instance(3, 5, 12)
    sgd = gradient_descent(X, y, 0.5, lr=0.01, steps=200_000, batch_size=2, seed=1)
    assert sgd.ok and sgd.certificate.primal_residual <= 1e-10
    assert relative_gap(sgd.value, dln_limit(X, y, 0.5).value) < 0.05
    again = gradient_descent(X, y, 0.5, lr=0.01, steps=200_000, batch_size=2, seed=1)
    assert np.array_equal(sgd.value, again.value)


def test_label_noise_keeps_sgd_off_the_interpolant():
    X, y = gaussian_instance(3, 5, 12)
    noisy = gradient_descent(X, y, 1.0, lr=0.02, steps=5000, label_noise=0.1, seed=0)
    clean = gradient_descent(X, y, 1.0, lr=0.02, steps=5000)
    assert clean.ok
    assert noisy.status is Status.MAX_ITERATIONS and not noisy.ok
    assert noisy.certificate.primal_residual > 1e-4


def test_gradient_descent_resumes_from_its_factors():
    """k steps, then k more from stats["factors"], is the same run as 2k steps
    (full batch: the iteration is deterministic), and the factors give back β."""
    X, y = gaussian_instance(4, 5, 12)
    whole = gradient_descent(X, y, 0.3, lr=0.01, steps=400, tol=1e-15)
    half = gradient_descent(X, y, 0.3, lr=0.01, steps=200, tol=1e-15)
    rest = gradient_descent(X, y, 0.3, lr=0.01, steps=200, tol=1e-15, init=half.stats["factors"])
    np.testing.assert_array_equal(rest.value, whole.value)
    w_plus, w_minus = rest.stats["factors"]
    np.testing.assert_allclose(w_plus ** 2 - w_minus ** 2, rest.value, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("init, match", [((np.ones(3), np.ones(12)), "shape"),
                                         ((np.ones(12), -np.ones(12)), "positive"),
                                         (np.ones(12), "pair")])
def test_bad_init_raises_input_error(init, match):
    X, y = gaussian_instance(4, 5, 12)
    with pytest.raises(InputError, match=match):
        gradient_descent(X, y, 0.3, lr=0.01, steps=10, init=init)


@pytest.mark.parametrize("call, match", [
    (lambda X, y: gradient_flow(X, y, 0.0), "alpha"),
    (lambda X, y: gradient_flow(X, y, -1.0), "alpha"),
    (lambda X, y: gradient_descent(X, y, 0.0, lr=0.1, steps=10), "alpha"),
    (lambda X, y: gradient_flow(X, y, 1.0, depth=1), "depth"),
    (lambda X, y: gradient_descent(X, y, 1.0, depth=1, lr=0.1, steps=10), "depth"),
    (lambda X, y: gradient_descent(X, y, 1.0, lr=0.0, steps=10), "lr"),
    (lambda X, y: gradient_descent(X, y, 1.0, lr=-0.1, steps=10), "lr"),
    (lambda X, y: gradient_descent(X, y, 1.0, lr=0.1, steps=0), "steps"),
    (lambda X, y: gradient_descent(X, y, 1.0, lr=0.1, steps=10, batch_size=6), "batch_size"),
    (lambda X, y: gradient_descent(X, y, 1.0, lr=0.1, steps=10, label_noise=-1.0),
     "label_noise"),
    (lambda X, y: gradient_flow(X, y, 1.0, method="RK45"), "method"),
    (lambda X, y: gradient_flow(X, y, 1.0, convention="branch"), "convention"),
    (lambda X, y: gradient_flow(X, y, 1.0, tol=1.0), "tol"),
])
def test_bad_arguments_raise_input_error_naming_the_problem(call, match):
    X, y = gaussian_instance(5, 5, 10)
    with pytest.raises(InputError, match=match):
        call(X, y)


@pytest.mark.parametrize("solver", [
    lambda X, y: gradient_flow(X, y, 1.0),
    lambda X, y: gradient_descent(X, y, 1.0, lr=0.1, steps=10),
])
def test_nan_in_the_design_is_rejected(solver):
    X, y = gaussian_instance(5, 5, 10)
    X[2, 3] = np.nan
    with pytest.raises(InputError, match="X contains NaN"):
        solver(X, y)

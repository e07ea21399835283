"""numerics.matrix_completion: the flow on UVᵀ and the completions it tends to.

The flow is checked against a direct integration of the factor ODE (the
transported form must be the same flow), its analytic Jacobian against
finite differences, and its ends against the closed forms; the nuclear-norm
solver against its own optimality conditions and, where installed, CVXPY.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError, Status
from numerics.matrix_completion import (_TransportedFlow, factorized_gradient_flow,
                                        min_frobenius_completion, min_nuclear_norm_completion,
                                        tangent_kernel_completion)


def rank_one_problem(seed, d=6, observed=24):
    rng = np.random.default_rng(seed)
    truth = np.outer(rng.standard_normal(d), rng.standard_normal(d))
    mask = np.zeros(d * d, dtype=bool)
    mask[rng.choice(d * d, size=observed, replace=False)] = True
    return truth, mask.reshape(d, d)


def unbiased_identity(d, alpha):
    eye = np.eye(d)
    return alpha * np.hstack([eye, -eye]), alpha * np.hstack([eye, eye])


def direct_factor_flow(mask, truth, U0, V0, t_end):
    """U̇ = −RV, V̇ = −RᵀU integrated in the factors themselves, to time t_end."""
    d1, k = U0.shape

    def rhs(_t, state):
        U, V = state[:d1 * k].reshape(d1, k), state[d1 * k:].reshape(-1, k)
        R = mask * (U @ V.T - truth)
        return np.concatenate([(-R @ V).ravel(), (-R.T @ U).ravel()])

    ode = scipy.integrate.solve_ivp(rhs, (0, t_end), np.concatenate([U0.ravel(), V0.ravel()]),
                                    method="DOP853", rtol=1e-12, atol=1e-14)
    U, V = ode.y[:d1 * k, -1].reshape(d1, k), ode.y[d1 * k:, -1].reshape(-1, k)
    return U @ V.T


def test_the_transported_flow_is_the_factor_flow():
    """Φ(t)W(0) and the factor ODE agree at a fixed time, for a rectangular problem with
    Gaussian factors of width 7 (neither square nor of the paper's form)."""
    rng = np.random.default_rng(3)
    truth = rng.standard_normal((4, 5))
    mask = rng.random((4, 5)) < 0.6
    U0, V0 = 0.3 * rng.standard_normal((4, 7)), 0.3 * rng.standard_normal((5, 7))
    W0 = np.concatenate([U0, V0])
    flow = _TransportedFlow(mask, mask * truth, W0 @ W0.T)
    ode = scipy.integrate.solve_ivp(flow.rhs, (0, 2.0), np.eye(9).ravel(), method="DOP853",
                                    rtol=1e-12, atol=1e-14)
    transported = flow.matrix(ode.y[:, -1].reshape(9, 9))
    direct = direct_factor_flow(mask, truth, U0, V0, 2.0)
    assert np.max(np.abs(transported - direct)) < 1e-9 * np.max(np.abs(direct))


def test_the_analytic_jacobian_matches_finite_differences():
    rng = np.random.default_rng(1)
    truth, mask = rank_one_problem(1, d=4, observed=10)
    W0 = rng.standard_normal((8, 5))
    flow = _TransportedFlow(mask, mask * truth, W0 @ W0.T)
    state = (np.eye(8) + 0.2 * rng.standard_normal((8, 8))).ravel()
    step = 1e-6
    numeric = np.stack([(flow.rhs(0, state + step * e) - flow.rhs(0, state - step * e)) / (2 * step)
                        for e in np.eye(64)], axis=1)
    # central differences: error O(h²·f''') ≈ 1e-12 relative, plus rounding eps/h ≈ 1e-10
    assert np.max(np.abs(flow.jacobian(0, state) - numeric)) < 1e-8 * np.max(np.abs(numeric))


@pytest.mark.parametrize("seed", [0, 1, 3])
def test_small_initialisation_recovers_the_planted_rank_one_matrix(seed):
    """The flow from α = 1e-4 ends within ~1e-4 of M* (it approaches like α^{1–1.6}), whether
    or not the minimum-nuclear-norm completion is M*: on instances 0 and 3 it has rank 3 and 2
    and a smaller nuclear norm than M*, and the flow goes to M*, not to it."""
    truth, mask = rank_one_problem(seed)
    flow = factorized_gradient_flow(mask, truth, *unbiased_identity(6, 1e-4))
    nuclear = min_nuclear_norm_completion(mask, truth)
    assert flow.ok and nuclear.ok
    assert flow.certificate.primal_residual <= 1e-10
    assert flow.certificate.details["invariant_drift"] < 1e-8
    assert np.linalg.norm(flow.value - truth) < 1e-3 * np.linalg.norm(truth)
    recovers = nuclear.certificate.details["rank"] == 1
    assert recovers == (seed == 1)
    assert (np.linalg.norm(flow.value - nuclear.value) < 1e-3 * np.linalg.norm(truth)) == recovers
    if not recovers:     # a certified minimum below M*'s nuclear norm
        assert nuclear.certificate.details["nuclear_norm"] < np.linalg.norm(truth, "nuc") - 0.01


def test_large_identity_initialisation_leaves_unobserved_entries_untouched():
    truth, mask = rank_one_problem(0)
    flow = factorized_gradient_flow(mask, truth, *unbiased_identity(6, 30.0))
    frobenius = min_frobenius_completion(mask, truth).value
    assert flow.ok
    # the unobserved entries move by O((|M*|/α²)²) ≈ 1e-6 at α = 30
    assert np.max(np.abs(flow.value - frobenius)) < 1e-5


def test_large_gaussian_initialisation_ends_at_the_tangent_kernel_completion():
    truth, mask = rank_one_problem(2)
    rng = np.random.default_rng(0)
    u_bar, v_bar = rng.standard_normal((2, 6, 4))
    U0, V0 = np.hstack([u_bar, -u_bar]), np.hstack([v_bar, v_bar])
    kernel = tangent_kernel_completion(mask, truth, U0, V0)
    flow = factorized_gradient_flow(mask, truth, 30.0 * U0, 30.0 * V0)
    assert kernel.ok and flow.ok
    assert np.linalg.norm(flow.value - kernel.value) < 1e-5 * np.linalg.norm(kernel.value)
    # with width 8 the kernel is not the delta kernel: unobserved entries do move
    assert np.linalg.norm(kernel.value[~mask]) > 1e-2


def test_kernel_completion_with_orthogonal_columns_is_the_frobenius_completion():
    truth, mask = rank_one_problem(4)
    kernel = tangent_kernel_completion(mask, truth, *unbiased_identity(6, 1.0))
    assert kernel.ok
    assert not np.any(min_frobenius_completion(mask, truth).value[~mask])
    assert np.max(np.abs(kernel.value - min_frobenius_completion(mask, truth).value)) < 1e-13


def test_kernel_completion_keeps_a_biased_start_on_the_unobserved_entries():
    """From M₀ = U0V0ᵀ ≠ 0 with the delta kernel, the kernel limit keeps M₀ off Ω."""
    truth, mask = rank_one_problem(5)
    U0 = V0 = np.eye(6)
    kernel = tangent_kernel_completion(mask, truth, U0, V0)
    assert np.allclose(kernel.value[~mask], np.eye(6)[~mask], atol=1e-13)
    assert np.allclose(kernel.value[mask], truth[mask], atol=1e-13)


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), d=st.integers(3, 7))
def test_nuclear_norm_certificate_is_an_optimality_certificate(seed, d):
    """Whatever the status: M is feasible, Y is supported on Ω with ‖Y‖_op ≤ 1, the reported
    gap is ‖M‖_* − ⟨Y, y⟩ ≥ 0 (weak duality), and SUCCESS means gap ≤ tol.  On success this is
    the KKT system of min ‖M‖_* s.t. P_Ω(M) = y to the gap.  (Degenerate instances, whose
    minimiser has small nonzero singular values, can need more than max_iter iterations.)"""
    rng = np.random.default_rng(seed)
    truth = rng.standard_normal((d, 2)) @ rng.standard_normal((2, d))
    mask = rng.random((d, d)) < 0.7
    mask[0, 0] = True
    solution = min_nuclear_norm_completion(mask, truth, max_iter=20_000)
    M, Y = solution.value, solution.dual
    nuclear = np.sum(np.linalg.svd(M, compute_uv=False))
    gap = solution.certificate.optimality_residual
    assert np.array_equal(M[mask], truth[mask])
    assert np.all(Y[~mask] == 0)
    assert np.linalg.norm(Y, 2) <= 1 + 1e-12
    assert gap == pytest.approx(max((nuclear - np.sum(Y * truth * mask)) / nuclear, 0.0),
                                abs=1e-12)
    assert nuclear - np.sum(Y * truth * mask) >= -1e-12 * nuclear
    assert (solution.status is Status.SUCCESS) == (gap <= 1e-10)
    assert solution.status in (Status.SUCCESS, Status.MAX_ITERATIONS)


def test_nuclear_norm_completion_agrees_with_cvxpy():
    cp = pytest.importorskip("cvxpy")
    truth, mask = rank_one_problem(7, d=8, observed=40)
    ours = min_nuclear_norm_completion(mask, truth)
    M = cp.Variable(truth.shape)
    rows, cols = np.nonzero(mask)
    cp.Problem(cp.Minimize(cp.normNuc(M)), [M[i, j] == truth[i, j] for i, j in zip(rows, cols)]
               ).solve(solver="CLARABEL")
    # Clarabel's default tolerances are 1e-8 (gap and feasibility): agreement to ~1e-6
    assert np.linalg.norm(M.value - ours.value) < 1e-5 * np.linalg.norm(ours.value)
    assert ours.certificate.details["strict_complementarity_margin"] > 0


def test_nuclear_norm_reports_an_iteration_limit():
    truth, mask = rank_one_problem(0)
    solution = min_nuclear_norm_completion(mask, truth, tol=1e-15, max_iter=20)
    assert solution.status is Status.MAX_ITERATIONS and not solution.ok
    assert "raise max_iter (it was 20)" in solution.message


def test_flow_reports_running_out_of_time():
    truth, mask = rank_one_problem(0)
    flow = factorized_gradient_flow(mask, truth, *unbiased_identity(6, 1e-3), t_max=1.0)
    assert flow.status is Status.TIME_LIMIT and not flow.ok
    assert "raise t_max" in flow.message


@pytest.mark.parametrize("call, message", [
    (lambda t, m: factorized_gradient_flow(m.astype(int), t, *unbiased_identity(6, 1.0)),
     "boolean"),
    (lambda t, m: factorized_gradient_flow(m, t[:3], *unbiased_identity(6, 1.0)), "shape"),
    (lambda t, m: factorized_gradient_flow(m, t, np.eye(5), np.eye(6)), "factors"),
    (lambda t, m: factorized_gradient_flow(m, t, np.zeros((6, 2)), np.zeros((6, 2))),
     "stationary"),
    (lambda t, m: factorized_gradient_flow(m, t, *unbiased_identity(6, 1.0), method="RK45"),
     "stiff"),
    (lambda t, m: factorized_gradient_flow(m, t, *unbiased_identity(6, 1.0), rtol=1e-17),
     "resolution"),
    (lambda t, m: min_nuclear_norm_completion(np.zeros_like(m), t), "no entry"),
    (lambda t, m: min_nuclear_norm_completion(m, np.where(m, np.nan, t)), "NaN"),
    (lambda t, m: min_frobenius_completion(m, 0 * t), "zero"),
])
def test_bad_input_names_the_problem(call, message):
    truth, mask = rank_one_problem(0)
    with pytest.raises(InputError, match=message):
        call(truth, mask)


def test_unobserved_entries_may_be_nan():
    truth, mask = rank_one_problem(0)
    marked = np.where(mask, truth, np.nan)
    assert np.array_equal(min_frobenius_completion(mask, marked).value,
                          min_frobenius_completion(mask, truth).value)


def test_kernel_completion_fails_its_certificate_when_the_kernel_is_singular_on_omega():
    """Width-2 factors span too few tangent directions to fit 24 observations."""
    truth, mask = rank_one_problem(0)
    u, v = np.random.default_rng(1).standard_normal((2, 6, 1))
    kernel = tangent_kernel_completion(mask, truth, np.hstack([u, -u]), np.hstack([v, v]))
    assert kernel.status is Status.CERTIFICATE_FAILED and not kernel.ok

"""The curated corpus of nasty cases (the Hypothesis idea of a hand-kept list).

Each case is named (its pytest id) and checked with the same independent KKT
assertions as the property tests (tests/instances.py): the solver must
converge *and* its answer must satisfy the mathematics, not just its own
certificate.
"""

from __future__ import annotations

import numpy as np
import pytest

from numerics import dln_limit, min_l1_interpolant, min_l2_interpolant, min_lp_interpolant
from tests.instances import (EPS, SPIKE, as_float, assert_dln_kkt, assert_feasible,
                             assert_l1_kkt, assert_l1_optimal_value, assert_lp_kkt,
                             gaussian_instance, l1_uniqueness_margin, l2_closed_form,
                             lp_norm, null_directions, rel_residual)


def _rel(a, b):
    return float(np.linalg.norm(as_float(a) - as_float(b)) / np.linalg.norm(as_float(b)))


# --------------------------------------------------------------------------- the designs
def _duplicated_columns():
    inst = gaussian_instance(8, 24, 11, "noisy")
    X = inst.X.copy()
    X[:, 1] = X[:, 0]                 # the spike's column, twice
    X[:, 7] = X[:, 6]
    return X, SPIKE * X[:, 0] + 0.5 * X[:, 6]


def _square_minus_one():
    inst = gaussian_instance(11, 12, 5, "noisy")      # n = d − 1
    return inst.X, inst.y


def _spike_only():
    inst = gaussian_instance(15, 40, 3, "spike")      # noiseless y = 3·X e₀
    return inst.X, inst.y


def _column_scaled():
    inst = gaussian_instance(8, 24, 9, "noisy")
    X = inst.X.copy()
    X[:, 4] *= 1e6                    # one feature in different units
    return X, inst.y


def _p_near_one_design():
    inst = gaussian_instance(20, 60, 0, "noisy")
    return inst.X, inst.y


DESIGNS = {
    "duplicated-columns": _duplicated_columns,
    "n=d-1": _square_minus_one,
    "spike-noiseless": _spike_only,
    "column-scaled-1e6": _column_scaled,
    "noisy-20x60": _p_near_one_design,
}
designs = pytest.mark.parametrize("design", list(DESIGNS), ids=list(DESIGNS))


# --------------------------------------------------------------------------- every solver, every design
@designs
@pytest.mark.parametrize("p", [1.01, 1.1, 1.5], ids=lambda p: f"p={p:g}")
def test_min_lp(design, p):
    X, y = DESIGNS[design]()
    sol = min_lp_interpolant(X, y, p)
    assert sol.ok, f"{sol}: {sol.status.message}"
    assert_lp_kkt(X, y, sol, p)
    # optimal, not only stationary (allowance as in test_interpolants: 1e-11 relative)
    w, t = sol.value, 1e-3 * np.linalg.norm(sol.value)
    for v in null_directions(X, 2, 0).T:
        assert lp_norm(w, p) <= min(lp_norm(w + t * v, p), lp_norm(w - t * v, p)) * (1 + 1e-11)


@designs
def test_min_l1(design):
    X, y = DESIGNS[design]()
    sol = min_l1_interpolant(X, y)
    assert_l1_kkt(X, y, sol, unique=design != "duplicated-columns")
    assert_l1_optimal_value(X, y, sol.value)


@designs
def test_min_l2(design):
    X, y = DESIGNS[design]()
    sol = min_l2_interpolant(X, y)
    assert sol.ok, sol
    assert_feasible(X, y, sol)
    # forward error of both routes through XXᵀ: κ(X)²·ε (dense) + κ·tol (certified)
    kappa = np.linalg.cond(X)
    assert _rel(sol.value, l2_closed_form(X, y)) <= 10 * (kappa**2 * EPS + kappa * 1e-12)


@designs
@pytest.mark.parametrize("alpha", [1e-300, 1e-3, 1e2], ids=lambda a: f"alpha={a:g}")
@pytest.mark.parametrize("depth", [2, 3], ids=lambda D: f"D={D}")
def test_dln_limit(design, depth, alpha):
    X, y = DESIGNS[design]()
    sol = dln_limit(X, y, alpha, depth)
    assert sol.ok, f"{sol}: {sol.status.message}"
    assert_dln_kkt(X, y, sol, alpha, depth)


# --------------------------------------------------------------------------- what is special about each
def test_duplicated_columns_l1_is_not_unique_but_certified():
    """With the spike's column duplicated any split β₀ + β₁ = c (same sign) is optimal:
    the status says NOT_UNIQUE (ρ = 1), the certificate must still hold and ‖β‖₁
    equal the LP optimum; the dual cannot separate the twins: (Xᵀν)₀ = (Xᵀν)₁."""
    X, y = _duplicated_columns()
    sol = min_l1_interpolant(X, y)
    assert_l1_kkt(X, y, sol, unique=False)
    assert sol.certificate.details["unique"] is False and "ρ" in sol.message
    assert_l1_optimal_value(X, y, sol.value)
    nu = sol.dual
    corr = X.T @ nu
    # identical columns: equal up to the rounding of two n-term products
    assert abs(corr[0] - corr[1]) <= 2 * X.shape[0] * EPS * float(np.abs(X[:, 0]) @ np.abs(nu))
    moved = sol.value.copy()
    moved[[0, 1]] = (sol.value[0] + sol.value[1]) / 2  # another minimiser: same norm, feasible
    # X·moved = X·β up to the rounding of one halving: the same residual level as β (1e-12)
    assert rel_residual(X, moved, y) <= 1e-12
    # |β₀| + |β₁| = |β₀ + β₁| when they share a sign: equal norms up to rounding (4ε)
    assert abs(np.abs(moved).sum() - np.abs(sol.value).sum()) <= 4 * EPS * np.abs(moved).sum()


@pytest.mark.parametrize("solve", [
    pytest.param(lambda X, y: min_lp_interpolant(X, y, 1.01), id="min_lp-p=1.01"),
    pytest.param(lambda X, y: min_lp_interpolant(X, y, 1.5), id="min_lp-p=1.5"),
    pytest.param(lambda X, y: min_l2_interpolant(X, y), id="min_l2"),
    pytest.param(lambda X, y: dln_limit(X, y, 1e-300, 2), id="dln-D=2-alpha=1e-300"),
    pytest.param(lambda X, y: dln_limit(X, y, 1e-3, 3), id="dln-D=3-alpha=1e-3"),
])
def test_duplicated_columns_strictly_convex_potentials_split_evenly(solve):
    """A strictly convex separable potential is symmetric in identical columns, so its
    unique minimiser gives them equal weights."""
    X, y = _duplicated_columns()
    sol = solve(X, y)
    assert sol.ok, sol
    w = sol.value
    # The twins' z = Xᵀν agree up to the rounding of two n-term products (≲ 1e-14
    # relative); the link multiplies relative error by its elasticity |zφ'(z)/φ(z)|,
    # at most ~1.4e3 here (q − 1 = 100 at p = 1.01; |z| ≈ 1380 for D = 2 at α = 1e-300).
    for i, j in ((0, 1), (6, 7)):
        assert abs(w[i] - w[j]) <= 1e-10 * abs(w[i])


def test_spike_is_recovered_exactly_by_l1():
    """Noiseless y = c·X e₀ with n = 15, d = 40: c·e₀ is the unique ℓ1 interpolant
    (certified by an LP margin < 1), and min_l1 returns it to rounding."""
    X, y = _spike_only()
    target = np.zeros(X.shape[1])
    target[0] = SPIKE
    assert l1_uniqueness_margin(X, target) < 1
    sol = min_l1_interpolant(X, y)
    support = assert_l1_kkt(X, y, sol)
    # y = fl(c·X e₀) differs from c·X e₀ by ε relative: β moves by κ(X_S)·ε
    # (κ = 1 on the support {0}); ×10 for the support solve's own rounding.
    kappa = np.linalg.cond(X[:, support]) if support.size > 1 else 1.0
    assert np.max(np.abs(sol.value - target)) <= 10 * kappa * EPS * SPIKE


@pytest.mark.parametrize("solve", [
    pytest.param(lambda X, y: min_lp_interpolant(X, y, 1.01), id="min_lp-p=1.01"),
    pytest.param(lambda X, y: dln_limit(X, y, 1e-300, 2), id="dln-D=2-alpha=1e-300"),
    pytest.param(lambda X, y: dln_limit(X, y, 1e-300, 3), id="dln-D=3-alpha=1e-300"),
    pytest.param(lambda X, y: dln_limit(X, y, 1e-300, 5), id="dln-D=5-alpha=1e-300"),
])
def test_spike_is_approached_in_the_rich_limit(solve):
    """p = 1.01 and α = 1e-300 are close to the ℓ1 limit c·e₀.  Margin ρ < 0.8 here:
    ℓp is within ρ^{100} ≈ 2e-10 (×10 for the constant); the DLN rates α^{2(1−ρ)}
    (D = 2) and α (D ≥ 3) are far smaller, so the floor is float64 (1e-9)."""
    X, y = _spike_only()
    target = np.zeros(X.shape[1])
    target[0] = SPIKE
    rho = l1_uniqueness_margin(X, target)
    assert rho < 0.8
    sol = solve(X, y)
    assert sol.ok, sol
    assert _rel(sol.value, target) <= max(1e-9, 10 * rho**100)


# --------------------------------------------------------------------------- y at extreme scales
_SCALES = pytest.mark.parametrize("c", [1e-200, 1e200], ids=["y-norm-1e-200", "y-norm-1e200"])


@_SCALES
@pytest.mark.parametrize("p", [1.01, 1.5, 2.0], ids=lambda p: f"p={p:g}")
def test_min_lp_is_scale_equivariant(c, p):
    """w(c·y) = c·w(y): ℓp minimisation is homogeneous, so a label vector of norm
    1e-200 or 1e200 must be solved as well as one of norm 1."""
    X, y = _p_near_one_design()
    ref = min_lp_interpolant(X, y, p)
    sol = min_lp_interpolant(X, c * y, p)
    assert ref.ok, ref
    assert sol.ok, f"‖y‖ = {c:g}·‖y₀‖: {sol}: {sol.status.message}"
    assert_lp_kkt(X, c * y, sol, p)
    # Both certified at 1e-12 on the same unit-scale problem; the map from residual to
    # w has condition ≲ 10 on this design (d = 3n): 1e-10.
    assert _rel(sol.value / c, ref.value) <= 1e-10


@_SCALES
@pytest.mark.parametrize("name", ["min_l2", "min_l1"])
def test_linear_solvers_are_scale_equivariant(c, name):
    """min-ℓ2 is linear and min-ℓ1 positively homogeneous in y: at ‖y‖ ~ 1e±200 they
    must either solve the problem (w(cy) = c·w(y)) or say they did not — never
    crash, never claim success for a wrong vector."""
    X, y = _p_near_one_design()
    solve = {"min_l2": min_l2_interpolant, "min_l1": min_l1_interpolant}[name]
    ref = solve(X, y)
    sol = solve(X, c * y)
    assert sol.ok, f"‖y‖ = {c:g}·‖y₀‖: {sol}: {sol.status.message}"
    # Certified at 1e-12 relative; κ(X) ≲ 10 here (d = 3n), and ℓ1's vertex is exact.
    assert _rel(as_float(sol.value) / c, ref.value) <= 1e-10


@_SCALES
@pytest.mark.parametrize("depth", [2, 3], ids=lambda D: f"D={D}")
def test_dln_limit_is_scale_covariant(c, depth):
    """β = A·φ(Xᵀν) is unchanged in ν when (y, A) → (c·y, c·A): so
    dln(X, c·y, A = c·α₀) = c·dln(X, y, A = α₀) (end-to-end convention, A = α)."""
    X, y = _p_near_one_design()
    alpha0 = 1e-2
    ref = dln_limit(X, y, alpha0, depth, convention="end_to_end")
    sol = dln_limit(X, c * y, alpha0 * c, depth, convention="end_to_end")
    assert ref.ok, ref
    assert sol.ok, f"‖y‖ = {c:g}·‖y₀‖: {sol}: {sol.status.message}"
    # Same ν-problem, both certified at ≤ 1e-12·(1+|log A|)·64ε-level tolerances;
    # conditioning ≲ 10 on this design: 1e-9.
    assert _rel(as_float(sol.value) / c, ref.value) <= 1e-9


@pytest.mark.parametrize("c", [1e-160, 1e160], ids=["y-norm-1e-160", "y-norm-1e160"])
@pytest.mark.parametrize("solve", [
    pytest.param(lambda X, y: min_l2_interpolant(X, y), id="min_l2"),
    pytest.param(lambda X, y: min_lp_interpolant(X, y, 1.5), id="min_lp-p=1.5"),
    pytest.param(lambda X, y: dln_limit(X, y, 1e-2, 2), id="dln-D=2"),
    pytest.param(lambda X, y: dln_limit(X, y, 1e-2, 3), id="dln-D=3"),
])
def test_success_at_extreme_label_scale_is_genuine(solve, c):
    """At ‖y‖² beyond float64's range a naive ‖·‖ under/overflows and makes any
    residual look like 0: SUCCESS must still mean an interpolant (checked with a
    scaled residual)."""
    X, y = _p_near_one_design()
    sol = solve(X, c * y)
    if sol.ok:
        assert_feasible(X, c * y, sol)


@pytest.mark.parametrize("solve", [
    lambda X, y: min_l2_interpolant(X, y),
    lambda X, y: min_lp_interpolant(X, y, 1.3),
    lambda X, y: min_l1_interpolant(X, y),
    lambda X, y: dln_limit(X, y, 0.01, depth=3),
], ids=["l2", "lp", "l1", "dln"])
def test_solvers_never_write_into_the_caller_s_arrays(solve):
    # validation takes float64 X without a copy, so a solver that scaled X in place would
    # change the caller's design: read-only arrays make any such write an error
    rng = np.random.default_rng(3)
    X = rng.standard_normal((8, 30)) * 1e3
    y = X[:, 0] - X[:, 1]
    X.flags.writeable = False
    y.flags.writeable = False
    assert solve(X, y).ok

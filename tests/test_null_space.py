"""numerics.null_space: ρ by LP with a certified bracket, e* by its own convex solve,
and the ℓ1 interpolant in the working precision with the minimal certificate.

Checked against the mathematics, not the solver's own certificate: ρ against
the closed form on A = [1, c] and against an independent LP (tests/instances:
the same minimisation written separately), the bracket's two ends as what they
claim to be (a feasible certificate, a null-space vector); e* against its
closed form on the example, its KKT conditions (X e* = 0, e*_{Sᶜ} = h_D(ν*),
ν*_S = s, |ν*| < 1) and against the flow limit itself, (β_α − β_ℓ1)/α at tiny α.
"""

from __future__ import annotations

import dataclasses
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError, Status, dln_limit, min_l1_interpolant, null_space
from numerics.null_space import RHO_TOLERANCE, certificate_constant, depth_limit_constant
from tests.instances import l1_uniqueness_margin, null_directions, q_potential


def _h(z, depth):
    m = depth / (depth - 2)
    return (1 - z) ** -m - (1 + z) ** -m


def sparse_design(seed, m=10, n=40, s=2, noise=0.0):
    """The SM designs: X ~ N(0, 1/m) rounded to 2⁻²⁴ (exact noiseless labels), β₀ ±1."""
    rng = np.random.default_rng(seed)
    X = np.round(rng.standard_normal((m, n)) / math.sqrt(m) * 2**24) / 2**24
    beta = np.zeros(n)
    beta[rng.choice(n, s, replace=False)] = rng.choice([-1.0, 1.0], s)
    return X, X @ beta + noise * rng.standard_normal(m)


def _support(X, y):
    sol = min_l1_interpolant(X, y)
    assert sol.ok, sol
    support = np.flatnonzero(sol.value)
    return support, np.sign(sol.value[support])


# --------------------------------------------------------------------------- ρ
@settings(max_examples=20)
@given(c=st.floats(-0.99, 0.99).filter(lambda c: abs(c) > 1e-3))
def test_rho_on_the_example_is_abs_c(c):
    """A = [1, c], y = 1: x_ℓ1 = e₁ and the only certificate has ν₂ = c, so ρ = |c|."""
    sol = certificate_constant(np.array([[1.0, c]]), [0], [1.0])
    assert sol.ok, sol
    assert abs(sol.value - abs(c)) <= RHO_TOLERANCE


@pytest.mark.parametrize("noise", [0.0, 0.1], ids=["noiseless", "noisy"])
@pytest.mark.parametrize("seed", range(4))
def test_rho_bracket_is_what_it_claims(seed, noise):
    """upper = sup of a certificate with ν_S = s; lower = the ratio of a vector in ker X;
    both ends agree with an independently written LP for the same minimum."""
    X, y = sparse_design(seed, noise=noise)
    support, signs = _support(X, y)
    sol = certificate_constant(X, support, signs)
    assert sol.ok, sol
    lower, upper = sol.stats["lower"], sol.stats["upper"]
    assert lower <= upper + 1e-15 and upper - lower <= RHO_TOLERANCE
    nu = sol.dual
    off = np.setdiff1d(np.arange(X.shape[1]), support)
    np.testing.assert_allclose(nu[support], signs, atol=1e-12)        # a certificate
    assert np.max(np.abs(nu[off])) <= upper + 1e-15
    h = sol.stats["null_vector"]                                       # in ker X, ‖h_Sᶜ‖₁ = 1
    assert np.linalg.norm(X @ h) <= 1e-12 * np.linalg.norm(h)
    assert math.isclose(np.sum(np.abs(h[off])), 1.0, rel_tol=1e-9)
    assert math.isclose(-signs @ h[support], lower, rel_tol=1e-9, abs_tol=1e-12)
    assert abs(sol.value - l1_uniqueness_margin(X, min_l1_interpolant(X, y).value)) <= 1e-8
    assert 0 <= sol.value < 1          # the ℓ1 interpolants here are unique
    assert sol.stats["active"].size >= 1


def test_rho_is_solved_again_with_presolve_when_its_bracket_fails(monkeypatch):
    """ρ's LP runs without HiGHS's presolve (on its dense rows presolve costs most of the
    solve); a bracket that does not close is solved again with it."""
    X, y = sparse_design(0)
    support, signs = _support(X, y)
    first = certificate_constant(X, support, signs)
    assert first.ok and first.certificate.details["presolve"] is False
    bracket, seen = null_space._bracket, []

    def failing_once(*args):
        seen.append(args[-1])
        sol = bracket(*args)
        return dataclasses.replace(sol, status=Status.CERTIFICATE_FAILED) if len(seen) == 1 else sol

    monkeypatch.setattr(null_space, "_bracket", failing_once)
    second = certificate_constant(X, support, signs)
    assert seen == [False, True]
    assert second.ok and second.certificate.details["presolve"] is True
    assert abs(second.value - first.value) <= RHO_TOLERANCE


def test_rho_active_set_of_a_sparse_vertex():
    """Generic noiseless instances: the minimal certificate is an LP vertex with
    m − |S| + 1 off-support coordinates at |νᵢ| = ρ (μ has m unknowns, |S| fixed)."""
    X, y = sparse_design(1)
    support, signs = _support(X, y)
    sol = certificate_constant(X, support, signs)
    assert support.size == 2 and sol.stats["active"].size == X.shape[0] - support.size + 1


def test_rho_rejects_bad_supports():
    X, y = sparse_design(0)
    with pytest.raises(InputError, match="empty"):
        certificate_constant(X, [], [])
    with pytest.raises(InputError, match="±1"):
        certificate_constant(X, [0, 1], [1.0])
    duplicated = X.copy()
    duplicated[:, 1] = duplicated[:, 0]
    with pytest.raises(InputError, match="not injective"):
        certificate_constant(duplicated, [0, 1], [1.0, 1.0])
    with pytest.raises(InputError, match="every column"):
        certificate_constant(np.array([[1.0, 2.0]]), [0, 1], [1.0, 1.0])


# --------------------------------------------------------------------------- e*
@settings(max_examples=15)
@given(c=st.floats(0.01, 0.95), depth=st.sampled_from([3, 4, 5]))
def test_limit_constant_on_the_example(c, depth):
    """A = [1, c]: e* = h_D(c)·(−c, 1) (docs/derivations/stoger-matt-depth-rates.md §6)."""
    sol = depth_limit_constant(np.array([[1.0, c]]), [0], [1.0], depth)
    assert sol.ok, sol
    expected = _h(c, depth) * np.array([-c, 1.0])
    np.testing.assert_allclose(sol.value, expected, rtol=1e-12)


@pytest.mark.parametrize("noise", [0.0, 0.1], ids=["noiseless", "noisy"])
@pytest.mark.parametrize("depth", [3, 4])
@pytest.mark.parametrize("seed", range(3))
def test_limit_constant_kkt_and_optimality(seed, depth, noise):
    """X e* = 0; e*_{Sᶜ} = h_D(ν*_{Sᶜ}) with ν* = Xᵀμ*, ν*_S = s, |ν*| < 1; and e*
    beats its perturbations along ker X on ⟨s, h_S⟩ + Σ H_D(hᵢ) (H_D = q_D = ∫₀ h_D⁻¹,
    evaluated in mpmath by tests/instances through its Legendre form and bisection)."""
    X, y = sparse_design(seed, noise=noise)
    support, signs = _support(X, y)
    sol = depth_limit_constant(X, support, signs, depth)
    assert sol.ok, sol
    e, nu = sol.value, sol.dual
    off = np.setdiff1d(np.arange(X.shape[1]), support)
    assert np.linalg.norm(X @ e) <= 1e-10 * np.abs(X).sum() * np.abs(e).max()
    np.testing.assert_allclose(nu[support], signs, atol=1e-12)
    assert np.max(np.abs(nu[off])) < 1
    np.testing.assert_allclose(e[off], _h(nu[off], depth), rtol=1e-10)

    def objective(vector):
        with mpmath.workdps(30):
            return (mpmath.fsum(mpmath.mpf(s) * mpmath.mpf(v) for s, v in zip(signs, vector[support]))
                    + mpmath.fsum(q_potential(mpmath.mpf(v), depth) for v in vector[off]))

    best = objective(e)
    for v in null_directions(X, 2, seed).T:
        step = 1e-3 * np.linalg.norm(e)
        for direction in (v, -v):
            assert best <= objective(e + step * direction)


def test_limit_constant_is_the_limit_of_the_flow():
    """(β_α − β_ℓ1)/α at α = 1e-30 (exact limit, 52 digits) equals e* to the
    predicted remainder O(α^{1/3}) ≈ 1e-10 (relative, ×ρ-dependent constant)."""
    X, y = sparse_design(0)
    l1 = min_l1_interpolant(X, y, precision=52)
    assert l1.ok, l1
    e = depth_limit_constant(X, l1.stats["support"], l1.stats["signs"], 3)
    sol = dln_limit(X, y, "1e-30", 3, convention="end_to_end", precision=52)
    assert sol.ok and e.ok
    with mpmath.workdps(52):
        scaled = np.array([float((u - v) / mpmath.mpf("1e-30"))
                           for u, v in zip(sol.value, l1.value)])
    assert np.linalg.norm(scaled - e.value) <= 1e-6 * np.linalg.norm(e.value)


def test_limit_constant_needs_depth_three():
    with pytest.raises(InputError, match="D ≥ 3"):
        depth_limit_constant(np.array([[1.0, 0.5]]), [0], [1.0], 2)


# --------------------------------------------------------------------------- β_ℓ1 in precision
@pytest.mark.parametrize("noise", [0.0, 0.1], ids=["noiseless", "noisy"])
@pytest.mark.parametrize("seed", range(3))
def test_min_l1_interpolant_in_high_precision(seed, noise):
    """At 50 digits: Xβ = y to 1e-45, the float64 support and signs, and the float64
    interpolant is β rounded; certified unique by the minimal certificate (ρ < 1),
    which is also the returned dual (max off-support |Xᵀν| = ρ)."""
    X, y = sparse_design(seed, noise=noise)
    sol = min_l1_interpolant(X, y, precision=50)
    assert sol.ok, sol
    assert sol.certificate.primal_residual <= 1e-45
    with mpmath.workdps(70):
        residual = max(abs(mpmath.fsum(mpmath.mpf(X[i, j]) * sol.value[j] for j in range(X.shape[1]))
                           - mpmath.mpf(y[i])) for i in range(X.shape[0]))
    assert residual <= 1e-44 * np.linalg.norm(y)
    low = min_l1_interpolant(X, y)
    np.testing.assert_allclose(np.array(sol.value, dtype=float), low.value, atol=1e-12)
    details = sol.certificate.details
    assert details["unique"] is True
    assert details["uniqueness_margin"] == pytest.approx(1 - sol.stats["rho"].value, abs=1e-9)
    # the projected minimal certificate keeps its off-support sup-norm ρ (bracket width)
    assert details["max_off_support_dual"] == pytest.approx(details["rho"], abs=RHO_TOLERANCE)

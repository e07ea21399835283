"""theory.depth_rates: the reconstructed rates of Matt & Stöger (2025), checked.

The symbolic results are checked against computations that do not use them:
the example's exact flow limit from its two scalar equations (solved by
mpmath root finding, not by numerics), the LP for ρ and the convex solve for
e* (numerics), and the α conventions of numerics.dln_limit.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import dln_limit
from numerics.null_space import certificate_constant as rho_lp, depth_limit_constant
from theory.depth_rates import (DEPTH_SYMBOLS as S, alpha_convention, depth_rate_predictions,
                                example_certificate_constant, example_error, gap_rate,
                                limit_constant_problem)


# --------------------------------------------------------------------------- rates, conventions
def test_rates_and_their_per_factor_form():
    assert gap_rate(2).expr == 1 - S.rho
    assert gap_rate(3).expr == 1 and gap_rate(7).expr == 1
    assert gap_rate(2, "per_factor").expr == 2 - 2 * S.rho       # α = α₀²
    assert gap_rate(4, "per_factor").expr == 4
    general = gap_rate()
    assert general.expr.subs(S.D, 2) == 1 - S.rho and general.expr.subs(S.D, 5) == 1
    assert gap_rate(2).fidelity == "paper" and "abstract" in gap_rate(2).source
    with pytest.raises(ValueError, match="convention"):
        gap_rate(2, "per-factor")


def test_alpha_convention_matches_dln_limit():
    """α = α₀^D symbolically, and numerics agrees: the end-to-end limit at α₀^D is
    the per-factor limit at α₀ (same branch scale, same answer to rounding)."""
    conv = alpha_convention()
    assert conv.expr["alpha"] == S.alpha0 ** S.D
    rng = np.random.default_rng(3)
    X = rng.standard_normal((4, 9))
    y = X[:, 0] - 0.5 * X[:, 3]
    alpha0, depth = 0.05, 3
    alpha = float(conv.part("alpha").numpy(alpha_0=alpha0, alpha=0.0, D=depth))
    a = dln_limit(X, y, alpha, depth, convention="end_to_end")
    b = dln_limit(X, y, alpha0, depth, convention="per_factor")
    assert a.ok and b.ok
    assert np.linalg.norm(a.value - b.value) <= 1e-9 * np.linalg.norm(b.value)


# --------------------------------------------------------------------------- the example's constants
@settings(max_examples=10)
@given(c=st.floats(0.02, 0.98))
def test_rho_of_the_example_in_both_forms_matches_the_lp(c):
    forms = example_certificate_constant().numpy(c=c)
    assert forms["certificate form"] == pytest.approx(c) == forms["null-space form"]
    assert rho_lp(np.array([[1.0, c]]), [0], [1.0]).value == pytest.approx(c, abs=1e-9)


@pytest.mark.parametrize("depth", [3, 4, 5, 8])
def test_limit_constant_of_the_example(depth):
    """e* ∈ ker A, ‖e*‖₁ = (1 + c)h_D(c), the same as numerics' convex solve; and the
    blow-up (1 − c)^{−D/(D−2)} as c → 1 (sheet §6)."""
    pred = limit_constant_problem(depth)
    e1, e2 = pred.expr["e*_1"], pred.expr["e*_2"]
    assert sp.simplify(e1 + S.c * e2) == 0
    for c in (0.1, 0.5, 0.9):
        numeric = depth_limit_constant(np.array([[1.0, c]]), [0], [1.0], depth)
        assert numeric.ok
        assert float(pred.part("‖e*‖₁").numpy(c=c)) == pytest.approx(
            np.abs(numeric.value).sum(), rel=1e-12)
    k = sp.Rational(depth, depth - 2)
    blow_up = sp.limit(pred.expr["‖e*‖₁"] * (1 - S.c) ** k, S.c, 1, "-")
    assert blow_up == 2                         # (1 + c)·(1 − c)^{−k} → 2·…
    with pytest.raises(ValueError):
        limit_constant_problem(2)


# --------------------------------------------------------------------------- exact asymptotics
def _example_gap(alpha, c, depth, dps=80):
    """‖x − e₁‖₁ = (1 + c)·x₂ from the scalar equations of the exact limit on A = [1, c]:
    x = α(φ(μ), φ(cμ)) with x₁ + c·x₂ = 1, φ = 2 sinh (D = 2) or h_D, by root finding."""
    with mpmath.workdps(dps):
        a, c = mpmath.mpf(alpha), mpmath.mpf(c)
        if depth == 2:
            L = mpmath.log(1 / a)
            mu = mpmath.findroot(lambda u: 2 * a * mpmath.sinh(u)
                                 + c * 2 * a * mpmath.sinh(c * u) - 1, L)
            return (1 + c) * 2 * a * mpmath.sinh(c * mu)
        m = mpmath.mpf(depth) / (depth - 2)

        def h(z):
            return (1 - z) ** -m - (1 + z) ** -m

        # in the log-gap s = log(1 − μ), where the root is well separated from 1
        s = mpmath.findroot(lambda s: a * h(1 - mpmath.exp(s)) + c * a * h(c * (1 - mpmath.exp(s)))
                            - 1, mpmath.log(a) / m)
        return (1 + c) * a * h(c * (1 - mpmath.exp(s)))


@pytest.mark.parametrize("depth", [2, 3, 4])
@pytest.mark.parametrize("c", [0.2, 0.5, 0.8])
def test_example_asymptotics_against_the_exact_limit(depth, c):
    """gap/leading equals theory's first-order R up to second order, ≤ 10·|R − 1|²
    (the omitted terms are products of first-order ones), at α from 1e-6 to 1e-40."""
    pred = example_error(depth)
    for k in (-6, -12, -20, -40):
        alpha = mpmath.mpf(10) ** k
        with mpmath.workdps(80):
            measured = _example_gap(alpha, c, depth) / pred.part("leading").mpmath(alpha=alpha, c=c)
            theory = pred.part("ratio").mpmath(alpha=alpha, c=c)
        first = abs(float(theory) - 1)
        if first > 0.1:
            continue                   # pre-asymptotic: the expansion is not small yet
        assert abs(float(measured - theory)) <= 10 * first ** 2 + 1e-30, (k, measured, theory)


def test_example_asymptotics_agree_with_dln_limit():
    """The same gap from numerics.dln_limit (a different computation of the same limit),
    within twice its certified forward error (√2·‖δβ‖₂ bounds the ℓ1 change on 2 entries)."""
    with mpmath.workdps(60):
        alpha = mpmath.mpf("1e-24")
    for depth in (2, 3):
        sol = dln_limit(np.array([[1.0, 0.5]]), np.array([1.0]), alpha, depth,
                        convention="end_to_end", precision=50)
        assert sol.ok
        with mpmath.workdps(50):
            gap = abs(sol.value[0] - 1) + abs(sol.value[1])
            exact = _example_gap(alpha, 0.5, depth, dps=50)
            bound = 2 * np.sqrt(2) * sol.certificate.details["forward_error"]
            assert abs(gap - exact) <= bound and bound <= 1e-20 * exact   # 20+ digits


def test_correction_exponents():
    assert example_error(2).expr["correction exponent"] == sp.Min(1 - S.c, 2 * S.c)
    assert example_error(3).expr["correction exponent"] == sp.Rational(1, 3)
    assert example_error(4).expr["correction exponent"] == sp.Rational(1, 2)
    assert example_error(2).expr["leading"] == (1 + S.c) * S.alpha ** (1 - S.c)


def test_registry_lists_every_claim_with_provenance():
    registry = depth_rate_predictions()
    assert set(registry) == {"SM-1", "SM-2", "SM-3", "SM-4"}
    for predictions in registry.values():
        for prediction in predictions:
            assert prediction.source and prediction.fidelity in ("paper", "reconstructed")
            assert prediction.derivation

"""A user's own parameterisation: its flow against the potential theory derives
from its link (issue 11, item 4).

The non-negative single-branch model β = w⊙w from w(0) = α𝟙 has
d log w/dt = −2Xᵀr, so β = α²·exp(Xᵀν): the link ν ↦ α²eᵛ, with f(0) = α² ≠ 0,
whose potential is the relative entropy Σ βᵢ log(βᵢ/α²) − βᵢ + α².
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import theory
from numerics import (InputError, Parameterisation, SeparablePotential, diagonal_network,
                      gradient_descent, gradient_flow, min_potential_interpolant, squared)

NU = sp.Symbol("nu", real=True)
BETA = sp.Symbol("beta", real=True)
ALPHA = sp.Symbol("alpha", positive=True)
# As in tests/test_dynamics.py: the flow stops at ‖r‖/‖y‖ ≤ 1e-12 and integrates
# at rtol 1e-12; on d ≤ 40 instances that moves β by ≲ 1e-10, and the dual Newton
# certificate is at float64 level, so 1e-8 leaves two digits of room and still
# separates different α (their limits differ by ≥ 1e-3 here).
AGREEMENT = 1e-8


def relative_entropy_potential():
    return theory.potential_from_link(ALPHA ** 2 * sp.exp(NU), NU, BETA)


def separable(potential, alpha):
    """The numerics form of a theory potential: its conjugate ψ* = ∫₀^ν f, the link
    f and f′ at this α (App. A: β = f(Xᵀμ) at the dual optimum)."""
    s = sp.Dummy("s")
    conjugate = sp.integrate(potential.link.subs(potential.nu, s), (s, 0, potential.nu))
    functions = [sp.lambdify(potential.nu, expr.subs(ALPHA, alpha), "numpy")
                 for expr in (conjugate, potential.link, sp.diff(potential.link, potential.nu))]
    return SeparablePotential(*functions, name="relative entropy")


def potential_minimiser(X, y, alpha):
    """argmin of the derived potential s.t. Xβ = y, continued in α from α = 1.

    The generic dual Newton has no continuation of its own: from its ℓ2 start
    it stagnates at α = 1e-10 (β₀ = 1e-20 makes the first steps meaningless).
    Each rung starts from the previous rung's dual vector; the start only sets
    where Newton begins, the certificate judges the answer.
    """
    potential = relative_entropy_potential()
    mu = None
    for rung in [a for a in np.geomspace(1.0, 1e-10, 11) if a > alpha] + [alpha]:
        solution = min_potential_interpolant(X, y, separable(potential, rung), mu0=mu)
        if not solution.ok:
            return solution
        mu = solution.dual
    return solution


def nonnegative_instance(seed, n, d):
    """y = Xβ⋆ with β⋆ > 0 in every coordinate: y is inside the cone of X's
    columns, so the non-negative model interpolates with at least n coordinates
    of order one.  (With a β⋆ supported on fewer than n coordinates the limit
    keeps coordinates of size ~1e-50, whose decay makes the flow's time to
    reach it astronomically long: a degenerate instance, not a test of the theory.)"""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    return X, X @ (np.abs(rng.standard_normal(d)) + 0.1)


def test_theory_derives_the_relative_entropy_from_the_biased_link():
    potential = relative_entropy_potential()
    assert isinstance(potential, theory.ClosedFormPotential)
    assert potential.origin == ALPHA ** 2
    expected = BETA * sp.log(BETA / ALPHA ** 2) - BETA + ALPHA ** 2
    assert sp.simplify(potential.expr - expected) == 0
    # Q′ inverts the link, and Q vanishes to second order at the initialisation β₀ = α²
    assert sp.simplify(sp.diff(potential.expr, BETA) - sp.log(BETA / ALPHA ** 2)) == 0
    assert potential.series(4).expr.subs(BETA, ALPHA ** 2) == 0
    assert sp.simplify(potential.series(3).expr - (BETA - ALPHA ** 2) ** 2 / (2 * ALPHA ** 2)) == 0


def test_implicit_path_of_the_biased_link_matches_its_closed_form():
    closed = relative_entropy_potential()
    implicit = theory.potential_from_link(ALPHA ** 2 * sp.exp(NU), NU, BETA,
                                          try_closed_form=False)
    assert sp.simplify(implicit.series(6).expr - closed.series(6).expr) == 0
    for beta in (1e-3, 0.49, 2.5, 40.0):      # below, at and above β₀ = 0.49
        assert implicit.numpy(beta, alpha=0.7) == pytest.approx(
            closed.numpy(beta, alpha=0.7), rel=1e-13, abs=1e-15)


# 10 examples: each solves a flow and an α-continued dual (~2–5 s on a loaded machine)
@settings(max_examples=10)
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(3, 8), extra=st.integers(1, 20),
       alpha=st.sampled_from([1e-3, 0.1, 1.0]))
def test_squared_flow_reaches_the_minimiser_of_the_derived_potential(seed, n, extra, alpha):
    X, y = nonnegative_instance(seed, n, n + extra)
    flow = gradient_flow(X, y, alpha, parameterisation=squared(), method="LSODA")
    minimiser = potential_minimiser(X, y, alpha)
    assert flow.ok and minimiser.ok
    assert np.all(flow.value >= 0)    # α²e^b: positive, or underflowed to 0
    gap = np.max(np.abs(flow.value - minimiser.value)) / np.max(np.abs(minimiser.value))
    assert gap <= AGREEMENT
    assert flow.certificate.details["drift_error_estimate"] <= AGREEMENT


def test_the_conjugate_used_numerically_is_the_legendre_dual_of_the_derived_potential():
    potential = relative_entropy_potential()
    numeric = separable(potential, 0.3)
    z = np.linspace(-5, 5, 11)
    beta = numeric.link_fn(z)
    # Q(f(z)) = z·f(z) − ψ*(z): the numerics minimise the potential theory derived
    q = potential.numpy(beta, alpha=0.3)
    np.testing.assert_allclose(q, z * beta - numeric.conjugate(z), rtol=1e-12, atol=1e-14)


def test_tiny_alpha_is_resolved_in_log_coordinates():
    """At α = 1e-10 the initial β = 1e-20 is far below β's scale; the flow still
    reaches the potential's minimiser (the dual variable is ~log(β/α²) ≈ 46)."""
    X, y = nonnegative_instance(7, 6, 20)
    flow = gradient_flow(X, y, 1e-10, parameterisation=squared(), method="LSODA")
    minimiser = potential_minimiser(X, y, 1e-10)
    assert flow.ok and minimiser.ok
    assert np.max(np.abs(flow.value - minimiser.value)) <= AGREEMENT * np.max(minimiser.value)


def test_diagonal_network_parameterisation_is_the_default_model():
    X, y = nonnegative_instance(3, 5, 12)
    default = gradient_flow(X, y, 0.3, 3, method="LSODA")
    explicit = gradient_flow(X, y, 0.3, parameterisation=diagonal_network(3), method="LSODA")
    np.testing.assert_array_equal(default.value, explicit.value)


def test_squared_gradient_descent_follows_the_flow_to_first_order():
    X, y = nonnegative_instance(5, 5, 12)
    flow = gradient_flow(X, y, 0.3, parameterisation=squared()).value
    errors = []
    for lr in (0.02, 0.01):
        gd = gradient_descent(X, y, 0.3, lr=lr, steps=200_000, parameterisation=squared())
        assert gd.ok
        (w,) = gd.stats["factors"]
        np.testing.assert_allclose(w * w, gd.value, rtol=1e-14)
        errors.append(np.linalg.norm(gd.value - flow) / np.linalg.norm(flow))
    # O(η): halving the step halves the gap, up to the next order (see test_dynamics)
    assert 1.8 <= errors[0] / errors[1] <= 2.2


@pytest.mark.parametrize("build, match", [
    (lambda: Parameterisation("linear", (1,), (1,), ("w",)), "power 1"),
    (lambda: Parameterisation("signed", (2,), (2,), ("w",)), "signs"),
    (lambda: Parameterisation("ragged", (1, -1), (2,), ("w",)), "one entry per branch"),
    (lambda: Parameterisation("mixed", (1, -1), (2, 3), ("u", "v")).log_init_factor(
        0.1, "end_to_end"), "one power"),
])
def test_bad_parameterisations_raise_input_error(build, match):
    with pytest.raises(InputError, match=match):
        build()


def test_depth_and_parameterisation_together_are_refused():
    X, y = nonnegative_instance(1, 4, 8)
    with pytest.raises(InputError, match="both set the model"):
        gradient_flow(X, y, 0.1, 3, parameterisation=squared())
    with pytest.raises(InputError, match="not a numerics.Parameterisation"):
        gradient_descent(X, y, 0.1, lr=0.1, steps=10, parameterisation="squared")
    with pytest.raises(InputError, match="a tuple \\(w,\\)"):
        gradient_descent(X, y, 0.1, lr=0.1, steps=10, parameterisation=squared(),
                         init=(np.ones(8), np.ones(8)))

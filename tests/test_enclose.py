"""numerics.enclose: proven enclosures of interpolants and DLN limits.

The properties: on random small instances the proven ball around a float64
(or 30-digit) solution contains the 100-digit solution; a solution moved
away from the minimiser gets a radius at least as large as the move (the
enclosure is of the exact minimiser, not of the vector handed in); problems
without enclosable dual equations are reported not proved, with the reason.
"""

from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import (InputError, SeparablePotential, dln_limit, enclose, min_l1_interpolant,
                      min_lp_interpolant, min_potential_interpolant)


def _instance(seed, n, extra):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n + extra))
    return X, rng.standard_normal(n)


def _relative_distance(value, reference):
    with mpmath.workdps(110):
        gap = max(abs(mpmath.mpf(a) - mpmath.mpf(b)) for a, b in zip(value, reference))
        return gap / max(abs(mpmath.mpf(a)) for a in value)


PROBLEMS = st.one_of(
    st.tuples(st.just("lp"), st.sampled_from([1.2, 1.5, 1.8])),
    st.tuples(st.just("dln"), st.sampled_from([(2, "per_factor"), (3, "end_to_end"),
                                               (4, "per_factor"), (5, "end_to_end")])))


def _solve(problem, X, y, precision=None):
    kind, parameter = problem
    if kind == "lp":
        return min_lp_interpolant(X, y, parameter, precision=precision)
    depth, convention = parameter
    return dln_limit(X, y, 0.1, depth, convention=convention, precision=precision)


@given(seed=st.integers(0, 10**6), n=st.integers(2, 5), extra=st.integers(2, 7),
       problem=PROBLEMS)
@settings(max_examples=12)
def test_the_float64_enclosure_contains_the_100_digit_solution(seed, n, extra, problem):
    X, y = _instance(seed, n, extra)
    solution = _solve(problem, X, y)
    enclosure = enclose(X, y, solution)
    assert enclosure.proved, enclosure.reason
    assert enclosure.contraction < 1 and enclosure.precision == 80
    reference = _solve(problem, X, y, precision=100)
    assert reference.ok
    assert _relative_distance(solution.value, reference.value) <= enclosure.radius


@pytest.mark.parametrize("problem", [("lp", 1.3), ("dln", (3, "per_factor"))])
def test_a_30_digit_solution_gets_a_30_digit_enclosure(problem):
    # Regressions: p = 1.3 means 13/10 at precision=k (a binary 1.3 left a
    # 2e-16 radius), and negative mpmath entries keep their sign.
    X, y = _instance(3, 4, 5)
    solution = _solve(problem, X, y, precision=30)
    enclosure = enclose(X, y, solution)
    assert enclosure.proved, enclosure.reason
    # The solve's residual tolerance is 1e-25 (10^-(k-5)); a dual Hessian of
    # condition up to 1e5 amplifies it to at most 1e-20, far below float64's 1e-16.
    assert enclosure.radius < 1e-20
    reference = _solve(problem, X, y, precision=100)
    assert _relative_distance(solution.value, reference.value) <= enclosure.radius


@given(shift=st.floats(min_value=1e-9, max_value=1e-2), index=st.integers(0, 8))
@settings(max_examples=15)
def test_a_moved_value_is_not_certified_as_accurate(shift, index):
    X, y = _instance(1, 4, 5)
    solution = min_lp_interpolant(X, y, 1.5)
    value = solution.value.copy()
    value[index] += shift
    enclosure = enclose(X, y, dataclasses.replace(solution, value=value))
    assert enclosure.proved
    # The exact minimiser is within radius·‖value‖∞ of value, and within about
    # 1e-15 of the solver's vector: so radius·‖value‖∞ ≥ shift − 1e-12.
    assert enclosure.radius * np.max(np.abs(value)) >= shift - 1e-12


def test_unenclosable_problems_say_why():
    X, y = _instance(0, 3, 4)
    l1 = enclose(X, y, min_l1_interpolant(X, y))
    assert not l1.proved and "linear program" in l1.reason and l1.radius == float("inf")
    custom = SeparablePotential(lambda z: np.cosh(z), np.sinh, np.cosh)
    user = enclose(X, y, min_potential_interpolant(X, y, custom))
    assert not user.proved and "numpy functions" in user.reason
    unconverged = min_lp_interpolant(X, y, 1.1, max_iter=1)
    assert not unconverged.ok
    assert "did not converge" in enclose(X, y, unconverged).reason


def test_mismatched_data_is_an_input_error():
    X, y = _instance(0, 3, 4)
    solution = min_lp_interpolant(X, y, 1.5)
    with pytest.raises(InputError, match="does not fit X"):
        enclose(X[:2], y[:2], solution)


def test_a_branch_scale_below_the_float_range_is_enclosed():
    # A = α² = 1e-600 underflows float64: the enclosure's weights and links work in
    # logs (float) and in Arb, which has no exponent limit.
    X, y = _instance(2, 4, 6)
    enclosure = enclose(X, y, dln_limit(X, y, 1e-300, 2))
    assert enclosure.proved, enclosure.reason
    assert enclosure.radius < 1e-8


def test_a_dual_too_close_to_the_domain_boundary_says_so():
    # Depth 4 at end-to-end α = 1e-100: gaps 1 − |z| ~ 1e-50, far below float64's
    # resolution of z near ±1.
    X, y = _instance(5, 6, 14)
    solution = dln_limit(X, y, 1e-100, 4, convention="end_to_end")
    assert solution.ok
    enclosure = enclose(X, y, solution)
    assert not enclosure.proved and "precision=k" in enclosure.reason

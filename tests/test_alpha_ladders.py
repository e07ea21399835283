"""numerics.alpha_ladders.gap_ladder against theory's exact asymptotics of the example
A = [1, c] (Matt & Stöger; theory.depth_rates.example_error) and its limit constant e*."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from numerics.alpha_ladders import gap_ladder
from theory.depth_rates import example_error

X, Y = np.array([[1.0, 0.25]]), np.array([1.0])


@pytest.mark.parametrize("depth", [2, 3])
def test_the_gaps_follow_the_examples_asymptotics(depth):
    ks = [-20.0, -40.0]
    ladder = gap_ladder(X, Y, depth, ks)
    assert ladder.ok and min(ladder.data["resolved_digits"]) >= 6
    for k, log10_gap in zip(ks, ladder.data["log10_gaps"]):
        with mpmath.workdps(40):
            parts = example_error(depth).mpmath(alpha=mpmath.mpf(10) ** k, c=mpmath.mpf("0.25"))
            predicted = parts["leading"] * parts["ratio"]
            first_order = float(abs(parts["ratio"] - 1))
            difference = abs(mpmath.power(10, log10_gap) / predicted - 1)
        # the omitted terms are second order in |R − 1| (coefficients ≤ 10, as SM-3 states),
        # plus the float64 log₁₀ of the gap (1e-15 relative) and its six certified digits
        assert difference <= 10 * first_order ** 2 + 1e-6


def test_the_gap_over_alpha_tends_to_e_star_at_depth_three():
    ladder = gap_ladder(X, Y, 3, [-30.0])
    # remainder O(α^{1/3}) = 1e-10 relative at α = 1e-30, and six certified digits
    assert ladder.ok and ladder.data["e_star_l1"] == pytest.approx(
        10.0 ** (ladder.data["log10_gaps"][0] + 30), rel=1e-6)

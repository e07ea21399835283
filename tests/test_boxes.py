"""numerics.boxes.prove: branch and bound in ball arithmetic never proves a false statement.

The properties: a true inequality with slack is proved; the same inequality
shifted to be false somewhere is never reported proved (a counterexample, when
given, really violates it in exact arithmetic); a true inequality that touches
equality at an interior point is reported undecided, with the sub-boxes left.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from flint import arb, arb_series
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import BoxProof, prove
from numerics.boxes import (arb_context, at_most, below, remainder_proof,
                            taylor_coefficients)


def _parabola(shift):
    """x(1 − x) ≤ 1/4 + shift on [0, 1]: true iff shift ≥ 0, tight at x = 1/2."""
    return lambda box: at_most(box["x"] * (1 - box["x"]), arb(1) / 4 + shift)


@given(shift=st.floats(min_value=-0.2, max_value=0.2, allow_nan=False).filter(lambda s: s != 0))
@settings(max_examples=40)
def test_a_shifted_bound_is_proved_exactly_when_true(shift):
    result = prove(_parabola(shift), {"x": (0, 1)}, budget=2000)
    if shift < 0:
        assert result.status != "proved"
        if result.status == "counterexample":
            x = Fraction(result.counterexample["x"])
            assert x * (1 - x) > Fraction(1, 4) + Fraction(shift)
    elif shift > 1e-3:
        # x(1 − x) on a box of width h overestimates by ≤ h: 2000 boxes reach h ≪ shift.
        assert result.status == "proved", result


def test_equality_at_an_interior_point_is_undecided():
    result = prove(_parabola(0.0), {"x": (0, 1)}, budget=200)
    assert result.status == "undecided"
    assert result.counterexample is None
    sides = [r["x"] for r in result.remaining]
    assert all(0 <= lo <= hi <= 1 for lo, hi in sides)
    assert any(lo <= 0.5 <= hi for lo, hi in sides)      # the touching point is never decided
    assert result.boxes == 200


@given(top=st.floats(min_value=1.41422, max_value=1.5))
@settings(max_examples=25)
def test_a_false_inequality_near_the_edge_is_never_proved(top):
    # x² < 2 fails only on [√2, top], as thin as 7e-6.
    result = prove(lambda b: below(b["x"] ** 2, 2), {"x": (1, top)}, budget=300)
    assert result.status != "proved"
    if result.status == "counterexample":
        assert Fraction(result.counterexample["x"]) ** 2 >= 2


def test_two_dimensional_box_as_tuple():
    # AM–GM with slack: xy ≤ (x + y)²/4 + 1/20 on [0, 1]² (naive ball evaluation
    # overestimates the gap by about the box width, so the slack sets the depth).
    result = prove(lambda b: at_most(b[0] * b[1], (b[0] + b[1]) ** 2 / 4 + arb(1) / 20),
                   ((0, 1), (0, 1)), budget=4000)
    assert isinstance(result, BoxProof) and result.proved
    assert "proved on" in str(result)


def test_an_inverted_side_is_rejected():
    with pytest.raises(ValueError, match="lo ≤ hi"):
        prove(lambda b: True, {"x": (1, 0)})


def test_a_predicate_returning_truthy_non_bool_is_not_a_proof():
    # Only the literal True counts: a ball (truthy object) is not a verdict.
    result = prove(lambda b: b["x"], {"x": (1, 2)}, budget=8)
    assert result.status == "undecided"


def _exp_coefficients(x, count):
    """exp's Taylor coefficients at the ball x: e^x/j!."""
    return taylor_coefficients(arb_series([x, 1]).exp(), count)


@given(x=st.floats(min_value=0.0, max_value=0.5), wrong=st.sampled_from([0, 1, -3]))
@settings(max_examples=20)
def test_a_remainder_proof_bounds_the_true_error_even_of_a_wrong_polynomial(x, wrong):
    # S = 1 + x + x²/2 (+ wrong/1000·x: a misprinted coefficient) against eˣ on [0, 1/2]
    polynomial = [1, 1 + Fraction(wrong, 1000), Fraction(1, 2)]
    proof = remainder_proof(polynomial, _exp_coefficients, 3, 0.5)
    assert proof.result.proved and proof.order == 3
    import mpmath
    with mpmath.workdps(40):
        # e^x − S(x) through expm1 with S's exact coefficients: e^x − 1 at 40 digits would
        # cancel to rounding for tiny x (x = 1.2e-38 left 2 digits and a false failure)
        exact = [mpmath.mpf(Fraction(c).numerator) / Fraction(c).denominator for c in polynomial]
        error = abs(mpmath.expm1(x) - sum(c * mpmath.mpf(x) ** j
                                          for j, c in enumerate(exact) if j > 0))
    assert error <= proof.bound(x)
    assert proof.bound(x) <= error + 2 * x ** 3 * 0.28 + abs(wrong) / 1000 * x + 1e-30
    assert "Lagrange remainder" in proof.describe("eˣ − S(x)", "x", "0 ≤ x ≤ 0.5")


def test_a_polynomial_of_too_high_degree_is_rejected():
    with pytest.raises(ValueError, match="raise the order"):
        remainder_proof([1, 1, 1], _exp_coefficients, 2, 0.5)


def test_taylor_coefficients_beyond_the_series_length_are_an_error_not_zeros():
    with arb_context(64, series_length=4):
        series = arb_series([arb(0), 1]).exp()
        assert len(taylor_coefficients(series, 4)) == 4
        with pytest.raises(ValueError, match="ctx.cap"):
            taylor_coefficients(series, 5)


# --- the Woodworth et al. proofs (verify/claims/woodworth/proofs.py) ---------------------

from numerics.potential_balls import log_half_one_plus_root  # noqa: E402
from verify.claims.woodworth import proofs as woodworth  # noqa: E402  (after the generic tests)


@pytest.mark.parametrize("claim", sorted(woodworth.CLAIM_PROOFS))
def test_every_stated_lemma_and_threshold_is_proved_on_its_box(claim):
    for statement, box, run in woodworth.CLAIM_PROOFS[claim]:
        result = run()
        if "Attempted" in statement:      # too tight for bisection: honestly undecided
            assert result.status == "undecided" and result.remaining, (statement, str(result))
        else:
            assert result.proved, (statement, str(result))


def test_bound_hooks_report_json_ready_proofs():
    import json
    hooks = woodworth.bound_proofs("KR-8")
    assert len(hooks) == len(woodworth.CLAIM_PROOFS["KR-8"])
    for statement, hook in hooks.items():
        measured = hook()
        assert measured["status"] == ("undecided" if "Attempted" in statement else "proved")
        assert measured["box"] in dict(
            (s, b) for s, b, _ in woodworth.CLAIM_PROOFS["KR-8"]).values()
        json.dumps(measured)
    assert woodworth.bound_proofs("KR-1") == {}


@given(sharpening=st.floats(min_value=2.0, max_value=1e4))
@settings(max_examples=10)
def test_lemma3_with_a_sharper_constant_is_never_proved(sharpening):
    # 4q(z)/z² ≈ 1 − z²/48 and z² reaches ~ε: the bound 1 − ε/k fails for k > 48
    # somewhere, and is never *proved* for any k > 1 that makes it false.
    def sharper(box):
        eps = box["ε"]
        z = box["s"] / (1 + eps ** arb(-0.25)) ** 2
        return at_most(1 - eps / sharpening, woodworth._q_over_square(z))

    result = prove(sharper, {"ε": ("0.001", 1), "s": (0, 1)}, budget=400, precision=128)
    if result.status == "counterexample":
        import mpmath
        with mpmath.workdps(60):
            eps, s = (mpmath.mpf(result.counterexample[k]) for k in ("ε", "s"))
            z = s / (1 + eps ** -0.25) ** 2
            q = 2 - mpmath.sqrt(4 + z * z) + z * mpmath.asinh(z / 2)
            assert 4 * q / z ** 2 < 1 - eps / sharpening
    if sharpening > 48:
        assert result.status != "proved"


def test_eq46_with_a_smaller_upper_coefficient_is_not_proved():
    # x·q(1/x) ≤ 1.5x − 1 + ln(1/x) is false for small x (the gap is −x/2 + O(x²)).
    def weaker(box):
        x = (-box["s"]).exp()
        root, tail = (1 + 4 * x * x).sqrt(), log_half_one_plus_root(x)
        return below(0, -x / 2 - 1 + root - tail)

    result = prove(weaker, {"s": (-7, 40)}, budget=500, precision=128)
    assert result.status == "counterexample"


# --- numerics.potential_balls: q and q_D in ball arithmetic ------------------------------

@given(x=st.floats(min_value=0.0, max_value=5.0))
@settings(max_examples=15)
def test_q_taylor_coefficients_at_a_point_enclose_mpmath_ones(x):
    import mpmath
    from numerics.potential_balls import q_coefficients
    with arb_context(128):
        coefficients = q_coefficients(arb(x), 14)      # beyond Arb's default series length
    with mpmath.workdps(40):
        derivative = mpmath.taylor(lambda z: mpmath.asinh(z / 2), x, 12)   # q' = arcsinh(z/2)
    for j in range(1, 13):      # 40-digit mpmath against a ball ≲ 1e-30 wide
        assert abs(mpmath.mpf(coefficients[j].mid().str(35, radius=False)) - derivative[j - 1] / j) \
            <= float(coefficients[j].rad()) + 1e-30


@pytest.mark.parametrize("depth", [3, 5])
def test_q_D_coefficients_follow_numerics_inverse_link(depth):
    import mpmath
    from numerics.potential_balls import q_D_coefficients
    from numerics.potential_quadrature import inverse_link_and_q_D
    with arb_context(128):
        slope = q_D_coefficients(depth, arb("0.3"), 3)[1]      # q_D' = h_D⁻¹
    with mpmath.workdps(40):
        inverse = inverse_link_and_q_D(depth, mpmath.mpf("0.3"))[0]
    # the enclosure holds the root; its width is the float64 bisection's resolution
    assert abs(mpmath.mpf(slope.mid().str(30, radius=False)) - inverse) <= float(slope.rad()) + 1e-30
    assert float(slope.rad()) < 1e-15


@pytest.mark.parametrize("x", [2.225073858507203e-309, 5e-324, 1.175494351e-38, 0.0])
def test_a_remainder_bound_at_subnormal_x_is_still_above_the_error(x):
    # the float conversion of the bound must round up in the subnormal range too
    proof = remainder_proof([1, Fraction(1001, 1000), Fraction(1, 2)], _exp_coefficients, 3, 0.5)
    assert proof.bound(x) >= Fraction(1, 1000) * Fraction(x)

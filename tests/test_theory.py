"""theory.potentials against the paper (Woodworth et al. 2020) and against mpmath.

Symbolic identities are checked with sympy; expansions and bounds against
high-precision numerics that do not reuse the code under test (quadrature,
findroot, mpmath.taylor).  Claim ids refer to docs/claims.md.
"""

import mpmath
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import theory
from theory import SYMBOLS as S

z, t, nu, beta, alpha, eps, d = S.z, S.t, S.nu, S.beta, S.alpha, S.epsilon, S.d
N1, N2 = S.l1_norm, S.l2_norm

# q as printed in Thm 1, eq. (5) — typed here only to compare with the derivation
Q_PAPER = 2 - sp.sqrt(4 + z ** 2) + z * sp.asinh(z / 2)


def mp_q(value):
    """q by mpmath quadrature of arcsinh(u/2), independent of the code under test."""
    return mpmath.quad(lambda u: mpmath.asinh(u / 2), [0, value])


# ----------------------------------------------------------------------------- KR-1
def test_q_is_derived_not_typed():
    pot = theory.q_potential()
    assert isinstance(pot, theory.ClosedFormPotential)
    assert pot.link == 2 * sp.sinh(nu)
    assert pot.inverse == sp.asinh(z / 2)          # found by invert_real
    assert "invert_real" in pot.derivation and "integrate" in pot.derivation


def test_derived_q_equals_the_papers_closed_form():
    q = theory.q_prediction()
    assert sp.simplify(q.expr - Q_PAPER) == 0
    assert q.source == "Woodworth et al. 2020, Thm 1, eq. (5)" and q.fidelity == "paper"
    # the comparison has teeth: a different link gives a different potential
    other = theory.potential_from_link(2 * sp.sinh(2 * nu), nu, z).expr
    assert sp.simplify(other - Q_PAPER) != 0


def test_q_prime_is_arcsinh_and_q_vanishes_at_zero():
    q = theory.q_prediction().expr
    assert sp.simplify(sp.diff(q, z) - sp.asinh(z / 2)) == 0
    assert q.subs(z, 0) == 0
    assert sp.simplify(theory.q_stable_prediction().expr - q) == 0


@pytest.mark.parametrize("value", ["1e-8", "0.3", "-2.5", "17", "1e8", "-1e8"])
def test_q_matches_quadrature_at_50_digits(value):
    with mpmath.workdps(50):
        ref = mp_q(mpmath.mpf(value))
        # the stable form is exact to working precision even where 2 − √(4+z²) cancels
        got = theory.q_stable_prediction().mpmath(value)
        assert abs(got - ref) <= mpmath.mpf(10) ** -45 * abs(ref)


# ----------------------------------------------------------------------------- KR-2
def test_q_series_coefficients_against_mpmath_taylor():
    series = theory.q_series(12)
    assert series.expr.coeff(z, 2) == sp.Rational(1, 4)          # the paper's z²/4
    assert series.expr.coeff(z, 4) == sp.Rational(-1, 192)
    with mpmath.workdps(40):
        q = theory.q_stable_prediction()
        numeric = mpmath.taylor(lambda v: q.mpmath(v), 0, 11)
        for j in range(12):
            exact = series.expr.coeff(z, j)
            assert abs(numeric[j] - mpmath.mpf(sp.Rational(exact).p) / sp.Rational(exact).q) < 1e-25


def test_q_series_remainder_is_the_next_term_at_small_z():
    # q − (series through z⁸) ≈ c₁₀ z¹⁰ with c₁₀ from a longer series; checked at 60 digits
    short, long = theory.q_series(10), theory.q_series(14)
    c10 = long.expr.coeff(z, 10)
    with mpmath.workdps(60):
        for zz in ("1e-3", "1e-2"):
            v = mpmath.mpf(zz)
            rest = mp_q(v) - short.mpmath(v)
            assert abs(rest / (mpmath.mpf(c10.p) / c10.q * v ** 10) - 1) < 1e-3


def test_q_asymptotic_expansion_and_its_error_rate():
    asym = theory.q_asymptotic(6)
    zp = sp.Symbol("zp", positive=True)
    lead = sp.expand(asym.expr.subs(z, zp))
    assert sp.limit(lead / (zp * sp.log(zp)), zp, sp.oo) == 1        # the paper's Θ(z log z)
    assert sp.limit(lead - zp * sp.log(zp) + zp, zp, sp.oo) == 2      # next terms: −z + 2
    # rest after the kept terms is O(z^{-7}): it shrinks by ~10⁷ per decade
    with mpmath.workdps(60):
        e1 = mp_q(mpmath.mpf(100)) - asym.mpmath(100)
        e2 = mp_q(mpmath.mpf(1000)) - asym.mpmath(1000)
        assert 0.5e7 < abs(e1 / e2) < 2e7
    # and the expansion is even: q(−z) = q(z)
    assert sp.simplify(Q_PAPER.subs(z, -z) - Q_PAPER) == 0


# ----------------------------------------------------------------------------- KR-3
def test_recipe_on_the_scaled_link_gives_alpha_squared_q():
    pot = theory.hypentropy_potential()
    target = alpha ** 2 * Q_PAPER.subs(z, beta / alpha ** 2)
    assert sp.simplify(pot.expr - target) == 0
    assert sp.simplify(sp.diff(pot.expr, beta) - sp.asinh(beta / (2 * alpha ** 2))) == 0   # eq. (19)


def test_implicit_path_reproduces_the_closed_form():
    link = 2 * alpha ** 2 * sp.sinh(nu)
    imp = theory.potential_from_link(link, nu, beta, try_closed_form=False)
    closed = theory.hypentropy_potential()
    assert isinstance(imp, theory.ImplicitPotential)
    assert sp.simplify(imp.series(9).expr - closed.series(9).expr) == 0
    assert imp.asymptotic().expr == beta * sp.log(beta)             # leading term, z log z
    with mpmath.workdps(40):
        for b in ("1e-20", "-3", "250", "1e40"):
            a = imp.mpmath(b, alpha="0.3")
            # reference: the closed form (quadrature is only absolutely accurate at 1e-20)
            ref = mpmath.mpf("0.09") * theory.q_stable_prediction().mpmath(
                mpmath.mpf(b) / mpmath.mpf("0.09"))
            assert abs(a - ref) <= mpmath.mpf(10) ** -35 * abs(ref)


def test_recipe_solves_a_quadratic_link_and_picks_the_branch_through_zero():
    pot = theory.potential_from_link(nu / (1 - nu ** 2), nu, beta)
    assert isinstance(pot, theory.ClosedFormPotential)
    assert (pot.lower, pot.upper) == (-1, 1)
    for v in (sp.Rational(-9, 10), sp.Rational(1, 3)):
        assert sp.N(pot.inverse.subs(beta, v / (1 - v ** 2)) - v, 30) == 0


def test_recipe_rejects_biased_or_decreasing_links():
    with pytest.raises(ValueError, match="f\\(0\\) = 0"):
        theory.potential_from_link(sp.cosh(nu), nu, beta)
    with pytest.raises(ValueError, match="must increase"):
        theory.potential_from_link(-sp.sinh(nu), nu, beta)


def test_legendre_form_is_consistent():
    for pot in (theory.hypentropy_potential(), theory.deep_potential(3)):
        b, Q = pot.legendre()
        # dQ/dν = ν·f'(ν), i.e. dQ/dβ = ν = f⁻¹(β)
        assert sp.simplify(sp.diff(Q, pot.nu) - pot.nu * sp.diff(b, pot.nu)) == 0


# ----------------------------------------------------------------------------- KR-4
def test_h_D_small_argument_is_eq_107():
    series = theory.h_D_series()
    D = S.D
    assert sp.simplify(series.expr.coeff(z, 1) - 2 * D / (D - 2)) == 0
    assert series.expr.coeff(z, 2) == 0                            # odd function
    for Dv in (3, 4, 7):
        exact = sp.series(theory.h_D(Dv), z, 0, 8).removeO()
        assert sp.expand(series.subs(D=Dv).expr - exact) == 0


def test_h_D_endpoint_expansion_against_mpmath():
    for Dv in (3, 5):
        pred = theory.h_D_endpoint_series(Dv, 4)
        h = sp.lambdify(z, theory.h_D(Dv), "mpmath")
        with mpmath.workdps(50):
            for uu in ("1e-3", "1e-2"):
                u = mpmath.mpf(uu)
                rest = h(1 - u) - pred.mpmath(u)
                assert abs(rest) < 10 * u ** 4                      # O(u⁴), next coefficient < 1


def _compose(outer, inner, var, n):
    """Σ outerⱼ·inner(var)ʲ through varⁿ⁻¹ (inner has no constant term), coefficients cancelled."""
    inner_c = [sp.Integer(0)] + [inner.coeff(var, j) for j in range(1, n)]
    power = [sp.Integer(1)] + [sp.Integer(0)] * (n - 1)
    out = [sp.Integer(0)] * n
    for j in range(1, n):
        power = [sp.cancel(sum(power[i] * inner_c[m - i] for i in range(m + 1))) for m in range(n)]
        cj = outer.coeff(var, j)
        out = [sp.cancel(out[m] + cj * power[m]) for m in range(n)]
    return out


@pytest.mark.parametrize("D", [3, 4, 6, S.D])
def test_h_D_of_its_reverted_inverse_is_the_identity(D):
    n = 8
    inv = theory.h_D_inverse_series(D, n).expr
    outer = theory.h_D_series(D, n + 2).expr.subs(z, t)
    coeffs = _compose(outer, inv, t, n + 2)
    for j in range(n):
        assert sp.simplify(coeffs[j] - (1 if j == 1 else 0)) == 0, j
    # the truncation is real: h_D(inverse) ≠ t at order tⁿ⁺¹ (tⁿ vanishes by oddness)
    assert sp.simplify(coeffs[n + 1]) != 0


def test_h_D_inverse_series_against_findroot():
    pred = theory.h_D_inverse_series(3, 10)
    h = sp.lambdify(z, theory.h_D(3), "mpmath")
    with mpmath.workdps(50):
        for tt in ("1e-3", "0.05"):
            tv = mpmath.mpf(tt)
            root = mpmath.findroot(lambda v: h(v) - tv, tv / 6)
            assert abs(root - pred.mpmath(tv)) < 10 * tv ** 10


def test_q_D_is_implicit_and_its_evaluator_matches_quadrature():
    pot = theory.deep_potential(3)
    assert isinstance(pot, theory.ImplicitPotential)
    assert "no closed-form solution" in pot.derivation
    h = sp.lambdify(z, theory.h_D(3), "mpmath")

    def inv(s):                                   # plain bisection on (0, 1): independent
        lo, hi = mpmath.mpf(0), mpmath.mpf(1)
        for _ in range(mpmath.mp.prec + 10):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if h(mid) < s else (lo, mid)
        return (lo + hi) / 2

    with mpmath.workdps(30):
        ref = mpmath.quad(inv, [0, 2])
        assert abs(pot.mpmath(2) - ref) < mpmath.mpf(10) ** -25
        assert abs(pot.mpmath(-2) - ref) < mpmath.mpf(10) ** -25     # q_D is even


@pytest.mark.parametrize("D", [3, 4, 5])
def test_q_D_series_against_the_exact_potential(D):
    pot = theory.deep_potential(D)
    short = theory.q_D_series(D, 8)
    nxt = theory.q_D_series(D, 10).expr.coeff(t, 8)
    assert short.expr.coeff(t, 2) == sp.Rational(D - 2, 4 * D)
    with mpmath.workdps(50):
        for tt in ("1e-3", "1e-2"):
            tv = mpmath.mpf(tt)
            rest = pot.mpmath(tv) - short.mpmath(tv)
            assert abs(rest / (mpmath.mpf(sp.Rational(nxt).p) / sp.Rational(nxt).q * tv ** 8) - 1) < 0.05


@pytest.mark.parametrize("D", [3, 4, 5, 6])
def test_q_D_asymptotics_against_the_exact_potential(D):
    pot = theory.deep_potential(D)
    asym = theory.q_D_asymptotic(D, 6)
    with mpmath.workdps(50):
        errs = [abs(pot.mpmath(tv) - asym.mpmath(tv)) for tv in (mpmath.mpf(10) ** 6,
                                                                 mpmath.mpf(10) ** 12)]
    # the rest is O(t^{−6/D}): six decades of t shrink it by ≥ 10^{36/D}/10
    assert errs[1] < errs[0] * 10 ** (-36 / D + 1)


@pytest.mark.parametrize("D", [3, 4, 5, 6, 7])
def test_general_D_asymptotics_agree_with_each_depth(D):
    general = theory.q_D_asymptotic_general().subs(D=D).expr
    tp = sp.Symbol("tp", positive=True)
    full = theory.q_D_asymptotic(D, 3).expr.subs(t, tp)
    diff = sp.expand(general.subs(t, tp) - full)
    assert sp.limit(diff, tp, sp.oo) == 0                           # same t, t^{2/D} and constant
    # and the recipe's generic dominant balance finds the first two terms
    lead = theory.deep_potential(D).asymptotic().expr
    assert sp.expand(lead - (t - sp.Rational(D, 2) * t ** sp.Rational(2, D))) == 0


def test_h_D_inverse_at_infinity_against_findroot():
    pred = theory.h_D_inverse_asymptotic(4, 6)
    h = sp.lambdify(z, theory.h_D(4), "mpmath")
    with mpmath.workdps(50):
        tv = mpmath.mpf(10) ** 8
        root = 1 - mpmath.findroot(lambda u: h(1 - u) - tv, mpmath.mpf(10) ** -4)
        assert abs(root - pred.mpmath(tv)) < 10 * tv ** -2           # order O(t^{-2})
        assert abs(root - pred.mpmath(tv)) > tv ** -3                # … and not better


# ----------------------------------------------------------------------------- KR-5
@pytest.mark.parametrize("D", [2, 3, 4])
def test_normalised_potentials_tend_to_l1_and_l2(D):
    """normalizer·q_D(b/α^D) → |b| (α → 0) and → b² (α → ∞), at the predicted rates:
    D = 2: gap·ln(1/α²) → |b|(1 − ln|b|) (eq. 27);  D ≥ 3: gap/α^{D−2} → (D/2)|b|^{2/D};
    ℓ2 side: gap·α^{2D} → |c₄/c₂|·b⁴ with q_D = c₂t² + c₄t⁴ + …"""
    q = theory.q_stable_prediction().mpmath if D == 2 else theory.deep_potential(D).mpmath
    l1, l2 = theory.l1_limit(D), theory.l2_limit(D)
    b = mpmath.mpf("-0.7")
    with mpmath.workdps(60):
        a = mpmath.mpf("1e-300") if D == 2 else mpmath.mpf("1e-8")
        gap = l1.part("normalizer").mpmath(alpha=a, beta=b) * q(b / a ** D) - \
            l1.part("limit").mpmath(alpha=a, beta=b)
        if D == 2:
            rate, limit = -gap * mpmath.log(1 / a ** 2), abs(b) * (1 - mpmath.log(abs(b)))
        else:
            rate, limit = -gap / a ** (D - 2), mpmath.mpf(D) / 2 * abs(b) ** (mpmath.mpf(2) / D)
        assert abs(rate / limit - 1) < 1e-2
        series = theory.q_D_series(D, 6).expr if D != 2 else theory.q_series(6).expr.subs(z, t)
        c2, c4 = series.coeff(t, 2), series.coeff(t, 4)
        a = mpmath.mpf(1000)
        gap = l2.part("normalizer").mpmath(alpha=a, beta=b) * q(b / a ** D) - b ** 2
        rate = -gap * a ** (2 * D)
        assert abs(rate / (abs(float(c4 / c2)) * b ** 4) - 1) < 1e-3


# ----------------------------------------------------------------------------- KR-6
def test_theorem2_thresholds_reproduce_the_statement():
    l1 = theory.theorem2_l1_threshold()
    l2 = theory.theorem2_l2_threshold()
    stated_l1 = sp.Min((2 * (1 + eps) * N1) ** (-(2 + eps) / (2 * eps)), sp.exp(-d / (eps * N1)))
    stated_l2 = sp.sqrt(2 * (1 + eps) * (1 + 2 / eps) * N2)
    assert l1.expr["alpha_max"] == stated_l1
    assert sp.simplify(l2.expr["alpha_min"] - stated_l2) == 0
    assert l1.fidelity == l2.fidelity == "paper" and "Thm 2" in l1.source
    with mpmath.workdps(30):
        for args in ((0.5, 10, 1.0), (0.01, 100, 0.2)):
            out = l1.mpmath(*args)
            assert abs(mpmath.log(out["alpha_max"]) - out["log_alpha_max"]) < 1e-20
    proof = theory.theorem2_thresholds_from_proof()
    ep = eps / (2 + eps)
    lemma1 = theory.lemma1_threshold().expr
    assert proof.expr["l1_alpha_max"] == lemma1.subs({eps: ep, N1: (1 + 2 * eps) * N1},
                                                     simultaneous=True)


@given(e=st.floats(0.01, 0.99), n1=st.floats(0.05, 20), dim=st.integers(1, 500))
def test_theorem2_l1_statement_meets_the_rederived_conditions(e, n1, dim):
    """The statement's threshold satisfies every condition of the re-derived proof,
    though it is not the α₁(ε/(2+ε), (1+2ε)‖β*‖₁, d) that the printed proof names."""
    stated = theory.theorem2_l1_threshold()
    conds = theory.theorem2_l1_sufficient_conditions()
    with mpmath.workdps(30):
        a = stated.mpmath(e, dim, n1)["alpha_max"]
        c = conds.mpmath(e, dim, n1)
        assert a < 1
        for key in ("sqrt_norm", "upper_half", "tail"):
            assert a <= c[key] * (1 + mpmath.mpf(10) ** -25), key


def test_theorem2_l1_statement_is_looser_than_the_proofs_lemma1_call():
    """Recorded ambiguity: Thm 2 prints (2(1+ε)‖β*‖₁)^{−(2+ε)/(2ε)}, while the proof
    invokes α₁(ε/(2+ε), (1+2ε)‖β*‖₁, d), whose power term has 2(1+2ε).  Where that
    term binds, the stated threshold is larger than the one the proof covers."""
    with mpmath.workdps(30):
        stated = theory.theorem2_l1_threshold().mpmath(0.5, 1, 10)["alpha_max"]
        proof = theory.theorem2_thresholds_from_proof().mpmath(0.5, 1, 10, 1)["l1_alpha_max"]
        assert abs(stated - mpmath.mpf(30) ** -2.5) < 1e-25        # (2·1.5·10)^(−2.5)
        assert abs(proof - mpmath.mpf(40) ** -2.5) < 1e-25         # (2·2·10)^(−2.5)
        assert stated > 2 * proof
        # … yet it meets the conditions of the re-derived argument
        assert stated <= theory.theorem2_l1_sufficient_conditions().mpmath(0.5, 1, 10)["alpha_max"]


def _interpolant_depth2(x, y, a):
    """β̂_α for one measurement x·β = y: β = 2α² sinh(xᵢν), ν by bisection (mpmath)."""
    def g(v):
        return sum(xi * 2 * a ** 2 * mpmath.sinh(xi * v) for xi in x) - y
    lo, hi = mpmath.mpf(0), mpmath.mpf(1)
    while g(hi) < 0:
        lo, hi = hi, 2 * hi
    for _ in range(mpmath.mp.prec + 20):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if g(mid) < 0 else (lo, mid)
    return [2 * a ** 2 * mpmath.sinh(xi * (lo + hi) / 2) for xi in x]


xs = st.lists(st.floats(0.2, 3.0), min_size=2, max_size=4, unique=True)


@given(x=xs, y=st.floats(0.1, 5.0), e=st.floats(0.05, 0.9))
def test_theorem2_holds_at_its_thresholds_on_one_measurement(x, y, e):
    assume(min(abs(a - b) for i, a in enumerate(x) for b in x[i + 1:]) > 1e-3)
    with mpmath.workdps(50):
        x = [mpmath.mpf(v) for v in x]
        y = mpmath.mpf(y)
        n1 = y / max(x)                                  # min-ℓ1: all mass on the largest |xᵢ|
        l2sq = y ** 2 / sum(v ** 2 for v in x)           # min-ℓ2: β = x·y/‖x‖²
        a1 = theory.theorem2_l1_threshold().mpmath(e, len(x), n1)["alpha_max"]
        beta1 = _interpolant_depth2(x, y, a1)
        assert sum(abs(b) for b in beta1) <= (1 + e) * n1
        for a2 in (theory.theorem2_l2_threshold().mpmath(e, mpmath.sqrt(l2sq))["alpha_min"],
                   theory.theorem2_l2_sharper_threshold().mpmath(e, mpmath.sqrt(l2sq))):
            beta2 = _interpolant_depth2(x, y, a2)
            assert sum(b ** 2 for b in beta2) <= (1 + e) * l2sq


def test_sharper_l2_threshold_ingredients():
    yv = sp.Symbol("y", nonnegative=True)
    assert sp.factor(sp.expand((sp.Rational(1, 2) - yv / 16) ** 2 * (4 + yv) - 1)) == \
        yv ** 2 * (yv - 12) / 256
    sharper = theory.theorem2_l2_sharper_threshold()
    stated = theory.theorem2_l2_threshold().part("alpha_min")
    with mpmath.workdps(30):
        for e in ("0.001", "0.1", "1", "5", "50"):
            assert sharper.mpmath(e, 1) < stated.mpmath(e, 1)


@given(zz=st.floats(-50, 50))
def test_quartic_bounds_on_q(zz):
    # the margin of the lower bound is ≈ z⁶/2560 on top of z²/4: resolve it
    digits = 50 if abs(zz) > 1e-3 or zz == 0 else int(-4 * mpmath.log10(abs(zz))) + 40
    with mpmath.workdps(digits):
        v = mpmath.mpf(zz)
        q = theory.q_stable_prediction().mpmath(v)
        assert q <= v ** 2 / 4
        assert q >= v ** 2 / 4 - v ** 4 / 192


# ----------------------------------------------------------------------------- KR-7
DIM = 3
betas = st.lists(st.floats(-5, 5), min_size=DIM, max_size=DIM).filter(
    lambda b: 0.05 < sum(map(abs, b)) < 15)


@given(b=betas, e=st.floats(0.01, 0.99), shrink=st.floats(1e-6, 1.0))
def test_lemma1_holds_below_its_threshold(b, e, shrink):
    lemma = theory.lemma1_bounds(DIM)
    with mpmath.workdps(50):
        a1 = lemma.part("alpha_max").mpmath(*b, 0.5, e)
        a = a1 * shrink
        assume(a < 1)
        out = lemma.mpmath(*b, a, e)
        assert out["holds"], (out["lower"], out["scaled"], out["upper"])


@given(b=betas, e=st.floats(0.01, 0.99), grow=st.floats(0.0, 10.0))
def test_lemma3_holds_above_its_threshold(b, e, grow):
    lemma = theory.lemma3_bounds(DIM)
    with mpmath.workdps(50):
        a = lemma.part("alpha_min").mpmath(*b, 1, e) * (1 + grow)
        out = lemma.mpmath(*b, a, e)
        assert out["holds"], (out["lower"], out["scaled"], out["upper"])


def test_lemma_bounds_can_fail_outside_their_range():
    with mpmath.workdps(30):
        assert not theory.lemma1_bounds(DIM).mpmath(1, 0, 0, "0.5", "0.01")["holds"]
        assert not theory.lemma3_bounds(DIM).mpmath(1, 0, 0, "0.5", "0.01")["holds"]


def test_lemma_thresholds_match_the_bounds_objects():
    with mpmath.workdps(30):
        assert theory.lemma1_threshold().mpmath(0.3, 2.5, 3) == \
            theory.lemma1_bounds(3).part("alpha_max").mpmath(1, -1, 0.5, 0.5, 0.3)
        assert abs(theory.lemma3_threshold().mpmath(0.3, mpmath.sqrt(5)) -
                   theory.lemma3_bounds(2).part("alpha_min").mpmath(1, 2, 1, 0.3)) < 1e-25


# ----------------------------------------------------------------------------- KR-8
def test_eq45_needs_one_quarter_not_one_half():
    c_a2 = sp.Symbol("x", positive=True)                 # x = cα²
    lhs = sp.log(1 / (2 * c_a2) + sp.sqrt(1 + 1 / (4 * c_a2 ** 2)))
    corrected = sp.log(1 / c_a2) + sp.log(sp.Rational(1, 2) + sp.sqrt(c_a2 ** 2 + sp.Rational(1, 4)))
    printed = sp.log(1 / c_a2) + sp.log(sp.Rational(1, 2) + sp.sqrt(c_a2 ** 2 + sp.Rational(1, 2)))
    val = {c_a2: sp.Rational(3, 7)}
    assert abs(sp.N((lhs - corrected).subs(val), 40)) < 1e-35
    assert abs(sp.N((lhs - printed).subs(val), 40)) > 1e-3


@given(lx=st.floats(-12, 12))
def test_eq46_bounds(lx):
    with mpmath.workdps(50):
        out = theory.lemma2_q_bounds().mpmath(mpmath.mpf(10) ** lx)
        assert out["holds"]


def test_eq49_to_51_algebra():
    s, L, dd = sp.symbols("s L dd", positive=True)       # s = √d α², L = ln(1/α²)
    eq50 = (-1 + L) / (3 * s - 1 + L - sp.log(dd) / 2)
    eq51 = 1 + (sp.log(dd) - 6 * s) / (6 * s - 2 + 2 * (L - sp.log(dd) / 2))
    assert sp.simplify(eq50 - eq51) == 0


@given(e=st.floats(0.05, 2.0), extra=st.floats(0.0, 3.0))
def test_lemma2_at_its_alpha(e, extra):
    lem = theory.lemma2()
    with mpmath.workdps(50):
        dmin = lem.mpmath(1, 1, e)["d_min"]
        dd = dmin * mpmath.mpf(10) ** extra
        a = lem.mpmath(1, dd, e)["alpha_necessary"]
        out = lem.mpmath(a, dd, e)
        assert out["ratio"] >= out["ratio_lower_bound"] >= out["target"]
        # eq. (58): the ratio increases with α, so every larger α fails ℓ1-proportionality too
        for bigger in (a * 2, a * 100):
            assert lem.mpmath(bigger, dd, e)["ratio"] >= out["ratio"]


# ----------------------------------------------------------------------------- KR-9
@pytest.mark.parametrize("D", [2, 3, 5])
def test_fig2b_ratio_limits(D):
    r = theory.ratio_e1_flat(D)
    with mpmath.workdps(30):
        for dd in (4, 100):
            big = r.mpmath(alpha="1e4" if D == 2 else "1e3", d=dd)
            assert abs(big - 1) < 1e-6
            # ℓ1 side: D = 2 only logarithmically (≈ ln d / (2 ln(1/α²))), D ≥ 3 like α^{D−2}
            small = r.mpmath(alpha="1e-300" if D == 2 else "1e-20", d=dd)
            assert abs(small * mpmath.sqrt(dd) - 1) < (2e-2 if D == 2 else 1e-15)


def test_fig2b_ratio_numpy_evaluator_for_deep_models():
    r = theory.ratio_e1_flat(3)
    val = r.numpy(0.05, 100.0)
    with mpmath.workdps(20):
        assert abs(val - float(r.mpmath(0.05, 100))) < 1e-14


@pytest.mark.parametrize("D", [2, 3, 4])
def test_transition_scale_is_accurate_for_small_eps(D):
    ts, r = theory.transition_scale(D), theory.ratio_e1_flat(D)
    with mpmath.workdps(40):
        errs = []
        for e in ("0.1", "0.01", "0.001"):
            a = ts.mpmath(d=100, epsilon=e)
            errs.append(abs((r.mpmath(alpha=a, d=100) * 10 - 1) / mpmath.mpf(e) - 1))
        assert errs[2] < errs[0] or errs[0] < 1e-9
        assert errs[2] < 1e-3


def test_depth_two_needs_exponentially_small_alpha_deeper_polynomially():
    with mpmath.workdps(30):
        a2 = [theory.transition_scale(2).mpmath(d=100, epsilon=e) for e in ("0.1", "0.01")]
        a3 = [theory.transition_scale(3).mpmath(d=100, epsilon=e) for e in ("0.1", "0.01")]
        assert mpmath.log10(a2[0] / a2[1]) > 40          # ε ÷ 10 costs ~45 decades at D = 2
        assert mpmath.log10(a3[0] / a3[1]) < 2           # … and about one at D = 3
        # α^D ∝ d^{−1/2} for D ≥ 3 (large d)
        big = [theory.transition_scale(3).mpmath(d=dd, epsilon="0.01") ** 3
               for dd in ("1e30", "1e32")]
        assert abs(mpmath.log10(big[0] / big[1]) - 1) < 0.01


# ----------------------------------------------------------------------------- registry
def test_registry_covers_kr1_to_kr9_with_provenance():
    reg = theory.kernel_rich_predictions()
    assert sorted(reg) == [f"KR-{i}" for i in range(1, 10)]
    for claim, preds in reg.items():
        assert preds, claim
        for p in preds:
            assert isinstance(p, theory.Prediction)
            assert p.source.startswith("Woodworth et al. 2020"), p.name
            assert p.fidelity in ("paper", "reconstructed"), p.name

"""The Zhang–Louis theory layer (theory.norm_scaling): each derived formula held
to a property it must have, checked by a route that does not use it
(quadrature, a numeric maximisation, a numeric log-slope, a root, a limit)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from theory import Prediction, q_prediction
from theory.norm_scaling import (SYMBOLS, flat_signal, gaussian_abs_moment, lp_dual, n_star,
                                 noise_fitting, norm_exponents, p_eff_elasticity, p_eff_local,
                                 p_eff_parametric, plateau_onset, r_star, ray_scale, ray_split,
                                 self_consistent, self_consistent_norm, single_spike,
                                 two_term_norm, zhang_louis_predictions)

S = SYMBOLS
ps = st.floats(1.05, 1.95)


# --- m_a and the dual --------------------------------------------------------------------

def test_gaussian_moments_closed_values():
    m = gaussian_abs_moment().expr
    assert m.subs(S.a, 2) == 1
    assert sp.simplify(m.subs(S.a, 1) - sp.sqrt(2 / sp.pi)) == 0
    assert sp.simplify(m.subs(S.a, 4)) == 3


@given(a=st.floats(0.1, 25))
def test_gaussian_moment_matches_quadrature(a):
    with mpmath.workdps(30):
        quad = 2 * mpmath.quad(lambda x: x ** a * mpmath.npdf(x), [0, 1, 5, mpmath.inf])
        assert abs(gaussian_abs_moment().mpmath(a) / quad - 1) < mpmath.mpf("1e-20")


@given(p=ps, z=st.floats(-50, 50).filter(lambda v: abs(v) > 1e-3))
def test_kkt_map_attains_the_conjugate(p, z):
    """ψ*(z) = max_w zw − |w|^p/p is attained at w = kkt(z), and kkt inverts the link."""
    dual = lp_dual()
    parts = dual.numpy(z=z, p=p, r=1.0)
    w = parts["kkt_map"]
    assert z * w - abs(w) ** p / p == pytest.approx(parts["conjugate"], rel=1e-10)
    for step in (1e-3, -1e-3):                      # a maximum in w
        other = w * (1 + step)
        assert z * other - abs(other) ** p / p < parts["conjugate"]
    assert dual.part("inverse_link").numpy(z=w, p=p, r=1.0) == pytest.approx(z, rel=1e-9)
    assert parts["dual_value_per_p_norm"] == pytest.approx(1 / p)


@given(p=ps, r=st.floats(1, 2), seed=st.integers(0, 10**6))
def test_norm_identity_of_the_kkt_map(p, r, seed):
    """‖kkt(z)‖_r = ‖z‖_{order}^{power} for any vector z (sheet §3a)."""
    z = np.random.default_rng(seed).standard_normal(30)
    parts = lp_dual().numpy(z=z, p=p, r=r)
    direct = np.sum(np.abs(parts["kkt_map"]) ** r) ** (1 / r)
    via_z = np.sum(np.abs(z) ** parts["r_norm_order"]) ** (parts["r_norm_power"] / parts["r_norm_order"])
    assert direct == pytest.approx(via_z, rel=1e-10)


# --- the ray --------------------------------------------------------------------------------

@given(p=ps, seed=st.integers(0, 10**6))
def test_t_star_maximises_the_dual_on_the_ray_and_gives_the_ray_norms(p, seed):
    """Against a direct computation on sampled X, Y: D(tY) is largest at t⋆, and
    φ(t⋆XᵀY) has the predicted ℓr norms (ℓp = the Hölder bound ‖Y‖²/‖XᵀY‖_q)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((8, 40))
    Y = X[:, 0] + 0.3 * rng.standard_normal(8)
    q = p / (p - 1)
    g = X.T @ Y
    Y2, G = Y @ Y, np.sum(np.abs(g) ** q)
    ray = ray_scale()
    t_star = ray.part("t_star").numpy(p=p, r=1.0, Y2=Y2, G=G, Gr=1.0)

    def dual(t):
        return t * Y2 - t ** q * G / q

    assert all(dual(t_star) >= dual(t_star * f) for f in (0.99, 1.01, 0.5, 2.0))
    assert ray.part("dual_on_ray").numpy(p=p, r=1.0, Y2=Y2, G=G, Gr=1.0) == pytest.approx(
        dual(t_star), rel=1e-10)
    w = np.sign(g) * np.abs(t_star * g) ** (q - 1)
    for r in (1.0, 0.5 * (1 + p), p):
        Gr = np.sum(np.abs(g) ** (r * (q - 1))) ** (1 / (r * (q - 1)))
        predicted = ray.part("ray_norm_r").numpy(p=p, r=r, Y2=Y2, G=G, Gr=Gr)
        assert predicted == pytest.approx(np.sum(np.abs(w) ** r) ** (1 / r), rel=1e-9)
    holder = Y2 / np.sum(np.abs(g) ** q) ** (1 / q)
    assert ray.part("ray_norm_p").numpy(p=p, r=p, Y2=Y2, G=G, Gr=1.0) == pytest.approx(holder,
                                                                                       rel=1e-10)


def test_split_reduces_to_the_ray_at_the_expected_sums():
    split = ray_split().numpy(p=1.5, n=100, d=1000, s=1, W=1.0, tau=1.0)
    assert split["t_star_power"] == pytest.approx(split["label"] / (split["spike"] + split["bulk"]))
    assert split["spike"] == pytest.approx(100 ** 3)
    assert split["bulk"] == pytest.approx(999 * 2 * math.sqrt(2 / math.pi) * 100 ** 1.5)
    assert split["label_rel_sd"] == pytest.approx(math.sqrt(2 / 100))


# --- n⋆, r⋆, exponents -------------------------------------------------------------------------

@given(p=st.floats(1.05, 1.9), d=st.integers(200, 10**6), s=st.integers(1, 50),
       sigma=st.floats(0, 2), kappa=st.floats(1.5, 20))
def test_n_star_balances_spike_and_bulk(p, d, s, sigma, kappa):
    """spike(n⋆) = bulk(n⋆) in ray_split, in both forms (the proportional one with
    d − s = κ n⋆), for a flat unit-norm w⋆."""
    n_flat = flat_signal(n_star())
    split = flat_signal(ray_split())
    fixed = n_flat.numpy(p=p, d=d, s=s, kappa=kappa, sigma=sigma)
    at = split.numpy(p=p, n=fixed["fixed_d"], d=d, s=s, sigma=sigma)
    assert at["spike"] == pytest.approx(at["bulk"], rel=1e-9)
    n_prop = fixed["proportional"]
    if 1e-100 < n_prop < 1e100:
        at = split.numpy(p=p, n=n_prop, d=s + kappa * n_prop, s=s, sigma=sigma)
        assert at["spike"] == pytest.approx(at["bulk"], rel=1e-8)


def test_n_star_matches_the_formula_sheets_table():
    """Sheet §10 (values computed there independently from the same reconstructed
    formulas, by other code): a consistency check of the derivation, not a measurement."""
    n_flat = flat_signal(n_star())
    table = {(1.1, 5e4, 0.5): 38.5, (1.5, 5e4, 0.5): 2317, (1.9, 5e4, 0.5): 36798,
             (1.5, 4000, 0.0): 344, (1.7, 4000, 0.0): 1070}
    for (p, d, sigma), value in table.items():
        got = n_flat.numpy(p=p, d=d, s=1, kappa=4.0, sigma=sigma)["fixed_d"]
        assert got == pytest.approx(value, rel=2e-3)
    assert n_flat.numpy(p=1.6, d=4000, s=1, kappa=4.0, sigma=0.0)["proportional"] == \
        pytest.approx(153, rel=3e-3)


def test_r_star_and_the_sign_change_of_the_spike_side_exponent():
    p, r = S.p, S.r
    assert r_star().expr == 2 * p - 2
    ex = norm_exponents().expr
    assert sp.simplify(ex["spike_proportional_bulk_part"].subs(r, 2 * p - 2)) == 0
    for pv in (sp.Rational(3, 2), sp.Rational(17, 10)):
        star = 2 * pv - 2
        below = ex["spike_proportional"].subs({p: pv, r: star - sp.Rational(1, 10)})
        above = ex["spike_proportional"].subs({p: pv, r: star + sp.Rational(1, 10)})
        assert below > 0 and above == 0
    # the summary's exponent 1/r − 1/(2(p−1)) and the caption's n^{1/2}
    assert sp.simplify(ex["spike_proportional_bulk_part"] - (1 / r - 1 / (2 * (p - 1)))) == 0
    assert ex["bulk_fixed_d"] == sp.Rational(1, 2)
    assert sp.simplify(ex["bulk_proportional"] - (1 / r - sp.Rational(1, 2))) == 0


def _log_slope(pred, n, **values):
    """d log f/d log n by a symmetric difference in mpmath at 60 digits."""
    with mpmath.workdps(60):
        h = mpmath.mpf("1e-12")
        n = mpmath.mpf(n)
        up, down = pred.mpmath(n=n * mpmath.exp(h), **values), pred.mpmath(n=n * mpmath.exp(-h), **values)
        return float((mpmath.log(up) - mpmath.log(down)) / (2 * h))


@pytest.mark.parametrize("p,r", [(1.5, 1.2), (1.5, 1.0), (1.8, 1.3), (1.3, 1.1)])
def test_exponents_are_the_log_slopes_of_the_two_term_formula(p, r):
    """Deep inside each regime, the numeric log-slope of Eq. (6.1) (no dominant-balance
    step) equals the derived exponent; the regimes are reached by extreme n (and d)."""
    norm = two_term_norm().part("norm")
    ex = {key: float(value) for key, value in norm_exponents().numpy(p=p, r=r).items()}
    common = dict(p=p, r=r, s=1, W=1, V=1, tau=1)
    assert _log_slope(norm, "1e-40", d=1000, **common) == pytest.approx(ex["bulk_fixed_d"], abs=1e-6)
    assert _log_slope(norm, "1e60", d=1000, **common) == pytest.approx(ex["plateau"], abs=1e-6)
    # window: d so large that n⋆ ≪ n ≪ n_r, n at their geometric mean
    d = mpmath.mpf("1e600")
    n_s = flat_signal(n_star()).mpmath(p=p, d=d, s=1, kappa=4, sigma=0)["fixed_d"]
    n_r = flat_signal(plateau_onset()).mpmath(p=p, r=r, d=d, s=1, sigma=0)
    assert n_r > n_s * mpmath.mpf(10) ** 20
    assert _log_slope(norm, mpmath.sqrt(n_s * n_r), d=d, **common) == pytest.approx(
        ex["window_fixed_d"], abs=1e-4)
    # proportional: d − s = 4n
    proportional = norm.expr.subs(S.d, S.s + 4 * S.n)
    prop = Prediction("6.1, d − s = 4n", proportional, norm.symbols[:3] + (S.s, S.W, S.V, S.tau),
                      "test", "reconstructed", "test")
    # bulk regime: a weak signal (W = V = 1e-100) keeps both sums bulk-dominated at n = 10⁶
    weak = dict(p=p, r=r, s=1, W="1e-100", V="1e-100", tau=1)
    assert _log_slope(prop, "1e6", **weak) == pytest.approx(ex["bulk_proportional"], abs=1e-4)
    small = dict(p=p, r=r, s=1, W=1, V=1, tau=1)
    assert _log_slope(prop, "1e300", **small) == pytest.approx(ex["spike_proportional"], abs=2e-2)


def test_exponent_limits_at_fixed_d_by_sympy():
    """sympy.limit of n·d/dn log(6.1) at fixed d, n → 0 and n → ∞ (p = 3/2, r = 5/4)."""
    norm = two_term_norm().part("norm").expr.subs(
        {S.p: sp.Rational(3, 2), S.r: sp.Rational(5, 4), S.d: 1000, S.s: 1, S.W: 1, S.V: 1,
         S.tau: 1})
    slope = S.n * sp.diff(sp.log(norm), S.n)
    assert sp.limit(slope, S.n, 0, "+") == sp.Rational(1, 2)
    assert sp.limit(slope, S.n, sp.oo) == 0


def test_p_to_2_gives_the_l2_results():
    """p → 2: r⋆ → 2, the fixed-d elbow → (d−s)τ²/‖w⋆‖₂² ≥ d (no elbow for n < d), the
    proportional elbow's exponent 2(p−1)/(2−p) → ∞, and Eq. (9) at r = 2 gives the min-ℓ2
    norm τ√(n/(d−1))."""
    p = S.p
    assert sp.limit(r_star().expr, p, 2) == 2
    fixed = n_star().expr["fixed_d"].subs({S.W: 1, S.tau: S.tau})
    assert sp.simplify(sp.limit(fixed, p, 2) - (S.d - S.s) * S.tau ** 2) == 0
    eq9 = single_spike().expr["eq9_bulk_side"]
    e = sp.Symbol("e", positive=True)                   # d = e + 1 > 1
    value = sp.limit(eq9.subs({S.r: 2, S.d: e + 1}), p, 2)
    assert sp.simplify(value - sp.sqrt(1 + S.sigma ** 2) * sp.sqrt(S.n / e)) == 0


# --- single spike, noise, self-consistent ------------------------------------------------------

def test_single_spike_closed_forms_are_the_two_term_limits():
    ss = single_spike()
    far_below = ss.numpy(p=1.5, r=1.2, n=1e-6, d=4000, sigma=0.0)
    assert far_below["eq9_bulk_side"] == pytest.approx(far_below["two_term"], rel=1e-6)
    far_above = ss.numpy(p=1.5, r=1.2, n=1e12, d=4000, sigma=0.0)
    assert far_above["eq10_spike_side"] == pytest.approx(far_above["two_term"], rel=1e-6)
    assert far_above["two_term"] == pytest.approx(1.0, rel=1e-3)     # the plateau τ² = 1
    # the sheet's §9.1 two-term column (p = 1.5, d = 4000): ℓ1 rises to the elbow, then falls
    ell1 = [ss.numpy(p=1.5, r=1.0, n=n, d=4000, sigma=0.0)["two_term"] for n in (42, 179, 763, 2000)]
    assert ell1 == pytest.approx([3.94, 6.37, 4.79, 2.80], rel=5e-3)


def test_noise_fitting_is_the_bulk_law_with_tau_replaced_by_sigma():
    eq9 = single_spike().part("eq9_bulk_side")
    noise = noise_fitting()
    for r in (1.0, 1.3):
        # Eq. (9) has τ = √(1+σ²): at σ₉ = √(1.5² − 1) its τ is 1.5, the noise level here
        assert noise.numpy(p=1.5, r=r, n=500, d=4000, s=1, sigma=1.5) == pytest.approx(
            eq9.numpy(p=1.5, r=r, n=500, d=4000, sigma=math.sqrt(1.5 ** 2 - 1)), rel=1e-12)
    # the sheet's §9.2 bulk-law column: ξ alone at d = 16000, n = 2000, σ = 0.5
    assert noise.numpy(p=1.5, r=1.0, n=2000, d=16000, s=1, sigma=0.5) == pytest.approx(14.0, rel=3e-3)


@pytest.mark.parametrize("sigma,n,l1,l15", [(0.5, 400, 9.56, 1.012), (0.5, 800, 11.34, 1.264),
                                             (0.0, 400, 6.12, 0.822), (0.0, 800, 4.68, 0.921)])
def test_self_consistent_reference_values(sigma, n, l1, l15):
    """Sheet §9.3's SC columns (p = 1.5, d = 4000), computed there by other code."""
    assert self_consistent_norm(1.5, 1.0, n, 4000, sigma)["norm"] == pytest.approx(l1, rel=3e-3)
    assert self_consistent_norm(1.5, 1.5, n, 4000, sigma)["norm"] == pytest.approx(l15, rel=3e-3)


def test_self_consistent_limits():
    """Bulk regime (n ≪ n⋆): δ → 1 and the norm → Eq. (9); noiseless spike regime:
    δ ≈ (n⋆/n)^{q/2} (sheet §7.2)."""
    eq9 = single_spike().part("eq9_bulk_side")
    low = self_consistent_norm(1.5, 1.2, 2.0, 4000, 0.3)
    assert low["delta"] == pytest.approx(1, abs=1e-2)
    assert low["norm"] == pytest.approx(eq9.numpy(p=1.5, r=1.2, n=2.0, d=4000, sigma=0.3), rel=2e-2)
    n_s = single_spike().part("n_star").numpy(p=1.5, r=1.0, n=1.0, d=10**6, sigma=0.0)
    high = self_consistent_norm(1.5, 1.2, 1e3 * n_s, 10**6, 0.0)
    assert high["delta"] == pytest.approx((1e-3) ** 1.5, rel=2e-2)
    residual = self_consistent().part("residual")
    values = dict(p=1.5, r=1.0, n=400, d=4000, sigma=0.5)
    grid = np.linspace(0.01, 0.99, 50)
    assert np.all(np.diff([residual.numpy(delta=x, **values) for x in grid]) > 0)


# --- p_eff -------------------------------------------------------------------------------------

def test_p_eff_limits_of_the_parametric_form():
    for D, end in ((2, sp.oo), (3, 1), (4, 1)):
        form = p_eff_parametric(D).expr["p_eff"]
        assert sp.limit(form, S.nu, 0, "+") == 2
        assert sp.limit(form, S.nu, end, "-") == 1


@given(z=st.floats(1e-3, 1e6))
def test_p_eff_is_the_elasticity_of_q(z):
    """Against a finite difference of log q (q of theory.potentials, 40 digits)."""
    q = q_prediction()
    with mpmath.workdps(40):
        h = mpmath.mpf("1e-15")
        zz = mpmath.mpf(z)
        fd = (mpmath.log(q.mpmath(zz * mpmath.exp(h))) - mpmath.log(q.mpmath(zz * mpmath.exp(-h)))) / (2 * h)
        assert p_eff_elasticity(2).numpy(z) == pytest.approx(float(fd), rel=1e-12)


@given(nu=st.floats(0.01, 0.99))
def test_depth_3_elasticity_matches_its_parametric_form(nu):
    parametric = p_eff_parametric(3).numpy(nu)
    assert p_eff_elasticity(3).numpy(parametric["z"]) == pytest.approx(parametric["p_eff"],
                                                                      rel=1e-10)


def test_p_eff_decreases_from_2_to_1():
    for D in (2, 3):
        values = p_eff_elasticity(D).numpy(np.geomspace(1e-4, 1e6, 25))
        assert np.all(np.diff(values) < 0) and values[0] < 2 and values[-1] > 1
        assert values[0] == pytest.approx(2, abs=1e-3) and values[-1] < 1.2


def test_p_eff_local_matches_the_sheet_table():
    """Sheet §8.2, column 'local at k = 1' (computed there independently)."""
    table = {0.001: 1.078, 0.01: 1.122, 0.03: 1.166, 0.1: 1.270, 0.2: 1.402, 0.3: 1.529,
             0.5: 1.749, 1.0: 1.963}
    local = p_eff_local(2)
    for alpha, value in table.items():
        assert local.numpy(alpha=alpha, k=1.0)["p_eff"] == pytest.approx(value, abs=1.5e-3)


# --- provenance and registry -------------------------------------------------------------------

def test_registry_and_provenance():
    registry = zhang_louis_predictions()
    assert list(registry) == [f"ZL-{i}" for i in range(1, 10)]
    for predictions in registry.values():
        for prediction in predictions:
            assert "Zhang & Louis 2025" in prediction.source and prediction.derivation
            assert prediction.fidelity in ("paper", "summary", "reconstructed")
    assert r_star().fidelity == "paper" and n_star().fidelity == "reconstructed"


def test_flat_signal_with_one_coordinate_is_the_single_spike():
    flat = flat_signal(two_term_norm()).part("norm")
    ss = single_spike().part("two_term")
    assert flat.numpy(p=1.4, r=1.1, n=300, d=2000, s=1, sigma=0.4) == pytest.approx(
        ss.numpy(p=1.4, r=1.1, n=300, d=2000, sigma=0.4), rel=1e-12)

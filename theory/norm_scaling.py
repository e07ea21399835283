"""ℓr norms of the minimum-ℓp interpolator along n, derived with sympy (Zhang & Louis 2025).

The paper (arXiv:2509.21181) predicts how every ‖ŵ_p‖_r, r ∈ [1, p], of
ŵ_p = argmin ‖w‖_p s.t. Xw = Y (X n×d i.i.d. N(0, 1), Y = Xw⋆ + ξ, 1 < p ≤ 2)
scales with n, through a "dual ray": an elbow n⋆ where a signal spike overtakes
the bulk of null coordinates in XᵀY, and a threshold r⋆ = 2(p−1).  The paper's
body is not available; the mathematics is the reconstruction of
``docs/derivations/zhang-louis-norm-scaling.md`` (cited as "sheet §k").  Every
result here is *derived* by sympy from the previous ones, never typed in: the
conjugate and the KKT map by maximising; t⋆ by maximising the dual on the ray;
m_a = E|Z|^a by integration; n⋆ by solving spike = bulk; exponents as
log-derivatives of the dominant terms of the two-term formula; r⋆ where an
exponent changes sign; the self-consistent system from Stein's lemma (an
integral); p_eff as the elasticity of the DLN potential of
:mod:`theory.potentials`.

API (all cached; every function returns a :class:`~theory.prediction.Prediction`
unless said otherwise; symbols are those of :data:`SYMBOLS`, and every formula is
written in p — q = p/(p−1) is substituted; each derivation text shows the q-form):

=============================  ====================================================  ===========
function                       what (structured parts in brackets)                   symbols
=============================  ====================================================  ===========
``lp_dual()``                  ZL-1 dual and KKT map [conjugate, kkt_map,            z, p, r
                               inverse_link, r_norm_order, r_norm_power,
                               dual_value_per_p_norm]
``gaussian_abs_moment()``      m_a = E|Z|^a = 2^{a/2}Γ((a+1)/2)/√π                     a
``ray_scale()``                ZL-2 t⋆ and the ray's norms from data [t_star,         p, r, Y2, G, Gr
                               t_star_power, dual_on_ray, ray_norm_r, ray_norm_p]
                               (Y2 = ‖Y‖², G = ‖XᵀY‖_q^q, Gr = ‖XᵀY‖_{r(q−1)})
``ray_split()``                ZL-2 Eq. (1) [label, spike, bulk, t_star_power,       p, n, d, s,
                               t_star, label_rel_sd, bulk_rel_sd, spike_rel_sd]      W, tau
``n_star()``                   ZL-3 Eq. (3) [fixed_d, proportional]                  p, d, s, W,
                                                                                     tau, kappa
``plateau_onset()``            n_r where ‖ŵ‖_r reaches its plateau at fixed d        p, r, d, s, V, tau
``two_term_norm()``            ZL-4 Eq. (6.1) [norm, support_part, bulk_part,        p, r, n, d, s,
                               D_n, c_n]                                             W, V, tau
``norm_exponents()``           ZL-4 exponents e of ‖ŵ_p‖_r ∝ n^e [bulk_fixed_d,       p, r
                               bulk_proportional, window_fixed_d, plateau,
                               spike_proportional_bulk_part, spike_proportional,
                               support_bulk, support_spike]
``r_star()``                   ZL-4 r⋆ = 2(p−1)                                      p
``single_spike()``             ZL-5 Eqs. (9)–(10) for w⋆ = e₁ [eq9_bulk_side,        p, r, n, d, sigma
                               eq10_spike_side, two_term, n_star]
``noise_fitting()``            ZL-6 σ√n (d−s)^{1/r−1} A_r/m_q                        p, r, n, d, s, sigma
``self_consistent()``          ZL-6 two-scalar ansatz [R, gain, residual, norm,      p, r, n, d, sigma,
                               spike_coordinate, bulk_part]                          delta
``self_consistent_norm(p, r, n, d, sigma)``  → dict(delta, norm, spike, bulk): the ansatz solved (mpmath)
``p_eff_elasticity(D)``        ZL-7 local p_eff = z q_D′(z)/q_D(z) (q from            z
                               theory.potentials; D ≥ 3 through h_D⁻¹)
``p_eff_parametric(D)``        the same, exactly, along the link: [z, p_eff] in ν    nu
``p_eff_local(D)``             [z, p_eff] at the probe u_k = 𝟙_[k]/√k, z = α^{−D}/√k  alpha, k
``flat_signal(prediction)``    substitutes w⋆ flat on s coordinates with ‖w⋆‖₂ = 1    (drops W, V, tau;
                               (numerics.designs' convention): W → s^{1−q/2},        adds s, sigma)
                               V → s^{1−r(q−1)/2}, τ → √(1+σ²)
``zhang_louis_predictions()``  everything above by claim id (ZL-1 … ZL-9)
=============================  ====================================================  ===========

The float64 evaluators (``.numpy``) broadcast over n, d, s, σ, κ, …, but take p
and r as scalars (sympy's numpy printer sends Γ to ``math.gamma``).

Symbols: W = ‖w⋆‖_q^q (spike weight), V = ‖w⋆‖_{r(q−1)}^{r(q−1)}, τ² = ‖w⋆‖₂² + σ²
(so ‖Y‖² ≈ nτ²), κ = (d−s)/n (κ_bulk, held fixed in the proportional forms).
"""

from __future__ import annotations

from types import SimpleNamespace

import mpmath
import numpy as np
import sympy as sp

from .potentials import deep_potential, h_D, q_prediction, q_stable_prediction
from .cache import derivation
from .prediction import Prediction

__all__ = [
    "SYMBOLS", "lp_dual", "gaussian_abs_moment", "ray_scale", "ray_split", "n_star",
    "plateau_onset", "two_term_norm", "norm_exponents", "r_star", "single_spike",
    "noise_fitting", "self_consistent", "self_consistent_norm", "p_eff_elasticity",
    "p_eff_parametric", "p_eff_local", "flat_signal", "zhang_louis_predictions",
]

PAPER = "Zhang & Louis 2025 (arXiv:2509.21181)"
SHEET = "docs/derivations/zhang-louis-norm-scaling.md"

#: The symbols every prediction of this module is written in.
SYMBOLS = SimpleNamespace(
    p=sp.Symbol("p", positive=True),          # the ℓp bias, 1 < p ≤ 2
    q=sp.Symbol("q", positive=True),          # its conjugate p/(p−1) (derivations only)
    r=sp.Symbol("r", positive=True),          # the norm measured, r ∈ [1, p]
    n=sp.Symbol("n", positive=True),          # samples
    d=sp.Symbol("d", positive=True),          # features
    s=sp.Symbol("s", positive=True),          # support size of w⋆
    sigma=sp.Symbol("sigma", nonnegative=True),  # label noise level
    kappa=sp.Symbol("kappa", positive=True),  # κ_bulk = (d−s)/n
    W=sp.Symbol("W", positive=True),          # ‖w⋆‖_q^q
    V=sp.Symbol("V", positive=True),          # ‖w⋆‖_{r(q−1)}^{r(q−1)}
    tau=sp.Symbol("tau", positive=True),      # τ_s = √(‖w⋆‖₂² + σ²)
    t=sp.Symbol("t", positive=True),          # scale along the dual ray λ = tY
    Y2=sp.Symbol("Y2", positive=True),        # ‖Y‖₂²
    G=sp.Symbol("G", positive=True),          # ‖XᵀY‖_q^q
    Gr=sp.Symbol("Gr", positive=True),        # ‖XᵀY‖_{r(q−1)}
    a=sp.Symbol("a", positive=True),          # order of a Gaussian absolute moment
    z=sp.Symbol("z", real=True),              # a dual coordinate (XᵀΛ)_j; argument of q
    delta=sp.Symbol("delta", positive=True),  # 1 − ŵ₁, the unexplained signal (ZL-6)
    R=sp.Symbol("R", positive=True),          # ‖λ‖ (ZL-6)
    nu=sp.Symbol("nu", positive=True),        # link parameter: z = f(ν) (ZL-7)
    alpha=sp.Symbol("alpha", positive=True),  # DLN initialisation scale
    k=sp.Symbol("k", positive=True),          # support size of a calibration probe
)
_S = SYMBOLS


def _check(condition, what):
    """A derivation step that sympy must confirm (not an assert: it must survive -O)."""
    if not condition:
        raise ArithmeticError(f"derivation check failed: {what}.")


def _tidy(expr):
    """Exponents and Γ arguments as single fractions (p/(p−1) − 1 → 1/(p−1))."""
    def tidy_args(e):
        if isinstance(e, sp.Pow):
            return sp.Pow(e.base, sp.factor(sp.cancel(e.exp)))
        return e.func(*(sp.factor(sp.cancel(arg)) for arg in e.args))
    def untidy(e):   # a power with a compound exponent, or Γ of a compound argument
        return ((isinstance(e, sp.Pow) and isinstance(e.exp, (sp.Add, sp.Mul)))
                or (isinstance(e, sp.gamma) and isinstance(e.args[0], (sp.Add, sp.Mul))))
    expr = expr.replace(untidy, tidy_args)
    # sums that are rational functions of p (and r), e.g. p·r/(p−1) − r → r/(p−1)
    return expr.replace(lambda e: isinstance(e, sp.Add) and _S.p in e.free_symbols
                        and e.free_symbols <= {_S.p, _S.r} and e.is_rational_function(),
                        lambda e: sp.factor(sp.cancel(e)))


def _in_p(expr):
    """Substitute q = p/(p−1): every prediction is evaluated at the caller's p."""
    return _tidy(sp.sympify(expr).subs(_S.q, _S.p / (_S.p - 1)))


def _same(a, b):
    """a ≡ b as functions: agreement to 25 digits at three random rational points
    (an identity test; sympy.simplify cannot always simplify Γ-laden powers, and
    is slow on the larger ones).
    Every free symbol is sampled in (1.1, 2.9), except d in (100, 200) so that
    d − s > 0 (every identity checked here holds for all such values)."""
    if a - b == 0:
        return True
    rng = np.random.default_rng(0)
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda sym: sym.name)
    functions = [sp.lambdify(symbols, e, "mpmath") for e in (a, b)]
    with mpmath.workdps(30):
        for _ in range(3):
            # + 1/97 keeps every sample off the integers, where exponents like 1/(q−2) blow up
            values = [mpmath.mpf(int(rng.integers(1000, 2000)) if sym.name == "d"
                                 else int(rng.integers(11, 29))) / 10 + mpmath.mpf(1) / 97
                      for sym in symbols]
            x, y = (f(*values) for f in functions)
            if not abs(x - y) <= mpmath.mpf("1e-25") * max(abs(x), abs(y), 1):
                return False
    return True


def _balance(lhs, rhs, var):
    """The positive solution var of lhs = rhs for products of powers of var.

    Take logarithms (var = e^L): the equation is linear in L; solve it and
    return exp(L) with the logarithms recombined into powers.
    """
    L = sp.Dummy("L", real=True)
    equation = (sp.expand_log(sp.log(lhs.subs(var, sp.exp(L))), force=True)
                - sp.expand_log(sp.log(rhs.subs(var, sp.exp(L))), force=True))
    solutions = sp.solve(equation, L)
    if len(solutions) != 1:
        raise ArithmeticError(f"{lhs} = {rhs} is not a single power balance in {var}: {solutions}")
    root = sp.powdenest(sp.exp(sp.logcombine(sp.factor_terms(sp.expand(solutions[0])),
                                             force=True)), force=True)
    _check(_same(sp.log(lhs.subs(var, root)), sp.log(rhs.subs(var, root))),
           f"the balance {lhs} = {rhs} at {root}")
    return root


def _elasticity(term, var):
    """d log(term)/d log(var) — constant for a monomial in var."""
    value = sp.expand(var * sp.diff(sp.expand_log(sp.log(term), force=True), var))
    _check(not value.has(var), f"{term} is a power of {var} (its log-derivative {value})")
    return value


# =============================================================================
# ZL-1: the dual of min ‖w‖_p s.t. Xw = Y and the KKT map
# =============================================================================

@derivation
def lp_dual() -> Prediction:
    """ZL-1: the dual of (1/p)‖w‖_p^p s.t. Xw = Y and its KKT map (sheet §3).

    Lagrangian Σ|wᵢ|^p/p − λᵀ(Xw − Y): minimising over each wᵢ gives the
    conjugate ψ*(z) = sup_w (zw − |w|^p/p) = |z|^q/q at w = sgn(z)|z|^{q−1},
    z = (Xᵀλ)ᵢ, so D(λ) = ⟨Y, λ⟩ − ‖Xᵀλ‖_q^q/q.  Hence ‖ŵ‖_r^r = Σ|zᵢ|^{r(q−1)},
    i.e. ‖ŵ‖_r = ‖Xᵀλ⋆‖_{r(q−1)}^{q−1}, and at the optimum ⟨Y, λ⋆⟩ = ⟨ŵ, z⟩ =
    ‖z‖_q^q = ‖ŵ‖_p^p, so D(λ⋆) = ‖ŵ‖_p^p/p: zero duality gap.

    Parts (symbols z, p, r): ``conjugate`` |z|^q/q; ``kkt_map`` sgn(z)|z|^{q−1};
    ``inverse_link`` sgn(z)|z|^{p−1} (the map back, w ↦ z); ``r_norm_order``
    r(q−1) and ``r_norm_power`` q−1 (‖ŵ‖_r = ‖z‖_{order}^{power});
    ``dual_value_per_p_norm`` D(λ⋆)/‖ŵ‖_p^p = 1/p (the primal value's factor).
    """
    p, q, r, z = _S.p, _S.q, _S.r, _S.z
    w, x = sp.Symbol("w", positive=True), sp.Symbol("x", positive=True)  # x = |z|
    # conjugate for z > 0 (even in z); the maximiser is w > 0
    [w_star] = sp.solve(sp.diff(x * w - w ** p / p, w), w)
    conjugate = sp.powdenest(sp.expand(x * w_star - w_star ** p / p), force=True)
    _check(_same(conjugate, (x ** q / q).subs(q, p / (p - 1))),
           "sup_w (zw − w^p/p) = z^q/q with q = p/(p−1)")
    _check(sp.simplify(sp.diff(x * w - w ** p / p, w, 2) + (p - 1) * w ** (p - 2)) == 0,
           "zw − w^p/p is concave in w > 0 for p > 1 (second derivative −(p−1)w^{p−2})")
    link_power = sp.simplify(sp.log(w_star).expand(force=True) / sp.log(x))   # w = x^{q−1}
    _check(sp.simplify(link_power - (q - 1).subs(q, p / (p - 1))) == 0, "w = z^{q−1}")
    r_order = sp.expand(r * (q - 1))                    # |w|^r = |z|^{r(q−1)}
    r_power = sp.simplify(r_order / r)                  # (Σ|z|^{r(q−1)})^{1/r}
    # at the optimum: ⟨Y, λ⟩ = Σ wᵢzᵢ = Σ|z|^q and ‖ŵ‖_p^p = Σ|z|^{p(q−1)} = Σ|z|^q
    _check(sp.simplify((p * (q - 1) - q).subs(q, p / (p - 1))) == 0, "p(q − 1) = q")
    dual_per_norm = sp.simplify(_in_p(1 - 1 / q))
    _check(sp.simplify(dual_per_norm - 1 / p) == 0, "D(λ⋆) = ‖ŵ‖_p^p/p")
    parts = {"conjugate": sp.Abs(z) ** q / q, "kkt_map": sp.sign(z) * sp.Abs(z) ** (q - 1),
             "inverse_link": sp.sign(z) * sp.Abs(z) ** (p - 1),
             "r_norm_order": r_order, "r_norm_power": r_power,
             "dual_value_per_p_norm": dual_per_norm}
    parts = {key: _in_p(value) for key, value in parts.items()}
    return Prediction(
        "dual of min ‖w‖_p s.t. Xw = Y and its KKT map", parts, (z, p, r),
        f"{PAPER}, §3 (setup, dual and KKT map; as quoted by the moonlight review); {SHEET} §1.3, §3",
        "paper",
        "conjugate of |w|^p/p by solving d/dw (zw − w^p/p) = 0 (w = z^{1/(p−1)} = z^{q−1}) and "
        "substituting; ‖ŵ‖_r^r = Σ|z|^{r(q−1)}; strong duality from p(q−1) = q. In q: "
        "D(λ) = ⟨Y,λ⟩ − ‖Xᵀλ‖_q^q/q, ŵ = sgn(z)|z|^{q−1}, ‖ŵ‖_r = ‖Xᵀλ⋆‖_{r(q−1)}^{q−1}.",
        conditions="1 < p ≤ 2, X of rank n < d; z = Xᵀλ⋆ at the dual optimum")


# =============================================================================
# ZL-2: Gaussian moments, the dual ray and its spike/bulk split
# =============================================================================

@derivation
def gaussian_abs_moment() -> Prediction:
    """m_a = E|Z|^a = 2^{a/2} Γ((a+1)/2)/√π for Z ~ N(0, 1) (sheet §2), by integration."""
    a = _S.a
    x = sp.Symbol("x", positive=True)
    integral = sp.integrate(2 * x ** a * sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi), (x, 0, sp.oo))
    expr = sp.simplify(integral)
    _check(expr.subs(a, 2) == 1, "m₂ = E Z² = 1")
    return Prediction("Gaussian absolute moment m_a = E|Z|^a", expr, (a,),
                      f"{PAPER}, §3.1 (m_q in Eq. (1)); {SHEET} §2", "reconstructed",
                      "sympy.integrate of 2∫₀^∞ x^a e^{−x²/2}/√(2π) dx.",
                      conditions="a > −1")


def _m(order):
    """m_order as an expression (order may contain q, r)."""
    return gaussian_abs_moment().expr.subs(_S.a, order)


@derivation
def ray_scale() -> Prediction:
    """ZL-2: the dual restricted to the ray λ = tY, maximised over t (sheet §4.1).

    D(tY) = t‖Y‖² − (t^q/q)‖XᵀY‖_q^q; dD/dt = 0 gives t⋆^{q−1} = ‖Y‖²/‖XᵀY‖_q^q,
    a maximum (D'' = −(q−1)t^{q−2}G < 0).  The ray's primal point
    w^ray = sgn(t⋆g)|t⋆g|^{q−1} (g = XᵀY) has ‖w^ray‖_r = (‖Y‖²/G)·‖g‖_{r(q−1)}^{q−1}
    (the KKT identity of :func:`lp_dual`), and ‖w^ray‖_p = ‖Y‖²/‖g‖_q, the
    Hölder lower bound on ‖ŵ_p‖_p.

    Parts (symbols p, r, Y2 = ‖Y‖², G = ‖g‖_q^q, Gr = ‖g‖_{r(q−1)}):
    ``t_star``, ``t_star_power`` (t⋆^{q−1}), ``dual_on_ray`` (D(t⋆Y) = t⋆‖Y‖²/p),
    ``ray_norm_r``, ``ray_norm_p``.
    """
    p, q, r, t, Y2, G, Gr = _S.p, _S.q, _S.r, _S.t, _S.Y2, _S.G, _S.Gr
    dual = t * Y2 - t ** q * G / q
    stationarity = sp.diff(dual, t)                    # Y2 − t^{q−1} G
    _check(sp.simplify(stationarity - (Y2 - t ** (q - 1) * G)) == 0, "dD/dt")
    t_star = _balance(Y2, t ** (q - 1) * G, t)
    curvature = sp.simplify(sp.diff(dual, t, 2) / (t ** (q - 2) * G))
    _check(sp.simplify(curvature + (q - 1)) == 0, "D'' = −(q−1) t^{q−2} G < 0 for q > 1")
    t_power = sp.powdenest(t_star ** (q - 1), force=True)
    dual_max = sp.simplify(dual.subs(t, t_star))
    kkt = lp_dual()
    power = kkt.expr["r_norm_power"].subs(_S.p, q / (q - 1))      # q − 1, back in q
    norm_r = t_power * Gr ** sp.simplify(power)
    norm_p = sp.powsimp(norm_r.subs(Gr, G ** (1 / q)), force=True)   # ‖g‖_q = G^{1/q} at r = p
    _check(_same(_in_p(dual_max), _in_p(t_star * Y2) / p),
           "the dual on the ray at t⋆ equals t⋆‖Y‖²/p")
    parts = {"t_star": t_star, "t_star_power": t_power, "dual_on_ray": t_star * Y2 * (q - 1) / q,
             "ray_norm_r": norm_r, "ray_norm_p": norm_p}
    shown = ", ".join(f"{key} = {value}" for key, value in parts.items())
    return Prediction(
        "dual-ray scale t⋆ and the ray's norms", {k: _in_p(v) for k, v in parts.items()},
        (p, r, Y2, G, Gr),
        f"{PAPER}, §3.1 (the dual ray; t⋆ depends on ‖Y‖²/‖XᵀY‖_q^q per the summary); {SHEET} §4.1",
        "reconstructed",
        f"maximise D(tY) = tY2 − t^q G/q over t > 0 (log-linear solve of dD/dt = 0, D'' < 0); "
        f"norms through the KKT identity of lp_dual. In q: {shown}.",
        conditions="exact identities of the ray; the ray approximates the dual optimum λ⋆ "
                   "with relative error O(√(n/d)) (sheet §4.1, §11)")


@derivation
def ray_split() -> Prediction:
    """ZL-2, Eq. (1): t⋆^{q−1} = nτ²/(W n^q + (d−s) m_q τ^q n^{q/2} + R_n) (sheet §4.2).

    Each term is the expectation of its piece of ‖XᵀY‖_q^q: for a null column
    g_j | Y ~ N(0, ‖Y‖²) so E|g_j|^q = m_q‖Y‖^q (bulk, with ‖Y‖² ≈ nτ²); for a
    support column g_j ≈ n w⋆_j (spike).  The remainder R_n collects their
    fluctuations, whose relative standard deviations (delta method) are parts:
    ``label_rel_sd`` = √(2/n) (‖Y‖²/nτ² is χ²_n/n: Var = m₄ − m₂² = 2),
    ``bulk_rel_sd`` = √((m_{2q}/m_q² − 1)/(d−s)) (d−s i.i.d. |Z|^q at fixed Y), and
    ``spike_rel_sd`` = q√((τ²+1)/n) for a flat unit-norm w⋆ (δg_j has covariance
    n(τ²I + w⋆w⋆ᵀ); Σ|w⋆_j|^{2q−2}/W² = 1 for entries of equal modulus, ‖w⋆‖₂ = 1).

    Parts (symbols p, n, d, s, W, tau): ``label`` nτ², ``spike``, ``bulk``,
    ``t_star_power``, ``t_star`` and the three relative standard deviations.
    """
    p, q, n, d, s, W, tau = _S.p, _S.q, _S.n, _S.d, _S.s, _S.W, _S.tau
    label = n * tau ** 2
    spike = n ** q * W
    bulk = (d - s) * _m(q) * sp.sqrt(label) ** q
    ray = ray_scale()
    # the ray's formula in q (before _in_p), with Y2 → E‖Y‖² and G → spike + bulk
    t_power = sp.powdenest(label / (spike + bulk), force=True)
    _check(_same(_in_p(t_power), ray.expr["t_star_power"].subs({_S.Y2: label, _S.G: spike + bulk})
                 .subs(_S.q, _S.p / (_S.p - 1))),
           "Eq. (1) is the ray's t⋆^{q−1} at the expected ‖Y‖² and ‖XᵀY‖_q^q")
    t_star = t_power ** (1 / (q - 1))
    m4_minus = sp.simplify(_m(4) - _m(2) ** 2)
    _check(m4_minus == 2, "Var(Z²) = m₄ − m₂² = 2")
    parts = {"label": label, "spike": spike, "bulk": bulk, "t_star_power": t_power,
             "t_star": t_star,
             "label_rel_sd": sp.sqrt(m4_minus / n),
             "bulk_rel_sd": sp.sqrt((_m(2 * q) / _m(q) ** 2 - 1) / (d - s)),
             "spike_rel_sd": q * sp.sqrt((tau ** 2 + 1) / n)}
    return Prediction(
        "Eq. (1): spike + bulk + remainder split of the dual-ray scale",
        {k: _in_p(v) for k, v in parts.items()}, (p, n, d, s, W, tau),
        f"{PAPER}, §3.1, Eq. (1) (spike ∝ n^q, bulk ∝ (d−s)n^{{q/2}} per the summary); {SHEET} §4.2",
        "reconstructed",
        "label = E‖Y‖² = nτ²; bulk = (d−s)·m_q·(nτ²)^{q/2} with m_q from gaussian_abs_moment; "
        "spike = Σ_S |n w⋆_j|^q = n^q W; t⋆^{q−1} from ray_scale at these values. In q: "
        f"t⋆^(q−1) = {t_power}.",
        conditions="isotropic Gaussian X; W = ‖w⋆‖_q^q, τ² = ‖w⋆‖₂² + σ²; the remainder is "
                   "O_P of the stated relative standard deviations (spike_rel_sd for a flat "
                   "w⋆ with ‖w⋆‖₂ = 1)")


# =============================================================================
# ZL-3 / ZL-4: the two-term formula, n⋆, r⋆ and the exponents
# =============================================================================

def _g_power_sum(order):
    """E Σ_j |g_j|^order ≈ n^order·‖w⋆‖_order^order + (d−s)·m_order·(τ√n)^order (sheet §4.2)."""
    n, d, s, tau = _S.n, _S.d, _S.s, _S.tau
    weight = _S.W if order == _S.q else _S.V
    return n ** order * weight, (d - s) * _m(order) * (tau * sp.sqrt(n)) ** order


def _two_term_pieces():
    """(spike, bulk) of D_n = E‖g‖_q^q and of the r-th-power bracket, in q."""
    q, r = _S.q, _S.r
    return _g_power_sum(q), _g_power_sum(r * (q - 1))


@derivation
def two_term_norm() -> Prediction:
    """ZL-4, Eq. (6.1): the ray's ‖ŵ_p‖_r with each sum replaced by its two terms.

    ‖ŵ_p‖_r ≈ c_n [n^{r(q−1)} V + (d−s) m_{r(q−1)} (τ√n)^{r(q−1)}]^{1/r}, with
    c_n = nτ²/D_n, D_n = W n^q + (d−s) m_q τ^q n^{q/2} (= t⋆^{q−1} of Eq. (1)).
    Obtained from :func:`ray_scale`'s ‖w^ray‖_r = (‖Y‖²/G)·Gr^{q−1} with
    G → D_n and Gr^{r(q−1)} → the bracket.

    Parts (symbols p, r, n, d, s, W, V, tau): ``norm``; ``support_part`` and
    ``bulk_part`` (c_n times each term of the bracket to the power 1/r: the ℓr
    norms of ŵ on S and off S); ``D_n``; ``c_n``.
    """
    p, q, r, n = _S.p, _S.q, _S.r, _S.n
    (spike_q, bulk_q), (spike_r, bulk_r) = _two_term_pieces()
    c_n = n * _S.tau ** 2 / (spike_q + bulk_q)
    ray = ray_scale().expr["ray_norm_r"]
    norm = ray.subs({_S.Y2: n * _S.tau ** 2, _S.G: spike_q + bulk_q,
                     _S.Gr: (spike_r + bulk_r) ** (1 / _in_p(r * (q - 1)))})
    parts = {"norm": norm, "support_part": c_n * spike_r ** (1 / r),
             "bulk_part": c_n * bulk_r ** (1 / r), "D_n": spike_q + bulk_q, "c_n": c_n}
    parts = {k: _in_p(v) for k, v in parts.items()}
    _check(_same(parts["norm"], parts["c_n"] * _in_p(spike_r + bulk_r) ** (1 / r)),
           "the ray norm at the two-term sums is c_n·bracket^{1/r}")
    return Prediction(
        "Eq. (6.1): two-term formula for ‖ŵ_p‖_r", parts,
        (p, r, n, _S.d, _S.s, _S.W, _S.V, _S.tau),
        f"{PAPER}, Thm 3.1 / Eq. (4) (form not available); {SHEET} §6.1", "reconstructed",
        "ray_scale's ‖w^ray‖_r at ‖Y‖² = nτ², ‖g‖_q^q = D_n, ‖g‖_{r(q−1)}^{r(q−1)} = "
        "n^{r(q−1)}V + (d−s)m_{r(q−1)}(τ√n)^{r(q−1)} (law of large numbers over the bulk).",
        conditions="ray level (error O(√(n/d))); noiseless or σ small (sheet §7.1)")


@derivation
def n_star() -> Prediction:
    """ZL-3, Eq. (3): the elbow, where the spike term of D_n equals the bulk term (sheet §5).

    Parts (symbols p, d, s, W, tau, kappa): ``fixed_d`` = ((d−s) m_q τ^q/W)^{2/q}
    (solve W n^q = (d−s) m_q τ^q n^{q/2} for n); ``proportional`` =
    (κ m_q τ^q/W)^{2/(q−2)} (the same with d−s = κn).
    """
    p, q, n, kappa = _S.p, _S.q, _S.n, _S.kappa
    (spike, bulk), _ = _two_term_pieces()
    fixed = _balance(spike, bulk, n)
    proportional = _balance(spike, bulk.subs(_S.d, _S.s + kappa * n), n)
    _check(_same(proportional, ((kappa * _m(q) * _S.tau ** q / _S.W) ** (2 / (q - 2)))), "the proportional form (κ m_q τ^q / W)^{2/(q−2)}")
    parts = {"fixed_d": _in_p(fixed), "proportional": _in_p(proportional)}
    return Prediction(
        "Eq. (3): elbow n⋆ (fixed d and proportional d − s = κn)", parts,
        (p, _S.d, _S.s, _S.W, _S.tau, kappa),
        f"{PAPER}, Eq. (3) (proportional form as in the summary, with m_q); {SHEET} §5",
        "reconstructed",
        f"sympy solve of spike = bulk of ray_split in log n. In q: n⋆ = {fixed} (fixed d), "
        f"{proportional} (d − s = κn).",
        conditions="the proportional form needs q > 2 (p < 2); at p = 2 there is no n-driven elbow")


@derivation
def plateau_onset() -> Prediction:
    """The n where the bulk term of the r-th-power bracket falls below the support
    term at fixed d (sheet §6.4): n_r = ((d−s) m_{r(q−1)} τ^{r(q−1)}/V)^{2/(r(q−1))} ∝ d^{r⋆/r};
    ‖ŵ‖_r reaches its spike plateau after max(n⋆, n_r)."""
    r, n = _S.r, _S.n
    _, (spike_r, bulk_r) = _two_term_pieces()
    onset = _balance(spike_r, bulk_r, n)
    return Prediction(
        "plateau onset n_r of ‖ŵ_p‖_r at fixed d", _in_p(onset),
        (_S.p, r, _S.d, _S.s, _S.V, _S.tau),
        f"{PAPER}, Thm 3.1 (fixed-d reading); {SHEET} §6.4", "reconstructed",
        f"sympy solve of support term = bulk term of the bracket of two_term_norm in log n. "
        f"In q: {onset}.", conditions="fixed d; n_r < d (inside the overparameterised range) "
                                      "roughly iff r > r⋆")


def _regime_exponent(dual_term, norm_term, proportional):
    """e = d log‖ŵ‖_r / d log n when ``dual_term`` dominates D_n and ``norm_term``
    the bracket: ‖ŵ‖_r ≈ nτ²/dual_term · norm_term^{1/r} (dominant balance on 6.1)."""
    n = _S.n
    swap = {_S.d: _S.s + _S.kappa * n} if proportional else {}
    dual_term, norm_term = dual_term.subs(swap), norm_term.subs(swap)
    return sp.simplify(1 - _elasticity(dual_term, n) + _elasticity(norm_term, n) / _S.r)


@derivation
def _exponents_in_q() -> dict:
    q, r = _S.q, _S.r
    (spike_q, bulk_q), (spike_r, bulk_r) = _two_term_pieces()
    out = {}
    for design, proportional in (("fixed_d", False), ("proportional", True)):
        out[f"bulk_{design}"] = _regime_exponent(bulk_q, bulk_r, proportional)
        out[f"window_{design}"] = _regime_exponent(spike_q, bulk_r, proportional)
        out[f"plateau_{design}"] = _regime_exponent(spike_q, spike_r, proportional)
    # which term of the bracket wins once the spike dominates D_n: the log-slope
    # of support/bulk in the proportional design; it changes sign at r⋆
    ratio_slope = sp.simplify(_elasticity(spike_r, _S.n)
                              - _elasticity(bulk_r.subs(_S.d, _S.s + _S.kappa * _S.n), _S.n))
    [threshold] = sp.solve(ratio_slope, r)
    [zero_of_exponent] = sp.solve(out["window_proportional"], r)
    _check(sp.simplify(threshold - zero_of_exponent) == 0,
           "the bracket's switch and the zero of the spike-side bulk exponent coincide")
    _check(sp.simplify(sp.diff(ratio_slope, r) - (q - 1) / 2) == 0,
           "support/bulk grows with n iff r > r⋆ (slope increasing in r)")
    out["r_star"] = threshold
    # a support coordinate: |ŵ_j| ≈ c_n n^{q−1}|w⋆_j|^{q−1}
    out["support_bulk"] = sp.simplify(1 - _elasticity(bulk_q, _S.n) + (q - 1))
    out["support_spike"] = sp.simplify(1 - _elasticity(spike_q, _S.n) + (q - 1))
    return out


@derivation
def norm_exponents() -> Prediction:
    """ZL-4: exponents e of ‖ŵ_p‖_r ∝ n^e in every regime (sheet §6.5), by dominant
    balance on :func:`two_term_norm`: e = 1 − (log-slope of the dominant term of D_n)
    + (log-slope of the dominant term of the bracket)/r.

    Parts (symbols p, r):

    * ``bulk_fixed_d`` = 1/2 (n ≪ n⋆, every r: the caption's "bulk panels rise
      like n^{1/2}"); ``bulk_proportional`` = 1/r − 1/2 (needs the bracket
      bulk-dominated too: in the proportional design its support/bulk ratio goes
      like n^{r(q−1)/2 − 1}, so for r < r⋆ it grows as n decreases);
    * ``window_fixed_d`` = −1/(2(p−1)): spike dominates D_n but the bulk still
      dominates ‖ŵ‖_r (n⋆ ≪ n ≪ n_r, where r < r⋆ stays up to n ~ d);
    * ``plateau`` = 0 (spike dominates both);
    * ``spike_proportional_bulk_part`` = 1/r − 1/(2(p−1)) (the summary's exponent);
      ``spike_proportional`` = that for r < r⋆, 0 for r ≥ r⋆;
    * ``support_bulk`` = q/2 and ``support_spike`` = 0: a support coordinate.
    """
    ex = _exponents_in_q()
    r = _S.r
    _check(ex["plateau_fixed_d"] == 0 and ex["plateau_proportional"] == 0,
           "the plateau has exponent 0 in both designs")
    _check(sp.simplify(ex["window_fixed_d"] - ex["window_proportional"] + 1 / r) == 0,
           "the proportional window adds 1/r (d − s = κn in the bracket)")
    star = _in_p(ex["r_star"])
    spike_bulk = _in_p(ex["window_proportional"])
    parts = {"bulk_fixed_d": _in_p(ex["bulk_fixed_d"]),
             "bulk_proportional": _in_p(ex["bulk_proportional"]),
             "window_fixed_d": _in_p(ex["window_fixed_d"]),
             "plateau": sp.Integer(0),
             "spike_proportional_bulk_part": spike_bulk,
             "spike_proportional": sp.Piecewise((spike_bulk, r < star), (0, True)),
             "support_bulk": _in_p(ex["support_bulk"]), "support_spike": _in_p(ex["support_spike"])}
    shown = ", ".join(f"{key} = {value}" for key, value in ex.items())
    return Prediction(
        "exponents of ‖ŵ_p‖_r ∝ n^e by regime", parts, (_S.p, r),
        f"{PAPER}, Thm 3.1, Eq. (4) (spike-side exponent 1/r − 1/(2(p−1)) per the summary; "
        f"bulk n^{{1/2}} per the Cor. 4.1 figure caption); {SHEET} §6.2–6.5", "reconstructed",
        "log-derivatives in n of the dominant monomials of D_n and of the bracket of "
        f"two_term_norm (d fixed, or d − s = κn). In q: {shown}.",
        conditions="ray level, noiseless; regimes: bulk n ≪ n⋆; window n⋆ ≪ n ≪ n_r (fixed d); "
                   "plateau n ≫ max(n⋆, n_r)")


@derivation
def r_star() -> Prediction:
    """ZL-4: r⋆ = 2(p−1), where the spike-side exponent 1/r − 1/(2(p−1)) changes sign."""
    star = _in_p(_exponents_in_q()["r_star"])
    star = sp.simplify(star)
    _check(sp.simplify(star - 2 * (_S.p - 1)) == 0, "r⋆ = 2(p − 1), the abstract's value")
    return Prediction(
        "threshold r⋆", star, (_S.p,), f"{PAPER}, abstract (r⋆ = 2(p−1)); {SHEET} §6.4", "paper",
        "the root in r of the spike-side proportional exponent of norm_exponents (equivalently "
        "of the log-slope of support/bulk in the bracket): r⋆ = 2/(q−1).",
        conditions="1 < p ≤ 2; r⋆ ≥ 1 iff p ≥ 3/2")


# =============================================================================
# ZL-5: the single spike; ZL-6: noise
# =============================================================================

def flat_signal(prediction: Prediction) -> Prediction:
    """``prediction`` for w⋆ flat on s coordinates with ‖w⋆‖₂ = 1 (entries 1/√s;
    numerics.designs' convention; s = 1 is the spike e₁): W = s^{1−q/2},
    V = s^{1−r(q−1)/2} (Σ_{j≤s} s^{−a/2} = s^{1−a/2}), τ = √(1+σ²).  The symbols
    W, V, tau leave the signature; s and sigma join it (after the others)."""
    q, r, s = _S.q, _S.r, _S.s
    weight = {order_symbol: _in_p(sp.powsimp(s * (1 / sp.sqrt(s)) ** order, force=True))
              for order_symbol, order in ((_S.W, q), (_S.V, r * (q - 1)))}
    mapping = {**weight, _S.tau: sp.sqrt(1 + _S.sigma ** 2)}
    if prediction.is_structured:
        expr = {k: v.subs(mapping) for k, v in prediction.expr.items()}
    else:
        expr = prediction.expr.subs(mapping)
    kept = tuple(sym for sym in prediction.symbols if sym not in mapping)
    added = tuple(sym for sym in (s, _S.sigma) if sym not in kept)
    return Prediction(f"{prediction.name}, flat unit-norm w⋆ on s coordinates", expr,
                      kept + added, prediction.source, prediction.fidelity,
                      f"{prediction.derivation} With W = s^(1−q/2), V = s^(1−r(q−1)/2), "
                      "τ² = 1 + σ² (w⋆ = 𝟙_S/√s).", prediction.conditions)


@derivation
def single_spike() -> Prediction:
    """ZL-5, Corollary 4.1 / Eqs. (9)–(10): w⋆ = e₁ (sheet §7).

    With s = 1, W = V = 1, τ² = 1 + σ² in :func:`two_term_norm`:

    * ``eq9_bulk_side`` (D_n and the bracket bulk-dominated, n ≪ n⋆):
      τ√n (d−1)^{1/r−1} m_{r(q−1)}^{1/r}/m_q ∝ n^{1/2};
    * ``eq10_spike_side`` (D_n spike-dominated): τ²[1 + (d−1) m_{r(q−1)} τ^{r(q−1)}
      n^{−r(q−1)/2}]^{1/r}, which plateaus at τ² for r > r⋆;
    * ``two_term`` (the full 6.1) and ``n_star`` = ((d−1) m_q τ^q)^{2/q}.

    Symbols p, r, n, d, sigma.
    """
    q, r, n, d = _S.q, _S.r, _S.n, _S.d
    (spike_q, bulk_q), (spike_r, bulk_r) = _two_term_pieces()
    c_bulk = n * _S.tau ** 2 / bulk_q                    # D_n → its bulk term
    c_spike = n * _S.tau ** 2 / spike_q                  # D_n → its spike term
    eq9 = sp.powsimp(sp.expand_power_base(c_bulk * bulk_r ** (1 / r), force=True), force=True)
    eq10 = c_spike * (spike_r + bulk_r) ** (1 / r)
    spike = {_S.s: 1, _S.W: 1, _S.V: 1, _S.tau: sp.sqrt(1 + _S.sigma ** 2)}
    parts = {"eq9_bulk_side": eq9, "eq10_spike_side": eq10}
    parts = {k: _in_p(v).subs(spike) for k, v in parts.items()}
    parts["two_term"] = two_term_norm().expr["norm"].subs(spike)
    parts["n_star"] = n_star().expr["fixed_d"].subs(spike)
    tau = sp.sqrt(1 + _S.sigma ** 2)
    shown_eq9 = tau * sp.sqrt(n) * (d - 1) ** (1 / r - 1) * _m(r * (q - 1)) ** (1 / r) / _m(q)
    _check(_same(parts["eq9_bulk_side"], _in_p(shown_eq9)),
           "Eq. (9) = τ√n (d−1)^{1/r−1} m_{r(q−1)}^{1/r}/m_q")
    return Prediction(
        "Cor. 4.1 / Eqs. (9)–(10): single spike w⋆ = e₁", parts, (_S.p, r, n, d, _S.sigma),
        f"{PAPER}, Cor. 4.1, Eqs. (9)–(10) (content reconstructed; the figure caption: bulk "
        f"panels ∝ n^{{1/2}}, spike-side plateaus for r > 2(p−1)); {SHEET} §7", "reconstructed",
        "two_term_norm at s = 1, W = V = 1, τ² = 1 + σ², with D_n replaced by its bulk term "
        "(Eq. 9, and the bracket by its bulk term) or by its spike term (Eq. 10). In q: "
        f"Eq. (9) = {shown_eq9}.",
        conditions="noiseless or small σ: with noise the exact norms keep growing past n⋆ "
                   "(sheet §7.1, ZL-6)")


@derivation
def noise_fitting() -> Prediction:
    """ZL-6: the ℓr norm spent on fitting the noise ξ (sheet §7.1):
    σ√n (d−s)^{1/r−1} m_{r(q−1)}^{1/r}/m_q — :func:`two_term_norm` for labels ξ
    alone (W = V = 0, τ = σ), i.e. the bulk law with τ replaced by σ."""
    noise_only = {_S.W: 0, _S.V: 0, _S.tau: _S.sigma}
    r = _S.r
    (_, bulk_q), (_, bulk_r) = _two_term_pieces()
    expr = (_S.n * _S.tau ** 2 / bulk_q * bulk_r ** (1 / r)).subs(_S.tau, _S.sigma)
    expr = sp.powsimp(sp.expand_power_base(expr, force=True), force=True)
    sym_sigma = sp.Symbol("sigma", positive=True)    # σ > 0 for the identity check
    _check(_same(_in_p(expr).subs(_S.sigma, sym_sigma),
                 two_term_norm().expr["norm"].subs(noise_only).subs(_S.sigma, sym_sigma)),
           "the noise term is the two-term formula at W = V = 0, τ = σ")
    return Prediction(
        "noise-fitting part of ‖ŵ_p‖_r", _in_p(expr), (_S.p, r, _S.n, _S.d, _S.s, _S.sigma),
        f"{PAPER}, §3 (noise in the 'remainder'? not available); {SHEET} §7.1", "reconstructed",
        "two_term_norm with labels ξ alone: W = V = 0, τ = σ (min-ℓp interpolation of pure noise). "
        f"In q: {expr}.",
        conditions="σ > 0; this part does not decay past n⋆, so every ‖ŵ‖_r keeps growing "
                   "(proportional design: like n^{1/r−1/2})")


@derivation
def self_consistent() -> Prediction:
    """ZL-6: the two-scalar self-consistent ansatz for a single spike (sheet §7.2).

    Split λ into signal and noise parts; the d−1 bulk columns respond
    radially, Σ_j X_j φ(X_jᵀλ) ≈ Gλ, with the Stein gain G = (d−1)·m_q R^{q−2}
    (E[Z φ(RZ)] = m_q R^{q−1}, an integral), R = ‖λ‖.  With δ = 1 − ŵ₁,
    feasibility gives G R = √n √(σ²+δ²) (solved for R) and the spike
    coordinate needs nδ/G = φ⁻¹(1−δ) = (1−δ)^{p−1}.  Then
    ‖ŵ‖_r ≈ [(1−δ)^r + (((d−1) m_{r(q−1)})^{1/r} R^{q−1})^r]^{1/r}.

    Parts (symbols p, r, n, d, sigma, delta): ``R``, ``gain``, ``residual``
    (nδ/G − (1−δ)^{p−1}, increasing in δ; its root in (0, 1) is δ),
    ``norm``, ``spike_coordinate``, ``bulk_part``.  Solved by
    :func:`self_consistent_norm`.
    """
    p, q, r, n, d, sigma, delta, R = _S.p, _S.q, _S.r, _S.n, _S.d, _S.sigma, _S.delta, _S.R
    x = sp.Symbol("x", positive=True)
    stein = sp.simplify(2 * sp.integrate(x * (R * x) ** (q - 1) * sp.exp(-x ** 2 / 2)
                                         / sp.sqrt(2 * sp.pi), (x, 0, sp.oo)))
    _check(_same(stein, _m(q) * R ** (q - 1)), "E[Z φ(RZ)] = m_q R^{q−1}")
    gain = sp.powsimp((d - 1) * stein / R, force=True)   # E[X φ(Xᵀλ)] = (λ/R)·E[Zφ(RZ)]
    radius = _balance(gain * R, sp.sqrt(n) * sp.sqrt(sigma ** 2 + delta ** 2), R)
    gain_at = gain.subs(R, radius)
    residual = n * delta / gain_at - (1 - delta) ** (p - 1)
    bulk = ((d - 1) * _m(r * (q - 1))) ** (1 / r) * radius ** (q - 1)
    norm = ((1 - delta) ** r + bulk ** r) ** (1 / r)
    parts = {"R": radius, "gain": gain_at, "residual": residual, "norm": norm,
             "spike_coordinate": 1 - delta, "bulk_part": bulk}
    return Prediction(
        "two-scalar self-consistent approximation (single spike, noise)",
        {k: _in_p(v) for k, v in parts.items()}, (p, r, n, d, sigma, delta),
        f"{PAPER} (not in the paper: introduced by the reconstruction to repair the noise "
        f"caveat); {SHEET} §7.2", "reconstructed",
        "Stein gain by sympy.integrate; R from G·R = √n√(σ²+δ²) (log-linear solve); "
        f"spike condition nδ/G = (1−δ)^(p−1). In q: R = {radius}, gain = {gain_at}.",
        conditions="w⋆ = e₁; about 10 % from exact for n ≲ d/5, off at n/d ≳ 0.4 (sheet §9.3)")


def self_consistent_norm(p, r, n, d, sigma, *, digits=30) -> dict:
    """The ansatz of :func:`self_consistent` solved: δ is the root in (0, 1) of
    the residual (increasing in δ, negative at 0⁺, positive at 1), by bisection
    in mpmath at ``digits`` digits.  Returns floats: ``delta``, ``norm``,
    ``spike`` (1 − δ), ``bulk``."""
    prediction = self_consistent()
    values = dict(p=p, r=r, n=n, d=d, sigma=sigma)
    with mpmath.workdps(digits):
        def residual(delta):
            return prediction.part("residual").mpmath(delta=delta, **values)

        lo, hi = mpmath.mpf(10) ** (-digits), mpmath.mpf(1) - mpmath.mpf(10) ** (-digits)
        if not residual(lo) < 0 < residual(hi):
            raise ArithmeticError(f"the self-consistent residual does not change sign on (0, 1) "
                                  f"at p={p}, r={r}, n={n}, d={d}, σ={sigma}")
        for _ in range(4 * digits):          # 4 bisections per digit: below 10^-digits
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if residual(mid) < 0 else (lo, mid)
        delta = (lo + hi) / 2
        out = prediction.mpmath(delta=delta, **values)
        return {"delta": float(delta), "norm": float(out["norm"]),
                "spike": float(out["spike_coordinate"]), "bulk": float(out["bulk_part"])}


# =============================================================================
# ZL-7: the local effective exponent of a DLN potential
# =============================================================================

def _slope_matching_check():
    """d log Q(u_k)/d log k = 1 − ½ z q′(z)/q(z) at z = c/√k for Q(u_k) = k·q(c/√k),
    and ‖u_k‖_p^p = k^{1−p/2}: matching the slopes gives p = z q′(z)/q(z) (sheet §8.2)."""
    k, c, p = _S.k, sp.Symbol("c", positive=True), _S.p
    qf = sp.Function("qf")
    slope = sp.simplify(k * sp.diff(sp.log(k * qf(c / sp.sqrt(k))), k))
    zz = sp.Symbol("zz", positive=True)
    elasticity = (zz * sp.Subs(sp.Derivative(qf(zz), zz), zz, zz).doit() / qf(zz))
    expected = 1 - elasticity.subs(zz, c / sp.sqrt(k)) / 2
    _check(sp.simplify(slope - expected) == 0, "the probe slope is 1 − ½·(elasticity of q)")
    law = sp.powsimp(k * (1 / sp.sqrt(k)) ** p, force=True)
    _check(_elasticity(law, k) == 1 - p / 2, "‖u_k‖_p^p = k^{1−p/2}")
    [matched] = sp.solve(sp.Eq(1 - p / 2, 1 - sp.Symbol("E") / 2), p)
    _check(matched == sp.Symbol("E"), "matching the slopes gives p_eff = the elasticity")


def _depth_int(D):
    if isinstance(D, bool) or not isinstance(D, int) or D < 2:
        raise ValueError(f"D = {D!r}: the depth must be an integer ≥ 2")
    return D


@derivation
def p_eff_parametric(D: int = 2) -> Prediction:
    """ZL-7: the elasticity z q_D′(z)/q_D(z) along the link z = f(ν), exactly.

    q_D′ = f⁻¹ (App. A of Woodworth et al.: the potential inverts the link),
    so at z = f(ν): q_D′(z) = ν and q_D(z) = ν f(ν) − ∫₀^ν f (Legendre form), and
    p_eff = ν f(ν)/(ν f(ν) − ∫₀^ν f).  Link f = 2 sinh ν for D = 2 (q of
    :func:`theory.q_prediction`), h_D for D ≥ 3 (ν ∈ (0, 1)).  Parts ``z``,
    ``p_eff``; symbol nu.
    """
    D = _depth_int(D)
    nu, s = _S.nu, sp.Dummy("s")
    link = 2 * sp.sinh(nu) if D == 2 else h_D(D, nu)
    antiderivative = sp.integrate(link.subs(nu, s), (s, 0, nu))
    q_value = sp.simplify(nu * link - antiderivative)
    if D == 2:
        q = q_prediction().expr
        _check(_same(q.subs(_S.z, link), q_value),
               "the Legendre form reproduces q of theory.potentials on z = 2 sinh ν")
        _check(_same(sp.diff(q, _S.z).subs(_S.z, link), nu), "q′(2 sinh ν) = ν")
    expr = sp.simplify(nu * link / q_value)
    return Prediction(
        f"local p_eff along the depth-{D} link (parametric in ν)", {"z": link, "p_eff": expr},
        (nu,), f"{PAPER}, §4.4 and App. B, Alg. 1 (slope matching; local form reconstructed); "
               f"{SHEET} §8.2; Woodworth et al. 2020, Thms 1 and 3 (q, q_D)", "reconstructed",
        "p_eff = z q′(z)/q(z) with q′ = f⁻¹ and q = ν f − ∫₀^ν f at z = f(ν).",
        conditions="ν > 0 (ν < 1 for D ≥ 3): p_eff decreases from 2 (ν → 0, kernel) to 1 "
                   "(ν → end of the branch, rich)")


@derivation
def p_eff_elasticity(D: int = 2) -> Prediction:
    """ZL-7: the local effective exponent p_eff(z) = z q_D′(z)/q_D(z) (sheet §8.2).

    The probe u_k = 𝟙_[k]/√k has Q^D_α(u_k) = k·q_D(z), z = α^{−D}/√k, and
    ‖u_k‖_p^p = k^{1−p/2}; matching d log Q/d log k = 1 − ½ z q_D′/q_D with
    1 − p/2 gives p_eff = z q_D′(z)/q_D(z) (checked symbolically).  D = 2:
    closed form from q of :func:`theory.q_prediction` (written with its
    cancellation-free form for float64).  D ≥ 3: q_D′ = h_D⁻¹ and q_D are
    implicit; the evaluators use :func:`theory.deep_potential`.  Symbol z.
    """
    D = _depth_int(D)
    _slope_matching_check()
    z = _S.z
    if D == 2:
        q = q_prediction().expr
        derivative = sp.simplify(sp.diff(q, z))            # arcsinh(z/2), the inverse link
        exact = z * derivative / q
        # z·q′/q with q's cancellation-free form divided by z: float64-safe at small z
        stable = derivative / sp.expand(q_stable_prediction().expr / z)
        _check(_same(exact, stable), "the stable form of the elasticity")
        return Prediction(
            "local p_eff = z q′(z)/q(z), depth 2", stable, (z,),
            f"{PAPER}, §4.4, App. B Alg. 1 (local form reconstructed); {SHEET} §8.2; "
            "Woodworth et al. 2020, Thm 1 (q)", "reconstructed",
            f"sympy.diff of q = {q}; slope matching d log Q_α(u_k)/d log k = 1 − p/2 solved for p. "
            f"Exact form: {exact}.",
            conditions="z > 0 (z = 1/(α²√k)); 2 at z → 0, 1 at z → ∞")
    potential = deep_potential(D)
    name = f"p_eff_{D}"

    def mp(value):
        value = mpmath.mpf(value)
        nu, q_value = potential._solve(value, [])
        return value * nu / q_value

    def vectorised(values):
        def one(v):
            with mpmath.workdps(20):
                return float(mp(float(v)))
        out = np.vectorize(one, otypes=[np.float64])(np.asarray(values, dtype=np.float64))
        return out.item() if out.ndim == 0 else out

    return Prediction(
        f"local p_eff = z q_{D}′(z)/q_{D}(z), depth {D}", sp.Function(name)(z), (z,),
        f"{PAPER}, §4.4, App. B Alg. 1 (local form reconstructed); {SHEET} §8.2; "
        "Woodworth et al. 2020, Thm 3 (q_D)", "reconstructed",
        f"z·h_{D}⁻¹(z)/q_{D}(z), q_{D} = ∫h_{D}⁻¹ evaluated through theory.deep_potential "
        f"(root finding on h_{D}, Legendre form); exact parametric form in p_eff_parametric({D}).",
        conditions="z > 0 (z = α^{−D}/√k); 2 at z → 0, 1 at z → ∞",
        functions={name: (vectorised, mp)})


@derivation
def p_eff_local(D: int = 2) -> Prediction:
    """ZL-7: p_eff at the probe u_k = 𝟙_[k]/√k and initialisation α:
    parts ``z`` = α^{−D}/√k (Q^D_α(β) = Σ q_D(βᵢ/α^D), Woodworth Thms 1, 3) and
    ``p_eff`` = :func:`p_eff_elasticity` at that z.  Symbols alpha, k."""
    elasticity = p_eff_elasticity(D)
    argument = _S.alpha ** (-D) / sp.sqrt(_S.k)
    return Prediction(
        f"local p_eff at the k-sparse probe, depth {D}",
        {"z": argument, "p_eff": elasticity.expr.subs(_S.z, argument)}, (_S.alpha, _S.k),
        elasticity.source, elasticity.fidelity,
        f"{elasticity.derivation} At z = α^(−{D})/√k (coordinates of u_k are 1/√k).",
        conditions="probe normalisation ‖u_k‖₂ = 1 (the k^{1−p/2} law); the paper's k-range "
                   "and normalisation are not available",
        functions=dict(elasticity.functions))


# =============================================================================
# Registry
# =============================================================================

def zhang_louis_predictions(depths=(2, 3)) -> dict:
    """All predictions of this module, keyed by claim id (``docs/claims.md``, ZL-1 … ZL-9)."""
    flat_n_star = flat_signal(n_star())
    return {
        "ZL-1": (lp_dual(),),
        "ZL-2": (gaussian_abs_moment(), ray_scale(), ray_split()),
        "ZL-3": (n_star(), flat_n_star, plateau_onset()),
        "ZL-4": (r_star(), norm_exponents(), two_term_norm()),
        "ZL-5": (single_spike(),),
        "ZL-6": (noise_fitting(), self_consistent()),
        "ZL-7": tuple(p_eff_elasticity(D) for D in depths)
                + tuple(p_eff_parametric(D) for D in depths) + (p_eff_local(2),),
        "ZL-8": (r_star(), flat_n_star),
        "ZL-9": (flat_n_star,),
    }

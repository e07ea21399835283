"""Claims KR-3, KR-4, KR-5 and KR-10 of Woodworth et al. (2020): where gradient
flow on a diagonal linear network ends, and what that means for sparse regression.

=====  =============================================================  ===========================================
claim  statement (paper)                                              measurement
=====  =============================================================  ===========================================
KR-3   depth 2: β_α(∞) = argmin Q_α s.t. Xβ = y, Q_α = Σ q(βᵢ/α²)      gradient flow as an ODE in parameter space
       (Thm 1, eq. 5)                                                 vs the minimiser of theory's potential
KR-4   depth D ≥ 3: β_{α,D}(∞) = argmin Σ q_D(βᵢ/α^D), q_D = ∫h_D⁻¹     the same for D = 3, 4, 5; h_D⁻¹ by 50-digit
       (Thm 3)                                                        root finding, q_D by quadrature
KR-5   α → 0 gives β*_ℓ1, α → ∞ gives β*_ℓ2, every D (Thms 1–3)        exact limits (dln_limit) along an α ladder
KR-10  sparse regression (§4, Fig. 1; §5, Fig. 2c): population        exact limits on an α grid, bisection in
       error vs α, excess norms, the largest α reaching error 0.025   log α for the largest good α
=====  =============================================================  ===========================================

Conventions (the paper's): per-factor scale, w₊(0) = w₋(0) = α𝟙, so each branch
w±^D starts at α^D; the loss ½‖Xβ − y‖² (the paper's ‖·‖² rescales time, not
the limit).  Every instance comes from :func:`instance`: X with i.i.d. N(0, 1)
entries, β* with r entries 1/√r on random coordinates (r = 0: β* = 0), and
y = Xβ* + σ·N(0, I).

The theory side never types a formula: the links come from ``theory``
(:func:`theory.hypentropy_potential`, :func:`theory.deep_potential`), and
:func:`theory_minimiser` turns a link into a ``numerics`` potential by
lambdify (ψ* = ∫₀^ν f, link f, link′ f′), so a wrong link in a prediction
gives a wrong minimiser.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict

import mpmath
import numpy as np
import sympy as sp

from numerics import (DeepPotential, SeparablePotential, dln_limit, gradient_flow,
                      min_l1_interpolant, min_l2_interpolant, min_potential_interpolant)
from numerics.arith import arith_for
from theory import (SYMBOLS, deep_potential, h_D_inverse_series, hypentropy_potential, l1_limit,
                    l2_limit, q_D_series)
from verify.claim import AuditSpec, Claim, Fidelity, Outcome, Verdict
from numerics.fits import mean_ci
from verify.claims.common import Uncertified, certified, log_floor, panels, verdict_on_rows

PAPER = "Woodworth et al. 2020"
_S = SYMBOLS

ALPHA_CONVENTION = ("α is the per-factor scale of the paper: w₊(0) = w₋(0) = α𝟙, so β = w₊^D − w₋^D "
                    "starts at 0 with each branch at α^D.")


# =============================================================================
# Shared: instances, scales, certified solves, statistics, figures
# =============================================================================

def instance(point):
    """(X, y, β*) for a point's ``seed``, ``n``, ``d``, ``sparsity`` r and ``noise`` σ.

    X has i.i.d. N(0, 1) entries; β* has r entries 1/√r on coordinates drawn
    without replacement (the paper's sparse regression, §4); y = Xβ* + σ·ε with
    ε ~ N(0, I_n).  With r = 0 and σ = 1, y ~ N(0, I_n): a random Gaussian
    instance.  The support, X and ε come from three streams of the seed, so
    instances with the same seed are nested in n (the first n rows of a larger one).
    """
    support_rng, x_rng, noise_rng = np.random.default_rng(point["seed"]).spawn(3)
    n, d, r = point["n"], point["d"], point["sparsity"]
    beta = np.zeros(d)
    if r:
        beta[support_rng.choice(d, size=r, replace=False)] = 1 / math.sqrt(r)
    X = x_rng.standard_normal((n, d))
    y = X @ beta + point["noise"] * noise_rng.standard_normal(n)
    return X, y, beta


def alpha_of(log10_alpha):
    """α = 10^k; as text below float64's range (dln_limit reads ``"1e-1000"``)."""
    return 10.0 ** log10_alpha if log10_alpha >= -300 else f"1e{int(log10_alpha)}"


def relative_distance(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


# =============================================================================
# The theory's potential as a numerics potential (KR-3, KR-4)
# =============================================================================

# The theory's minimiser is solved at 30 digits: near the ℓ1 end the dual variable
# z = Xᵀμ sits at gaps 1 − |z| ≈ α^{D−2} (1e-6 for D = 4 at α = 1e-3), where a
# float64 z resolves h_D(z) only to ~1e-10 and Newton stalls at residual ~1e-11.
THEORY_DIGITS = 30
# At 30 digits those gaps (1.4e-9 for D = 5 at α = 1e-3) still bound the residual near
# 1e-22, above the solver's 30-digit default 1e-25; 1e-20 is 7 orders below what the
# float64 comparison with gradient flow can see.
THEORY_TOLERANCE = 1e-20
# From the warm start the true link converges in 1–2 Newton steps; a wrong link may
# need more, and 40 bounds the time a 30-digit solve may spend on failing.
THEORY_MAX_ITER = 40
# ψ*, f and f′ get 25 further digits: at the kernel end (α = 100, D = 5) ν ≈ 3e-11,
# where h_D(ν) = (1−ν)^{−k} − (1+ν)^{−k} cancels 11 digits and ψ* = ∫₀^ν h_D cancels 22.
LINK_GUARD_DIGITS = 25


def link_entry(depth):
    """Theory's link β = f_α(ν) of the depth-D gradient-flow limit (App. A, eq. (9)).

    Depth 2: :func:`theory.hypentropy_potential` derives Q from the link
    2α² sinh ν (eqs. (17)–(19)).  Depth D ≥ 3: :func:`theory.deep_potential`
    derives q_D from the link h_D; Thm 3's Q^D_α(β) = Σ q_D(βᵢ/α^D) has the
    same minimiser as α^D·Σ q_D(βᵢ/α^D), whose gradient h_D⁻¹(β/α^D) inverts
    the link α^D·h_D(ν).
    """
    if depth == 2:
        potential = hypentropy_potential()
        link, shown = potential.link, potential.expr
    else:
        potential = deep_potential(depth)
        link = _S.alpha ** depth * potential.link
        shown = (f"α^{depth}·q_{depth}(β/α^{depth}), q_{depth} = ∫₀ h_{depth}⁻¹ (no closed form; "
                 "theory evaluates it through its Legendre form)")
    return {"depth": depth, "link": link, "nu": potential.nu, "lower": potential.lower,
            "upper": potential.upper, "potential": shown, "source": potential.source,
            "derivation": potential.derivation}


@functools.lru_cache(maxsize=None)
def _compiled(link, nu):
    """(ψ*, f, f′) of a link as mpmath functions of (ν, α): ψ* = ∫₀^ν f is the
    conjugate of the potential whose gradient inverts f (App. A, eq. (12))."""
    if link.free_symbols - {nu} - {_S.alpha}:
        raise ValueError(f"the link {link} has parameters other than α; it cannot be evaluated "
                         "at a point's α")
    s = sp.Dummy("s")
    conjugate = sp.integrate(link.subs(nu, s), (s, 0, nu))
    return tuple(sp.lambdify((nu, _S.alpha), expr, "mpmath")
                 for expr in (conjugate, link, sp.diff(link, nu)))


def theory_potential(entry, alpha):
    """A :class:`numerics.SeparablePotential` evaluating the theory's link at ``alpha``.

    Outside the link's branch (lower, upper) every value is +∞, which the
    dual Newton solver treats as outside the domain.
    """
    functions = _compiled(entry["link"], entry["nu"])
    lower, upper = float(entry["lower"]), float(entry["upper"])

    def elementwise(function):
        def apply(z):
            z = np.asarray(z)
            out = np.empty(z.shape, dtype=object)
            with mpmath.workdps(mpmath.mp.dps + LINK_GUARD_DIGITS):
                a = mpmath.mpf(alpha)
                for index, value in np.ndenumerate(z):
                    out[index] = (function(mpmath.mpf(value), a) if lower < value < upper
                                  else mpmath.inf)
            # mpf in, mpf out (the solver's precision tier); float in, float out
            return out if z.dtype == object else out.astype(float)
        return apply

    return SeparablePotential(*(elementwise(function) for function in functions),
                              name=f"theory link {entry['link']}")


def theory_minimiser(entry, X, y, log10_alpha):
    """argmin of the theory's potential s.t. Xβ = y, as a certified Solution.

    Dual Newton at THEORY_DIGITS digits on :func:`theory_potential`,
    warm-started at the dual vector of :func:`numerics.dln_limit`: from the
    default ℓ2 start the generic solver (which has no continuation in α) fails
    for D = 4, 5 at α = 1e-3.  The start only sets where Newton begins; the
    returned β carries its own certificate (stationarity for the theory's link,
    residual ≤ 1e-20), and the potential is strictly convex, so β is the
    theory's minimiser whatever the start.
    """
    alpha = alpha_of(log10_alpha)
    start = dln_limit(X, y, alpha, entry["depth"]).dual
    return min_potential_interpolant(X, y, theory_potential(entry, alpha), mu0=start,
                                     precision=THEORY_DIGITS, tol=THEORY_TOLERANCE,
                                     max_iter=THEORY_MAX_ITER)


# =============================================================================
# KR-3 and KR-4: gradient flow vs the theory's minimiser
# =============================================================================

FLOW_TOLERANCE = 1e-8
FLOW_REASON = ("‖β_GF − β̂_Q‖/‖β̂_Q‖ ≤ 1e-8: gradient flow is integrated at rtol 1e-12 and stopped "
               "at relative residual 1e-12; measured against the exact limit on instances of these "
               "sizes its error is ≲ 1e-11 with Radau and ≲ 1e-9 with LSODA (worst at D = 3, "
               "α = 1e-3); the theory's minimiser is certified to 1e-20 at 30 digits. 1e-8 leaves "
               "≥ 10× headroom over the integrators' error")
FLOW_CHECK = "GF vs argmin Q"


def flow_points(depths, log10_alphas, seeds, n, d, method):
    """Gradient-flow points on random Gaussian instances (β* = 0, y ~ N(0, I))."""
    return [{"kind": "flow", "depth": depth, "log10_alpha": k, "seed": seed, "n": n, "d": d,
             "sparsity": 0, "noise": 1.0, "method": method}
            for depth in depths for k in log10_alphas for seed in seeds]


def measure_flow(point):
    """β at the end of gradient flow (``numerics.gradient_flow``, an ODE in the
    parameters w±) and its certificate."""
    X, y, _ = instance(point)
    flow = gradient_flow(X, y, alpha_of(point["log10_alpha"]), point["depth"],
                         method=point["method"])
    details = flow.certificate.details
    return {"beta": flow.value, "ok": flow.ok, "status": flow.message,
            "residual": flow.certificate.primal_residual, "t_final": details["t_final"],
            "nfev": details["nfev"]}


def flow_rows(prediction, results):
    """One row per gradient-flow point (distance to the theory's minimiser) and the
    reasons why points could not be judged."""
    rows, problems = [], []
    for point, measured in results:
        if point["kind"] != "flow":
            continue
        where = f"D = {point['depth']}, α = 1e{point['log10_alpha']:g}, seed {point['seed']}"
        if not measured["ok"]:
            problems.append(f"gradient flow at {where}: {measured['status']}")
            continue
        X, y, _ = instance(point)
        theory = theory_minimiser(prediction["links"][str(point["depth"])], X, y,
                                  point["log10_alpha"])
        if not theory.ok:
            problems.append(f"the theory potential's minimiser at {where}: {theory.message}")
            continue
        rows.append({"check": FLOW_CHECK, "depth": point["depth"],
                     "at": f"α = 1e{point['log10_alpha']:g}, seed {point['seed']}",
                     "log10_alpha": point["log10_alpha"],
                     "deviation": relative_distance(measured["beta"], theory.value),
                     "tolerance": FLOW_TOLERANCE, "GF residual": measured["residual"],
                     "Newton steps": theory.certificate.iterations})
    return rows, problems


def kr3_points(size):
    if size == "quick":
        return flow_points([2], [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0], [0, 1], 10, 30, "LSODA")
    return flow_points([2], [k / 2 for k in range(-6, 5)], [0, 1, 2, 3], 20, 60, "Radau")


def kr3_predict(size):
    return {"links": {"2": link_entry(2)}}


def kr3_compare(prediction, results):
    rows, problems = flow_rows(prediction, results)
    link = prediction["links"]["2"]["link"]
    worst = max((row["deviation"] for row in rows), default=math.nan)
    methods = sorted({point["method"] for point, _ in results})
    measured = (f"gradient flow ({', '.join(methods)}) on {len(rows)} instance×α points: "
                f"max ‖β_GF − β̂_Q‖/‖β̂_Q‖ = {worst:.3g}")
    return verdict_on_rows(rows, problems, f"β_α(∞) = argmin Q_α s.t. Xβ = y, Q_α from the link β = {link}",
                    measured, FLOW_TOLERANCE, FLOW_REASON)


def kr3_perturb(prediction):
    """The link without its factor 2 (α² sinh ν): the right potential at α/√2."""
    entry = prediction["links"]["2"]
    return {"links": {"2": {**entry, "link": entry["link"] / 2}}}


# --- KR-4: the series of h_D⁻¹ and q_D ---------------------------------------------------------

SERIES_DIGITS = 50
SERIES_ORDER = 8      # theory's truncations through t⁷ (h_D⁻¹) and t⁶ (q_D)


def series_entry(depth):
    """Theory's Taylor polynomials of h_D⁻¹ and q_D at 0 (order n = SERIES_ORDER)
    and their first two omitted terms (from the same series at n + 2 and n + 4)."""
    def parts(series):
        s0, s1, s2 = (series(depth, SERIES_ORDER + j).expr for j in (0, 2, 4))
        return {"polynomial": s0, "first omitted": sp.expand(s1 - s0),
                "second omitted": sp.expand(s2 - s1)}
    return {"h_D⁻¹": parts(h_D_inverse_series), "q_D": parts(q_D_series)}


def series_points(depths, ts):
    return [{"kind": "series", "depth": depth, "t": t} for depth in depths for t in ts]


def inverse_link_and_q_D(depth, t):
    """h_D⁻¹(t) by root finding and q_D(t) = ∫₀ᵗ h_D⁻¹ by tanh-sinh quadrature,
    at the current mpmath precision; returns (h_D⁻¹(t), q_D(t), the quadrature's
    error estimate).

    h_D is numerics' own (the link of :class:`numerics.DeepPotential` at unit
    scale, in its state (z, λ = log(1 − |z|))), so this does not use theory's
    formulas.  The root is found in λ, where the large-|t| roots (z within
    |t|^{−(D−2)/D} of 1) are well resolved: g(λ) = log h_D − log|t| is
    decreasing, so Newton's steps are kept inside a bracket that shrinks with
    the sign of g.  Negative t are solved as given, not folded.
    """
    with arith_for(mpmath.mp.dps) as a:
        h = DeepPotential(depth, 0.0)
        m = mpmath.mpf(depth) / (depth - 2)
        stop = mpmath.mpf(2) ** (8 - mpmath.mp.prec)

        def inverse(s):
            s = mpmath.mpf(s)
            # h_D(1 − u) ≥ 2^m·|s|·(1 − 3^{−m}) > |s| at u = min(1, |s|^{−1/m})/2.
            lo, hi = mpmath.log(min(1, abs(s) ** (-1 / m)) / 2), mpmath.mpf(0)
            # Start from the leading terms: h_D(z) ≈ 2m·z at 0, h_D(1 − u) ≈ u^{−m} at 1.
            lam = mpmath.log1p(-abs(s) / (2 * m)) if abs(s) < 1 else -mpmath.log(abs(s)) / m
            for _ in range(4 * mpmath.mp.prec):
                state = (-mpmath.expm1(lam), lam)
                value = h.link((a.asarray([state[0]]), a.asarray([lam])), a)[0]
                g = mpmath.log(value) - mpmath.log(abs(s))
                if abs(g) <= stop:
                    break
                lo, hi = (lam, hi) if g > 0 else (lo, lam)
                slope = -h.weights((a.asarray([state[0]]), a.asarray([lam])), a)[0] \
                    * mpmath.exp(lam) / value
                lam = lam - g / slope
                if not lo < lam < hi:
                    lam = (lo + hi) / 2
            else:
                raise ArithmeticError(f"h_D⁻¹({s}) did not converge (D = {depth})")
            return mpmath.sign(s) * -mpmath.expm1(lam)

        t = mpmath.mpf(t)
        # Pieces with end points of bounded ratio (…, ±1, ±10, ±100, …, t) keep
        # tanh-sinh fast on long ranges.
        decades = int(mpmath.ceil(mpmath.log10(abs(t)))) if abs(t) > 1 else 0
        nodes = [0] + [mpmath.sign(t) * mpmath.mpf(10) ** k for k in range(decades)] + [t]
        q, error = mpmath.quad(inverse, nodes, error=True)
        return inverse(t), q, error


def measure_series(point):
    """KR-4's series points: h_D⁻¹(t) and q_D(t) at 50 digits (:func:`inverse_link_and_q_D`)."""
    with mpmath.workdps(SERIES_DIGITS):
        value, q, error = inverse_link_and_q_D(point["depth"], point["t"])
        return {"inverse": str(value), "q": str(q), "quadrature_error": mpmath.nstr(error, 5),
                "digits": SERIES_DIGITS}


def measure_deep(point):
    """KR-4's unit of work: a gradient flow or a series point."""
    return measure_flow(point) if point["kind"] == "flow" else measure_series(point)


def series_rows(prediction, results):
    """Rows for the series points: ρ = (numeric − polynomial)/(first omitted term).

    Theory's series is the Taylor series, so ρ = 1 + (second omitted)/(first
    omitted)·(1 + r), r the further terms relative to the second.  At |t| ≤ 0.1
    theory's coefficients change by at most ~2× per two orders, so |r| ≲ 2t² ≤ 0.02;
    the tolerance on |ρ − 1| is twice theory's |second/first|, plus the
    measurement's own error (50 digits, and the quadrature's estimate) relative
    to the first omitted term.
    """
    rows = []
    for point, measured in results:
        if point["kind"] != "series":
            continue
        parts = prediction["series"][str(point["depth"])]
        errors = {"inverse": 0, "q": measured["quadrature_error"]}   # root finding: digits only
        with mpmath.workdps(SERIES_DIGITS):
            at = mpmath.mpf(point["t"])
            for name, key in (("h_D⁻¹", "inverse"), ("q_D", "q")):
                value = mpmath.mpf(measured[key])
                polynomial, first, second = (_in_t(parts[name][part])(at) for part in
                                             ("polynomial", "first omitted", "second omitted"))
                floor = (abs(value) * mpmath.mpf(10) ** (5 - measured["digits"])
                         + mpmath.mpf(errors[key])) / abs(first)
                ratio = (value - polynomial) / first
                rows.append({"check": f"{name} series", "depth": point["depth"],
                             "at": f"t = {point['t']}", "deviation": float(abs(ratio - 1)),
                             "tolerance": float(2 * abs(second / first) + floor),
                             "t": point["t"], "remainder": float(abs(value - polynomial)),
                             "first omitted": float(abs(first))})
    return rows


@functools.lru_cache(maxsize=None)
def _in_t(expr):
    """A series part as an mpmath function of t."""
    return sp.lambdify(_S.t, expr, "mpmath")


KR4_DEPTHS = (3, 4, 5)


def kr4_points(size):
    if size == "quick":
        return (flow_points(KR4_DEPTHS, [-3.0, -1.0, 1.0, 2.0], [0], 8, 20, "LSODA")
                + series_points(KR4_DEPTHS, ["1e-3", "1e-2", "1e-1"]))
    return (flow_points(KR4_DEPTHS, [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0], [0, 1, 2], 20, 60, "LSODA")
            + series_points(KR4_DEPTHS, ["1e-4", "1e-3", "1e-2", "3e-2", "1e-1", "-1e-2", "-1e-1"]))


def kr4_predict(size):
    return {"links": {str(depth): link_entry(depth) for depth in KR4_DEPTHS},
            "series": {str(depth): series_entry(depth) for depth in KR4_DEPTHS}}


def kr4_compare(prediction, results):
    rows, problems = flow_rows(prediction, results)
    rows += series_rows(prediction, results)

    def worst(check):
        return max((row["deviation"] for row in rows if row["check"] == check), default=math.nan)

    measured = (f"max ‖β_GF − β̂_Q‖/‖β̂_Q‖ = {worst(FLOW_CHECK):.3g} (tol. {FLOW_TOLERANCE:g}); "
                f"series remainders: max |ρ − 1| = {worst('h_D⁻¹ series'):.3g} (h_D⁻¹), "
                f"{worst('q_D series'):.3g} (q_D)")
    reason = ("deviation = the worst ratio of a check's deviation to its own tolerance (holds iff ≤ 1). "
              f"GF vs argmin Q^D_α: {FLOW_REASON}. Series: ρ = (numeric − theory's polynomial) / "
              "(theory's first omitted term) must be 1 + (second omitted)/(first omitted); its "
              "tolerance is twice that theory ratio plus the 50-digit measurement error")
    return verdict_on_rows(rows, problems,
                    "β_{α,D}(∞) = argmin Σ q_D(βᵢ/α^D), q_D = ∫h_D⁻¹ (D = 3, 4, 5); h_D⁻¹ and q_D "
                    "equal theory's Taylor series at 0", measured, None, reason)


def kr4_perturb(prediction):
    """Every depth D predicted with the link and series of depth D + 1."""
    return {"links": {key: link_entry(int(key) + 1) for key in prediction["links"]},
            "series": {key: series_entry(int(key) + 1) for key in prediction["series"]}}


# --- KR-3 / KR-4 figure ---------------------------------------------------------------------

def _flow_figure(prediction, results, verdict):
    """Per depth: the coordinates of β̂_Q along α (lines: theory's minimiser; dots:
    gradient flow) on the first instance, then the relative error of every point;
    for KR-4 also the series remainders against theory's first omitted term."""
    depths = sorted({point["depth"] for point, _ in results if point["kind"] == "flow"})
    has_series = any(point["kind"] == "series" for point, _ in results)
    figure, axes = panels(len(depths) + 1 + has_series)
    for depth, panel in zip(depths, axes):
        flows = sorted(((point, measured) for point, measured in results
                        if point["kind"] == "flow" and point["depth"] == depth and measured["ok"]),
                       key=lambda pair: pair[0]["log10_alpha"])
        first_seed = flows[0][0]["seed"]
        flows = [(point, measured) for point, measured in flows if point["seed"] == first_seed]
        ks = [point["log10_alpha"] for point, _ in flows]
        X, y, _ = instance(flows[0][0])
        grid = np.arange(min(ks), max(ks) + 0.01, 0.25)
        entry = prediction["links"][str(depth)]
        path = np.array([certified(theory_minimiser(entry, X, y, float(k)), "theory minimiser")
                         for k in grid])
        shown = np.argsort(-np.max(np.abs(path), axis=0))[:6]     # the six largest coordinates
        for index, i in enumerate(shown):
            line, = panel.plot(10.0 ** grid, path[:, i], "-", linewidth=1,
                               label="argmin Q (theory)" if index == 0 else None)
            panel.plot(10.0 ** np.array(ks), [measured["beta"][i] for _, measured in flows], "o",
                       color=line.get_color(), markersize=4,
                       label="gradient flow" if index == 0 else None)
        panel.set_xscale("log")
        panel.set(xlabel="α", ylabel="βᵢ", title=f"D = {depth}: six largest coordinates, seed {first_seed}")
        panel.legend(fontsize="small")
    panel = axes[len(depths)]
    for depth in depths:
        rows = [row for row in verdict.rows if row["check"] == FLOW_CHECK and row["depth"] == depth]
        panel.plot([10.0 ** row["log10_alpha"] for row in rows],
                   log_floor([row["deviation"] for row in rows]), "o", label=f"D = {depth}")
    panel.axhline(FLOW_TOLERANCE, color="k", linestyle="--", linewidth=1, label="tolerance")
    panel.set(xscale="log", yscale="log", xlabel="α", ylabel="‖β_GF − β̂_Q‖/‖β̂_Q‖",
              title="gradient flow vs theory's minimiser")
    panel.legend(fontsize="small")
    if has_series:
        panel = axes[-1]
        for name, marker in (("h_D⁻¹", "o"), ("q_D", "s")):
            for depth in sorted({row["depth"] for row in verdict.rows if "t" in row}):
                rows = sorted((row for row in verdict.rows
                               if row["check"] == f"{name} series" and row["depth"] == depth),
                              key=lambda row: abs(float(row["t"])))
                ts = [abs(float(row["t"])) for row in rows]
                line, = panel.plot(ts, log_floor([row["first omitted"] for row in rows], 1e-60),
                                   "-", linewidth=1)
                panel.plot(ts, log_floor([row["remainder"] for row in rows], 1e-60), marker,
                           color=line.get_color(), markersize=4, fillstyle="none",
                           label=f"{name}, D = {depth}")
        panel.set(xscale="log", yscale="log", xlabel="|t|",
                  ylabel="|numeric − Taylor polynomial|",
                  title="series: remainder (markers), first omitted term (lines)")
        panel.legend(fontsize="x-small", ncol=2)
    return figure


# =============================================================================
# KR-5: the ℓ1 (α → 0) and ℓ2 (α → ∞) limits
# =============================================================================

LIMIT_END = 1e-6
LIMIT_END_REASON = ("the ends of the ladder must sit within 1e-6 (relative) of the predicted limits: "
                    "six digits, far below the O(1) distance between β*_ℓ1 and β*_ℓ2 and far above "
                    "the float64 floor of certified limits (≈ 1e-12 to 1e-10 at α = 1e-10000)")
_NORM = {"l1": "ℓ1", "l2": "ℓ2"}
# dln_limit certifies to 64·eps·(1 + |ln α^D|): 6.5e-10 at α = 1e-10000 (D = 2); a step
# against the approach smaller than this is rounding, not a trend.
MONOTONE_SLACK = 1e-9
FLOOR = 1e-10            # distances below this are float64 rounding, not a rate


def kr5_ladder(depth):
    """log₁₀ α of the ladder.  Depth 2 approaches ℓ1 like α^{2(1−ρ)} (ρ < 1 a
    null-space-type constant, close to 1 on Gaussian instances), so its ladder
    goes down to α = 1e-10000; D ≥ 3 is at the floor by α ≈ 1e-6."""
    common = [-100.0, -30.0, -10.0, -6.0, -5.0, -4.5, -4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0,
              -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0]
    return ([-10000.0, -3000.0, -1000.0, -300.0] if depth == 2 else []) + common


KR5_QUICK = {"seeds": [0, 1, 2], "n": 10, "d": 30}


def kr5_point(depth, log10_alpha, seed, n, d):
    return {"depth": depth, "log10_alpha": log10_alpha, "seed": seed, "n": n, "d": d,
            "sparsity": 0, "noise": 1.0}


def kr5_points(size):
    depths, shape = ((2, 3), KR5_QUICK) if size == "quick" else (
        (2, 3, 4), {"seeds": list(range(8)), "n": 20, "d": 60})
    return [kr5_point(depth, k, seed, shape["n"], shape["d"])
            for depth in depths for k in kr5_ladder(depth) for seed in shape["seeds"]]


def measure_limits(point):
    """Relative distances of the exact limit β̂_α (dln_limit) to β*_ℓ1 and β*_ℓ2."""
    X, y, _ = instance(point)
    alpha = alpha_of(point["log10_alpha"])
    beta = certified(dln_limit(X, y, alpha, point["depth"]), f"dln_limit at α = {alpha}")
    l1 = certified(min_l1_interpolant(X, y), "min-ℓ1 interpolant")
    l2 = certified(min_l2_interpolant(X, y), "min-ℓ2 interpolant")
    return {"to_l1": relative_distance(beta, l1), "to_l2": relative_distance(beta, l2)}


def kr5_predict(size):
    depths = (2, 3) if size == "quick" else (2, 3, 4)
    return {"alpha_to_0": "l1", "alpha_to_infinity": "l2",
            "normalised potentials": {str(depth): {"α → 0": l1_limit(depth).expr,
                                                   "α → ∞": l2_limit(depth).expr}
                                      for depth in depths}}


def _ladders(results):
    """(depth, seed) → the ladder's points sorted by α, as (log₁₀ α, measurement)."""
    ladders = defaultdict(list)
    for point, measured in results:
        ladders[(point["depth"], point["seed"])].append((point["log10_alpha"], measured))
    return {key: sorted(ladder, key=lambda pair: pair[0]) for key, ladder in sorted(ladders.items())}


def _slope(ks, distances):
    """Least-squares slope of log₁₀ distance on log₁₀ α over the asymptotic window
    FLOOR < distance < 1e-2 (None with fewer than two such rungs)."""
    window = [(k, math.log10(v)) for k, v in zip(ks, distances) if FLOOR < v < 1e-2]
    if len(window) < 2:
        return None
    return float(np.polyfit(*np.array(window).T, 1)[0])


def _largest_step_against(distances):
    """The largest increase between consecutive entries (0 if they never increase)."""
    return max([b - a for a, b in zip(distances, distances[1:])] + [0.0])


def kr5_compare(prediction, results):
    """Ends within LIMIT_END of the predicted limits, and a monotone approach to each
    limit on its half of the ladder (α ≤ 1 for α → 0, α ≥ 1 for α → ∞: α^D = 1 is
    where the branches start at the scale of these instances' β).  The distance to
    the α → ∞ limit on the other half is reported too: nothing claims it is monotone.
    """
    small, large = "to_" + prediction["alpha_to_0"], "to_" + prediction["alpha_to_infinity"]
    rows, slopes = [], defaultdict(list)
    for (depth, seed), ladder in _ladders(results).items():
        ks = [k for k, _ in ladder]
        to_small = [measured[small] for _, measured in ladder]
        to_large = [measured[large] for _, measured in ladder]
        rich = [i for i, k in enumerate(ks) if k <= 0]
        kernel = [i for i, k in enumerate(ks) if k >= 0]
        slope = _slope(ks, to_small)
        if slope is not None:
            slopes[depth].append(slope)
        rows.append({"depth": depth, "seed": seed, "smallest α": f"1e{ks[0]:g}",
                     "largest α": f"1e{ks[-1]:g}",
                     "distance to the α → 0 limit at the smallest α": to_small[0],
                     "distance to the α → ∞ limit at the largest α": to_large[-1],
                     # walking towards each limit, its distance must not grow
                     "largest step away, α ≤ 1": _largest_step_against(
                         [to_small[i] for i in reversed(rich)]),
                     "largest step away, α ≥ 1": _largest_step_against(
                         [to_large[i] for i in kernel]),
                     "largest rise of the α → ∞ distance at α ≤ 1 (not claimed)":
                         _largest_step_against([to_large[i] for i in rich]),
                     "fitted d log dist / d log α (α → 0)": slope})
    ends = [max(row["distance to the α → 0 limit at the smallest α"],
                row["distance to the α → ∞ limit at the largest α"]) for row in rows]
    steps = [max(row["largest step away, α ≤ 1"], row["largest step away, α ≥ 1"]) for row in rows]
    bump = max(row["largest rise of the α → ∞ distance at α ≤ 1 (not claimed)"] for row in rows)
    rates = ", ".join(f"D = {depth}: {np.median(values):.3g} (median of {len(values)})"
                      for depth, values in sorted(slopes.items()))
    prediction_text = (f"β̂_α → β*_{_NORM[prediction['alpha_to_0']]} as α → 0 and → "
                       f"β*_{_NORM[prediction['alpha_to_infinity']]} as α → ∞, each approached "
                       "monotonically on its side of α = 1")
    measured_text = (f"{len(rows)} ladders: worst end distance {max(ends):.3g}, largest step away "
                     f"from a limit on its side {max(steps):.3g}; on the rich side the distance to "
                     f"the α → ∞ limit rises by up to {bump:.3g} (reported, not claimed); fitted "
                     f"rates of the α → 0 approach (slope of log distance on log α over "
                     f"{FLOOR:g} < distance < 1e-2, reported, not claimed): {rates}")
    reason = (f"{LIMIT_END_REASON}; monotone: no step away from a limit on its side of the ladder "
              f"larger than {MONOTONE_SLACK:g}, the float64 accuracy of certified limits at the "
              "ladder's smallest α (their tolerance grows like eps·|log α^D|)")
    holds = max(ends) <= LIMIT_END and max(steps) <= MONOTONE_SLACK
    return Verdict(Outcome.HOLDS if holds else Outcome.DEVIATES, prediction_text, measured_text,
                   max(ends), LIMIT_END, reason, rows)


def kr5_perturb(prediction):
    """The limits swapped: ℓ2 as α → 0 and ℓ1 as α → ∞."""
    return {**prediction, "alpha_to_0": prediction["alpha_to_infinity"],
            "alpha_to_infinity": prediction["alpha_to_0"]}


def kr5_figure(prediction, results, verdict):
    ladders = _ladders(results)
    depths = sorted({depth for depth, _ in ladders})
    figure, axes = panels(len(depths))
    for depth, panel in zip(depths, axes):
        for index, ladder in enumerate(ladder for (of_depth, _), ladder in ladders.items()
                                       if of_depth == depth):
            ks = [k for k, _ in ladder]
            for limit, style in ((prediction["alpha_to_0"], "o-"),
                                 (prediction["alpha_to_infinity"], "s--")):
                name = _NORM[limit]
                panel.plot(ks, log_floor([measured["to_" + limit] for _, measured in ladder]),
                           style, color=f"C{index % 10}", markersize=3, linewidth=0.8,
                           label=f"to β*_{name} (a colour per seed)" if index == 0 else None)
        panel.axhline(LIMIT_END, color="k", linestyle=":", linewidth=1, label="end threshold")
        # α spans ten thousand decades for D = 2: linear in log₁₀ α near 1, logarithmic beyond
        panel.set_xscale("symlog", linthresh=10)
        panel.set_xlim(ks[0], ks[-1])
        panel.set(yscale="log", xlabel="log₁₀ α", ylabel="‖β̂_α − β*‖/‖β*‖",
                  title=f"KR-5, D = {depth}: exact limits along α")
        panel.legend(fontsize="small")
    return figure


KR5_AUDIT_DEPTH = 3


def kr5_audit_ladder(size):
    """1/α on the ladder's rungs where D = 3's distance to ℓ1 is past the transition
    (below ~1e-3, from α ≈ 10^-2.5) and above the float64 floor (≈ 1e-13; the
    distance is ≈ 1e-10 at α = 1e-5); the full ladder goes deeper to fit the rate
    far from the transition."""
    first, last = (5, 8) if size == "quick" else (6, 10)     # exponents of 10^(e/2)
    return [10.0 ** (e / 2) for e in range(first, last + 1)]


def kr5_audit_points(value):
    k = -round(math.log10(value) * 2) / 2     # back to the ladder's exact log₁₀ α
    return [kr5_point(KR5_AUDIT_DEPTH, k, seed, KR5_QUICK["n"], KR5_QUICK["d"])
            for seed in KR5_QUICK["seeds"]]


def kr5_audit_deviation(results):
    """Geometric mean over the instances of ‖β̂_α − β*_ℓ1‖/‖β*_ℓ1‖."""
    return float(np.exp(np.mean([math.log(measured["to_l1"]) for _, measured in results])))


# =============================================================================
# KR-10: sparse regression (Fig. 1, Fig. 2c)
# =============================================================================

TARGET_ERROR = 0.025              # Fig. 1c / 2c: population error at most 0.025
SPARSE_SHAPE = {"d": 1000, "sparsity": 5, "noise": 0.1}
BISECTION_WIDTH = 0.01            # in log₁₀ α
REGIME_FACTOR = 10.0


def sparse_grid(depth):
    """log₁₀ α of the grid: α^D from 1e-24 (D = 2, which nears ℓ1 only
    logarithmically) or 1e-12 (D ≥ 3, at ℓ1 to ~1e-6 there) up to 1e2, a decade of
    α^D apart; Fig. 2c's axis is α^D."""
    return [k / depth for k in range(-24 if depth == 2 else -12, 3)]


def sweep(X, y, depth, log10_alphas):
    """The exact limits β̂_α (dln_limit, certified) along ``log10_alphas``."""
    return [certified(dln_limit(X, y, alpha_of(k), depth), f"dln_limit at α = 1e{k:g}")
            for k in log10_alphas]


def measure_sparse(point):
    """One instance of §4's sparse regression: population error ‖β̂_α − β*‖² (x is
    isotropic) and excess norms on the α grid, the same for β*_ℓ1 and β*_ℓ2,
    and the largest α with error ≤ 0.025, by bisection in log₁₀ α.

    The largest such α is found from the top of the grid down (the error need
    not be monotone in α), then bisected between that grid point and the next.
    None when even the grid's smallest α misses the target.
    """
    X, y, beta_star = instance(point)
    depth = point["depth"]
    l1 = certified(min_l1_interpolant(X, y), "min-ℓ1 interpolant")
    l2 = certified(min_l2_interpolant(X, y), "min-ℓ2 interpolant")

    def error(beta):
        return float(np.sum((beta - beta_star) ** 2))

    grid = sparse_grid(depth)
    path = sweep(X, y, depth, grid)
    errors = [error(beta) for beta in path]
    good = [i for i, value in enumerate(errors) if value <= TARGET_ERROR]
    if good and good[-1] == len(grid) - 1:
        raise Uncertified(f"the error is below {TARGET_ERROR} at the grid's largest α; extend "
                          "the grid")
    top = None
    if good:
        lo, hi = grid[good[-1]], grid[good[-1] + 1]
        while hi - lo > BISECTION_WIDTH:
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if error(sweep(X, y, depth, [mid])[0]) <= TARGET_ERROR else (lo, mid)
        top = lo
    return {"log10_alphas": grid, "errors": errors,
            "excess_l1": [float(np.abs(beta).sum() - np.abs(l1).sum()) for beta in path],
            "excess_l2": [float(np.linalg.norm(beta) - np.linalg.norm(l2)) for beta in path],
            "error_l1": error(l1), "error_l2": error(l2), "log10_alpha_max": top}


def kr10_points(size):
    ns, depths, seeds = (((50, 60, 80, 100), (2, 3), range(3)) if size == "quick" else
                         ((45, 50, 55, 60, 70, 80, 100, 120, 140), (2, 3, 4), range(8)))
    return [{"seed": seed, "n": n, **SPARSE_SHAPE, "depth": depth}
            for n in ns for depth in depths for seed in seeds]


def kr10_predict(size):
    return {"sign": 1, "target_error": TARGET_ERROR, "regime_factor": REGIME_FACTOR,
            "statements": ["small α generalises, large α does not (Fig. 1a)",
                           "the largest α reaching the target shrinks as N decreases toward "
                           "the ℓ1 sample complexity (Fig. 1c)",
                           "deeper models reach the target at a larger α^D (Fig. 2c, §5)"]}


def _sparse_table(results):
    """(depth, N) → the seeds' measurements, in seed order."""
    table = defaultdict(list)
    for point, measured in sorted(results, key=lambda pair: pair[0]["seed"]):
        table[(point["depth"], point["n"])].append((point["seed"], measured))
    return table


def _log_alpha_d(depth, measured):
    """log₁₀ α^D_max, and whether it is censored: a measurement without a good α
    counts as the grid's smallest α^D, an upper bound on the true value."""
    top = measured["log10_alpha_max"]
    return depth * (sparse_grid(depth)[0] if top is None else top), top is None


def l1_sample_size(table):
    """The smallest N from which on the seeds' mean ‖β*_ℓ1 − β*‖² is at most the
    target (Fig. 1c's dashed line); None if none is."""
    ns = sorted({n for _, n in table})
    depth = min(depth for depth, _ in table)
    good = [np.mean([m["error_l1"] for _, m in table[(depth, n)]]) <= TARGET_ERROR for n in ns]
    for index, n in enumerate(ns):
        if all(good[index:]):
            return n
    return None


def kr10_compare(prediction, results):
    sign, factor = prediction["sign"], prediction["regime_factor"]
    table = _sparse_table(results)
    depths = sorted({depth for depth, _ in table})
    n_l1 = l1_sample_size(table)
    if n_l1 is None:
        return Verdict(Outcome.INCONCLUSIVE, "; ".join(prediction["statements"]), "—", None, 0,
                       f"β*_ℓ1 misses the target error {TARGET_ERROR} at every N measured: no "
                       "range of N in which the claims apply; measure larger N")
    ns = sorted(n for n in {n for _, n in table} if n >= n_l1)
    rows = []

    def inequality(text, depth, n, value, half):
        rows.append({"inequality": text, "depth": depth, "N": n, "value": value,
                     "95 % CI ±": half, "holds": bool(sign * value >= 0)})

    for depth in depths:
        for n in ns:          # Fig. 1a: the error falls by the factor from the largest α to the smallest
            mean, half = mean_ci([math.log10(m["errors"][-1] / m["errors"][0])
                                  for _, m in table[(depth, n)]])
            inequality(f"mean log₁₀(error at the largest α / error at the smallest α) − "
                       f"log₁₀ {factor:g} ≥ 0", depth, n, mean - math.log10(factor), half)
        means = {n: mean_ci([_log_alpha_d(depth, m)[0] for _, m in table[(depth, n)]]) for n in ns}
        for n, after in zip(ns, ns[1:]):    # Fig. 1c: the good α rises with N
            inequality(f"mean log₁₀ α^D_max(N = {after}) − mean(N = {n}) ≥ 0", depth, n,
                       means[after][0] - means[n][0], math.hypot(means[after][1], means[n][1]))
    for shallow, deep in zip(depths, depths[1:]):     # Fig. 2c: deeper tolerates a larger α^D
        for n in ns:
            pairs = [(_log_alpha_d(deep, m_deep), _log_alpha_d(shallow, m_shallow))
                     for (_, m_deep), (_, m_shallow) in zip(table[(deep, n)], table[(shallow, n)])]
            # a censored deeper value bounds nothing: leave the pair out
            differences = [a - b for (a, censored), (b, _) in pairs if not censored]
            if differences:
                mean, half = mean_ci(differences)
                inequality(f"log₁₀ α^{deep}_max − log₁₀ α^{shallow}_max ≥ 0 (paired, "
                           f"{len(differences)} seeds)", deep, n, mean, half)
    failed = sum(not row["holds"] for row in rows)
    censored = sum(_log_alpha_d(depth, m)[1] for (depth, n), seeds in table.items() if n >= n_l1
                   for _, m in seeds)
    seeds = len(next(iter(table.values())))
    measured = (f"{len(rows)} inequalities on means over {seeds} seeds for N ≥ {n_l1} (where the "
                f"mean ‖β*_ℓ1 − β*‖² ≤ {TARGET_ERROR}); {failed} fail; {censored} instance(s) "
                f"miss the target even at the grid's smallest α (counted at that α, an upper bound)")
    reason = (f"each inequality must hold for the seed mean (CIs reported, not required): the "
              f"paper's figures are seed averages. Fig. 1a: the error at the grid's smallest α must "
              f"be {factor:g}× below the error at its largest (geometric seed mean; an order of "
              "magnitude: the rich regime generalises, the kernel regime does not); Fig. 1c: the "
              "mean log₁₀ α^D_max must not fall as N grows; Fig. 2c: log₁₀ α^D_max must be larger "
              "for the deeper model (paired by instance). An instance without a good α on the grid "
              "counts at the grid's smallest α^D, an upper bound on its true value: where such "
              "instances sit at the smaller N of a step (near the ℓ1 sample size) the step is "
              "understated, so the check is conservative; the depth comparison leaves out pairs "
              "whose deeper value is censored")
    outcome = Outcome.HOLDS if failed == 0 else Outcome.DEVIATES
    return Verdict(outcome, "; ".join(prediction["statements"]), measured, float(failed), 0.0,
                   reason, rows)


def kr10_perturb(prediction):
    """Every statement reversed: large α generalises, the good α shrinks with N,
    shallower models tolerate a larger α^D."""
    return {**prediction, "sign": -prediction["sign"]}


def kr10_figure(prediction, results, verdict):
    table = _sparse_table(results)
    depths = sorted({depth for depth, _ in table})
    ns = sorted({n for _, n in table})
    n_l1 = l1_sample_size(table)
    figure, (errors, excess, good_alpha, good_scale) = panels(4)
    for index, n in enumerate(ns):
        seeds = [m for _, m in table[(2, n)]]
        ks = seeds[0]["log10_alphas"]
        errors.plot(10.0 ** np.array(ks), np.mean([m["errors"] for m in seeds], axis=0), "-",
                    color=f"C{index % 10}", label=f"N = {n}")
    errors.axhline(TARGET_ERROR, color="k", linestyle="--", linewidth=1, label="target 0.025")
    errors.set(xscale="log", yscale="log", xlabel="α", ylabel="‖β̂_α − β*‖² (population error)",
               title="Fig. 1a, D = 2 (seed means)")
    errors.legend(fontsize="x-small")
    n_shown = ns[len(ns) // 2]
    seeds = [m for _, m in table[(2, n_shown)]]
    ks = 10.0 ** np.array(seeds[0]["log10_alphas"])
    for key, label in (("excess_l1", "‖β̂_α‖₁ − ‖β*_ℓ1‖₁"), ("excess_l2", "‖β̂_α‖₂ − ‖β*_ℓ2‖₂")):
        excess.plot(ks, log_floor(np.mean([m[key] for m in seeds], axis=0)), "o-", markersize=3,
                    label=label)
    excess.set(xscale="log", yscale="log", xlabel="α", ylabel="excess norm",
               title=f"Fig. 1b, D = 2, N = {n_shown}")
    excess.legend(fontsize="small")
    for panel, scale in ((good_alpha, False), (good_scale, True)):
        for depth in (depths if scale else [2]):
            # log₁₀ α^D_max (Fig. 2c) or log₁₀ α_max (Fig. 1c): mean and CI over the seeds
            stats = np.array([mean_ci([_log_alpha_d(depth, m)[0] / (1 if scale else depth)
                                       for _, m in table[(depth, n)]]) for n in ns])
            mean, half = stats[:, 0], np.nan_to_num(stats[:, 1])
            panel.errorbar(ns, 10.0 ** mean, yerr=[10.0 ** mean - 10.0 ** (mean - half),
                                                   10.0 ** (mean + half) - 10.0 ** mean],
                           fmt="o-", capsize=3, label=f"D = {depth}")
        if n_l1 is not None:
            panel.axvline(n_l1, color="k", linestyle="--", linewidth=1, label="N needed by β*_ℓ1")
        panel.set(yscale="log", xlabel="N",
                  ylabel="α^D reaching error ≤ 0.025" if scale else "largest α reaching error ≤ 0.025",
                  title="Fig. 2c (geometric seed means, 95 % CI)" if scale else
                  "Fig. 1c, D = 2 (geometric seed means, 95 % CI)")
        panel.legend(fontsize="small")
    return figure


# =============================================================================
# The claims
# =============================================================================

def _derivation(*entries):
    return "\n\n".join(f"{entry['source']}: {entry['derivation']}" for entry in entries)


_INSTANCES = ("Instances (one generator for all four claims): X with i.i.d. N(0, 1) entries; "
              "β* with r entries 1/√r on random coordinates; y = Xβ* + σ·N(0, I).")

CLAIMS = [
    Claim(
        id="KR-3", title="depth 2: gradient flow ends at the minimiser of Q_α",
        statement="For every 0 < α < ∞, gradient flow on β = w₊² − w₋² from w± = α𝟙 converges to "
                  "argmin Q_α(β) s.t. Xβ = y, Q_α(β) = Σᵢ q(βᵢ/α²), q(z) = ∫₀ᶻ arcsinh(u/2) du.",
        source=f"{PAPER}, Thm 1, eq. (5); proof in App. A, eqs. (9)–(19)", fidelity=Fidelity.PAPER,
        derivation=_derivation(link_entry(2)),
        conventions=f"{ALPHA_CONVENTION} {_INSTANCES} Here r = 0, σ = 1: y ~ N(0, I). Quick: "
                    "n = 10, d = 30, α ∈ {1e-3, …, 1e2} (decades), 2 seeds, integrator LSODA "
                    "(≲ 1e-11 from the exact limit at depth 2, 5–10× faster than Radau); full: "
                    "n = 20, d = 60, half decades, 4 seeds, Radau. The theory's minimiser: Newton "
                    "at 30 digits on the dual of theory's potential (link 2α² sinh ν, lambdified), "
                    "warm-started at numerics.dln_limit's dual vector and certified on its own.",
        points=kr3_points, measure=measure_flow, predict=kr3_predict, compare=kr3_compare,
        perturb=kr3_perturb, figure=_flow_figure),
    Claim(
        id="KR-4", title="depth D ≥ 3: gradient flow ends at the minimiser of Q^D_α",
        statement="For D ≥ 3, if gradient flow on β = w₊^D − w₋^D from w± = α𝟙 interpolates, its "
                  "limit is argmin Σᵢ q_D(βᵢ/α^D) s.t. Xβ = y, q_D = ∫h_D⁻¹, "
                  "h_D(z) = (1−z)^{−D/(D−2)} − (1+z)^{−D/(D−2)}; h_D⁻¹ and q_D have theory's "
                  "Taylor series at 0.",
        source=f"{PAPER}, Thm 3; proof in App. C", fidelity=Fidelity.PAPER,
        derivation=_derivation(*(link_entry(depth) for depth in KR4_DEPTHS))
        + "\n\nSeries: theory.h_D_inverse_series (Lagrange inversion of h_D) and "
          "theory.q_D_series (its integral), truncated at order 8, with their next two terms.",
        conventions=f"{ALPHA_CONVENTION} {_INSTANCES} Here r = 0, σ = 1. D = 3, 4, 5. Quick: "
                    "n = 8, d = 20, α ∈ {1e-3, 0.1, 10, 100}, 1 seed; full: n = 20, d = 60, "
                    "α ∈ {1e-3, …, 1e2}, 3 seeds; LSODA throughout (≲ 1e-9 from the exact limit; "
                    "Radau takes 30 s per D = 5 solve at α = 1e-3 and fails at D = 5, α = 100). "
                    "The theory's minimiser as in KR-3, with the link α^D·h_D(ν). h_D⁻¹ by "
                    "Anderson root finding on numerics' h_D at 50 digits, q_D by tanh-sinh "
                    "quadrature of it; t ∈ ±[1e-4, 0.1].",
        points=kr4_points, measure=measure_deep, predict=kr4_predict, compare=kr4_compare,
        perturb=kr4_perturb, figure=_flow_figure),
    Claim(
        id="KR-5", title="α → 0 gives the ℓ1 interpolator, α → ∞ the ℓ2 interpolator",
        statement="For every depth D ≥ 2 the gradient-flow limit β̂_α tends to β*_ℓ1 = argmin ‖β‖₁ "
                  "s.t. Xβ = y as α → 0 (rich regime) and to β*_ℓ2 = argmin ‖β‖₂ as α → ∞ "
                  "(kernel regime); checked along an α ladder: its ends sit within 1e-6 of the "
                  "limits, and each limit is approached monotonically on its side of α = 1.",
        source=f"{PAPER}, §4 (after Thm 1), Thm 2, Thm 3 ('Furthermore, …')",
        fidelity=Fidelity.PAPER,
        derivation="\n\n".join(f"{prediction.name}: {prediction.derivation}"
                                for depth in (2, 3) for prediction in (l1_limit(depth), l2_limit(depth)))
        + "\n\nThe normalised potentials tend to ‖β‖₁ and ‖β‖₂²; their minimisers on Xβ = y "
          "therefore tend to β*_ℓ1 and β*_ℓ2 (unique on these Gaussian instances).",
        conventions=f"{ALPHA_CONVENTION} {_INSTANCES} Here r = 0, σ = 1 (y ~ N(0, I)); quick: "
                    "n = 10, d = 30, D = 2, 3, 3 seeds; full: n = 20, d = 60, D = 2, 3, 4, 8 "
                    "seeds. Exact limits by numerics.dln_limit in float64 (log space); the "
                    "ladder reaches α = 1e-10000 for D = 2, whose approach to ℓ1 is only "
                    "logarithmic in α when the instance's dual certificate is nearly tight "
                    "(ρ ≈ 0.99 on such instances), and 1e-100 for D ≥ 3. Distances are "
                    "relative: ‖β̂_α − β*‖/‖β*‖.",
        points=kr5_points, measure=measure_limits, predict=kr5_predict, compare=kr5_compare,
        perturb=kr5_perturb, figure=kr5_figure,
        audit=AuditSpec(parameter="1/α",
                        quantity=f"‖β̂_α − β*_ℓ1‖/‖β*_ℓ1‖ at D = {KR5_AUDIT_DEPTH} "
                                 "(geometric mean over 3 instances)",
                        ladder=kr5_audit_ladder, points=kr5_audit_points,
                        deviation=kr5_audit_deviation)),
    Claim(
        id="KR-10", title="sparse regression: small α generalises; depth tolerates larger α^D",
        statement="Sparse regression with x ~ N(0, I_d), β* r*-sparse with entries 1/√r*, "
                  "y = ⟨β*, x⟩ + N(0, 0.01): the population error of β̂_α is small for small α "
                  "and large for large α (Fig. 1a), with the excess ℓ1 and ℓ2 norms of Fig. 1b; "
                  "the largest α reaching population error ≤ 0.025 shrinks as N decreases toward "
                  "the number of samples β*_ℓ1 needs (Fig. 1c); deeper models reach it at a "
                  "larger α^D (Fig. 2c).",
        source=f"{PAPER}, §4 (sparse regression, Fig. 1a–c), §5 (Fig. 2c)",
        fidelity=Fidelity.PAPER,
        derivation="No formula: the claim is the paper's experiment, reproduced with the exact "
                   "limits of Thms 1 and 3 (numerics.dln_limit) in place of simulated training.",
        conventions=f"{ALPHA_CONVENTION} {_INSTANCES} The paper gives neither d nor r*: here "
                    "d = 1000, r* = 5; N(0, 0.01) is read as variance 0.01 (σ = 0.1). The same "
                    "seed gives nested instances in N (more samples of one problem). Population "
                    "error ‖β̂_α − β*‖² (exact for isotropic x). α grid: decades of α^D from 1e-24 "
                    "(D = 2) or 1e-12 (D ≥ 3) to 1e2; the largest α with error ≤ 0.025 by bisection "
                    "in log₁₀ α to 0.01. Quick: N ∈ {50, 60, 80, 100}, D = 2, 3, 3 seeds; full: "
                    "N ∈ {45, …, 140}, D = 2, 3, 4, 8 seeds. The claims are judged for N at or "
                    "above the measured ℓ1 sample size (mean ‖β*_ℓ1 − β*‖² ≤ 0.025 from there on).",
        points=kr10_points, measure=measure_sparse, predict=kr10_predict, compare=kr10_compare,
        perturb=kr10_perturb, figure=kr10_figure),
]

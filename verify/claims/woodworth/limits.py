"""Claims KR-3, KR-4, KR-5 and KR-10 of Woodworth et al. (2020): where gradient
flow on a diagonal linear network ends (KR-3 depth 2, Thm 1; KR-4 depth D ≥ 3,
Thm 3: the flow against the minimiser of theory's potential; KR-5 the ℓ1 and ℓ2
limits along α), and what that means for sparse regression (KR-10, Figs. 1, 2c).

No claim kind fits these (a vector limit against a minimiser, two limits along
one ladder, orderings across N and depth): each keeps its own comparison and
names its nearest alternative (:func:`judged_against`).  Conventions (the
paper's): per-factor scale w±(0) = α𝟙; loss ½‖Xβ − y‖²; instances from
:func:`instance`.  The theory side never types a formula: :func:`theory_minimiser`
turns theory's link into a ``numerics`` potential by lambdify, so a wrong link
gives a wrong minimiser.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections import defaultdict

import mpmath
import numpy as np
import sympy as sp

from numerics import (SeparablePotential, dln_limit, gradient_flow, min_l1_interpolant,
                      min_l2_interpolant, min_potential_interpolant)
from numerics.fits import mean_ci
from numerics.potential_quadrature import inverse_link_and_q_D
from theory import (SYMBOLS, deep_potential, h_D_inverse_series, hypentropy_potential, l1_limit,
                    l2_limit, q_D_series)
from verify.claim import Alternative, AuditSpec, Claim, Fidelity, Outcome, Verdict
from verify.claims.common import Uncertified, certified, log_floor, panels, verdict_on_rows

PAPER = "Woodworth et al. 2020"
_S = SYMBOLS
ALPHA_CONVENTION = ("α is the per-factor scale of the paper: w₊(0) = w₋(0) = α𝟙, so β = w₊^D − w₋^D "
                    "starts at 0 with each branch at α^D.")
_INSTANCES = ("Instances (one generator for all four claims): X with i.i.d. N(0, 1) entries; "
              "β* with r entries 1/√r on random coordinates; y = Xβ* + σ·N(0, I).")


def instance(point):
    """(X, y, β*) for a point's ``seed``, ``n``, ``d``, ``sparsity`` r and ``noise`` σ.

    X has i.i.d. N(0, 1) entries; β* has r entries 1/√r on coordinates drawn without
    replacement (§4); y = Xβ* + σ·ε, ε ~ N(0, I_n).  Support, X and ε come from three
    streams of the seed, so instances with the same seed are nested in n.
    """
    support_rng, x_rng, noise_rng = np.random.default_rng(point["seed"]).spawn(3)
    n, d, r = point["n"], point["d"], point["sparsity"]
    beta = np.zeros(d)
    if r:
        beta[support_rng.choice(d, size=r, replace=False)] = 1 / math.sqrt(r)
    X = x_rng.standard_normal((n, d))
    return X, X @ beta + point["noise"] * noise_rng.standard_normal(n), beta


def alpha_of(log10_alpha):
    """α = 10^k; as text below float64's range (dln_limit reads ``"1e-1000"``)."""
    return 10.0 ** log10_alpha if log10_alpha >= -300 else f"1e{int(log10_alpha)}"


def relative_distance(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def judged_against(verdict, alternative):
    """``verdict`` with its nearest ``alternative``; a claim that holds but cannot
    reject it is inconclusive, and the reason names it (issue 15)."""
    if verdict.outcome is Outcome.HOLDS and not alternative.rejected:
        return dataclasses.replace(
            verdict, outcome=Outcome.INCONCLUSIVE, alternative=alternative,
            reason=f"the measurement cannot tell the claim from its nearest alternative "
                   f"({alternative.prediction}). {verdict.reason}")
    return dataclasses.replace(verdict, alternative=alternative)


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
               "at relative residual 1e-12; against the exact limit its error is ≲ 1e-11 with Radau "
               "and ≲ 1e-9 with LSODA (worst at D = 3, α = 1e-3); the theory's minimiser is "
               "certified to 1e-20 at 30 digits. 1e-8 leaves ≥ 10× headroom")
FLOW_CHECK = "GF vs argmin Q"


def flow_points(depths, log10_alphas, seeds, n, d, method):
    """Gradient-flow points on random Gaussian instances (β* = 0, y ~ N(0, I))."""
    return [{"kind": "flow", "depth": depth, "log10_alpha": k, "seed": seed, "n": n, "d": d,
             "sparsity": 0, "noise": 1.0, "method": method}
            for depth in depths for k in log10_alphas for seed in seeds]


def measure_flow(point):
    """β at the end of gradient flow (``numerics.gradient_flow``, an ODE in w±), certified."""
    X, y, _ = instance(point)
    flow = gradient_flow(X, y, alpha_of(point["log10_alpha"]), point["depth"],
                         method=point["method"])
    return {"beta": certified(flow, "gradient flow").tolist(),
            "residual": flow.certificate.primal_residual}


def flow_rows(links, results):
    """One row per gradient-flow point: its distance to the minimiser of ``links``'
    potential; and the points whose minimiser could not be certified."""
    rows, problems = [], []
    for point, measured in results:
        if point["kind"] != "flow":
            continue
        where = f"D = {point['depth']}, α = 1e{point['log10_alpha']:g}, seed {point['seed']}"
        X, y, _ = instance(point)
        theory = theory_minimiser(links[str(point["depth"])], X, y, point["log10_alpha"])
        if not theory.ok:
            problems.append(f"the theory potential's minimiser at {where}: {theory.message}")
            continue
        rows.append({"check": FLOW_CHECK, "depth": point["depth"], "at": where,
                     "log10_alpha": point["log10_alpha"],
                     "deviation": relative_distance(measured["beta"], theory.value),
                     "tolerance": FLOW_TOLERANCE, "GF residual": measured["residual"]})
    return rows, problems


def kr3_predict(size):
    return {"links": {"2": link_entry(2)}}


def kr3_perturb(prediction):
    """The nearest alternative: the link without its factor 2 (α² sinh ν), i.e. the
    right potential at α/√2 — a rescaling of α the data must tell apart."""
    entry = prediction["links"]["2"]
    return {"links": {"2": {**entry, "link": entry["link"] / 2}}}


def kr3_compare(prediction, results):
    rows, problems = flow_rows(prediction["links"], results)
    other, _ = flow_rows(kr3_perturb(prediction)["links"], results)
    worst = max((row["deviation"] for row in rows), default=math.nan)
    farthest = max((row["deviation"] for row in other), default=math.nan)
    verdict = verdict_on_rows(
        rows, problems, f"β_α(∞) = argmin Q_α s.t. Xβ = y, Q_α from the link β = "
                        f"{prediction['links']['2']['link']}",
        f"gradient flow on {len(rows)} instance×α points: max ‖β_GF − β̂_Q‖/‖β̂_Q‖ = {worst:.3g}",
        FLOW_TOLERANCE, FLOW_REASON)
    # told apart where the two minimisers differ by more than the tolerance (they merge at α → ∞)
    return judged_against(verdict, Alternative(
        "Q_α from the link α² sinh ν (no factor 2: the potential at α/√2)", farthest,
        farthest > FLOW_TOLERANCE))


SERIES_DIGITS = 50
SERIES_ORDER = 8      # theory's truncations through t⁷ (h_D⁻¹) and t⁶ (q_D)
KR4_DEPTHS = (3, 4, 5)


def series_entry(depth):
    """Theory's Taylor polynomials of h_D⁻¹ and q_D at 0 (order SERIES_ORDER) and their
    first two omitted terms (from the same series at n + 2 and n + 4)."""
    def parts(series):
        s0, s1, s2 = (series(depth, SERIES_ORDER + j).expr for j in (0, 2, 4))
        return {"polynomial": s0, "first omitted": sp.expand(s1 - s0),
                "second omitted": sp.expand(s2 - s1)}
    return {"h_D⁻¹": parts(h_D_inverse_series), "q_D": parts(q_D_series)}


def measure_deep(point):
    """A gradient-flow point, or a series point: h_D⁻¹(t) and q_D(t) at 50 digits."""
    if point["kind"] == "flow":
        return measure_flow(point)
    with mpmath.workdps(SERIES_DIGITS):
        value, q, error = inverse_link_and_q_D(point["depth"], point["t"])
        return {"inverse": str(value), "q": str(q), "quadrature_error": mpmath.nstr(error, 5)}


@functools.lru_cache(maxsize=None)
def _in_t(expr):
    return sp.lambdify(_S.t, expr, "mpmath")


def series_rows(series, results):
    """Rows for the series points: ρ = (numeric − polynomial)/(first omitted term).

    For the Taylor series ρ = 1 + (second omitted)/(first omitted)·(1 + r), r the further
    terms relative to the second; at |t| ≤ 0.1 theory's coefficients change by at most
    ~2× per two orders, so |r| ≲ 0.02: the tolerance on |ρ − 1| is twice theory's
    |second/first| plus the measurement's error (50 digits, the quadrature's estimate)
    relative to the first omitted term.
    """
    rows = []
    for point, measured in results:
        if point["kind"] != "series":
            continue
        parts = series[str(point["depth"])]
        with mpmath.workdps(SERIES_DIGITS):
            at = mpmath.mpf(point["t"])
            for name, key, error in (("h_D⁻¹", "inverse", 0), ("q_D", "q",
                                                              measured["quadrature_error"])):
                value = mpmath.mpf(measured[key])
                polynomial, first, second = (_in_t(parts[name][part])(at) for part in
                                             ("polynomial", "first omitted", "second omitted"))
                floor = (abs(value) * mpmath.mpf(10) ** (5 - SERIES_DIGITS)
                         + mpmath.mpf(error)) / abs(first)
                rows.append({"check": f"{name} series", "depth": point["depth"],
                             "at": f"t = {point['t']}",
                             "deviation": float(abs((value - polynomial) / first - 1)),
                             "tolerance": float(2 * abs(second / first) + floor),
                             "t": point["t"], "remainder": float(abs(value - polynomial)),
                             "first omitted": float(abs(first))})
    return rows


def kr4_points(size):
    quick = size == "quick"
    flows = flow_points(KR4_DEPTHS, [-3.0, -1.0, 1.0, 2.0] if quick else
                        [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0], [0] if quick else [0, 1, 2],
                        8 if quick else 20, 20 if quick else 60, "LSODA")
    ts = ["1e-3", "1e-2", "1e-1"] if quick else ["1e-4", "1e-3", "1e-2", "3e-2", "1e-1", "-1e-2",
                                                 "-1e-1"]
    return flows + [{"kind": "series", "depth": depth, "t": t} for depth in KR4_DEPTHS for t in ts]


def kr4_predict(size):
    return {"links": {str(depth): link_entry(depth) for depth in KR4_DEPTHS},
            "series": {str(depth): series_entry(depth) for depth in KR4_DEPTHS}}


def kr4_perturb(prediction):
    """The nearest alternative: every depth D predicted with the link and series of D + 1."""
    return {"links": {key: link_entry(int(key) + 1) for key in prediction["links"]},
            "series": {key: series_entry(int(key) + 1) for key in prediction["series"]}}


def kr4_compare(prediction, results):
    rows, problems = flow_rows(prediction["links"], results)
    rows += series_rows(prediction["series"], results)
    # the neighbouring depth's series, judged on the same (cheap) series points
    other = series_rows({key: series_entry(int(key) + 1) for key in prediction["series"]}, results)
    ratio = max((row["deviation"] / row["tolerance"] for row in other), default=math.nan)

    def worst(check):
        return max((row["deviation"] for row in rows if row["check"] == check), default=math.nan)

    verdict = verdict_on_rows(
        rows, problems, "β_{α,D}(∞) = argmin Σ q_D(βᵢ/α^D), q_D = ∫h_D⁻¹ (D = 3, 4, 5); h_D⁻¹ "
                        "and q_D equal theory's Taylor series at 0",
        f"max ‖β_GF − β̂_Q‖/‖β̂_Q‖ = {worst(FLOW_CHECK):.3g} (tol. {FLOW_TOLERANCE:g}); series: "
        f"max |ρ − 1| = {worst('h_D⁻¹ series'):.3g} (h_D⁻¹), {worst('q_D series'):.3g} (q_D)",
        None, "deviation = the worst ratio of a check's deviation to its own tolerance (holds iff "
              f"≤ 1). GF vs argmin Q^D_α: {FLOW_REASON}. Series: ρ = (numeric − theory's "
              "polynomial)/(theory's first omitted term) must be 1 + (second omitted)/(first "
              "omitted), to twice that ratio plus the 50-digit measurement error")
    return judged_against(verdict, Alternative(
        "the neighbouring depth's h_{D+1}⁻¹ and q_{D+1} series (judged on the series points, in "
        "units of their tolerance)", ratio, ratio > 1))


def flow_figure(prediction, results, verdict):
    """GF vs theory's minimiser along α per depth; for KR-4 also the series remainders
    against theory's first omitted term."""
    series = [row for row in verdict.rows if "t" in row]
    figure, axes = panels(1 + bool(series))
    for depth in sorted({row["depth"] for row in verdict.rows if row["check"] == FLOW_CHECK}):
        chosen = [row for row in verdict.rows if row["check"] == FLOW_CHECK and row["depth"] == depth]
        axes[0].loglog([10.0 ** row["log10_alpha"] for row in chosen],
                       log_floor([row["deviation"] for row in chosen]), "o", label=f"D = {depth}")
    axes[0].axhline(FLOW_TOLERANCE, color="k", linestyle="--", linewidth=1, label="tolerance")
    axes[0].set(xlabel="α", ylabel="‖β_GF − β̂_Q‖/‖β̂_Q‖", title="gradient flow vs theory's minimiser")
    axes[0].legend(fontsize="small")
    if series:
        for index, row in enumerate(sorted(series, key=lambda r: (r["check"], r["depth"]))):
            axes[1].loglog(abs(float(row["t"])), row["remainder"], "o" if "h_D" in row["check"]
                           else "s", color=f"C{row['depth']}", fillstyle="none")
            axes[1].loglog(abs(float(row["t"])), row["first omitted"], "_", color=f"C{row['depth']}",
                           markersize=10)
        axes[1].set(xlabel="|t|", ylabel="|numeric − Taylor polynomial|",
                    title="series remainder (o h_D⁻¹, □ q_D) vs first omitted term (—)")
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
KR5_QUICK = {"seeds": [0, 1, 2], "n": 10, "d": 30}


def kr5_ladder(depth):
    """log₁₀ α of the ladder.  Depth 2 approaches ℓ1 like α^{2(1−ρ)} (ρ < 1 a null-space
    constant, close to 1 on Gaussian instances), so its ladder goes down to α = 1e-10000;
    D ≥ 3 is at the floor by α ≈ 1e-6."""
    common = [-100.0, -30.0, -10.0, -6.0, -5.0, -4.5, -4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0,
              -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0]
    return ([-10000.0, -3000.0, -1000.0, -300.0] if depth == 2 else []) + common


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


def kr5_perturb(prediction):
    """The nearest alternative: the limits swapped (ℓ2 as α → 0, ℓ1 as α → ∞)."""
    return {**prediction, "alpha_to_0": prediction["alpha_to_infinity"],
            "alpha_to_infinity": prediction["alpha_to_0"]}


def _ladders(results):
    """(depth, seed) → the ladder's points sorted by α, as (log₁₀ α, measurement)."""
    ladders = defaultdict(list)
    for point, measured in results:
        ladders[(point["depth"], point["seed"])].append((point["log10_alpha"], measured))
    return {key: sorted(ladder, key=lambda pair: pair[0]) for key, ladder in sorted(ladders.items())}


def _largest_step_against(distances):
    """The largest increase between consecutive entries (0 if they never increase)."""
    return max([b - a for a, b in zip(distances, distances[1:])] + [0.0])


def _kr5_rows(prediction, results):
    small, large = "to_" + prediction["alpha_to_0"], "to_" + prediction["alpha_to_infinity"]
    rows = []
    for (depth, seed), ladder in _ladders(results).items():
        ks = [k for k, _ in ladder]
        to_small = [measured[small] for _, measured in ladder]
        to_large = [measured[large] for _, measured in ladder]
        rows.append({"depth": depth, "seed": seed, "smallest α": f"1e{ks[0]:g}",
                     "largest α": f"1e{ks[-1]:g}",
                     "distance to the α → 0 limit at the smallest α": to_small[0],
                     "distance to the α → ∞ limit at the largest α": to_large[-1],
                     # walking towards each limit on its side of α = 1, its distance must not grow
                     "largest step away": max(
                         _largest_step_against([v for k, v in zip(ks, to_small) if k <= 0][::-1]),
                         _largest_step_against([v for k, v in zip(ks, to_large) if k >= 0]))})
    ends = [max(row["distance to the α → 0 limit at the smallest α"],
                row["distance to the α → ∞ limit at the largest α"]) for row in rows]
    return rows, max(ends), max(row["largest step away"] for row in rows)


def kr5_compare(prediction, results):
    """Ends within LIMIT_END of the predicted limits, and a monotone approach to each
    limit on its half of the ladder (α^D = 1 is where the branches start at the scale
    of these instances' β)."""
    rows, end, step = _kr5_rows(prediction, results)
    _, swapped, _ = _kr5_rows(kr5_perturb(prediction), results)
    holds = end <= LIMIT_END and step <= MONOTONE_SLACK
    verdict = Verdict(
        Outcome.HOLDS if holds else Outcome.DEVIATES,
        f"β̂_α → β*_{_NORM[prediction['alpha_to_0']]} as α → 0 and → "
        f"β*_{_NORM[prediction['alpha_to_infinity']]} as α → ∞, each approached monotonically "
        "on its side of α = 1",
        f"{len(rows)} ladders: worst end distance {end:.3g}, largest step away from a limit on its "
        f"side {step:.3g}", end, LIMIT_END,
        f"{LIMIT_END_REASON}; monotone: no step away from a limit on its side larger than "
        f"{MONOTONE_SLACK:g}, the float64 accuracy of certified limits at the smallest α", rows)
    return judged_against(verdict, Alternative("the limits swapped: β*_ℓ2 as α → 0, β*_ℓ1 as "
                                               "α → ∞", swapped, swapped > LIMIT_END))


def kr5_figure(prediction, results, verdict):
    ladders = _ladders(results)
    depths = sorted({depth for depth, _ in ladders})
    figure, axes = panels(len(depths))
    for depth, panel in zip(depths, axes):
        for index, ladder in enumerate(l for (of_depth, _), l in ladders.items() if of_depth == depth):
            ks = [k for k, _ in ladder]
            for limit, style in (("l1", "o-"), ("l2", "s--")):
                panel.plot(ks, log_floor([measured["to_" + limit] for _, measured in ladder]),
                           style, color=f"C{index % 10}", markersize=3, linewidth=0.8,
                           label=f"to β*_{_NORM[limit]}" if index == 0 else None)
        panel.axhline(LIMIT_END, color="k", linestyle=":", linewidth=1, label="end threshold")
        # α spans ten thousand decades for D = 2: linear in log₁₀ α near 1, logarithmic beyond
        panel.set_xscale("symlog", linthresh=10)
        panel.set(yscale="log", xlabel="log₁₀ α", ylabel="‖β̂_α − β*‖/‖β*‖",
                  title=f"KR-5, D = {depth}: exact limits along α (a colour per seed)")
        panel.legend(fontsize="small")
    return figure


def kr5_audit():
    """‖β̂_α − β*_ℓ1‖/‖β*_ℓ1‖ at D = 3 (geometric mean over the quick instances) along 1/α,
    on rungs past the transition (from α ≈ 10^-2.5) and above the float64 floor."""
    def points(value):
        k = -round(math.log10(value) * 2) / 2     # back to the ladder's exact log₁₀ α
        return [kr5_point(3, k, seed, KR5_QUICK["n"], KR5_QUICK["d"]) for seed in KR5_QUICK["seeds"]]
    return AuditSpec(parameter="1/α", quantity="‖β̂_α − β*_ℓ1‖/‖β*_ℓ1‖ at D = 3 (geometric mean "
                                                "over 3 instances)",
                     ladder=lambda size: [10.0 ** (e / 2) for e in (range(5, 9) if size == "quick"
                                                                    else range(6, 11))],
                     points=points, deviation=lambda results: float(np.exp(np.mean(
                         [math.log(measured["to_l1"]) for _, measured in results]))))


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
    return {"sign": 1, "statements": [
        "small α generalises, large α does not (Fig. 1a)",
        "the largest α reaching the target shrinks as N decreases toward the ℓ1 sample "
        "complexity (Fig. 1c)", "deeper models reach the target at a larger α^D (Fig. 2c, §5)"]}


def kr10_perturb(prediction):
    """The nearest alternative: every statement reversed."""
    return {**prediction, "sign": -prediction["sign"]}


def _sparse_table(results):
    """(depth, N) → the seeds' measurements, in seed order."""
    table = defaultdict(list)
    for point, measured in sorted(results, key=lambda pair: pair[0]["seed"]):
        table[(point["depth"], point["n"])].append(measured)
    return table


def _log_alpha_d(depth, measured):
    """(log₁₀ α^D_max, censored): without a good α the grid's smallest α^D counts, an
    upper bound on the true value."""
    top = measured["log10_alpha_max"]
    return depth * (sparse_grid(depth)[0] if top is None else top), top is None


def l1_sample_size(table):
    """The smallest N from which on the seeds' mean ‖β*_ℓ1 − β*‖² is at most the target
    (Fig. 1c's dashed line); None if none is."""
    ns = sorted({n for _, n in table})
    depth = min(depth for depth, _ in table)
    good = [np.mean([m["error_l1"] for m in table[(depth, n)]]) <= TARGET_ERROR for n in ns]
    return next((n for index, n in enumerate(ns) if all(good[index:])), None)


def kr10_compare(prediction, results):
    sign = prediction["sign"]
    table = _sparse_table(results)
    depths = sorted({depth for depth, _ in table})
    n_l1 = l1_sample_size(table)
    if n_l1 is None:
        return Verdict(Outcome.INCONCLUSIVE, "; ".join(prediction["statements"]), "—", None, 0,
                       f"β*_ℓ1 misses the target error {TARGET_ERROR} at every N measured: "
                       "measure larger N", alternative=Alternative("every statement reversed",
                                                                   None, False))
    ns = sorted(n for n in {n for _, n in table} if n >= n_l1)
    rows = []

    def inequality(text, depth, n, values):
        mean, half = mean_ci(values)
        rows.append({"inequality": text, "depth": depth, "N": n, "value": mean, "95 % CI ±": half,
                     "holds": bool(sign * mean >= 0),
                     "opposite rejected": bool(sign * mean - half > 0)})

    for depth in depths:
        for n in ns:          # Fig. 1a: the error falls by the factor from the largest α to the smallest
            inequality(f"mean log₁₀(error at the largest α / at the smallest α) − log₁₀ "
                       f"{REGIME_FACTOR:g} ≥ 0", depth, n,
                       [math.log10(m["errors"][-1] / m["errors"][0] / REGIME_FACTOR)
                        for m in table[(depth, n)]])
        for n, after in zip(ns, ns[1:]):    # Fig. 1c: the good α rises with N (paired by seed)
            inequality(f"log₁₀ α^D_max(N = {after}) − log₁₀ α^D_max(N = {n}) ≥ 0", depth, n,
                       [_log_alpha_d(depth, b)[0] - _log_alpha_d(depth, a)[0]
                        for a, b in zip(table[(depth, n)], table[(depth, after)])])
    for shallow, deep in zip(depths, depths[1:]):     # Fig. 2c: deeper tolerates a larger α^D
        for n in ns:
            # a censored deeper value bounds nothing: leave the pair out
            differences = [_log_alpha_d(deep, a)[0] - _log_alpha_d(shallow, b)[0]
                           for a, b in zip(table[(deep, n)], table[(shallow, n)])
                           if not _log_alpha_d(deep, a)[1]]
            if len(differences) > 1:
                inequality(f"log₁₀ α^{deep}_max − log₁₀ α^{shallow}_max ≥ 0 (paired)", deep, n,
                           differences)
    failed = sum(not row["holds"] for row in rows)
    unresolved = [f"{row['inequality']} (D = {row['depth']}, N = {row['N']})" for row in rows
                  if not row["opposite rejected"]]
    alternative = Alternative("every statement reversed: large α generalises, the good α shrinks "
                              "with N, shallower models tolerate a larger α^D",
                              min(sign * row["value"] for row in rows), not unresolved)
    reason = (f"each inequality must hold for the seed mean (the paper's figures are seed "
              f"averages), for N ≥ {n_l1} where mean ‖β*_ℓ1 − β*‖² ≤ {TARGET_ERROR}. Fig. 1a: the "
              f"error at the grid's smallest α must be {REGIME_FACTOR:g}× below the error at its "
              "largest; Fig. 1c: log₁₀ α^D_max must not fall as N grows; Fig. 2c: log₁₀ α^D_max "
              "must be larger for the deeper model (paired by instance). An instance without a "
              "good α counts at the grid's smallest α^D (an upper bound: conservative). The "
              "reversed statements are rejected where the 95 % interval lies on the claimed side")
    outcome = (Outcome.DEVIATES if failed else Outcome.INCONCLUSIVE if unresolved else Outcome.HOLDS)
    if outcome is Outcome.INCONCLUSIVE:
        reason = (f"the measurement cannot tell the claim from its nearest alternative "
                  f"({alternative.prediction}) at {len(unresolved)} of {len(rows)} inequalities: "
                  f"{'; '.join(unresolved[:4])}. {reason}")
    return Verdict(outcome, "; ".join(prediction["statements"]),
                   f"{len(rows)} inequalities on means over seeds; {failed} fail", float(failed),
                   0.0, reason, rows, alternative)


def kr10_figure(prediction, results, verdict):
    """Fig. 1a (seed-mean error along α, D = 2), 1b (excess norms) and 1c/2c (the largest
    good α^D vs N)."""
    table = _sparse_table(results)
    ns = sorted({n for _, n in table})
    figure, (errors, excess, good) = panels(3)
    for index, n in enumerate(ns):
        seeds = table[(2, n)]
        errors.loglog(10.0 ** np.array(seeds[0]["log10_alphas"]),
                      np.mean([m["errors"] for m in seeds], axis=0), "-", color=f"C{index}",
                      label=f"N = {n}")
    errors.axhline(TARGET_ERROR, color="k", linestyle="--", linewidth=1, label="target 0.025")
    errors.set(xlabel="α", ylabel="‖β̂_α − β*‖² (seed mean)", title="KR-10, Fig. 1a (D = 2)")
    errors.legend(fontsize="x-small")
    middle = table[(2, ns[len(ns) // 2])]     # Fig. 1b: shown, not judged
    for key, text in (("excess_l1", "‖β̂_α‖₁ − ‖β*_ℓ1‖₁"), ("excess_l2", "‖β̂_α‖₂ − ‖β*_ℓ2‖₂")):
        excess.loglog(10.0 ** np.array(middle[0]["log10_alphas"]),
                      log_floor(np.mean([m[key] for m in middle], axis=0)), "o-", markersize=3,
                      label=text)
    excess.set(xlabel="α", ylabel="excess norm (seed mean)",
               title=f"Fig. 1b, D = 2, N = {ns[len(ns) // 2]}")
    excess.legend(fontsize="x-small")
    for depth in sorted({depth for depth, _ in table}):
        stats = np.array([mean_ci([_log_alpha_d(depth, m)[0] for m in table[(depth, n)]])
                          for n in ns])
        good.errorbar(ns, stats[:, 0], yerr=np.nan_to_num(stats[:, 1]), fmt="o-", capsize=3,
                      label=f"D = {depth}")
    good.set(xlabel="N", ylabel="log₁₀ α^D reaching error ≤ 0.025",
             title="Fig. 1c / 2c (seed means, 95 % CI)")
    good.legend(fontsize="small")
    return figure


# =============================================================================
# The claims
# =============================================================================

def _derivation(*entries):
    return "\n\n".join(f"{entry['source']}: {entry['derivation']}" for entry in entries)


CLAIMS = [
    Claim(
        id="KR-3", title="depth 2: gradient flow ends at the minimiser of Q_α",
        statement="For every 0 < α < ∞, gradient flow on β = w₊² − w₋² from w± = α𝟙 converges to "
                  "argmin Q_α(β) s.t. Xβ = y, Q_α(β) = Σᵢ q(βᵢ/α²), q(z) = ∫₀ᶻ arcsinh(u/2) du.",
        source=f"{PAPER}, Thm 1, eq. (5); proof in App. A, eqs. (9)–(19)", fidelity=Fidelity.PAPER,
        derivation=_derivation(link_entry(2)),
        conventions=f"{ALPHA_CONVENTION} {_INSTANCES} Here r = 0, σ = 1: y ~ N(0, I). Quick: "
                    "n = 10, d = 30, α ∈ {1e-3, …, 1e2} (decades), 2 seeds, LSODA; full: n = 20, "
                    "d = 60, half decades, 4 seeds, Radau. The theory's minimiser: Newton at 30 "
                    "digits on the dual of theory's potential (link 2α² sinh ν, lambdified), "
                    "warm-started at numerics.dln_limit's dual vector and certified on its own.",
        points=lambda size: (flow_points([2], [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0], [0, 1], 10, 30,
                                         "LSODA") if size == "quick" else
                             flow_points([2], [k / 2 for k in range(-6, 5)], [0, 1, 2, 3], 20, 60,
                                         "Radau")),
        measure=measure_flow, predict=kr3_predict, compare=kr3_compare, perturb=kr3_perturb,
        figure=flow_figure),
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
                    "α ∈ {1e-3, …, 1e2}, 3 seeds; LSODA throughout (≲ 1e-9 from the exact limit). "
                    "The theory's minimiser as in KR-3, with the link α^D·h_D(ν). h_D⁻¹ by root "
                    "finding on numerics' h_D at 50 digits, q_D by tanh-sinh quadrature of it "
                    "(numerics.potential_quadrature); t ∈ ±[1e-4, 0.1].",
        points=kr4_points, measure=measure_deep, predict=kr4_predict, compare=kr4_compare,
        perturb=kr4_perturb, figure=flow_figure),
    Claim(
        id="KR-5", title="α → 0 gives the ℓ1 interpolator, α → ∞ the ℓ2 interpolator",
        statement="For every depth D ≥ 2 the gradient-flow limit β̂_α tends to β*_ℓ1 = argmin ‖β‖₁ "
                  "s.t. Xβ = y as α → 0 (rich regime) and to β*_ℓ2 = argmin ‖β‖₂ as α → ∞ "
                  "(kernel regime); checked along an α ladder: its ends sit within 1e-6 of the "
                  "limits, and each limit is approached monotonically on its side of α = 1.",
        source=f"{PAPER}, §4 (after Thm 1), Thm 2, Thm 3 ('Furthermore, …')",
        fidelity=Fidelity.PAPER,
        derivation="\n\n".join(f"{prediction.name}: {prediction.derivation}" for depth in (2, 3)
                               for prediction in (l1_limit(depth), l2_limit(depth)))
        + "\n\nThe normalised potentials tend to ‖β‖₁ and ‖β‖₂²; their minimisers on Xβ = y "
          "therefore tend to β*_ℓ1 and β*_ℓ2 (unique on these Gaussian instances).",
        conventions=f"{ALPHA_CONVENTION} {_INSTANCES} Here r = 0, σ = 1; quick: n = 10, d = 30, "
                    "D = 2, 3, 3 seeds; full: n = 20, d = 60, D = 2, 3, 4, 8 seeds. Exact limits "
                    "by numerics.dln_limit in float64 (log space); the ladder reaches α = "
                    "1e-10000 for D = 2, whose approach to ℓ1 is only logarithmic in α when the "
                    "dual certificate is nearly tight, and 1e-100 for D ≥ 3. Distances are "
                    "relative: ‖β̂_α − β*‖/‖β*‖.",
        points=kr5_points, measure=measure_limits, predict=kr5_predict, compare=kr5_compare,
        perturb=kr5_perturb, figure=kr5_figure, audit=kr5_audit()),
    Claim(
        id="KR-10", title="sparse regression: small α generalises; depth tolerates larger α^D",
        statement="Sparse regression with x ~ N(0, I_d), β* r*-sparse with entries 1/√r*, "
                  "y = ⟨β*, x⟩ + N(0, 0.01): the population error of β̂_α is small for small α "
                  "and large for large α (Fig. 1a); the largest α reaching population error "
                  "≤ 0.025 shrinks as N decreases toward the number of samples β*_ℓ1 needs "
                  "(Fig. 1c); deeper models reach it at a larger α^D (Fig. 2c).",
        source=f"{PAPER}, §4 (sparse regression, Fig. 1a–c), §5 (Fig. 2c)",
        fidelity=Fidelity.PAPER,
        derivation="No formula: the claim is the paper's experiment, reproduced with the exact "
                   "limits of Thms 1 and 3 (numerics.dln_limit) in place of simulated training.",
        conventions=f"{ALPHA_CONVENTION} {_INSTANCES} The paper gives neither d nor r*: here "
                    "d = 1000, r* = 5; N(0, 0.01) is read as variance 0.01 (σ = 0.1). The same "
                    "seed gives nested instances in N. Population error ‖β̂_α − β*‖² (exact for "
                    "isotropic x). α grid: decades of α^D from 1e-24 (D = 2) or 1e-12 (D ≥ 3) to "
                    "1e2; the largest α with error ≤ 0.025 by bisection in log₁₀ α to 0.01. Quick: "
                    "N ∈ {50, 60, 80, 100}, D = 2, 3, 3 seeds; full: N ∈ {45, …, 140}, D = 2, 3, "
                    "4, 8 seeds. Judged for N at or above the measured ℓ1 sample size; Fig. 1b "
                    "(excess ℓ1 and ℓ2 norms) is shown, not judged.",
        points=kr10_points, measure=measure_sparse, predict=kr10_predict, compare=kr10_compare,
        perturb=kr10_perturb, figure=kr10_figure),
]

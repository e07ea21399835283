"""Claims KR-1, KR-2, KR-6 … KR-9 of Woodworth et al. (2020): the formulas and
inequalities about the diagonal-network potentials, against high-precision numerics.
Every bisection in ln α goes through :func:`_bisect`.
"""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import sympy as sp

from numerics import dln_limit, min_l1_interpolant, min_l2_interpolant
from numerics.potential_quadrature import quadrature_q
from theory import (SYMBOLS, deep_potential, lemma1_bounds, lemma1_threshold, lemma2,
                    lemma3_bounds, lemma3_threshold, q_asymptotic, q_D_asymptotic, q_prediction,
                    q_series, q_stable_prediction, ratio_e1_flat, theorem2_l1_threshold,
                    theorem2_l2_sharper_threshold, theorem2_l2_threshold,
                    theorem2_thresholds_from_proof, transition_scale)
from verify.claim import AuditSpec
from verify.claims.common import certified
from verify.kinds import Bound, Formula
from verify.kinds.bound import relative_margin

from .proofs import bound_proofs

PAPER = "Woodworth et al. 2020"
DIGITS = 50          # KR-1, KR-7: the claims' stated precision
RATIO_DIGITS = 30    # KR-8, KR-9: the crossing is wanted to 1e-20 in ln α; 30 digits leave 10 spare
CROSSING_WIDTH = mpmath.mpf("1e-20")  # bisection bracket in ln α for the Fig. 2b crossing
_S = SYMBOLS


@functools.lru_cache(maxsize=None)
def _lambdified(expr, symbols):
    return sp.lambdify(symbols, expr, "mpmath")


def _mp(expr, *symbols):
    """``expr`` as an mpmath function of ``symbols`` (arguments become mpf first: fed
    floats, lambdified code computes in float64 wherever there is no function call)."""
    function = _lambdified(sp.sympify(expr), tuple(symbols))
    return lambda *args: function(*(mpmath.mpf(arg) for arg in args))


def _bisect(above, lo, hi, width):
    """The crossing of a monotone predicate (``above(lo)`` false, ``above(hi)`` true),
    bracketed to ``width``."""
    while hi - lo > width:
        mid = (lo + hi) / 2
        if above(mid):
            hi = mid
        else:
            lo = mid
    return lo, hi


@functools.lru_cache(maxsize=None)
def _ordered_terms(expr, symbol, probe):
    """The additive terms of ``expr``, largest first at ``symbol = probe``."""
    terms = sp.Add.make_args(sp.expand(expr))
    return tuple(sorted(terms, key=lambda term: -abs(float(term.subs(symbol, probe)))))


def _derivations(*predictions):
    return "\n\n".join(f"{prediction.name}: {prediction.derivation}" for prediction in predictions)


# =============================================================================
# KR-1 and KR-2: q by quadrature
# =============================================================================

def _digits_for(z):
    """KR-2: the last term of either expansion is ~|z|^{±8} relative to q: 10·|log₁₀ z|
    digits resolve it, plus 30 for the comparisons below it."""
    return 30 + 10 * math.ceil(abs(math.log10(abs(z))))


def measure_quadrature(point):
    """q(z) by quadrature, as text (KR-1 at 50 digits, KR-2 at :func:`_digits_for`); a
    quadrature whose own error estimate exceeds the claims' tolerance is no measurement."""
    digits = point.get("digits", DIGITS)
    with mpmath.workdps(digits):
        value, error = quadrature_q(point["z"])
        if abs(error) > abs(value) * mpmath.mpf(10) ** (10 - digits):
            raise ArithmeticError(f"quadrature of q at z = {point['z']}: error estimate "
                                  f"{mpmath.nstr(error, 3)} leaves fewer than {digits - 10} digits")
        return {"value": mpmath.nstr(value, digits)}


def closed_form_q(point, offset=0):
    """KR-1: Thm 1's closed form (times 1 + ``offset``), with the 2·|log₁₀ z| digits that
    2 − √(4+z²) ≈ −z²/4 cancels near 0 added to the working precision."""
    z = mpmath.mpf(point["z"])
    guard = 10 + 2 * max(0, -int(mpmath.floor(mpmath.log10(abs(z)))))
    with mpmath.workdps(DIGITS + guard):
        return _mp(q_prediction().expr, _S.z)(z) * (1 + mpmath.mpf(offset))


def _expansion(z):
    """KR-2: (terms of the truncation covering z, largest first; its first omitted term):
    q_series through z¹⁰ for |z| < 1, q_asymptotic through z⁻⁵ beyond."""
    if abs(z) < 1:
        kept, longer, probe = q_series(12).expr, q_series(14).expr, sp.Rational(1, 1000)
    else:
        kept, longer, probe = q_asymptotic(6).expr, q_asymptotic(8).expr, sp.Integer(10 ** 6)
    return _ordered_terms(kept, _S.z, probe), sp.expand(longer - kept)


def _truncation(point, drop=0):
    """KR-2: theory's truncated expansion at z, without its last ``drop`` terms."""
    terms, _ = _expansion(point["z"])
    with mpmath.workdps(point["digits"]):
        return +_mp(sum(terms[:len(terms) - drop]), _S.z)(point["z"])


def _truncation_tolerance(point):
    """Twice the first omitted term relative to q (the terms after it are at most as large
    again for |z| ≤ 0.1 and z ≥ 10: theory's coefficients change ≲ 2× per order there),
    plus the 60-digit rounding of the comparison."""
    terms, omitted = _expansion(point["z"])
    with mpmath.workdps(point["digits"]):
        z = mpmath.mpf(point["z"])
        return float(2 * abs(_mp(omitted, _S.z)(z) / _mp(sum(terms), _S.z)(z))) + 1e-55


def _kr2_points(size):
    exponents = range(1, 5) if size == "quick" else [k / 4 for k in range(4, 33)]
    return [{"z": 10.0 ** (sign * k), "digits": _digits_for(10.0 ** k)}
            for sign in (-1, 1) for k in exponents]


def _kr2_deviation(results):
    [(point, measured)] = results
    with mpmath.workdps(point["digits"]):
        q = mpmath.mpf(measured["value"])
        return float(abs(q - mpmath.mpf(point["z"]) ** 2 / 4) / q)


KR1 = Formula(
    id="KR-1", title="the depth-2 potential q in closed form",
    statement="q(z) = ∫₀ᶻ arcsinh(u/2) du = 2 − √(4+z²) + z·arcsinh(z/2) for every real z "
              "(the coordinate potential of Q_α(β) = Σᵢ q(βᵢ/α²)).",
    source=f"{PAPER}, Thm 1, eq. (5)", fidelity="paper",
    derivation=_derivations(q_prediction(), q_stable_prediction()),
    conventions="Negative z are integrated from 0 down to z (evenness is measured). The closed "
                "form gets 2·|log₁₀ z| + 10 extra digits for its cancellation at small z; "
                "differences are relative to q.",
    points={"quick": {"z": [s * 10.0 ** k for s in (1.0, -1.0) for k in range(-8, 9, 2)]},
            "full": {"z": [s * 10.0 ** (k / 4) for s in (1.0, -1.0) for k in range(-32, 33)]}},
    measure=measure_quadrature, formula=closed_form_q,
    # the nearest competitor: the same formula known only to float64; 50 digits must tell it
    alternative=("the closed form to float64 accuracy only (relative offset 1e-16)",
                 functools.partial(closed_form_q, offset="1e-16")),
    tolerance=10.0 ** (5 - DIGITS),
    reason=f"quadrature at {DIGITS} digits (its error estimate checked below 10^−{DIGITS - 10}) "
           f"against the closed form at {DIGITS}+ digits: five digits are left for the rounding "
           f"of the summed pieces, so the two agree to 10^−{DIGITS - 5} when the form is right")

KR2 = Formula(
    id="KR-2", title="q is quadratic at 0 and z log z at ∞",
    statement="q(z) = z²/4 + O(z⁴) as z → 0 (kernel regime) and q(z) = Θ(z log z) as z → ∞ (rich "
              "regime); theory's expansions z²/4 − z⁴/192 + … (through z¹⁰) and "
              "z log z − z + 2 − 1/z + … (through z⁻⁵) are checked to their first omitted term.",
    source=f"{PAPER}, §4 (after Thm 1)", fidelity="paper",
    derivation=_derivations(q_series(12), q_asymptotic(6)),
    conventions="Windows |z| ≤ 0.1 and z ≥ 10 (q is even, which KR-1 measures); q by KR-1's "
                "quadrature at 30 + 10·⌈|log₁₀ z|⌉ digits. Tolerance: twice theory's first "
                "omitted term relative to q, so a wrong kept term fails.",
    points=_kr2_points, measure=measure_quadrature, formula=_truncation,
    alternative=("one order less: the expansions without their last kept term (z¹⁰, z⁻⁵)",
                 functools.partial(_truncation, drop=1)),
    tolerance=_truncation_tolerance,
    reason="truncation after the last kept term: its error is the first omitted term (theory's "
           "next order), held to twice its size relative to q",
    # the relative error of the leading term z²/4 along 1/z (≈ z²/48: decays like z²)
    audit_spec=AuditSpec(
        parameter="1/z", quantity="relative error of z²/4",
        ladder=lambda size: [10.0 ** k for k in (
            range(1, 5) if size == "quick" else [k / 2 for k in range(2, 17)])],
        points=lambda value: [{"z": 1 / value, "digits": _digits_for(value)}],
        deviation=_kr2_deviation))


# =============================================================================
# KR-6: Theorem 2's thresholds
# =============================================================================

KR6_BISECTION_WIDTH = 1e-3   # in ln α: the true threshold to 0.1 %, plenty for "how conservative"


def _sparse_instance(n, d, seed):
    """§4's sparse regression: X ~ N(0, 1), β* 2-sparse with entries 1/√2, y = Xβ*."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    beta = np.zeros(d)
    beta[rng.choice(d, 2, replace=False)] = 1 / math.sqrt(2)
    return X, X @ beta


def measure_theorem2(point):
    """KR-6 on one instance: the exact limits β̂_α at Thm 2's thresholds, on 24 α from the
    ℓ1 regime into the kernel regime, and along bisections for the true thresholds α_ε.
    lhs = the largest excess/ε inside the theorem's ranges, rhs = 1; ``ladder_excess`` =
    the largest over every sample (the alternative "no threshold needed" must fail)."""
    X, y = _sparse_instance(point["n"], point["d"], point["seed"])
    eps = point["epsilon"]
    l1 = certified(min_l1_interpolant(X, y), "min-ℓ1 interpolant")
    l2 = certified(min_l2_interpolant(X, y), "min-ℓ2 interpolant")
    l1_norm, l2_sq = float(np.abs(l1).sum()), float(l2 @ l2)
    with mpmath.workdps(30):
        log_l1 = float(theorem2_l1_threshold().part("log_alpha_max").mpmath(eps, point["d"],
                                                                            l1_norm))
        log_l2 = float(theorem2_l2_threshold().part("log_alpha_min").mpmath(eps,
                                                                            math.sqrt(l2_sq)))

    @functools.cache
    def excess(log_alpha):
        with mpmath.workdps(30):   # α may be far below float64's range: pass it as text
            alpha = mpmath.nstr(mpmath.exp(log_alpha), 20)
        beta = certified(dln_limit(X, y, alpha), f"dln_limit at α = {alpha}")
        return (float(np.abs(beta).sum()) / l1_norm - 1, float(beta @ beta) / l2_sq - 1)

    bottom, top = log_l1 - 1.0, log_l2 + 3.0
    samples = {x: excess(x) for x in [log_l1, log_l2, *map(float, np.linspace(bottom, top, 24))]}
    eps_l1 = eps_l2 = None
    if excess(log_l1)[0] <= eps < excess(top)[0]:       # the largest α with the ℓ1 bound
        eps_l1 = sum(_bisect(lambda x: excess(x)[0] > eps, log_l1, top, KR6_BISECTION_WIDTH)) / 2
    if excess(log_l2)[1] <= eps < excess(bottom)[1]:    # the smallest α with the ℓ2 bound
        eps_l2 = sum(_bisect(lambda x: excess(x)[1] <= eps, bottom, log_l2,
                             KR6_BISECTION_WIDTH)) / 2
    # the theorem's ranges, with a 1e-9 margin: the thresholds are recomputed from the same inputs
    inside = [s[0] for x, s in samples.items() if x <= log_l1 + 1e-9] + \
             [s[1] for x, s in samples.items() if x >= log_l2 - 1e-9]
    return {"lhs": max(inside) / eps, "rhs": 1.0,
            "ladder_excess": max(max(s) for s in samples.values()) / eps,
            "log_alpha_theorem_l1": log_l1, "log_alpha_theorem_l2": log_l2,
            "log_alpha_eps_l1": eps_l1, "log_alpha_eps_l2": eps_l2}


def _kr6_points(size):
    shapes, seeds, epsilons = (((5, 20),), (0, 1), (0.5, 0.05)) if size == "quick" else (
        ((5, 20), (10, 40), (20, 100)), range(4), (0.5, 0.1, 0.01))
    return [{"n": n, "d": d, "seed": seed, "epsilon": eps}
            for n, d in shapes for seed in seeds for eps in epsilons]


def _l2_ratios(eps):
    """Thm 2's printed ℓ2 threshold over the toolkit's sharper sufficient one,
    (192(2+ε)²/ε)^{1/4}, and over the one its proof invokes (Lemma 3 at ε/(2+ε),
    (1+2ε)‖β*‖₂); per unit √‖β*_L2‖₂ (the norm cancels)."""
    e, n2 = _S.epsilon, _S.l2_norm
    printed = theorem2_l2_threshold().expr["alpha_min"]
    sharper = theorem2_l2_sharper_threshold().expr
    proof = theorem2_thresholds_from_proof().expr["l2_alpha_min"]
    return tuple(float((printed / other).subs({e: eps, n2: 1})) for other in (sharper, proof))


def _kr6_diagnostics(results):
    decades = [(m["log_alpha_eps_l1"] - m["log_alpha_theorem_l1"]) / math.log(10)
               for _, m in results if m["log_alpha_eps_l1"] is not None]
    true_l2 = [math.exp(m["log_alpha_theorem_l2"] - m["log_alpha_eps_l2"])
               for _, m in results if m["log_alpha_eps_l2"] is not None]
    notes = []
    if decades:
        notes.append(f"against the TRUE thresholds α_ε (bisection on the exact limits): Thm 2's "
                     f"ℓ1 threshold lies {min(decades):.3g} to {max(decades):.3g} decades below "
                     f"it" + (f", its ℓ2 threshold is {min(true_l2):.3g}× to {max(true_l2):.3g}× "
                              "above it" if true_l2 else ""))
    for eps in sorted({p["epsilon"] for p, _ in results}):
        sharper, proof = _l2_ratios(eps)
        notes.append(f"ε = {eps:g}: printed ℓ2 threshold = {sharper:.3g}× the toolkit's sharper "
                     f"sufficient one (not the true one) and {proof:.3g}× the one the proof "
                     f"invokes ({'looser: the printed proof does not cover it' if proof < 1 else 'covered'})")
    return notes


KR6 = Bound(
    id="KR-6", title="Theorem 2: α thresholds for the ℓ1 and ℓ2 approximations",
    statement="For 0 < ε < d: α ≤ min{(2(1+ε)‖β*_L1‖₁)^{−(2+ε)/(2ε)}, exp(−d/(ε‖β*_L1‖₁))} "
              "implies ‖β̂_α‖₁ ≤ (1+ε)‖β*_L1‖₁, and α ≥ √(2(1+ε)(1+2/ε)‖β*_L2‖₂) implies "
              "‖β̂_α‖₂² ≤ (1+ε)‖β*_L2‖₂². Both statements are true, proved by the toolkit's "
              "corrected argument (theory.theorem2_l1_sufficient_conditions and "
              "theorem2_l2_sharper_threshold; docs/claims.md), not by the printed proof in "
              "every case (see conventions).",
    source=f"{PAPER}, Thm 2 (§4; proof in App. B)", fidelity="paper",
    derivation=_derivations(theorem2_l1_threshold(), theorem2_l2_threshold(),
                            theorem2_thresholds_from_proof(), theorem2_l2_sharper_threshold()),
    conventions="Instances: §4's sparse regression, X ~ N(0, 1)^{n×d}, β* 2-sparse with entries "
                "1/√2, y = Xβ*; β̂_α = numerics.dln_limit (per-factor α, passed as text). Each "
                "point: max excess/ε over the samples in the theorem's ranges (≤ 1). Findings on "
                "the printed proof (sympy; docs/claims.md): (i) the printed ℓ2 threshold is "
                "(192(2+ε)²/ε)^{1/4}× the toolkit's sharper SUFFICIENT threshold "
                "√‖β*‖₂·((1+ε)²/(48ε))^{1/4} (6.26 at ε = 2, 16.7 at 0.01, 29.6 at 0.001), not "
                "the true one (diagnostics); (ii) for ε > 0.648 it is looser than the threshold "
                "the proof invokes (0.86× at ε = 1, 0.55× at 10): the printed proof does not "
                "cover it there; (iii) step (81) needs the exp term exp(−d(2+ε)/(2εn₁)). The "
                "corrected argument gives both statements for every ε > 0.",
    points=_kr6_points, measure=measure_theorem2, box="the theorem's α ranges on each instance",
    over=("seed",), tolerance=1e-6,
    reason="excess/ε ≤ 1 at every sampled α in the theorem's range; 1e-6 covers the float64 "
           "error of the certified limits (limits equal to β*_L1 measure ~1e-12)",
    alternative=("no threshold is needed: excess ≤ ε at every α of the sampled ladder (which "
                 "runs from the ℓ1 regime into the kernel regime)",
                 lambda point, measured: relative_margin(measured["ladder_excess"], 1.0)),
    diagnose=_kr6_diagnostics)

# =============================================================================
# KR-7: Lemmas 1 and 3
# =============================================================================

_SHAPES = ("gaussian", "spike", "flat", "mixed scales")


def _random_vector(rng, d, shape):
    """β of one of four shapes (the nasty cases of the ℓ1 bound: one spike, all
    entries equal, entries spread over six decades), overall scale 10^U(−2, 2)."""
    scale = 10 ** rng.uniform(-2, 2)
    if shape == "spike":
        beta = np.zeros(d)
        beta[rng.integers(d)] = rng.choice((-1.0, 1.0))
    elif shape == "flat":
        beta = rng.choice((-1.0, 1.0), d)
    elif shape == "mixed scales":
        beta = rng.standard_normal(d) * 10 ** rng.uniform(-3, 3, d)
    else:
        beta = rng.standard_normal(d)
    return beta * scale


def measure_lemma(point):
    """KR-7: lhs = the largest |N − centre|/half-width of the lemma's band (theory's
    bounds) over random draws in its range (KR7.conventions), rhs = 1; N = α²/ln(1/α²)·Q
    (Lemma 1) or 4α⁴·Q (Lemma 3), Q(β/α²) = Σ q(βᵢ/α²) at 50 digits."""
    lemma, q = point["lemma"], q_stable_prediction()
    rng = np.random.default_rng([lemma, point["seed"]])
    bounds = (lemma1_bounds(1) if lemma == 1 else lemma3_bounds(1))
    beta_1 = bounds.symbols[0]
    norm_symbol = _S.l1_norm if lemma == 1 else _S.l2_norm
    lower, upper = (_mp(bounds.expr[side].subs(beta_1, norm_symbol), _S.epsilon, norm_symbol)
                    for side in ("lower", "upper"))
    worst = -math.inf
    with mpmath.workdps(DIGITS):
        for index in range(point["draws"]):
            d = int(rng.integers(1, 31))
            beta = [mpmath.mpf(float(b)) for b in _random_vector(rng, d, _SHAPES[index % 4])]
            eps = float(10 ** rng.uniform(-2, 0))
            spread = 0.0 if index % 3 == 0 else rng.uniform(0, 1)
            if lemma == 1:
                norm = sum(abs(b) for b in beta)
                log_alpha = mpmath.log(lemma1_threshold().mpmath(eps, norm, d)) * (1 + 2 * spread)
                alpha_sq = mpmath.exp(2 * log_alpha)
                value = alpha_sq / -(2 * log_alpha) * sum(q.mpmath(b / alpha_sq) for b in beta)
            else:
                norm = mpmath.sqrt(sum(b ** 2 for b in beta))
                log_alpha = mpmath.log(lemma3_threshold().mpmath(eps, norm)) + 3 * spread
                alpha_sq = mpmath.exp(2 * log_alpha)
                value = 4 * alpha_sq ** 2 * sum(q.mpmath(b / alpha_sq) for b in beta)
            low, high = lower(eps, norm), upper(eps, norm)
            worst = max(worst, float(abs(2 * value - low - high) / (high - low)))
    return {"lhs": worst, "rhs": 1.0}


KR7 = Bound(
    id="KR-7", title="Lemmas 1 and 3: two-sided bounds on the normalised potential",
    statement="Lemma 1: α ≤ α₁(ε, ‖β‖₁, d) ⇒ (1−ε)‖β‖₁ ≤ α²/ln(1/α²)·Q(β/α²) ≤ (1+ε)‖β‖₁. "
              "Lemma 3: α ≥ α₂(ε, ‖β‖₂) = √‖β‖₂(1 + ε^{−1/4}) ⇒ "
              "(1−ε)‖β‖₂² ≤ 4α⁴Q(β/α²) ≤ (1+ε)‖β‖₂².",
    source=f"{PAPER}, App. B, Lemma 1 (eqs. 24–42) and Lemma 3 (eqs. 59–73)", fidelity="paper",
    derivation=_derivations(lemma1_threshold(), lemma1_bounds(1), lemma3_threshold(),
                            lemma3_bounds(1)),
    conventions="Random draws: d ∈ [1, 30]; β Gaussian, a spike, flat ±1, or spread over six "
                "decades, scaled by 10^U(−2,2); ε log-uniform in [0.01, 1); one draw in three on "
                "the threshold, the others up to 3× as far in ln α (Lemma 1) or up to e³× the "
                "threshold (Lemma 3). Lemma 3's α₂(ε, ‖w‖₂) is read as ‖β‖₂. Q uses Thm 1's "
                "closed form (KR-1) at 50 digits. lhs: the largest distance of the normalised "
                "potential from the centre of the lemma's band, in half-widths (1 = on a bound).",
    points={"quick": {"lemma": [1, 3], "seed": [0, 1], "draws": [40]},
            "full": {"lemma": [1, 3], "seed": list(range(10)), "draws": [200]}},
    measure=measure_lemma, box="d ∈ [1, 30], ε ∈ [0.01, 1), ‖β‖ ∈ 10^[−2, 2]·shape, α in range",
    over=("seed", "draws"), tolerance=1e-40,
    reason="at 50 digits the normalised potential and the bounds are exact to ~1e-48 relative, "
           "so a margin below −1e-40 is a real violation",
    proofs=bound_proofs("KR-7"))


# =============================================================================
# KR-8 and KR-9: the Fig. 2b ratio and its crossing
# =============================================================================

def _scaled_ratio(D, d, log_alpha):
    """√d·Q^D_α(e₁)/Q^D_α(𝟙/√d), Q^D_α(β) = Σᵢ q_D(βᵢ/α^D) (Thms 1 and 3; q for D = 2)."""
    q_D = q_stable_prediction().mpmath if D == 2 else deep_potential(D).mpmath
    t = mpmath.exp(-D * log_alpha)
    return mpmath.sqrt(d) * q_D(t) / (d * q_D(t / mpmath.sqrt(d)))


def measure_ratio_crossing(point):
    """KR-8, KR-9: ln α* where √d·Q^D_α(e₁)/Q^D_α(𝟙/√d) = 1 + ε, and the ratio's curve.

    The ratio rises from 1/√d (α → 0, ℓ1) to 1 (α → ∞, ℓ2), so α* is bisected in
    ln α (to 1e-20, 30 digits) between α = 10 and the first α = e^{−(2^k−1)} below
    the crossing; the curve samples 25 values of ln α from well below α* to α = 10.
    """
    D, d, eps = point["D"], point["d"], point["epsilon"]
    with mpmath.workdps(RATIO_DIGITS):
        level = 1 + mpmath.mpf(eps)    # not 1 + eps in float64: its rounding moves α* by ~1e-14

        def above(log_alpha):
            return _scaled_ratio(D, d, log_alpha) > level

        hi, lo = mpmath.log(10), mpmath.mpf(-1)
        if not above(hi):
            raise ValueError(f"√d·ratio stays below 1+ε = {1 + eps} at α = 10: no crossing for "
                             f"d = {d} ≤ (1+ε)²; leave such points out")
        while above(lo):
            lo = 2 * lo - 1
        lo, hi = _bisect(above, lo, hi, CROSSING_WIDTH)
        grid = [float(x) for x in mpmath.linspace(lo - max(3, abs(lo)), mpmath.log(10), 25)]
        return {"value": mpmath.nstr((lo + hi) / 2, RATIO_DIGITS), "curve_log_alpha": grid,
                "curve_sqrt_d_ratio": [float(_scaled_ratio(D, d, x)) for x in grid]}


def _rising(measured):
    curve = measured["curve_sqrt_d_ratio"]
    return all(b >= a for a, b in zip(curve, curve[1:]))


def measure_lemma2(point):
    """KR-8: lhs = ln(1/α_n), rhs = ln(1/α*): the lemma says α* ≤ α_n = d^{−1/4−1/(8ε)}
    (with the ratio rising, larger α is not (1+ε)-proportional to ‖·‖₁); also
    whether the curve rises (eq. 58) and stays above eq. (51)'s bound."""
    measured = measure_ratio_crossing({"D": 2, **point})
    prediction = lemma2().expr
    d, eps = point["d"], point["epsilon"]
    bound = _mp(prediction["ratio_lower_bound"], _S.alpha, _S.d)
    # eq. (49) divides by 3√dα² − 1 + ln(1/(α²√d)): the bound is claimed where that is positive
    denominator = _mp(sp.fraction(sp.together(prediction["ratio_lower_bound"]))[1], _S.alpha, _S.d)
    with mpmath.workdps(RATIO_DIGITS):
        below = [x for x, value in zip(measured["curve_log_alpha"], measured["curve_sqrt_d_ratio"])
                 if denominator(mpmath.exp(x), d) > 0     # the curve is float64: 1e-12 slack
                 and value < mpmath.sqrt(d) * bound(mpmath.exp(x), d) - 1e-12]
        log_n = mpmath.log(_mp(prediction["alpha_necessary"], _S.d, _S.epsilon)(d, eps))
        return {"lhs": float(-log_n), "rhs": float(-mpmath.mpf(measured["value"])),
                "rises": _rising(measured), "below eq. (51)": len(below)}


def _kr8_points(size):
    ds, epsilons = ((10, 100, 10_000), (0.1, 0.25, 0.5)) if size == "quick" else (
        (3, 10, 30, 100, 1_000, 10_000, 100_000, 1_000_000), (0.05, 0.1, 0.25, 0.5, 1.0))
    d_min = _mp(lemma2().expr["d_min"], _S.epsilon)
    return [{"d": d, "epsilon": eps} for d in ds for eps in epsilons
            if d >= d_min(eps) and d > (1 + eps) ** 2]     # the lemma's range, with a crossing


KR8 = Bound(
    id="KR-8", title="Lemma 2: α ≤ d^{−1/4−1/(8ε)} is necessary for ℓ1",
    statement="For ε > 0 and d ≥ max{e, 12^{4ε}}, at α = d^{−1/4−1/(8ε)} the ratio "
              "Q(e₁/α²)/Q(𝟙/(√dα²)) is at least (1+ε)/√d (eq. 57) and it increases with α "
              "(eq. 58), so Q_α is not (1+ε)-proportional to ‖·‖₁ for larger α; eq. (51) bounds "
              "the ratio from below.",
    source=f"{PAPER}, App. B, Lemma 2, eqs. (43)–(58)", fidelity="paper",
    derivation=_derivations(lemma2()),
    conventions="The lemma is tested through α*, the α where √d·ratio = 1 + ε (bisection at 30 "
                "digits): with the ratio rising, the lemma holds iff α* ≤ d^{−1/4−1/(8ε)}, i.e. "
                "ln(1/α_n) ≤ ln(1/α*). Only grid points in the lemma's range d ≥ max{e, 12^{4ε}} "
                "(and d > (1+ε)², where a crossing exists) are measured. The rise (eq. 58) and "
                "eq. (51)'s bound are checked on the sampled curve (diagnostics).",
    points=_kr8_points, measure=measure_lemma2, box="d ≥ max{e, 12^{4ε}} on the grid",
    over=("d", "epsilon"), tolerance=1e-18,
    reason="α* is bracketed to 1e-20 in ln α at 30 digits; ln(1/α) ≥ 1 here, so 1e-18 relative "
           "covers the bracket",
    proofs=bound_proofs("KR-8"),
    diagnose=lambda results: _kr8_diagnostics([m for p, m in results if set(p) != {"proof"}]))


def _kr8_diagnostics(samples):
    """The sampled curve's checks (the proofs' results carry their own rows)."""
    return [f"the ratio rises with α at every sampled α (eq. 58) on "
            f"{sum(m['rises'] for m in samples)} of {len(samples)} points; eq. (51)'s lower "
            f"bound is violated at {sum(m['below eq. (51)'] for m in samples)} sampled α"]


KR9_DEPTHS = (2, 3, 4)


def _expansion_at_infinity(D):
    """q_D at ∞ through its constant term: z log z − z + 2 (D = 2), t − (D/2)t^{2/D} + c_D."""
    expansion, variable = (q_asymptotic(6), _S.z) if D == 2 else (q_D_asymptotic(D, 4), _S.t)
    return sum(_ordered_terms(expansion.expr, variable, 10 ** 6)[:3])


def _expansion_crossing(expansion, D, d, eps, log_guess):
    """ln α where √d·q_D(T)/(d·q_D(T/√d)), T = α^{−D}, with q_D replaced by ``expansion``,
    equals 1 + ε; searched outwards from ``log_guess``."""
    variable, = expansion.free_symbols
    q_D = _mp(expansion, variable)

    def above(log_alpha):
        t = mpmath.exp(-D * log_alpha)
        return mpmath.sqrt(d) * q_D(t) / (d * q_D(t / mpmath.sqrt(d))) > 1 + mpmath.mpf(eps)

    width = mpmath.mpf("0.25")
    while above(log_guess - width) or not above(log_guess + width):
        width *= 2
        if width > 8:
            raise ArithmeticError(f"the truncated ratio with q_D ≈ {expansion} does not cross "
                                  f"1 + ε near α_th (D = {D}, d = {d}, ε = {eps})")
    return sum(_bisect(above, log_guess - width, log_guess + width, CROSSING_WIDTH)) / 2


def _log_scale(D, point):
    with mpmath.workdps(RATIO_DIGITS):
        return mpmath.log(_mp(transition_scale(D).expr, _S.d, _S.epsilon)(point["d"],
                                                                          point["epsilon"]))


def _kr9_tolerance(point):
    """2τ/|ln α_th|, τ = |c₃ − c₂| the crossing's shift when q_D's expansion at ∞ keeps its
    constant term (c_k: the crossing with k terms); α_th is leading order."""
    D, d, eps = point["D"], point["d"], point["epsilon"]
    expansion = _expansion_at_infinity(D)
    terms = _ordered_terms(expansion, *expansion.free_symbols, 10 ** 6)
    with mpmath.workdps(RATIO_DIGITS):
        guess = _log_scale(D, point)
        c2, c3 = (_expansion_crossing(sum(terms[:k]), D, d, eps, guess) for k in (2, 3))
        return float((2 * abs(c3 - c2) + CROSSING_WIDTH) / abs(guess))


def _neighbour_scale(point):
    """D = 2: Lemma 2's exponent 1/(8ε) in place of 1/(4ε); D ≥ 3: the next depth's law."""
    if point["D"] > 2:
        return _log_scale(point["D"] + 1, point)
    with mpmath.workdps(RATIO_DIGITS):
        d, eps = mpmath.mpf(point["d"]), mpmath.mpf(point["epsilon"])
        return -mpmath.mpf(1) / 2 - (mpmath.mpf(1) / 4 + 1 / (8 * eps)) * mpmath.log(d)


def _kr9_diagnostics(results):
    by_depth = {}
    for point, measured in results:
        by_depth.setdefault(point["D"], []).append(
            (point["d"], float(mpmath.mpf(measured["value"])), float(_log_scale(point["D"], point))))
    slopes = {D: [float(np.polyfit(np.log([v[0] for v in values]), [v[k] for v in values], 1)[0])
                  for k in (1, 2)] for D, values in by_depth.items() if len(values) > 1}
    notes = ["fitted exponents of α* in d: " + "; ".join(
        f"D = {D}: {m:.3g} (theory {t:.3g})" for D, (m, t) in sorted(slopes.items()))]
    if slopes and not all(abs(slopes[2][0]) > abs(s[0]) for D, s in slopes.items() if D > 2):
        notes.append("the D = 2 exponent is NOT the steepest (§5's exponential vs polynomial)")
    falling = [f"D = {p['D']}, d = {p['d']}" for p, m in results if not _rising(m)]
    return notes + ([f"the ratio does not rise with α at {', '.join(falling)}"] if falling else [])


def _kr9_deviation(results):
    [(point, measured)] = results
    return abs(float(mpmath.mpf(measured["value"]) - _log_scale(point["D"], point)))


KR9 = Formula(
    id="KR-9", title="Fig. 2b: the ℓ2-to-ℓ1 transition of Q^D_α and its scale per depth",
    statement="Q^D_α(e₁)/Q^D_α(𝟙/√d) moves from 1 (α → ∞, ℓ2) to 1/√d (α → 0, ℓ1); the "
              "transition needs α exponentially small (in 1/ε) for D = 2 and only polynomially "
              "small for D ≥ 3 (§5). Checked against theory's leading-order transition scale "
              "α_th(d, ε) (where √d·ratio = 1 + ε; reconstructed, the paper gives no formula).",
    source=f"{PAPER}, Fig. 2b and §5", fidelity="paper",
    derivation=_derivations(ratio_e1_flat(2), *(transition_scale(D) for D in KR9_DEPTHS)),
    conventions="Per-factor α; the transition α* is where √d·ratio = 1 + ε (ε = 0.1 quick; 0.05, "
                "0.1, 0.2 full), bisected in ln α at 30 digits with theory's q and q_D. ln α* "
                "against ln α_th, relative, to 2τ/|ln α_th| (τ: the crossing's shift when q_D's "
                "expansion at ∞ keeps its constant term). Fig. 2a is KR-4's subject.",
    points={"quick": {"D": list(KR9_DEPTHS), "epsilon": [0.1], "d": [10, 100, 1_000]},
            "full": {"D": list(KR9_DEPTHS), "epsilon": [0.05, 0.1, 0.2],
                     "d": [10, 100, 1_000, 10_000, 100_000, 1_000_000]}},
    measure=measure_ratio_crossing, formula=lambda point: _log_scale(point["D"], point),
    alternative=("the neighbouring law: Lemma 2's d^{−1/4−1/(8ε)} exponent for D = 2, the "
                 "depth-(D+1) scale for D ≥ 3", _neighbour_scale),
    tolerance=_kr9_tolerance,
    reason="α_th is leading order (q_D's expansion at ∞ cut after two terms); its error in ln α "
           "should be about τ = |c₃ − c₂|, the crossing's shift when the expansion keeps its third "
           "term; allowed up to 2τ for the terms beyond",
    diagnose=_kr9_diagnostics,
    # the leading-order formula drops a term of relative size ~α²d^{1/D} ∝ ε^{2/(D−2)}
    audit_spec=AuditSpec(
        parameter="1/ε", quantity="|ln α* − ln α_th|, D = 3, d = 1000",
        ladder=lambda size: [2.5, 5.0, 10.0, 20.0] + ([40.0, 80.0] if size == "full" else []),
        points=lambda value: [{"D": 3, "d": 1_000, "epsilon": 1 / value}],
        deviation=_kr9_deviation))

CLAIMS = [kind.to_claim() for kind in (KR1, KR2, KR6, KR7, KR8, KR9)]

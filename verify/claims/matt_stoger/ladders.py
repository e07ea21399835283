"""The measurement shared by SM-1, SM-2 and SM-4: exact limits along an α ladder.

One point is one instance at one depth: the exact gradient-flow limits
β_α (``numerics.dln_limits``, one continuation down the ladder, in mpmath at
the precision ``numerics.resolving_precision`` picks for the smallest α),
the ℓ1 interpolant β_ℓ1 in the same precision, the certificate constant ρ
(``numerics.null_space.certificate_constant``) and, for D ≥ 3, the limit
constant e* (``numerics.null_space.depth_limit_constant``).  The gap
‖β_α − β_ℓ1‖₁ is computed in the working precision; its error bound is
√d·(forward error of β_α + error of β_ℓ1), and the measurement records how
many significant digits of the gap that bound leaves ("resolved digits").
Where fewer than :data:`RESOLVED_DIGITS` are resolved the ladder is solved
again with more digits (precision escalation).

Instances (:func:`instance`): X with i.i.d. N(0, 1/m) entries rounded to
multiples of 2⁻²⁴, β₀ with ``sparsity`` entries ±1 on random coordinates,
y = Xβ₀ + η·ξ with ξ ~ N(0, I_m) (Matt & Stöger's Experiment 1 names the
noise levels η; the sheet §8.3 this normalisation).  The rounding makes the
noiseless y = Xβ₀ exact in float64, so it lies in range(X_S) to every
precision: with y rounded instead, the exact ℓ1 interpolant of the rounded
data would carry ~1e-16 entries on m − |S| further coordinates, and the
rates at α ≲ 1e-16 would be those of that other support.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from scipy.special import stdtrit

from numerics import min_l1_interpolant
from numerics.dln import dln_limits, resolving_precision
from numerics.null_space import depth_limit_constant

CONVENTION = "end_to_end"
RESOLVED_DIGITS = 6          # the gap must be resolved to at least this many digits
ESCALATION_DIGITS = 20       # digits added when a ladder does not resolve its gaps
_GRID = 2.0 ** -24           # X's entries are multiples of this (exact products with ±1)

ALPHA_CONVENTION = ("α is the end-to-end scale (Matt & Stöger, as reconstructed in the formula "
                    "sheet §2): each branch u^{⊙D}, v^{⊙D} starts at α, i.e. the factors at "
                    "α^{1/D} (numerics.dln_limit(..., convention='end_to_end')). With a per-factor "
                    "scale α₀ (Woodworth et al.) read α = α₀^D: the rates in α₀ are D times "
                    "those in α.")
INSTANCES = ("Instances: X with i.i.d. N(0, 1/m) entries rounded to multiples of 2⁻²⁴ (so that "
             "the noiseless y = Xβ₀ is exact and β_ℓ1 keeps the planted support in every "
             "precision), β₀ with s entries ±1, y = Xβ₀ + η·N(0, I_m).")


class Uncertified(RuntimeError):
    """A solver did not certify its answer, so the point cannot be measured."""


def instance(point):
    """(X, y) of a point's ``seed``, ``m``, ``n``, ``sparsity`` and ``noise`` η.

    X, β₀ and ξ come from three streams of the seed, so the same seed at two
    noise levels is one design and one noise direction at two amplitudes.
    """
    design_rng, support_rng, noise_rng = np.random.default_rng(point["seed"]).spawn(3)
    m, n, s = point["m"], point["n"], point["sparsity"]
    X = np.round(design_rng.standard_normal((m, n)) / math.sqrt(m) / _GRID) * _GRID
    beta = np.zeros(n)
    beta[support_rng.choice(n, size=s, replace=False)] = support_rng.choice([-1.0, 1.0], size=s)
    return X, X @ beta + point["noise"] * noise_rng.standard_normal(m)


def ladder_point(seed, depth, noise, log10_alphas, m=10, n=40, sparsity=2):
    return {"seed": seed, "depth": depth, "noise": noise, "m": m, "n": n, "sparsity": sparsity,
            "log10_alphas": [float(k) for k in log10_alphas]}


def ladder(smallest, count):
    """``count`` values of log₁₀ α equally spaced from −2 down to ``smallest``."""
    return [round(float(k), 6) for k in np.linspace(-2.0, smallest, count)]


def _certified(solution, what):
    if not solution.ok:
        raise Uncertified(f"{what}: {solution.message}")
    return solution


def measure_ladder(point):
    """The gaps ‖β_α − β_ℓ1‖₁ along the point's ladder, certified, with ρ and e*."""
    X, y = instance(point)
    ks = point["log10_alphas"]
    depth = point["depth"]
    with mpmath.workdps(30):
        alphas = [mpmath.power(10, mpmath.mpf(repr(k))) for k in ks]
    digits = resolving_precision(min(alphas), depth, convention=CONVENTION,
                                 digits=RESOLVED_DIGITS)
    for attempt in range(2):
        measured = _ladder_at(X, y, depth, alphas, digits)
        if min(measured["resolved_digits"]) >= RESOLVED_DIGITS or attempt:
            break
        digits += ESCALATION_DIGITS
    support, signs, rho = measured.pop("support"), measured.pop("signs"), measured.pop("rho")
    off = np.setdiff1d(np.arange(X.shape[1]), support)
    magnitudes = np.sort(np.abs(rho.dual[off]))[::-1]
    active = len(rho.stats["active"])
    measured.update(
        log10_alphas=list(ks), digits=digits, support_size=int(support.size),
        rho=float(rho.value), rho_bracket=[rho.stats["lower"], rho.stats["upper"]],
        active=active,
        # the largest off-support |νᵢ| below ρ: the depth-2 local slope's deviation
        # decays like α^{ρ − ρ₂} (contributions of exponent 1 − |νᵢ| > 1 − ρ)
        rho_second=float(magnitudes[active]) if active < magnitudes.size else 0.0)
    if depth >= 3:
        e_star = _certified(depth_limit_constant(X, support, signs, depth),
                            f"limit constant e* (D = {depth})")
        measured["e_star_l1"] = float(np.sum(np.abs(e_star.value)))
        measured["e_star_residual"] = e_star.certificate.kkt_residual
    return measured


def _ladder_at(X, y, depth, alphas, digits):
    l1 = _certified(min_l1_interpolant(X, y, precision=digits),
                    f"min-ℓ1 interpolant ({digits} digits)")
    sols = dln_limits(X, y, alphas, depth, convention=CONVENTION, precision=digits)
    for alpha, sol in zip(alphas, sols):
        _certified(sol, f"dln_limit at α = {mpmath.nstr(alpha, 6)} ({digits} digits)")
    support = l1.stats["support"]
    d = X.shape[1]
    # β_ℓ1 solves X_S β_S = y exactly in the working precision: its error is the
    # residual through the smallest singular value of X_S.
    sigma = float(np.linalg.svd(X[:, support], compute_uv=False)[-1])
    l1_error = l1.certificate.primal_residual * float(np.linalg.norm(y)) / sigma
    with mpmath.workdps(digits):
        gaps = [float(mpmath.fsum(abs(u - v) for u, v in zip(sol.value, l1.value))) for sol in sols]
    errors = [math.sqrt(d) * (sol.certificate.details["forward_error"] + l1_error) for sol in sols]
    return {"gaps": gaps, "gap_errors": errors,
            "resolved_digits": [math.log10(g / e) if e > 0 else 99.0 for g, e in zip(gaps, errors)],
            "iterations": [sol.certificate.iterations for sol in sols],
            "support": support, "signs": l1.stats["signs"], "rho": l1.stats["rho"]}


# --------------------------------------------------------------------------- analysis
def local_slopes(measured):
    """d log gap / d log α between successive rungs, as (log₁₀ α of the smaller, slope)."""
    ks, gaps = np.array(measured["log10_alphas"]), np.log10(measured["gaps"])
    order = np.argsort(-ks)
    ks, gaps = ks[order], gaps[order]
    return list(zip(ks[1:], np.diff(gaps) / np.diff(ks)))


def fitted_slope(measured, window):
    """Least-squares slope of log gap on log α over the rungs with log₁₀ α ≤ ``window``,
    and the half-width of its 95 % Student-t interval (nan with fewer than 3 rungs)."""
    ks, gaps = np.array(measured["log10_alphas"]), np.log10(measured["gaps"])
    keep = ks <= window
    ks, gaps = ks[keep], gaps[keep]
    if ks.size < 2:
        return math.nan, math.nan
    slope, intercept = np.polyfit(ks, gaps, 1)
    if ks.size < 3:
        return float(slope), math.nan
    residuals = gaps - (slope * ks + intercept)
    se = math.sqrt(residuals @ residuals / (ks.size - 2) / np.sum((ks - ks.mean()) ** 2))
    return float(slope), float(stdtrit(ks.size - 2, 0.975)) * se


def mean_ci(values):
    """Mean and the half-width of its 95 % Student-t interval (nan for one value)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        return float(values.mean()), math.nan
    return (float(values.mean()),
            float(stdtrit(values.size - 1, 0.975)) * values.std(ddof=1) / math.sqrt(values.size))

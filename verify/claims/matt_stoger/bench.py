"""The bench row of the high-precision tier (``python -m verify bench``): one exact DLN
limit at α = 1e-40 (end-to-end, D = 3) in mpmath against the same algorithm in float64
(the iteration counts should agree; the time ratio is mpmath's price), and a ladder's
one continuation (``dln_limits``) against a fresh solve per rung.
"""

from __future__ import annotations

import mpmath
from threadpoolctl import threadpool_limits

from numerics.dln import dln_limit, dln_limits, resolving_precision
from verify.bench import Row, timed

from .ladders import CONVENTION, RESOLVED_DIGITS, instance, ladder, ladder_point

# Targets.  mpmath numbers cost ~100–1000× a float64 operation in numpy (Python-level
# objects, arbitrary-length mantissas); the tier must add no algorithmic overhead on top.
PRECISION_COST = 1000.0
ITERATION_RATIO = 2.0
LADDER_SPEEDUP = 3.0


def bench_row(number: int, quick: bool, progress) -> Row:
    """One high-precision dln_limit against a float64 one, and a ladder against fresh solves."""
    m, n, rungs, repeats = (6, 20, 6, 1) if quick else (10, 40, 12, 3)
    depth, log10_alpha = 3, -40.0
    point = ladder_point(0, depth, 0.0, [log10_alpha], m, n)
    X, y, _ = instance(point)
    alpha = f"1e{log10_alpha:g}"
    digits = resolving_precision(alpha, depth, convention=CONVENTION, digits=RESOLVED_DIGITS)
    row = Row(number, "high-precision tier: DLN limits at tiny α (SM claims)",
              f"X ∈ ℝ^{m}×{n} (i.i.d. N(0, 1/m), rounded to 2⁻²⁴), y = Xβ₀ with β₀ 2-sparse ±1, "
              f"seed 0; depth {depth}, end-to-end α = {alpha}; mpmath at {digits} digits "
              "(numerics.resolving_precision: the gap resolved to 6 digits)")
    with threadpool_limits(limits=1):
        progress(f"timing dln_limit at α = {alpha} in float64")
        low = timed(lambda: dln_limit(X, y, alpha, depth, convention=CONVENTION), 3 * repeats)
        progress(f"timing dln_limit at α = {alpha} at {digits} digits")
        high = timed(lambda: dln_limit(X, y, alpha, depth, convention=CONVENTION,
                                       precision=digits), repeats)
        ks = ladder(log10_alpha, rungs)
        with mpmath.workdps(30):
            alphas = [mpmath.power(10, mpmath.mpf(repr(k))) for k in ks]
        progress(f"timing a {rungs}-rung ladder at {digits} digits, continued and fresh")
        continued = timed(lambda: dln_limits(X, y, alphas, depth, convention=CONVENTION,
                                             precision=digits), 1)
        fresh = timed(lambda: [dln_limit(X, y, a, depth, convention=CONVENTION, precision=digits)
                               for a in alphas], 1)
    lo, hi = low.result, high.result
    ok = lo.ok and hi.ok and all(s.ok for s in continued.result) and all(s.ok for s in fresh.result)
    row.add("time mpmath / float64", f"one limit, {digits} digits",
            f"{hi.certificate.iterations} Newton steps in {high.seconds:.3g} s vs "
            f"{lo.certificate.iterations} in {low.seconds * 1e3:.3g} ms",
            high.seconds / low.seconds if ok else None, "<=", PRECISION_COST, "×")
    row.add("Newton steps mpmath / float64", f"one limit, {digits} digits",
            "same continuation, same Newton (one algorithm, two number types)",
            hi.certificate.iterations / max(lo.certificate.iterations, 1) if ok else None,
            "<=", ITERATION_RATIO, "×")
    row.add("fresh solves / one continuation", f"{rungs} rungs 1e-2 … {alpha}, {digits} digits",
            f"{sum(s.certificate.iterations for s in fresh.result)} vs "
            f"{sum(s.certificate.iterations for s in continued.result)} Newton steps; "
            f"{fresh.seconds:.3g} s vs {continued.seconds:.3g} s",
            fresh.seconds / continued.seconds if ok else None, ">=", LADDER_SPEEDUP, "×")
    row.notes.append(
        f"float64 certifies its residual ({lo.certificate.primal_residual:.1e}) but resolves the "
        f"gap ‖β_α − β_ℓ1‖ ≈ α‖e*‖ only to ~{lo.certificate.details['forward_error']:.0e} "
        f"absolute; the {digits}-digit solve's forward error is "
        f"{hi.certificate.details['forward_error']:.1e}. Times are medians of {3 * repeats} "
        f"(float64) and {repeats} (mpmath) runs with BLAS pinned to one thread; on a shared "
        "machine they are inflated, the ratios less so.")
    row.data = {"digits": digits, "float64_seconds": low.times, "mpmath_seconds": high.times,
                "iterations": {"float64": lo.certificate.iterations,
                               "mpmath": hi.certificate.iterations},
                "ladder": {"rungs": rungs, "continued_seconds": continued.seconds,
                           "fresh_seconds": fresh.seconds}}
    return row

"""Bench row: the nested n-sweep of the ZL claims against its cost floor.

A sweep of min-ℓp interpolants over a log-spaced n-grid on one design
(numerics.sweeps.lp_norm_sweep, warm-started) is timed against the sum, over
the same grid, of certified minimum-ℓ2 solves (min_l2_interpolant: validation,
one Gram matrix XXᵀ and its Cholesky, refinement) — the unit a dual Newton
step is priced in.  A certified ℓp solve needs, besides the validation's Gram,
at least one Hessian X·diag(w)·Xᵀ, so its floor is about 2× the ℓ2 solve;
TARGET allows 4× (one more factorisation on average, for the harder p near 1).
The sweep is run as the ZL claims run it (warm starts from p = WARM_FROM, cold
solves below); warm and cold sweep times are both reported in the notes.
BLAS runs on one thread (as in verify.bench), so ratios compare algorithms.
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits

from numerics import min_l2_interpolant
from numerics.designs import spike_design
from numerics.sweeps import lp_norm_sweep, sweep_sizes
from verify.bench import Row, timed
from verify.claims.zhang_louis.curves import WARM_FROM

TARGET = 4.0
SIZES = {True: {"d": 1000, "n_max": 500, "count": 12, "ps": (1.1, 1.5, 1.9), "repeats": 2},
         False: {"d": 8000, "n_max": 4000, "count": 16, "ps": (1.1, 1.5, 1.9), "repeats": 1}}


def _seconds(s):
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def bench_row(number: int, quick: bool, progress) -> Row:
    """Row ``number``: sweep time / Σ min-ℓ2 solve times (target ≤ TARGET×) for each p,
    the sweep as the ZL claims run it; warm and cold sweep times in the notes."""
    size = SIZES[quick]
    ns = sweep_sizes(10, size["n_max"], size["count"])
    design = spike_design(ns[-1], size["d"], seed=0)
    X, y = design.X, design.y
    row = Row(number, "n-sweep of min-ℓp interpolants vs Σ min-ℓ2 solves",
              f"spike design w⋆ = e₁, σ = 0, X ∈ ℝ^{ns[-1]}×{size['d']} i.i.d. N(0, 1), seed 0; "
              f"{len(ns)} nested n from {ns[0]} to {ns[-1]} (log-spaced)")
    with threadpool_limits(limits=1):
        progress("ZL sweep row: Σ min-ℓ2 solves")
        floor = timed(lambda: [min_l2_interpolant(X[:n], y[:n]) for n in ns], size["repeats"])
        row.data["l2_sum"] = {"seconds": floor.seconds, "times": floor.times}
        row.notes.append(
            f"Floor: Σ over the grid of min_l2_interpolant(X[:n], y[:n]) (certified ℓ2), median "
            f"{_seconds(floor.seconds)} over {size['repeats']} run(s). Target: the sweep within "
            f"{TARGET:g}× of it (a certified ℓp solve needs the validation's Gram and at least "
            "one Hessian factorisation: ≥ 2×).")
        for p in size["ps"]:
            progress(f"ZL sweep row: warm and cold sweeps, p = {p:g}")
            runs = {mode: timed(lambda: lp_norm_sweep(X, y, p, ns, [1.0, p], warm=mode),
                                size["repeats"]) for mode in (True, False)}
            used = runs[p >= WARM_FROM]          # what the ZL claims run (curves.WARM_FROM)
            steps = used.result.steps
            counts = (f"{'warm' if p >= WARM_FROM else 'cold'}: "
                      f"{sum(s.iterations for s in steps)} Newton steps, "
                      f"{sum(s.factorizations for s in steps)} factorisations"
                      + ("" if used.result.ok else " [NOT all certified]"))
            row.add("sweep / Σ min-ℓ2", f"p = {p:g}",
                    f"{_seconds(used.seconds)} vs {_seconds(floor.seconds)}; {counts}",
                    used.seconds / floor.seconds, "<=", TARGET, "×")
            row.notes.append(f"p = {p:g}: warm sweep {_seconds(runs[True].seconds)}, cold sweep "
                             f"{_seconds(runs[False].seconds)} (warm/cold "
                             f"{runs[True].seconds / runs[False].seconds:.2f}); the claims "
                             f"warm-start from p = {WARM_FROM:g}")
            row.data[f"p={p:g}"] = {mode: {"seconds": run.seconds, "times": run.times,
                                           "certified": run.result.ok}
                                    for mode, run in (("warm", runs[True]), ("cold", runs[False]))}
    return row

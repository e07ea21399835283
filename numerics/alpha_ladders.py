"""The approach of the DLN limit to the ℓ1 interpolant down an α ladder, certified.

:func:`gap_ladder` solves β_ℓ1 and the gradient-flow limits β_α at every α of a
ladder (one continuation, :func:`numerics.dln_limits`) in mpmath at the digits
:func:`numerics.resolving_precision` picks for the smallest α, and measures the gap
‖β_α − β_ℓ1‖₁ as log₁₀ (α may lie far below float64's range, e.g. 1e-1200) with the
significant digits its error bound √d·(forward error of β_α + error of β_ℓ1) leaves.
A ladder resolving fewer than ``digits`` is solved once more, ESCALATION_DIGITS
higher.  It also reports what governs the approach (Matt & Stöger 2025, as
reconstructed in docs/derivations/stoger-matt-depth-rates.md §4, §6): ρ, the next
off-support certificate magnitude ρ₂, the off-support prefactors cᵢ = gapᵢ/α^{1−|νᵢ|}
at the deepest rung and, for D ≥ 3, ‖e*‖₁.  A solve that does not certify makes the
ladder not ``ok``, with the solver's message: its numbers are not a measurement.

>>> import numpy as np
>>> ladder = gap_ladder(np.array([[1.0, 0.5]]), np.array([1.0]), 2, [-4.0, -8.0])
>>> ladder.ok, ladder.data["rho"], min(ladder.data["resolved_digits"]) >= 6
(True, 0.5, True)
>>> [round(g, 3) for g in ladder.data["log10_gaps"]]   # ≈ log₁₀ 1.5·α^(1−c): slope 1/2
[-1.825, -3.824]
>>> gap_ladder(np.array([[1.0, 0.5]]), np.array([1.0]), 3, [-4.0], max_iter=1).ok
False
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from .dln import dln_limits, resolving_precision
from .interpolants import min_l1_interpolant
from .null_space import depth_limit_constant

__all__ = ["GapLadder", "gap_ladder"]

ESCALATION_DIGITS = 20       # digits added when a ladder does not resolve its gaps


@dataclass(frozen=True)
class GapLadder:
    """``ok``: every solve certified (else ``message`` says which did not and why);
    ``data``: JSON values, the lists in the ladder's order (see :func:`gap_ladder`)."""

    ok: bool
    message: str
    data: dict


def gap_ladder(X, y, depth, log10_alphas, *, digits=6, convention="end_to_end",
               max_iter=400) -> GapLadder:
    """log₁₀ ‖β_α − β_ℓ1‖₁ at α = 10^k for k in ``log10_alphas``, resolved to ``digits``.

    ``data`` holds ``log10_gaps``, ``resolved_digits``, ``digits`` (the working
    precision), ``support``, ``support_size``, ``rho``, ``rho_bracket``, ``rho_second``,
    ``log10_prefactors`` (pairs (|νᵢ|, log₁₀ cᵢ)) and, for D ≥ 3, ``e_star_l1``.
    ``max_iter``: Newton steps per rung (hundreds of digits converge linearly at first).
    """
    with mpmath.workdps(30):
        alphas = [mpmath.power(10, mpmath.mpf(repr(k))) for k in log10_alphas]
    working = resolving_precision(min(alphas), depth, convention=convention, digits=digits)
    for attempt in range(2):
        ladder = _at_precision(X, y, depth, alphas, working, convention, max_iter)
        if not ladder.ok or min(ladder.data["resolved_digits"]) >= digits or attempt:
            return ladder
        working += ESCALATION_DIGITS


def _failed(solution, what):
    return None if solution.ok else GapLadder(False, f"{what}: {solution.message}", {})


def _at_precision(X, y, depth, alphas, digits, convention, max_iter):
    l1 = min_l1_interpolant(X, y, precision=digits)
    failed = _failed(l1, f"min-ℓ1 interpolant ({digits} digits)")
    sols = [] if failed else dln_limits(X, y, alphas, depth, convention=convention,
                                        precision=digits, max_iter=max_iter)
    for alpha, sol in zip(alphas, sols):
        failed = failed or _failed(sol, f"dln_limit at α = {mpmath.nstr(alpha, 6)} "
                                        f"({digits} digits)")
    if failed:
        return failed
    support, rho = l1.stats["support"], l1.stats["rho"]
    # β_ℓ1 solves X_S β_S = y exactly in the working precision: its error is the
    # residual through the smallest singular value of X_S
    sigma = float(np.linalg.svd(X[:, support], compute_uv=False)[-1])
    l1_error = l1.certificate.primal_residual * float(np.linalg.norm(y)) / sigma
    off = np.setdiff1d(np.arange(X.shape[1]), support)
    nu = np.abs(np.asarray(rho.dual, dtype=float))
    active = len(rho.stats["active"])
    magnitudes = np.sort(nu[off])[::-1]
    with mpmath.workdps(digits):
        gaps = [mpmath.fsum(abs(u - v) for u, v in zip(sol.value, l1.value)) for sol in sols]
        tail = [(float(nu[i]), float(mpmath.log10(abs(sols[-1].value[i] - l1.value[i])) -
                                     (1 - nu[i]) * mpmath.log10(alphas[-1])))
                for i in off if sols[-1].value[i] != l1.value[i]]
    errors = [math.sqrt(X.shape[1]) * (sol.certificate.details["forward_error"] + l1_error)
              for sol in sols]
    data = {
        "log10_gaps": [float(mpmath.log10(g)) for g in gaps], "digits": digits,
        "resolved_digits": [float(mpmath.log10(g)) - math.log10(e) if e > 0 else 99.0
                            for g, e in zip(gaps, errors)],
        "support": sorted(int(i) for i in support), "support_size": len(support),
        "rho": float(rho.value), "rho_bracket": [rho.stats["lower"], rho.stats["upper"]],
        "rho_second": float(magnitudes[active]) if active < magnitudes.size else 0.0,
        "log10_prefactors": tail}
    if depth >= 3:
        e_star = depth_limit_constant(X, support, l1.stats["signs"], depth)
        if not e_star.ok:
            return GapLadder(False, f"limit constant e* (D = {depth}): {e_star.message}", data)
        data["e_star_l1"] = float(np.sum(np.abs(e_star.value)))
    return GapLadder(True, "", data)

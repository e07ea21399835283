"""Formula views of Matt & Stöger (2025): ``python -m verify formula sm_example D=3 c=1/2``.
``sm_example``: the tight example A = [1, c], ρ, e* (D ≥ 3) and the gap's asymptotics
against the LP, the convex solve and the exact flow limit (SM-3's); ``sm_constants``: ρ
of an SM design against its dual LP (the null-space form), ‖e*‖₁ against (β_α − β_ℓ1)/α
at α = 1e-30 (SM-1's measurement).
"""

from __future__ import annotations

import mpmath
import numpy as np
import scipy.optimize
import sympy as sp

from numerics import min_l1_interpolant
from numerics.null_space import certificate_constant, depth_limit_constant
from theory.depth_rates import (alpha_convention, example_certificate_constant,
                                example_error, gap_rate, limit_constant_problem)
from verify.formula import CheckRow, Domain, FormulaView, Parameter

from .example import SECOND_ORDER, exact_gap, theory_gap, tolerance
from .ladders import instance, ladder_point, measure_ladder


# Caps on the cost of the checks, not limits of the mathematics.  sm_example's check
# (symbolic e* problem and an exact flow limit) took 1.5 min at D = 12 (2 cores, load 12).
MAX_DEPTH = 12
MAX_DEPTH_REASON = "the check's symbolic e* problem grows with D (about 1.5 minutes at D = 12)"
# sm_constants' check took 1.2 min at m = 20, n = 80 (same machine): the largest measured.
MAX_ROWS, MAX_COLUMNS = 20, 80
MAX_SIZE_REASON = ("the check's exact flow limit runs in mpmath on the m × n design "
                   "(about a minute at m = 20, n = 80)")


def _rational(text):
    """c as an exact rational, so the specialised formulas simplify."""
    return sp.nsimplify(text, rational=True)


def _derive_example(values):
    D, c = values["D"], values["c"]
    out = [example_certificate_constant().subs(c=c), example_error(D).subs(c=c), gap_rate(D)]
    if D >= 3:
        out.append(limit_constant_problem(D).subs(c=c))
    return out


def _check_example(values):
    D, c, alpha = values["D"], values["c"], values["alpha"]
    cf = float(c)
    X = np.array([[1.0, cf]])
    rows = []
    rho = certificate_constant(X, [0], [1.0])
    rows.append(CheckRow(f"ρ, c = {c}", cf, rho.value, "LP (HiGHS) with certified bracket",
                         1e-9, "the LP bracket's width (≤ 1e-9, certificate_constant)"))
    if D >= 3:
        e_star = depth_limit_constant(X, [0], [1.0], D)
        formula = float(limit_constant_problem(D).subs(c=c).expr["‖e*‖₁"])
        rows.append(CheckRow(f"‖e*‖₁, D = {D}", formula, float(np.sum(np.abs(e_star.value))),
                             "Newton on the dual of the e* problem (numerics)", 1e-10,
                             "float64 solve of a 1-dimensional problem (stationarity ≤ 1e-12)"))
    gap, digits = exact_gap(D, c, alpha)
    leading, ratio = theory_gap(D, c, alpha)
    rows.append(CheckRow(f"gap at α = {mpmath.nstr(alpha, 3)}", leading * ratio, gap,
                         f"exact flow limit (numerics.dln_limits, {digits} digits)",
                         tolerance(D, c, alpha),
                         f"the omitted second-order terms (≤ {SECOND_ORDER:g}·|R − 1|², |R − 1| = "
                         f"{float(abs(ratio - 1)):.2g}) plus the gap's certified 6 digits (SM-3)"))
    return rows


def _derive_constants(values):
    return [gap_rate(2), gap_rate(3), alpha_convention()]


def _null_space_form(X, support, signs):
    """max ⟨−s, h_S⟩ s.t. Xh = 0, ‖h_{Sᶜ}‖₁ ≤ 1: the dual LP of ρ, solved on its own
    (variables h_S free, h_{Sᶜ} = p − q with p, q ≥ 0, Σ(p + q) ≤ 1)."""
    m, n = X.shape
    off = np.setdiff1d(np.arange(n), support)
    k, r = support.size, off.size
    cost = np.r_[signs, np.zeros(2 * r)]                       # minimise ⟨s, h_S⟩
    A_eq = np.hstack([X[:, support], X[:, off], -X[:, off]])
    res = scipy.optimize.linprog(cost, A_eq=A_eq, b_eq=np.zeros(m),
                                 A_ub=np.r_[np.zeros(k), np.ones(2 * r)][None, :], b_ub=[1.0],
                                 bounds=[(None, None)] * k + [(0, None)] * (2 * r),
                                 method="highs-ipm")
    return -res.fun


def _check_constants(values):
    point = ladder_point(values["seed"], 3, values["eta"], [-30.0], values["m"], values["n"])
    X, y, _ = instance(point)
    l1 = min_l1_interpolant(X, y)
    support, signs = l1.stats["support"], l1.stats["signs"]
    rho = l1.stats["rho"]
    rows = [CheckRow("ρ: certificate form (LP) vs null-space form (its dual LP, interior point)",
                     rho.value, _null_space_form(X, support, signs), "dual LP, HiGHS IPM", 1e-7,
                     "HiGHS interior-point tolerance 1e-8 on the dual LP, ×10")]
    # the exact gap at α = 1e-30 and e*, each certified, from SM-1's measurement
    measured = measure_ladder(point)
    rows.append(CheckRow("‖e*‖₁ (D = 3) vs ‖β_α − β_ℓ1‖₁/α at α = 1e-30", measured["e_star_l1"],
                         10.0 ** (measured["log10_gaps"][0] + 30),
                         f"exact flow limit at {measured['digits']} digits", 1e-6,
                         "remainder O(α^{1/3}) ≈ 1e-10·(c h_D'/h_D) relative at 1e-30, plus the "
                         "gap's 6 certified digits"))
    return rows


FORMULA_VIEWS = [
    FormulaView("sm_example", "the tight example A = [1, c]: ρ, e*, the gap's asymptotics (SM-3)",
                {"D": Parameter("2", "depth", int,
                                domain=Domain(low=2, integer=True, cap=MAX_DEPTH,
                                              cap_reason=MAX_DEPTH_REASON)),
                 "c": Parameter("1/2", "the example's second entry (= ρ); in (0, 1) e₁ is the "
                                       "unique ℓ1 interpolant", _rational,
                                domain=Domain(low=0, high=1, low_open=True, high_open=True)),
                 "alpha": Parameter("1e-20", "end-to-end initialisation scale; the gap's "
                                             "asymptotics are for α → 0", mpmath.mpf,
                                    domain=Domain(low=0, high=1, low_open=True, high_open=True))},
                _derive_example, _check_example, claims=("SM-1", "SM-2", "SM-3")),
    FormulaView("sm_constants", "ρ (LP and its dual) and e* of a random SM design (SM-1, SM-2)",
                {"seed": Parameter("0", "seed of the design", int,
                                   domain=Domain(low=0, integer=True)),
                 "m": Parameter("10", "rows; above the planted support size 2", int,
                                domain=Domain(low=3, integer=True, cap=MAX_ROWS,
                                              cap_reason=MAX_SIZE_REASON)),
                 "n": Parameter("40", "columns; more than rows (overparameterised)", int,
                                domain=Domain(low="m", low_open=True, integer=True, cap=MAX_COLUMNS,
                                              cap_reason=MAX_SIZE_REASON)),
                 "eta": Parameter("0", "label-noise level η", float, domain=Domain(low=0))},
                _derive_constants, _check_constants, claims=("SM-1", "SM-2", "SM-4")),
]

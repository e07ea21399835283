"""The DLN potentials at a chosen depth, for ``python -m verify formula``: ``q``
(depth 2) and ``q_D D=…`` (D ≥ 3) show what theory derives (closed form or link,
series at 0, expansion at ∞) and check each against quadrature of the inverse
link found by root finding on numerics' own link (numerics.potential_quadrature).
Tolerances: the working precision for exact formulas; MARGIN times the first
non-zero omitted term for a truncated expansion (verify.formula.expansion_rows).
"""

from __future__ import annotations

import mpmath

from numerics.potential_quadrature import inverse_link_and_q_D, quadrature_q
from theory import (deep_potential, h_D_inverse_series, h_D_prediction, h_D_series, q_D_asymptotic,
                    q_D_series, q_asymptotic, q_prediction, q_series, q_stable_prediction)
from verify.formula import (MAX_DIGITS, CheckRow, Domain, FormulaView, Parameter, RowProof,
                            expansion_rows)

from .proofs import q_asymptotic_remainder, q_D_series_remainder, q_series_remainder

SERIES_TERMS = 10       # q: through z⁸; q_D: through t⁹ (the series are even)
ASYMPTOTIC_TERMS = 6    # q: through z^{−5}
DEEP_ASYMPTOTIC_TERMS = 4
SMALL = ("0.05", "0.2")
LARGE = ("1e3", "1e5")
EXACT = ("1e-6", "0.5", "3", "40", "1e6")
# A truncation error is its first omitted term times (1 + the later terms relative to
# it); at the points above those are below 10 % (successive ratios ≲ 0.05): margin 2.
MARGIN = 2.0
# q_D's first omitted term at ∞ is w^(D−2) (in w = t^(−1/D) the powers beyond the
# constant are w^(D−2), w^(2(D−2)), …): D − 1 − DEEP_ASYMPTOTIC_TERMS more terms, at most
# 25 below the cap on D (issue 13).
MAX_EXTRA_TERMS = 64
# Measured on 2 cores under load 17: D = 30 in 2 min, D = 1000 unfinished after 2 min.
MAX_DEPTH = 30
MAX_DEPTH_REASON = "the check's sympy expansions grow with D (about 2 minutes at D = 30)"


def _proof_row(proved, x) -> RowProof:
    """A remainder proof ((numerics.boxes.RemainderProof, its statement)) as a check row's
    proof: the proven bound at x, the statement on its range."""
    proof, statement = proved
    result = proof.result
    return RowProof(result.status, statement if result.proved else str(result), proof.bound(x),
                    result.boxes, result.seconds)


def _exact_tolerance(digits):
    return 10.0 ** (5 - digits), f"{digits}-digit arithmetic, 5 digits kept for rounding"


def _expansion_rows(variable, series, asymptotic, asymptotic_text, quadrature, method):
    """Rows for the series at 0 (at SMALL) and the expansion at ∞ (at LARGE), each given as
    (expansion(terms), terms, proof hook or None: x -> a proven remainder bound's row)."""
    return [row for points, (expansion, terms, prove), where, what in (
            (SMALL, series, "series at 0", f"Taylor series through {variable}^{SERIES_TERMS - 2}"),
            (LARGE, asymptotic, "expansion at ∞", asymptotic_text))
            for row in expansion_rows(f"{where}, {variable}", expansion, terms, points, quadrature,
                                      method, what, margin=MARGIN, prove=prove,
                                      max_extra=MAX_EXTRA_TERMS)]


def _derive_q(values):
    return [q_prediction(), q_stable_prediction(), q_series(SERIES_TERMS),
            q_asymptotic(ASYMPTOTIC_TERMS)]


def _check_q(values):
    digits = values["digits"]
    tolerance, reason = _exact_tolerance(digits)
    method = f"∫₀ᶻ arcsinh(u/2) du, tanh-sinh quadrature at {digits} digits"
    rows = []
    with mpmath.workdps(digits):
        for z in EXACT:
            # the printed closed form cancels O(1) terms for small z (q ≈ z²/4): it is
            # checked where it is well conditioned, the cancellation-free form everywhere
            forms = [("cancellation-free form", q_stable_prediction())] + (
                [("closed form", q_prediction())] if float(z) >= 0.5 else [])
            for label, form in forms:
                rows.append(CheckRow(f"{label}, z = {z}", form.mpmath(z), quadrature_q(z)[0],
                                     method, tolerance, reason))
        return rows + _expansion_rows(
            "z", (q_series, SERIES_TERMS, lambda z: _proof_row(q_series_remainder(
                SERIES_TERMS, float(SMALL[-1])), z)),
            (q_asymptotic, ASYMPTOTIC_TERMS, lambda z: _proof_row(q_asymptotic_remainder(
                ASYMPTOTIC_TERMS, float(LARGE[0])), 1 / float(z))),
            f"expansion through z^-{ASYMPTOTIC_TERMS - 1}", lambda z: quadrature_q(z)[0], method)


def _derive_q_D(values):
    depth = values["D"]
    return [h_D_prediction().subs(D=depth), h_D_series(depth), h_D_inverse_series(depth),
            q_D_series(depth, SERIES_TERMS), q_D_asymptotic(depth, DEEP_ASYMPTOTIC_TERMS)]


def _check_q_D(values):
    depth, digits = values["D"], values["digits"]
    tolerance, reason = _exact_tolerance(digits)
    method = (f"∫₀ᵗ h_D⁻¹, h_D⁻¹ by root finding on numerics' link, tanh-sinh quadrature at "
              f"{digits} digits")
    with mpmath.workdps(digits):
        def quadrature(t):
            return inverse_link_and_q_D(depth, t)[1]

        rows = [CheckRow(f"theory's exact evaluator, t = {t}",
                         deep_potential(depth).mpmath(mpmath.mpf(t)), quadrature(t), method,
                         tolerance, reason) for t in EXACT[1:4]]
        return rows + _expansion_rows(
            "t", (lambda terms: q_D_series(depth, terms), SERIES_TERMS,
                  lambda t: _proof_row(q_D_series_remainder(depth, SERIES_TERMS,
                                                            float(SMALL[-1])), t)),
            (lambda terms: q_D_asymptotic(depth, terms), DEEP_ASYMPTOTIC_TERMS, None),
            f"expansion with {DEEP_ASYMPTOTIC_TERMS} terms beyond t", quadrature, method)


DIGITS = Domain(low=15, high=MAX_DIGITS, integer=True)  # below 15: coarser than float64

FORMULA_VIEWS = [
    FormulaView("q", "depth-2 DLN potential q (Woodworth et al. 2020, Thm 1): closed form, "
                     "series at 0, expansion at ∞",
                {"digits": Parameter("50", "working precision of the check, in digits", int,
                                     domain=DIGITS)},
                _derive_q, _check_q, claims=("KR-1", "KR-2", "KR-3")),
    FormulaView("q_D", "depth-D DLN potential q_D = ∫ h_D⁻¹ (Woodworth et al. 2020, Thm 3): "
                       "link, series at 0, expansion at ∞",
                {"D": Parameter("3", "depth; for depth 2 see the view q", int,
                                domain=Domain(low=3, integer=True, cap=MAX_DEPTH,
                                              cap_reason=MAX_DEPTH_REASON)),
                 "digits": Parameter("40", "working precision of the check, in digits", int,
                                     domain=DIGITS)},
                _derive_q_D, _check_q_D, claims=("KR-4", "KR-9")),
]

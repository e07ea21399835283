"""The DLN potentials at a chosen depth, for ``python -m verify formula``.

``q`` (depth 2) and ``q_D D=…`` (depth D ≥ 3) show what theory derives — the
closed form or the link, the series at 0, the expansion at ∞ — and check each
against a computation that uses none of it: the integral of the inverse link
by tanh-sinh quadrature, with the inverse found by root finding on numerics'
own link (:mod:`numerics.potential_quadrature`).

Every row's tolerance says why: the working precision for exact formulas; for
a truncated expansion, the size of its first omitted term (computed from the
next-longer expansion) relative to the value, times a stated margin.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from numerics.potential_quadrature import inverse_link_and_q_D, quadrature_q
from theory import (deep_potential, h_D_inverse_series, h_D_prediction, h_D_series, q_D_asymptotic,
                    q_D_series, q_asymptotic, q_prediction, q_series, q_stable_prediction)
from verify.formula import MAX_DIGITS, CheckRow, Domain, FormulaView, Parameter

SERIES_TERMS = 10       # q: through z⁸; q_D: through t⁹ (the series are even)
ASYMPTOTIC_TERMS = 6    # q: through z^{−5}
DEEP_ASYMPTOTIC_TERMS = 4
SMALL = ("0.05", "0.2")
LARGE = ("1e3", "1e5")
EXACT = ("1e-6", "0.5", "3", "40", "1e6")
# An expansion's truncation error is its first omitted term times (1 + the
# terms after it relative to it); at the points above those are below 10 %
# (the ratios of successive terms are ≲ 0.05 there), so a margin of 2 is safe.
MARGIN = 2.0
# The most terms _longer_expansion adds looking for a non-zero one: q_D's first
# omitted term at ∞ is w^(D−2), which takes D − 1 − DEEP_ASYMPTOTIC_TERMS more
# terms, at most 25 below the cap on D.
MAX_EXTRA_TERMS = 64
# The check's sympy expansions grow with D; measured on the 2-core machine under a
# load of 17: D = 30 in 2 min, D = 1000 not finished after 2 min.
MAX_DEPTH = 30
MAX_DEPTH_REASON = "the check's sympy expansions grow with D (about 2 minutes at D = 30)"


def _exact_tolerance(digits):
    return 10.0 ** (5 - digits), f"{digits}-digit arithmetic, 5 digits kept for rounding"


def _expansion_row(at, short, longer, independent, method, what):
    """A row for a truncated expansion: ``short`` and ``longer`` are its values
    with n and with more terms (from :func:`_longer_expansion`), so
    ``longer − short`` is its first non-zero omitted term(s)."""
    omitted = abs(longer - short) / abs(independent)
    return CheckRow(at, short, independent, method, MARGIN * float(omitted),
                    f"{what}: {MARGIN:g} × its first non-zero omitted term "
                    f"({mpmath.nstr(omitted, 3)} relative)")


def _longer_expansion(expansion, terms):
    """``expansion(more)`` for the fewest ``more > terms`` (tried as terms + 1,
    + 2, + 4, …) that adds a non-zero term to ``expansion(terms)``.

    The next-longer expansion alone is not enough: many coefficients of q_D at
    ∞ vanish (in w = t^(−1/D) the non-zero powers beyond the constant are
    w^(D−2), w^(2(D−2)), …, so for D = 5 those of w⁴ and w⁵), and an error
    bound taken from a zero "omitted term" would be 0 (issue 13).
    """
    short = expansion(terms).expr
    extra = 1
    while extra <= MAX_EXTRA_TERMS:
        longer = expansion(terms + extra)
        if sp.expand(longer.expr - short) != 0:
            return longer
        extra *= 2
    raise ArithmeticError(f"the expansion with {terms} terms gains no non-zero term within "
                          f"{MAX_EXTRA_TERMS} more, so its truncation error has no estimate")


# --- depth 2 ---------------------------------------------------------------------

def _derive_q(values):
    return [q_prediction(), q_stable_prediction(), q_series(SERIES_TERMS),
            q_asymptotic(ASYMPTOTIC_TERMS)]


def _check_q(values):
    digits = values["digits"]
    tolerance, reason = _exact_tolerance(digits)
    closed, stable = q_prediction(), q_stable_prediction()
    series, longer_series = q_series(SERIES_TERMS), _longer_expansion(q_series, SERIES_TERMS)
    asymptotic = q_asymptotic(ASYMPTOTIC_TERMS)
    longer_asymptotic = _longer_expansion(q_asymptotic, ASYMPTOTIC_TERMS)
    method = f"∫₀ᶻ arcsinh(u/2) du, tanh-sinh quadrature at {digits} digits"
    rows = []
    with mpmath.workdps(digits):
        for z in EXACT:
            # The closed form as printed cancels O(1) terms for small z (q ≈ z²/4):
            # it is checked where it is well conditioned; the cancellation-free
            # form everywhere.
            forms = [("cancellation-free form", stable)] + (
                [("closed form", closed)] if float(z) >= 0.5 else [])
            for label, form in forms:
                rows.append(CheckRow(f"{label}, z = {z}", form.mpmath(z), quadrature_q(z)[0],
                                     method, tolerance, reason))
        for z in SMALL:
            rows.append(_expansion_row(f"series at 0, z = {z}", series.mpmath(z),
                                       longer_series.mpmath(z), quadrature_q(z)[0], method,
                                       f"Taylor series through z^{SERIES_TERMS - 2}"))
        for z in LARGE:
            rows.append(_expansion_row(f"expansion at ∞, z = {z}", asymptotic.mpmath(z),
                                       longer_asymptotic.mpmath(z), quadrature_q(z)[0], method,
                                       f"expansion through z^-{ASYMPTOTIC_TERMS - 1}"))
    return rows


# --- depth D ≥ 3 -----------------------------------------------------------------

def _derive_q_D(values):
    depth = values["D"]
    return [h_D_prediction().subs(D=depth), h_D_series(depth), h_D_inverse_series(depth),
            q_D_series(depth, SERIES_TERMS), q_D_asymptotic(depth, DEEP_ASYMPTOTIC_TERMS)]


def _check_q_D(values):
    depth, digits = values["D"], values["digits"]
    tolerance, reason = _exact_tolerance(digits)
    series = q_D_series(depth, SERIES_TERMS)
    longer_series = _longer_expansion(lambda terms: q_D_series(depth, terms), SERIES_TERMS)
    asymptotic = q_D_asymptotic(depth, DEEP_ASYMPTOTIC_TERMS)
    longer_asymptotic = _longer_expansion(lambda terms: q_D_asymptotic(depth, terms),
                                          DEEP_ASYMPTOTIC_TERMS)
    implicit = deep_potential(depth)
    method = (f"∫₀ᵗ h_D⁻¹, h_D⁻¹ by root finding on numerics' link, tanh-sinh quadrature at "
              f"{digits} digits")
    rows = []
    with mpmath.workdps(digits):
        def quadrature(t):
            return inverse_link_and_q_D(depth, t)[1]

        for t in EXACT[1:4]:
            rows.append(CheckRow(f"theory's exact evaluator, t = {t}",
                                 implicit.mpmath(mpmath.mpf(t)), quadrature(t), method,
                                 tolerance, reason))
        for t in SMALL:
            rows.append(_expansion_row(f"series at 0, t = {t}", series.mpmath(t=t),
                                       longer_series.mpmath(t=t), quadrature(t), method,
                                       f"Taylor series through t^{SERIES_TERMS - 2}"))
        for t in LARGE:
            rows.append(_expansion_row(f"expansion at ∞, t = {t}", asymptotic.mpmath(t=t),
                                       longer_asymptotic.mpmath(t=t), quadrature(t), method,
                                       f"expansion with {DEEP_ASYMPTOTIC_TERMS} terms beyond t"))
    return rows


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

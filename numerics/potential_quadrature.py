"""The coordinate potentials of diagonal networks computed independently of any
closed form: q(z) = ∫₀ᶻ arcsinh(u/2) du (depth 2, Woodworth et al. 2020, Thm 1)
and q_D(t) = ∫₀ᵗ h_D⁻¹ (depth D ≥ 3, Thm 3) by tanh-sinh quadrature, h_D⁻¹ by
root finding on numerics' own link.  The claims and formula views check
theory's closed forms and series against these.

Both work at the current mpmath precision.  Paths longer than 1 are cut at
±1, ±10, ±100, …: tanh-sinh converges fastest on pieces whose end points have a
bounded ratio.  Negative arguments are integrated as given (from 0 down), so
evenness is measured, not assumed.
"""

from __future__ import annotations

import mpmath

from .arith import arith_for
from .potentials import DeepPotential

__all__ = ["quadrature_q", "inverse_link_and_q_D"]


def _nodes(x):
    x = mpmath.mpf(x)
    decades = int(mpmath.ceil(mpmath.log10(abs(x)))) if abs(x) > 1 else 0
    return [mpmath.mpf(0)] + [mpmath.sign(x) * mpmath.mpf(10) ** k for k in range(decades)] + [x]


def quadrature_q(z):
    """(q(z), mpmath's estimate of its absolute error), q(z) = ∫₀ᶻ arcsinh(u/2) du."""
    return mpmath.quad(lambda u: mpmath.asinh(u / 2), _nodes(z), error=True)


def inverse_link_and_q_D(depth, t):
    """(h_D⁻¹(t), q_D(t) = ∫₀ᵗ h_D⁻¹, the quadrature's error estimate).

    h_D is the link of :class:`DeepPotential` at unit scale, in its state
    (z, λ = log(1 − |z|)), so theory's formulas are not used.  The root is found
    in λ, where the large-|t| roots (z within |t|^{−(D−2)/D} of 1) are well
    resolved: g(λ) = log h_D − log|t| is decreasing, so Newton's steps are kept
    inside a bracket that shrinks with the sign of g.
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
                state = (a.asarray([-mpmath.expm1(lam)]), a.asarray([lam]))
                value = h.link(state, a)[0]
                g = mpmath.log(value) - mpmath.log(abs(s))
                if abs(g) <= stop:
                    break
                lo, hi = (lam, hi) if g > 0 else (lo, lam)
                lam = lam - g / (-h.weights(state, a)[0] * mpmath.exp(lam) / value)
                if not lo < lam < hi:
                    lam = (lo + hi) / 2
            else:
                raise ArithmeticError(f"h_D⁻¹({s}) did not converge (D = {depth})")
            return mpmath.sign(s) * -mpmath.expm1(lam)

        q, error = mpmath.quad(inverse, _nodes(t), error=True)
        return inverse(t), q, error

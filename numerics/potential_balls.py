"""The coordinate potentials of diagonal networks in Arb ball arithmetic (python-flint),
for proofs over boxes (:mod:`numerics.boxes`): q (depth 2, Woodworth et al. 2020,
Thm 1) and q_D (depth D ≥ 3, Thm 3).

Taylor coefficients are taken *at a ball*: the j-th coefficient f⁽ʲ⁾(ξ)/j! enclosed
for every ξ in the ball, which is what a Lagrange remainder needs
(:func:`numerics.boxes.remainder_proof`).  Like :mod:`numerics.potential_quadrature`,
nothing here uses theory's formulas: q from q' = arcsinh(z/2), q_D from q_D' = h_D⁻¹.
"""

from __future__ import annotations

from flint import arb, arb_series, ctx

from .boxes import arb_context, inverse_bracket, taylor_coefficients

__all__ = ["asinh", "q_coefficients", "q_infinity_coefficients", "log_half_one_plus_root",
           "q_over_z_rest", "h_D", "q_D_coefficients"]


def _series_room(count):
    """Arb's series length raised to ``count`` coefficients (if it is lower)."""
    return arb_context(ctx.prec, max(ctx.cap, count))


def asinh(s):
    """arcsinh of a ball or a power series (log(s + √(s² + 1)))."""
    return (s + (s * s + 1).sqrt()).log()


def q_coefficients(x, count: int) -> list:
    """q's Taylor coefficients c₀ … c_{count−1} at the ball x: q' = arcsinh(z/2), so
    cⱼ = [tʲ⁻¹]q'/j; c₀ is returned as 0 (q(0) = 0 is the only value needed, at x = 0).

    >>> [float(c.mid()) for c in q_coefficients(arb(0), 5)]    # z²/4 − z⁴/192
    [0.0, 0.0, 0.25, 0.0, -0.005208333333333333]
    """
    with _series_room(count):
        derivative = taylor_coefficients(asinh(arb_series([x, 1]) / 2), count)
    return [arb(0)] + [derivative[j - 1] / j for j in range(1, count)]


def q_infinity_coefficients(w, count: int) -> list:
    """Taylor coefficients at the ball w of U(w) = √(1+4w²) − 1 − log((1+√(1+4w²))/2),
    the analytic part of q at ∞: q(z) = z·log z − z + 2 − U(w)/w with w = 1/z (from
    q = 2 − √(4+z²) + z·arcsinh(z/2), arcsinh(z/2) = log z + log((1+√(1+4w²))/2))."""
    with _series_room(count):
        s = arb_series([w, 1])
        root = (4 * s * s + 1).sqrt()
        return taylor_coefficients(root - 1 - ((1 + root) / 2).log(), count)


def log_half_one_plus_root(w):
    """log((1 + √(1+4w²))/2) = arcsinh(1/(2w)) − log(1/w): the analytic part of arcsinh at ∞."""
    return ((1 + (1 + 4 * w * w).sqrt()) / 2).log()


def q_over_z_rest(w):
    """r(w) = q(Z)/Z − ln Z + 1 at w = 1/Z: by q's closed form,
    r(w) = 1 + 2w − √(1+4w²) + log((1+√(1+4w²))/2), smooth on [0, 1]."""
    return 1 + 2 * w - (1 + 4 * w * w).sqrt() + log_half_one_plus_root(w)


def h_D(depth: int, u):
    """h_D(u) = (1−u)^{−m} − (1+u)^{−m}, m = D/(D−2) (Thm 3), on a ball or a series."""
    m = arb(depth) / (depth - 2)
    return ((1 - u).log() * -m).exp() - ((1 + u).log() * -m).exp()


def q_D_coefficients(depth: int, x, count: int) -> list:
    """q_D's Taylor coefficients c₀ … c_{count−1} at the ball x ⊂ [0, ∞) (c₀ returned as
    0, as for q): c₁ = q_D' = h_D⁻¹(ξ) = u, enclosed by proved brackets (h_D increases),
    and q_D'(ξ + s) − u is the reversion of h_D(u + s) − h_D(u).

    >>> c = q_D_coefficients(3, arb(0), 3)      # h_3(u) ≈ 6u: q_3 ≈ t²/12
    >>> abs(float(c[2].mid()) - 1 / 12) < 1e-15
    True
    """
    def bracket(xi):
        if xi == 0:
            return arb(0), arb(0)
        return inverse_bracket(lambda u: h_D(depth, u), xi, 0.0, 1 - 2.0 ** -30)

    u = arb.union(bracket(x.lower())[0], bracket(x.upper())[1])
    with _series_room(count):
        h = taylor_coefficients(h_D(depth, arb_series([u, 1])), count)
        inverse = taylor_coefficients(arb_series([arb(0)] + h[1:]).reversion(), count)
    return ([arb(0), u] + [inverse[j - 1] / j for j in range(2, count)])[:count]

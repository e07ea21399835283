"""Proofs in ball arithmetic for Woodworth et al. (2020): KR-2's expansions, KR-6/7/8's bounds.

Sampling says "no counterexample among N points"; these say "true on this
box".  Each proof evaluates a predicate in Arb ball arithmetic (python-flint)
with :func:`numerics.boxes.prove`, whose "proved" needs every comparison to
be certain on every piece of a cover of the box.  What is proved by boxes is
a one- or few-dimensional inequality; the statement texts say how it gives
the paper's claim (an exact reduction, written out in each docstring).

Expansions of q (KR-2) and q_D (Thm 3) — remainder bounds on stated ranges:
    For f analytic on [0, r] with Taylor polynomial T_{m−1} at 0,
    f(x) − T_{m−1}(x) = f⁽ᵐ⁾(ξ)·xᵐ/m! for some ξ ∈ [0, x] (Lagrange).  The
    boxes prove |f⁽ᵐ⁾/m!| ≤ K on [0, r], with f⁽ᵐ⁾/m! the m-th Taylor
    coefficient *at the ball ξ* (Arb power series, valid for every point of
    the ball).  The theory's truncated series S is compared with the true
    Taylor coefficients computed in Arb; any mismatch Δ is added, so
    |f(x) − S(x)| ≤ K·xᵐ + Σ|Δⱼ|xʲ on [0, r] whatever theory printed.

Per claim, :data:`CLAIM_PROOFS` lists ``(statement, box, run)`` with
``run()`` returning the :class:`numerics.boxes.BoxProof`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp
from flint import arb, arb_series, ctx

from numerics.boxes import BoxProof, at_most, prove
from theory import SYMBOLS, q_asymptotic, q_D_series, q_series
from verify.formula import RowProof

_PRECISION = 128       # bits: every quantity here is O(1)–O(1e6); 128 leaves ~20 digits spare
_BUDGET = 2000


@dataclass(frozen=True)
class RemainderProof:
    """A proven bound |f(x) − S(x)| ≤ K·xᵐ + Σ|Δⱼ|xʲ for x ∈ [0, r] (or of 1/z)."""

    statement: str
    result: BoxProof
    constant: float            # K
    order: int                 # m
    mismatch: tuple            # upper bounds of |Δⱼ|, j = 0 … m−1

    def bound(self, x) -> float:
        """The proven bound at x (a float upper bound); None if not proved."""
        if not self.result.proved:
            return None
        with _precision():
            x = arb(x)
            total = arb(self.constant) * x ** self.order + sum(
                (arb(delta) * x ** j for j, delta in enumerate(self.mismatch)), arb(0))
            return float(total.upper()) * (1 + 2 ** -50)

    def row(self, x) -> RowProof:
        """The proof as a formula-check row's: the bound at x, the statement on its range."""
        result = self.result
        return RowProof(result.status, self.statement if result.proved else str(result),
                        self.bound(x), result.boxes, result.seconds)


class _precision:
    """Arb precision and series length for this module, restored afterwards."""

    def __enter__(self):
        self._saved = ctx.prec, ctx.cap
        ctx.prec, ctx.cap = _PRECISION, 24
        return self

    def __exit__(self, *exc):
        ctx.prec, ctx.cap = self._saved
        return False


def _upper(value: arb) -> float:
    return float(value.abs_upper()) * (1 + 2 ** -50)


def _coefficients(series: arb_series, count: int) -> list:
    coeffs = series.coeffs()
    return [coeffs[j] if j < len(coeffs) else arb(0) for j in range(count)]


def _polynomial(expr, var) -> list:
    """Coefficients (as exact rationals) of a sympy polynomial, low degree first."""
    poly = sp.Poly(sp.expand(expr), var)
    coeffs = poly.all_coeffs()[::-1]
    if not all(c.is_rational for c in coeffs):
        raise ValueError(f"{expr} has non-rational coefficients")
    return coeffs


def _arb_rational(c) -> arb:
    c = sp.Rational(c)
    return arb(int(c.p)) / int(c.q)


def _remainder_proof(theory_coeffs, true_coeffs_at, order, radius, what, variable, where):
    """Prove |f − S| ≤ K·xᵐ + Σ|Δⱼ|xʲ on [0, radius].

    ``true_coeffs_at(ball, count)`` returns f's Taylor coefficients at a ball
    (index j = f⁽ʲ⁾/j!), valid for every point of the ball.
    """
    with _precision():
        exact = true_coeffs_at(arb(0), order)
        padded = list(theory_coeffs) + [0] * (order - len(theory_coeffs))
        if len(padded) > order:
            raise ValueError(f"theory's polynomial has degree ≥ {order}")
        mismatch = tuple(_upper(_arb_rational(s) - c) for s, c in zip(padded, exact))
        ends = [true_coeffs_at(arb(x), order + 1)[order] for x in (0, radius / 2, radius)]
        constant = float(f"{2 * max(_upper(v) for v in ends):.2g}")

        def predicate(box):
            return at_most(abs(true_coeffs_at(box["ξ"], order + 1)[order]), constant)

        result = prove(predicate, {"ξ": (0, radius)}, budget=_BUDGET, precision=_PRECISION)
    statement = (f"|{what}| ≤ {constant:g}·({variable})^{order} + Δ for {where}: Lagrange "
                 f"remainder in {variable}, the Taylor coefficient of order {order} "
                 f"proved ≤ {constant:g} in modulus on [0, {radius:g}]; Δ ≤ Σ|Δⱼ|{variable}ʲ, "
                 f"|Δⱼ| ≤ {max(mismatch):.2g}, is theory's coefficients against the Arb Taylor "
                 "coefficients")
    return RemainderProof(statement, result, constant, order, mismatch)


# --- q (depth 2) -----------------------------------------------------------------------

def _asinh(s):
    return (s + (s * s + 1).sqrt()).log()


def _q_coefficients(x, count):
    """q's Taylor coefficients at x: q' = arcsinh(z/2) (KR-1), so cⱼ = [tʲ⁻¹]q'/j; c₀ unused
    (q(0) = 0 is the only value needed, at x = 0)."""
    derivative = _coefficients(_asinh(arb_series([x, 1]) / 2), count)
    return [arb(0)] + [derivative[j - 1] / j for j in range(1, count)]


@functools.lru_cache(maxsize=None)
def q_series_remainder(terms: int, radius: float) -> RemainderProof:
    """KR-2: |q(z) − q_series(terms)(z)| on [0, radius] (q is even: also for |z|)."""
    z = SYMBOLS.z
    coeffs = _polynomial(q_series(terms).expr, z)
    order = max(len(coeffs), 2)
    return _remainder_proof(coeffs, _q_coefficients, order, radius,
                            "q(z) − series(z)", "z", f"|z| ≤ {radius:g}")


def _u_coefficients(w, count):
    """U(w) = √(1+4w²) − 1 − log((1+√(1+4w²))/2), the analytic part of q at ∞:
    q(z) = z·log z − z + 2 − U(w)/w with w = 1/z (from q = 2 − √(4+z²) + z·arcsinh(z/2),
    arcsinh(z/2) = log z + log((1+√(1+4w²))/2))."""
    s = arb_series([w, 1])
    root = (4 * s * s + 1).sqrt()
    return _coefficients(root - 1 - ((1 + root) / 2).log(), count)


@functools.lru_cache(maxsize=None)
def q_asymptotic_remainder(terms: int, z_min: float) -> RemainderProof:
    """KR-2: |q(z) − q_asymptotic(terms)(z)| for z ≥ z_min, as a bound in w = 1/z.

    With A(z) = z log z − z + 2 − P(1/z) (theory's expansion) and
    N(w) = U(w)/w: q − A = P(w) − N(w), and N's Taylor remainder of order m
    equals U's of order m+1 divided by w, so the boxes bound U's (m+1)-th
    coefficient on [0, 1/z_min].
    """
    z, w = SYMBOLS.z, sp.Symbol("w", positive=True)
    rest = -(q_asymptotic(terms).expr - (z * sp.log(z) - z + 2))
    coeffs = _polynomial(sp.expand(rest.subs(z, 1 / w)), w)
    order = len(coeffs)

    def n_coefficients(x, count):          # N = U/w: shift U's coefficients down by one
        return _u_coefficients(x, count + 1)[1:]

    return _remainder_proof(coeffs, n_coefficients, order, 1 / z_min,
                            "q(z) − expansion(z)", "1/z", f"z ≥ {z_min:g}")


# --- q_D (depth D ≥ 3) -----------------------------------------------------------------

def _h_series(depth, u):
    """h_D(u + s) = (1−u−s)^{−m} − (1+u+s)^{−m}, m = D/(D−2) (Thm 3), as a series in s."""
    m = arb(depth) / (depth - 2)
    s = arb_series([u, 1])
    return ((1 - s).log() * -m).exp() - ((1 + s).log() * -m).exp()


def _h(depth, u):
    m = arb(depth) / (depth - 2)
    return (1 - u) ** -m - (1 + u) ** -m


def _inverse_bracket(depth, xi):
    """Exact a ≤ h_D⁻¹(ξ) ≤ b (h_D increasing on [0, 1), h_D(0) = 0), by bisection
    whose every step is a certain comparison, so the bracket is proved."""
    if xi == 0:
        return arb(0), arb(0)
    lo, hi = 0.0, 1 - 2.0 ** -30
    if not _h(depth, arb(hi)) > xi:
        raise ArithmeticError(f"h_{depth}⁻¹({xi}) is beyond 1 − 2⁻³⁰")
    for _ in range(80):
        mid = (lo + hi) / 2
        value = _h(depth, arb(mid))
        if value < xi:
            lo = mid
        elif value > xi:
            hi = mid
        else:
            break
    return arb(lo), arb(hi)


def _q_D_coefficients(depth):
    def at(x, count):
        """q_D's Taylor coefficients at the ball x: q_D' = h_D⁻¹, whose series at ξ is the
        reversion of h_D's at u = h_D⁻¹(ξ) (an enclosure of u from exact brackets)."""
        lo, hi = _inverse_bracket(depth, x.lower())[0], _inverse_bracket(depth, x.upper())[1]
        u = arb.union(lo, hi)
        h = _coefficients(_h_series(depth, u), count)
        inverse = _coefficients(arb_series([arb(0)] + h[1:]).reversion(), count)
        return [arb(0)] + [inverse[j - 1] / j for j in range(1, count)]
    return at


@functools.lru_cache(maxsize=None)
def q_D_series_remainder(depth: int, terms: int, radius: float) -> RemainderProof:
    """Thm 3 / KR-4: |q_D(t) − q_D_series(D, terms)(t)| on [0, radius] (q_D is even)."""
    coeffs = _polynomial(q_D_series(depth, terms).expr, SYMBOLS.t)
    return _remainder_proof(coeffs, _q_D_coefficients(depth), max(len(coeffs), 2), radius,
                            f"q_{depth}(t) − series(t)", "t", f"|t| ≤ {radius:g}")

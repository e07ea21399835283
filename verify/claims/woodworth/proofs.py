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
``run()`` returning the :class:`numerics.boxes.BoxProof`: proved parts, and
attempts at the parts that are too tight for bisection (they return
undecided, so the claim as a whole is never reported proved).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import sympy as sp
from flint import arb, arb_series, ctx

from numerics.boxes import BoxProof, at_most, below, prove
from theory import SYMBOLS, q_asymptotic, q_D_series, q_series
from verify.formula import RowProof

_PRECISION = 128       # bits: every quantity here is O(1)–O(1e6); 128 leaves ~20 digits spare
_BUDGET = 2000          # a remainder bound: one side, a few levels of bisection
_BOX_BUDGET = 40000     # two- and three-sided boxes: round-robin bisection needs ~4ᵏ boxes


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


# --- KR-6, KR-7, KR-8: the lemmas and thresholds, as inequalities over boxes ------------

def _all(*verdicts):
    """Three-valued AND: True if all are, False if any is, else None."""
    if any(v is False for v in verdicts):
        return False
    return True if all(v is True for v in verdicts) else None


def _any(*verdicts):
    """Three-valued OR: True if any is, False if all are, else None."""
    if any(v is True for v in verdicts):
        return True
    return False if all(v is False for v in verdicts) else None


def _log_half_one_plus_root(w):
    """log((1 + √(1+4w²))/2) = arcsinh(1/(2w)) − log(1/w): the analytic part of arcsinh at ∞."""
    return ((1 + (1 + 4 * w * w).sqrt()) / 2).log()


_TAYLOR_ORDER = 12


def _q_over_square(z):
    """4q(z)/z² on a ball z (0 allowed): Taylor model at 0 of order k,
    q(z) = Σ_{2≤j<k} cⱼzʲ + C_k(ξ)·zᵏ with C_k the k-th Taylor coefficient at
    the ball (Lagrange), so 4q/z² = 4(Σ cⱼz^{j−2} + C_k(z)·z^{k−2})."""
    k = _TAYLOR_ORDER
    exact = _q_coefficients(arb(0), k)
    remainder = _q_coefficients(z, k + 1)[k]
    return 4 * (sum((exact[j] * z ** (j - 2) for j in range(2, k)), arb(0))
                + remainder * z ** (k - 2))


def _lemma3(box):
    """(1−ε) ≤ 4q(z)/z² ≤ (1+ε) for |z| ≤ (1 + ε^{−1/4})^{−2}, z = s·(1 + ε^{−1/4})^{−2}."""
    eps = box["ε"]
    z = box["s"] / (1 + eps ** arb(-0.25)) ** 2
    g = _q_over_square(z)
    return _all(at_most(1 - eps, g), at_most(g, 1 + eps))


def lemma3_proof():
    return prove(_lemma3, {"ε": ("0.001", 1), "s": (0, 1)}, budget=_BUDGET,
                 precision=_PRECISION)


LEMMA3_STATEMENT = (
    "Lemma 3 (KR-7): (1−ε)‖β‖₂² ≤ 4α⁴Q(β/α²) ≤ (1+ε)‖β‖₂² for α ≥ α₂ = √‖β‖₂(1+ε^{−1/4}), "
    "every d and β.  Proved: 1−ε ≤ 4q(z)/z² ≤ 1+ε for |z| ≤ (1+ε^{−1/4})^{−2}; α ≥ α₂ gives "
    "|βᵢ|/α² ≤ ‖β‖₂/α² ≤ (1+ε^{−1/4})^{−2}, and the coordinatewise bounds times βᵢ² sum to "
    "the lemma.")
LEMMA3_BOX = "ε ∈ [0.001, 1], z ∈ [0, (1+ε^{−1/4})^{−2}]"


def _lemma1_upper(box):
    """(1+ε)L − q(Z)/Z ≥ 0 at L = L₁ = max(−ℓ, (ln 2 + ℓ)/ε), Z = e^{ℓ+L}.

    Evaluated through the exact identity q(Z)/Z = ln Z − 1 + r(w), w = 1/Z,
    r(w) = 1 + 2w − √(1+4w²) + log((1+√(1+4w²))/2) (from q's closed form), so
    (1+ε)L − q(Z)/Z = εL − ℓ + 1 − r(w) with εL = max(−εℓ, ln 2 + ℓ)."""
    eps, ell = box["ε"], box["ℓ"]
    eps_L = arb.max(-eps * ell, arb(2).log() + ell)
    L = eps_L / eps
    return below(0, eps_L - ell + 1 - _r((-(ell + L)).exp()))


def lemma1_upper_proof():
    return prove(_lemma1_upper, {"ε": ("0.01", 1), "ℓ": (-10, 10)}, budget=_BOX_BUDGET,
                 precision=_PRECISION)


LEMMA1_UPPER_STATEMENT = (
    "Lemma 1, upper half (KR-7): α²/ln(1/α²)·Q(β/α²) ≤ (1+ε)‖β‖₁ for α ≤ α₁(ε, ‖β‖₁, d), "
    "every d.  Proved: (α²/n)·q(n/α²) ≤ (1+ε)·ln(1/α²) at L = ln(1/α²) = max(−ln n, "
    "ln(2n)/ε) ≤ ln(1/α₁²), n = ‖β‖₁.  It holds for larger L as the difference grows in L "
    "(d/dL of q(Z)/Z is (√(4+Z²)−2)/Z < 1 < 1+ε), and q(z)/z increases (q convex, q(0) = 0), "
    "so each |βᵢ| ≤ n obeys it; summing gives the lemma's upper half.")
LEMMA1_UPPER_BOX = "ε ∈ [0.01, 1], ln‖β‖₁ ∈ [−10, 10]"


def _lemma2_eq46(box):
    """−1 + ln(1/x) ≤ x·q(1/x) ≤ 3x − 1 + ln(1/x), x = e^{−s}, through the exact forms
    x·q(1/x) − (−1 + ln(1/x)) = 2x + 1 − √(1+4x²) + log((1+√(1+4x²))/2) and
    3x − 1 + ln(1/x) − x·q(1/x) = x − 1 + √(1+4x²) − log((1+√(1+4x²))/2)."""
    x = (-box["s"]).exp()
    root, tail = (1 + 4 * x * x).sqrt(), _log_half_one_plus_root(x)
    return _all(below(0, 2 * x + 1 - root + tail), below(0, x - 1 + root - tail))


def lemma2_eq46_proof():
    return prove(_lemma2_eq46, {"s": (-7, 40)}, budget=_BUDGET, precision=_PRECISION)


LEMMA2_EQ46_STATEMENT = (
    "Lemma 2, eq. (46) (KR-8): −1 + ln(1/x) ≤ x·q(1/x) ≤ 3x − 1 + ln(1/x), x = cα² > 0 "
    "(both gaps proved positive through their exact closed forms).")
LEMMA2_EQ46_BOX = "x ∈ [e^{−40}, e^{7}] (≈ [4.2e-18, 1097])"


def _r(w):
    """r(w) = q(Z)/Z − ln Z + 1 at w = 1/Z: by q's closed form (KR-1),
    r(w) = 1 + 2w − √(1+4w²) + log((1+√(1+4w²))/2), smooth on [0, 1]."""
    return 1 + 2 * w - (1 + 4 * w * w).sqrt() + _log_half_one_plus_root(w)


_LN_MILLION = 6 * arb(10).log()


def _lemma2_at_threshold(box):
    """√d·q(1/α²)/(d·q(1/(α²√d))) ≥ 1 + ε at α = α_n = d^{−1/4−1/(8ε)}.

    With b = ln(1/(α_n²√d)) = ln d/(4ε), y = e^b and Y = e^{(1+2ε)b} = 1/α_n²:
    √d·ratio = (q(Y)/Y)/(q(y)/y) exactly (Y = √d·y), and q(x)/x = ln x − 1 + r(1/x),
    so the claim is ε(b+1) + r(1/Y) − (1+ε)·r(1/y) ≥ 0 (q(y) > 0).  The lemma's range
    d ∈ [max{e, 12^{4ε}}, 10⁶] is b ∈ [max{1/(4ε), ln 12}, ln 10⁶/(4ε)]."""
    eps, t = box["ε"], box["t"]
    low = arb.max(1 / (4 * eps), arb(12).log())
    b = low + t * (_LN_MILLION / (4 * eps) - low)
    gap = eps * (b + 1) + _r((-(1 + 2 * eps) * b).exp()) - (1 + eps) * _r((-b).exp())
    return below(0, gap)


def lemma2_threshold_proof():
    return prove(_lemma2_at_threshold, {"ε": ("0.05", 1), "t": (0, 1)}, budget=_BOX_BUDGET,
                 precision=_PRECISION)


LEMMA2_THRESHOLD_STATEMENT = (
    "Lemma 2 (KR-8), eq. (57): at α = α_n = d^{−1/4−1/(8ε)} the ratio √d·Q(e₁/α²)/Q(𝟙/(√dα²)) "
    "is ≥ 1 + ε, for every d in the lemma's range d ≥ max{e, 12^{4ε}} up to 10⁶ (that the "
    "ratio rises with α, eq. (58), is sampled, not proved here).")
LEMMA2_THRESHOLD_BOX = "ε ∈ [0.05, 1], d ∈ [max{e, 12^{4ε}}, 10⁶]"


def _theorem2_l1_small(box):
    """Thm 2's stated ℓ1 threshold min(P₁, P₂) (in logs: P₁ = −p·ln(2(1+ε)‖β*‖₁),
    p = (2+ε)/(2ε), P₂ = −d/(ε‖β*‖₁)) meets the re-derived conditions α < 1 and
    α ≤ √‖β*‖₁ (theory.theorem2_l1_sufficient_conditions): min(P₁, P₂) ≤ c ⇔ P₁ ≤ c
    or P₂ ≤ c, for c = 0 and c = ℓ/2, ℓ = ln‖β*‖₁."""
    eps, ell, ln_d = box["ε"], box["ℓ"], box["ln d"]
    p1 = -(2 + eps) / (2 * eps) * ((2 * (1 + eps)).log() + ell)
    p2 = -(ln_d - ell).exp() / eps
    return _all(_any(at_most(p1, 0), at_most(p2, 0)),
                _any(at_most(p1, ell / 2), at_most(p2, ell / 2)))


def _theorem2_l1_powers(box):
    """The two other conditions, with the factors common to both sides cancelled
    (interval subtraction does not cancel them): P₁ ≤ −p·ln(2‖β*‖₁) ⇔ ln(1+ε) ≥ 0,
    and P₂ ≤ −d(2+ε)/(2ε(1+ε)‖β*‖₁) ⇔ (2+ε)/(2(1+ε)) ≤ 1."""
    eps = box["ε"]
    return _all(at_most(0, (1 + eps).log()), at_most((2 + eps) / (2 * (1 + eps)), 1))


def theorem2_l1_proof():
    small = prove(_theorem2_l1_small, {"ε": ("0.01", 1), "ℓ": (-10, 10),
                                       "ln d": (0, "13.8155")},
                  budget=_BOX_BUDGET, precision=_PRECISION)
    if not small.proved:
        return small
    powers = prove(_theorem2_l1_powers, {"ε": ("0.01", 1)}, budget=_BOX_BUDGET,
                   precision=_PRECISION)
    # one statement: proved when both parts are, on the larger box
    return replace(small, status=powers.status, remaining=powers.remaining,
                   counterexample=powers.counterexample, boxes=small.boxes + powers.boxes,
                   seconds=small.seconds + powers.seconds)


THEOREM2_L1_STATEMENT = (
    "Thm 2, ℓ1 (KR-6): the stated threshold min{(2(1+ε)‖β*‖₁)^{−(2+ε)/(2ε)}, "
    "exp(−d/(ε‖β*‖₁))} lies below each sufficient condition re-derived from the proof "
    "(α < 1, α ≤ √‖β*‖₁, α ≤ (2‖β*‖₁)^{−(2+ε)/(2ε)}, α ≤ exp(−d(2+ε)/(2ε(1+ε)‖β*‖₁))), "
    "so the stated threshold suffices.")
THEOREM2_L1_BOX = "ε ∈ [0.01, 1], ln‖β*‖₁ ∈ [−10, 10], d ∈ [1, 10⁶]"


def _theorem2_l2(box):
    """stated⁴/sharper⁴ = 48(1+ε)²(1+2/ε)²/max{1, (1+ε)²/(4ε)} ≥ 1, ε = e^u."""
    eps = box["ln ε"].exp()
    sharper = arb.max(arb(1), (1 + eps) ** 2 / (4 * eps))
    return at_most(sharper, 48 * (1 + eps) ** 2 * (1 + 2 / eps) ** 2)


def theorem2_l2_proof():
    return prove(_theorem2_l2, {"ln ε": ("-6.9078", "6.9078")}, budget=_BUDGET,
                 precision=_PRECISION)


THEOREM2_L2_STATEMENT = (
    "Thm 2, ℓ2 (KR-6): the stated threshold √(2(1+ε)(1+2/ε)‖β*‖₂) is at least the re-derived "
    "sufficient one (‖β*‖₂²·max{1, (1+ε)²/(4ε)}/12)^{1/4} (theory.theorem2_l2_sharper_"
    "threshold), for every ‖β*‖₂ (the ratio does not depend on it).")
THEOREM2_L2_BOX = "ε ∈ [0.001, 1000]"


def _lemma1_lower(box):
    """ε − t·(ρ + 1 − r(w)) ≥ 0 for t = 1/L ∈ [0, 1/L₁], ρ = ln(d/‖β‖₁), w = e^{ρ − L}.

    Jensen (q convex and even): Σᵢ q(βᵢ/α²) ≥ d·q(‖β‖₁/(dα²)); with z = ‖β‖₁/(dα²) =
    e^{L−ρ}, the lower half (1−ε)‖β‖₁ ≤ α²/L·Σq is implied by q(z)/z ≥ (1−ε)L, i.e.
    (q(z)/z = ln z − 1 + r(1/z)) by ε − (ρ + 1 − r(w))/L ≥ 0, for every L ≥ L₁ =
    max{−ℓ, (ln 2 + ℓ)/ε, e^ρ/ε} (α ≤ α₁); t = 1/L makes the range compact."""
    eps, ell, ln_d, s = box["ε"], box["ℓ"], box["ln d"], box["s"]
    rho = ln_d - ell
    L1 = arb.max(arb.max(-ell, (arb(2).log() + ell) / eps), rho.exp() / eps)
    t = s / L1
    if t > 0:
        w = (rho - 1 / t).exp()
    else:                                  # t reaches 0 (L = ∞): w ∈ [0, e^{ρ − 1/t_max}]
        top = t.upper()
        w = arb.union(arb(0), (rho - 1 / top).exp()) if top > 0 else arb(0)
    return at_most(t * (rho + 1 - _r(w)), eps)


def lemma1_lower_proof():
    return prove(_lemma1_lower, {"ε": ("0.01", 1), "ℓ": (-10, 10), "ln d": (0, "13.8155"),
                                 "s": (0, 1)}, budget=_BUDGET, precision=_PRECISION)


LEMMA1_LOWER_STATEMENT = (
    "Lemma 1, lower half (KR-7): (1−ε)‖β‖₁ ≤ α²/ln(1/α²)·Q(β/α²) for α ≤ α₁(ε, ‖β‖₁, d).  "
    "Attempted through Jensen (Σq(βᵢ/α²) ≥ d·q(‖β‖₁/(dα²))) as q(z)/z ≥ (1−ε)·ln(1/α²); the "
    "reduced inequality is tight to e^{−1/ε} where d = ‖β‖₁ at the threshold, beyond the "
    "reach of bisection: expected undecided, the lemma's lower half stays sampled.")
LEMMA1_LOWER_BOX = "ε ∈ [0.01, 1], ln‖β‖₁ ∈ [−10, 10], d ∈ [1, 10⁶], α ≤ α₁"


def _lemma2_rising(box):
    """dE/du < 0 for the elasticity E = x·q'(x)/q(x) at x = e^u, so that
    Q(e₁/α²)/Q(𝟙/(√dα²)) = q(A)/(d·q(A/√d)), A = 1/α², rises with α (eq. 58: d/dA of
    ln q(A) − ln q(A/√d) is [E(A) − E(A/√d)]/A < 0 when E decreases).

    With q = x·arcsinh(x/2) − x²/(√(4+x²) + 2) (KR-1's closed form, cancellation-free),
    E = S/(S − x/(√(4+x²) + 2)), S = arcsinh(x/2); dE/du is the first coefficient of
    E's power series in u at the ball (Arb), valid at every point of the ball."""
    u = arb_series([box["u"], 1])
    try:
        if box["u"] <= 0:
            x = u.exp()
            slope, tail = _asinh(x / 2), x / ((4 + x * x).sqrt() + 2)
        elif box["u"] >= 0:
            # x ≥ 1 in w = 1/x, without the cancellations of huge x: arcsinh(x/2) =
            # u + log((1+√(1+4w²))/2) and x/(√(4+x²)+2) = 1/(√(1+4w²) + 2w)
            w = (-u).exp()
            root = (1 + 4 * w * w).sqrt()
            slope, tail = u + ((1 + root) / 2).log(), 1 / (root + 2 * w)
        else:
            return None
        elasticity = slope / (slope - tail)
    except ValueError:      # a series quotient not resolved on so wide a ball: bisect
        return None
    return below(_coefficients(elasticity, 2)[1], 0)


def lemma2_rising_proof():
    with _precision():
        return prove(_lemma2_rising, {"u": (-20, 40)}, budget=_BUDGET, precision=_PRECISION)


LEMMA2_RISING_STATEMENT = (
    "Lemma 2, eq. (58) (KR-8): the ratio Q(e₁/α²)/Q(𝟙/(√dα²)) increases with α, i.e. the "
    "elasticity x·q'(x)/q(x) decreases on x > 0.  Attempted on x ∈ [e^{−20}, e^{40}] through "
    "the derivative of the elasticity's power series in ln x; for small x that derivative "
    "(≈ −x²/12) drowns in the balls' widths, so the attempt comes back undecided there and "
    "eq. (58) stays sampled.")
LEMMA2_RISING_BOX = "x = 1/α² ∈ [e^{−20}, e^{40}]"


def _q(z):
    """q(z) = 2 − √(4+z²) + z·arcsinh(z/2) (KR-1) on a ball."""
    return 2 - (4 + z * z).sqrt() + z * _asinh(z / 2)


#: Per claim: (statement, box, run) with run() -> numerics.boxes.BoxProof.  Each claim
#: lists every part of its statement: the parts that bisection cannot reach are listed
#: as attempts (their statements say "Attempted") and come back undecided, so a claim
#: is reported proved only when all of it is.
CLAIM_PROOFS = {
    "KR-6": [(THEOREM2_L1_STATEMENT, THEOREM2_L1_BOX, theorem2_l1_proof),
             (THEOREM2_L2_STATEMENT, THEOREM2_L2_BOX, theorem2_l2_proof)],
    "KR-7": [(LEMMA3_STATEMENT, LEMMA3_BOX, lemma3_proof),
             (LEMMA1_UPPER_STATEMENT, LEMMA1_UPPER_BOX, lemma1_upper_proof),
             (LEMMA1_LOWER_STATEMENT, LEMMA1_LOWER_BOX, lemma1_lower_proof)],
    "KR-8": [(LEMMA2_EQ46_STATEMENT, LEMMA2_EQ46_BOX, lemma2_eq46_proof),
             (LEMMA2_THRESHOLD_STATEMENT, LEMMA2_THRESHOLD_BOX, lemma2_threshold_proof),
             (LEMMA2_RISING_STATEMENT, LEMMA2_RISING_BOX, lemma2_rising_proof)],
}


def bound_proofs(claim: str) -> dict:
    """A claim's proofs as ``verify.kinds.Bound`` takes them: ``{statement: hook}``,
    each hook returning the JSON-ready ``status``, ``box`` (text), ``boxes``,
    ``seconds`` and, for a counterexample, ``point``."""
    def hook(box, run):
        def measured():
            result = run()
            out = {"status": result.status, "box": box, "boxes": result.boxes,
                   "seconds": result.seconds}
            if result.counterexample is not None:
                out["point"] = {str(k): v for k, v in result.counterexample.items()}
            return out
        return measured
    return {statement: hook(box, run) for statement, box, run in CLAIM_PROOFS.get(claim, ())}


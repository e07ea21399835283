"""Proofs over parameter boxes: branch and bound in ball arithmetic.

:func:`prove` decides a statement "P(x) holds for every x in the box" by
evaluating a *predicate* on sub-boxes in Arb ball arithmetic (python-flint):

* ``True``: P holds on the whole sub-box (every comparison in the predicate
  was certain for the balls, which contain every point of the sub-box);
* ``False``: P fails somewhere; the sub-box's centre is then evaluated as an
  exact point, and a ``False`` there is a counterexample;
* ``None``: undecided; the sub-box is bisected along its side that has been
  halved least often (its widest side relative to the original box).

The statement is reported proved only when every piece of a cover of the box
returned the literal ``True``.  Because Arb's comparisons are true only when
certain (``arb(1) <= arb('1 +/- 1e-30')`` is False, and so is its negation),
a predicate written as :func:`at_most`/:func:`below` of ball expressions
cannot turn rounding into a proof.

>>> from flint import arb
>>> r = prove(lambda b: at_most(b["x"] ** 2, 2 * b["x"]), {"x": (0, 2)})
>>> r.status, r.counterexample
('undecided', None)
>>> prove(lambda b: at_most(b["x"] ** 2, 2 * b["x"] + 1), {"x": (0, 2)}).status
'proved'
>>> prove(lambda b: at_most(b["x"] ** 2, b["x"]), {"x": (0, 2)}).counterexample
{'x': 1.5}

Predicates combine comparisons with :func:`all_of`/:func:`any_of` (three-valued).
For truncated expansions, :func:`remainder_proof` proves a bound on the error of
a polynomial over an interval from Lagrange's remainder and Arb Taylor
coefficients at a ball; :func:`inverse_bracket` encloses the inverse of an
increasing function by certain comparisons.
"""

from __future__ import annotations

import math
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence, Union

from flint import arb, ctx

__all__ = ["BoxProof", "prove", "at_most", "below", "interval", "all_of", "any_of",
           "arb_context", "taylor_coefficients", "RemainderProof", "remainder_proof",
           "inverse_bracket"]

PROVED, COUNTEREXAMPLE, UNDECIDED = "proved", "counterexample", "undecided"


def at_most(lhs, rhs):
    """True if lhs ≤ rhs is certain on the balls, False if lhs > rhs is, else None."""
    lhs, rhs = arb(lhs), arb(rhs)
    if lhs <= rhs:
        return True
    if lhs > rhs:
        return False
    return None


def below(lhs, rhs):
    """True if lhs < rhs is certain, False if lhs ≥ rhs is, else None."""
    lhs, rhs = arb(lhs), arb(rhs)
    if lhs < rhs:
        return True
    if lhs >= rhs:
        return False
    return None


def all_of(*verdicts):
    """Three-valued AND of :func:`at_most`/:func:`below` verdicts: True if all are,
    False if any is, else None.

    >>> all_of(True, None), all_of(True, False, None), all_of(True, True)
    (None, False, True)
    """
    if any(v is False for v in verdicts):
        return False
    return True if all(v is True for v in verdicts) else None


def any_of(*verdicts):
    """Three-valued OR: True if any is, False if all are, else None.

    >>> any_of(False, None), any_of(None, True), any_of(False, False)
    (None, True, False)
    """
    if any(v is True for v in verdicts):
        return True
    return False if all(v is False for v in verdicts) else None


@contextmanager
def arb_context(precision: int, series_length: int | None = None):
    """Arb's working precision (bits) and, if given, its power-series length
    (``ctx.cap``), restored afterwards."""
    saved = ctx.prec, ctx.cap
    ctx.prec = precision
    if series_length is not None:
        ctx.cap = series_length
    try:
        yield
    finally:
        ctx.prec, ctx.cap = saved


def taylor_coefficients(series, count: int) -> list:
    """The first ``count`` coefficients of an Arb power series (trailing zeros that
    Arb drops restored).  Arb truncates series at ``ctx.cap`` terms: asking for more
    would return zeros for terms that were never computed, so that is an error."""
    if count > ctx.cap:
        raise ValueError(f"{count} series coefficients asked for, but Arb truncates series "
                         f"at ctx.cap = {ctx.cap}: raise it (arb_context(..., series_length))")
    coeffs = series.coeffs()
    return [coeffs[j] if j < len(coeffs) else arb(0) for j in range(count)]


def _upper(value: arb) -> float:
    """A float ≥ |value|: Arb's exact upper bound, rounded to the nearest float and then
    moved one float up.  (A relative nudge is not enough: a subnormal result is rounded by up
    to half its absolute spacing, far more than any relative 2⁻⁵⁰, so x = 2.2e-309 once gave
    a "bound" below the true error.)"""
    return math.nextafter(float(value.abs_upper()), math.inf)


@dataclass(frozen=True)
class RemainderProof:
    """A bound |f(x) − S(x)| ≤ K·xᵐ + Σⱼ|Δⱼ|xʲ on [0, r], proved when ``result`` is.

    ``constant`` is K, ``order`` m, ``mismatch`` the upper bounds of |Δⱼ|, j < m
    (the truncated polynomial S's coefficients against f's true ones)."""

    result: BoxProof
    constant: float
    order: int
    mismatch: tuple
    radius: float

    def bound(self, x, precision: int = 128) -> float | None:
        """The proven bound at x (a float upper bound); None if not proved."""
        if not self.result.proved:
            return None
        with arb_context(precision):
            x = arb(x)
            total = arb(self.constant) * x ** self.order + sum(
                (arb(delta) * x ** j for j, delta in enumerate(self.mismatch)), arb(0))
            return _upper(total)

    def describe(self, what: str, variable: str, where: str) -> str:
        """The statement in words, e.g. ``describe("q(z) − series(z)", "z", "|z| ≤ 0.2")``."""
        k, m = f"{self.constant:g}", self.order
        return (f"|{what}| ≤ {k}·({variable})^{m} + Δ for {where}: Lagrange remainder in "
                f"{variable}, the Taylor coefficient of order {m} proved ≤ {k} in modulus on "
                f"[0, {self.radius:g}]; Δ ≤ Σ|Δⱼ|{variable}ʲ, |Δⱼ| ≤ {max(self.mismatch):.2g}, "
                "is theory's coefficients against the Arb Taylor coefficients")


def remainder_proof(polynomial: Sequence, coefficients_at: Callable[[arb, int], list],
                    order: int, radius: float, *, budget: int = 2000,
                    precision: int = 128) -> RemainderProof:
    """Prove |f(x) − S(x)| ≤ K·xᵐ + Σⱼ|Δⱼ|xʲ on [0, radius] for f analytic there.

    ``polynomial`` holds S's coefficients (exact rationals: ints, Fractions or
    anything with ``p``/``q``), low degree first, of degree < ``order`` = m;
    ``coefficients_at(ball, count)`` returns f's Taylor coefficients f⁽ʲ⁾/j! at a
    ball, valid for every point of it.  Lagrange: f − T_{m−1} = f⁽ᵐ⁾(ξ)/m!·xᵐ for
    some ξ ∈ [0, x]; the boxes prove |f⁽ᵐ⁾(ξ)/m!| ≤ K on [0, radius] (K: twice the
    largest value at 0, radius/2 and radius, to two digits), and Δⱼ = Sⱼ − f⁽ʲ⁾(0)/j!
    is any mismatch of S with f's Taylor polynomial, so a wrong S is still bounded.
    """
    if len(polynomial) > order:
        raise ValueError(f"the polynomial has degree ≥ {order}: raise the order")
    padded = [_rational(c) for c in polynomial] + [Fraction(0)] * (order - len(polynomial))
    with arb_context(precision, series_length=max(ctx.cap, order + 2)):
        exact = coefficients_at(arb(0), order)
        mismatch = tuple(_upper(arb(c.numerator) / c.denominator - e)
                         for c, e in zip(padded, exact))
        ends = [coefficients_at(arb(x), order + 1)[order] for x in (0, radius / 2, radius)]
        constant = float(f"{2 * max(_upper(v) for v in ends):.2g}")
        result = prove(lambda box: at_most(abs(coefficients_at(box["ξ"], order + 1)[order]),
                                           constant),
                       {"ξ": (0, radius)}, budget=budget, precision=precision)
    return RemainderProof(result, constant, order, mismatch, radius)


def _rational(c) -> Fraction:
    return Fraction(int(c.p), int(c.q)) if hasattr(c, "p") else Fraction(c)


def inverse_bracket(f: Callable[[arb], arb], y, lo: float, hi: float, steps: int = 80):
    """Floats a ≤ f⁻¹(y) ≤ b, as arbs, for f increasing on [lo, hi] with f(lo) ≤ y <
    f(hi): bisection whose every step is a certain comparison, so the bracket is
    proved (it stops early where f(mid) and y cannot be told apart).

    >>> with arb_context(128):
    ...     a, b = inverse_bracket(lambda x: x ** 3, arb(2), 0.0, 2.0)
    ...     bool(a < arb(2).root(3) < b), float(b - a) < 1e-15
    (True, True)
    """
    if not f(arb(hi)) > y:
        raise ArithmeticError(f"f⁻¹({y}) is beyond the bracket's top {hi}")
    for _ in range(steps):
        mid = (lo + hi) / 2
        value = f(arb(mid))
        if value < y:
            lo = mid
        elif value > y:
            hi = mid
        else:
            break
    return arb(lo), arb(hi)


def interval(lo, hi) -> arb:
    """The smallest Arb ball containing [lo, hi] (endpoints as numbers or decimal strings)."""
    return arb.union(_endpoint(lo), _endpoint(hi))


def _endpoint(x) -> arb:
    return arb(x) if isinstance(x, (str, arb)) else arb(float(x)) if isinstance(x, float) \
        else arb(x)


@dataclass(frozen=True)
class BoxProof:
    """The outcome of :func:`prove`.

    status
        ``"proved"``, ``"counterexample"`` or ``"undecided"``.
    box
        The box as given, ``{name: (lo, hi)}``.
    counterexample
        The point (``{name: float}``) where the predicate failed, or None.
    remaining
        Undecided sub-boxes left when the budget ran out (``{name: (lo, hi)}``
        with float endpoints, outward-rounded).
    boxes
        Sub-boxes examined (point checks not counted).
    seconds
        Wall time.
    """

    status: str
    box: dict
    counterexample: dict | None = None
    remaining: list = field(default_factory=list)
    boxes: int = 0
    seconds: float = 0.0

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    def describe_box(self) -> str:
        return ", ".join(f"{name} ∈ [{lo}, {hi}]" for name, (lo, hi) in self.box.items())

    def __str__(self) -> str:
        cost = f"{self.boxes} boxes, {self.seconds:.2g} s"
        if self.status == PROVED:
            return f"proved on {self.describe_box()} ({cost})"
        if self.status == COUNTEREXAMPLE:
            point = ", ".join(f"{k} = {v:.6g}" for k, v in self.counterexample.items())
            return f"counterexample at {point} ({cost})"
        return (f"undecided on {self.describe_box()}: {len(self.remaining)} sub-boxes left "
                f"after {cost}")


def prove(predicate: Callable[..., Any],
          box: Union[Mapping[str, Sequence[Any]], Sequence[Sequence[Any]]], *,
          budget: int = 4000, precision: int = 64,
          series_length: int | None = None) -> BoxProof:
    """Branch and bound: does ``predicate`` hold on every point of ``box``?

    ``box`` maps names to ``(lo, hi)`` (numbers or decimal strings; a decimal
    string is enclosed, not rounded), or is a tuple of such pairs.  The
    predicate receives the same shape with Arb balls in place of the pairs
    and returns True / False / None as described in the module docstring;
    anything but the literal True counts as not proved.  ``budget`` bounds the
    number of sub-boxes examined; ``precision`` is Arb's working precision in
    bits; ``series_length`` (optional) Arb's power-series length, for predicates
    that take Taylor coefficients (:func:`taylor_coefficients`).
    """
    start = time.perf_counter()
    names, pairs = _normalise(box)
    with arb_context(precision, series_length):
        root = [(_endpoint(lo), _endpoint(hi)) for lo, hi in pairs]
        for lo, hi in root:
            if not lo <= hi:
                raise ValueError(f"box side [{lo}, {hi}] is empty or not ordered; give (lo, hi) "
                                 "with lo ≤ hi")
        queue = deque([(root, [0] * len(root))])
        examined = 0
        while queue and examined < budget:
            sides, splits = queue.popleft()
            examined += 1
            verdict = predicate(_shape(names, [arb.union(lo, hi) for lo, hi in sides]))
            if verdict is True:
                continue
            centre = [((lo + hi) / 2).mid() for lo, hi in sides]
            if predicate(_shape(names, centre)) is False:
                point = {key: float(c) for key, c in zip(names or range(len(centre)), centre)}
                return BoxProof(COUNTEREXAMPLE, dict(_given(names, pairs)), point, [], examined,
                                time.perf_counter() - start)
            widest = min(range(len(sides)), key=lambda i: splits[i])
            lo, hi = sides[widest]
            for half in ((lo, centre[widest]), (centre[widest], hi)):
                new_sides = list(sides)
                new_sides[widest] = half
                new_splits = list(splits)
                new_splits[widest] += 1
                queue.append((new_sides, new_splits))
        status = PROVED if not queue else UNDECIDED
        remaining = [dict(_given(names, [(float(lo.lower()), float(hi.upper()))
                                         for lo, hi in sides])) for sides, _ in queue]
        return BoxProof(status, dict(_given(names, pairs)), None, remaining, examined,
                        time.perf_counter() - start)


def _normalise(box):
    if isinstance(box, dict):
        return list(box), [tuple(v) for v in box.values()]
    return None, [tuple(v) for v in box]


def _shape(names, values):
    return dict(zip(names, values)) if names else tuple(values)


def _given(names, pairs):
    keys = names if names else range(len(pairs))
    return list(zip(keys, pairs))

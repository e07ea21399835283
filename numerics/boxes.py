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
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence, Union

from flint import arb, ctx

__all__ = ["BoxProof", "prove", "at_most", "below", "interval"]

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
          budget: int = 4000, precision: int = 64) -> BoxProof:
    """Branch and bound: does ``predicate`` hold on every point of ``box``?

    ``box`` maps names to ``(lo, hi)`` (numbers or decimal strings; a decimal
    string is enclosed, not rounded), or is a tuple of such pairs.  The
    predicate receives the same shape with Arb balls in place of the pairs
    and returns True / False / None as described in the module docstring;
    anything but the literal True counts as not proved.  ``budget`` bounds the
    number of sub-boxes examined; ``precision`` is Arb's working precision in
    bits.
    """
    start = time.perf_counter()
    names, pairs = _normalise(box)
    saved = ctx.prec
    ctx.prec = precision
    try:
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
    finally:
        ctx.prec = saved


def _normalise(box):
    if isinstance(box, dict):
        return list(box), [tuple(v) for v in box.values()]
    return None, [tuple(v) for v in box]


def _shape(names, values):
    return dict(zip(names, values)) if names else tuple(values)


def _given(names, pairs):
    keys = names if names else range(len(pairs))
    return list(zip(keys, pairs))

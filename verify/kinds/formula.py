"""A formula against an independent computation.

At every point the formula (theory: a closed form, a truncated expansion)
is compared with a computation that does not use it (quadrature, root
finding, an exact solver), by relative difference.  The tolerance is the
working precision or a truncation bound, with its reason.  The nearest
alternative is a competing formula (the paper's printed constant against the
corrected one, one order less of an expansion); it is rejected when it
misses the independent value by more than the tolerance at some point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import mpmath
import numpy as np

from verify.claim import Evidence, Verdict
from verify.claims.common import log_floor, panels

from .base import Kind, Row, assemble, judged, key_of, points_of, value_or_call

__all__ = ["Formula", "relative_difference"]

DIGITS = 60   # relative differences are taken at this many digits, so none is rounded away


def relative_difference(a: Any, b: Any) -> float:
    """|a − b| / max(|a|, |b|) (0 when both vanish), in mpmath at ``DIGITS``;
    for vectors (lists) the Euclidean norms.

    >>> relative_difference("1.000000000000000000001", 1)
    1e-21
    >>> relative_difference([0, 3], [0, 4])
    0.25
    """
    with mpmath.workdps(DIGITS):
        a, b = (mpmath.matrix([mpmath.mpf(x) for x in v]) if isinstance(v, (list, tuple))
                else mpmath.mpf(v) for v in (a, b))
        scale = max(mpmath.norm(a), mpmath.norm(b))
        return 0.0 if scale == 0 else float(mpmath.norm(a - b) / scale)


def _text(value) -> str | float:
    """A value as JSON keeps it without losing digits: text as given, an mpf with
    ``DIGITS`` digits.  (Not ``mpmath.mpf(value)`` first: that rounds to the
    working precision, 15 digits outside a ``workdps`` block.)"""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_text(entry) for entry in value]
    if isinstance(value, mpmath.mpf):
        return mpmath.nstr(value, DIGITS)
    return float(value)


@dataclass(frozen=True, kw_only=True)
class Formula(Kind):
    """``formula(point)`` equals the measured independent value at every point.

    formula
        ``point -> number`` (theory; mpmath numbers keep their digits), or a
        vector (a list; compared by Euclidean norms, e.g. a minimiser);
    alternative
        ``(text, point -> number)``: the nearest competing formula;
    tolerance, reason
        relative tolerance, a number or ``point -> number``, and why.
    ``measure`` (the independent computation) returns a number or {"value": …}.
    """

    formula: Callable[[dict], Any]
    alternative: tuple[str, Callable[[dict], Any]]
    tolerance: float | Callable[[dict], float]
    reason: str
    evidence: Evidence = Evidence.SAMPLED

    def predict(self, size: str) -> dict:
        points = points_of(self.points, size)
        return {"formula": {key_of(p): _text(self.formula(p)) for p in points},
                "alternative": {key_of(p): _text(self.alternative[1](p)) for p in points},
                "alternative text": self.alternative[0], "judge": "claim"}

    def compare(self, prediction: dict, results: list) -> Verdict:
        claimed, other = prediction["formula"], prediction["alternative"]
        if judged(prediction) == "alternative":
            claimed, other = other, claimed
        rows = []
        for point, measured in results:
            key = key_of(point)
            value = measured["value"]
            tolerance = value_or_call(self.tolerance, point)
            shown = ({} if isinstance(value, list) else     # a vector is not tabulated
                     {"formula": claimed[key], "independent": _text(value)})
            rows.append(Row(", ".join(f"{k} = {v}" for k, v in point.items()),
                            relative_difference(claimed[key], value), tolerance,
                            relative_difference(other[key], value), columns=shown))
        rows_alt = [row for row in rows if row.alternative_deviation > row.tolerance]
        # a competing formula is told apart once it misses at one point: mark every row
        for row in rows:
            row.rejects = bool(rows_alt)
        worst = max((row.deviation for row in rows), default=float("nan"))
        return assemble(rows, prediction="formula = independent computation at every point",
                        measurement=f"{len(rows)} points, largest relative difference {worst:.3g}",
                        reason=self.reason, alternative=self.alternative[0],
                        evidence=self.evidence, diagnostics=self.diagnostics(results),
                        alternative_headline=max)

    def draw(self, prediction, results, verdict):
        figure, (ax,) = panels(1)
        rows = verdict.rows
        positions = np.arange(len(rows))
        ax.semilogy(positions, log_floor([row["deviation"] for row in rows], 1e-300), "o",
                    label="formula vs independent")
        ax.semilogy(positions, log_floor([row["alternative deviation"] for row in rows], 1e-300),
                    "x", label="alternative vs independent")
        ax.semilogy(positions, [row["tolerance"] for row in rows], "k_", markersize=12,
                    label="tolerance")
        ax.set(xlabel="point", ylabel="relative difference", title=f"{self.id}: {self.title}")
        ax.legend(fontsize="x-small")
        return figure

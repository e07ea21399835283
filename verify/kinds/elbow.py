"""An elbow (threshold): where a log-log curve breaks, against its predicted location.

Per group, the continuous two-segment fit of the seeds' geometric-mean curve
(:func:`numerics.fits.elbow_over_seeds`), with a bootstrap interval over
seeds (the profile-likelihood interval for one seed).  The row holds when the
predicted location lies in the interval, widened on the log scale by an
optional finite-size allowance (a smooth crossover on a finite window puts
the fitted break near, not at, the asymptotes' crossing; the allowance must
come from theory, e.g. the same fit on theory's own curve, never from the
data under test).  The nearest alternative location (the competing formula's
threshold) is rejected when it lies outside the same widened interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from numerics.fits import elbow_over_seeds
from verify.claim import Verdict
from verify.claims.common import panels

from .base import Kind, Row, assemble, curves, judged, label, value_or_call

__all__ = ["Elbow", "break_row"]


@dataclass(frozen=True, kw_only=True)
class Elbow(Kind):
    """The break of ``quantity`` against ``x`` sits at ``location``.

    location
        a number or ``group -> number``;
    alternative
        ``(text, number or group -> number)``;
    allowance, allowance_reason
        optional ``group -> float``: a factor f ≥ 1 by which the interval may
        be widened on each side (log scale) for finite-window bias, and why.
    """

    x: str
    location: float | Callable[[dict], float]
    alternative: tuple[str, float | Callable[[dict], float]]
    seed: str = "seed"
    quantity: str = "value"
    allowance: Callable[[dict], float] | None = None
    allowance_reason: str = ""
    replicates: int = 1000

    def predict(self, size: str) -> dict:
        return {"law": f"{self.quantity} breaks at {self.x} = predicted location",
                "alternative": self.alternative[0], "judge": "claim"}

    def _fits(self, results):
        out = []
        for group, by_seed in sorted(curves(results, self.x, self.quantity, self.seed).items(),
                                     key=lambda item: str(item[0])):
            xs = next(iter(by_seed.values()))[0]
            table = np.array([ys for _, ys in by_seed.values()])
            fit = elbow_over_seeds(xs, table, replicates=self.replicates)
            out.append((group, xs, table, fit))
        return out

    def compare(self, prediction: dict, results: list) -> Verdict:
        use_alternative = judged(prediction) == "alternative"
        rows = []
        for group, _, _, fit in self._fits(results):
            values = dict(group)
            claimed = value_or_call(self.location, values)
            other = value_or_call(self.alternative[1], values)
            if use_alternative:
                claimed, other = other, claimed
            widen = self.allowance(values) if self.allowance and not use_alternative else 1.0
            rows.append(break_row(label(group), fit, claimed, other, widen))
        reason = ("|log(fitted/predicted)| within the break's 95 % interval (seed bootstrap; "
                  "profile likelihood for one seed)"
                  + (f", widened by the allowance ({self.allowance_reason})"
                     if self.allowance else ""))
        return assemble(rows, prediction=prediction["law"],
                        measurement="; ".join(f"{r.at}: break {r.columns['fitted break']:.4g} "
                                              f"vs {r.columns['predicted']:.4g}" for r in rows),
                        reason=reason, alternative=self.alternative[0],
                        diagnostics=self.diagnostics(results))

    def draw(self, prediction, results, verdict):
        fits = self._fits(results)
        figure, axes = panels(len(fits) or 1)
        for ax, (group, xs, table, fit) in zip(axes, fits):
            values = dict(group)
            for index, ys in enumerate(table):
                ax.loglog(xs, ys, "o", markersize=2, color="C0", alpha=0.5,
                          label="measured" if index == 0 else None)
            grid = np.geomspace(xs[0], xs[-1], 100)
            ax.loglog(grid, fit.fit.predict(grid), "C1-", linewidth=1, label="two-segment fit")
            ax.axvline(value_or_call(self.location, values), color="k", linestyle="--",
                       linewidth=1, label="predicted")
            ax.axvline(value_or_call(self.alternative[1], values), color="r", linestyle=":",
                       linewidth=1, label="alternative")
            if fit.ci95:
                ax.axvspan(*fit.ci95, color="C1", alpha=0.15)
            ax.set(xlabel=self.x, ylabel=self.quantity, title=label(group))
            ax.legend(fontsize="x-small")
        return figure


def break_row(at: str, fit, claimed: float, other: float, widen: float = 1.0,
              **columns) -> Row:
    """The row of one group: the break ``fit`` (:func:`numerics.fits.elbow_over_seeds`)
    against the ``claimed`` location and the nearest ``other``, on the log scale.  The
    tolerance is the 95 % interval's extent on the side of the prediction, plus
    log(``widen``) (the finite-size allowance factor); ``other`` is rejected beyond
    its side's extent plus the same."""
    interval = fit.ci95 or fit.fit.ci95 or (fit.fit.breakpoint, fit.fit.breakpoint)
    lo, hi = math.log(interval[0]), math.log(interval[1])
    centre = math.log(fit.fit.breakpoint)

    def distance(value):
        return abs(math.log(value) - centre)

    def extent(value):
        return centre - lo if value < fit.fit.breakpoint else hi - centre

    bare = extent(claimed)
    tolerance = bare + math.log(widen)
    deviation = distance(claimed)
    return Row(at, deviation, tolerance, distance(other),
               rejects=distance(other) > extent(other) + math.log(widen),
               allowance=bare < deviation <= tolerance, columns={
                   "fitted break": fit.fit.breakpoint, "95 % interval": list(interval),
                   "predicted": claimed, "alternative": other,
                   "fit / predicted": fit.fit.breakpoint / claimed,
                   "allowance factor": widen, **columns})

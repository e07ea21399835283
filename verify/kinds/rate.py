"""A rate of approach: the gap to a limit decays like scale^r.

Each point is one ladder (an instance, a depth): its measurement holds the
scales and the gaps along the ladder.  The *local slope* d log gap / d log
scale between the two deepest rungs is judged against the predicted rate r
(which may depend on the instance, e.g. 1 − ρ); the nearest alternative rate
(e.g. 1 − ρ₂, the next off-support term, or the other depth's law) is
rejected when the local slope is farther from it than the tolerance.  A
ladder that cannot tell them apart is reported as not resolved, and the
claim is inconclusive: the remedy is a deeper ladder, which the measurement
function may take itself.

The figure shows the gaps and the local slopes along the ladder with r and
the alternative: the approach is audited rung by rung.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from verify.claim import Verdict
from verify.claims.common import panels

from .base import Kind, Row, assemble, judged, label, group_of

__all__ = ["Rate"]


@dataclass(frozen=True, kw_only=True)
class Rate(Kind):
    """``gap ≍ scale^rate`` as scale → limit, judged at the deepest rung.

    scale, gap
        the keys of the measurement's lists (ladder values and gaps);
    towards
        ``"zero"`` (the limit is scale → 0, e.g. α → 0) or ``"infinity"``;
    rate
        a number or ``(point, measured) -> number``;
    alternative
        ``(text, number or (point, measured) -> number)``;
    tolerance, reason
        a number or ``(point, measured) -> number``, and why it is that;
    log10
        True when the measurement's lists hold log₁₀ of the scales and gaps
        (ladders far below float64's range, e.g. α = 1e-1000);
    prefactor
        optional ``(point, measured) -> C``: the limit constant, gap ≈ C·scale^r;
        then the ratio R = gap/(C·scale^r) at the deepest rung must also be
        within the tolerance of 1.
    """

    scale: str
    gap: str
    rate: float | Callable[[dict, dict], float]
    alternative: tuple[str, float | Callable[[dict, dict], float]]
    tolerance: float | Callable[[dict, dict], float]
    reason: str
    towards: str = "zero"
    prefactor: Callable[[dict, dict], float] | None = None
    log10: bool = False

    def predict(self, size: str) -> dict:
        return {"law": f"{self.gap} ≍ {self.scale}^r as {self.scale} → "
                       f"{'0' if self.towards == 'zero' else '∞'}",
                "alternative": self.alternative[0], "judge": "claim"}

    def _value(self, value, point, measured):
        return float(value(point, measured) if callable(value) else value)

    def logs(self, measured):
        """(log₁₀ scales, log₁₀ gaps)."""
        xs, ys = np.asarray(measured[self.scale], float), np.asarray(measured[self.gap], float)
        return (xs, ys) if self.log10 else (np.log10(xs), np.log10(ys))

    def slopes(self, measured):
        """(log₁₀ scales, local slopes) ordered towards the limit."""
        mids, slopes = _local_slopes_log(*self.logs(measured))
        order = np.argsort(mids)
        mids, slopes = mids[order], slopes[order]
        return (mids, slopes) if self.towards == "infinity" else (mids[::-1], slopes[::-1])

    def compare(self, prediction: dict, results: list) -> Verdict:
        use_alternative = judged(prediction) == "alternative"
        rows = []
        for point, measured in results:
            claimed = self._value(self.rate, point, measured)
            other = self._value(self.alternative[1], point, measured)
            if use_alternative:
                claimed, other = other, claimed
            mids, slopes = self.slopes(measured)
            slope = float(slopes[-1])
            tolerance = self._value(self.tolerance, point, measured)
            deviation, extra = abs(slope - claimed), {}
            if self.prefactor is not None:
                xs, ys = self.logs(measured)
                deepest = int(np.argmin(xs) if self.towards == "zero" else np.argmax(xs))
                ratio = 10.0 ** (ys[deepest] - claimed * xs[deepest]) / self.prefactor(
                    point, measured)
                extra = {"R = gap/(C·scale^r)": ratio}
                deviation = max(deviation, abs(ratio - 1))
            rows.append(Row(label(group_of(point, ())), deviation, tolerance,
                            abs(slope - other), columns={
                                "deepest rung (log₁₀)": float(mids[-1]), "local slope": slope,
                                "predicted rate": claimed, "alternative rate": other,
                                "separation": abs(claimed - other), **extra}))
        measured_text = (f"{len(rows)} ladders; local slope at the deepest rung within "
                         f"{max((r.deviation for r in rows), default=float('nan')):.3g} of the "
                         "predicted rate at worst")
        return assemble(rows, prediction=prediction["law"], measurement=measured_text,
                        reason=self.reason, alternative=self.alternative[0],
                        diagnostics=self.diagnostics(results))

    def draw(self, prediction, results, verdict):
        figure, (gaps, slopes_ax) = panels(2)
        for index, (point, measured) in enumerate(results):
            colour = f"C{index % 10}"
            xs, ys = self.logs(measured)
            gaps.plot(xs, ys, "o-", markersize=3, linewidth=0.8, color=colour)
            mids, slopes = self.slopes(measured)
            slopes_ax.plot(mids, slopes, "o-", markersize=3, linewidth=0.8, color=colour,
                               label=label(group_of(point, ())) if index < 8 else None)
            for value, style in ((self._value(self.rate, point, measured), "--"),
                                 (self._value(self.alternative[1], point, measured), ":")):
                slopes_ax.axhline(value, color=colour, linestyle=style, linewidth=0.8)
        gaps.set(xlabel=f"log₁₀ {self.scale}", ylabel=f"log₁₀ {self.gap}",
                 title=f"{self.id}: gap along the ladder")
        slopes_ax.set(xlabel=f"log₁₀ {self.scale}", ylabel=f"local slope d log {self.gap} / d log {self.scale}",
                      title="local slopes; -- predicted, : alternative")
        slopes_ax.legend(fontsize="x-small")
        return figure


def _local_slopes_log(xs, ys):
    """Local slopes of log-log data given as log₁₀ values, at the midpoints."""
    order = np.argsort(xs)
    xs, ys = xs[order], ys[order]
    return (xs[1:] + xs[:-1]) / 2, np.diff(ys) / np.diff(xs)

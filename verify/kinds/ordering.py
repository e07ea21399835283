"""An ordering: A below B, paired over seeds.

Per group, each seed gives a paired margin m = log(B) − log(A·factor)
(``scale="log"``) or B − A·factor (``"linear"``); the claim holds when the
95 % Student-t interval of the mean margin lies above 0.  The nearest
alternative is "no ordering" (mean margin 0), rejected by the same interval;
an interval that straddles 0 is inconclusive, one wholly below 0 deviates.  With a
single seed the margin itself is judged (no interval).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

import numpy as np

from numerics.fits import mean_ci
from verify.claim import Verdict
from verify.claims.common import panels

from .base import Kind, Row, assemble, group_of, judged, label

__all__ = ["Ordering"]


@dataclass(frozen=True, kw_only=True)
class Ordering(Kind):
    """``lower·factor < upper`` on average over seeds, per group.

    lower, upper
        the measurement's keys of A and B;
    factor
        B must exceed A by this factor (10: an order of magnitude);
    scale
        ``"log"`` (ratios) or ``"linear"`` (differences);
    alternative
        the text of the competing statement (default: no ordering);
    margins
        optional ``results -> {row text: [paired margins]}`` for pairs that span
        several points (A at one N, B at the next); the claim pairs them and
        ``lower``/``upper`` are unused.  The alternative negates every margin.
    """

    lower: str = ""
    upper: str = ""
    seed: str = "seed"
    factor: float = 1.0
    scale: str = "log"
    alternative: str = "no ordering: A and B agree on average over seeds"
    margins: Callable[[list], dict] | None = None

    def predict(self, size: str) -> dict:
        order = self.statement if self.margins else f"{self.lower} × {self.factor:g} < {self.upper}"
        return {"order": order, "judge": "claim"}

    def margin(self, measured, flip=False):
        a, b = measured[self.lower] * self.factor, measured[self.upper]
        if flip:
            a, b = measured[self.upper] * self.factor, measured[self.lower]
        return math.log(b / a) if self.scale == "log" else b - a

    def compare(self, prediction: dict, results: list) -> Verdict:
        flip = judged(prediction) == "alternative"
        if self.margins is not None:
            margins = {at: [-m if flip else m for m in values]
                       for at, values in self.margins(results).items()}
        else:
            margins = defaultdict(list)
            for point, measured in results:
                margins[group_of(point, (self.seed,))].append(self.margin(measured, flip))
        rows = []
        for group, values in sorted(margins.items(), key=lambda item: str(item[0])):
            mean, half = mean_ci(values)
            half = 0.0 if math.isnan(half) else half
            # deviates when the whole interval is below 0 (the order is reversed); the
            # alternative "margin 0" is rejected when the whole interval is above 0
            rows.append(Row(group if isinstance(group, str) else label(group), max(-mean, 0.0),
                            half, abs(mean),
                            rejects=mean - half > 0,
                            columns={"seeds": len(values), "mean margin": mean,
                                     "95 % CI ±": half, "smallest margin": min(values)}))
        return assemble(rows, prediction=prediction["order"],
                        measurement="; ".join(f"{r.at}: margin {r.columns['mean margin']:.3g} ± "
                                              f"{r.columns['95 % CI ±']:.2g}" for r in rows),
                        reason=(f"paired {'log-ratio' if self.scale == 'log' else 'difference'} "
                                "margins over seeds, 95 % Student-t interval; the ordering "
                                "holds when the interval lies above 0"),
                        alternative=self.alternative, diagnostics=self.diagnostics(results))

    def draw(self, prediction, results, verdict):
        figure, (ax,) = panels(1)
        if self.margins is not None:        # the paired margins per row, with their intervals
            rows = verdict.rows
            ax.errorbar(np.arange(len(rows)), [r["mean margin"] for r in rows],
                        yerr=[r["95 % CI ±"] for r in rows], fmt="o", capsize=3)
            ax.axhline(0, color="k", linewidth=1)
            ax.set(xlabel="row", ylabel="mean paired margin", title=f"{self.id}: margins > 0?")
            return figure
        a = np.array([m[self.lower] * self.factor for _, m in results])
        b = np.array([m[self.upper] for _, m in results])
        ax.plot(a, b, "o")
        limits = [min(a.min(), b.min()), max(a.max(), b.max())]
        ax.plot(limits, limits, "k--", linewidth=1, label="A·factor = B")
        if self.scale == "log":
            ax.set(xscale="log", yscale="log")
        ax.set(xlabel=f"{self.lower} × {self.factor:g}", ylabel=self.upper,
               title=f"{self.id}: paired over seeds")
        ax.legend(fontsize="x-small")
        return figure

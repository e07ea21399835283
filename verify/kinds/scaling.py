"""A scaling law: quantity ∝ size^e.

Per group (the grid's axes other than the size and the seed) and per seed,
the least-squares slope of log quantity on log size over the window; then
the mean over seeds with its 95 % Student-t interval.  The row holds when the
interval contains the predicted exponent, or meets the finite-size range
theory allows (then the row says it leaned on that allowance).  The nearest
alternative exponent is rejected when the interval misses it and it lies
outside the allowance the claim used.

The audit follows the exponent gap along the size: at each rung, the mean
local slope between it and the previous rung, minus the predicted exponent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from numerics.fits import local_slopes, loglog_slope, mean_ci
from verify.claim import AuditSpec, Verdict
from verify.claims.common import panels

from .base import Kind, Row, assemble, curves, grid, judged, label, value_or_call

__all__ = ["ScalingLaw", "slope_row"]


@dataclass(frozen=True, kw_only=True)
class ScalingLaw(Kind):
    """``quantity ∝ x^exponent``, judged per group by a slope interval over seeds.

    x, seed, quantity
        the size axis, the replicate axis and the measured key (a measurement
        that is a plain number is ``"value"``);
    exponent
        the predicted exponent: a number or ``group -> number`` (``group`` is
        a dict of the point's other coordinates);
    alternative
        ``(text, exponent or group -> exponent)``: the nearest competing exponent;
    window
        optional ``(lo, hi)`` or ``group -> (lo, hi)``: the sizes the slope is fitted on;
    finite_size, finite_size_reason
        optional ``group -> (lo, hi)``: exponents theory allows at the measured
        sizes (pre-asymptotic corrections), and why;
    correction, correction_reason
        optional ``group -> float ≥ 0``: a finite-window correction theory
        declares without a sign (e.g. |theory's own slope over the window − its
        asymptote|), added to the tolerance on both sides and to the threshold
        for rejecting the alternative alike, and why;
    quantities
        optional: several measured keys, each a law of its own (the key joins
        the group as ``quantity``), when one run measures them all;
    audit_reuses_quick
        a rung the quick grid also has is measured with the quick grid's
        points (a quick audit then costs nothing beyond the quick run; a full
        audit's lower rungs are at quick settings); by default the full grid's.
    """

    x: str
    exponent: float | Callable[[dict], float]
    alternative: tuple[str, float | Callable[[dict], float]]
    seed: str = "seed"
    quantity: str = "value"
    window: tuple | Callable[[dict], tuple] | None = None
    finite_size: Callable[[dict], tuple] | None = None
    finite_size_reason: str = ""
    quantities: tuple[str, ...] = ()
    audit_reuses_quick: bool = False
    correction: Callable[[dict], float] | None = None
    correction_reason: str = ""

    def _curves(self, results) -> dict:
        if not self.quantities:
            return curves(results, self.x, self.quantity, self.seed)
        return {group + (("quantity", key),): by_seed for key in self.quantities
                for group, by_seed in curves(results, self.x, key, self.seed).items()}

    def predict(self, size: str) -> dict:
        return {"law": f"{self.quantity} ∝ {self.x}^e", "alternative": self.alternative[0],
                "judge": "claim"}

    def _fits(self, results):
        """Per group: (group dict, x values, per-seed curves, per-seed slopes)."""
        fits = []
        for group, by_seed in sorted(self._curves(results).items(),
                                     key=lambda item: str(item[0])):
            window = value_or_call(self.window, dict(group))
            slopes = []
            for xs, ys in by_seed.values():
                xs, ys = np.asarray(xs), np.asarray(ys)
                keep = np.ones(xs.size, bool) if window is None else (
                    (xs >= window[0]) & (xs <= window[1]))
                slopes.append(loglog_slope(xs[keep], ys[keep]).slope)
            fits.append((group, by_seed, slopes, window))
        return fits

    def compare(self, prediction: dict, results: list) -> Verdict:
        use_alternative = judged(prediction) == "alternative"
        rows = []
        for group, _, slopes, window in self._fits(results):
            values = dict(group)
            claimed = value_or_call(self.alternative[1] if use_alternative else self.exponent,
                                    values)
            other = value_or_call(self.exponent if use_alternative else self.alternative[1],
                                  values)
            allowed = (None if self.finite_size is None or use_alternative
                       else self.finite_size(values))
            correction = self.correction(values) if self.correction else 0.0
            rows.append(slope_row(label(group), slopes, claimed, other, allowed=allowed,
                                  correction=correction,
                                  **({"window": list(window)} if window else {})))
        reason = ("the mean over seeds of per-seed log-log slopes, 95 % Student-t interval over "
                  "seeds; a row holds when the interval contains the predicted exponent"
                  + (f", or meets the finite-size range ({self.finite_size_reason})"
                     if self.finite_size else "")
                  + (f"; the tolerance adds a finite-size correction on either side, for the "
                     f"claim and the alternative alike ({self.correction_reason})"
                     if self.correction else ""))
        measured = "; ".join(f"{row.at}: {row.columns['slope (mean)']:.4g} ± "
                             f"{row.columns['95 % CI ±']:.2g}" for row in rows)
        return assemble(rows, prediction=f"{self.quantity} ∝ {self.x}^e, e as predicted per row",
                        measurement=measured, reason=reason, alternative=self.alternative[0],
                        diagnostics=self.diagnostics(results))

    def draw(self, prediction, results, verdict):
        fits = self._fits(results)
        figure, axes = panels(len(fits) or 1)
        for ax, (group, by_seed, slopes, window) in zip(axes, fits):
            values = dict(group)
            for index, (xs, ys) in enumerate(by_seed.values()):
                ax.loglog(xs, ys, "o-", markersize=3, linewidth=0.8, color="C0", alpha=0.6,
                          label="measured (per seed)" if index == 0 else None)
            xs, ys = next(iter(by_seed.values()))
            anchor_x, anchor_y = xs[-1], ys[-1]
            grid_x = np.geomspace(xs[0], xs[-1], 20)
            for exponent, style, text in ((value_or_call(self.exponent, values), "k--",
                                           "predicted"),
                                          (value_or_call(self.alternative[1], values), "r:",
                                           "alternative")):
                ax.loglog(grid_x, anchor_y * (grid_x / anchor_x) ** exponent, style,
                          linewidth=1, label=f"{text}: e = {exponent:.4g}")
            if window:
                ax.axvspan(*window, color="0.9", zorder=0)
            ax.set(xlabel=self.x, ylabel=self.quantity, title=label(group))
            ax.legend(fontsize="x-small")
        figure.suptitle(f"{self.id}: {self.title}", fontsize="medium")
        return figure

    def audit(self) -> AuditSpec | None:
        if callable(self.points):
            return None
        sizes = self.points

        def ladder(size):
            return sorted(set(sizes[size][self.x]))[1:] if self.x in sizes[size] else []

        def rung_points(value):
            for size in ("quick", "full") if self.audit_reuses_quick else ("full", "quick"):
                xs = sorted(set(sizes.get(size, {}).get(self.x, [])))
                if value in xs:
                    previous = xs[xs.index(value) - 1]
                    return grid(**{**sizes[size], self.x: [previous, value]})
            return []

        def deviation(results):
            gaps = []
            for group, by_seed in self._curves(results).items():
                exponent = value_or_call(self.exponent, dict(group))
                for xs, ys in by_seed.values():
                    if len(xs) == 2:
                        gaps.append(abs(float(local_slopes(xs, ys)[1][0]) - exponent))
            return float(np.mean(gaps)) if gaps else math.nan

        if not ladder("quick") and not ladder("full"):
            return None
        return AuditSpec(parameter=self.x, quantity="|local slope − predicted exponent|",
                         ladder=ladder, points=rung_points, deviation=deviation)


def slope_row(at: str, slopes, claimed: float, other: float, *, allowed=None,
              correction: float = 0.0, **columns) -> Row:
    """The row of one group: the mean of the per-seed ``slopes`` with its 95 %
    Student-t half-width h, against the ``claimed`` exponent and the nearest
    ``other``.  It holds when |mean − claimed| ≤ h + ``correction``, or when the
    interval widened so meets the ``allowed`` finite-size range; ``other`` is
    rejected when it lies beyond the same widened interval and outside the
    allowance the row used."""
    mean, half = map(float, mean_ci(slopes))
    bare = 0.0 if math.isnan(half) else half
    half = bare + correction
    deviation, tolerance, leaned = _distance(mean, half, claimed, allowed)
    rejects = abs(mean - other) > half and not (
        leaned and _gap(other, _hull(claimed, allowed)) == 0)
    return Row(at, deviation, tolerance, abs(mean - other), rejects,
               allowance=leaned or bare < deviation <= tolerance, columns={
                   "seeds": len(slopes), "slope (mean)": mean, "95 % CI ±": bare,
                   "predicted": claimed, "alternative": other,
                   **({"finite-size correction": correction} if correction else {}),
                   **({"finite-size range": list(allowed)} if allowed else {}), **columns})


def _gap(value, interval) -> float:
    """Distance from ``value`` to the closed ``interval`` (0 inside)."""
    if interval is None:
        return 0.0
    return max(interval[0] - value, value - interval[1], 0.0)


def _hull(claimed, allowed):
    return (min(allowed[0], claimed), max(allowed[1], claimed))


def _distance(mean, half, claimed, allowed):
    """(deviation, tolerance, leaned on the allowance) of an interval mean ± half
    against the claimed exponent.  With an allowed range the tolerance on the
    side of the mean grows by the range's extent there, so the row holds
    exactly when the interval meets the hull of the claim and the range."""
    deviation = abs(mean - claimed)
    if deviation <= half or allowed is None:
        return deviation, half, False
    lo, hi = _hull(claimed, allowed)
    extent = claimed - lo if mean < claimed else hi - claimed
    return deviation, half + extent, deviation <= half + extent

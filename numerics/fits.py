"""Fits on measured curves: log-log slopes with confidence intervals, and the
elbow of a two-segment (broken power-law) curve with its uncertainty.

* :func:`loglog_slope` — least squares of log y on log x, with the slope's
  95 % Student-t interval (residual scatter of one curve).
* :func:`mean_ci` and :func:`slope_over_seeds` — a statistic per seed, then
  its mean and 95 % Student-t interval *over seeds* (independent
  repetitions: the uncertainty the claims report).
* :func:`elbow_fit` — the continuous two-segment fit
  log y = a + s₁·min(u − b, 0) + s₂·max(u − b, 0), u = log x, by profiling the
  residual sum of squares over the breakpoint b (for fixed b the fit is
  linear); the breakpoint's 95 % profile-likelihood interval is
  {b : (SSE(b) − SSE_min)/(SSE_min/(m − 4)) ≤ F₁,ₘ₋₄(0.95)}.
* :func:`elbow_over_seeds` — the same fit on the seeds' geometric-mean curve,
  with a bootstrap over seeds (resample seeds, refit) for the interval.

The elbow n⋆ of Zhang & Louis (docs/derivations/zhang-louis-norm-scaling.md §5) is where the bulk and spike
asymptotes of ‖ŵ_p‖_p cross; a smooth crossover sampled on a finite window
puts the fitted breakpoint near, not at, that crossing, which is why the
claims compare against the same fit applied to theory's own curve.

>>> x = np.geomspace(10, 1000, 15); y = np.minimum(x, 100.0) ** 0.5
>>> fit = elbow_fit(x, y); [round(v, 6) + 0.0 for v in (fit.breakpoint, *fit.slopes)]
[100.0, 0.5, 0.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.optimize
from scipy.special import fdtri, stdtrit

from .validation import InputError

__all__ = ["SlopeFit", "ElbowFit", "SeedElbow", "loglog_slope", "mean_ci", "slope_over_seeds",
           "elbow_fit", "elbow_over_seeds", "local_slopes"]


@dataclass(frozen=True)
class SlopeFit:
    """log y ≈ intercept + slope·log x; ``ci95`` the slope's 95 % interval
    (None with fewer than three points)."""

    slope: float
    intercept: float
    stderr: float | None
    ci95: tuple | None
    points: int


def _positive_pairs(x, y, what):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise InputError(f"{what}: x and y must be 1-d arrays of the same length, got "
                         f"{x.shape} and {y.shape}")
    keep = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    return np.log(x[keep]), np.log(y[keep])


def loglog_slope(x, y) -> SlopeFit:
    """Least-squares slope of log y on log x (non-positive or non-finite pairs
    are left out), with its 95 % Student-t interval from the residuals.

    >>> fit = loglog_slope([1, 10, 100], [3, 30, 300]); round(fit.slope, 12), fit.points
    (1.0, 3)
    """
    u, v = _positive_pairs(x, y, "loglog_slope")
    if u.size < 2 or np.ptp(u) == 0:
        raise InputError(f"loglog_slope needs at least two distinct positive x with positive y; "
                         f"got {u.size} usable pairs")
    slope, intercept = np.polyfit(u, v, 1)
    if u.size == 2:
        return SlopeFit(float(slope), float(intercept), None, None, 2)
    residual = v - (slope * u + intercept)
    dof = u.size - 2
    stderr = math.sqrt(float(residual @ residual) / dof / float(np.sum((u - u.mean()) ** 2)))
    half = float(stdtrit(dof, 0.975)) * stderr
    return SlopeFit(float(slope), float(intercept), stderr,
                    (float(slope - half), float(slope + half)), u.size)


def mean_ci(values) -> tuple[float, float]:
    """Mean and the half-width of its 95 % Student-t interval (NaN for one value).

    >>> mean_ci([1.0, 2.0, 3.0])[0]
    2.0
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        raise InputError("mean_ci needs at least one finite value")
    if values.size < 2:
        return float(values.mean()), math.nan
    half = float(stdtrit(values.size - 1, 0.975)) * values.std(ddof=1) / math.sqrt(values.size)
    return float(values.mean()), half


def slope_over_seeds(x, curves, window=None) -> tuple[float, float, list]:
    """The log-log slope of each seed's curve over ``window`` = (x_lo, x_hi)
    (inclusive; None: all x), then (mean, 95 % half-width over seeds, per-seed slopes)."""
    x = np.asarray(x, dtype=float)
    keep = np.ones(x.size, dtype=bool) if window is None else (x >= window[0]) & (x <= window[1])
    slopes = [loglog_slope(x[keep], np.asarray(curve, dtype=float)[keep]).slope
              for curve in curves]
    mean, half = mean_ci(slopes)
    return mean, half, slopes


def local_slopes(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Slopes of log y between consecutive points, at the geometric midpoints."""
    u, v = _positive_pairs(x, y, "local_slopes")
    return np.exp((u[1:] + u[:-1]) / 2), np.diff(v) / np.diff(u)


@dataclass(frozen=True)
class ElbowFit:
    """The continuous two-segment fit of log y on log x.

    ``breakpoint`` is x at the break, ``ci95`` its 95 % profile-likelihood
    interval (None when the residuals vanish or too few points remain),
    ``slopes`` = (s₁ left, s₂ right), ``level`` = y at the break, ``sse`` the
    residual sum of squares, ``points`` the number of points used.
    """

    breakpoint: float
    ci95: tuple | None
    slopes: tuple
    level: float
    sse: float
    points: int

    def predict(self, x) -> np.ndarray:
        """The fitted broken power law at ``x``."""
        u = np.log(np.asarray(x, dtype=float)) - math.log(self.breakpoint)
        return self.level * np.exp(self.slopes[0] * np.minimum(u, 0)
                                   + self.slopes[1] * np.maximum(u, 0))


# The break must leave MIN_SIDE points on each side: a segment through fewer
# has no slope to speak of.
MIN_SIDE = 2
# Breakpoints tried before refinement: 1/300 of the log-range apart, far finer
# than the n-grids (≈ 1/15 of it) and than any interval reported.
GRID = 300


def _segments(u, v, breaks):
    """Least squares of v on (1, min(u − b, 0), max(u − b, 0)) for every b in
    ``breaks`` at once: (coefficients (B, 3), SSE (B,)).  Each fit is a 3×3
    system in QR form (batched), as well conditioned as the design allows."""
    shifted = u[None, :] - np.asarray(breaks, dtype=float)[:, None]
    basis = np.stack([np.ones_like(shifted), np.minimum(shifted, 0), np.maximum(shifted, 0)],
                     axis=2)
    q, r = np.linalg.qr(basis)
    coef = np.linalg.solve(r, np.einsum("bmk,m->bk", q, v)[..., None])[..., 0]
    residual = v[None, :] - np.einsum("bmk,bk->bm", basis, coef)
    return coef, np.einsum("bm,bm->b", residual, residual)


def elbow_fit(x, y) -> ElbowFit:
    """Fit a continuous broken power law to (x, y) by profiling the breakpoint.

    The break b = log x_b ranges over [u₂, u₋₂] (MIN_SIDE points on each
    side).  SSE(b) is evaluated on a fine grid and refined by bounded scalar
    minimisation around the best grid value; the 95 % interval is the range of
    grid b whose profile F-statistic (SSE(b) − SSE_min)/(SSE_min/(m − 4)) is
    below F₁,ₘ₋₄(0.95) (four parameters: level, two slopes, break), widened to
    the neighbouring grid values so that the grid's step never narrows it.
    """
    u, v = _positive_pairs(x, y, "elbow_fit")
    order = np.argsort(u)
    u, v = u[order], v[order]
    m = u.size
    if m < 2 * MIN_SIDE + 1:
        raise InputError(f"elbow_fit needs at least {2 * MIN_SIDE + 1} positive points (two "
                         f"segments of {MIN_SIDE} and a break), got {m}")
    lo, hi = u[MIN_SIDE - 1], u[-MIN_SIDE]
    grid = np.linspace(lo, hi, GRID)
    profile = _segments(u, v, grid)[1]
    best = int(np.argmin(profile))
    bracket = (grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)])
    refined = scipy.optimize.minimize_scalar(lambda b: _segments(u, v, [b])[1][0],
                                             bounds=bracket, method="bounded",
                                             options={"xatol": 1e-10})
    b = float(refined.x) if refined.fun <= profile[best] else float(grid[best])
    coefs, sses = _segments(u, v, [b])
    coef, sse = coefs[0], float(sses[0])
    ci = None
    dof = m - 4
    scale = sse / dof if dof > 0 else 0.0
    if scale > 0:
        inside = np.flatnonzero((profile - sse) / scale <= float(fdtri(1, dof, 0.95)))
        # the refined b lies between grid values even when none of them qualifies
        nearest = int(np.searchsorted(grid, b))
        first = max(inside.min(initial=nearest) - 1, 0)
        last = min(inside.max(initial=nearest), grid.size - 1)
        ci = (math.exp(grid[first]), math.exp(grid[last]))
    return ElbowFit(breakpoint=math.exp(b), ci95=ci, slopes=(float(coef[1]), float(coef[2])),
                    level=math.exp(coef[0]), sse=sse, points=m)


@dataclass(frozen=True)
class SeedElbow:
    """The elbow of the seeds' geometric-mean curve, with a bootstrap over seeds.

    ``fit`` is :func:`elbow_fit` on the mean of log y over seeds; ``ci95`` the
    2.5 % and 97.5 % quantiles of the breakpoint over ``replicates`` bootstrap
    resamples of the seeds (None for one seed); ``per_seed`` each seed's own
    breakpoint.
    """

    fit: ElbowFit
    ci95: tuple | None
    per_seed: list
    replicates: int


def elbow_over_seeds(x, curves, *, replicates=1000, seed=0) -> SeedElbow:
    """Elbow of the geometric-mean curve over seeds, with a seed bootstrap.

    ``curves`` is a (seeds × len(x)) array of positive values.  Each bootstrap
    replicate draws as many seeds as there are, with replacement, averages
    their log curves and refits; the interval is the replicates' 2.5–97.5 %
    quantile range of the breakpoint (percentile bootstrap).
    """
    x = np.asarray(x, dtype=float)
    values = np.asarray(curves, dtype=float)
    if values.ndim != 2 or values.shape[1] != x.size:
        raise InputError(f"curves must be (seeds, {x.size}) to match x; got {values.shape}")
    if not np.all(np.isfinite(values) & (values > 0)):
        raise InputError("curves must be finite and positive everywhere (a missing point "
                         "breaks the seed average); drop the seed or the n")
    logs = np.log(values)
    fit = elbow_fit(x, np.exp(logs.mean(axis=0)))
    per_seed = [elbow_fit(x, np.exp(row)).breakpoint for row in logs]
    if logs.shape[0] < 2:
        return SeedElbow(fit, None, per_seed, 0)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, logs.shape[0], size=(replicates, logs.shape[0]))
    breaks = [elbow_fit(x, np.exp(logs[rows].mean(axis=0))).breakpoint for rows in draws]
    return SeedElbow(fit, (float(np.quantile(breaks, 0.025)), float(np.quantile(breaks, 0.975))),
                     per_seed, replicates)

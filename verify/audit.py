"""The finite-size audit: a claim's deviation along a ladder of sizes, how fast
it shrinks, and where it is heading.

For a claim with an :class:`~verify.claim.AuditSpec`, every rung is measured
through the same runner and store as a run.  Then

* the decay exponent γ is the least-squares slope of log|deviation − asymptote|
  against log(parameter), with a 95 % confidence interval from Student's t
  (at least three rungs);
* the asymptotic value is extrapolated by fitting deviation = c + C·(x/x̄)^(−γ_fit)
  (x̄ the ladder's geometric mean, for conditioning) and reporting c with its
  95 % interval (at least four rungs, so that one degree of freedom is left);
  when that cannot be done, the reason is reported instead.  γ_fit is fitted
  together with c, so it differs from γ, which takes the asymptote as known;
  the two are named apart wherever they are printed.

The ladder's parameter grows towards the asymptotic regime (n, d, 1/α, …).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np
from matplotlib.figure import Figure
from scipy import optimize
from scipy.special import stdtrit  # Student t quantile; scipy.stats would double the import time

from verify.claim import AUDIT_SIZES, Claim
from verify.errors import BadInput
from verify.runner import Execution, Measurements, measure_points
from verify.store import ResultStore


@dataclass(frozen=True)
class Rung:
    """The deviation at one value of the size parameter (None, with a note, when unknown)."""

    value: float
    deviation: float | None
    points: int
    note: str = ""


@dataclass(frozen=True)
class Decay:
    """|deviation − asymptote| ≈ prefactor · x^(−gamma)."""

    gamma: float | None
    ci95: tuple[float, float] | None
    prefactor: float | None
    rungs_used: int
    note: str


@dataclass(frozen=True)
class Extrapolation:
    """The fitted limit c of the deviation, and whether the claimed asymptote is within its 95 % CI."""

    value: float | None
    ci95: tuple[float, float] | None
    consistent: bool | None
    note: str


@dataclass(frozen=True)
class AuditResult:
    """One claim's audit at one size: the rungs, the fits, and the figure
    (which :meth:`to_json` leaves out)."""

    claim_id: str
    size: str
    parameter: str
    quantity: str
    asymptote: float
    rungs: list[Rung]
    decay: Decay
    extrapolation: Extrapolation
    figure: Figure | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict:
        return {name: value for name, value in asdict(self).items() if name != "figure"}


def audit_claim(claim: Claim, size: str, store: ResultStore,
                execution: Execution = Execution()) -> AuditResult:
    """Measure ``claim`` along its audit ladder at ``size`` and fit the decay."""
    ladder = audit_ladder(claim, size)
    points = [point for _, rung_points in ladder for point in rung_points]
    measured = measure_points([(claim, points)], store, execution,
                              label=f"audit {claim.id} ({size})")
    return audit_from(claim, size, ladder, measured[claim.id])


def audit_ladder(claim: Claim, size: str) -> list[tuple[float, list[dict]]]:
    """The rungs of ``claim``'s audit at ``size``: each parameter value with its points."""
    if claim.audit is None:
        raise BadInput(f"claim {claim.id} has no audit ladder; `python -m verify list` marks "
                       "the claims that have one")
    if size not in AUDIT_SIZES:
        raise BadInput(f"audits run at size {' or '.join(AUDIT_SIZES)}, not {size!r}: the "
                       "paper size measures the claims' own experiments only")
    return [(float(value), claim.audit.points(value)) for value in claim.audit.ladder(size)]


def audit_from(claim: Claim, size: str, ladder: list[tuple[float, list[dict]]],
               measured: Measurements) -> AuditResult:
    """The audit of ``claim`` from the measurements of its ``ladder``."""
    spec = claim.audit
    rungs = [_rung(spec.deviation, value, points, measured) for value, points in ladder]
    decay = fit_decay(rungs, spec.asymptote)
    extrapolation = extrapolate(rungs, spec.asymptote, decay)
    result = AuditResult(claim.id, size, spec.parameter, spec.quantity, spec.asymptote, rungs,
                         decay, extrapolation)
    return dataclasses.replace(result, figure=audit_figure(result))


def _rung(deviation, value: float, points: Sequence[dict], measured: Measurements) -> Rung:
    failures = measured.failures(points)
    if failures:
        return Rung(value, None, len(points), f"measurement failed at {len(failures)} points: "
                                              f"{failures[0][1]}")
    try:
        result = float(deviation(measured.results(points)))
    except Exception as error:
        return Rung(value, None, len(points), f"deviation raised {type(error).__name__}: {error}")
    if not math.isfinite(result):
        return Rung(value, None, len(points), f"deviation is {result}")
    return Rung(value, result, len(points))


def fit_decay(rungs: Sequence[Rung], asymptote: float) -> Decay:
    """Least-squares slope of log|deviation − asymptote| on log(parameter).

    >>> rungs = [Rung(x, 3.0 * x ** -0.5, 1) for x in (10.0, 100.0, 1000.0)]
    >>> decay = fit_decay(rungs, 0.0)
    >>> round(decay.gamma, 6), round(decay.prefactor, 6)
    (0.5, 3.0)
    """
    usable = [(rung.value, abs(rung.deviation - asymptote)) for rung in rungs
              if rung.deviation is not None and rung.value > 0 and rung.deviation != asymptote]
    if len(usable) < 2:
        return Decay(None, None, None, len(usable),
                     f"{len(usable)} rung(s) with a nonzero finite deviation; a decay needs at "
                     "least two: extend the ladder")
    log_x, log_dev = np.log(np.array(usable)).T
    slope, intercept = np.polyfit(log_x, log_dev, 1)
    gamma, prefactor = -float(slope), math.exp(intercept)
    if len(usable) == 2:
        return Decay(gamma, None, prefactor, 2, "two rungs: the exponent has no confidence "
                                                "interval; extend the ladder")
    residuals = log_dev - (slope * log_x + intercept)
    dof = len(usable) - 2
    standard_error = math.sqrt(residuals @ residuals / dof / np.sum((log_x - log_x.mean()) ** 2))
    half_width = float(stdtrit(dof, 0.975)) * standard_error
    return Decay(gamma, (gamma - half_width, gamma + half_width), prefactor, len(usable),
                 f"least squares over {len(usable)} rungs")


def extrapolate(rungs: Sequence[Rung], asymptote: float, decay: Decay) -> Extrapolation:
    """Fit deviation = c + C·(x/x̄)^(−γ_fit) and report c with its 95 % interval."""
    usable = [(rung.value, rung.deviation) for rung in rungs
              if rung.deviation is not None and rung.value > 0]
    if len(usable) < 4:
        return Extrapolation(None, None, None,
                             f"fitting c + C·x^(−γ_fit) with an uncertainty needs at least four rungs "
                             f"with a finite deviation; this ladder has {len(usable)}")
    x, deviation = np.array(usable).T
    x_ref = math.exp(np.log(x).mean())
    gamma0 = decay.gamma if decay.gamma is not None and decay.gamma > 0 else 1.0
    offset = np.median(deviation - asymptote)
    scale0 = math.copysign(decay.prefactor or abs(offset) or 1.0, offset) * x_ref ** -gamma0

    def model(x, c, scale, gamma):
        return c + scale * (x / x_ref) ** (-gamma)

    # Overflow while the optimiser probes a wild γ is expected; a covariance that cannot
    # be estimated (OptimizeWarning) means the fit says nothing about c.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("error", optimize.OptimizeWarning)
        try:
            (c, _, gamma), covariance = optimize.curve_fit(
                model, x, deviation, p0=(asymptote, scale0, gamma0), maxfev=20000)
        except (RuntimeError, ValueError, optimize.OptimizeWarning) as error:
            return Extrapolation(None, None, None, f"the fit c + C·x^(−γ_fit) failed: {error}")
    if not gamma > 0:
        return Extrapolation(None, None, None, f"the deviation does not decay along the ladder "
                                               f"(γ_fit = {gamma:.3g}); no limit to extrapolate")
    standard_error = math.sqrt(covariance[0, 0])
    if not math.isfinite(standard_error):
        return Extrapolation(None, None, None, "the fit c + C·x^(−γ_fit) leaves c undetermined")
    c, half_width = float(c), float(stdtrit(len(usable) - 3, 0.975)) * standard_error
    # The slack absorbs float rounding when the rungs follow a power law exactly.
    slack = 1e-9 * float(np.max(np.abs(deviation - asymptote)))
    consistent = bool(abs(c - asymptote) <= half_width + slack)
    return Extrapolation(c, (c - half_width, c + half_width), consistent,
                         f"c + C·x^(−γ_fit) fitted over {len(usable)} rungs (γ_fit = {gamma:.3g}); the limit "
                         f"is {'consistent' if consistent else 'not consistent'} with the "
                         f"asymptote {asymptote:g}")


def audit_figure(result: AuditResult) -> Figure | None:
    """Left: |deviation − asymptote| against the parameter, log-log, with the
    fitted decay.  Right: the deviation itself with the extrapolated limit."""
    known = [rung for rung in result.rungs if rung.deviation is not None]
    if not known:
        return None
    x = np.array([rung.value for rung in known])
    deviation = np.array([rung.deviation for rung in known])
    figure = Figure(figsize=(9, 3.6), layout="constrained")
    decay_axes, limit_axes = figure.subplots(1, 2)
    gap = np.abs(deviation - result.asymptote)
    positive = gap > 0
    decay_axes.loglog(x[positive], gap[positive], "o", label="measured")
    decay = result.decay
    if decay.gamma is not None:
        ci = (f" [{decay.ci95[0]:.3g}, {decay.ci95[1]:.3g}]" if decay.ci95 else "")
        decay_axes.loglog(x, decay.prefactor * x ** -decay.gamma, "-",
                          label=f"fit ∝ {result.parameter}^−γ, γ = {decay.gamma:.3g}{ci}")
    gap_label = (f"|{result.quantity} − {result.asymptote:g}|" if result.asymptote
                 else f"|{result.quantity}|")
    decay_axes.set(xlabel=result.parameter, ylabel=gap_label,
                   title=f"{result.claim_id}: decay of the deviation")
    decay_axes.legend(fontsize="small")
    limit_axes.semilogx(x, deviation, "o", label="measured")
    limit_axes.axhline(result.asymptote, color="k", linestyle="--", label="claimed asymptote")
    extrapolation = result.extrapolation
    if extrapolation.value is not None:
        limit_axes.axhline(extrapolation.value, color="C1", label="extrapolated limit (95 % CI)")
        limit_axes.axhspan(*extrapolation.ci95, color="C1", alpha=0.2)
    limit_axes.set(xlabel=result.parameter, ylabel=result.quantity,
                   title=f"{result.claim_id}: extrapolation")
    limit_axes.legend(fontsize="small")
    return figure

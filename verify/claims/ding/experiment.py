"""What every SQ claim shares: the two (α, β) regimes, the conventions of the
reconstructed Algorithm 1, the measurements (one-pass SGD runs on shared
streams), the exponent statistics and the exponent verdict.

Conventions (the paper's Algorithm 1 is not available; ``formulas/sgd-quadratic-scaling.md`` §8):

* data: λᵢ = i^{−α}, w*ᵢ = (v*ᵢ)² = i^{(α−β)/2} (so λᵢ(v*ᵢ)⁴ = i^{−β} exactly), noise σ = 1,
  the truth infinite-dimensional (coordinates beyond the stream's d enter as
  exact Gaussian label noise of variance ζ(β, d+1));
* quadratic model: v₀ = 10^{−3/2} (v₀² = 10⁻³, ≥ 100× below every w*ᵢ for
  i ≤ 1024 in both regimes, so every coordinate must grow to be learned and the
  initial error Σλᵢv₀⁴ ≤ 3·10⁻⁶ is negligible); Phase I step
  η = c_q/(4 Σᵢλᵢw*ᵢ) with c_q = 1/4, where 4Σλᵢw*ᵢ = 4ζ((α+β)/2) is the trace of the
  Phase-II linearisation's feature covariance (Gaussian SGD on it is stable
  for c ≲ 2/(1 + 2λ_max/tr) ≈ 0.8 (α > β) and 1.0 (α ≤ β) here; c = 1/2 diverged in
  trials, 1/4 never);
  the step is *not* tuned — the claim is that the quadratic model adapts by itself;
* linear model: η = c/ζ(α) (ζ(α) = tr H) with c tuned per horizon T over
  c ∈ {2^{−k/2}, k = 1 … 14} by the *exact* expected risk
  (:func:`numerics.sgd.linear_expected_risk`), the best the linear baseline
  can do with this schedule (α ≤ β needs η ≍ T^{α/β−1});
* schedule: :func:`numerics.sgd.two_phase_schedule` (η for T/2 steps, then
  ⌈log₂(T/2)⌉ halvings);
* the regimes: α > β at (α, β) = (3, 1.5) and α ≤ β at (1.5, 2).  The first was
  chosen for a separation the runs can resolve: the quadratic and linear
  exponents differ by (β−1)(α−β)/(α(α+β)) = 0.056 there, against 0.036 at the
  sheet's worked example (2, 1.5).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from scipy.optimize import brentq
from scipy.special import zeta

from numerics.fits import mean_ci
from numerics.sgd import (PowerLawProblem, SGDConfig, learned_coordinates, linear_expected_risk,
                          one_pass_sgd)
from theory.sgd_scaling import (effective_dimension, linear_rate, lower_bound, risk_exponents,
                                selection_time)
from verify.claim import AuditSpec, Outcome, Verdict

PAPER = "Ding et al. 2025 (arXiv:2502.09106)"
INIT = 10 ** -1.5
QUADRATIC_STEP_FACTOR = 0.25
LINEAR_STEP_FACTORS = tuple(2.0 ** (-k / 2) for k in range(1, 15))
NOISE = 1.0
# the stream check (numerics.sgd.SGDCertificate.stream_z) must stay within this many
# standard errors; beyond it the exact risk disagrees with what the samples say
STREAM_Z_LIMIT = 6.0


@dataclass(frozen=True)
class Regime:
    key: str
    alpha: float
    beta: float
    label: str


REGIMES = (Regime("above", 3.0, 1.5, "α > β (α = 3, β = 1.5)"),
           Regime("below", 1.5, 2.0, "α ≤ β (α = 1.5, β = 2)"))


def regime_of(point) -> Regime:
    return next(r for r in REGIMES if r.alpha == point["alpha"] and r.beta == point["beta"])


@dataclass(frozen=True)
class Size:
    """The measurement sizes of one report size."""

    horizons: tuple          # the T ladder (half decades)
    window: int              # the exponent fits use the ladder's last `window` rungs
    seeds: tuple
    model_size: int          # M of the T-ladder runs
    dimension_size: int      # M of the SQ-1 runs
    size_horizon: int        # T of the M ladders
    sizes_slope: tuple       # the M ladder of SQ-2 (slope below the knee)
    size_ladder_horizon: int  # T of SQ-5's M ladder
    sizes_saturation: tuple  # the M ladder of SQ-5 (across the knee)
    phase_horizon: int       # SQ-4's long run
    phase_size: int
    phase_seeds: tuple


def _ladder(top_exponent):
    return tuple(int(round(10 ** (3 + k / 2))) for k in range(int(2 * (top_exponent - 3)) + 1))


SIZES = {
    "quick": Size(horizons=_ladder(4.5), window=4, seeds=tuple(range(6)), model_size=256,
                  dimension_size=256, size_horizon=31623, sizes_slope=(1, 2, 3, 4, 6, 8),
                  size_ladder_horizon=10000, sizes_saturation=tuple(2 ** k for k in range(1, 9)),
                  phase_horizon=31623, phase_size=64, phase_seeds=tuple(range(6))),
    "full": Size(horizons=_ladder(6.0), window=3, seeds=tuple(range(10)), model_size=1000,
                 dimension_size=512, size_horizon=1_000_000,
                 sizes_slope=(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64),
                 size_ladder_horizon=100_000, sizes_saturation=tuple(2 ** k for k in range(1, 11)),
                 phase_horizon=1_000_000, phase_size=256, phase_seeds=tuple(range(10))),
}
QUICK_TOP = SIZES["quick"].horizons[-1]


def size_for_horizon(horizon) -> str:
    """The report size whose point specification an audit rung at ``horizon`` uses:
    the quick one up to its largest T (so quick audits reuse the quick points)."""
    return "quick" if horizon <= QUICK_TOP else "full"


def previous_rung(horizon):
    """The T half a decade below ``horizon`` on the ladder."""
    return int(round(10 ** (math.log10(horizon) - 0.5)))


def problem(point, dimension=None) -> PowerLawProblem:
    return PowerLawProblem(point["alpha"], point["beta"], point["noise"],
                           dimension or point["size"])


def quadratic_step(alpha, beta):
    """η = c_q/(4 tr(H diag w*)), tr(H diag w*) = Σᵢ i^{−(α+β)/2} = ζ((α+β)/2)."""
    return QUADRATIC_STEP_FACTOR / (4 * float(zeta((alpha + beta) / 2)))


def linear_steps(alpha):
    """The linear baseline's candidate steps c/tr H, tr H = ζ(α)."""
    return np.array(LINEAR_STEP_FACTORS) / float(zeta(alpha))


# =============================================================================
# Measurements
# =============================================================================

def _run_summary(runs, index):
    cert = runs.certificate
    return {"status": [status.name for status in runs.status[:, index]],
            "stream_z": cert.stream_z[:, index], "updates": cert.coordinate_updates,
            "seconds": cert.seconds}


def measure_quadratic(point):
    """The quadratic model of size M on one stream per seed, to horizon T:
    the exact excess risk and the learned-coordinate count per seed."""
    p = problem(point)
    config = SGDConfig("quadratic", point["size"], quadratic_step(p.alpha, p.beta),
                       point["horizon"])
    runs = one_pass_sgd(p, [config], point["seeds"], init=INIT)
    return {"risk": runs.risk[:, 0], "learned": learned_coordinates(p, runs.weights[0]),
            **_run_summary(runs, 0)}


def measure_sizes(point):
    """Quadratic models of every size in ``sizes`` on the same streams (d = the
    largest size; the coordinates a smaller model leaves out are noise to it)."""
    p = problem(point, max(point["sizes"]))
    step = quadratic_step(p.alpha, p.beta)
    configs = [SGDConfig("quadratic", size, step, point["horizon"]) for size in point["sizes"]]
    runs = one_pass_sgd(p, configs, point["seeds"], init=INIT)
    return {"risk": runs.risk.T, "learned": [learned_coordinates(p, w) for w in runs.weights],
            "status": [[s.name for s in column] for column in runs.status.T],
            "stream_z": runs.certificate.stream_z.T, "updates": runs.certificate.coordinate_updates,
            "seconds": runs.certificate.seconds}


def measure_pair(point):
    """Both models on the same streams: the quadratic one at its fixed step, the
    linear one at the step minimising its exact expected risk at this T."""
    p = problem(point)
    candidates = linear_steps(p.alpha)
    expected = linear_expected_risk(p, point["size"], candidates, point["horizon"])
    best = int(np.argmin(expected))
    configs = [SGDConfig("quadratic", point["size"], quadratic_step(p.alpha, p.beta),
                         point["horizon"]),
               SGDConfig("linear", point["size"], float(candidates[best]), point["horizon"])]
    runs = one_pass_sgd(p, configs, point["seeds"], init=INIT)
    return {"quadratic": runs.risk[:, 0], "linear": runs.risk[:, 1],
            "linear_expected": expected[best], "linear_step_factor": LINEAR_STEP_FACTORS[best],
            "linear_expected_grid": expected,
            "status": [[s.name for s in row] for row in runs.status],
            "stream_z": runs.certificate.stream_z, "updates": runs.certificate.coordinate_updates,
            "seconds": runs.certificate.seconds}


def problems_of(results):
    """Why points cannot be trusted: a stream check beyond its limit (the exact risk
    disagrees with the samples)."""
    problems = []
    for point, measured in results:
        z = np.abs(np.asarray(measured["stream_z"], dtype=float))
        if np.nanmax(z, initial=0.0) > STREAM_Z_LIMIT:
            problems.append(f"stream check |z| = {np.nanmax(z):.1f} > {STREAM_Z_LIMIT:g} at "
                            f"{_where(point)}: the exact risk disagrees with the samples")
    return problems


def divergences_of(results):
    """Diverged runs (reported; their seeds are left out of the fits that need them)."""
    notes = []
    for point, measured in results:
        statuses = np.ravel(measured["status"])
        if np.any(statuses != "SUCCESS"):
            notes.append(f"{np.sum(statuses != 'SUCCESS')} of {statuses.size} runs diverged at "
                         f"{_where(point)} (their seeds are left out of the fits that need them)")
    return notes


def _where(point):
    extra = f", T = {point['horizon']}" if "horizon" in point else ""
    return f"α = {point['alpha']:g}, β = {point['beta']:g}, σ = {point['noise']:g}{extra}"


# =============================================================================
# Exponents: fits and the verdict rule
# =============================================================================

def seed_slopes(xs, values):
    """Least-squares slope of log(values) on log(xs) for each seed (row)."""
    log_x = np.log(np.asarray(xs, dtype=float))
    log_v = np.log(np.asarray(values, dtype=float))          # (seeds, len(xs))
    centred = log_x - log_x.mean()
    return (log_v - log_v.mean(axis=1, keepdims=True)) @ centred / (centred @ centred)


def finite_seeds(values):
    """The seeds (rows) whose values are all finite (no diverged run among them)."""
    return np.all(np.isfinite(np.asarray(values, dtype=float)), axis=1)


def exponent_row(check, xs, values, asymptotic, alternatives, window, **extra):
    """One exponent, fitted per seed over ``xs``, against the theory's finite-size range.

    The range is the hull of the asymptotic exponent and ``alternatives`` (a dict
    name → exponent): the competing threshold's exponent (D is the smaller of two
    thresholds with unknown constants, so at finite size either may bind, and a
    local log-log slope of a min or sum of two power laws lies between their
    exponents) and the same exponents with the log factors the Õ hides (see
    :func:`log_corrected`).  The row holds when the 95 % CI of the fitted exponent
    (Student t over seeds) meets the range; ``deviation`` is the CI's distance
    from it (0 when it holds).  ``at asymptote`` says whether the CI contains the
    asymptotic exponent itself.  Seeds with a diverged run in the window are left
    out; with fewer than three left the row is not judged.
    """
    values = np.asarray(values, dtype=float)
    valid = finite_seeds(values)
    ends = [asymptotic, *alternatives.values()]
    low, high = min(ends), max(ends)
    row = {"check": check, "window": window, "asymptotic": asymptotic,
           "finite-size range": f"[{low:.3f}, {high:.3f}] ("
                                + ", ".join(f"{name} {value:+.3f}" for name, value in alternatives.items())
                                + ")", "seeds used": int(valid.sum()), **extra}
    if valid.sum() < 3:
        return {**row, "fitted": math.nan, "95 % CI ±": math.nan, "at asymptote": False,
                "deviation": math.nan, "holds": False, "judged": False}
    slope, half = mean_ci(seed_slopes(xs, values[valid]))
    gap = max(0.0, low - (slope + half), (slope - half) - high)
    return {**row, "fitted": slope, "95 % CI ±": half,
            "at asymptote": bool(abs(slope - asymptotic) <= half), "deviation": gap,
            "holds": bool(gap == 0.0), "judged": True}


def exponent_verdict(rows, problems, notes, prediction_text, what):
    """The verdict on exponent rows (see :func:`exponent_row`): deviates when a judged
    row fails; inconclusive when a row could not be judged or a stream check failed."""
    judged = [row for row in rows if row.get("judged", True)]
    failed = [row for row in judged if not row["holds"]]
    worst = max((row["deviation"] for row in judged), default=None)
    summary = "; ".join(f"{row['check']}: {row['fitted']:+.3f} ± {row['95 % CI ±']:.3f} "
                        f"(asymptotic {row['asymptotic']:+.3f}"
                        f"{', reached' if row['at asymptote'] else ''})" if row.get("judged", True)
                        else f"{row['check']}: not judged" for row in rows)
    reason = (f"{what} Each exponent is the least-squares log-log slope per seed over the window "
              "shown, with a 95 % Student-t interval over seeds (the seeds' streams are "
              "independent; the runs of one seed share its stream, so slopes are paired). "
              "Finite-size range: the theory's D is the smaller of two thresholds with unknown "
              "constants, so at finite size either may bind and a local slope lies between the "
              "two thresholds' exponents; the hidden log factors shift both (the time threshold's "
              "ln(w*_D/v₀²) from theory's selection time at the run's η and v₀, the log₂T of "
              "step-decay SGD's variance); the row holds when the CI meets the hull of these "
              "exponents. Deviation = the CI's distance from that range (tolerance 0).")
    unjudged = [row["check"] for row in rows if not row.get("judged", True)]
    if unjudged:
        problems = problems + [f"not judged (fewer than three seeds without a diverged run): "
                               f"{', '.join(unjudged)}"]
    if notes:
        reason = "; ".join(notes) + ". " + reason
    if problems:
        reason = "; ".join(problems) + ". " + reason
    outcome = (Outcome.DEVIATES if failed else
               Outcome.INCONCLUSIVE if problems or not judged else Outcome.HOLDS)
    return Verdict(outcome, prediction_text, summary or "no exponent could be fitted", worst, 0.0,
                   reason, rows)


def _time_threshold(regime: Regime, horizon):
    """The D whose selection time t(w*_D/2) (theory.selection_time at the runs' η, v₀ and
    s² = σ²) equals the Phase I length T/2: the time threshold with its log factor."""
    crossing = selection_time().part("time to half the truth")
    eta, w0 = quadratic_step(regime.alpha, regime.beta), INIT ** 2

    def excess(log_d):
        d = math.exp(log_d)
        lam, truth = d ** -regime.alpha, d ** ((regime.alpha - regime.beta) / 2)
        target = truth - eta * NOISE ** 2
        if target <= truth / 2:
            return 1.0                    # never reaches w*/2: beyond the threshold
        t = crossing.numpy(a=target, w0=w0, **{"lambda": lam}, eta=eta, w_star=truth,
                           s2=NOISE ** 2, T=0.0)
        return math.log(t) - math.log(horizon / 2)

    if excess(0.0) > 0:
        return math.nan
    return math.exp(brentq(excess, 0.0, 40.0, xtol=1e-12))


@functools.cache
def log_corrected(regime: Regime, horizon):
    """Local T-exponents at ``horizon`` of the two thresholds with the log factors the Õ
    hides: the time threshold by :func:`_time_threshold` (a central difference over
    ±5 % in T), the statistical one as (T/(σ² log₂T))^{1/β}, whose exponent is
    (1/β)(1 − 1/ln T) (the variance of step-decay SGD carries log₂T)."""
    step = 0.05
    low, high = (_time_threshold(regime, horizon * math.exp(sign * step)) for sign in (-1, 1))
    time = (math.log(high) - math.log(low)) / (2 * step)
    statistical = (1 / regime.beta) * (1 - 1 / math.log(horizon))
    return {"time": time, "statistical": statistical}


def _t_exponent(function, **values):
    """The T-exponent of a threshold that is a pure power of T (at σ = 1): log f(e^k)/k."""
    k = 50.0
    return float(np.log(function(T=math.exp(k), sigma=1.0, **values)) / k)


@functools.cache
def predicted_exponents(regime: Regime):
    """The theory's exponents at one regime, each with the competing threshold's
    exponent (the finite-size alternative, see :func:`exponent_row`): the
    quadratic model's D and risk, the linear model's risk, the lower bound."""
    a, b = regime.alpha, regime.beta
    parts = effective_dimension()
    time, statistical = (_t_exponent(parts.part(name).subs(M=sp.oo).numpy, alpha=a, beta=b)
                         for name in ("time threshold", "statistical threshold"))
    dimension = float(parts.part("exponent").numpy(alpha=a, beta=b, T=1.0, M=1.0, sigma=1.0))
    other = statistical if math.isclose(dimension, time) else time
    linear = linear_rate()
    optimal, reachable = (_t_exponent(linear.part(name).numpy, alpha=a, beta=b)
                          for name in ("optimal dimension", "reachable dimension"))
    linear_rate_value = float(linear.part("rate").numpy(alpha=a, beta=b, T=1.0, sigma=1.0))
    linear_dimension = linear_rate_value / (1 - b)
    linear_other = optimal if math.isclose(linear_dimension, reachable) else reachable
    return {"dimension": dimension, "dimension other": other,
            "risk": float(risk_exponents().part("data-limited").numpy(alpha=a, beta=b)),
            "risk other": (1 - b) * other,
            "linear": linear_rate_value, "linear other": (1 - b) * linear_other,
            "lower bound": float(lower_bound().part("rate").numpy(beta=b, T=1.0, sigma=1.0)),
            "model size": float(risk_exponents().part("model-limited").numpy(alpha=a, beta=b))}


# =============================================================================
# Figures
# =============================================================================

def figure_axes(panels, width=4.8, height=3.8):
    figure = Figure(figsize=(width * panels, height), layout="constrained")
    return figure, figure.subplots(1, panels, squeeze=False).ravel()


def slope_guide(axes, xs, values, exponent, label, **style):
    """A line ∝ x^exponent through the geometric mean of the data (a predicted slope)."""
    xs, values = np.asarray(xs, dtype=float), np.asarray(values, dtype=float)
    anchor_x, anchor_y = math.exp(np.log(xs).mean()), math.exp(np.log(values).mean())
    grid = np.geomspace(xs.min(), xs.max(), 50)
    axes.plot(grid, anchor_y * (grid / anchor_x) ** exponent, label=label, **style)


# =============================================================================
# Ladders in T and their audits
# =============================================================================

def by_horizon(results, regime: Regime, kind, extract):
    """The horizons of ``kind`` points at ``regime`` (sorted) and ``extract(measurement)``
    stacked as (seeds, horizons)."""
    table = {point["horizon"]: np.asarray(extract(measured), dtype=float)
             for point, measured in results
             if point["kind"] == kind and regime_of(point) == regime}
    horizons = sorted(table)
    return horizons, np.stack([table[h] for h in horizons], axis=1) if horizons else None


def top_window(horizons):
    """The fit window: the ladder's last rungs (the largest T measured, where the
    asymptotic behaviour is closest): one decade at full size, the whole
    1.5 decades at quick size (a shorter lever arm would leave the quick
    separation test without power)."""
    return list(horizons[-SIZES[size_for_horizon(horizons[-1])].window:])


def window_text(horizons):
    return f"T ∈ [{horizons[0]:.3g}, {horizons[-1]:.3g}]"


def local_slope_audit(point_at, kind, extract, regime: Regime, target, quantity):
    """An :class:`AuditSpec` over the T ladder: at each rung T, the seed-mean local
    log-log slope of ``extract`` between T/√10 and T, minus ``target``.

    The rungs reuse the claim's own points (``point_at(size, regime, T)``); a
    rung up to the quick size's largest T uses the quick specification, so a
    quick audit costs nothing beyond the quick run.
    """
    def ladder(size):
        return list(SIZES[size].horizons[1:])

    def points(value):
        size = size_for_horizon(value)
        return [point_at(size, regime, previous_rung(int(value))), point_at(size, regime, int(value))]

    def deviation(results):
        horizons, values = by_horizon(results, regime, kind, extract)
        values = values[finite_seeds(values)]
        return abs(float(np.mean(seed_slopes(horizons, values))) - target)

    return AuditSpec(parameter="T (samples)", quantity=quantity, ladder=ladder, points=points,
                     deviation=deviation)


def errorbar_series(axes, xs, values, label, **style):
    """Seed geometric means with their 95 % t-intervals (in log space), each column
    over its seeds with a finite value (a diverged run is left out)."""
    stats = []
    for column in np.asarray(values, dtype=float).T:
        finite = column[np.isfinite(column) & (column > 0)]
        stats.append(mean_ci(np.log(finite)) if finite.size else (math.nan, math.nan))
    stats = np.array(stats)
    mean, half = stats[:, 0], np.nan_to_num(stats[:, 1])
    centre = np.exp(mean)
    axes.errorbar(xs, centre, yerr=[centre - np.exp(mean - half), np.exp(mean + half) - centre],
                  fmt="o", capsize=3, markersize=4, label=label, **style)
    return centre


def size_window(size):
    """The fit window of a report size (its ladder's last ``window`` rungs)."""
    spec = SIZES[size]
    return spec.horizons[-spec.window:]


def window_centre(window):
    """The geometric mean of the fit window's T: where its local exponents are evaluated."""
    return int(round(math.exp(np.mean(np.log(window)))))


def dimension_alternatives(regime: Regime, window):
    """The finite-size alternatives to the asymptotic D exponent (see :func:`exponent_row`)."""
    corrected = log_corrected(regime, window_centre(window))
    return {"competing threshold": predicted_exponents(regime)["dimension other"],
            "time threshold with its log": corrected["time"],
            "statistical threshold with its log": corrected["statistical"]}


def risk_alternatives(regime: Regime, window):
    """The same for the quadratic model's risk: (1 − β) times the D alternatives."""
    return {name: (1 - regime.beta) * value
            for name, value in dimension_alternatives(regime, window).items()}


def linear_alternatives(regime: Regime, window):
    """The same for linear SGD: the competing threshold, and the variance-balanced rate
    with step-decay SGD's log₂T, (1 − β)(1/β)(1 − 1/ln T)."""
    corrected = log_corrected(regime, window_centre(window))
    return {"competing threshold": predicted_exponents(regime)["linear other"],
            "variance-balanced with its log": (1 - regime.beta) * corrected["statistical"]}

"""Claim SQ-4: two phases — adaptation (coordinate selection), then estimation.

One long run per regime with the coordinates recorded at log-spaced
checkpoints.  Phase I (constant step, the first T/2 steps): coordinate i is
*selected* when wᵢ = vᵢ² first reaches w*ᵢ/2; :func:`theory.selection_time`
predicts when, from the mean SGD dynamics with the Itô shift of the
multiplicative noise (a logistic curve with target aᵢ = w*ᵢ − ηs², s² the
residual variance).  Phase II (geometric decay): the error on the selected
set must fall (estimation), while the coordinates not selected stay near v₀².
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from numerics.sgd import SGDConfig, one_pass_sgd
from theory.sgd_scaling import selection_time
from verify.claim import Claim, Fidelity, Outcome, Verdict

from .experiment import (INIT, NOISE, PAPER, REGIMES, SIZES, divergences_of, figure_axes,
                         finite_seeds, mean_ci, problem, problems_of, quadratic_step, regime_of)

KIND = "phases"
PER_DECADE = 10
# The judged coordinates: selected in Phase I, with a predicted selection time after
# this many steps (earlier ones are resolved by too few checkpoints).
EARLIEST = 30
# A selection time must lie within this many of its own standard errors of the
# prediction; with up to ~60 coordinates judged, 3.5 keeps the chance that a correct
# prediction fails somewhere below 3 % (two-sided normal tail 4.7e-4 per coordinate).
Z_LIMIT = 3.5
TRAJECTORY_COORDINATES = (1, 2, 4, 8, 16, 32, 64, 128)


def checkpoints_for(horizon):
    grid = np.unique(np.round(np.geomspace(10, horizon, int(PER_DECADE * math.log10(horizon / 10)) + 1)))
    return np.unique(np.concatenate([grid, [horizon // 2, horizon]])).astype(int)


def points(size):
    spec = SIZES[size]
    return [{"kind": KIND, "alpha": regime.alpha, "beta": regime.beta, "noise": NOISE,
             "size": spec.phase_size, "horizon": spec.phase_horizon,
             "seeds": list(spec.phase_seeds)} for regime in REGIMES]


def _crossing_times(times, ratios, level=0.5):
    """First time each ratio (seeds × checkpoints × M) reaches ``level``, interpolated
    linearly in (log t, log ratio) between checkpoints; nan if never."""
    log_t, log_r = np.log(times), np.log(np.maximum(ratios, 1e-300))
    above = log_r >= math.log(level)
    first = np.argmax(above, axis=1)                              # (seeds, M)
    crossed = above.any(axis=1) & (first > 0)
    seeds, coords = np.nonzero(crossed)
    k = first[seeds, coords]
    r0, r1 = log_r[seeds, k - 1, coords], log_r[seeds, k, coords]
    fraction = (math.log(level) - r0) / (r1 - r0)
    out = np.full(first.shape, np.nan)
    out[seeds, coords] = np.exp(log_t[k - 1] + fraction * (log_t[k] - log_t[k - 1]))
    return out


def measure(point):
    p = problem(point)
    horizon = point["horizon"]
    checkpoints = checkpoints_for(horizon)
    config = SGDConfig("quadratic", point["size"], quadratic_step(p.alpha, p.beta), horizon)
    runs = one_pass_sgd(p, [config], point["seeds"], init=INIT, checkpoints=checkpoints,
                        record_weights=True)
    weights = runs.checkpoint_weights[0]                           # (seeds, K, M)
    truth = p.truth[:point["size"]]
    ratios = weights / truth
    boundary = int(np.searchsorted(checkpoints, horizon // 2))
    selected = ratios[:, boundary] >= 0.5                          # (seeds, M) at the end of Phase I
    lam = p.eigenvalues[:point["size"]]

    def selected_error(k):
        return 0.5 * np.sum(selected * lam * (weights[:, k] - truth) ** 2, axis=1)

    return {"checkpoints": checkpoints, "risk": runs.checkpoint_risk[:, 0],
            "selection_time": _crossing_times(checkpoints, ratios),
            "selected_at_boundary": selected.sum(axis=1),
            "selected_error_boundary": selected_error(boundary),
            "selected_error_end": selected_error(len(checkpoints) - 1),
            "unselected_max_ratio_boundary": np.max(np.where(selected, 0.0, ratios[:, boundary]),
                                                    axis=1),
            "trajectories": {str(i): ratios[0, :, i - 1] for i in TRAJECTORY_COORDINATES
                             if i <= point["size"]},
            "step": config.step, "status": [s.name for s in runs.status[:, 0]],
            "stream_z": runs.certificate.stream_z[:, 0],
            "updates": runs.certificate.coordinate_updates, "seconds": runs.certificate.seconds}


def predict(size):
    prediction = selection_time()
    return {"selection time": str(prediction.expr["time to half the truth"]),
            "target": str(prediction.expr["target"]), "time scale": 1.0}


def predicted_times(point, measured, time_scale=1.0, iterations=4):
    """theory's selection time t(w*/2) for every coordinate (the measured criterion),
    with the residual variance s² = σ² + 2R(t) averaged over [0, t] from the measured
    (seed-mean) risk at the checkpoints (a fixed point: t depends on the average, the
    average on t).  Returns the times (inf for a coordinate whose target
    a = w* − ηs² is not above w*/2: never selected at this step), the per-seed
    relative spread of the selection time, and the targets a."""
    p = problem(point)
    crossing = selection_time().part("time to half the truth")
    size, eta = point["size"], measured["step"]
    lam, truth = p.eigenvalues[:size], p.truth[:size]
    times = np.asarray(measured["checkpoints"], dtype=float)
    risk = np.asarray(measured["risk"], dtype=float)
    residual = NOISE ** 2 + 2 * np.mean(risk[finite_seeds(risk)], axis=0)
    cumulative = np.concatenate([[0.0], np.cumsum(np.diff(times) * (residual[1:] + residual[:-1]) / 2)])
    s2 = np.full(size, residual[0])
    for _ in range(iterations):
        target = truth - eta * s2
        reachable = target > truth / 2
        with np.errstate(invalid="ignore", divide="ignore"):
            selected_at = np.where(reachable, crossing.numpy(
                a=target, w0=INIT ** 2, **{"lambda": lam}, eta=eta, w_star=truth, s2=s2, T=0.0),
                np.inf)
        inside = np.clip(selected_at, times[0], times[-1])
        s2 = np.interp(inside, times, cumulative) / np.maximum(inside - times[0], 1)
    # the spread of one seed's selection time, relative: 4s·√(η/(a·ln((a − w₀)/w₀))), the
    # SGD noise accumulated in log w over the growth, over the log-growth rate
    with np.errstate(invalid="ignore"):
        spread = 4 * np.sqrt(s2) * np.sqrt(eta / (target * np.log((target - INIT ** 2) / INIT ** 2)))
    return selected_at * time_scale, spread, target


def compare(prediction, results):
    rows = []
    for point, measured in sorted(results, key=lambda pair: pair[0]["alpha"], reverse=True):
        regime = regime_of(point)
        boundary = point["horizon"] // 2
        predicted, spread, _ = predicted_times(point, measured, prediction["time scale"])
        observed = np.asarray(measured["selection_time"], dtype=float)
        seeds = observed.shape[0]
        judged = [i for i in range(point["size"])
                  if EARLIEST <= predicted[i] <= boundary and np.all(np.isfinite(observed[:, i]))]
        for i in judged:
            mean, half = mean_ci(np.log(observed[:, i] / predicted[i]))
            limit = Z_LIMIT * spread[i] / math.sqrt(seeds)
            rows.append({"check": f"selection time of coordinate {i + 1}", "regime": regime.label,
                         "predicted t": predicted[i], "measured t (geometric mean)":
                         math.exp(np.mean(np.log(observed[:, i]))),
                         "log ratio": mean, "95 % CI ±": half, "limit": limit,
                         "deviation": max(0.0, abs(mean) - limit), "holds": bool(abs(mean) <= limit)})
        # each selection time is log-normal about its prediction tᵢ with the predicted spread, so the count
        # selected by T/2 has mean Σ pᵢ and variance Σ pᵢ(1 − pᵢ) per seed, pᵢ = Φ(ln(T/2 / tᵢ)/δᵢ)
        count = np.asarray(measured["selected_at_boundary"], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            chance = ndtr(np.log(boundary / predicted) / spread)
        chance = np.where(np.isfinite(predicted), np.nan_to_num(chance), 0.0)
        expected = float(chance.sum())
        limit = Z_LIMIT * math.sqrt(float(np.sum(chance * (1 - chance))) / seeds)
        mean, half = mean_ci(count)
        rows.append({"check": "coordinates selected by the end of Phase I (T/2)",
                     "regime": regime.label, "predicted": expected, "measured (mean)": mean,
                     "95 % CI ±": half, "limit": limit,
                     "deviation": max(0.0, abs(mean - expected) - limit),
                     "holds": bool(abs(mean - expected) <= limit)})
        change = np.log(np.asarray(measured["selected_error_end"], dtype=float)
                        / np.asarray(measured["selected_error_boundary"], dtype=float))
        mean, half = mean_ci(change)
        rows.append({"check": "Phase II: error on the selected set falls (log ratio end/T/2 < 0)",
                     "regime": regime.label, "log ratio": mean, "95 % CI ±": half,
                     "deviation": max(0.0, mean + half), "holds": bool(mean + half < 0)})
    return _verdict(rows, problems_of(results), divergences_of(results))


def _verdict(rows, problems, notes):
    failed = [row for row in rows if not row["holds"]]
    judged = sum(row["check"].startswith("selection time") for row in rows)
    measured = (f"{judged} selection times judged, {sum(r['check'].startswith('selection time') and not r['holds'] for r in rows)} "
                f"outside their limits; " + "; ".join(
                    f"{row['regime']}: {row['measured (mean)']:.1f} selected at T/2 (predicted "
                    f"{row['predicted']:.1f})" for row in rows if "measured (mean)" in row))
    reason = ("Selection time: first step with wᵢ ≥ w*ᵢ/2 (log-log interpolation between "
              f"{PER_DECADE} checkpoints per decade), per seed; the prediction is theory's time "
              "for the logistic ẇ = 4ηλw(a − w), a = w* − ηs², to reach w*/2, "
              "t = ln(w*(a − w₀)/(2w₀(a − w*/2)))/(4ηλa), with s² = σ² + 2R averaged over [0, t] "
              "from the measured risk. Each coordinate selected in Phase I with t ≥ "
              f"{EARLIEST} is judged: the seed mean of log(measured/predicted) must lie within "
              f"{Z_LIMIT} standard errors, the standard error being the predicted per-seed spread "
              "4s·√(η/(a ln((a − w₀)/w₀))) (the SGD noise accumulated in log w over the growth) over "
              "√seeds. The count selected at T/2: each selection time taken log-normal about its prediction with "
              "that spread, the count has mean Σpᵢ and variance Σpᵢ(1 − pᵢ), pᵢ = "
              f"Φ(ln(T/2/tᵢ)/δᵢ); the seed mean must lie within {Z_LIMIT} of its standard errors. "
              "Phase II: the error on the "
              "selected set must fall from T/2 to T with 95 % confidence.")
    outcome = Outcome.DEVIATES if failed else (Outcome.INCONCLUSIVE if problems else Outcome.HOLDS)
    if notes:
        reason = "; ".join(notes) + ". " + reason
    if problems:
        reason = "; ".join(problems) + ". " + reason
    return Verdict(outcome, "Phase I selects coordinates at theory's logistic times; Phase II "
                            "then estimates them", measured,
                   max((row["deviation"] for row in rows), default=None), 0.0, reason, rows)


def perturb(prediction):
    """The selection times of v instead of w = v² (rate 2ηλa instead of 4ηλa): twice as long."""
    return {**prediction, "time scale": 2.0}


def figure(prediction, results, verdict):
    fig, axes = figure_axes(3, width=4.6)
    trajectory_axes, time_axes, error_axes = axes
    curve = selection_time().part("trajectory")
    for index, (point, measured) in enumerate(sorted(results, key=lambda pair: -pair[0]["alpha"])):
        regime = regime_of(point)
        times = np.asarray(measured["checkpoints"], dtype=float)
        predicted, _, targets = predicted_times(point, measured)
        p = problem(point)
        if index == 0:
            shown = sorted(measured["trajectories"].items(), key=lambda item: int(item[0]))
            for j, (key, ratio) in enumerate(shown):
                i = int(key)
                trajectory_axes.plot(times, ratio, color=f"C{j}", label=f"i = {i}")
                logistic = curve.numpy(a=targets[i - 1], w0=INIT ** 2, **{"lambda": p.eigenvalues[i - 1]},
                                       eta=measured["step"], w_star=p.truth[i - 1], s2=0.0, T=times)
                trajectory_axes.plot(times, logistic / p.truth[i - 1], ":", color=f"C{j}")
            trajectory_axes.axvline(point["horizon"] // 2, color="k", linestyle="--",
                                    label="Phase I | Phase II")
            trajectory_axes.set(xscale="log", yscale="log", xlabel="step t", ylabel=r"$w_i/w^*_i$",
                                title=f"SQ-4, {regime.label}: seed 0 (dotted: theory)")
            trajectory_axes.legend(fontsize="xx-small", ncol=2)
        observed = np.asarray(measured["selection_time"], dtype=float)
        shown = np.isfinite(predicted) & np.all(np.isfinite(observed), axis=0)
        time_axes.plot(predicted[shown], np.exp(np.log(observed[:, shown]).mean(axis=0)), "o",
                       markersize=3, color=f"C{index}", label=regime.label)
        risk = np.asarray(measured["risk"], dtype=float)
        error_axes.plot(times, np.exp(np.log(risk).mean(axis=0)), color=f"C{index}",
                        label=f"excess risk, {regime.label}")
        error_axes.axvline(point["horizon"] // 2, color="k", linestyle="--")
    limits = time_axes.get_xlim()
    time_axes.plot(limits, limits, "k-", linewidth=0.8, label="measured = predicted")
    time_axes.set(xscale="log", yscale="log", xlabel="predicted selection time (w reaches w*/2)",
                  ylabel="measured (geometric seed mean)", title="SQ-4: Phase I selection")
    time_axes.legend(fontsize="x-small")
    error_axes.set(xscale="log", yscale="log", xlabel="step t", ylabel="excess risk",
                   title="SQ-4: risk through both phases")
    error_axes.legend(fontsize="x-small")
    return fig


CLAIM = Claim(
    id="SQ-4", title="two phases: adaptation (coordinate selection), then estimation",
    statement="SGD on the quadratic model first selects coordinates one by one — coordinate i "
              "grows from v₀² to its target at the time the mean dynamics predict — and then, "
              "with the decaying step, estimates the selected ones; the unselected stay near v₀².",
    source=f"{PAPER}: TL;DR ('phase I adaptation and phase II estimation') and the summary's §5.1",
    fidelity=Fidelity.SUMMARY,
    derivation=selection_time().derivation,
    conventions="See verify.claims.ding.experiment. One run per regime, checkpoints "
                f"{PER_DECADE} per decade from t = 10. Quick: T = 3.2·10⁴, M = 64, 6 seeds; "
                "full: T = 10⁶, M = 256, 10 seeds.",
    points=points, measure=measure, predict=predict, compare=compare, perturb=perturb,
    figure=figure)

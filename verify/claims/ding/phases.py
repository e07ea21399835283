"""Claim SQ-4: two phases, adaptation (coordinate selection) then estimation.  Bespoke:
its rows are per-coordinate times, a count and a sign, not a kind's fit.  Coordinate i is
*selected* when wᵢ = vᵢ² first reaches w*ᵢ/2 in Phase I (constant step, T/2 steps), at
the time :func:`theory.selection_time` predicts; in Phase II the selected set's error falls.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from numerics.fits import mean_ci
from numerics.sgd import SGDConfig, selection_times
from theory.sgd_scaling import selection_time
from verify.claim import Claim, Fidelity
from verify.claims.common import panels
from verify.kinds import Row, assemble
from verify.kinds.base import judged

from .experiment import (INIT, NOISE, PAPER, REGIME, divergences, per_regime, quadratic_step,
                         run)

PER_DECADE = 10
# Judged: predicted times after this many steps (earlier ones span too few checkpoints).
EARLIEST = 30
# Selection times within this many standard errors: over ≤ ~60 coordinates a correct
# prediction fails somewhere with chance < 3 % (two-sided tail 4.7e-4 each).
Z_LIMIT = 3.5


def measure(point):
    horizon = point["T"]
    grid = np.geomspace(10, horizon, int(PER_DECADE * math.log10(horizon / 10)) + 1)
    checkpoints = np.unique(np.concatenate([np.round(grid), [horizon // 2, horizon]])).astype(int)
    config = SGDConfig("quadratic", point["size"], quadratic_step(REGIME[point["regime"]]),
                       horizon)
    problem, runs = run(point, [config], checkpoints=checkpoints, record_weights=True)
    weights, truth = runs.checkpoint_weights[0], problem.truth[:point["size"]]
    ratios = weights / truth                                       # (seeds, K, M)
    boundary = int(np.searchsorted(checkpoints, horizon // 2))
    selected = ratios[:, boundary] >= 0.5                          # at the end of Phase I
    lam = problem.eigenvalues[:point["size"]]
    error = [0.5 * np.sum(selected * lam * (weights[:, k] - truth) ** 2, axis=1)
             for k in (boundary, -1)]
    return {"checkpoints": checkpoints, "risk": runs.checkpoint_risk[:, 0],
            "selection_time": selection_times(checkpoints, ratios),
            "selected_at_boundary": selected.sum(axis=1), "selected_error_boundary": error[0],
            "selected_error_end": error[1], "step": config.step,
            "diverged": int((~runs.ok).sum())}


def predicted_times(point, measured, iterations=4):
    """theory's time to w*/2 per coordinate (inf where a = w* − ηs² ≤ w*/2), s² = σ² + 2R
    averaged over [0, t] from the measured risk (a fixed point), and the per-seed relative
    spread 4s·√(η/(a ln((a − w₀)/w₀))): SGD noise accumulated in log w over the growth."""
    regime = REGIME[point["regime"]]
    crossing = selection_time().part("time to half the truth")
    index, eta = np.arange(1, point["size"] + 1, dtype=float), measured["step"]
    lam, truth = index ** -regime.alpha, index ** ((regime.alpha - regime.beta) / 2)
    times, risk = np.asarray(measured["checkpoints"], float), np.asarray(measured["risk"], float)
    residual = NOISE ** 2 + 2 * np.mean(risk[np.all(np.isfinite(risk), axis=1)], axis=0)
    cumulative = np.concatenate([[0.0], np.cumsum(np.diff(times) * (residual[1:]
                                                                     + residual[:-1]) / 2)])
    s2 = np.full(point["size"], residual[0])
    for _ in range(iterations):
        target = truth - eta * s2
        with np.errstate(invalid="ignore", divide="ignore"):
            selected_at = np.where(target > truth / 2, crossing.numpy(
                a=target, w0=INIT ** 2, **{"lambda": lam}, eta=eta, w_star=truth, s2=s2, T=0.0),
                np.inf)
        inside = np.clip(selected_at, times[0], times[-1])
        s2 = np.interp(inside, times, cumulative) / np.maximum(inside - times[0], 1)
    with np.errstate(invalid="ignore"):
        spread = 4 * np.sqrt(s2 * eta / (target * np.log((target - INIT ** 2) / INIT ** 2)))
    return selected_at, spread


def compare(prediction, results):
    scale, other = (1.0, 2.0) if judged(prediction) == "claim" else (2.0, 1.0)
    rows = []
    for point, measured in sorted(results, key=lambda pair: pair[0]["regime"]):
        label, boundary = REGIME[point["regime"]].label, point["T"] // 2
        times, spread = predicted_times(point, measured)
        observed = np.asarray(measured["selection_time"], dtype=float)
        seeds = observed.shape[0]
        logs, errors = [], []
        for i in range(point["size"]):
            if EARLIEST <= times[i] <= boundary and np.all(np.isfinite(observed[:, i])):
                mean, half = mean_ci(np.log(observed[:, i] / times[i]))
                logs.append(mean)
                errors.append(spread[i] / seeds ** 0.5)
                rows.append(Row(f"{label}: selection time of coordinate {i + 1}",
                                abs(mean - math.log(scale)), Z_LIMIT * errors[-1], columns={
                                    "predicted t": times[i], "log(measured/theory)": mean,
                                    "95 % CI ±": half}))
        # the alternative is one factor on every time: judged on the mean over coordinates
        pooled, error = np.mean(logs), math.sqrt(np.sum(np.square(errors))) / len(logs)
        rows.append(Row(f"{label}: all selection times, mean log(measured/theory)",
                        abs(pooled - math.log(scale)), Z_LIMIT * error,
                        abs(pooled - math.log(other)), columns={"mean": pooled}))
        # times log-normal about their predictions: the count by T/2 has mean Σpᵢ and
        # variance Σpᵢ(1 − pᵢ) per seed, pᵢ = Φ(ln(T/2/tᵢ)/δᵢ)
        count = np.asarray(measured["selected_at_boundary"], dtype=float)
        expected = []
        for factor in (scale, other):
            with np.errstate(divide="ignore", invalid="ignore"):
                chance = np.nan_to_num(ndtr(np.log(boundary / (factor * times)) / spread))
            expected.append((chance.sum(), Z_LIMIT * math.sqrt(np.sum(chance * (1 - chance))
                                                                / seeds)))
        (claimed, limit), (alternative, _) = expected
        rows.append(Row(f"{label}: coordinates selected by T/2", abs(count.mean() - claimed),
                        limit, abs(count.mean() - alternative), columns={
                            "predicted": claimed, "measured (mean)": count.mean()}))
        change = np.log(np.asarray(measured["selected_error_end"], dtype=float)
                        / np.asarray(measured["selected_error_boundary"], dtype=float))
        mean, half = mean_ci(change)
        rows.append(Row(f"{label}: Phase II, log(error on the selected set at T / at T/2) < 0",
                        max(0.0, mean + half), 0.0, rejects=mean + half < 0,
                        columns={"log ratio": mean, "95 % CI ±": half}))
    return assemble(
        rows, prediction="Phase I selects coordinates at theory's logistic times; Phase II "
                         "then estimates them", measurement="; ".join(
            f"{row.at}: {row.deviation:.3g} (tolerance {row.tolerance:.3g})" for row in rows
            if "selection time of" not in row.at),
        reason=f"the seed mean of log(measured/predicted selection time), t ≥ {EARLIEST}, "
               f"within {Z_LIMIT} standard errors (predicted spread/√seeds); the count "
               f"selected at T/2 within {Z_LIMIT} of its; Phase II's error falls (95 %)",
        alternative="the selection times of v instead of w = v² (twice as long); for Phase II "
                    "no estimation (the error flat)", diagnostics=divergences(results))


def figure(prediction, results, verdict):
    fig, (time_axes, risk_axes) = panels(2)
    for index, (point, measured) in enumerate(sorted(results, key=lambda p: p[0]["regime"])):
        label, (times, _) = REGIME[point["regime"]].label, predicted_times(point, measured)
        observed = np.asarray(measured["selection_time"], dtype=float)
        shown = np.isfinite(times) & np.all(np.isfinite(observed), axis=0)
        time_axes.loglog(times[shown], np.exp(np.log(observed[:, shown]).mean(axis=0)), "o",
                         markersize=3, color=f"C{index}", label=label)
        risk_axes.loglog(measured["checkpoints"], np.exp(np.log(measured["risk"]).mean(axis=0)),
                         color=f"C{index}", label=f"excess risk, {label}")
        risk_axes.axvline(point["T"] // 2, color="k", linestyle="--")
    low, high = time_axes.get_xlim()
    for factor, style, text in ((1, "k-", "theory"), (2, "r:", "alternative: v, not w (×2)")):
        time_axes.plot([low, high], [factor * low, factor * high], style, label=text)
    time_axes.set(xlabel="predicted selection time", ylabel="measured (geometric seed mean)")
    risk_axes.set(xlabel="step t (dashed: T/2)", ylabel="excess risk (geometric seed mean)")
    for ax in (time_axes, risk_axes):
        ax.legend(fontsize="x-small")
    return fig


CLAIM = Claim(
    id="SQ-4", title="two phases: adaptation (coordinate selection), then estimation",
    statement="SGD on the quadratic model first selects coordinates one by one — coordinate i "
              "grows from v₀² to its target at the time the mean dynamics predict — and then, "
              "with the decaying step, estimates the selected ones; the unselected stay near v₀².",
    source=f"{PAPER}: TL;DR ('phase I adaptation and phase II estimation') and the summary's §5.1",
    fidelity=Fidelity.SUMMARY, derivation=selection_time().derivation,
    conventions=f"See verify.claims.ding.experiment. One run per regime, checkpoints {PER_DECADE} "
                "per decade from t = 10. Quick: T = 3.2·10⁴, M = 64, 6 seeds; full: T = 10⁶, "
                "M = 256, 10 seeds.",
    points=lambda size: per_regime(size, size="phase_size", T="phase_horizon"),
    measure=measure, predict=lambda size: {"judge": "claim"}, compare=compare,
    perturb=lambda prediction: {**prediction, "judge": "alternative"}, figure=figure)

"""Claims SQ-2 and SQ-5: the excess risk of the quadratic model in T and in M.

SQ-2: risk ≍ M^{1−β} + T^{−(β−1)/max{β,(α+β)/2}} (:func:`theory.risk_exponents`),
fitted in T (M ≫ D) and in M (M ≤ D/4).  SQ-5: at fixed large T the risk follows
the approximation error ½ζ(β, M+1) ≍ M^{1−β} while M < D and saturates beyond.
Risks are exact, from the diagonal covariance at the end of each run.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy.special import zeta

from numerics.fits import loglog_slope
from theory.sgd_scaling import risk_exponents
from verify.claim import Claim, Fidelity
from verify.claims.common import panels
from verify.kinds import Row, ScalingLaw, assemble
from verify.kinds.base import judged, points_of

from .experiment import (FINITE_SIZE_REASON, NOISE, PAPER, REGIME, REGIMES, SHEET, SIZES,
                         UntrustedRun, divergences, fit_window, measure_quadratic,
                         measure_sizes, predicted_exponents, risk_range, t_ladder)


def approximation_error(beta, sizes):
    """½Σ_{i>M} i^{−β} = ½ζ(β, M+1): the risk of a model of size M that fits its M coordinates."""
    return 0.5 * zeta(beta, np.asarray(sizes, dtype=float) + 1)


T_GRID = t_ladder("n", "model_size", law=["T"])


def _fit_sizes(group):
    return [m for m in SIZES[group["ladder"]].sizes_slope if m <= group["top"]]


def sq2_points(size):
    spec = SIZES[size]
    return points_of(T_GRID, size) + [
        {"ladder": size, "law": "M", "regime": r.key, "T": spec.size_horizon,
         "top": spec.slope_top[r.key], "size": spec.model_size, "seeds": list(spec.seeds)}
        for r in REGIMES]


def sq2_measure(point):
    """In T: the quadratic model at T = n.  In M: the ladder's sizes on one stream (d = the
    largest), reported up to ``top``; top ≤ D/4 is checked by the T ladder's model (M ≫ D)."""
    if point["law"] == "T":
        return measure_quadratic(point, point["n"])
    knee = float(np.mean(measure_quadratic(point, point["T"])["learned"]))
    if point["top"] > knee / 4:
        raise UntrustedRun(f"the M fit reaches {point['top']} > D/4 = {knee / 4:.3g}: not "
                           "model-limited; lower slope_top")
    measured = measure_sizes(point, SIZES[point["ladder"]].sizes_slope, point["T"])
    fit = len(_fit_sizes(point))
    return {"n": measured["M"][:fit], "risk": measured["risk"][:, :fit], "D": knee,
            "diverged": measured["diverged"]}


def model_limited_range(group):
    """The slope over the fit sizes of ½ζ(β, M+1) + σ²M·log₂T/T: the approximation error
    plus step-decay SGD's variance on M coordinates with its log factor (Ge et al. 2019),
    the model-limited risk with the factor the Õ hides; its slope tends to 1 − β."""
    sizes = np.array(_fit_sizes(group), dtype=float)
    proxy = (approximation_error(REGIME[group["regime"]].beta, sizes)
             + NOISE ** 2 * sizes * math.log2(group["T"]) / group["T"])
    slope = loglog_slope(sizes, proxy).slope
    return slope, slope


def _by_law(in_t, in_m):
    return lambda group: (in_t if group["law"] == "T" else in_m)(group)


def _predicted(key):
    return lambda group: predicted_exponents(REGIME[group["regime"]])[key]


_SQ2 = ScalingLaw(
    id="SQ-2", title="excess risk ≍ M^(1−β) + T^(−(β−1)/max{β,(α+β)/2})",
    statement="The excess risk of one-pass SGD on the quadratic model is a piecewise power law: "
              "M^(1−β) when model-limited (M ≤ T^(1/κ)) and T^(−(β−1)/κ), κ = max{β, (α+β)/2}, "
              "when data-limited; i.e. T^(−(β−1)/β) for α ≤ β and T^(−2(β−1)/(α+β)) for α > β.",
    source=f"{PAPER}: the TL;DR's rates and the summary's §4; derivation in {SHEET} §5",
    fidelity="summary", derivation=risk_exponents().derivation,
    conventions="See verify.claims.ding.experiment. n is T (law = T: quick T ≤ 3.2·10⁴, M = "
                "256, 6 seeds; full T ≤ 10⁶, M = 1000, 10 seeds) or M (law = M: M ≤ top, "
                "checked ≤ D/4 at the same T).",
    points=sq2_points, measure=sq2_measure, x="n", seed="seeds", quantity="risk",
    exponent=_by_law(_predicted("risk"), _predicted("model size")),
    alternative=("the competing threshold's exponent in T; a risk flat in M (data-limited) "
                 "in M", _by_law(_predicted("risk other"), lambda group: 0.0)),
    window=lambda group: fit_window(group) if group["law"] == "T" else None,
    finite_size=_by_law(risk_range, model_limited_range),
    finite_size_reason=f"in T: {FINITE_SIZE_REASON}; in M: the slope of the model-limited "
                       "risk with its log factor, ½ζ(β, M+1) + σ²M·log₂T/T, over the fit sizes",
    diagnose=divergences, audit_reuses_quick=True)
# the audit follows the T ladder (its points are the claim's own)
SQ2 = dataclasses.replace(_SQ2, audit_spec=dataclasses.replace(_SQ2, points=T_GRID).audit()
                          ).to_claim()


# SQ-5 is bespoke: its knee is the measured D and its test one of shares, not a fit.  Below
# D/2 the approximation error must be at least half the risk; above 2D the risk may fall by
# at most half of what the approximation error falls to the largest M.  The factors define
# the knee (as a 3 dB point a filter's corner); they are not tolerances fitted to the data.
SHARE = 0.5


def sq5_points(size):
    spec = SIZES[size]
    return [{"ladder": size, "regime": r.key, "T": spec.size_ladder_horizon,
             "seeds": list(spec.seeds)} for r in REGIMES]


def sq5_measure(point):
    return measure_sizes(point, SIZES[point["ladder"]].sizes_saturation, point["T"])


def _curve(point, measured):
    """(sizes, geometric seed-mean risk over seeds without a diverged run, seed-mean D)."""
    risk = np.asarray(measured["risk"], dtype=float)
    risk = risk[np.all(np.isfinite(risk), axis=1)]
    learned = np.asarray(measured["learned"], dtype=float)
    return np.array(measured["M"]), np.exp(np.log(risk).mean(axis=0)), learned[:, -1].mean()


def sq5_compare(prediction, results):
    saturating = judged(prediction) == "claim"     # the alternative: no saturation at all
    rows = []
    for point, measured in sorted(results, key=lambda pair: pair[0]["regime"]):
        sizes, risk, knee = _curve(point, measured)
        approx = approximation_error(REGIME[point["regime"]].beta, sizes)
        for j, size in enumerate(sizes[:-1]):
            at = f"{REGIME[point['regime']].label}, M = {size} (D = {knee:.3g})"
            if size <= knee / 2 or not saturating:
                rows.append(Row(at, 1 - approx[j] / risk[j], SHARE, columns={
                    "test": "model-limited: 1 − ½ζ(β, M+1)/risk ≤ ½"}))
            elif size >= 2 * knee:
                drop = (risk[j] - risk[-1]) / (approx[j] - approx[-1])
                rows.append(Row(at, drop, SHARE, alternative_deviation=abs(1 - drop), columns={
                    "test": f"saturated: risk drop to M = {sizes[-1]} / approximation error's "
                            "≤ ½"}))
    return assemble(rows, prediction="risk ≍ M^(1−β) for M < D, flat for M > D (knee at D)",
                    measurement="; ".join(f"{row.at}: {row.deviation:.3g}" for row in rows),
                    reason="D: the largest model's learned count (seed mean); risks: geometric "
                           "seed means; the shares as in the rows (D/2 … 2D not judged)",
                    alternative="no saturation: the risk follows ½ζ(β, M+1) at every M",
                    diagnostics=divergences(results))


def sq5_figure(prediction, results, verdict):
    figure, axes = panels(len(results))
    for ax, (point, measured) in zip(axes, sorted(results, key=lambda pair: pair[0]["regime"])):
        sizes, risk, knee = _curve(point, measured)
        ax.loglog(sizes, risk, "o", label="measured (geometric seed mean)")
        ax.loglog(sizes, approximation_error(REGIME[point["regime"]].beta, sizes), "-",
                  label="no saturation: ½ζ(β, M+1)")
        ax.axvline(knee, color="k", linestyle="--", label=f"D = {knee:.3g} (learned)")
        ax.axvspan(knee / 2, 2 * knee, color="0.85", label="not judged (D/2 … 2D)")
        ax.set(xlabel="model size M", ylabel="excess risk",
               title=f"SQ-5, {REGIME[point['regime']].label}, T = {point['T']:.3g}")
        ax.legend(fontsize="x-small")
    return figure


SQ5 = Claim(
    id="SQ-5", title="model-size saturation: risk ≍ M^(1−β) below D, flat above",
    statement="At fixed large T, the excess risk follows the approximation error M^(1−β) while "
              "M < D and saturates once M exceeds the effective dimension D: the extra coordinates "
              "are never learned.",
    source=f"{PAPER}: the summary's §4 ('1/M^(β−1) + σ²D/T + …, D = min{{T^(1/…), M}}')",
    fidelity=Fidelity.SUMMARY,
    derivation="Approximation error ½Σ_{i>M} λᵢw*ᵢ² = ½ζ(β, M+1) ≍ M^(1−β)/(2(β−1)) "
               "(theory.risk_exponents, model-limited part); for M > D the coordinates D < i ≤ M "
               "stay near v₀² and add nothing.",
    conventions="See verify.claims.ding.experiment. M ∈ {2, …, 256} at T = 10⁴, 6 seeds (quick), "
                "{2, …, 1024} at 10⁵, 10 seeds (full), all on the same streams.",
    points=sq5_points, measure=sq5_measure, predict=lambda size: {"judge": "claim"},
    compare=sq5_compare, perturb=lambda prediction: {**prediction, "judge": "alternative"},
    figure=sq5_figure)

"""Claims SQ-2 and SQ-5: the excess risk of the quadratic model in T and in M.

SQ-2: excess risk ≍ M^{1−β} + T^{−(β−1)/max{β,(α+β)/2}}: fitted exponents in T
(M ≫ D, data-limited, both regimes) and in M (M well below D, model-limited,
at the largest T), against :func:`theory.risk_exponents`.

SQ-5: at fixed large T, the risk follows the approximation error
½ζ(β, M+1) ≍ M^{1−β} while M < D and saturates beyond: adding coordinates past
the effective dimension does not lower it.

The risk is computed exactly from the diagonal covariance at the end of each
run (:meth:`numerics.sgd.PowerLawProblem.excess_risk`), never estimated.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import zeta

from theory.sgd_scaling import risk_exponents
from verify.claim import Claim, Fidelity, Outcome, Verdict

from .experiment import (NOISE, PAPER, REGIMES, SIZES, by_horizon, divergences_of,
                         errorbar_series, exponent_row, exponent_verdict, figure_axes,
                         finite_seeds, local_slope_audit, measure_quadratic, measure_sizes,
                         predicted_exponents, problems_of, regime_of, risk_alternatives,
                         seed_slopes, size_window, slope_guide, top_window, window_text)

T_KIND, M_KIND, KNEE_KIND = "risk in T", "risk in M", "saturation in M"


def approximation_error(beta, sizes):
    """½Σ_{i>M} i^{−β} = ½ζ(β, M+1): the risk of a model of size M that fits its M coordinates."""
    return 0.5 * zeta(beta, np.asarray(sizes, dtype=float) + 1)


def point_at(size, regime, horizon):
    spec = SIZES[size]
    return {"kind": T_KIND, "alpha": regime.alpha, "beta": regime.beta, "noise": NOISE,
            "size": spec.model_size, "horizon": horizon, "seeds": list(spec.seeds)}


def _sizes_point(kind, size, regime, horizon, sizes):
    return {"kind": kind, "alpha": regime.alpha, "beta": regime.beta, "noise": NOISE,
            "sizes": list(sizes), "horizon": horizon, "seeds": list(SIZES[size].seeds)}


def _risk(measured):
    return measured["risk"]


# =============================================================================
# SQ-2
# =============================================================================

def sq2_points(size):
    spec = SIZES[size]
    return ([point_at(size, regime, horizon) for regime in REGIMES for horizon in spec.horizons]
            + [_sizes_point(M_KIND, size, regime, spec.size_horizon, spec.sizes_slope)
               for regime in REGIMES])


def sq2_measure(point):
    return measure_quadratic(point) if point["kind"] == T_KIND else measure_sizes(point)


def sq2_predict(size):
    window = size_window(size)
    return {"T": {r.key: predicted_exponents(r)["risk"] for r in REGIMES},
            "T alternatives": {r.key: risk_alternatives(r, window) for r in REGIMES},
            "M": {r.key: predicted_exponents(r)["model size"] for r in REGIMES},
            "M finite": True,
            "formula": "M^(1−β) + T^(" + str(risk_exponents().expr["data-limited"]) + ")"}


def _size_table(results, regime, kind):
    """(sizes, risk (seeds × sizes), learned (seeds × sizes), T) of the M-ladder point at ``regime``."""
    for point, measured in results:
        if point["kind"] == kind and regime_of(point) == regime:
            return (np.array(point["sizes"]), np.asarray(measured["risk"], dtype=float).T,
                    np.asarray(measured["learned"], dtype=float).T, point["horizon"])
    return None


def model_limited_proxy(beta, sizes, horizon):
    """½ζ(β, M+1) + σ²M·log₂T/T: the approximation error plus the variance of step-decay
    SGD on M coordinates with its log factor (Ge et al. 2019) — the model-limited risk
    with the factor the Õ hides; its log-log slope in M tends to 1 − β."""
    return approximation_error(beta, sizes) + NOISE ** 2 * sizes * math.log2(horizon) / horizon


def sq2_compare(prediction, results):
    rows = []
    for regime in REGIMES:
        horizons, risk = by_horizon(results, regime, T_KIND, _risk)
        window = top_window(horizons)
        rows.append(exponent_row(f"risk ∝ T^e, {regime.label}", window, risk[:, -len(window):],
                                 prediction["T"][regime.key],
                                 prediction["T alternatives"][regime.key], window_text(window)))
    for regime in REGIMES:
        sizes, risk, _, horizon = _size_table(results, regime, M_KIND)
        # D at this T from the T-ladder run of the same T (its M is far above D)
        _, learned = by_horizon(results, regime, T_KIND, lambda m: m["learned"])
        knee = float(learned[:, -1].mean())
        chosen = sizes <= knee / 4
        label = f"risk ∝ M^e, {regime.label}"
        window = f"M ∈ [{sizes[chosen][0]}, {sizes[chosen][-1]}] ≤ D/4 = {knee / 4:.3g}, T = {horizon}"
        if chosen.sum() < 2:
            rows.append({"check": label, "window": f"fewer than two sizes below D/4 = {knee / 4:.3g}",
                         "asymptotic": prediction["M"][regime.key], "judged": False,
                         "fitted": math.nan, "95 % CI ±": math.nan, "at asymptote": False,
                         "deviation": math.nan, "holds": False})
            continue
        # the finite-M value of the same prediction: the proxy's slope over the window
        finite = ({"model-limited proxy over the window": float(seed_slopes(
            sizes[chosen], model_limited_proxy(regime.beta, sizes[chosen], horizon)[None])[0])}
            if prediction["M finite"] else {})
        rows.append(exponent_row(label, sizes[chosen], risk[:, chosen], prediction["M"][regime.key],
                                 finite, window))
    text = "; ".join(f"{regime.label}: T^{prediction['T'][regime.key]:.3f}, "
                     f"M^{prediction['M'][regime.key]:.3f}" for regime in REGIMES)
    return exponent_verdict(rows, problems_of(results), divergences_of(results),
                            f"risk ≍ {prediction['formula']}: {text}",
                            "Exact excess risk at the end of each run. In T: model size M far "
                            "above D (data-limited). In M: sizes below a quarter of the D measured "
                            "at the same T (model-limited, away from the knee); there the "
                            "finite-size range runs to the slope over the window of the "
                            "model-limited proxy ½ζ(β, M+1) + σ²M·log₂T/T: the exact "
                            "approximation error plus the variance of step-decay SGD on M "
                            "coordinates with its log factor (Ge et al. 2019), which the Õ hides.")


def sq2_perturb(prediction):
    """The exponents of linear SGD in place of the quadratic model's, −(β−1)/max{α, β}
    (which differ when α > β), and M^{−β}, without finite-size ranges."""
    return {**prediction,
            "T": {regime.key: predicted_exponents(regime)["linear"] for regime in REGIMES},
            "T alternatives": {regime.key: {} for regime in REGIMES},
            "M": {key: value - 1 for key, value in prediction["M"].items()}, "M finite": False}


def sq2_figure(prediction, results, verdict):
    fig, (in_t, in_m) = figure_axes(2, width=5.6)
    for index, regime in enumerate(REGIMES):
        horizons, risk = by_horizon(results, regime, T_KIND, _risk)
        centre = errorbar_series(in_t, horizons, risk, f"{regime.label}", color=f"C{index}")
        window = top_window(horizons)
        e = prediction["T"][regime.key]
        slope_guide(in_t, window, centre[-len(window):], e, f"predicted $T^{{{e:.3f}}}$",
                    color=f"C{index}", linestyle="-")
        for name, alt in prediction["T alternatives"][regime.key].items():
            slope_guide(in_t, window, centre[-len(window):], alt, f"{name} $T^{{{alt:.3f}}}$",
                        color=f"C{index}", linestyle=":", linewidth=0.8)
        sizes, m_risk, _, horizon = _size_table(results, regime, M_KIND)
        errorbar_series(in_m, sizes, m_risk, f"{regime.label}, T = {horizon:.3g}",
                        color=f"C{index}")
        in_m.plot(sizes, approximation_error(regime.beta, sizes), "-", color=f"C{index}",
                  alpha=0.6, label=r"$\frac{1}{2}\zeta(\beta, M+1)$" + f", slope → {1 - regime.beta:g}")
    in_t.set(xscale="log", yscale="log", xlabel="T (samples = steps)", ylabel="excess risk",
             title="SQ-2: risk vs T (M ≫ D)")
    in_m.set(xscale="log", yscale="log", xlabel="model size M", ylabel="excess risk",
             title="SQ-2: risk vs M (M < D)")
    for panel in (in_t, in_m):
        panel.legend(fontsize="x-small")
    return fig


SQ2 = Claim(
    id="SQ-2", title="excess risk ≍ M^(1−β) + T^(−(β−1)/max{β,(α+β)/2})",
    statement="The excess risk of one-pass SGD on the quadratic model is a piecewise power law: "
              "M^(1−β) when model-limited (M ≤ T^(1/κ)) and T^(−(β−1)/κ), κ = max{β, (α+β)/2}, "
              "when data-limited; i.e. T^(−(β−1)/β) for α ≤ β and T^(−2(β−1)/(α+β)) for α > β.",
    source=f"{PAPER}: the TL;DR's rates and the summary's §4; derivation in the formula sheet §5",
    fidelity=Fidelity.SUMMARY,
    derivation=risk_exponents().derivation,
    conventions="See verify.claims.ding.experiment (σ = 1, v₀ = 10^(−3/2), η = 1/(16 ζ((α+β)/2)), "
                "two-phase schedule). In T: quick T ∈ {10³, …, 3.2·10⁴}, M = 256, 6 seeds, exponents "
                "over the whole ladder; full T up to 10⁶, M = 1000, 10 seeds, exponents over the "
                "top decade. In M: "
                "M ∈ {1, 2, 3, 4, 6, …} ≤ D/4 at the ladder's largest T (3.2·10⁴ quick, 10⁶ full), all "
                "sizes on the same streams.",
    points=sq2_points, measure=sq2_measure, predict=sq2_predict, compare=sq2_compare,
    perturb=sq2_perturb, figure=sq2_figure,
    audit=local_slope_audit(point_at, T_KIND, _risk, REGIMES[1],
                            predicted_exponents(REGIMES[1])["risk"],
                            "|local exponent of the risk in T − (−(β−1)/β)|, α ≤ β (seed mean)"))


# =============================================================================
# SQ-5
# =============================================================================

def sq5_points(size):
    spec = SIZES[size]
    return [_sizes_point(KNEE_KIND, size, regime, spec.size_ladder_horizon, spec.sizes_saturation)
            for regime in REGIMES]


def sq5_predict(size):
    return {"knee": "D", "below": "risk ≈ ½ζ(β, M+1) ≍ M^(1−β)", "above": "risk flat in M",
            "share": 0.5}


def sq5_compare(prediction, results):
    """Below the knee (M ≤ D/2) the approximation error is at least half the risk;
    above it (M ≥ 2D) the risk falls by less than half of what the approximation
    error falls from M to the largest size.  The factor 2 on each side of D and
    the factor ½ in each test define the knee (as a 3 dB point defines a
    filter's corner); they are definitions, not tolerances fitted to the data."""
    share = prediction["share"]
    rows = []
    for regime in REGIMES:
        sizes, risk, learned, horizon = _size_table(results, regime, KNEE_KIND)
        knee = float(learned[:, -1].mean()) * prediction.get("knee_scale", 1.0)
        approx = approximation_error(regime.beta, sizes)
        valid = finite_seeds(risk)          # seeds without a diverged run
        mean_risk = np.exp(np.log(risk[valid]).mean(axis=0))
        for j, size in enumerate(sizes[:-1]):
            if size <= knee / 2:
                value = approx[j] / mean_risk[j]
                rows.append({"check": "model-limited: ½ζ(β, M+1)/risk ≥ ½", "regime": regime.label,
                             "M": int(size), "D": knee, "T": horizon, "value": value,
                             "deviation": max(0.0, share - value), "holds": bool(value >= share)})
            elif size >= 2 * knee:
                drop, possible = mean_risk[j] - mean_risk[-1], approx[j] - approx[-1]
                value = drop / possible
                rows.append({"check": f"saturated: risk drop to M = {sizes[-1]} ≤ ½ of the "
                                      "approximation error's", "regime": regime.label,
                             "M": int(size), "D": knee, "T": horizon, "value": value,
                             "deviation": max(0.0, value - share), "holds": bool(value <= share)})
    failed = sum(not row["holds"] for row in rows)
    problems = problems_of(results)
    notes = divergences_of(results)
    measured = (f"{len(rows)} sizes judged ({failed} fail): "
                + "; ".join(f"{regime.label}: D = {row_d:.3g}" for regime, row_d in
                            ((r, next((row["D"] for row in rows if row["regime"] == r.label),
                                      math.nan)) for r in REGIMES)))
    reason = (str(sq5_compare.__doc__).split("\n\n")[0].replace("\n", " ").strip()
              + " D is the learned-coordinate count of the largest model (seed mean); risks are "
                "geometric seed means over the seeds without a diverged run; sizes between D/2 "
                "and 2D are not judged.")
    if notes:
        reason = "; ".join(notes) + ". " + reason
    if problems:
        reason = "; ".join(problems) + ". " + reason
    outcome = (Outcome.DEVIATES if failed else
               Outcome.INCONCLUSIVE if problems or not rows else Outcome.HOLDS)
    return Verdict(outcome, "risk ≍ M^(1−β) for M < D, flat for M > D (knee at D)", measured,
                   float(max((row["deviation"] for row in rows), default=math.nan)), 0.0,
                   reason, rows)


def sq5_perturb(prediction):
    """No saturation: the risk would follow the approximation error at every size
    (the knee pushed beyond the largest model)."""
    return {**prediction, "knee_scale": math.inf}


def sq5_figure(prediction, results, verdict):
    fig, axes = figure_axes(2)
    for panel, regime in zip(axes, REGIMES):
        sizes, risk, learned, horizon = _size_table(results, regime, KNEE_KIND)
        errorbar_series(panel, sizes, risk, "measured (seed mean, 95 % CI)")
        panel.plot(sizes, approximation_error(regime.beta, sizes), "-", color="C1",
                   label=r"approximation error $\frac{1}{2}\zeta(\beta, M+1)$")
        knee = float(learned[:, -1].mean())
        panel.axvline(knee, color="k", linestyle="--", label=f"D = {knee:.3g} (learned)")
        panel.axvspan(knee / 2, 2 * knee, color="0.85", label="not judged (D/2 … 2D)")
        panel.set(xscale="log", yscale="log", xlabel="model size M", ylabel="excess risk",
                  title=f"SQ-5, {regime.label}, T = {horizon:.3g}")
        panel.legend(fontsize="x-small")
    return fig


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
    conventions="See verify.claims.ding.experiment. Quick: M ∈ {2, …, 256} at T = 10⁴, 6 seeds; "
                "full: M ∈ {2, …, 1024} at T = 10⁵, 10 seeds; all sizes on the same streams.",
    points=sq5_points, measure=measure_sizes, predict=sq5_predict, compare=sq5_compare,
    perturb=sq5_perturb, figure=sq5_figure)

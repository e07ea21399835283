"""Claim SQ-3: the quadratic model beats linear SGD when α > β and matches it
(and the information-theoretic rate) when α ≤ β.

Both models run on the same data streams at every T: the quadratic one at its
fixed step, the linear one at the step that minimises its *exact* expected
risk at that T (:func:`numerics.sgd.linear_expected_risk`), so the baseline is
the best linear SGD with this schedule, not a strawman.  The comparison is of
exponents (:func:`theory.linear_rate`, :func:`theory.lower_bound`,
:func:`theory.separation`): at α > β the paired per-seed slope difference
must be negative (the quadratic risk falls faster), and each model's exponent
must match its prediction; at α ≤ β both must match the information-theoretic
exponent −(β−1)/β.
"""

from __future__ import annotations

import math

import numpy as np

from theory.sgd_scaling import linear_rate, lower_bound, separation
from verify.claim import AuditSpec, Claim, Fidelity

from .experiment import (NOISE, PAPER, REGIMES, SIZES, by_horizon, divergences_of,
                         errorbar_series, exponent_row, exponent_verdict, figure_axes,
                         finite_seeds, linear_alternatives, mean_ci, measure_pair,
                         predicted_exponents, previous_rung, problems_of, regime_of,
                         risk_alternatives, seed_slopes, size_for_horizon, size_window,
                         slope_guide, top_window, window_text)

KIND = "pair"
# The simulated linear runs' seed mean must agree with the exact expected risk to this many
# standard errors (a check of the simulation, not of the claim).  Near its stability limit
# linear SGD's risk is right-skewed: over 10 seeds the sample mean usually sits below the
# expectation (which rare large risks lift) and a t-statistic of 4 is not rare (−4.2 was
# seen at T = 10³); 6, as for the stream check, flags a real disagreement.  The engine
# itself is checked against the exact expectation with 300 seeds in tests/test_sgd.py.
EXPECTATION_Z_LIMIT = 6.0


def point_at(size, regime, horizon):
    spec = SIZES[size]
    return {"kind": KIND, "alpha": regime.alpha, "beta": regime.beta, "noise": NOISE,
            "size": spec.model_size, "horizon": horizon, "seeds": list(spec.seeds)}


def points(size):
    return [point_at(size, regime, horizon) for regime in REGIMES
            for horizon in SIZES[size].horizons]


def predict(size):
    window = size_window(size)
    exponents = {regime.key: predicted_exponents(regime) for regime in REGIMES}
    gap = separation()
    return {"quadratic": {key: e["risk"] for key, e in exponents.items()},
            "quadratic alternatives": {r.key: risk_alternatives(r, window) for r in REGIMES},
            "linear": {key: e["linear"] for key, e in exponents.items()},
            "linear alternatives": {r.key: linear_alternatives(r, window) for r in REGIMES},
            "lower bound": {key: e["lower bound"] for key, e in exponents.items()},
            "gap": {regime.key: -float(gap.part("gap").numpy(alpha=regime.alpha, beta=regime.beta))
                    for regime in REGIMES},
            "formulas": {"linear": str(linear_rate().expr["rate"]),
                         "lower bound": str(lower_bound().expr["rate"]),
                         "gap": str(gap.expr["gap"])}}


def _model(name):
    return lambda measured: measured[name]


def _expectation_z(results):
    """(point, z) of the linear runs' seed mean against their exact expected risk."""
    scores = []
    for point, measured in results:
        risk = np.asarray(measured["linear"], dtype=float)
        risk = risk[np.isfinite(risk)]
        error = risk.std(ddof=1) / math.sqrt(risk.size)
        scores.append((point, (risk.mean() - measured["linear_expected"]) / error))
    return scores


def _simulation_problems(scores):
    return [f"linear SGD's seed mean is {z:.1f} standard errors from its exact expectation at "
            f"T = {point['horizon']} ({regime_of(point).label})"
            for point, z in scores if abs(z) > EXPECTATION_Z_LIMIT]


def compare(prediction, results):
    rows = []
    for regime in REGIMES:
        key = regime.key
        horizons, quadratic = by_horizon(results, regime, KIND, _model("quadratic"))
        _, linear = by_horizon(results, regime, KIND, _model("linear"))
        window = top_window(horizons)
        text = window_text(window)
        quadratic, linear = quadratic[:, -len(window):], linear[:, -len(window):]
        rows.append(exponent_row(f"quadratic, {regime.label}", window, quadratic,
                                 prediction["quadratic"][key],
                                 prediction["quadratic alternatives"][key], text))
        rows.append(exponent_row(f"linear, {regime.label}", window, linear,
                                 prediction["linear"][key], prediction["linear alternatives"][key],
                                 text))
        if prediction["gap"][key] < 0:
            rows.append(_separation_row(regime, window, quadratic, linear, prediction["gap"][key]))
    text = "; ".join(f"{regime.label}: quadratic T^{prediction['quadratic'][regime.key]:.3f}, "
                     f"linear T^{prediction['linear'][regime.key]:.3f}, lower bound "
                     f"T^{prediction['lower bound'][regime.key]:.3f}" for regime in REGIMES)
    scores = _expectation_z(results)
    point, z = max(scores, key=lambda pair: abs(pair[1]))
    check = (f"The simulated linear runs' seed means agree with their exact expectations to "
             f"|z| ≤ {abs(z):.1f} (largest at T = {point['horizon']}, {regime_of(point).label}; "
             f"limit {EXPECTATION_Z_LIMIT:g}).")
    return exponent_verdict(rows, problems_of(results) + _simulation_problems(scores),
                            divergences_of(results) + [check], text,
                            "Both models on the same streams; linear SGD at the step that "
                            "minimises its exact expected risk at each T (tuned over "
                            "2^(−k/2)/tr H, k = 1 … 14). The separation row is the paired "
                            "per-seed difference of the two exponents; it must be negative with "
                            "95 % confidence (its size is reported against the asymptotic gap).")


def _separation_row(regime, window, quadratic, linear, predicted_gap):
    """Quadratic slope − linear slope, paired by seed: negative with 95 % confidence."""
    valid = finite_seeds(quadratic) & finite_seeds(linear)
    label = f"quadratic − linear exponent < 0, {regime.label}"
    if valid.sum() < 3:
        return {"check": label, "window": window_text(window), "asymptotic": predicted_gap,
                "fitted": math.nan, "95 % CI ±": math.nan, "at asymptote": False,
                "deviation": math.nan, "holds": False, "judged": False}
    mean, half = mean_ci(seed_slopes(window, quadratic[valid]) - seed_slopes(window, linear[valid]))
    return {"check": label, "window": window_text(window), "fitted": mean, "95 % CI ±": half,
            "asymptotic": predicted_gap, "finite-size range": "< 0", "seeds used": int(valid.sum()),
            "at asymptote": bool(abs(mean - predicted_gap) <= half),
            "deviation": max(0.0, mean + half), "holds": bool(mean + half < 0), "judged": True}


def perturb(prediction):
    """The two models' predictions swapped: linear faster than quadratic when α > β."""
    return {**prediction, "quadratic": prediction["linear"], "linear": prediction["quadratic"],
            "quadratic alternatives": {key: {} for key in prediction["quadratic"]},
            "linear alternatives": {key: {} for key in prediction["linear"]}}


def figure(prediction, results, verdict):
    fig, axes = figure_axes(2, width=5.4)
    for panel, regime in zip(axes, REGIMES):
        key = regime.key
        horizons, quadratic = by_horizon(results, regime, KIND, _model("quadratic"))
        _, linear = by_horizon(results, regime, KIND, _model("linear"))
        _, expected = by_horizon(results, regime, KIND, lambda m: [m["linear_expected"]])
        top = top_window(horizons)
        for name, values, colour in (("quadratic", quadratic, "C0"), ("linear", linear, "C1")):
            centre = errorbar_series(panel, horizons, values, f"{name} SGD (seed mean, 95 % CI)",
                                     color=colour)
            e = prediction[name][key]
            slope_guide(panel, top, centre[-len(top):], e, f"{name} predicted $T^{{{e:.3f}}}$",
                        color=colour, linestyle="-")
        panel.plot(horizons, expected[0], "x", color="C1", label="linear, exact expectation")
        lb = prediction["lower bound"][key]
        slope_guide(panel, top, np.minimum(quadratic, linear).mean(axis=0)[-len(top):] / 2, lb,
                    f"information-theoretic slope $T^{{{lb:.3f}}}$", color="k", linestyle=":")
        panel.set(xscale="log", yscale="log", xlabel="T (samples = steps)", ylabel="excess risk",
                  title=f"SQ-3, {regime.label}")
        panel.legend(fontsize="x-small")
    return fig


def _gap_audit():
    """Audit: the local paired gap (quadratic − linear exponent between T/√10 and T,
    seed mean) against the predicted gap, at α > β, along the T ladder."""
    regime = REGIMES[0]
    target = predicted_exponents(regime)["risk"] - predicted_exponents(regime)["linear"]

    def ladder(size):
        return list(SIZES[size].horizons[1:])

    def audit_points(value):
        size = size_for_horizon(value)
        return [point_at(size, regime, previous_rung(int(value))), point_at(size, regime, int(value))]

    def deviation(results):
        horizons, quadratic = by_horizon(results, regime, KIND, _model("quadratic"))
        _, linear = by_horizon(results, regime, KIND, _model("linear"))
        valid = finite_seeds(quadratic) & finite_seeds(linear)
        gap = seed_slopes(horizons, quadratic[valid]) - seed_slopes(horizons, linear[valid])
        return abs(float(gap.mean()) - target)

    return AuditSpec(parameter="T (samples)",
                     quantity="|local (quadratic − linear) exponent − predicted gap|, α > β",
                     ladder=ladder, points=audit_points, deviation=deviation)


CLAIM = Claim(
    id="SQ-3", title="quadratic beats linear SGD when α > β, matches it when α ≤ β",
    statement="With α > β the quadratic model's excess risk decays as T^(−2(β−1)/(α+β)), faster "
              "than linear SGD's T^(−(β−1)/α); with α ≤ β both decay as T^(−(β−1)/β), the "
              "information-theoretic rate.",
    source=f"{PAPER}, abstract ('explicit separations … information-theoretical lower bound') "
           "and the TL;DR; rates reconstructed (formula sheet §6)",
    fidelity=Fidelity.RECONSTRUCTED,
    derivation="\n\n".join(p.derivation for p in (linear_rate(), lower_bound(), separation())),
    conventions="See verify.claims.ding.experiment. Both models on the same streams; the linear "
                "step tuned per T by the exact expected risk. Quick: T ∈ {10³, …, 3.2·10⁴}, "
                "M = 256, 6 seeds, exponents over the whole ladder; full: T up to 10⁶, M = 1000, "
                "10 seeds, exponents over the top decade. The simulated linear runs are checked against their exact expectation.",
    points=points, measure=measure_pair, predict=predict, compare=compare, perturb=perturb,
    figure=figure, audit=_gap_audit())

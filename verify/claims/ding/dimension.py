"""Claim SQ-1: the effective dimension D ≍ min{T^{1/max{β,(α+β)/2}}, M}.

Measured as the number of coordinates one-pass SGD on the quadratic model has
learned after T steps (|wᵢ − w*ᵢ| ≤ w*ᵢ/2, :func:`numerics.sgd.learned_coordinates`),
on a T ladder in both regimes, with M large enough that D < M (data-limited).
The two thresholds behind D come from :func:`theory.effective_dimension`: the
time threshold T^{2/(α+β)} binds when α > β, the statistical one T^{1/β} when
α ≤ β.
"""

from __future__ import annotations

import numpy as np

from theory.sgd_scaling import effective_dimension
from verify.claim import Claim, Fidelity

from .experiment import (NOISE, PAPER, REGIMES, SIZES, by_horizon, dimension_alternatives,
                         divergences_of, errorbar_series, exponent_row, exponent_verdict,
                         figure_axes, local_slope_audit, measure_quadratic, predicted_exponents,
                         problems_of, size_window, slope_guide, top_window, window_text)

KIND = "dimension"


def point_at(size, regime, horizon):
    spec = SIZES[size]
    return {"kind": KIND, "alpha": regime.alpha, "beta": regime.beta, "noise": NOISE,
            "size": spec.dimension_size, "horizon": horizon, "seeds": list(spec.seeds)}


def points(size):
    return [point_at(size, regime, horizon) for regime in REGIMES
            for horizon in SIZES[size].horizons]


def predict(size):
    window = size_window(size)
    return {"exponent": {r.key: predicted_exponents(r)["dimension"] for r in REGIMES},
            "alternatives": {r.key: dimension_alternatives(r, window) for r in REGIMES},
            "formula": str(effective_dimension().expr["D"])}


def _learned(measured):
    return measured["learned"]


def compare(prediction, results):
    rows = []
    size = next(point["size"] for point, _ in results)
    for regime in REGIMES:
        horizons, learned = by_horizon(results, regime, KIND, _learned)
        window = top_window(horizons)
        values = learned[:, -len(window):]
        rows.append(exponent_row(f"D ∝ T^e, {regime.label}", window,
                                 np.where(values >= 1, values, np.nan),
                                 prediction["exponent"][regime.key],
                                 prediction["alternatives"][regime.key], window_text(window),
                                 **{"D at the largest T": float(values[:, -1].mean()), "M": size}))
    text = "; ".join(f"{regime.label}: D ∝ T^{prediction['exponent'][regime.key]:.3f}"
                     for regime in REGIMES)
    return exponent_verdict(rows, problems_of(results), divergences_of(results),
                            f"D = {prediction['formula']}: {text}",
                            "Learned coordinates (|wᵢ − w*ᵢ| ≤ w*ᵢ/2) at the end of each run; "
                            "M is far above D at every T (data-limited); a seed that learned no "
                            "coordinate in the window is left out.")


def perturb(prediction):
    """D growing like T^{1/β} in both regimes: the statistical threshold alone
    (ignoring the time threshold, which binds when α > β)."""
    return {**prediction, "exponent": {regime.key: 1 / regime.beta for regime in REGIMES},
            "alternatives": {regime.key: {} for regime in REGIMES}}


def figure(prediction, results, verdict):
    fig, axes = figure_axes(2)
    for panel, regime in zip(axes, REGIMES):
        horizons, learned = by_horizon(results, regime, KIND, _learned)
        centre = errorbar_series(panel, horizons, np.maximum(learned, 0.5),
                                 "learned coordinates (seed mean, 95 % CI)")
        window = top_window(horizons)
        guides = {"asymptotic": prediction["exponent"][regime.key],
                  **prediction["alternatives"][regime.key]}
        for index, (name, e) in enumerate(guides.items()):
            slope_guide(panel, window, centre[-len(window):], e, f"{name}: $T^{{{e:.3f}}}$",
                        linestyle="-" if index == 0 else ":", color=f"C{index + 1}")
        size = next(point["size"] for point, _ in results)
        panel.axhline(size, color="k", linestyle=":", label=f"M = {size}")
        panel.set(xscale="log", yscale="log", xlabel="T (samples = steps)",
                  ylabel="learned coordinates D", title=f"SQ-1, {regime.label}")
        panel.legend(fontsize="small")
    return fig


CLAIM = Claim(
    id="SQ-1", title="effective dimension D ≍ min{T^(1/max{β,(α+β)/2}), M}",
    statement="After T steps of one-pass SGD on the quadratic model, the number of learned "
              "coordinates grows like D ≍ min{T^(2/(α+β)), T^(1/β), M}: the time threshold "
              "T^(2/(α+β)) binds when α > β, the statistical one T^(1/β) when α ≤ β.",
    source=f"{PAPER}: D from the summary's §4; thresholds reconstructed (formula sheet §4)",
    fidelity=Fidelity.SUMMARY,
    derivation=effective_dimension().derivation,
    conventions="See verify.claims.ding.experiment: λᵢ = i^(−α), w*ᵢ = i^((α−β)/2), σ = 1, "
                "v₀ = 10^(−3/2), η = 1/(16 ζ((α+β)/2)), two-phase schedule. Learned: "
                "|wᵢ − w*ᵢ| ≤ w*ᵢ/2. Quick: T ∈ {10³, …, 3.2·10⁴} (half decades), M = 256, "
                "6 seeds, exponents over the whole ladder; full: T up to 10⁶, M = 512, 10 seeds, "
                "exponents over the top decade.",
    points=points, measure=measure_quadratic, predict=predict, compare=compare, perturb=perturb,
    figure=figure,
    audit=local_slope_audit(point_at, KIND, _learned, REGIMES[0],
                            predicted_exponents(REGIMES[0])["dimension"],
                            "|local exponent of D − 2/(α+β)|, α > β (seed mean)"))

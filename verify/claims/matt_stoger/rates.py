"""Claims SM-1, SM-2 and SM-4 of Matt & Stöger (2025): how fast the depth-D flow
limit approaches the ℓ1 interpolant, and what label noise does to that rate.

=====  ==========================================================  ==========================================
claim  statement                                                   measurement
=====  ==========================================================  ==========================================
SM-1   D ≥ 3: ‖β_α − β_ℓ1‖ decreases linearly in α, with limit      exact limits on an α ladder down to 1e-40
       constant ‖e*‖ (abstract; e* reconstructed, sheet §6)         in mpmath; e* by its own convex solve
SM-2   D = 2: ‖β_α − β_ℓ1‖ ≍ α^{1−ρ}, ρ the minimal off-support      the same down to 1e-100; ρ by LP with a
       sup-norm of a dual certificate (abstract; ρ, sheet §4)       certified bracket
SM-4   noise drives ρ → 1: the D = 2 rate flattens, D ≥ 3 stays     ρ and the D = 2 and D = 3 rates at
       linear (Experiment 1, η ∈ {0, 0.03, 0.1, 0.4})               η ∈ {0, 0.03, 0.1, 0.4}, same designs
=====  ==========================================================  ==========================================

The measurement (:mod:`.ladders`) gives, per instance and depth, the gap
‖β_α − β_ℓ1‖₁ at every rung, certified to at least six significant digits.
The *local slope* between successive rungs, d log gap / d log α, is what the
rate claims are about; its approach to the predicted exponent as α → 0 is the
finite-size deviation that the audits follow.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from theory.depth_rates import DEPTH_SYMBOLS, alpha_convention, gap_rate, limit_constant_problem
from verify.claim import AuditSpec, Claim, Fidelity, Outcome, Verdict

from .ladders import (ALPHA_CONVENTION, INSTANCES, fitted_slope, ladder, ladder_point,
                      local_slopes, mean_ci, measure_ladder)

PAPER = "Matt & Stöger 2025 (arXiv:2506.01143)"
SHEET = "shared/formulas/stoger-matt-depth-rates.md"

QUICK = {"seeds": [0, 1, 2], "m": 6, "n": 20}
FULL = {"seeds": list(range(20)), "m": 10, "n": 40}
SM1_DEPTHS = (3, 4)
# The ladders: (smallest log₁₀ α, rungs).  Depth 2 goes deeper: its rate 1 − ρ is only
# reached once α^{ρ−ρ₂} is small (ρ₂ the next off-support |νᵢ| below ρ), and ρ − ρ₂ is
# often 0.01–0.05 on these designs.
SM1_LADDER = {"quick": (-20.0, 8), "full": (-40.0, 30)}
SM2_LADDER = {"quick": (-60.0, 16), "full": (-100.0, 30)}
SLOPE_WINDOW = {"quick": -10.0, "full": -20.0}     # fitted slopes use the rungs α ≤ 10^window

# SM-1: both the local slope at the smallest α and the ratio gap/(α‖e*‖₁) there must be
# within 1e-3 of 1.  The gap is certified to ≥ 6 digits (its error ≤ 1e-6 relative); the
# reconstructed remainder is O(α^{1−2/D}) relative (sheet §6; on A = [1, c] its coefficient
# is c·h_D'(c)/h_D(c) ≲ D/((D−2)(1−ρ)), SM-3), below 1e-3 at α = 1e-20 for D ≥ 3 unless
# 1 − ρ < 1e-3·… — an instance that close to ρ = 1 would show here as a deviation.
SM1_TOLERANCE = 1e-3
SM1_REASON = ("|R − 1| and |s − 1| ≤ 1e-3 at the smallest α, R = gap/(α‖e*‖₁), s the local "
              "slope: the gaps are certified to ≥ 6 significant digits (forward-error "
              "certificate of each limit plus the ℓ1 interpolant's error), and the "
              "reconstructed remainder is O(α^{1−2/D}) relative (sheet §6; coefficient "
              "c·h_D'(c)/h_D(c) on the tight example, SM-3), ≤ 1e-4 at α ≤ 1e-20 for ρ ≤ 0.99")
# SM-2: the local slope at the smallest α within 0.01 of 1 − ρ (two decimals of the
# exponent).  The finite-α deviation comes from off-support coordinates with |νᵢ| < ρ
# whose terms α^{1−|νᵢ|} decay faster by α^{ρ−|νᵢ|}; at 1e-60 (quick) and 1e-100 (full)
# it is ≲ 1e-3 on these designs (the audit follows it along α).
SM2_TOLERANCE = 0.01
SM2_REASON = ("|s − (1 − ρ)| ≤ 0.01 at the smallest α (two decimals of the exponent): ρ is "
              "certified by an LP bracket of width ≤ 1e-9, the gaps to ≥ 6 digits; the "
              "remaining finite-α deviation comes from off-support terms α^{1−|νᵢ|}, |νᵢ| < ρ, "
              "which fall behind the leading α^{1−ρ} like α^{ρ−|νᵢ|} (ρ − ρ₂ is listed per "
              "instance; the audit shows the deviation along α)")


def _rate_value(expression, rho):
    return float(sp.sympify(expression, locals={"rho": DEPTH_SYMBOLS.rho}).subs(DEPTH_SYMBOLS.rho, rho))


def _smallest(measured):
    """(log₁₀ α, gap) at the smallest α of a ladder."""
    k = min(measured["log10_alphas"])
    return k, measured["gaps"][measured["log10_alphas"].index(k)]


def _figure(panels):
    figure = Figure(figsize=(4.8 * panels, 3.9), layout="constrained")
    return figure, figure.subplots(1, panels, squeeze=False).ravel()


def _ladders_of(results, **fixed):
    return [(point, measured) for point, measured in results
            if all(point[key] == value for key, value in fixed.items())]


# =============================================================================
# SM-1: D ≥ 3, linear in α with limit constant e*
# =============================================================================

def sm1_points(size):
    shape = QUICK if size == "quick" else FULL
    smallest, count = SM1_LADDER[size]
    return [ladder_point(seed, depth, 0.0, ladder(smallest, count), shape["m"], shape["n"])
            for depth in SM1_DEPTHS for seed in shape["seeds"]]


def sm1_predict(size):
    return {"rates": {str(depth): str(gap_rate(depth).expr) for depth in SM1_DEPTHS},
            "constant": "‖e*‖₁, e* = argmin_{h ∈ ker X} ⟨s, h_S⟩ + Σ_{i∉S} H_D(hᵢ)",
            "window": SLOPE_WINDOW[size],
            "example": {str(depth): str(limit_constant_problem(depth).expr["‖e*‖₁"])
                        for depth in SM1_DEPTHS}}


def sm1_rows(prediction, results):
    rows = []
    for point, measured in sorted(results, key=lambda pair: (pair[0]["depth"], pair[0]["seed"])):
        rate = _rate_value(prediction["rates"][str(point["depth"])], measured["rho"])
        k, gap = _smallest(measured)
        ratio = gap / (10.0 ** (rate * k) * measured["e_star_l1"])
        _, slope = local_slopes(measured)[-1]
        fitted, half = fitted_slope(measured, prediction["window"])
        rows.append({"depth": point["depth"], "seed": point["seed"], "ρ": measured["rho"],
                     "‖e*‖₁": measured["e_star_l1"], "smallest α": f"1e{k:g}",
                     "gap at smallest α": gap, "R = gap/(α^r‖e*‖₁)": ratio,
                     "|R − 1|": abs(ratio - 1), "local slope s": slope,
                     "predicted rate r": rate, "|s − r|": abs(slope - rate),
                     "fitted slope": fitted, "fitted slope 95 % CI ±": half,
                     "resolved digits (min)": min(measured["resolved_digits"]),
                     "digits": measured["digits"]})
    return rows


def sm1_compare(prediction, results):
    rows = sm1_rows(prediction, results)
    deviation = max(max(row["|R − 1|"], row["|s − r|"]) for row in rows)
    slopes = []
    for depth in SM1_DEPTHS:
        mean, half = mean_ci([row["fitted slope"] for row in rows if row["depth"] == depth])
        slopes.append(f"D = {depth}: {mean:.9f} ± {half:.1e} (predicted "
                      f"{prediction['rates'][str(depth)]})")
    resolved = min(row["resolved digits (min)"] for row in rows)
    measured = (f"{len(rows)} ladders: max |R − 1| = {max(r['|R − 1|'] for r in rows):.2e}, max "
                f"|s − r| = {max(r['|s − r|'] for r in rows):.2e} at the smallest α; fitted slopes "
                f"of log gap on log α over α ≤ 1e{prediction['window']:g} (mean over instances ± "
                f"95 % CI): " + "; ".join(slopes) + f"; gaps resolved to ≥ {resolved:.1f} digits")
    outcome = Outcome.HOLDS if deviation <= SM1_TOLERANCE else Outcome.DEVIATES
    return Verdict(outcome, "‖β_α − β_ℓ1‖₁ = ‖e*‖₁·α^r·(1 + o(1)) with r = "
                   + ", ".join(f"{v} (D = {k})" for k, v in prediction["rates"].items()),
                   measured, deviation, SM1_TOLERANCE, SM1_REASON, rows)


def sm1_perturb(prediction):
    """The depth-2 law for every depth: rate 1 − ρ."""
    return {**prediction, "rates": {key: "1 - rho" for key in prediction["rates"]}}


def sm1_figure(prediction, results, verdict):
    figure, (gaps, ratios) = _figure(2)
    for index, depth in enumerate(SM1_DEPTHS):
        for j, (point, measured) in enumerate(_ladders_of(results, depth=depth)):
            alphas = 10.0 ** np.array(measured["log10_alphas"])
            line, = gaps.loglog(alphas, measured["gaps"], "o", markersize=3, color=f"C{index}",
                                label=f"D = {depth}, measured" if j == 0 else None)
            gaps.loglog(alphas, alphas * measured["e_star_l1"], "-", linewidth=0.8,
                        color=line.get_color(), label="α·‖e*‖₁ (slope 1)" if j == 0 else None)
            ratio = np.array(measured["gaps"]) / (alphas * measured["e_star_l1"])
            ratios.loglog(alphas, np.maximum(np.abs(ratio - 1), 1e-30), "o-", markersize=3,
                          linewidth=0.8, color=line.get_color(),
                          label=f"D = {depth}" if j == 0 else None)
    gaps.set(xlabel="α (end-to-end)", ylabel="‖β_α − β_ℓ1‖₁",
             title="SM-1: gap; lines α‖e*‖₁ (theory)")
    gaps.legend(fontsize="small")
    ratios.axhline(SM1_TOLERANCE, color="k", linestyle="--", linewidth=1, label="tolerance")
    ratios.set(xlabel="α (end-to-end)", ylabel="|gap/(α‖e*‖₁) − 1|",
               title="approach to the limit constant")
    ratios.legend(fontsize="small")
    return figure


# =============================================================================
# SM-2: D = 2, rate 1 − ρ
# =============================================================================

def sm2_points(size):
    shape = QUICK if size == "quick" else FULL
    smallest, count = SM2_LADDER[size]
    return [ladder_point(seed, 2, 0.0, ladder(smallest, count), shape["m"], shape["n"])
            for seed in shape["seeds"]]


def sm2_predict(size):
    return {"rate": str(gap_rate(2).expr), "window": SLOPE_WINDOW[size] * 3,
            "rho": "min{‖(Xᵀμ)_{Sᶜ}‖∞ : X_Sᵀμ = sgn β_ℓ1,S} (LP)"}


def sm2_rows(prediction, results):
    rows = []
    for point, measured in sorted(results, key=lambda pair: pair[0]["seed"]):
        rate = _rate_value(prediction["rate"], measured["rho"])
        k, _ = _smallest(measured)
        _, slope = local_slopes(measured)[-1]
        fitted, half = fitted_slope(measured, prediction["window"])
        rows.append({"seed": point["seed"], "ρ": measured["rho"],
                     "ρ bracket width": measured["rho_bracket"][1] - measured["rho_bracket"][0],
                     "|S|": measured["support_size"], "predicted rate": rate,
                     "smallest α": f"1e{k:g}", "local slope s": slope, "s − rate": slope - rate,
                     "fitted slope": fitted, "fitted slope 95 % CI ±": half,
                     "ρ − ρ₂": measured["rho"] - measured["rho_second"],
                     "resolved digits (min)": min(measured["resolved_digits"]),
                     "digits": measured["digits"]})
    return rows


def sm2_compare(prediction, results):
    rows = sm2_rows(prediction, results)
    deviation = max(abs(row["s − rate"]) for row in rows)
    offsets = [row["fitted slope"] - row["predicted rate"] for row in rows]
    mean, half = mean_ci(offsets)
    measured = (f"{len(rows)} instances (ρ from {min(r['ρ'] for r in rows):.3f} to "
                f"{max(r['ρ'] for r in rows):.3f}): local slope at the smallest α minus the "
                f"predicted rate, max |·| = {deviation:.2e}; fitted slope over α ≤ "
                f"1e{prediction['window']:g} minus the predicted rate: mean {mean:+.2e} ± "
                f"{half:.1e} (95 % CI over instances); gaps resolved to ≥ "
                f"{min(r['resolved digits (min)'] for r in rows):.1f} digits")
    outcome = Outcome.HOLDS if deviation <= SM2_TOLERANCE else Outcome.DEVIATES
    return Verdict(outcome, f"‖β_α − β_ℓ1‖₁ ≍ α^({prediction['rate']}), ρ = {prediction['rho']}",
                   measured, deviation, SM2_TOLERANCE, SM2_REASON, rows)


def sm2_perturb(prediction):
    """The depth-≥3 law at depth 2: rate 1."""
    return {**prediction, "rate": "1"}


def sm2_figure(prediction, results, verdict):
    figure, (gaps, slopes) = _figure(2)
    for index, (point, measured) in enumerate(sorted(results, key=lambda p: p[0]["seed"])):
        color = f"C{index % 10}"
        rate = _rate_value(prediction["rate"], measured["rho"])
        alphas = 10.0 ** np.array(measured["log10_alphas"])
        k, gap = _smallest(measured)
        gaps.loglog(alphas, measured["gaps"], "o", markersize=3, color=color,
                    label="measured" if index == 0 else None)
        gaps.loglog(alphas, gap * (alphas / 10.0 ** k) ** rate, "-", linewidth=0.8, color=color,
                    label="slope 1 − ρ (theory)" if index == 0 else None)
        ks, values = zip(*local_slopes(measured))
        # a legend entry per instance only while the legend stays readable
        slopes.semilogx(10.0 ** np.array(ks), values, "o-", markersize=3, linewidth=0.8,
                        color=color, label=(f"seed {point['seed']}, ρ = {measured['rho']:.3f}"
                                            if len(results) <= 6 else None))
        slopes.axhline(rate, color=color, linestyle="--", linewidth=0.8)
    gaps.set(xlabel="α (end-to-end)", ylabel="‖β_α − β_ℓ1‖₁",
             title="SM-2: D = 2 gap vs α; lines: slope 1 − ρ")
    gaps.legend(fontsize="small")
    slopes.set(xlabel="α (end-to-end)", ylabel="local slope d log gap / d log α",
               title="local slope (markers) vs 1 − ρ (dashed), per instance")
    if len(results) <= 6:
        slopes.legend(fontsize="x-small")
    return figure


# --- SM-2 audit: the local slope's approach to 1 − ρ ------------------------------------------

AUDIT_SPAN = 4.0            # decades over which the audit's local slope is taken
AUDIT_SEEDS = QUICK["seeds"]


def sm2_audit_ladder(size):
    """1/α at 1e-10, 1e-18, … (down to 1e-58 quick, 1e-98 full)."""
    deepest = 58 if size == "quick" else 98
    return [10.0 ** e for e in range(10, deepest + 1, 8)]


def sm2_audit_points(value):
    """The quick designs' D = 2 limits at α = 1/value and 10^4/value: the local slope
    over the last four decades into the rung."""
    k = -round(math.log10(value))
    return [ladder_point(seed, 2, 0.0, [k + AUDIT_SPAN, k], QUICK["m"], QUICK["n"])
            for seed in AUDIT_SEEDS]


def sm2_audit_deviation(results):
    """Median over the instances of |s − (1 − ρ)|, s the local slope into the deepest rung."""
    return float(np.median([abs(local_slopes(measured)[-1][1] - (1 - measured["rho"]))
                            for _, measured in results]))


# =============================================================================
# SM-4: label noise drives ρ → 1
# =============================================================================

NOISES = (0.0, 0.03, 0.1, 0.4)
SM4 = {"quick": {"seeds": [0, 1], "m": 6, "n": 20, "ladders": {2: (-40.0, 8), 3: (-30.0, 6)}},
       "full": {"seeds": list(range(8)), "m": 10, "n": 40,
                "ladders": {2: (-100.0, 20), 3: (-40.0, 15)}}}


def sm4_points(size):
    spec = SM4[size]
    return [ladder_point(seed, depth, noise, ladder(*spec["ladders"][depth]), spec["m"], spec["n"])
            for noise in NOISES for depth in (2, 3) for seed in spec["seeds"]]


def sm4_predict(size):
    return {"direction": 1, "shallow rate": str(gap_rate(2).expr),
            "deep rate": str(gap_rate(3).expr),
            "statements": ["the median ρ over the instances is larger at every η > 0 than at η = 0",
                           "so the median depth-2 exponent (local slope at the smallest α) is "
                           "smaller at every η > 0 than at η = 0: the rate flattens",
                           "the depth-3 exponent is 1 at every η (within SM-1's 1e-3)"]}


def _sm4_table(results):
    table = defaultdict(dict)      # (η, seed) → {"rho": …, 2: slope, 3: slope}
    for point, measured in results:
        entry = table[(point["noise"], point["seed"])]
        entry["rho"] = measured["rho"]
        entry[point["depth"]] = local_slopes(measured)[-1][1]
        entry[f"support {point['depth']}"] = measured["support_size"]
    return table


def sm4_compare(prediction, results):
    table = _sm4_table(results)
    sign = prediction["direction"]
    medians = {noise: {"rho": float(np.median([e["rho"] for (eta, _), e in table.items()
                                               if eta == noise])),
                       "slope": float(np.median([e[2] for (eta, _), e in table.items()
                                                 if eta == noise]))} for noise in NOISES}
    rows = []
    for noise in NOISES[1:]:
        rows.append({"inequality": f"median ρ(η = {noise:g}) − median ρ(0) > 0", "η": noise,
                     "value": medians[noise]["rho"] - medians[0.0]["rho"],
                     "holds": bool(sign * (medians[noise]["rho"] - medians[0.0]["rho"]) > 0)})
        rows.append({"inequality": f"median s₂(0) − median s₂(η = {noise:g}) > 0", "η": noise,
                     "value": medians[0.0]["slope"] - medians[noise]["slope"],
                     "holds": bool(sign * (medians[0.0]["slope"] - medians[noise]["slope"]) > 0)})
    for (noise, seed), entry in sorted(table.items()):
        rate = _rate_value(prediction["deep rate"], entry["rho"])
        rows.append({"inequality": f"|s₃ − {prediction['deep rate']}| ≤ {SM1_TOLERANCE:g}",
                     "η": noise, "seed": seed, "value": abs(entry[3] - rate),
                     "holds": bool(abs(entry[3] - rate) <= SM1_TOLERANCE), "ρ": entry["rho"],
                     "s₂": entry[2], "1 − ρ": 1 - entry["rho"], "s₃": entry[3],
                     "|S|": entry["support 2"]})
    failed = sum(not row["holds"] for row in rows)
    measured = ("median ρ by η: " + ", ".join(f"{noise:g}: {medians[noise]['rho']:.3f}"
                                               for noise in NOISES)
                + "; median depth-2 local slope at the smallest α: "
                + ", ".join(f"{noise:g}: {medians[noise]['slope']:.3f}" for noise in NOISES)
                + f"; depth-3 slopes: max |s₃ − 1| = "
                  f"{max(abs(e[3] - 1) for e in table.values()):.1e}; {failed} of {len(rows)} "
                  "inequalities fail")
    reason = ("each inequality must hold (no tolerance: they are the claim's directions); the "
              "medians are over the same designs at each η (one design and one noise direction "
              "per seed, scaled by η), so the comparison is paired; the depth-3 exponent is "
              f"judged as in SM-1 ({SM1_TOLERANCE:g})")
    outcome = Outcome.HOLDS if failed == 0 else Outcome.DEVIATES
    return Verdict(outcome, "; ".join(prediction["statements"]), measured, float(failed), 0.0,
                   reason, rows)


def sm4_perturb(prediction):
    """Noise drives ρ down (the depth-2 rate steepens) and depth 3 follows the depth-2 law."""
    return {**prediction, "direction": -1, "deep rate": "1 - rho"}


def sm4_figure(prediction, results, verdict):
    table = _sm4_table(results)
    figure, (rho_panel, shallow, curves) = _figure(3)
    seeds = sorted({seed for _, seed in table})
    for index, seed in enumerate(seeds):
        color = f"C{index % 10}"
        rhos = [table[(noise, seed)]["rho"] for noise in NOISES]
        rho_panel.plot(NOISES, rhos, "o-", color=color, markersize=4, linewidth=0.8)
        shallow.plot(NOISES, [table[(noise, seed)][2] for noise in NOISES], "o", color=color,
                     markersize=4, label="D = 2, measured" if index == 0 else None)
        shallow.plot(NOISES, [1 - rho for rho in rhos], "_", color=color, markersize=12,
                     label="1 − ρ (theory)" if index == 0 else None)
        shallow.plot(NOISES, [table[(noise, seed)][3] for noise in NOISES], "s", color=color,
                     markersize=4, fillstyle="none", label="D = 3, measured" if index == 0 else None)
    rho_panel.set(xlabel="noise level η", ylabel="ρ (LP)", title="SM-4: ρ vs η (one line per design)")
    shallow.axhline(1, color="k", linestyle="--", linewidth=1, label="1 (theory, D ≥ 3)")
    shallow.set(xlabel="noise level η", ylabel="local slope at the smallest α",
                title="rates vs η")
    shallow.legend(fontsize="x-small")
    first = seeds[0]
    for index, noise in enumerate(NOISES):
        for point, measured in _ladders_of(results, seed=first, noise=noise, depth=2):
            curves.loglog(10.0 ** np.array(measured["log10_alphas"]), measured["gaps"], "o-",
                          markersize=3, linewidth=0.8, color=f"C{index}",
                          label=f"η = {noise:g}, ρ = {measured['rho']:.3f}")
    curves.set(xlabel="α (end-to-end)", ylabel="‖β_α − β_ℓ1‖₁",
               title=f"Experiment 1 (D = 2), design {first}")
    curves.legend(fontsize="x-small")
    return figure


# =============================================================================
# The claims
# =============================================================================

def _derivation(*predictions):
    return "\n\n".join(f"{p.name} [{p.fidelity}; {p.source}]: {p.derivation}" for p in predictions)


_SIZES = ("Quick: m = 6, n = 20, seeds 0–2; full: m = 10, n = 40, 20 seeds; sparsity 2, "
          "noiseless. Exact limits by numerics.dln_limits in mpmath at the digits "
          "numerics.resolving_precision picks for the smallest α (gap resolved to ≥ 6 digits, "
          "checked by the forward-error certificate, with 20 more digits where it is not); "
          "β_ℓ1 by numerics.min_l1_interpolant at the same precision. The gap "
          "is measured in ℓ1 (the paper's norm is not available; the exponents do not depend "
          "on it).")

CLAIMS = [
    Claim(
        id="SM-1", title="depth D ≥ 3: the gap to β_ℓ1 is linear in α, with constant ‖e*‖",
        statement="For D ≥ 3, ‖β_α − β_ℓ1‖ decreases linearly in the (end-to-end) initialisation "
                  "scale α; reconstructed: (β_α − β_ℓ1)/α → e*, the minimiser of "
                  "⟨sgn β_ℓ1,S, h_S⟩ + Σ_{i∉S} H_D(hᵢ) over ker X (H_D' = h_D⁻¹).",
        source=f"{PAPER}, abstract (rate); {SHEET} §6 (e*)", fidelity=Fidelity.RECONSTRUCTED,
        derivation=_derivation(gap_rate(3), limit_constant_problem(3), alpha_convention()),
        conventions=f"{ALPHA_CONVENTION} {INSTANCES} D = 3, 4. {_SIZES} Ladders: α from 1e-2 "
                    "down to 1e-20 (8 rungs, quick) or 1e-40 (30 rungs, full). e* by "
                    "numerics.null_space.depth_limit_constant (Newton on the dual, certified "
                    "stationarity ≤ 1e-12).",
        points=sm1_points, measure=measure_ladder, predict=sm1_predict, compare=sm1_compare,
        perturb=sm1_perturb, figure=sm1_figure),
    Claim(
        id="SM-2", title="depth 2: the gap to β_ℓ1 decays like α^{1−ρ}",
        statement="For D = 2, ‖β_α − β_ℓ1‖ ≍ α^{1−ρ} with ρ ∈ [0, 1) a null-space-property-type "
                  "constant; reconstructed: ρ = min{‖(Xᵀμ)_{Sᶜ}‖∞ : X_Sᵀμ = sgn β_ℓ1,S} = "
                  "max_{h ∈ ker X} ⟨−sgn β_ℓ1,S, h_S⟩/‖h_{Sᶜ}‖₁.",
        source=f"{PAPER}, abstract (rate); {SHEET} §4–§5 (ρ)", fidelity=Fidelity.RECONSTRUCTED,
        derivation=_derivation(gap_rate(2), gap_rate(2, "per_factor")),
        conventions=f"{ALPHA_CONVENTION} {INSTANCES} {_SIZES} Ladders: α from 1e-2 down to 1e-60 "
                    "(16 rungs, quick) or 1e-100 (30 rungs, full). ρ by "
                    "numerics.null_space.certificate_constant (HiGHS, bracket ≤ 1e-9).",
        points=sm2_points, measure=measure_ladder, predict=sm2_predict, compare=sm2_compare,
        perturb=sm2_perturb, figure=sm2_figure,
        audit=AuditSpec(parameter="1/α",
                        quantity="median |local slope − (1 − ρ)|, D = 2 (3 designs)",
                        ladder=sm2_audit_ladder, points=sm2_audit_points,
                        deviation=sm2_audit_deviation)),
    Claim(
        id="SM-4", title="label noise drives ρ → 1: the depth-2 rate flattens, depth 3 stays linear",
        statement="With noisy labels y = Xβ₀ + ηξ (Experiment 1: D = 2, η ∈ {0, 0.03, 0.1, 0.4}) "
                  "the constant ρ moves towards 1, so the depth-2 rate α^{1−ρ} flattens, while "
                  "the depth-3 rate stays linear in α.",
        source=f"{PAPER}, Experiment 1 (figure caption, truncated); {SHEET} §4, §8.3",
        fidelity=Fidelity.RECONSTRUCTED,
        derivation=_derivation(gap_rate(2), gap_rate(3)),
        conventions=f"{ALPHA_CONVENTION} {INSTANCES} η ∈ {{0, 0.03, 0.1, 0.4}}, the same design "
                    "and noise direction per seed at every η. Quick: m = 6, n = 20, seeds 0–1; "
                    "full: m = 10, n = 40, 8 seeds. D = 2 ladders to 1e-40 (quick) / 1e-100 "
                    "(full), D = 3 to 1e-30 / 1e-40. The paper's dimensions and noise "
                    "normalisation are not available.",
        points=sm4_points, measure=measure_ladder, predict=sm4_predict, compare=sm4_compare,
        perturb=sm4_perturb, figure=sm4_figure),
]

"""The measurement of SM-1 and SM-2: :func:`numerics.alpha_ladders.gap_ladder` (exact
limits down an α ladder, the gap to β_ℓ1 resolved to RESOLVED_DIGITS) on the SM designs.
A depth-2 ``resolve`` ladder goes deeper while its local slope is not within (ρ − ρ₂)/4
of 1 − ρ: the terms α^{1−|νᵢ|} with ρ₂ ≤ |νᵢ| < ρ fade only like α^{ρ−ρ₂} (sheet §4).
"""

from __future__ import annotations

import math

import numpy as np

from numerics.alpha_ladders import gap_ladder
from verify.claims.common import Uncertified

PAPER = "Matt & Stöger 2025 (arXiv:2506.01143)"
SHEET = "docs/derivations/stoger-matt-depth-rates.md"
CONVENTION = "end_to_end"
RESOLVED_DIGITS = 6          # the gap must be resolved to at least this many digits
DEEPER = (-150.0, -300.0, -600.0, -1200.0)   # log₁₀ α: how a depth-2 ladder goes deeper
_GRID = 2.0 ** -24           # X's entries are multiples of this (exact products with ±1)

ALPHA_CONVENTION = (f"α is the end-to-end scale (Matt & Stöger, as reconstructed in {SHEET} "
                    "§2): each branch starts at α, i.e. the factors at α^{1/D} (dln_limit(..., "
                    "convention='end_to_end')); a per-factor scale α₀ (Woodworth et al.) is "
                    "α = α₀^D.")
INSTANCES = ("Instances: X with i.i.d. N(0, 1/m) entries rounded to multiples of 2⁻²⁴ (the "
             "noiseless y = Xβ₀ is exact in every precision), β₀ with s entries ±1, "
             "y = Xβ₀ + η·N(0, I_m).")


def instance(point):
    """(X, y, planted support) of a point's seed, m, n, sparsity and noise η; X, β₀ and
    the noise come from three streams of the seed."""
    design_rng, support_rng, noise_rng = np.random.default_rng(point["seed"]).spawn(3)
    m, n, s = point["m"], point["n"], point["sparsity"]
    X = np.round(design_rng.standard_normal((m, n)) / math.sqrt(m) / _GRID) * _GRID
    signs = support_rng.choice([-1.0, 1.0], size=s)      # drawn first: instances as before
    planted = support_rng.choice(n, size=s, replace=False)
    beta = np.zeros(n)
    beta[planted] = signs
    return X, X @ beta + point["noise"] * noise_rng.standard_normal(m), sorted(planted.tolist())


def ladder(smallest, count):
    """``count`` values of log₁₀ α equally spaced from −2 down to ``smallest``."""
    return [round(float(k), 6) for k in np.linspace(-2.0, smallest, count)]


def ladder_point(seed, depth, noise, log10_alphas, m=10, n=40, sparsity=2, resolve=False):
    return {"seed": seed, "depth": depth, "noise": noise, "m": m, "n": n, "sparsity": sparsity,
            "log10_alphas": [float(k) for k in log10_alphas],
            **({"resolve": True} if resolve else {})}


def measure_ladder(point):
    """log₁₀ ‖β_α − β_ℓ1‖₁ along the ladder (certified), with ρ, ρ₂, e* and diagnostics."""
    X, y, planted = instance(point)
    ks = list(point["log10_alphas"])
    measured = _ladder(X, y, point["depth"], ks)
    while point.get("resolve") and ks[-1] > DEEPER[-1]:
        slope = (measured["log10_gaps"][-1] - measured["log10_gaps"][-2]) / (ks[-1] - ks[-2])
        if abs(slope - (1 - measured["rho"])) <= (measured["rho"] - measured["rho_second"]) / 4:
            break
        # two deeper rungs, solved as a ladder of their own at the precision they need
        deeper = next(k for k in DEEPER if k < ks[-1])
        extra = _ladder(X, y, point["depth"], [round(0.8 * deeper, 6), deeper])
        ks += [round(0.8 * deeper, 6), deeper]
        for key in ("log10_gaps", "resolved_digits"):
            measured[key] += extra[key]
        measured.update(digits=extra["digits"], log10_prefactors=extra["log10_prefactors"])
    measured.update(log10_alphas=ks, planted_recovered=measured["support"] == planted)
    return measured


def _ladder(X, y, depth, ks):
    ladder = gap_ladder(X, y, depth, ks, digits=RESOLVED_DIGITS, convention=CONVENTION)
    if not ladder.ok:
        raise Uncertified(ladder.message)
    return dict(ladder.data)


def crossover(measured):
    """log₁₀ α below which the leading term outweighs the competing ones together:
    Σ cᵢ α^{ρ−|νᵢ|} = c_lead over the off-support |νᵢ| < ρ (None when the leading term
    dominates already at α = 1)."""
    rho = measured["rho"]
    lead = sum(10.0 ** c for nu, c in measured["log10_prefactors"] if nu >= rho - 1e-9)
    rest = [(rho - nu, c) for nu, c in measured["log10_prefactors"] if nu < rho - 1e-9]

    def excess(log_alpha):      # log₁₀(Σ competing / leading) at α = 10^log_alpha (log-sum-exp)
        logs = [c + gap * log_alpha for gap, c in rest]
        top = max(logs)
        return top + math.log10(sum(10.0 ** (v - top) for v in logs)) - math.log10(lead)

    if lead == 0 or not rest or excess(0.0) <= 0:
        return None
    low, high = -1e5, 0.0           # bisection in log α (excess falls as α does)
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (low, middle) if excess(middle) > 0 else (middle, high)
    return (low + high) / 2


def diagnose(results):
    """Recovery failures and the crossover α of each instance, one line each."""
    notes = []
    for point, measured in results:
        where = f"seed {point['seed']}, D = {point['depth']}, η = {point['noise']:g}"
        if measured["support_size"] == point["m"] and not measured["planted_recovered"]:
            notes.append(f"{where}: recovery failure — |S| = m = {point['m']}, the planted "
                         f"support is not recovered")
        cross = crossover(measured) if point["depth"] == 2 else None
        if cross is not None:
            notes.append(f"{where}: ρ − ρ₂ = {measured['rho'] - measured['rho_second']:.4f}; "
                         f"the leading term α^(1−ρ) dominates only below α ≈ 1e{cross:.0f}; "
                         f"ladder measured to 1e{min(measured['log10_alphas']):g}")
    return notes

"""ZL-10 (exploratory): n⋆ and r⋆ under anisotropic, correlated and heavy-tailed
designs (Zhang & Louis 2025, open question of the future-directions section).

The ZL-3/ZL-4 measurements run unchanged on three other designs
(:data:`.curves.DESIGNS`) next to the isotropic one, each held to the
*isotropic* prediction: "the isotropic laws carry over" is the null hypothesis
being probed, not a claim of the paper.
"""

from __future__ import annotations

from verify.kinds import Checks

from .curves import (DESIGNS, PAPER, braces, by_experiment, certificates, key_text, law_rows,
                     measure_sweep, sizes_text, sweep_curves, sweep_point, without_m_q)

ZL10 = {"quick": {"d": 600, "ps": (1.3,), "seeds": 4},
        "full": {"d": 2000, "ps": (1.3, 1.5), "seeds": 8}}


def zl10_points(size):
    grid = ZL10[size]
    return [sweep_point(p=p, d=grid["d"], n_min=10, n_max=grid["d"] // 2, count=16,
                        rs=[1.0, p], seed=seed, design_name=name)
            for p in grid["ps"] for name in DESIGNS for seed in range(grid["seeds"])]


# Bespoke: the elbow and the regime slopes of ZL-3/ZL-4 judged on one sweep per design.
def zl10_rows(results):
    return [row for key, (ns, ds, runs) in by_experiment(results).items()
            for row in law_rows(key, ns, ds, runs, sorted(float(r) for r in runs[0]["norms"]),
                                f"{key_text(key)}: elbow of ‖ŵ_p‖_p",
                                lambda star, key=key: star * without_m_q(key[1], key[3]),
                                design=key[0], p=key[1])], []


def zl10_measurement(rows, results):
    deformed = sorted({row.columns["design"] for row in rows if not row.holds})
    elbows = "; ".join(f"{r.at}: n_fit/n⋆ = {r.columns['fit / predicted']:.2f}" for r in rows
                       if "fitted break" in r.columns)
    return f"{elbows}; designs where a row deviates: {', '.join(deformed) or 'none'}"


_DESIGNS_TEXT = "; ".join(f"{name}: {text}" for name, text in DESIGNS.items())

ZL10_CHECKS = Checks(
    id="ZL-10", title="exploratory: n⋆ and r⋆ under other designs",
    statement="Open question: how n⋆ and r⋆ deform under anisotropic, correlated and heavy-tailed "
              "designs. Probed here: do the isotropic elbow and exponents carry over?",
    source=f"{PAPER}, future directions (open question); summary, Open Question 1",
    fidelity="summary",
    derivation="No derivation: the isotropic predictions of ZL-3 and ZL-4 "
               "(theory.norm_scaling) serve as the null hypothesis.",
    conventions=f"w⋆ = e₁, σ = 0; designs: {_DESIGNS_TEXT}. Nested sweeps as in ZL-3/ZL-4. "
                + sizes_text(ZL10, lambda g: f"d = {g['d']}, p ∈ {braces(g['ps'])}, "
                                             f"{g['seeds']} seeds"),
    points=zl10_points, measure=measure_sweep, rows=zl10_rows, measurement=zl10_measurement,
    curves=sweep_curves,
    prediction="the isotropic laws carry over: elbow at n⋆ (Eq. 3), exponents of Thm 3.1 (bulk "
               "1/2, fixed-d window −1/(2(p−1)), plateau 0)",
    reason=lambda results: "exploratory: every design is held to the isotropic prediction with "
                           "the tolerances of ZL-3 (elbow: bootstrap over seeds + theory's window "
                           "bias) and ZL-4 (slopes: 95 % CI over seeds + theory's finite-window "
                           f"correction). Designs: {_DESIGNS_TEXT}. {certificates(results)}",
    alternative="the isotropic laws with n⋆ without m_q (Eq. 3 as the summary prints it)")

CLAIMS = [ZL10_CHECKS.to_claim()]

"""KR-11, KR-13 (matrix completion: §6, Fig. 3; App. D's nuclear-norm remark) and
KR-12 (ReLU networks, §7, Fig. 4a–b, an Ordering of paired margins): the
kernel→rich transition beyond diagonal networks (Woodworth et al. 2020).
"""

from __future__ import annotations

import math

import numpy as np

from numerics import Status
from numerics.matrix_completion import (factorized_gradient_flow, min_frobenius_completion,
                                        min_nuclear_norm_completion, tangent_kernel_completion)
from numerics.relu_networks import (gradient_distance, he_uniform_weights, network_outputs,
                                    relu_gradient_descent, tangent_features)
from verify.claims.common import certified, log_floor, panels
from verify.kinds import Ordering, Row, assemble
from verify.kinds.base import Kind, judged

PAPER = "Woodworth et al. 2020"
# "An order of magnitude": the rich regime generalises, the kernel regime does not (as KR-10).
REGIME_FACTOR = 10.0

# =============================================================================
# KR-11 and KR-13: matrix completion (§6, Fig. 3, App. D)
# =============================================================================

DIM, OBSERVED = 10, 60
# A limit is reached within 1 % of ‖M* − M_K‖ (how far apart the regimes' answers are):
# 1e6 above the flow's error (relative residual 1e-10, rtol 1e-10) and the limits' rounding.
LIMIT_FRACTION = 0.01
FLOW_TOL = 1e-10
# Distances and moves below this are the flow's integration error, not a trend.
APPROACH_FLOOR = 1e-8
# §6: U0 = V0 ∝ I has the delta kernel, so M_K is the minimum-Frobenius completion, up to
# the 60×60 kernel solve's rounding.
DELTA_KERNEL_TOL = 1e-12


def completion_instance(seed):
    """(M*, Ω) of Fig. 3: M* = u*v*ᵀ with u*, v* ~ N(0, I₁₀), Ω = 60 of the 100 entries
    drawn uniformly without replacement (two streams of ``seed``)."""
    truth_rng, mask_rng = np.random.default_rng(seed).spawn(2)
    u, v = truth_rng.standard_normal((2, DIM))
    mask = np.zeros(DIM * DIM, dtype=bool)
    mask[mask_rng.choice(DIM * DIM, size=OBSERVED, replace=False)] = True
    return np.outer(u, v), mask.reshape(DIM, DIM)


def initial_factors(init, k, seed):
    """Unbiased unit-scale factors (Ū₀V̄₀ᵀ = 0): ``"identity"`` [I, −I], [I, I] (Fig. 3a,
    width 2d); ``"gaussian"`` [Ū, −Ū], [V̄, V̄], Ū, V̄ ∈ ℝ^{d×k} i.i.d. N(0, 1) from the
    stream (seed, k) (Fig. 3b, width 2k)."""
    if init == "identity":
        eye = np.eye(DIM)
        return np.hstack([eye, -eye]), np.hstack([eye, eye])
    u_bar, v_bar = np.random.default_rng([seed, k]).standard_normal((2, DIM, k))
    return np.hstack([u_bar, -u_bar]), np.hstack([v_bar, v_bar])


def flow_end(seed, init, k, log10_alpha):
    """M(∞) of gradient flow on ½‖P_Ω(UVᵀ) − y‖² from α·(Ū₀, V̄₀), certified, and the flow."""
    truth, mask = completion_instance(seed)
    u0, v0 = initial_factors(init, k, seed)
    alpha = 10.0 ** log10_alpha
    flow = factorized_gradient_flow(mask, truth, alpha * u0, alpha * v0, tol=FLOW_TOL,
                                    rtol=FLOW_TOL)
    return certified(flow, f"gradient flow at α = 1e{log10_alpha:g}"), flow


def kr11_points(size):
    if size == "quick":
        seeds, ks, alphas, gaussian_seeds = [0, 1, 2], [5, 100], [-4.0, -3.5, 1.0, 1.5], [0]
    else:
        seeds = gaussian_seeds = [0, 1, 2]
        ks, alphas = [5, 20, 100, 1000], [k / 2 for k in range(-11, 4)]
    points = [{"kind": "limits", "seed": seed, "ks": ks if seed in gaussian_seeds else []}
              for seed in seeds]
    for seed in seeds:
        starts = [("identity", 2 * DIM)] + [("gaussian", k) for k in ks if seed in gaussian_seeds]
        points += [{"kind": "flow", "seed": seed, "init": init, "k": k, "log10_alpha": a}
                   for init, k in starts for a in alphas]
    return points


def measure_completion(point):
    """A flow point: M(∞) and the conserved quantity's drift.  A limits point: the
    minimum-Frobenius completion and the tangent-kernel completion of every start."""
    truth, mask = completion_instance(point["seed"])
    if point["kind"] == "flow":
        value, flow = flow_end(point["seed"], point["init"], point["k"], point["log10_alpha"])
        return {"M": value.tolist(), "invariant_drift": flow.certificate.details["invariant_drift"]}
    starts = {"identity": initial_factors("identity", 0, 0)}
    starts.update({f"gaussian k = {k}": initial_factors("gaussian", k, point["seed"])
                   for k in point["ks"]})
    return {"frobenius": min_frobenius_completion(mask, truth).value.tolist(),
            "kernel": {case: certified(tangent_kernel_completion(mask, truth, *factors),
                                       f"tangent kernel ({case})").tolist()
                       for case, factors in starts.items()}}


def _completion_curves(results):
    """{(seed, case): curves along α}: Fig. 3's error Σ_{ij∉Ω}(M* − M)², the change
    Σ_{ij∉Ω}M² of the unobserved entries (M(0) = 0), and the distances to M* and M_K in
    units of ‖M* − M_K‖; and {seed: limits}."""
    limits = {p["seed"]: m for p, m in results if p["kind"] == "limits"}
    flows = {}
    for point, measured in sorted(((p, m) for p, m in results if p["kind"] == "flow"),
                                  key=lambda pair: pair[0]["log10_alpha"]):
        case = "identity" if point["init"] == "identity" else f"gaussian k = {point['k']}"
        flows.setdefault((point["seed"], case), []).append((point["log10_alpha"],
                                                            np.array(measured["M"])))
    curves = {}
    for (seed, case), ladder in sorted(flows.items()):
        truth, mask = completion_instance(seed)
        kernel = np.array(limits[seed]["kernel"][case])
        scale = float(np.linalg.norm(truth - kernel))
        curves[(seed, case)] = {
            "log10_alpha": [a for a, _ in ladder],
            "error": [float(np.sum((truth - M)[~mask] ** 2)) for _, M in ladder],
            "change": [float(np.sum(M[~mask] ** 2)) for _, M in ladder],
            "to planted": [float(np.linalg.norm(M - truth)) / scale for _, M in ladder],
            "to kernel": [float(np.linalg.norm(M - kernel)) / scale for _, M in ladder]}
    return curves, limits


KR11_STATEMENTS = [
    "α → 0: M(∞) → M*, the planted rank-one matrix (rich regime; §6, Fig. 3)",
    "α → ∞: M(∞) → the tangent kernel's minimum-RKHS-norm completion (§3), which is argmin "
    "‖M‖_F (unobserved entries 0) for U₀ = V₀ ∝ I (§6)",
    "Fig. 3(i): the error on unobserved entries is small for small α and large for large α",
    "Fig. 3(ii): for U₀ = V₀ ∝ I large α leaves the unobserved entries untouched; for Gaussian "
    "factors their change at large α shrinks as k grows"]


class Completion(Kind):
    """KR-11: two limits at the two ends of α ladders plus Fig. 3's orderings, per seed and
    start; no kind judges that combination.  The alternative swaps the regimes (M_K as
    α → 0, M* as α → ∞) and reverses every ordering."""

    def predict(self, size):
        return {"statements": KR11_STATEMENTS, "judge": "claim"}

    def compare(self, prediction, results):
        curves, limits = _completion_curves(results)
        swapped = judged(prediction) == "alternative"
        ends = {"0": ("to planted", "to kernel"), "∞": ("to kernel", "to planted")}
        rows, sizes = [], {}
        for (seed, case), curve in curves.items():
            at = f"seed {seed}, {case}"
            for end, (name, other) in ends.items():
                name, other = (other, name) if swapped else (name, other)
                last, before = (0, 1) if end == "0" else (-1, -2)
                distance = curve[name]
                rows.append(Row(f"{at}: α → {end}, ‖M − limit‖/‖M* − M_K‖", distance[last],
                                LIMIT_FRACTION, curve[other][last]))
                rows.append(Row(f"{at}: α → {end}, still approaching (its last step's move away)",
                                max(distance[last] - distance[before], 0.0), APPROACH_FLOOR))
            error, change = curve["error"], curve["change"]
            ratio = error[-1] / error[0]      # Fig. 3(i): ≥ 10 (≤ 1/10 reversed)
            rows.append(Row(f"{at}: Fig. 3(i), {REGIME_FACTOR:g} × error at the smallest α / at "
                            "the largest", REGIME_FACTOR * (ratio if swapped else 1 / ratio), 1.0))
            if case == "identity":
                ratio = change[0] / max(change[-1], 1e-300)
                rows.append(Row(f"{at}: Fig. 3(ii), {REGIME_FACTOR:g} × unobserved change at the "
                                "largest α / at the smallest",
                                REGIME_FACTOR * (ratio if swapped else 1 / ratio), 1.0))
                kernel = np.array(limits[seed]["kernel"][case])
                rows.append(Row(f"{at}: §6, M_K = argmin ‖M‖_F (max entry difference, relative)",
                                float(np.max(np.abs(kernel - np.array(limits[seed]["frobenius"])))
                                      / np.max(np.abs(kernel))), DELTA_KERNEL_TOL))
            else:
                sizes.setdefault(seed, []).append((int(case.split("= ")[1]), change[-1]))
        for seed, by_k in sorted(sizes.items()):
            for (k, change), (k_next, change_next) in zip(sorted(by_k), sorted(by_k)[1:]):
                ratio = change_next / change      # Fig. 3(ii): falls with k (rises reversed)
                rows.append(Row(f"seed {seed}: Fig. 3(ii), unobserved change at the largest α, "
                                f"k = {k_next} over k = {k}", 1 / ratio if swapped else ratio, 1.0))
        drift = max((m["invariant_drift"] for p, m in results if p["kind"] == "flow"),
                    default=math.nan)
        return assemble(
            rows, prediction="; ".join(prediction["statements"]),
            measurement=f"{sum(p['kind'] == 'flow' for p, _ in results)} gradient flows (worst "
                        f"conserved-quantity drift {drift:.1e})",
            reason=f"limits: at the end of the α ladder the flow must be within "
                   f"{LIMIT_FRACTION:g}·‖M* − M_K‖ of the limit and not move away from it by more "
                   f"than {APPROACH_FLOOR:g} (the integration floor); the numerical errors are "
                   f"≥ 1e6 times smaller. Fig. 3: orderings by the factor {REGIME_FACTOR:g} (an "
                   "order of magnitude, as KR-10); the Gaussian change at the largest α must fall "
                   "as k grows",
            alternative="the regimes swapped: the kernel completion M_K as α → 0 and the planted "
                        "M* as α → ∞")

    def draw(self, prediction, results, verdict):
        """Fig. 3(i)–(ii) and the distances to both limits along α (first seed)."""
        curves, _ = _completion_curves(results)
        seed = min(seed for seed, _ in curves)
        figure, axes = panels(3)
        for index, ((_, case), curve) in enumerate(i for i in curves.items() if i[0][0] == seed):
            alphas = 10.0 ** np.array(curve["log10_alpha"])
            for axis, key, style in ((axes[0], "error", "o-"), (axes[1], "change", "o-"),
                                     (axes[2], "to planted", "o-"), (axes[2], "to kernel", "s--")):
                axis.loglog(alphas, log_floor(curve[key], 1e-20), style, color=f"C{index}",
                            markersize=3, label=case + (f", {key}" if axis is axes[2] else ""))
        axes[2].axhline(LIMIT_FRACTION, color="grey", linewidth=0.8, label="limit reached")
        for axis, ylabel, title in ((axes[0], "Σ over unobserved (M* − M)²", "Fig. 3(i)"),
                                    (axes[1], "Σ over unobserved M²", "Fig. 3(ii)"),
                                    (axes[2], "‖M − limit‖/‖M* − M_K‖", "to M* and M_K")):
            axis.set(xlabel="α", ylabel=ylabel, title=f"KR-11, seed {seed}: {title}")
            axis.legend(fontsize="x-small")
        return figure


# From α = 0.1 (where seed 0's flow ends 0.04·‖M*‖ from M_NN) down to where it has settled on M*
KR13_LADDER = {"quick": [-1.0, -2.0, -4.0, -6.0, -8.0],
               "full": [-1.0, -1.5, -2.0, -3.0, -4.0, -6.0, -8.0, -10.0, -12.0]}


def measure_app_d(point):
    """KR-13 on one instance: M_NN (Douglas–Rachford, duality-gap certificate) and the
    flow from Fig. 3(a)'s start along the α ladder, with ‖M − M_NN‖ and ‖M − M*‖ / ‖M*‖."""
    truth, mask = completion_instance(point["seed"])
    nuclear = min_nuclear_norm_completion(mask, truth)
    value = certified(nuclear, "minimum nuclear norm")
    scale = float(np.linalg.norm(truth))
    ends = [flow_end(point["seed"], "identity", 2 * DIM, a)[0] for a in point["ladder"]]
    return {"log10_alpha": point["ladder"],
            "to_nuclear": [float(np.linalg.norm(M - value)) / scale for M in ends],
            "to_planted": [float(np.linalg.norm(M - truth)) / scale for M in ends],
            "nuclear_rank": int(nuclear.certificate.details["rank"]),
            "nuclear_to_planted": float(np.linalg.norm(value - truth)) / scale,
            "nuclear_norms": [float(np.linalg.norm(value, "nuc")),
                              float(np.linalg.norm(truth, "nuc"))]}


class NuclearRemark(Kind):
    """KR-13: one limit against one competing limit at the ladder's smallest α, per
    instance, with M_NN's rank and norm tabulated; no kind judges a matrix limit."""

    def predict(self, size):
        return {"statement": "α → 0: M(∞) → M_NN = argmin ‖M‖_* s.t. P_Ω(M) = y (App. D)",
                "judge": "claim"}

    def compare(self, prediction, results):
        target, other = ("to_nuclear", "to_planted")[::1 if judged(prediction) == "claim" else -1]
        ordered = sorted(results, key=lambda pair: pair[0]["seed"])
        rows = [Row(f"seed {p['seed']}, α = 1e{m['log10_alpha'][-1]:g}", m[target][-1],
                    LIMIT_FRACTION, m[other][-1], columns={
                        "M_NN rank": m["nuclear_rank"],
                        "‖M_NN − M*‖/‖M*‖": m["nuclear_to_planted"],
                        "‖M_NN‖_* / ‖M*‖_*": m["nuclear_norms"][0] / m["nuclear_norms"][1]})
                for p, m in ordered]
        differs = [p["seed"] for p, m in ordered if m["nuclear_to_planted"] > LIMIT_FRACTION]
        return assemble(
            rows, prediction=prediction["statement"],
            measurement=f"{len(rows)} instances; M_NN ≠ M* (by more than {LIMIT_FRACTION:g}·‖M*‖)"
                        f" on seeds {differs}",
            reason=f"‖M − M_NN‖/‖M*‖ at the ladder's smallest α must be ≤ {LIMIT_FRACTION:g} "
                   "(flow residual 1e-10, duality gap ≤ 1e-10: both far below). Where M_NN "
                   "differs from M* (rank > 1, smaller nuclear norm) the flow cannot approach both",
            alternative="the flow tends to the planted M*", diagnostics=[
                f"seed {p['seed']} (M_NN of rank {m['nuclear_rank']}, ‖M_NN − M*‖ = "
                f"{m['nuclear_to_planted']:.3g}·‖M*‖): ‖M − M*‖/‖M*‖ = " + ", ".join(
                    f"{d:.2g} at 1e{a:g}" for a, d in zip(m["log10_alpha"], m["to_planted"]))
                for p, m in ordered])

    def draw(self, prediction, results, verdict):
        figure, (axis,) = panels(1)
        for index, (point, measured) in enumerate(sorted(results, key=lambda r: r[0]["seed"])):
            alphas = 10.0 ** np.array(measured["log10_alpha"])
            for key, style, text in (("to_nuclear", "^-", "to M_NN (App. D's remark)"),
                                     ("to_planted", "o:", "to the planted M*")):
                axis.loglog(alphas, log_floor(measured[key], 1e-20), style, color=f"C{index}",
                            label=f"seed {point['seed']}: {text}")
        axis.axhline(LIMIT_FRACTION, color="grey", linewidth=0.8, label="tolerance")
        axis.set(xlabel="α", ylabel="‖M(∞) − limit‖_F / ‖M*‖_F",
                 title="KR-13: the flow approaches M*, not M_NN where they differ")
        axis.legend(fontsize="x-small")
        return figure


# =============================================================================
# KR-12: small ReLU networks (§7, Fig. 4a–b, App. E)
# =============================================================================

WIDTH, TRAIN_POINTS, TEACHER_WIDTH = 30, 10, 3
STEP, LOSS_TOL = 0.01, 1e-9
# Test error = mean over equispaced angles: the population error E_θ (f − f*)² on the
# circle to O(1/TEST_POINTS²) away from the ReLU kinks.
TEST_POINTS = 1000
KR12_GRID = {"quick": {"depths": [3], "seeds": [0], "log10_alpha_D": [-1.0, 0.5]},
             "full": {"depths": [2, 3, 5], "seeds": [0, 1],
                      "log10_alpha_D": [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0]}}
MAX_STEPS = 3_000_000


def circle(angles):
    return np.column_stack([np.cos(angles), np.sin(angles)])


def network_instance(seed):
    """(X_train, y_train, X_test, y_test, student seed) for App. E's synthetic data: 10
    uniform angles on the unit circle; a teacher with 3 ReLU units (no biases, Uniform
    He) scaled to mean square 1 on the circle; 1000 equispaced test angles."""
    angle_rng, teacher_rng, student_rng = np.random.default_rng(seed).spawn(3)
    X = circle(angle_rng.uniform(0, 2 * np.pi, TRAIN_POINTS))
    X_test = circle(2 * np.pi * np.arange(TEST_POINTS) / TEST_POINTS)
    teacher = he_uniform_weights(2, TEACHER_WIDTH, [1.0], seed=teacher_rng, unbiased=False)
    teacher[-1] = teacher[-1] / math.sqrt(float(np.mean(network_outputs(teacher, X_test) ** 2)))
    return (X, network_outputs(teacher, X)[0], X_test, network_outputs(teacher, X_test)[0],
            int(student_rng.integers(2 ** 32)))


def kr12_points(size):
    grid = KR12_GRID[size]
    return [{"depth": depth, "seed": seed, "log10_alpha_D": a, "max_steps": MAX_STEPS}
            for depth in grid["depths"] for seed in grid["seeds"] for a in grid["log10_alpha_D"]]


def measure_networks(point):
    """GD from α·w̄₀: status, steps, final loss, test error and gradient distance.  GD is
    not run beyond its stability limit at the start, η·λ_max((2/N)JᵀJ) ≥ 2 (J the tangent
    features: the Gauss–Newton part of ∇²L, dominant at large α): it would diverge or
    catapult, and not follow gradient flow."""
    X, y, X_test, y_test, student_seed = network_instance(point["seed"])
    depth = point["depth"]
    start = he_uniform_weights(depth, WIDTH, [10.0 ** (point["log10_alpha_D"] / depth)],
                               seed=student_seed)
    features = tangent_features(start, X)
    sharpness = float(np.linalg.eigvalsh(features[0] @ features[0].T)[-1]) * 2 / len(y)
    measured = {"stability": STEP * sharpness}
    if STEP * sharpness >= 2:
        return {**measured, "status": "UNSTABLE_AT_START", "steps": 0}
    # max_loss_growth=1: a loss above its start means GD left gradient flow's path (a
    # catapult), which is not judged; stopping there saves the step budget
    [fit] = relu_gradient_descent(start, X, y, lr=STEP, tol=LOSS_TOL,
                                  max_steps=point["max_steps"], max_loss_growth=1.0)
    measured.update(status=fit.status.name, steps=fit.certificate.iterations)
    if fit.status is Status.DIVERGED:
        return measured
    trained = [layer[None] for layer in fit.value]
    return {**measured, "loss": fit.certificate.details["loss"],
            "test_error": float(np.mean((network_outputs(trained, X_test)[0] - y_test) ** 2)),
            "gradient_distance": float(gradient_distance(features,
                                                         tangent_features(trained, X))[0])}


def not_flow(measured):
    """Why this run cannot stand for gradient flow, or None if it can."""
    status = measured["status"]
    if status == "UNSTABLE_AT_START":
        return f"step·λ_max(∇²L) = {measured['stability']:.2f} ≥ 2 at the start: not run"
    if status == "DIVERGED":
        return "the loss rose above its start (divergence or a catapult: GD left gradient flow)"
    if status != "SUCCESS":
        return f"GD stopped at the step budget with loss {measured['loss']:.2e}"
    return None


def _network_table(results):
    """{depth: {seed: {log10 α^D: measurement}}}."""
    table = {}
    for point, measured in results:
        table.setdefault(point["depth"], {}).setdefault(point["seed"], {})[
            point["log10_alpha_D"]] = measured
    return table


def judged_range(by_seed):
    """(smallest α^D if judged at every seed else None, largest α^D judged at every seed
    or None, notes on the α^D that are not)."""
    ladder = sorted(next(iter(by_seed.values())))
    reasons = {a: [f"seed {seed}: {why}" for seed, runs in sorted(by_seed.items())
                   if (why := not_flow(runs[a]))] for a in ladder}
    good = [a for a in ladder if not reasons[a]]
    notes = [f"α^D = 1e{a:g}: " + "; ".join(reasons[a]) for a in ladder if reasons[a]]
    return (ladder[0] if ladder[0] in good else None), (max(good) if good else None), notes


def kr12_margins(results):
    """Per depth, paired over seeds between the smallest α^D and the largest at which GD
    stood for gradient flow: Fig. 4a log₁₀(test error at the larger / at the smallest)
    (the direction only, all the paper states); Fig. 4b log₁₀(gradient distance at the
    smallest / at the larger) − log₁₀ 10 (an order of magnitude, as KR-10)."""
    margins = {}
    for depth, by_seed in sorted(_network_table(results).items()):
        low, high, _ = judged_range(by_seed)
        if low is None or high is None or high == low:
            continue
        pair = f"D = {depth}, α^D = 1e{low:g} → 1e{high:g}"
        margins[f"Fig. 4a: {pair}"] = [math.log10(runs[high]["test_error"] /
                                                  runs[low]["test_error"])
                                       for runs in by_seed.values()]
        margins[f"Fig. 4b: {pair}"] = [math.log10(runs[low]["gradient_distance"] /
                                                  runs[high]["gradient_distance"] / REGIME_FACTOR)
                                       for runs in by_seed.values()]
    return margins


def kr12_diagnostics(results):
    notes = []
    for depth, by_seed in sorted(_network_table(results).items()):
        low, high, depth_notes = judged_range(by_seed)
        notes += [f"D = {depth}, not judged: {note}" for note in depth_notes]
        if low is None or high is None or high == low:
            notes.append(f"D = {depth}: no judged pair of α^D (the smallest α^D must reach loss "
                         f"{LOSS_TOL:g} at every seed, and a larger one too)")
    return notes


# =============================================================================
# The claims
# =============================================================================

_COMPLETION = ("Loss ½‖P_Ω(UVᵀ) − y‖² (the paper's ‖·‖² rescales time only). M* = u*v*ᵀ, "
               "u*, v* ~ N(0, I₁₀); Ω: 60 entries uniformly without replacement. The flow is "
               "integrated in its exact transported form W(t) = Φ(t)W(0) (LSODA, analytic "
               "Jacobian, rtol 1e-10) to relative residual 1e-10. ")

KR11 = Completion(
    id="KR-11",
    title="matrix completion: small α recovers the planted matrix, large α the kernel one",
    statement="Gradient flow on F(U, V) = UVᵀ for a 10×10 rank-one completion with 60 observed "
              "entries, from the unbiased start α·([Ū, −Ū], [V̄, V̄]): as α → 0 it recovers the "
              "planted M* (§6, Fig. 3); as α → ∞ it ends at the tangent kernel's "
              "minimum-RKHS-norm completion, which for U₀ = V₀ ∝ I is the minimum-Frobenius one "
              "(unobserved entries untouched); for Gaussian Ū, V̄ the change of the unobserved "
              "entries at large α shrinks as the width k grows.",
    source=f"{PAPER}, §6, Fig. 3; §3 for the kernel limit", fidelity="paper",
    derivation="No formula: the limits are computed independently of the flow — "
               "numerics.min_frobenius_completion (closed form P_Ω(y)) and "
               "numerics.tangent_kernel_completion (M₀ + ZV₀V₀ᵀ + U₀U₀ᵀZ, Z on Ω, §6).",
    conventions=_COMPLETION + "(a) identity: U₀ = α[I, −I], V₀ = α[I, I] (width 2d = 20); (b) "
                "Gaussian: U₀ = α[Ū, −Ū], V₀ = α[V̄, V̄], Ū, V̄ ∈ ℝ^{10×k} i.i.d. N(0, 1) (width "
                "2k, Fig. 3's caption; α per entry, so the transition moves to smaller α as k "
                "grows). Quick: identity at seeds 0–2, Gaussian k ∈ {5, 100} at seed 0, α ∈ "
                "1e{-4, -3.5, 1, 1.5}; full: seeds 0–2, α ∈ 1e-5.5 … 1e1.5 in half decades, "
                "k ∈ {5, 20, 100, 1000}. App. D's nuclear-norm remark is KR-13.",
    points=kr11_points, measure=measure_completion)

KR12 = Ordering(
    id="KR-12", title="ReLU networks: large α stays in the kernel regime and generalises worse",
    statement="Depth-D ReLU networks (width 30) trained by full-batch GD (step 0.01) to training "
              "loss < 1e-9 on 10 points of the unit circle labelled by a 3-unit teacher: the test "
              "error is smaller at small α^D than at large α^D (Fig. 4a), and the gradient "
              "distance (cosine distance between the initial and final tangent features) is "
              "small at large α^D (Fig. 4b).",
    source=f"{PAPER}, §7, Fig. 4a–b, App. E", fidelity="paper",
    derivation="No formula: the paper's experiment. D-homogeneity (no biases) makes α^D the "
               "scale of the predictor and α^{2(D−1)} that of the tangent kernel (§3).",
    conventions="No biases (D-homogeneous, §2); D = number of weight layers. Uniform He "
                "U(±√(6/fan_in)) per layer, times α, made unbiased (f(w(0), ·) ≡ 0) by §3's "
                "doubling trick on the last hidden layer. One base draw w̄₀ per seed for all α. "
                "Loss: the mean (1/N)Σ(f − y)² (the paper's sum is the same path at a 10× "
                "larger step, unstable for He at 0.01). Teacher: 2-3-1 ReLU, He, mean square 1 "
                "on the circle; test error over 1000 equispaced angles. Gradient distance: "
                "1 − cos between initial and final tangent features at the training points. "
                "Judged only where GD started below its stability limit, reached loss < 1e-9 "
                "and never rose above its start loss. Quick: D = 3, seed 0, α^D ∈ {10^-1, "
                "10^0.5}; full: D ∈ {2, 3, 5}, seeds 0–1, α^D ∈ 10^{-2, …, 1}, ≤ 3e6 steps. "
                "MNIST and CIFAR10 (Fig. 4e–f) are not reproduced (no image data installed).",
    points=kr12_points, measure=measure_networks, margins=kr12_margins,
    alternative="the opposite ordering: large α generalises better and moves its features more",
    diagnose=kr12_diagnostics)

KR13 = NuclearRemark(
    id="KR-13", title="App. D's remark: the rich regime ends at the minimum-nuclear-norm "
                      "completion (an empirical remark; it fails)",
    statement="\"In the rich regime (small α) we recover the minimum nuclear norm solution "
              "M_NN = argmin ‖M‖_* s.t. P_Ω(M) = y\" — App. D's description of Fig. 5, an "
              "empirical remark that repeats Gunasekar et al.'s (2017) conjecture, which later "
              "work refuted; the paper proves nothing about it.",
    source=f"{PAPER}, App. D (Fig. 5)", fidelity="paper",
    derivation="No formula: M_NN by numerics.min_nuclear_norm_completion (Douglas–Rachford, "
               "certified by a duality gap), independent of the flow.",
    conventions=_COMPLETION + "Start: Fig. 3(a)'s U₀ = α[I, −I], V₀ = α[I, I], as App. D says "
                "Fig. 5 uses; α ladder 1e-1 … 1e-8 (quick), 1e-1 … 1e-12 (full): at α = 0.1 the "
                "flow is near M_NN (0.04·‖M*‖ on seed 0), by 1e-4 within 3e-4·‖M*‖ of M*, and "
                "it moves by < 1e-8 below 1e-8. Seeds 0 and 1 have M_NN of rank 2 and 3 (nuclear "
                "norm below M*'s); seed 2's M_NN is M*.",
    points=lambda size: [{"seed": seed, "ladder": KR13_LADDER[size]} for seed in (0, 1, 2)],
    measure=measure_app_d)

CLAIMS = [kind.to_claim() for kind in (KR11, KR12, KR13)]
FORMULA_VIEWS: list = []

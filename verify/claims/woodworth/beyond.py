"""KR-11, KR-13 (matrix completion) and KR-12 (small ReLU networks): the
kernel→rich transition beyond diagonal networks (Woodworth et al. 2020, §6–7,
App. D–E): KR-11 gradient flow on F(U, V) = UVᵀ against the planted matrix and
the tangent-kernel completion (§6, Fig. 3); KR-13 App. D's remark that the rich
regime ends at the minimum-nuclear-norm completion; KR-12 full-batch GD on
ReLU networks (§7, Fig. 4a–b).

No kind fits: these are limits and orderings of an experiment, with factors (an
order of magnitude, :data:`REGIME_FACTOR`, as KR-10; the direction alone for
the test error, all the paper states).  Each names its nearest alternative.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from numerics import Status
from numerics.fits import mean_ci
from numerics.matrix_completion import (factorized_gradient_flow, min_frobenius_completion,
                                        min_nuclear_norm_completion, tangent_kernel_completion)
from numerics.relu_networks import (gradient_distance, he_uniform_weights, network_outputs,
                                    relu_gradient_descent, tangent_features)
from verify.claim import Alternative, Claim, Fidelity, Outcome, Verdict
from verify.claims.common import Uncertified, certified, log_floor, panels

PAPER = "Woodworth et al. 2020"
# "An order of magnitude": the rich regime generalises, the kernel regime does not (as KR-10).
REGIME_FACTOR = 10.0
# KR-12's test error: the paper states only the direction (§7).
TEST_FACTOR = 1.0


def inequality_verdict(rows, problems, prediction_text, measured, reason, alternative):
    """Deviation = the number of rows whose inequality fails (tolerance 0).  A point
    that could not be measured makes the verdict inconclusive unless a row fails; so
    does an ``alternative`` the measurement does not reject (the reason names it)."""
    failed = sum(not row["holds"] for row in rows)
    unjudged = (f"{len(problems)} point(s) could not be judged: " + "; ".join(problems[:5])
                if problems else "")
    if failed:
        outcome = Outcome.DEVIATES
        reason = f"{reason}. Besides, {unjudged}" if problems else reason
    elif problems or not rows:
        outcome, reason = Outcome.INCONCLUSIVE, unjudged or "no point was measured"
    elif not alternative.rejected:
        outcome = Outcome.INCONCLUSIVE
        reason = (f"the measurement cannot tell the claim from its nearest alternative "
                  f"({alternative.prediction}). {reason}")
    else:
        outcome = Outcome.HOLDS
    return Verdict(outcome, prediction_text, f"{measured}; {failed} of {len(rows)} fail",
                   float(failed), 0.0, reason, rows, alternative)


# =============================================================================
# KR-11 and KR-13: matrix completion (§6, Fig. 3, App. D)
# =============================================================================

DIM, OBSERVED = 10, 60
# The flow stops at relative residual 1e-10 with rtol 1e-10; the limits are exact to
# rounding.  A limit counts as reached when the flow is within 1 % of ‖M* − M_K‖ (how far
# apart the two regimes' answers are) from it: 1e6 above those errors.
LIMIT_FRACTION = 0.01
FLOW_TOL = 1e-10
# Distances below this are the flow's integration error, not a trend.
APPROACH_FLOOR = 1e-8
# §6: U0 = V0 ∝ I has the delta kernel, so the tangent-kernel interpolant is the
# minimum-Frobenius one, equal up to the 60×60 kernel solve's rounding.
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
    """Unit-scale unbiased factors (Ū₀, V̄₀) with Ū₀V̄₀ᵀ = 0; the flow starts at α·(Ū₀, V̄₀).

    ``"identity"`` (Fig. 3a): Ū₀ = [I, −I], V̄₀ = [I, I] (width k = 2d, §6).
    ``"gaussian"`` (Fig. 3b): Ū₀ = [Ū, −Ū], V̄₀ = [V̄, V̄] with Ū, V̄ ∈ ℝ^{d×k} i.i.d.
    N(0, 1) (width 2k, Fig. 3's caption), drawn from the stream (seed, k).
    """
    if init == "identity":
        eye = np.eye(DIM)
        return np.hstack([eye, -eye]), np.hstack([eye, eye])
    u_bar, v_bar = np.random.default_rng([seed, k]).standard_normal((2, DIM, k))
    return np.hstack([u_bar, -u_bar]), np.hstack([v_bar, v_bar])


def _case(point):
    return "identity" if point["init"] == "identity" else f"gaussian k = {point['k']}"


def flow_end(seed, init, k, log10_alpha):
    """M(∞) of gradient flow on ½‖P_Ω(UVᵀ) − y‖² from α·(Ū₀, V̄₀), certified."""
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
        points += [{"kind": "flow", "seed": seed, "init": "identity", "k": 2 * DIM,
                    "log10_alpha": a} for a in alphas]
        if seed in gaussian_seeds:
            points += [{"kind": "flow", "seed": seed, "init": "gaussian", "k": k,
                        "log10_alpha": a} for k in ks for a in alphas]
    return points


def measure_completion(point):
    """A flow point: M(∞) and the conserved quantity's drift.  A limits point: the
    minimum-Frobenius completion and the tangent-kernel completion of every start."""
    truth, mask = completion_instance(point["seed"])
    if point["kind"] == "flow":
        value, flow = flow_end(point["seed"], point["init"], point["k"], point["log10_alpha"])
        return {"M": value.tolist(), "invariant_drift": flow.certificate.details["invariant_drift"]}
    kernels = {"identity": initial_factors("identity", 0, 0)}
    kernels.update({f"gaussian k = {k}": initial_factors("gaussian", k, point["seed"])
                    for k in point["ks"]})
    return {"frobenius": min_frobenius_completion(mask, truth).value.tolist(),
            "kernel": {case: certified(tangent_kernel_completion(mask, truth, *factors),
                                       f"tangent kernel ({case})").tolist()
                       for case, factors in kernels.items()}}


def _completion_curves(results):
    """{(seed, case): {"log10_alpha", "error", "change", "to planted", "to kernel"}} by α:
    Fig. 3's reconstruction error Σ_{ij∉Ω}(M* − M)², the change Σ_{ij∉Ω}M² of the
    unobserved entries (M(0) = 0), and the distances to M* and M_K in units of
    ‖M* − M_K‖; and {seed: limits}."""
    limits = {p["seed"]: m for p, m in results if p["kind"] == "limits"}
    flows = {}
    for point, measured in sorted(((p, m) for p, m in results if p["kind"] == "flow"),
                                  key=lambda pair: pair[0]["log10_alpha"]):
        flows.setdefault((point["seed"], _case(point)), []).append((point["log10_alpha"],
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


def kr11_predict(size):
    return {"small": "to planted", "large": "to kernel", "sign": 1,
            "statements": [
                "α → 0: M(∞) → M*, the planted rank-one matrix (rich regime; §6, Fig. 3)",
                "α → ∞: M(∞) → the tangent kernel's minimum-RKHS-norm completion (§3), which "
                "is argmin ‖M‖_F (unobserved entries 0) for U₀ = V₀ ∝ I (§6)",
                "Fig. 3(i): the reconstruction error on unobserved entries is small for small "
                "α and large for large α",
                "Fig. 3(ii): for U₀ = V₀ ∝ I large α leaves the unobserved entries untouched; "
                "for Gaussian factors their change at large α shrinks as k grows"]}


def kr11_perturb(prediction):
    """The nearest alternative: the regimes swapped (M_K at α → 0, M* at α → ∞) and every
    Fig. 3 ordering reversed."""
    return {**prediction, "small": prediction["large"], "large": prediction["small"],
            "sign": -prediction["sign"]}


def kr11_rows(prediction, curves, limits):
    rows = []
    small, large, sign = prediction["small"], prediction["large"], prediction["sign"]
    changes_at_large = {}

    def row(check, case, seed, value, holds):
        rows.append({"check": check, "initialisation": case, "seed": seed, "value": value,
                     "holds": bool(holds)})

    for (seed, case), curve in curves.items():
        for end, name, last, before in (("0", small, 0, 1), ("∞", large, -1, -2)):
            distance = curve[name]
            approaching = distance[last] < distance[before] or distance[last] <= APPROACH_FLOOR
            row(f"α → {end}: ‖M − {'M*' if name == 'to planted' else 'M_K'}‖ ≤ "
                f"{LIMIT_FRACTION:g}·‖M* − M_K‖ at the end of the ladder, and falling", case, seed,
                distance[last], distance[last] <= LIMIT_FRACTION and approaching)
        error, change = curve["error"], curve["change"]
        ratio = (error[-1] / error[0]) ** sign
        row(f"Fig. 3(i): error at the largest α / at the smallest α {'≥' if sign > 0 else '≤'} "
            f"{REGIME_FACTOR:g}{'' if sign > 0 else '⁻¹'}", case, seed, ratio, ratio >= REGIME_FACTOR)
        if case == "identity":
            ratio = (change[0] / max(change[-1], 1e-300)) ** sign
            row(f"Fig. 3(ii): unobserved change at the smallest α / at the largest ≥ "
                f"{REGIME_FACTOR:g}", case, seed, ratio, ratio >= REGIME_FACTOR)
            kernel = np.array(limits[seed]["kernel"][case])
            difference = float(np.max(np.abs(kernel - np.array(limits[seed]["frobenius"])))
                               / np.max(np.abs(kernel)))
            row(f"§6: for U₀ = V₀ ∝ I, M_K = argmin ‖M‖_F (to {DELTA_KERNEL_TOL:g})", case, seed,
                difference, difference <= DELTA_KERNEL_TOL)
        else:
            changes_at_large.setdefault(seed, []).append((int(case.split("= ")[1]), change[-1]))
    for seed, by_k in sorted(changes_at_large.items()):
        for (k, change), (k_next, change_next) in zip(sorted(by_k), sorted(by_k)[1:]):
            row(f"Fig. 3(ii): unobserved change at the largest α {'falls' if sign > 0 else 'rises'}"
                f" from k = {k} to k = {k_next}", "gaussian", seed, change_next / change,
                sign * (change - change_next) > 0)
    return sorted(rows, key=lambda row: row["holds"])    # failing rows first


def kr11_compare(prediction, results):
    curves, limits = _completion_curves(results)
    rows = kr11_rows(prediction, curves, limits)
    other = kr11_rows(kr11_perturb(prediction), curves, limits)
    # the swapped limits are rejected when the flow's ends are far from them
    swapped = [row["value"] for row in other if row["check"].startswith("α →")]
    alternative = Alternative("the regimes swapped: the kernel completion M_K as α → 0 and the "
                              "planted M* as α → ∞", min(swapped, default=None),
                              bool(swapped) and min(swapped) > LIMIT_FRACTION)
    drift = max((m["invariant_drift"] for p, m in results if p["kind"] == "flow"),
                default=math.nan)
    return inequality_verdict(
        rows, [], "; ".join(prediction["statements"]),
        f"{sum(p['kind'] == 'flow' for p, _ in results)} gradient flows (worst conserved-quantity "
        f"drift {drift:.1e})",
        f"each row is one seed and initialisation. Limits: at the end of the α ladder the flow "
        f"must be within {LIMIT_FRACTION:g}·‖M* − M_K‖ of the limit and still approaching it "
        f"(unless within {APPROACH_FLOOR:g}, the integration floor); the numerical errors (flow "
        f"residual {FLOW_TOL:g}, kernel solve at rounding) are ≥ 1e6 times smaller. Fig. 3: "
        f"orderings by the factor {REGIME_FACTOR:g} (an order of magnitude, as KR-10); for "
        "Gaussian factors the unobserved entries at the largest α must change less as k grows",
        alternative)


def kr11_figure(prediction, results, verdict):
    """Fig. 3(i)–(ii) and the distances to both limits along α, per initialisation (first seed)."""
    curves, _ = _completion_curves(results)
    seed = min(seed for seed, _ in curves)
    figure, axes = panels(3)
    for index, ((of_seed, case), curve) in enumerate(item for item in curves.items()
                                                     if item[0][0] == seed):
        alphas, colour = 10.0 ** np.array(curve["log10_alpha"]), f"C{index}"
        for axis, key, style in ((axes[0], "error", "o-"), (axes[1], "change", "o-"),
                                 (axes[2], "to planted", "o-"), (axes[2], "to kernel", "s--")):
            axis.loglog(alphas, log_floor(curve[key], 1e-20), style, color=colour, markersize=3,
                        label=case + (f", {key}" if axis is axes[2] else ""))
    axes[2].axhline(LIMIT_FRACTION, color="grey", linewidth=0.8, label="limit reached")
    for axis, ylabel, title in ((axes[0], "Σ over unobserved (M* − M)²", "Fig. 3(i): error"),
                                (axes[1], "Σ over unobserved M²", "Fig. 3(ii): change"),
                                (axes[2], "‖M − limit‖/‖M* − M_K‖", "distance to M* and M_K")):
        axis.set(xlabel="α", ylabel=ylabel, title=f"KR-11, seed {seed}: {title}")
        axis.legend(fontsize="x-small")
    return figure


# From α = 0.1 (where seed 0's flow ends 0.04·‖M*‖ from M_NN) down to where it has settled on M*
KR13_LADDER = {"quick": [-1.0, -2.0, -4.0, -6.0, -8.0],
               "full": [-1.0, -1.5, -2.0, -3.0, -4.0, -6.0, -8.0, -10.0, -12.0]}


def measure_app_d(point):
    """KR-13 on one instance: M_NN (Douglas–Rachford, duality-gap certificate) and the
    flow from Fig. 3(a)'s unbiased start α·([I, −I], [I, I]) along the α ladder, with
    the relative distances ‖M − M_NN‖/‖M*‖ and ‖M − M*‖/‖M*‖."""
    truth, mask = completion_instance(point["seed"])
    nuclear = min_nuclear_norm_completion(mask, truth)
    if not nuclear.ok:
        raise Uncertified(f"minimum nuclear norm: {nuclear.message}")
    scale = float(np.linalg.norm(truth))
    ends = [flow_end(point["seed"], "identity", 2 * DIM, a)[0] for a in point["ladder"]]
    return {"log10_alpha": point["ladder"],
            "to_nuclear": [float(np.linalg.norm(M - nuclear.value)) / scale for M in ends],
            "to_planted": [float(np.linalg.norm(M - truth)) / scale for M in ends],
            "nuclear_rank": int(nuclear.certificate.details["rank"]),
            "nuclear_to_planted": float(np.linalg.norm(nuclear.value - truth)) / scale,
            "nuclear_norms": [float(np.linalg.norm(nuclear.value, "nuc")),
                              float(np.linalg.norm(truth, "nuc"))],
            "gap": float(nuclear.certificate.optimality_residual)}


def kr13_compare(prediction, results):
    """Rows: the distance to M_NN at the smallest α (≤ 1 % of ‖M*‖ if the remark holds);
    the alternative "the flow tends to M*" is judged by the same tolerance."""
    target, other = (("to_nuclear", "to_planted") if prediction["limit"] == "nuclear"
                     else ("to_planted", "to_nuclear"))
    rows = [{"seed": p["seed"], "smallest α": f"1e{m['log10_alpha'][-1]:g}",
             "distance to the predicted limit": m[target][-1],
             "distance to the alternative": m[other][-1], "M_NN rank": m["nuclear_rank"],
             "‖M_NN − M*‖/‖M*‖": m["nuclear_to_planted"],
             "‖M_NN‖_* / ‖M*‖_*": m["nuclear_norms"][0] / m["nuclear_norms"][1],
             "holds": m[target][-1] <= LIMIT_FRACTION} for p, m in sorted(
                 results, key=lambda pair: pair[0]["seed"])]
    distance = min(row["distance to the alternative"] for row in rows)
    alternative = Alternative(prediction["alternative"], distance, distance > LIMIT_FRACTION)
    approach = [f"seed {p['seed']} (M_NN of rank {m['nuclear_rank']}, ‖M_NN − M*‖ = "
                f"{m['nuclear_to_planted']:.3g}·‖M*‖): ‖M − M*‖/‖M*‖ = " + ", ".join(
                    f"{d:.2g} at 1e{a:g}" for a, d in zip(m["log10_alpha"], m["to_planted"]))
                for p, m in sorted(results, key=lambda pair: pair[0]["seed"])]
    return dataclasses.replace(inequality_verdict(
        rows, [], prediction["statement"],
        f"{len(rows)} instances; M_NN ≠ M* (by more than {LIMIT_FRACTION:g}·‖M*‖) on seeds "
        f"{[row['seed'] for row in rows if row['‖M_NN − M*‖/‖M*‖'] > LIMIT_FRACTION]}",
        f"the flow at the ladder's smallest α must be within {LIMIT_FRACTION:g}·‖M*‖ of the "
        "predicted limit (flow residual 1e-10, duality gap ≤ 1e-10: both far below). Where M_NN "
        "differs from M* (rank > 1, smaller nuclear norm than M*'s) the flow cannot approach both",
        alternative), diagnostics=approach)


KR13_PREDICTION = {"limit": "nuclear", "statement": "α → 0: M(∞) → M_NN = argmin ‖M‖_* s.t. "
                   "P_Ω(M) = y (App. D)", "alternative": "the flow tends to the planted M*"}


def kr13_figure(prediction, results, verdict):
    figure, (axis,) = panels(1)
    for index, (point, measured) in enumerate(sorted(results, key=lambda pair: pair[0]["seed"])):
        alphas = 10.0 ** np.array(measured["log10_alpha"])
        axis.loglog(alphas, log_floor(measured["to_nuclear"], 1e-20), "^-", color=f"C{index}",
                    label=f"seed {point['seed']}: to M_NN (App. D's remark)")
        axis.loglog(alphas, log_floor(measured["to_planted"], 1e-20), "o:", color=f"C{index}",
                    label=f"seed {point['seed']}: to the planted M*")
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
# Test error = mean over an equispaced grid of angles: the quadrature of the population error
# E_θ (f − f*)² on the uniform circle, to O(1/TEST_POINTS²) away from the ReLU kinks.
TEST_POINTS = 1000


def circle(angles):
    return np.column_stack([np.cos(angles), np.sin(angles)])


def network_instance(seed):
    """(X_train, y_train, X_test, y_test, student seed) for App. E's synthetic data.

    10 training inputs with i.i.d. uniform angles on the unit circle; a teacher
    with one hidden layer of 3 ReLU units (no biases), drawn with the Uniform He
    initialisation and scaled so that its mean square over the circle is 1 (so a
    test error is a fraction of the label variance); test inputs on an
    equispaced grid of 1000 angles.
    """
    angle_rng, teacher_rng, student_rng = np.random.default_rng(seed).spawn(3)
    X = circle(angle_rng.uniform(0, 2 * np.pi, TRAIN_POINTS))
    X_test = circle(2 * np.pi * np.arange(TEST_POINTS) / TEST_POINTS)
    teacher = he_uniform_weights(2, TEACHER_WIDTH, [1.0], seed=teacher_rng, unbiased=False)
    scale = math.sqrt(float(np.mean(network_outputs(teacher, X_test) ** 2)))
    teacher[-1] = teacher[-1] / scale
    return (X, network_outputs(teacher, X)[0], X_test, network_outputs(teacher, X_test)[0],
            int(student_rng.integers(2 ** 32)))


KR12_QUICK = {"depths": [3], "seeds": [0], "log10_alpha_D": [-1.0, 0.5]}
KR12_FULL = {"depths": [2, 3, 5], "seeds": [0, 1],
             "log10_alpha_D": [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0]}
MAX_STEPS = 3_000_000


def kr12_points(size):
    grid = KR12_QUICK if size == "quick" else KR12_FULL
    return [{"depth": depth, "seed": seed, "log10_alpha_D": a, "max_steps": MAX_STEPS}
            for depth in grid["depths"] for seed in grid["seeds"] for a in grid["log10_alpha_D"]]


def measure_networks(point):
    """GD from α·w̄₀ (α^D from the point): status, steps, final loss, test error and the
    gradient distance at the training points.

    GD is not run when the step is beyond the stability limit at the start,
    η·λ_max((2/N)JᵀJ) ≥ 2 (J the tangent features at the training points: the
    Gauss–Newton part of ∇²L, which dominates it at large α): it would diverge or
    catapult, and in either case not follow gradient flow.
    """
    X, y, X_test, y_test, student_seed = network_instance(point["seed"])
    depth = point["depth"]
    alpha = 10.0 ** (point["log10_alpha_D"] / depth)
    start = he_uniform_weights(depth, WIDTH, [alpha], seed=student_seed)
    features = tangent_features(start, X)
    sharpness = float(np.linalg.eigvalsh(features[0] @ features[0].T)[-1]) * 2 / len(y)
    measured = {"stability": STEP * sharpness}
    if STEP * sharpness >= 2:
        return {**measured, "status": "UNSTABLE_AT_START", "steps": 0}
    # max_loss_growth=1: a loss above its start means GD has left gradient flow's path (a
    # catapult), which is not judged; stopping there saves running it to the step budget
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


def judged(measured):
    """Why this run cannot stand for gradient flow, or None if it can: GD started below its
    stability limit and reached the loss tolerance without the loss rising above its start."""
    status = measured["status"]
    if status == "UNSTABLE_AT_START":
        return (f"step·λ_max(∇²L) = {measured['stability']:.2f} ≥ 2 at the start: beyond GD's "
                "stability limit, not run")
    if status == "DIVERGED":
        return "the loss rose above its start (divergence or a catapult: GD left gradient flow)"
    if status != "SUCCESS":
        return f"GD stopped at the step budget with loss {measured['loss']:.2e}"
    return None


def kr12_predict(size):
    return {"sign": 1, "statements": [
        "Fig. 4a: the test error at the smallest α^D is below the test error at the largest "
        "α^D (small initialisation generalises better)",
        f"Fig. 4b: the gradient distance at the largest α^D is at least {REGIME_FACTOR:g}× "
        "below the one at the smallest α^D (large initialisation stays in the kernel regime)"]}


def kr12_perturb(prediction):
    """The nearest alternative: both statements reversed."""
    return {**prediction, "sign": -prediction["sign"]}


def _network_table(results):
    """{depth: {seed: {log10 α^D: measurement}}}."""
    table = {}
    for point, measured in results:
        table.setdefault(point["depth"], {}).setdefault(point["seed"], {})[
            point["log10_alpha_D"]] = measured
    return table


def judged_range(by_seed):
    """(smallest α^D if judged at every seed, largest α^D judged at every seed, notes on the
    α^D that are not)."""
    ladder = sorted(next(iter(by_seed.values())))
    reasons = {a: [f"seed {seed}: {why}" for seed, runs in sorted(by_seed.items())
                   if (why := judged(runs[a]))] for a in ladder}
    good = [a for a in ladder if not reasons[a]]
    notes = [f"α^D = 1e{a:g}: " + "; ".join(reasons[a]) for a in ladder if reasons[a]]
    return (ladder[0] if ladder[0] in good else None), (max(good) if good else None), notes


def kr12_compare(prediction, results):
    sign = prediction["sign"]
    rows, problems, notes, opposite = [], [], [], []
    for depth, by_seed in sorted(_network_table(results).items()):
        low, high, depth_notes = judged_range(by_seed)
        notes += [f"D = {depth}, {note}" for note in depth_notes]
        if low is None or high is None or high == low:
            problems.append(f"D = {depth}: no judged pair of α^D (the smallest α^D must reach "
                            f"loss {LOSS_TOL:g} at every seed, and a larger one too)")
            continue
        for check, factor, key, flip in (("Fig. 4a: mean log₁₀(test error at the larger α^D / "
                                          "at the smallest)", TEST_FACTOR, "test_error", False),
                                         ("Fig. 4b: mean log₁₀(gradient distance at the "
                                          "smallest α^D / at the larger)", REGIME_FACTOR,
                                          "gradient_distance", True)):
            logs = [math.log10(runs[high][key] / runs[low][key]) * (-1 if flip else 1)
                    for runs in by_seed.values()]
            mean, half = mean_ci(logs)
            half = 0.0 if math.isnan(half) else half      # one seed: the margin itself
            rows.append({"check": f"{check} {'≥' if sign > 0 else '≤ −'} log₁₀ {factor:g}",
                         "depth": depth, "α^D": f"1e{low:g} → 1e{high:g}", "value": mean,
                         "95 % CI ±": half, "seeds": len(by_seed),
                         "holds": bool(sign * mean >= math.log10(factor))})
            opposite.append(sign * mean - half)
    alternative = Alternative("the opposite ordering: large α generalises better and moves its "
                              "features more", min(opposite, default=None),
                              bool(opposite) and min(opposite) > 0)
    runs = sum(len(by_seed) * len(next(iter(by_seed.values())))
               for by_seed in _network_table(results).values())
    return inequality_verdict(
        rows, problems, "; ".join(prediction["statements"]),
        f"{runs} GD runs (step {STEP:g}, to loss < {LOSS_TOL:g})"
        + (f"; not judged: {'; '.join(notes)}" if notes else ""),
        f"each inequality must hold for the mean over seeds, comparing the smallest α^D with the "
        f"largest α^D at which GD stood for gradient flow at every seed (started below its "
        f"stability limit, reached loss < {LOSS_TOL:g}, the loss never above its start). "
        f"Gradient distance: an order of magnitude ({REGIME_FACTOR:g}, as KR-10); test error: the "
        "direction only, all the paper states. The opposite ordering is rejected when every "
        "mean log-ratio's 95 % interval (the value itself for one seed) lies on the claimed side",
        alternative)


def kr12_figure(prediction, results, verdict):
    """Fig. 4a (test error) and 4b (gradient distance) vs α^D per depth: geometric means
    over seeds; hollow markers where GD did not stand for gradient flow."""
    figure, axes = panels(2)
    for index, (depth, by_seed) in enumerate(sorted(_network_table(results).items())):
        ladder = sorted(next(iter(by_seed.values())))
        x = 10.0 ** np.array(ladder)
        ok = np.array([all(judged(runs[a]) is None for runs in by_seed.values()) for a in ladder])
        for axis, key in zip(axes, ("test_error", "gradient_distance")):
            values = np.array([[runs[a].get(key, np.nan) for a in ladder]
                               for runs in by_seed.values()], dtype=float)
            with warnings.catch_warnings():      # an α^D no seed could measure is NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.exp(np.nanmean(np.log(values), axis=0))
            axis.plot(x, mean, "-", color=f"C{index}", label=f"D = {depth}")
            axis.plot(x[ok], mean[ok], "o", color=f"C{index}")
            axis.plot(x[~ok], mean[~ok], "o", color=f"C{index}", fillstyle="none")
    for axis, ylabel in zip(axes, ("test error E_θ(f − f*)² (E f*² = 1)",
                                   "gradient distance 1 − cos(φ_w(0), φ_w(T))")):
        axis.set(xscale="log", yscale="log", xlabel="α^D", ylabel=ylabel,
                 title=f"KR-12 (Fig. 4{'a' if axis is axes[0] else 'b'})")
        axis.legend(fontsize="x-small")
    return figure


# =============================================================================
# The claims
# =============================================================================

_COMPLETION = ("Loss ½‖P_Ω(UVᵀ) − y‖² (the paper's ‖·‖² rescales time only). M* = u*v*ᵀ, "
               "u*, v* ~ N(0, I₁₀); Ω: 60 entries uniformly without replacement. The flow is "
               "integrated in its exact transported form W(t) = Φ(t)W(0) (LSODA, analytic "
               "Jacobian, rtol 1e-10) to relative residual 1e-10. ")

CLAIMS = [
    Claim(
        id="KR-11",
        title="matrix completion: small α recovers the planted matrix, large α the kernel one",
        statement="Gradient flow on F(U, V) = UVᵀ for a 10×10 rank-one completion with 60 observed "
                  "entries, from the unbiased start α·([Ū, −Ū], [V̄, V̄]): as α → 0 it recovers the "
                  "planted M* (§6, Fig. 3); as α → ∞ it ends at the tangent kernel's "
                  "minimum-RKHS-norm completion, which for U₀ = V₀ ∝ I is the minimum-Frobenius "
                  "one (unobserved entries untouched); for Gaussian Ū, V̄ the change of the "
                  "unobserved entries at large α shrinks as the width k grows.",
        source=f"{PAPER}, §6, Fig. 3; §3 for the kernel limit", fidelity=Fidelity.PAPER,
        derivation="No formula: the limits are computed independently of the flow — "
                   "numerics.min_frobenius_completion (closed form P_Ω(y)) and "
                   "numerics.tangent_kernel_completion (M₀ + ZV₀V₀ᵀ + U₀U₀ᵀZ, Z on Ω, §6).",
        conventions=_COMPLETION + "(a) identity: U₀ = α[I, −I], V₀ = α[I, I] (width 2d = 20, "
                    "§6's k = 2d); (b) Gaussian: U₀ = α[Ū, −Ū], V₀ = α[V̄, V̄] with Ū, V̄ ∈ "
                    "ℝ^{10×k} i.i.d. N(0, 1) (width 2k, as Fig. 3's caption; the α scale is per "
                    "entry, so the kernel grows like α²k and the transition moves to smaller α as "
                    "k grows). Quick: identity start at seeds 0–2, Gaussian k ∈ {5, 100} at seed "
                    "0, α ∈ 1e{-4, -3.5, 1, 1.5}; full: seeds 0–2, α ∈ 1e-5.5 … 1e1.5 in half "
                    "decades, k ∈ {5, 20, 100, 1000}. App. D's nuclear-norm remark is KR-13.",
        points=kr11_points, measure=measure_completion, predict=kr11_predict,
        compare=kr11_compare, perturb=kr11_perturb, figure=kr11_figure),
    Claim(
        id="KR-12", title="ReLU networks: large α stays in the kernel regime and generalises worse",
        statement="Depth-D ReLU networks (width 30) trained by full-batch GD (step 0.01) to "
                  "training loss < 1e-9 on 10 points of the unit circle labelled by a 3-unit "
                  "teacher: the test error is smaller at small α^D than at large α^D (Fig. 4a), "
                  "and the gradient distance (cosine distance between the initial and final "
                  "tangent features) is small at large α^D (Fig. 4b).",
        source=f"{PAPER}, §7, Fig. 4a–b, App. E", fidelity=Fidelity.PAPER,
        derivation="No formula: the claim is the paper's experiment. D-homogeneity (no "
                   "biases) makes α^D the scale of the predictor and α^{2(D−1)} that of the "
                   "tangent kernel (§3).",
        conventions="Networks without biases (D-homogeneous, as §2 requires), depth D = number "
                    "of weight layers. Uniform He: U(±√(6/fan_in)) for every layer, times α; made "
                    "unbiased (f(w(0), ·) ≡ 0) by the doubling trick of §3 on the last hidden "
                    "layer (units 16–30 copy units 1–15, output weights negated). One base draw "
                    "w̄₀ per seed for all α. Loss: the mean (1/N)Σ(f − y)² (the paper's §2 sum is "
                    "the same path at a 10× larger step, which would make He initialisation "
                    "unstable at step 0.01). Teacher: 2-3-1 ReLU net, He-initialised, scaled to "
                    "mean square 1 on the circle; test error: mean over 1000 equispaced angles. "
                    "Gradient distance: 1 − cos between the initial and final tangent features "
                    "at the 10 training points. Only α^D where GD reached the loss tolerance "
                    "without the loss rising above its start are judged; GD is not run where "
                    "step·λ_max((2/N)JᵀJ) ≥ 2 at the start. Quick: D = 3, seed 0, α^D ∈ "
                    "{10^-1, 10^0.5}; full: D ∈ {2, 3, 5}, seeds 0–1, α^D ∈ 10^{-2, -1, -0.5, 0, "
                    "0.5, 1}, at most 3e6 steps per run. MNIST and CIFAR10 (Fig. 4e–f) are not "
                    "reproduced (no download, no image data set installed).",
        points=kr12_points, measure=measure_networks, predict=kr12_predict,
        compare=kr12_compare, perturb=kr12_perturb, figure=kr12_figure),
    Claim(
        id="KR-13", title="App. D's remark: the rich regime ends at the minimum-nuclear-norm "
                          "completion (an empirical remark; it fails)",
        statement="\"In the rich regime (small α) we recover the minimum nuclear norm solution "
                  "M_NN = argmin ‖M‖_* s.t. P_Ω(M) = y\" — App. D's description of Fig. 5, an "
                  "empirical remark that repeats Gunasekar et al.'s (2017) conjecture, which "
                  "later work refuted; the paper proves nothing about it.",
        source=f"{PAPER}, App. D (Fig. 5)", fidelity=Fidelity.PAPER,
        derivation="No formula: M_NN by numerics.min_nuclear_norm_completion (Douglas–Rachford, "
                   "certified by a duality gap), independent of the flow.",
        conventions=_COMPLETION + "Start: Fig. 3(a)'s unbiased U₀ = α[I, −I], V₀ = α[I, I], as "
                    "App. D says Fig. 5 uses; α ladder 1e-1 … 1e-8 (quick), 1e-1 … 1e-12 (full): "
                    "at α = 0.1 the flow is near M_NN (0.04·‖M*‖ on seed 0), by α = 1e-4 within "
                    "3e-4·‖M*‖ of M*, and it moves by < 1e-8 below α = 1e-8. Seeds 0–2: seeds 0 and 1 have M_NN of rank 2 and 3 "
                    "(nuclear norm below M*'s), seed 2's M_NN is M*.",
        points=lambda size: [{"seed": seed, "ladder": KR13_LADDER[size]} for seed in (0, 1, 2)],
        measure=measure_app_d, predict=lambda size: dict(KR13_PREDICTION),
        compare=kr13_compare,
        perturb=lambda prediction: {**prediction, "limit": "planted",
                                    "alternative": "the flow tends to M_NN (App. D)"},
        figure=kr13_figure),
]
FORMULA_VIEWS: list = []

"""KR-11 (matrix completion) and KR-12 (small ReLU networks): the kernel→rich
transition beyond diagonal networks (Woodworth et al. 2020, §6–7, App. D–E).

=====  =============================================================  ===========================================
claim  statement (paper)                                              measurement
=====  =============================================================  ===========================================
KR-11  matrix completion with F(U, V) = UVᵀ: small α recovers the      gradient flow on (U, V) as an ODE, against
       planted low-rank matrix (§6, Fig. 3), said to be the           M*, the minimum-nuclear-norm completion
       minimum-nuclear-norm completion (App. D); large α leaves the   (our Douglas–Rachford solver, duality-gap
       unobserved entries untouched (minimum Frobenius norm, the      certificate) and the tangent-kernel one
       tangent kernel's RKHS norm) (§6, §3)
KR-12  depth-D ReLU networks: large α stays in the kernel regime      full-batch GD to training loss < 1e-9; test
       (small gradient distance) and generalises worse than small α   error and gradient distance vs α^D
       (§7, Fig. 4a–b, App. E)
=====  =============================================================  ===========================================

Both claims are experiments without a formula of their own: the prediction is
the pair of limits (KR-11) and the direction of the transition (KR-12), and
the verdicts check them as inequalities with stated factors: an order of
magnitude (:data:`REGIME_FACTOR` = 10, the one KR-10 uses) for the matrix
completion orderings and the gradient distance, and the direction alone
(:data:`TEST_FACTOR` = 1) for the ReLU networks' test error, which is all the
paper states.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from matplotlib.figure import Figure

from numerics import Status
from numerics.fits import mean_ci
from numerics.matrix_completion import (factorized_gradient_flow, min_frobenius_completion,
                                        min_nuclear_norm_completion, tangent_kernel_completion)
from numerics.relu_networks import (gradient_distance, he_uniform_weights, network_outputs,
                                    relu_gradient_descent, tangent_features)
from verify.claim import Claim, Fidelity, Outcome, Verdict

PAPER = "Woodworth et al. 2020"
# "An order of magnitude": the rich regime generalises, the kernel regime does not (as KR-10).
REGIME_FACTOR = 10.0
# KR-12's test error: the paper states only the direction (§7), so the check is the
# direction (a ratio above 1), not a size chosen after seeing the data.
TEST_FACTOR = 1.0


def _figure(rows, columns):
    figure = Figure(figsize=(4.6 * columns, 3.8 * rows), layout="constrained")
    return figure, figure.subplots(rows, columns, squeeze=False).ravel()


def _floored(values, floor=1e-20):
    """Values for a log axis: zeros drawn at ``floor``."""
    return np.maximum(np.abs(np.asarray(values, dtype=float)), floor)


def _inequality_verdict(rows, problems, prediction_text, measured, reason):
    """Deviation = the number of rows whose inequality fails (tolerance 0); a point
    that could not be measured or certified makes the verdict inconclusive unless
    some row already fails."""
    failed = sum(not row["holds"] for row in rows)
    unjudged = (f"{len(problems)} point(s) could not be judged: " + "; ".join(problems[:5])
                if problems else "")
    if failed:
        outcome = Outcome.DEVIATES
        reason = f"{reason}. Besides, {unjudged}" if problems else reason
    elif problems or not rows:
        outcome, reason = Outcome.INCONCLUSIVE, unjudged or "no point was measured"
    else:
        outcome = Outcome.HOLDS
    return Verdict(outcome, prediction_text, f"{measured}; {failed} of {len(rows)} fail",
                   float(failed), 0.0, reason, rows)


# =============================================================================
# KR-11: matrix completion (§6, Fig. 3, App. D)
# =============================================================================

DIM, OBSERVED = 10, 60
# The flow stops at relative residual 1e-10 with rtol 1e-10; the limits are certified to
# 1e-10 (duality gap) and to rounding (kernel system).  A limit counts as reached when the
# flow is within 1 % of ‖M* − M_K‖ (how far apart the two regimes' answers are) from it:
# 1e6 above those errors.
LIMIT_FRACTION = 0.01
FLOW_TOL = 1e-10
# Distances below this are the flow's integration error (rtol 1e-10 on entries of size
# ~1, times the conditioning of the last phase), not a trend: a limit row reached at this
# level need not still be "falling".
APPROACH_FLOOR = 1e-8
# The §6 statement that U0 = V0 ∝ I has the delta kernel, so the tangent-kernel
# interpolant is the minimum-Frobenius one: equal up to the kernel solve's rounding.
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


def kr11_points(size):
    if size == "quick":
        seeds, ks = [0, 1, 2], [5, 100]
        identity, gaussian = [-4.0, -3.5, 1.0, 1.5], [-4.0, -3.5, 1.0, 1.5]
        gaussian_seeds = [0]
    else:
        seeds = gaussian_seeds = [0, 1, 2]
        ks = [5, 20, 100, 1000]
        identity = gaussian = [k / 2 for k in range(-11, 4)]
    points = [{"kind": "limits", "seed": seed, "ks": ks if seed in gaussian_seeds else []}
              for seed in seeds]
    for seed in seeds:
        points += [{"kind": "flow", "seed": seed, "init": "identity", "k": 2 * DIM,
                    "log10_alpha": a} for a in identity]
        if seed in gaussian_seeds:
            points += [{"kind": "flow", "seed": seed, "init": "gaussian", "k": k,
                        "log10_alpha": a} for k in ks for a in gaussian]
    return points


def measure_completion(point):
    """A flow point: M(∞) of gradient flow from α·(Ū₀, V̄₀).  A limits point: the
    minimum-nuclear-norm and minimum-Frobenius completions of the instance and the
    tangent-kernel completion of every initialisation, with their certificates."""
    truth, mask = completion_instance(point["seed"])
    if point["kind"] == "flow":
        alpha = 10.0 ** point["log10_alpha"]
        u0, v0 = initial_factors(point["init"], point["k"], point["seed"])
        flow = factorized_gradient_flow(mask, truth, alpha * u0, alpha * v0, tol=FLOW_TOL,
                                        rtol=FLOW_TOL)
        details = flow.certificate.details
        return {"M": flow.value.tolist(), "ok": flow.ok, "status": flow.message,
                "residual": flow.certificate.primal_residual, "t_final": details["t_final"],
                "nfev": details["nfev"], "invariant_drift": details["invariant_drift"]}
    nuclear = min_nuclear_norm_completion(mask, truth)
    kernels = {"identity": tangent_kernel_completion(mask, truth,
                                                     *initial_factors("identity", 0, 0))}
    for k in point["ks"]:
        kernels[f"gaussian k = {k}"] = tangent_kernel_completion(
            mask, truth, *initial_factors("gaussian", k, point["seed"]))
    return {"nuclear": nuclear.value.tolist(), "nuclear_ok": nuclear.ok,
            "nuclear_status": nuclear.message,
            "gap": nuclear.certificate.optimality_residual,
            "rank": nuclear.certificate.details["rank"],
            "margin": nuclear.certificate.details["strict_complementarity_margin"],
            "frobenius": min_frobenius_completion(mask, truth).value.tolist(),
            "kernel": {case: solution.value.tolist() for case, solution in kernels.items()},
            "kernel_ok": {case: solution.ok for case, solution in kernels.items()},
            "kernel_condition": {case: solution.certificate.details["kernel_condition"]
                                 for case, solution in kernels.items()}}


# The limit completions a prediction can name, and how rows call them.
LIMIT_NAMES = {"ground truth": "M*", "nuclear": "M_NN", "tangent kernel": "M_K"}
LIMIT_SOURCES = {"ground truth": "§6, Fig. 3", "nuclear": "App. D", "tangent kernel": "§3, §6"}


def kr11_predict(size):
    return {"small": ["ground truth", "nuclear"], "large": "tangent kernel", "sign": 1,
            "regime_factor": REGIME_FACTOR, "limit_fraction": LIMIT_FRACTION,
            "statements": [
                "α → 0: M(∞) → M*, the planted rank-one matrix (rich regime; §6, Fig. 3)",
                "α → 0: M(∞) → argmin ‖M‖_* s.t. P_Ω(M) = y (App. D)",
                "α → ∞: M(∞) → the tangent kernel's minimum-RKHS-norm completion (§3), which "
                "is argmin ‖M‖_F (unobserved entries 0) for U₀ = V₀ ∝ I (§6)",
                "Fig. 3(i): the reconstruction error on unobserved entries is small for small "
                "α and large for large α",
                "Fig. 3(ii): for U₀ = V₀ ∝ I large α leaves the unobserved entries untouched; "
                "for Gaussian factors their change at large α shrinks as k grows (the kernel "
                "tends to the Frobenius one)"]}


def kr11_perturb(prediction):
    """The regimes swapped: the kernel completion at α → 0, the planted matrix at α → ∞,
    and every Fig. 3 ordering reversed."""
    return {**prediction, "small": [prediction["large"]], "large": prediction["small"][0],
            "sign": -prediction["sign"]}


def _completion_table(results):
    """{seed: limits measurement} and {(seed, case): [(log10 α, flow measurement)] by α}."""
    limits, flows = {}, {}
    for point, measured in results:
        if point["kind"] == "limits":
            limits[point["seed"]] = measured
        else:
            flows.setdefault((point["seed"], _case(point)), []).append(
                (point["log10_alpha"], measured))
    return limits, {key: sorted(value, key=lambda pair: pair[0]) for key, value in flows.items()}


def completion_curves(truth, mask, flows, limits):
    """Per α: Fig. 3's reconstruction error Σ_{ij∉Ω}(M*_ij − M_ij)² and change of the
    unobserved entries Σ_{ij∉Ω}(M_ij − M(0)_ij)² (M(0) = 0: unbiased start), and the
    distance ‖M − L‖_F to every limit L in ``limits`` in units of ‖M* − M_K‖_F."""
    unobserved = ~mask
    scale = float(np.linalg.norm(truth - limits["tangent kernel"]))
    matrices = [np.array(measured["M"]) for _, measured in flows]
    curves = {"log10_alpha": [a for a, _ in flows],
              "error": [float(np.sum((truth - M)[unobserved] ** 2)) for M in matrices],
              "change": [float(np.sum(M[unobserved] ** 2)) for M in matrices]}
    for name, limit in limits.items():
        curves[name] = [float(np.linalg.norm(M - limit)) / scale for M in matrices]
    return curves


def _limits_of(truth, measured, case):
    return {"ground truth": truth, "nuclear": np.array(measured["nuclear"]),
            "tangent kernel": np.array(measured["kernel"][case])}


def _unjudged(case, curve_points, measured):
    """Why a (seed, initialisation) cannot be judged, as texts (empty if it can)."""
    failed = [f"flow at α = 1e{a:g}: {m['status']}" for a, m in curve_points if not m["ok"]]
    if measured is None:
        failed.append("the limits were not measured")
    elif not measured["nuclear_ok"]:
        failed.append(f"minimum nuclear norm: {measured['nuclear_status']}")
    elif not measured["kernel_ok"][case]:
        failed.append("the tangent kernel is singular on Ω (condition "
                      f"{measured['kernel_condition'][case]:.3g})")
    return failed


def kr11_rows(prediction, results):
    """The inequalities per seed and initialisation, and the reasons some could not be judged."""
    limits, flows = _completion_table(results)
    rows, problems = [], []
    factor, fraction, sign = (prediction["regime_factor"], prediction["limit_fraction"],
                              prediction["sign"])
    changes_at_large = {}

    def row(check, case, seed, value, holds, **extra):
        rows.append({"check": check, "initialisation": case, "seed": seed, "value": value,
                     "holds": bool(holds), **extra})

    for (seed, case), curve_points in sorted(flows.items()):
        measured = limits.get(seed)
        failed = _unjudged(case, curve_points, measured)
        if failed:
            problems += [f"{case}, seed {seed}: {text}" for text in failed]
            continue
        truth, mask = completion_instance(seed)
        curves = completion_curves(truth, mask, curve_points, _limits_of(truth, measured, case))
        ends = {"smallest": (0, 1), "largest": (-1, -2)}
        for end, names in (("smallest", prediction["small"]), ("largest", [prediction["large"]])):
            last, before = ends[end]
            for name in names:
                distance = curves[name]
                approaching = (distance[last] < distance[before]
                               or distance[last] <= APPROACH_FLOOR)
                row(f"α → {'0' if end == 'smallest' else '∞'} ({LIMIT_SOURCES[name]}): "
                    f"‖M − {LIMIT_NAMES[name]}‖ ≤ {fraction:g}·‖M* − M_K‖ at the {end} α, and "
                    f"falling (or ≤ {APPROACH_FLOOR:g})", case, seed, distance[last],
                    distance[last] <= fraction and approaching,
                    at=f"α = 1e{curves['log10_alpha'][last]:g}")
        error = curves["error"]
        ratio = error[-1] / error[0] if sign > 0 else error[0] / error[-1]
        row(f"Fig. 3(i): error at the {'largest' if sign > 0 else 'smallest'} α / error at the "
            f"{'smallest' if sign > 0 else 'largest'} α ≥ {factor:g}", case, seed, ratio,
            ratio >= factor)
        change = curves["change"]
        if case == "identity":
            ratio = change[0] / change[-1] if sign > 0 else change[-1] / change[0]
            row(f"Fig. 3(ii): change of the unobserved entries at the "
                f"{'smallest' if sign > 0 else 'largest'} α / at the "
                f"{'largest' if sign > 0 else 'smallest'} α ≥ {factor:g}", case, seed, ratio,
                ratio >= factor)
            kernel = np.array(measured["kernel"][case])
            difference = float(np.max(np.abs(kernel - np.array(measured["frobenius"])))
                               / np.max(np.abs(kernel)))
            row("§6: for U₀ = V₀ ∝ I the tangent-kernel completion is the minimum-Frobenius "
                f"one (max relative difference ≤ {DELTA_KERNEL_TOL:g})", case, seed, difference,
                difference <= DELTA_KERNEL_TOL)
        else:
            changes_at_large.setdefault(seed, []).append((int(case.split("= ")[1]), change[-1]))
    for seed, by_k in sorted(changes_at_large.items()):
        by_k.sort()
        for (k, change), (k_next, change_next) in zip(by_k, by_k[1:]):
            row(f"Fig. 3(ii): change of the unobserved entries at the largest α "
                f"{'falls' if sign > 0 else 'rises'} from k = {k} to k = {k_next}",
                "gaussian", seed, change_next / change, sign * (change - change_next) > 0)
    # failing rows first: the report shows the first rows of long tables
    return sorted(rows, key=lambda row: row["holds"]), problems


def kr11_compare(prediction, results):
    rows, problems = kr11_rows(prediction, results)
    limits = {p["seed"]: m for p, m in results if p["kind"] == "limits"}
    flows = [m for p, m in results if p["kind"] == "flow"]
    drift = max((m["invariant_drift"] for m in flows), default=math.nan)
    recovers = [seed for seed, m in sorted(limits.items())
                if np.linalg.norm(np.array(m["nuclear"]) - completion_instance(seed)[0])
                <= 1e-6 * np.linalg.norm(completion_instance(seed)[0])]
    measured = (f"{len(flows)} gradient flows (worst conserved-quantity drift {drift:.1e}); "
                f"minimum-nuclear-norm completions certified to duality gap "
                f"{max((m['gap'] for m in limits.values()), default=math.nan):.1e}, of rank "
                f"{[m['rank'] for m in limits.values()]} for seeds {sorted(limits)}; it "
                f"recovers M* for seeds {recovers}")
    reason = (f"each row is one seed and initialisation. The limits: at the end of the α ladder "
              f"the flow must be within {LIMIT_FRACTION:g}·‖M* − M_K‖ of the limit and still "
              f"approaching it (closer than at the previous α, unless already within "
              f"{APPROACH_FLOOR:g}, the integration floor); the numerical errors (flow "
              f"residual {FLOW_TOL:g} at rtol {FLOW_TOL:g}, duality gap ≤ 1e-10, kernel solve at "
              f"rounding) are ≥ 1e6 times smaller. Fig. 3: the orderings must hold by the "
              f"factor {REGIME_FACTOR:g} (an order of magnitude, as KR-10); for Gaussian factors "
              "the unobserved entries at the largest α must change less as k grows. M_K = M_F "
              "for the identity start is held to 1e-12 (rounding of the 60×60 kernel solve). "
              "Where the minimum-nuclear-norm completion is not M* (it has rank > 1 and a "
              "smaller nuclear norm), the flow can approach only one of them")
    return _inequality_verdict(rows, problems, "; ".join(prediction["statements"]), measured,
                               reason)


def kr11_figure(prediction, results, verdict):
    """Fig. 3 (a) identity and (b) Gaussian start: reconstruction error and change of the
    unobserved entries vs α (first seed), and App. D's distances to the limits."""
    limits, flows = _completion_table(results)
    if not limits or not flows:
        return None
    seed = min(limits)
    truth, mask = completion_instance(seed)
    measured = limits[seed]
    nuclear = np.array(measured["nuclear"])
    figure, axes = _figure(2, 3)
    cases = sorted((case for s, case in flows if s == seed),
                   key=lambda c: (c != "identity", len(c), c))
    for row_index, group in enumerate((["identity"], [c for c in cases if c != "identity"])):
        error_axis, change_axis, distance_axis = axes[3 * row_index: 3 * row_index + 3]
        for index, case in enumerate(group):
            kernel = np.array(measured["kernel"][case])
            curves = completion_curves(truth, mask, flows[(seed, case)],
                                       _limits_of(truth, measured, case))
            alphas = 10.0 ** np.array(curves["log10_alpha"])
            color = f"C{index}"
            label = "gradient flow" if case == "identity" else case.replace("gaussian ", "")
            for axis, key, level in (
                    (error_axis, "error", float(np.sum((truth - kernel)[~mask] ** 2))),
                    (change_axis, "change", float(np.sum(kernel[~mask] ** 2)))):
                axis.plot(alphas, _floored(curves[key]), "o-", color=color, markersize=3,
                          label=label)
                if level > 0:       # M_F changes no unobserved entry: no line on a log axis
                    axis.axhline(level, color=color, linestyle=":", linewidth=1)
            for name, style in (("ground truth", "o-"), ("nuclear", "^-."),
                                ("tangent kernel", "s--")):
                distance_axis.plot(alphas, _floored(curves[name]), style, color=color,
                                   markersize=3, fillstyle="none",
                                   label=f"to {LIMIT_NAMES[name]}" + (
                                       "" if case == "identity" else f", {label}"))
        error_axis.axhline(max(float(np.sum((truth - nuclear)[~mask] ** 2)), 1e-20), color="k",
                           linestyle="--", linewidth=1, label="min nuclear norm")
        change_axis.axhline(float(np.sum(nuclear[~mask] ** 2)), color="k", linestyle="--",
                            linewidth=1, label="min nuclear norm")
        distance_axis.axhline(LIMIT_FRACTION, color="grey", linestyle="-", linewidth=0.8,
                              label=f"{LIMIT_FRACTION:g} (limit reached)")
        title = "(a) U₀ = V₀ = α·I (k = 2d)" if row_index == 0 else "(b) Gaussian, width 2k"
        error_axis.set(xscale="log", yscale="log", xlabel="α",
                       ylabel="Σ over unobserved (M* − M)²", title=f"Fig. 3{title}: error")
        change_axis.set(xscale="log", yscale="log", xlabel="α",
                        ylabel="Σ over unobserved (M − M(0))²",
                        title=f"Fig. 3{title[:3]}: change of unobserved entries")
        distance_axis.set(xscale="log", yscale="log", xlabel="α",
                          ylabel="‖M − limit‖ / ‖M* − M_K‖",
                          title="App. D: distance to the limits")
        for axis in (error_axis, change_axis, distance_axis):
            axis.legend(fontsize="x-small", ncol=2 if axis is distance_axis else 1)
    figure.suptitle(f"KR-11, seed {seed}: dotted lines are the tangent-kernel completions "
                    "M_K (α → ∞), dashed the minimum-nuclear-norm one M_NN", fontsize="small")
    return figure


# =============================================================================
# KR-12: small ReLU networks (§7, Fig. 4a–b, App. E)
# =============================================================================

WIDTH, TRAIN_POINTS, TEACHER_WIDTH = 30, 10, 3
STEP, LOSS_TOL = 0.01, 1e-9
# Test error = mean over an equispaced grid of angles: the quadrature of the population error
# E_θ (f − f*)² on the uniform circle, to O(1/TEST_POINTS²) away from the ReLU kinks.
TEST_POINTS = 1000
# The gradient distance is measured on the training points; every 10th test point gives a
# second reading (its sensitivity to where the features are taken).
TEST_FEATURE_STRIDE = 10


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
    """GD from α·w̄₀ (α^D from the point): status, steps, final and peak loss, test error and
    gradient distance (training points, and every 10th test point).

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
    [fit] = relu_gradient_descent(start, X, y, lr=STEP, tol=LOSS_TOL, max_steps=point["max_steps"],
                             max_loss_growth=1.0)
    measured.update(status=fit.status.name, steps=fit.certificate.iterations)
    if fit.status is Status.DIVERGED:
        return measured
    trained = [layer[None] for layer in fit.value]
    X_features = X_test[::TEST_FEATURE_STRIDE]
    return {**measured, "loss": fit.certificate.details["loss"],
            "peak_loss_ratio": fit.certificate.details["peak_loss_ratio"],
            "test_error": float(np.mean((network_outputs(trained, X_test)[0] - y_test) ** 2)),
            "gradient_distance": float(gradient_distance(features,
                                                         tangent_features(trained, X))[0]),
            "gradient_distance_test": float(gradient_distance(
                tangent_features(start, X_features), tangent_features(trained, X_features))[0])}


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
    return {"sign": 1, "test_factor": TEST_FACTOR, "distance_factor": REGIME_FACTOR,
            "statements": ["Fig. 4a: the test error at the smallest α^D is below the test "
                           "error at the largest α^D (small initialisation generalises better)",
                           f"Fig. 4b: the gradient distance at the largest α^D is at least "
                           f"{REGIME_FACTOR:g}× below the one at the smallest α^D (large "
                           "initialisation stays in the kernel regime)"]}


def kr12_perturb(prediction):
    """Both statements reversed: large α generalises better and moves its features more."""
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
    rows, problems, notes = [], [], []
    for depth, by_seed in sorted(_network_table(results).items()):
        low, high, depth_notes = judged_range(by_seed)
        notes += [f"D = {depth}, {note}" for note in depth_notes]
        if low is None or high is None or high == low:
            problems.append(f"D = {depth}: no judged pair of α^D (the smallest α^D must reach "
                            f"loss {LOSS_TOL:g} at every seed, and a larger one too)")
            continue
        for check, factor, ratio in (
                ("Fig. 4a: mean log₁₀(test error at the larger α^D / at the smallest)",
                 prediction["test_factor"], lambda runs: runs[high]["test_error"]
                 / runs[low]["test_error"]),
                ("Fig. 4b: mean log₁₀(gradient distance at the smallest α^D / at the larger)",
                 prediction["distance_factor"], lambda runs: runs[low]["gradient_distance"]
                 / runs[high]["gradient_distance"])):
            mean, half = mean_ci([math.log10(ratio(runs)) for runs in by_seed.values()])
            rows.append({"check": f"{check} {'≥' if sign > 0 else '≤ −'} log₁₀ {factor:g}",
                         "depth": depth, "α^D": f"1e{low:g} → 1e{high:g}", "value": mean,
                         "95 % CI ±": float(half), "seeds": len(by_seed),
                         "holds": bool(sign * mean >= math.log10(factor))})
    runs = sum(len(by_seed) * len(next(iter(by_seed.values())))
               for by_seed in _network_table(results).values())
    measured = (f"{runs} GD runs (step {STEP:g}, to loss < {LOSS_TOL:g}) at depths "
                f"{sorted(_network_table(results))}"
                + (f"; not judged: {'; '.join(notes)}" if notes else ""))
    reason = (f"each inequality must hold for the mean over seeds (95 % CIs reported, not "
              f"required), comparing the smallest α^D of the ladder with the largest α^D at "
              f"which GD stood for gradient flow at every seed (started below its stability "
              f"limit, reached loss < {LOSS_TOL:g}, and the loss never rose above its start). "
              f"Gradient distance: an order of magnitude ({REGIME_FACTOR:g}, as KR-10), the "
              f"kernel regime keeps its features; test error: the direction only (a ratio above "
              f"{TEST_FACTOR:g}), which is all the paper states; on this teacher both regimes "
              "fit the circle to well below 1 % of the label variance")
    return _inequality_verdict(rows, problems, "; ".join(prediction["statements"]), measured,
                               reason)


def kr12_figure(prediction, results, verdict):
    """Fig. 4a (test error) and 4b (gradient distance) vs α^D per depth, geometric means over
    seeds with every seed faint; hollow markers are α^D where GD did not stand for gradient
    flow; the third panel is the number of steps GD took."""
    if not results:
        return None
    figure, (error_axis, distance_axis, steps_axis) = _figure(1, 3)
    for index, (depth, by_seed) in enumerate(sorted(_network_table(results).items())):
        color = f"C{index}"
        ladder = sorted(next(iter(by_seed.values())))
        x = 10.0 ** np.array(ladder)
        ok = np.array([all(judged(runs[a]) is None for runs in by_seed.values()) for a in ladder])
        for axis, key in ((error_axis, "test_error"), (distance_axis, "gradient_distance"),
                          (distance_axis, "gradient_distance_test"), (steps_axis, "steps")):
            values = np.array([[runs[a].get(key, np.nan) for a in ladder]
                               for runs in by_seed.values()], dtype=float)
            values[values <= 0] = np.nan
            test_points = key == "gradient_distance_test"
            for seed_values in values if not test_points else []:
                axis.plot(x, seed_values, "-", color=color, alpha=0.25, linewidth=0.8)
            with warnings.catch_warnings():      # an α^D no seed could measure is NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.exp(np.nanmean(np.log(values), axis=0))
            if test_points:
                axis.plot(x, mean, ":", color=color, linewidth=1,
                          label=f"D = {depth}, at 100 test points")
                continue
            axis.plot(x, mean, "-", color=color, label=f"D = {depth}")
            axis.plot(x[ok], mean[ok], "o", color=color, markersize=4)
            axis.plot(x[~ok], mean[~ok], "o", color=color, markersize=5, fillstyle="none")
    steps_axis.axhline(MAX_STEPS, color="k", linestyle="--", linewidth=0.8, label="step budget")
    error_axis.set(xscale="log", yscale="log", xlabel="α^D",
                   ylabel="test error E_θ(f − f*)² (E f*² = 1)", title="Fig. 4a: test error")
    distance_axis.set(xscale="log", yscale="log", xlabel="α^D",
                      ylabel="1 − cos(φ_w(0), φ_w(T))", title="Fig. 4b: gradient distance")
    steps_axis.set(xscale="log", yscale="log", xlabel="α^D", ylabel="GD steps to loss < 1e-9",
                   title="cost")
    for axis in (error_axis, distance_axis, steps_axis):
        axis.legend(fontsize="x-small")
    figure.suptitle("KR-12: geometric means over seeds (faint: each seed); hollow: GD was "
                    "beyond its stability limit, catapulted or ran out of steps",
                    fontsize="small")
    return figure


# =============================================================================
# The claims
# =============================================================================

CLAIMS = [
    Claim(
        id="KR-11",
        title="matrix completion: small α recovers the low-rank matrix, large α the kernel one",
        statement="Gradient flow on F(U, V) = UVᵀ for a 10×10 rank-one completion with 60 observed "
                  "entries, from the unbiased start α·([Ū, −Ū], [V̄, V̄]): as α → 0 it recovers the "
                  "planted M* (§6, Fig. 3) and ends at the minimum-nuclear-norm completion (App. D); "
                  "as α → ∞ it ends at the tangent kernel's minimum-RKHS-norm completion, which for "
                  "U₀ = V₀ ∝ I is the minimum-Frobenius one (unobserved entries untouched); for "
                  "Gaussian Ū, V̄ the kernel tends to the Frobenius one as the width k grows.",
        source=f"{PAPER}, §6, Fig. 3, App. D (Fig. 5); §3 for the kernel limit",
        fidelity=Fidelity.PAPER,
        derivation="No formula: the limits are computed independently of the flow — "
                   "numerics.min_nuclear_norm_completion (Douglas–Rachford, certified by a "
                   "duality gap), numerics.min_frobenius_completion (closed form P_Ω(y)) and "
                   "numerics.tangent_kernel_completion (M₀ + ZV₀V₀ᵀ + U₀U₀ᵀZ, Z on Ω, the "
                   "kernel of §6).",
        conventions="Loss ½‖P_Ω(UVᵀ) − y‖² (the paper's ‖·‖² rescales time only). M* = u*v*ᵀ, "
                    "u*, v* ~ N(0, I₁₀); Ω: 60 entries uniformly without replacement. (a) "
                    "identity: U₀ = α[I, −I], V₀ = α[I, I] (width 2d = 20, §6's k = 2d); (b) "
                    "Gaussian: U₀ = α[Ū, −Ū], V₀ = α[V̄, V̄] with Ū, V̄ ∈ ℝ^{10×k} i.i.d. N(0, 1) "
                    "(width 2k, as Fig. 3's caption; the α scale is per entry, so the tangent "
                    "kernel grows like α²k and the transition moves to smaller α as k grows — "
                    "see the figure). The flow is integrated in its exact transported form "
                    "W(t) = Φ(t)W(0) (LSODA, analytic Jacobian, rtol 1e-10) to relative residual "
                    "1e-10. Instances: seeds 0 and 1 have minimum-nuclear-norm completions of "
                    "rank 2 and 3 (nuclear norm below M*'s), seed 2's is M*; in 6 of seeds 0–9 "
                    "the nuclear norm misses M*. Quick: identity start at seeds 0–2 and "
                    "Gaussian k ∈ {5, 100} at seed "
                    "0, α ∈ 1e{-4, -3.5, 1, 1.5}; full: seeds 0–2, α ∈ 1e-5.5 … 1e1.5 in half "
                    "decades, k ∈ {5, 20, 100, 1000}.",
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
                    "w̄₀ per seed for all α. Loss: the mean (1/N)Σ(f − y)² (torch's MSELoss; the "
                    "paper's §2 sum is the same path at step 10× larger, which would make He "
                    "initialisation itself unstable at step 0.01: λ_max of the sum-loss Hessian "
                    "times 0.01 exceeds 2 at α^D ≈ 1). Teacher: 2-3-1 ReLU net, He-initialised, "
                    "scaled to mean square 1 on the circle; test error: mean over 1000 "
                    "equispaced angles. Gradient distance: 1 − cos between the initial and final "
                    "tangent features at the 10 training points, each network's N×P feature "
                    "matrix as one vector (also shown at 100 test points). Only α^D where GD "
                    "reached the loss tolerance without the loss ever rising above its start are "
                    "judged; GD is not run where step·λ_max((2/N)JᵀJ) ≥ 2 at the start (beyond "
                    "its stability limit). Quick: D = 3, seed 0, α^D ∈ {10^-1, 10^0.5}; full: "
                    "D ∈ {2, 3, 5}, seeds 0–1, α^D ∈ 10^{-2, -1, -0.5, 0, 0.5, 1}, at most 3e6 "
                    "steps per run. MNIST and CIFAR10 (Fig. 4e–f) cannot be downloaded here, and "
                    "no image data set ships with the installed packages (scikit-learn, whose "
                    "load_digits would, is not installed): they are not reproduced.",
        points=kr12_points, measure=measure_networks, predict=kr12_predict,
        compare=kr12_compare, perturb=kr12_perturb, figure=kr12_figure),
]
FORMULA_VIEWS: list = []

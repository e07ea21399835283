"""Training dynamics of diagonal linear networks, simulated directly.

The model is β = w₊^D − w₋^D (elementwise powers) with w₊(0) = w₋(0) = α₀𝟙,
where α₀ = α (``convention="per_factor"``) or α^{1/D} (``"end_to_end"``), so
each branch starts at A = α₀^D as in :mod:`numerics.dln`.  Any other
:class:`~numerics.parameterisation.Parameterisation` β = Σⱼ sⱼwⱼ^{kⱼ} (e.g.
:func:`~numerics.parameterisation.squared`, β = w⊙w) is simulated by the same
code when passed as ``parameterisation=``; the D-branch formulas below are its
special case sⱼ = ±1, kⱼ = D.

* :func:`gradient_flow` integrates the flow on L(w) = ½‖Xβ − y‖² (Woodworth
  et al. 2020, eq. (13) for D = 2 and eqs. (96), (98) for D ≥ 3) with a stiff
  ODE solver.  It uses neither the potential nor the dual, so it is an
  independent check of :func:`numerics.dln.dln_limit`.
* :func:`gradient_descent` runs discrete (stochastic) gradient descent, with
  optional label noise, whose limits differ from the flow's by O(step size).
* :func:`sharpness` is the top curvature of the depth-2 loss at an
  interpolant of the flow, the scale of a "large" step (GD is stable for
  steps below 2/sharpness).
"""

from __future__ import annotations

import math
import numbers
from typing import Sequence

import numpy as np
import scipy.integrate
import scipy.linalg
from threadpoolctl import threadpool_limits

from ._types import RealArray, RealLike
from .arith import Float64Arith
from .parameterisation import Parameterisation, diagonal_network
from .solution import Certificate, Solution, Status
from .validation import InputError, check_design, check_positive

_RESIDUAL_CONDITION = (
    "gradient flow has no KKT system; the certificate is the interpolation residual "
    "at the stopping time")
_STIFF_METHODS = ("Radau", "BDF", "LSODA")
_MIN_RTOL = 100 * np.finfo(np.float64).eps
# Loss growth that counts as divergence for gradient descent.
_DIVERGENCE_FACTOR = 1e8


def _single_threaded_blas():
    """BLAS on one thread for the duration of a simulation.

    The matrices here are at most ~200×200, where threads buy nothing; on a
    loaded machine OpenBLAS threads waiting for a core made a d = 60 flow
    9× slower (14 s against 1.6 s, measured).
    """
    return threadpool_limits(limits=1)


def _check_tol(tol):
    check_positive("tol", tol)
    if tol >= 1:
        raise InputError(
            f"tol = {tol!r} ≥ 1 is met by β = 0 before any training; pass a tolerance "
            "below 1 (e.g. 1e-12)")
    return float(tol)


def _model(depth, parameterisation):
    """The parameterisation to simulate: the given one, or the depth-D diagonal network."""
    if parameterisation is None:
        return diagonal_network(2 if depth is None else depth)
    if not isinstance(parameterisation, Parameterisation):
        raise InputError(f"parameterisation = {parameterisation!r} is not a numerics."
                         "Parameterisation; build one with diagonal_network(D), squared() or "
                         "Parameterisation(name, signs, powers, factor_names)")
    if depth is not None:
        raise InputError(f"depth = {depth!r} and parameterisation = {parameterisation.name!r} "
                         "both set the model; pass only parameterisation "
                         "(diagonal_network(D) is the depth-D network)")
    return parameterisation


def _model_stats(model, convention, log_a0):
    return {"depth": max(model.powers), "convention": convention, "log_init_factor": log_a0,
            "parameterisation": model.name}


def _float_design(X, y):
    """Validated float64 X, y (inputs given as mpf are rounded) and the Gram matrix."""
    X, y, gram = check_design(X, y)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64), gram


def _certificate(residual, tol, iterations, details):
    residual = float(residual)
    return Certificate(primal_residual=residual, optimality_residual=residual,
                       optimality_condition=_RESIDUAL_CONDITION, tolerance=tol,
                       iterations=int(iterations), precision=Float64Arith.digits,
                       details=details)


def _drift_error_estimate(b, log_a0, model, X, gram, beta):
    """First-order estimate of ‖Δβ‖∞/‖β‖∞ caused by the integrator's drift.

    In the mirror coordinate Eⱼ(b) = b (kⱼ = 2), Eⱼ(b) = (1 − e^{(2−kⱼ)b})/(kⱼ − 2)
    (kⱼ ≥ 3) of a shifted log-factor bⱼ = log(wⱼ/α₀), the flow reads
    Eⱼ(bⱼ) = −cⱼ Xᵀ∫r with cⱼ = sⱼkⱼα₀^{kⱼ−2} (for the diagonal network these
    are eqs. (14), (97) and (99): e(b₊) = −e(b₋) = −D α₀^{D−2} Xᵀ∫r).  So the
    exact flow keeps every ẽⱼ = Eⱼ/(sⱼ|cⱼ/c₁|) equal across branches and in
    range(Xᵀ), and its limit is the one point of that manifold with Xβ = y.
    An integrator's error along the manifold is forgotten; its drift off it
    (the spread of the ẽⱼ, and the part of Σⱼẽⱼ outside range(Xᵀ)) is not,
    and moves β by dβ/dEⱼ · δEⱼ with |dβ/dEⱼ| = kⱼ α₀^{kⱼ} (wⱼ/α₀)^{2kⱼ−2};
    the drift in E alone would hide this factor, which is large in the kernel
    regime α₀^k ≫ |β|.  For k = 2 the invariants are linear in b, and every
    Runge–Kutta/BDF step preserves linear invariants, so only rounding
    drifts; for k ≥ 3 they are not.  Measured against dln_limit, the estimate
    is 5–200× above the actual error once that exceeds the stopping error.
    """
    powers = np.array(model.powers, dtype=float)[:, None]
    signs = np.array(model.signs, dtype=float)[:, None]
    e = np.where(powers == 2, b, -np.expm1((2 - powers) * b) / np.where(powers == 2, 1, powers - 2))
    # log|cⱼ/c₁|: equal powers (the diagonal network) give 0, so no α₀ power is formed
    log_ratio = np.log(powers / powers[0]) + (powers - powers[0]) * log_a0
    normalised = e / (signs * np.exp(log_ratio))
    total = normalised.sum(axis=0)
    off_range = total - X.T @ np.linalg.solve(gram, X @ total)
    drift = np.ptp(normalised, axis=0) + np.abs(off_range)
    log_sensitivity = log_ratio + np.log(powers) + powers * log_a0 + (2 * powers - 2) * b
    return float(np.max(np.exp(log_sensitivity) * drift) / np.max(np.abs(beta)))


# The integrator's step fell below float64's spacing of t, or its Newton iteration
# met a non-finite Jacobian: from a tiny α the escape from the saddle at w = 0 is
# abrupt on the scale of t, which no rtol or t_max changes.
_FLOW_BREAKDOWN_ADVICE = (
    "the stiff integrator cannot follow the flow from this alpha in float64 (its reason is "
    "certificate.details['solver_message']); for the limit use dln_limit(X, y, alpha, "
    "depth), or integrate from a larger alpha")


def _shifted_beta(model, log_a0, b):
    """β at shifted log-factors b = log(w/α₀) (shape (branches, d)), without cancellation.

    β = β(0) + Σⱼ sⱼ α₀^{kⱼ} expm1(kⱼbⱼ): in the kernel regime α₀^k ≫ |β| the
    terms sⱼα₀^{kⱼ}e^{kⱼbⱼ} nearly cancel, their expm1 parts do not (the
    flow moves the branches in opposite directions), and each term is formed
    as exp(kⱼ log α₀ + log|expm1(kⱼbⱼ)|), which neither underflows at α₀ = 1e-300
    nor overflows while β is finite.
    """
    beta = sum(sign * math.exp(power * log_a0) for sign, power in zip(model.signs, model.powers))
    for sign, power, bj in zip(model.signs, model.powers, b):
        x = power * bj
        # |expm1(x)| = e^{max(x, 0)}·(−expm1(−|x|)) for either sign of x
        log_abs = np.maximum(x, 0) + np.log(-np.expm1(-np.abs(x)))
        beta = beta + sign * np.sign(x) * np.exp(power * log_a0 + log_abs)
    return beta


def gradient_flow(X: RealArray, y: RealArray, alpha: RealLike, depth: int | None = None, *,
                  parameterisation: Parameterisation | None = None,
                  convention: str = "per_factor", tol: float = 1e-12, t_max: float = 1e12,
                  rtol: float = 1e-12, method: str = "Radau") -> Solution:
    """Integrate the gradient flow of the depth-D DLN (or another parameterisation)
    until it interpolates.

    The flow on L(w) = ½‖Xβ − y‖², β = w₊^D − w₋^D (``depth``, default 2), is
    (eqs. (13), (96), (98))

        ẇ₊ = −D w₊^{D−1} ⊙ Xᵀr,   ẇ₋ = +D w₋^{D−1} ⊙ Xᵀr,   r = Xβ − y,

    from w± = α₀𝟙; for a ``parameterisation`` β = Σⱼ sⱼwⱼ^{kⱼ} (e.g.
    ``squared()``, β = w⊙w from w = α𝟙) it is ẇⱼ = −sⱼkⱼ wⱼ^{kⱼ−1} ⊙ Xᵀr.  The
    factors stay positive, so it is integrated in the shifted log coordinates
    bⱼ = log(wⱼ/α₀), where it reads

        ḃⱼ = −sⱼkⱼ wⱼ^{kⱼ−2} ⊙ Xᵀr,   bⱼ(0) = 0,

    with ``scipy.integrate.solve_ivp`` (stiff ``method``, analytic dense
    Jacobian) until ‖r‖/‖y‖ ≤ ``tol`` or t = ``t_max``.  Nothing here uses the
    potential or the dual of :func:`numerics.dln.dln_limit`, whose answer this
    independently checks.

    Returns a :class:`~numerics.solution.Solution` with ``value`` = β at the
    stopping time; ``certificate.details`` holds the solver's counts (nfev,
    njev, nlu), ``t_final``, ``rtol``, ``atol`` and ``drift_error_estimate``, an
    a-posteriori estimate of the integration error in β from the state's
    distance to the flow's invariant manifold (see
    :func:`_drift_error_estimate`); the stopping residual adds an error of
    order ``tol`` times the conditioning of Xβ = y near the limit.
    ``stats["log_factors"]`` holds log wⱼ at the stopping time (one row per branch).

    Cost: at the default rtol = 1e-12 Radau takes ~10³ steps, ~10⁴ for D ≥ 3
    at α ≤ 0.1 (saddle-to-saddle plateaus), i.e. 0.3–5 s for d ≤ 60;
    ``method="LSODA"`` is 5–10× faster and still agrees with dln_limit to
    ≲ 1e-9 on such instances.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0); X = rng.standard_normal((3, 6)); y = X[:, 0]
    >>> from numerics.dln import dln_limit
    >>> gf = gradient_flow(X, y, 0.5); gf.ok
    True
    >>> bool(np.linalg.norm(gf.value - dln_limit(X, y, 0.5).value) < 1e-9)
    True
    """
    model = _model(depth, parameterisation)
    X, y, gram = _float_design(X, y)
    tol = _check_tol(tol)
    check_positive("t_max", t_max)
    check_positive("rtol", rtol)
    if rtol < _MIN_RTOL:
        raise InputError(
            f"rtol = {rtol!r} is below float64 resolution (solve_ivp needs rtol ≥ 100·eps ≈ "
            f"{_MIN_RTOL:.1e}); pass rtol ≥ 1e-13")
    if method not in _STIFF_METHODS:
        raise InputError(
            f"method = {method!r}: the flow is stiff (its Jacobian scales like α₀^(2D−2)‖X‖²), "
            f"so use one of the implicit solve_ivp methods {', '.join(_STIFF_METHODS)}")
    log_a0 = model.log_init_factor(alpha, convention)
    d = X.shape[1]
    branches = model.branches
    y_norm = float(np.linalg.norm(y))
    kernel = np.tile(X.T @ X, (branches, branches))
    powers = np.repeat(np.array(model.powers, dtype=float), d)
    # sⱼkⱼ per state coordinate: ∂β/∂bⱼ = sⱼkⱼwⱼ^{kⱼ}
    weight = np.repeat(np.array(model.signs, dtype=float) * np.array(model.powers), d)

    def predictor(b):
        """log w (all branches stacked) and β."""
        return log_a0 + b, _shifted_beta(model, log_a0, b.reshape(branches, d))

    def rhs(_t, b):
        log_w, beta = predictor(b)
        g = X.T @ (X @ beta - y)
        return -weight * np.exp((powers - 2) * log_w) * np.tile(g, branches)

    def jac(_t, b):
        # f = −v ⊙ X̃ᵀr with vⱼ = sⱼkⱼwⱼ^{kⱼ−2}, X̃ = [X, …, X], r = Xβ − y, and
        # ∂wᵏ/∂b = k wᵏ: ∂f/∂b = −diag((k−2) v ⊙ X̃ᵀr) − diag(v) X̃ᵀX̃ diag(u),
        # uⱼ = sⱼkⱼwⱼ^{kⱼ}, where X̃ᵀX̃ is XᵀX tiled over the branch blocks.
        log_w, beta = predictor(b)
        v, u = weight * np.exp((powers - 2) * log_w), weight * np.exp(powers * log_w)
        g = X.T @ (X @ beta - y)
        J = -(v[:, None] * kernel * u[None, :])
        J[np.diag_indices_from(J)] -= (powers - 2) * v * np.tile(g, branches)
        return J

    # Stop a little below tol: the event time is a root of the dense-output
    # interpolant, where the residual equals the threshold only to rounding.
    log_target = np.log(tol / 2)

    def converged(_t, b):
        # In log form the residual decays nearly linearly in t, which the event
        # root-finder resolves in a few evaluations.
        res = np.linalg.norm(X @ predictor(b)[1] - y) / y_norm
        return np.log(max(res, np.finfo(float).tiny)) - log_target

    converged.terminal = True
    converged.direction = -1

    # atol: an error δ in b is a relative error δ in w and moves β by about
    # k·w^k·δ.  Where w ≫ α₀ (active coordinates) rtol·|b| already bounds that
    # by k·rtol·|b|·|βᵢ|; where b ≈ 0 (w ≈ α₀: inactive coordinates, and all
    # of them in the kernel regime A = α₀^k ≫ |β|) only atol acts and the error
    # is ≈ k·A·atol.  atol = rtol·min(1, s/max(k·A)), with s = ‖β_ℓ2‖∞ the size
    # of the answer, keeps that below rtol·‖β‖∞, so atol never limits accuracy.
    # (With atol = rtol, D = 4 and α = 100 come out 1e-8 off instead of 1e-12.)
    # Shifting by log α₀ is what lets atol act at all: in b = log w, rtol·|log α₀|
    # would swamp it.
    scale = float(np.max(np.abs(X.T @ np.linalg.solve(gram, y))))
    log_branch_size = max(math.log(k) + k * log_a0 for k in model.powers)
    atol = rtol * math.exp(min(0.0, math.log(scale) - log_branch_size))
    stats = _model_stats(model, convention, log_a0)

    # Overflow can only come from a failed solve; it shows up as a non-finite β.
    with _single_threaded_blas(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        try:
            ode = scipy.integrate.solve_ivp(
                rhs, (0.0, float(t_max)), np.zeros(branches * d), method=method, jac=jac,
                events=converged, rtol=rtol, atol=atol)
        except (ValueError, np.linalg.LinAlgError) as exc:
            # the implicit solver's Newton iteration met a non-finite Jacobian:
            # report the failure, never a vector
            details = {"method": method, "solver_message": str(exc)}
            return Solution(value=np.full(d, np.nan),
                            certificate=_certificate(float("nan"), tol, 0, details),
                            status=Status.BREAKDOWN, advice=_FLOW_BREAKDOWN_ADVICE,
                            stats=stats)
        b = ode.y[:, -1]
        beta = predictor(b)[1]
        residual = float(np.linalg.norm(X @ beta - y) / y_norm)
        drift = _drift_error_estimate(b.reshape(branches, d), log_a0, model, X, gram, beta)
    fired = ode.status == 1
    if ode.status == -1 or not np.isfinite(residual):
        status, advice = Status.BREAKDOWN, _FLOW_BREAKDOWN_ADVICE
    elif fired and residual <= tol:
        status, advice = Status.SUCCESS, ""
    else:
        status, advice = Status.TIME_LIMIT, f"raise t_max (it was {float(t_max):g})"
    details = {"nfev": ode.nfev, "njev": ode.njev, "nlu": ode.nlu, "t_final": float(ode.t[-1]),
               "rtol": float(rtol), "atol": float(atol), "method": method,
               "drift_error_estimate": drift,
               "solver_message": ode.message}
    stats["log_factors"] = (log_a0 + b).reshape(branches, d)
    return Solution(value=beta, certificate=_certificate(residual, tol, ode.nfev, details),
                    status=status, advice=advice, stats=stats)


def _check_batch_size(batch_size, n):
    if batch_size is None:
        return n
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) \
            or not 1 <= batch_size <= n:
        raise InputError(
            f"batch_size = {batch_size!r} must be an integer with 1 ≤ batch_size ≤ n = {n} "
            "(the number of rows of X); pass None for full-batch gradient descent")
    return int(batch_size)


def _check_label_noise(label_noise):
    if isinstance(label_noise, bool) or not isinstance(label_noise, numbers.Real) \
            or not np.isfinite(label_noise) or label_noise < 0:
        raise InputError(
            f"label_noise = {label_noise!r} must be a finite standard deviation ≥ 0; "
            "pass 0 for plain (S)GD")
    return float(label_noise)


def _check_init(init, d, model):
    """The factors to resume from: one positive finite length-d vector per branch."""
    names = ", ".join(model.factor_names)
    how = (f"a pair ({names})" if model.branches == 2
           else f"a tuple ({names},)" if model.branches == 1
           else f"a tuple ({names})")
    try:
        factors = [np.array(part, dtype=np.float64) for part in init]
    except (TypeError, ValueError) as exc:
        raise InputError(f"init must be {how} of length-{d} arrays, e.g. "
                         f"solution.stats['factors'] of an earlier run ({exc})") from exc
    if len(factors) != model.branches:
        raise InputError(f"init must be {how} of length-{d} arrays, one per branch of "
                         f"{model.name!r}, got {len(factors)} parts; pass "
                         "solution.stats['factors'] of an earlier run")
    if any(w.shape != (d,) for w in factors):
        raise InputError(f"init factors must all have shape ({d},), got "
                         f"{' and '.join(str(w.shape) for w in factors)}; pass "
                         "solution.stats['factors'] of a run on this X")
    if not all(np.all(np.isfinite(w) & (w > 0)) for w in factors):
        raise InputError("init factors must be finite and positive (gradient descent keeps "
                         "the factors > 0 from w(0) = α₀𝟙); pass the factors of an earlier run")
    return factors


def gradient_descent(X: RealArray, y: RealArray, alpha: RealLike, depth: int | None = None, *,
                     lr: float, steps: int,
                     parameterisation: Parameterisation | None = None,
                     batch_size: int | None = None, label_noise: float = 0.0,
                     seed: int | None = None, convention: str = "per_factor", tol: float = 1e-10,
                     record_every: int | None = None,
                     init: Sequence[RealArray] | None = None) -> Solution:
    """Run (stochastic) gradient descent on the depth-D DLN (or another
    parameterisation) from w = α₀𝟙.

    Each step draws a batch B of b rows without replacement (all n rows when
    ``batch_size`` is None), adds fresh N(0, σ²) noise to y_B when
    ``label_noise`` σ > 0 (label-noise SGD), and takes

        w₊ ← w₊ − η D w₊^{D−1} ⊙ g,   w₋ ← w₋ + η D w₋^{D−1} ⊙ g,
        g = X_Bᵀ(X_B β − ỹ_B)/b,

    (wⱼ ← wⱼ − η sⱼkⱼ wⱼ^{kⱼ−1} ⊙ g for a ``parameterisation`` β = Σⱼ sⱼwⱼ^{kⱼ})
    the gradient step on L_B(w) = (1/(2b))‖X_B β − ỹ_B‖², the discrete
    counterpart of eqs. (13), (96), (98): k full-batch steps follow
    :func:`gradient_flow` (whose loss is ½‖r‖², without the 1/n) to time ηk/n,
    and the limit moves by O(η) from the flow's.  It stops when the full-data residual
    ‖Xβ − y‖/‖y‖ ≤ ``tol`` (checked every step for full batches, every ⌈n/b⌉
    steps otherwise, so checking costs at most as much as the steps), or after
    ``steps`` steps, or on divergence (a non-finite value, or the full-data
    loss above 1e8 times its initial value).

    ``init=(w₊, w₋)`` (one array per branch) resumes from given factors instead
    of α₀𝟙 (e.g. a label-noise phase followed by a noiseless one);
    ``stats["factors"]`` holds the final factors for that purpose.  α still
    sets the convention's scale record, and the divergence threshold stays
    relative to the loss at β = 0.

    Status: SUCCESS iff the residual meets ``tol`` at the end, DIVERGED on
    divergence, MAX_ITERATIONS otherwise.  With ``record_every=k``,
    ``stats["trajectory"]`` lists (step, full-data loss (1/(2n))‖Xβ − y‖²)
    every k steps and at the end.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0); X = rng.standard_normal((3, 6)); y = X[:, 0]
    >>> gd = gradient_descent(X, y, 0.5, lr=0.05, steps=100_000); gd.ok
    True
    """
    model = _model(depth, parameterisation)
    X, y, _ = _float_design(X, y)
    check_positive("lr", lr)
    check_positive("steps", steps, integer=True)
    n, d = X.shape
    b = _check_batch_size(batch_size, n)
    sigma = _check_label_noise(label_noise)
    tol = _check_tol(tol)
    if record_every is not None:
        check_positive("record_every", record_every, integer=True)
    log_a0 = model.log_init_factor(alpha, convention)
    a0 = float(np.exp(log_a0))
    rng = np.random.default_rng(seed)
    full = b == n
    check_every = 1 if full else -(-n // b)
    y_norm = float(np.linalg.norm(y))
    loss_limit = _DIVERGENCE_FACTOR * 0.5 * y_norm ** 2 / n  # β(0) = 0, so L(0) = ‖y‖²/(2n)
    # the step of branch j is −(η/b)·sⱼkⱼ·wⱼ^{kⱼ−1} ⊙ g
    step_sizes = [lr * sign * power / b for sign, power in zip(model.signs, model.powers)]

    factors = ([np.full(d, a0) for _ in model.powers] if init is None
               else _check_init(init, d, model))
    trajectory = []
    diverged = False
    taken = 0
    with _single_threaded_blas(), np.errstate(over="ignore", invalid="ignore"):
        while True:
            # One power per branch per step: w^{k−1} serves both β and the gradient.
            powered = [w ** (power - 1) for w, power in zip(factors, model.powers)]
            beta = powered[0] * factors[0] if model.signs[0] > 0 else -(powered[0] * factors[0])
            for sign, p, w in zip(model.signs[1:], powered[1:], factors[1:]):
                beta = beta + p * w if sign > 0 else beta - p * w
            record = record_every is not None and taken % record_every == 0
            r_full = X @ beta - y if full or record or taken % check_every == 0 else None
            if r_full is not None:
                r_norm = float(np.linalg.norm(r_full))
                loss = 0.5 * r_norm * r_norm / n
                if record:
                    trajectory.append((taken, loss))
                if not np.isfinite(loss) or loss > loss_limit or r_norm <= tol * y_norm:
                    break
            if taken == steps:
                break
            if full:
                Xb, r = X, r_full
            else:
                rows = rng.choice(n, size=b, replace=False)
                Xb = X[rows]
                r = Xb @ beta - y[rows]
            if sigma > 0:
                r = r - sigma * rng.standard_normal(b)
            g = Xb.T @ r
            if not np.all(np.isfinite(g)):
                diverged = True
                break
            factors = [w - step * p * g for w, p, step in zip(factors, powered, step_sizes)]
            taken += 1
        r_norm = float(np.linalg.norm(X @ beta - y))
    loss = 0.5 * r_norm * r_norm / n
    residual = r_norm / y_norm
    if diverged or not np.isfinite(loss) or loss > loss_limit:
        status, advice = Status.DIVERGED, f"reduce lr (it was {float(lr):g})"
    elif residual <= tol:
        status, advice = Status.SUCCESS, ""
    else:
        status, advice = Status.MAX_ITERATIONS, f"raise steps (it was {steps}), or lr"
    if record_every is not None and trajectory[-1][0] != taken:
        trajectory.append((taken, loss))
    details = {"lr": float(lr), "batch_size": b, "label_noise": sigma, "loss": loss}
    stats = _model_stats(model, convention, log_a0)
    stats.update(init_factor=a0, factors=tuple(factors))
    if record_every is not None:
        stats["trajectory"] = trajectory
    return Solution(value=beta, certificate=_certificate(residual, tol, taken, details),
                    status=status, stats=stats, advice=advice)


def sharpness(X, beta, alpha):
    """λ_max of the Hessian of L = ‖Xβ − y‖²/(2n) at an interpolant β reached by the
    depth-2 flow from w± = α𝟙 (per-factor α).

    With β = w₊² − w₋² the Hessian at an interpolant is JᵀJ/n, J = [2X diag(w₊),
    −2X diag(w₋)], whose top eigenvalue is that of (4/n)·X diag(w₊² + w₋²) Xᵀ; the
    flow conserves w₊w₋ = α², so w₊² + w₋² = √(β² + 4α⁴).  Gradient descent with
    step η is stable near β for η < 2/λ_max.
    """
    X = np.asarray(X, dtype=np.float64)
    beta = np.asarray(beta, dtype=np.float64)
    if beta.shape != (X.shape[1],):
        raise InputError(f"beta must have one entry per column of X ({X.shape[1]}), got shape "
                         f"{beta.shape}")
    check_positive("alpha", alpha)
    n = X.shape[0]
    weights = np.sqrt(beta ** 2 + 4 * float(alpha) ** 4)
    top = scipy.linalg.eigvalsh((4 / n) * (X * weights) @ X.T, subset_by_index=[n - 1, n - 1])
    return float(top[0])

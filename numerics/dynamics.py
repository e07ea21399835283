"""Training dynamics of diagonal linear networks, simulated directly.

The model is β = w₊^D − w₋^D (elementwise powers) with w₊(0) = w₋(0) = α₀𝟙,
where α₀ = α (``convention="per_factor"``) or α^{1/D} (``"end_to_end"``), so
each branch starts at A = α₀^D as in :mod:`numerics.dln`.

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

import numpy as np
import scipy.integrate
import scipy.linalg
from threadpoolctl import threadpool_limits

from .arith import Float64Arith
from .dln import log_branch_scale
from .solution import Certificate, Solution, Status
from .validation import InputError, check_depth, check_design, check_positive

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


def _initial_log_factor(alpha, depth, convention):
    """log α₀, the log of every factor's initial value, from α and the convention."""
    return log_branch_scale(alpha, depth, convention, Float64Arith()) / depth


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


def _drift_error_estimate(b, log_a0, depth, X, gram, beta):
    """First-order estimate of ‖Δβ‖∞/‖β‖∞ caused by the integrator's drift.

    In the mirror coordinate e(b) = b (D = 2), e(b) = (1 − e^{(2−D)b})/(D − 2)
    (D ≥ 3) of a shifted log-factor b = log(w/α₀), eqs. (14), (97) and (99)
    read e(b₊) = −e(b₋) = −D α₀^{D−2} Xᵀ∫r (D = 2: b₊ = −b₋ = −2Xᵀ∫r).  So the
    exact flow keeps e(b₊) + e(b₋) = 0 and e(b₊) − e(b₋) ∈ range(Xᵀ), and its
    limit is the one point of that manifold with Xβ = y.  An integrator's
    error along the manifold is forgotten; its drift off it is not, and moves
    β by dβ/de · δe with dw^D/de = D α₀^D (w/α₀)^{2D−2} (taken at the larger
    branch); the drift in e alone would hide this factor, which is large in the
    kernel regime α₀^D ≫ |β|.  For D = 2 the invariants are linear in b, and
    every Runge–Kutta/BDF step preserves linear invariants, so only rounding
    drifts; for D ≥ 3 they are not.  Measured against dln_limit, the estimate
    is 5–200× above the actual error once that exceeds the stopping error.
    """
    d = X.shape[1]
    e = b if depth == 2 else -np.expm1((2 - depth) * b) / (depth - 2)
    pair = e[:d] + e[d:]
    diff = e[:d] - e[d:]
    off_range = diff - X.T @ np.linalg.solve(gram, X @ diff)
    log_sensitivity = np.log(depth) + depth * log_a0 + (2 * depth - 2) * np.maximum(b[:d], b[d:])
    drift = np.abs(pair) + np.abs(off_range)
    return float(np.max(np.exp(log_sensitivity) * drift) / np.max(np.abs(beta)))


# The integrator's step fell below float64's spacing of t, or its Newton iteration
# met a non-finite Jacobian: from a tiny α the escape from the saddle at w = 0 is
# abrupt on the scale of t, which no rtol or t_max changes.
_FLOW_BREAKDOWN_ADVICE = (
    "the stiff integrator cannot follow the flow from this alpha in float64 (its reason is "
    "certificate.details['solver_message']); for the limit use dln_limit(X, y, alpha, "
    "depth), or integrate from a larger alpha")


def gradient_flow(X, y, alpha, depth=2, *, convention="per_factor", tol=1e-12, t_max=1e12,
                  rtol=1e-12, method="Radau"):
    """Integrate the gradient flow of the depth-D DLN until it interpolates.

    The flow on L(w) = ½‖Xβ − y‖², β = w₊^D − w₋^D, is (eqs. (13), (96), (98))

        ẇ₊ = −D w₊^{D−1} ⊙ Xᵀr,   ẇ₋ = +D w₋^{D−1} ⊙ Xᵀr,   r = Xβ − y,

    from w± = α₀𝟙.  The factors stay positive, so it is integrated in the
    shifted log coordinates b± = log(w±/α₀), where it reads

        ḃ₊ = −D w₊^{D−2} ⊙ Xᵀr,   ḃ₋ = +D w₋^{D−2} ⊙ Xᵀr,   b±(0) = 0,

    with ``scipy.integrate.solve_ivp`` (stiff ``method``, analytic dense 2d×2d
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
    depth = check_depth(depth)
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
    log_a0 = _initial_log_factor(alpha, depth, convention)
    d = X.shape[1]
    y_norm = float(np.linalg.norm(y))
    kernel = np.tile(X.T @ X, (2, 2))
    sign = np.concatenate([np.ones(d), -np.ones(d)])

    def predictor(b):
        """log w (both branches stacked) and β = w₊^D − w₋^D."""
        log_w = log_a0 + b
        # β = 2 exp(D·mean(log w±)) sinh(D·(b₊ − b₋)/2) exactly; unlike the
        # difference of the two powers it does not cancel when α₀^D ≫ |β|
        # (the kernel regime).
        beta = 2 * np.exp(depth * (log_w[:d] + log_w[d:]) / 2) * np.sinh(depth * (b[:d] - b[d:]) / 2)
        return log_w, beta

    def rhs(_t, b):
        log_w, beta = predictor(b)
        g = X.T @ (X @ beta - y)
        return -depth * sign * np.exp((depth - 2) * log_w) * np.concatenate([g, g])

    def jac(_t, b):
        # f = −D v ⊙ X̃ᵀr with X̃ = [X, −X], r = X̃ w^D − y, and ∂w^k/∂b = k w^k:
        # ∂f/∂b = −D(D−2) diag(v ⊙ X̃ᵀr) − D² diag(v) X̃ᵀX̃ diag(w^D),
        # where X̃ᵀX̃ = (s sᵀ) ⊗ XᵀX for the branch signs s = (𝟙, −𝟙).
        log_w, beta = predictor(b)
        v, u = np.exp((depth - 2) * log_w), np.exp(depth * log_w)
        g = X.T @ (X @ beta - y)
        J = (-depth ** 2) * ((sign * v)[:, None] * kernel * (sign * u)[None, :])
        J[np.diag_indices_from(J)] -= depth * (depth - 2) * sign * v * np.concatenate([g, g])
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
    # D·w^D·δ.  Where w ≫ α₀ (active coordinates) rtol·|b| already bounds that
    # by D·rtol·|b|·|βᵢ|; where b ≈ 0 (w ≈ α₀: inactive coordinates, and all
    # of them in the kernel regime A = α₀^D ≫ |β|) only atol acts and the error
    # is ≈ D·A·atol.  atol = rtol·min(1, s/(D·A)), with s = ‖β_ℓ2‖∞ the size of
    # the answer, keeps that below rtol·‖β‖∞, so atol never limits accuracy.
    # (With atol = rtol, D = 4 and α = 100 come out 1e-8 off instead of 1e-12.)
    # Shifting by log α₀ is what lets atol act at all: in b = log w, rtol·|log α₀|
    # would swamp it.
    scale = float(np.max(np.abs(X.T @ np.linalg.solve(gram, y))))
    atol = rtol * math.exp(min(0.0, math.log(scale / depth) - depth * log_a0))

    # Overflow can only come from a failed solve; it shows up as a non-finite β.
    with _single_threaded_blas(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        try:
            ode = scipy.integrate.solve_ivp(
                rhs, (0.0, float(t_max)), np.zeros(2 * d), method=method, jac=jac,
                events=converged, rtol=rtol, atol=atol)
        except (ValueError, np.linalg.LinAlgError) as exc:
            # the implicit solver's Newton iteration met a non-finite Jacobian:
            # report the failure, never a vector
            details = {"method": method, "solver_message": str(exc)}
            return Solution(value=np.full(d, np.nan),
                            certificate=_certificate(float("nan"), tol, 0, details),
                            status=Status.BREAKDOWN, advice=_FLOW_BREAKDOWN_ADVICE,
                            stats={"depth": depth, "convention": convention,
                                   "log_init_factor": log_a0})
        b = ode.y[:, -1]
        beta = predictor(b)[1]
        residual = float(np.linalg.norm(X @ beta - y) / y_norm)
        drift = _drift_error_estimate(b, log_a0, depth, X, gram, beta)
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
    return Solution(value=beta, certificate=_certificate(residual, tol, ode.nfev, details),
                    status=status, advice=advice,
                    stats={"depth": depth, "convention": convention, "log_init_factor": log_a0})


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


def _check_init(init, d):
    """The factors (w₊, w₋) to resume from: two positive finite length-d vectors."""
    try:
        w_plus, w_minus = (np.array(part, dtype=np.float64) for part in init)
    except (TypeError, ValueError) as exc:
        raise InputError(f"init must be a pair (w_plus, w_minus) of length-{d} arrays, e.g. "
                         f"solution.stats['factors'] of an earlier run ({exc})") from exc
    if w_plus.shape != (d,) or w_minus.shape != (d,):
        raise InputError(f"init factors must both have shape ({d},), got {w_plus.shape} and "
                         f"{w_minus.shape}; pass solution.stats['factors'] of a run on this X")
    if not (np.all(np.isfinite(w_plus) & (w_plus > 0)) and np.all(np.isfinite(w_minus)
                                                                  & (w_minus > 0))):
        raise InputError("init factors must be finite and positive (gradient descent keeps "
                         "w± > 0 from w±(0) = α₀𝟙); pass the factors of an earlier run")
    return w_plus, w_minus


def gradient_descent(X, y, alpha, depth=2, *, lr, steps, batch_size=None, label_noise=0.0,
                     seed=None, convention="per_factor", tol=1e-10, record_every=None,
                     init=None):
    """Run (stochastic) gradient descent on the depth-D DLN from w± = α₀𝟙.

    Each step draws a batch B of b rows without replacement (all n rows when
    ``batch_size`` is None), adds fresh N(0, σ²) noise to y_B when
    ``label_noise`` σ > 0 (label-noise SGD), and takes

        w₊ ← w₊ − η D w₊^{D−1} ⊙ g,   w₋ ← w₋ + η D w₋^{D−1} ⊙ g,
        g = X_Bᵀ(X_B β − ỹ_B)/b,

    the gradient step on L_B(w) = (1/(2b))‖X_B β − ỹ_B‖², the discrete
    counterpart of eqs. (13), (96), (98): k full-batch steps follow
    :func:`gradient_flow` (whose loss is ½‖r‖², without the 1/n) to time ηk/n,
    and the limit moves by O(η) from the flow's.  It stops when the full-data residual
    ‖Xβ − y‖/‖y‖ ≤ ``tol`` (checked every step for full batches, every ⌈n/b⌉
    steps otherwise, so checking costs at most as much as the steps), or after
    ``steps`` steps, or on divergence (a non-finite value, or the full-data
    loss above 1e8 times its initial value).

    ``init=(w₊, w₋)`` resumes from given factors instead of α₀𝟙 (e.g. a
    label-noise phase followed by a noiseless one); ``stats["factors"]`` holds
    the final (w₊, w₋) for that purpose.  α still sets the convention's scale
    record, and the divergence threshold stays relative to the loss at β = 0.

    Status: SUCCESS iff the residual meets ``tol`` at the end, DIVERGED on
    divergence, MAX_ITERATIONS otherwise.  With ``record_every=k``,
    ``stats["trajectory"]`` lists (step, full-data loss (1/(2n))‖Xβ − y‖²)
    every k steps and at the end.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0); X = rng.standard_normal((3, 6)); y = X[:, 0]
    >>> gd = gradient_descent(X, y, 0.5, lr=0.05, steps=100_000); gd.ok
    True
    """
    depth = check_depth(depth)
    X, y, _ = _float_design(X, y)
    check_positive("lr", lr)
    check_positive("steps", steps, integer=True)
    n, d = X.shape
    b = _check_batch_size(batch_size, n)
    sigma = _check_label_noise(label_noise)
    tol = _check_tol(tol)
    if record_every is not None:
        check_positive("record_every", record_every, integer=True)
    a0 = float(np.exp(_initial_log_factor(alpha, depth, convention)))
    rng = np.random.default_rng(seed)
    full = b == n
    check_every = 1 if full else -(-n // b)
    y_norm = float(np.linalg.norm(y))
    loss_limit = _DIVERGENCE_FACTOR * 0.5 * y_norm ** 2 / n  # β(0) = 0, so L(0) = ‖y‖²/(2n)
    step_size = lr * depth / b

    w_plus, w_minus = (np.full(d, a0), np.full(d, a0)) if init is None else _check_init(init, d)
    trajectory = []
    diverged = False
    taken = 0
    with _single_threaded_blas(), np.errstate(over="ignore", invalid="ignore"):
        while True:
            # One power per branch per step: w^{D−1} serves both β and the gradient.
            p_plus, p_minus = w_plus ** (depth - 1), w_minus ** (depth - 1)
            beta = p_plus * w_plus - p_minus * w_minus
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
            w_plus = w_plus - step_size * p_plus * g
            w_minus = w_minus + step_size * p_minus * g
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
    stats = {"depth": depth, "convention": convention, "init_factor": a0,
             "factors": (w_plus, w_minus)}
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

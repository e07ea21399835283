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
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.integrate

from .arith import Float64Arith
from .dln import log_branch_scale
from .solution import Certificate, Solution, Status
from .validation import InputError, check_depth, check_design, check_positive

_RESIDUAL_CONDITION = (
    "gradient flow has no KKT system; the certificate is the interpolation residual "
    "at the stopping time")
_STIFF_METHODS = ("Radau", "BDF", "LSODA")
# Loss growth that counts as divergence for gradient descent.
_DIVERGENCE_FACTOR = 1e8


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


def _certificate(residual, tol, iterations, details):
    residual = float(residual)
    return Certificate(primal_residual=residual, optimality_residual=residual,
                       optimality_condition=_RESIDUAL_CONDITION, tolerance=tol,
                       iterations=int(iterations), precision=Float64Arith.digits,
                       details=details)


def _invariant_drift(b, depth, X, gram):
    """How far the state b = log(w/α₀) has left the exact flow's invariant manifold.

    Eqs. (14) and (97), (99) give, with e(b) = b for D = 2 and
    e(b) = (1 − e^{(2−D)b})/(D − 2) for D ≥ 3 (so that e = (α₀^{2−D} − w^{2−D})/
    ((D−2)α₀^{2−D})), the conservation laws e(b₊) + e(b₋) = 0 and
    e(b₊) − e(b₋) ∈ range(Xᵀ).  The exact flow keeps both; an integrator's drift
    from them is its error in the directions the dynamics never correct, which is
    what perturbs the limit.  Returns the larger sup-norm violation.
    """
    d = X.shape[1]
    e = b if depth == 2 else -np.expm1((2 - depth) * b) / (depth - 2)
    pair = e[:d] + e[d:]
    diff = e[:d] - e[d:]
    off_range = diff - X.T @ np.linalg.solve(gram, X @ diff)
    return float(max(np.max(np.abs(pair)), np.max(np.abs(off_range))))


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
    njev, nlu), ``t_final``, ``rtol`` and ``invariant_drift`` (the integrator's
    departure from the flow's conservation laws, see :func:`_invariant_drift`;
    ~rtol·steps when the integration is sound).

    >>> import numpy as np
    >>> rng = np.random.default_rng(0); X = rng.standard_normal((3, 6)); y = X[:, 0]
    >>> from numerics.dln import dln_limit
    >>> gf = gradient_flow(X, y, 0.5); gf.ok
    True
    >>> bool(np.linalg.norm(gf.value - dln_limit(X, y, 0.5).value) < 1e-9)
    True
    """
    depth = check_depth(depth)
    X, y, gram = check_design(X, y)
    tol = _check_tol(tol)
    check_positive("t_max", t_max)
    check_positive("rtol", rtol)
    if method not in _STIFF_METHODS:
        raise InputError(
            f"method = {method!r}: the flow is stiff (its Jacobian scales like α^(2D−2)‖X‖²), "
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

    # atol: an error δ in b is a relative error δ in w and changes β by about
    # D·w^D·δ.  Where w ≫ α₀ (active coordinates) rtol·|b| already bounds that
    # by D·rtol·|βᵢ|; where b ≈ 0 (w ≈ α₀, everywhere in the kernel regime
    # α₀^D ≳ |β|) only atol acts and the error is ≈ D·A·atol.  Taking
    # atol = rtol·min(1, s/(D·A)), with s = ‖β_ℓ2‖∞ the size of the answer,
    # keeps that below rtol·‖β‖∞, so atol never limits the accuracy; using
    # b = log(w/α₀) rather than log w also keeps rtol·|b| from swamping it.
    scale = float(np.max(np.abs(X.T @ np.linalg.solve(gram, y))))
    atol = rtol * min(1.0, scale / (depth * np.exp(depth * log_a0)))

    with np.errstate(over="ignore", invalid="ignore"):
        ode = scipy.integrate.solve_ivp(
            rhs, (0.0, float(t_max)), np.zeros(2 * d), method=method, jac=jac,
            events=converged, rtol=rtol, atol=atol)
        b = ode.y[:, -1]
        beta = predictor(b)[1]
        residual = float(np.linalg.norm(X @ beta - y) / y_norm)
    fired = ode.status == 1
    if ode.status == -1 or not np.isfinite(residual):
        status = Status.BREAKDOWN
    elif fired and residual <= tol:
        status = Status.SUCCESS
    else:
        status = Status.MAX_ITERATIONS
    details = {"nfev": ode.nfev, "njev": ode.njev, "nlu": ode.nlu, "t_final": float(ode.t[-1]),
               "rtol": float(rtol), "atol": float(atol), "method": method,
               "invariant_drift": _invariant_drift(b, depth, X, gram),
               "solver_message": ode.message}
    return Solution(value=beta, certificate=_certificate(residual, tol, ode.nfev, details),
                    status=status,
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


def gradient_descent(X, y, alpha, depth=2, *, lr, steps, batch_size=None, label_noise=0.0,
                     seed=None, convention="per_factor", tol=1e-10, record_every=None):
    """Run (stochastic) gradient descent on the depth-D DLN from w± = α₀𝟙.

    Each step draws a batch B of b rows without replacement (all n rows when
    ``batch_size`` is None), adds fresh N(0, σ²) noise to y_B when
    ``label_noise`` σ > 0 (label-noise SGD), and takes

        w₊ ← w₊ − η D w₊^{D−1} ⊙ g,   w₋ ← w₋ + η D w₋^{D−1} ⊙ g,
        g = X_Bᵀ(X_B β − ỹ_B)/b,

    the gradient step on L_B(w) = (1/(2b))‖X_B β − ỹ_B‖², the discrete
    counterpart of eqs. (13), (96), (98).  It stops when the full-data residual
    ‖Xβ − y‖/‖y‖ ≤ ``tol`` (checked every step for full batches, every ⌈n/b⌉
    steps otherwise, so checking costs at most as much as the steps), or after
    ``steps`` steps, or on divergence (a non-finite value, or the full-data
    loss above 1e8 times its initial value).

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
    X, y, _ = check_design(X, y)
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

    w_plus, w_minus = np.full(d, a0), np.full(d, a0)
    trajectory = []
    diverged = False
    taken = 0
    with np.errstate(over="ignore", invalid="ignore"):
        while True:
            # One power per branch per step: w^{D−1} serves both β and the gradient.
            p_plus, p_minus = w_plus ** (depth - 1), w_minus ** (depth - 1)
            beta = p_plus * w_plus - p_minus * w_minus
            r_full = X @ beta - y if full or taken % check_every == 0 else None
            if r_full is not None:
                r_norm = float(np.linalg.norm(r_full))
                loss = 0.5 * r_norm ** 2 / n
                if record_every is not None and taken % record_every == 0:
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
    loss = 0.5 * r_norm ** 2 / n
    residual = r_norm / y_norm
    if diverged or not np.isfinite(loss) or loss > loss_limit:
        status = Status.DIVERGED
    elif residual <= tol:
        status = Status.SUCCESS
    else:
        status = Status.MAX_ITERATIONS
    if record_every is not None and trajectory[-1][0] != taken:
        trajectory.append((taken, loss))
    details = {"lr": float(lr), "batch_size": b, "label_noise": sigma, "loss": loss}
    stats = {"depth": depth, "convention": convention, "init_factor": a0}
    if record_every is not None:
        stats["trajectory"] = trajectory
    return Solution(value=beta, certificate=_certificate(residual, tol, taken, details),
                    status=status, stats=stats)

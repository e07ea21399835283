"""The dual Newton solver shared by every interpolant and DLN limit.

Problem: ``min_μ F(μ) = Σψ*((Xᵀμ)ᵢ) − ⟨y, μ⟩`` for a separable potential
(see :mod:`numerics.potentials`); at the optimum ``β = (ψ*)'(Xᵀμ)`` solves
``argmin Σψ(βᵢ) s.t. Xβ = y``.  The dual has n ≪ d variables, so a Newton
step costs one n×n system ``X diag(w) Xᵀ Δ = −(Xβ − y)``, about one
minimum-ℓ2 solve (the cost floor the benchmark measures against).

Design choices (each for a failure mode of the plain method):

* Newton systems are solved by preconditioned conjugate gradients whose
  matrix-vector products run in the working precision and whose
  preconditioner is a float64 Cholesky factor of a (possibly earlier)
  Hessian.  In float64 a fresh factor solves the system in one CG step and a
  stale one is reused while it still converges in a few steps, so most
  iterations cost O(nd) instead of O(n²d); at ``precision=k`` the same loop
  is mixed-precision iterative refinement.
* The factor is regularised (``+τI``) when the Hessian is numerically
  singular, as it is near the ℓ1 limit where all but a few weights vanish;
  CG with exact products then still converges on the directions that matter.
* Steps stop short of the domain boundary (fraction 0.99 of the way) and are
  backtracked on the Armijo condition, with objective *differences* supplied
  by the potential (cancellation-free), or, once the residual is small (where
  F's changes fall below rounding), on a decrease of the residual.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg

from .solution import Status

_ARMIJO = 1e-4
_TO_BOUNDARY = 0.99
_MIN_STEP = 1e-14
_LOCAL = 1e-6          # relative residual below which steps must reduce it


@dataclass
class Preconditioner:
    """A float64 Cholesky factor of a regularised dual Hessian."""

    factor: tuple
    shift: float

    @classmethod
    def build(cls, Xf, weights_f):
        wf = np.where(np.isfinite(weights_f), weights_f, np.finfo(np.float64).max)
        Xs = Xf * np.sqrt(wf)
        return cls.from_matrix(Xs @ Xs.T)

    @classmethod
    def from_matrix(cls, H):
        n = H.shape[0]
        scale = float(np.max(np.diag(H))) if n else 1.0
        if not (scale > 0 and math.isfinite(scale)):
            scale = 1.0
        tau = n * np.finfo(np.float64).eps * scale
        for _ in range(12):
            try:
                f = scipy.linalg.cho_factor(H + tau * np.eye(n), lower=True, check_finite=True)
                return cls(f, tau)
            except (np.linalg.LinAlgError, ValueError):
                tau *= 100.0
        raise np.linalg.LinAlgError("dual Hessian could not be factorised")

    def solve(self, r, a):
        out = scipy.linalg.cho_solve(self.factor, a.to_float(r), check_finite=False)
        return a.asarray(out) if a.name != "float64" else out


@dataclass
class DualResult:
    mu: object
    state: object
    beta: object
    residual: object                # ‖Xβ − y‖ / ‖y‖ in the working precision
    status: Status
    iterations: int = 0
    cg_iterations: int = 0
    factorizations: int = 0
    preconditioner: Preconditioner | None = None
    history: list = field(default_factory=list)
    displacement: object = 0        # Σ t·Δ̃: the dual move, in units of the potential's c


def _pcg(hess_vec, b, precond, a, rtol, maxiter):
    """Preconditioned CG for H x = b; returns (x, iterations, converged)."""
    x = b * 0
    r = b.copy() if hasattr(b, "copy") else b
    bnorm = a.norm(b)
    if bnorm == 0:
        return x, 0, True
    zv = precond.solve(r, a)
    p = zv
    rz = np.dot(r, zv)
    for k in range(1, maxiter + 1):
        Hp = hess_vec(p)
        pHp = np.dot(p, Hp)
        if not (pHp > 0):
            return x, k, False
        step = rz / pHp
        x = x + step * p
        r = r - step * Hp
        if a.norm(r) <= rtol * bnorm:
            return x, k, True
        zv = precond.solve(r, a)
        rz_new = np.dot(r, zv)
        p = zv + (rz_new / rz) * p
        rz = rz_new
    return x, maxiter, False


def dual_newton(X, y, potential, a, *, state, mu, tol, max_iter,
                preconditioner=None, Xf=None, cg_refresh=None, cg_max=None):
    """Minimise the dual from (state, μ) until ‖Xβ − y‖ ≤ tol·‖y‖.

    ``X, y, mu`` are arrays of the working arithmetic ``a``; ``state`` is the
    potential's dual state for ``Xᵀμ``.  Returns a :class:`DualResult`.
    """
    if Xf is None:
        Xf = a.to_float(X)
    extra_digits = max(0.0, a.digits - 15.0)
    n = X.shape[0]
    # A CG step costs ~2nd flops, a fresh factor ~n²d: keep a stale factor while
    # CG needs fewer than ~n/16 steps with it.
    if cg_refresh is None:
        cg_refresh = max(4, n // 16) + int(extra_digits / 10)
    if cg_max is None:
        cg_max = max(25, n // 4) + int(extra_digits / 5)
    ynorm = a.norm(y)
    log_c = potential.log_dual_scale(a)
    c = a.exp_scalar(log_c)

    beta = potential.link(state, a)
    r = X @ beta - y
    res = a.norm(r) / ynorm
    out = DualResult(mu, state, beta, res, Status.MAX_ITERATIONS, preconditioner=preconditioner)
    if not (a.isfinite(beta) and a.isfinite(r)):
        out.status = Status.BREAKDOWN
        return out

    precond = preconditioner
    status = Status.MAX_ITERATIONS
    for _ in range(max_iter + 1):
        if res <= tol:
            status = Status.SUCCESS
            break
        if out.iterations == max_iter:
            break
        w = potential.weights(state, a)
        if a.name == "float64":
            # Weights below 1e-250·max cannot move the Hessian at this precision;
            # flushing them avoids subnormal arithmetic (10× slower on x86).
            w = np.where(w < 1e-250 * np.max(w), 0.0, w)

        def hess_vec(v, w=w):
            return X @ (w * (X.T @ v))

        rtol = max(a.eps * 100, min(0.5, float(res) ** 0.5))
        delta, k, descent, fresh = None, 0, False, False
        while not descent:
            if precond is None or not fresh and delta is not None:
                try:
                    precond = Preconditioner.build(Xf, a.to_float(w))
                except np.linalg.LinAlgError:
                    break
                out.factorizations += 1
                fresh = True
            # With a fresh factor, CG fails to converge only where the factor's
            # regularisation hides directions (near-singular Hessians): give it
            # room to resolve them, still at O(nd) per step.
            delta, k, converged = _pcg(hess_vec, -r, precond, a, rtol,
                                       4 * cg_max if fresh else cg_max)
            out.cg_iterations += k
            descent = np.dot(r, delta) < 0
            if fresh or (converged and descent):
                break       # a fresh factor is the best this iteration can do
        if not descent:
            status = Status.BREAKDOWN if precond is None else Status.STAGNATED
            break
        if k > cg_refresh:
            precond = None   # stale: rebuild at the next iterate

        v = X.T @ delta
        slope = np.dot(r, delta)
        t = min(1.0, _TO_BOUNDARY * potential.max_step(state, v, a))
        accepted = False
        while t >= _MIN_STEP:
            new = potential.shift(state, v, t, a)
            if new is not None:
                beta_new = potential.link(new, a)
                r_new = X @ beta_new - y
                if a.isfinite(r_new):
                    dF = potential.conjugate_change(state, new, a) - t * np.dot(y, delta)
                    res_new = a.norm(r_new) / ynorm
                    # Far from the solution: Armijo on F.  Close to it, F's changes
                    # drown in rounding and a noisy Armijo test could accept a step
                    # that wrecks the residual, so there the residual must shrink.
                    if (res_new <= (1 - _ARMIJO * t) * res if res < _LOCAL
                            else dF <= _ARMIJO * t * slope):
                        accepted = True
                        break
            t *= 0.5
        if not accepted:
            status = Status.STAGNATED
            break
        state, beta, r, res = new, beta_new, r_new, res_new
        mu = mu + (c * t) * delta
        out.displacement = out.displacement + t * delta
        out.iterations += 1
        out.history.append((float(res), float(t), k))

    out.status = status
    out.mu, out.state, out.beta, out.residual = mu, state, beta, res
    out.preconditioner = precond
    return out


def componentwise_residual(target, X, mu, a):
    """maxᵢ |targetᵢ − (Xᵀμ)ᵢ| / max(|targetᵢ|, (|X|ᵀ|μ|)ᵢ).

    The componentwise relative backward error of ``target ≈ Xᵀμ``: each
    coordinate is measured against the size of the terms its inner product
    sums, so rescaling a column of X (or all of μ) leaves it unchanged, and
    rounding alone gives about n·eps.
    """
    scale = abs(X).T @ abs(mu)
    scale = np.maximum(np.asarray(a.to_float(scale)), np.asarray(a.to_float(abs(target))))
    diff = np.asarray(a.to_float(abs(target - X.T @ mu))) if a.name == "float64" else None
    if diff is None:
        # keep the working precision for the difference, divide in floats
        d = abs(target - X.T @ mu)
        diff = np.array([float(v) for v in d])
    ok = scale > 0
    return float(np.max(diff[ok] / scale[ok])) if np.any(ok) else 0.0


def stationarity_residual(X, potential, result, a):
    """Componentwise backward error of z = Xᵀμ for the returned dual state.

    β = link(z) holds by construction (to rounding), so this is the KKT
    stationarity residual ∇ψ(β) ∈ range(Xᵀ) of the returned pair.
    """
    return componentwise_residual(potential.z(result.state, a), X, result.mu, a)

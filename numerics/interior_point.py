"""Primal–dual path following to the depth-D ≥ 3 DLN limit at small scale (float64).

At depth D ≥ 3 the limit β = A·h_D(z), h_D(z) = (1−z)^{−m} − (1+z)^{−m},
m = D/(D−2) (Woodworth et al. 2020, App. C; :mod:`numerics.dln`), splits into
its two branches u = A(1−z)^{−m} and v = A(1+z)^{−m}, the limits of w₊^D and
w₋^D, with β = u − v.  Written with p = u^{1/m}, q = v^{1/m} and the slacks
s₊ = 1 − z, s₋ = 1 + z of the box |Xᵀμ| ≤ 1, the limit at scale A solves

    X(u − v) = y,    p·s₊ = τ,    q·s₋ = τ,    τ = A^{1/m}:

the optimality system of the LP min ‖β‖₁ s.t. Xβ = y (variables u, v ≥ 0,
dual slacks s±) with its complementarity relaxed to τ.  So the DLN limits
at decreasing A are a central path of that LP, and a primal–dual
interior-point method follows it with the LP's step rules (Wright, *Primal-
Dual Interior-Point Methods*, 1997, ch. 10): Mehrotra's predictor–corrector
chooses how far τ falls in each step, Gondzio's (1996) centrality correctors
lengthen the step, and once the target τ is reached the same Newton system
(with τ held fixed) converges to the limit at that A.

Why: the dual-only continuation of :mod:`numerics.dln` keeps u, v tied to z
at every iterate, and near the LP vertex (α → 0 at D ≥ 3, where gaps 1 − |zᵢ|
fall like A^{(D−2)/D}) its damped Newton steps need 36–140 iterations at
n = 200, d = 4000 where this path applies (D = 3, α ≤ 1e-2; D = 4, 5, α ≤ 0.1);
decoupling the primal from the dual, as interior-point methods do, needs 8–15
path iterations and 1–3 polishing Newton steps (the bench instance).  Each
iteration costs one Cholesky factor of X·diag(w)·Xᵀ, w = m(u/s₊ + v/s₋).

This is only a *start*: the caller polishes the returned dual vector with
:func:`numerics.newton.dual_newton` at the target scale, whose result alone
is certified.  Any failure here (a singular factor, non-finite numbers, no
progress, the iteration limit) returns ``None`` and the caller falls back to
its continuation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arith import arith_for
from .newton import Preconditioner

# Mehrotra's heuristic: the centring parameter is (τ_affine/τ̄)^_SIGMA_POWER; 2 took
# 3–8 % fewer iterations than the textbook 3 over D = 3–5, α = 1e-3–0.1 (bench instance).
_SIGMA_POWER = 2
# Fraction of the way to the boundary a step may go (u, v, s± stay positive).
_TO_BOUNDARY = 0.995
# Gondzio correctors per iteration: each costs one solve with the iteration's factor
# (~1/20 of the factor) and 4 cut the iterations by 17 % in all over the same grid.
_CORRECTORS = 4
_CORRECTOR_BOX = 10.0     # products are pushed into [τ/10, 10τ] around the target
# The start's dual: z = Xᵀμ = 0.8·β_ℓ2/‖β_ℓ2‖∞, well inside the box (0.5 and 0.95
# measured within 3 % of it in iterations).
_START_GAP = 0.8
# A converged stage: relative residual and max |p·s/τ − 1| (the polish from there
# takes 1–2 Newton steps).  At the target, Newton's centrality falls quadratically
# until the rounding of the gaps (1 − Xᵀμ, to ~1e-16 absolute) or a shifted factor
# of a numerically singular H (|S| < n, sparse noiseless y) stalls it; then the
# point is handed to the polish, whose log-gap state and singular mode resolve that,
# once the centrality stops falling 10× per step below _STALLED.
_RESIDUAL = 1e-9
_CENTRALITY = 1e-6
_STALLED = 1e-2
_MAX_ITER = 40
_MIN_STEP = 1e-8
_F64 = arith_for(None)      # the factor's solves are float64 (the path runs only there)


@dataclass
class CentralPoint:
    """The point of the central path at one target scale, for the caller's polish."""

    log_scale: float
    mu: np.ndarray
    preconditioner: Preconditioner      # the factor of the last iteration's Hessian
    iterations: int                     # since the previous target
    factorizations: int


def central_path(X, y, dual_l2, depth, log_scales):
    """The central points at each of ``log_scales`` (log A, decreasing), or None from
    the first one the path does not reach.

    ``X`` and ``y`` are float64; ``dual_l2`` is ν with XXᵀν = y (the min-ℓ2 dual,
    which the caller has from its Gram factor).  Returns a list as long as
    ``log_scales`` whose entries are :class:`CentralPoint` or None.
    """
    d = X.shape[1]
    m = depth / (depth - 2)
    out = [None] * len(log_scales)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        mu = np.asarray(dual_l2, dtype=float)
        z = X.T @ mu
        scale = _START_GAP / float(np.max(np.abs(z)))
        mu, z = mu * scale, z * scale
        # On the central path at the A₀ whose limit fits y best along this z.
        branch_plus, branch_minus = (1 - z) ** -m, (1 + z) ** -m
        fitted = X @ (branch_plus - branch_minus)
        a0 = float(fitted @ y) / float(fitted @ fitted)
        if not (np.isfinite(a0) and a0 > 0):
            return out
        u, v = a0 * branch_plus, a0 * branch_minus
        ynorm = float(np.linalg.norm(y))
        iterations = factorizations = 0
        factor = None
        for k, log_scale in enumerate(log_scales):
            tau = float(np.exp(log_scale / m))
            last_centrality = np.inf
            while True:
                s_plus, s_minus = 1 - z, 1 + z
                c_plus, c_minus = u ** (1 / m) * s_plus, v ** (1 / m) * s_minus
                r = y - X @ (u - v)
                tau_bar = (float(np.sum(c_plus)) + float(np.sum(c_minus))) / (2 * d)
                centrality = max(float(np.max(np.abs(c_plus / tau - 1))),
                                 float(np.max(np.abs(c_minus / tau - 1))))
                if not (np.isfinite(tau_bar) and np.isfinite(centrality)):
                    return out
                converged = (float(np.linalg.norm(r)) <= _RESIDUAL * ynorm
                             and centrality <= _CENTRALITY)
                stalled = centrality <= _STALLED and centrality > last_centrality / 10
                if factor is not None and (converged or stalled):
                    break
                last_centrality = centrality if tau_bar <= tau * (1 + _STALLED) else np.inf
                if iterations == _MAX_ITER:
                    return out
                try:
                    factor = Preconditioner.build(X, m * (u / s_plus + v / s_minus),
                                                  regular=True)
                except np.linalg.LinAlgError:
                    return out
                factorizations += 1
                step = _step(X, u, v, s_plus, s_minus, c_plus, c_minus, r, tau, tau_bar, m,
                             factor)
                if step is None:
                    return out
                du, dv, dmu, t_primal, t_dual = step
                # p += t·Δp, i.e. u ← u·(1 + t·Δu/(m·u))^m: the step rule is on p and q
                u = u * (1 + t_primal * du / (m * u)) ** m
                v = v * (1 + t_primal * dv / (m * v)) ** m
                mu = mu + t_dual * dmu
                z = X.T @ mu
                iterations += 1
            # the last factor: the Hessian at the central point differs from it by the
            # last, quadratically small step, so the polish's CG needs few steps with it
            out[k] = CentralPoint(log_scale, mu.copy(), factor, iterations, factorizations)
            iterations = factorizations = 0
    return out


def _step(X, u, v, s_plus, s_minus, c_plus, c_minus, r, tau, tau_bar, m, factor):
    """(Δu, Δv, Δμ, primal step, dual step) of one predictor–corrector iteration,
    or None if no step of length ≥ _MIN_STEP keeps the iterate interior.

    The Newton system of p·s₊ = t₊, q·s₋ = t₋ (targets per coordinate) and
    X(u − v) = y in (u, v, μ), with ζ = XᵀΔμ, Δs₊ = −ζ, Δs₋ = ζ and
    Δp/p = Δu/(m·u):  Δu = m·u·(e₊ + ζ/s₊), Δv = m·v·(e₋ − ζ/s₋), where
    e = t/c − 1 − (second-order term), and  X·diag(w)·Xᵀ·Δμ = r − X(m·u·e₊ − m·v·e₋).
    """
    def direction(e_plus, e_minus, rhs):
        dmu = factor.solve(rhs - X @ (m * u * e_plus - m * v * e_minus), _F64)
        zeta = X.T @ dmu
        return m * u * (e_plus + zeta / s_plus), m * v * (e_minus - zeta / s_minus), dmu, zeta

    def lengths(du, dv, zeta):
        primal = min(_max_step(du / (m * u)), _max_step(dv / (m * v)))
        dual = min(_max_step(-zeta / s_plus), _max_step(zeta / s_minus))
        return primal, dual

    def products(du, dv, zeta, t_primal, t_dual):
        return (c_plus * (1 + t_primal * du / (m * u)) * (1 - t_dual * zeta / s_plus),
                c_minus * (1 + t_primal * dv / (m * v)) * (1 + t_dual * zeta / s_minus))

    e_plus = e_minus = 0.0
    target = tau
    if tau_bar > tau:
        # predictor: the affine direction (targets 0), and how far it gets
        du, dv, _, zeta = direction(-np.ones_like(u), -np.ones_like(v), r)
        tp, td = (min(1.0, _TO_BOUNDARY * t) for t in lengths(du, dv, zeta))
        a_plus, a_minus = products(du, dv, zeta, tp, td)
        affine = (float(np.sum(a_plus)) + float(np.sum(a_minus))) / (2 * u.size)
        target = max(tau, tau_bar * (affine / tau_bar) ** _SIGMA_POWER)
        if target > tau:
            # Mehrotra's second-order term Δp_aff·Δs_aff/(p·s)
            e_plus = (tp * du / (m * u)) * (-td * zeta / s_plus)
            e_minus = (tp * dv / (m * v)) * (td * zeta / s_minus)
    du, dv, dmu, zeta = direction(target / c_plus - 1 - e_plus, target / c_minus - 1 - e_minus, r)
    tp, td = lengths(du, dv, zeta)
    for _ in range(_CORRECTORS if target > tau else 0):
        # Gondzio: aim 1.5× further; push the products there back into the box
        # around the target; keep the correction if it lengthens the step.
        trial_plus, trial_minus = products(du, dv, zeta, min(1.0, 1.5 * tp), min(1.0, 1.5 * td))
        lo, hi = target / _CORRECTOR_BOX, target * _CORRECTOR_BOX
        fix_plus = np.maximum(np.clip(trial_plus, lo, hi) - trial_plus, -hi)
        fix_minus = np.maximum(np.clip(trial_minus, lo, hi) - trial_minus, -hi)
        cu, cv, cmu, czeta = direction(fix_plus / c_plus, fix_minus / c_minus, np.zeros_like(r))
        new = (du + cu, dv + cv, dmu + cmu, zeta + czeta)
        ntp, ntd = lengths(new[0], new[1], new[3])
        if min(ntp, ntd) < 1.01 * min(tp, td):
            break
        (du, dv, dmu, zeta), tp, td = new, ntp, ntd
    tp, td = min(1.0, _TO_BOUNDARY * tp), min(1.0, _TO_BOUNDARY * td)
    if not (tp >= _MIN_STEP and td >= _MIN_STEP):
        return None
    return du, dv, dmu, tp, td


def _max_step(rate):
    """The largest t with 1 + t·rateᵢ ≥ 0 for every i (∞ if no rate is negative):
    the most negative rate binds first."""
    fastest = float(np.min(rate))
    return -1 / fastest if fastest < 0 else np.inf


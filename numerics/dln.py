"""Exact gradient-flow limits of diagonal linear networks (DLNs).

Model (Woodworth et al. 2020, eqs. (4) and (8)): β = w₊^D − w₋^D with
w₊(0) = w₋(0) = α𝟙, trained by gradient flow on the square loss.  If the
flow interpolates, its limit is (Thm 1 for D = 2, Thm 3 for D ≥ 3)

    β_α,D(∞) = argmin Σᵢ q_D(βᵢ / A)  s.t.  Xβ = y,     A = α^D,

equivalently β = A·φ_D(Xᵀν) at the dual optimum, with φ₂ = 2 sinh (App. A,
eq. (17)) and φ_D = h_D, h_D(z) = (1−z)^{−D/(D−2)} − (1+z)^{−D/(D−2)}
(App. C).  A is the *branch scale*: each branch w±^D starts at A.

Conventions (``convention=``):

* ``"per_factor"`` (default, Woodworth et al.): every factor starts at α,
  so A = α^D.
* ``"end_to_end"`` (Matt & Stöger's, as reconstructed in
  shared/formulas/stoger-matt-depth-rates.md §2): each branch starts at α,
  i.e. the factors at α^{1/D}, so A = α.  Per-factor α₀ ⇔ end-to-end α₀^D.

Small scales are reached by continuation in log A from a scale where the
dual Newton converges from z = 0, with every quantity evaluated in logs
(A = 1e-1500 for D = 5 at α = 1e-300 is fine in float64).
"""

from __future__ import annotations

import mpmath
import numpy as np

from .arith import arith_for
from .certify import certified_solution, default_tolerance, working_arrays
from .newton import Preconditioner, dual_newton
from .potentials import DeepPotential, HypentropyPotential
from .solution import Status
from .validation import (InputError, check_alpha, check_depth, check_design, check_precision,
                         check_tol)

CONVENTIONS = ("per_factor", "end_to_end")


def log_branch_scale(alpha, depth, convention, a):
    """log A for the given α and convention, in the working arithmetic."""
    if convention not in CONVENTIONS:
        raise InputError(
            f"convention = {convention!r}: use 'per_factor' (w±(0) = α𝟙, Woodworth et al.) "
            "or 'end_to_end' (w±(0)^D = α𝟙, Matt & Stöger)")
    alpha = check_alpha(alpha)
    with mpmath.workdps(max(30, int(a.digits) + 10)):
        log_alpha = mpmath.log(alpha)
        log_a = depth * log_alpha if convention == "per_factor" else log_alpha
    return a.param(log_a) if a.name != "float64" else float(log_a)


def dln_potential(depth, log_scale):
    """The potential of the depth-D DLN limit at branch scale A = exp(log_scale)."""
    return HypentropyPotential(log_scale) if depth == 2 else DeepPotential(depth, log_scale)


# Intermediate continuation stages only need to land in Newton's fast region.
_STAGE_TOL = 1e-8
_MAX_FAILURES = 30
_PREDICTOR_HALVINGS = 6


def _start_log_scale(depth, l2_inf):
    """A branch scale at which Newton from z = 0 lands in |z| ≲ 1/2 at once.

    The first step from z = 0 gives z = β_ℓ2 / φ_D'(0)A with φ_D'(0) = 2
    (D = 2) or 2D/(D−2) (D ≥ 3), so A ≥ ‖β_ℓ2‖∞ keeps |z| ≤ 1/2.
    """
    return float(np.log(l2_inf))


def _path_coordinate(depth, level, a):
    """g(log A) along which the dual path is affine at small scale: μ ≈ μ₀ + g·v.

    D = 2: z = Xᵀμ grows like log(1/A) (Woodworth et al. eq. (17); z = Lν + O(1)),
    so g = log A.  D ≥ 3: the gaps 1 − |zᵢ| on the support shrink like
    A^{(D−2)/D} (β = A·h_D(z) with h_D ~ gap^{−D/(D−2)}), so g = A^{(D−2)/D}.
    """
    if depth == 2:
        return level
    return a.exp_scalar(level * (depth - 2) / depth)


def _predict(Xw, yw, pot, a, state, mu, path, level, depth):
    """Secant predictor in the path coordinate g: extrapolate the last stage's move.

    The last stage moved the dual by c₂·D̃ between levels ℓ₁ → ℓ₂; the next move is
    (g₃ − g₂)/(g₂ − g₁)·c₂·D̃, i.e. a multiple of D̃ in units of the new c₃.
    The asymptotic model is poor in the kernel-to-rich transition, and an
    overshoot towards the domain boundary (gaps too small, β too large) costs
    Newton many slow steps while an undershoot costs few, so the move is
    halved while that lowers the residual ‖Xβ − y‖ (t = 0 is no prediction).
    """
    (l1, _), (l2, moved) = path
    g1, g2, g3 = (_path_coordinate(depth, lv, a) for lv in (l1, l2, level))
    c_ratio = a.exp_scalar(pot.log_dual_scale(a) - dln_potential(depth, l2).log_dual_scale(a))
    if g2 == g1:
        return state, mu, moved * 0
    move = moved * ((g3 - g2) / (g2 - g1) / c_ratio)
    v = Xw.T @ move

    def residual(s):
        return a.norm(Xw @ pot.link(s, a) - yw)

    best_t, best, best_res = 0.0, state, residual(state)
    t = min(1.0, 0.99 * pot.max_step(state, v, a))
    for _ in range(_PREDICTOR_HALVINGS):
        new = pot.shift(state, v, t, a)
        if new is not None:
            res = residual(new)
            if res < best_res:
                best_t, best, best_res = t, new, res
            elif best_t:
                break           # the residual rose again: past the best length
        t /= 2
    c3 = a.exp_scalar(pot.log_dual_scale(a))
    return best, mu + (c3 * best_t) * move, best_t * move


def dln_limit(X, y, alpha, depth=2, *, convention="per_factor", precision=None, tol=None,
              max_iter=60):
    """The gradient-flow limit of the depth-D DLN from scale α, exactly.

    Returns a :class:`~numerics.solution.Solution` whose ``value`` is β∞ and
    whose ``dual`` is ν with β∞ = A·φ_D(Xᵀν) (see the module docstring).
    ``alpha`` may be a float, an mpmath ``mpf`` or a decimal string (e.g.
    ``"1e-1000"`` with ``precision=60``).

    >>> import numpy as np
    >>> rng = np.random.default_rng(1); X = rng.standard_normal((4, 10)); y = X[:, 0]
    >>> sol = dln_limit(X, y, 1e-3, depth=3); sol.ok
    True
    >>> bool(np.abs(sol.value - np.eye(10)[0]).max() < 1e-4)   # near the ℓ1 solution e₁
    True
    """
    depth = check_depth(depth)
    precision = check_precision(precision)
    tol = check_tol(tol)
    a = arith_for(precision)
    X, y, gram = check_design(X, y)
    with a:
        Xw, yw, Xf = working_arrays(X, y, a)
        target = log_branch_scale(alpha, depth, convention, a)
        if tol is None:
            # β = exp(log A + …) is evaluated at arguments of size |log A|; exp's
            # condition number turns the working eps into a relative error of
            # about eps·|log A| per coordinate, which the residual cannot beat.
            tol = max(default_tolerance(a), 64 * a.eps * (1 + abs(float(target))))
        l2 = Xf.T @ np.linalg.solve(gram, np.asarray(a.to_float(yw)))
        start = _start_log_scale(depth, float(np.max(np.abs(l2))))
        mu = yw * 0
        state = dln_potential(depth, target).state(Xw.T @ mu, a)
        precond = Preconditioner.from_matrix(gram)
        results, failures = [], 0
        good, level, step = None, max(target, start), 2.0
        path = []          # (level, displacement) of accepted stages, for the predictor
        while True:
            pot = dln_potential(depth, level)
            last = level == target
            trial_state, trial_mu, moved = state, mu, yw * 0
            if len(path) >= 2:
                trial_state, trial_mu, moved = _predict(Xw, yw, pot, a, state, mu, path, level,
                                                        depth)
            res = dual_newton(Xw, yw, pot, a, state=trial_state, mu=trial_mu,
                              tol=tol if last else max(tol, _STAGE_TOL), max_iter=max_iter,
                              preconditioner=precond, Xf=Xf)
            if res.status is Status.SUCCESS:
                results.append(res)
                state, mu, precond, good = res.state, res.mu, res.preconditioner, level
                path = (path + [(level, moved + res.displacement)])[-2:]
                if last:
                    break
                # Newton's iteration count says how far the next stage may reach.
                step = step * 2 if res.iterations <= 4 else step / 2 if res.iterations > 12 else step
            else:
                failures += 1
                if good is None or failures > _MAX_FAILURES:
                    results.append(res)
                    break
                # retreat: the next level lies strictly between the last good one
                # and the one that failed
                step = min(step, good - level) / 4
                precond = None
                path = []
            level = max(target, good - step)
        sol = certified_solution(Xw, pot, results, a, tol=tol,
                                 stats={"log_branch_scale": float(target), "depth": depth,
                                        "convention": convention})
        return sol

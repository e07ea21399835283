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
  docs/derivations/stoger-matt-depth-rates.md §2): each branch starts at α,
  i.e. the factors at α^{1/D}, so A = α.  Per-factor α₀ ⇔ end-to-end α₀^D.

Small scales are reached by continuation in log A from a scale where the
dual Newton converges from z = 0, each stage started by an Euler predictor
along the path's tangent, with every quantity evaluated in logs
(A = 1e-1500 for D = 5 at α = 1e-300 is fine in float64).  In float64 at
D ≥ 3, scales from 10³ below the start down to gaps 1 − |zᵢ| of ~1e-10 are
reached instead by a primal–dual interior-point path
(:mod:`numerics.interior_point`: the limits are the central path of the ℓ1
LP), whose point the same dual Newton then polishes and certifies; the
continuation remains the fallback.  :func:`dln_limits`
stops at every scale of a ladder on one continuation; every certificate
carries a first-order ``forward_error`` estimate of ‖β − β∞‖₂; and
:func:`resolving_precision` picks the mpmath digits at which the distance to
the ℓ1 interpolant (≈ α or α^{1−ρ} end to end, Matt & Stöger) is resolved.
"""

from __future__ import annotations

from collections.abc import Iterable

import mpmath
import numpy as np
import scipy.sparse.linalg

from .arith import arith_for
from .certify import certified_solution, default_tolerance, working_arrays
from .interior_point import central_path
from .newton import DualResult, Preconditioner, direct_solve, dual_newton
from ._types import Precision, RealArray, RealLike
from .potentials import DeepPotential, HypentropyPotential, Potential
from .solution import Problem, Solution, Status
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


# Digits beyond the gap's own size that resolving_precision adds (see its docstring).
_GAP_GUARD_DIGITS = 14


def resolving_precision(alpha: RealLike, depth: int = 2, *, convention: str = "per_factor",
                        digits: int = 6, gap_floor: float = 1e-2) -> int:
    """mpmath digits at which dln_limit resolves ‖β_α − β_ℓ1‖ to ``digits`` digits.

    The gap is at least of the order of the branch scale A (α^{1−ρ} ≥ α at
    depth 2, ‖e*‖·α at depth D ≥ 3, end-to-end; Matt & Stöger as reconstructed in
    docs/derivations/stoger-matt-depth-rates.md), so with β of order one the
    rule asks for ``digits`` + log₁₀(1/(gap_floor·A)) + 14 digits, the 14
    being: 5 of headroom in the default tolerance 10^{−(k−5)}; 4 for the
    link's rounding 64·eps·(1 + |log A|) at |log A| ≤ 150; 3 for the
    amplification of the residual into β; 2 to spare.  ``gap_floor`` is the
    assumed lower bound on gap/A (for ‖e*‖ or the depth-2 prefactor).  A rule,
    not a proof: the certificate's ``forward_error`` shows whether the gap was
    resolved, and a caller that finds it was not adds digits and solves again.

    >>> resolving_precision(1e-40, 3, convention="end_to_end")
    62
    """
    a = arith_for(None)
    log10_scale = float(log_branch_scale(alpha, check_depth(depth), convention, a)) / np.log(10)
    return int(digits + np.ceil(-log10_scale - np.log10(gap_floor)) + _GAP_GUARD_DIGITS)


def dln_potential(depth: int, log_scale: float) -> Potential:
    """The potential of the depth-D DLN limit at branch scale A = exp(log_scale)."""
    return HypentropyPotential(log_scale) if depth == 2 else DeepPotential(depth, log_scale)


# A coarse walk's intermediate stages stop at this residual (see _Continuation for
# when that strands the walk).  An intermediate stage only seeds the next one's
# predictor, whose own error at the steps the walk takes is O(step²) ≫ 1e-3, so solving
# it further costs Newton's quadratic tail (10–15% of all iterations for D = 3–5,
# α = 1e-2–1e-3 at n = 200, d = 4000, measured) and buys nothing at the next stage.
_STAGE_TOL = 1e-3
_MAX_FAILURES = 30
# Retreats a coarse walk may take before it is abandoned for a fine one: a stalled
# coarse walk is stuck on the components it left unfitted, which retreating to
# another coarse start does not fix.
_COARSE_FAILURES = 4
_PREDICTOR_HALVINGS = 6
# Relative accuracy of the predictor's tangent: below its O(step²) truncation error.
_TANGENT_RTOL = 1e-3


def _start_log_scale(depth, l2_inf):
    """A branch scale at which Newton from z = 0 lands in |z| ≲ 1/2 at once.

    The first step from z = 0 gives z = β_ℓ2 / φ_D'(0)A with φ_D'(0) = 2
    (D = 2) or 2D/(D−2) (D ≥ 3), so A ≥ ‖β_ℓ2‖∞ keeps |z| ≤ 1/2.
    """
    return float(np.log(l2_inf))


def _path_step(depth, level, new_level):
    """(g(ℓ₃) − g(ℓ₂))/g'(ℓ₂), ℓ = log A, in the coordinate g along which the dual
    path is affine at small scale (μ ≈ μ₀ + g·v): the Euler predictor's step in log A.

    D = 2: z = Xᵀμ grows like log(1/A) (Woodworth et al. eq. (17); z = Lν + O(1)),
    so g = log A.  D ≥ 3: the gaps 1 − |zᵢ| on the support shrink like
    A^{(D−2)/D} (β = A·h_D(z) with h_D ~ gap^{−D/(D−2)}), so g = A^{(D−2)/D} and
    the step is expm1(k·Δℓ)/k, k = (D−2)/D: a ratio, so no underflow at tiny A.
    A float: the predictor needs no more accuracy.
    """
    delta = float(new_level - level)
    if depth == 2:
        return delta
    k = (depth - 2) / depth
    return float(np.expm1(k * delta)) / k


def _tangent(Xw, Xf, pot, result, a):
    """The path's tangent dμ/dlog A at a solved stage, in the potential's units c.

    β = A·φ(z) gives ∂β/∂log A = β at fixed z, so differentiating Xβ = y along the
    path gives H·(dμ/dlog A)/c = −Xβ with H = X diag(w) Xᵀ, w = c·dβ/dz the Newton
    weights (the Euler predictor of a continuation).  Solved in float64 (w is O(1)
    on the support in units of c at any A) by CG preconditioned with the stage's
    last Newton factor, to _TANGENT_RTOL (an unconverged CG still gives a usable
    direction: :func:`_predict` only accepts a move that lowers the residual).
    Where that factor is numerically singular, as Newton does there
    (:mod:`numerics.newton`): in float64 the flat part of Xβ is dropped
    (noise = ∞), being the part no Newton step resolves either; in mpmath H is
    formed and solved in the working precision, which resolves it.  Returns
    (direction as floats, preconditioner), or (None, None) if H cannot be factorised.
    """
    w = pot.weights(result.state, a)
    wf = np.asarray(a.to_float(w))
    precond = result.preconditioner
    try:
        if precond is None:
            precond = Preconditioner.build(Xf, wf)
    except np.linalg.LinAlgError:
        return None, None
    if precond.singular:
        if a.name == "float64":
            return precond.truncated_solve(-(Xf @ result.beta), np.inf), precond
        direction = direct_solve(Xw, w, -(Xw @ result.beta), a)
        return (None, None) if direction is None else (np.asarray(a.to_float(direction)),
                                                       precond)
    rhs = -(Xf @ np.asarray(a.to_float(result.beta)))
    n = Xf.shape[0]
    f64 = arith_for(None)
    hessian = scipy.sparse.linalg.LinearOperator((n, n), lambda v: Xf @ (wf * (Xf.T @ v)))
    factor = scipy.sparse.linalg.LinearOperator((n, n), lambda v: precond.solve(v, f64))
    direction, _ = scipy.sparse.linalg.cg(hessian, rhs, rtol=_TANGENT_RTOL, maxiter=n, M=factor)
    return direction, precond


def _predict(Xw, yw, pot, a, state, mu, tangent, level, depth):
    """The Euler predictor in the path coordinate g: μ₂ + (g₃ − g₂)·dμ/dg.

    ``tangent`` is (ℓ₂, Δ = dμ/dlog A in units of c₂, log c₂) from :func:`_tangent`,
    so dμ/dg = c₂·Δ/g'(ℓ₂) and the move is c₂·Δ·:func:`_path_step`.  The
    asymptotic model is poor in the kernel-to-rich transition, and an overshoot
    towards the domain boundary (gaps too small, β too large) costs Newton many
    slow steps while an undershoot costs few, so the move is halved while that
    lowers the residual ‖Xβ − y‖ (t = 0 is no prediction).
    """
    l2, direction, log_c2 = tangent
    log_c3 = pot.log_dual_scale(a)
    # the move in units of the new c₃, which is what pot.shift steps in
    move = a.asarray(direction * (_path_step(depth, l2, level)
                                  * float(np.exp(float(log_c2 - log_c3)))))
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
    return best, mu + move * (a.exp_scalar(log_c3) * best_t)


def dln_limit(X: RealArray, y: RealArray, alpha: RealLike, depth: int = 2, *,
              convention: str = "per_factor", precision: Precision = None,
              tol: float | None = None, max_iter: int = 60) -> Solution:
    """The gradient-flow limit of the depth-D DLN from scale α, exactly.

    Returns a :class:`~numerics.solution.Solution` whose ``value`` is β∞ and
    whose ``dual`` is ν with β∞ = A·φ_D(Xᵀν) (see the module docstring).
    ``alpha`` may be a float, an mpmath ``mpf`` or a decimal string (e.g.
    ``"1e-1000"`` with ``precision=60``).  The certificate's
    ``details["forward_error"]`` estimates ‖β − β∞‖₂ (see
    :func:`~numerics.certify.forward_error`).

    >>> import numpy as np
    >>> rng = np.random.default_rng(1); X = rng.standard_normal((4, 10)); y = X[:, 0]
    >>> sol = dln_limit(X, y, 1e-3, depth=3); sol.ok
    True
    >>> bool(np.abs(sol.value - np.eye(10)[0]).max() < 1e-4)   # near the ℓ1 solution e₁
    True
    """
    return dln_limits(X, y, [alpha], depth, convention=convention, precision=precision, tol=tol,
                      max_iter=max_iter)[0]


def dln_limits(X: RealArray, y: RealArray, alphas: Iterable[RealLike], depth: int = 2, *,
               convention: str = "per_factor", precision: Precision = None,
               tol: float | None = None, max_iter: int = 60) -> list[Solution]:
    """The limits at every α of ``alphas``, by one continuation in log A.

    The same answers as ``[dln_limit(X, y, α, …) for α in alphas]``, but the
    continuation walks down from the largest α once and stops at each α on
    its way, so a ladder of k scales costs about one solve at the smallest
    plus a few Newton steps per rung.  Returned in the order of ``alphas``;
    each Solution's certificate counts the work since the previous rung.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1); X = rng.standard_normal((4, 10)); y = X[:, 0]
    >>> [s.ok for s in dln_limits(X, y, [1e-2, 1e-6, 1e-4], depth=2)]
    [True, True, True]
    """
    depth = check_depth(depth)
    precision = check_precision(precision)
    tol = check_tol(tol)
    alphas = list(alphas)
    if not alphas:
        raise InputError("alphas is empty; pass at least one initialisation scale")
    a = arith_for(precision)
    X, y, gram = check_design(X, y)
    with a:
        Xw, yw, Xf = working_arrays(X, y, a)
        targets = [log_branch_scale(alpha, depth, convention, a) for alpha in alphas]
        if a.name == "float64":
            _check_float64_scale(alphas, targets, depth)
        dual_l2 = np.linalg.solve(gram, np.asarray(a.to_float(yw)))
        start = _start_log_scale(depth, float(np.max(np.abs(Xf.T @ dual_l2))))
        order = sorted(range(len(alphas)), key=lambda i: -float(targets[i]))
        central = _central_points(Xf, yw, dual_l2, depth, a, start,
                                  [(i, float(targets[i])) for i in order])
        walk = None
        solutions = [None] * len(alphas)
        for i in order:
            # β = exp(log A + …) is evaluated at arguments of size |log A|; exp's
            # condition number turns the working eps into a relative error of
            # about eps·|log A| per coordinate, which the residual cannot beat.
            rung_tol = tol if tol is not None else max(
                default_tolerance(a), 64 * a.eps * (1 + abs(float(targets[i]))))
            pot, results = (_polish(Xw, yw, Xf, depth, a, central[i], rung_tol, max_iter)
                            if i in central else (None, []))
            method = "interior-point path, then dual Newton"
            if not results or results[-1].status is not Status.SUCCESS:
                if walk is None:
                    walk = _Continuation(Xw, yw, Xf, gram, depth, a, max_iter, start, coarse=True)
                pot, walked = walk.reach(targets[i], rung_tol)
                results = results + walked   # the certificate counts a failed polish's work too
                method = "continuation in log A"
            if results[-1].status is not Status.SUCCESS and walk is not None and walk.coarse:
                walk = _Continuation(Xw, yw, Xf, gram, depth, a, max_iter, start, coarse=False)
                pot, fine = walk.reach(targets[i], rung_tol)
                results = results + fine     # the certificate counts both walks' work
            solutions[i] = certified_solution(
                Xw, pot, results, a, tol=rung_tol, max_iter=max_iter, forward=True, y=yw,
                digits_needed=resolving_precision(alphas[i], depth, convention=convention),
                stats={"log_branch_scale": float(targets[i]), "depth": depth,
                       "convention": convention, "method": method},
                problem=Problem("dln", {"alpha": alphas[i], "depth": depth,
                                        "convention": convention}))
        return solutions


# The dual Hessian's weights are A·φ_D'(z) ≥ A·φ_D'(0), φ_D'(0) = 2 (D = 2) or
# 2D/(D−2) ≤ 2D: float64 holds them only while A·2D stays below its largest number.
_LOG_FLOAT64_MAX = float(np.log(np.finfo(np.float64).max))


def _check_float64_scale(alphas, targets, depth):
    for alpha, log_a in zip(alphas, targets):
        if log_a + np.log(2 * depth) >= _LOG_FLOAT64_MAX:
            raise InputError(
                f"alpha = {alpha!r} at depth {depth} gives the branch scale A ≈ "
                f"1e{log_a / np.log(10):.0f}, beyond float64's range (~1.8e308); there the "
                "limit is the minimum-ℓ2 interpolant up to relative O((‖β‖/A)²): use "
                "min_l2_interpolant, or pass precision=30 to solve it in mpmath")


# The interior-point path (numerics.interior_point) replaces the continuation for
# float64 targets from 10^_PATH_FROM decades below the start scale (above that the
# continuation's few Newton steps cost no more than the path's factor per iteration:
# D = 3, α = 0.1 is 2.1 decades down on the bench instance, 48 ms either way; D = 4,
# α = 0.1 is 3.1 decades down, 58 ms by the path against 97 ms)
# down to where the gaps 1 − |zᵢ| ≈ (A/|βᵢ|)^{1/m} on the support reach 1e-_PATH_GAP:
# the path computes them as 1 − Xᵀμ in float64, to ~1e-16 absolute, and a start
# whose gaps are right to 1e-6 relative still polishes in 1–2 Newton steps.
_PATH_FROM = 3
_PATH_GAP = 10
# A polish that needs more Newton steps than this is stuck (seen on sparse noiseless y,
# |S| < n, at gaps ~1e-8: 60 steps without certifying); the continuation then takes over.
_POLISH_ITER = 8


def _central_points(Xf, yf, dual_l2, depth, a, start, rungs):
    """{rung index: CentralPoint} for the rungs (index, log A; decreasing) where the
    interior-point path applies (float64, D ≥ 3, see _PATH_FROM) and reaches them."""
    if a.name != "float64" or depth < 3:
        return {}
    m = depth / (depth - 2)
    eligible = [(i, log_a) for i, log_a in rungs
                if _PATH_FROM * np.log(10) <= start - log_a <= _PATH_GAP * m * np.log(10)]
    if not eligible:
        return {}
    points = central_path(Xf, yf, dual_l2, depth, [log_a for _, log_a in eligible])
    return {i: point for (i, _), point in zip(eligible, points) if point is not None}


def _polish(Xw, yw, Xf, depth, a, point, tol, max_iter):
    """Dual Newton at the central point's scale from its dual vector: (pot, [path
    record, Newton result]), the latter's status SUCCESS unless the polish failed."""
    pot = dln_potential(depth, point.log_scale)
    res = dual_newton(Xw, yw, pot, a, state=pot.state(Xw.T @ point.mu, a), mu=point.mu, tol=tol,
                      max_iter=min(max_iter, _POLISH_ITER), preconditioner=point.preconditioner,
                      Xf=Xf)
    # the path's own work, counted in the certificate beside the polish's
    path = DualResult(point.mu, res.state, res.beta, res.residual, Status.SUCCESS,
                      iterations=point.iterations, factorizations=point.factorizations)
    return pot, [path, res]


class _Continuation:
    """The continuation in log A, resumable: ``reach`` walks from the last level
    reached down to a target and returns the stages' results.

    A *coarse* walk solves intermediate stages only to ``_STAGE_TOL``; a fine one
    to the target's tolerance.  Coarse is cheaper (3–4× on small mpmath problems)
    but can strand the last stage: the residual components it leaves unfitted,
    of size δ, need off-support βᵢ ~ δ at the solution, i.e. dual coordinates
    zᵢ ≈ |log A| − log(1/δ) (β = 2A·sinh z), a long dual move along directions in
    which the Hessian is flat (weights ~A) and Newton's steps are unusable.  At
    60 digits and α = 1e-100 the rounding of y (δ ~ 1e-16) is such a component.
    ``dln_limits`` therefore walks coarse first and, if the target is not
    certified, walks again fine."""

    def __init__(self, Xw, yw, Xf, gram, depth, a, max_iter, start, *, coarse):
        self.Xw, self.yw, self.Xf = Xw, yw, Xf
        self.depth, self.a, self.max_iter = depth, a, max_iter
        self.coarse = coarse
        self.mu = yw * 0
        self.state = None
        self.precond = Preconditioner.from_matrix(gram)
        # ‖xᵢ‖² for dual_newton's heavy-column factors: measured faster for DLN since the
        # stages changed (D=3, α=1e-3: ≈ 286 → 222 ms CPU at n=200, d=4000, one BLAS thread)
        self.column_norms = np.einsum("ij,ij->j", Xf, Xf)
        self.good, self.start, self.step = None, start, 2.0
        self.tangent = None     # (level, dμ/dlog A in units of c, log c) at the last good stage

    def reach(self, target, tol):
        Xw, yw, a, depth = self.Xw, self.yw, self.a, self.depth
        if self.state is None:
            self.state = dln_potential(depth, target).state(Xw.T @ self.mu, a)
        results, failures = [], 0
        level = max(target, self.start) if self.good is None else max(target, self.good - self.step)
        if self.good is not None and self.good <= target:
            level = target       # a target above the last level: Newton from there
        while True:
            pot = dln_potential(depth, level)
            last = level == target
            trial_state, trial_mu = self.state, self.mu
            if self.tangent is not None:
                trial_state, trial_mu = _predict(Xw, yw, pot, a, self.state, self.mu,
                                                 self.tangent, level, depth)
            stage_tol = max(tol, _STAGE_TOL) if self.coarse and not last else tol
            res = dual_newton(Xw, yw, pot, a, state=trial_state, mu=trial_mu, tol=stage_tol,
                              max_iter=self.max_iter, preconditioner=self.precond, Xf=self.Xf,
                              column_norms=self.column_norms)
            if res.status is Status.SUCCESS:
                results.append(res)
                self.state, self.mu, self.precond = res.state, res.mu, res.preconditioner
                self.good = level
                if last:
                    return pot, results
                direction, precond = _tangent(Xw, self.Xf, pot, res, a)
                self.tangent = None if direction is None else (
                    level, direction, pot.log_dual_scale(a))
                self.precond = precond
                # Newton's iteration count says how far the next stage may reach.
                self.step = (self.step * 2 if res.iterations <= 4
                             else self.step / 2 if res.iterations > 12 else self.step)
            else:
                failures += 1
                budget = _COARSE_FAILURES if self.coarse else _MAX_FAILURES
                if self.good is None or failures > budget or self.good <= target:
                    results.append(res if last else self._attempt_target(target, tol, res))
                    return dln_potential(depth, target), results
                # retreat: the next level lies strictly between the last good one
                # and the one that failed
                self.step = min(self.step, self.good - level) / 4
                self.precond = None
            level = max(target, self.good - self.step)

    def _attempt_target(self, target, tol, failed):
        """Newton at the target scale from the last good stage, for a continuation
        that gives up before reaching it: the answer returned (and its residuals)
        are then always about the problem asked, never an intermediate stage's.
        If it fails too, its status is the failed stage's: the walk's cause (e.g.
        the iteration limit) is what the caller can act on."""
        pot = dln_potential(self.depth, target)
        res = dual_newton(self.Xw, self.yw, pot, self.a, state=self.state, mu=self.mu, tol=tol,
                          max_iter=self.max_iter, Xf=self.Xf)
        if res.status is not Status.SUCCESS:
            res.status = failed.status
        return res

"""Minimum-norm interpolants: ℓ2, ℓp (1 < p ≤ 2), ℓ1 and any separable potential.

All solve ``argmin Σψ(wᵢ) s.t. Xw = y`` for an underdetermined X (n < d,
rank n) and return a certified :class:`~numerics.solution.Solution`.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import Callable

import mpmath
import numpy as np
import scipy.optimize

from ._types import Precision, RealArray
from .arith import Float64Arith, arith_for
from .certify import certified_solution, default_tolerance, newton_advice, working_arrays
from .newton import Preconditioner, _pcg, componentwise_residual, dual_newton
from .null_space import UNIQUENESS_MARGIN, certificate_constant
from .potentials import LpPotential, Potential, QuadraticPotential
from .solution import Certificate, Problem, Solution, Status
from .validation import (InputError, check_design, check_p, check_precision,
                         check_scaled_design, check_tol, design_exponent, scale_by_power_of_two)


# Continuation in q (see _continue_in_q).  Stages before the last only need to
# bring the next stage's start near its solution, and each starts from the IRLS
# predictor (_irls_predictor), which lands within 1e-1 of a stage 3× further in
# q − 1 without a Newton step.  At n = 200, d = 4000 (the bench instance), stages
# 3× apart solved to 1e-1, against 5× and 1e-2 from the ray-rescaled dual before:
# p = 1.3 in 4 Newton steps (was 9), p = 1.2 in 6 (was 10), p = 1.1 in 9 (was 14, but
# 4 factorisations instead of 3), p = 1.05 in 19 (was 21).  Without the predictor,
# 5× stages solved to 1e-2 were the best of the ratios 2–5 and tolerances
# 1e-3–1e-1 tried.
_STAGE_TOL = 1e-1
_STAGE_RATIO = 3.0
_MAX_STAGE_FAILURES = 8
_UNSCALED = 60          # |k| up to which min_lp_interpolant solves on X unscaled (see _min_lp)
_ROUNDING = 1e-12       # relative rounding allowed in the stage count (see _continue_in_q)


def _setup(X, y, precision, tol):
    """Checked inputs for a solver homogeneous in X (w(cX, y) = w(X, y)/c).

    Returns ``(X̃, y, G, k, a, tol)`` with X̃ = X·2⁻ᵏ at unit scale (exact) and
    G = X̃X̃ᵀ: such solvers solve on X̃ and scale back with :func:`_power_of_two`,
    so an X whose XXᵀ over- or underflows (entries ~1e±200) is solved as well
    as X̃.
    """
    X, y, gram, k = check_scaled_design(X, y)
    precision = check_precision(precision)
    a = arith_for(precision)
    tol = check_tol(tol)
    return (scale_by_power_of_two(X, k), y, gram, k, a,
            default_tolerance(a) if tol is None else tol)


def _power_of_two(a, k):
    """2ᵏ in the arithmetic ``a`` (float64: 0 or inf beyond its range, as the
    caller's-unit quantity itself would be)."""
    if a.name == "float64":
        with np.errstate(over="ignore", under="ignore"):
            return float(np.ldexp(1.0, k))
    return mpmath.ldexp(mpmath.mpf(1), k)


def _l2_stage(Xw, yw, Xf, gram_factor, a, tol, max_iter):
    """Minimum-ℓ2 dual solve; the factor of validation's Gram matrix is its Newton matrix."""
    pot = QuadraticPotential()
    mu0 = yw * 0
    return pot, dual_newton(Xw, yw, pot, a, state=Xw.T @ mu0, mu=mu0, tol=tol,
                            max_iter=max_iter, Xf=Xf, preconditioner=gram_factor)


def min_l2_interpolant(X: RealArray, y: RealArray, *, precision: Precision = None,
                       tol: float | None = None, max_iter: int = 20) -> Solution:
    """argmin ‖w‖₂ s.t. Xw = y, i.e. w = Xᵀ(XXᵀ)⁻¹y.

    Solved as a dual Newton step (a Cholesky solve of XXᵀ) plus iterative
    refinement until the relative residual meets ``tol``.

    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0, 0.0]]); y = np.array([2.0])
    >>> sol = min_l2_interpolant(X, y); sol.ok, sol.value.round(12).tolist()
    (True, [1.0, 1.0, 0.0])
    """
    X, y, gram, k, a, tol = _setup(X, y, precision, tol)
    with a:
        Xw, yw, Xf = working_arrays(X, y, a)
        y_scale = a.norm(yw)        # w and μ are linear in y: solve for ‖y‖ = 1
        pot, res = _l2_stage(Xw, yw / y_scale, Xf, Preconditioner.from_matrix(gram), a, tol,
                             max_iter)
        # X = X̃·2ᵏ: w = w̃·2⁻ᵏ, and w = Xᵀμ gives μ = μ̃·4⁻ᵏ
        return certified_solution(Xw, pot, [res], a, tol=tol, max_iter=max_iter,
                                  scale_value=y_scale * _power_of_two(a, -k),
                                  scale_dual=y_scale * _power_of_two(a, -2 * k),
                                  problem=Problem("l2"))


def min_potential_interpolant(X: RealArray, y: RealArray, potential: Potential, *,
                              precision: Precision = None, tol: float | None = None,
                              max_iter: int = 200, mu0: RealArray | None = None) -> Solution:
    """argmin Σψ(wᵢ) s.t. Xw = y for a separable potential given by its conjugate.

    ``potential`` is a :class:`~numerics.potentials.Potential` (e.g.
    :class:`~numerics.potentials.SeparablePotential` built from ψ*, its
    derivative (the link) and second derivative).  Dual Newton from ``mu0``
    (default: the minimum-ℓ2 dual vector).
    """
    if not isinstance(potential, Potential):
        raise InputError(
            "potential must be a numerics.Potential, e.g. "
            "SeparablePotential(conjugate, link, link_derivative)")
    X, y, gram = check_design(X, y)         # a custom ψ is not homogeneous: no rescaling
    a = arith_for(check_precision(precision))
    tol = check_tol(tol)
    tol = default_tolerance(a) if tol is None else tol
    with a:
        Xw, yw, Xf = working_arrays(X, y, a)
        if mu0 is None:
            _, l2 = _l2_stage(Xw, yw, Xf, Preconditioner.from_matrix(gram), a, tol, 20)
            mu0 = l2.mu
        else:
            mu0 = a.asarray(mu0) if a.name != "float64" else np.asarray(mu0, dtype=float)
        potential.validate(Xw.T @ mu0, a)
        res = dual_newton(Xw, yw, potential, a, state=potential.state(Xw.T @ mu0, a), mu=mu0,
                          tol=tol, max_iter=max_iter, Xf=Xf)
        sol = certified_solution(Xw, potential, [res], a, tol=tol, max_iter=max_iter,
                                 problem=Problem("potential", {"potential": potential}))
        if not sol.ok and _dual_unbounded(Xw, yw, potential, res.mu, a):
            sol = dataclasses.replace(
                sol, status=Status.INFEASIBLE,
                advice="no precision or max_iter fixes this: pass a y in X·(the link's range), "
                       "or a potential whose link reaches it (e.g. a link onto all of ℝ)")
        return sol


# Ray test of _dual_unbounded: doublings of t, and the fraction of the first slope the
# last must keep (a convex function's slopes only rise; one that stays within 10% of its
# first over a 16× longer ray has a negative recession slope to that accuracy).  The
# first slope must also be a real descent, at least 1e-3·‖y‖ per unit of t: near a
# dual optimum the slope is the residual ⟨Xβ − y, d⟩, rounding-small, not a ray.
_RAY_DOUBLINGS = 4
_RAY_SLOPE_KEPT = 0.9
_RAY_MIN_SLOPE = 1e-3


def _dual_unbounded(Xw, yw, potential, mu, a):
    """Whether F(μ) = Σψ*(Xᵀμ) − ⟨y, μ⟩ decreases linearly along the ray t·μ/‖μ‖.

    A failed solve whose dual iterate ran off along a ray on which F keeps a
    negative slope is the dual picture of an infeasible primal (no β in the
    link's range with Xβ = y): F is unbounded below.  Evaluated at
    t = ‖μ‖·2ᵏ, k = 0…4, from F's differences (``conjugate_change``); a
    numerical test, stated as such in the status.
    """
    norm = a.norm(mu)
    if not norm > 0:
        return False
    direction = mu / norm
    points = [norm * 2 ** k for k in range(_RAY_DOUBLINGS + 1)]
    states = [potential.state(Xw.T @ (direction * t), a) for t in points]
    if not all(potential.in_domain(potential.z(st, a), a) for st in states):
        return False
    c = a.exp_scalar(potential.log_dual_scale(a))
    y_dir = np.dot(yw, direction)
    slopes = [float((potential.conjugate_change(s0, s1, a) * c - (t1 - t0) * y_dir) / (t1 - t0))
              for s0, s1, t0, t1 in zip(states, states[1:], points, points[1:])]
    return (slopes[0] < -_RAY_MIN_SLOPE * float(a.norm(yw))
            and slopes[-1] <= _RAY_SLOPE_KEPT * slopes[0])


def _ray_rescale(Xw, yw, mu, q, a):
    """Optimal multiple t·μ of a dual vector for the ℓq conjugate (t > 0).

    On the ray, F(tμ) = t^q‖Xᵀμ‖_q^q/q − t⟨y, μ⟩ is minimised at
    t^{q−1} = ⟨y, μ⟩ / ‖Xᵀμ‖_q^q (ZL-1's dual-ray scale, computed in logs).
    """
    b = np.dot(yw, mu)
    if not b > 0:
        return mu
    logz = a.log(abs(Xw.T @ mu))
    top = np.max(logz)
    log_s = top * q + a.log(np.sum(a.exp(q * (logz - top))))
    log_t = (a.log(b) - log_s) / (q - 1)
    return mu * a.exp_scalar(log_t)


def min_lp_interpolant(X: RealArray, y: RealArray, p: float, *, precision: Precision = None,
                       tol: float | None = None, max_iter: int = 100,
                       allow_above_2: bool = False, mu0: RealArray | None = None) -> Solution:
    """argmin ‖w‖_p s.t. Xw = y for 1 < p ≤ 2 (p > 2 with ``allow_above_2``).

    Dual: max ⟨y, λ⟩ − ‖Xᵀλ‖_q^q / q with q = p/(p−1); the KKT map is
    w = sgn(z)|z|^{q−1}, z = Xᵀλ (ZL-1).  For p near 1 (q up to ~100) the
    plain dual Newton overflows or crawls, so the solve (i) rescales y (and X,
    where its entries are far from unit scale), (ii) continues in q from the ℓ2
    solution (q−1 up to 3× per stage), each stage started by an IRLS step from
    the last stage's β (the first with the Gram factor) and (iii) the exact ray
    rescaling of the dual vector, with (iv) steps kept inside the
    representable range.

    Warm start: ``mu0`` (n entries, the caller's units, e.g. the ``dual`` of
    a solve on a subset of the rows extended by a guess for the new rows) is
    rescaled onto its optimal ray and Newton runs at the target p directly,
    skipping the ℓ2 stage and the continuation.  If that solve does not
    certify within WARM_MAX_ITER steps, the cold path above runs from the ℓ2
    solution; either way the returned certificate is the final solve's own,
    its iteration count includes the rejected attempt, and
    ``stats["warm_start"]`` says which happened ("accepted", "rejected: …",
    or "none").

    >>> import numpy as np
    >>> rng = np.random.default_rng(0); X = rng.standard_normal((5, 12)); y = X[:, 0].copy()
    >>> sol = min_lp_interpolant(X, y, 1.5); sol.ok, sol.certificate.kkt_residual < 1e-12
    (True, True)
    """
    p = check_p(p, allow_above_2=allow_above_2)
    X, y, gram, k = check_scaled_design(X, y)
    a = arith_for(check_precision(precision))
    tol = check_tol(tol)
    return _min_lp(X, y, p, gram, k, a, default_tolerance(a) if tol is None else tol,
                   max_iter, mu0)


def prefix_min_lp_solver(X: RealArray, y: RealArray, p: float, *, tol: float | None = None,
                         max_iter: int = 100) -> Callable[..., Solution]:
    """``solve(n, mu0=None)``: :func:`min_lp_interpolant` of (X[:n], y[:n]) in float64,
    for the nested designs of a sweep, with X checked once instead of at every n.

    The check (full row rank to float64 resolution, n < d, finite entries) covers
    every prefix: XₙXₙᵀ is a leading principal submatrix of XXᵀ, so its smallest
    eigenvalue is at least XXᵀ's and its largest at most XXᵀ's (Cauchy
    interlacing).  Each prefix's check would cost a Gram matrix and its Cholesky
    factor, as much as the rest of a warm-started solve (measured on ZL-4's
    sweeps, d = 8000: 12 of 36 s); only its labels are checked again.

    >>> rng = np.random.default_rng(0); X = rng.standard_normal((6, 12)); y = X[:, 0]
    >>> solve = prefix_min_lp_solver(X, y, 1.5)
    >>> sol = solve(4); ref = min_lp_interpolant(X[:4], y[:4], 1.5)
    >>> sol.ok, bool(np.allclose(sol.value, ref.value, rtol=1e-10, atol=1e-14))
    (True, True)
    """
    p = check_p(p)
    X, y, _, _ = check_scaled_design(X, y)
    a = arith_for(None)
    tol = check_tol(tol)
    tol = default_tolerance(a) if tol is None else tol
    rows = X.shape[0]

    def solve(n: int, mu0: RealArray | None = None) -> Solution:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= rows:
            raise InputError(f"n = {n!r} must be an integer in [1, {rows}] (the rows of the "
                             "checked X)")
        if not np.any(y[:n] != 0):
            raise InputError(f"y[:{n}] is identically zero: every interpolant of that prefix "
                             "is w = 0; start the sweep at an n with a nonzero label")
        k = design_exponent(np.asarray(X[:n], dtype=float))
        return _min_lp(X[:n], y[:n], p, None, k, a, tol, max_iter, mu0)
    return solve


def _min_lp(X, y, p, gram, k, a, tol, max_iter, mu0):
    """min_lp_interpolant on a checked X (only read) with k = design_exponent(X) and
    G = X̃X̃ᵀ for X̃ = X·2⁻ᵏ, or None to form it when the cold path needs it."""
    with a:
        # w(cX, ey) = (e/c)·w(X, y): solve for ‖y‖ = 1, and for X at unit scale where its
        # entries are far from it (there |z|^q would leave the float64 range at q ~ 100).
        # Within 2^±_UNSCALED of unit scale X is solved as given: |log|zᵢ|| ≤ |log|βᵢ||
        # for q ≥ 2 keeps z in range, and X's n×d copy would cost 0.7–1.2 ms of fresh
        # pages at n = 200, d = 4000 (a fifth of a minimum-ℓ2 solve), 1.9 GB per n of a
        # paper-size sweep.
        if (a.name == "float64" and p <= 2 and abs(k) <= _UNSCALED
                and (X.flags.c_contiguous or X.flags.f_contiguous)):
            Xn, yw, Xfn = working_arrays(X, y, a)
            x_units = 1.0
            if gram is not None:
                gram = gram * math.ldexp(1.0, 2 * k)        # XXᵀ, exactly
        else:
            Xw, yw, Xf = working_arrays(scale_by_power_of_two(X, k), y, a)
            # the RMS comes from BLAS's nrm2; Xw is this call's own copy, rescaled in place
            x_scale = Float64Arith.norm(Xf) / math.sqrt(Xf.size)
            Xw /= x_scale
            Xn = Xw
            Xfn = Xn if a.name == "float64" else Xf / x_scale
            x_units = x_scale * _power_of_two(a, k)
            if gram is not None:
                gram = gram / x_scale**2
        y_scale = a.norm(yw)
        yn = yw / y_scale
        # Back to the caller's units at the end: w = ŵ·s_y/s_x, and z = Xᵀμ with
        # |z|^{q−1} = |w| gives μ = μ̂·(s_y/s_x)^{p−1}/s_x.
        ratio = y_scale / x_units
        scale_dual = ratio ** (a.param(p) - 1) / x_units
        results, warm = [], "none"
        if mu0 is not None and p != 2:
            pot = LpPotential(p)
            start = _ray_rescale(Xn, yn, _warm_dual(mu0, Xn.shape[0], a) / scale_dual,
                                 pot.q(a), a)
            res = dual_newton(Xn, yn, pot, a, state=Xn.T @ start, mu=start, tol=tol,
                              max_iter=min(max_iter, WARM_MAX_ITER), Xf=Xfn)
            results.append(res)
            warm = "accepted" if res.status is Status.SUCCESS else f"rejected: {res.status.name}"
        if warm != "accepted":
            precond = Preconditioner.from_matrix(Xfn @ Xfn.T if gram is None else gram)
            if p == 2 or precond.singular:
                # ℓ2 is the answer, or its Gram is beyond a float64 factor: a certified
                # ℓ2 stage (dual_newton's singular mode) starts the continuation.
                pot, l2 = _l2_stage(Xn, yn, Xfn, precond, a, tol, 20)
                results.append(l2)
                mu, beta, precond = l2.mu, l2.beta, l2.preconditioner
            else:
                # The continuation only needs the ℓ2 point as a start: one solve with
                # the factor, float64-accurate (measured 0.4 against 1.3 ms for a
                # certified ℓ2 stage at n = 200, d = 4000).
                mu = precond.solve(yn, a)
                beta = Xn.T @ mu
            if p != 2:
                pot = _continue_in_q(Xn, yn, Xfn, p, mu, beta, results, a, tol, max_iter,
                                     precond)
        return certified_solution(Xn, pot, results, a, tol=tol, max_iter=max_iter,
                                  scale_value=ratio,
                                  scale_dual=scale_dual, stats={"warm_start": warm},
                                  problem=Problem("lp", {"p": p}))


def _continue_in_q(Xn, yn, Xfn, p, mu, beta, results, a, tol, max_iter, factor):
    """Continuation in s = log(q − 1) from 0 (ℓ2: dual ``mu``, primal ``beta``, Hessian
    ``factor``) to the target p, in equal steps of s that multiply q − 1 by at most
    _STAGE_RATIO, each stage started by :func:`_irls_predictor`; a failed stage is
    retried closer to the last good one.  Appends every stage's result to
    ``results``; returns the last potential."""
    target = math.log(p / (p - 1) - 1)
    # q − 1 = p/(p−1) − 1 carries rounding (p = 1.2 gives 5.000000000000001): a ratio
    # over _STAGE_RATIO by rounding only must not cost a second stage.
    planned = target / max(1, math.ceil(target / math.log(_STAGE_RATIO) - _ROUNDING))
    good, step, failures = 0.0, planned, 0
    level = target if target <= 0 else planned
    column_norms = np.einsum("ij,ij->j", Xfn, Xfn)
    while True:
        last = level == target
        q = 1 + math.exp(level)
        pot = LpPotential(p if last else q / (q - 1))
        start = _stage_start(Xn, yn, pot, a, _irls_predictor(Xn, yn, beta, pot.p, factor, a),
                             mu)
        # Newton starts with the ℓ2 factor at the first stage and builds its own at the
        # later ones: a stage's last factor, stale at the next q, made p = 1.05 cost
        # 116 CG steps instead of 53.  Each failure makes the stages 10× stricter: stages
        # met by their prediction alone (no Newton step) can chain into a start the last
        # stage cannot use (p = 1.01, gaussian_instance(6, 14, 27583, "noisy"): 8
        # retries stagnated at 0.1; one at 1e-2 certifies).
        res = dual_newton(Xn, yn, pot, a, state=Xn.T @ start, mu=start,
                          tol=tol if last else max(tol, _STAGE_TOL / 10 ** failures),
                          max_iter=max_iter, Xf=Xfn,
                          column_norms=column_norms,
                          preconditioner=factor if good == 0 else None)
        if res.status is Status.SUCCESS:
            results.append(res)
            mu, beta, good = res.mu, res.beta, level
            # a stage that met its tolerance at the start built no factor: keep the last
            factor = res.preconditioner or factor
            if last:
                return pot
            if res.iterations <= 6:       # easy stage: back to the planned step
                step = min(2 * step, planned)
            level = min(target, good + step)
        else:
            failures += 1
            if failures > _MAX_STAGE_FAILURES or target <= 0:
                results.append(res)
                return pot
            step = (level - good) / 4
            level = good + step


def _stage_start(Xn, yn, pot, a, guess, mu):
    """The better start for a stage: the predictor's ``guess`` or the last stage's ``mu``,
    each moved to its optimal ray, by the residual ‖X·link(Xᵀμ) − y‖ (2 products).

    The predictor is the better one wherever it was measured on the bench instance,
    but after a stage solved only to _STAGE_TOL near p = 1 it can miss by far more
    than μ does (p = 1.01, a column scaled by 1e6: a residual of 6e3 against 1.4).
    """
    candidates = [_ray_rescale(Xn, yn, m, pot.q(a), a) for m in (guess, mu) if m is not None]
    residuals = [a.norm(Xn @ pot.link(Xn.T @ m, a) - yn) for m in candidates]
    finite = [i for i, r in enumerate(residuals) if a.isfinite(r)]
    return candidates[min(finite, key=lambda i: residuals[i])] if finite else candidates[-1]


def _irls_predictor(Xn, yn, beta, p, precond, a):
    """The dual start of the ℓp stage from the last stage's primal β̃: one IRLS step.

    β̃ interpolates and the ℓp solution is near it, where the KKT map asks for
    z = Xᵀμ ≈ sgn(β̃)|β̃|^{p−1}.  Fitting Xᵀμ to that z in the metric of the ℓq dual
    Hessian there, W = (q−1)|z|^{q−2} = (q−1)|β̃|^{2−p}, gives X W Xᵀμ = X W z =
    (q−1)·Xβ̃ = (q−1)·y: μ solves X diag(|β̃|^{2−p}) Xᵀ μ = y, the reweighted
    least-squares step of IRLS for ℓp (Daubechies, DeVore, Fornasier & Güntürk 2010).
    Unlike the last stage's μ, this z carries β̃'s whole support into the new stage:
    at p = 1.05 the ray-rescaled μ of p = 1.22 puts 99.9 % of β on 5 coordinates,
    and Newton's first steps from it are damped to t ~ 1e-6.  Solved by CG with the
    last factor to _PREDICTOR_RTOL; None where that does not converge (or there is
    no regular factor).
    """
    if precond is None or precond.singular:
        return None
    w = a.exp((2 - a.param(p)) * a.log(abs(beta)))
    guess, _, converged = _pcg(lambda v: Xn @ (w * (Xn.T @ v)), yn, precond, a,
                               _PREDICTOR_RTOL, _PREDICTOR_CG)
    return guess if converged and a.isfinite(guess) else None


# The predictor is a start, not a solve: 1e-2 is within the stage tolerance, and CG
# needs 2–9 steps to reach it with the last factor at n = 200, d = 4000.
_PREDICTOR_RTOL = 1e-2
_PREDICTOR_CG = 30


# A warm start from the previous n of a sweep certifies in 2–9 Newton steps (spike
# designs, n-steps of 1.4×, 1.1 ≤ p ≤ 1.9); one that needs more than this is far
# off, and the cold path is then cheaper.
WARM_MAX_ITER = 25


def _warm_dual(mu0, n, a):
    """The warm-start dual vector in the working arithmetic, checked."""
    try:
        mu = np.asarray(mu0, dtype=float) if a.name == "float64" else a.asarray(mu0)
    except (TypeError, ValueError) as exc:
        raise InputError(f"mu0 could not be read as a real vector ({exc}); pass the dual "
                         "vector of an earlier solve (Solution.dual), or None") from exc
    if mu.shape != (n,):
        raise InputError(f"mu0 has shape {mu.shape} but X has {n} rows: the warm-start dual "
                         "needs one entry per row (extend an earlier dual with a guess, "
                         "e.g. zeros, for the new rows)")
    if not a.isfinite(mu):
        raise InputError("mu0 contains NaN or infinite entries; pass a finite dual vector")
    return mu


def _l1_vertex(Xf, yf):
    """An optimal vertex of min ‖β‖₁ s.t. Xβ = y and the LP dual ν (HiGHS dual simplex).

    LP form: β = u − v, u, v ≥ 0, min 𝟙ᵀ(u + v) s.t. [X, −X](u; v) = y; the
    equality marginals are the dual vector ν with ‖Xᵀν‖∞ ≤ 1.
    """
    n, d = Xf.shape
    # HiGHS's default feasibility tolerances (1e-7) accept a basis whose exact
    # solution has a coordinate of ~1e-8·‖β‖∞ with the wrong sign; its exact ν
    # then violates ‖Xᵀν‖∞ ≤ 1 by a factor 3 (seen at n = 160–200, d = 1000,
    # noisy y).  The tightest tolerances HiGHS accepts make it pivot on.  Unlike ρ's
    # LP (null_space), this one keeps presolve: it merges duplicate columns and reports
    # their dual exactly, which certifies a NOT_UNIQUE interpolant at 40 digits (without
    # presolve the float64 dual misses by 2e-17; tests/test_regressions_numerics.py).
    res = scipy.optimize.linprog(
        np.ones(2 * d), A_eq=np.hstack([Xf, -Xf]), b_eq=yf, bounds=(0, None),
        method="highs-ds", options={"primal_feasibility_tolerance": 1e-10,
                                    "dual_feasibility_tolerance": 1e-10})
    if res.status != 0:
        return None, None, res.message
    beta = res.x[:d] - res.x[d:]
    return beta, np.asarray(res.eqlin.marginals, dtype=float), res.message


def _solve_support(XS, rhs, a):
    """Solve XS x = rhs exactly (square) or in least squares (tall, consistent).

    In float64 the system is equilibrated (rows and columns to unit norm: a
    column of X scaled by 1e6 must not cost six digits) and refined once.
    """
    if a.name == "float64":
        rows = np.linalg.norm(XS, axis=1)
        cols = np.linalg.norm(XS, axis=0)
        rows[rows == 0], cols[cols == 0] = 1.0, 1.0
        B = XS / rows[:, None] / cols

        def solve(b):
            return np.linalg.lstsq(B, b / rows, rcond=None)[0] / cols

        x = solve(rhs)
        return x + solve(rhs - XS @ x)
    A = mpmath.matrix(XS.tolist())
    b = mpmath.matrix(list(rhs))
    x = mpmath.lu_solve(A, b) if XS.shape[0] == XS.shape[1] else mpmath.qr_solve(A, b)[0]
    return a.asarray([x[i] for i in range(XS.shape[1])])


_MAX_REFINEMENTS = 3


def _perturbation_support(Xf, support, signs, e):
    """Off-support coordinates of min ⟨s, δ_S⟩ + ‖δ_{Sᶜ}‖₁ s.t. Xδ = e, and its dual."""
    n, d = Xf.shape
    off = np.setdiff1d(np.arange(d), support)
    XS, XO = Xf[:, support], Xf[:, off]
    k = len(support)
    cost = np.concatenate([signs, -signs, np.ones(2 * len(off))])
    res = scipy.optimize.linprog(cost, A_eq=np.hstack([XS, -XS, XO, -XO]), b_eq=e,
                                 bounds=(0, None), method="highs-ds")
    if res.status != 0:
        return None, None
    delta_off = res.x[2 * k:2 * k + len(off)] - res.x[2 * k + len(off):]
    scale = max(np.max(np.abs(res.x)), 1e-300)
    return off[np.abs(delta_off) > 1e-9 * scale], np.asarray(res.eqlin.marginals, dtype=float)


def min_l1_interpolant(X: RealArray, y: RealArray, *, precision: Precision = None,
                       tol: float | None = None) -> Solution:
    """argmin ‖β‖₁ s.t. Xβ = y, exactly: LP vertex, then the support system.

    HiGHS identifies an optimal vertex (support S, signs s); β_S is then the
    exact solution of X_S β_S = y in float64 or at ``precision`` digits.  The
    dual ν is the *minimal* certificate of :func:`~numerics.null_space.certificate_constant`
    (ρ = min{‖(Xᵀν)_{Sᶜ}‖∞ : X_Sᵀν = s}, Matt & Stöger §4) projected onto
    X_Sᵀν = s in the working precision: strictly feasible when ρ < 1, so it
    certifies at any precision (an LP vertex dual sits on |(Xᵀν)ᵢ| = 1 off S
    when |S| < n, which no precision can confirm).  If ρ = 1 the LP's own ν is
    used.  Certificate (KKT of the ℓ1 problem):

    * primal residual ‖Xβ − y‖/‖y‖;
    * dual feasibility max(0, ‖Xᵀν‖∞ − 1);
    * complementary slackness max_{i∈S} |(Xᵀν)ᵢ − sgn βᵢ| (β is exactly 0 off S).

    Uniqueness: with X_S injective, the minimiser is unique exactly when a
    strictly complementary certificate exists, i.e. ρ < 1.  The details hold
    ``max_off_support_dual`` (max_{i∉S}|(Xᵀν)ᵢ| for the returned ν), ``rho``,
    ``uniqueness_margin`` (1 − ρ) and ``unique`` (True, False, or None when ρ
    could not be certified) with ``uniqueness`` saying why; ``stats`` holds
    ``support``, ``signs`` and ``rho`` (the certificate_constant Solution, of
    X·2⁻ᵏ: ρ, its bracket and ν = Xᵀμ are scale-free, its ``mu`` is not).
    A certified minimiser that is not unique (ρ = 1 to within
    :data:`~numerics.null_space.UNIQUENESS_MARGIN`, e.g. duplicate columns)
    has status NOT_UNIQUE: the value is one optimal vertex, not *the* minimiser.

    >>> import numpy as np
    >>> X = np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 1.0]]); y = np.array([1.0, 1.0])
    >>> sol = min_l1_interpolant(X, y); sol.ok, sol.value.round(12).tolist()
    (True, [0.5, 1.0, 0.0])
    >>> X = np.array([[1.0, 0.5, 0.25], [0.0, 1.0, -1.0]]); y = np.array([1.0, 0.0])
    >>> sol = min_l1_interpolant(X, y, precision=40); sol.ok, [float(v) for v in sol.value]
    (True, [1.0, 0.0, 0.0])
    """
    X, y, _, k, a, tol = _setup(X, y, precision, tol)
    Xf, yf = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = Xf.shape
    # β is linear in y and ν does not depend on its scale: give HiGHS ‖y‖ = 1
    beta_lp, nu_lp, message = _l1_vertex(Xf, yf / Float64Arith.norm(yf))
    if beta_lp is None:
        cert = Certificate(float("nan"), float("nan"), "LP failed: " + str(message), tol, 0,
                           a.digits)
        return Solution(np.zeros(d), cert, Status.LP_FAILED,
                        advice="HiGHS failed on this LP: check X's scaling (columns of very "
                               "different norms) or pass a smaller problem")
    scale = np.max(np.abs(beta_lp))
    support = np.flatnonzero(np.abs(beta_lp) > 1e-9 * scale)
    with a:
        Xw, yw, _ = working_arrays(X, y, a)
        beta_S = _solve_support(Xw[:, support], yw, a)
        for _ in range(_MAX_REFINEMENTS):
            residual = yw - Xw[:, support] @ beta_S
            if len(support) >= n or a.norm(residual) <= tol * a.norm(yw):
                break
            # X_S β_S = y is inconsistent at this precision: y's rounding (or a
            # near-degenerate vertex) puts entries far below HiGHS's tolerance on
            # further coordinates.  Their support is that of the perturbation LP
            # min ⟨s, δ_S⟩ + ‖δ_{Sᶜ}‖₁ s.t. Xδ = e for the rescaled residual e,
            # which is ‖β_S + δ‖₁ to first order (signs on S stay fixed).
            extra, nu_lp = _perturbation_support(Xf, support, np.sign(a.to_float(beta_S)),
                                                 a.to_float(residual / a.norm(residual)))
            if extra is None:
                break
            support = np.union1d(support, extra)
            beta_S = _solve_support(Xw[:, support], yw, a)
        XS = Xw[:, support]
        signs = a.sign(beta_S)
        signs_f = np.sign(np.asarray(a.to_float(beta_S)))
        rho, unique, why = _uniqueness(Xf, support, signs_f)
        nu0 = rho.stats["mu"] if unique else nu_lp
        nu0 = a.asarray(nu0) if a.name != "float64" else nu0
        if len(support) < n:
            # ν = ν₀ − X_S (X_SᵀX_S)⁻¹ (X_Sᵀν₀ − s): the nearest ν to ν₀ with X_Sᵀν = s.
            nu = nu0 - XS @ _solve_support(XS.T @ XS, XS.T @ nu0 - signs, a)
        else:
            nu = _solve_support(XS.T.copy(), signs, a)
        beta = np.zeros(d) if a.name == "float64" else a.asarray(np.zeros(d))
        beta[support] = beta_S
        corr = Xw.T @ nu
        primal = a.norm(Xw @ beta - yw) / a.norm(yw)
        # ‖Xᵀν‖∞ ≤ 1, each excess measured against the rounding scale of (Xᵀν)ᵢ
        excess = np.asarray(a.to_float(abs(corr) - 1))
        infeas = float(np.max(np.maximum(excess, 0) / np.maximum(
            1, np.asarray(a.to_float(abs(Xw).T @ abs(nu)))))) if d else 0.0
        # (Xᵀν)ᵢ = sgn βᵢ on S, as a componentwise backward error (column-scale free)
        slack = componentwise_residual(signs, XS, nu, a)
        off = np.setdiff1d(np.arange(d), support)
        largest_off = a.norm_inf(corr[off]) if len(off) else 0
        l1 = np.sum(abs(beta))
        gap = abs(l1 - np.dot(yw, nu)) / l1            # ‖β‖₁ − ⟨y, ν⟩ ≥ 0 at optimum
        rho_value = float(rho.value) if rho is not None and rho.ok else float("nan")
        cert = Certificate(
            primal_residual=float(primal),
            optimality_residual=float(max(infeas, slack)),
            optimality_condition="max(‖Xᵀν‖∞ − 1, maxᵢ∈S |(Xᵀν)ᵢ − sgn βᵢ| / (|X|ᵀ|ν|)ᵢ)",
            tolerance=float(tol), iterations=1, precision=a.digits,
            details={"support_size": len(support), "duality_gap": float(gap),
                     "max_off_support_dual": float(largest_off), "rho": rho_value,
                     "uniqueness_margin": 1 - rho_value, "unique": unique, "uniqueness": why,
                     "arithmetic": a.name})
        if unique is False:
            status = Status.NOT_UNIQUE
            advice = (f"{why}; no precision fixes this.  For the minimiser a limit selects, "
                      "use min_lp_interpolant with p slightly above 1, or dln_limit at a "
                      "small alpha (both unique)")
        elif cert.satisfied:
            status, advice = Status.SUCCESS, ""
        else:
            status = Status.CERTIFICATE_FAILED
            advice = newton_advice(status, a, max_iter=1)
        # X = X̃·2ᵏ: β = β̃·2⁻ᵏ and X_Sᵀν = s gives ν = ν̃·2⁻ᵏ (the certificate is scale-free)
        unit = _power_of_two(a, -k)
        return Solution(beta * unit, cert, status, dual=nu * unit, advice=advice,
                        stats={"support": support, "signs": signs_f, "rho": rho},
                        problem=Problem("l1"))


def _uniqueness(Xf, support, signs):
    """(ρ Solution or None, unique: True/False/None, the reason) for support S, signs s.

    The ℓ1 minimiser with support S is unique iff X_S is injective and a dual
    certificate with X_Sᵀν = s and |(Xᵀν)ᵢ| < 1 off S exists, i.e. ρ < 1
    (strict complementarity).  ρ must clear 1 by UNIQUENESS_MARGIN, far above
    its bracket's width, for the float64 LP to decide it.
    """
    margin = UNIQUENESS_MARGIN
    if len(support) == Xf.shape[1]:
        return None, True, "every column is in the support and X_S is injective"
    try:
        rho = certificate_constant(Xf, support, signs)
    except InputError:
        return None, False, "X_S is not injective: its columns are linearly dependent"
    if not rho.ok:
        return rho, None, f"ρ could not be certified ({rho.status.name})"
    if rho.value < 1 - margin:
        return rho, True, f"ρ = {rho.value:.6g} < 1: a strictly complementary certificate exists"
    return rho, False, (f"ρ = {rho.value:.12g} is 1 to within {margin:g}: no strictly "
                        "complementary dual certificate exists (e.g. duplicate columns)")

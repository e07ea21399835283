"""Minimum-norm interpolants: ℓ2, ℓp (1 < p ≤ 2), ℓ1 and any separable potential.

All solve ``argmin Σψ(wᵢ) s.t. Xw = y`` for an underdetermined X (n < d,
rank n) and return a certified :class:`~numerics.solution.Solution`.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import scipy.optimize

from .arith import Float64Arith, arith_for
from .certify import certified_solution, default_tolerance, working_arrays
from .newton import Preconditioner, componentwise_residual, dual_newton
from .potentials import LpPotential, Potential, QuadraticPotential
from .solution import Certificate, Problem, Solution, Status
from .validation import InputError, check_design, check_p, check_precision, check_tol


# Continuation stages before the last only need to land in Newton's fast region.
_STAGE_TOL = 1e-6
_MAX_STAGE_FAILURES = 8


def _setup(X, y, precision, tol):
    X, y, gram = check_design(X, y)
    precision = check_precision(precision)
    a = arith_for(precision)
    tol = check_tol(tol)
    return X, y, gram, a, default_tolerance(a) if tol is None else tol


def _l2_stage(Xw, yw, Xf, gram, a, tol, max_iter):
    """Minimum-ℓ2 dual solve; the Gram matrix from validation is its Newton matrix."""
    pot = QuadraticPotential()
    mu0 = yw * 0
    return pot, dual_newton(Xw, yw, pot, a, state=Xw.T @ mu0, mu=mu0, tol=tol,
                            max_iter=max_iter, Xf=Xf,
                            preconditioner=Preconditioner.from_matrix(gram))


def min_l2_interpolant(X, y, *, precision=None, tol=None, max_iter=20):
    """argmin ‖w‖₂ s.t. Xw = y, i.e. w = Xᵀ(XXᵀ)⁻¹y.

    Solved as a dual Newton step (a Cholesky solve of XXᵀ) plus iterative
    refinement until the relative residual meets ``tol``.

    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0, 0.0]]); y = np.array([2.0])
    >>> sol = min_l2_interpolant(X, y); sol.ok, sol.value.round(12).tolist()
    (True, [1.0, 1.0, 0.0])
    """
    X, y, gram, a, tol = _setup(X, y, precision, tol)
    with a:
        Xw, yw, Xf = working_arrays(X, y, a)
        y_scale = a.norm(yw)        # w and μ are linear in y: solve for ‖y‖ = 1
        pot, res = _l2_stage(Xw, yw / y_scale, Xf, gram, a, tol, max_iter)
        return certified_solution(Xw, pot, [res], a, tol=tol, scale_value=y_scale,
                                  scale_dual=y_scale, problem=Problem("l2"))


def min_potential_interpolant(X, y, potential, *, precision=None, tol=None, max_iter=200,
                              mu0=None):
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
    X, y, gram, a, tol = _setup(X, y, precision, tol)
    with a:
        Xw, yw, Xf = working_arrays(X, y, a)
        if mu0 is None:
            _, l2 = _l2_stage(Xw, yw, Xf, gram, a, tol, 20)
            mu0 = l2.mu
        else:
            mu0 = a.asarray(mu0) if a.name != "float64" else np.asarray(mu0, dtype=float)
        res = dual_newton(Xw, yw, potential, a, state=potential.state(Xw.T @ mu0, a), mu=mu0,
                          tol=tol, max_iter=max_iter, Xf=Xf)
        return certified_solution(Xw, potential, [res], a, tol=tol,
                                  problem=Problem("potential", {"potential": potential}))


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


def min_lp_interpolant(X, y, p, *, precision=None, tol=None, max_iter=100,
                       allow_above_2=False, mu0=None):
    """argmin ‖w‖_p s.t. Xw = y for 1 < p ≤ 2 (p > 2 with ``allow_above_2``).

    Dual: max ⟨y, λ⟩ − ‖Xᵀλ‖_q^q / q with q = p/(p−1); the KKT map is
    w = sgn(z)|z|^{q−1}, z = Xᵀλ (ZL-1).  For p near 1 (q up to ~100) the
    plain dual Newton overflows or crawls, so the solve (i) rescales X and y,
    (ii) continues in q from the ℓ2 solution (q−1 doubling per stage), with
    (iii) the exact ray rescaling of the dual vector between stages and
    (iv) steps kept inside the representable range.

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
    X, y, gram, a, tol = _setup(X, y, precision, tol)
    with a:
        Xw, yw, Xf = working_arrays(X, y, a)
        # w(cX, ey) = (e/c) w(X, y): solve a problem with unit-scale entries and ‖y‖ = 1.
        # At d = 8000 a copy of X costs as much memory traffic as ten products X·v:
        # the RMS comes from BLAS's nrm2, and in float64 Xn is also the float copy.
        x_scale = Float64Arith.norm(Xf) / math.sqrt(Xf.size)
        y_scale = a.norm(yw)
        Xn, yn = Xw / x_scale, yw / y_scale
        Xfn = Xn if a.name == "float64" else Xf / x_scale
        # Back to the caller's units at the end: w = ŵ·s_y/s_x, and z = Xᵀμ with
        # |z|^{q−1} = |w| gives μ = μ̂·(s_y/s_x)^{p−1}/s_x.
        ratio = y_scale / x_scale
        scale_dual = ratio ** (a.param(p) - 1) / x_scale
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
            pot, l2 = _l2_stage(Xn, yn, Xfn, gram / x_scale**2, a, tol, 20)
            results.append(l2)
            if p != 2:
                pot = _continue_in_q(Xn, yn, Xfn, p, l2.mu, results, a, tol, max_iter)
        return certified_solution(Xn, pot, results, a, tol=tol, scale_value=ratio,
                                  scale_dual=scale_dual, stats={"warm_start": warm},
                                  problem=Problem("lp", {"p": p}))


def _continue_in_q(Xn, yn, Xfn, p, mu, results, a, tol, max_iter):
    """Continuation in s = log(q − 1) from 0 (ℓ2, dual ``mu``) to the target p,
    doubling q − 1 per stage; a failed stage is retried closer to the last good
    one.  Appends every stage's result to ``results``; returns the last potential."""
    target = math.log(p / (p - 1) - 1)
    good, step, failures = 0.0, math.log(2), 0
    level = target if target <= 0 else min(target, step)
    while True:
        last = level == target
        q = 1 + math.exp(level)
        pot = LpPotential(p if last else q / (q - 1))
        start = _ray_rescale(Xn, yn, mu, pot.q(a), a)
        res = dual_newton(Xn, yn, pot, a, state=Xn.T @ start, mu=start,
                          tol=tol if last else max(tol, _STAGE_TOL), max_iter=max_iter, Xf=Xfn)
        if res.status is Status.SUCCESS:
            results.append(res)
            mu, good = res.mu, level
            if last:
                return pot
            if res.iterations <= 6:       # easy stage: reach further
                step = min(2 * step, math.log(2))
            level = min(target, good + step)
        else:
            failures += 1
            if failures > _MAX_STAGE_FAILURES or target <= 0:
                results.append(res)
                return pot
            step = (level - good) / 4
            level = good + step


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
    # noisy y).  The tightest tolerances HiGHS accepts make it pivot on.
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


def min_l1_interpolant(X, y, *, precision=None, tol=None):
    """argmin ‖β‖₁ s.t. Xβ = y, exactly: LP vertex, then the support system.

    HiGHS identifies an optimal vertex (support S, signs s); β_S is then the
    exact solution of X_S β_S = y and ν is re-solved from X_Sᵀν = s (the
    HiGHS dual projected onto that affine set when |S| < n), in float64 or at
    ``precision`` digits.  Certificate (KKT of the ℓ1 problem):

    * primal residual ‖Xβ − y‖/‖y‖;
    * dual feasibility max(0, ‖Xᵀν‖∞ − 1);
    * complementary slackness max_{i∈S} |(Xᵀν)ᵢ − sgn βᵢ| (β is exactly 0 off S).

    ``stats["dual_margin"]`` is max_{i∉S}|(Xᵀν)ᵢ| for this ν: below 1 (with
    X_S injective) certifies that the minimiser is unique; equal to 1 is
    inconclusive (when |S| < n the certificate ν is not unique).

    >>> import numpy as np
    >>> X = np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 1.0]]); y = np.array([1.0, 1.0])
    >>> sol = min_l1_interpolant(X, y); sol.ok, sol.value.round(12).tolist()
    (True, [0.5, 1.0, 0.0])
    """
    X, y, _, a, tol = _setup(X, y, precision, tol)
    Xf, yf = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = Xf.shape
    # β is linear in y and ν does not depend on its scale: give HiGHS ‖y‖ = 1
    beta_lp, nu_lp, message = _l1_vertex(Xf, yf / Float64Arith.norm(yf))
    if beta_lp is None:
        cert = Certificate(float("nan"), float("nan"), "LP failed: " + str(message), tol, 0,
                           a.digits)
        return Solution(np.zeros(d), cert, Status.LP_FAILED)
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
        nu0 = a.asarray(nu_lp) if a.name != "float64" else nu_lp
        if len(support) < n:
            # ν = ν₀ − X_S (X_SᵀX_S)⁻¹ (X_Sᵀν₀ − s): the nearest ν to HiGHS's with X_Sᵀν = s.
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
        margin = a.norm_inf(corr[off]) if len(off) else 0
        l1 = np.sum(abs(beta))
        gap = abs(l1 - np.dot(yw, nu)) / l1            # ‖β‖₁ − ⟨y, ν⟩ ≥ 0 at optimum
        cert = Certificate(
            primal_residual=float(primal),
            optimality_residual=float(max(infeas, slack)),
            optimality_condition="max(‖Xᵀν‖∞ − 1, maxᵢ∈S |(Xᵀν)ᵢ − sgn βᵢ| / (|X|ᵀ|ν|)ᵢ)",
            tolerance=float(tol), iterations=1, precision=a.digits,
            details={"support_size": len(support), "duality_gap": float(gap),
                     "dual_margin": float(margin), "arithmetic": a.name})
        status = Status.SUCCESS if cert.satisfied else Status.CERTIFICATE_FAILED
        return Solution(beta, cert, status, dual=nu,
                        stats={"support": support, "dual_margin": float(margin)},
                        problem=Problem("l1"))

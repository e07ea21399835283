"""The constants of the ℓ1 approximation rates of deep diagonal networks.

For an ℓ1 interpolant with support S and signs s = sgn β_S (Matt & Stöger
2025, as reconstructed in docs/derivations/stoger-matt-depth-rates.md):

* :func:`certificate_constant` — ρ, the smallest off-support sup-norm of a
  dual certificate (§4),

      ρ = min { ‖(Xᵀμ)_{Sᶜ}‖∞ : X_Sᵀμ = s },

  by linear programming (HiGHS), certified by a *bracket*: a feasible μ
  (corrected to satisfy X_Sᵀμ = s) bounds ρ from above, and the LP's dual, a
  null-space vector h ∈ ker X (projected onto ker X), bounds it from below
  through the null-space form ρ = max_{h ∈ ker X} ⟨−s, h_S⟩ / ‖h_{Sᶜ}‖₁.
  ρ < 1 (with X_S injective) is the uniqueness condition of the ℓ1
  interpolant; the depth-2 DLN approaches it like α^{1−ρ}.
  :func:`~numerics.min_l1_interpolant` certifies with this minimal dual and
  reports uniqueness from ρ, at any ``precision``;
* :func:`depth_limit_constant` — e* = lim (β_α − β_ℓ1)/α for depth D ≥ 3
  (end-to-end scale α, §6), the minimiser of
  ⟨s, h_S⟩ + Σ_{i∉S} H_D(hᵢ) over h ∈ ker X (H_D' = h_D⁻¹), solved through
  its dual

      min Σ_{i∉S} G_D((Xᵀμ)ᵢ)  s.t.  X_Sᵀμ = s,   G_D' = h_D,

  by Newton's method on the affine set (e*_{Sᶜ} = h_D((Xᵀμ)_{Sᶜ}), and e*_S
  from X e* = 0).  The dual's domain |(Xᵀμ)ᵢ| < 1 is non-empty exactly when
  ρ < 1, which is why the constant blows up as ρ → 1.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.optimize

from ._types import RealArray
from .solution import Certificate, Solution, Status
from .validation import InputError, check_depth

_EPS = float(np.finfo(np.float64).eps)
# The bracket [lower, upper] on ρ must close to this width for SUCCESS: both
# ends are exact up to the float64 rounding of inner products of length ≤ d,
# ~d·eps·‖X‖‖μ‖ ≲ 1e-12 here; 1e-9 also absorbs HiGHS's vertex tolerances.
RHO_TOLERANCE = 1e-9
_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
# HiGHS's presolve finds nothing to remove in this LP's 2(d − |S|) dense rows but costs most
# of the solve: at n = 200, d = 4000 (noisy y) 20 of 20.4 s, and without it the same bracket
# took 3.7 s (2–6× faster on Gaussian designs, n = 20–200, d = 60–4000; measured).  The
# LP is solved without presolve first, and again with it if that bracket does not close.
_PRESOLVE_TRIES = (False, True)


def _support_system(X, support, signs):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise InputError(f"X must be a 2-d array, got shape {X.shape}")
    n, d = X.shape
    support = np.asarray(support, dtype=int).reshape(-1)
    signs = np.sign(np.asarray(signs, dtype=np.float64).reshape(-1))
    if support.size == 0:
        raise InputError("the support is empty: y = 0 has the ℓ1 interpolant 0 and no rate; "
                         "pass the support of a nonzero ℓ1 interpolant")
    if signs.shape != support.shape or np.any(signs == 0):
        raise InputError(f"signs must be ±1, one per support index; got {signs.size} signs "
                         f"for {support.size} indices")
    if len(np.unique(support)) != support.size or support.min() < 0 or support.max() >= d:
        raise InputError(f"support must hold distinct column indices of X in [0, {d})")
    if support.size == d:
        raise InputError("the support is every column: there is no off-support coordinate "
                         "and no rate to speak of; the problem is not overparameterised")
    XS = X[:, support]
    if np.linalg.matrix_rank(XS) < support.size:
        raise InputError(
            f"X_S ({n}×{support.size}) is not injective: the ℓ1 interpolant with this support "
            "is not unique and ρ = 1; the rates need a unique ℓ1 interpolant")
    off = np.setdiff1d(np.arange(d), support)
    return X, support, signs, off


def _project_to_constraint(XS, mu, signs):
    """The nearest μ with X_Sᵀμ = s (X_S injective: a least-squares correction)."""
    correction, *_ = np.linalg.lstsq(XS.T, XS.T @ mu - signs, rcond=None)
    # lstsq of the underdetermined X_Sᵀδ = e gives its minimum-norm solution
    return mu - correction


def certificate_constant(X: RealArray, support: RealArray, signs: RealArray) -> Solution:
    """ρ = min{‖(Xᵀμ)_{Sᶜ}‖∞ : X_Sᵀμ = s} by LP, with a certified bracket.

    Returns a :class:`Solution` whose ``value`` is ρ (the midpoint of the
    bracket), ``dual`` the certificate ν = Xᵀμ (ν_S = s, |ν_{Sᶜ}| ≤ ρ), and
    ``stats``: ``lower``/``upper`` (the bracket), ``null_vector`` (h ∈ ker X
    attaining the lower bound, ‖h_{Sᶜ}‖₁ = 1) and ``active`` (the off-support
    indices with |νᵢ| = ρ to the bracket's width).  ``certificate.optimality_residual``
    is the bracket's width, held to :data:`RHO_TOLERANCE`.

    LP (variables μ, t): min t s.t. X_Sᵀμ = s, ±X_{Sᶜ}ᵀμ − t ≤ 0.  Its dual
    is max ⟨λ, s⟩ s.t. X_{Sᶜ}g = X_Sλ, ‖g‖₁ ≤ 1: h = (−λ, g) ∈ ker X.

    >>> X = np.array([[1.0, 0.5]]); sol = certificate_constant(X, [0], [1])
    >>> sol.ok, round(sol.value, 12)
    (True, 0.5)
    """
    X, support, signs, off = _support_system(X, support, signs)
    n, d = X.shape
    XS, XO = X[:, support], X[:, off]
    k = off.size
    cost = np.r_[np.zeros(n), 1.0]
    A_ub = np.vstack([np.c_[XO.T, -np.ones(k)], np.c_[-XO.T, -np.ones(k)]])
    for presolve in _PRESOLVE_TRIES:
        res = scipy.optimize.linprog(cost, A_ub=A_ub, b_ub=np.zeros(2 * k),
                                     A_eq=np.c_[XS.T, np.zeros(support.size)], b_eq=signs,
                                     bounds=[(None, None)] * n + [(0, None)], method="highs",
                                     options={**_LP_OPTIONS, "presolve": presolve})
        solution = _bracket(X, XS, support, signs, off, res, presolve)
        if solution.ok:
            break
    return solution


def _bracket(X, XS, support, signs, off, res, presolve):
    """The certified bracket on ρ from the LP's optimum ``res`` (see certificate_constant)."""
    n, d = X.shape
    if res.status != 0:
        cert = Certificate(float("nan"), float("nan"), f"LP failed: {res.message}",
                           RHO_TOLERANCE, 0, -np.log10(_EPS))
        return Solution(float("nan"), cert, Status.LP_FAILED)
    # Upper bound: a certificate that satisfies the equality exactly (to rounding).
    mu = _project_to_constraint(XS, res.x[:n], signs)
    nu = X.T @ mu
    upper = float(np.max(np.abs(nu[off])))
    # Lower bound: the dual's null-space vector, projected onto ker X.
    lam = np.asarray(res.eqlin.marginals, dtype=float)
    upper_marg, lower_marg = np.split(-np.asarray(res.ineqlin.marginals, dtype=float), 2)
    h = np.zeros(d)
    h[support], h[off] = -lam, upper_marg - lower_marg
    h -= X.T @ np.linalg.solve(X @ X.T, X @ h)
    l1_off = float(np.sum(np.abs(h[off])))
    lower = float(-signs @ h[support] / l1_off) if l1_off > 0 else 0.0
    lower = max(lower, 0.0)        # h and −h are both in ker X: ρ ≥ 0 always
    width = upper - lower
    primal = float(np.max(np.abs(XS.T @ mu - signs)))
    cert = Certificate(
        primal_residual=primal, optimality_residual=abs(width),
        optimality_condition="bracket width: max_{i∉S}|(Xᵀμ)ᵢ| (feasible μ) − "
                             "⟨−s, h_S⟩/‖h_{Sᶜ}‖₁ (h ∈ ker X)",
        tolerance=RHO_TOLERANCE, iterations=int(getattr(res, "nit", 0)),
        precision=-np.log10(_EPS),
        details={"lower": lower, "upper": upper, "lp_objective": float(res.fun),
                 "support_size": int(support.size), "presolve": presolve})
    ok = cert.satisfied and width >= -RHO_TOLERANCE
    active = off[np.abs(np.abs(nu[off]) - upper) <= max(abs(width), RHO_TOLERANCE)]
    return Solution((lower + upper) / 2, cert, Status.SUCCESS if ok else Status.CERTIFICATE_FAILED,
                    dual=nu, stats={"lower": lower, "upper": upper, "null_vector": h / l1_off
                                    if l1_off > 0 else h, "active": active, "mu": mu})


# The dual certificate proves uniqueness when its off-support sup-norm stays below 1 by
# more than its own float64 error (the bracket width, ≤ RHO_TOLERANCE) with room to spare.
UNIQUENESS_MARGIN = 1e3 * RHO_TOLERANCE


# --------------------------------------------------------------------------- e* (D ≥ 3)
def _h(z, m):
    """h_D(z) = (1−z)^{−m} − (1+z)^{−m}, m = D/(D−2)."""
    return (1 - z) ** -m - (1 + z) ** -m


def _h_prime(z, m):
    return m * ((1 - z) ** (-m - 1) + (1 + z) ** (-m - 1))


def _G(z, m):
    """G_D(z) = (D−2)/2·[(1−z)^{−2/(D−2)} + (1+z)^{−2/(D−2)}] = ((1−z)^{1−m} + (1+z)^{1−m})/(m−1)."""
    return ((1 - z) ** (1 - m) + (1 + z) ** (1 - m)) / (m - 1)


# Relative stationarity: the rounding of sums of ≤ d terms (d·eps ≈ 1e-14 for d ~ 50),
# times the conditioning of the projection onto ker X_Sᵀ; 1e-12 leaves ≥ 10× headroom.
_NEWTON_TOL = 1e-12
_LOCAL = 1e-6           # stationarity below which steps must reduce it
_MAX_NEWTON = 100


def depth_limit_constant(X: RealArray, support: RealArray, signs: RealArray,
                         depth: int) -> Solution:
    """e* = lim_{α→0} (β_α − β_ℓ1)/α for depth D ≥ 3, end-to-end scale α.

    Returns a :class:`Solution` with ``value`` e* (d entries, X e* = 0) and
    ``dual`` the limiting dual certificate ν* = Xᵀμ* (ν*_S = s, |ν*_{Sᶜ}| < 1);
    ``certificate.optimality_residual`` is the dual's relative stationarity
    ‖Pᵀ X_{Sᶜ} h_D(ν*_{Sᶜ})‖ / ‖|X_{Sᶜ}| |h_D(ν*_{Sᶜ})|‖ (P spans ker X_Sᵀ),
    which is also the relative residual of X e* = 0; ``primal_residual`` is
    ‖X_Sᵀμ − s‖∞.  Newton's method on μ = μ₀ + P c from the ρ certificate
    (which lies in the domain when ρ < 1), with steps kept inside
    |νᵢ| < 1 and backtracked on the dual objective.

    >>> X = np.array([[1.0, 0.5]]); sol = depth_limit_constant(X, [0], [1], 3)
    >>> sol.ok, np.round(sol.value, 10).tolist()     # h₃(1/2) = 2³ − (2/3)³
    (True, [-3.8518518519, 7.7037037037])
    """
    depth = check_depth(depth)
    if depth < 3:
        raise InputError("depth_limit_constant is for D ≥ 3; at depth 2 the error is not "
                         "linear in α (it decays like α^{1−ρ}: see certificate_constant)")
    X, support, signs, off = _support_system(X, support, signs)
    n, d = X.shape
    m = depth / (depth - 2)
    XS, XO = X[:, support], X[:, off]
    start = certificate_constant(X, support, signs)
    if not start.ok or not start.value < 1:
        cert = Certificate(float("nan"), float("nan"), "ρ < 1 is needed for a finite e*",
                           _NEWTON_TOL, 0, -np.log10(_EPS), {"rho": float(start.value)})
        return Solution(np.full(d, np.nan), cert, Status.CERTIFICATE_FAILED)
    mu0 = start.stats["mu"]
    # P: orthonormal basis of ker X_Sᵀ, the directions that keep X_Sᵀμ = s.
    P = scipy.linalg.null_space(XS.T)
    B = XO.T @ P                       # ν_{Sᶜ} = X_{Sᶜ}ᵀμ₀ + B c; gradient in c: Bᵀh_D(ν)
    base = XO.T @ mu0
    c = np.zeros(P.shape[1])

    def objective(c):
        nu = base + B @ c
        return float(np.sum(_G(nu, m))) if np.all(np.abs(nu) < 1) else np.inf

    def measure(c):
        """(gradient in c, relative stationarity) at c."""
        link = _h(base + B @ c, m)
        grad = B.T @ link
        return grad, float(np.linalg.norm(grad) / np.linalg.norm(np.abs(XO) @ np.abs(link)))

    status, iterations = Status.MAX_ITERATIONS, 0
    grad, stationarity = measure(c)
    for iterations in range(_MAX_NEWTON + 1):
        if stationarity <= _NEWTON_TOL or B.shape[1] == 0:
            status = Status.SUCCESS
            break
        if iterations == _MAX_NEWTON:
            break
        nu = base + B @ c
        hess = B.T @ (_h_prime(nu, m)[:, None] * B)
        step = -np.linalg.solve(hess, grad)
        f0, slope, t = objective(c), float(grad @ step), 1.0
        while t > 1e-16:
            trial_grad, trial_stationarity = measure(c + t * step)
            # Armijo on the objective far from the optimum; near it the objective's
            # changes drown in rounding, and the stationarity itself must shrink.
            if (trial_stationarity < stationarity if stationarity < _LOCAL
                    else objective(c + t * step) <= f0 + 1e-4 * t * slope):
                break
            t /= 2
        if t <= 1e-16:
            status = Status.STAGNATED
            break
        c = c + t * step
        grad, stationarity = trial_grad, trial_stationarity
    nu_off = base + B @ c
    e = np.zeros(d)
    e[off] = _h(nu_off, m)
    e[support] = np.linalg.lstsq(XS, -XO @ e[off], rcond=None)[0]
    mu = mu0 + P @ c
    cert = Certificate(
        primal_residual=float(np.max(np.abs(XS.T @ mu - signs))),
        optimality_residual=stationarity,
        optimality_condition="‖Pᵀ X_{Sᶜ} h_D(ν_{Sᶜ})‖ / ‖|X_{Sᶜ}||h_D(ν_{Sᶜ})|‖ (= relative "
                             "residual of X e* = 0)",
        tolerance=_NEWTON_TOL, iterations=iterations, precision=-np.log10(_EPS),
        details={"rho": float(start.value), "max_off_support_dual": float(np.max(np.abs(nu_off)))})
    if status is Status.SUCCESS and not cert.satisfied:
        status = Status.CERTIFICATE_FAILED
    return Solution(e, cert, status, dual=X.T @ mu)

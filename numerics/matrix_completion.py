"""Matrix completion: gradient flow on a factorisation, and the two completions it tends to.

Observed entries y_ij = M*_ij for (i, j) in Ω (a boolean ``mask``), P_Ω the
projection that keeps the observed entries and zeroes the others.

* :func:`factorized_gradient_flow`: gradient flow on L(U, V) = ½‖P_Ω(UVᵀ) − y‖²
  (Woodworth et al. 2020, §6; the paper's ‖·‖² without ½ only rescales time),
  integrated as an ODE with ``scipy.integrate.solve_ivp`` until it interpolates.
* :func:`min_nuclear_norm_completion`: argmin ‖M‖_* s.t. P_Ω(M) = y (the α → 0
  limit the paper names, §6 and App. D), by Douglas–Rachford splitting,
  certified by a duality gap.  It is not always where the flow goes: when a
  unique lower-rank completion has a larger nuclear norm, small-α flow finds
  the low-rank one (see the doctests, and claim KR-11).
* :func:`min_frobenius_completion`: argmin ‖M‖_F s.t. P_Ω(M) = y, in closed
  form (the α → ∞ limit for the initialisations whose tangent kernel is the
  delta kernel, §6).
* :func:`tangent_kernel_completion`: the minimum-RKHS-norm interpolant of the
  tangent kernel at initialisation, where kernel gradient flow ends (§3), i.e.
  the α → ∞ limit of the flow for any initialisation.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.integrate
import scipy.linalg
from threadpoolctl import threadpool_limits

from .arith import Float64Arith
from .solution import Certificate, Solution, Status
from .validation import InputError, check_positive

_FLOW_CONDITION = ("gradient flow has no KKT system; the certificate is the interpolation "
                   "residual ‖P_Ω(M) − y‖/‖y‖ at the stopping time")
_GAP_CONDITION = ("relative duality gap (‖M‖_* − ⟨Y, y⟩)/‖M‖_* for a feasible M and a dual "
                  "matrix Y supported on Ω with ‖Y‖_op ≤ 1; by weak duality ‖M‖_* exceeds "
                  "the minimum by at most the gap")
_STIFF_METHODS = ("LSODA", "Radau", "BDF")
_MIN_RTOL = 100 * np.finfo(np.float64).eps


# =============================================================================
# Input checks
# =============================================================================

def _check_problem(mask, observed):
    """Boolean mask Ω (d₁×d₂) and the observed values as a matrix zero off Ω.

    Entries of ``observed`` outside Ω are ignored (they may be NaN).
    """
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.ndim != 2:
        raise InputError(f"mask must be a 2-D boolean array (True where an entry is observed), "
                         f"got dtype {mask.dtype} and shape {mask.shape}")
    if not mask.any():
        raise InputError("mask observes no entry; observe at least one")
    observed = np.asarray(observed, dtype=float)
    if observed.shape != mask.shape:
        raise InputError(f"observed has shape {observed.shape} but mask {mask.shape}; pass the "
                         "observations as a matrix of the mask's shape (unobserved entries are "
                         "ignored and may be NaN)")
    if not np.all(np.isfinite(observed[mask])):
        raise InputError("an observed entry is NaN or infinite; remove it from the mask or "
                         "fix its value")
    y = np.where(mask, observed, 0.0)
    if not np.any(y):
        raise InputError("every observed entry is zero: every completion method returns 0 "
                         "there; pass nonzero observations")
    return mask, y


def _check_factors(U0, V0, mask):
    U0, V0 = np.asarray(U0, dtype=float), np.asarray(V0, dtype=float)
    d1, d2 = mask.shape
    if U0.ndim != 2 or V0.ndim != 2 or U0.shape[0] != d1 or V0.shape[0] != d2 \
            or U0.shape[1] != V0.shape[1]:
        raise InputError(f"U0 {U0.shape} and V0 {V0.shape} must be ({d1}, k) and ({d2}, k) "
                         f"factors of a {d1}×{d2} matrix with the same number k of columns")
    if not (np.all(np.isfinite(U0)) and np.all(np.isfinite(V0))):
        raise InputError("U0 or V0 has NaN or infinite entries")
    if not (np.any(U0) or np.any(V0)):
        raise InputError("U0 = V0 = 0 is a stationary point of the flow (nothing moves); "
                         "start from a nonzero initialisation, e.g. α·[I, −I] and α·[I, I]")
    return U0, V0


def _check_tol(name, tol):
    check_positive(name, tol)
    if tol >= 1:
        raise InputError(f"{name} = {tol!r} must be below 1 (a relative tolerance, e.g. 1e-10)")
    return float(tol)


# =============================================================================
# Gradient flow on UVᵀ
# =============================================================================

class _TransportedFlow:
    """The flow on W = [U; V] written as W(t) = Φ(t)W(0).

    ∇_U L = RV and ∇_V L = RᵀU with R = P_Ω(UVᵀ) − y, so Ẇ = −S(t)W with the
    symmetric S = [[0, R], [Rᵀ, 0]].  This is linear in W for the path's S(t),
    hence W(t) = Φ(t)W(0) with Φ̇ = −SΦ, Φ(0) = I; S depends on W only through
    UVᵀ = [ΦG₀Φᵀ]₁₂, G₀ = W(0)W(0)ᵀ.  The state Φ has (d₁+d₂)² entries
    whatever the width k of the factors, and it is exact: no reduction, only
    the fundamental matrix of the flow.

    Invariant: ΦᵀJΦ = J with J = diag(I_{d₁}, −I_{d₂}), because SJ + JS = 0;
    it is the conserved UᵀU − VᵀV of the factor flow (balancedness), and its
    drift measures the integrator's error.
    """

    def __init__(self, mask, y, G0):
        self.mask, self.y, self.G0 = mask, y, G0
        self.d1, self.d2 = mask.shape
        self.n = self.d1 + self.d2

    def matrix(self, phi):
        """M = UVᵀ = [ΦG₀Φᵀ]₁₂."""
        return (phi[:self.d1] @ self.G0 @ phi[self.d1:].T)

    def residual(self, phi):
        return self.mask * (self.matrix(phi) - self.y)

    def rhs(self, _t, state):
        phi = state.reshape(self.n, self.n)
        R = self.residual(phi)
        return -np.concatenate([R @ phi[self.d1:], R.T @ phi[:self.d1]]).ravel()

    def jacobian(self, _t, state):
        """∂vec(−SΦ)/∂vec(Φ), row-major: −S⊗I from δΦ, and −δS·Φ from δR = P_Ω δM with
        ∂M_ij/∂Φ_pb = δ_{p,i}A_{b,d₁+j} + δ_{p,d₁+j}A_{b,i}, A = G₀Φᵀ."""
        d1, d2, n = self.d1, self.d2, self.n
        phi = state.reshape(n, n)
        A = self.G0 @ phi.T
        rows, cols = np.indices((d1, d2))
        dR = np.zeros((d1, d2, n, n))
        dR[rows, cols, rows, :] = self.mask[:, :, None] * A[:, d1:].T[None, :, :]
        dR[rows, cols, d1 + cols, :] = self.mask[:, :, None] * A[:, :d1].T[:, None, :]
        top = np.einsum("jc,ijpb->icpb", phi[d1:], dR)
        bottom = np.einsum("ic,ijpb->jcpb", phi[:d1], dR)
        J = -np.concatenate([top, bottom]).reshape(n * n, n * n)
        R = self.residual(phi)
        S = np.zeros((n, n))
        S[:d1, d1:], S[d1:, :d1] = R, R.T
        J -= np.kron(S, np.eye(n))
        return J

    def invariant_drift(self, phi):
        """‖ΦᵀJΦ − J‖_max / max(1, ‖Φ‖²_max): the relative loss of the conserved quantity."""
        signs = np.concatenate([np.ones(self.d1), -np.ones(self.d2)])
        drift = np.max(np.abs(phi.T @ (signs[:, None] * phi) - np.diag(signs)))
        return float(drift / max(1.0, float(np.max(np.abs(phi))) ** 2))


# The stiff integrator stopped (step below the spacing of t, or a non-finite Jacobian).
_FLOW_BREAKDOWN_ADVICE = ("the stiff integrator cannot follow the flow from these factors in "
                          "float64; start from larger factors U0, V0")


def factorized_gradient_flow(mask: np.ndarray, observed: np.ndarray, U0: np.ndarray,
                             V0: np.ndarray, *, tol: float = 1e-10, rtol: float = 1e-10,
                             t_max: float = 1e12, method: str = "LSODA") -> Solution:
    """Integrate gradient flow on L(U, V) = ½‖P_Ω(UVᵀ) − y‖² until it interpolates.

        U̇ = −RV,   V̇ = −RᵀU,   R = P_Ω(UVᵀ) − y,   U(0) = U0, V(0) = V0,

    (Woodworth et al. 2020, §6: F(U, V) = UVᵀ; the paper's unbiased
    initialisations are U0 = α[Ū, −Ū], V0 = α[V̄, V̄], so U0V0ᵀ = 0).  The flow
    is integrated in its transported form W(t) = Φ(t)W(0), W = [U; V] (see
    :class:`_TransportedFlow`: exact, with a state of size (d₁+d₂)² for any
    width), by ``scipy.integrate.solve_ivp`` with an implicit ``method`` and
    the analytic Jacobian, until ‖P_Ω(M) − y‖/‖y‖ ≤ ``tol`` or t = ``t_max``.
    The flow is stiff at small scale: after the fast fit of the leading
    component the last of the residual decays at rates of order ‖U0‖², so
    t reaches ~1e7 at α = 1e-4.

    Returns a :class:`~numerics.solution.Solution`: ``value`` = M = UVᵀ at the
    stopping time; status SUCCESS (residual ≤ tol), MAX_ITERATIONS (t_max
    reached first) or BREAKDOWN (the integrator failed); ``certificate.details``
    holds ``t_final``, the solver's counts and ``invariant_drift`` (the
    relative drift of the conserved UᵀU − VᵀV, an a-posteriori measure of the
    integration error).

    >>> import numpy as np
    >>> mask = np.array([[True, True], [True, False]]); target = np.array([[1.0, 2.0], [3.0, 0.0]])
    >>> flow = factorized_gradient_flow(mask, target, 1e-3 * np.eye(2), 1e-3 * np.eye(2))
    >>> flow.ok, round(float(flow.value[1, 1]), 6)      # the rank-one completion: 2·3/1
    (True, 6.0)
    """
    mask, y = _check_problem(mask, observed)
    U0, V0 = _check_factors(U0, V0, mask)
    tol = _check_tol("tol", tol)
    rtol = _check_tol("rtol", rtol)
    if rtol < _MIN_RTOL:
        raise InputError(f"rtol = {rtol!r} is below float64 resolution (solve_ivp needs "
                         f"rtol ≥ 100·eps ≈ {_MIN_RTOL:.1e})")
    check_positive("t_max", t_max)
    if method not in _STIFF_METHODS:
        raise InputError(f"method = {method!r}: the flow is stiff at small initialisation "
                         f"(rates from ‖y‖ down to ‖U0‖²); use one of {', '.join(_STIFF_METHODS)}")
    W0 = np.concatenate([U0, V0])
    flow = _TransportedFlow(mask, y, W0 @ W0.T)
    n = flow.n
    y_norm = float(np.linalg.norm(y))
    # atol: M = [ΦG₀Φᵀ]₁₂ moves by ‖G₀‖·δΦ for an error δΦ in an entry of Φ near 0
    # (where only atol acts), so atol = rtol·min(1, max|y|/‖G₀‖) keeps that below
    # rtol·max|y|; without the factor, α = 100 (‖G₀‖ = 2e4) loses 4 digits of the
    # ~1e-8 change of the unobserved entries.
    atol = rtol * min(1.0, float(np.max(np.abs(y))) / float(np.linalg.norm(W0, 2)) ** 2)
    log_target = math.log(tol / 2)   # stop a little below tol: the event root is only approximate

    def converged(_t, state):
        res = np.linalg.norm(flow.residual(state.reshape(n, n))) / y_norm
        return math.log(max(res, np.finfo(float).tiny)) - log_target

    converged.terminal = True
    converged.direction = -1
    with threadpool_limits(limits=1), np.errstate(over="ignore", invalid="ignore"):
        try:
            ode = scipy.integrate.solve_ivp(flow.rhs, (0.0, float(t_max)), np.eye(n).ravel(),
                                            method=method, jac=flow.jacobian, events=converged,
                                            rtol=rtol, atol=atol)
        except (ValueError, np.linalg.LinAlgError) as exc:
            details = {"method": method, "solver_message": str(exc)}
            return Solution(value=np.full(mask.shape, np.nan),
                            certificate=_flow_certificate(math.nan, tol, 0, details),
                            status=Status.BREAKDOWN, advice=_FLOW_BREAKDOWN_ADVICE)
        phi = ode.y[:, -1].reshape(n, n)
        M = flow.matrix(phi)
        residual = float(np.linalg.norm(mask * (M - y)) / y_norm)
        drift = flow.invariant_drift(phi)
    if ode.status == -1 or not np.isfinite(residual):
        status, advice = Status.BREAKDOWN, _FLOW_BREAKDOWN_ADVICE
    elif ode.status == 1 and residual <= tol:
        status, advice = Status.SUCCESS, ""
    else:
        status, advice = Status.TIME_LIMIT, f"raise t_max (it was {float(t_max):g})"
    details = {"t_final": float(ode.t[-1]), "nfev": int(ode.nfev), "njev": int(ode.njev),
               "nlu": int(ode.nlu), "method": method, "rtol": rtol, "atol": atol,
               "invariant_drift": drift, "solver_message": ode.message}
    return Solution(value=M, certificate=_flow_certificate(residual, tol, ode.nfev, details),
                    status=status, advice=advice)


def _flow_certificate(residual, tol, iterations, details):
    return Certificate(primal_residual=float(residual), optimality_residual=float(residual),
                       optimality_condition=_FLOW_CONDITION, tolerance=tol,
                       iterations=int(iterations), precision=Float64Arith.digits,
                       details=details)


# =============================================================================
# The limits: minimum nuclear norm, minimum Frobenius norm, tangent kernel
# =============================================================================

def _singular_value_threshold(Z, threshold):
    """prox of threshold·‖·‖_*: shrink the singular values of Z by ``threshold``."""
    u, s, vt = np.linalg.svd(Z, full_matrices=False)
    return (u * np.maximum(s - threshold, 0.0)) @ vt


def min_nuclear_norm_completion(mask: np.ndarray, observed: np.ndarray, *, tol: float = 1e-10,
                                max_iter: int = 200_000, step: float | None = None,
                                check_every: int = 20) -> Solution:
    """argmin ‖M‖_* s.t. P_Ω(M) = y, certified by a duality gap.

    Douglas–Rachford splitting of ‖M‖_* + ι{P_Ω(M) = y} (Lions–Mercier), with
    the feasible point M = Z − P_Ω(Z) + y (the projection onto the constraint)
    and singular value thresholding as the prox of γ‖·‖_*:

        M ← Π(Z),   N ← SVT_γ(2M − Z),   Z ← Z + N − M.

    Certificate (weak duality): for feasible M and any Y supported on Ω with
    ‖Y‖_op ≤ 1, ⟨Y, y⟩ = ⟨Y, M⟩ ≤ ‖M‖_*, so ‖M‖_* − ⟨Y, y⟩ bounds the
    suboptimality.  Y is the iteration's own dual estimate (M − Z)/γ (supported
    on Ω by construction; the DR fixed point has (M − Z)/γ ∈ ∂‖M‖_*), divided by
    max(1, its spectral norm).  Every ``check_every`` iterations the relative
    gap is computed; SUCCESS when it is ≤ ``tol``.  ``step`` γ defaults to the
    mean |y| over Ω (the scale of the singular values being thresholded).

    ``dual`` is the certificate's Y.  ``certificate.details`` also holds the
    numerical rank of M and the strict-complementarity margin 1 − ‖P_T⊥(Y)‖_op
    (T the tangent space of M's rank-r set): a margin > 0 together with P_Ω
    injective on T is the standard certificate that M is the unique minimiser
    (Candès & Recht 2009).

    >>> import numpy as np
    >>> mask = np.array([[True, True], [True, False]]); target = np.array([[1.0, 2.0], [3.0, 0.0]])
    >>> nn = min_nuclear_norm_completion(mask, target)
    >>> nn.ok, round(float(nn.value[1, 1]), 6)  # ‖·‖_* = 5 < √50, the rank-one completion's (6)
    (True, 1.0)
    """
    mask, y = _check_problem(mask, observed)
    tol = _check_tol("tol", tol)
    check_positive("max_iter", max_iter, integer=True)
    check_positive("check_every", check_every, integer=True)
    gamma = float(np.mean(np.abs(y[mask]))) if step is None else float(check_positive("step", step))

    def feasible(Z):
        return np.where(mask, y, Z)

    def certificate_of(M, Z):
        dual = mask * (M - Z) / gamma
        dual /= max(1.0, float(np.linalg.norm(dual, 2)))
        nuclear = float(np.sum(np.linalg.svd(M, compute_uv=False)))
        gap = (nuclear - float(np.sum(dual * y))) / nuclear
        return dual, nuclear, gap

    Z = y.copy()
    iterations, gap = 0, math.inf
    with threadpool_limits(limits=1):
        while iterations < max_iter:
            for _ in range(check_every):
                M = feasible(Z)
                Z = Z + _singular_value_threshold(2 * M - Z, gamma) - M
            iterations += check_every
            M = feasible(Z)
            dual, nuclear, gap = certificate_of(M, Z)
            if not math.isfinite(gap):
                break
            if gap <= tol:
                break
    if not math.isfinite(gap):
        status, advice = Status.BREAKDOWN, "rescale the observed entries towards unit size"
    elif gap <= tol:
        status, advice = Status.SUCCESS, ""
    else:
        status, advice = Status.MAX_ITERATIONS, f"raise max_iter (it was {max_iter})"
    rank, margin = _rank_and_margin(M, dual)
    details = {"nuclear_norm": nuclear, "dual_objective": float(np.sum(dual * y)), "step": gamma,
               "rank": rank, "strict_complementarity_margin": margin}
    return Solution(value=M, dual=dual, status=status, advice=advice,
                    certificate=Certificate(primal_residual=0.0, optimality_residual=max(gap, 0.0),
                                            optimality_condition=_GAP_CONDITION, tolerance=tol,
                                            iterations=iterations,
                                            precision=Float64Arith.digits, details=details))


def _rank_and_margin(M, dual, relative=1e-8):
    """Numerical rank of M (singular values above ``relative``·σ₁) and 1 − ‖P_T⊥(Y)‖_op."""
    u, s, vt = np.linalg.svd(M)
    rank = int(np.sum(s > relative * s[0]))
    left = np.eye(M.shape[0]) - u[:, :rank] @ u[:, :rank].T
    right = np.eye(M.shape[1]) - vt[:rank].T @ vt[:rank]
    return rank, float(1.0 - np.linalg.norm(left @ dual @ right, 2))


def min_frobenius_completion(mask: np.ndarray, observed: np.ndarray) -> Solution:
    """argmin ‖M‖_F s.t. P_Ω(M) = y, in closed form: M = P_Ω(y).

    The Frobenius norm is a sum over entries and only the observed ones are
    constrained, so each unobserved entry is 0 at the minimum and the observed
    ones are y.  This is the α → ∞ limit of the flow for initialisations whose
    tangent kernel is the delta kernel (Woodworth et al. §6: orthogonal
    columns, e.g. U0 = V0 = αI).  Exact, so its certificate has zero residuals.
    """
    mask, y = _check_problem(mask, observed)
    return Solution(value=y, status=Status.SUCCESS,
                    certificate=Certificate(primal_residual=0.0, optimality_residual=0.0,
                                            optimality_condition="closed form: observed entries "
                                            "kept, unobserved entries 0", tolerance=0.0,
                                            iterations=0, precision=Float64Arith.digits))


def tangent_kernel_completion(mask: np.ndarray, observed: np.ndarray, U0: np.ndarray,
                              V0: np.ndarray) -> Solution:
    """The minimum-RKHS-norm interpolant of the tangent kernel at (U0, V0).

    Kernel gradient flow from M₀ = U0V0ᵀ ends at M₀ + 𝒜(δ*) with 𝒜(δU, δV) =
    δU V0ᵀ + U0 δVᵀ the linearised model and δ* = argmin ‖δ‖ s.t.
    P_Ω(M₀ + 𝒜δ) = y (Woodworth et al. §3); with 𝒜𝒜*(Z) = Z V0V0ᵀ + U0U0ᵀZ,

        M = M₀ + Z V0V0ᵀ + U0U0ᵀ Z,   Z supported on Ω,   P_Ω(M) = y,

    a linear system in the |Ω| entries of Z with the kernel K((i,j),(i',j')) =
    (V0V0ᵀ)_{jj'}𝟙(i = i') + (U0U0ᵀ)_{ii'}𝟙(j = j') of §6.  It is the α → ∞
    limit of :func:`factorized_gradient_flow` from (αU0, αV0) (Chizat & Bach; §3),
    and equals :func:`min_frobenius_completion` when U0U0ᵀ and V0V0ᵀ are
    multiples of the identity.  The certificate holds the kernel system's
    residual and condition number; a kernel singular on Ω (fewer tangent
    directions than observations) fails with CERTIFICATE_FAILED.
    """
    mask, y = _check_problem(mask, observed)
    U0, V0 = _check_factors(U0, V0, mask)
    rows, cols = np.nonzero(mask)
    left, right = U0 @ U0.T, V0 @ V0.T
    kernel = (right[np.ix_(cols, cols)] * (rows[:, None] == rows[None, :])
              + left[np.ix_(rows, rows)] * (cols[:, None] == cols[None, :]))
    M0 = U0 @ V0.T
    target = y[mask] - M0[mask]
    eigenvalues = np.linalg.eigvalsh(kernel)
    condition = float(eigenvalues[-1] / eigenvalues[0]) if eigenvalues[0] > 0 else math.inf
    Z = np.zeros(mask.shape)
    if math.isfinite(condition):
        Z[mask] = scipy.linalg.solve(kernel, target, assume_a="pos")
    M = M0 + Z @ right + left @ Z
    residual = float(np.linalg.norm(M[mask] - y[mask]) / np.linalg.norm(y[mask]))
    # a backward-stable solve leaves a residual of about eps·cond; 100× that is the bound
    # (a singular kernel has no bound: the certificate fails)
    tolerance = 100 * np.finfo(float).eps * condition if math.isfinite(condition) else 0.0
    ok = math.isfinite(condition) and residual <= tolerance
    return Solution(value=M, status=Status.SUCCESS if ok else Status.CERTIFICATE_FAILED,
                    certificate=Certificate(primal_residual=residual, optimality_residual=0.0,
                                            optimality_condition="M − M₀ lies in the range of "
                                            "𝒜𝒜*P_Ω* by construction (the RKHS minimum-norm "
                                            "condition); residual of the kernel system",
                                            tolerance=tolerance, iterations=1,
                                            precision=Float64Arith.digits,
                                            details={"kernel_condition": condition}))

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
  is mixed-precision iterative refinement.  Where the weights fall off (p → 1)
  the factor may come from the few columns that carry the Hessian's trace
  (when the caller passes ``column_norms``): O(n²|S|) instead of O(n²d).
* Near the ℓ1 limit all but a few weights vanish and the Hessian is
  numerically singular (κ ≫ 1e16 on sparse noiseless data at tiny α).  A
  shifted Cholesky factor there amplifies the rounding of the residual in the
  flat directions by 1/τ and CG returns steps no line search can use, so a
  factor whose condition exceeds 1/√eps switches to *singular mode*: in
  float64 a truncated eigen-solve that drops the flat part of the residual
  when it is rounding (and damps it when it is not); in mpmath the Newton
  system formed and factorised in the working precision (:func:`direct_solve`).
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
_EPS = float(np.finfo(np.float64).eps)
# A float64 Hessian whose reciprocal condition is below √eps is "singular": CG
# with exact products cannot resolve its flat directions from rounding.
_SINGULAR_RCOND = math.sqrt(_EPS)
_FLAT = 10.0           # eigenvalues below 10·n·eps·λ_max are not resolved

# Near the ℓ1 limit (p → 1, α → 0) the weights wᵢ of H = Σ wᵢxᵢxᵢᵀ fall off
# like |zᵢ|^{q−2}: a few hundred of thousands of columns carry all but 1e-3 of
# its trace.  H_S from those columns plus the rest's trace spread evenly (the
# tail E = Σ_{i∉S} wᵢxᵢxᵢᵀ of many columns in general position is close to a
# multiple of I) preconditions CG to within 3–7 steps at n = 200, d = 4000,
# p = 1.05–1.9 with noisy y, at n²|S| instead of n²d flops.  With noiseless y
# at p = 1.05 the tail is far from isotropic (CG needs ~90 steps): hence the
# fallbacks in dual_newton.
_TAIL = 1e-3
# Gathering the heavy columns costs more than the product it saves once they are
# most of X (measured: 3864 of 4000 columns gathered take 1.5× the full build).
_GATHER = 0.5
_HEAVY_CG = 8          # a fresh heavy factor should need 3–7 (see _TAIL)


@dataclass
class Preconditioner:
    """A float64 factorisation of a (possibly earlier) dual Hessian H.

    Regular mode: the Cholesky factor of H + τI, τ = n·eps·max diag H (the
    shift only guards the factorisation against rounding).  Singular mode,
    when H is numerically singular (condition beyond 1/√eps): its eigen-
    decomposition, used to solve the Newton system by truncation (see
    :meth:`truncated_solve`), because CG with a shifted factor amplifies the
    rounding noise of the residual in the flat directions by 1/τ and returns
    directions that no line search can use.
    """

    factor: tuple | None
    shift: float
    eigen: tuple | None = None      # (eigenvalues, eigenvectors, threshold) in singular mode
    columns: int | None = None      # columns of X in an approximate factor (None: all)

    @property
    def singular(self):
        return self.eigen is not None

    @classmethod
    def build(cls, Xf, weights_f, column_norms=None, tail=_TAIL, *, regular=False):
        """The factor of H = X diag(w) Xᵀ, or, given ``column_norms`` (‖xᵢ‖²), of
        the cheaper H_S + (tr E/n)·I with tr E ≤ ``tail``·tr H (:func:`_heavy_columns`).

        The approximate factor serves only as a CG preconditioner in regular
        mode (the products with H stay exact); the singular-mode decision needs
        the exact H, so an approximate factor that looks singular (or ``tail``
        = 0) gives way to H itself, from the columns above its rounding
        (:meth:`_resolved`) or from all of them.
        """
        wf = np.where(np.isfinite(weights_f), weights_f, np.finfo(np.float64).max)
        if column_norms is not None:
            heavy, dropped = (_heavy_columns(wf, column_norms, tail) if tail > 0
                              else (None, 0.0))
            few = heavy is not None and len(heavy) <= _GATHER * len(wf)
            if few:
                Xs = np.take(Xf, heavy, axis=1)
                Xs *= np.sqrt(wf[heavy])
                H = Xs @ Xs.T
                H[np.diag_indices_from(H)] += dropped / Xf.shape[0]
                approximate = cls.from_matrix(H)
                if not approximate.singular:
                    approximate.columns = len(heavy)
                    return approximate
            # _resolved's tail is at most n·eps: above that, its columns are a superset
            # of these, too many where these already were.
            if few or tail < Xf.shape[0] * _EPS:
                resolved = cls._resolved(Xf, wf, column_norms)
                if resolved is not None:
                    return resolved
        Xs = Xf * np.sqrt(wf)
        return cls.from_matrix(Xs @ Xs.T, regular=regular)

    @classmethod
    def _resolved(cls, Xf, wf, column_norms):
        """H's factor from the columns above its rounding, or None if that is most.

        The columns dropped here carry a trace of at most n·eps·maxᵢ wᵢ‖xᵢ‖²
        ≤ n·eps·λ_max, below the rounding of the float64 H itself (its
        eigenvalues are accurate to ~n·eps·‖H‖), so H_S is H to float64
        accuracy.  With |S| < n (a Hessian of rank |S| plus rounding, e.g. ℓ1-like
        limits at tiny α or p → 1), its eigen-decomposition is the SVD of the
        n×|S| square root: O(n²|S|) instead of the n²d product and n³ solve.
        """
        n, d = Xf.shape
        mass = wf * column_norms
        total = float(np.sum(mass))
        if not (math.isfinite(total) and total > 0):
            return None
        heavy, _ = _heavy_columns(wf, column_norms, n * _EPS * float(np.max(mass)) / total)
        if heavy is None or len(heavy) > _GATHER * d:
            return None
        Xs = np.take(Xf, heavy, axis=1)
        Xs *= np.sqrt(wf[heavy])
        if len(heavy) >= n:
            return cls.from_matrix(Xs @ Xs.T)
        vectors, sv, _ = np.linalg.svd(Xs, full_matrices=True)
        values = np.zeros(n)
        values[:len(sv)] = sv ** 2
        scale = float(np.max(np.sum(Xs * Xs, axis=1)))      # max diag H_S
        threshold = _FLAT * n * _EPS * max(float(np.max(values)), scale)
        return cls(None, n * _EPS * scale, (values, vectors, threshold))

    @classmethod
    def from_matrix(cls, H, *, regular=False):
        """The factor of H (see the class); ``regular`` skips the singular-mode test,
        for the interior-point path, whose steps tolerate the rounding of an
        ill-conditioned H as interior-point methods' normal equations do (Wright
        1997, ch. 11): there κ(H) grows like the ratio of the largest to the
        smallest weight, 1e20 and more near the LP vertex."""
        n = H.shape[0]
        scale = float(np.max(np.diag(H))) if n else 1.0
        if not (scale > 0 and math.isfinite(scale)):
            scale = 1.0
        tau = n * _EPS * scale
        factor = None
        for _ in range(12):
            try:
                factor = scipy.linalg.cho_factor(H + tau * np.eye(n), lower=True,
                                                  check_finite=True)
                break
            except (np.linalg.LinAlgError, ValueError):
                tau *= 100.0
        if factor is None:
            raise np.linalg.LinAlgError("dual Hessian could not be factorised")
        if regular:
            return cls(factor, tau)
        # LAPACK's reciprocal condition estimate of the factor (O(n²), within a
        # factor ~n of the truth): below √eps, CG on the exact H loses the flat
        # directions to rounding, and the eigen-decomposition takes over.
        anorm = float(np.max(np.sum(np.abs(H), axis=0))) + tau if n else 1.0
        rcond, _ = scipy.linalg.lapack.dpocon(factor[0], anorm, uplo="L")
        if rcond >= _SINGULAR_RCOND:
            return cls(factor, tau)
        values, vectors = np.linalg.eigh(H)
        # Eigenvalues of the float64 H are accurate to ~n·eps·‖H‖ absolutely.
        threshold = _FLAT * n * _EPS * max(float(values[-1]), scale)
        return cls(None, tau, (values, vectors, threshold))

    def solve(self, r, a):
        """(H + τI)⁻¹r in regular mode (singular mode solves by :meth:`truncated_solve`)."""
        out = scipy.linalg.cho_solve(self.factor, a.to_float(r), check_finite=False)
        return a.asarray(out) if a.name != "float64" else out

    def truncated_solve(self, b, noise):
        """x ≈ H⁻¹b in singular mode, float64.

        On the eigenvectors with λ above the threshold t (≈ 10·n·eps·λ_max)
        x = Σ (uᵀb/λ) u.  On the flat subspace, the part of b whose norm is
        within ``noise`` (the rounding error of b itself) is rounding and is
        dropped; a larger part is real (e.g. far from the solution) and gets
        the damped step uᵀb/t (Levenberg–Marquardt), which keeps x a descent
        direction without trusting eigenvalues below resolution.
        """
        values, vectors, threshold = self.eigen
        coefficients = vectors.T @ b
        flat = values < threshold
        keep = np.where(flat, 0.0, coefficients / np.where(flat, 1.0, values))
        if np.linalg.norm(coefficients[flat]) > noise:
            keep = np.where(flat, coefficients / threshold, keep)
        return vectors @ keep


def _heavy_columns(wf, column_norms, tail):
    """(S, tr E): the fewest columns whose dropped trace tr E = Σ_{i∉S} wᵢ‖xᵢ‖² is
    at most ``tail``·tr H, sorted; (None, 0) when S would be every column."""
    mass = wf * column_norms
    total = float(np.sum(mass))
    if not (math.isfinite(total) and total > 0):
        return None, 0.0
    order = np.argsort(mass)
    tails = np.cumsum(mass[order])           # tails[j]: trace of the j+1 lightest
    dropped = int(np.searchsorted(tails, tail * total, side="right"))
    if dropped == 0:
        return None, 0.0
    return np.sort(order[dropped:]), float(tails[dropped - 1])


def _mp_cholesky_solve(H, b, a):
    """Solve H x = b for symmetric positive definite H in the working precision.

    Plain Cholesky on numpy object arrays (mpmath's own test for positive
    definiteness compares pivots with an absolute eps and rejects Hessians whose
    entries are all tiny).  The pivots are tested relative to the diagonal they
    came from; returns None when one is not positive at this precision.
    """
    n = H.shape[0]
    L = np.empty((n, n), dtype=object)
    L[:] = a.scalar(0)
    for j in range(n):
        s = H[j, j] - np.dot(L[j, :j], L[j, :j])
        if not s > H[j, j] * a.eps:
            return None
        L[j, j] = a.sqrt(np.array([s]))[0]
        if j + 1 < n:
            L[j + 1:, j] = (H[j + 1:, j] - L[j + 1:, :j] @ L[j, :j]) / L[j, j]
    x = np.empty(n, dtype=object)
    for i in range(n):
        x[i] = (b[i] - np.dot(L[i, :i], x[:i])) / L[i, i]
    for i in reversed(range(n)):
        x[i] = (x[i] - np.dot(L[i + 1:, i], x[i + 1:])) / L[i, i]
    return x


def direct_solve(X, w, b, a):
    """H x = b with H = X diag(w) Xᵀ formed and factorised in the working precision.

    The Newton system for the high-precision tier when H is beyond float64's
    reach (singular mode): O(n²d) working-precision operations, fine for the
    small n of that tier.  A Hessian that is not positive definite even at
    this precision (rounding of tiny weights) is shifted by n·eps·max diag H,
    raised 100× until it factorises.
    """
    H = (X * w) @ X.T
    n = H.shape[0]
    shift = a.scalar(0)
    step = n * a.eps * max(H[i, i] for i in range(n))
    for _ in range(6):
        x = _mp_cholesky_solve(H + shift * np.eye(n, dtype=int), b, a)
        if x is not None:
            return x
        shift = step if shift == 0 else shift * 100
    return None


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
        x = x + p * step      # array first: mpf * ndarray costs a repr in mpmath
        r = r - Hp * step
        if a.norm(r) <= rtol * bnorm:
            return x, k, True
        zv = precond.solve(r, a)
        rz_new = np.dot(r, zv)
        if not rz_new > 0:    # the float64 preconditioner lost the residual (underflow)
            return x, k, False
        p = zv + p * (rz_new / rz)
        rz = rz_new
    return x, maxiter, False


def dual_newton(X, y, potential, a, *, state, mu, tol, max_iter,
                preconditioner=None, Xf=None, cg_refresh=None, cg_max=None,
                column_norms=None):
    """Minimise the dual from (state, μ) until ‖Xβ − y‖ ≤ tol·‖y‖.

    ``X, y, mu`` are arrays of the working arithmetic ``a``; ``state`` is the
    potential's dual state for ``Xᵀμ``.  Given ``column_norms`` (‖xᵢ‖² of
    ``Xf``), factors are built from the heavy columns (see
    :meth:`Preconditioner.build`).  Both callers pass them: min_lp_interpolant
    (faster at p → 1) and dln_limit (13–22 % faster at D = 3, within noise at
    D = 2 and 4; before its tangent predictor it was slower).  Returns a
    :class:`DualResult`.
    """
    if Xf is None:
        Xf = a.to_float(X)
    extra_digits = max(0.0, a.digits - 15.0)
    n = X.shape[0]
    # A CG step costs ~4nd flops, a fresh factor ~n²d (measured at n = 200, d = 4000: as
    # much as 20 CG steps), and the steps a stale factor needs grow as Newton's tolerance
    # tightens, so the last few Newton steps each pay them: refresh once a solve needs
    # more than ~n/25 (at n = 200, 8 against the earlier n/16 = 12 cut dln_limit's times
    # by 10-20 % and left min_lp_interpolant's within the timing noise).
    if cg_refresh is None:
        cg_refresh = max(4, n // 25) + int(extra_digits / 10)
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
    # Factors from the heavy columns (dropped trace ≤ tail·tr H).  A fresh one
    # that fails (its tail was far from a multiple of I, or H is numerically
    # singular and needs the exact eigen-solve) is replaced by the exact factor
    # at once; one that needs more than _HEAVY_CG steps makes the next tail 100×
    # smaller.
    tail = _TAIL
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
        while True:
            # A singular-mode factor describes only the Hessian it was built from.
            if (precond is None or not fresh and (delta is not None or precond.singular)):
                try:
                    precond = Preconditioner.build(Xf, a.to_float(w), column_norms, tail)
                except np.linalg.LinAlgError:
                    break
                out.factorizations += 1
                fresh = True
            if precond.singular:
                delta, k, converged = _singular_direction(X, y, w, beta, r, precond, a), 1, True
                if delta is None:
                    break
            else:
                # With a fresh factor, CG fails to converge only where the factor's
                # regularisation hides directions (near-singular Hessians): give it
                # room to resolve them, still at O(nd) per step.
                exact = fresh and precond.columns is None
                delta, k, converged = _pcg(hess_vec, -r, precond, a, rtol,
                                           4 * cg_max if exact else cg_max)
            out.cg_iterations += k
            descent = np.dot(r, delta) < 0
            if converged and descent:
                break
            if fresh and precond.columns is not None:
                tail, precond, fresh = 0.0, None, False     # exact factor, this iteration
                continue
            if fresh:
                break       # a fresh exact factor is the best this iteration can do
        if not descent:
            status = Status.BREAKDOWN if precond is None else Status.STAGNATED
            break
        # A factor from |S| columns costs ~|S|/d of a full one plus a fixed ~3 CG
        # steps (sorting, gathering, factorising): refresh it sooner.
        refresh = (cg_refresh if precond.columns is None
                   else max(3, cg_refresh * precond.columns // X.shape[1]))
        if fresh and precond.columns is not None and k > _HEAVY_CG:
            tail /= 100
        if k > refresh:
            precond = None   # stale: rebuild at the next iterate

        v = X.T @ delta
        slope = np.dot(r, delta)
        t = min(1.0, _TO_BOUNDARY * potential.max_step(state, v, a))
        accepted = False
        while t >= _MIN_STEP:
            new = potential.shift(state, v, t, a)
            # Far from the solution: Armijo on F, whose change costs O(d), so the
            # O(nd) residual is formed only for a step that passes it.  Close to
            # the solution, F's changes drown in rounding and a noisy Armijo test
            # could accept a step that wrecks the residual: there it must shrink.
            if new is not None and (res < _LOCAL or potential.conjugate_change(
                    state, new, a) - t * np.dot(y, delta) <= _ARMIJO * t * slope):
                beta_new = potential.link(new, a)
                r_new = X @ beta_new - y
                if a.isfinite(r_new):
                    res_new = a.norm(r_new) / ynorm
                    if res >= _LOCAL or res_new <= (1 - _ARMIJO * t) * res:
                        accepted = True
                        break
            t *= 0.5
        if not accepted:
            status = Status.STAGNATED
            break
        state, beta, r, res = new, beta_new, r_new, res_new
        mu = mu + delta * (c * t)
        out.displacement = out.displacement + t * delta
        out.iterations += 1
        out.history.append((float(res), float(t), k))

    out.status = status
    out.mu, out.state, out.beta, out.residual = mu, state, beta, res
    out.preconditioner = precond
    return out


def _singular_direction(X, y, w, beta, r, precond, a):
    """The Newton direction −H⁻¹r when the float64 Hessian is numerically singular.

    float64: truncated eigen-solve, the flat part of r dropped when it is
    within r's own rounding error eps·‖|X||β| + |y|‖ (×4 for the sum's
    accumulation); in the working precision: a direct Cholesky solve there
    (None if even that fails).
    """
    if a.name == "float64":
        noise = 4 * _EPS * float(np.linalg.norm(np.abs(X) @ np.abs(beta) + np.abs(y)))
        return precond.truncated_solve(-r, noise)
    return direct_solve(X, w, -r, a)


def componentwise_residual(target, X, mu, a):
    """maxᵢ |targetᵢ − (Xᵀμ)ᵢ| / max(|targetᵢ|, (|X|ᵀ|μ|)ᵢ).

    The componentwise relative backward error of ``target ≈ Xᵀμ``: each
    coordinate is measured against the size of the terms its inner product
    sums, so rescaling a column of X (or all of μ) leaves it unchanged, and
    rounding alone gives about n·eps.
    """
    scale = _abs_product(X, mu, a)
    scale = np.maximum(np.asarray(a.to_float(scale)), np.asarray(a.to_float(abs(target))))
    diff = np.asarray(a.to_float(abs(target - X.T @ mu))) if a.name == "float64" else None
    if diff is None:
        # keep the working precision for the difference, divide in floats
        d = abs(target - X.T @ mu)
        diff = np.array([float(v) for v in d])
    ok = scale > 0
    return float(np.max(diff[ok] / scale[ok])) if np.any(ok) else 0.0


_ROWS = 16


def _abs_product(X, mu, a):
    """|X|ᵀ|μ|, in blocks of _ROWS rows: a float64 |X| of a large X is a copy
    of it (d·n·8 bytes allocated and paged in per certificate)."""
    if a.name != "float64":
        return abs(X).T @ abs(mu)
    out = np.zeros(X.shape[1])
    mu_abs = np.abs(mu)
    block = np.empty((min(_ROWS, X.shape[0]), X.shape[1]))
    for start in range(0, X.shape[0], _ROWS):
        rows = np.abs(X[start:start + _ROWS], out=block[:min(_ROWS, X.shape[0] - start)])
        out += rows.T @ mu_abs[start:start + _ROWS]
    return out


def stationarity_residual(X, potential, result, a):
    """Componentwise backward error of z = Xᵀμ for the returned dual state.

    β = link(z) holds by construction (to rounding), so this is the KKT
    stationarity residual ∇ψ(β) ∈ range(Xᵀ) of the returned pair.
    """
    return componentwise_residual(potential.z(result.state, a), X, result.mu, a)

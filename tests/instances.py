"""Shared test instances and *independent* checks for the interpolant and DLN solvers.

One place for (i) random Gaussian designs, as plain builders and as hypothesis
strategies, and (ii) re-computations of the mathematics the solvers claim to
satisfy, written from the formulas (Woodworth et al. 2020, Thms 1 and 3 and
App. C; the ℓp KKT map of Zhang & Louis) and *not* from the solvers' code:

* feasibility ‖Xw − y‖/‖y‖ evaluated without under/overflow, in float64 or in
  mpmath at a chosen number of digits;
* stationarity of ℓp: ∇(‖w‖_p^p/p) = sgn(w)|w|^{p−1} ∈ range(Xᵀ), by a QR
  projection;
* the DLN link β = A·φ_D(Xᵀν) (φ₂ = 2 sinh, φ_D = h_D) recomputed in mpmath
  from the solver's dual ν, with an error allowance derived from the link's
  derivative (its conditioning) and the certificate's tolerance;
* the DLN potential Q = Σ A·q_D(βᵢ/A) itself, for optimality (not just
  stationarity) comparisons between interpolants;
* the ℓ1 optimum by an independent LP (the *dual* LP, solved by HiGHS's
  interior-point method; the solver uses the primal LP with dual simplex);
* a first-order forward-error bound: how far a β certified to residuals
  (r, e) can be from the exact minimiser, given the link's derivative W.

Every tolerance that a test derives from these helpers is explained where the
test uses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.linalg
import scipy.optimize
from hypothesis import strategies as st

EPS = float(np.finfo(np.float64).eps)

# The labels a test instance can carry.
#   spike  – noiseless single spike: y = c·X e₀ (the ℓ1 interpolant is c·e₀ when
#            n is large enough for exact recovery);
#   noisy  – spike plus Gaussian label noise;
#   dense  – y ~ N(0, I_n), unrelated to X.
KINDS = ("spike", "noisy", "dense")
SPIKE = 3.0     # the spike's height c
NOISE = 0.5     # label-noise standard deviation for "noisy"


@dataclass(frozen=True)
class Instance:
    X: np.ndarray
    y: np.ndarray
    seed: int
    kind: str

    @property
    def n(self):
        return self.X.shape[0]

    @property
    def d(self):
        return self.X.shape[1]

    def __repr__(self):     # hypothesis prints this on failure: make it a reproducer
        return f"gaussian_instance(n={self.n}, d={self.d}, seed={self.seed}, kind={self.kind!r})"


def gaussian_instance(n, d, seed, kind="noisy"):
    """X with i.i.d. N(0, 1) entries (n × d) and labels of the given kind."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    if kind == "spike":
        y = SPIKE * X[:, 0]
    elif kind == "noisy":
        y = SPIKE * X[:, 0] + NOISE * rng.standard_normal(n)
    else:
        y = rng.standard_normal(n)
    return Instance(X, y.copy(), seed, kind)


seeds = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def instances(draw, min_n=1, max_n=8, max_d=30, min_ratio=1.0, max_ratio=None, kinds=KINDS):
    """A Gaussian instance with min_n ≤ n ≤ max_n and n < d ≤ max_d.

    ``min_ratio`` asks for d ≥ min_ratio·n (e.g. 2.0 keeps X well conditioned,
    cond(X) ≲ (√d+√n)/(√d−√n) ≈ 6); ``max_ratio`` for d ≤ max_ratio·n (enough
    rows for a sparse spike to be the unique ℓ1 interpolant).  The defaults
    only require n < d.
    """
    n = draw(st.integers(min_value=min_n, max_value=max_n))
    lo = max(n + 1, math.ceil(min_ratio * n))
    hi = max_d if max_ratio is None else min(max_d, math.floor(max_ratio * n))
    d = draw(st.integers(min_value=lo, max_value=max(lo, hi)))
    return gaussian_instance(n, d, draw(seeds), draw(st.sampled_from(kinds)))


def log10_alphas(lo, hi):
    """α = 10^e with e uniform in [lo, hi] (initialisation scales over many decades)."""
    return st.floats(min_value=lo, max_value=hi).map(lambda e: 10.0 ** e)


# --------------------------------------------------------------------------- basic checks
def as_float(v):
    return np.array(np.asarray(v, dtype=object).astype(float), dtype=np.float64) \
        if np.asarray(v).dtype == object else np.asarray(v, dtype=np.float64)


def safe_norm(v):
    """‖v‖₂ of a float64 vector without overflow/underflow of the squares."""
    v = np.asarray(v, dtype=np.float64)
    m = float(np.max(np.abs(v))) if v.size else 0.0
    if m == 0.0 or not math.isfinite(m):
        return m
    return m * float(np.linalg.norm(v / m))


def rel_residual(X, w, y):
    """‖Xw − y‖/‖y‖ in float64, scaled so that |y| near 1e±300 is still fine."""
    X, w, y = (np.asarray(v, dtype=np.float64) for v in (X, as_float(w), y))
    s = float(np.max(np.abs(y)))
    with np.errstate(over="ignore", invalid="ignore"):
        r = X @ (w / s) - y / s
    return safe_norm(r) / safe_norm(y / s)


def mp_rel_residual(X, w, y, dps):
    """‖Xw − y‖/‖y‖ evaluated in mpmath at ``dps`` digits (w may hold mpf entries)."""
    with mpmath.workdps(dps):
        Xm = [[mpmath.mpf(float(v)) for v in row] for row in np.asarray(X, dtype=np.float64)]
        wm = [mpmath.mpf(v) for v in np.asarray(w).reshape(-1)]
        ym = [mpmath.mpf(v) for v in np.asarray(y).reshape(-1)]
        r = [mpmath.fsum(a * b for a, b in zip(row, wm)) - yi for row, yi in zip(Xm, ym)]
        return float(mpmath.sqrt(mpmath.fsum(v * v for v in r))
                     / mpmath.sqrt(mpmath.fsum(v * v for v in ym)))


def range_residual(X, g):
    """‖(I − P)g‖/‖g‖ with P the orthogonal projector onto range(Xᵀ).

    Householder QR of Xᵀ for d ≤ 2000.  Above that (n = 500, d = 10⁴) QR costs
    seconds, so: normal equations XXᵀc = Xg by Cholesky plus three steps of
    refinement on the residual (corrected semi-normal equations, accurate like
    QR while κ(X)²ε ≪ 1, which the large test designs satisfy by far).
    """
    X = np.asarray(X, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    g = g / float(np.max(np.abs(g)))
    if X.shape[1] <= 2000:
        Q, _ = np.linalg.qr(X.T)
        return float(np.linalg.norm(g - Q @ (Q.T @ g)) / np.linalg.norm(g))
    factor = scipy.linalg.cho_factor(X @ X.T)
    r = g.copy()
    for _ in range(4):
        r = r - X.T @ scipy.linalg.cho_solve(factor, X @ r)
    return float(np.linalg.norm(r) / np.linalg.norm(g))


def null_directions(X, k, seed):
    """k unit vectors in the null space of X (random, orthogonalised against range(Xᵀ))."""
    Q, _ = np.linalg.qr(np.asarray(X, dtype=np.float64).T)
    rng = np.random.default_rng(seed)
    V = rng.standard_normal((X.shape[1], k))
    V -= Q @ (Q.T @ V)
    V -= Q @ (Q.T @ V)          # twice is enough (Kahan–Parlett)
    return V / np.linalg.norm(V, axis=0)


def lp_norm(w, p):
    """‖w‖_p without overflow, for float64 vectors."""
    w = np.abs(np.asarray(w, dtype=np.float64))
    m = float(np.max(w))
    if m == 0:
        return 0.0
    return m * float(np.sum((w / m) ** p)) ** (1.0 / p)


def lp_gradient(w, p):
    """∇(Σ|wᵢ|^p / p) = sgn(w)|w|^{p−1}."""
    w = np.asarray(w, dtype=np.float64)
    return np.sign(w) * np.abs(w) ** (p - 1)


def l2_closed_form(X, y):
    """Xᵀ(XXᵀ)⁻¹y by numpy (a dense solve of the normal equations of the dual)."""
    return X.T @ np.linalg.solve(X @ X.T, y)


def l1_optimum(X, y):
    """min ‖β‖₁ s.t. Xβ = y by strong duality: max ⟨y, ν⟩ s.t. ‖Xᵀν‖∞ ≤ 1.

    Solved independently of the library: the *dual* LP with HiGHS's
    interior-point method and crossover (the solver under test uses the primal
    LP with dual simplex).  Returns (optimal value, ν).
    """
    n, d = X.shape
    A = np.vstack([X.T, -X.T])
    res = scipy.optimize.linprog(-y, A_ub=A, b_ub=np.ones(2 * d), bounds=(None, None),
                                 method="highs-ipm")
    assert res.status == 0, res.message
    return -res.fun, res.x


def l1_uniqueness_margin(X, beta):
    """min over dual certificates ν (X_Sᵀν = sgn β_S) of max_{i∉S}|(Xᵀν)ᵢ|, by LP.

    Below 1, with X_S injective, it proves that β is the *unique* ℓ1 interpolant
    (strict complementarity); the solver's own ν need not attain the minimum
    when |S| < n, so it is not used here.
    """
    X = np.asarray(X, dtype=np.float64)
    beta = as_float(beta)
    n, d = X.shape
    S = np.flatnonzero(beta != 0)
    off = np.setdiff1d(np.arange(d), S)
    if off.size == 0:
        return 0.0
    # variables (ν, ρ): minimise ρ s.t. X_Sᵀν = s, ±X_offᵀν − ρ ≤ 0
    c = np.r_[np.zeros(n), 1.0]
    A_ub = np.vstack([np.c_[X[:, off].T, -np.ones(off.size)], np.c_[-X[:, off].T, -np.ones(off.size)]])
    res = scipy.optimize.linprog(c, A_ub=A_ub, b_ub=np.zeros(2 * off.size),
                                 A_eq=np.c_[X[:, S].T, np.zeros(S.size)], b_eq=np.sign(beta[S]),
                                 bounds=[(None, None)] * n + [(0, None)], method="highs")
    assert res.status == 0, res.message
    return float(res.fun)


def l1_kkt(X, beta, nu):
    """(‖Xᵀν‖∞ − 1, max over the support |(Xᵀν)ᵢ − sgn βᵢ|) from scratch."""
    corr = np.asarray(X, dtype=np.float64).T @ as_float(nu)
    beta = as_float(beta)
    support = np.flatnonzero(beta != 0)
    slack = float(np.max(np.abs(corr[support] - np.sign(beta[support])))) if support.size else 0.0
    return float(np.max(np.abs(corr))) - 1.0, slack, support


# --------------------------------------------------------------------------- DLN maths (mpmath)
# Woodworth et al. 2020: β = A·φ_D(Xᵀν) with A = α^D (per factor) and
#   φ₂(z) = 2 sinh z                                    (Thm 1, App. A)
#   φ_D(z) = h_D(z) = (1−z)^{−m} − (1+z)^{−m},  m = D/(D−2)  (Thm 3, App. C)
# The potential is Q(β) = Σ A·q_D(βᵢ/A) with q_D' = φ_D⁻¹ and q_D(0) = 0.

def log_branch_scale(alpha, depth, convention="per_factor"):
    """log A as an mpf (A = α^D per factor, A = α end to end); call inside a workdps."""
    la = mpmath.log(mpmath.mpf(alpha))
    return depth * la if convention == "per_factor" else la


def phi(z, depth):
    if depth == 2:
        return 2 * mpmath.sinh(z)
    m = mpmath.mpf(depth) / (depth - 2)
    return (1 - z) ** (-m) - (1 + z) ** (-m)


def phi_prime(z, depth):
    if depth == 2:
        return 2 * mpmath.cosh(z)
    m = mpmath.mpf(depth) / (depth - 2)
    return m * ((1 - z) ** (-m - 1) + (1 + z) ** (-m - 1))


def phi_inverse(t, depth):
    """φ_D⁻¹(t); for D ≥ 3 by bisection in the log-gap s = log(1 − |z|)."""
    if depth == 2:
        return mpmath.asinh(t / 2)
    if t == 0:
        return mpmath.mpf(0)
    m = mpmath.mpf(depth) / (depth - 2)
    at = abs(t)
    # h(1 − e^s) is decreasing in s; h ≥ g^{−m} − 1 brackets the root below.
    lo, hi = -mpmath.log(at + 1) / m, mpmath.mpf(0)

    def h_of(s):
        g = mpmath.exp(s)
        return g ** (-m) - (2 - g) ** (-m)

    for _ in range(int(3.4 * mpmath.mp.dps) + 20):
        mid = (lo + hi) / 2
        if h_of(mid) > at:
            lo = mid
        else:
            hi = mid
    return mpmath.sign(t) * -mpmath.expm1((lo + hi) / 2)


def _conj(z, depth):
    """G_D(z) = ψ*(z)/A up to a constant: 2 cosh z (D = 2); G_D with G_D' = h_D."""
    if depth == 2:
        return 2 * mpmath.cosh(z)
    e = mpmath.mpf(2) / (depth - 2)
    return (mpmath.mpf(depth - 2) / 2) * ((1 - z) ** (-e) + (1 + z) ** (-e))


def q_potential(t, depth):
    """q_D(t) = ∫₀ᵗ φ_D⁻¹ = t·z − (G(z) − G(0)) with z = φ_D⁻¹(t) (Legendre)."""
    if depth == 2:
        return 2 - mpmath.sqrt(4 + t * t) + t * mpmath.asinh(t / 2)   # Thm 1's closed form
    z = phi_inverse(t, depth)
    return t * z - (_conj(z, depth) - _conj(mpmath.mpf(0), depth))


def dln_Q(beta, log_A, depth, dps=60):
    """Q(β) = Σ A·q_D(βᵢ/A), exactly for the float64 β given (as an mpf)."""
    with mpmath.workdps(dps):
        A = mpmath.exp(mpmath.mpf(log_A))
        return mpmath.fsum(A * q_potential(mpmath.mpf(float(b)) / A, depth) for b in beta)


def link_weights(beta, log_A, depth, dps=40):
    """W = A·φ_D'(φ_D⁻¹(β/A)) elementwise (dβ/dz along the link), as float64."""
    with mpmath.workdps(dps):
        A = mpmath.exp(mpmath.mpf(log_A))
        out = []
        for b in np.asarray(beta).reshape(-1):
            t = mpmath.mpf(b) / A
            if depth == 2:
                out.append(float(mpmath.sqrt(mpmath.mpf(b) ** 2 + 4 * A * A)))  # 2A cosh asinh
            else:
                out.append(float(A * phi_prime(phi_inverse(t, depth), depth)))
        return np.array(out)


def check_dln_link(X, beta, nu, log_A, depth, *, stat_tol, work_eps, floor=0.0, dps=60):
    """β = A·φ_D(Xᵀν) coordinatewise, within what a certificate of ``stat_tol`` allows.

    The solver certifies ‖z − Xᵀν‖∞ ≤ stat_tol·max(1, ‖z‖∞) for its own dual point
    z, and computed Xᵀν with n-term dot products (rounding ≤ n·ε·Σⱼ|Xⱼᵢνⱼ|).  So
    z lies within δᵢ of the exact (Xᵀν)ᵢ, and βᵢ = A·φ(zᵢ) may differ from
    A·φ((Xᵀν)ᵢ) by at most δᵢ·sup|Aφ'| over that interval (φ' grows with |z|, so
    the sup is at |z|+δ; we allow twice that).  On top, the log-space evaluation of the link has
    relative error ≲ ε·(|log A| + |z| + 10) (exp of an argument of that size),
    and a float64 result cannot resolve magnitudes below ``floor`` (pass the
    smallest normal float64, 2.2e-308, for float64 solves: an entry whose exact
    value is 1e-481 is correctly returned as 0).

    Returns (worst ratio error/allowance over the coordinates where the
    allowance is finite, the coordinates where it is not, z and δ as mpf lists).
    For D ≥ 3 a coordinate with |z| + δ ≥ 1 has an infinite allowance (the gap
    1 − |z| is below what ν can resolve); there the caller checks signs only.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    with mpmath.workdps(dps):
        A = mpmath.exp(mpmath.mpf(log_A))
        nu_m = [mpmath.mpf(v) for v in np.asarray(nu).reshape(-1)]
        z = [mpmath.fsum(mpmath.mpf(float(X[j, i])) * nu_m[j] for j in range(n))
             for i in range(X.shape[1])]
        zinf = max(abs(v) for v in z)
        worst, unresolved, deltas = 0.0, [], []
        for i, zi in enumerate(z):
            abs_row = mpmath.fsum(abs(mpmath.mpf(float(X[j, i])) * nu_m[j]) for j in range(n))
            delta = stat_tol * max(1, zinf) + 2 * n * work_eps * abs_row
            edge = abs(zi) + delta
            if depth > 2 and edge >= 1:
                unresolved.append(i)
                deltas.append(delta)
                continue
            target = A * phi(zi, depth)
            allowance = (2 * delta * A * phi_prime(edge, depth)
                         + 8 * work_eps * (abs(mpmath.log(A)) + abs(zi) + 10) * abs(target)
                         + floor)
            err = abs(mpmath.mpf(beta[i]) - target)
            if err > 0:
                worst = max(worst, float(err / allowance) if allowance > 0 else math.inf)
            deltas.append(delta)
        return worst, unresolved, z, deltas


# --------------------------------------------------------------------------- perturbation bound
def forward_error_bound(X, W, r_norm, e_norm):
    """First-order bound on ‖β − β*‖₂ for a β = link(z) with ‖Xβ − y‖ ≤ r_norm and
    ‖z − Xᵀμ‖₂ ≤ e_norm, where W = dβ/dz (link derivative) at the solution.

    Linearising β = link(Xᵀμ + e), Xβ = y + r around the exact pair gives
    δβ = WXᵀH⁻¹r + (I − WXᵀH⁻¹X)We with H = XWXᵀ.
    """
    X = np.asarray(X, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    H = (X * W) @ X.T
    M1 = (W[:, None] * X.T) @ np.linalg.inv(H)
    M2 = (np.eye(X.shape[1]) - M1 @ X) * W
    return float(np.linalg.norm(M1, 2) * r_norm + np.linalg.norm(M2, 2) * e_norm)


# --------------------------------------------------------------------------- assertion helpers
FLOAT64_TINY = float(np.finfo(np.float64).tiny)   # below this float64 loses relative precision


def rounding_of_residual(X, w, y, unit):
    """Bound on the rounding in evaluating ‖Xw − y‖/‖y‖ with unit roundoff ``unit``:
    each row is a d-term dot product, error ≤ d·u·Σᵢ|Xⱼᵢwᵢ|."""
    X, w, y = (np.asarray(v, dtype=np.float64) for v in (X, as_float(w), y))
    s = float(np.max(np.abs(y)))
    return X.shape[1] * unit * safe_norm(np.abs(X) @ np.abs(w / s)) / safe_norm(y / s)


def assert_feasible(X, y, sol, *, dps=None):
    """Independent ‖Xw − y‖/‖y‖ within the certificate's tolerance.

    Allowance: the tolerance the solver claims to meet, plus twice the rounding
    bound of the evaluation (the solver's and ours) at the working unit roundoff.
    """
    tol = sol.certificate.tolerance
    if dps is None:
        res = rel_residual(X, sol.value, y)
        slack = 2 * rounding_of_residual(X, sol.value, y, EPS)
    else:
        res = mp_rel_residual(X, sol.value, y, dps + 20)      # 20 guard digits: exact enough
        slack = 2 * rounding_of_residual(X, as_float(sol.value), y, 10.0 ** -dps)
    assert res <= tol + slack, f"‖Xw−y‖/‖y‖ = {res:.3e} > tolerance {tol:.1e} + rounding {slack:.1e}"
    return res


# Stationarity of min-ℓp (∞-norm, relative to ‖z‖∞): the solver certifies
# ‖z − Xᵀμ‖∞ ≤ 1e-12·max(1, ‖z‖∞) on its unit-scale problem, ≤ 1e-11·‖z‖∞ when
# ‖z‖∞ ≥ 0.1 there (z = |ŵ|^{p−1} with ŵ = O(1)); ×10 for our evaluation of
# |w|^{p−1} and Xᵀν.  The 2-norm projection residual is at most √d times this.
LP_STATIONARITY_TOL = 1e-10


def assert_lp_kkt(X, y, sol, p, *, dps=None):
    """KKT of min ‖w‖_p s.t. Xw = y, recomputed: feasibility; sgn(w)|w|^{p−1} ∈ range(Xᵀ);
    and the solver's dual ν gives that gradient: Xᵀν = sgn(w)|w|^{p−1}.

    Entries with |wᵢ| below the smallest normal float64 (|zᵢ|^{q−1} underflows when
    p → 1⁺: q − 1 = 100 at p = 1.01) carry no relative precision, so their gradient
    entry is only known to satisfy |gᵢ| ≤ tiny^{p−1}: the range test uses the other
    coordinates, and on these we check |(Xᵀν)ᵢ| ≤ tiny^{p−1}, what w's underflow means.
    """
    assert sol.ok, sol
    assert_feasible(X, y, sol, dps=dps)
    X = np.asarray(X, dtype=np.float64)
    w = as_float(sol.value)
    g = lp_gradient(w, p)
    gmax = float(np.max(np.abs(g)))
    resolved = np.abs(w) >= (FLOAT64_TINY if dps is None else 0.0)
    tol = LP_STATIONARITY_TOL * np.sqrt(X.shape[1])          # ∞-norm → 2-norm
    if np.count_nonzero(resolved) > X.shape[0]:      # else any g on them is in the range
        proj = range_residual(X[:, resolved], g[resolved])
        assert proj <= tol, f"gradient's distance from range(Xᵀ): {proj:.3e}"
    nu = as_float(sol.dual)
    z = X.T @ nu
    # plus the rounding of each n-term product (Xᵀν)ᵢ, n·ε·Σⱼ|Xⱼᵢνⱼ| (large for a
    # column in other units), relative to ‖g‖∞
    rnd = X.shape[0] * EPS * (np.abs(X).T @ np.abs(nu)) / gmax
    gap = np.abs(z - g) / gmax - rnd
    worst = float(np.max(gap[resolved]))
    assert worst <= LP_STATIONARITY_TOL, f"‖Xᵀν − sgn(w)|w|^(p−1)‖∞/‖·‖∞ = {worst:.3e} beyond rounding"
    if not np.all(resolved):
        limit = FLOAT64_TINY ** (p - 1) + LP_STATIONARITY_TOL * gmax
        worst = float(np.max(np.abs(z[~resolved]) - rnd[~resolved] * gmax))
        assert worst <= limit, f"|(Xᵀν)ᵢ| = {worst:.3e} where wᵢ underflowed (limit {limit:.3e})"


def assert_l1_kkt(X, y, sol, *, dps=None, unique=True):
    """KKT of min ‖β‖₁ s.t. Xβ = y, recomputed from (β, ν): feasibility, ‖Xᵀν‖∞ ≤ 1,
    (Xᵀν)ᵢ = sgn βᵢ on the support; and weak duality ‖β‖₁ ≥ ⟨y, ν⟩ is tight.
    ``unique=False``: the solver must report NOT_UNIQUE, and β is still optimal.

    Allowance for the dual conditions: the certificate's tolerance plus the
    rounding of our n-term products Xᵀν (n·ε·max Σⱼ|Xⱼᵢνⱼ|).
    """
    if unique:
        assert sol.ok, sol
    else:
        assert sol.status.name == "NOT_UNIQUE" and sol.certificate.satisfied, sol
    assert_feasible(X, y, sol, dps=dps)
    tol = sol.certificate.tolerance
    unit = EPS if dps is None else 10.0 ** -dps
    nu = as_float(sol.dual)
    rnd = X.shape[0] * EPS * float(np.max(np.abs(X).T @ np.abs(nu)))   # float64 Xᵀν here
    infeas, slack, support = l1_kkt(X, sol.value, nu)
    assert infeas <= tol + rnd, f"‖Xᵀν‖∞ − 1 = {infeas:.3e}"
    assert slack <= tol + rnd, f"max over the support |(Xᵀν)ᵢ − sgn βᵢ| = {slack:.3e}"
    assert support.size <= X.shape[0], "an optimal vertex has at most n nonzeros"
    beta = as_float(sol.value)
    l1 = float(np.sum(np.abs(beta)))
    # ‖β‖₁ − ⟨y,ν⟩ = Σ_S|βᵢ|(1 − sgn βᵢ (Xᵀν)ᵢ) − ⟨Xβ − y, ν⟩ ≤ slack·‖β‖₁ + ‖r‖‖ν‖.
    r = rel_residual(X, beta, y) * safe_norm(y)
    gap = l1 - float(np.dot(y, nu))
    bound = (tol + rnd) * l1 + (r + 2 * safe_norm(y) * max(unit, EPS)) * safe_norm(nu)
    # + 4ε‖β‖₁ for rounding the two sums themselves
    assert abs(gap) <= bound + 4 * EPS * l1, f"duality gap {gap:.3e} > {bound:.3e}"
    return support


# The independent LP (HiGHS interior point + crossover) is accurate to its optimality
# tolerance, 1e-7 relative by default (we then rescale its ν to exact feasibility).
LP_OPTIMUM_TOL = 1e-7


def assert_l1_optimal_value(X, y, beta):
    """‖β‖₁ equals min{‖b‖₁ : Xb = y}, bracketed by the independent dual LP."""
    _, nu = l1_optimum(X, y)
    nu = nu / max(1.0, float(np.max(np.abs(X.T @ nu))))      # exactly feasible (to rounding)
    lower = float(np.dot(y, nu))                            # weak duality: ≤ the optimum
    l1 = float(np.sum(np.abs(as_float(beta))))
    # weak duality up to the rounding of ⟨y, ν⟩ and ‖β‖₁ (d-term sums: 1e-13 relative)
    assert l1 >= lower * (1 - 1e-13), "‖β‖₁ below a dual lower bound: β cannot be feasible"
    assert l1 - lower <= LP_OPTIMUM_TOL * l1, f"‖β‖₁ = {l1!r} exceeds the LP optimum {lower!r}"


def assert_dln_kkt(X, y, sol, alpha, depth, *, convention="per_factor", dps=None):
    """β = A·φ_D(Xᵀν) with the solver's dual ν (Woodworth et al. Thm 1 / App. C),
    feasibility, and Lemma 4's ‖Xᵀν‖∞ ≤ 1 for D ≥ 3."""
    assert sol.ok, sol
    assert_feasible(X, y, sol, dps=dps)
    work = 60 if dps is None else 2 * dps + 20
    with mpmath.workdps(work):
        log_A = log_branch_scale(alpha, depth, convention)
    worst, unresolved, z, deltas = check_dln_link(
        X, sol.value, sol.dual, log_A, depth, stat_tol=sol.certificate.tolerance,
        work_eps=EPS if dps is None else 10.0 ** -dps,
        floor=FLOAT64_TINY if dps is None else 0.0, dps=work)
    assert worst <= 1, f"β deviates from A·φ_D(Xᵀν) by {worst:.3g}× the certified allowance"
    beta = as_float(sol.value)
    with mpmath.workdps(work):
        for i in unresolved:    # |zᵢ| within rounding of 1: a support coordinate
            assert np.sign(beta[i]) == mpmath.sign(z[i]), f"sign of β[{i}] differs from (Xᵀν)[{i}]"
        if depth > 2:       # Lemma 4, up to the same certified uncertainty δᵢ of zᵢ
            for i, (zi, di) in enumerate(zip(z, deltas)):
                assert abs(zi) <= 1 + di, f"|(Xᵀν)[{i}]| = {mpmath.nstr(abs(zi), 20)} > 1 (Lemma 4)"
    return z

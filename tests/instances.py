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
def instances(draw, min_n=1, max_n=8, max_d=30, min_ratio=1.0, kinds=KINDS):
    """A Gaussian instance with min_n ≤ n ≤ max_n and n < d ≤ max_d.

    ``min_ratio`` asks for d ≥ min_ratio·n (e.g. 2.0 keeps X well conditioned,
    cond(X) ≲ (√d+√n)/(√d−√n) ≈ 6); the default only requires n < d.
    """
    n = draw(st.integers(min_value=min_n, max_value=max_n))
    lo = max(n + 1, math.ceil(min_ratio * n))
    d = draw(st.integers(min_value=lo, max_value=max(lo, max_d)))
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
    """‖(I − P)g‖/‖g‖ with P the orthogonal projector onto range(Xᵀ) (QR of Xᵀ)."""
    Q, _ = np.linalg.qr(np.asarray(X, dtype=np.float64).T)
    g = np.asarray(g, dtype=np.float64)
    s = float(np.max(np.abs(g)))
    g = g / s
    return float(np.linalg.norm(g - Q @ (Q.T @ g)) / np.linalg.norm(g))


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


def check_dln_link(X, beta, nu, log_A, depth, *, stat_tol, work_eps, dps=60):
    """β = A·φ_D(Xᵀν) coordinatewise, within what a certificate of ``stat_tol`` allows.

    The solver certifies ‖z − Xᵀν‖∞ ≤ stat_tol·max(1, ‖z‖∞) for its own dual point
    z, and computed Xᵀν with n-term dot products (rounding ≤ n·ε·Σⱼ|Xⱼᵢνⱼ|).  So
    z lies within δᵢ of the exact (Xᵀν)ᵢ, and βᵢ = A·φ(zᵢ) may differ from
    A·φ((Xᵀν)ᵢ) by at most δᵢ·sup|Aφ'| over that interval (φ' grows with |z|, so
    the sup is at |z|+δ).  On top, the log-space evaluation of the link has
    relative error ≲ ε·(|log A| + |z| + 10) (exp of an argument of that size).

    Returns (worst ratio error/allowance over the coordinates where the
    allowance is finite, the coordinates where it is not, z as mpf list).
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
        worst, unresolved = 0.0, []
        for i, zi in enumerate(z):
            abs_row = mpmath.fsum(abs(mpmath.mpf(float(X[j, i])) * nu_m[j]) for j in range(n))
            delta = stat_tol * max(1, zinf) + 2 * n * work_eps * abs_row
            edge = abs(zi) + delta
            if depth > 2 and edge >= 1:
                unresolved.append(i)
                continue
            target = A * phi(zi, depth)
            allowance = (2 * delta * A * phi_prime(edge, depth)
                         + 8 * work_eps * (abs(mpmath.log(A)) + abs(zi) + 10) * abs(target))
            err = abs(mpmath.mpf(beta[i]) - target)
            if err > 0:
                worst = max(worst, float(err / allowance) if allowance > 0 else math.inf)
        return worst, unresolved, z


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

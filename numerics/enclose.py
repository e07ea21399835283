"""Proven error bounds for a computed interpolant or DLN limit: :func:`enclose`.

A solver's certificate is a residual; this module turns a converged
:class:`~numerics.solution.Solution` into a *theorem*: "the exact minimiser
w* exists, and ‖w* − w‖∞ ≤ radius·‖w‖∞".

Method (an interval-Newton test in the Krawczyk form, on the n-dimensional
dual equations the solver solved).  The exact dual ν* satisfies

    F(ν) = X·link(Xᵀν) − y = 0,

with the link of the problem (ℓp: sgn(z)|z|^{q−1}; depth-2 DLN: 2A·sinh z;
depth D ≥ 3: A·h_D(z); ℓ2: z).  Because the link acts coordinatewise,
F(ν) − F(ν̃) = X·diag(λ̄)·Xᵀ·(ν − ν̃) where each λ̄ᵢ, a mean of link' on the
segment between (Xᵀν̃)ᵢ and (Xᵀν)ᵢ, lies in the enclosure of link' over that
segment.  With R ≈ (X diag(link'(Xᵀν̃)) Xᵀ)⁻¹ the map T(ν) = ν − R·F(ν) on
the ball Y = {‖ν − ν̃‖∞ ≤ r} satisfies ‖T(ν) − ν̃‖∞ ≤ ρ + κ·r with
ρ ≥ ‖R·F(ν̃)‖∞ and κ ≥ sup ‖I − R·X diag(λ) Xᵀ‖∞ over the λ enclosures.
If ρ + κ·r ≤ r (so κ < 1, which also makes R nonsingular), T is a
contraction of Y into itself: F has exactly one zero ν* in Y (Banach), and
w* = link(Xᵀν*) is the minimiser (strict convexity), enclosed coordinatewise
by evaluating the link in ball arithmetic on Xᵀ·Y.

Cost (Rump, "Verification methods", Acta Numerica 2010, §3): the products
with X, R and H are computed in floating point and their rounding errors
bounded a priori, |fl(AB) − AB| ≤ γ_k|A||B| + k·η with γ_k = k·u/(1 − k·u)
(u = 2⁻⁵³, η the smallest subnormal, k the inner dimension), every bound
itself evaluated so that it rounds upward (each float result nudged one ulp
up).  The n×n products cost about one Newton step of the solve; Arb (the
python-flint balls) evaluates only the scalar link on intervals and the
final comparisons.  A solution computed at ``precision=k`` (mpmath) is
enclosed in Arb matrices at about 3.3·k + 32 bits instead, so its radius
reflects its digits.

X and y are taken as *exact binary numbers*: a float64 entry means the
double it is, an mpmath entry the binary number it holds, not the decimal
the user may have typed; the theorem is about that problem.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

import mpmath
import numpy as np
from flint import arb, arb_mat, ctx, fmpz

from ._types import RealArray
from .potentials import DeepPotential, HypentropyPotential, LpPotential, QuadraticPotential
from .solution import Solution
from .validation import InputError, _as_real_array

__all__ = ["Enclosure", "enclose"]

_U = 2.0 ** -53                 # unit roundoff of float64
_ETA = 2.0 ** -1074             # smallest positive subnormal
_FLOAT_BALL_BITS = 80           # Arb precision for the scalar link in the float64 path
_GUARD_BITS = 32                # beyond the digits of an mpmath solution
# Trial radii: 1.25ρ passes when link' barely varies on the ball; later ones
# (≥ 4× the last, and ≥ 1.25ρ/(1 − κ)) absorb its variation for strongly
# curved links (deep DLNs near z = ±1).
_TRIALS = 5


@dataclass(frozen=True)
class Enclosure:
    """The result of :func:`enclose`.

    proved
        True when the interval-Newton test succeeded: then an exact minimiser
        w* exists and ``‖w* − w‖∞ ≤ radius·‖w‖∞`` is a theorem (given X, y as
        exact binary numbers).
    radius
        The proven relative bound, rounded up (``inf`` when not proved).
    dual_radius
        The proven bound on ‖ν* − ν‖∞ for the solution's dual ν.
    contraction
        The proven bound κ on ‖I − R·J‖∞ over the ball (below 1 when proved).
    precision
        Bits of the ball arithmetic (the float64 path: 53-bit products with
        a priori bounds, 80-bit Arb for the link).
    reason
        Why it was not proved (empty when proved).
    seconds
        Wall time of the test.
    """

    proved: bool
    radius: float
    dual_radius: float
    contraction: float
    precision: int
    reason: str
    seconds: float


class _Unprovable(Exception):
    """The test cannot go on; the message is the Enclosure's reason."""


# --- rigorous float64 building blocks -------------------------------------------------

def _up(x):
    """The next float above x: an upper bound of an exact result rounded to nearest."""
    return np.nextafter(x, np.inf)


def _float_up(value: arb) -> float:
    """A float ≥ every point of an Arb ball."""
    bound = value.upper()
    f = float(bound)
    return f if arb(f) >= bound else float(np.nextafter(f, np.inf))


@functools.lru_cache(maxsize=None)
def _gamma(k: int) -> float:
    """γ_k = k·u/(1 − k·u), rounded up."""
    if k * _U >= 0.5:
        raise _Unprovable(f"inner dimension {k} too large for a priori rounding bounds")
    return _float_up(arb(k) * _U / (1 - arb(k) * _U))


@functools.lru_cache(maxsize=None)
def _inverse_one_minus_gamma(k: int) -> float:
    """1/(1 − γ_k), rounded up."""
    return _float_up(1 / (1 - arb(_gamma(k))))


def _nonneg_product(A, B):
    """An upper bound of A·B for entrywise nonnegative float arrays."""
    k = A.shape[-1]
    scale = _inverse_one_minus_gamma(k)
    return _up(_up(A @ B + (k + 1) * _ETA) * scale)


def _product(A, B):
    """A·B as (mid, rad): |fl(AB) − AB| ≤ γ_k|A||B| + k·η."""
    k = A.shape[-1]
    mid = A @ B
    rad = _up(_up(_gamma(k) * _nonneg_product(np.abs(A), np.abs(B))) + (k + 1) * _ETA)
    return mid, rad


# The residual X·w − y of a converged solve is ~1e-16 of |X||w|, so the float64
# a priori bound γ_d|X||w| (4e-13 at d = 4000) would swamp it.  Its dot products
# are therefore accumulated in numpy's extended type (x87 80-bit on x86-64 Linux:
# u = 2⁻⁶⁴, so γ_d|X||w| drops to ~2e-16 at d = 4000) with the same a priori
# bound for that type; where longdouble is just float64 the bound is float64's
# and the proof only gets looser, never wrong.
_LD = np.longdouble
_U_LD = _LD(np.finfo(_LD).epsneg)                 # unit roundoff of the extended type
_ETA_LD = _LD(np.finfo(_LD).smallest_subnormal)


def _ld_up(x):
    return np.nextafter(x, _LD(np.inf))


def _to_float_up(x):
    """float64 ≥ each extended-precision entry."""
    f = x.astype(np.float64)
    return np.where(f < x, np.nextafter(f, np.inf), f)


def _extended_products(A_ld, absA, v, extra=None):
    """Enclosures (mid, rad) in float64 of A·v (+ ``extra``), accumulated in longdouble.

    |fl(Av) − Av| ≤ γ_k|A||v| + k·η in the extended type (k = inner dimension),
    one more rounding for + extra, and the rounding of the result to float64.
    """
    k = A_ld.shape[-1]
    product = A_ld @ v.astype(_LD)
    gamma = _LD(k) * _U_LD / (1 - _LD(k) * _U_LD)
    rad = _ld_up(_ld_up(_ld_up(gamma * 1.0001) * _nonneg_product(absA, np.abs(v)).astype(_LD))
                 + _LD(k + 1) * _ETA_LD)
    if extra is not None:
        product = product + extra.astype(_LD)
        rad = _ld_up(rad + _ld_up(2 * _U_LD * np.abs(product)))
    mid = product.astype(np.float64)
    if not (np.all(np.isfinite(mid)) and np.all(np.isfinite(rad))):
        raise _Unprovable("a dot product overflowed; rescale X and y")
    # |product − mid| is exact in the extended type (mid is its rounding)
    return mid, _up(_to_float_up(_ld_up(rad + np.abs(product - mid.astype(_LD)))) + _ETA)


def _float_balls(values):
    """(mid, rad) float arrays enclosing a list of Arb balls."""
    mid = np.array([float(v.mid()) for v in values])
    # float(rad) is exact (a 30-bit magnitude) unless below the float range (then
    # η covers it); rounding the midpoint to a float moves it by less than one
    # ulp, 2u·|mid| + η, whatever the rounding direction.
    rad = np.array([float(v.rad()) for v in values])
    return mid, _up(_up(rad + 2 * _U * np.abs(mid)) + 2 * _ETA)


def _exact(x) -> arb:
    """A float or mpmath number as the exact Arb ball it is."""
    if isinstance(x, mpmath.mpf):
        man, exp = x.man_exp                # man is |mantissa|: the sign is separate
        exact = arb(fmpz(int(man))) * arb(2) ** int(exp)
        return -exact if x < 0 else exact
    return arb(float(x))


# --- the links, on intervals -----------------------------------------------------------

class _Link:
    """A problem's link and its derivative, evaluated on Arb intervals.

    ``value`` and ``slope`` take a ball; where the formula is smooth on it
    (``smooth(z)``), Arb evaluates it on the ball directly, which is tight to
    first order for the narrow balls used here.  Elsewhere (the ℓp link on a
    ball around 0) monotonicity gives the range: every link is increasing, so
    its range on [a, b] is [link(a), link(b)] at the exact endpoints.
    """

    def __init__(self, value, slope, name, approx_slope, smooth=lambda z: True):
        self._value, self._slope, self.name, self._smooth = value, slope, name, smooth
        self._approx_slope = approx_slope

    def approx_slope(self, z):
        """link' at float points, in float64 (the approximate inverse's weights: any
        values are valid, close ones make the contraction bound small)."""
        with np.errstate(all="ignore"):
            return self._approx_slope(np.asarray(z, dtype=float))

    def value(self, z: arb) -> arb:
        if self._smooth(z):
            return self._value(z)
        return arb.union(self._value(z.lower()), self._value(z.upper()))

    def slope(self, z: arb) -> arb:
        return self._slope(z)


def _lp_link(p, decimal) -> _Link:
    # The solvers read a float p as the double it is in float64 but, at
    # precision=k, as the decimal it prints as (numerics.arith): p = 1.3 is 13/10.
    exact_p = arb(repr(p)) if decimal and isinstance(p, float) else _exact(p)
    q1 = 1 / (exact_p - 1)                  # q − 1 = 1/(p − 1)
    # p = 1 + 1/k (p = 1.5: w = sgn(z)z²) has an integer exponent: exact powers.
    integer = int(q1.unique_fmpz()) if q1.is_integer() else None

    def power(t, e):                        # t^e for t ≥ 0 (0⁰ = 1)
        if e == 0:
            return arb(1)
        if integer is not None and e == integer:
            return t ** integer
        return arb(0) if t == 0 else (e * t.log()).exp()

    def value(t):
        return power(abs(t), q1) * t.sgn()

    def slope(z):
        # link' = (q−1)|z|^{q−2} is monotone in |z| ∈ [small, large]
        if z > 0 or z < 0:
            return q1 * power(abs(z), q1 - 1)
        lo, hi = z.lower(), z.upper()
        large = max(abs(lo), abs(hi))
        if q1 < 1:
            raise _Unprovable(f"the ℓp link's derivative is unbounded at z = 0 for p = {p} > 2 "
                              "and the dual ball reaches z = 0")
        return q1 * arb.union(power(arb(0), q1 - 1), power(large, q1 - 1))

    q1f = float(q1.mid())
    return _Link(value, slope, f"sgn(z)|z|^(q-1), p = {p}",
                 lambda z: q1f * np.exp((q1f - 1) * np.log(np.abs(z))),
                 smooth=lambda z: z > 0 or z < 0)


def _sinh_link(scale: arb) -> _Link:
    log_two_scale = float((2 * scale).log().mid())
    return _Link(lambda t: 2 * scale * t.sinh(), lambda z: 2 * scale * z.cosh(),
                 "2A·sinh z",    # 2A·cosh z = exp(log 2A + log cosh z), A may be below 1e-308
                 lambda z: np.exp(log_two_scale + np.logaddexp(z, -z) - np.log(2)))


def _deep_link(depth: int, scale: arb) -> _Link:
    m = arb(depth) / (depth - 2)

    def inside(z):
        if not (z.lower() > -1 and z.upper() < 1):
            raise _Unprovable(f"the dual ball reaches z = ±1, the boundary of h_{depth}'s "
                              "domain: solve at precision=k (more digits) to resolve the gaps "
                              "1 − |z|")
        return 1 - z, 1 + z

    def value(t):
        minus, plus = inside(t)
        return scale * (minus ** (-m) - plus ** (-m))

    def slope(z):
        minus, plus = inside(z)
        return scale * m * (minus ** (-m - 1) + plus ** (-m - 1))

    log_scale_m, mf = float((scale * m).log().mid()), float(m.mid())
    return _Link(value, slope, f"A·h_{depth}(z)",
                 lambda z: np.exp(log_scale_m + np.logaddexp(-(mf + 1) * np.log1p(-z),
                                                             -(mf + 1) * np.log1p(z))))


def _identity_link() -> _Link:
    return _Link(lambda t: t, lambda z: arb(1), "z", np.ones_like)


def _link_for(problem, in_mpmath) -> _Link:
    """The exact link of a recorded problem (raises _Unprovable when there is none)."""
    if problem is None:
        raise _Unprovable("the Solution records no problem (it is not from min_l2/min_lp/"
                          "min_potential_interpolant or dln_limit), so there are no dual "
                          "equations to test")
    parameters = problem.parameters
    if problem.kind == "l2":
        return _identity_link()
    if problem.kind == "lp":
        return (_identity_link() if parameters["p"] == 2
                else _lp_link(parameters["p"], in_mpmath))
    if problem.kind == "dln":
        alpha, depth = parameters["alpha"], parameters["depth"]
        alpha = arb(alpha) if isinstance(alpha, str) else _exact(alpha)
        scale = alpha ** depth if parameters["convention"] == "per_factor" else alpha
        return _sinh_link(scale) if depth == 2 else _deep_link(depth, scale)
    if problem.kind == "potential":
        return _potential_link(parameters["potential"], in_mpmath)
    raise _Unprovable(f"a {problem.kind!r} solution has no smooth dual equations (the ℓ1 "
                      "optimality conditions are a linear program); its certificate is the "
                      "LP's, see min_l1_interpolant")


def _potential_link(potential, in_mpmath) -> _Link:
    if isinstance(potential, QuadraticPotential):
        return _identity_link()
    if isinstance(potential, LpPotential):
        return _lp_link(potential.p, in_mpmath)
    if isinstance(potential, HypentropyPotential):
        return _sinh_link(_exact(potential.log_scale).exp())
    if isinstance(potential, DeepPotential):
        return _deep_link(potential.depth, _exact(potential.log_scale).exp())
    raise _Unprovable(f"the potential {potential.name!r} is given by numpy functions, which "
                      "cannot be evaluated on intervals; only the built-in potentials "
                      "(QuadraticPotential, LpPotential, HypentropyPotential, DeepPotential) "
                      "can be enclosed")


# --- products: float64 with a priori bounds, or Arb matrices ---------------------------

class _FloatProducts:
    """The matrix work of the test in float64 with rigorous rounding bounds."""

    def __init__(self, X, y, nu):
        self.X, self.y = X, y
        self.absX = np.abs(X)
        n = X.shape[0]
        self.colsums = _nonneg_product(self.absX.T, np.ones(n))
        self.X_ld = X.astype(_LD)
        self.z_mid, self.z_rad = _extended_products(self.X_ld.T, self.absX.T, nu)

    def z_balls(self, r):
        """Enclosures of (Xᵀν)ᵢ for every ν with ‖ν − ν̃‖∞ ≤ r."""
        rad = _up(self.z_rad + _up(r * self.colsums)) if r else self.z_rad
        return [arb(m, e) for m, e in zip(self.z_mid.tolist(), rad.tolist())]

    def factor(self, link, centre):
        """R ≈ H⁻¹ for H = X diag(λ̃) Xᵀ, λ̃ = link' at the float dual image; the
        part of ‖I − R·X diag(λ) Xᵀ‖ that does not depend on λ − λ̃."""
        X = self.X
        n, d = X.shape
        self.lam_mid = link.approx_slope(self.z_mid)
        if not np.all(np.isfinite(self.lam_mid)):
            raise _Unprovable(f"link' of {link.name} overflows at the dual's image Xᵀν")
        G = X * self.lam_mid
        H = G @ X.T
        try:
            R = np.linalg.inv(H)
        except np.linalg.LinAlgError as error:
            raise _Unprovable(f"the dual Hessian X·diag(link')·Xᵀ is singular in float64 "
                              f"({error})") from error
        if not np.all(np.isfinite(R)):
            raise _Unprovable("the approximate inverse of the dual Hessian is not finite")
        self.R, self.absR = R, np.abs(R)
        M = np.eye(n) - R @ H
        # The diagonal 1 − (RH)ᵢᵢ was rounded once: add u·|Mᵢᵢ| (and η).
        rows = _nonneg_product(np.abs(M), np.ones(n))
        rows = _up(rows + _up(2 * _U * np.abs(np.diag(M))) + _ETA)
        # |fl(RH) − RH| ≤ γ_n|R||H| + n·η, applied to 𝟙.
        rh = _nonneg_product(self.absR, _nonneg_product(np.abs(H), np.ones(n)))
        self.kappa_fixed = _up(rows + _up(_gamma(n) * rh) + (n + 1) * _ETA)
        # |H − X diag(λ̃) Xᵀ| ≤ c_H·|X| diag|λ̃| |X|ᵀ + floor: one rounding in G
        # (relative u, or η if it underflows) and the product (γ_d, on
        # |G| ≤ (1+u)|X||λ̃| + η); the η terms give floor ≤ (d+1)η + 2η·maxᵢ Σⱼ|Xᵢⱼ|.
        self.c_H = _float_up(arb(_U) + arb(_gamma(d)) * (1 + arb(_U)))
        rowsum = float(np.max(_nonneg_product(self.absX, np.ones(d))))
        floor = _up(_up((d + 1) * _ETA + _up(2 * _ETA * rowsum)) * 2)
        self.h_floor = _up(floor * _nonneg_product(self.absR, np.ones(n)))

    def contraction(self, slopes):
        """κ ≥ ‖I − R·X diag(λ) Xᵀ‖∞ for every λ in ``slopes``."""
        mid, rad = _float_balls(slopes)
        spread = _up(_up(np.abs(mid - self.lam_mid) + rad) * (1 + 4 * _U))
        weight = _up(_up(self.c_H * np.abs(self.lam_mid)) + spread)
        t = _nonneg_product(self.absR, _nonneg_product(self.absX, _up(weight * self.colsums)))
        return float(np.max(_up(_up(self.kappa_fixed + t) + self.h_floor)))

    def newton_step(self, values):
        """ρ ≥ ‖R·(X·w − y)‖∞ for every w in ``values``."""
        w_mid, w_rad = _float_balls(values)
        f, f_rad = _extended_products(self.X_ld, self.absX, w_mid, extra=-self.y)
        f_rad = _up(f_rad + _nonneg_product(self.absX, w_rad))
        g_mid, g_rad = _product(self.R, f)
        g_rad = _up(g_rad + _nonneg_product(self.absR, f_rad))
        return float(np.max(_up(np.abs(g_mid) + g_rad)))


class _BallProducts:
    """The same quantities in Arb matrices, for solutions computed in mpmath."""

    def __init__(self, X, y, nu):
        n, d = X.shape
        self.X = arb_mat(n, d, [_exact(v) for v in X.reshape(-1)])
        self.y = arb_mat(n, 1, [_exact(v) for v in y])
        self.colsums = [sum((abs(self.X[i, j]) for i in range(n)), arb(0)) for j in range(d)]
        z = self.X.transpose() * arb_mat(n, 1, [_exact(v) for v in nu])
        self.z = [z[j, 0] for j in range(d)]

    def z_balls(self, r):
        unit = arb(0, 1)
        return [z + unit * (r * s) for z, s in zip(self.z, self.colsums)] if r else self.z

    def _gram(self, slopes):
        n, d = self.X.nrows(), self.X.ncols()
        scaled = arb_mat(n, d, [self.X[i, j] * slopes[j] for i in range(n) for j in range(d)])
        return scaled * self.X.transpose()

    def factor(self, link, centre):
        H = self._gram([link.slope(z).mid() for z in centre]).mid()
        try:
            self.R = H.inv().mid()
        except ZeroDivisionError as error:
            raise _Unprovable("the dual Hessian X·diag(link')·Xᵀ is singular") from error

    def contraction(self, slopes):
        n = self.X.nrows()
        K = arb_mat(n, n, [int(i == j) for i in range(n) for j in range(n)]) \
            - self.R * self._gram(slopes)
        return max(_float_up(sum((abs(K[i, j]) for j in range(n)), arb(0))) for i in range(n))

    def newton_step(self, values):
        d = self.X.ncols()
        g = self.R * (self.X * arb_mat(d, 1, values) - self.y)
        return max(_float_up(abs(g[i, 0])) for i in range(g.nrows()))


# --- the test --------------------------------------------------------------------------

def enclose(X: RealArray, y: RealArray, solution: Solution) -> Enclosure:
    """Prove that the exact solution of the problem ``solution`` solved lies near it.

    ``solution`` must come from :func:`~numerics.min_l2_interpolant`,
    :func:`~numerics.min_lp_interpolant`, :func:`~numerics.min_potential_interpolant`
    (with a built-in potential) or :func:`~numerics.dln_limit`, on this X and
    y; it records the problem it solved, so nothing else is needed.  X and y
    are taken as exact binary numbers (float64 entries as the doubles they
    are, mpmath entries as the binary numbers they hold).  A float64 solution
    is tested with float64 products and a priori rounding bounds (Rump); a
    solution computed at ``precision=k`` in Arb at about 3.3k + 32 bits.

    Returns an :class:`Enclosure`; ``proved=False`` comes with the reason
    (no recorded problem, a link that cannot be evaluated on intervals, a
    solve that did not converge, a contraction bound ≥ 1, …) and is never a
    bound.

    >>> import numpy as np
    >>> from numerics import min_lp_interpolant
    >>> rng = np.random.default_rng(0); X = rng.standard_normal((5, 12)); y = X[:, 0].copy()
    >>> sol = min_lp_interpolant(X, y, 1.5, tol=1e-13)     # the ball is as tight as the solve
    >>> e = enclose(X, y, sol); e.proved, e.radius < 1e-12
    (True, True)
    """
    start = time.perf_counter()
    if not isinstance(solution, Solution):
        raise InputError("solution must be a numerics.Solution returned by a solver; "
                         f"got {type(solution).__name__}")
    X = _as_real_array("X", X, 2)
    y = _as_real_array("y", y, 1)
    n, d = X.shape
    if solution.dual is None or np.shape(solution.dual) != (n,) or np.shape(solution.value) != (d,):
        raise InputError(f"the solution does not fit X ({n}×{d}): it needs a dual of {n} "
                         "entries and a value of {d}; pass the X and y it was computed from")
    in_mpmath = np.asarray(solution.dual).dtype == object
    bits = (int(math.ceil(solution.certificate.precision * math.log2(10))) + _GUARD_BITS
            if in_mpmath else _FLOAT_BALL_BITS)
    saved = ctx.prec
    ctx.prec = bits
    try:
        proved, radius, dual_radius, kappa, reason = _test(X, y, solution, in_mpmath)
    except _Unprovable as failure:
        proved, reason = False, str(failure)
        radius = dual_radius = kappa = math.inf
    finally:
        ctx.prec = saved
    return Enclosure(proved, radius, dual_radius, kappa, bits, reason,
                     time.perf_counter() - start)


def _test(X, y, solution, in_mpmath):
    if not solution.ok:
        raise _Unprovable(f"the solve did not converge ({solution.status.name}); "
                          "only a certified solution is worth enclosing")
    link = _link_for(solution.problem, in_mpmath)
    if in_mpmath:
        products = _BallProducts(X, y, solution.dual)
    else:
        products = _FloatProducts(*_float_data(X, y), np.asarray(solution.dual, dtype=float))
    centre = products.z_balls(0)
    values = [link.value(z) for z in centre]
    if not all(v.is_finite() for v in values):
        raise _Unprovable(f"the link {link.name} overflows on the dual's image Xᵀν")
    products.factor(link, centre)
    rho = products.newton_step(values)
    # Trial radii: just above the Newton step, then grown by the contraction found.
    r = _float_up(arb(rho) * 1.25) if rho > 0 else _ETA
    for _ in range(_TRIALS):
        balls = products.z_balls(r)
        kappa = products.contraction([link.slope(z) for z in balls])
        if kappa < 1 and arb(rho) + arb(kappa) * r <= r:
            return True, _primal_radius(balls, link, solution.value), r, kappa, ""
        if not kappa < 1:
            break
        r = max(4 * r, _float_up(arb(rho) * 1.25 / (1 - arb(kappa))))
    raise _Unprovable(f"no ball around the computed dual passed: at radius {r:.3g} the "
                      f"contraction bound ‖I − R·J‖∞ is {kappa:.3g} and the Newton step "
                      f"{rho:.3g}; a contraction ≥ 1 means the dual Hessian is too "
                      "ill-conditioned for this arithmetic: solve at precision=k")


def _float_data(X, y):
    """X and y as float64, refusing entries that are not exactly doubles."""
    out = []
    for name, array in (("X", X), ("y", y)):
        as_float = np.asarray(array, dtype=np.float64)
        if array.dtype == object and not all(
                mpmath.mpf(a) == b for a, b in zip(array.reshape(-1), as_float.reshape(-1))):
            raise InputError(f"{name} has mpmath entries that are not doubles but the solution "
                             "is float64: enclose the solution computed at precision=k instead")
        out.append(as_float)
    return out


def _primal_radius(z_balls, link, value):
    """max |link(z*ᵢ) − wᵢ| over the balls, relative to ‖w‖∞, rounded up."""
    value = [_exact(v) for v in value]
    worst = max((link.value(z) - w).abs_upper() for z, w in zip(z_balls, value))
    norm = max(abs(w) for w in value)
    if not norm > 0:
        raise _Unprovable("the solution is zero; a relative radius is undefined")
    return _float_up(worst / norm)

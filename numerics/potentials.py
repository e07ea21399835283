"""Separable potentials ψ(β) = Σᵢ ψ(βᵢ) seen through their convex conjugates.

Every interpolant here is ``argmin Σψ(βᵢ) s.t. Xβ = y``, solved through the
n-dimensional dual ``min_μ Σψ*((Xᵀμ)ᵢ) − ⟨y, μ⟩`` with ``β = (ψ*)'(Xᵀμ)``
(the "link").  A potential tells the dual Newton solver how to evaluate the
link, its derivative and differences of ψ* *stably*: the DLN potentials at
tiny initialisation have links like 2A·sinh z with A = 1e-600, so they work
with logarithms and with a dual *state* that is more precise than z itself.

Dual state and scale
    The solver never adds to z directly.  It asks ``shift(state, v, t)`` for
    the state at ``z + t·c·v``, where ``c = exp(log_dual_scale)`` is a
    potential-chosen unit for dual steps (c = 1 except for deep DLNs at small
    scale, where the dual variables pinned near ±1 move by O(A^{(D−2)/D})).
    Hessian weights and objective differences are reported in the same unit,
    so the Newton system stays O(1) at any scale.

The three built-in families and their sources:

* :class:`LpPotential` – ψ(w) = |w|^p/p, ψ*(z) = |z|^q/q, q = p/(p−1)
  (Zhang & Louis; dual map of ZL-1).
* :class:`HypentropyPotential` – depth-2 DLN, link β = 2A·sinh z with branch
  scale A = α² (Woodworth et al. 2020, Thm 1 and eq. (17)).
* :class:`DeepPotential` – depth D ≥ 3, link β = A·h_D(z) with
  h_D(z) = (1−z)^{−D/(D−2)} − (1+z)^{−D/(D−2)} on (−1, 1), A = α^D
  (Woodworth et al. 2020, Thm 3); ψ* = A·G_D with
  G_D(z) = (D−2)/2·[(1−z)^{−2/(D−2)} + (1+z)^{−2/(D−2)}], G_D' = h_D.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np

from .validation import InputError


class Potential:
    """Protocol of a separable potential for the dual Newton solver.

    The default implementation treats the state as the plain dual vector z
    and is what user-defined potentials (:class:`SeparablePotential`) use.
    """

    name = "potential"

    def log_dual_scale(self, a):
        return 0.0

    # --- state ---------------------------------------------------------------
    def state(self, z, a):
        return z

    def z(self, state, a):
        return state

    def shift(self, state, v, t, a):
        z = state + v * (t * a.exp_scalar(self.log_dual_scale(a)))
        return z if self.in_domain(z, a) else None

    def max_step(self, state, v, a):
        return math.inf

    def in_domain(self, z, a):
        return a.isfinite(z)

    def validate(self, z, a):
        """Raise InputError if the potential cannot be evaluated at the dual vector z."""

    # --- values ----------------------------------------------------------------
    def link(self, state, a):
        raise NotImplementedError

    def weights(self, state, a):
        """c · dβ/dz, elementwise (the Hessian's diagonal in dual-step units)."""
        raise NotImplementedError

    def conjugate_change(self, state, new, a):
        """(Σψ*(z_new) − Σψ*(z)) / c."""
        raise NotImplementedError


@dataclass(frozen=True)
class SeparablePotential(Potential):
    """A user-supplied potential given by its conjugate ψ* and the link (ψ*)'.

    ``conjugate``, ``link`` and ``link_derivative`` are elementwise functions
    of the dual vector z: each takes a 1-d numpy array and returns an array of
    the same shape (``np.exp``, not ``math.exp``; ``lambda z: np.ones_like(z)``,
    not ``lambda z: 1.0``).  ψ* must be strictly convex and smooth where it is
    finite (it may be inf outside its domain).  The interpolant is
    β = link(Xᵀμ) at the dual optimum.

    At ``precision=k`` the arrays hold mpmath ``mpf`` numbers (dtype object),
    on which numpy's ufuncs such as ``np.exp`` fail: write the functions with
    arithmetic operators only, or lift mpmath's, e.g.
    ``np.frompyfunc(mpmath.exp, 1, 1)``.  The solver checks the three
    functions on its first dual vector and raises
    :class:`~numerics.validation.InputError` naming the one that fails.

    >>> import numpy as np
    >>> quad = SeparablePotential(lambda z: z**2 / 2, lambda z: z, lambda z: np.ones_like(z))
    >>> quad.name
    'custom'
    """

    conjugate: object
    link_fn: object
    link_derivative: object
    name: str = "custom"

    def __init__(self, conjugate: Callable, link: Callable, link_derivative: Callable,
                 name: str = "custom") -> None:
        object.__setattr__(self, "conjugate", conjugate)
        object.__setattr__(self, "link_fn", link)
        object.__setattr__(self, "link_derivative", link_derivative)
        object.__setattr__(self, "name", name)

    @classmethod
    def from_scalar(cls, conjugate: Callable, link: Callable, link_derivative: Callable, *,
                    lower: float = -math.inf, upper: float = math.inf, guard_digits: int = 0,
                    name: str = "custom") -> "SeparablePotential":
        """A potential from *scalar* mpmath functions of one dual entry (e.g. lambdified
        sympy expressions), lifted elementwise: +∞ outside the branch (lower, upper),
        evaluated at the working precision plus ``guard_digits`` (for conjugates that
        cancel digits near 0); mpf arrays in give mpf out, float arrays give float.

        >>> cosh = SeparablePotential.from_scalar(mpmath.cosh, mpmath.sinh, mpmath.cosh)
        >>> float(cosh.link_fn(np.array([0.5]))[0]) == math.sinh(0.5)
        True
        """
        def lifted(function):
            def apply(z):
                z = np.asarray(z)
                out = np.empty(z.shape, dtype=object)
                with mpmath.workdps(mpmath.mp.dps + guard_digits):
                    for index, value in np.ndenumerate(z):
                        out[index] = (function(mpmath.mpf(value)) if lower < value < upper
                                      else mpmath.inf)
                return out if z.dtype == object else out.astype(float)
            return apply
        return cls(lifted(conjugate), lifted(link), lifted(link_derivative), name=name)

    def validate(self, z, a):
        for role, fn in (("conjugate", self.conjugate), ("link", self.link_fn),
                         ("link_derivative", self.link_derivative)):
            try:
                out = np.asarray(fn(z))
            except Exception as exc:
                hint = ("at precision=k z holds mpmath mpf numbers, which numpy ufuncs such as "
                        "np.exp cannot take: use arithmetic operators or "
                        "np.frompyfunc(mpmath.exp, 1, 1)" if a.name != "float64" else
                        "it must accept a numpy array (np.exp, not math.exp)")
                raise InputError(f"SeparablePotential's {role} failed on the dual vector z "
                                 f"({type(exc).__name__}: {exc}); {hint}") from exc
            if out.shape != np.shape(z):
                raise InputError(
                    f"SeparablePotential's {role} returned shape {out.shape} for a dual vector of "
                    f"shape {np.shape(z)}: it must be elementwise, one value per entry "
                    "(e.g. lambda z: np.ones_like(z), not lambda z: 1.0)")

    def link(self, state, a):
        return self.link_fn(state)

    def weights(self, state, a):
        return self.link_derivative(state)

    def in_domain(self, z, a):
        return a.isfinite(z) and a.isfinite(self.conjugate(z))

    def conjugate_change(self, state, new, a):
        return np.sum(self.conjugate(new)) - np.sum(self.conjugate(state))


class QuadraticPotential(Potential):
    """ψ(β) = β²/2 = ψ*: the minimum-ℓ2 interpolant (link = identity)."""

    name = "l2"

    def link(self, z, a):
        return z

    def weights(self, z, a):
        return z * 0 + 1

    def conjugate_change(self, z, new, a):
        return np.dot(new - z, new + z) / 2


class LpPotential(Potential):
    """ψ(w) = |w|^p / p; conjugate |z|^q / q with 1/p + 1/q = 1.

    The link w = sgn(z)|z|^{q−1} is evaluated as exp((q−1)·log|z|) so that
    q up to ~100 (p → 1⁺) neither overflows nor loses relative accuracy.
    """

    def __init__(self, p: float) -> None:
        self.p = p
        self.name = f"lp(p={p:g})"

    def q(self, a):
        p = a.param(self.p)
        return p / (p - 1)

    def _logabs(self, z, a):
        return a.log(abs(z))

    def in_domain(self, z, a):
        # |z|^q must stay representable: the dual objective is then finite.
        return a.isfinite(z) and a.isfinite(a.exp(self.q(a) * self._logabs(z, a)))

    def link(self, z, a):
        return a.sign(z) * a.exp((self.q(a) - 1) * self._logabs(z, a))

    def weights(self, z, a):
        q = self.q(a)
        return (q - 1) * a.exp((q - 2) * self._logabs(z, a))

    def conjugate_change(self, z, new, a):
        q = self.q(a)
        return (np.sum(a.exp(q * self._logabs(new, a)))
                - np.sum(a.exp(q * self._logabs(z, a)))) / q


class HypentropyPotential(Potential):
    """Depth-2 DLN: β = 2A·sinh z, ψ*(z) = 2A·cosh z, with log A = ``log_scale``.

    A = α² for Woodworth's per-factor α (w±(0) = α𝟙), A = α for the
    end-to-end convention.  All evaluations go through log|sinh| and
    log cosh, so A may be far below the float64 range.
    """

    def __init__(self, log_scale: float) -> None:
        self.log_scale = log_scale
        self.name = "hypentropy(D=2)"

    @staticmethod
    def _log_sinh_abs(x, a):
        x = abs(x)
        # log|sinh x| = x + log(1 − e^{−2x}) − log 2, the middle term via expm1 so
        # that small x keeps full relative accuracy.
        return x + a.log(-a.expm1(-2 * x)) - a.log_const(2)

    @staticmethod
    def _log_cosh(x, a):
        x = abs(x)
        return x + a.log1p(a.exp(-2 * x)) - a.log_const(2)

    def link(self, z, a):
        return a.sign(z) * a.exp(self._log_sinh_abs(z, a) + (self.log_scale + a.log_const(2)))

    def weights(self, z, a):
        return a.exp(self._log_cosh(z, a) + (self.log_scale + a.log_const(2)))

    def conjugate_change(self, z, new, a):
        # cosh u − cosh v = 2 sinh((u+v)/2) sinh((u−v)/2): exact cancellation-free form.
        m, h = (new + z) / 2, (new - z) / 2
        mag = a.exp(self._log_sinh_abs(m, a) + self._log_sinh_abs(h, a)
                    + (self.log_scale + 2 * a.log_const(2)))
        return np.sum(a.sign(m) * a.sign(h) * mag)


class DeepPotential(Potential):
    """Depth D ≥ 3 DLN: β = A·h_D(z) on z ∈ (−1, 1), with log A = ``log_scale``.

    State ``(z, λ)``: the dual coordinate z and its log-gap λ = log(1 − |z|).
    Where |z| < 1/2, z is authoritative (it resolves the tiny z of large
    scales); where |z| ≥ 1/2, λ is, and steps update it multiplicatively.
    Coordinates on the support of a small-scale solution sit at gaps of order
    A^{(D−2)/D}, far below float64's resolution of z near ±1 (and below the
    float64 range for D = 5 at α = 1e-300), which the log-gap keeps exact.
    The dual-step unit is c = min(1, A^{(D−2)/D}).
    """

    def __init__(self, depth: int, log_scale: float) -> None:
        self.depth = depth
        self.log_scale = log_scale
        self.name = f"dln(D={depth})"

    def _m(self, a):          # exponent of h_D: D/(D−2)
        return a.param(self.depth) / (self.depth - 2)

    def _e(self, a):          # exponent of G_D: 2/(D−2)
        return a.param(2) / (self.depth - 2)

    def log_dual_scale(self, a):
        return min(0, self.log_scale / self._m(a))

    def state(self, z, a):
        return z, a.log1p(-abs(z))

    def z(self, state, a):
        return state[0]

    @staticmethod
    def _sign(z, a):
        return np.where(np.asarray(a.to_float(z)) < 0, -1, 1)

    @staticmethod
    def _log_two_minus_gap(state, a):
        # log(2 − g) = log(1 + |z|): z and λ agree to working precision (shift keeps
        # z = s·(1 − e^λ) where λ is authoritative), and log1p(|z|) is one function
        # call where log1p(−expm1(λ)) is two.
        return a.log1p(abs(state[0]))

    def _log_ratio(self, state, a):
        # log((1−|z|)/(1+|z|)) = −2·atanh|z| ≤ 0
        return state[1] - self._log_two_minus_gap(state, a)

    def link(self, state, a):
        z, lam = state
        m = self._m(a)
        # h_D(|z|) = (1−|z|)^{−m}·(1 − ((1−|z|)/(1+|z|))^m), the bracket via expm1.
        return self._sign(z, a) * a.exp(
            a.log(-a.expm1(self._log_ratio(state, a) * m)) - lam * m + self.log_scale)

    def weights(self, state, a):
        _, lam = state
        m = self._m(a)
        return a.exp(a.log1p(a.exp(self._log_ratio(state, a) * (m + 1))) - lam * (m + 1)
                     + (self.log_dual_scale(a) + self.log_scale + a.log(m)))

    def shift(self, state, v, t, a):
        z, lam = state
        lc = self.log_dual_scale(a)
        s = self._sign(z, a)
        zf = np.abs(np.asarray(a.to_float(z)))
        near = zf >= 0.5
        # Far from the boundary: plain addition.
        z_new = z + v * (t * a.exp_scalar(lc))
        if np.any(np.abs(np.asarray(a.to_float(z_new[~near]))) >= 1):
            return None
        lam_new = a.log1p(-abs(z_new))
        if np.any(near):
            sv = (s * v)[near]
            # Near ±1: the gap g = e^λ shrinks by the factor (1 − s·t·c·v/g).
            ratio = a.sign(sv) * a.exp(a.log(abs(sv) * t) + lc - lam[near])
            ratio_f = np.asarray(a.to_float(ratio))
            if np.any(ratio_f >= 1) or not np.all(np.isfinite(ratio_f)):
                return None
            lam_near = lam[near] + a.log1p(-ratio)
            lam_new = lam_new.copy()
            lam_new[near] = lam_near
            z_new = z_new.copy()
            z_new[near] = s[near] * -a.expm1(lam_near)
        return z_new, lam_new

    def max_step(self, state, v, a):
        z, lam = state
        sv = np.asarray(a.to_float(self._sign(z, a) * v))
        lc = self.log_dual_scale(a)
        tmax = math.inf
        for mask, log_dist in ((sv > 0, lam), (sv < 0, self._log_two_minus_gap(state, a))):
            if np.any(mask):
                # distance to the boundary the step moves towards, in units of t
                ls = float(np.min(a.to_float(log_dist[mask] - lc - a.log(abs(v[mask])))))
                tmax = min(tmax, math.exp(ls) if ls < 700 else math.inf)
        return tmax

    def conjugate_change(self, state, new, a):
        (_, lam), (_, lam2) = state, new
        lc = self.log_dual_scale(a)
        l2g, l2g2 = self._log_two_minus_gap(state, a), self._log_two_minus_gap(new, a)
        e = self._e(a)
        pre = self.log_scale - lc + a.log(a.param(self.depth - 2) / 2)
        near = a.exp(lam * (-e) + pre) * a.expm1((lam2 - lam) * (-e))
        far = a.exp(l2g * (-e) + pre) * a.expm1((l2g2 - l2g) * (-e))
        return np.sum(near) + np.sum(far)

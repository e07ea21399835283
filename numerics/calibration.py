"""The effective exponent p_eff(α) of a diagonal linear network (Zhang & Louis
2025, App. B, Algorithm 1, as reconstructed in docs/derivations/zhang-louis-norm-scaling.md §8.2).

The gradient-flow limit of a depth-D DLN from scale α minimises
Q_α(β) = Σᵢ ψ(βᵢ) on Xβ = y, with ψ(b) = A·q_D(b/A), A = α^D (per-factor α;
Woodworth et al. 2020, Thms 1 and 3).  Algorithm 1 reads off the ℓp geometry
that Q_α imitates from its growth on flat k-sparse probes:

1. probes u_k = k^{−1/2}·𝟙_[k] (unit ℓ2 norm, so ‖u_k‖_p^p = k^{1−p/2});
   with ``normalisation="l1"``, u_k = k^{−1}·𝟙_[k] and ‖u_k‖_p^p = k^{1−p};
2. Q_α(u_k) = k·ψ(u) for the probe's common entry u, on a geometric grid K of k;
3. the least-squares slope b of log Q_α(u_k) on log k;
4. p_eff = 2(1 − b) (l2 probes) or 1 − b (l1 probes).

ψ is computed here from the *link* of :mod:`numerics.potentials` alone
(β = 2A·sinh z for D = 2, β = A·h_D(z) for D ≥ 3), by its Legendre transform
ψ(b) = z·b − (ψ*(z) − ψ*(0)) at the z with link(z) = b: nothing here uses a
closed form of q or q_D, so the claims can hold theory's q against it.
The link is inverted by bisection, vectorised over probes, in z (D = 2) or in
the log-gap λ = log(1 − z) (D ≥ 3, whose rich-regime z sits within A^{(D−2)/D}
of 1, below float64's resolution of z).

>>> round(p_eff(0.1, k_range=(1, 100)).p_eff, 3)
1.381
>>> p_eff(1e-3).p_eff < p_eff(0.1).p_eff < p_eff(1.0).p_eff < 2
True
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .arith import Float64Arith
from .dln import dln_potential, log_branch_scale
from .validation import InputError, check_depth

__all__ = ["Calibration", "coordinate_potential", "probe_potential", "p_eff", "local_p_eff",
           "alpha_for_p_eff", "NORMALISATIONS"]

NORMALISATIONS = ("l2", "l1")
_A = Float64Arith()
# Bisection halves a bracket at most ~1400 wide (|log A| up to ~1e3) down to
# float64 resolution in fewer than 64 + 11 steps.
_BISECTIONS = 80


def _log_scale(alpha, depth, convention):
    return log_branch_scale(alpha, check_depth(depth), convention, _A)


def _state(potential, depth, t):
    """The dual state at parameter t: z = t (D = 2) or z = 1 − e^t, λ = t (D ≥ 3)."""
    if depth == 2:
        return t
    return -np.expm1(t), t


def _invert_link(potential, depth, log_scale, b):
    """The parameter t of the state whose link equals b > 0, elementwise.

    The link increases in z = t (D = 2) and decreases in the log-gap λ = t
    (D ≥ 3).  Brackets: D = 2, z ∈ [0, log(b/A) + 2] (2A·sinh z ≥ A·e^z/2·… ≥ b
    there); D ≥ 3, λ ∈ [min((log A − log b)/m − 2, −1), 0] with m = D/(D−2)
    (h_D ≥ gap^{−m}, and h_D(1 − e^{−1}) > 1 > b/A when A ≥ b).
    """
    log_b = np.log(b)
    if depth == 2:
        lo, hi = np.zeros_like(b), np.maximum(log_b - log_scale + 2.0, 1.0)
        increasing = True
    else:
        m = depth / (depth - 2)
        lo, hi = np.minimum((log_scale - log_b) / m - 2.0, -1.0), np.zeros_like(b)
        increasing = False
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2
        above = potential.link(_state(potential, depth, mid), _A) >= b
        if increasing:
            hi, lo = np.where(above, mid, hi), np.where(above, lo, mid)
        else:
            lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return (lo + hi) / 2


def coordinate_potential(b, alpha, depth=2, *, convention="per_factor") -> np.ndarray:
    """ψ(bᵢ) = A·q_D(bᵢ/A) for positive entries b, with ψ(0) = 0, from the link.

    Legendre: ψ(b) = z·b − (ψ*(z) − ψ*(0)) where link(z) = b; the conjugate's
    change comes from the potential's cancellation-free ``conjugate_change``.
    """
    b = np.atleast_1d(np.asarray(b, dtype=float))
    if not np.all(np.isfinite(b) & (b > 0)):
        raise InputError("coordinate_potential needs finite positive entries b (ψ is even, "
                         "ψ(0) = 0: pass |b| and handle zeros)")
    log_scale = _log_scale(alpha, depth, convention)
    potential = dln_potential(depth, log_scale)
    with _A:
        t = _invert_link(potential, depth, log_scale, b)
        zero = potential.state(np.zeros(1), _A)
        scale = math.exp(potential.log_dual_scale(_A))
        values = np.empty_like(b)
        for i, ti in enumerate(t):
            state = _state(potential, depth, np.array([ti]))
            z = float(potential.z(state, _A)[0])
            values[i] = z * b[i] - scale * float(potential.conjugate_change(zero, state, _A))
    return values


def _check_normalisation(normalisation):
    if normalisation not in NORMALISATIONS:
        raise InputError(f"normalisation = {normalisation!r}: use 'l2' (probes k^(-1/2)·1_[k], "
                         "law k^(1-p/2), the formula sheet's reading) or 'l1' (probes k^(-1)·1_[k], "
                         "law k^(1-p))")
    return normalisation


def probe_potential(ks, alpha, depth=2, *, normalisation="l2", convention="per_factor"):
    """Q_α(u_k) = k·ψ(u) on the flat k-sparse probes (k may be any real ≥ 1 here)."""
    normalisation = _check_normalisation(normalisation)
    ks = np.atleast_1d(np.asarray(ks, dtype=float))
    entry = ks ** (-0.5 if normalisation == "l2" else -1.0)
    return ks * coordinate_potential(entry, alpha, depth, convention=convention)


@dataclass(frozen=True)
class Calibration:
    """Algorithm 1 at one α: the probe grid ``ks``, Q_α(u_k) on it
    (``potentials``), the fitted slope and p_eff."""

    alpha: float
    depth: int
    k_range: tuple
    normalisation: str
    ks: np.ndarray
    potentials: np.ndarray
    slope: float
    p_eff: float


def _check_k_range(k_range, probes):
    try:
        k_lo, k_hi = (float(k) for k in k_range)
    except (TypeError, ValueError) as exc:
        raise InputError(f"k_range = {k_range!r} must be a pair (k_min, k_max) ({exc})") from exc
    if not (1 <= k_lo < k_hi and math.isfinite(k_hi)):
        raise InputError(f"k_range = {k_range!r} needs 1 ≤ k_min < k_max < ∞ (sparsities of "
                         "the probes)")
    if isinstance(probes, bool) or not isinstance(probes, numbers.Integral) or probes < 2:
        raise InputError(f"probes = {probes!r} must be an integer ≥ 2 (grid points for the slope)")
    return k_lo, k_hi


def p_eff(alpha, depth=2, *, k_range=(1, 1000), probes=30, normalisation="l2",
          convention="per_factor") -> Calibration:
    """Algorithm 1: p_eff(α) by slope matching of Q_α on k-sparse probes.

    The grid is ``probes`` log-uniform values in ``k_range``, not rounded:
    Q_α(u_k) = k·ψ(u) extends to real k, and a log-uniform grid makes the
    least-squares slope a fixed weighted average of the local slope over
    log k, independent of the number of probes.  Grids of integers (rounded,
    deduplicated) over-weight the small k, where the local slope is smallest,
    and raise p_eff with the number of points: at α = 0.1, K = [1, 100] they
    give 1.384–1.413 for 10–200 points (all integers: 1.420) against 1.381;
    the §8.2 table of docs/derivations/zhang-louis-norm-scaling.md (1.396) used such a grid.
    """
    k_lo, k_hi = _check_k_range(k_range, probes)
    ks = np.geomspace(k_lo, k_hi, probes)
    values = probe_potential(ks, alpha, depth, normalisation=normalisation, convention=convention)
    slope = float(np.polyfit(np.log(ks), np.log(values), 1)[0])
    exponent = 2 * (1 - slope) if normalisation == "l2" else 1 - slope
    return Calibration(alpha=float(alpha), depth=int(depth), k_range=(k_lo, k_hi),
                       normalisation=normalisation, ks=ks, potentials=values, slope=slope,
                       p_eff=exponent)


# Central differences in log k with step h: truncation ~h²·|(log Q)'''|/6 ≤ 1e-7,
# rounding ~eps·|log Q|/h ≤ 1e-11 for the magnitudes met here.
_LOCAL_STEP = 1e-3


def local_p_eff(alpha, k, depth=2, *, normalisation="l2", convention="per_factor") -> float:
    """The local exponent at sparsity k: p from the slope d log Q_α(u_k)/d log k at k
    (central difference), i.e. Algorithm 1 on an infinitesimal range around k."""
    k = float(k)
    values = probe_potential([k * math.exp(-_LOCAL_STEP), k * math.exp(_LOCAL_STEP)], alpha,
                             depth, normalisation=normalisation, convention=convention)
    slope = float(np.log(values[1] / values[0]) / (2 * _LOCAL_STEP))
    return 2 * (1 - slope) if normalisation == "l2" else 1 - slope


def alpha_for_p_eff(target, depth=2, *, k_range=(1, 1000), probes=30, normalisation="l2",
                    bracket=(1e-8, 1e4), width=1e-10) -> float:
    """The α whose Algorithm-1 p_eff equals ``target`` (bisection in log α;
    p_eff increases with α from the ℓ1 end to the ℓ2 end)."""
    lo, hi = (math.log(v) for v in bracket)

    def exponent(log_alpha):
        return p_eff(math.exp(log_alpha), depth, k_range=k_range, probes=probes,
                     normalisation=normalisation).p_eff

    low, high = exponent(lo), exponent(hi)
    if not low < target < high:
        raise InputError(f"target p_eff = {target!r} is outside ({low:.4g}, {high:.4g}), the "
                         f"range over α ∈ {bracket}; widen the bracket or pick 1 < p < 2")
    while hi - lo > width:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if exponent(mid) < target else (lo, mid)
    return math.exp((lo + hi) / 2)

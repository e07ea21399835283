"""Parameterisations β(w) whose training dynamics :mod:`numerics.dynamics` simulates.

A :class:`Parameterisation` is a signed sum of elementwise powers of positive
factor vectors ("branches"),

    β = Σⱼ sⱼ wⱼ^{kⱼ},   sⱼ = ±1,  kⱼ ≥ 2,   wⱼ(0) = α₀𝟙,

which covers the depth-D diagonal network β = w₊^D − w₋^D
(:func:`diagonal_network`, Woodworth et al. 2020, eq. (13) and §5) and the
non-negative single-branch model β = w⊙w (:func:`squared`).  Gradient flow on
½‖Xβ − y‖² gives ẇⱼ = −sⱼkⱼ wⱼ^{kⱼ−1} ⊙ Xᵀr, which vanishes with wⱼ when
kⱼ ≥ 2, so every factor keeps its sign and the flow can be integrated in log
coordinates (what keeps α = 1e-300 accurate).  With k = 1 a factor can cross
zero, so powers below 2 are refused.

The initial factor α₀ follows the ``convention`` of :mod:`numerics.dln`:
``per_factor`` puts every factor at α (w(0) = α𝟙), ``end_to_end`` puts every
branch at α (wⱼ(0)^{kⱼ} = α𝟙, so α₀ = α^{1/k}; branches of one power only).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .arith import Float64Arith
from .dln import log_branch_scale
from .validation import InputError, check_depth

__all__ = ["Parameterisation", "diagonal_network", "squared"]


@dataclass(frozen=True)
class Parameterisation:
    """β = Σⱼ signs[j]·wⱼ^{powers[j]} over positive factors wⱼ ∈ ℝᵈ.

    ``factor_names`` name the branches in messages and in ``init`` arguments.

    >>> model = squared()
    >>> w = model.init(0.5, 3)
    >>> model.beta(w)
    array([0.25, 0.25, 0.25])
    >>> model.vjp(w, np.array([1.0, 0.0, -2.0]))   # ∂⟨g, β⟩/∂w = 2w⊙g
    array([[ 1.,  0., -2.]])
    """

    name: str
    signs: tuple[int, ...]
    powers: tuple[int, ...]
    factor_names: tuple[str, ...]

    def __post_init__(self):
        if not (len(self.signs) == len(self.powers) == len(self.factor_names) >= 1):
            raise InputError(f"parameterisation {self.name!r}: signs, powers and factor_names "
                             "must have one entry per branch (at least one branch)")
        if any(sign not in (1, -1) for sign in self.signs):
            raise InputError(f"parameterisation {self.name!r}: signs must be +1 or −1, got "
                             f"{self.signs}")
        for power in self.powers:
            if isinstance(power, bool) or not isinstance(power, numbers.Integral) or power < 2:
                raise InputError(
                    f"parameterisation {self.name!r}: power {power!r} must be an integer ≥ 2 "
                    "(with power 1 a factor can cross zero, and the flow's log coordinates "
                    "need factors that keep their sign)")

    @property
    def branches(self) -> int:
        return len(self.powers)

    def log_init_factor(self, alpha, convention: str = "per_factor") -> float:
        """log α₀, the log of every factor's initial value (float64; α may be
        a string or mpf below float64's range, e.g. "1e-1000")."""
        if convention == "end_to_end" and len(set(self.powers)) > 1:
            raise InputError(
                f"convention 'end_to_end' puts each branch w^k at α, which needs one power "
                f"for all branches; {self.name!r} has powers {self.powers}: use 'per_factor'")
        power = max(self.powers)
        # log_branch_scale is log α^k (per_factor) or log α (end_to_end), computed in mpmath
        return log_branch_scale(alpha, power, convention, Float64Arith()) / power

    def init(self, alpha, d: int, convention: str = "per_factor") -> np.ndarray:
        """The initial factors, one row per branch (shape (branches, d)).

        In float64, so α₀ below ~1e-308 rounds to 0: the flow works with
        :meth:`log_init_factor` instead."""
        return np.full((self.branches, d), np.exp(self.log_init_factor(alpha, convention)))

    def beta(self, factors) -> np.ndarray:
        """β = Σⱼ sⱼ wⱼ^{kⱼ} for factors of shape (branches, d)."""
        return sum(sign * np.asarray(w) ** power
                   for sign, power, w in zip(self.signs, self.powers, factors))

    def vjp(self, factors, g) -> np.ndarray:
        """(∂β/∂w)ᵀg, i.e. the gradient of ⟨g, β(w)⟩ in the factors:
        sⱼkⱼ wⱼ^{kⱼ−1} ⊙ g per branch (shape (branches, d))."""
        g = np.asarray(g)
        return np.stack([sign * power * np.asarray(w) ** (power - 1) * g
                         for sign, power, w in zip(self.signs, self.powers, factors)])


def diagonal_network(depth: int = 2) -> Parameterisation:
    """β = w₊^D − w₋^D, the depth-D diagonal linear network (Woodworth et al. 2020)."""
    depth = check_depth(depth)
    return Parameterisation(f"diagonal network, depth {depth}", (1, -1), (depth, depth),
                            ("w_plus", "w_minus"))


def squared() -> Parameterisation:
    """β = w⊙w, the non-negative single-branch model, from w(0) = α𝟙.

    Gradient flow gives d log w/dt = −2Xᵀr, so β(t) = α² exp(Xᵀν(t)) with
    ν = −4∫₀ᵗ r: the link z ↦ α²eᶻ, whose potential (∇Q = log(β/α²)) is the
    relative entropy Q(β) = Σ βᵢ log(βᵢ/α²) − βᵢ + α² (see
    :func:`theory.potential_from_link`).
    """
    return Parameterisation("squared (β = w⊙w)", (1,), (2,), ("w",))

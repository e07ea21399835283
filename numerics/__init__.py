"""Certified solvers for minimum-norm interpolants and diagonal-linear-network limits.

Every solver returns a :class:`Solution` (``value``, ``certificate``,
``status``, ``ok``).  ``precision=None`` runs in float64; an integer runs the
same algorithm in mpmath at that many decimal digits.
"""

from .dln import dln_limit, dln_potential
from .dynamics import gradient_descent, gradient_flow
from .interpolants import (
    min_l1_interpolant,
    min_l2_interpolant,
    min_lp_interpolant,
    min_potential_interpolant,
)
from .potentials import (
    DeepPotential,
    HypentropyPotential,
    LpPotential,
    Potential,
    QuadraticPotential,
    SeparablePotential,
)
from .solution import Certificate, Solution, Status
from .validation import InputError

__all__ = [
    "Certificate", "DeepPotential", "HypentropyPotential", "InputError", "LpPotential",
    "Potential", "QuadraticPotential", "SeparablePotential", "Solution", "Status",
    "dln_limit", "dln_potential", "gradient_descent", "gradient_flow", "min_l1_interpolant", "min_l2_interpolant",
    "min_lp_interpolant", "min_potential_interpolant",
]

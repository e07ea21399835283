"""Certified solvers for minimum-norm interpolants and diagonal-linear-network limits.

Every solver returns a :class:`Solution` (``value``, ``certificate``,
``status``, ``ok``).  Submodules hold the rest: ``designs`` (data),
``sweeps`` (nested n-sweeps), ``alpha_ladders`` (the gap to β_ℓ1 down an α
ladder), ``fits`` (slopes, elbows, confidence intervals), ``calibration``
(p_eff), ``null_space`` (ρ, e*), ``sgd``, ``matrix_completion``, ``relu_networks``.
``precision=None`` runs in float64; an integer runs the same algorithm in mpmath at
that many decimal digits.
"""

from .designs import Design, design, sparse_design, spike_design
from .dln import dln_limit, dln_limits, dln_potential, resolving_precision
from .boxes import BoxProof, prove
from .enclose import Enclosure, enclose
from .dynamics import gradient_descent, gradient_flow
from .interpolants import (
    min_l1_interpolant,
    min_l2_interpolant,
    min_lp_interpolant,
    min_potential_interpolant,
    prefix_min_lp_solver,
)
from .matrix_completion import (
    factorized_gradient_flow,
    min_frobenius_completion,
    min_nuclear_norm_completion,
    tangent_kernel_completion,
)
from .null_space import certificate_constant, depth_limit_constant
from .parameterisation import Parameterisation, diagonal_network, squared
from .potentials import (
    DeepPotential,
    HypentropyPotential,
    LpPotential,
    Potential,
    QuadraticPotential,
    SeparablePotential,
)
from .relu_networks import gradient_distance, relu_gradient_descent
from .sgd import PowerLawProblem, SGDConfig, one_pass_sgd
from .solution import Certificate, Problem, Solution, Status
from .sweeps import lp_norm_sweep
from .validation import InputError

__all__ = [
    "Certificate", "DeepPotential", "HypentropyPotential", "InputError", "LpPotential",
    "Potential", "Problem", "QuadraticPotential", "SeparablePotential", "Solution", "Status",
    # proofs
    "enclose", "Enclosure", "prove", "BoxProof",
    # interpolants and DLN limits
    "min_l1_interpolant", "min_l2_interpolant", "min_lp_interpolant", "min_potential_interpolant",
    "prefix_min_lp_solver",
    "dln_limit", "dln_limits", "dln_potential", "resolving_precision",
    "certificate_constant", "depth_limit_constant", "lp_norm_sweep",
    # dynamics
    "gradient_descent", "gradient_flow", "Parameterisation", "diagonal_network", "squared",
    "one_pass_sgd", "PowerLawProblem", "SGDConfig",
    "factorized_gradient_flow", "relu_gradient_descent", "gradient_distance",
    # completions
    "min_nuclear_norm_completion", "min_frobenius_completion", "tangent_kernel_completion",
    # data
    "Design", "design", "sparse_design", "spike_design",
]

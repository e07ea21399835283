"""Symbolic derivations (sympy only): potentials q and q_D, dual-ray exponents,
the elbow n⋆, the threshold r⋆, depth rates and SGD scaling exponents.

Each result is a symbolic object carrying its provenance (paper, equation) and
fidelity, with float64 and mpmath evaluators generated from the expression.
``theory`` never imports ``numerics`` or ``verify``.
"""

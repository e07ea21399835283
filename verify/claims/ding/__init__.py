"""Claims SQ-1 … SQ-5: Ding et al. (2025), SGD scaling laws for quadratically
parameterised regression (reconstruction: docs/derivations/sgd-quadratic-scaling.md).
:mod:`.experiment` holds the conventions and measurements, :mod:`.laws` SQ-1/2/3/5,
:mod:`.phases` SQ-4, :mod:`.formulas` the formula views, :mod:`.bench` the bench row.
"""

from .formulas import FORMULA_VIEWS
from .laws import SQ1, SQ2, SQ3, SQ5
from .phases import CLAIM as SQ4

CLAIMS = [SQ1, SQ2, SQ3, SQ4, SQ5]

__all__ = ["CLAIMS", "FORMULA_VIEWS"]

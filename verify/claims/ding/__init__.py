"""Claims SQ-1 … SQ-5: Ding et al. (2025), SGD scaling laws for quadratically
parameterised regression (reconstruction: docs/derivations/sgd-quadratic-scaling.md).

:mod:`.experiment` holds the regimes, conventions, measurements and predicted
exponents; :mod:`.dimension` SQ-1, :mod:`.rates` SQ-2 and SQ-5,
:mod:`.separation` SQ-3, :mod:`.phases` SQ-4; :mod:`.formulas` the formula
views; :mod:`.bench` the speed benchmark row.
"""

from verify.claim import Claim

from . import dimension, phases, rates, separation
from .formulas import FORMULA_VIEWS

CLAIMS: list[Claim] = [dimension.CLAIM, rates.SQ2, separation.CLAIM, phases.CLAIM, rates.SQ5]

__all__ = ["CLAIMS", "FORMULA_VIEWS"]

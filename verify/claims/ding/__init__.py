"""Claims SQ-1 … SQ-5: Ding et al. (2025), SGD scaling laws for quadratically
parameterised regression (``shared/papers/sgd-quadratic-2025-scaling-law-summary.md``;
reconstruction in ``shared/formulas/sgd-quadratic-scaling.md``).

One module per idea: :mod:`.experiment` holds the regimes, the conventions of
the reconstructed Algorithm 1, the measurements and the exponent statistics;
:mod:`.dimension` the effective dimension (SQ-1); :mod:`.rates` the excess
risk in T and M and its saturation (SQ-2, SQ-5); :mod:`.separation` the
quadratic model against linear SGD and the lower bound (SQ-3); :mod:`.phases`
the two phases (SQ-4); :mod:`.formulas` the formula views; :mod:`.bench` the
speed benchmark row.
"""

from verify.claim import Claim

from . import dimension, phases, rates, separation
from .formulas import FORMULA_VIEWS

CLAIMS: list[Claim] = [dimension.CLAIM, rates.SQ2, separation.CLAIM, phases.CLAIM, rates.SQ5]

__all__ = ["CLAIMS", "FORMULA_VIEWS"]

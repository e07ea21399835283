"""Claims SM-1 … SM-5: Matt & Stöger (2025, arXiv:2506.01143), depth and the ℓ1
approximation error of diagonal linear networks (reconstruction:
docs/derivations/stoger-matt-depth-rates.md).  :mod:`.ladders` measures exact limits
along an α ladder; :mod:`.rates` SM-1, SM-2, SM-4; :mod:`.example` SM-3;
:mod:`.generalisation` SM-5; :mod:`.formulas` the formula views; :mod:`.bench` the
bench row of the high-precision tier.
"""

from .example import SM3
from .formulas import FORMULA_VIEWS
from .generalisation import SM5
from .rates import SM1, SM2, SM4

CLAIMS = [kind.to_claim() for kind in (SM1, SM2, SM3, SM4, SM5)]

__all__ = ["CLAIMS", "FORMULA_VIEWS"]

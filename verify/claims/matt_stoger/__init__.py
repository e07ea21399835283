"""Claims SM-1 … SM-5: Matt & Stöger (2025), depth and the ℓ1 approximation error of
diagonal linear networks (Matt & Stöger 2025, arXiv:2506.01143;
reconstruction in ``docs/derivations/stoger-matt-depth-rates.md``).

One module per idea: :mod:`.ladders` measures exact limits along an α ladder in
high precision; :mod:`.rates` judges the rates (SM-1 depth ≥ 3, SM-2 depth 2,
SM-4 label noise); :mod:`.example` the tight example A = [1, c] (SM-3);
:mod:`.generalisation` the population error by depth (SM-5); :mod:`.formulas`
the formula views; :mod:`.bench` the benchmark row of the high-precision tier.
"""

from verify.claim import Claim
from verify.claims import id_sort_key

from . import example, formulas, generalisation, rates

CLAIMS: list[Claim] = sorted(rates.CLAIMS + example.CLAIMS + generalisation.CLAIMS,
                             key=lambda claim: id_sort_key(claim.id))
FORMULA_VIEWS = formulas.FORMULA_VIEWS

"""Claims SM-1 … SM-5: Matt & Stöger (2025), depth and the ℓ1 approximation error of
diagonal linear networks (``shared/papers/stoger-matt-2025-depth-l1-bounds-summary.md``;
reconstruction in ``shared/formulas/stoger-matt-depth-rates.md``)."""

CLAIMS: list = []          # filled in by issue 5
FORMULA_VIEWS: list = []

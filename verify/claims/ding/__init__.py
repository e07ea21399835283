"""Claims SQ-1 … SQ-5: Ding et al. (2025), SGD scaling laws for quadratically
parameterised regression (``shared/papers/sgd-quadratic-2025-scaling-law-summary.md``;
reconstruction in ``shared/formulas/sgd-quadratic-scaling.md``)."""

CLAIMS: list = []          # filled in by issue 6
FORMULA_VIEWS: list = []

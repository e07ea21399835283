"""ZL-1, ZL-2, ZL-5: the dual of min-ℓp interpolation, the dual-ray scale and its
split, and the single-spike closed forms (Zhang & Louis 2025)."""

CLAIMS: list = []          # filled in by issue 4
FORMULA_VIEWS: list = []

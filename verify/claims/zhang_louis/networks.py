"""ZL-7, ZL-8, ZL-9: diagonal linear networks through the effective exponent
p_eff(α) (Zhang & Louis 2025)."""

CLAIMS: list = []          # filled in by issue 4
FORMULA_VIEWS: list = []

"""ZL-10 (exploratory): n⋆ and r⋆ under anisotropic, correlated and
heavy-tailed designs (Zhang & Louis 2025, open question)."""

CLAIMS: list = []          # filled in by issue 4
FORMULA_VIEWS: list = []

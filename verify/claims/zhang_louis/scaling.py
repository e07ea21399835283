"""ZL-3, ZL-4, ZL-6: the elbow n⋆, the threshold r⋆ and the growth exponents of
‖ŵ_p‖_r, and noise fitting past n⋆ (Zhang & Louis 2025)."""

CLAIMS: list = []          # filled in by issue 4
FORMULA_VIEWS: list = []

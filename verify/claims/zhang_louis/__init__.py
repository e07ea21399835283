"""Claims ZL-1 … ZL-10: Zhang & Louis (2025), "ℓr norm scaling of minimum-ℓp
interpolators" (docs/claims.md; the mathematics reconstructed in
docs/derivations/zhang-louis-norm-scaling.md).

One module per idea: :mod:`.ray` (the dual and its ray, ZL-1, ZL-2, ZL-5),
:mod:`.scaling` (elbow, threshold and exponents, ZL-3, ZL-4, ZL-6),
:mod:`.networks` (diagonal networks through p_eff, ZL-7 … ZL-9),
:mod:`.exploratory` (other designs, ZL-10) and :mod:`.views` (the formula views).
"""

from verify.claim import Claim
from verify.claims import id_sort_key

from . import exploratory, networks, ray, scaling, views

_MODULES = (ray, scaling, networks, exploratory)
CLAIMS: list[Claim] = sorted((claim for module in _MODULES for claim in module.CLAIMS),
                             key=lambda claim: id_sort_key(claim.id))
FORMULA_VIEWS = views.FORMULA_VIEWS

"""Claims KR-1 … KR-13: Woodworth et al. (2020), "Kernel and rich regimes in
overparametrized models" (COLT 2020; the claims and their sources: docs/claims.md).
:mod:`.formulas`: the potentials' formulas and inequalities (KR-1, KR-2, KR-6 … KR-9),
with :mod:`.proofs`; :mod:`.limits`: gradient-flow limits and sparse regression (KR-3,
KR-4, KR-5, KR-10); :mod:`.beyond`: beyond diagonal networks (KR-11 … KR-13);
:mod:`.views`: the potentials at a chosen depth (``python -m verify formula q_D D=4``).
"""

from verify.claim import Claim
from verify.claims import id_sort_key

from . import beyond, formulas, limits, views

CLAIMS: list[Claim] = sorted(formulas.CLAIMS + limits.CLAIMS + beyond.CLAIMS,
                             key=lambda claim: id_sort_key(claim.id))
FORMULA_VIEWS = views.FORMULA_VIEWS + beyond.FORMULA_VIEWS

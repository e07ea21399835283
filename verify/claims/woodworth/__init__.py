"""Claims KR-1 … KR-13: Woodworth et al. (2020), "Kernel and rich regimes in
overparametrized models" (COLT 2020; the claims and their sources: docs/claims.md).

One module per idea: :mod:`.formulas` checks the paper's formulas and
inequalities about the potentials (KR-1, KR-2, KR-6 … KR-9); :mod:`.limits`
the gradient-flow limits and the sparse-regression experiments (KR-3, KR-4,
KR-5, KR-10); :mod:`.beyond` the models beyond diagonal networks (KR-11 …
KR-13); :mod:`.views` shows the potentials at a chosen depth
(``python -m verify formula q_D D=4``).
"""

from verify.claim import Claim
from verify.claims import id_sort_key

from . import beyond, formulas, limits, views

CLAIMS: list[Claim] = sorted(formulas.CLAIMS + limits.CLAIMS + beyond.CLAIMS,
                             key=lambda claim: id_sort_key(claim.id))
FORMULA_VIEWS = views.FORMULA_VIEWS + beyond.FORMULA_VIEWS

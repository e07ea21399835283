"""Claims KR-1 … KR-12: Woodworth et al. (2020), "Kernel and rich regimes in
overparametrized models" (``shared/papers/woodworth-2020-kernel-rich-regimes.md``).

Two modules, one idea each: :mod:`.formulas` checks the paper's formulas and
inequalities about the potentials (KR-1, KR-2, KR-6 … KR-9); :mod:`.limits`
checks the gradient-flow limits and the experiments (the other KR claims).
"""

from verify.claim import Claim
from verify.claims import id_sort_key

from . import formulas, limits

CLAIMS: list[Claim] = sorted(formulas.CLAIMS + limits.CLAIMS,
                             key=lambda claim: id_sort_key(claim.id))

"""Claims KR-1 … KR-12: Woodworth et al. (2020), kernel and rich regimes.

Placeholder until the claims are written: the registry imports ``CLAIMS``.
"""

from verify.claim import Claim

CLAIMS: list[Claim] = []

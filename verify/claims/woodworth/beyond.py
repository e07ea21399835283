"""KR-11 (matrix completion) and KR-12 (small ReLU networks): the kernel→rich
transition beyond diagonal networks (Woodworth et al. 2020, §6–7, App. D–E)."""

CLAIMS: list = []          # filled in by issue 7
FORMULA_VIEWS: list = []

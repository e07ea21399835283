"""Regression tests for the numerics defects of issue 13, one per reproducer.

Each test states the defect it guards against; each failed before its fix.
"""

from __future__ import annotations

import numpy as np

from numerics import dln_limit
from tests.instances import assert_dln_kkt


def _issue_instance(n, d):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    return X, X[:, 0] - 2 * X[:, 1]


# --------------------------------------------------------------------------- 2: mpmath dln_limit
def test_mpmath_dln_limit_converges_where_coarse_stages_strand_it():
    """Issue 13 #2: at 60 digits and α = 1e-100 the coarse continuation (stages to
    1e-8) left y's float64 rounding unfitted and returned an intermediate stage
    (STAGNATED, residual exactly 1e-8).  Now it converges and certifies at the
    target scale: the link β = A·2sinh(Xᵀν) checked independently in mpmath."""
    X, y = _issue_instance(10, 50)
    sol = dln_limit(X, y, "1e-100", depth=2, precision=60)
    assert sol.ok, f"{sol}: {sol.status.message}"
    assert sol.certificate.primal_residual <= sol.certificate.tolerance <= 1e-50
    assert sol.stats["log_branch_scale"] == float(2 * np.log(1e-100))
    assert_dln_kkt(X, y, sol, "1e-100", 2, dps=60)

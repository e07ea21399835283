"""Bad input fails fast with an InputError whose message names the problem.

Every public solver validates before any arithmetic; the assertions match key
words of the message (what is wrong), so a generic error does not pass.
"""

from __future__ import annotations

import numpy as np
import pytest

from numerics import (InputError, dln_limit, min_l1_interpolant, min_l2_interpolant,
                      min_lp_interpolant)
from tests.instances import gaussian_instance

INST = gaussian_instance(4, 10, 0, "noisy")
X, Y = INST.X, INST.y

# Each solver as a function of (X, y, **keywords), with valid defaults for its parameters.
SOLVERS = {
    "min_l2": lambda X, y, **kw: min_l2_interpolant(X, y, **kw),
    "min_l1": lambda X, y, **kw: min_l1_interpolant(X, y, **kw),
    "min_lp": lambda X, y, **kw: min_lp_interpolant(X, y, 1.5, **kw),
    "dln": lambda X, y, **kw: dln_limit(X, y, 0.1, 2, **kw),
}
solvers = pytest.mark.parametrize("solve", list(SOLVERS.values()), ids=list(SOLVERS))


def test_inputerror_is_a_valueerror():
    assert issubclass(InputError, ValueError)


# --------------------------------------------------------------------------- p
@pytest.mark.parametrize("p", [1, 1.0, 0.5, 0, -2], ids=str)
def test_p_at_most_one(p):
    with pytest.raises(InputError, match=r"p = .*≤ 1") as err:
        min_lp_interpolant(X, Y, p)
    assert "min_l1_interpolant" in str(err.value)      # the fix is named


@pytest.mark.parametrize("p", [float("nan"), float("inf"), "1.5", None, 1.5j], ids=repr)
def test_p_not_a_finite_real(p):
    with pytest.raises(InputError, match="p must be a finite real number"):
        min_lp_interpolant(X, Y, p)


@pytest.mark.parametrize("p", [2.000001, 3, 10.0], ids=str)
def test_p_above_two_needs_permission(p):
    with pytest.raises(InputError, match=r"p = .*> 2.*allow_above_2=True"):
        min_lp_interpolant(X, Y, p)


def test_p_above_two_with_permission_solves():
    sol = min_lp_interpolant(X, Y, 3.0, allow_above_2=True)
    assert sol.ok, sol
    w = sol.value
    # KKT for p = 3: sgn(w)|w|² ∈ range(Xᵀ); the certificate's 1e-12 with √d.
    g = np.sign(w) * np.abs(w) ** 2
    Q, _ = np.linalg.qr(X.T)
    assert np.linalg.norm(g - Q @ (Q.T @ g)) <= 1e-10 * np.linalg.norm(g)


# --------------------------------------------------------------------------- alpha, depth
@pytest.mark.parametrize("alpha", [0, 0.0, -1e-3, "-1", "0", float("inf"), float("nan")],
                         ids=repr)
def test_alpha_not_positive(alpha):
    with pytest.raises(InputError, match=r"alpha = .*alpha > 0"):
        dln_limit(X, Y, alpha, 2)


@pytest.mark.parametrize("alpha", ["abc", None, [0.1]], ids=repr)
def test_alpha_not_a_number(alpha):
    with pytest.raises(InputError, match="alpha must be a positive real number"):
        dln_limit(X, Y, alpha, 2)


@pytest.mark.parametrize("depth", [1, 0, -3, 2.0, 2.5, "3", True, None], ids=repr)
def test_depth_not_an_integer_at_least_two(depth):
    with pytest.raises(InputError, match=r"depth = .* must be an integer ≥ 2"):
        dln_limit(X, Y, 0.1, depth)


# --------------------------------------------------------------------------- design
@solvers
@pytest.mark.parametrize("shape", [(5, 5), (6, 5), (10, 3)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_not_overparameterised(solve, shape):
    n, d = shape
    rng = np.random.default_rng(0)
    with pytest.raises(InputError, match=r"not overparameterised.*n ≥ d"):
        solve(rng.standard_normal((n, d)), rng.standard_normal(n))


@solvers
@pytest.mark.parametrize("how", ["duplicate-row", "zero-row", "scaled-row", "nearly-dependent"])
def test_rank_deficient(solve, how):
    Xb = X.copy()
    if how == "duplicate-row":
        Xb[3] = Xb[0]
    elif how == "zero-row":
        Xb[2] = 0
    elif how == "scaled-row":
        Xb[1] = -7 * Xb[0]
    else:       # dependent to 1e-12: below float64's rank resolution of XXᵀ
        Xb[3] = Xb[0] + Xb[1] + 1e-12 * np.random.default_rng(1).standard_normal(Xb.shape[1])
    with pytest.raises(InputError, match="rank-deficient"):
        solve(Xb, Y)


@solvers
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=str)
@pytest.mark.parametrize("where", ["X", "y"])
def test_non_finite_entries(solve, where, bad):
    Xb, yb = X.copy(), Y.copy()
    if where == "X":
        Xb[1, 2] = bad
    else:
        yb[3] = bad
    with pytest.raises(InputError, match=rf"^{where} contains NaN or infinite entries"):
        solve(Xb, yb)


@solvers
def test_shape_mismatch(solve):
    with pytest.raises(InputError, match=r"shape mismatch: X has 4 rows but y has 3 entries"):
        solve(X, Y[:3])


@solvers
@pytest.mark.parametrize("case", ["X-1d", "y-2d"])
def test_wrong_dimensions(solve, case):
    if case == "X-1d":
        with pytest.raises(InputError, match=r"X must have shape \(n, d\)"):
            solve(X[0], Y[:1])
    else:
        with pytest.raises(InputError, match=r"y must have shape \(n,\)"):
            solve(X, Y[:, None])


@solvers
def test_non_numeric_entries(solve):
    with pytest.raises(InputError, match="X must be a real numeric array"):
        solve(X.astype(str), Y)
    with pytest.raises(InputError, match="y must be a real numeric array"):
        solve(X, Y + 1j)


@solvers
def test_zero_labels(solve):
    with pytest.raises(InputError, match="y is identically zero"):
        solve(X, np.zeros(4))


# --------------------------------------------------------------------------- precision, tol
@solvers
@pytest.mark.parametrize("precision", [0, 10, 15, -50, 2.5, 50.0, "50", True], ids=repr)
def test_bad_precision(solve, precision):
    with pytest.raises(InputError, match=r"precision = .*None for float64.*≥ 16"):
        solve(X, Y, precision=precision)


@pytest.mark.parametrize("solve", [SOLVERS["min_l2"], SOLVERS["min_l1"], SOLVERS["min_lp"]],
                         ids=["min_l2", "min_l1", "min_lp"])
@pytest.mark.parametrize("tol", [0, -1e-12, 1, 2.0], ids=repr)
def test_bad_tolerance(solve, tol):
    with pytest.raises(InputError, match=r"tol = .* must be in \(0, 1\)"):
        solve(X, Y, tol=tol)


@pytest.mark.parametrize("tol", [0, 2.0, float("nan")], ids=repr)
def test_bad_tolerance_dln(tol):
    """dln_limit takes the same tol keyword and must reject the same values."""
    with pytest.raises(InputError, match=r"tol"):
        dln_limit(X, Y, 0.1, 2, tol=tol)

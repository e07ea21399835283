"""Input checks whose messages name the problem and the fix.

Every public solver validates its arguments here before any arithmetic, so
bad input fails fast with an :class:`InputError` (a ``ValueError``) instead of
a traceback from deep inside a factorisation.
"""

from __future__ import annotations

import math
import numbers

import mpmath
import numpy as np
import scipy.linalg


class InputError(ValueError):
    """Raised for arguments a solver cannot accept; the message says the fix."""


def _as_real_array(name, value, ndim):
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover - numpy accepts nearly anything
        raise InputError(f"{name} could not be read as an array ({exc}); pass a numpy array") from exc
    if arr.dtype == object:
        try:
            finite = all(mpmath.isfinite(mpmath.mpf(v)) for v in arr.reshape(-1))
        except (TypeError, ValueError) as exc:
            raise InputError(f"{name} has entries that are not real numbers; pass a real array") from exc
    else:
        if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise InputError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
        finite = bool(np.all(np.isfinite(arr)))
    if arr.ndim != ndim:
        shape = "(n, d)" if ndim == 2 else "(n,)"
        raise InputError(f"{name} must have shape {shape}, got an array of shape {arr.shape}")
    if not finite:
        raise InputError(
            f"{name} contains NaN or infinite entries; remove or impute them before solving")
    return arr


def check_design(X, y):
    """Validate an underdetermined design: X is (n, d) with n < d and rank n.

    Returns ``(X, y, G)``: float64 (or object, if given as mpf) arrays and the
    float64 Gram matrix G = XXᵀ used for the rank check, which the solvers
    reuse as their first Newton matrix.
    """
    X = _as_real_array("X", X, 2)
    y = _as_real_array("y", y, 1)
    n, d = X.shape
    if y.shape[0] != n:
        raise InputError(
            f"shape mismatch: X has {n} rows but y has {y.shape[0]} entries; "
            "y must have one label per row of X")
    if n == 0:
        raise InputError("X has no rows; pass at least one observation")
    if n >= d:
        raise InputError(
            f"the problem is not overparameterised: X is {n}×{d} with n ≥ d, so the "
            "interpolant is unique (or does not exist); use n < d, or least squares")
    yf = np.asarray(y, dtype=np.float64)
    if not np.any(yf != 0):
        raise InputError("y is identically zero: every interpolant here is w = 0; pass a nonzero y")
    # Rank via a Cholesky factor of the Gram matrix XXᵀ and LAPACK's reciprocal
    # condition estimate: one n²d product (the cost of a minimum-ℓ2 solve), where
    # an SVD of X costs ~4× that.  rcond(XXᵀ) below n·eps means XXᵀ is singular
    # to float64 resolution (σ_min/σ_max of X below ~1e-7·√n).
    Xf = np.asarray(X, dtype=np.float64)
    G = Xf @ Xf.T
    limit = n * np.finfo(np.float64).eps
    c, info = scipy.linalg.lapack.dpotrf(G, lower=1)
    rcond = 0.0
    if info == 0:
        rcond, _ = scipy.linalg.lapack.dpocon(c, float(np.max(np.sum(np.abs(G), axis=0))), uplo="L")
    if rcond < limit:
        raise InputError(
            f"X is rank-deficient to float64 resolution (rcond(XXᵀ) = {rcond:.1e} < {limit:.1e}: "
            "rows linearly dependent or nearly so), so Xw = y may have no solution and the "
            "dual is not unique; remove dependent rows")
    return X, y, G


def check_tol(tol):
    """A relative residual tolerance in (0, 1), or None for the solver's default."""
    if tol is None:
        return None
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not (0 < tol < 1):
        raise InputError(
            f"tol = {tol!r} must be in (0, 1): it bounds the relative residual "
            "‖Xw − y‖/‖y‖ (pass None for the default, 1e-12 in float64)")
    return float(tol)


def check_p(p, *, allow_above_2=False):
    if not isinstance(p, numbers.Real) or not math.isfinite(p):
        raise InputError(f"p must be a finite real number, got {p!r}")
    if p <= 1:
        raise InputError(
            f"p = {p} ≤ 1: the minimum-ℓp interpolant is only unique and smooth for p > 1; "
            "use min_l1_interpolant for p = 1, or p ≥ 1.01")
    if p > 2 and not allow_above_2:
        raise InputError(
            f"p = {p} > 2 is outside the theory's range (1, 2]; pass allow_above_2=True "
            "to solve it anyway")
    return float(p)


def check_alpha(alpha):
    """Accept a positive real (float, int, mpf or a decimal string)."""
    try:
        a = mpmath.mpf(alpha)
    except (TypeError, ValueError) as exc:
        raise InputError(f"alpha must be a positive real number, got {alpha!r}") from exc
    if not mpmath.isfinite(a) or a <= 0:
        raise InputError(
            f"alpha = {alpha!r} must be a finite positive initialisation scale (alpha > 0); "
            "alpha → 0 is the ℓ1 limit, use min_l1_interpolant for it")
    return a


def check_depth(depth):
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 2:
        raise InputError(
            f"depth = {depth!r} must be an integer ≥ 2 (D = 1 is plain linear regression: "
            "use min_l2_interpolant)")
    return int(depth)


def check_precision(precision):
    if precision is None:
        return None
    if isinstance(precision, bool) or not isinstance(precision, numbers.Integral) or precision < 16:
        raise InputError(
            f"precision = {precision!r}: pass None for float64 or an integer number of "
            "decimal digits ≥ 16 for mpmath")
    return int(precision)


def check_positive(name, value, *, integer=False):
    ok = isinstance(value, numbers.Integral) if integer else isinstance(value, numbers.Real)
    if isinstance(value, bool) or not ok or not (value > 0) or not math.isfinite(value):
        kind = "a positive integer" if integer else "a positive finite number"
        raise InputError(f"{name} must be {kind}, got {value!r}")
    return value

"""Input checks whose messages name the problem and the fix.

Every public solver validates its arguments here before any arithmetic, so
bad input fails fast with an :class:`InputError` (a ``ValueError``) instead of
a traceback from deep inside a factorisation.
"""

from __future__ import annotations

import decimal
import fractions
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
        arr = arr.astype(np.float64, copy=False)   # callers only read it: no copy of X
        # max and min are NaN if an entry is, ±inf if one is: two passes over X, where
        # isfinite allocates (and pages in) a boolean copy of it
        finite = not arr.size or bool(np.isfinite(np.max(arr)) and np.isfinite(np.min(arr)))
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
    float64 Gram matrix G = XXᵀ, which the solvers reuse as their first Newton
    matrix (inf or 0 where XXᵀ itself over- or underflows: see
    :func:`check_scaled_design` for solvers that can rescale).
    """
    X, y, G, k = check_scaled_design(X, y)
    with np.errstate(over="ignore", under="ignore"):
        G = np.ldexp(G, 2 * k)
    # Diagonal entries below tiny/eps are subnormal-rounded: no longer float64-accurate.
    smallest = np.finfo(np.float64).tiny / np.finfo(np.float64).eps
    if not (np.all(np.isfinite(G)) and np.min(np.diag(G)) >= smallest):
        raise InputError(
            f"X's entries are of order 2^{k} ≈ 1e{k * np.log10(2):.0f}, so XXᵀ "
            f"{'over' if k > 0 else 'under'}flows float64; this solver's answer is not "
            "homogeneous in X, so it cannot rescale X for you: rescale X to unit scale "
            "(and the other arguments with it)")
    return X, y, G


def design_exponent(Xf):
    """k with max|X·2⁻ᵏ| in [1/2, 1): the power of two that brings X to unit scale."""
    # max and −min instead of max|X|: no temporary copy of X
    top = max(float(np.max(Xf)), -float(np.min(Xf))) if Xf.size else 0.0
    return int(np.frexp(top)[1]) if top > 0 else 0


def scale_by_power_of_two(X, k):
    """X·2⁻ᵏ, exactly (an exponent shift: no rounding unless entries leave the range)."""
    if X.dtype == object:
        return np.frompyfunc(lambda v: mpmath.ldexp(mpmath.mpf(v), -k), 1, 1)(X)
    if -1022 <= -k <= 1023:
        # A product with a normal power of two is correctly rounded, as ldexp is, so the
        # two agree bit for bit; the product runs at copy speed (measured 0.15 vs 0.46 ms
        # for 200×4000).
        with np.errstate(over="ignore"):        # as silent as ldexp beyond the range
            return X * math.ldexp(1.0, -k)
    return np.ldexp(X, -k)


_DIRECT_GRAM = 100      # |k| up to which the Gram matrix is formed from X itself


def check_scaled_design(X, y):
    """:func:`check_design` for X·2⁻ᵏ: returns ``(X, y, G, k)`` with G = X̃X̃ᵀ for
    X̃ = X·2⁻ᵏ, k from :func:`design_exponent`.

    The rank test runs on X̃, so a full-rank X whose XXᵀ over- or underflows
    (entries ~1e±200) is not mistaken for a rank-deficient one; and X̃X̃ᵀ equals
    XXᵀ·4⁻ᵏ bit for bit wherever XXᵀ is representable (scaling by a power of
    two commutes with rounding).  Solvers whose answer is homogeneous in X
    (ℓ1, ℓ2, ℓp: w(cX, y) = w(X, y)/c) solve on X̃ and scale back.
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
    # Rank via a Cholesky factor of the Gram matrix X̃X̃ᵀ and LAPACK's reciprocal
    # condition estimate: one n²d product (the cost of a minimum-ℓ2 solve), where
    # an SVD of X costs ~4× that.  rcond(X̃X̃ᵀ) below n·eps means it is singular
    # to float64 resolution (σ_min/σ_max of X below ~1e-7·√n).
    Xf = np.asarray(X, dtype=np.float64)
    k = design_exponent(Xf)
    if abs(k) <= _DIRECT_GRAM:
        # Entries within 2^±_DIRECT_GRAM of one: XXᵀ is far inside float64's range, and
        # scaling it (not X) by 4⁻ᵏ gives X̃X̃ᵀ bit for bit without an n×d copy of X (a
        # fresh copy's pages cost 0.7–1.2 ms at n = 200, d = 4000 in the solvers' flow,
        # a fifth of a minimum-ℓ2 solve).  The one exception, a product that underflows
        # on one side only, lies below eps·max|XXᵀ| by hundreds of orders of magnitude.
        G = Xf @ Xf.T
        G *= math.ldexp(1.0, -2 * k)
    else:
        Xs = scale_by_power_of_two(Xf, k)
        G = Xs @ Xs.T
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
    return X, y, G, k


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


def _as_mpf(value):
    """A real number of any common type as an mpmath mpf (None if it is not one).

    Exact where the type is: integers and Fractions through their integers (the
    quotient rounded once at mpmath's precision), Decimals and strings through
    their decimal text, numpy scalars through float64 (float32 widens exactly).
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, mpmath.mpf):
        return value
    if isinstance(value, (str, decimal.Decimal)):
        try:
            return mpmath.mpf(str(value).strip())
        except (TypeError, ValueError):
            return None
    if isinstance(value, numbers.Integral):
        return mpmath.mpf(int(value))
    if isinstance(value, fractions.Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    if isinstance(value, numbers.Real):
        return mpmath.mpf(float(value))
    return None


def check_alpha(alpha):
    """A positive real scale: any real number type (int, float, numpy scalars,
    Fraction, Decimal, mpf) or a decimal string such as "1e-1000"; not a bool."""
    if isinstance(alpha, (bool, np.bool_)):
        raise InputError(
            f"alpha = {alpha!r} is a bool; pass the initialisation scale as a number "
            "(e.g. alpha=1.0)")
    a = _as_mpf(alpha)
    if a is None:
        raise InputError(f"alpha must be a positive real number (or a decimal string such as "
                         f"'1e-100'), got {alpha!r} of type {type(alpha).__name__}")
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

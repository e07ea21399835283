"""Number types for the solvers: float64, or mpmath at a scoped precision.

One algorithm, several number types (the mpmath idiom): every solver is
written against an ``Arith`` object and runs unchanged on numpy float64
arrays or on numpy object arrays of mpmath ``mpf`` numbers.  The mpmath
precision is a scoped resource: ``with arith:`` sets ``mp.dps`` for the
duration of a solve and restores it afterwards.

>>> a = arith_for(None); a.digits > 15
True
>>> with arith_for(40) as b:
...     x = b.asarray([2.0])
...     str(b.sqrt(x)[0])[:20]
'1.414213562373095048'
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import scipy.linalg


class Float64Arith:
    """IEEE double precision on numpy arrays."""

    name = "float64"
    eps = float(np.finfo(np.float64).eps)
    digits = -math.log10(eps)

    def __enter__(self):
        self._err = np.seterr(over="ignore", under="ignore", invalid="ignore", divide="ignore")
        return self

    def __exit__(self, *exc):
        np.seterr(**self._err)
        return False

    @staticmethod
    def asarray(x):
        return np.array(x, dtype=np.float64)

    @staticmethod
    def scalar(x):
        return float(x)

    @staticmethod
    def to_float(x):
        return np.asarray(x, dtype=np.float64)

    @staticmethod
    def param(x):
        """A parameter (p, alpha, a constant) in this arithmetic."""
        return float(x)

    @staticmethod
    def log_const(x):
        return math.log(x)

    @staticmethod
    def exp_scalar(x):
        return float(np.exp(x))     # 0.0 on underflow, never an exception

    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    log1p = staticmethod(np.log1p)
    expm1 = staticmethod(np.expm1)
    sqrt = staticmethod(np.sqrt)
    sinh = staticmethod(np.sinh)
    cosh = staticmethod(np.cosh)
    sign = staticmethod(np.sign)

    @staticmethod
    def logaddexp(a, b):
        return np.logaddexp(a, b)

    @staticmethod
    def isfinite(x):
        return bool(np.all(np.isfinite(x)))

    @staticmethod
    def norm(x):
        # BLAS nrm2 rescales as it goes: no overflow for |x| ~ 1e200, no underflow at 1e-200
        x = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
        return float(scipy.linalg.blas.dnrm2(x)) if x.size else 0.0

    @staticmethod
    def norm_inf(x):
        return float(np.max(np.abs(x))) if np.size(x) else 0.0


def _lift(f):
    g = np.frompyfunc(f, 1, 1)

    def apply(x):
        out = g(x)
        return out if isinstance(out, np.ndarray) else out

    return staticmethod(apply)


class MPArith:
    """mpmath arithmetic at ``dps`` decimal digits on numpy object arrays."""

    name = "mpmath"

    def __init__(self, dps: int):
        self.dps = int(dps)
        self.digits = float(self.dps)
        self.eps = 10.0 ** (-self.dps)
        self._saved: list[int] = []

    def __enter__(self):
        self._saved.append(mpmath.mp.dps)
        mpmath.mp.dps = self.dps
        return self

    def __exit__(self, *exc):
        mpmath.mp.dps = self._saved.pop()
        return False

    @staticmethod
    def asarray(x):
        arr = np.asarray(x)
        out = np.empty(arr.shape, dtype=object)
        flat = out.reshape(-1)
        for i, v in enumerate(arr.reshape(-1)):
            flat[i] = mpmath.mpf(v) if not isinstance(v, str) else mpmath.mpf(v)
        return out

    @staticmethod
    def scalar(x):
        return mpmath.mpf(x)

    @staticmethod
    def to_float(x):
        return np.array(np.asarray(x, dtype=object).astype(float), dtype=np.float64)

    @staticmethod
    def param(x):
        """A parameter in this arithmetic; a float is read as the decimal it prints
        as (p=1.1 means 11/10 here), so that a parameter means what was typed."""
        if isinstance(x, float):
            return mpmath.mpf(repr(x))
        return mpmath.mpf(x)

    @staticmethod
    def log_const(x):
        return mpmath.log(x)

    @staticmethod
    def exp_scalar(x):
        return mpmath.exp(x)

    exp = _lift(mpmath.exp)
    log = _lift(lambda v: mpmath.log(v) if v != 0 else mpmath.mpf("-inf"))
    log1p = _lift(mpmath.log1p)
    expm1 = _lift(mpmath.expm1)
    sqrt = _lift(mpmath.sqrt)
    sinh = _lift(mpmath.sinh)
    cosh = _lift(mpmath.cosh)
    sign = _lift(mpmath.sign)

    @staticmethod
    def logaddexp(a, b):
        f = np.frompyfunc(
            lambda u, v: max(u, v) + mpmath.log1p(mpmath.exp(-abs(u - v)))
            if mpmath.isfinite(u) and mpmath.isfinite(v) else max(u, v), 2, 1)
        return f(a, b)

    @staticmethod
    def isfinite(x):
        return all(mpmath.isfinite(v) for v in np.asarray(x, dtype=object).reshape(-1))

    @staticmethod
    def norm(x):
        return mpmath.sqrt(mpmath.fsum(v * v for v in np.asarray(x).reshape(-1)))

    @staticmethod
    def norm_inf(x):
        x = np.asarray(x).reshape(-1)
        return max((abs(v) for v in x), default=mpmath.mpf(0))


def arith_for(precision: int | None):
    """The arithmetic for a solver's ``precision`` argument (None = float64)."""
    if precision is None:
        return Float64Arith()
    return MPArith(precision)

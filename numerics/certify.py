"""Turn a dual solve into a certified :class:`Solution`."""

from __future__ import annotations

import numpy as np

from .newton import stationarity_residual
from .solution import Certificate, Solution, Status


def default_tolerance(a):
    """Float64: 1e-12 (the toolkit's target, ~5000 ulps of headroom for the
    O(nd) rounding of Xβ); mpmath at k digits: 10^{−(k−5)}."""
    return 1e-12 if a.name == "float64" else 10.0 ** (-(a.digits - 5))


def certified_solution(X, potential, results, a, *, tol, scale_value=1, scale_dual=1,
                       stats=None,
                       condition="stationarity: maxᵢ |∇ψ(β)ᵢ − (Xᵀμ)ᵢ| / (|X|ᵀ|μ|)ᵢ"):
    """Build the Solution of the last of ``results`` (continuation stages).

    ``scale_value`` and ``scale_dual`` map a solve on a rescaled problem back
    to the caller's units; the certificate's residuals are relative, hence
    the same in both.
    """
    last = results[-1]
    stat = stationarity_residual(X, potential, last, a)
    cert = Certificate(
        primal_residual=float(last.residual),
        optimality_residual=float(stat),
        optimality_condition=condition,
        tolerance=float(tol),
        iterations=sum(r.iterations for r in results),
        precision=a.digits,
        details={
            "stages": len(results),
            "cg_iterations": sum(r.cg_iterations for r in results),
            "factorizations": sum(r.factorizations for r in results),
            "arithmetic": a.name,
        },
    )
    status = last.status
    if status is Status.SUCCESS and not cert.satisfied:
        status = Status.CERTIFICATE_FAILED
    value = last.beta * scale_value
    return Solution(value=value, certificate=cert, status=status, dual=last.mu * scale_dual,
                    stats=dict(stats or {}))


def working_arrays(X, y, a):
    """X and y in the working arithmetic plus a float64 copy of X."""
    Xf = np.asarray(a.to_float(X) if X.dtype == object else X, dtype=np.float64)
    if a.name == "float64":
        return Xf, np.asarray(a.to_float(y) if y.dtype == object else y, dtype=np.float64), Xf
    return a.asarray(X), a.asarray(y), Xf

"""Turn a dual solve into a certified :class:`Solution`."""

from __future__ import annotations

import numpy as np

from .newton import Preconditioner, _pcg, direct_solve, stationarity_residual
from .solution import Certificate, Solution, Status


def default_tolerance(a):
    """Float64: 1e-12 (the toolkit's target, ~5000 ulps of headroom for the
    O(nd) rounding of Xβ); mpmath at k digits: 10^{−(k−5)}."""
    return 1e-12 if a.name == "float64" else 10.0 ** (-(a.digits - 5))


def forward_error(X, y, potential, result, a, log_scale=0.0):
    """A first-order estimate of ‖β − β∞‖₂ for a dual iterate (β = link(Xᵀμ)).

    The exact solution satisfies X·link(Xᵀμ∞) = y; linearising at μ gives
    β∞ − β ≈ −W Xᵀ H⁻¹ r with r = Xβ − y, H = X W Xᵀ and W the link's
    derivative: the β-move of one more Newton step, which Newton's quadratic
    convergence makes the error itself up to second order.  H⁻¹ is applied in
    the working precision (mpmath: formed and factorised there; float64: by CG
    with the solve's last factor to 1e-3, or with a fresh one, which is the
    truncated eigen-solve where H is numerically singular, whose dropped
    directions carry only rounding).  Added: the link's rounding, eps per
    unit of exp's argument, i.e. 64·eps·(1 + |log A|)·‖β‖₂.  Returns a float
    (``nan`` if H cannot be factorised).
    """
    w = potential.weights(result.state, a)       # c·dβ/dz: H = X diag(w) Xᵀ in units of c
    r = X @ result.beta - y
    rounding = 64 * a.eps * (1 + abs(float(log_scale))) * float(a.norm(result.beta))
    if a.name == "float64":
        delta = _stale_factor_solve(X, w, -r, result.preconditioner, a)
        if delta is not None:
            return float(a.norm(w * (X.T @ delta))) + rounding
        try:
            precond = Preconditioner.build(X, w)
        except np.linalg.LinAlgError:
            return float("nan")
        if precond.singular:
            noise = 4 * a.eps * float(np.linalg.norm(np.abs(X) @ np.abs(result.beta) + np.abs(y)))
            delta = precond.truncated_solve(-r, noise)
        else:
            delta = precond.solve(-r, a)
    else:
        delta = direct_solve(X, w, -r, a)
        if delta is None:
            return float("nan")
    return float(a.norm(w * (X.T @ delta))) + rounding


# The estimate needs H⁻¹r to a few digits: CG to 1e-3 with the last Newton factor (at
# most _STALE_CG steps, as many as a fresh factor costs) instead of a fresh n²d factor.
_STALE_RTOL = 1e-3
_STALE_CG = 20


def _stale_factor_solve(X, w, b, precond, a):
    """H⁻¹b by CG preconditioned with the solve's last regular factor, or None (no
    such factor, or CG did not reach _STALE_RTOL within _STALE_CG steps)."""
    if precond is None or precond.singular:
        return None
    x, _, converged = _pcg(lambda v: X @ (w * (X.T @ v)), b, precond, a, _STALE_RTOL, _STALE_CG)
    return x if converged else None


def newton_advice(status, a, *, max_iter, digits_needed=None):
    """The remedy for a dual-Newton solve that did not certify, in its own knobs.

    ``max_iter`` bounds the iterations; a stalled or uncertified solve is limited
    by rounding, so its knob is ``precision`` — named relative to the digits in
    use and to ``digits_needed`` (the solver's own estimate, if it has one).
    """
    if status is Status.SUCCESS:
        return ""
    if status is Status.MAX_ITERATIONS:
        return f"raise max_iter (it was {max_iter})"
    if a.name == "float64":
        k = digits_needed if digits_needed is not None else 30
        return f"retry in mpmath with precision={max(k, 30)} (decimal digits)"
    k = int(a.digits)
    if digits_needed is not None and k < digits_needed:
        return (f"raise precision from {k} to at least {digits_needed} digits, the "
                "digits this scale needs")
    return f"precision={k} did not suffice: raise it (e.g. precision={2 * k})"


def certified_solution(X, potential, results, a, *, tol, max_iter, digits_needed=None,
                       scale_value=1, scale_dual=1, stats=None, forward=False, y=None,
                       problem=None, condition="stationarity: maxᵢ |∇ψ(β)ᵢ − (Xᵀμ)ᵢ| / (|X|ᵀ|μ|)ᵢ"):
    """Build the Solution of the last of ``results`` (continuation stages).

    ``scale_value`` and ``scale_dual`` map a solve on a rescaled problem back
    to the caller's units; the certificate's residuals are relative, hence
    the same in both.  With ``forward=True`` (and the labels ``y``) the
    details include ``forward_error``, :func:`forward_error` in the caller's
    units, for a converged solve.  ``max_iter`` and ``digits_needed`` go to
    :func:`newton_advice` for a solve that did not certify.
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
    if forward and status is Status.SUCCESS:
        cert.details["forward_error"] = forward_error(
            X, y, potential, last, a, getattr(potential, "log_scale", 0.0)) * float(scale_value)
    value = last.beta * scale_value
    return Solution(value=value, certificate=cert, status=status, dual=last.mu * scale_dual,
                    stats=dict(stats or {}), problem=problem,
                    advice=newton_advice(status, a, max_iter=max_iter,
                                         digits_needed=digits_needed))


def working_arrays(X, y, a):
    """X and y in the working arithmetic plus a float64 copy of X."""
    Xf = np.asarray(a.to_float(X) if X.dtype == object else X, dtype=np.float64)
    if a.name == "float64":
        return Xf, np.asarray(a.to_float(y) if y.dtype == object else y, dtype=np.float64), Xf
    return a.asarray(X), a.asarray(y), Xf

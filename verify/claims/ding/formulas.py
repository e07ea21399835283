"""``python -m verify formula`` views of the SQ formulas (theory.sgd_scaling).

``sq_rates``: D's exponent and the quadratic, linear and information-theoretic rates
against the bias + variance proxy D^{1−β}/(β−1) + σ²D/T minimised numerically over D
(under each model's reach) at two huge T, whose log-log slope is the rate.
``sq_selection``: the Phase-I selection time against the logistic ODE, integrated.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize_scalar

from theory.sgd_scaling import (competing_exponents, effective_dimension, linear_rate,
                                lower_bound, risk_exponents, selection_time, separation)
from verify.errors import BadInput
from verify.formula import CheckRow, Domain, FormulaView, Parameter

# Two sizes far in the asymptotic regime, where the proxy's minimum is an exact power of T
# (the problem is scale-invariant), so the slope between them is the rate itself.
LOG_T = (200.0, 400.0)
# minimize_scalar's bounded method stops at xatol = 1e-12 in log D, and the minimum is
# quadratic in log D, so the log of the minimum value is exact to ~1e-20; the slope over a
# log-T lever arm of 200·ln 10 then carries ~1e-9 relative error at worst (float64 sums).
RATE_TOLERANCE = 1e-8
# The argmin of a smooth minimum is fixed only to ≈ √(2ε|f|/f″) in log D when the value is
# fixed to ε (relative): with |f| ≈ 500 and f″ ≈ 0.1 that is ≈ 1e-6 in log D, ≈ 3e-9 relative
# after division by the lever arm of 460 in log T; 1e-7 leaves 30× headroom.
DIMENSION_TOLERANCE = 1e-7


def _above(low):
    """A real number > ``low``."""
    return Domain(low=low, low_open=True)


def _rates_derive(values):
    a, b, s = values["alpha"], values["beta"], values["sigma"]
    return [effective_dimension().subs(alpha=a, beta=b, sigma=s),
            risk_exponents().subs(alpha=a, beta=b),
            linear_rate().subs(alpha=a, beta=b, sigma=s),
            lower_bound().subs(beta=b, sigma=s),
            separation().subs(alpha=a, beta=b)]


def _rate(beta, sigma, reach_exponent):
    """The slopes in T (between the two LOG_T) of log min over D ≤ T^reach_exponent of
    D^{1−β}/(β−1) + σ²D/T and of the argmin's log.  The objective is a log-sum-exp of two
    affine functions of log D (stable at T = 10^400), hence convex in log D: the
    constrained minimiser is the unconstrained one (bounded search) or the reach itself."""
    logs = []
    for decades in LOG_T:
        log_t = decades * math.log(10)

        def objective(log_d):
            terms = np.array([(1 - beta) * log_d - math.log(beta - 1),
                              2 * math.log(sigma) + log_d - log_t])
            top = terms.max()
            return float(top + math.log(np.exp(terms - top).sum()))
        free = minimize_scalar(objective, bounds=(0.0, 2 * log_t), method="bounded",
                               options={"xatol": 1e-12})
        log_d = min(float(free.x), math.inf if reach_exponent is None else reach_exponent * log_t)
        logs.append((objective(log_d), log_d))
    (v0, d0), (v1, d1) = logs
    span = (LOG_T[1] - LOG_T[0]) * math.log(10)
    return (v1 - v0) / span, (d1 - d0) / span


def _rates_check(values):
    a, b, s = values["alpha"], values["beta"], values["sigma"]
    quadratic, dim_quadratic = _rate(b, s, 2 / (a + b))
    linear, _ = _rate(b, s, 1 / a)
    optimal, _ = _rate(b, s, None)
    at = f"α = {a:g}, β = {b:g}, σ = {s:g}; T = 10^{LOG_T[0]:g} … 10^{LOG_T[1]:g}"
    reason = ("bounded minimisation in log D to 1e-12; slope over 200 decades of T "
              "(the proxy's minimum is an exact power of T)")
    symbolic = competing_exponents().numpy(alpha=a, beta=b)    # free of σ
    return [
        CheckRow(f"D exponent, {at}", symbolic["dimension"], dim_quadratic,
                 "argmin of the proxy under the time threshold D ≤ T^(2/(α+β))",
                 DIMENSION_TOLERANCE, "the argmin of a smooth minimum is resolved to ≈ √ε "
                 "in log D, ≈ 3e-9 after dividing by the lever arm"),
        CheckRow(f"quadratic rate, {at}", symbolic["risk"], quadratic,
                 "minimum of the proxy under D ≤ T^(2/(α+β))", RATE_TOLERANCE, reason),
        CheckRow(f"linear rate, {at}", symbolic["linear"], linear,
                 "minimum of the proxy under D ≤ T^(1/α)", RATE_TOLERANCE, reason),
        CheckRow(f"information-theoretic rate, {at}", symbolic["lower bound"],
                 optimal, "unconstrained minimum of the proxy", RATE_TOLERANCE, reason),
    ]


def _selection_derive(values):
    half = selection_time()
    return [half.subs(a=values["a"], w0=values["w0"], eta=values["eta"],
                      **{"lambda": values["lam"]})]


# solve_ivp at rtol 1e-12 on the log-form ODE; the crossing time is an event root
# located to machine precision of the dense output: 1e-9 relative leaves 100× headroom.
ODE_TOLERANCE = 1e-9


def _selection_check(values):
    a, w0, eta, lam = values["a"], values["w0"], values["eta"], values["lam"]
    if not w0 < a / 2:
        raise BadInput(f"w0 = {w0:g} must be below a/2 = {a / 2:g} for a selection time to exist; "
                       "lower w0 or raise a")
    formula = float(selection_time().part("half time").numpy(
        a=a, w0=w0, eta=eta, **{"lambda": lam}, w_star=a, s2=0.0, T=0.0))
    rate = 4 * eta * lam

    def crossing(_t, y):
        return y[0] - math.log(a / 2)
    crossing.terminal = True
    solution = solve_ivp(lambda _t, y: [rate * (a - math.exp(y[0]))], (0.0, 100 * formula),
                         [math.log(w0)], rtol=1e-12, atol=1e-14, events=crossing)
    return [CheckRow(f"a = {a:g}, w₀ = {w0:g}, η = {eta:g}, λ = {lam:g}", formula,
                     float(solution.t_events[0][0]),
                     "solve_ivp of d(log w)/dt = 4ηλ(a − w) to w = a/2", ODE_TOLERANCE,
                     "rtol 1e-12; event located on the dense output")]


FORMULA_VIEWS = [
    FormulaView(
        "sq_rates", "SGD on f(x) = ⟨x, v⊙v⟩: D's thresholds, risk exponents, linear and "
                    "information-theoretic rates (Ding et al. 2025)",
        {"alpha": Parameter("3", "data spectrum exponent α > 1", float, domain=_above(1)),
         "beta": Parameter("1.5", "signal exponent β > 1", float, domain=_above(1)),
         "sigma": Parameter("1", "noise standard deviation σ > 0", float, domain=_above(0))},
        derive=_rates_derive, check=_rates_check, claims=("SQ-1", "SQ-2", "SQ-3", "SQ-5")),
    FormulaView(
        "sq_selection", "Phase I selection time of one coordinate: logistic ẇ = 4ηλw(a − w)",
        {"a": Parameter("1", "Itô-shifted target a = w* − ηs² > 0", float, domain=_above(0)),
         "w0": Parameter("0.001", "initial value w₀ = v₀² > 0", float, domain=_above(0)),
         "eta": Parameter("0.04", "step size η > 0", float, domain=_above(0)),
         "lam": Parameter("0.01", "eigenvalue λᵢ > 0", float, domain=_above(0))},
        derive=_selection_derive, check=_selection_check, claims=("SQ-4",)),
]

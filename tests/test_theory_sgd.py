"""theory.sgd_scaling: the SQ derivations (Ding et al. 2025), checked against
closed forms, brute-force numerics and each other."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.optimize import minimize_scalar

from theory.sgd_scaling import (SQ_SYMBOLS, alternative_normalisation, competing_exponents,
                                effective_dimension, ground_truth, linear_rate, lower_bound,
                                risk_exponents, risk_proxy, selection_time, separation,
                                sgd_scaling_predictions)

exponent = st.floats(1.05, 6.0)


def test_ground_truth_solves_the_convention():
    truth = ground_truth()
    i, a, b = SQ_SYMBOLS.i, SQ_SYMBOLS.alpha, SQ_SYMBOLS.beta
    assert sp.simplify(truth.expr["w*"] - i ** ((a - b) / 2)) == 0
    assert sp.simplify(truth.expr["v*"] ** 4 * truth.expr["eigenvalue"] - i ** -b) == 0
    assert truth.fidelity == "reconstructed" and "Assumption 3.3" in truth.source


@given(exponent, exponent)
def test_the_dimension_exponent_is_the_smaller_threshold_exponent(alpha, beta):
    parts = effective_dimension()
    e = parts.part("exponent").numpy(alpha=alpha, beta=beta, T=1.0, M=1.0, sigma=1.0)
    assert math.isclose(e, min(2 / (alpha + beta), 1 / beta), rel_tol=1e-12)
    # the thresholds themselves are the powers T^(2/(α+β)) and (T/σ²)^(1/β)
    t, sigma = 1e6, 2.0
    time = parts.part("time threshold").subs(M=sp.oo).numpy(alpha=alpha, beta=beta, T=t, sigma=sigma)
    stat = parts.part("statistical threshold").subs(M=sp.oo).numpy(alpha=alpha, beta=beta, T=t,
                                                                   sigma=sigma)
    assert math.isclose(time, t ** (2 / (alpha + beta)), rel_tol=1e-12)
    assert math.isclose(stat, (t / sigma ** 2) ** (1 / beta), rel_tol=1e-12)


@given(exponent, exponent)
def test_the_competing_exponents_are_those_of_the_thresholds_that_do_not_bind(alpha, beta):
    e = competing_exponents().numpy(alpha=alpha, beta=beta)
    assert math.isclose(e["dimension other"], max(2 / (alpha + beta), 1 / beta), rel_tol=1e-12)
    assert math.isclose(e["linear other"], (1 - beta) * max(1 / alpha, 1 / beta), rel_tol=1e-12)
    assert math.isclose(e["risk other"], (1 - beta) * e["dimension other"], rel_tol=1e-12)
    # the binding exponent is the smaller dimension, so the faster-falling risk competes; at
    # α = β the two are equal and their float evaluations (different expressions) differ by
    # rounding, hence the few-ulp allowance
    ulps = 4 * sys.float_info.epsilon
    assert e["dimension"] <= e["dimension other"] * (1 + ulps)
    assert e["risk other"] <= e["risk"] + ulps * abs(e["risk"])


def test_d_is_capped_by_the_model_size():
    d = effective_dimension().part("D").numpy(alpha=3.0, beta=1.5, T=1e6, M=10.0, sigma=1.0)
    assert d == 10.0


def test_the_rejected_normalisation_has_no_regime_split():
    assert sp.simplify(alternative_normalisation().expr["exponent"]
                       - 1 / (SQ_SYMBOLS.alpha + 2 * SQ_SYMBOLS.beta)) == 0


@given(exponent, exponent)
def test_risk_exponents_per_regime(alpha, beta):
    parts = risk_exponents().numpy(alpha=alpha, beta=beta)
    expected = -(beta - 1) / beta if alpha <= beta else -2 * (beta - 1) / (alpha + beta)
    assert math.isclose(parts["data-limited"], expected, rel_tol=1e-12)
    assert parts["model-limited"] == pytest.approx(1 - beta)


@given(exponent, exponent)
def test_rates_are_ordered_quadratic_between_linear_and_the_lower_bound(alpha, beta):
    quadratic = risk_exponents().part("data-limited").numpy(alpha=alpha, beta=beta)
    linear = linear_rate().part("rate").numpy(alpha=alpha, beta=beta, T=1.0, sigma=1.0)
    optimal = lower_bound().part("rate").numpy(beta=beta, T=1.0, sigma=1.0)
    assert optimal <= quadratic + 1e-12 and quadratic <= linear + 1e-12
    gap = separation().part("gap").numpy(alpha=alpha, beta=beta)
    assert math.isclose(gap, linear - quadratic, abs_tol=1e-12)
    assert (gap > 0) == (alpha > beta)


def test_the_worked_numbers_of_the_formula_sheet():
    """§6: α = 2, β = 1.5 gives T^-0.286, T^-0.25 and T^-1/3; α = 1.5, β = 2 all T^-1/2."""
    def rates(alpha, beta):
        return (risk_exponents().part("data-limited").numpy(alpha=alpha, beta=beta),
                linear_rate().part("rate").numpy(alpha=alpha, beta=beta, T=1.0, sigma=1.0),
                lower_bound().part("rate").numpy(beta=beta, T=1.0, sigma=1.0))
    assert np.allclose(rates(2.0, 1.5), (-1 / 3.5, -0.25, -1 / 3))
    assert np.allclose(rates(1.5, 2.0), (-0.5, -0.5, -0.5))


@given(st.floats(1.2, 4.0), st.floats(0.5, 3.0), st.floats(1e3, 1e9))
def test_lower_bound_value_is_the_minimum_of_the_proxy(beta, sigma, t):
    proxy = risk_proxy().part("proxy")
    value = lower_bound().part("value").numpy(beta=beta, T=t, sigma=sigma)

    def objective(log_d):
        return proxy.numpy(alpha=2.0, beta=beta, T=t, M=1.0, sigma=sigma, D=math.exp(log_d))
    best = minimize_scalar(objective, bounds=(-5.0, math.log(t) + 5), method="bounded",
                           options={"xatol": 1e-10})
    assert math.isclose(value, best.fun, rel_tol=1e-9)


@given(st.floats(0.1, 10.0), st.floats(1e-6, 1e-2), st.floats(1e-3, 0.1), st.floats(1e-3, 1.0))
def test_selection_time_solves_the_logistic_equation(a, w0, eta, lam):
    half = selection_time().part("half time").numpy(a=a, w0=w0, eta=eta, **{"lambda": lam},
                                                    w_star=a, s2=0.0, T=0.0)
    rate = 4 * eta * lam

    def crossing(_t, y):
        return y[0] - math.log(a / 2)
    crossing.terminal = True
    ode = solve_ivp(lambda _t, y: [rate * (a - math.exp(y[0]))], (0, 10 * half),
                    [math.log(w0)], rtol=1e-11, atol=1e-13, events=crossing)
    assert math.isclose(ode.t_events[0][0], half, rel_tol=1e-7)
    # the trajectory part is the logistic solution: a/2 at t½
    curve = selection_time().part("trajectory").numpy(a=a, w0=w0, eta=eta, **{"lambda": lam},
                                                      w_star=a, s2=0.0, T=half)
    assert math.isclose(curve, a / 2, rel_tol=1e-9)


def test_ito_shift_matches_the_exact_one_step_expectation():
    """E[2 log|1 − 2ηrx|] by Gauss–Hermite quadrature over jointly Gaussian (r, x)
    against the drift 4ηλ(w* − ηs² − w): agreement to O(η³) plus the neglected
    8η²λ²e² term of E[r²x²] = λs² + 2λ²e²."""
    eta, lam, s2, truth, w = 1e-3, 0.05, 2.0, 1.0, 0.4
    e = w - truth
    covariance = np.array([[s2, lam * e], [lam * e, lam]])
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    z1, z2 = np.meshgrid(nodes, nodes)
    weight = np.outer(weights, weights) / (2 * math.pi)
    r, x = np.linalg.cholesky(covariance) @ np.vstack([z1.ravel(), z2.ravel()])
    exact = float(np.sum(weight.ravel() * 2 * np.log(np.abs(1 - 2 * eta * r * x))))
    drift = float(selection_time().part("target").numpy(a=0, w0=0, eta=eta, **{"lambda": lam},
                                                        w_star=truth, s2=s2, T=0))
    predicted = 4 * eta * lam * (drift - w)
    neglected = 8 * eta ** 2 * lam ** 2 * e ** 2
    assert abs(exact - predicted) <= neglected + 50 * eta ** 3


def test_every_claim_has_predictions_with_provenance():
    predictions = sgd_scaling_predictions()
    assert set(predictions) == {"SQ-1", "SQ-2", "SQ-3", "SQ-4", "SQ-5"}
    for group in predictions.values():
        for prediction in group:
            assert prediction.source and prediction.derivation
            assert prediction.fidelity in ("summary", "reconstructed")

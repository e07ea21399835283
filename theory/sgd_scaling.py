"""Scaling laws of one-pass SGD on the quadratically parameterised model
f(x) = ⟨x, v^{⊙2}⟩ (Ding, Zhang, Zhao & Fang 2025, arXiv:2502.09106), derived with sympy.

The paper's body is not available: every formula here is re-derived from the
reconstruction in ``docs/derivations/sgd-quadratic-scaling.md`` (fidelity
``reconstructed``, except D and the two data-limited rates, which the summary
and the aggregator's TL;DR state: fidelity ``summary``).  Each function returns
a :class:`~theory.prediction.Prediction` (claims SQ-1 … SQ-5):

* :func:`ground_truth` — the convention λᵢ(v*ᵢ)⁴ = i^{−β}, solved for w* = v*^{⊙2};
  :func:`alternative_normalisation` shows why (v*ᵢ)² ≍ i^{−β} cannot be meant;
* :func:`effective_dimension` — the time (optimisation) threshold T^{2/(α+β)},
  the statistical threshold (T/σ²)^{1/β}, and D = min{…, M} ≍ T^{1/max{β,(α+β)/2}};
* :func:`risk_exponents` — the excess-risk exponents per regime (model-limited
  in M; data-limited with α ≤ β and with α > β);
* :func:`linear_rate`, :func:`lower_bound`, :func:`separation` — linear SGD,
  the information-theoretic rate, and the gap between the quadratic and
  linear exponents;
* :func:`competing_exponents` — each law's exponent and the competing threshold's;
* :func:`risk_proxy` — the bias + variance proxy whose minimisation the
  exponents come from, under each model's constraint (used for checks and
  figures);
* :func:`selection_time` — the adaptation phase: the mean SGD dynamics of one
  coordinate (with the Itô shift of the multiplicative noise) and the time at
  which it reaches half its target; :func:`time_threshold` the coordinate selected
  at T/2 (the time threshold with its log factor, numerically).

Symbols: α (data spectrum λᵢ = i^{−α}), β (signal λᵢ(w*ᵢ)² = i^{−β}), T (samples
= steps), M (model size), σ (noise), i (coordinate), η (step size); see
:data:`SQ_SYMBOLS`.

>>> exponents = risk_exponents()
>>> round(exponents.numpy(alpha=3.0, beta=1.5)["data-limited"], 6)
-0.222222
>>> round(exponents.numpy(alpha=1.5, beta=2.0)["data-limited"], 6)
-0.5
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import sympy as sp
from scipy.optimize import brentq

from .cache import derivation
from .prediction import Prediction

__all__ = ["SQ_SYMBOLS", "alternative_normalisation", "competing_exponents",
           "effective_dimension", "ground_truth",
           "linear_rate", "lower_bound", "risk_exponents", "risk_proxy", "selection_time",
           "separation", "sgd_scaling_predictions", "time_threshold"]

PAPER = "Ding et al. 2025 (arXiv:2502.09106)"
SHEET = "docs/derivations/sgd-quadratic-scaling.md"

#: The symbols every prediction of this module is written in.
SQ_SYMBOLS = SimpleNamespace(
    alpha=sp.Symbol("alpha", positive=True),   # data spectrum exponent, α > 1
    beta=sp.Symbol("beta", positive=True),     # signal exponent, β > 1
    T=sp.Symbol("T", positive=True),           # samples = one-pass SGD steps
    M=sp.Symbol("M", positive=True),           # model size
    sigma=sp.Symbol("sigma", positive=True),   # label-noise standard deviation
    i=sp.Symbol("i", positive=True),           # coordinate index
    eta=sp.Symbol("eta", positive=True),       # step size
    D=sp.Symbol("D", positive=True),           # a candidate effective dimension
    w=sp.Symbol("w", positive=True),           # one coordinate of w = v^{⊙2}
    w0=sp.Symbol("w0", positive=True),         # its initial value v₀²
    target=sp.Symbol("a", positive=True),      # its Itô-shifted target w* − ηs²
    lam=sp.Symbol("lambda", positive=True),    # its eigenvalue λᵢ
    s2=sp.Symbol("s2", positive=True),         # residual variance s² = E r²
)
_S = SQ_SYMBOLS

# The regimes as substitutions that sympy can reason with: β = α + δ and α = β + δ, δ > 0
# (α = β, where both regimes' formulas agree, is checked by continuity in δ → 0).
_delta = sp.Symbol("delta", positive=True)
_ALPHA_AT_MOST_BETA = {_S.beta: _S.alpha + _delta}
_ALPHA_ABOVE_BETA = {_S.alpha: _S.beta + _delta}
_beta_minus_one = sp.Symbol("b", positive=True)   # β = 1 + b keeps β > 1 visible to sympy


class DerivationError(AssertionError):
    """A derivation step came out different from the formula sheet's."""


def _check(condition, what):
    if not condition:
        raise DerivationError(f"sgd_scaling: {what}")


def _zero(expr) -> bool:
    return sp.simplify(expr) == 0


def _solve_threshold(equation, unknown):
    """The single positive solution of ``equation`` for ``unknown``."""
    solutions = sp.solve(equation, unknown)
    _check(len(solutions) == 1, f"{equation} has solutions {solutions}, not exactly one")
    return sp.powsimp(sp.simplify(solutions[0]), force=True)


def _smaller(first, second):
    """The smaller of two expressions whose difference has a sign sympy can decide."""
    difference = sp.simplify(first - second)
    _check(difference.is_nonnegative or difference.is_nonpositive,
           f"the sign of {difference} cannot be decided")
    return second if difference.is_nonnegative else first


def _t_exponent(expr):
    """The exponent e of expr = c·T^e: the logarithmic derivative T·d(log expr)/dT,
    which must come out free of T (otherwise expr is not a power of T)."""
    exponent = sp.simplify(_S.T * sp.diff(sp.expand_log(sp.log(expr), force=True), _S.T))
    _check(_S.T not in exponent.free_symbols, f"{expr} is not a power of T")
    return exponent


@derivation
def ground_truth() -> Prediction:
    """The ground-truth convention λᵢ(v*ᵢ)⁴ = i^{−β}, with λᵢ = i^{−α}, solved for w*ᵢ = (v*ᵢ)².

    w*ᵢ = i^{(α−β)/2}, v*ᵢ = i^{(α−β)/4}: the signal per coordinate λᵢw*ᵢ² = i^{−β}
    and the Phase-II feature variance λᵢw*ᵢ = i^{−(α+β)/2}.  Why this convention
    (the sheet's §2): it is the only power-law normalisation under which the
    two thresholds come out as T^{1/β} and T^{2/(α+β)} (see
    :func:`effective_dimension` and :func:`alternative_normalisation`) and
    the two TL;DR rates are reproduced; it is the source condition of the
    linear scaling-law papers (λᵢ E w*ᵢ² ≍ i^{−b}).  When α > β, w*ᵢ grows with i
    while the signal still decays.
    """
    i, a, b, w = _S.i, _S.alpha, _S.beta, _S.w
    eigenvalue = i ** -a
    truth = _solve_threshold(sp.Eq(eigenvalue * w ** 2, i ** -b), w)
    _check(_zero(truth - i ** ((a - b) / 2)), f"w* came out as {truth}")
    return Prediction(
        "ground truth under λᵢ(v*ᵢ)⁴ = i^(−β)",
        {"eigenvalue": eigenvalue, "w*": truth, "v*": sp.sqrt(truth),
         "signal": sp.powsimp(eigenvalue * truth ** 2, force=True),
         "feature variance": sp.powsimp(eigenvalue * truth, force=True)},
        (a, b, i), f"{SHEET} §2 (the paper's Assumption 3.3 is not available)", "reconstructed",
        f"sympy.solve(λᵢ w² = i^(−β), w > 0) with λᵢ = i^(−α) gives w* = {truth}; "
        "λᵢ w*ᵢ = i^(−(α+β)/2) is the variance of the rescaled feature 2v*ᵢxᵢ/2 that Phase II "
        "fits (the 'adaptive rescale size v*' of the summary, §5.2).",
        conditions="α > 1 (tr H < ∞), β > 1 (finite signal)")


@derivation
def effective_dimension() -> Prediction:
    """SQ-1: the two thresholds behind D and D ≍ min{T^{1/max{β,(α+β)/2}}, M}.

    Under the mean dynamics v̇ᵢ = −2λᵢvᵢ(vᵢ² − w*ᵢ), coordinate i grows like
    exp(4ηλᵢw*ᵢ t): it is reached by T steps when T·λᵢw*ᵢ ≳ 1 (time threshold,
    logs and η hidden).  Its signal beats the SGD noise when T·λᵢw*ᵢ² ≳ σ²
    (statistical threshold).  Solving each equality for i gives the two
    thresholds; D is the smaller, capped by M, and the smaller power of T is
    the one with the smaller exponent: 1/max{β, (α+β)/2}.
    """
    i, T, sigma, M = _S.i, _S.T, _S.sigma, _S.M
    a, b = _S.alpha, _S.beta
    truth = ground_truth()
    feature, signal = truth.expr["feature variance"], truth.expr["signal"]
    time = _solve_threshold(sp.Eq(T * feature, 1), i)
    statistical = _solve_threshold(sp.Eq(T * signal, sigma ** 2), i)
    kappa = sp.Max(b, (a + b) / 2)
    exponent = 1 / kappa
    # the exponent of min{time, statistical} in T, regime by regime
    for regime, binding in ((_ALPHA_AT_MOST_BETA, statistical), (_ALPHA_ABOVE_BETA, time)):
        e_time, e_stat = (_t_exponent(expr.subs(regime)) for expr in (time, statistical))
        smaller = _smaller(e_time, e_stat)
        _check(_zero(smaller - _t_exponent(binding.subs(regime))),
               f"the binding threshold in regime {regime} is not {binding}")
        _check(_zero(smaller - exponent.subs(regime)), f"1/κ disagrees in regime {regime}")
    dimension = sp.Min(time, statistical, M)
    return Prediction(
        "effective dimension D and its two thresholds",
        {"time threshold": time, "statistical threshold": statistical, "D": dimension,
         "exponent": exponent, "kappa": kappa},
        (a, b, T, M, sigma), f"{PAPER}, §4 as quoted by the summary; thresholds: {SHEET} §4",
        "summary",
        f"Time threshold: sympy.solve(T·λᵢw*ᵢ = 1, i) = {time}. Statistical threshold: "
        f"sympy.solve(T·λᵢw*ᵢ² = σ², i) = {statistical}. With β = α + δ (δ > 0) the statistical "
        "one has the smaller T-exponent (1/β), with α = β + δ the time one (2/(α+β)); both equal "
        "1/max{β, (α+β)/2} (the T-exponents from the logarithmic derivative T·d log/dT, in each regime).",
        conditions="≍ up to constants and log factors; D = M when M ≤ T^(1/κ) (model-limited)")


@derivation
def alternative_normalisation() -> Prediction:
    """Why not (v*ᵢ)² = w*ᵢ ≍ i^{−β}: then both thresholds are single powers,
    T^{1/(α+β)} and T^{1/(α+2β)}, the second always binds, and D ≍ T^{1/(α+2β)}
    has no α ≤ β / α > β split (the sheet's §2)."""
    i, T, a, b = _S.i, _S.T, _S.alpha, _S.beta
    truth = i ** -b
    time = _solve_threshold(sp.Eq(T * i ** -a * truth, 1), i)
    statistical = _solve_threshold(sp.Eq(T * i ** -a * truth ** 2, 1), i)
    gap = _t_exponent(time) - _t_exponent(statistical)
    _check(sp.simplify(gap).is_positive, f"the exponent gap {gap} is not positive")
    return Prediction(
        "effective dimension under the rejected normalisation w*ᵢ = i^(−β)",
        {"time threshold": time, "statistical threshold": statistical,
         "exponent": _t_exponent(statistical)},
        (a, b, T), f"{SHEET} §2 ('the alternative … would give D ≍ T^(1/(α+2β))')",
        "reconstructed",
        f"Same two equations with w*ᵢ = i^(−β): T-exponent gap time − statistical = "
        f"{sp.simplify(gap)} > 0 for every α, β > 0, so the statistical threshold always binds.")


def _bias(dimension):
    """½Σ_{i>D} i^{−β} ≈ ∫_D^∞ i^{−β} di = D^{1−β}/(β−1) (halving is a constant)."""
    b = _beta_minus_one
    integral = sp.integrate(_S.i ** -(1 + b), (_S.i, dimension, sp.oo))
    return sp.simplify(integral.subs(b, _S.beta - 1))


@derivation
def risk_exponents() -> Prediction:
    """SQ-2: excess risk ≍ M^{1−β} + T^{−(β−1)/max{β,(α+β)/2}}, regime by regime.

    The risk is bias + variance with D learned coordinates: D^{1−β}/(β−1) (the
    tail of the signal) + σ²D/T.  Model-limited (D = M ≤ T^{1/κ}): M^{1−β}.
    Data-limited (D = T^{1/κ}): T^{max{(1−β)/κ, 1/κ − 1}}; for α ≤ β the two
    exponents are equal (bias and variance balance), for α > β the bias one is
    larger (the variance is smaller), giving −(β−1)/β and −2(β−1)/(α+β).
    """
    a, b, T, M = _S.alpha, _S.beta, _S.T, _S.M
    kappa = effective_dimension().expr["kappa"]
    bias_m = _bias(M)
    _check(_zero(bias_m - M ** (1 - b) / (b - 1)), f"the tail integral came out as {bias_m}")
    per_regime = {}
    for name, regime, back, expected in (
            ("α ≤ β", _ALPHA_AT_MOST_BETA, {_delta: b - a}, -(b - 1) / b),
            ("α > β", _ALPHA_ABOVE_BETA, {_delta: a - b}, -2 * (b - 1) / (a + b))):
        e = (1 / kappa).subs(regime)
        dimension = T ** e
        bias = _t_exponent(_bias(dimension).subs(b, 1 + _beta_minus_one))
        variance = _t_exponent(_S.sigma ** 2 * dimension / T)
        bias, variance = (sp.simplify(x.subs(_beta_minus_one, b - 1)) for x in (bias, variance))
        dominant = -_smaller(-bias.subs(regime), -variance.subs(regime))   # the slower decay
        _check(_zero(dominant - expected.subs(regime)), f"the rate in regime {name} is {dominant}")
        per_regime[name] = tuple(sp.simplify(x.subs(back)) for x in (bias, variance))
    data_limited = -(b - 1) / kappa
    return Prediction(
        "excess-risk exponents of the quadratic model",
        {"model-limited": 1 - b, "data-limited": data_limited,
         "data-limited α ≤ β": -(b - 1) / b, "data-limited α > β": -2 * (b - 1) / (a + b)},
        (a, b), f"{PAPER}: the rates of the TL;DR (aggregator) and the summary's §4; {SHEET} §5",
        "summary",
        f"Bias ∫_D^∞ i^(−β) di = {bias_m.subs(M, _S.D)} (sympy.integrate); variance σ²D/T. "
        "With D = T^(1/κ): "
        + "; ".join(f"{name}: bias exponent {e_b}, variance exponent {e_v}"
                    for name, (e_b, e_v) in per_regime.items())
        + " (T-exponents by T·d log/dT; with β = α + δ they coincide, with α = β + δ the bias one "
          "is the larger, by (α − β)/(α + β)). Model-limited: D = M gives M^(1−β) and "
          "σ²M/T ≤ M^(1−β) because M^β ≤ T.",
        conditions="Õ: polylog(T) factors hidden; model-limited iff M ≤ T^(1/κ)")


@derivation
def linear_rate() -> Prediction:
    """SQ-3: linear SGD, T^{−(β−1)/max{α,β}}.

    With step η ≲ 1 linear SGD fits the coordinates with ηTλᵢ ≳ 1, i.e.
    k ≤ T^{1/α}; the bias–variance optimum k^{1−β}/(β−1) + σ²k/T is at
    k = (T/σ²)^{1/β}, reachable (by a smaller, tuned η) iff T^{1/β} ≤ T^{1/α},
    i.e. α ≤ β.  So D_lin = min{T^{1/α}, T^{1/β}} and the rate is D_lin^{1−β}.
    """
    a, b, T, k = _S.alpha, _S.beta, _S.T, _S.D
    proxy = _bias(k) + _S.sigma ** 2 * k / T
    optimum = _solve_threshold(sp.Eq(sp.diff(proxy, k), 0), k)
    reachable = _solve_threshold(sp.Eq(T * k ** -a, 1), k)
    for regime, binding in ((_ALPHA_AT_MOST_BETA, optimum), (_ALPHA_ABOVE_BETA, reachable)):
        exponents = [_t_exponent(x.subs(regime)) for x in (optimum, reachable)]
        _check(_zero(_smaller(*exponents) - _t_exponent(binding.subs(regime))),
               f"the binding constraint of linear SGD in regime {regime} is not {binding}")
    exponent = -(b - 1) / sp.Max(a, b)
    return Prediction(
        "excess-risk exponent of linear one-pass SGD",
        {"optimal dimension": optimum, "reachable dimension": reachable, "rate": exponent},
        (a, b, T, _S.sigma),
        f"{SHEET} §6, after Lin et al. 2024 (the paper's exact linear baseline is not available)",
        "reconstructed",
        f"Minimising k^(1−β)/(β−1) + σ²k/T over k: sympy.solve(d/dk = 0) = {optimum}; the largest "
        f"k reachable with η ≤ 1: sympy.solve(T·k^(−α) = 1) = {reachable}; the smaller binds "
        "(the optimum when α ≤ β, the reachable one when α > β), so D_lin = min{T^(1/α), T^(1/β)} "
        "and the rate D_lin^(1−β) = T^(−(β−1)/max{α,β}).",
        conditions="step size tuned (η ≍ T^(α/β−1) when α < β); Θ̃: log factors hidden")


@derivation
def lower_bound() -> Prediction:
    """SQ-3: the information-theoretic rate min_D (σ²D/T + D^{1−β}/(β−1)) ≍ T^{−(β−1)/β}."""
    b, T, k = _S.beta, _S.T, _S.D
    proxy = _bias(k) + _S.sigma ** 2 * k / T
    optimum = _solve_threshold(sp.Eq(sp.diff(proxy, k), 0), k)
    value = sp.simplify(proxy.subs(k, optimum))
    exponent = _t_exponent(value.subs(b, 1 + _beta_minus_one)).subs(_beta_minus_one, b - 1)
    _check(_zero(exponent + (b - 1) / b), f"the lower-bound exponent came out as {exponent}")
    return Prediction(
        "information-theoretic rate", {"optimal dimension": optimum, "value": value,
                                       "rate": sp.simplify(exponent)},
        (b, T, _S.sigma), f"{SHEET} §6 (the paper's lower-bound theorem is not available)",
        "reconstructed",
        f"The projection-estimator bound over the class λᵢwᵢ² ≲ i^(−β): "
        f"sympy.solve(d/dD (σ²D/T + D^(1−β)/(β−1)) = 0) = {optimum}; the minimum {value} "
        f"≍ T^({sp.simplify(exponent)}) (T-exponent by T·d log/dT).",
        conditions="any parameterisation and algorithm; plus M^(1−β) when restricted to M coordinates")


@derivation
def separation() -> Prediction:
    """SQ-3: quadratic minus linear rate exponent (as decay rates, positive = quadratic faster).

    α > β: 2(β−1)/(α+β) − (β−1)/α = (β−1)(α−β)/(α(α+β)) > 0; α ≤ β: 0 (both are
    (β−1)/β, the information-theoretic rate).
    """
    a, b = _S.alpha, _S.beta
    quadratic = -risk_exponents().expr["data-limited"]
    linear = -linear_rate().expr["rate"]
    optimal = -lower_bound().expr["rate"]
    above = sp.factor(sp.simplify((quadratic - linear).subs(_ALPHA_ABOVE_BETA)))
    _check(_zero(above - (b - 1) * _delta / ((b + _delta) * (2 * b + _delta))),
           f"the α > β gap came out as {above}")
    for target in (quadratic, linear):
        _check(_zero((target - optimal).subs(_ALPHA_AT_MOST_BETA)),
               "a rate differs from the information-theoretic one when α ≤ β")
    gap = sp.Piecewise((0, a <= b), ((b - 1) * (a - b) / (a * (a + b)), True))
    return Prediction(
        "rate gap quadratic − linear", {"gap": gap, "quadratic rate": quadratic,
                                        "linear rate": linear, "optimal rate": optimal},
        (a, b), f"{PAPER}, abstract ('explicit separations'); {SHEET} §6", "reconstructed",
        f"With α = β + δ: quadratic − linear = {above} > 0 (sympy.factor); with β = α + δ both rates "
        "equal the information-theoretic (β−1)/β.")


@derivation
def competing_exponents() -> Prediction:
    """Each SQ law's exponent and its nearest competitor: the exponent the threshold
    that does *not* bind would give ("… other").

    D = min{T^{2/(α+β)}, T^{1/β}, M} has T-exponent the smaller of the two; the other is
    the larger (they meet at α = β).  The quadratic model's data-limited risk is
    D^{1−β}, so its competitor is (1 − β)·(the other D exponent); linear SGD's D_lin =
    min{T^{1/α}, T^{1/β}} likewise.  The claims (SQ-1, SQ-2, SQ-3) test the binding
    exponent against its competitor.
    """
    b = _S.beta
    d, linear = effective_dimension().expr, linear_rate().expr
    other = sp.Max(*(_t_exponent(d[key]) for key in ("time threshold", "statistical threshold")))
    linear_other = sp.Max(*(_t_exponent(linear[key])
                            for key in ("optimal dimension", "reachable dimension")))
    risk = risk_exponents().expr
    return Prediction(
        "the exponent of each law and of its competing threshold",
        {"dimension": d["exponent"], "dimension other": other,
         "risk": risk["data-limited"], "risk other": (1 - b) * other,
         "linear": linear["rate"], "linear other": (1 - b) * linear_other,
         "lower bound": lower_bound().expr["rate"], "model size": risk["model-limited"]},
        (_S.alpha, b), f"{SHEET} §4–§6", "reconstructed",
        "The T-exponents of both thresholds of D and of both constraints of linear SGD "
        "(T·d log/dT); the binding one is the smaller (D is a minimum), the competitor the "
        "larger; risks are (1 − β) times a dimension exponent.",
        conditions="≍ up to constants and log factors (finite T sits between the two)")


@derivation
def risk_proxy() -> Prediction:
    """The bias + variance proxy R(D) = D^{1−β}/(β−1) + σ²D/T and each model's constraint.

    The quadratic model can fit D ≤ T^{2/(α+β)} coordinates (time threshold)
    and at most M; the linear one D ≤ T^{1/α}; the information-theoretic
    bound is unconstrained.  Minimising R over the allowed D gives the three
    rates (checked numerically in the ``sq_rates`` formula view).
    """
    a, b, T, k, M = _S.alpha, _S.beta, _S.T, _S.D, _S.M
    thresholds = effective_dimension().expr
    return Prediction(
        "bias + variance proxy and the dimensions each model can reach",
        {"proxy": _bias(k) + _S.sigma ** 2 * k / T,
         "quadratic reach": sp.Min(thresholds["time threshold"], M),
         "linear reach": sp.Min(T ** (1 / a), M)},
        (a, b, T, M, _S.sigma, k), f"{SHEET} §5–§6", "reconstructed",
        "bias: sympy.integrate of i^(−β) over (D, ∞); variance σ²D/T; reach: the time "
        "threshold (quadratic) and ηTλ_D ≥ 1 with η ≤ 1 (linear).")


@derivation
def selection_time() -> Prediction:
    """SQ-4: the adaptation phase of one coordinate.

    A step multiplies wᵢ = vᵢ² by (1 − u)², u = 2ηr xᵢ.  With E[r xᵢ] = λᵢ(wᵢ − w*ᵢ) and
    E[r² xᵢ²] ≈ λᵢs² (s² = E r², the residual variance), the second-order
    expansion 2log(1 − u) = −2u − u² + O(u³) gives the mean drift of log wᵢ per step

        4ηλᵢ(aᵢ − wᵢ),   aᵢ = w*ᵢ − ηs²   (the Itô shift of the multiplicative noise),

    the logistic equation ẇ = 4ηλw(a − w).  Integrating dt = dw/(4ηλw(a − w)) from
    w₀ gives t(w) = ln(w(a − w₀)/(w₀(a − w)))/(4ηλa): the half time t(a/2) =
    ln((a − w₀)/w₀)/(4ηλa), and the time to half the truth t(w*/2) (the selection
    criterion the claims measure; it exists while a > w*/2).  A coordinate with
    aᵢ ≤ w₀ is never selected at this step size (noise-driven suppression).
    """
    w, w0, target, lam, eta, s2 = _S.w, _S.w0, _S.target, _S.lam, _S.eta, _S.s2
    u, e = sp.Symbol("u"), sp.Symbol("e", real=True)    # u = 2ηr xᵢ, e = wᵢ − w*ᵢ
    expansion = sp.series(2 * sp.log(1 - u), u, 0, 3).removeO()
    mean_u, mean_u2 = 2 * eta * lam * e, 4 * eta ** 2 * lam * s2
    drift = sp.expand(expansion.subs(u ** 2, mean_u2).subs(u, mean_u))
    truth = sp.Symbol("w_star", positive=True)
    _check(_zero(drift.subs(e, w - truth) - 4 * eta * lam * (truth - eta * s2 - w)),
           f"the drift of log w came out as {drift}")
    # t(w) = ∫_{w₀}^{w} dx/(4ηλx(a − x)) for w₀ < w < a, by partial fractions; checked by
    # differentiation (t′ = the integrand, t(w₀) = 0), which avoids the logarithms' branches
    time_to = sp.log(w * (target - w0) / (w0 * (target - w))) / (4 * eta * lam * target)
    _check(_zero(sp.diff(time_to, w) - 1 / (4 * eta * lam * w * (target - w)))
           and _zero(time_to.subs(w, w0)), f"t(w) = {time_to} does not solve the logistic equation")
    half = sp.simplify(time_to.subs(w, target / 2))
    _check(_zero(sp.expand_log(half - sp.log((target - w0) / w0) / (4 * eta * lam * target),
                               force=True)), f"the half time came out as {half}")
    return Prediction(
        "selection time of one coordinate in Phase I",
        {"half time": half, "time to half the truth": time_to.subs(w, truth / 2),
         "target": truth - eta * s2,
         "trajectory": target / (1 + (target / w0 - 1) * sp.exp(-4 * eta * lam * target * _S.T))},
        (target, w0, lam, eta, truth, s2, _S.T),
        f"{SHEET} §4 (mean dynamics v̇ᵢ = −2λᵢvᵢ(vᵢ² − w*ᵢ)); the Itô shift is derived here",
        "reconstructed",
        f"sympy.series(2 log(1 − u), u, 0, 3) with E u = 2ηλ(w − w*), E u² = 4η²λs²: drift of log w "
        f"= 4ηλ(w* − ηs² − w); its logistic solution reaches w after t(w) = {time_to} steps "
        "(checked by sympy.diff against 1/(4ηλw(a − w)) and t(w₀) = 0): t(a/2) is the half "
        "time, t(w*/2) the time to half the truth (defined while a > w*/2). The trajectory is "
        "the logistic solution at step T (T counts steps here).",
        conditions="w₀ < a; valid while ηλᵢ ≪ 1 and the residual variance s² is roughly constant")


def time_threshold(alpha, beta, eta, w0, sigma, horizon) -> float:
    """The time threshold with its log factor at step size η and initial value w₀: the
    (real) coordinate index D whose selection time t(w*/2) (:func:`selection_time`, with
    s² = σ²) is the Phase-I length T/2; nan when not even coordinate 1 is selected by then.

    >>> d = time_threshold(3.0, 1.5, 0.01, 1e-3, 1.0, 1e5)
    >>> round(float(selection_time().part("time to half the truth").numpy(
    ...     a=d ** 0.75 - 0.01, w0=1e-3, **{"lambda": d ** -3}, eta=0.01, w_star=d ** 0.75,
    ...     s2=1.0, T=0.0)))
    50000
    """
    crossing = selection_time().part("time to half the truth")

    def excess(log_d):
        d = math.exp(log_d)
        lam, truth = d ** -alpha, d ** ((alpha - beta) / 2)
        target = truth - eta * sigma ** 2
        if target <= truth / 2:
            return 1.0                    # never reaches w*/2: beyond the threshold
        t = crossing.numpy(a=target, w0=w0, **{"lambda": lam}, eta=eta, w_star=truth,
                           s2=sigma ** 2, T=0.0)
        return math.log(t) - math.log(horizon / 2)

    return math.nan if excess(0.0) > 0 else math.exp(brentq(excess, 0.0, 40.0, xtol=1e-12))


def sgd_scaling_predictions() -> dict:
    """All predictions of this module, keyed by claim id (``docs/claims.md``, SQ-1 … SQ-5)."""
    return {
        "SQ-1": (ground_truth(), effective_dimension(), alternative_normalisation(),
                 competing_exponents()),
        "SQ-2": (risk_exponents(), risk_proxy()),
        "SQ-3": (linear_rate(), lower_bound(), separation()),
        "SQ-4": (selection_time(),),
        "SQ-5": (risk_exponents(),),
    }

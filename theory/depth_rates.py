"""Depth and the rate of implicit ℓ1 regularisation (Matt & Stöger 2025, arXiv:2506.01143).

Only the abstract of the paper is available; every formula beyond it is the
reconstruction of ``docs/derivations/stoger-matt-depth-rates.md`` (cited as
"sheet §k"), re-derived here with sympy:

* :func:`alpha_convention` — the end-to-end scale α (each branch u^{⊙D}
  starts at α, the factors at α^{1/D}) and the per-factor scale α₀ (the
  factors start at α₀, Woodworth et al.'s convention): α = α₀^D (sheet §2);
* :func:`gap_rate` — ‖β_α − β_ℓ1‖ ≍ α^{r_D} with r_D = 1 for D ≥ 3 and
  r₂ = 1 − ρ (abstract; the exponent in α₀ is D·r_D);
* :func:`example_certificate_constant` — ρ as the smallest off-support sup-norm of a
  dual certificate and, by LP duality, its null-space form (sheet §4), both
  solved in closed form on the example A = [1, c];
* :func:`limit_constant_problem` — the D ≥ 3 limit constant
  e* = lim (β_α − β_ℓ1)/α as a convex problem over ker A and its dual
  (sheet §6), solved on the example: e* = h_D(c)·(−c, 1);
* :func:`example_error` — the exact asymptotics of the flow limit on
  A = [1, c], y = 1 (0 < c < 1), derived from the closed-form limit
  x = α·φ_D(Aᵀμ) (sheet §3): ‖x_α − x_ℓ1‖₁ = (1+c)·α^{1−c}·(1 − c²α^{1−c} −
  α^{2c} + …) at depth 2 and (1+c)·h_D(c)·α·(1 − c·h_D'(c)/h_D(c)·α^{1−2/D} + …)
  at depth D ≥ 3;
* :func:`depth_rate_predictions` lists them by claim id.

>>> gap_rate(2).expr
1 - rho
>>> S = DEPTH_SYMBOLS
>>> leading = example_error(3).part("leading").expr
>>> sp.simplify(leading - (1 + S.c) * ((1 - S.c) ** -3 - (1 + S.c) ** -3) * S.alpha)
0
"""

from __future__ import annotations

from types import SimpleNamespace

import sympy as sp

from .potentials import h_D
from .cache import derivation
from .prediction import Prediction

__all__ = ["DEPTH_SYMBOLS", "alpha_convention", "gap_rate", "example_certificate_constant",
           "limit_constant_problem", "example_error", "depth_rate_predictions"]

PAPER = "Matt & Stöger 2025 (arXiv:2506.01143)"
SHEET = "docs/derivations/stoger-matt-depth-rates.md"

#: The symbols of this module.
DEPTH_SYMBOLS = SimpleNamespace(
    alpha=sp.Symbol("alpha", positive=True),    # end-to-end initialisation scale
    alpha0=sp.Symbol("alpha_0", positive=True),  # per-factor initialisation scale
    D=sp.Symbol("D", positive=True),            # depth
    rho=sp.Symbol("rho", nonnegative=True),     # the certificate constant ρ ∈ [0, 1)
    c=sp.Symbol("c", positive=True),            # the example A = [1, c], 0 < c < 1
    mu=sp.Symbol("mu", real=True),              # dual variable
    t=sp.Symbol("t", real=True),                # coordinate along ker A
)
_S = DEPTH_SYMBOLS


def _check(condition, what):
    if not bool(condition):
        raise ArithmeticError(f"derivation failed: {what}")


def _depth(D):
    if isinstance(D, sp.Symbol):
        return D
    if int(D) != D or D < 2:
        raise ValueError(f"depth D = {D!r} must be an integer ≥ 2")
    return int(D)


@derivation
def alpha_convention() -> Prediction:
    """α (end-to-end) in terms of α₀ (per-factor): u(0) = α^{1/D}𝟙 = α₀𝟙 ⇒ α = α₀^D.

    The branch u^{⊙D} − v^{⊙D} starts at α either way; the closed-form limit
    x = α·φ_D(Aᵀμ) (sheet §3) depends on α only, so every statement in α
    holds in α₀ with α replaced by α₀^D (rates multiply by D).
    """
    a, a0, D = _S.alpha, _S.alpha0, _S.D
    branch_scale = sp.expand_power_base((a ** (1 / D)) ** D, force=True)
    _check(sp.simplify(branch_scale - a) == 0, "α^{1/D} to the power D is not α")
    return Prediction("end-to-end scale α from the per-factor scale α₀", {
        "alpha": a0 ** D, "per-factor initial weight": a ** (1 / D)}, (a0, a, D),
        f"{SHEET} §2 (the paper's convention is not available)", "reconstructed",
        "A factor started at α^{1/D} gives a branch (α^{1/D})^D = α at t = 0 "
        "(sympy: expand_power_base); with the factors at α₀ the branch starts at α₀^D.",
        conditions="D ≥ 2; the toolkit's SM claims use the end-to-end α "
                   "(numerics.dln_limit(..., convention='end_to_end'))")


@derivation
def gap_rate(D=_S.D, convention="end_to_end") -> Prediction:
    """The exponent r in ‖β_α − β_ℓ1‖ ≍ α^r (abstract): 1 for D ≥ 3, 1 − ρ for D = 2.

    ``convention="per_factor"`` gives the exponent in α₀ (α = α₀^D): D·r.
    """
    if convention not in ("end_to_end", "per_factor"):
        raise ValueError("convention must be 'end_to_end' or 'per_factor'")
    D = _depth(D)
    if isinstance(D, sp.Symbol):
        rate = sp.Piecewise((1 - _S.rho, sp.Eq(D, 2)), (1, True))
    else:
        rate = 1 - _S.rho if D == 2 else sp.Integer(1)
    how = ("stated in the abstract for the end-to-end scale (the only convention under which "
           "both rates hold as stated, sheet §2)")
    if convention == "per_factor":
        # ‖gap‖ ≍ α^r with α = α₀^D: the exponent in α₀ is D·r
        rate = sp.expand(rate * (D if not isinstance(D, sp.Symbol) else _S.D))
        how += "; in α₀: substitute α = α₀^D (alpha_convention), exponent D·r"
    symbols = (_S.rho,) + ((D,) if isinstance(D, sp.Symbol) else ())
    return Prediction(f"exponent of ‖β_α − β_ℓ1‖ in {'α' if convention == 'end_to_end' else 'α₀'}"
                      + ("" if isinstance(D, sp.Symbol) else f", D = {D}"), rate, symbols,
                      f"{PAPER}, abstract", "paper", how,
                      conditions="α → 0⁺; unique ℓ1 interpolant (ρ < 1, A_S injective); "
                                 "ρ ∈ [0, 1) as in example_certificate_constant")


@derivation
def example_certificate_constant() -> Prediction:
    """ρ on the example A = [1, c], y = 1 (x_ℓ1 = e₁, S = {1}, s = +1), both forms.

    Certificate form: ρ = min{|ν₂| : ν = Aᵀμ, ν₁ = 1} — the constraint fixes
    μ = 1, so ρ = |c|.  Null-space form: ρ = max_{h ∈ ker A} ⟨−s, h_S⟩/‖h_{Sᶜ}‖₁
    with ker A = span{(−c, 1)}: h = t(−c, 1) gives c·t/|t|, maximal (= c) at
    t > 0.  sympy solves both and checks that they agree (LP duality, sheet §4).
    """
    c, mu, t = _S.c, _S.mu, _S.t
    A = sp.Matrix([[1, c]])
    [mu_star] = sp.solve(sp.Eq((A.T * sp.Matrix([mu]))[0], 1), mu)
    primal = sp.Abs((A.T * sp.Matrix([mu_star]))[1])
    kernel = A.nullspace()[0]                      # (−c, 1)
    h = t * kernel
    ratio = sp.simplify(-h[0] / sp.Abs(h[1]))      # ⟨−s, h_S⟩/‖h_{Sᶜ}‖₁, s = +1
    dual = sp.Max(ratio.subs(t, 1), ratio.subs(t, -1))   # the ratio is constant in |t|
    _check(sp.simplify(primal - dual) == 0, f"certificate form {primal} ≠ null-space form {dual}")
    return Prediction("ρ on the example A = [1, c]", {
        "certificate form": primal, "null-space form": dual}, (c,),
        f"{SHEET} §4–§5 (reconstructed; the paper's definition is not available)",
        "reconstructed",
        "General definition: ρ = min{‖(Aᵀμ)_{Sᶜ}‖∞ : A_Sᵀμ = sgn x_ℓ1,S} "
        "= max_{h ∈ ker A∖0} ⟨−sgn x_ℓ1,S, h_S⟩/‖h_{Sᶜ}‖₁ (LP duality: dualise A_Sᵀμ = s "
        "with multiplier λ and ‖w‖∞ = max_{‖g‖₁≤1}⟨g, w⟩; h = (−λ, g) ∈ ker A). On "
        f"A = [1, c]: ν₁ = 1 forces μ = {mu_star}, so ρ = {primal}; ker A = span{tuple(kernel)} "
        f"gives the ratio {ratio} for h = t·(−c, 1), maximal at t > 0.",
        conditions="0 < c < 1 (then x_ℓ1 = e₁ is the unique ℓ1 interpolant and ρ = c < 1)")


@derivation
def limit_constant_problem(D: int) -> Prediction:
    """e* = argmin_{h ∈ ker A} ⟨s, h_S⟩ + Σ_{i∉S} H_D(hᵢ) (H_D' = h_D⁻¹), on A = [1, c].

    With h = t(−c, 1) the objective is −c·t + H_D(t); its stationarity
    condition h_D⁻¹(t) = c gives t = h_D(c) (h_D is increasing), hence
    e* = h_D(c)·(−c, 1) and ‖e*‖₁ = (1 + c)·h_D(c).  The dual of the general
    problem — min Σ_{i∉S} G_D((Aᵀμ)ᵢ) s.t. A_Sᵀμ = s, G_D' = h_D — is what
    numerics.null_space.depth_limit_constant solves; on the example its
    constraint fixes μ = 1 and ν₂ = c, the same answer.
    """
    D = _depth(D)
    if isinstance(D, sp.Symbol) or D < 3:
        raise ValueError("the limit constant e* is defined for integer D ≥ 3")
    c, t = _S.c, _S.t
    h_inverse = sp.Function("h_D_inverse")
    objective = -c * t + sp.Integral(h_inverse(t), t)        # ⟨s, h_S⟩ + H_D(h₂), s = +1
    stationarity = sp.diff(objective, t)                      # h_D⁻¹(t) − c
    _check(sp.simplify(stationarity - (h_inverse(t) - c)) == 0, "stationarity")
    # h_D⁻¹(t) = c  ⇔  t = h_D(c): apply the increasing h_D to both sides
    t_star = h_D(D, c)
    e_star = sp.Matrix([-c * t_star, t_star])
    _check(sp.simplify((sp.Matrix([[1, c]]) * e_star)[0]) == 0, "e* ∉ ker A")
    # h_D is odd and increasing, so t* = h_D(c) > 0 for c > 0: ‖e*‖₁ = c·t* + t*
    _check(t_star.subs(c, sp.Rational(1, 2)) > 0 and sp.diff(h_D(D, t), t).subs(t, 0) > 0,
           "h_D(c) > 0 on (0, 1)")
    return Prediction(f"limit constant e* on A = [1, c], D = {D}", {
        "e*_1": e_star[0], "e*_2": e_star[1], "‖e*‖₁": (1 + c) * t_star}, (c,),
        f"{SHEET} §6 (reconstructed)", "reconstructed",
        "Expansion of the potential Σ α H_D(xᵢ/α) at x = x_ℓ1 + α e (H_D(t) = |t| − "
        "(D/2)|t|^{2/D} + O(1)) leaves ⟨s, e_S⟩ + Σ_{i∉S} H_D(eᵢ) at order α; on ker A = "
        f"span(−c, 1) its stationarity condition is {stationarity} = 0, so t* = h_D(c).",
        conditions="0 < c < 1; blows up like (1 − c)^{−D/(D−2)} as c = ρ → 1")


@derivation
def example_error(D: int) -> Prediction:
    """‖x_α − x_ℓ1‖₁ on A = [1, c], y = 1, 0 < c < 1: leading term and first corrections.

    The closed-form limit (sheet §3) is x = α·(φ(μ), φ(cμ)) with φ = 2 sinh
    (D = 2) or h_D (D ≥ 3) and x₁ + c·x₂ = 1, so ‖x − e₁‖₁ = (1 + c)·x₂ exactly
    (x₁ − 1 = −c·x₂).  Write b = 1 − c·x₂ for the first coordinate.

    D = 2: e^μ = (b + √(b² + 4α²))/(2α) solves 2α·sinh μ = b, so
    x₂ = α^{1−c}b^c − α^{1+c}b^{−c} + O(α^{3−c}); with b = 1 − c·x₂ the ratio
    R = x₂/α^{1−c} = 1 − c²α^{1−c} − α^{2c} + (higher powers of α^{1−c}, α^{2c}).

    D ≥ 3 (k = D/(D−2)): α·h_D(μ) = b gives 1 − μ = (α/b)^{1/k}(1 + O(α)), and
    x₂/α = h_D(c·μ) = h_D(c) − c·h_D'(c)·(1 − μ) + …, so
    R = x₂/(α·h_D(c)) = 1 − c·h_D'(c)/h_D(c)·α^{1−2/D} + O(α^{2−4/D}) + O(α).

    Parts: ``leading`` (the error's leading term), ``ratio`` (R to first
    order), ``correction exponent`` (the exponent of R − 1's leading term).
    """
    D = _depth(D)
    if isinstance(D, sp.Symbol):
        raise ValueError("example_error needs an integer depth")
    a, c = _S.alpha, _S.c
    eps = sp.Symbol("epsilon", positive=True)       # bookkeeping for the small quantities
    if D == 2:
        u, w = sp.Symbol("u", positive=True), sp.Symbol("w", positive=True)   # α^{1−c}, α^{2c}
        R = sp.Symbol("R")
        b = 1 - c * u * R                     # b = 1 − c·x₂, x₂ = u·R
        # x₂ = α^{1−c}·b^c − α^{1+c}·b^{−c}  ⇒  R = b^c − w·b^{−c}
        fixed_point = b ** c - w * b ** (-c)
        ratio = sp.Integer(1)
        for _ in range(2):                    # two fixed-point sweeps fix the first order
            ratio = sp.series(fixed_point.subs(R, ratio).subs({u: eps * u, w: eps * w}), eps, 0, 2)
            ratio = ratio.removeO().subs(eps, 1)
        ratio = sp.expand(ratio)
        _check(sp.simplify(ratio - (1 - c ** 2 * u - w)) == 0, f"depth-2 ratio {ratio}")
        ratio = ratio.subs({u: a ** (1 - c), w: a ** (2 * c)})
        leading = (1 + c) * a ** (1 - c)
        exponent = sp.Min(1 - c, 2 * c)
        how = ("x₂ = α(E^c − E^{−c}) with E = e^μ = (b + √(b² + 4α²))/(2α) = (b/α)(1 + O(α²)); "
               "in u = α^{1−c}, w = α^{2c} the ratio R = x₂/u solves R = b^c − w·b^{−c}, "
               "b = 1 − c·u·R; two fixed-point sweeps, series to first order in (u, w): "
               f"R = {ratio}.")
    else:
        k = sp.Rational(D, D - 2)
        delta = sp.Symbol("delta", positive=True)      # 1 − μ = α^{1/k}·(1 + O(α))
        hD = sp.Lambda(_S.t, h_D(D, _S.t))
        x2_over_alpha = sp.series(hD(c * (1 - eps * delta)), eps, 0, 2).removeO().subs(eps, 1)
        ratio = sp.expand(sp.simplify(x2_over_alpha / hD(c)))
        check = 1 - c * sp.diff(hD(_S.t), _S.t).subs(_S.t, c) / hD(c) * delta
        _check(sp.simplify(ratio - check) == 0, f"depth-{D} ratio {ratio}")
        ratio = 1 - sp.simplify(c * sp.diff(hD(_S.t), _S.t).subs(_S.t, c) / hD(c)) * a ** (1 / k)
        leading = (1 + c) * hD(c) * a
        exponent = 1 / k
        how = (f"α·h_{D}(μ) = b = 1 − c·x₂ with μ → 1: (1 − μ)^{{−{k}}} = (b/α)(1 + O(α)), so "
               f"1 − μ = α^{{{1 / k}}}(1 + O(α)); x₂/α = h_{D}(c(1 − δ)) expanded to first order in "
               f"δ = 1 − μ (sympy.series): R = x₂/(α·h_{D}(c)) = {ratio}.")
    return Prediction(f"‖x_α − x_ℓ1‖₁ on A = [1, c], D = {D}", {
        "leading": leading, "ratio": ratio, "correction exponent": exponent}, (a, c),
        f"{SHEET} §5 (D = 2), §6 (D ≥ 3), §7 (tightness)", "reconstructed", how,
        conditions="0 < c < 1, y = 1, end-to-end α → 0⁺; ‖x_α − x_ℓ1‖₁ = leading·ratio·(1 + "
                   "o(α^{correction exponent})); the tightness claim is ratio → 1 (ρ = c)")


def depth_rate_predictions() -> dict:
    """Every prediction of this module, by the claim that uses it."""
    return {
        "SM-1": [gap_rate(3), gap_rate(4), limit_constant_problem(3), limit_constant_problem(4),
                 alpha_convention()],
        "SM-2": [gap_rate(2), example_certificate_constant(), gap_rate(2, "per_factor")],
        "SM-3": [example_error(2), example_error(3), example_error(4), example_certificate_constant()],
        "SM-4": [gap_rate(2), gap_rate(3)],
    }

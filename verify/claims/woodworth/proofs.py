"""Proofs in ball arithmetic (:mod:`numerics.boxes`) for Woodworth et al. (2020): the
remainders of the expansions of q (KR-2) and q_D (Thm 3), and KR-6/7/8's inequalities.

Sampling says "no counterexample among N points"; a proof says "true on this box".
Each inequality below is a predicate on a box, declared in :data:`CLAIM_PROOFS` with
its box and its statement, which says how the boxed inequality gives the paper's
claim (the exact reduction is in the predicate's docstring).  Parts that bisection
cannot reach are declared as attempts ("Attempted"): they come back undecided, so
the claim stays sampled.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from fractions import Fraction

import sympy as sp
from flint import arb, arb_series

from numerics.boxes import (all_of, any_of, at_most, below, prove, remainder_proof,
                            taylor_coefficients)
from numerics.potential_balls import (asinh, log_half_one_plus_root, q_coefficients,
                                      q_D_coefficients, q_infinity_coefficients, q_over_z_rest)
from theory import SYMBOLS, q_asymptotic, q_D_series, q_series
from verify.kinds.bound import box_proof

PRECISION = 128        # bits: every quantity here is O(1)–O(1e6); 128 leaves ~20 digits spare
BUDGET = 2000          # a remainder bound: one side, a few levels of bisection
BOX_BUDGET = 40000     # two- and three-sided boxes: round-robin bisection needs ~4ᵏ boxes


def _polynomial(expr, var) -> list:
    """Coefficients (exact rationals) of a sympy polynomial, low degree first."""
    coeffs = sp.Poly(sp.expand(expr), var).all_coeffs()[::-1]
    if not all(c.is_rational for c in coeffs):
        raise ValueError(f"{expr} has non-rational coefficients")
    return [Fraction(int(c.p), int(c.q)) for c in coeffs]


# --- remainder bounds of theory's expansions (the formula views' --prove) ----------------
# Each returns (numerics.boxes.RemainderProof, its statement).

@functools.lru_cache(maxsize=None)
def q_series_remainder(terms: int, radius: float):
    """KR-2: |q(z) − q_series(terms)(z)| on [0, radius] (q is even: also for |z|)."""
    coeffs = _polynomial(q_series(terms).expr, SYMBOLS.z)
    proof = remainder_proof(coeffs, q_coefficients, max(len(coeffs), 2), radius,
                            budget=BUDGET, precision=PRECISION)
    return proof, proof.describe("q(z) − series(z)", "z", f"|z| ≤ {radius:g}")


@functools.lru_cache(maxsize=None)
def q_asymptotic_remainder(terms: int, z_min: float):
    """KR-2: |q(z) − q_asymptotic(terms)(z)| for z ≥ z_min, as a bound in w = 1/z.

    With A(z) = z log z − z + 2 − P(1/z) (theory's expansion) and N(w) = U(w)/w:
    q − A = P(w) − N(w), and N's Taylor coefficients are U's shifted down by one."""
    z, w = SYMBOLS.z, sp.Symbol("w", positive=True)
    rest = -(q_asymptotic(terms).expr - (z * sp.log(z) - z + 2))
    coeffs = _polynomial(sp.expand(rest.subs(z, 1 / w)), w)
    proof = remainder_proof(coeffs, lambda x, count: q_infinity_coefficients(x, count + 1)[1:],
                            len(coeffs), 1 / z_min, budget=BUDGET, precision=PRECISION)
    return proof, proof.describe("q(z) − expansion(z)", "1/z", f"z ≥ {z_min:g}")


@functools.lru_cache(maxsize=None)
def q_D_series_remainder(depth: int, terms: int, radius: float):
    """Thm 3 / KR-4: |q_D(t) − q_D_series(D, terms)(t)| on [0, radius] (q_D is even)."""
    coeffs = _polynomial(q_D_series(depth, terms).expr, SYMBOLS.t)
    proof = remainder_proof(coeffs, functools.partial(q_D_coefficients, depth),
                            max(len(coeffs), 2), radius, budget=BUDGET, precision=PRECISION)
    return proof, proof.describe(f"q_{depth}(t) − series(t)", "t", f"|t| ≤ {radius:g}")


# --- KR-6, KR-7, KR-8: the lemmas and thresholds, as inequalities over boxes ------------
# r(w) below is numerics.potential_balls.q_over_z_rest: q(Z)/Z − ln Z + 1 at w = 1/Z.

_TAYLOR_ORDER = 12


def _q_over_square(z):
    """4q(z)/z² on a ball z ⊂ [0, ∞): Taylor model at 0 of order k,
    q(z) = Σ_{2≤j<k} cⱼzʲ + C_k(ξ)·zᵏ, ξ ∈ [0, z], with C_k the k-th Taylor coefficient
    enclosed on [0, z] (Lagrange), so 4q/z² = 4(Σ cⱼz^{j−2} + C_k(ξ)·z^{k−2})."""
    k = _TAYLOR_ORDER
    exact = q_coefficients(arb(0), k)
    remainder = q_coefficients(arb.union(arb(0), z), k + 1)[k]
    return 4 * (sum((exact[j] * z ** (j - 2) for j in range(2, k)), arb(0))
                + remainder * z ** (k - 2))


def _lemma3(box):
    """(1−ε) ≤ 4q(z)/z² ≤ (1+ε) for |z| ≤ (1 + ε^{−1/4})^{−2}, z = s·(1 + ε^{−1/4})^{−2}."""
    eps = box["ε"]
    z = box["s"] / (1 + eps ** arb(-0.25)) ** 2
    g = _q_over_square(z)
    return all_of(at_most(1 - eps, g), at_most(g, 1 + eps))


def _lemma1_upper(box):
    """(1+ε)L − q(Z)/Z ≥ 0 at L = L₁ = max(−ℓ, (ln 2 + ℓ)/ε), Z = e^{ℓ+L}.

    Evaluated through the exact identity q(Z)/Z = ln Z − 1 + r(w), w = 1/Z,
    r(w) = 1 + 2w − √(1+4w²) + log((1+√(1+4w²))/2) (from q's closed form), so
    (1+ε)L − q(Z)/Z = εL − ℓ + 1 − r(w) with εL = max(−εℓ, ln 2 + ℓ)."""
    eps, ell = box["ε"], box["ℓ"]
    eps_L = arb.max(-eps * ell, arb(2).log() + ell)
    L = eps_L / eps
    return below(0, eps_L - ell + 1 - q_over_z_rest((-(ell + L)).exp()))


def _lemma2_eq46(box):
    """−1 + ln(1/x) ≤ x·q(1/x) ≤ 3x − 1 + ln(1/x), x = e^{−s}, through the exact forms
    x·q(1/x) − (−1 + ln(1/x)) = 2x + 1 − √(1+4x²) + log((1+√(1+4x²))/2) and
    3x − 1 + ln(1/x) − x·q(1/x) = x − 1 + √(1+4x²) − log((1+√(1+4x²))/2)."""
    x = (-box["s"]).exp()
    root, tail = (1 + 4 * x * x).sqrt(), log_half_one_plus_root(x)
    return all_of(below(0, 2 * x + 1 - root + tail), below(0, x - 1 + root - tail))


_LN_MILLION = 6 * arb(10).log()
_LN_D = (0, "13.8155")       # ln d for d ∈ [1, 10⁶], outward


def _lemma2_at_threshold(box):
    """√d·q(1/α²)/(d·q(1/(α²√d))) ≥ 1 + ε at α = α_n = d^{−1/4−1/(8ε)}.

    With b = ln(1/(α_n²√d)) = ln d/(4ε), y = e^b and Y = e^{(1+2ε)b} = 1/α_n²:
    √d·ratio = (q(Y)/Y)/(q(y)/y) exactly (Y = √d·y), and q(x)/x = ln x − 1 + r(1/x),
    so the claim is ε(b+1) + r(1/Y) − (1+ε)·r(1/y) ≥ 0 (q(y) > 0).  The lemma's range
    d ∈ [max{e, 12^{4ε}}, 10⁶] is b ∈ [max{1/(4ε), ln 12}, ln 10⁶/(4ε)]."""
    eps, t = box["ε"], box["t"]
    low = arb.max(1 / (4 * eps), arb(12).log())
    b = low + t * (_LN_MILLION / (4 * eps) - low)
    gap = (eps * (b + 1) + q_over_z_rest((-(1 + 2 * eps) * b).exp())
           - (1 + eps) * q_over_z_rest((-b).exp()))
    return below(0, gap)


def _theorem2_l1_small(box):
    """Thm 2's stated ℓ1 threshold min(P₁, P₂) (in logs: P₁ = −p·ln(2(1+ε)‖β*‖₁),
    p = (2+ε)/(2ε), P₂ = −d/(ε‖β*‖₁)) meets the re-derived conditions α < 1 and
    α ≤ √‖β*‖₁ (theory.theorem2_l1_sufficient_conditions): min(P₁, P₂) ≤ c ⇔ P₁ ≤ c
    or P₂ ≤ c, for c = 0 and c = ℓ/2, ℓ = ln‖β*‖₁."""
    eps, ell, ln_d = box["ε"], box["ℓ"], box["ln d"]
    p1 = -(2 + eps) / (2 * eps) * ((2 * (1 + eps)).log() + ell)
    p2 = -(ln_d - ell).exp() / eps
    return all_of(any_of(at_most(p1, 0), at_most(p2, 0)),
                  any_of(at_most(p1, ell / 2), at_most(p2, ell / 2)))


def _theorem2_l1_powers(box):
    """The two other conditions, with the factors common to both sides cancelled
    (interval subtraction does not cancel them): P₁ ≤ −p·ln(2‖β*‖₁) ⇔ ln(1+ε) ≥ 0,
    and P₂ ≤ −d(2+ε)/(2ε(1+ε)‖β*‖₁) ⇔ (2+ε)/(2(1+ε)) ≤ 1."""
    eps = box["ε"]
    return all_of(at_most(0, (1 + eps).log()), at_most((2 + eps) / (2 * (1 + eps)), 1))


def _theorem2_l2(box):
    """stated⁴/sharper⁴ = 48(1+ε)²(1+2/ε)²/max{1, (1+ε)²/(4ε)} ≥ 1, ε = e^u."""
    eps = box["ln ε"].exp()
    sharper = arb.max(arb(1), (1 + eps) ** 2 / (4 * eps))
    return at_most(sharper, 48 * (1 + eps) ** 2 * (1 + 2 / eps) ** 2)


def _lemma1_lower(box):
    """ε − t·(ρ + 1 − r(w)) ≥ 0 for t = 1/L ∈ [0, 1/L₁], ρ = ln(d/‖β‖₁), w = e^{ρ − L}.

    Jensen (q convex and even): Σᵢ q(βᵢ/α²) ≥ d·q(‖β‖₁/(dα²)); with z = ‖β‖₁/(dα²) =
    e^{L−ρ}, the lower half (1−ε)‖β‖₁ ≤ α²/L·Σq is implied by q(z)/z ≥ (1−ε)L, i.e.
    (q(z)/z = ln z − 1 + r(1/z)) by ε − (ρ + 1 − r(w))/L ≥ 0, for every L ≥ L₁ =
    max{−ℓ, (ln 2 + ℓ)/ε, e^ρ/ε} (α ≤ α₁); t = 1/L makes the range compact."""
    eps, ell, ln_d, s = box["ε"], box["ℓ"], box["ln d"], box["s"]
    rho = ln_d - ell
    L1 = arb.max(arb.max(-ell, (arb(2).log() + ell) / eps), rho.exp() / eps)
    t = s / L1
    if t > 0:
        w = (rho - 1 / t).exp()
    else:                                  # t reaches 0 (L = ∞): w ∈ [0, e^{ρ − 1/t_max}]
        top = t.upper()
        w = arb.union(arb(0), (rho - 1 / top).exp()) if top > 0 else arb(0)
    return at_most(t * (rho + 1 - q_over_z_rest(w)), eps)


def _lemma2_rising(box):
    """dE/du < 0 for the elasticity E = x·q'(x)/q(x) at x = e^u, so that
    Q(e₁/α²)/Q(𝟙/(√dα²)) = q(A)/(d·q(A/√d)), A = 1/α², rises with α (eq. 58: d/dA of
    ln q(A) − ln q(A/√d) is [E(A) − E(A/√d)]/A < 0 when E decreases).

    With q = x·arcsinh(x/2) − x²/(√(4+x²) + 2) (KR-1's closed form, cancellation-free),
    E = S/(S − x/(√(4+x²) + 2)), S = arcsinh(x/2); dE/du is the first coefficient of
    E's power series in u at the ball (Arb), valid at every point of the ball."""
    u = arb_series([box["u"], 1])
    try:
        if box["u"] <= 0:
            x = u.exp()
            slope, tail = asinh(x / 2), x / ((4 + x * x).sqrt() + 2)
        elif box["u"] >= 0:
            # x ≥ 1 in w = 1/x, without the cancellations of huge x: arcsinh(x/2) =
            # u + log((1+√(1+4w²))/2) and x/(√(4+x²)+2) = 1/(√(1+4w²) + 2w)
            w = (-u).exp()
            root = (1 + 4 * w * w).sqrt()
            slope, tail = u + ((1 + root) / 2).log(), 1 / (root + 2 * w)
        else:
            return None
        elasticity = slope / (slope - tail)
    except ValueError:      # a series quotient not resolved on so wide a ball: bisect
        return None
    return below(taylor_coefficients(elasticity, 2)[1], 0)


def theorem2_l1_proof():
    """Thm 2, ℓ1: one statement, proved when both parts are (on the larger box)."""
    small = prove(_theorem2_l1_small, {"ε": ("0.01", 1), "ℓ": (-10, 10), "ln d": _LN_D},
                  budget=BOX_BUDGET, precision=PRECISION)
    if not small.proved:
        return small
    powers = prove(_theorem2_l1_powers, {"ε": ("0.01", 1)}, budget=BOX_BUDGET,
                   precision=PRECISION)
    return replace(small, status=powers.status, remaining=powers.remaining,
                   counterexample=powers.counterexample, boxes=small.boxes + powers.boxes,
                   seconds=small.seconds + powers.seconds)


def _on(predicate, box, budget=BUDGET):
    """The proof of ``predicate`` on ``box`` (a run for :data:`CLAIM_PROOFS`)."""
    return functools.partial(prove, predicate, box, budget=budget, precision=PRECISION)


#: Per claim: (statement, box in words, run() -> numerics.boxes.BoxProof).  Each claim
#: lists every part of its statement, the parts beyond bisection as attempts.
CLAIM_PROOFS = {
    "KR-6": [
        ("Thm 2, ℓ1 (KR-6): the stated threshold min{(2(1+ε)‖β*‖₁)^{−(2+ε)/(2ε)}, "
         "exp(−d/(ε‖β*‖₁))} lies below each sufficient condition re-derived from the proof (α < 1, "
         "α ≤ √‖β*‖₁, α ≤ (2‖β*‖₁)^{−(2+ε)/(2ε)}, α ≤ exp(−d(2+ε)/(2ε(1+ε)‖β*‖₁))), so the stated "
         "threshold suffices.",
         "ε ∈ [0.01, 1], ln‖β*‖₁ ∈ [−10, 10], d ∈ [1, 10⁶]", theorem2_l1_proof),
        ("Thm 2, ℓ2 (KR-6): the stated threshold √(2(1+ε)(1+2/ε)‖β*‖₂) is at least the re-derived "
         "sufficient one (‖β*‖₂²·max{1, (1+ε)²/(4ε)}/12)^{1/4} "
         "(theory.theorem2_l2_sharper_threshold), for every ‖β*‖₂ (the ratio does not depend on "
         "it).",
         "ε ∈ [0.001, 1000]",
         _on(_theorem2_l2, {"ln ε": ("-6.9078", "6.9078")}))],
    "KR-7": [
        ("Lemma 3 (KR-7): (1−ε)‖β‖₂² ≤ 4α⁴Q(β/α²) ≤ (1+ε)‖β‖₂² for α ≥ α₂ = √‖β‖₂(1+ε^{−1/4}), "
         "every d and β.  Proved: 1−ε ≤ 4q(z)/z² ≤ 1+ε for |z| ≤ (1+ε^{−1/4})^{−2}; α ≥ α₂ gives "
         "|βᵢ|/α² ≤ ‖β‖₂/α² ≤ (1+ε^{−1/4})^{−2}, and the coordinatewise bounds times βᵢ² sum to "
         "the lemma.",
         "ε ∈ [0.001, 1], z ∈ [0, (1+ε^{−1/4})^{−2}]",
         _on(_lemma3, {"ε": ("0.001", 1), "s": (0, 1)})),
        ("Lemma 1, upper half (KR-7): α²/ln(1/α²)·Q(β/α²) ≤ (1+ε)‖β‖₁ for α ≤ α₁(ε, ‖β‖₁, d), "
         "every d.  Proved: (α²/n)·q(n/α²) ≤ (1+ε)·ln(1/α²) at L = ln(1/α²) = max(−ln n, ln(2n)/ε) "
         "≤ ln(1/α₁²), n = ‖β‖₁.  It holds for larger L as the difference grows in L (d/dL of "
         "q(Z)/Z is (√(4+Z²)−2)/Z < 1 < 1+ε), and q(z)/z increases (q convex, q(0) = 0), so each "
         "|βᵢ| ≤ n obeys it; summing gives the lemma's upper half.",
         "ε ∈ [0.01, 1], ln‖β‖₁ ∈ [−10, 10]",
         _on(_lemma1_upper, {"ε": ("0.01", 1), "ℓ": (-10, 10)}, BOX_BUDGET)),
        ("Lemma 1, lower half (KR-7): (1−ε)‖β‖₁ ≤ α²/ln(1/α²)·Q(β/α²) for α ≤ α₁(ε, ‖β‖₁, d).  "
         "Attempted through Jensen (Σq(βᵢ/α²) ≥ d·q(‖β‖₁/(dα²))) as q(z)/z ≥ (1−ε)·ln(1/α²); the "
         "reduced inequality is tight to e^{−1/ε} where d = ‖β‖₁ at the threshold, beyond the "
         "reach of bisection: expected undecided, the lemma's lower half stays sampled.",
         "ε ∈ [0.01, 1], ln‖β‖₁ ∈ [−10, 10], d ∈ [1, 10⁶], α ≤ α₁",
         _on(_lemma1_lower, {"ε": ("0.01", 1), "ℓ": (-10, 10), "ln d": _LN_D, "s": (0, 1)}))],
    "KR-8": [
        ("Lemma 2, eq. (46) (KR-8): −1 + ln(1/x) ≤ x·q(1/x) ≤ 3x − 1 + ln(1/x), x = cα² > 0 (both "
         "gaps proved positive through their exact closed forms).",
         "x ∈ [e^{−40}, e^{7}] (≈ [4.2e-18, 1097])", _on(_lemma2_eq46, {"s": (-7, 40)})),
        ("Lemma 2 (KR-8), eq. (57): at α = α_n = d^{−1/4−1/(8ε)} the ratio √d·Q(e₁/α²)/Q(𝟙/(√dα²)) "
         "is ≥ 1 + ε, for every d in the lemma's range d ≥ max{e, 12^{4ε}} up to 10⁶ (that the "
         "ratio rises with α, eq. (58), is sampled, not proved here).",
         "ε ∈ [0.05, 1], d ∈ [max{e, 12^{4ε}}, 10⁶]",
         _on(_lemma2_at_threshold, {"ε": ("0.05", 1), "t": (0, 1)}, BOX_BUDGET)),
        ("Lemma 2, eq. (58) (KR-8): the ratio Q(e₁/α²)/Q(𝟙/(√dα²)) increases with α, i.e. the "
         "elasticity x·q'(x)/q(x) decreases on x > 0.  Attempted on x ∈ [e^{−20}, e^{40}] through "
         "the derivative of the elasticity's power series in ln x; for small x that derivative (≈ "
         "−x²/12) drowns in the balls' widths, so the attempt comes back undecided there and eq. "
         "(58) stays sampled.",
         "x = 1/α² ∈ [e^{−20}, e^{40}]", _on(_lemma2_rising, {"u": (-20, 40)}))],
}


def bound_proofs(claim: str) -> dict:
    """A claim's proofs as :class:`verify.kinds.Bound` takes them: {statement: entry}."""
    return {statement: box_proof(box, run) for statement, box, run in CLAIM_PROOFS.get(claim, ())}

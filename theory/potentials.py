"""Potentials of diagonal linear networks, derived with sympy (Woodworth et al. 2020).

Gradient flow on the depth-D "diagonal" network β = w₊^D − w₋^D started at
w₊ = w₋ = α𝟙 ends at the minimiser of a separable potential subject to
Xβ = y.  This module *derives* those potentials and the paper's quantitative
statements about them, each as a :class:`~theory.prediction.Prediction`:

* KR-1 — q(z) = ∫₀ᶻ arcsinh(u/2) du = 2 − √(4+z²) + z·arcsinh(z/2):
  :func:`q_prediction` (derived from the link, not typed in);
* KR-2 — q at 0 (z²/4 − z⁴/192 + …) and at ∞ (z log z − z + 2 − …):
  :func:`q_series`, :func:`q_asymptotic`;
* KR-3 — the App. A recipe on the link 2α² sinh ν gives Q_α = α²·q(β/α²):
  :func:`potential_from_link`, :func:`hypentropy_potential`;
* KR-4 — h_D, its expansions at 0 and at ±1, h_D⁻¹ by series reversion, q_D at 0
  and at ∞: :func:`h_D`, :func:`h_D_series`, :func:`h_D_endpoint_series`,
  :func:`h_D_inverse_series`, :func:`deep_potential`, :func:`q_D_series`,
  :func:`q_D_asymptotic`, :func:`q_D_asymptotic_general`;
* KR-5 — α → 0 gives ℓ1, α → ∞ gives ℓ2: :func:`l1_limit`, :func:`l2_limit`;
* KR-6 — Thm 2's thresholds: :func:`theorem2_l1_threshold`,
  :func:`theorem2_l2_threshold` (and the proof's own, re-derived and sharper ones);
* KR-7 — Lemmas 1 and 3: :func:`lemma1_bounds`, :func:`lemma3_bounds`;
* KR-8 — Lemma 2 (α ≤ d^{−1/4−1/(8ε)} necessary; eqs. 47–58): :func:`lemma2`;
* KR-9 — the Fig. 2b ratio Q^D_α(e₁)/Q^D_α(𝟙/√d) and its transition scale:
  :func:`ratio_e1_flat`, :func:`transition_scale`.

The general recipe (App. A, eqs. 9–12): if gradient-flow solutions have the
form β = f(Xᵀν), the implicit regulariser Q satisfies ∇Q = f⁻¹; so invert the
link and integrate, Q(β) = ∫₀^β f⁻¹(u) du.  :func:`potential_from_link`
carries this out with sympy, and when the inverse has no closed form (h_D) it
still gives the Taylor series at 0 (Lagrange inversion of f), the leading
asymptotics at ∞ (dominant balance), and numeric evaluators through the
Legendre representation Q(f(ν)) = ν f(ν) − ∫₀^ν f.

Conventions: ``z`` is the argument of q (paper, Thm 1) and of h_D (paper,
Thm 3); ``t`` is the argument of h_D⁻¹ and q_D; ``nu`` is the dual variable of
a link.  All symbols are in :data:`SYMBOLS`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import SimpleNamespace

import mpmath
import numpy as np
import sympy as sp
from sympy.calculus.util import continuous_domain
from sympy.solvers.solveset import invert_real

from .cache import derivation
from .prediction import Prediction

__all__ = [
    "SYMBOLS", "LinkPotential", "ClosedFormPotential", "ImplicitPotential",
    "potential_from_link", "series_reversion",
    "q_potential", "q_prediction", "q_stable_prediction", "q_series", "q_asymptotic",
    "hypentropy_potential",
    "h_D", "h_D_prediction", "h_D_series", "h_D_endpoint_series", "h_D_inverse_series",
    "h_D_inverse_asymptotic", "deep_potential", "q_D_series", "q_D_asymptotic",
    "q_D_asymptotic_general",
    "l1_limit", "l2_limit",
    "lemma1_threshold", "lemma1_bounds", "lemma3_threshold", "lemma3_bounds",
    "theorem2_l1_threshold", "theorem2_l2_threshold", "theorem2_thresholds_from_proof",
    "theorem2_l1_sufficient_conditions", "theorem2_l2_sharper_threshold",
    "lemma2", "lemma2_q_bounds", "ratio_e1_flat", "transition_scale",
    "kernel_rich_predictions",
]

PAPER = "Woodworth et al. 2020"

#: The symbols every prediction of this module is written in.
SYMBOLS = SimpleNamespace(
    z=sp.Symbol("z", real=True),              # argument of q and of h_D
    t=sp.Symbol("t", real=True),              # argument of h_D^{-1} and q_D
    nu=sp.Symbol("nu", real=True),            # dual variable of a link β = f(ν)
    beta=sp.Symbol("beta", real=True),        # one coordinate of β
    alpha=sp.Symbol("alpha", positive=True),  # initialisation scale
    epsilon=sp.Symbol("epsilon", positive=True),
    d=sp.Symbol("d", positive=True),          # dimension
    D=sp.Symbol("D", positive=True),          # depth, when kept symbolic (D > 2 meant)
    l1_norm=sp.Symbol("l1_norm", positive=True),  # ‖β‖₁ (or ‖β*_L1‖₁)
    l2_norm=sp.Symbol("l2_norm", positive=True),  # ‖β‖₂ (or ‖β*_L2‖₂)
    x=sp.Symbol("x", positive=True),          # c·α² in Lemma 2, eq. (46)
)
_S = SYMBOLS


def _check(condition, what):
    """A derivation step that sympy must confirm (not an assert: it must survive -O)."""
    if not condition:
        raise ArithmeticError(f"derivation check failed: {what}.")


# =============================================================================
# General recipe (App. A): invert the link and integrate
# =============================================================================

def series_reversion(f, z, t, n):
    """Taylor polynomial of f⁻¹ at 0 through tⁿ⁻¹ (the rest is O(tⁿ)).

    Lagrange inversion: if f(0) = 0 and f'(0) ≠ 0 then
    f⁻¹(t) = Σₘ bₘ tᵐ with bₘ = (1/m)·[z^{m−1}] (z/f(z))^m.
    The coefficients may depend on parameters (α, a symbolic depth D).

    >>> z, t = sp.symbols("z t")
    >>> series_reversion(2*sp.sinh(z), z, t, 6)
    3*t**5/1280 - t**3/48 + t/2
    """
    f = sp.sympify(f)
    if sp.simplify(f.subs(z, 0)) != 0:
        raise ValueError(f"series reversion at 0 needs f(0) = 0, but f(0) = {f.subs(z, 0)}; "
                         "shift the link so that β = 0 at ν = 0 (an unbiased initialisation).")
    if sp.simplify(sp.diff(f, z).subs(z, 0)) == 0:
        raise ValueError("series reversion needs f'(0) ≠ 0 (the inverse is not analytic at 0); "
                         "the potential then has no Taylor series at 0.")
    if n < 2:
        return sp.Integer(0)
    # f = a₁z + a₂z² + …; φ = z/f = 1/(a₁ + a₂z + …) by the power-series reciprocal
    # recursion (much faster than sympy.series of the quotient when aⱼ are symbolic)
    fs = sp.expand(sp.series(f, z, 0, n).removeO())
    g = [sp.cancel(fs.coeff(z, j)) for j in range(1, n)]
    N = n - 1                                        # φ^m is needed through z^{n−2}
    phi = [sp.cancel(1 / g[0])]
    for m in range(1, N):
        phi.append(sp.cancel(-sum(g[j] * phi[m - j] for j in range(1, m + 1)) / g[0]))
    power = [sp.Integer(1)] + [sp.Integer(0)] * (N - 1)
    out = sp.Integer(0)
    for m in range(1, n):
        power = [sp.cancel(sum(power[i] * phi[j - i] for i in range(j + 1))) for j in range(N)]
        out += sp.factor(power[m - 1]) / m * t ** m
    return out


def _dominant_term(expr, var, point, direction):
    """The summand of ``expr`` that dominates all others as var → point."""
    terms = sp.Add.make_args(sp.expand(expr))
    for cand in terms:
        if all(sp.limit(other / cand, var, point, direction) == 0
               for other in terms if other is not cand):
            return cand
    raise ValueError(f"no single dominant term in {expr} as {var} → {point}; "
                     "the leading asymptotics need a link with one dominant growth term.")


def _branch_containing_zero(f, z):
    """(lower, upper) of the interval of continuity of f that contains 0."""
    dom = continuous_domain(f, z, sp.S.Reals)
    for piece in sp.Union.make_args(dom) if isinstance(dom, sp.Union) else (dom,):
        if isinstance(piece, sp.Interval) and piece.contains(0) is sp.true:
            return piece.inf, piece.sup
    raise ValueError(f"the link {f} is not continuous at ν = 0; the recipe needs a link "
                     "defined around 0.")


@dataclass(frozen=True)
class LinkPotential:
    """The potential Q of a link β = f(ν): Q' = f⁻¹, Q(f(0)) = 0 (App. A, eq. 12).

    ``origin`` = f(0) is β at initialisation: 0 for the diagonal networks'
    unbiased links, α² for the non-negative model β = w⊙w (link α²eᵛ).

    Returned by :func:`potential_from_link` as a :class:`ClosedFormPotential`
    when sympy finds a closed form, else as an :class:`ImplicitPotential`.
    Both provide :meth:`series` (Taylor at 0 by Lagrange inversion of f),
    :meth:`asymptotic` (β → +∞), :meth:`legendre` (the exact parametric form)
    and numeric evaluators :meth:`numpy` / :meth:`mpmath`.
    """

    link: sp.Expr           # f(ν)
    nu: sp.Symbol           # the link's variable
    beta: sp.Symbol         # the potential's variable
    lower: sp.Expr          # f is continuous and increasing on (lower, upper) ∋ 0
    upper: sp.Expr
    inverse: object         # f⁻¹(β) in closed form, or None
    derivation: str
    source: str
    fidelity: str

    @property
    def parameters(self) -> tuple:
        """Symbols of the link other than ν (e.g. α), sorted by name."""
        return tuple(sorted(self.link.free_symbols - {self.nu}, key=lambda s: s.name))

    @property
    def origin(self) -> sp.Expr:
        """β₀ = f(0), where Q and Q' vanish (β at initialisation)."""
        return sp.simplify(self.link.subs(self.nu, 0))

    # --- symbolic ------------------------------------------------------------
    def inverse_series(self, n: int) -> sp.Expr:
        """f⁻¹(β) about β₀ = f(0) through (β − β₀)ⁿ⁻¹ by Lagrange inversion of
        f − β₀ (:func:`series_reversion`)."""
        shifted = series_reversion(self.link - self.origin, self.nu, self.beta, n)
        return shifted.subs(self.beta, self.beta - self.origin)

    def series(self, n: int = 8) -> Prediction:
        """Taylor polynomial of Q at β₀ = f(0) through (β − β₀)ⁿ⁻¹:
        Q = ∫_{β₀}^β (reverted series of f)."""
        u = sp.Dummy("u")
        inv = self.inverse_series(n - 1).subs(self.beta, u)
        expr = sp.expand(sp.integrate(inv, (u, self.origin, self.beta)))
        return Prediction(
            f"Taylor series at {self.origin} of the potential of the link " + str(self.link), expr,
            (self.beta,) + self.parameters, self.source, self.fidelity,
            "f⁻¹ expanded at β₀ = f(0) by Lagrange inversion b_m = (1/m)[ν^{m−1}](ν/(f(ν) − "
            "β₀))^m, then integrated term by term from β₀ (Q(β₀) = 0).",
            conditions=f"β → {self.origin}",
            order=sp.Order((self.beta - self.origin) ** n, (self.beta, self.origin)))

    def legendre(self) -> tuple:
        """The exact parametric form (β, Q) = (f(ν), ν·f(ν) − ∫₀^ν f).

        Integration by parts of Q(β) = ∫₀^β f⁻¹: with β = f(ν),
        Q = ν·f(ν) − ∫₀^ν f(s) ds.  Needs only the antiderivative of the link,
        which exists in closed form even when f⁻¹ does not (h_D).
        """
        s = sp.Dummy("s")
        antiderivative = sp.integrate(self.link.subs(self.nu, s), (s, 0, self.nu))
        return self.link, sp.simplify(self.nu * self.link - antiderivative)

    def asymptotic(self, n: int | None = None) -> Prediction:
        """Leading asymptotics of Q as β → +∞, by dominant balance on the link.

        With ν* = sup of the link's branch: if ν* = +∞, f ~ (dominant term g);
        then f⁻¹(β) ~ g⁻¹(β) and Q(β) ~ ∫^β g⁻¹ (leading term kept).  If ν* is
        finite, f ~ c·(ν*−ν)^{−k} (k > 0) gives f⁻¹(β) = ν* − (c/β)^{1/k}(1 + o(1)),
        so Q(β) = ν*·β − ∫^β (c/s)^{1/k} ds·(1 + o(1)) (the second term is kept
        only when it grows, i.e. k > 1).  No ``Order`` is attached: the claim is
        "up to a factor 1 + o(1) on the last term", which sympy cannot express.
        ``n`` is ignored here (a closed form gives a full expansion).
        """
        b = sp.Dummy("b", positive=True)
        x = sp.Dummy("x", positive=True)
        params = {p: sp.Dummy(p.name, positive=True) for p in self.parameters}
        f = self.link.subs(params)
        if self.upper is sp.oo:
            lead = _dominant_term(f.rewrite(sp.exp), self.nu, sp.oo, "-")
            _, sols = invert_real(lead, b, self.nu)
            sols = [g for g in _finite_elements(sols)]
            if len(sols) != 1:
                raise ValueError(f"could not invert the leading term {lead} of the link.")
            anti = sp.expand(sp.expand_log(sp.integrate(sols[0], b), force=True))
            expr = _dominant_term(anti, b, sp.oo, "-")
            how = (f"dominant term of the link as ν → ∞: {lead}; its inverse {sols[0]}; "
                   f"Q(β) ~ ∫^β of it, leading term kept: Q(β) = {expr}·(1 + o(1)).")
        else:
            lead = _dominant_term(f.subs(self.nu, self.upper - x), x, 0, "+")
            lead = sp.powsimp(lead.as_leading_term(x), force=True)
            coeff, power = lead.as_coeff_exponent(x)
            if coeff.has(x) or not power.is_negative:
                raise ValueError(f"the link near ν* = {self.upper} is not a power-law blow-up "
                                 f"c·(ν*−ν)^(−k) (leading term {lead}).")
            sols = [(b / coeff) ** (1 / power)]             # c·x^p = β  ⇔  x = (β/c)^{1/p}
            if len(sols) != 1:
                raise ValueError(f"could not invert the leading term {lead} near ν* = {self.upper}.")
            anti = sp.integrate(sols[0], b)
            expr = self.upper * b
            grows = sp.limit(anti, b, sp.oo) is sp.oo
            if grows:
                expr = expr - anti
            how = (f"link near its end ν* = {self.upper}: f ≈ {lead}; "
                   f"f⁻¹(β) = ν* − {sols[0]}·(1 + o(1)); Q(β) = ν*·β"
                   + (f" − {anti}·(1 + o(1))" if grows else " + O(1)") + ".")
        back = {v: k for k, v in params.items()}
        expr = expr.subs(back).subs(b, self.beta)
        for dummy, name in [*((v, k.name) for k, v in params.items()), (b, "β"), (x, "(ν*−ν)")]:
            how = how.replace(str(dummy), name)    # the text was written with dummies
        return Prediction(
            "leading asymptotics at +∞ of the potential of the link " + str(self.link), expr,
            (self.beta,) + self.parameters, self.source, self.fidelity, how,
            conditions="β → +∞; the last term kept is exact up to a factor 1 + o(1)")

    # --- numeric (overridden by the closed form) ----------------------------
    def numpy(self, beta, **params):
        """Q(β) in float64 (arrays allowed)."""
        raise NotImplementedError

    def mpmath(self, beta, **params):
        """Q(β) in mpmath at the current precision."""
        raise NotImplementedError


def _finite_elements(sol_set):
    """Elements of a FiniteSet found in a solution set from invert_real."""
    if isinstance(sol_set, sp.FiniteSet):
        return list(sol_set)
    if isinstance(sol_set, sp.Intersection):
        for arg in sol_set.args:
            if isinstance(arg, sp.FiniteSet):
                return list(arg)
    return []


@dataclass(frozen=True)
class ClosedFormPotential(LinkPotential):
    """A potential whose closed form sympy found: ``expr`` = Q(β)."""

    expr: sp.Expr = None

    def prediction(self, name: str | None = None) -> Prediction:
        """Q(β) as a prediction (symbols: β, then the link's parameters)."""
        return Prediction(name or f"potential of the link {self.link}", self.expr,
                          (self.beta,) + self.parameters, self.source, self.fidelity,
                          self.derivation)

    def series(self, n: int = 8) -> Prediction:
        """Taylor polynomial of the closed form at β₀ = f(0) through (β − β₀)ⁿ⁻¹
        (sympy.series)."""
        origin = self.origin
        expr = sp.series(self.expr, self.beta, origin, n).removeO()
        return Prediction(f"Taylor series at {origin} of {self.expr}", expr,
                          (self.beta,) + self.parameters, self.source, self.fidelity,
                          f"sympy.series of the derived closed form at {origin}.",
                          conditions=f"β → {origin}",
                          order=sp.Order((self.beta - origin) ** n, (self.beta, origin)))

    def asymptotic(self, n: int | None = 6) -> Prediction:
        """Asymptotic expansion of the closed form as β → +∞, through β^{−(n−1)}.

        sympy has no expansion of asinh at ∞, so the closed form is rewritten
        with logarithms (asinh w = log(w + √(w²+1))) and expanded in 1/β.
        """
        b = sp.Dummy("b", positive=True)
        params = {p: sp.Dummy(p.name, positive=True) for p in self.parameters}
        expr = self.expr.subs(params).subs(self.beta, b).rewrite(sp.log)
        series = sp.series(expr, b, sp.oo, n)
        body = sp.expand(sp.expand_log(series.removeO(), force=True))
        back = {v: k for k, v in params.items()}
        return Prediction(
            f"asymptotic expansion at +∞ of {self.expr}", body.subs(back).subs(b, self.beta),
            (self.beta,) + self.parameters, self.source, self.fidelity,
            "closed form rewritten with log (asinh w = log(w + √(w²+1))), then sympy.series at "
            "β = ∞ (an expansion in 1/β with log β terms).",
            conditions="β → +∞", order=sp.Order(self.beta ** (-n), (self.beta, sp.oo)))

    @functools.cached_property
    def _prediction(self):
        return self.prediction()

    def numpy(self, beta, **params):
        return self._prediction.numpy(beta, **params)

    def mpmath(self, beta, **params):
        return self._prediction.mpmath(beta, **params)


@dataclass(frozen=True)
class ImplicitPotential(LinkPotential):
    """A potential without a closed form (e.g. q_D = ∫ h_D⁻¹, Thm 3).

    It is known through the link: its Taylor series at 0 (:meth:`series`), its
    leading asymptotics (:meth:`asymptotic`), and exactly through the Legendre
    form (:meth:`legendre`).  The evaluators solve f(ν) = β for ν (safeguarded
    Newton on the lambdified link, in mpmath with guard digits that grow when
    ν nears the end of the branch or when ν·β and ∫₀^ν f cancel), then return
    Q = ν·β − ∫₀^ν f.
    """

    @functools.cached_property
    def _compiled(self):
        t_of_nu = self.link
        # ∫₀^ν f term by term, each antiderivative factored: sympy writes ∫(1−ν)^{−3} as
        # 1/(2ν² − 4ν + 2), which needs twice the digits of 1/(2(ν − 1)²) near ν = 1
        pieces = [sp.factor(sp.integrate(term, self.nu)) for term in sp.Add.make_args(self.link)]
        anti = sp.Add(*pieces) - sp.Add(*[p.subs(self.nu, 0) for p in pieces])
        args = (self.nu,) + self.parameters
        mods = ["mpmath"]
        return (sp.lambdify(args, t_of_nu, mods), sp.lambdify(args, sp.diff(t_of_nu, self.nu), mods),
                sp.lambdify(args, anti, mods))

    def _params(self, params):
        names = [p.name for p in self.parameters]
        if set(params) != set(names):
            raise TypeError(f"this potential needs the parameters {names}, got {sorted(params)}.")
        return [mpmath.mpmathify(params[n]) for n in names]

    def inverse_link_mpmath(self, beta, **params):
        """f⁻¹(β) in mpmath at the current precision."""
        return self._solve(mpmath.mpmathify(beta), self._params(params))[0]

    def mpmath(self, beta, **params):
        return self._solve(mpmath.mpmathify(beta), self._params(params))[1]

    def numpy(self, beta, **params):
        """Q(β) as float64, computed elementwise through the mpmath path at 20 digits
        (slow but exact to float64 for any β; the implicit form has no float64 shortcut)."""
        def one(b):
            with mpmath.workdps(20):
                return float(self.mpmath(float(b), **params))
        out = np.vectorize(one, otypes=[np.float64])(np.asarray(beta, dtype=np.float64))
        return out.item() if out.ndim == 0 else out

    def _solve(self, target, pars):
        f, df, anti = self._compiled
        origin = f(mpmath.mpf(0), *pars)
        if target == origin:
            return mpmath.mpf(0), mpmath.mpf(0)
        dps = mpmath.mp.dps
        end = self.upper if target > origin else self.lower
        guard = 15
        while guard <= 20 * dps + 5000:
            with mpmath.workdps(dps + guard):
                nu = _increasing_root(lambda v: f(v, *pars), lambda v: df(v, *pars), target,
                                      self.lower, self.upper, origin)
                # digits lost to the end of the branch (ν = 1 − u with tiny u), …
                lost = 0
                if end.is_finite:
                    gap = abs(mpmath.mpf(int(end)) - nu) if end.is_integer else \
                        abs(mpmath.mpf(sp.N(end, dps + guard)) - nu)
                    if gap == 0:                   # unresolved: ν rounded onto the end
                        guard = max(2 * guard, int(mpmath.log10(abs(target))) + 20)
                        continue
                    lost = -mpmath.log10(gap / abs(nu))
                q = nu * target - anti(nu, *pars)
                # … to cancellation in ν·β − ∫₀^ν f, …
                scale = max(abs(nu * target), abs(anti(nu, *pars)))
                if q != 0 and scale > 0:
                    lost = max(lost, mpmath.log10(scale / abs(q)))
                # … and inside ∫₀^ν f = O(ν²), whose closed form may add O(1) terms
                if abs(nu) < 1:
                    lost = max(lost, -2 * mpmath.log10(abs(nu)))
                if lost < guard - 8:
                    return +nu, +q
                guard = int(lost) + 20
        raise ArithmeticError(f"could not evaluate the implicit potential at β = {target} "
                              f"within {20 * dps + 5000} guard digits.")


def _increasing_root(f, df, target, lower, upper, origin=0):
    """ν in (lower, upper) with f(ν) = target, for f increasing with f(0) = ``origin``.

    Safeguarded Newton.  The fallback step is a bisection — geometric in the
    distance to a finite end of the branch (f = ±∞ there, never evaluated), so
    that a root at 1 − 10⁻¹⁰⁰⁰ takes ~log₂(1000) steps rather than ~3300.
    """
    sign = 1 if target > origin else -1
    end = upper if sign > 0 else lower
    far = mpmath.mpf(0)                     # bracket end on the side of 0
    if end.is_finite:
        e = mpmath.mpf(int(end)) if end.is_integer else mpmath.mpf(sp.N(end, mpmath.mp.dps))
        near = e
    else:
        e, near = None, mpmath.mpf(sign)
        while sign * (f(near) - target) < 0:
            far, near = near, 2 * near

    def fallback(far, near):
        if e is None:
            return (far + near) / 2
        g_far, g_near = abs(e - far), abs(e - near)
        if g_near == 0:                     # still touching the end: double the digits
            g = min(g_far / 2, g_far ** 2)
        elif g_far > 4 * g_near:
            g = mpmath.sqrt(g_far * g_near)
        else:
            return (far + near) / 2
        return e - sign * g                 # may round onto e: then ν is unresolved

    v = fallback(far, near)
    tol = mpmath.eps * 4
    for _ in range(10 * mpmath.mp.prec + 200):
        if v == e:                          # the caller raises the precision
            return v
        r = f(v) - target
        if sign * r > 0:
            near = v
        else:
            far = v
        new = v - r / df(v)
        # Newton creeps (by a factor 1 + 1/k per step for f ~ u^{−k}) when the bracket
        # spans many decades of distance to the end; bisect geometrically until it doesn't
        spread = e is not None and (near == e or abs(e - far) > 4 * abs(e - near))
        if spread or not min(far, near) < new < max(far, near):
            new = fallback(far, near)
        # relative tolerance: roots near 0 (tiny β) need their relative digits too
        if abs(new - v) <= tol * abs(new) or abs(near - far) <= tol * min(abs(far), abs(near)):
            return new
        v = new
    raise ArithmeticError(f"root of the link for β = {target} did not converge.")


def potential_from_link(f, z, beta, *, try_closed_form: bool = True,
                        source: str = f"{PAPER}, App. A, eqs. (9)–(12) (general recipe)",
                        fidelity: str = "reconstructed") -> LinkPotential:
    """The implicit regulariser of gradient-flow solutions β = f(Xᵀν) (App. A).

    KKT conditions of argmin Q s.t. Xβ = y read ∇Q(β) = Xᵀν (eq. 11); matching
    them with β = f(Xᵀν) (eq. 9) gives ∇Q = f⁻¹ (eq. 12), so
    Q(β) = ∫_{β₀}^β f⁻¹(u) du with β₀ = f(0), the initialisation's β (0 for the
    diagonal networks; α² for β = w⊙w from w = α𝟙, whose link is α²eᵛ).  Adding
    a constant or a multiple of ⟨Xᵀν, β⟩ would not move the minimiser; this
    choice makes Q(β₀) = Q'(β₀) = 0.

    Steps: (1) the branch of f containing 0 (``continuous_domain``); (2) f⁻¹ in
    closed form, first with ``invert_real`` (compositions of invertible
    functions), else with ``solve`` when f(ν) = β is polynomial of degree ≤ 2
    in ν after clearing denominators — each candidate branch is checked
    numerically to satisfy f⁻¹(f(ν)) = ν; (3) ``integrate`` from β₀ and
    ``simplify``, checked by differentiating back.  If (2) or (3) fails the
    result is an :class:`ImplicitPotential`.

    >>> nu, b = sp.symbols("nu beta", real=True)
    >>> potential_from_link(2*sp.sinh(nu), nu, b).expr
    beta*asinh(beta/2) - sqrt(beta**2 + 4) + 2
    >>> potential_from_link(sp.Symbol("alpha", positive=True)**2 * sp.exp(nu), nu, b).expr
    alpha**2 + beta*log(beta/alpha**2) - beta
    """
    f = sp.sympify(f)
    origin = sp.simplify(f.subs(z, 0))
    slope = sp.simplify(sp.diff(f, z).subs(z, 0))
    if slope.is_positive is False or slope == 0:
        raise ValueError(f"the link must increase through 0 (f'(0) = {slope}); "
                         "a decreasing link gives a concave Q — negate ν.")
    lower, upper = _branch_containing_zero(f, z)
    steps = [f"link β = {f} on the branch ν ∈ ({lower}, {upper})."]
    inverse = None
    if try_closed_form:
        inverse, how = _closed_inverse(f, z, beta, lower, upper)
        steps.append(how)
    common = dict(link=f, nu=z, beta=beta, lower=lower, upper=upper, source=source,
                  fidelity=fidelity)
    if inverse is not None:
        u = sp.Dummy("u", real=True)
        integral = sp.integrate(inverse.subs(beta, u), (u, origin, beta))
        if not integral.has(sp.Integral, sp.Piecewise):
            expr = sp.simplify(integral)
            if (sp.simplify(expr.subs(beta, origin)) == 0
                    and _same_function(sp.diff(expr, beta), inverse, beta, f.free_symbols - {z})):
                steps.append(f"∫_{{{origin}}}^β f⁻¹(u) du = {expr} (sympy.integrate + simplify; "
                             f"checked: d/dβ of it is f⁻¹ and it vanishes at β₀ = {origin}).")
                return ClosedFormPotential(inverse=inverse, derivation=" ".join(steps),
                                           expr=expr, **common)
        steps.append("sympy.integrate gave no usable closed form of ∫_{β₀}^β f⁻¹.")
    steps.append("Implicit potential: Taylor series by Lagrange inversion of f, asymptotics by "
                 "dominant balance, values through the Legendre form Q(f(ν)) = νf(ν) − ∫₀^ν f.")
    return ImplicitPotential(inverse=inverse, derivation=" ".join(steps), **common)


def _probe_values(symbols, seed_values=(sp.Rational(7, 10), sp.Rational(13, 10))):
    # exact rationals: Float probes would carry 15-digit rounding into 30-digit checks
    return [{s: v for s in symbols} for v in seed_values] or [{}]


def _same_function(a, b, var, params, points=(sp.Rational(-17, 10), sp.Rational(-3, 10),
                                               sp.Rational(1, 5), sp.Rational(9, 10), sp.Rational(5, 2))):
    """Numerical identity check of two expressions at probe points (30 digits)."""
    for subs in _probe_values(params):
        for p in points:
            va = sp.N(a.subs(subs).subs(var, p), 30)
            vb = sp.N(b.subs(subs).subs(var, p), 30)
            if not (va.is_number and vb.is_number) or abs(complex(va - vb)) > 1e-20 * (1 + abs(complex(vb))):
                return False
    return True


def _closed_inverse(f, z, beta, lower, upper):
    """A closed-form inverse branch of f through 0, or (None, why)."""
    params = f.free_symbols - {z}
    candidates = []
    try:
        x, sols = invert_real(f, beta, z)
    except (NotImplementedError, ValueError, TypeError):
        x, sols = None, None
    if x == z:
        candidates = _finite_elements(sols)
        how = "f⁻¹ by sympy's invert_real"
    if not candidates:
        num, _ = sp.fraction(sp.together(f - beta))
        if num.is_polynomial(z) and sp.degree(num, z) <= 2:
            candidates = sp.solve(num, z)
            how = "f⁻¹ by solving the (≤ quadratic) polynomial equation f(ν) = β"
        else:
            return None, ("f(ν) = β has no closed-form solution sympy can use (not a composition "
                          "of invertible functions; polynomial of degree > 2 after clearing "
                          "denominators).")
    # the branch through 0: g(f(ν)) = ν at probe points inside the branch
    lo = -0.9 if lower.is_finite else -2.0
    hi = 0.9 if upper.is_finite else 2.0
    probes = [sp.nsimplify(p) for p in (lo * abs(float(lower)) if lower.is_finite else lo,
                                         -0.2, 0.15, hi * abs(float(upper)) if upper.is_finite else hi)]
    for g in candidates:
        ok = True
        for subs in _probe_values(params):
            for p in probes:
                val = sp.N(g.subs(subs).subs(beta, f.subs(subs).subs(z, p)), 30)
                if not val.is_real or abs(float(val) - p) > 1e-20:
                    ok = False
        if ok:
            return g, f"{how}: f⁻¹(β) = {g} (branch through 0 checked numerically)."
    return None, f"{how} gave no real branch through 0."


# =============================================================================
# Depth 2 (Thm 1): q and Q_α
# =============================================================================

@derivation
def q_potential() -> ClosedFormPotential:
    """q = ∫₀ᶻ arcsinh(u/2) du, derived from the link β = 2 sinh ν (Thm 1, eq. 5).

    App. A with α = 1: gradient flow gives β = 2 sinh(Xᵀν) (eq. 17), so
    q' = (2 sinh)⁻¹ = arcsinh(·/2) and q = 2 − √(4+z²) + z·arcsinh(z/2).
    """
    return potential_from_link(2 * sp.sinh(_S.nu), _S.nu, _S.z,
                               source=f"{PAPER}, Thm 1, eq. (5); App. A, eqs. (17)–(19)",
                               fidelity="paper")


@derivation
def q_prediction() -> Prediction:
    """KR-1: q(z) = ∫₀ᶻ arcsinh(u/2) du = 2 − √(4+z²) + z·arcsinh(z/2) (Thm 1, eq. 5).

    >>> q_prediction().expr
    z*asinh(z/2) - sqrt(z**2 + 4) + 2
    """
    pot = q_potential()
    return Prediction("q, coordinate potential of the depth-2 DLN", pot.expr, (_S.z,),
                      f"{PAPER}, Thm 1, eq. (5)", "paper", pot.derivation,
                      conditions="all real z; Q_α(β) = Σᵢ q(βᵢ/α²)")


@derivation
def q_stable_prediction() -> Prediction:
    """q(z) = z·arcsinh(z/2) − z²/(2 + √(4+z²)): the same function without the
    cancellation of 2 − √(4+z²) at small z (float64-safe for all z)."""
    q = q_prediction().expr
    z = _S.z
    # 2 − √(4+z²) = (4 − (4+z²)) / (2 + √(4+z²)): rationalise the numerator
    stable = z * sp.asinh(z / 2) - z ** 2 / (2 + sp.sqrt(4 + z ** 2))
    _check(sp.simplify(q - stable) == 0, "the cancellation-free form of q differs from q")
    return Prediction("q, cancellation-free form", stable, (z,), f"{PAPER}, Thm 1, eq. (5)",
                      "paper", "q from q_prediction with 2 − √(4+z²) = −z²/(2 + √(4+z²)); "
                      "identity checked by sympy.simplify.")


@derivation
def q_series(n: int = 10) -> Prediction:
    """KR-2: q(z) = z²/4 − z⁴/192 + z⁶/2560 − … at 0 (§4: "q(z) = z²/4 + O(z⁴)").

    >>> q_series(8).expr
    z**6/2560 - z**4/192 + z**2/4
    """
    series = q_potential().series(n)
    return Prediction("q, Taylor series at 0", series.expr, (_S.z,),
                      f"{PAPER}, §4 (q(z) = z²/4 + O(z⁴), the kernel regime)", "paper",
                      "sympy.series of the derived closed form; the leading term is the "
                      "paper's, the further terms are exact consequences of eq. (5).",
                      conditions="z → 0", order=series.order)


@derivation
def q_asymptotic(n: int = 6) -> Prediction:
    """KR-2: q(z) = z log z − z + 2 − 1/z + 1/(2z³) − … as z → +∞ (§4: q = Θ(z log z)).

    q is even, so for z → −∞ replace z by |z|.

    >>> q_asymptotic(4).expr
    z*log(z) - z + 2 - 1/z + 1/(2*z**3)
    """
    asym = q_potential().asymptotic(n)
    return Prediction("q, asymptotic expansion at +∞", asym.expr, (_S.z,),
                      f"{PAPER}, §4 (q(z) = Θ(z log z) as z → ∞, the rich regime)", "paper",
                      asym.derivation + " The leading term is the paper's; the others are exact "
                      "consequences of eq. (5).", conditions="z → +∞ (q is even)",
                      order=asym.order)


@derivation
def hypentropy_potential() -> ClosedFormPotential:
    """KR-3: App. A on the depth-2 link with its scale, β = 2α² sinh ν (eq. 17–19).

    The recipe gives ∫₀^β arcsinh(u/(2α²)) du = α²·q(β/α²): the paper's
    Q_α(β) = Σ q(βᵢ/α²) up to the positive factor α², which does not move the
    argmin.
    """
    return potential_from_link(2 * _S.alpha ** 2 * sp.sinh(_S.nu), _S.nu, _S.beta,
                               source=f"{PAPER}, Thm 1, eqs. (5), (17)–(19); App. A",
                               fidelity="paper")


# =============================================================================
# Depth D ≥ 3 (Thm 3): h_D and q_D
# =============================================================================

def _depth(D):
    if isinstance(D, sp.Symbol):
        return D
    if int(D) != D or int(D) < 3:
        raise ValueError(f"h_D is defined for integer depth D ≥ 3 (Thm 3), got D = {D}; "
                         "depth 2 is q (Thm 1).")
    return sp.Integer(int(D))


def _k(D):
    return D / (D - 2)


def h_D(D=_S.D, var=_S.z) -> sp.Expr:
    """h_D(z) = (1−z)^{−D/(D−2)} − (1+z)^{−D/(D−2)} on (−1, 1) (Thm 3; App. C).

    >>> h_D(3)
    -1/(z + 1)**3 + (1 - z)**(-3)
    """
    D = _depth(D)
    k = _k(D)
    return (1 - var) ** (-k) - (1 + var) ** (-k)


@derivation
def h_D_prediction() -> Prediction:
    """KR-4: the link of the depth-D DLN, β = α^D h_D(Xᵀν) (App. C)."""
    return Prediction("h_D, link of the depth-D DLN", h_D(), (_S.z, _S.D),
                      f"{PAPER}, Thm 3; App. C (proof of Thm 3)", "paper", "typed from Thm 3.",
                      conditions="integer D ≥ 3, z ∈ (−1, 1); odd and increasing, "
                                 "h_D(±1) = ±∞")


@derivation
def h_D_series(D=_S.D, n: int = 8) -> Prediction:
    """KR-4: h_D(z) = (2D/(D−2))·z + … at 0 (App. C, eq. 107: 2D/(D−2)·z + O(z³)).

    Exactly h_D(z) = 2 Σ_{j odd} C(k+j−1, j) zʲ with k = D/(D−2).
    """
    D = _depth(D)
    expr = sp.series(h_D(D), _S.z, 0, n).removeO()
    expr = sum(sp.factor(expr.coeff(_S.z, j)) * _S.z ** j for j in range(n))
    return Prediction("h_D, Taylor series at 0", expr, _sym_tuple(_S.z, D),
                      f"{PAPER}, App. C, eq. (107)", "paper",
                      "sympy.series of h_D at 0, coefficients factored; the linear term is "
                      "eq. (107), the others exact consequences.", conditions="z → 0",
                      order=sp.Order(_S.z ** n, _S.z))


def _sym_tuple(var, D):
    return (var, D) if isinstance(D, sp.Symbol) else (var,)


@derivation
def h_D_endpoint_series(D=_S.D, n: int = 4) -> Prediction:
    """KR-4: h_D near z → 1⁻ in u = 1 − z: u^{−k} − 2^{−k}·Σ_{j<n} C(k+j−1, j)(u/2)ʲ.

    (z → −1⁺ by oddness, h_D(−z) = −h_D(z).)  k = D/(D−2).
    """
    D = _depth(D)
    u = sp.Symbol("u", positive=True)
    k = _k(D)
    tail = sp.series((2 - u) ** (-k), u, 0, n).removeO()
    tail = sum(sp.factor(tail.coeff(u, j)) * u ** j for j in range(n))
    expr = u ** (-k) - tail
    return Prediction("h_D near z = 1 (u = 1 − z → 0⁺)", expr, _sym_tuple(u, D),
                      f"{PAPER}, Thm 3; App. C (h_D(±1) = ±∞)", "paper",
                      "h_D(1−u) = u^{−k} − (2−u)^{−k}; the second term expanded by sympy.series "
                      "in u (a binomial series, convergent for u < 2).",
                      conditions="u = 1 − z → 0⁺; z → −1⁺ by oddness",
                      order=sp.Order(u ** n, u))


@derivation
def h_D_inverse_series(D=_S.D, n: int = 8) -> Prediction:
    """KR-4: h_D⁻¹(t) at 0 by series reversion: (D−2)/(2D)·t + … (Thm 3)."""
    D = _depth(D)
    expr = _h_D_reversion(D, _S.t, n)
    return Prediction("h_D⁻¹, Taylor series at 0", expr, _sym_tuple(_S.t, D),
                      f"{PAPER}, Thm 3 (the unique inverse of h_D on [−1, 1])", "paper",
                      "Lagrange inversion of the series of h_D (series_reversion).",
                      conditions="t → 0", order=sp.Order(_S.t ** n, _S.t))


def _h_D_reversion(D, var, n):
    """series_reversion of h_D; for symbolic D it runs in k = D/(D−2), where the
    coefficients of h_D are polynomials (2·C(k+j−1, j)), and substitutes back."""
    if not isinstance(D, sp.Symbol):
        return series_reversion(h_D(D), _S.z, var, n)
    k = sp.Symbol("k", positive=True)
    rev = series_reversion((1 - _S.z) ** (-k) - (1 + _S.z) ** (-k), _S.z, var, n)
    return sum(sp.factor(rev.coeff(var, j).subs(k, _k(D))) * var ** j for j in range(n))


@derivation
def deep_potential(D: int) -> ImplicitPotential:
    """q_D = ∫₀ h_D⁻¹ for integer D ≥ 3 via the App. A recipe (Thm 3): implicit.

    potential_from_link finds no closed inverse (h_D(ν) = t is a polynomial
    equation of degree ≥ 4 in ν) and returns an :class:`ImplicitPotential`
    with series, asymptotics and exact numeric evaluators.
    """
    D = _depth(D)
    if isinstance(D, sp.Symbol):
        raise ValueError("deep_potential needs an integer depth D ≥ 3 (its evaluators are "
                         "numeric); use q_D_series / q_D_asymptotic_general for symbolic D.")
    return potential_from_link(h_D(D, _S.nu), _S.nu, _S.t,
                               source=f"{PAPER}, Thm 3; App. C", fidelity="paper")


@derivation
def q_D_series(D=_S.D, n: int = 8) -> Prediction:
    """KR-4: q_D(t) = (D−2)/(4D)·t² − … at 0, integrating the reverted h_D series.

    The leading term gives the kernel regime: Q^D_α(β) ≈ (D−2)/(4D)·‖β‖₂²/α^{2D}.
    """
    D = _depth(D)
    u = sp.Dummy("u")
    inv = _h_D_reversion(D, u, n - 1)
    expr = sp.integrate(inv, (u, 0, _S.t))
    expr = sum(sp.factor(expr.coeff(_S.t, j)) * _S.t ** j for j in range(n))
    return Prediction("q_D, Taylor series at 0", expr, _sym_tuple(_S.t, D),
                      f"{PAPER}, Thm 3 (q_D = ∫ h_D⁻¹)", "paper",
                      "h_D⁻¹ by Lagrange inversion of the series of h_D, integrated from 0; "
                      "exact consequences of Thm 3's definition.",
                      conditions="t → 0", order=sp.Order(_S.t ** n, _S.t))


def _ps(expr, var, n):
    """The first n Taylor coefficients of expr in var (a truncated power series)."""
    s = sp.expand(sp.series(expr, var, 0, n).removeO())
    return [s.coeff(var, j) for j in range(n)]


def _ps_mul(a, b, n):
    return [sp.expand(sum(a[i] * b[j - i] for i in range(j + 1) if i < len(a) and j - i < len(b)))
            for j in range(n)]


def _ps_pow(a, e, n):
    """(Σ aⱼ wʲ)^e through w^{n−1}, integer e (a₀ ≠ 0 when e < 0)."""
    base = list(a[:n]) + [sp.Integer(0)] * max(0, n - len(a))
    if e < 0:                                   # reciprocal by the usual recursion
        inv = [1 / base[0]]
        for j in range(1, n):
            inv.append(sp.expand(-sum(base[i] * inv[j - i] for i in range(1, j + 1)) / base[0]))
        base, e = inv, -e
    out = [sp.Integer(1)] + [sp.Integer(0)] * (n - 1)
    for _ in range(e):
        out = _ps_mul(out, base, n)
    return out


@derivation
def _endpoint_expansion(D: int, n_terms: int):
    """(h_D⁻¹, q_D) at t → +∞ as expansions in w = t^{−1/D} (integer D ≥ 3).

    Chart u = 1 − z = v^{D−2} (v > 0): then u^{−k} = v^{−D} and u^{1−k} = v^{−2}
    with k = D/(D−2), so t = h_D(1−u) and the Legendre form
    q_D = z·t − ∫₀^z h_D are Laurent series in v (v^D·q_D is a power series).
    From t = v^{−D}(1 − v^D (2 − v^{D−2})^{−k}) one gets w = v·φ(v), φ(0) = 1,
    reverted by Lagrange inversion to v = w·ψ(w); then
    q_D = Σⱼ aⱼ w^{j−D} ψ(w)^{j−D}, truncated to O(w^{n_terms}), and
    h_D⁻¹ = 1 − w^{D−2} ψ(w)^{D−2} to O(w^{D−2+n_terms}).
    """
    Dn = int(D)
    m = Dn - 2
    k = sp.Rational(Dn, m)
    v, w = sp.symbols("v w", positive=True)
    z = _S.z
    anti = sp.integrate(h_D(Dn), (z, 0, z))              # ∫₀^z h_D, closed form
    t_v = v ** (-Dn) - (2 - v ** m) ** (-k)
    q_v = (1 - v ** m) * t_v - sp.powsimp(sp.expand(anti.subs(z, 1 - v ** m)), force=True)
    a = _ps(sp.powsimp(sp.expand(v ** Dn * q_v), force=True), v, n_terms + Dn)
    w_v = v * (1 - v ** Dn * (2 - v ** m) ** (-k)) ** sp.Rational(-1, Dn)
    P = n_terms + Dn                                     # ψ is needed through w^{P−1}
    v_w = series_reversion(w_v, v, w, P + 1)
    psi = [v_w.coeff(w, j + 1) for j in range(P)]
    q_w = sp.Integer(0)
    for j, aj in enumerate(a):
        e = j - Dn
        need = n_terms - e                               # keep w^{e+i} with e + i < n_terms
        if aj == 0 or need <= 0:
            continue
        pe = _ps_pow(psi, e, need)
        q_w += aj * sum(pe[i] * w ** (e + i) for i in range(need))
    pm = _ps_pow(psi, m, n_terms)
    z_w = 1 - sum(pm[i] * w ** (m + i) for i in range(n_terms))
    return sp.expand(z_w), sp.expand(q_w), w


@derivation
def h_D_inverse_asymptotic(D: int, n_terms: int = 6) -> Prediction:
    """KR-4 (reconstructed): h_D⁻¹(t) = 1 − t^{−(D−2)/D} + … as t → +∞ (integer D ≥ 3)."""
    D = int(_depth(D))
    z_w, _, w = _endpoint_expansion(D, n_terms)
    tp = sp.Symbol("t", positive=True)
    expr = z_w.subs(w, tp ** sp.Rational(-1, D)).subs(tp, _S.t)
    return Prediction(f"h_{D}⁻¹ at +∞", expr, (_S.t,), f"{PAPER}, Thm 3 (h_D⁻¹ → ±1)",
                      "reconstructed",
                      "chart u = 1 − z = v^{D−2}, w = t^{−1/D}; w = v·φ(v) reverted by Lagrange "
                      "inversion (see q_D_asymptotic).", conditions="t → +∞ (odd in t)",
                      order=sp.Order(_S.t ** sp.Rational(-(D - 2 + n_terms), D), (_S.t, sp.oo)))


@derivation
def q_D_asymptotic(D: int, n_terms: int = 4) -> Prediction:
    """KR-4 (reconstructed): q_D(t) as t → +∞ for integer D ≥ 3, e.g.

    q_3(t) = t − (3/2)t^{2/3} + 7/8 − (1/8)t^{−1/3} + …;  in general
    q_D(t) = t − (D/2)·t^{2/D} + (D−2)(1 − 2^{−D/(D−2)}) − 2^{−D/(D−2)}·t^{−(D−2)/D} + …
    (q_D is even; use |t|).  ``n_terms`` counts powers of w = t^{−1/D} beyond w^{−D}.

    >>> q_D_asymptotic(3, 2).expr
    -3*t**(2/3)/2 + t + 7/8 - 1/(8*t**(1/3))
    """
    D = int(_depth(D))
    _, q_w, w = _endpoint_expansion(D, n_terms)
    tp = sp.Symbol("t", positive=True)
    expr = sp.expand(q_w.subs(w, tp ** sp.Rational(-1, D))).subs(tp, _S.t)
    return Prediction(f"q_{D} at +∞", expr, (_S.t,),
                      f"{PAPER}, Thm 3 (q_D = ∫ h_D⁻¹; rich-regime limit)", "reconstructed",
                      "Legendre form q_D(h_D(z)) = z·h_D(z) − ∫₀^z h_D in the chart "
                      "1 − z = v^{D−2}; w = t^{−1/D} = v·φ(v) reverted by Lagrange inversion, "
                      "substituted and expanded by sympy.series in w.",
                      conditions="t → +∞ (q_D is even)",
                      order=sp.Order(_S.t ** sp.Rational(-n_terms, D), (_S.t, sp.oo)))


@derivation
def q_D_asymptotic_general() -> Prediction:
    """KR-4 (reconstructed): for symbolic D > 2, as |t| → ∞,

    q_D(t) = |t| − (D/2)|t|^{2/D} + (D−2)(1 − 2^{−D/(D−2)}) + O(|t|^{−(D−2)/D}).

    Derived with D = 2 + 2/m (m > 0, so k = D/(D−2) = 1 + m) in the exact
    endpoint form: with u = 1 − h_D⁻¹(t),
    q_D = t − (D/2)u^{1−k} + u(2−u)^{−k} − (1/m)(2−u)^{−m} + 2/m  (checked by sympy),
    and u^{1−k} = (t + (2−u)^{−k})^{(k−1)/k} exactly (from t = h_D(1−u)); the
    difference (t + c)^{2/D} − t^{2/D} → 0 and u → 0 give the constant.
    """
    m = sp.Symbol("m", positive=True)
    u = sp.Symbol("u", positive=True)
    tp = sp.Symbol("t", positive=True)
    c = sp.Symbol("c", positive=True)
    z = _S.z
    k = 1 + m
    Dm = 2 + 2 / m
    h = (1 - z) ** (-k) - (1 + z) ** (-k)
    anti = sp.integrate(h, (z, 0, z))
    t_u = h.subs(z, 1 - u)
    legendre = (1 - u) * t_u - anti.subs(z, 1 - u)
    endpoint_form = t_u - Dm / 2 * u ** (1 - k) + u * (2 - u) ** (-k) - (2 - u) ** (-m) / m + 2 / m
    _check(sp.simplify(sp.powsimp(sp.expand(legendre - endpoint_form), force=True)) == 0,
           "the endpoint form of the Legendre representation of q_D")
    # q_D − t + (D/2) t^{2/D}, written with u^{1−k} = (t + (2−u)^{−k})^{(k−1)/k}:
    p = (k - 1) / k                                          # = 2/D
    vanishing = sp.limit(tp ** p * ((1 + c / tp) ** p - 1), tp, sp.oo)
    _check(vanishing == 0, "t^{2/D}((1 + c/t)^{2/D} − 1) → 0")
    constant = sp.limit(u * (2 - u) ** (-k) - (2 - u) ** (-m) / m + 2 / m, u, 0, "+")
    D = _S.D
    constant_D = sp.simplify(constant.subs(m, 2 / (D - 2)))
    target = (D - 2) * (1 - 2 ** (-D / (D - 2)))
    _check(all(abs(float((constant_D - target).subs(D, dv))) < 1e-12 for dv in (3, 4, 5, 7, 11)),
           f"the constant of q_D at ∞ came out as {constant_D}")
    ta = sp.Abs(_S.t)
    expr = ta - D / 2 * ta ** (2 / D) + target
    return Prediction("q_D at ±∞ (symbolic D)", expr, (_S.t, D),
                      f"{PAPER}, Thm 3 (q_D = ∫ h_D⁻¹; rich-regime limit)", "reconstructed",
                      "exact endpoint form of the Legendre representation (sympy-verified with "
                      "D = 2 + 2/m), t^{2/D}((1 + c/t)^{2/D} − 1) → 0 and the u → 0 limit of the "
                      f"remaining terms = {constant} = (D−2)(1 − 2^{{−D/(D−2)}}) by sympy.limit.",
                      conditions="|t| → ∞, D > 2",
                      order=sp.Order(_S.t ** (-(D - 2) / D), (_S.t, sp.oo)))


# =============================================================================
# KR-5: the ℓ1 (α → 0) and ℓ2 (α → ∞) limits of the normalised potentials
# =============================================================================

@derivation
def l1_limit(D=2) -> Prediction:
    """KR-5: the rich limit, normaliser(α)·q_D(β/α^D) → |β| as α → 0.

    D = 2: α²/ln(1/α²)·q(β/α²) → |β| (§4; Lemma 1).  D ≥ 3: α^D·q_D(β/α^D) → |β|
    (Thm 3), from q_D(t) = |t| − (D/2)|t|^{2/D} + O(1).  So Q^D_α ∝ ‖β‖₁ in
    the limit, and the interpolant tends to β*_L1.
    """
    a, b = _S.alpha, sp.Symbol("b", positive=True)
    if D == 2:
        norm = a ** 2 / sp.log(1 / a ** 2)
        expr = norm * q_prediction().expr.subs(_S.z, b / a ** 2)
        lim = sp.limit(expr.rewrite(sp.log), a, 0, "+")
        src, how = (f"{PAPER}, §4 and Lemma 1 (App. B)",
                    f"sympy.limit of α²/ln(1/α²)·q(b/α²) at α → 0⁺ (b > 0; q even) = {lim}.")
    else:
        D = _depth(D)
        norm = a ** D
        m = sp.Symbol("m", positive=True)       # D = 2 + 2/m keeps D > 2 visible to sympy
        asym = q_D_asymptotic_general().expr.subs(_S.t, b / a ** D)
        lim = sp.limit((norm * asym).subs(_S.D, 2 + 2 / m) if isinstance(D, sp.Symbol)
                       else norm * asym, a, 0, "+")
        src, how = (f"{PAPER}, Thm 3", "sympy.limit at α → 0⁺ of α^D·(q_D's expansion at ∞ "
                    f"at b/α^D, b > 0) = {lim}; the rest is O(α^D).")
    _check(sp.simplify(lim - b) == 0, f"the ℓ1 limit came out as {lim}")
    return Prediction(f"ℓ1 limit of the depth-{D} potential", {"normalizer": norm,
                      "limit": sp.Abs(_S.beta)}, _sym_tuple(_S.alpha, D) + (_S.beta,),
                      src, "paper", how, conditions="α → 0⁺: normalizer·Σᵢ q_D(βᵢ/α^D) → ‖β‖₁")


@derivation
def l2_limit(D=2) -> Prediction:
    """KR-5: the kernel limit, normaliser(α)·q_D(β/α^D) → β² as α → ∞.

    D = 2: 4α⁴·q(β/α²) → β² (§4; Lemma 3).  D ≥ 3: (4D/(D−2))·α^{2D}·q_D(β/α^D) → β²
    (Thm 3), from q_D(t) = (D−2)/(4D)·t² + O(t⁴).
    """
    a, b = _S.alpha, sp.Symbol("b", positive=True)
    if D == 2:
        norm = 4 * a ** 4
        lim = sp.limit(norm * q_prediction().expr.subs(_S.z, b / a ** 2), a, sp.oo)
        src = f"{PAPER}, §4 and Lemma 3 (App. B)"
    else:
        D = _depth(D)
        norm = 4 * D / (D - 2) * a ** (2 * D)
        ser = q_D_series(D, 6).expr.subs(_S.t, b / a ** D)
        if isinstance(D, sp.Symbol):
            m = sp.Symbol("m", positive=True)
            lim = sp.limit((norm * ser).subs(D, 2 + 2 / m), a, sp.oo)
        else:
            lim = sp.limit(norm * ser, a, sp.oo)
        src = f"{PAPER}, Thm 3; App. C, eq. (107)"
    _check(sp.simplify(lim - b ** 2) == 0, f"the ℓ2 limit came out as {lim}")
    return Prediction(f"ℓ2 limit of the depth-{D} potential",
                      {"normalizer": norm, "limit": _S.beta ** 2},
                      _sym_tuple(_S.alpha, D) + (_S.beta,), src, "paper",
                      f"sympy.limit at α → ∞ of normalizer·q_D(b/α^D) (Taylor series at 0) = {lim}.",
                      conditions="α → ∞: normalizer·Σᵢ q_D(βᵢ/α^D) → ‖β‖₂²")


# =============================================================================
# KR-6, KR-7: Lemmas 1 and 3 and Theorem 2 (App. B)
# =============================================================================

def _alpha1(eps, n1, d):
    """α₁(ε, ‖β‖₁, d) of Lemma 1."""
    return sp.Min(1, sp.sqrt(n1), (2 * n1) ** (-1 / (2 * eps)), sp.exp(-d / (2 * eps * n1)))


def _alpha2(eps, n2):
    """α₂(ε, ‖β‖₂) of Lemma 3."""
    return sp.sqrt(n2) * (1 + eps ** sp.Rational(-1, 4))


@derivation
def lemma1_threshold() -> Prediction:
    """KR-7: α₁(ε, ‖β‖₁, d) = min{1, √‖β‖₁, (2‖β‖₁)^{−1/(2ε)}, exp(−d/(2ε‖β‖₁))} (Lemma 1)."""
    e, n1, d = _S.epsilon, _S.l1_norm, _S.d
    return Prediction("Lemma 1 threshold α₁", _alpha1(e, n1, d), (e, n1, d),
                      f"{PAPER}, Lemma 1 (App. B)", "paper", "typed from Lemma 1.",
                      conditions="α ≤ α₁ (and α < 1 strictly: ln(1/α²) divides) ⇒ "
                                 "(1−ε)‖β‖₁ ≤ α²/ln(1/α²)·Q(β/α²) ≤ (1+ε)‖β‖₁")


def _beta_symbols(dim):
    if int(dim) != dim or dim < 1:
        raise ValueError(f"dimension must be a positive integer, got {dim}.")
    return sp.symbols(f"beta_1:{int(dim) + 1}", real=True)


@derivation
def lemma1_bounds(dim: int) -> Prediction:
    """KR-7: Lemma 1 in dimension ``dim`` as a two-sided inequality (eqs. 24–42).

    Parts: ``lower`` = (1−ε)‖β‖₁, ``scaled`` = α²/ln(1/α²)·Σᵢ q(βᵢ/α²),
    ``upper`` = (1+ε)‖β‖₁, ``alpha_max`` = α₁(ε, ‖β‖₁, d) and ``holds`` =
    (lower ≤ scaled ≤ upper).  Symbols: β₁ … β_d, α, ε.
    """
    betas = _beta_symbols(dim)
    a, e = _S.alpha, _S.epsilon
    q = q_prediction().expr
    n1 = sum(sp.Abs(b) for b in betas)
    scaled = a ** 2 / sp.log(1 / a ** 2) * sum(q.subs(_S.z, b / a ** 2) for b in betas)
    lower, upper = (1 - e) * n1, (1 + e) * n1
    return Prediction(f"Lemma 1 bounds, d = {dim}", {
        "lower": lower, "scaled": scaled, "upper": upper,
        "alpha_max": _alpha1(e, n1, sp.Integer(dim)),
        "holds": sp.And(lower <= scaled, scaled <= upper)}, betas + (a, e),
        f"{PAPER}, Lemma 1 (App. B), eqs. (24)–(42)", "paper",
        "Q(β) = Σ q(βᵢ) with the derived q (Thm 1); the rest typed from Lemma 1.",
        conditions="0 < α ≤ α₁(ε, ‖β‖₁, d), α < 1")


@derivation
def lemma3_threshold() -> Prediction:
    """KR-7: α₂(ε, ‖β‖₂) = √‖β‖₂·(1 + ε^{−1/4}) (Lemma 3)."""
    e, n2 = _S.epsilon, _S.l2_norm
    return Prediction("Lemma 3 threshold α₂", _alpha2(e, n2), (e, n2),
                      f"{PAPER}, Lemma 3 (App. B)", "paper",
                      "typed from Lemma 3 (its 'α₂(ε, ‖w‖₂)' is read as ‖β‖₂, the only "
                      "vector in the statement).",
                      conditions="α ≥ α₂ ⇒ (1−ε)‖β‖₂² ≤ 4α⁴Q(β/α²) ≤ (1+ε)‖β‖₂²")


@derivation
def lemma3_bounds(dim: int) -> Prediction:
    """KR-7: Lemma 3 in dimension ``dim`` (eqs. 59–73).

    Parts: ``lower`` = (1−ε)‖β‖₂², ``scaled`` = 4α⁴·Σᵢ q(βᵢ/α²),
    ``upper`` = (1+ε)‖β‖₂², ``alpha_min`` = α₂(ε, ‖β‖₂), ``holds``.
    """
    betas = _beta_symbols(dim)
    a, e = _S.alpha, _S.epsilon
    q = q_stable_prediction().expr             # same function; no cancellation at small β/α²
    sq = sum(b ** 2 for b in betas)
    scaled = 4 * a ** 4 * sum(q.subs(_S.z, b / a ** 2) for b in betas)
    lower, upper = (1 - e) * sq, (1 + e) * sq
    return Prediction(f"Lemma 3 bounds, d = {dim}", {
        "lower": lower, "scaled": scaled, "upper": upper,
        "alpha_min": _alpha2(e, sp.sqrt(sq)),
        "holds": sp.And(lower <= scaled, scaled <= upper)}, betas + (a, e),
        f"{PAPER}, Lemma 3 (App. B), eqs. (59)–(73)", "paper",
        "Q(β) = Σ q(βᵢ) with q in its cancellation-free form; the rest typed from Lemma 3.",
        conditions="α ≥ α₂(ε, ‖β‖₂)")


@derivation
def theorem2_l1_threshold() -> Prediction:
    """KR-6: α ≤ min{(2(1+ε)‖β*_L1‖₁)^{−(2+ε)/(2ε)}, exp(−d/(ε‖β*_L1‖₁))} ⇒
    ‖β̂_α‖₁ ≤ (1+ε)‖β*_L1‖₁ (Thm 2).

    Parts ``alpha_max`` and ``log_alpha_max`` (the same bound in log space:
    the threshold is far below 1e-300 for small ε).  Symbols ε, d, ‖β*_L1‖₁.
    """
    e, d, n1 = _S.epsilon, _S.d, _S.l1_norm
    p1 = (2 * (1 + e) * n1) ** (-(2 + e) / (2 * e))
    p2 = sp.exp(-d / (e * n1))
    log_form = sp.Min(-(2 + e) / (2 * e) * sp.log(2 * (1 + e) * n1), -d / (e * n1))
    return Prediction("Thm 2, ℓ1 threshold", {"alpha_max": sp.Min(p1, p2),
                                              "log_alpha_max": log_form},
                      (e, d, n1), f"{PAPER}, Thm 2 (§4; restated in App. B)", "paper",
                      "typed from Thm 2.", conditions="0 < ε < d; α ≤ alpha_max ⇒ "
                      "‖β̂_α‖₁ ≤ (1+ε)‖β*_L1‖₁")


@derivation
def theorem2_l2_threshold() -> Prediction:
    """KR-6: α ≥ √(2(1+ε)(1+2/ε)‖β*_L2‖₂) ⇒ ‖β̂_α‖₂² ≤ (1+ε)‖β*_L2‖₂² (Thm 2)."""
    e, n2 = _S.epsilon, _S.l2_norm
    thr = sp.sqrt(2 * (1 + e) * (1 + 2 / e) * n2)
    return Prediction("Thm 2, ℓ2 threshold", {"alpha_min": thr,
                                              "log_alpha_min": sp.log(2 * (1 + e) * (1 + 2 / e) * n2) / 2},
                      (e, n2), f"{PAPER}, Thm 2 (§4; restated in App. B)", "paper",
                      "typed from Thm 2.", conditions="ε > 0 (0 < ε < d stated); α ≥ alpha_min ⇒ "
                      "‖β̂_α‖₂² ≤ (1+ε)‖β*_L2‖₂²")


@derivation
def theorem2_thresholds_from_proof() -> Prediction:
    """KR-6: the thresholds the proof of Thm 2 invokes (App. B):

    α ≤ α₁(ε/(2+ε), (1+2ε)‖β*_L1‖₁, d) and α ≥ α₂(ε/(2+ε), (1+2ε)‖β*_L2‖₂).

    They differ from the theorem's statement (see the ``conditions`` text and
    :func:`theorem2_l1_sufficient_conditions`): the statement's ℓ1 power term
    has 2(1+ε) where the proof's has 2(1+2ε), and the ℓ2 term has a different
    form altogether.
    """
    e, d, n1, n2 = _S.epsilon, _S.d, _S.l1_norm, _S.l2_norm
    ep = e / (2 + e)
    return Prediction("Thm 2 thresholds as invoked in its proof", {
        "l1_alpha_max": _alpha1(ep, (1 + 2 * e) * n1, d),
        "l2_alpha_min": _alpha2(ep, (1 + 2 * e) * n2)}, (e, d, n1, n2),
        f"{PAPER}, App. B, proof of Thm 2 (Lemma 1 at ε/(2+ε), (1+2ε)‖β*_L1‖₁; "
        "Lemma 3 at ε/(2+ε), (1+2ε)‖β*_L2‖₂)", "paper",
        "Lemma 1 and Lemma 3 thresholds with the arguments the proof names.",
        conditions="not identical to Thm 2's statement: compare with theorem2_l1_threshold / "
                   "theorem2_l2_threshold")


@derivation
def theorem2_l1_sufficient_conditions() -> Prediction:
    """KR-6 (reconstructed): conditions under which Thm 2's ℓ1 claim follows.

    Re-bookkeeping of the proof: with ε' = ε/(2+ε) and L = ln(1/α²),
    ‖β̂‖₁ ≤ α²/L·Q(β̂/α²) + d/L (eq. 40, any β, α < 1)
           ≤ α²/L·Q(β*/α²) + d/L (β̂ minimises Q)
           ≤ (1+ε')‖β*‖₁ + d/L   (Lemma 1's upper half for β*)
    and (1+ε')‖β*‖₁ + d/L ≤ (1+ε)‖β*‖₁ iff d/L ≤ ε(1+ε)/(2+ε)·‖β*‖₁.  Parts:
    ``alpha_max`` (all four conditions) and each condition separately.
    Thm 2's stated threshold satisfies all of them (checked in the tests), so
    the statement is true although the printed proof's Lemma 1 arguments do
    not literally give it.
    """
    e, d, n1 = _S.epsilon, _S.d, _S.l1_norm
    ep = e / (2 + e)
    conds = {"below_one": sp.Integer(1), "sqrt_norm": sp.sqrt(n1),
             "upper_half": (2 * n1) ** (-1 / (2 * ep)),
             "tail": sp.exp(-d * (2 + e) / (2 * e * (1 + e) * n1))}
    return Prediction("Thm 2 ℓ1: sufficient conditions (re-derived)",
                      {"alpha_max": sp.Min(*conds.values()), **conds}, (e, d, n1),
                      f"{PAPER}, Thm 2 and Lemma 1 (App. B), eqs. (40), (80)–(84)",
                      "reconstructed", "chain of eq. (40), optimality of β̂_α, and Lemma 1's "
                      "upper half at ε' = ε/(2+ε); solved for α.",
                      conditions="α < 1 strictly (L > 0)")


@derivation
def theorem2_l2_sharper_threshold() -> Prediction:
    """KR-6 (reconstructed): a sufficient ℓ2 threshold sharper than Thm 2's.

    q(z) ≤ z²/4 (q'' = 1/√(4+z²) ≤ 1/2) and q(z) ≥ z²/4 − z⁴/192 (the remainder
    r has r'' = 1/√(4+z²) − 1/2 + z²/16 ≥ 0, since with y = z² ≤ 8,
    (1/2 − y/16)²(4+y) − 1 = y²(y−12)/256 ≤ 0).  Hence with b = ‖β*_L2‖₂²,
    Y = ‖β‖₂²:  Y − Y²/(48α⁴) ≤ 4α⁴Q(β/α²)  and 4α⁴Q(β*/α²) ≤ b.  Q is convex and
    β̂ minimises it, so every β on [β*, β̂] has Y − Y²/(48α⁴) ≤ b; Y starts at
    b below the smaller root Y₋ = 24α⁴(1 − √(1 − b/(12α⁴))) and cannot cross
    the gap, so ‖β̂‖₂² ≤ Y₋ ≤ (1+ε)b as soon as
    b/(12α⁴) ≤ min{1, 4ε/(1+ε)²}, i.e.
    α ≥ (‖β*_L2‖₂²·max{1, (1+ε)²/(4ε)}/12)^{1/4}.
    """
    e, n2 = _S.epsilon, _S.l2_norm
    thr = (n2 ** 2 * sp.Max(1, (1 + e) ** 2 / (4 * e)) / 12) ** sp.Rational(1, 4)
    return Prediction("Thm 2 ℓ2: sharper sufficient threshold (re-derived)", thr, (e, n2),
                      f"{PAPER}, Thm 2 and Lemma 3 (App. B)", "reconstructed",
                      "two-sided quartic bounds on q, convexity of Q along [β*_L2, β̂_α], "
                      "the smaller root of Y − Y²/(48α⁴) = b; see the docstring.",
                      conditions="α ≥ threshold ⇒ ‖β̂_α‖₂² ≤ (1+ε)‖β*_L2‖₂²")


# =============================================================================
# KR-8: Lemma 2 (eqs. 43–58)
# =============================================================================

@derivation
def lemma2_q_bounds() -> Prediction:
    """KR-8: eq. (46), −1 + ln(1/x) ≤ x·q(1/x) ≤ 3x − 1 + ln(1/x) with x = cα² > 0.

    (Eq. (45) prints ln(1/2 + √(c²α⁴ + 1/2)); the algebra of (44) gives
    √(c²α⁴ + 1/4) — the tests check the corrected identity; (46) is unaffected.)
    """
    x = _S.x
    q = q_prediction().expr
    mid = x * q.subs(_S.z, 1 / x)
    lower, upper = -1 + sp.log(1 / x), 3 * x - 1 + sp.log(1 / x)
    return Prediction("Lemma 2, eq. (46) bounds on x·q(1/x)", {
        "lower": lower, "scaled": mid, "upper": upper,
        "holds": sp.And(lower <= mid, mid <= upper)}, (x,),
        f"{PAPER}, Lemma 2 proof (App. B), eqs. (43)–(46)", "paper",
        "typed from eq. (46); x·q(1/x) from the derived q.", conditions="x = cα² > 0")


@derivation
def lemma2() -> Prediction:
    """KR-8: Lemma 2 (App. B).

    Parts (symbols α, d, ε):

    * ``alpha_necessary`` = d^{−1/4−1/(8ε)}: for α ≥ it, Q(β/α²) is not
      (1+ε)-proportional to ‖β‖₁, so α ≤ d^{−1/4−1/(8ε)} is necessary;
    * ``ratio`` = Q(e₁/α²)/Q(𝟙/(√d α²)) = q(1/α²)/(d·q(1/(α²√d))) (eq. 47);
    * ``ratio_lower_bound`` = (1/√d)·(1 + (ln d − 6√d α²)/(6√d α² − 2 + 2 ln(1/(α²√d))))
      (eqs. 49–51);
    * ``target`` = (1+ε)/√d: the lemma shows ratio ≥ target at α = alpha_necessary
      (eq. 57) and that the ratio increases with α (eq. 58);
    * ``d_min`` = max{e, 12^{4ε}}: the lemma's range of d.
    """
    a, d, e = _S.alpha, _S.d, _S.epsilon
    q = q_prediction().expr
    s = sp.sqrt(d) * a ** 2
    ratio = q.subs(_S.z, 1 / a ** 2) / (d * q.subs(_S.z, 1 / (a ** 2 * sp.sqrt(d))))
    bound = (1 + (sp.log(d) - 6 * s) / (6 * s - 2 + 2 * sp.log(1 / s))) / sp.sqrt(d)
    return Prediction("Lemma 2: necessity of α ≤ d^(−1/4−1/(8ε)) for ℓ1", {
        "alpha_necessary": d ** (-sp.Rational(1, 4) - 1 / (8 * e)),
        "ratio": ratio, "ratio_lower_bound": bound, "target": (1 + e) / sp.sqrt(d),
        "d_min": sp.Max(sp.E, 12 ** (4 * e))}, (a, d, e),
        f"{PAPER}, Lemma 2 (App. B), eqs. (47)–(58)", "paper",
        "ratio of eq. (47) with the derived q; lower bound typed from eq. (51) (divided by √d).",
        conditions="ε > 0, d ≥ max{e, 12^{4ε}}; the lower bound needs "
                   "3√dα² − 1 + ln(1/(α²√d)) > 0 (positive denominator in eq. 49)")


# =============================================================================
# KR-9: Fig. 2b ratio and its transition scale
# =============================================================================

def _q_function(D):
    """(sympy function of one argument, implementations) for q_D (q for D = 2)."""
    if D == 2:
        q = q_stable_prediction()
        return (lambda arg: q.expr.subs(_S.z, arg)), {}
    pot = deep_potential(D)
    name = f"q_{int(D)}"
    return sp.Function(name), {name: (pot.numpy, pot.mpmath)}


@derivation
def ratio_e1_flat(D: int = 2) -> Prediction:
    """KR-9: Q^D_α(e₁)/Q^D_α(𝟙_d/√d) = q_D(α^{−D}) / (d·q_D(α^{−D}/√d)) (Fig. 2b).

    Tends to 1 as α → ∞ (ℓ2: both vectors have unit ℓ2 norm) and to 1/√d as
    α → 0 (ℓ1: ‖𝟙/√d‖₁ = √d).  For D ≥ 3, q_D is evaluated through
    :func:`deep_potential` (undefined sympy function ``q_D`` with numeric
    implementations).  Symbols α, d.
    """
    a, d = _S.alpha, _S.d
    D = 2 if D == 2 else int(_depth(D))
    qf, impls = _q_function(D)
    ratio = qf(a ** (-D)) / (d * qf(a ** (-D) / sp.sqrt(d)))
    src = (f"{PAPER}, Fig. 2b (§5); Lemma 2, eq. (47)" if D == 2
           else f"{PAPER}, Fig. 2b (§5); Thm 3")
    return Prediction(f"Fig. 2b ratio Q_α^{D}(e₁)/Q_α^{D}(𝟙/√d)", ratio, (a, d), src, "paper",
                      "Q^D_α(β) = Σ q_D(βᵢ/α^D) (Thms 1, 3) at β = e₁ and β = 𝟙/√d.",
                      conditions="→ 1 as α → ∞, → 1/√d as α → 0", functions=impls)


@derivation
def transition_scale(D: int = 2) -> Prediction:
    """KR-9 (reconstructed): the α at which √d·ratio = 1 + ε, to leading order.

    With the expansions at ∞ (q: z log z − z; q_D: t − (D/2)t^{2/D}) the ratio of
    Fig. 2b solves in closed form:

    * D = 2: α = e^{−1/2}·d^{−1/4−1/(4ε)}  (compare Lemma 2's d^{−1/4−1/(8ε)}):
      exponentially small in 1/ε;
    * D ≥ 3: α = [2ε/(D((1+ε)d^{(D−2)/(2D)} − 1))]^{1/(D−2)}, so α^D ∝ d^{−1/2}:
      polynomially small (the paper's "polynomial rather than exponential", §5).

    Valid when α^{−D}/√d ≫ 1 (small ε).  Symbols d, ε.
    """
    d, e = _S.d, _S.epsilon
    a = _S.alpha
    if D == 2:
        L = sp.Symbol("L", positive=True)                    # L = ln(1/α²)
        zp = sp.Symbol("z", positive=True)
        asym = sp.expand(q_asymptotic(2).expr.subs(_S.z, zp))
        # the growing part of q at ∞ (z log z − z); the rest is O(1) and drops out
        lead = sum(term for term in sp.Add.make_args(asym)
                   if sp.limit(term / zp, zp, sp.oo) != 0)

        def scaled(x):                                       # x·q(1/x) to leading order
            out = sp.expand(sp.expand_log(x * lead.subs(zp, 1 / x), force=True))
            return out.subs(sp.log(a), -L / 2)
        num, den = scaled(a ** 2), scaled(a ** 2 * sp.sqrt(d))
        sol = sp.solve(sp.Eq(num / den, 1 + e), L)
        alpha_expr = sp.exp(-sol[0] / 2)
        # present it as e^{−1/2}·d^{−1/4−1/(4ε)} (the same number, checked)
        shown = sp.exp(-sp.Rational(1, 2)) * d ** (-sp.Rational(1, 4) - 1 / (4 * e))
        _check(sp.simplify(sp.expand_log(sp.log(alpha_expr) - sp.log(shown), force=True)) == 0,
               "the displayed form of the D = 2 transition scale")
        alpha_expr = shown
        how = (f"growing part of q at ∞: {lead} (q_asymptotic); √d·ratio ≈ ({num})/({den}) "
               f"with L = ln(1/α²); sympy.solve for √d·ratio = 1+ε gives L = {sol[0]}.")
    else:
        Dn = int(_depth(D))
        X = sp.Symbol("X", positive=True)                    # X = (D/2)·T^{−(D−2)/D}, T = α^{−D}
        c = d ** sp.Rational(Dn - 2, 2 * Dn)
        sol = sp.solve(sp.Eq((1 - X) / (1 - X * c), 1 + e), X)
        alpha_expr = (2 * sol[0] / Dn) ** sp.Rational(1, Dn - 2)     # X = (D/2)·α^{D−2}
        how = (f"q_{Dn}(t) ≈ t − (D/2)t^{{2/D}} at ∞ (q_D_asymptotic); √d·ratio ≈ "
               "(1 − X)/(1 − X·d^{(D−2)/(2D)}) with X = (D/2)α^{D−2}; sympy.solve for "
               f"√d·ratio = 1+ε gives X = {sol[0]}.")
    src = (f"{PAPER}, Fig. 2b; §4 and Lemma 2 ('α ≤ d^(−Ω(1/ε)) is necessary')" if D == 2
           else f"{PAPER}, Fig. 2b; §5 ('polynomial rather than exponential')")
    return Prediction(f"transition scale of the Fig. 2b ratio, D = {D}", alpha_expr, (d, e),
                      src, "reconstructed", how,
                      conditions="leading order in α^{−D}/√d → ∞ (small ε); α at which "
                                 "ratio = (1+ε)/√d")


# =============================================================================
# Registry
# =============================================================================

def kernel_rich_predictions(depths=(3, 4, 5)) -> dict:
    """All predictions of this module, keyed by claim id (``docs/claims.md``, KR-1 … KR-9)."""
    deep = tuple(depths)
    return {
        "KR-1": (q_prediction(), q_stable_prediction()),
        "KR-2": (q_series(), q_asymptotic()),
        "KR-3": (hypentropy_potential().prediction("Q_α from the link 2α² sinh ν (App. A)"),),
        "KR-4": (h_D_prediction(), h_D_series(), h_D_endpoint_series(), h_D_inverse_series(),
                 q_D_series(), q_D_asymptotic_general())
                + tuple(q_D_asymptotic(D) for D in deep),
        "KR-5": (l1_limit(2), l2_limit(2), l1_limit(_S.D), l2_limit(_S.D)),
        "KR-6": (theorem2_l1_threshold(), theorem2_l2_threshold(),
                 theorem2_thresholds_from_proof(), theorem2_l1_sufficient_conditions(),
                 theorem2_l2_sharper_threshold()),
        "KR-7": (lemma1_threshold(), lemma3_threshold()),
        "KR-8": (lemma2(), lemma2_q_bounds()),
        "KR-9": (ratio_e1_flat(2),) + tuple(ratio_e1_flat(D) for D in deep)
                + (transition_scale(2),) + tuple(transition_scale(D) for D in deep),
    }

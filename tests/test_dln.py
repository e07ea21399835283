"""dln_limit: the exact gradient-flow limit of depth-D diagonal linear networks.

Checked against Woodworth et al. 2020 independently of the solver's own
certificate: the link β = A·φ_D(Xᵀν) recomputed in mpmath from the solver's
dual (Thm 1: φ₂ = 2 sinh; Thm 3 / App. C: φ_D = h_D), optimality of the
potential Q^D_α against other interpolants, the kernel (α → ∞, min-ℓ2) and
rich (α → 0, min-ℓ1) limits, the two scale conventions, float64 against
mpmath, and convergence over the scales the toolkit promises.
"""

from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from numerics import (InputError, Status, dln_limit, min_l1_interpolant,
                      min_l2_interpolant)
from numerics.arith import arith_for
from numerics.dln import dln_limits, resolving_precision
from numerics.newton import Preconditioner, direct_solve
from tests.instances import (EPS, as_float, assert_dln_kkt, assert_feasible, dln_Q,
                             forward_error_bound, gaussian_instance, instances,
                             l1_uniqueness_margin, link_weights, log10_alphas, log_branch_scale,
                             mp_rel_residual, null_directions)

DEPTHS = (2, 3, 4, 5)


def _log_A(alpha, depth, convention="per_factor"):
    with mpmath.workdps(50):
        return log_branch_scale(alpha, depth, convention)


def _rel(a, b):
    return float(np.linalg.norm(as_float(a) - as_float(b)) / np.linalg.norm(as_float(b)))


# --------------------------------------------------------------------------- KKT / link
@settings(max_examples=15)
@given(inst=instances(max_n=8, max_d=30), depth=st.sampled_from(DEPTHS),
       alpha=log10_alphas(-100, 3))
def test_link_formula_holds_with_the_solvers_dual(inst, depth, alpha):
    """β = A·φ_D(Xᵀν) coordinatewise, from the paper's formula, ν the returned dual."""
    sol = dln_limit(inst.X, inst.y, alpha, depth)
    assert_dln_kkt(inst.X, inst.y, sol, alpha, depth)
    # The toolkit's float64 target is 1e-12; dln_limit may relax it to 64ε(1+|log A|)
    # for exp's conditioning at arguments of size |log A| (≤ 5e-11 even at A = 1e-1500).
    assert sol.certificate.tolerance <= max(1e-12, 64 * EPS * (1 + abs(float(_log_A(alpha, depth)))))


@pytest.mark.parametrize("depth", [2, 3])
def test_link_formula_rejects_a_wrong_dual(depth):
    """The independent link check is able to fail: a perturbed ν is caught."""
    inst = gaussian_instance(5, 15, 7, "noisy")
    sol = dln_limit(inst.X, inst.y, 0.1, depth)
    assert sol.ok, sol
    bad = dataclasses.replace(sol, dual=sol.dual * (1 + 1e-6))
    with pytest.raises(AssertionError, match="A·φ_D"):
        assert_dln_kkt(inst.X, inst.y, bad, 0.1, depth)


# --------------------------------------------------------------------------- optimality
@settings(max_examples=8)
@given(inst=instances(min_n=2, max_n=6, max_d=16), depth=st.sampled_from((2, 3)),
       alpha=log10_alphas(-3, 1.5), seed=st.integers(0, 2**31))
def test_potential_is_minimal_among_interpolants(inst, depth, alpha, seed):
    """Q^D_α(β) ≤ Q^D_α(β') for other interpolants: β ± t·v (v ∈ null(X)), min-ℓ2, min-ℓ1.

    Q is evaluated exactly (60 digits) from the float64 vectors.  Neither β nor β'
    interpolates exactly: to first order Q(β) − Q(β*) ≤ ⟨ν, Xβ − y⟩ (convexity,
    ∇Q(β) = Xᵀν up to the certified stationarity error, whose product with the
    ~1e-12 forward error is negligible) and Q(β') ≥ Q(β*) + ⟨ν, Xβ' − y⟩, so
    the comparison allows ‖ν‖(‖Xβ − y‖ + ‖Xβ' − y‖), doubled for second order.
    The perturbation ‖t·v‖ = 1e-3·‖β‖ raises Q by ~1e-6 relative, far above that.
    """
    X, y = inst.X, inst.y
    sol = dln_limit(X, y, alpha, depth)
    assert sol.ok, sol
    log_A = _log_A(alpha, depth)
    q0 = dln_Q(sol.value, log_A, depth)
    nu_norm = float(np.linalg.norm(sol.dual))
    r0 = mp_rel_residual(X, sol.value, y, 40) * np.linalg.norm(y)
    others = [("min-l2", min_l2_interpolant(X, y).value), ("min-l1", min_l1_interpolant(X, y).value)]
    t = 1e-3 * np.linalg.norm(sol.value)
    for v in null_directions(X, 2, seed).T:
        others += [("+t·v", sol.value + t * v), ("−t·v", sol.value - t * v)]
    for name, other in others:
        r1 = mp_rel_residual(X, other, y, 40) * np.linalg.norm(y)
        slack = 2 * nu_norm * (r0 + r1)
        assert q0 <= dln_Q(other, log_A, depth) + slack, f"{name} has a smaller potential"


# --------------------------------------------------------------------------- limits
_UP = [1e-1, 1.0, 10.0, 1e2, 1e3]
_DOWN = [1e-1, 1e-2, 1e-4, 1e-8, 1e-16, 1e-32, 1e-64, 1e-128]
# Distances below this are at the float64 floor: a 1e-12 certificate moved by
# cond(X) ≲ 10 for these designs (d ≥ 2n); the ladders need not decrease there.
_FLOOR = 1e-10


def _non_increasing(dists):
    return all(b <= a or b <= _FLOOR for a, b in zip(dists, dists[1:]))


@settings(max_examples=6)
@given(inst=instances(min_n=2, max_n=8, max_d=30, min_ratio=2.0), depth=st.sampled_from((2, 3)))
def test_large_alpha_tends_to_min_l2(inst, depth):
    """α → ∞ (kernel regime): ‖β_α − β_ℓ2‖ decreases along the ladder, tiny at α = 1e3."""
    X, y = inst.X, inst.y
    w2 = min_l2_interpolant(X, y).value
    dists = []
    for alpha in _UP:
        sol = dln_limit(X, y, alpha, depth)
        assert sol.ok, (alpha, sol)
        dists.append(_rel(sol.value, w2))
    assert _non_increasing(dists), dists
    # The link's departure from linear is relative (‖β‖∞/A)² (sinh z = z + z³/6, and
    # h_D likewise odd); with ‖β_ℓ2‖∞ ≤ 30 here and A = α^D ≥ 1e6 that is ≤ 1e-9.
    assert dists[-1] <= max(1e-9, (np.max(np.abs(w2)) / 1e3 ** depth) ** 2), dists


@settings(max_examples=6)
@given(inst=instances(min_n=4, max_n=8, max_d=24, min_ratio=2.0, max_ratio=2.5, kinds=("spike",)),
       depth=st.sampled_from((2, 3)))
@example(inst=gaussian_instance(8, 16, 10314, "spike"), depth=3)   # found by hypothesis: D=3 stagnates
def test_small_alpha_tends_to_min_l1(inst, depth):
    """α → 0 (rich regime): ‖β_α − β_ℓ1‖ decreases along the ladder, small at the end.

    Only where the ℓ1 interpolant is unique, certified independently: some dual
    certificate ν has |(Xᵀν)ᵢ| ≤ ρ < 1 off the support, X_S injective (an LP for
    the smallest ρ).  With ρ ≤ 0.9 the depth-2 rate α^{2(1−ρ)} (Matt & Stöger) is
    ≤ 1e-25 at α = 1e-128; depth 3 is faster; 1e-6 leaves room for the constant.
    """
    X, y = inst.X, inst.y
    l1 = min_l1_interpolant(X, y)
    assert l1.ok, l1
    support = np.flatnonzero(l1.value)
    rho = l1_uniqueness_margin(X, l1.value)
    assume(rho <= 0.9 and np.linalg.matrix_rank(X[:, support]) == support.size)
    dists = []
    for alpha in _DOWN:
        sol = dln_limit(X, y, alpha, depth)
        assert sol.ok, (alpha, sol)
        dists.append(_rel(sol.value, l1.value))
    assert _non_increasing(dists), dists
    assert dists[-1] <= 1e-6, dists


# --------------------------------------------------------------------------- conventions
@settings(max_examples=10)
@given(inst=instances(min_n=2, max_n=6, max_d=20, min_ratio=2.0), depth=st.sampled_from((2, 3, 4)),
       alpha=log10_alphas(-6, 2))
def test_end_to_end_is_per_factor_at_the_root(inst, depth, alpha):
    """convention='end_to_end' at α equals 'per_factor' at α^{1/D} (both have A = α)."""
    X, y = inst.X, inst.y
    e2e = dln_limit(X, y, alpha, depth, convention="end_to_end")
    with mpmath.workdps(40):
        root = mpmath.root(mpmath.mpf(alpha), depth)
    per = dln_limit(X, y, root, depth)
    assert e2e.ok and per.ok, (e2e, per)
    assert e2e.stats.get("convention", "end_to_end") == "end_to_end"
    # Both are certified to residual tol; the first-order bound turns (r, e) into a
    # distance from the exact limit (W = dβ/dz there), and the two may sit on
    # opposite sides: 2×.  Passing α^{1/D} rounds it to 53 bits, moving log A by
    # D·ε: β moves by ≤ D·ε·‖β‖ (∂β/∂log A = β, projected).  ×10 for first order.
    tol = e2e.certificate.tolerance
    W = link_weights(e2e.value, float(_log_A(alpha, depth, "end_to_end")), depth)
    z_inf = float(np.max(np.abs(X.T @ e2e.dual)))
    bound = forward_error_bound(X, W, tol * np.linalg.norm(y),
                                np.sqrt(inst.d) * tol * max(1.0, z_inf))
    allowed = 10 * (2 * bound + depth * EPS * np.linalg.norm(e2e.value))
    assert np.linalg.norm(e2e.value - per.value) <= allowed


def test_end_to_end_changes_the_answer():
    """The convention matters: end-to-end α is per-factor α^{1/D}, not per-factor α."""
    inst = gaussian_instance(5, 15, 3, "noisy")
    a = dln_limit(inst.X, inst.y, 1e-2, 3, convention="end_to_end")
    b = dln_limit(inst.X, inst.y, 1e-2, 3, convention="per_factor")
    assert a.ok and b.ok
    assert _rel(a.value, b.value) > 1e-3   # A = 1e-2 vs 1e-6: visibly different limits


# --------------------------------------------------------------------------- precision
@settings(max_examples=4)
@given(inst=instances(min_n=2, max_n=6, max_d=20, min_ratio=2.0), depth=st.sampled_from((2, 3)),
       alpha=log10_alphas(-2, 1))
def test_float64_agrees_with_precision_50(inst, depth, alpha):
    """The float64 solve is within its certificate's reach of the 50-digit solve,
    and the 50-digit certificate is at the 1e-45 level."""
    X, y = inst.X, inst.y
    lo = dln_limit(X, y, alpha, depth)
    hi = dln_limit(X, y, alpha, depth, precision=50)
    assert lo.ok and hi.ok, (lo, hi)
    # precision=50 works to 10^{-(50−5)}: five digits of headroom for O(nd) rounding.
    assert hi.certificate.kkt_residual <= 1e-45
    assert_dln_kkt(X, y, hi, alpha, depth, dps=50)
    _assert_within_its_certificate(X, y, lo, hi, alpha, depth)


def _assert_within_its_certificate(X, y, lo, hi, alpha, depth):
    """The float64 answer ``lo`` may be wrong by what its certificate allows:
    residual tol·‖y‖ and stationarity tol·max(1,‖z‖∞) per coordinate (√d in
    2-norm), mapped to β by the first-order bound at the exact solution ``hi``
    (a high-precision solve); ×10 for the linearisation, plus ε‖β‖ for
    rounding β to float64."""
    tol = lo.certificate.tolerance
    beta_hi = as_float(hi.value)
    W = link_weights(hi.value, float(_log_A(alpha, depth)), depth, dps=60)
    z_inf = float(np.max(np.abs(X.T @ as_float(hi.dual))))
    bound = forward_error_bound(X, W, tol * np.linalg.norm(y),
                                np.sqrt(X.shape[1]) * tol * max(1.0, z_inf))
    assert np.linalg.norm(lo.value - beta_hi) <= 10 * bound + EPS * np.linalg.norm(beta_hi)


# --------------------------------------------------------------------------- interior point
PATH = "interior-point path, then dual Newton"
CONTINUATION = "continuation in log A"


@pytest.mark.parametrize("depth", [3, 4, 5], ids=lambda D: f"D={D}")
@pytest.mark.parametrize("seed", [0, 1], ids=lambda s: f"seed={s}")
def test_the_interior_point_path_reaches_the_certified_limit(seed, depth):
    """At α = 1e-3 (A = 1e-9 … 1e-15, 9–15 decades below the start scale) the float64
    solve takes the interior-point path, satisfies the paper's link with its dual
    (recomputed in mpmath), and is within its certificate of the 40-digit solve,
    which takes the continuation (mpmath never takes the path)."""
    inst = gaussian_instance(10, 40, seed, "noisy")
    lo = dln_limit(inst.X, inst.y, 1e-3, depth)
    hi = dln_limit(inst.X, inst.y, 1e-3, depth, precision=40)
    assert lo.ok and hi.ok, (lo, hi)
    assert lo.stats["method"] == PATH and hi.stats["method"] == CONTINUATION
    assert_dln_kkt(inst.X, inst.y, lo, 1e-3, depth)
    _assert_within_its_certificate(inst.X, inst.y, lo, hi, 1e-3, depth)


@settings(max_examples=8)
@given(inst=instances(min_n=3, max_n=10, max_d=40, min_ratio=2.0), depth=st.sampled_from((3, 4, 5)),
       alpha=log10_alphas(-4, -1))
def test_the_path_and_the_continuation_agree(inst, depth, alpha):
    """Whichever way a float64 solve goes, the continuation (forced) lands on the same
    limit: within twice the two certificates' forward errors, as for a ladder."""
    import numerics.dln as dln
    default = dln_limit(inst.X, inst.y, alpha, depth)
    saved = dln._PATH_FROM
    dln._PATH_FROM = np.inf            # no rung is far enough below the start for the path
    try:
        walked = dln_limit(inst.X, inst.y, alpha, depth)
    finally:
        dln._PATH_FROM = saved
    assert default.ok and walked.ok, (default, walked)
    assert walked.stats["method"] == CONTINUATION
    allowed = 2 * (default.certificate.details["forward_error"]
                   + walked.certificate.details["forward_error"])
    assert np.linalg.norm(default.value - walked.value) <= allowed


def test_a_failed_path_or_polish_falls_back_to_the_continuation(monkeypatch):
    """A path that reaches no rung, or a polish that does not certify, leaves the
    continuation to solve it; the certificate counts the failed polish's work too."""
    import numerics.dln as dln
    inst = gaussian_instance(10, 40, 0, "noisy")
    reference = dln_limit(inst.X, inst.y, 1e-3, 4)
    assert reference.stats["method"] == PATH
    monkeypatch.setattr(dln, "central_path", lambda X, y, nu, depth, scales: [None] * len(scales))
    unreached = dln_limit(inst.X, inst.y, 1e-3, 4)
    monkeypatch.undo()
    monkeypatch.setattr(dln, "_POLISH_ITER", 0)     # no Newton step: the polish cannot certify
    unpolished = dln_limit(inst.X, inst.y, 1e-3, 4)
    for sol in (unreached, unpolished):
        assert sol.ok and sol.stats["method"] == CONTINUATION, sol
        assert np.linalg.norm(sol.value - reference.value) <= 2 * (
            sol.certificate.details["forward_error"]
            + reference.certificate.details["forward_error"])
    assert (unpolished.certificate.details["factorizations"]
            > unreached.certificate.details["factorizations"])


# --------------------------------------------------------------------------- robustness
@pytest.mark.parametrize("alpha", [1e-300, 1e-100, 1e-10, 1e-2, 1.0, 1e3],
                         ids=lambda a: f"alpha={a:g}")
@pytest.mark.parametrize("depth", DEPTHS, ids=lambda D: f"D={D}")
@pytest.mark.parametrize("seed", [0, 1], ids=lambda s: f"seed={s}")
def test_converges_over_the_promised_scales(seed, depth, alpha):
    """float64 dln_limit converges for D ∈ {2,…,5} and α from 1e-300 to 1e3, and
    the answer satisfies the paper's link with its dual (two plain Gaussian
    designs, n = 6, d = 20, noisy labels)."""
    inst = gaussian_instance(6, 20, seed, "noisy")
    sol = dln_limit(inst.X, inst.y, alpha, depth)
    assert sol.ok, f"{sol}: {sol.status.message}"
    assert_dln_kkt(inst.X, inst.y, sol, alpha, depth)


# D = 3 is slow (≈ 20 s CPU, half of this file's time: its 40-digit solve at |log A| ≈ 6900);
# D = 2 checks the same properties in the default run.
@pytest.mark.parametrize("depth", [2, pytest.param(3, marks=pytest.mark.slow)],
                         ids=lambda D: f"D={D}")
def test_alpha_1e_minus_1000_at_precision_40(depth):
    """α = 1e-1000 (A far below float64's range) at 40 digits: converges, satisfies
    the link with its dual, and is within α-rate of the ℓ1 interpolant."""
    inst = gaussian_instance(4, 8, 2, "noisy")
    sol = dln_limit(inst.X, inst.y, "1e-1000", depth, precision=40)
    assert sol.ok, f"{sol}: {sol.status.message}"
    assert sol.certificate.kkt_residual <= 1e-34     # 40 digits minus headroom for |log A| ≈ 2300·D
    assert_dln_kkt(inst.X, inst.y, sol, "1e-1000", depth, dps=40)
    l1 = min_l1_interpolant(inst.X, inst.y, precision=40)
    # Any rate α^{c}, c > 0, is below 1e-30 here; the float64 view of both is what
    # we compare, so the floor is float64 rounding of O(1) entries.
    assert _rel(sol.value, l1.value) <= 1e-13


# --------------------------------------------------------------------------- failure modes
@pytest.mark.parametrize("depth", [2, 3])
def test_iteration_limit_reports_failure(depth):
    """max_iter=1 at α = 1e-300 cannot converge: ok is False and the status says why."""
    inst = gaussian_instance(6, 20, 0, "noisy")
    sol = dln_limit(inst.X, inst.y, 1e-300, depth, max_iter=1)
    assert not sol.ok
    assert sol.status is not Status.SUCCESS
    assert isinstance(sol.status.value, str) and len(sol.status.value.split()) >= 5
    assert sol.status.message == sol.status.value
    assert not sol.certificate.satisfied      # a reported failure is a real one


@settings(max_examples=20)
@given(inst=instances(max_n=8, max_d=30), depth=st.sampled_from(DEPTHS),
       alpha=log10_alphas(-300, 3), max_iter=st.integers(1, 8))
def test_success_is_never_claimed_without_a_certificate(inst, depth, alpha, max_iter):
    """Whatever the budget: status SUCCESS ⇒ certificate satisfied and the vector
    independently feasible; otherwise ok is False."""
    sol = dln_limit(inst.X, inst.y, alpha, depth, max_iter=max_iter)
    assert sol.ok == (sol.status is Status.SUCCESS)
    if sol.ok:
        assert sol.certificate.satisfied
        assert_feasible(inst.X, inst.y, sol)
    else:
        assert isinstance(sol.status.value, str) and sol.status.value


def test_bad_convention_is_rejected():
    inst = gaussian_instance(3, 6, 0)
    with pytest.raises(InputError, match="convention"):
        dln_limit(inst.X, inst.y, 0.1, 2, convention="per-factor")


# --------------------------------------------------------------------------- sparse, noiseless, tiny α
def _paper_sparse_instance(n, d, seed):
    """Woodworth et al.'s sparse regression (§4) as KR-6 uses it: X ~ N(0, 1), β*
    2-sparse with entries 1/√2, noiseless y = Xβ*.  Most dual directions are flat
    at tiny α (κ(H) ≫ 1e16): the case where dln_limit used to stagnate."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    beta = np.zeros(d)
    beta[rng.choice(d, 2, replace=False)] = 1 / np.sqrt(2)
    return X, X @ beta


@pytest.mark.parametrize("alpha", ["1e-20", "5.6573667341167508702e-75", "1e-300"])
@pytest.mark.parametrize("depth", DEPTHS, ids=lambda D: f"D={D}")
@pytest.mark.parametrize("seed", [0, 1], ids=lambda s: f"seed={s}")
def test_noiseless_sparse_at_tiny_alpha(seed, depth, alpha):
    """float64 dln_limit converges on 10×40 noiseless 2-sparse instances down to
    α = 1e-300 (per factor; A = 1e-1500 at D = 5) and satisfies the paper's link.
    Before the truncated Newton solve of numerics.newton, D = 2 stagnated at
    residual 1e-8 for α ≲ 1e-60 and D ≥ 3 at α ≲ 1e-20 (KR-6's full size)."""
    X, y = _paper_sparse_instance(10, 40, seed)
    sol = dln_limit(X, y, alpha, depth)
    assert sol.ok, f"{sol}: {sol.status.message}"
    assert_dln_kkt(X, y, sol, alpha, depth)


# --------------------------------------------------------------------------- ladders
def test_a_ladder_gives_the_single_solves():
    """dln_limits in any order = dln_limit one by one, within the two forward errors."""
    inst = gaussian_instance(6, 20, 4, "spike")
    alphas = [1e-3, 1e-40, 1e-10, 0.5]
    ladder = dln_limits(inst.X, inst.y, alphas, 3, convention="end_to_end")
    for alpha, sol in zip(alphas, ladder):
        single = dln_limit(inst.X, inst.y, alpha, 3, convention="end_to_end")
        assert sol.ok and single.ok
        assert sol.stats["log_branch_scale"] == pytest.approx(np.log(alpha))
        allowed = 2 * (sol.certificate.details["forward_error"]
                       + single.certificate.details["forward_error"])
        assert np.linalg.norm(sol.value - single.value) <= allowed


def test_an_empty_ladder_is_rejected():
    inst = gaussian_instance(3, 6, 0)
    with pytest.raises(InputError, match="alphas is empty"):
        dln_limits(inst.X, inst.y, [])


# --------------------------------------------------------------------------- forward error
@pytest.mark.parametrize("kind", ["spike", "noisy"])
@pytest.mark.parametrize("depth", [2, 3])
def test_forward_error_bounds_the_error(depth, kind):
    """The certificate's forward_error bounds the distance to a solve with twice the
    digits: float64 against 50 digits at α = 1e-3, 40 digits against 80 at α = 1e-30
    (end-to-end; ×2 for the estimate's first order)."""
    inst = gaussian_instance(6, 18, 2, kind)
    for alpha, low_digits, high_digits in ((1e-3, None, 50), ("1e-30", 40, 80)):
        low = dln_limit(inst.X, inst.y, alpha, depth, convention="end_to_end",
                        precision=low_digits)
        high = dln_limit(inst.X, inst.y, alpha, depth, convention="end_to_end",
                         precision=high_digits)
        assert low.ok and high.ok, (low, high)
        with mpmath.workdps(high_digits):
            error = mpmath.sqrt(mpmath.fsum((mpmath.mpf(u) - v) ** 2
                                            for u, v in zip(low.value, high.value)))
        estimate = low.certificate.details["forward_error"]
        assert float(error) <= 2 * estimate, (alpha, float(error), estimate)
        assert estimate <= 1e-8 * float(np.linalg.norm(as_float(high.value)))   # and it is small


def test_resolving_precision_adds_a_digit_per_decade():
    """Digits = 6 + log₁₀(1/(10⁻²·A)) + 14 (A the branch scale), in either convention."""
    assert resolving_precision(1e-40, 3, convention="end_to_end") == 62
    assert resolving_precision("1e-41", 3, convention="end_to_end") == 63
    assert resolving_precision(1e-10, 4) == resolving_precision(1e-40, 4, convention="end_to_end")
    assert resolving_precision(1e-40, 2, convention="end_to_end", digits=10) == 66


# --------------------------------------------------------------------------- the Newton system
def test_truncated_solve_drops_rounding_in_flat_directions():
    """H with eigenvalues 1 and 1e-30 (numerically singular in float64): the part of the
    right-hand side along the flat direction is dropped when it is rounding, and gets
    a damped (Levenberg–Marquardt) step when it is real — never the 1/λ ≈ 1e30 one."""
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((2, 2)))[0]
    H = Q @ np.diag([1.0, 1e-30]) @ Q.T
    pre = Preconditioner.from_matrix(H)
    assert pre.singular
    x = pre.truncated_solve(Q[:, 0] + 1e-17 * Q[:, 1], noise=1e-15)
    np.testing.assert_allclose(x, Q[:, 0], atol=1e-14)
    x = pre.truncated_solve(Q[:, 0] + 1e-3 * Q[:, 1], noise=1e-15)
    threshold = pre.eigen[2]
    assert abs(Q[:, 1] @ x - 1e-3 / threshold) <= 1e-6 * 1e-3 / threshold
    assert x @ (Q[:, 0] + 1e-3 * Q[:, 1]) > 0                     # a descent direction
    assert not Preconditioner.from_matrix(np.diag([1.0, 0.5])).singular


def test_direct_solve_resolves_a_hessian_beyond_float64():
    """H = X diag(w) Xᵀ with weights from 1 down to 1e-40 (κ(H) up to ~1e40), solved at
    60 digits: within κ·1e-60 ≲ 1e-20 of the solution by mpmath.lu_solve at 100
    digits (1e-15 allowed), where float64 would keep no digit of it."""
    rng = np.random.default_rng(1)
    with arith_for(60) as a:
        X = a.asarray(rng.standard_normal((6, 15)))
        w = a.asarray(10.0 ** -rng.uniform(0, 40, 15))
        b = a.asarray(rng.standard_normal(6))
        x = direct_solve(X, w, b, a)
    assert x is not None
    with mpmath.workdps(100):
        H = mpmath.matrix([[mpmath.fsum(X[i, k] * w[k] * X[j, k] for k in range(15))
                            for j in range(6)] for i in range(6)])
        exact = mpmath.lu_solve(H, mpmath.matrix(list(b)))
        error = mpmath.norm(mpmath.matrix(list(x)) - exact) / mpmath.norm(exact)
    assert error <= 1e-15

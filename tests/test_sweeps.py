"""Nested n-sweeps (numerics.sweeps) and the warm start of min_lp_interpolant.

A warm-started sweep must give the same interpolants as independent cold
solves (the minimiser is unique; the start only decides where Newton
begins), every step must carry its own certificate, and the recorded norms
must satisfy the ZL-1 identity ‖ŵ‖_r = ‖Xᵀλ‖_{r(q−1)}^{q−1} for the returned
dual λ.  A sweep whose solves cannot certify records no norms.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError, min_lp_interpolant, prefix_min_lp_solver
from numerics.sweeps import lp_norm_sweep, lr_norm, sweep_sizes


def _design(n, d, seed, sigma=0.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    return X, X[:, 0] + sigma * rng.standard_normal(n)


# --------------------------------------------------------------------------- lr_norm
@given(w=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=30),
       r=st.floats(0.5, 3.0), c=st.floats(1e-3, 1e3))
def test_lr_norm_is_homogeneous_and_matches_the_definition(w, r, c):
    w = np.array(w)
    # the definition in 30-digit arithmetic (no underflow of |wᵢ|^r there);
    # lr_norm rounds d powers in float64: ~d·eps relative
    with mpmath.workdps(30):
        direct = float(mpmath.fsum(abs(mpmath.mpf(v)) ** r for v in w) ** (1 / mpmath.mpf(r)))
    assert lr_norm(w, r) == pytest.approx(direct, rel=1e-12, abs=1e-300)
    assert lr_norm(c * w, r) == pytest.approx(c * lr_norm(w, r), rel=1e-12, abs=1e-300)


@given(w=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=30),
       r=st.floats(1.0, 2.0), s=st.floats(1.0, 2.0))
def test_lr_norms_decrease_in_r(w, r, s):
    """‖w‖_r ≥ ‖w‖_s for r ≤ s (the ordering across r of ZL-5)."""
    lo, hi = sorted((r, s))
    assert lr_norm(w, lo) >= lr_norm(w, hi) * (1 - 1e-12)


def test_lr_norm_survives_tiny_and_huge_entries():
    """No under/overflow: 1e-200 at r = 1.1 and 1e200 at r = 2 are fine."""
    assert lr_norm([1e-200, 1e-200], 1.1) == pytest.approx(1e-200 * 2 ** (1 / 1.1))
    assert lr_norm([1e200, 1e200], 2.0) == pytest.approx(1e200 * math.sqrt(2))


@given(n_min=st.integers(1, 50), factor=st.integers(1, 200), count=st.integers(2, 30))
def test_sweep_sizes_are_increasing_and_in_range(n_min, factor, count):
    ns = sweep_sizes(n_min, n_min * factor, count)
    assert ns[0] == n_min and ns[-1] == n_min * factor
    assert all(b > a for a, b in zip(ns, ns[1:])) and len(ns) <= count


# --------------------------------------------------------------------------- warm starts
@settings(max_examples=6)
@given(p=st.sampled_from([1.1, 1.3, 1.5, 1.9]), seed=st.integers(0, 1000),
       sigma=st.sampled_from([0.0, 0.5]))
def test_a_warm_sweep_matches_cold_solves(p, seed, sigma):
    """Warm starts change the path, not the answer: norms agree with cold solves
    to the certificates' reach (residuals 1e-12 through a map of condition
    ~κ(X) ≲ 10 for d ≥ 4n: 1e-9 relative to ‖w‖_r).

    That reach is an error in w, so it bounds each part's norm *absolutely*:
    |‖a_B‖_r − ‖b_B‖_r| ≤ ‖a − b‖_r ≲ 1e-9·‖w‖_r for any block B.  A part far
    smaller than ‖w‖_r (the bulk at p = 1.1 on a noiseless spike: 1e-5·‖w‖) is
    not held to 1e-9 of itself (hypothesis seed 9: 2.6e-9 relative there,
    2.9e-14 of ‖w‖)."""
    X, y = _design(60, 300, seed, sigma)
    ns = [8, 15, 30, 60]
    warm = lp_norm_sweep(X, y, p, ns, [1.0, p], support=[0])
    cold = lp_norm_sweep(X, y, p, ns, [1.0, p], support=[0], warm=False)
    assert warm.ok and cold.ok
    assert [step.warm_start for step in warm.steps[1:]] == ["accepted"] * 3
    assert all(step.warm_start == "none" for step in cold.steps)
    for r in (1.0, p):
        reach = 1e-9 * cold.curve(r, "norms")
        for part in ("norms", "support_norms", "bulk_norms"):
            assert np.all(np.abs(warm.curve(r, part) - cold.curve(r, part)) <= reach), part
    for step in warm.steps:
        assert step.primal_residual <= 1e-12 and step.optimality_residual <= 1e-12


def test_the_norms_satisfy_the_kkt_identity_of_zl1():
    """‖ŵ‖_r = ‖Xᵀλ‖_{r(q−1)}^{q−1} at every n, for the returned dual λ (ZL-1):
    the certificate bounds the stationarity residual by 1e-12 per coordinate,
    so the identity holds to ~1e-10 after the (q−1)-th power (q − 1 ≤ 10)."""
    X, y = _design(80, 400, 3, 0.3)
    p = 1.3
    q = p / (p - 1)

    def identity(Xn, yn, solution):
        z = Xn.T @ solution.dual
        return {f"dual {r}": lr_norm(z, r * (q - 1)) ** (q - 1) for r in (1.0, 1.3)}

    sweep = lp_norm_sweep(X, y, p, [10, 40, 80], [1.0, 1.3], observe=identity)
    for step in sweep.steps:
        for r in (1.0, 1.3):
            assert step.norms[r] == pytest.approx(step.observed[f"dual {r}"], rel=1e-9)


def test_a_proportional_sweep_solves_the_column_subsets():
    """columns = κn: step n solves (X[:n, :κn], y[:n]) exactly as a direct solve does."""
    X, y = _design(40, 160, 5)
    ns, ds = [10, 20, 40], [40, 80, 160]
    sweep = lp_norm_sweep(X, y, 1.5, ns, [1.0], columns=ds)
    for step, n, d in zip(sweep.steps, ns, ds):
        direct = min_lp_interpolant(X[:n, :d], y[:n], 1.5)
        assert step.d == d
        assert step.norms[1.0] == pytest.approx(lr_norm(direct.value, 1.0), rel=1e-9)


def test_the_exact_dual_is_accepted_at_once():
    """Warm-starting at the solution itself certifies in at most one Newton step
    (the ray rescaling leaves an optimal dual where it is)."""
    X, y = _design(30, 120, 2)
    solution = min_lp_interpolant(X, y, 1.2)
    again = min_lp_interpolant(X, y, 1.2, mu0=solution.dual)
    assert again.ok and again.stats["warm_start"] == "accepted"
    assert again.certificate.iterations <= 1
    np.testing.assert_allclose(again.value, solution.value, rtol=1e-9, atol=1e-12)


@settings(max_examples=5)
@given(seed=st.integers(0, 1000))
def test_a_bad_warm_start_falls_back_to_the_cold_path(seed):
    """A dual pointing against y (⟨y, μ⟩ < 0, no ray rescaling possible) is either
    repaired by Newton or rejected; either way the answer is the cold one."""
    X, y = _design(25, 100, seed, 0.5)
    cold = min_lp_interpolant(X, y, 1.1)
    bad = min_lp_interpolant(X, y, 1.1, mu0=-1e3 * y)
    assert bad.ok
    assert bad.stats["warm_start"] == "accepted" or bad.stats["warm_start"].startswith("rejected")
    np.testing.assert_allclose(bad.value, cold.value, rtol=1e-8, atol=1e-12)


def test_uncertifiable_solves_record_no_norms():
    """tol = 1e-18 is below float64's reach: no step certifies, none has norms,
    the curve is NaN, and no step warm-starts from an uncertified dual."""
    X, y = _design(30, 120, 4)
    sweep = lp_norm_sweep(X, y, 1.5, [10, 20, 30], [1.0], tol=1e-18)
    assert not sweep.ok
    assert all(not step.ok and step.norms == {} for step in sweep.steps)
    assert np.all(np.isnan(sweep.curve(1.0)))
    assert all(step.warm_start == "none" for step in sweep.steps)
    assert all(step.status != "SUCCESS" for step in sweep.steps)


def test_a_sweep_round_trips_to_json():
    X, y = _design(20, 80, 1)
    data = lp_norm_sweep(X, y, 1.5, [10, 20], [1.0, 1.5], support=[0]).to_json()
    assert data["steps"][1]["norms"].keys() == {"1.0", "1.5"}
    assert data["steps"][1]["warm_start"] == "accepted"


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, match", [
    ({"ns": [20, 10]}, "strictly increasing"),
    ({"ns": [10, 500]}, "rows"),
    ({"ns": [10, 20], "columns": [80]}, "one column count"),
    ({"ns": [10, 20], "columns": [80, 60]}, "non-decreasing"),
    ({"rs": []}, "non-empty"),
    ({"rs": [0.0]}, "r > 0"),
    ({"p": 0.9}, "p = 0.9"),
])
def test_bad_sweeps_raise_input_error_naming_the_fix(kwargs, match):
    X, y = _design(30, 80, 0)
    arguments = {"X": X, "y": y, "p": 1.5, "ns": [10, 20], "rs": [1.0], **kwargs}
    with pytest.raises(InputError, match=match):
        lp_norm_sweep(**arguments)


@pytest.mark.parametrize("mu0, match", [(np.zeros(5), "one entry per row"),
                                        (np.full(10, np.nan), "NaN")])
def test_bad_warm_starts_raise_input_error(mu0, match):
    X, y = _design(10, 40, 0)
    with pytest.raises(InputError, match=match):
        min_lp_interpolant(X, y, 1.5, mu0=mu0)


def test_a_fixed_column_sweep_checks_its_design_once_and_each_prefix_label():
    """The prefixes X[:n] of a full-row-rank X are full row rank (Cauchy interlacing), so a
    fixed-column sweep checks X once; a rank-deficient X is refused before any solve, and
    a prefix whose labels are all zero is refused with the fix."""
    X, y = _design(30, 80, 0)
    twin = X.copy()
    twin[25] = twin[3]                                    # rows 3 and 25 equal: rank 29
    with pytest.raises(InputError, match="rank-deficient"):
        lp_norm_sweep(twin, y, 1.5, [10, 30], [1.0])
    lp_norm_sweep(twin, y, 1.5, [10, 20], [1.0])          # its first 20 rows are fine
    zero_start = y.copy()
    zero_start[:10] = 0.0
    with pytest.raises(InputError, match=r"y\[:10\] is identically zero"):
        lp_norm_sweep(X, zero_start, 1.5, [10, 20], [1.0])


@pytest.mark.parametrize("n", [0, 31, 2.5, True])
def test_a_prefix_solver_names_the_rows_it_can_solve(n):
    X, y = _design(30, 80, 0)
    solve = prefix_min_lp_solver(X, y, 1.5)
    with pytest.raises(InputError, match=r"must be an integer in \[1, 30\]"):
        solve(n)

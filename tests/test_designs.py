"""Designs for the norm-scaling experiments: nested draws, the w⋆ conventions,
the covariance and entry-law hooks, and input errors that name the fix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from numerics.designs import ENTRY_LAWS, design, sparse_design, spike_design
from numerics.validation import InputError

HOOKS = {"gaussian": {}, "student_t": {"entries": "student_t", "df": 3.5},
         "rademacher": {"entries": "rademacher"},
         "anisotropic": {"covariance": np.linspace(0.5, 2.0, 9)},
         "correlated": {"covariance": 0.6 ** np.abs(np.subtract.outer(np.arange(9), np.arange(9)))}}


@given(n_max=st.integers(2, 12), n=st.integers(1, 12), seed=st.integers(0, 2**32 - 1),
       sigma=st.floats(0, 2), hook=st.sampled_from(sorted(HOOKS)))
def test_designs_are_nested_in_n(n_max, n, seed, sigma, hook):
    """The design with n rows is the first n rows of the one with n_max rows:
    an n-sweep adds samples to one experiment."""
    n = min(n, n_max)
    big = spike_design(n_max, 9, sigma=sigma, seed=seed, **HOOKS[hook])
    small = spike_design(n, 9, sigma=sigma, seed=seed, **HOOKS[hook])
    sub = big.rows(n)
    for name in ("X", "y", "noise"):
        if hook == "correlated":
            # X = Z·Lᵀ is a BLAS product whose blocking depends on n: equal to rounding
            np.testing.assert_allclose(getattr(sub, name), getattr(small, name),
                                       rtol=1e-13, atol=1e-13, err_msg=name)
        else:
            assert np.array_equal(getattr(sub, name), getattr(small, name)), name
    assert np.array_equal(sub.w_star, small.w_star)
    assert sub.description == small.description


def test_nesting_is_exact_at_experiment_size():
    """Bitwise nesting at the sizes of an n-sweep (BLAS matrix-vector products split
    across threads): the rows of n = 300 are those of n = 1200."""
    big = spike_design(1200, 2000, sigma=0.5, seed=11)
    small = spike_design(300, 2000, sigma=0.5, seed=11)
    assert all(np.array_equal(getattr(big.rows(300), name), getattr(small, name))
               for name in ("X", "y", "noise"))


@given(seed=st.integers(0, 2**32 - 1), s=st.integers(1, 9), sigma=st.floats(0.01, 3))
def test_labels_are_signal_plus_noise_and_noise_direction_is_shared(seed, s, sigma):
    """y = Xw⋆ + σε exactly, and ε does not depend on σ (σ-sweeps share the draw)."""
    noisy = sparse_design(6, 9, s, sigma=sigma, seed=seed)
    clean = sparse_design(6, 9, s, sigma=0.0, seed=seed)
    assert np.array_equal(noisy.X, clean.X)
    np.testing.assert_allclose(noisy.y, noisy.X @ noisy.w_star + noisy.noise, rtol=0, atol=0)
    np.testing.assert_array_equal(clean.noise, 0.0)
    # same ε: scaling σ scales the noise vector only
    other = sparse_design(6, 9, s, sigma=2 * sigma, seed=seed)
    np.testing.assert_allclose(other.noise, 2 * noisy.noise, rtol=1e-15)


def test_spike_and_flat_conventions():
    """Spike: w⋆ = e₁ (docs/derivations/zhang-louis-norm-scaling.md §2).  Flat: entries 1/√s on the first s
    coordinates, so ‖w⋆‖₂ = 1 and τ_s² = 1 + σ² for both."""
    spike = spike_design(3, 7, seed=1)
    assert spike.w_star.tolist() == [1, 0, 0, 0, 0, 0, 0]
    flat = sparse_design(3, 7, 4, seed=1, amplitude=2.0)
    np.testing.assert_allclose(flat.w_star[:4], 1.0)
    np.testing.assert_array_equal(flat.w_star[4:], 0.0)
    assert np.linalg.norm(flat.w_star) == pytest.approx(2.0)
    assert "single spike" in spike.description and "4-sparse" in flat.description


def test_designs_are_read_only_records():
    D = spike_design(3, 5, seed=0)
    with pytest.raises(ValueError):
        D.X[0, 0] = 1.0
    assert (D.n, D.d, D.seed) == (3, 5, 0)


@pytest.mark.parametrize("entries", ENTRY_LAWS)
def test_entries_are_standardised(entries):
    """Every entry law has mean 0 and variance 1 (so only its tails differ).
    Tolerance: 6 standard errors of the sample moments over 2·10⁵ entries
    (variance of the sample variance = (μ₄ − 1)/N; μ₄ = 3 + 6/(df−4) = 9 for t₅)."""
    df = 5.0 if entries == "student_t" else None
    D = spike_design(200, 1000, seed=3, entries=entries, df=df)
    N = D.X.size
    fourth = {"gaussian": 3.0, "student_t": 9.0, "rademacher": 1.0}[entries]
    assert abs(D.X.mean()) < 6 / np.sqrt(N)
    assert abs(np.mean(D.X ** 2) - 1) <= 6 * np.sqrt((fourth - 1) / N)
    if entries == "rademacher":
        assert set(np.unique(D.X)) == {-1.0, 1.0}


def test_covariance_hooks():
    """Rows have the requested covariance (sample covariance within 6 standard errors,
    entries of a Wishart/N with N = 4·10⁴ rows: sd(Σ̂ⱼₖ) = √((ΣⱼⱼΣₖₖ+Σⱼₖ²)/N))."""
    d, N = 5, 40000
    full = 0.7 ** np.abs(np.subtract.outer(np.arange(d), np.arange(d)))
    for cov in (np.array([0.25, 1, 2, 4, 9.0]), full):
        sigma_full = np.diag(cov) if cov.ndim == 1 else cov
        D = spike_design(N, d, seed=5, covariance=cov)
        emp = D.X.T @ D.X / N
        sd = np.sqrt((np.outer(np.diag(sigma_full), np.diag(sigma_full)) + sigma_full ** 2) / N)
        assert np.all(np.abs(emp - sigma_full) < 6 * sd)


def test_general_design_takes_any_w_star():
    w = np.array([0.5, -2.0, 0.0, 0.0])
    D = design(3, 4, w, sigma=0.1, seed=2)
    np.testing.assert_allclose(D.y, D.X @ w + D.noise)
    assert "2-sparse" in D.description


@pytest.mark.parametrize("call,match", [
    (lambda: spike_design(0, 5, seed=0), "n must be a positive integer"),
    (lambda: spike_design(3, 5.0, seed=0), "d must be a positive integer"),
    (lambda: spike_design(3, 5, sigma=-1, seed=0), "sigma .* ≥ 0"),
    (lambda: spike_design(3, 5, sigma=float("nan"), seed=0), "sigma"),
    (lambda: spike_design(3, 5, seed=-1), "seed .* integer ≥ 0"),
    (lambda: spike_design(3, 5, seed=0.5), "seed"),
    (lambda: spike_design(3, 5, seed=0, amplitude=0), "amplitude .* nonzero"),
    (lambda: sparse_design(3, 5, 6, seed=0), "s = 6 exceeds the dimension d = 5"),
    (lambda: sparse_design(3, 5, 0, seed=0), "s must be a positive integer"),
    (lambda: design(3, 5, np.ones(4), seed=0), r"w_star must have shape \(5,\)"),
    (lambda: design(3, 5, [1, np.nan, 0, 0, 0], seed=0), "NaN"),
    (lambda: spike_design(3, 5, seed=0, entries="cauchy"), "not a known law"),
    (lambda: spike_design(3, 5, seed=0, entries="student_t", df=2), "df > 2"),
    (lambda: spike_design(3, 5, seed=0, entries="student_t"), "df > 2"),
    (lambda: spike_design(3, 5, seed=0, df=3), "drop df"),
    (lambda: spike_design(3, 5, seed=0, covariance=np.ones(4)), "length-5 vector or a 5×5"),
    (lambda: spike_design(3, 5, seed=0, covariance=np.zeros(5)), "must be > 0"),
    (lambda: spike_design(3, 2, seed=0, covariance=[[1, 0.5], [0.4, 1]]), "symmetric"),
    (lambda: spike_design(3, 2, seed=0, covariance=[[1, 2], [2, 1]]), "not positive definite"),
    (lambda: spike_design(4, 5, seed=0).rows(5), r"n ≤ 4"),
])
def test_bad_input_names_the_fix(call, match):
    with pytest.raises(InputError, match=match):
        call()

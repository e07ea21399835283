"""Slopes, confidence intervals and elbow fits (numerics.fits).

Exact power laws must be recovered exactly; a broken power law must give
back its break and both slopes; the smooth spike/bulk crossover of the dual
ray, −(1/q)·log(1 + (x⋆/x)^{q/2}), deviates from its two asymptotes
symmetrically in log(x/x⋆), so on a grid symmetric about x⋆ the fit breaks
exactly at x⋆; intervals must contain the truth where the noise is known.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import stdtrit

from numerics import InputError
from numerics.fits import (_segments, elbow_fit, elbow_over_seeds, local_slopes, loglog_slope, mean_ci,
                           slope_over_seeds)


@given(slope=st.floats(-3, 3), prefactor=st.floats(1e-3, 1e3))
def test_loglog_slope_recovers_a_power_law(slope, prefactor):
    x = np.geomspace(1, 1e4, 9)
    fit = loglog_slope(x, prefactor * x ** slope)
    # exact data: only rounding (~1e-15 per log) is left
    assert fit.slope == pytest.approx(slope, abs=1e-12)
    assert fit.ci95[0] <= slope + 1e-12 and slope - 1e-12 <= fit.ci95[1]
    assert math.exp(fit.intercept) == pytest.approx(prefactor, rel=1e-10)


def test_loglog_slope_interval_covers_the_truth_at_the_stated_rate():
    """Over 400 noisy draws the 95 % interval must contain the true slope in
    95 % of them: binomial sd √(0.05·0.95/400) ≈ 1.1 %, so [91 %, 99 %] is ±3.6 sd."""
    rng = np.random.default_rng(7)
    x = np.geomspace(10, 1000, 8)
    hits = 0
    for _ in range(400):
        y = x ** 0.5 * np.exp(0.1 * rng.standard_normal(x.size))
        low, high = loglog_slope(x, y).ci95
        hits += low <= 0.5 <= high
    assert 0.91 <= hits / 400 <= 0.99


def test_loglog_slope_drops_unusable_points_and_needs_two():
    fit = loglog_slope([1, 10, -5, 100, 1000], [1, 10, 3, 0, 1000])
    assert fit.points == 3 and fit.slope == pytest.approx(1.0)
    with pytest.raises(InputError, match="two distinct"):
        loglog_slope([1, 1], [2, 3])


def test_mean_ci_is_the_student_interval():
    mean, half = mean_ci([1.0, 2.0, 3.0])
    assert mean == 2.0 and half == pytest.approx(float(stdtrit(2, 0.975)) / math.sqrt(3))
    assert math.isnan(mean_ci([4.0])[1])
    with pytest.raises(InputError, match="at least one finite"):
        mean_ci([math.nan])


def test_slope_over_seeds_averages_each_seeds_slope():
    x = np.geomspace(1, 100, 6)
    curves = [x ** 0.4, 2 * x ** 0.6, x ** 0.5]
    mean, half, slopes = slope_over_seeds(x, curves)
    assert slopes == pytest.approx([0.4, 0.6, 0.5]) and mean == pytest.approx(0.5)
    assert half == pytest.approx(float(stdtrit(2, 0.975)) * 0.1 / math.sqrt(3))
    _, _, window = slope_over_seeds(x, [np.where(x <= 10, x, 10.0)], window=(1, 10))
    assert window == pytest.approx([1.0])


def test_local_slopes_of_a_broken_power_law():
    x = np.array([1.0, 10.0, 100.0, 1000.0])
    mid, slopes = local_slopes(x, np.minimum(x, 100.0) ** 0.5)
    assert slopes == pytest.approx([0.5, 0.5, 0.0], abs=1e-12)
    assert mid == pytest.approx(np.sqrt(x[1:] * x[:-1]))


@settings(max_examples=30)
@given(log_break=st.floats(1.5, 3.0), left=st.floats(-1, 1), right=st.floats(-1, 1))
def test_elbow_fit_recovers_a_broken_power_law(log_break, left, right):
    """Exact data: the profile's minimum is SSE = 0 at the true break."""
    x = np.geomspace(10, 1e4, 16)
    b = 10.0 ** log_break
    y = np.exp(np.where(x < b, left, right) * np.log(x / b))
    fit = elbow_fit(x, y)
    if abs(left - right) > 0.05:      # a break must bend to be found
        assert fit.breakpoint == pytest.approx(b, rel=1e-5)
        assert fit.slopes == pytest.approx((left, right), abs=1e-6)
        assert fit.ci95[0] <= b <= fit.ci95[1]
    np.testing.assert_allclose(fit.predict(x), y, rtol=1e-5)


@pytest.mark.parametrize("q", [2.25, 3.0, 11.0])
def test_elbow_fit_of_a_symmetric_crossover_is_symmetric_about_its_centre(q):
    """log y = −(1/q)·log(1 + (x⋆/x)^{q/2}) (the ray's ‖ŵ_p‖_p, sheet §6.2–6.3)
    deviates from its asymptotes (slope 1/2, then 0) by an even function of
    u = log(x/x⋆); mirroring u → −u changes the data by a linear function, which
    the fit absorbs.  So on a grid symmetric about x⋆ the residual profile is
    even about x⋆: the fitted break b̂ and its mirror x⋆²/b̂ fit equally well
    (to rounding), and the break sits within a factor e^{0.15} of x⋆ (the two
    mirror minima of a smooth bend, measured 0.04–0.09 here)."""
    star = 300.0
    x = star * np.geomspace(1 / 30, 30, 21)
    y = np.exp(-np.log1p((star / x) ** (q / 2)) / q)
    fit = elbow_fit(x, y)
    u, v = np.log(x), np.log(y)
    mirror = 2 * math.log(star) - math.log(fit.breakpoint)
    sse = _segments(u, v, [math.log(fit.breakpoint), mirror])[1]
    assert sse[1] == pytest.approx(sse[0], rel=1e-8, abs=1e-14)
    assert abs(math.log(fit.breakpoint / star)) <= 0.15
    assert fit.slopes[0] < 0.5 and fit.slopes[1] > -1e-12 and fit.slopes[0] > fit.slopes[1]


def test_elbow_interval_covers_the_break_of_noisy_curves():
    """Five noisy seeds of a break at 200: the bootstrap interval over seeds and
    the profile interval of the mean curve both contain 200."""
    rng = np.random.default_rng(3)
    x = np.geomspace(10, 4000, 14)
    truth = np.minimum(x / 200, 1.0) ** 0.5
    curves = truth * np.exp(0.03 * rng.standard_normal((5, x.size)))
    result = elbow_over_seeds(x, curves, replicates=300)
    assert result.ci95[0] <= 200 <= result.ci95[1]
    assert result.fit.ci95[0] <= 200 <= result.fit.ci95[1]
    assert len(result.per_seed) == 5 and result.replicates == 300
    assert elbow_over_seeds(x, curves[:1]).ci95 is None


@pytest.mark.parametrize("call, match", [
    (lambda: elbow_fit([1, 2, 3, 4], [1, 2, 3, 4]), "at least 5"),
    (lambda: elbow_over_seeds([1, 2, 3, 4, 5], [[1, 2, 3, 4]]), "curves must be"),
    (lambda: elbow_over_seeds([1, 2, 3, 4, 5], [[1, 2, 0, 4, 5]]), "finite and positive"),
    (lambda: loglog_slope([1, 2], [1, 2, 3]), "same length"),
])
def test_bad_fits_raise_input_error(call, match):
    with pytest.raises(InputError, match=match):
        call()

"""p_eff calibration (numerics.calibration, Algorithm 1 of docs/derivations/zhang-louis-norm-scaling.md §8.2).

The potential ψ is computed from the DLN links alone (Legendre transform), so
it is held here against the closed form q(z) = 2 − √(4+z²) + z·arcsinh(z/2)
(depth 2, Woodworth et al. 2020, eq. (5)), against ψ′ = link⁻¹ (every depth),
and p_eff against the elasticity z q′(z)/q(z), its limits and its monotonicity
in α and in the probe range.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError
from numerics.calibration import (alpha_for_p_eff, coordinate_potential, local_p_eff, p_eff,
                                  probe_potential)


def _q(z):
    """Woodworth et al. (2020), eq. (5), written out independently of the solver."""
    return 2 - np.sqrt(4 + z ** 2) + z * np.arcsinh(z / 2)


def _h(depth, z):
    """h_D(z) = (1−z)^{−D/(D−2)} − (1+z)^{−D/(D−2)} (Woodworth et al., Thm 3)."""
    m = depth / (depth - 2)
    return (1 - z) ** (-m) - (1 + z) ** (-m)


@given(log_b=st.floats(-6, 6), log_alpha=st.floats(-3, 1))
def test_depth2_potential_is_alpha_squared_q(log_b, log_alpha):
    """ψ(b) = A·q(b/A), A = α²: Legendre of the link 2A·sinh z agrees with eq. (5)
    to ~1e-13 relative (bisection to float64 resolution in z, then one
    product; q's own formula cancels ~log₁₀(1 + z²) digits at small z, which
    is why very small b/A are compared in q's series form)."""
    b, alpha = 10.0 ** log_b, 10.0 ** log_alpha
    A = alpha ** 2
    z = b / A
    expected = A * (_q(z) if z > 1e-3 else z ** 2 / 4 - z ** 4 / 192)
    assert coordinate_potential(b, alpha)[0] == pytest.approx(expected, rel=1e-9)


@settings(max_examples=20)
@given(depth=st.sampled_from([2, 3, 4, 5]), log_b=st.floats(-3, 3), log_alpha=st.floats(-2, 0.5))
def test_the_potentials_derivative_is_the_inverse_link(depth, log_b, log_alpha):
    """ψ′(b) = z with A·φ_D(z) = b: a central difference of ψ (step 1e-4·b,
    truncation ~1e-8 relative) recovers a z whose link returns b."""
    b, alpha = 10.0 ** log_b, 10.0 ** log_alpha
    A = alpha ** depth
    h = 1e-4 * b
    values = coordinate_potential([b - h, b + h], alpha, depth)
    z = (values[1] - values[0]) / (2 * h)
    link = 2 * A * np.sinh(z) if depth == 2 else A * _h(depth, z)
    # the link amplifies z's error by z·φ′(z)/φ(z) ≤ ~1/(1−z) near the ℓ1 end
    assert link == pytest.approx(b, rel=1e-5 / max(1 - z, 1e-3) if depth > 2 else 1e-5 * (1 + z))


@given(depth=st.sampled_from([2, 3, 4]), log_alpha=st.floats(-2, 0.5))
def test_the_potential_is_positive_increasing_and_convex(depth, log_alpha):
    b = np.geomspace(1e-3, 1e3, 25)
    psi = coordinate_potential(b, 10.0 ** log_alpha, depth)
    assert np.all(psi > 0)
    assert np.all(np.diff(psi) > 0)
    slopes = np.diff(psi) / np.diff(b)
    assert np.all(np.diff(slopes) >= -1e-9 * np.abs(slopes[1:]))


@pytest.mark.parametrize("alpha, k", [(1e-3, 1.0), (0.03, 10.0), (0.1, 1.0), (0.3, 100.0),
                                      (1.0, 5.0)])
def test_local_p_eff_is_the_elasticity_of_q(alpha, k):
    """p_eff(α, k) = z q′(z)/q(z), z = 1/(α²√k), q′ = arcsinh(z/2) (sheet §8.2), to the
    central difference's ~1e-7 truncation."""
    z = 1 / (alpha ** 2 * math.sqrt(k))
    assert local_p_eff(alpha, k) == pytest.approx(z * math.asinh(z / 2) / _q(z), abs=1e-6)


@pytest.mark.parametrize("depth", [2, 3])
def test_l1_probes_at_k_see_the_z_of_l2_probes_at_k_squared(depth):
    """u_k = 𝟙/k has entries 1/k, which the l2 probe at k² also has: both local
    exponents are the elasticity at that entry, so they agree."""
    for alpha, k in ((0.1, 3.0), (0.3, 10.0)):
        assert local_p_eff(alpha, k, depth, normalisation="l1") == pytest.approx(
            local_p_eff(alpha, k * k, depth), abs=1e-6)


@pytest.mark.parametrize("depth", [2, 3, 4])
def test_p_eff_increases_from_l1_to_l2_with_alpha(depth):
    alphas = np.geomspace(1e-3, 10, 12)
    values = [p_eff(alpha, depth).p_eff for alpha in alphas]
    assert all(1 <= v <= 2 + 1e-9 for v in values)
    assert all(b >= a - 1e-9 for a, b in zip(values, values[1:]))
    assert values[0] < 1.15 and values[-1] > 1.99


@pytest.mark.parametrize("depth", [2, 3])
def test_a_wider_probe_range_raises_p_eff(depth):
    """The local exponent rises with k (z = α^{−D}/√k falls), so a range reaching
    larger k averages larger exponents."""
    for alpha in (0.1, 0.3) if depth == 2 else (0.3, 0.5):
        narrow, wide = (p_eff(alpha, depth, k_range=(1, k)).p_eff for k in (100, 10_000))
        assert narrow < wide


def test_p_eff_lies_between_the_local_exponents_at_the_ends_of_the_range():
    calibration = p_eff(0.2, k_range=(1, 1000))
    assert local_p_eff(0.2, 1) < calibration.p_eff < local_p_eff(0.2, 1000)
    assert calibration.ks[0] == 1 and calibration.ks[-1] == pytest.approx(1000)
    assert calibration.potentials == pytest.approx(probe_potential(calibration.ks, 0.2))


def test_alpha_for_p_eff_inverts_algorithm_1():
    alpha = alpha_for_p_eff(1.5, k_range=(1, 1000))
    assert p_eff(alpha, k_range=(1, 1000)).p_eff == pytest.approx(1.5, abs=1e-8)
    with pytest.raises(InputError, match="outside"):
        alpha_for_p_eff(2.5)


@pytest.mark.parametrize("call, match", [
    (lambda: p_eff(0.1, normalisation="linf"), "normalisation"),
    (lambda: p_eff(0.1, k_range=(10, 5)), "k_min < k_max"),
    (lambda: p_eff(0.1, probes=1), "probes"),
    (lambda: p_eff(0.1, depth=1), "depth"),
    (lambda: p_eff(-1.0), "alpha"),
    (lambda: coordinate_potential([0.0, 1.0], 0.1), "positive"),
])
def test_bad_calibrations_raise_input_error(call, match):
    with pytest.raises(InputError, match=match):
        call()

"""numerics.relu_networks: initialisation, homogeneity, tangent features, GD.

The tangent features are checked against finite differences and against
Euler's identity for D-homogeneous functions (⟨w, ∇_w f⟩ = D·f); GD's step
against the features (∇L = (2/N) Σ rₙ φ(xₙ)).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import InputError, Status
from numerics.relu_networks import (gradient_distance, he_uniform_weights, network_outputs,
                                    relu_gradient_descent, tangent_features)


def circle_points(n, seed):
    angles = np.random.default_rng(seed).uniform(0, 2 * np.pi, n)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def flat(weights, member=0):
    return np.concatenate([layer[member].ravel() for layer in weights])


def test_he_uniform_bounds_shapes_and_shared_base_draw():
    weights = he_uniform_weights(3, 30, [1.0, 2.5], seed=0, unbiased=False)
    assert [layer.shape for layer in weights] == [(2, 2, 30), (2, 30, 30), (2, 30, 1)]
    for layer, fan_in in zip(weights, (2, 30, 30)):
        bound = math.sqrt(6 / fan_in)
        assert np.max(np.abs(layer[0])) <= bound
        # 900 or 60 uniform draws: the sample variance is within 20 % of bound²/3 = 2/fan_in
        assert abs(np.var(layer[0]) / (2 / fan_in) - 1) < 0.2 or layer[0].size < 60
        assert np.array_equal(layer[1], 2.5 * layer[0])     # w(0) = α·w̄₀, one w̄₀


@pytest.mark.parametrize("depth", [2, 3, 5])
def test_unbiased_initialisation_predicts_zero_but_has_features(depth):
    alphas = np.array([0.1, 10.0])
    weights = he_uniform_weights(depth, 30, alphas, seed=1)
    X = circle_points(10, 0)
    # zero in exact arithmetic; the 30-term output sum pairs ±a·h only up to rounding,
    # ~30·eps relative to the scale α^D of the terms
    assert np.all(np.abs(network_outputs(weights, X)) <= 1e-13 * alphas[:, None] ** depth)
    assert np.all(np.linalg.norm(tangent_features(weights, X), axis=2) > 0)


@settings(max_examples=20)
@given(depth=st.integers(2, 5), scale=st.floats(0.05, 20.0), seed=st.integers(0, 1000))
def test_networks_are_positively_homogeneous_of_degree_depth(depth, scale, seed):
    """f(c·w, x) = c^D f(w, x) (§2): no biases, ReLU is 1-homogeneous."""
    weights = he_uniform_weights(depth, 6, [1.0, scale], seed=seed, unbiased=False)
    outputs = network_outputs(weights, circle_points(7, seed))
    assert np.allclose(outputs[1], scale ** depth * outputs[0], rtol=1e-10,
                       atol=1e-12 * scale ** depth)


@settings(max_examples=20)
@given(depth=st.integers(2, 5), seed=st.integers(0, 1000))
def test_tangent_features_satisfy_euler_identity(depth, seed):
    """⟨w, ∇_w f(w, x)⟩ = D·f(w, x) for a D-homogeneous f."""
    weights = he_uniform_weights(depth, 8, [0.7], seed=seed, unbiased=False)
    X = circle_points(5, seed)
    features = tangent_features(weights, X)[0]
    assert np.allclose(features @ flat(weights), depth * network_outputs(weights, X)[0],
                       rtol=1e-10, atol=1e-12)


def test_tangent_features_match_finite_differences():
    weights = he_uniform_weights(3, 6, [1.0], seed=4, unbiased=False)
    X = circle_points(4, 2)
    features = tangent_features(weights, X)[0]
    shapes = [layer.shape for layer in weights]
    theta = flat(weights)
    step = 1e-6

    def outputs_at(vector):
        layers, start = [], 0
        for shape in shapes:
            size = int(np.prod(shape[1:]))
            layers.append(vector[start:start + size].reshape(shape))
            start += size
        return network_outputs(layers, X)[0]

    numeric = np.stack([(outputs_at(theta + step * e) - outputs_at(theta - step * e)) / (2 * step)
                        for e in np.eye(theta.size)], axis=1)
    # piecewise-linear activations: central differences are exact away from kinks
    # (no pre-activation is within 1e-6 of 0 here), up to rounding eps/h ≈ 1e-10
    assert np.max(np.abs(features - numeric)) < 1e-8


def test_gradient_distance_is_a_cosine_distance():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4, 5))
    assert np.allclose(gradient_distance(a, 2.5 * a), 0, atol=1e-15)
    assert np.allclose(gradient_distance(a, -a), 2)
    b = rng.standard_normal((3, 4, 5))
    b -= (np.sum(a * b, axis=(1, 2)) / np.sum(a * a, axis=(1, 2)))[:, None, None] * a
    assert np.allclose(gradient_distance(a, b), 1)
    with pytest.raises(InputError, match="shapes"):
        gradient_distance(a, b[:, :2])
    with pytest.raises(InputError, match="zero"):
        gradient_distance(a, 0 * b)


def test_one_gd_step_is_the_feature_gradient():
    """w₁ = w₀ − η(2/N) Σₙ rₙ φ_{w₀}(xₙ): the loss gradient through the features."""
    weights = he_uniform_weights(3, 10, [1.0], seed=2)
    X, lr = circle_points(6, 1), 0.05
    y = np.sin(3 * np.arctan2(X[:, 1], X[:, 0]))
    [step] = relu_gradient_descent(weights, X, y, lr=lr, tol=1e-300, max_steps=1)
    assert step.status is Status.MAX_ITERATIONS and step.certificate.iterations == 1
    residual = network_outputs(weights, X)[0] - y
    expected = flat(weights) - lr * (2 / 6) * residual @ tangent_features(weights, X)[0]
    assert np.allclose(np.concatenate([layer.ravel() for layer in step.value]), expected,
                       rtol=1e-12, atol=1e-14)


def test_gd_reaches_the_loss_tolerance_and_certifies_it():
    weights = he_uniform_weights(2, 20, [1.0, 0.5], seed=3)
    X = circle_points(5, 3)
    y = X[:, 0] ** 2 - 0.3
    fits = relu_gradient_descent(weights, X, y, lr=0.05, tol=1e-9, max_steps=200_000)
    for fit in fits:
        assert fit.ok and fit.certificate.details["loss"] < 1e-9
        final = [layer[None] for layer in fit.value]
        assert np.mean((network_outputs(final, X)[0] - y) ** 2) == pytest.approx(
            fit.certificate.details["loss"], rel=1e-6)
        assert fit.certificate.satisfied
        assert fit.certificate.details["peak_loss_ratio"] == 1.0    # monotone at a small step


def test_gd_reports_divergence_and_the_step_budget():
    weights = he_uniform_weights(3, 20, [3.0, 1.0], seed=0)
    X = circle_points(8, 0)
    y = np.cos(np.arctan2(X[:, 1], X[:, 0]))
    diverged, slow = relu_gradient_descent(weights, X, y, lr=1.0, max_steps=50)
    assert diverged.status is Status.DIVERGED and not diverged.ok
    [first_rise] = relu_gradient_descent([layer[:1] for layer in weights], X, y, lr=1.0,
                                    max_steps=50, max_loss_growth=1.0)
    assert first_rise.status is Status.DIVERGED
    assert first_rise.certificate.details["peak_loss_ratio"] > 1
    assert first_rise.certificate.iterations < diverged.certificate.iterations
    [slow] = relu_gradient_descent([layer[1:] for layer in weights], X, y, lr=1e-4, max_steps=10)
    assert slow.status is Status.MAX_ITERATIONS and slow.certificate.iterations == 10


@pytest.mark.parametrize("call, message", [
    (lambda: he_uniform_weights(1, 30, [1.0], seed=0), "depth"),
    (lambda: he_uniform_weights(2, 31, [1.0], seed=0), "odd"),
    (lambda: he_uniform_weights(2, 30, [0.0], seed=0), "positive"),
    (lambda: network_outputs(he_uniform_weights(2, 4, [1.0], seed=0), np.ones((3, 3))),
     "columns"),
    (lambda: network_outputs([np.ones((1, 2, 3))], np.ones((3, 2))), "at least two"),
    (lambda: network_outputs([np.ones((1, 2, 3)), np.ones((1, 4, 1))], np.ones((3, 2))),
     "fan_in"),
    (lambda: relu_gradient_descent(he_uniform_weights(2, 4, [1.0], seed=0), np.ones((3, 2)),
                              np.ones(2), max_steps=5), "one label per row"),
    (lambda: relu_gradient_descent(he_uniform_weights(2, 4, [1.0], seed=0), np.ones((3, 2)),
                              np.zeros(3), max_steps=5), "zero"),
])
def test_bad_input_names_the_problem(call, message):
    with pytest.raises(InputError, match=message):
        call()

"""Small fully connected ReLU networks, trained by full-batch gradient descent, in numpy.

The model of Woodworth et al. (2020), §7 and App. E: a depth-D network without
biases,

    f(w, x) = W_D ᵀ σ(W_{D−1}ᵀ ⋯ σ(W_1ᵀ x)),     σ(z) = max(z, 0),

with W_1 ∈ ℝ^{d_in×m}, W_l ∈ ℝ^{m×m} (1 < l < D) and W_D ∈ ℝ^{m×1}.  Without
biases it is D-positive-homogeneous in w (f(c·w, x) = c^D f(w, x), §2), so
scaling the initialisation by α scales the initial predictor by α^D and the
tangent kernel by α^{2(D−1)} (§3).

``weights`` is a list of D arrays of shapes (B, fan_in, fan_out): B networks
of one architecture (e.g. one initialisation at B scales α), evaluated with
one numpy call per layer for the whole batch.

* :func:`he_uniform_weights`: Uniform He initialisation times α, optionally
  made unbiased (f(w(0), ·) ≡ 0) by the doubling trick of §3.
* :func:`network_outputs`, :func:`tangent_features`: f(w, X) and the feature
  map φ_w(x) = ∇_w f(w, x) of the tangent kernel (§3, eq. (3)).
* :func:`gradient_distance`: the cosine distance between two feature maps (§7).
* :func:`relu_gradient_descent`: full-batch GD on the mean squared error until the
  training loss falls below a tolerance, one certified
  :class:`~numerics.solution.Solution` per network.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from .arith import Float64Arith
from .solution import Certificate, Solution, Status
from .validation import InputError, check_positive

_GD_CONDITION = ("gradient descent has no KKT system; the certificate is the training residual "
                 "‖f(w, X) − y‖/‖y‖ at the stopping step (tolerance: the loss tolerance as a "
                 "residual, √(N·tol)/‖y‖)")
def _check_depth(depth):
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 2:
        raise InputError(f"depth = {depth!r} must be an integer ≥ 2 (the number of weight "
                         "layers; depth 1 is a linear model)")
    return int(depth)


def _check_width(width, unbiased):
    check_positive("width", width, integer=True)
    if unbiased and width % 2:
        raise InputError(f"width = {width} is odd: the unbiased initialisation pairs every unit "
                         "of the last hidden layer with a copy whose output weight is negated; "
                         "pass an even width, or unbiased=False")
    return int(width)


def _check_alphas(alphas):
    alphas = np.atleast_1d(np.asarray(alphas, dtype=float))
    if alphas.ndim != 1 or alphas.size == 0 or not np.all(np.isfinite(alphas)) \
            or np.any(alphas <= 0):
        raise InputError(f"alphas = {alphas!r} must be a non-empty list of finite positive "
                         "initialisation scales")
    return alphas


def _check_inputs(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] == 0 or not np.all(np.isfinite(X)):
        raise InputError(f"X must be a finite (N, d_in) array with N ≥ 1 rows (one input per "
                         f"row), got shape {X.shape}")
    return X


def _check_weights(weights, X=None):
    if not isinstance(weights, (list, tuple)) or len(weights) < 2:
        raise InputError("weights must be a list of at least two arrays of shapes "
                         "(B, fan_in, fan_out), as he_uniform_weights returns")
    weights = [np.asarray(layer, dtype=float) for layer in weights]
    batch = weights[0].shape[0] if weights[0].ndim == 3 else None
    for index, layer in enumerate(weights):
        if layer.ndim != 3 or layer.shape[0] != batch or (
                index and layer.shape[1] != weights[index - 1].shape[2]):
            raise InputError(f"layer {index + 1} has shape {layer.shape}: every layer must be "
                             "(B, fan_in, fan_out) with the same B and fan_in equal to the "
                             "previous layer's fan_out")
    if weights[-1].shape[2] != 1:
        raise InputError(f"the last layer has {weights[-1].shape[2]} outputs; the networks "
                         "here are scalar-valued (fan_out 1)")
    if X is not None and X.shape[1] != weights[0].shape[1]:
        raise InputError(f"X has {X.shape[1]} columns but the first layer takes "
                         f"{weights[0].shape[1]} inputs")
    return weights


def he_uniform_weights(depth, width, alphas, *, input_dim=2, seed, unbiased=True):
    """Uniform He initialisation w̄₀, times each α: w(0) = α·w̄₀ (§2; App. E).

    Every entry of a layer with fan-in n is drawn from U(−√(6/n), √(6/n))
    (variance 2/n, He et al. 2015, as torch's ``kaiming_uniform_`` for ReLU),
    the output layer included.  One draw w̄₀ (from ``seed``) is shared by all
    scales, as in the paper's α·w₀.

    ``unbiased=True`` makes f(w(0), ·) ≡ 0 by the doubling trick of §3: the
    second half of the last hidden layer copies the incoming weights of the
    first half, and its output weights are the first half's negated.  The
    initial predictor's α^D·f(w̄₀, x) would otherwise grow with α and dominate
    the test error in the kernel regime.

    Returns D arrays of shapes (B, fan_in, fan_out), B = len(alphas).
    """
    depth = _check_depth(depth)
    width = _check_width(width, unbiased)
    check_positive("input_dim", input_dim, integer=True)
    alphas = _check_alphas(alphas)
    rng = np.random.default_rng(seed)
    fans = [input_dim] + [width] * (depth - 1) + [1]
    base = [rng.uniform(-1.0, 1.0, size=(fan_in, fan_out)) * math.sqrt(6.0 / fan_in)
            for fan_in, fan_out in zip(fans, fans[1:])]
    if unbiased:
        half = width // 2
        base[-2][:, half:] = base[-2][:, :half]
        base[-1][half:] = -base[-1][:half]
    return [alphas[:, None, None] * layer[None] for layer in base]


def _forward(weights, X):
    """Hidden activations H_0 = X, H_l = σ(H_{l−1} W_l) (B, N, m) and the outputs (B, N)."""
    hidden = [np.broadcast_to(X, (weights[0].shape[0],) + X.shape)]
    for layer in weights[:-1]:
        hidden.append(np.maximum(hidden[-1] @ layer, 0.0))
    return hidden, (hidden[-1] @ weights[-1])[:, :, 0]


def network_outputs(weights, X):
    """f(w, x) for every network of the batch at every row of X: shape (B, N)."""
    X = _check_inputs(X)
    return _forward(_check_weights(weights, X), X)[1]


def tangent_features(weights, X):
    """φ_w(x_n) = ∇_w f(w, x_n) for every network and point: shape (B, N, P).

    The feature map of the tangent kernel K_w(x, x') = ⟨φ_w(x), φ_w(x')⟩
    (Woodworth et al. §3, eq. (3)); P = Σ_l fan_in·fan_out, layers in order,
    each flattened row-major.  Per point n, layer l contributes the outer
    product h_{l−1,n} ⊗ δ_{l,n} (backpropagation with output weight 1).
    """
    X = _check_inputs(X)
    weights = _check_weights(weights, X)
    hidden, _ = _forward(weights, X)
    batch, n = hidden[-1].shape[:2]
    delta = np.ones((batch, n, 1))
    features = [None] * len(weights)
    for index in range(len(weights) - 1, -1, -1):
        features[index] = np.einsum("bni,bno->bnio", hidden[index], delta).reshape(batch, n, -1)
        if index:
            delta = (delta @ weights[index].transpose(0, 2, 1)) * (hidden[index] > 0)
    return np.concatenate(features, axis=2)


def gradient_distance(features_start: np.ndarray, features_end: np.ndarray) -> np.ndarray:
    """The cosine distance 1 − ⟨Φ₀, Φ_T⟩/(‖Φ₀‖‖Φ_T‖) per network (Woodworth et al. §7).

    Φ₀, Φ_T are (B, N, P) feature maps (:func:`tangent_features` at the start
    and end of training); each network's map over all N points is taken as one
    vector, so the distance is 0 when the features only rescale and 1 when
    they become orthogonal.
    """
    start = np.asarray(features_start, dtype=float)
    end = np.asarray(features_end, dtype=float)
    if start.shape != end.shape or start.ndim != 3:
        raise InputError(f"feature maps of shapes {start.shape} and {end.shape}: both must be "
                         "(B, N, P) arrays from tangent_features on the same networks and points")
    start, end = start.reshape(len(start), -1), end.reshape(len(end), -1)
    norms = np.linalg.norm(start, axis=1) * np.linalg.norm(end, axis=1)
    if np.any(norms == 0):
        raise InputError("a feature map is identically zero (every ReLU inactive at every "
                         "point): the cosine distance is undefined; use another seed or scale")
    return 1.0 - np.sum(start * end, axis=1) / norms


def relu_gradient_descent(weights: Sequence[np.ndarray], X: np.ndarray, y: np.ndarray, *,
                          lr: float = 0.01, tol: float = 1e-9, max_steps: int,
                          max_loss_growth: float = 1e8) -> list[Solution]:
    """Full-batch gradient descent on L(w) = (1/N) Σ_n (f(w, x_n) − y_n)², per network.

    Each network of the batch takes the steps w ← w − η∇L(w) until its
    training loss is below ``tol`` (the paper's 1e-9, App. E), diverges (a
    non-finite loss, or the loss above ``max_loss_growth`` times its initial
    value: η is beyond the stability limit 2/λ_max(∇²L), which grows like
    α^{2(D−1)}; ``max_loss_growth=1`` stops at the first rise above the start,
    where GD has left gradient flow's path), or has taken ``max_steps`` steps.
    The networks are trained one after the other in unbatched 2-D arithmetic:
    a step costs ~20 µs at depth 2 (measured on a shared 2-core machine), half
    the batched cost once the slowest network runs alone, which is where the
    time goes (small-α runs need 10–100× more steps than the others).

    Returns one :class:`~numerics.solution.Solution` per network, in batch
    order: ``value`` is its list of D weight arrays (fan_in, fan_out); status
    SUCCESS (loss < tol), DIVERGED or MAX_ITERATIONS; the certificate's
    ``iterations`` are its steps, and ``details`` hold the final ``loss`` and
    ``peak_loss_ratio`` = max_k L(w_k)/L(w_0): above 1 the loss rose above its
    start (a "catapult": the step is near the stability limit and GD is not
    following gradient flow).  The loss is the mean (torch's ``MSELoss``); the
    paper's §2 sum ‖f − y‖² is N times larger, i.e. the same path at step N·η.

    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]); y = np.array([0.5, -0.2, 0.3])
    >>> [fit] = relu_gradient_descent(he_uniform_weights(2, 8, [1.0], seed=0), X, y, lr=0.05,
    ...                          max_steps=100_000)
    >>> fit.ok, fit.certificate.details["loss"] < 1e-9
    (True, True)
    """
    X = _check_inputs(X)
    weights = _check_weights(weights, X)
    y = np.asarray(y, dtype=float)
    if y.shape != (X.shape[0],) or not np.all(np.isfinite(y)):
        raise InputError(f"y must be a finite vector with one label per row of X "
                         f"({X.shape[0]}), got shape {y.shape}")
    check_positive("lr", lr)
    check_positive("tol", tol)
    check_positive("max_steps", max_steps, integer=True)
    check_positive("max_loss_growth", max_loss_growth)
    y_norm = float(np.linalg.norm(y))
    if y_norm == 0:
        raise InputError("y is identically zero: pass nonzero labels")
    with threadpool_limits(limits=1), np.errstate(over="ignore", invalid="ignore"):
        return [_descend([layer[member].copy() for layer in weights], X, y, lr, tol, max_steps,
                         max_loss_growth, y_norm)
                for member in range(weights[0].shape[0])]


def _descend(layers, X, y, lr, tol, max_steps, max_loss_growth, y_norm):
    """GD on one network (2-D weight arrays, updated in place) and its Solution."""
    n = X.shape[0]
    last = len(layers) - 1
    initial = peak = None
    status = Status.MAX_ITERATIONS
    for taken in range(max_steps + 1):
        hidden = [X]
        for layer in layers[:-1]:
            z = hidden[-1] @ layer
            np.maximum(z, 0.0, out=z)
            hidden.append(z)
        residual = (hidden[-1] @ layers[-1])[:, 0] - y
        loss = float(residual @ residual) / n
        if initial is None:
            initial = peak = loss
        peak = max(peak, loss)
        if loss < tol:
            status = Status.SUCCESS
            break
        if not loss <= max_loss_growth * initial:      # NaN counts as diverged
            status = Status.DIVERGED
            break
        if taken == max_steps:
            break
        delta = (2.0 / n) * residual[:, None]
        for index in range(last, -1, -1):
            gradient = hidden[index].T @ delta
            if index:
                delta = (delta @ layers[index].T) * (hidden[index] > 0)
            layers[index] -= lr * gradient
    residual_norm = math.sqrt(n * loss) / y_norm if math.isfinite(loss) else math.inf
    advice = {Status.SUCCESS: "", Status.DIVERGED: f"reduce lr (it was {float(lr):g})",
              Status.MAX_ITERATIONS: f"raise max_steps (it was {max_steps}), or lr"}[status]
    return Solution(value=layers, status=status, advice=advice,
                    certificate=Certificate(
                        primal_residual=residual_norm, optimality_residual=residual_norm,
                        optimality_condition=_GD_CONDITION, tolerance=math.sqrt(n * tol) / y_norm,
                        iterations=taken, precision=Float64Arith.digits,
                        details={"loss": loss, "loss_tol": float(tol), "lr": float(lr),
                                 "peak_loss_ratio": peak / initial if initial else math.nan}))

"""Regression designs Y = Xw⋆ + ξ for the norm-scaling experiments (Zhang & Louis 2025).

A :class:`Design` holds X (n×d), the labels y, the ground truth w⋆, the noise
vector ξ = σ·ε, σ, the seed and a one-line description.  The generators:

* :func:`spike_design` — w⋆ = amplitude·e₁ (the single spike of the formula
  sheet §2 and of the paper's Corollary 4.1 figure);
* :func:`sparse_design` — w⋆ flat on its first s coordinates, w⋆ⱼ = amplitude/√s,
  so ‖w⋆‖₂ = amplitude (the README's "flat on a support of size s"; the paper's
  normalisation is not available, this one keeps τ_s² = ‖w⋆‖₂² + σ² equal to the
  spike's, docs/derivations/zhang-louis-norm-scaling.md §4.2);
* :func:`design` — any w⋆, with the hooks of the ZL-10 exploration: a column
  ``covariance`` (a vector of variances for an anisotropic spectrum, or a full
  d×d matrix for correlated columns) and the law of the ``entries``
  (``"gaussian"``, heavy-tailed ``"student_t"`` with ``df`` degrees of freedom,
  ``"rademacher"``), always standardised to mean 0 and variance 1 before the
  covariance is applied (rows xᵢ = Σ^{1/2} zᵢ, with Σ^{1/2} the Cholesky factor).

**Nested samples.**  Row i of X and entry i of ε depend only on (seed, d, i), not
on n: the rows come from one random stream and the noise from another
(``SeedSequence(seed).spawn``), each drawn in order.  So the design with n
rows is the first n rows of the design with n_max rows, and an n-sweep adds
rows to one experiment: ``spike_design(n_max, d, seed=s).rows(n)`` equals
``spike_design(n, d, seed=s)`` — bitwise, except under a full ``covariance``
matrix, where the product Z·Lᵀ is computed by BLAS in n-dependent blocks and
agrees to float64 rounding.  The noise direction ε does not depend on σ
either, so a σ-sweep changes only the noise level on the same draw.

>>> D = spike_design(4, 10, sigma=0.5, seed=0)
>>> D.X.shape, D.w_star[:2].tolist(), bool(np.allclose(D.y, D.X @ D.w_star + D.noise))
((4, 10), [1.0, 0.0], True)
>>> bool(np.array_equal(D.rows(2).X, spike_design(2, 10, sigma=0.5, seed=0).X))
True
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.linalg

from ._types import RealArray
from .validation import InputError, check_positive

__all__ = ["ENTRY_LAWS", "Design", "design", "sparse_design", "spike_design"]

#: Laws of the standardised entries zᵢⱼ (mean 0, variance 1).
ENTRY_LAWS = ("gaussian", "student_t", "rademacher")


@dataclass(frozen=True, eq=False)
class Design:
    """One regression instance y = X w⋆ + noise (arrays are float64).

    ``noise`` is σ·ε with ε ~ N(0, I_n); ``seed`` reproduces the draw;
    ``description`` says what w⋆, σ and the entry law are (for reports).
    """

    X: np.ndarray
    y: np.ndarray
    w_star: np.ndarray
    noise: np.ndarray
    sigma: float
    seed: int
    description: str

    @property
    def n(self) -> int:
        """Number of rows (samples)."""
        return self.X.shape[0]

    @property
    def d(self) -> int:
        """Number of columns (features)."""
        return self.X.shape[1]

    def rows(self, n: int) -> "Design":
        """The nested sub-design made of the first ``n`` samples (views, no copies)."""
        n = check_positive("n", n, integer=True)
        if n > self.n:
            raise InputError(f"rows(n) needs n ≤ {self.n} (this design has {self.n} rows), got "
                             f"n = {n}; generate the design with n_max ≥ {n} rows")
        return replace(self, X=self.X[:n], y=self.y[:n], noise=self.noise[:n])


def design(n: int, d: int, w_star: RealArray, *, sigma: float = 0.0, seed: int,
           covariance: RealArray | None = None, entries: str = "gaussian",
           df: float | None = None, description: str | None = None) -> Design:
    """y = Xw⋆ + σε with rows xᵢ = Σ^{1/2}zᵢ, zᵢⱼ i.i.d. standardised ``entries``.

    ``covariance``: None (Σ = I, the paper's isotropic design), a length-d
    vector (Σ = diag, an anisotropic spectrum) or a d×d symmetric positive
    definite matrix (correlated columns).  ``entries``: one of
    :data:`ENTRY_LAWS`; ``"student_t"`` needs ``df > 2`` (finite variance) and
    is scaled by √((df−2)/df) to unit variance.
    """
    n = check_positive("n", n, integer=True)
    d = check_positive("d", d, integer=True)
    w_star = _check_w_star(w_star, d)
    sigma = _check_sigma(sigma)
    seed = _check_seed(seed)
    transform, what_cov = _covariance_transform(covariance, d)
    draw_entries, what_entries = _entry_law(entries, df)
    row_stream, noise_stream = (np.random.default_rng(s)
                                for s in np.random.SeedSequence(seed).spawn(2))
    X = transform(draw_entries(row_stream, (n, d)))
    noise = sigma * noise_stream.standard_normal(n)
    y = X @ w_star + noise
    if description is None:
        k = int(np.count_nonzero(w_star))
        description = f"{k}-sparse w⋆ (‖w⋆‖₂ = {np.linalg.norm(w_star):.3g})"
    description = f"{description}, σ = {sigma:g}, {what_entries} entries, {what_cov}"
    for array in (X, y, w_star, noise):
        array.flags.writeable = False      # a Design is a frozen record of one draw
    return Design(X, y, w_star, noise, sigma, seed, description)


def spike_design(n: int, d: int, *, sigma: float = 0.0, seed: int, amplitude: float = 1.0,
                 **hooks: Any) -> Design:
    """w⋆ = amplitude·e₁ (docs/derivations/zhang-louis-norm-scaling.md §2; the paper's
    single-spike figures use e₁).

    ``hooks`` are passed to :func:`design` (``covariance``, ``entries``, ``df``).
    """
    d = check_positive("d", d, integer=True)
    amplitude = _check_amplitude(amplitude)
    w_star = np.zeros(d)
    w_star[0] = amplitude
    return design(n, d, w_star, sigma=sigma, seed=seed,
                  description=f"single spike w⋆ = {amplitude:g}·e₁", **hooks)


def sparse_design(n: int, d: int, s: int, *, sigma: float = 0.0, seed: int,
                  amplitude: float = 1.0, **hooks: Any) -> Design:
    """w⋆ flat on coordinates 0 … s−1 with entries amplitude/√s (so ‖w⋆‖₂ = amplitude).

    The support is the first s coordinates: under an isotropic design its
    location is immaterial, and under a ``covariance`` hook a fixed location
    keeps runs comparable.  ``hooks`` as in :func:`spike_design`.
    """
    d = check_positive("d", d, integer=True)
    s = check_positive("s", s, integer=True)
    if s > d:
        raise InputError(f"the support size s = {s} exceeds the dimension d = {d}; "
                         "use 1 ≤ s ≤ d")
    amplitude = _check_amplitude(amplitude)
    w_star = np.zeros(d)
    w_star[:s] = amplitude / math.sqrt(s)
    return design(n, d, w_star, sigma=sigma, seed=seed,
                  description=f"flat {s}-sparse w⋆ = {amplitude:g}·𝟙_S/√{s}", **hooks)


# --- validation and the pieces of a draw ------------------------------------------

def _check_sigma(sigma):
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not math.isfinite(sigma) \
            or sigma < 0:
        raise InputError(f"sigma = {sigma!r} must be a finite noise level ≥ 0 "
                         "(the labels are y = Xw⋆ + σε with ε ~ N(0, I)); use sigma=0 for "
                         "noiseless labels")
    return float(sigma)


def _check_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise InputError(f"seed = {seed!r} must be an integer ≥ 0 (it reproduces the draw; "
                         "the same seed gives nested designs across n)")
    return int(seed)


def _check_amplitude(amplitude):
    if isinstance(amplitude, bool) or not isinstance(amplitude, numbers.Real) \
            or not math.isfinite(amplitude) or amplitude == 0:
        raise InputError(f"amplitude = {amplitude!r} must be a finite nonzero number "
                         "(it is ‖w⋆‖₂); a zero w⋆ makes noiseless labels vanish")
    return float(amplitude)


def _check_w_star(w_star, d):
    try:
        w = np.array(w_star, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"w_star could not be read as a real vector ({exc}); pass a numpy "
                         "array of d floats") from exc
    if w.shape != (d,):
        raise InputError(f"w_star must have shape ({d},) to match d = {d}, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise InputError("w_star contains NaN or infinite entries; pass a finite vector")
    return w


def _covariance_transform(covariance, d):
    """(rows ↦ rows·Σ^{1/2 T}, description) for the covariance hook."""
    if covariance is None:
        return (lambda Z: Z), "isotropic columns"
    try:
        cov = np.array(covariance, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"covariance could not be read as a real array ({exc}); pass a "
                         "length-d vector of variances or a d×d matrix") from exc
    if not np.all(np.isfinite(cov)):
        raise InputError("covariance contains NaN or infinite entries; pass finite values")
    if cov.shape == (d,):
        if np.any(cov <= 0):
            raise InputError("covariance (a vector of column variances) must be > 0 "
                             "everywhere; drop or rescale the zero-variance columns")
        scale = np.sqrt(cov)
        return (lambda Z: Z * scale), (f"anisotropic columns (variances from {cov.min():.3g} "
                                       f"to {cov.max():.3g})")
    if cov.shape == (d, d):
        if not np.allclose(cov, cov.T, rtol=0, atol=1e-12 * np.max(np.abs(cov))):
            raise InputError("covariance must be symmetric; pass (Σ + Σᵀ)/2")
        try:
            factor = scipy.linalg.cholesky(cov, lower=True)
        except np.linalg.LinAlgError as exc:
            raise InputError("covariance is not positive definite (Cholesky failed); add a "
                             "small multiple of the identity or fix the matrix") from exc
        # row xᵢ = L zᵢ with Σ = LLᵀ; for the matrix of rows, X = Z Lᵀ
        return (lambda Z: Z @ factor.T), "correlated columns (full covariance)"
    raise InputError(f"covariance must be a length-{d} vector or a {d}×{d} matrix, got shape "
                     f"{cov.shape}")


def _entry_law(entries, df):
    """(draw(rng, shape) of standardised entries, description)."""
    if entries not in ENTRY_LAWS:
        raise InputError(f"entries = {entries!r} is not a known law; use one of {ENTRY_LAWS}")
    if entries == "student_t":
        if isinstance(df, bool) or not isinstance(df, numbers.Real) or not df > 2 \
                or not math.isfinite(df):
            raise InputError(f"entries='student_t' needs df > 2 (finite variance, so the "
                             f"entries can be standardised), got df = {df!r}")
        scale = math.sqrt((df - 2) / df)
        return (lambda rng, shape: scale * rng.standard_t(df, size=shape)), \
            f"Student-t (df = {df:g}, unit-variance)"
    if df is not None:
        raise InputError(f"df is only used with entries='student_t', not with {entries!r}; "
                         "drop df")
    if entries == "rademacher":
        return (lambda rng, shape: 2.0 * rng.integers(0, 2, size=shape) - 1.0), "Rademacher ±1"
    return (lambda rng, shape: rng.standard_normal(shape)), "Gaussian"

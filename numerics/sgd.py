"""One-pass SGD on power-law data: the quadratically parameterised model and
the linear model (Ding et al. 2025, arXiv:2502.09106; reconstruction in
``docs/derivations/sgd-quadratic-scaling.md`` §2–§3).

The data stream (§2).  x ~ N(0, H) with H = diag(λ₁, …, λ_d), λᵢ = i^{−α}, and
labels y = ⟨x, w*⟩ + ξ with w*ᵢ = i^{(α−β)/2}, i.e. λᵢ(w*ᵢ)² = i^{−β} (the
convention λᵢ(v*ᵢ)⁴ ≍ i^{−β} with w* = v*^{⊙2}, exactly).  The truth is
infinite-dimensional; the coordinates i > d of x are independent of the first
d, so ⟨x_{>d}, w*_{>d}⟩ is a Gaussian of variance Σ_{i>d} i^{−β} = ζ(β, d+1)
(Hurwitz zeta) and is drawn as part of the label noise: the stream is exact in
distribution, not truncated.

The models.  Quadratic f(x) = Σ_{i≤M} xᵢvᵢ², linear f(x) = Σ_{i≤M} xᵢwᵢ; a model of
size M ≤ d sees the first M coordinates of the stream.  One-pass SGD on
½(f(x_t) − y_t)² takes, with r_t = f(x_t) − y_t,

    quadratic:  v ← v − 2η_t r_t x_t ⊙ v,   i.e.  w = v^{⊙2} ← w ⊙ (1 − 2η_t r_t x_t)²,
    linear:     w ← w − η_t r_t x_t,

from v = v₀𝟙 (quadratic) or w = 0 (linear).  The state kept is w in both cases
(the quadratic update squared, exactly).  Step sizes follow the two-phase
schedule of :func:`two_phase_schedule`.

The excess risk is computed exactly from the diagonal covariance, never
estimated from samples (:meth:`PowerLawProblem.excess_risk`):

    R(w) − R(w*) = ½ Σ_{i≤M} λᵢ(wᵢ − w*ᵢ)² + ½ ζ(β, M+1).

Speed.  Runs that share a data stream (different step sizes, horizons, model
sizes, both models) advance together: one Gaussian draw per coordinate and
step serves every run of a seed, the samples of a block of steps are drawn at
once, and the runs of one (model, size) are one (seeds × runs × M) array.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.special import zeta
from threadpoolctl import threadpool_limits

from .arith import Float64Arith
from .solution import Status
from .validation import InputError, check_positive

__all__ = ["MODELS", "PowerLawProblem", "SGDConfig", "SGDRuns", "learned_coordinates",
           "linear_expected_risk", "one_pass_sgd", "selection_times", "two_phase_schedule"]

MODELS = ("quadratic", "linear")

# A run counts as diverged when its exact excess risk exceeds this multiple of
# the risk at initialisation (or is not finite); no converging run comes near.
DIVERGENCE_FACTOR = 1e6
# Steps whose samples are drawn at once: large enough to amortise the generator's
# call overhead, small enough (S·B·d floats) to stay in cache-friendly sizes.
BLOCK = 128


@dataclass(frozen=True)
class PowerLawProblem:
    """The data stream of §2: λᵢ = i^{−α}, w*ᵢ = i^{(α−β)/2}, noise σ, d explicit coordinates.

    >>> p = PowerLawProblem(alpha=2.0, beta=1.5, noise=1.0, dimension=4)
    >>> p.truth.round(4).tolist()
    [1.0, 1.1892, 1.3161, 1.4142]
    >>> bool(np.allclose(p.eigenvalues * p.truth ** 2, np.arange(1, 5) ** -1.5))
    True
    >>> bool(np.isclose(p.excess_risk(np.zeros(4)), 0.5 * zeta(1.5, 1)))  # w = 0: all signal
    True
    """

    alpha: float
    beta: float
    noise: float
    dimension: int

    def __post_init__(self):
        for name in ("alpha", "beta"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                    or not math.isfinite(value) or value <= 1:
                raise InputError(
                    f"{name} = {value!r} must be a finite number > 1: α > 1 keeps tr H finite and "
                    "β > 1 keeps the signal Σ i^(−β) finite (the paper's power-law regime); "
                    "pass e.g. alpha=2, beta=1.5")
        if isinstance(self.noise, bool) or not isinstance(self.noise, numbers.Real) \
                or not math.isfinite(self.noise) or self.noise < 0:
            raise InputError(f"noise = {self.noise!r} must be a finite standard deviation ≥ 0")
        check_positive("dimension", self.dimension, integer=True)
        object.__setattr__(self, "alpha", float(self.alpha))
        object.__setattr__(self, "beta", float(self.beta))
        object.__setattr__(self, "noise", float(self.noise))

    @cached_property
    def index(self) -> np.ndarray:
        return np.arange(1, self.dimension + 1, dtype=np.float64)

    @cached_property
    def eigenvalues(self) -> np.ndarray:
        """λᵢ = i^{−α}."""
        return self.index ** -self.alpha

    @cached_property
    def truth(self) -> np.ndarray:
        """w*ᵢ = (v*ᵢ)² = i^{(α−β)/2}, so that λᵢ(w*ᵢ)² = i^{−β}."""
        return self.index ** ((self.alpha - self.beta) / 2)

    def tail_energy(self, size):
        """Σ_{i>M} λᵢ(w*ᵢ)² = ζ(β, M+1): what a model of size M can never fit (twice
        its approximation error)."""
        return zeta(self.beta, np.asarray(size, dtype=np.float64) + 1)

    @cached_property
    def label_noise(self) -> float:
        """Standard deviation of what the stream adds to ⟨x_{≤d}, w*_{≤d}⟩:
        √(σ² + ζ(β, d+1)), the noise and the unlisted coordinates together."""
        return math.sqrt(self.noise ** 2 + float(self.tail_energy(self.dimension)))

    def excess_risk(self, w):
        """½ Σ_{i≤M} λᵢ(wᵢ − w*ᵢ)² + ½ ζ(β, M+1), exact, over the last axis of
        ``w`` (M = its length ≤ d; w = v^{⊙2} for the quadratic model)."""
        w = np.asarray(w, dtype=np.float64)
        size = w.shape[-1]
        if size > self.dimension:
            raise InputError(f"w has {size} coordinates but the stream has d = {self.dimension}; "
                             "pass at most d coordinates or a larger dimension")
        error = w - self.truth[:size]
        fitted = 0.5 * np.sum(self.eigenvalues[:size] * error * error, axis=-1)
        return fitted + 0.5 * float(self.tail_energy(size))


def learned_coordinates(problem: PowerLawProblem, w, tolerance=0.5):
    """The number of coordinates i ≤ M with |wᵢ − w*ᵢ| ≤ tolerance·w*ᵢ (over the last axis).

    >>> p = PowerLawProblem(2.0, 1.5, 1.0, 3)
    >>> int(learned_coordinates(p, [1.0, 1.0, 0.0]))
    2
    """
    w = np.asarray(w, dtype=np.float64)
    if not 0 < tolerance < 1:
        raise InputError(f"tolerance = {tolerance!r} must be in (0, 1): the relative distance "
                         "to w*ᵢ within which coordinate i counts as learned (e.g. 0.5)")
    truth = problem.truth[:w.shape[-1]]
    return np.sum(np.abs(w - truth) <= tolerance * truth, axis=-1)


def selection_times(checkpoints, ratios, level=0.5):
    """The first step at which each wᵢ/w*ᵢ reaches ``level``: ``ratios`` is (seeds ×
    checkpoints × M), the times are interpolated linearly in (log t, log ratio) between
    checkpoints; nan where the level is never reached or already is at the first one.

    >>> ratios = np.array([[[0.25, 0.1], [1.0, 0.2]]])     # one seed, 2 checkpoints, M = 2
    >>> selection_times([10, 1000], ratios)               # 0.25 → 1 is halfway in logs
    array([[100.,  nan]])
    """
    log_t, log_r = np.log(checkpoints), np.log(np.maximum(ratios, 1e-300))
    above = log_r >= math.log(level)
    first = np.argmax(above, axis=1)
    seeds, coords = np.nonzero(above.any(axis=1) & (first > 0))
    k = first[seeds, coords]
    r0, r1 = log_r[seeds, k - 1, coords], log_r[seeds, k, coords]
    out = np.full(first.shape, np.nan)
    out[seeds, coords] = np.exp(log_t[k - 1] + (math.log(level) - r0) / (r1 - r0)
                                * (log_t[k] - log_t[k - 1]))
    return out


def two_phase_schedule(horizon, steps=None):
    """Step-size multipliers of the two-phase schedule (§3) at steps t = 0, 1, …

    Phase I (adaptation): the constant step η for T₁ = ⌊T/2⌋ steps.  Phase II
    (estimation): geometric decay over the other T₂ = T − T₁ steps, in
    K = ⌈log₂ T₂⌉ stages of L = ⌈T₂/K⌉ steps, stage k = 1, …, K using η·2^{−k},
    so the last stages' step is ≈ η/T₂ (the exponentially decaying schedule of
    Zhang et al. 2024, arXiv:2409.09745, after a constant phase).

    Returns the multipliers at ``steps`` (default: all of 0, …, T−1).

    >>> two_phase_schedule(8).tolist()
    [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """
    first, length, stages = _phases(check_positive("horizon", horizon, integer=True))
    t = np.arange(horizon) if steps is None else np.asarray(steps)
    return 0.5 ** _stage(t, first, length, stages)


def _stage(t, first, length, stages):
    """The stage of step t: 0 in Phase I, then 1 … K (the last takes any remainder)."""
    return np.where(t < first, 0, np.minimum((t - first) // length + 1, stages))


def _phases(horizon):
    """(T₁, L, K): Phase I length, Phase II stage length and number of stages.

    L = ⌈T₂/K⌉ leaves all K stages their steps whenever (K − 1)·L < T₂ (every
    horizon the claims use); for short Phase IIs where it does not (T₂ = 9:
    K = 4, L = 3 would end after 3 stages) L = ⌊T₂/K⌋ and the last stage takes
    the remainder, so there are always exactly K halvings.
    """
    first = horizon // 2
    second = horizon - first
    stages = max(1, math.ceil(math.log2(second))) if second > 1 else 1
    length = math.ceil(second / stages)
    if (stages - 1) * length >= second:
        length = second // stages
    return first, length, stages


@dataclass(frozen=True)
class SGDConfig:
    """One SGD run on a stream: ``model`` ("quadratic" or "linear"), ``size`` M,
    Phase I ``step`` η and ``horizon`` T (samples = steps)."""

    model: str
    size: int
    step: float
    horizon: int

    def __post_init__(self):
        if self.model not in MODELS:
            raise InputError(f"model = {self.model!r}; choose one of {', '.join(MODELS)}")
        check_positive("size", self.size, integer=True)
        check_positive("step", self.step)
        check_positive("horizon", self.horizon, integer=True)


@dataclass(frozen=True)
class SGDCertificate:
    """What was verified about a batch of runs.

    ``precision``: decimal digits of the arithmetic (float64).  ``stream_z``
    (seeds × runs): a check of the exact risk against the samples: over the
    last stage of each run, the mean squared residual r_t² must estimate
    E r² = σ² + ζ(β, d+1) + Σ_{i≤d} λᵢ(wᵢ − w*ᵢ)² = σ² + 2·(excess risk) (w frozen
    to first order, the step being ≈ η/T there); ``stream_z`` is the
    difference over its standard error √2·(σ² + 2R)/√n.  ``coordinate_updates``
    counts Σ_runs seeds·M·T and ``seconds`` the wall-clock time of the loop.
    """

    precision: float
    steps: tuple
    coordinate_updates: int
    seconds: float
    stream_z: np.ndarray
    stream_samples: tuple
    divergence_rule: str = (f"diverged: the exact excess risk is not finite or exceeds "
                            f"{DIVERGENCE_FACTOR:g}× its initial value (checked every {BLOCK} steps "
                            "and at the horizon)")

    @property
    def updates_per_second(self) -> float:
        return self.coordinate_updates / self.seconds if self.seconds > 0 else math.inf


@dataclass(frozen=True)
class SGDRuns:
    """The result of :func:`one_pass_sgd`; arrays are indexed (seed, run, …).

    ``weights[c]``: (S, M_c) final w (= v^{⊙2} for the quadratic model);
    ``risk``: (S, C) exact excess risk at each run's horizon; ``status``:
    (S, C) :class:`Status` (SUCCESS or DIVERGED); ``checkpoint_risk``: (S, C, K)
    the exact excess risk after each of ``checkpoints`` steps (nan past a
    run's horizon); ``checkpoint_weights``: per run (S, K, M_c), when recorded.
    """

    problem: PowerLawProblem
    configs: tuple
    seeds: tuple
    weights: tuple
    risk: np.ndarray
    status: np.ndarray
    checkpoints: np.ndarray
    checkpoint_risk: np.ndarray
    certificate: SGDCertificate
    checkpoint_weights: tuple | None = field(default=None, repr=False)

    @property
    def ok(self) -> np.ndarray:
        return self.status == Status.SUCCESS


def _check_seeds(seeds):
    seeds = tuple(seeds)
    if not seeds or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool)
                            and s >= 0 for s in seeds):
        raise InputError(f"seeds = {seeds!r} must be a non-empty list of integers ≥ 0, one "
                         "independent data stream each")
    if len(set(seeds)) != len(seeds):
        raise InputError(f"seeds = {seeds!r} repeat a seed; repeated streams are not independent")
    return tuple(int(s) for s in seeds)


def _check_checkpoints(checkpoints, longest):
    points = np.unique(np.asarray(checkpoints, dtype=np.int64))
    if points.size and (points[0] < 0 or points[-1] > longest):
        raise InputError(f"checkpoints must lie in [0, {longest}] (the longest horizon); got "
                         f"{points[0]} … {points[-1]}")
    return points


# A group's step is a dozen numpy calls, with a fixed cost per call whatever the size:
# a run joins a group of larger runs while the zeros it carries there (S·(M − M_run)
# entries) cost less than a group of its own.  The bound is an estimate (a few µs per
# call against a few ns per entry); measured on SQ-2's M ladder (sizes 1–64, 10 seeds),
# 12 groups took 138 µs per step and one padded group 32 µs.
_PADDING_ENTRIES = 4000


def _size_clusters(indices, configs, n_seeds):
    """The runs ``indices`` of one model split into groups of nearby sizes: from the
    largest down, a run joins the current group while its padding S·(M − M_run)
    stays within _PADDING_ENTRIES."""
    clusters = []
    for index in sorted(indices, key=lambda c: -configs[c].size):
        if clusters and n_seeds * (configs[clusters[-1][0]].size - configs[index].size) \
                <= _PADDING_ENTRIES:
            clusters[-1].append(index)
        else:
            clusters.append([index])
    return clusters


class _Group:
    """The runs of one model, as one (S, C, M) state array, sorted by horizon
    (longest first) so that the runs still going are a prefix.  M is the
    largest run's size; a smaller run's coordinates beyond its own size are
    held at 0 by a mask (never updated, so its predictions and risk are those
    of its own M), which lets runs of nearby sizes share each step's numpy
    calls (see :func:`_size_clusters`)."""

    def __init__(self, problem, model, members, configs, seeds, init):
        self.model = model
        order = sorted(members, key=lambda c: -configs[c].horizon)
        self.members = order
        self.sizes = np.array([configs[c].size for c in order])
        self.size = int(self.sizes.max())
        self.horizons = np.array([configs[c].horizon for c in order])
        self.steps = np.array([configs[c].step for c in order])
        phases = [_phases(int(h)) for h in self.horizons]
        self.first = np.array([p[0] for p in phases])
        self.stage_length = np.array([p[1] for p in phases])
        self.stages = np.array([p[2] for p in phases])
        self.last_stage_start = self.first + (self.stages - 1) * self.stage_length
        shape = (len(seeds), len(order), self.size)
        span = np.arange(self.size) < self.sizes[:, None]
        self.mask = None if span.all() else span.astype(np.float64)
        start = init ** 2 if model == "quadratic" else 0.0
        self.w = (np.full(shape, start) if self.mask is None
                  else np.broadcast_to(start * self.mask, shape).copy())
        self.buffer = np.empty(shape)
        self.residual = np.empty((len(seeds), len(order), 1))
        self.alive = np.ones(shape[:2])          # 0 for diverged runs: their step is masked
        self.initial_risk = self.risk(problem)
        self.square_sum = np.zeros(shape[:2])
        self.square_count = np.zeros(len(order), dtype=np.int64)
        self.active = len(order)

    def weights(self, slot):
        """(S, M_slot) the current w of the run in ``slot``."""
        return self.w[:, slot, :self.sizes[slot]]

    def multipliers(self, start, count):
        """(count, C) η_c times the schedule multiplier at steps start … start+count−1."""
        t = np.arange(start, start + count)[:, None]
        return self.steps * 0.5 ** _stage(t, self.first, self.stage_length, self.stages)

    def step(self, x, y, eta, t):
        """One SGD step of the active runs on the samples x (S, d), y (S,)."""
        a = self.active
        w, buffer = self.w[:, :a], self.buffer[:, :a]
        xm = x[:, :self.size]
        r = self.residual[:, :a]
        np.matmul(w, xm[:, :, None], out=r)
        r[..., 0] -= y[:, None]
        late = t >= self.last_stage_start[:a]
        if late.any():
            self.square_sum[:, :a] += late * r[..., 0] ** 2
            self.square_count[:a] += late
        # the factor of x in the update: 2η r (quadratic) or η r (linear), masked when diverged
        coefficient = r[..., 0] * (eta[:a] * self.alive[:, :a])
        if self.model == "quadratic":
            coefficient *= 2.0
        np.multiply(coefficient[:, :, None], xm[:, None, :], out=buffer)
        if self.mask is not None:
            np.multiply(buffer, self.mask[:a], out=buffer)
        if self.model == "quadratic":
            np.subtract(1.0, buffer, out=buffer)
            np.multiply(buffer, buffer, out=buffer)
            np.multiply(w, buffer, out=w)
        else:
            np.subtract(w, buffer, out=w)

    def risk(self, problem):
        """(S, C) the exact excess risk of every run, each over its own size."""
        if self.mask is None:
            return problem.excess_risk(self.w)
        return np.stack([problem.excess_risk(self.weights(slot))
                         for slot in range(self.w.shape[1])], axis=1)

    def check_divergence(self, problem):
        """Mask runs whose risk left the finite range; reset them to a finite state."""
        risk = self.risk(problem)
        bad = ~(np.isfinite(risk) & (risk <= DIVERGENCE_FACTOR * self.initial_risk))
        bad &= self.alive.astype(bool)
        if bad.any():
            self.alive[bad] = 0.0
            self.w[bad] = 0.0


def one_pass_sgd(problem: PowerLawProblem, configs: Sequence[SGDConfig], seeds: Sequence[int], *,
                 init: np.ndarray | None = None, checkpoints: Sequence[int] = (),
                 record_weights: bool = False) -> SGDRuns:
    """Run every configuration in ``configs`` on the data streams of ``seeds``.

    Each seed is one stream (``np.random.default_rng(seed)``: per block of
    steps, the block's x then its label noise), shared by all runs, so runs
    of a seed see the same samples (nested in the horizon: the first T
    samples of a longer run are those of a shorter one).  ``init`` is v₀
    (quadratic runs start at v = v₀𝟙, i.e. w = v₀²𝟙; linear runs at 0).
    ``checkpoints``: step counts after which the exact risk of every run (and,
    with ``record_weights``, its w) is recorded.

    Divergence is detected (status DIVERGED, risk inf) and never reported as
    a result.

    >>> p = PowerLawProblem(2.0, 1.5, 0.5, 50)
    >>> runs = one_pass_sgd(p, [SGDConfig("linear", 50, 0.3, 2000),
    ...                         SGDConfig("quadratic", 50, 0.05, 2000)], [0, 1], init=0.1)
    >>> bool(runs.ok.all()), bool((runs.risk < p.excess_risk(np.zeros(50))).all())
    (True, True)
    """
    if not isinstance(problem, PowerLawProblem):
        raise InputError("problem must be a PowerLawProblem (numerics.sgd.PowerLawProblem(alpha, "
                         "beta, noise, dimension))")
    configs = tuple(configs)
    if not configs or not all(isinstance(c, SGDConfig) for c in configs):
        raise InputError("configs must be a non-empty list of SGDConfig(model, size, step, horizon)")
    too_big = [c for c in configs if c.size > problem.dimension]
    if too_big:
        raise InputError(f"a run of size M = {too_big[0].size} exceeds the stream's d = "
                         f"{problem.dimension}; raise the problem's dimension to the largest M")
    if any(c.model == "quadratic" for c in configs):
        check_positive("init", init)
        init = float(init)
    seeds = _check_seeds(seeds)
    longest = max(c.horizon for c in configs)
    checkpoints = _check_checkpoints(checkpoints, longest)
    n_seeds, d = len(seeds), problem.dimension

    by_model: dict[str, list] = {}
    for index, config in enumerate(configs):
        by_model.setdefault(config.model, []).append(index)
    groups = [_Group(problem, model, cluster, configs, seeds, init)
              for model, indices in by_model.items()
              for cluster in _size_clusters(indices, configs, len(seeds))]

    risk = np.full((n_seeds, len(configs)), np.nan)
    weights: list = [None] * len(configs)
    checkpoint_risk = np.full((n_seeds, len(configs), checkpoints.size), np.nan)
    checkpoint_weights = ([np.full((n_seeds, checkpoints.size, c.size), np.nan) for c in configs]
                          if record_weights else None)
    streams = [np.random.default_rng(seed) for seed in seeds]
    x_block = np.empty((n_seeds, BLOCK, d))      # one contiguous slab per stream
    noise_block = np.empty((n_seeds, BLOCK))
    scale = np.sqrt(problem.eigenvalues)
    noise_std = problem.label_noise
    events = sorted(set(int(c.horizon) for c in configs) | set(int(k) for k in checkpoints))
    event_index = 0

    def at_event(t):
        """Record checkpoints and close the runs whose horizon is t (samples used)."""
        for group in groups:
            group.check_divergence(problem)
            if t in checkpoint_set:
                k = int(np.searchsorted(checkpoints, t))
                values = group.risk(problem)
                for slot, c in enumerate(group.members[:group.active]):
                    checkpoint_risk[:, c, k] = np.where(group.alive[:, slot] > 0, values[:, slot],
                                                        np.inf)
                    if record_weights:
                        checkpoint_weights[c][:, k] = group.weights(slot)
            while group.active and group.horizons[group.active - 1] == t:
                slot = group.active - 1
                c = group.members[slot]
                alive = group.alive[:, slot] > 0
                weights[c] = group.weights(slot).copy()
                risk[:, c] = np.where(alive, group.risk(problem)[:, slot], np.inf)
                group.active -= 1

    checkpoint_set = set(int(k) for k in checkpoints)
    start = time.perf_counter()
    with threadpool_limits(limits=1), np.errstate(over="ignore", invalid="ignore",
                                                  under="ignore"):
        if events and events[0] == 0:
            at_event(0)
            event_index = 1
        for block_start in range(0, longest, BLOCK):
            for s, stream in enumerate(streams):
                stream.standard_normal(out=x_block[s])
                stream.standard_normal(out=noise_block[s])
            x_block *= scale
            y_block = x_block @ problem.truth + noise_std * noise_block
            count = min(BLOCK, longest - block_start)
            tables = [group.multipliers(block_start, count) for group in groups]
            for k in range(count):
                t = block_start + k
                x, y = x_block[:, k], y_block[:, k]
                for group, table in zip(groups, tables):
                    if group.active:
                        group.step(x, y, table[k], t)
                if event_index < len(events) and events[event_index] == t + 1:
                    at_event(t + 1)
                    event_index += 1
            for group in groups:
                group.check_divergence(problem)
    seconds = time.perf_counter() - start

    status = np.where(np.isfinite(risk), Status.SUCCESS, Status.DIVERGED)
    stream_z, samples = _stream_check(problem, groups, risk, configs)
    updates = sum(n_seeds * c.size * c.horizon for c in configs)
    certificate = SGDCertificate(precision=Float64Arith.digits,
                                 steps=tuple(c.horizon for c in configs),
                                 coordinate_updates=int(updates), seconds=seconds,
                                 stream_z=stream_z, stream_samples=samples)
    return SGDRuns(problem, configs, seeds, tuple(weights), risk, status, checkpoints,
                   checkpoint_risk, certificate,
                   tuple(checkpoint_weights) if record_weights else None)


def linear_expected_risk(problem: PowerLawProblem, size, steps, horizon):
    """The exact expected excess risk of linear one-pass SGD after ``horizon``
    steps of the two-phase schedule, for each Phase I step size in ``steps``.

    For Gaussian x with diagonal H, E[xxᵀAxxᵀ] = 2HAH + tr(HA)H, so the error
    covariance A = E(w − w*)(w − w*)ᵀ stays diagonal and its diagonal a obeys,
    exactly,

        aᵢ ← aᵢ(1 − 2ηλᵢ + 2η²λᵢ²) + η²λᵢ(Σⱼλⱼaⱼ + σ_M²),   a(0) = w*²,

    with σ_M² = σ² + ζ(β, M+1) (the coordinates beyond M are independent noise
    to the model).  The expected excess risk is ½Σλᵢaᵢ + ½ζ(β, M+1).  No sampling
    is involved: this is the mean of :func:`one_pass_sgd`'s linear runs over
    infinitely many streams, used to tune the linear baseline's step size and
    to check the simulated runs.  Step sizes whose recursion leaves the finite
    range (unstable η) get risk inf.

    >>> p = PowerLawProblem(2.0, 1.5, 1.0, 30)
    >>> exact = linear_expected_risk(p, 30, [0.2], 500)
    >>> runs = one_pass_sgd(p, [SGDConfig("linear", 30, 0.2, 500)], range(400))
    >>> bool(abs(runs.risk.mean() - exact[0]) < 4 * runs.risk.std() / 20)   # 4 standard errors
    True
    """
    check_positive("size", size, integer=True)
    if size > problem.dimension:
        raise InputError(f"size M = {size} exceeds the stream's d = {problem.dimension}")
    horizon = check_positive("horizon", horizon, integer=True)
    steps = np.asarray(steps, dtype=np.float64).reshape(-1, 1)
    if steps.size == 0 or not np.all(np.isfinite(steps) & (steps > 0)):
        raise InputError("steps must be a non-empty list of positive finite step sizes")
    lam = problem.eigenvalues[:size]
    tail = float(problem.tail_energy(size))
    noise = problem.noise ** 2 + tail
    a = np.tile(problem.truth[:size] ** 2, (steps.shape[0], 1))
    multipliers = two_phase_schedule(horizon)
    with threadpool_limits(limits=1), np.errstate(over="ignore", invalid="ignore"):
        start = 0
        while start < horizon:        # the schedule is constant on stages: one factor per stage
            stop = start + int(np.argmax(multipliers[start:] != multipliers[start])) \
                if np.any(multipliers[start:] != multipliers[start]) else horizon
            eta = steps * multipliers[start]
            factor = 1 - 2 * eta * lam + 2 * (eta * lam) ** 2
            feed = eta ** 2 * lam
            for _ in range(stop - start):
                coupling = a @ lam + noise
                a *= factor
                a += feed * coupling[:, None]
            start = stop
        risk = 0.5 * (a @ lam) + 0.5 * tail
    return np.where(np.isfinite(risk), risk, np.inf)


def _stream_check(problem, groups, risk, configs):
    """z-scores of the last stage's mean r² against σ² + 2R (see SGDCertificate)."""
    z = np.full(risk.shape, np.nan)
    samples = [0] * len(configs)
    for group in groups:
        for slot, c in enumerate(group.members):
            n = int(group.square_count[slot])
            samples[c] = n
            if n == 0:
                continue
            expected = problem.noise ** 2 + 2 * risk[:, c]
            mean = group.square_sum[:, slot] / n
            with np.errstate(invalid="ignore"):
                z[:, c] = (mean - expected) / (math.sqrt(2 / n) * expected)
    return z, tuple(samples)

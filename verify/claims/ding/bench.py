"""The SGD benchmark row: one-pass SGD's coordinate-updates per second per core
(one coordinate of one run advanced by one step) against the numpy floor of one
vectorised step, on SQ-3's unit of work (both models on the same streams,
M = 1000, α ≤ β).  The row's notes say how each rate is measured.
"""

from __future__ import annotations

import time

import numpy as np
from threadpoolctl import threadpool_limits

from numerics.sgd import PowerLawProblem, SGDConfig, one_pass_sgd

from .experiment import INIT, REGIMES, linear_steps, quadratic_step

# Targets: the issue's ≥ 10⁷ coordinate-updates per second per core, and our step at most
# this many times the floor (the quadratic step needs five passes over its state and the
# linear one three, plus one matrix-vector product each, against the floor's one pass).
RATE_TARGET = 1e7
FLOOR_FACTOR = 4.0
SIZE = 1000
QUICK = {"seeds": 2, "steps": 2_000, "repeats": 3}
FULL = {"seeds": 10, "steps": 20_000, "repeats": 3}


def _floor_step_seconds(seeds, runs, steps):
    """Median seconds of one bare numpy step: the samples and one pass over the state."""
    rng = np.random.default_rng(0)
    x = np.empty((seeds, SIZE))
    state = np.zeros((seeds, runs, SIZE))
    buffer = np.empty_like(state)
    coefficient = np.full((seeds, runs, 1), 1e-3)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(steps):
            rng.standard_normal(out=x)
            np.multiply(coefficient, x[:, None, :], out=buffer)
            np.subtract(state, buffer, out=state)
        times.append((time.perf_counter() - start) / steps)
    return float(np.median(times))


def bench_row(number: int, quick: bool, progress):
    """The benchmark row (see the module docstring)."""
    from verify.bench import Row, timed

    sizes, regime = QUICK if quick else FULL, REGIMES[1]
    problem, seeds = PowerLawProblem(regime.alpha, regime.beta, 1.0, SIZE), range(sizes["seeds"])
    configs = [SGDConfig("quadratic", SIZE, quadratic_step(regime), sizes["steps"]),
               SGDConfig("linear", SIZE, float(linear_steps(regime)[3]), sizes["steps"])]
    setting = (f"M = {SIZE}, {len(seeds)} seeds × (quadratic + linear), T = {sizes['steps']:,}, "
               f"α = {problem.alpha:g}, β = {problem.beta:g}")
    row = Row(number, "one-pass SGD: coordinate-updates per second per core vs the numpy floor",
              setting)
    progress(f"row {number}: one-pass SGD, {setting}")
    with threadpool_limits(limits=1):
        run = timed(lambda: one_pass_sgd(problem, configs, seeds, init=INIT), sizes["repeats"])
        updates = run.result.certificate.coordinate_updates
        rate = updates / run.seconds
        progress(f"row {number}: numpy floor of one vectorised step")
        floor_step = _floor_step_seconds(len(seeds), len(configs), min(sizes["steps"], 5_000))
    floor_rate = len(seeds) * len(configs) * SIZE / floor_step
    ratio = floor_rate / rate
    progress(f"row {number}: {rate:.3g} coordinate-updates/s, {ratio:.2f}× the floor's time")
    row.add("coordinate-updates / s / core", setting,
            f"{updates:,} updates in {run.seconds:.3g} s (median of {sizes['repeats']})",
            rate, ">=", RATE_TARGET, "/s")
    row.add("time per update / numpy floor", setting,
            f"floor: one step's samples + one pass over the state, {floor_step * 1e6:.3g} µs "
            f"per step ({floor_rate:.3g} updates/s)", ratio, "<=", FLOOR_FACTOR, "×")
    row.notes.append(
        "Rate: Σ_runs seeds·M·T over the wall-clock time of numerics.sgd.one_pass_sgd (samples, "
        "steps, divergence checks, exact risk). Floor: rng.standard_normal for the step's "
        "S×M samples and one multiply-subtract pass over the (S × runs × M) state, the least "
        "any numpy implementation of a step pays. BLAS pinned to one thread.")
    row.data = {"rate": rate, "floor_rate": floor_rate, "ratio": ratio,
                "seconds": run.seconds, "times": run.times, "updates": updates,
                "floor_step_seconds": floor_step}
    return row

"""The runner: measure the points of claims, in worker processes or on a Dask
cluster, storing each result the moment it arrives.

Points already in the store (same claim, point and code version) are not
measured again; that is how an interrupted run resumes.  The unit of work is
:func:`measure_task`, a module-level function that receives a claim *id* and
the name of the claim module that registered it, and imports that module only
(a worker measuring SQ does not import the other papers' claims), so nothing
but plain data (and a reference to this function) crosses a process boundary.  Local workers are
started with the ``spawn`` method, like Dask's: a claim that runs locally runs
on a cluster.  Only the main process writes the store.

As with any ``spawn``-based pool, a script that calls the runner with worker
processes must do so under ``if __name__ == "__main__":`` (the workers
re-import the script); ``Execution(workers=0)`` measures in the calling
process instead, which needs no guard (what :func:`verify.check` does).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from verify import claims, jsondata, provenance
from verify.claim import Claim
from verify.errors import BadInput
from verify.progress import Progress
from verify.store import ResultStore

SCHEDULER_CONNECT_TIMEOUT = "10s"  # a wrong address should fail fast, not after Dask's 30 s
WORKER_EXIT_TIMEOUT = 2.0  # seconds a terminated worker gets before it is killed

# In a local worker process: the claim modules after whose import BLAS was pinned to one
# thread (None elsewhere: a Dask worker's threads are the cluster's business).
_modules_pinned: set[str] | None = None


@dataclass(frozen=True)
class Execution:
    """Where and how points are measured.

    ``workers``: local worker processes (default: one per CPU; 0 measures in
    this process, one point after another); ignored when ``scheduler`` (a Dask
    scheduler address such as ``tcp://host:8786``) is given, in which case the
    cluster's workers measure.  ``progress``: the
    progress line on stderr.
    """

    workers: int | None = None
    scheduler: str | None = None
    progress: bool = True


@dataclass
class Measurements:
    """What is known about one claim's points after a run: the measurements
    (as read back from the store, so identical whether fresh or resumed) and
    the points whose ``measure`` raised, with the error."""

    claim_id: str
    measured: dict[str, dict] = field(default_factory=dict)  # canonical point -> measurement
    failed: dict[str, str] = field(default_factory=dict)     # canonical point -> error
    reused: int = 0
    computed: int = 0

    def results(self, points: Sequence[dict]) -> list[tuple[dict, dict]]:
        """``(point, measurement)`` for those of ``points`` that were measured."""
        keyed = ((point, jsondata.canonical(point)) for point in points)
        return [(point, self.measured[key]) for point, key in keyed if key in self.measured]

    def failures(self, points: Sequence[dict]) -> list[tuple[dict, str]]:
        """``(point, error)`` for those of ``points`` whose measurement failed."""
        keyed = ((point, jsondata.canonical(point)) for point in points)
        return [(point, self.failed[key]) for point, key in keyed if key in self.failed]


class SchedulerError(BadInput):
    """The Dask scheduler cannot be reached; the message names the fix."""


class WorkerPoolBroken(BadInput):
    """The local worker processes died; the message says the likely cause and the fix."""


def measure_task(claim_id: str, point: dict, module: str) -> tuple[str, float]:
    """Measure one point (runs in a worker): the measurement as JSON text and
    the seconds ``measure`` took.  ``module`` registered the claim; only it is imported."""
    claim = claims.claim_in_module(module, claim_id)
    if _modules_pinned is not None and module not in _modules_pinned:
        from threadpoolctl import threadpool_limits

        # after the import: a claim module may load a BLAS of its own (cvxpy brings one),
        # and the pool already runs one worker per CPU
        threadpool_limits(1)
        _modules_pinned.add(module)
    return _measure(claim, point)


def _measure(claim: Claim, point: dict) -> tuple[str, float]:
    claim_id = claim.id
    start = time.perf_counter()
    measurement = claim.measure(point)
    seconds = time.perf_counter() - start
    if not isinstance(measurement, dict):
        raise TypeError(f"{claim_id}: measure returned a {type(measurement).__name__}; "
                        "it must return a dict")
    return jsondata.to_text(measurement), seconds


def measure_points(requests: Iterable[tuple[Claim, Sequence[dict]]], store: ResultStore,
                   execution: Execution = Execution(), label: str = "measure"
                   ) -> dict[str, Measurements]:
    """Measure every requested ``(claim, points)`` not yet in ``store``.

    Returns one :class:`Measurements` per claim id.  A point whose ``measure``
    raises is reported in ``failed`` and not stored, so the next run retries it.
    Pending points whose claims declare the same shared identity
    (:attr:`Claim.shares`) are measured once, by the first of them.
    """
    outcome: dict[str, Measurements] = {}
    versions: dict[str, str] = {}
    pending: dict[tuple[str, str], dict] = {}  # task: (claim id, canonical point) -> point
    # task -> every (claim id, canonical point, point) its measurement is stored for: more
    # than one when points of several claims share a measurement (Claim.shares)
    recipients: dict[tuple[str, str], list[tuple[str, str, dict]]] = {}
    shared: dict[str, tuple[str, str]] = {}  # canonical shared identity -> its task
    wanted: set[tuple[str, str]] = set()
    requested = list(requests)
    for claim, points in requested:
        measurements = outcome.setdefault(claim.id, Measurements(claim.id))
        version = versions.setdefault(claim.id, provenance.code_version(claim))
        stored = store.lookup(claim.id, list(points), version)
        for point in points:
            key = jsondata.canonical(point)
            if key in stored and key not in measurements.measured:
                measurements.measured[key] = stored[key]
                measurements.reused += 1
            elif key not in stored and (claim.id, key) not in wanted:
                wanted.add((claim.id, key))
                identity = claim.shares(point) if claim.shares else None
                task = (claim.id, key) if identity is None else shared.setdefault(
                    jsondata.canonical(identity), (claim.id, key))
                if task == (claim.id, key):
                    pending[task] = point
                recipients.setdefault(task, []).append((claim.id, key, point))
    reused = sum(measurements.reused for measurements in outcome.values())
    progress = Progress(label, reused + len(pending), reused=reused, enabled=execution.progress)
    commit = provenance.git_commit()
    # closing: an interrupt stops the workers before it propagates, not when the
    # generator is garbage-collected
    claims_by_id = {claim.id: claim for claim, _ in requested}
    with contextlib.closing(_execute(pending, execution, claims_by_id)) as results:
        for task, result in results:
            for claim_id, key, point in recipients[task]:
                measurements = outcome[claim_id]
                if isinstance(result, BaseException):
                    measurements.failed[key] = f"{type(result).__name__}: {result}"
                    continue
                text, seconds = result
                # the time is the measuring point's; a sharer cost nothing more
                store.save(claim_id, point, versions[claim_id], text,
                           seconds=seconds if (claim_id, key) == task else 0.0,
                           git_commit=commit)
                measurements.measured[key] = json.loads(text)
                measurements.computed += 1
            progress.advance(failed=isinstance(result, BaseException))
    progress.finish()
    return outcome


def _execute(pending: dict[tuple[str, str], dict], execution: Execution,
             claims_by_id: dict[str, Claim]
             ) -> Iterator[tuple[tuple[str, str], tuple[str, float] | BaseException]]:
    """Yield ``(task key, result or the exception it raised)`` as tasks finish."""
    if not pending:
        return
    if execution.workers == 0 and not execution.scheduler:
        yield from _in_process(pending, claims_by_id)
        return
    modules = {claim_id: _module_of(claims_by_id[claim_id]) for claim_id, _ in pending}
    if execution.scheduler:
        yield from _on_dask(pending, execution.scheduler, modules)
    else:
        workers = min(execution.workers or os.cpu_count() or 1, len(pending))
        yield from _on_local_processes(pending, workers, modules)


def _module_of(claim: Claim) -> str:
    """The claim module a worker imports to measure ``claim``."""
    module = claims.registered_module(claim)
    if module is None:
        raise BadInput(f"claim {claim.id} is in no registered claim module, so a worker cannot "
                       "import it; measure it in this process (Execution(workers=0), "
                       "verify.check) or register its module (--claims, VERIFY_CLAIM_MODULES)")
    return module


def _in_process(pending, claims_by_id: dict[str, Claim]):
    # the claim objects themselves: a claim made in a notebook needs no registry entry
    for (claim_id, key), point in pending.items():
        try:
            yield (claim_id, key), _measure(claims_by_id[claim_id], point)
        except Exception as error:   # a failed point is reported, as from a worker
            yield (claim_id, key), error


def _on_local_processes(pending, workers: int, modules: dict[str, str]):
    context = multiprocessing.get_context("spawn")
    # The parent owns Ctrl-C: a terminal sends SIGINT to the whole process group, and a
    # worker that dies of it mid-read leaves the pool's pipe and lock in a state that hangs
    # everyone, or prints a KeyboardInterrupt traceback from its start-up imports (issue 13).
    # The pool spawns every worker inside `submit`, from this thread.  A spawned process
    # starts with an empty signal mask (multiprocessing's exec resets it) but keeps an
    # ignored disposition, and Python leaves an ignored SIGINT ignored: so SIGINT is
    # ignored while the workers spawn, which makes them deaf to it from their first
    # instruction.  It is also blocked meanwhile, so that a Ctrl-C to this process stays
    # pending (a blocked signal is queued even while ignored) and arrives when the
    # handler is back and the block lifted.
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    # signal.signal works in the main thread only; from another thread the workers keep
    # Python's handler, as the worker initializer cannot run before the start-up imports
    previous_handler = (signal.getsignal(signal.SIGINT)
                        if threading.current_thread() is threading.main_thread() else None)
    if previous_handler is not None:   # None: a handler not set from Python, left alone
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=context,
            initializer=_prepare_local_worker)
        futures = {pool.submit(measure_task, claim_id, point, modules[claim_id]): (claim_id, key)
                   for (claim_id, key), point in pending.items()}
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
    finished = False
    try:
        for future in concurrent.futures.as_completed(futures):
            error = future.exception()
            if isinstance(error, concurrent.futures.BrokenExecutor):
                raise error
            yield futures[future], error if error is not None else future.result()
        finished = True
    except concurrent.futures.BrokenExecutor as error:
        # every later point would fail the same way: stop, and say why
        raise WorkerPoolBroken(
            "the worker processes died before measuring (BrokenProcessPool). From a script, "
            "call it under `if __name__ == \"__main__\":` (spawned workers re-import the "
            "script) or measure in this process with Execution(workers=0) / verify.check(...); "
            "otherwise a measurement crashed its worker (out of memory?): rerun with "
            "--workers 1") from error
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop_without_waiting(pool)


def _stop_without_waiting(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """End an interrupted pool now: drop the queued points and terminate the
    workers that are measuring (the store already has every finished point).

    Waiting for the running points instead could take as long as the slowest
    of them.  Python 3.14 has ``terminate_workers()`` for this; before it the
    processes are reachable only as ``_processes``, and they must be read
    before ``shutdown``, which forgets them.
    """
    processes = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(WORKER_EXIT_TIMEOUT)
        if process.exitcode is None:  # a measured library may have replaced SIGTERM's action
            process.kill()
            process.join()


def _prepare_local_worker() -> None:
    """Mark this process as a local worker, whose BLAS :func:`measure_task` pins."""
    global _modules_pinned
    _modules_pinned = set()


def _on_dask(pending, address: str, modules: dict[str, str]):
    # Imported here: a local run should not pay for importing distributed.
    import distributed

    try:
        client = distributed.Client(address, timeout=SCHEDULER_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({error}); start one "
                             "(`dask scheduler`, then `dask worker ADDRESS`) or leave out "
                             "--scheduler to measure in local processes") from error
    # Closing the client on an interrupt releases its futures: the scheduler drops the queue.
    with client:
        futures = {client.submit(measure_task, claim_id, point, modules[claim_id], pure=False):
                   (claim_id, key) for (claim_id, key), point in pending.items()}
        for future in distributed.as_completed(futures):
            error = future.exception()
            if isinstance(error, RuntimeError) and "deserialization of the task graph" in str(
                    error):
                # the scheduler cannot import this code: every task would fail the same way
                raise SchedulerError(
                    f"the Dask scheduler at {address} cannot read the tasks "
                    f"({' '.join(str(error).split())}); start the "
                    "scheduler and every worker where this checkout is importable, in the same "
                    "Python environment as this client: cd CHECKOUT && PYTHONPATH=$PWD dask "
                    "scheduler (README, 'On an existing Dask cluster')")
            yield futures[future], error if error is not None else future.result()

"""Dask scale-out, measured (``python -m verify bench --dask``).

A claim set is measured from scratch three times, each into a fresh store:
in local worker processes (the reference), then on a
:class:`distributed.LocalCluster` of one worker and of ``workers`` workers
(one thread each, processes, like ``dask worker --nthreads 1``).  The result
gives each run's wall time, the speed-up of ``workers`` Dask workers over one,
and whether every verdict equals the reference's (measurements are
deterministic given the point, so they must be identical, not close).

The wall time runs from the first task submitted to the last verdict, with the
cluster already up; it includes what each worker pays once, importing the
claim modules of its tasks (with :mod:`theory.cache` warm, a second or two).
Each run also gives the summed wall time of the points' ``measure`` calls and
its share of ``workers × wall``.  The two tell a poor scale-out from a busy
machine: idle workers or per-task overhead lower the share, while cores taken
by other processes make every point slower, so the summed time grows from the
1-worker run to the 2-worker run.
The speed-up can reach ``workers`` only on a machine with that many idle
cores, and only when the claim set has many more points than workers, each
long against Dask's per-task overhead (milliseconds): the default claims of
``python -m verify bench --dask`` are such a set at size quick (285 points of
0.01–6 s, about 70 s of measure on one core).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Sequence

from verify import claims, jsondata
from verify.compare import evaluate_claims
from verify.errors import BadInput
from verify.runner import Execution
from verify.store import ResultStore

def measure_scaleout(ids: Sequence[str], size: str = "quick", workers: int = 2,
                     progress: bool = False) -> dict:
    """Run the three measurements (module docstring) and return them as JSON data."""
    import distributed  # here: the rest of the command line does not need it

    if workers < 2:
        raise BadInput(f"--dask-workers {workers}: a scale-out needs at least 2 workers")
    selected = [claims.get_claim(claim_id) for claim_id in ids]
    runs = []
    with tempfile.TemporaryDirectory(prefix="verify-scaleout-") as folder:
        def timed(label: str, count: int, execution: Execution) -> dict:
            with ResultStore(Path(folder) / f"{len(runs)}.sqlite") as store:
                start = time.perf_counter()
                evaluations = evaluate_claims(selected, size, store, execution)
                seconds = time.perf_counter() - start
                measuring = store.measure_seconds()
            points = sum(len(e.results) + len(e.failures) for e in evaluations)
            run = {"where": label, "workers": count, "seconds": seconds, "points": points,
                   "measure seconds": measuring, "busy": measuring / (count * seconds),
                   "verdicts": {e.claim.id: _verdict_data(e.verdict) for e in evaluations}}
            runs.append(run)
            return run

        reference = timed("local processes", workers, Execution(workers=workers,
                                                                progress=progress))
        for count in (1, workers):
            with distributed.LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                          dashboard_address=None) as cluster:
                timed("dask LocalCluster", count, Execution(scheduler=cluster.scheduler_address,
                                                            progress=progress))
    one, many = runs[1]["seconds"], runs[2]["seconds"]
    return {"claims": list(ids), "size": size, "runs": [
                {key: value for key, value in run.items() if key != "verdicts"}
                | {"same verdicts as local": run["verdicts"] == reference["verdicts"],
                   "differing claims": sorted(claim_id for claim_id in run["verdicts"]
                                              if run["verdicts"][claim_id]
                                              != reference["verdicts"][claim_id])}
                for run in runs],
            "speedup": one / many, "outcomes": {claim_id: verdict["outcome"] for claim_id, verdict
                                                in reference["verdicts"].items()}}


def _verdict_data(verdict) -> dict:
    # as the report writes it: NaN becomes "nan", which compares equal to itself
    return json.loads(json.dumps(jsondata.plain(verdict.to_json(), strict=False)))


def summary(result: dict) -> str:
    """The measurement as a few lines of text."""
    lines = [f"claims {', '.join(result['claims'])} at size {result['size']} "
             f"({result['runs'][0]['points']} points), each run from an empty store:"]
    for run in result["runs"]:
        same = "same verdicts" if run["same verdicts as local"] else (
            "DIFFERENT verdicts: " + ", ".join(run["differing claims"]))
        lines.append(f"  {run['where']}, {run['workers']} worker(s): {run['seconds']:.1f} s wall, "
                     f"{run['measure seconds']:.1f} s in measure ({run['busy']:.0%} of the "
                     f"workers' time), {same}")
    workers = result["runs"][-1]["workers"]
    lines.append(f"speed-up of {workers} Dask workers over 1: {result['speedup']:.2f}×")
    lines.append("verdicts: " + ", ".join(f"{claim_id} {outcome}"
                                          for claim_id, outcome in result["outcomes"].items()))
    return "\n".join(lines)

"""The verifier's framework (registry, store, runner, audit, report, command
line) on a toy claim, so that these tests do not depend on any paper's claims.

The toy claim lives in this module and joins the registry through
``VERIFY_CLAIM_MODULES``, the hook by which any module's ``CLAIMS`` are
registered; worker processes (local and Dask) import this module by name to
find it.  Each call of its ``measure`` leaves a marker file in ``$TOY_MARKERS``,
so a test can count exactly which points were measured, and sleeps
``$TOY_SLEEP`` seconds, so a run can be killed midway.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from verify import claims as registry
from verify.audit import audit_claim
from verify.claim import AuditSpec, Claim, Fidelity, Outcome, Verdict
from verify.compare import evaluate_claims
from verify.report import ReportError, build_report, write_report
from verify.runner import Execution, measure_points
from verify.store import ResultStore

REPO = Path(__file__).resolve().parent.parent
TOY_MODULE = "tests.test_verify_framework"
TOY_POINTS = 8


def toy_points(size: str) -> list[dict]:
    return [{"k": k, "seed": 0} for k in range(TOY_POINTS if size == "quick" else 2 * TOY_POINTS)]


def toy_measure(point: dict) -> dict:
    markers = os.environ.get("TOY_MARKERS")
    if markers:
        Path(markers, f"{json.dumps(point, sort_keys=True)}-{uuid.uuid4().hex}").touch()
    time.sleep(float(os.environ.get("TOY_SLEEP", "0")))
    if "n" in point:  # an audit rung: a gap that closes like 3·n^(-1/2)
        return {"gap": 3.0 * point["n"] ** -0.5}
    # numpy values on purpose: the runner must store them as plain JSON
    return {"value": np.float64(point["k"] ** 2 / 2), "pair": np.arange(2)}


def toy_predict(size: str) -> dict:
    return {"factor": 0.5}


def toy_compare(prediction: dict, results: list) -> Verdict:
    errors = [abs(measured["value"] - prediction["factor"] * point["k"] ** 2)
              for point, measured in results]
    deviation = max(errors)
    return Verdict(Outcome.HOLDS if deviation <= 1e-12 else Outcome.DEVIATES,
                   prediction=f"value = {prediction['factor']}·k²",
                   measurement=f"{len(results)} points", deviation=deviation, tolerance=1e-12,
                   reason="exact arithmetic", rows=[{"k": p["k"], "error": e}
                                                    for (p, _), e in zip(results, errors)])


def toy_perturb(prediction: dict) -> dict:
    return {"factor": prediction["factor"] + 0.1}


def toy_figure(prediction: dict, results: list, verdict: Verdict) -> Figure:
    figure = Figure(figsize=(4, 3))
    axes = figure.subplots()
    k = np.array([point["k"] for point, _ in results])
    axes.plot(k, prediction["factor"] * k ** 2, "-", label="theory")
    axes.plot(k, [measured["value"] for _, measured in results], "o", label="numerics")
    axes.legend()
    return figure


def toy_ladder(size: str) -> list[float]:
    return [10.0, 20.0, 40.0, 80.0, 160.0]


def toy_rung_points(value: float) -> list[dict]:
    return [{"n": value, "seed": 0}]


def toy_rung_deviation(results: list) -> float:
    return results[0][1]["gap"]


TOY = Claim(
    id="TOY-1", title="k squared over two", statement="value(k) = k²/2 for every k.",
    source="this test module", fidelity=Fidelity.RECONSTRUCTED, derivation="by definition",
    points=toy_points, measure=toy_measure, predict=toy_predict, compare=toy_compare,
    perturb=toy_perturb, figure=toy_figure, conventions="k counts from 0",
    audit=AuditSpec(parameter="n", quantity="gap", ladder=toy_ladder, points=toy_rung_points,
                    deviation=toy_rung_deviation))
CLAIMS = [TOY]


@pytest.fixture
def toy_registry(monkeypatch, tmp_path):
    """Register the toy claim here and in every process started from here."""
    monkeypatch.syspath_prepend(str(REPO))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO),
                                                                   os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv(registry.EXTRA_MODULES_ENV, TOY_MODULE)
    monkeypatch.setenv("TOY_SLEEP", "0")
    monkeypatch.delenv("TOY_MARKERS", raising=False)
    monkeypatch.chdir(tmp_path)  # the commands' default paths (reports/…) land here
    return registry.get_claim("TOY-1")


def sigint_as_in_a_terminal():
    """A command typed at a terminal starts with SIGINT at its default action; a test
    run launched in the background (`cmd &` in a script) ignores SIGINT, and its
    children would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def verify_command(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "verify", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **options)


def stored_rows(store: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(store) as connection:
        return connection.execute("SELECT point, measurement FROM results").fetchall()


def stored_count(store: Path) -> int:
    try:
        return len(stored_rows(store)) if store.exists() else 0
    except sqlite3.OperationalError:  # the run has not created its table yet
        return 0


def assert_complete_rows(rows: list[tuple[str, str]]) -> None:
    """Every stored row holds its point's whole measurement (no partial rows)."""
    for point, measurement in rows:
        assert json.loads(measurement) == {"value": json.loads(point)["k"] ** 2 / 2, "pair": [0, 1]}


def measured_points(markers: Path) -> list[int]:
    return sorted(json.loads(name.rsplit("-", 1)[0])["k"] for name in os.listdir(markers))


def test_registry_orders_ids_numerically_and_names_unknown_ones(toy_registry):
    assert [claim.id for claim in registry.all_claims()].count("TOY-1") == 1
    with pytest.raises(registry.UnknownClaimError, match=r"'TOY-99'.*known ids: .*TOY-1"):
        registry.get_claim("TOY-99")


def test_points_that_share_a_measurement_are_measured_once(tmp_path, monkeypatch):
    """Two claims whose points declare the same identity (Claim.shares): one measure call
    per identity; each claim gets the measurement, and the store keeps it for each (the
    sharer with 0 seconds, so summed seconds stay the CPU spent)."""
    markers = tmp_path / "markers"
    markers.mkdir()
    monkeypatch.setenv("TOY_MARKERS", str(markers))
    monkeypatch.setenv("TOY_SLEEP", "0")

    def sharing(claim_id, points):
        return Claim(**{**TOY.__dict__, "id": claim_id, "points": lambda size: points,
                        "shares": lambda point: {"toy": point["k"]} if point["k"] < 2 else None})

    first = sharing("TOY-A", [{"k": 0, "seed": 0}, {"k": 1, "seed": 0}, {"k": 2, "seed": 0}])
    second = sharing("TOY-B", [{"k": 1, "seed": 0}, {"k": 2, "seed": 0}, {"k": 0, "seed": 0}])
    with ResultStore(tmp_path / "shared.sqlite") as store:
        outcome = measure_points([(first, first.points("quick")),
                                  (second, second.points("quick"))], store,
                                 Execution(workers=0, progress=False))
    assert measured_points(markers) == [0, 1, 2, 2]   # k = 2 shares nothing
    for claim in (first, second):
        results = outcome[claim.id].results(claim.points("quick"))
        assert [measured["value"] for _, measured in results] == [
            point["k"] ** 2 / 2 for point in claim.points("quick")]
    with sqlite3.connect(tmp_path / "shared.sqlite") as connection:
        seconds = dict(((claim, json.loads(point)["k"]), s) for claim, point, s in
                       connection.execute("SELECT claim_id, point, seconds FROM results"))
    assert len(seconds) == 6
    assert seconds[("TOY-B", 0)] == seconds[("TOY-B", 1)] == 0.0


def test_a_size_runs_only_the_claims_that_define_it(toy_registry, tmp_path):
    """"paper" is defined by some claims only: naming another is a one-line error with the
    fix, the commands without ids run the claims that define it, and audits stay at quick
    and full."""
    from verify.commands import _selected
    from verify.errors import BadInput

    with ResultStore(tmp_path / "r.sqlite") as store:
        with pytest.raises(BadInput, match="TOY-1 defines no size 'paper'; leave them out"):
            evaluate_claims([TOY], "paper", store, Execution(workers=0, progress=False))
        with pytest.raises(BadInput, match="audits run at size quick or full, not 'paper'"):
            audit_claim(TOY, "paper", store)
    assert [claim.id for claim in _selected([], "paper")] == ["ZL-3", "ZL-4", "ZL-5"]
    assert "TOY-1" in [claim.id for claim in _selected([], "full")]


def test_killed_run_resumes_without_recomputing(toy_registry, tmp_path, monkeypatch):
    store = tmp_path / "results.sqlite"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    monkeypatch.setenv("TOY_SLEEP", "0.3")
    monkeypatch.setenv("TOY_MARKERS", str(first))
    run = ["run", "TOY-1", "--store", str(store), "--workers", "1", "--json"]
    # Its own session, so the kill takes the worker processes with it.
    process = verify_command(*run, start_new_session=True)
    # a guard against a hung run, not a speed assertion: workers import every
    # registered claim module (seconds each on a loaded 2-core machine)
    deadline = time.monotonic() + 120
    while stored_count(store) < 2:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    with sqlite3.connect(store) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert_complete_rows(stored_rows(store))
    stored_first = {json.loads(point)["k"] for point, _ in stored_rows(store)}
    assert 2 <= len(stored_first) < TOY_POINTS

    monkeypatch.setenv("TOY_SLEEP", "0")
    monkeypatch.setenv("TOY_MARKERS", str(second))
    stdout, stderr = verify_command(*run).communicate()
    assert stderr == ""  # --json: no progress line
    [result] = json.loads(stdout)
    assert result["verdict"]["outcome"] == "holds"
    # Every point missing after the kill was measured once, and no stored point again.
    assert measured_points(second) == sorted(set(range(TOY_POINTS)) - stored_first)
    assert len(stored_rows(store)) == TOY_POINTS
    assert_complete_rows(stored_rows(store))


# Each moment is a fresh `report` with two workers (about a minute on a loaded 2-core
# machine): the default run interrupts while the workers start and when a point has
# just finished; the moments inside the next point (+0.15 s, +0.3 s) are slow.
@pytest.mark.parametrize("stored_before, delay", [
    (0, 1.0), (1, 0.0), pytest.param(1, 0.15, marks=pytest.mark.slow),
    pytest.param(1, 0.3, marks=pytest.mark.slow)],
    ids=["workers-starting", "point-done", "point-done+0.15s", "point-done+0.3s"])
def test_interrupted_report_ends_at_once_with_one_line(toy_registry, tmp_path, monkeypatch,
                                                       stored_before, delay):
    """A terminal's Ctrl-C (SIGINT to the whole process group) ends a run within
    seconds, keeps the finished points and says so in one line (issue 13: it
    hung in 2 of 9 tries, and workers printed KeyboardInterrupt tracebacks).
    Repeated at several moments, since what went wrong depended on where the
    workers were: importing the claims (the store is open, no point is
    finished yet), measuring, or waiting for the next point."""
    store = tmp_path / "results.sqlite"
    monkeypatch.setenv("TOY_SLEEP", "0.3")
    process = verify_command("report", "TOY-1", "--store", str(store), "--workers", "2",
                             "--out", str(tmp_path / "report"), start_new_session=True,
                             preexec_fn=sigint_as_in_a_terminal)
    deadline = time.monotonic() + 120  # a guard against a hung start, as above
    while not store.exists() or stored_count(store) < stored_before:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.02)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    interrupted = time.monotonic()
    try:
        # "within a few seconds": terminated workers get WORKER_EXIT_TIMEOUT (2 s) each
        stdout, stderr = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"the run did not end within 10 s of SIGINT: {process.communicate()}")
    assert time.monotonic() - interrupted < 10
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    about_interrupt = [line for line in stderr.splitlines() if "interrupt" in line]
    assert len(about_interrupt) == 1 and "resumes" in about_interrupt[0], stderr
    assert not (tmp_path / "report").exists()  # no report of a partial run
    with sqlite3.connect(store) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = stored_rows(store)
    assert stored_before <= len(rows) < TOY_POINTS
    assert_complete_rows(rows)


def test_dask_cluster_gives_the_local_results(toy_registry, tmp_path):
    distributed = pytest.importorskip("distributed")
    local_store, dask_store = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    with ResultStore(local_store) as store:
        [local] = evaluate_claims([toy_registry], "quick", store, Execution(workers=1, progress=False))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with ResultStore(dask_store) as store:
            [remote] = evaluate_claims([toy_registry], "quick", store,
                                       Execution(scheduler=cluster.scheduler_address, progress=False))
    assert remote.results == local.results and len(local.results) == TOY_POINTS
    assert remote.verdict == local.verdict and local.verdict.outcome is Outcome.HOLDS
    assert sorted(stored_rows(dask_store)) == sorted(stored_rows(local_store))


def test_the_scale_out_bench_compares_verdicts_and_times(toy_registry, capsys):
    """`bench --dask` runs the claims locally and on clusters of 1 and 2 workers."""
    pytest.importorskip("distributed")
    from verify.__main__ import main

    assert main(["bench", "--dask", "--dask-claims", "TOY-1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(run["where"], run["workers"], run["points"]) for run in result["runs"]] == [
        ("local processes", 2, TOY_POINTS), ("dask LocalCluster", 1, TOY_POINTS),
        ("dask LocalCluster", 2, TOY_POINTS)]
    assert all(run["same verdicts as local"] for run in result["runs"])
    assert result["outcomes"] == {"TOY-1": "holds"}
    assert result["speedup"] == result["runs"][1]["seconds"] / result["runs"][2]["seconds"]


LEAN_CLAIMS = """
import signal
import sys

from verify.claim import Claim, Fidelity, Outcome, Verdict


def loaded_claim_modules(point):
    return {"modules": sorted(name for name in sys.modules if name.startswith("verify.claims.")),
            "sigint ignored": signal.getsignal(signal.SIGINT) == signal.SIG_IGN}


CLAIMS = [Claim(id="LEAN-1", title="what a worker imports", statement="nothing but this module",
                source="a test", fidelity=Fidelity.RECONSTRUCTED, derivation="none",
                points=lambda size: [{"seed": 0}], measure=loaded_claim_modules,
                predict=lambda size: {}, perturb=lambda prediction: prediction,
                compare=lambda prediction, results: Verdict(Outcome.HOLDS, "", "", 0.0, 0.0, ""))]
"""


def lean_worker_measurement(tmp_path):
    """What a local worker measured for the claim of LEAN_CLAIMS."""
    path = tmp_path / "lean_claims.py"
    path.write_text(LEAN_CLAIMS)
    claim = registry.claim_in_module(str(path), "LEAN-1")
    with ResultStore(tmp_path / "r.sqlite") as store:
        outcome = measure_points([(claim, [{"seed": 0}])], store,
                                 Execution(workers=1, progress=False))
    [(_, measured)] = outcome["LEAN-1"].results([{"seed": 0}])
    return measured


def test_a_worker_is_born_deaf_to_ctrl_c(tmp_path):
    """A worker ignores SIGINT from its start, before its first import: the parent
    owns Ctrl-C (issue 13).  A spawned process starts with an empty signal mask, so
    blocking SIGINT in the parent did not reach it; under load, a Ctrl-C while the
    workers imported numpy printed their KeyboardInterrupt tracebacks."""
    # as in an interactive session, whatever the test run inherited (see sigint_as_in_a_terminal)
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert lean_worker_measurement(tmp_path)["sigint ignored"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored here
    finally:
        signal.signal(signal.SIGINT, inherited)


def test_a_worker_imports_only_the_claim_module_it_measures(tmp_path):
    """The runner sends the claim's module with the task: a local worker imports
    it alone, none of the papers' claim modules (each costs seconds of imports)."""
    measured = lean_worker_measurement(tmp_path)
    papers = [name for name in measured["modules"]
              if any(name == paper or name.startswith(f"{paper}.")
                     for paper in registry.BUILTIN_MODULES)]
    assert papers == []


@pytest.mark.parametrize("args, message", [
    (["run", "TOY-99"], "unknown claim id 'TOY-99'; known ids: "),
    (["audit", "NOPE"], "unknown claim id 'NOPE'"),
    (["run", "toy-1"], "unknown claim id 'toy-1'; did you mean TOY-1?"),  # issue 13, 9c
    (["run", "--size", "huge"], "invalid choice: 'huge' (choose from"),
    (["report", "TOY-1", "--out", "a-file/report"], "pass a writable directory with --out DIR"),
    (["run", "TOY-1", "--scheduler", "tcp://127.0.0.1:9"], "leave out --scheduler"),
])
def test_bad_input_is_one_line_naming_the_fix(toy_registry, tmp_path, monkeypatch, capsys,
                                              args, message):
    from verify import runner
    from verify.__main__ import main

    monkeypatch.setattr(runner, "SCHEDULER_CONNECT_TIMEOUT", "0.5s")
    (tmp_path / "a-file").write_text("not a directory")
    try:
        status = main(args)
    except SystemExit as exit:  # argparse's own errors
        status = exit.code
    stdout, stderr = capsys.readouterr()
    assert status == 2
    assert message in stderr and len(stderr.strip().splitlines()) == 1, stderr


def test_a_claim_module_without_claims_is_one_line(toy_registry, monkeypatch, capsys):
    """A module named in VERIFY_CLAIM_MODULES that defines no CLAIMS is a
    configuration mistake, not a bug: one line, exit 2 (issue 13, 9b)."""
    from verify.__main__ import main

    monkeypatch.setenv(registry.EXTRA_MODULES_ENV, "json")
    status = main(["list"])
    stdout, stderr = capsys.readouterr()
    assert status == 2 and stdout == ""
    assert stderr.strip() == ("python -m verify list: error: claim module json has no CLAIMS list; "
                              "define CLAIMS = [...] in it or leave it out of VERIFY_CLAIM_MODULES")


def test_run_prints_why_a_verdict_does_not_hold(toy_registry, tmp_path, monkeypatch, capsys):
    """`run` gives one line per claim that does not hold, with the verdict's
    reason, not just "1 failed" (issue 13, defect 12)."""
    from verify.__main__ import main

    monkeypatch.setenv("TOY_SLEEP", "not-a-number")  # every toy measurement raises ValueError
    status = main(["run", "TOY-1", "--store", str(tmp_path / "r.sqlite"), "--workers", "1"])
    stdout, _ = capsys.readouterr()
    assert status == 1
    reason = stdout.strip().splitlines()[-1]
    assert reason.startswith(f"TOY-1 inconclusive: the measurement failed at {TOY_POINTS} of "
                             f"{TOY_POINTS} points; first at "), stdout
    assert reason.endswith("ValueError: could not convert string to float: 'not-a-number'")


def test_audit_names_its_two_exponents_apart_and_keeps_headers(toy_registry, tmp_path, capsys):
    """`audit` printed the slope's γ and the extrapolation fit's exponent under
    one symbol, and cut the quantity's name in the header (issue 13, defect 12)."""
    from verify.__main__ import main
    from verify.commands import CELL_WIDTH, _print_table

    status = main(["audit", "TOY-1", "--store", str(tmp_path / "r.sqlite"), "--workers", "1"])
    stdout, _ = capsys.readouterr()
    assert status == 0
    lines = stdout.splitlines()
    assert lines[0] == "TOY-1 audit (quick): deviation = gap, along n"
    assert lines[1].split() == ["n", "deviation", "points", "note"]
    [decay] = [line for line in lines if line.startswith("decay exponent γ ")]
    [limit] = [line for line in lines if line.startswith("extrapolated limit")]
    assert "γ_fit" in limit and "(γ =" not in limit and "γ_fit" not in decay

    header = "a column header longer than any cell may be, which must not be cut"
    assert len(header) > CELL_WIDTH
    _print_table([header, "b"], [["x" * (2 * CELL_WIDTH), "y"]])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(header) and printed[1].startswith("x" * (CELL_WIDTH - 1) + "…")


def test_report_writes_four_outputs_with_linked_figures(toy_registry, tmp_path):
    out = tmp_path / "report"
    with ResultStore(tmp_path / "results.sqlite") as store:
        report = build_report([toy_registry], "quick", store, "pytest",
                              Execution(workers=2, progress=False))
        write_report(report, out)
        write_report(report, out)  # an earlier report is replaced whole
    assert sorted(os.listdir(out)) == ["figures", "index.html", "index.md", "results.json"]
    assert sorted(os.listdir(out / "figures")) == ["TOY-1-audit.pdf", "TOY-1-audit.png",
                                                   "TOY-1.pdf", "TOY-1.png"]
    assert [name for name in os.listdir(tmp_path) if name.startswith(".")] == []  # no staging left
    page = (out / "index.html").read_text()
    assert page.count('src="figures/') == 2 and "base64" not in page
    assert page.count("src=") == 2 and "href=\"http" not in page and "<link" not in page
    markdown = (out / "index.md").read_text()
    assert "(figures/TOY-1.png)" in markdown and "| TOY-1" not in markdown  # linked id cell
    data = json.loads((out / "results.json").read_text())
    [claim] = data["claims"]
    assert claim["verdict"]["outcome"] == "holds" and len(claim["results"]) == TOY_POINTS
    gamma = claim["audit"]["decay"]["gamma"]
    assert gamma == pytest.approx(0.5)
    assert claim["audit"]["extrapolation"]["consistent"] is True

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    with pytest.raises(ReportError, match="not a report directory"):
        write_report(report, tmp_path / "notes")
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"


def test_audit_reports_decay_and_reuses_the_store(toy_registry, tmp_path, monkeypatch):
    with ResultStore(tmp_path / "results.sqlite") as store:
        first = audit_claim(toy_registry, "quick", store, Execution(workers=1, progress=False))
        monkeypatch.setenv("TOY_MARKERS", str(tmp_path))  # a second audit measures nothing
        again = audit_claim(toy_registry, "quick", store, Execution(workers=1, progress=False))
    assert first.decay.gamma == pytest.approx(0.5) and first.decay.ci95 is not None
    assert again.to_json() == first.to_json() and again.figure is not None
    assert [name for name in os.listdir(tmp_path) if name.startswith("{")] == []


def test_a_claim_imported_from_its_module_finds_its_module_before_the_registry_loads():
    # a fresh interpreter: nothing has loaded the registry when the claim is imported directly
    code = ("from verify.claims.woodworth import beyond\n"
            "from verify.claims import registered_module\n"
            "print(registered_module(beyond.CLAIMS[0]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "verify.claims.woodworth"


def test_every_built_in_id_has_its_paper_s_prefix():
    """get_claim imports only the paper that BUILTIN_PREFIXES names for an id's
    prefix: that is sound only if every built-in claim's prefix names its module."""
    assert sorted(registry.BUILTIN_PREFIXES.values()) == sorted(registry.BUILTIN_MODULES)
    for module, prefix in {module: prefix for prefix, module
                           in registry.BUILTIN_PREFIXES.items()}.items():
        ids = [claim.id for claim in registry.loaded_module(module).CLAIMS]
        assert ids and all(claim_id.split("-")[0] == prefix for claim_id in ids), (module, ids)


def test_a_command_naming_one_claim_imports_its_paper_only(toy_registry):
    """`show KR-1` imports woodworth's claims and none of the other papers'."""
    probe = ("import sys; from verify import claims; claims.get_claim('KR-1'); "
             "print(sorted(m for m in claims.BUILTIN_MODULES if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['verify.claims.woodworth']"

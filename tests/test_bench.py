"""The benchmark command: outputs, their structure and its handling of bad input.

The command runs in a subprocess, as a user runs it: that also exercises
``python -m verify`` and keeps CVXPY's warnings out of this strict
(``filterwarnings = error``) test process.
"""

import importlib.util
import json
import subprocess
import sys

import pytest

ROW_TITLES = {1: "CVXPY", 2: "floor", 3: "gradient descent", 4: "enclose", 5: "n-sweep",
              6: "paper-scale", 7: "high-precision", 8: "one-pass SGD"}


# A guard against a hang, not a speed test (speed is the bench's own business): the
# quick bench imports every claim package and runs seven rows, which on a shared,
# loaded 2-core machine took over 120 s.
HANG_GUARD = 900


def _verify(*args, cwd):
    return subprocess.run([sys.executable, "-m", "verify", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=HANG_GUARD)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    proc = _verify("bench", "--quick", "--json", "--out", str(out), cwd=out)
    return out, proc


def test_quick_bench_writes_json_and_markdown(quick_run):
    out, proc = quick_run
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    written = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert printed["rows"] == written["rows"]
    assert written["variant"] == "quick"
    assert written["command"].endswith(f"bench --quick --json --out {out}")
    assert {"cpus", "numpy", "peers", "blas_pinned"} <= written["machine"].keys()
    assert all(b["threads"] == 1 for b in written["machine"]["blas_pinned"])

    rows = {row["number"]: row for row in written["rows"]}
    assert rows.keys() == ROW_TITLES.keys()
    for number, word in ROW_TITLES.items():
        assert word in rows[number]["title"]
    cvxpy_present = all(importlib.util.find_spec(m) for m in ("cvxpy", "clarabel"))
    assert (rows[1]["skipped"] is None) == bool(cvxpy_present)
    for number, row in rows.items():
        if row["skipped"]:
            assert not row["lines"]
            continue
        assert row["lines"], f"row {number} has no table lines"
        for line in row["lines"]:
            assert line["verdict"] in ("PASS", "FAIL")
            assert line["value"] is None or line["value"] >= 0
    # Row 4: every enclosure was proved (a ratio and a radius per size and problem).
    assert len(rows[4]["lines"]) == 4 * len(written["config"]["enclose_sizes"])
    assert all(line["value"] is not None for line in rows[4]["lines"])
    # Row 6: one sweep at the paper's shape, certified, its process's peak memory, and
    # (with cvxpy) CVXPY's projected time with the fit it came from
    assert [line["comparison"] for line in rows[6]["lines"]][:2] == ["sweep / Σ min-ℓ2",
                                                                     "peak memory"]
    assert rows[6]["data"]["sweep"]["certified"]
    assert 0 < rows[6]["lines"][1]["value"] < 8
    if cvxpy_present:
        assert rows[6]["lines"][2]["comparison"] == "projected CVXPY sweep / ours"
        assert "Fit log t = a + b log n" in " ".join(rows[6]["notes"])
    # Row 2 prices every solver against the floor: ℓ2, each p and each DLN setting.
    config = written["config"]
    assert len(rows[2]["lines"]) == 1 + len(config["floor_ps"]) + \
        len(config["dln_depths"]) * len(config["dln_alphas"])

    md = (out / "bench.md").read_text(encoding="utf-8")
    assert md.startswith("# Solver benchmark")
    assert "| row | comparison | setting | measured | value | target | verdict |" in md
    assert written["command"] in md
    assert "threadpool_limits(1)" in md
    for number in ROW_TITLES:
        assert f"## Row {number}:" in md
    table_lines = [ln for ln in md.splitlines() if ln.startswith("| ") and ln[2].isdigit()]
    assert len(table_lines) == sum(len(r["lines"]) or 1 for r in rows.values())
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], \
        "temporary files left behind"


def test_bad_out_directory_is_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = _verify("bench", "--quick", "--out", str(blocker / "sub"), cwd=tmp_path)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "--out" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("args", [["no-such-command"], [], ["bench", "--no-such-option"]])
def test_bad_command_line_is_one_line_error(tmp_path, args):
    proc = _verify(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "error" in proc.stderr

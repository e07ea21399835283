"""The worked example of a user's own claims (examples/relative_entropy.py, issue 11):
it runs end to end from the command line and sits in the report beside the
built-in claims."""

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "relative_entropy.py"
HANG_GUARD = 900     # a guard against a hang, not a speed test


def _verify(*args, cwd):
    return subprocess.run([sys.executable, "-m", "verify", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=HANG_GUARD)


def test_the_example_claim_file_is_at_most_forty_lines():
    assert len(EXAMPLE.read_text(encoding="utf-8").splitlines()) <= 40


def test_the_example_runs_and_sits_in_the_report_beside_a_built_in_claim(tmp_path):
    store = str(tmp_path / "store.sqlite")
    run = _verify("run", "--claims", str(EXAMPLE), "EX-1", "EX-2", "--size", "quick",
                  "--store", store, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "EX-1" in run.stdout and "EX-2" in run.stdout and "holds" in run.stdout
    report = _verify("report", "--claims", str(EXAMPLE), "EX-1", "EX-2", "KR-1", "--size",
                     "quick", "--store", store, "--out", str(tmp_path / "report"), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    claims = {claim["id"]: claim for claim in
              json.loads((tmp_path / "report" / "results.json").read_text())["claims"]}
    assert set(claims) == {"EX-1", "EX-2", "KR-1"}
    assert all(claim["verdict"]["outcome"] == "holds" for claim in claims.values())
    assert claims["EX-2"]["verdict"]["alternative"]["rejected"]

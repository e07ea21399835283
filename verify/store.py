"""The result store: finished measurements in SQLite, so a run resumes.

One row per measured point, keyed by (claim id, canonical JSON of the point,
the point's seed, code version).  Each result is committed in its own
transaction as soon as it arrives, in WAL mode: a run killed at any moment
leaves every finished result intact and no partial row, and the next run
with the same code version measures only what is missing.

The command line's default location is ``reports/results.sqlite`` (relative
to the working directory), shared by ``run``, ``report`` and ``audit``, so a
report reuses what ``run`` measured.  It is a cache of this machine's work,
not a product: keep it out of version control.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path

from verify import jsondata
from verify.errors import BadInput

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    claim_id     TEXT NOT NULL,
    point        TEXT NOT NULL,  -- canonical JSON
    seed         TEXT NOT NULL,  -- canonical JSON of point["seed"]; 'null' if it has none
    code_version TEXT NOT NULL,  -- verify.provenance.code_version
    measurement  TEXT NOT NULL,  -- JSON
    seconds      REAL NOT NULL,  -- wall time of claim.measure(point); 0 when shared
                                 -- (another claim's point measured it: Claim.shares)
    git_commit   TEXT,           -- for the reader; not part of the key
    finished_at  TEXT NOT NULL,  -- ISO 8601, UTC
    PRIMARY KEY (claim_id, point, seed, code_version)
) WITHOUT ROWID
"""


class StoreError(BadInput):
    """The store cannot be opened or written; the message names the fix."""


class ResultStore:
    """Measurements on disk.  Use as a context manager, or call :meth:`close`.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp, ResultStore(pathlib.Path(tmp) / "r.sqlite") as store:
    ...     store.save("KR-1", {"z": 1.0, "seed": 0}, "v1", {"q": 0.24}, seconds=0.1, git_commit=None)
    ...     store.lookup("KR-1", [{"seed": 0, "z": 1.0}, {"z": 2.0, "seed": 0}], "v1")
    {'{"seed":0,"z":1.0}': {'q': 0.24}}
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # timeout: a second run on the same store waits for the other's short write
            self._connection = sqlite3.connect(self.path, timeout=60)
            self._connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable against a killed process (WAL is synced at checkpoints);
            # only a power cut may lose the last results, never corrupt the file
            self._connection.execute("PRAGMA synchronous=NORMAL")
            version = self._connection.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise StoreError(f"the result store {self.path} has schema version {version}, this "
                                 f"code writes version {SCHEMA_VERSION}; move it away or pass "
                                 "another --store PATH")
            with self._connection:
                self._connection.execute(_SCHEMA)
                self._connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"cannot open the result store {self.path}: {error}; pass a writable "
                             "file with --store PATH") from error

    def lookup(self, claim_id: str, points: list[dict], code_version: str) -> dict[str, dict]:
        """The stored measurements of those ``points``, by canonical point."""
        wanted = {jsondata.canonical(point) for point in points}
        rows = self._connection.execute(
            "SELECT point, measurement FROM results WHERE claim_id = ? AND code_version = ?",
            (claim_id, code_version))
        return {point: json.loads(measurement) for point, measurement in rows if point in wanted}

    def save(self, claim_id: str, point: dict, code_version: str, measurement: dict | str, *,
             seconds: float, git_commit: str | None) -> None:
        """Commit one finished measurement (dict, or its JSON text) in its own transaction."""
        text = measurement if isinstance(measurement, str) else jsondata.to_text(measurement)
        row = (claim_id, jsondata.canonical(point), jsondata.canonical(point.get("seed")),
               code_version, text, seconds, git_commit,
               datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
        try:
            with self._connection:
                # REPLACE: two runs racing on one point computed the same deterministic value
                self._connection.execute(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
        except sqlite3.Error as error:
            raise StoreError(f"cannot write to the result store {self.path}: {error}; pass a "
                             "writable file with --store PATH") from error

    def measure_seconds(self) -> float:
        """The summed ``seconds`` of every stored measurement (the scale-out bench
        compares it across runs: contended cores make each point slower)."""
        return self._connection.execute("SELECT total(seconds) FROM results").fetchone()[0]

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

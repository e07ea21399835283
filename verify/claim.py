"""What a claim is: a prediction from theory, a measurement from numerics, a comparison.

A :class:`Claim` is data plus five functions.  The runner only ever calls
``points(size)`` and ``measure(point)`` (the unit of work, run in worker
processes or on a Dask cluster, JSON in and JSON out, so results can be
stored and resumed); ``predict`` and ``compare`` are cheap and run where the
report is built.  ``perturb`` returns a deliberately wrong prediction: the
tests use it to show that ``compare`` can fail.

Verdicts (see docs/report.md): ``holds``, ``deviates`` (with the size of
the deviation and where) or ``inconclusive`` (with the reason).  A deviation
is a result to report, never something to tune away.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable


class Fidelity(str, enum.Enum):
    """Where the claim's statement comes from (docs/claims.md)."""

    PAPER = "paper"                  # stated in the paper's own text
    SUMMARY = "summary"              # stated only in a summary document
    RECONSTRUCTED = "reconstructed"  # derived here; derivation in docs/derivations/


class Outcome(str, enum.Enum):
    HOLDS = "holds"
    DEVIATES = "deviates"
    INCONCLUSIVE = "inconclusive"


class Evidence(str, enum.Enum):
    """How strong a row's (or a verdict's) support is (docs/report.md).

    PROVED: ball arithmetic encloses the truth over a whole box or around a
    solution; CERTIFIED: a solver's residuals met their tolerance; SAMPLED:
    checked at listed points only.
    """

    PROVED = "proved"
    CERTIFIED = "certified"
    SAMPLED = "sampled"


@dataclass(frozen=True)
class Alternative:
    """The nearest competing prediction and whether the measurement rejects it.

    ``deviation`` is the measurement's distance from the alternative, in the
    same units as the verdict's own deviation; ``rejected`` says whether the
    measurement excludes it (a confidence interval that misses it, a
    deviation beyond its tolerance).  A verdict whose measurement cannot
    reject its nearest alternative is ``inconclusive``, however small its
    own deviation.
    """

    prediction: str
    deviation: float | None
    rejected: bool

    def to_json(self) -> dict:
        return {"prediction": self.prediction, "deviation": self.deviation,
                "rejected": self.rejected}


SIZES = ("quick", "full", "paper")
# Every claim has quick and full; "paper" (the paper's own experiment size, work for a
# cluster) only where a claim lists it in Claim.sizes.  Audits run at these two:
AUDIT_SIZES = ("quick", "full")


@dataclass(frozen=True)
class Verdict:
    """The comparison of a prediction with measurements.

    ``deviation`` is the headline number (e.g. a relative error or an
    exponent difference) and ``tolerance`` the bound it was held to, with
    ``reason`` saying where that bound comes from (precision, certificate,
    confidence interval).  ``rows`` is the per-point table the report shows.
    """

    outcome: Outcome
    prediction: str
    measurement: str
    deviation: float | None
    tolerance: float | None
    reason: str
    rows: list[dict] = field(default_factory=list)
    alternative: Alternative | None = None
    evidence: Evidence = Evidence.SAMPLED
    # "holds" that rests on a finite-size allowance says so here (one line),
    # and the report's summary shows it.
    allowance: str = ""
    # instance diagnostics the reader needs (recovery failures, crossovers,
    # unconverged phases, read-out floors), one line each
    diagnostics: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"outcome": self.outcome.value, "prediction": self.prediction,
                "measurement": self.measurement, "deviation": self.deviation,
                "tolerance": self.tolerance, "reason": self.reason, "rows": self.rows,
                "alternative": None if self.alternative is None else self.alternative.to_json(),
                "evidence": None if self.evidence is None else self.evidence.value,
                "allowance": self.allowance, "diagnostics": list(self.diagnostics or [])}


@dataclass(frozen=True)
class Claim:
    """One claim of docs/claims.md, made executable.

    points(size) -> list[dict]
        The parameter points to measure at ``size`` (one of ``sizes``); each
        is JSON-serialisable and includes its ``seed`` where randomness enters.
    measure(point) -> dict
        The numerics at one point; JSON-serialisable; deterministic given the point.
    predict(size) -> dict
        The theory's prediction (numbers and the expressions behind them).
    compare(prediction, results) -> Verdict
        ``results`` is the list of ``(point, measurement)`` pairs for ``size``.
    perturb(prediction) -> dict
        A wrong prediction that ``compare`` must reject.
    figure(prediction, results, verdict) -> matplotlib Figure or None
    audit: optional :class:`AuditSpec` (the claim at a ladder of sizes, at
        quick and full size).
    sizes: the report sizes the claim defines (quick and full; "paper" where
        it can run at its paper's own scale).
    shares(point) -> dict or None
        Optional: the identity of a measurement that points of other claims
        make too (a JSON dict naming the measurement and everything it depends
        on), or None.  Points with equal identities are measured once in a
        run and the result is stored for each of them, so each claim's
        ``measure`` must return the same dict for them (SQ-1/2/3 read one set
        of SGD runs).
    """

    id: str
    title: str
    statement: str
    source: str
    fidelity: Fidelity
    derivation: str
    points: Callable[[str], list[dict]]
    measure: Callable[[dict], dict]
    predict: Callable[[str], dict]
    compare: Callable[[dict, list], Verdict]
    perturb: Callable[[dict], dict]
    figure: Callable[..., Any] | None = None
    audit: AuditSpec | None = None
    conventions: str = ""
    shares: Callable[[dict], dict | None] | None = None
    sizes: tuple[str, ...] = ("quick", "full")


@dataclass(frozen=True)
class AuditSpec:
    """How to audit a claim's finite-size deviation.

    ``ladder(size)`` lists the values of the size parameter (e.g. n, d, or
    1/α), ``points(value)`` the measurement points at one rung,
    ``deviation(results)`` the deviation there (from ``(point, measurement)``
    pairs; 0 means the asymptotic statement holds exactly), and
    ``asymptote`` the value the deviation should tend to (usually 0).
    """

    parameter: str
    quantity: str
    ladder: Callable[[str], list[float]]
    points: Callable[[float], list[dict]]
    deviation: Callable[[list], float]
    asymptote: float = 0.0

"""What every claim kind shares: points from a grid, measurements as data,
groups of points, and the verdict assembled from judged rows.

A kind is a frozen dataclass that a claim's author fills with data (ids,
statement, source, the grid of points) and two functions: a *measurement*
(numerics, run in worker processes, JSON in and out) and a *prediction*
(theory, cheap).  The kind owns everything else: the fit, the comparison, the
verdict and its reason, the nearest alternative, the figure and the audit.
:meth:`Kind.to_claim` turns it into the :class:`~verify.claim.Claim` the
runner, store and report know.

Rules every kind follows (DESIGN.md):

* a row *holds* when its deviation is within its tolerance, and every
  tolerance carries its reason;
* a row *rejects the alternative* when the measurement's distance from the
  alternative exceeds the same tolerance (the data tell the two apart);
* the claim deviates if a row deviates; else it is inconclusive if a point
  could not be measured, or if some row cannot reject the alternative (the
  reason names it); else it holds;
* ``perturb`` replaces the prediction by the alternative, so the tests show
  that the comparison fails on the nearest competing prediction, not only on
  a gross one.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence

from verify.claim import (SIZES, Alternative, AuditSpec, Claim, Evidence, Fidelity, Outcome,
                          Verdict)
from verify.errors import BadInput

__all__ = ["Kind", "Row", "grid", "points_of", "as_measurement", "group_of", "label",
           "assemble", "Points", "curves", "judged", "value_or_call", "key_of"]

# A claim's points: a callable size -> list of dicts, or a grid per size,
# {"quick": {"n": [...], "seed": [0, 1]}, "full": {...}} (the product of the axes).
Points = Callable[[str], list] | Mapping[str, Mapping[str, Sequence]]


def grid(**axes: Sequence) -> list[dict]:
    """Every combination of the axes' values, the last axis varying fastest.

    >>> grid(n=[10, 20], seed=[0, 1])
    [{'n': 10, 'seed': 0}, {'n': 10, 'seed': 1}, {'n': 20, 'seed': 0}, {'n': 20, 'seed': 1}]
    """
    names = list(axes)
    return [dict(zip(names, values)) for values in itertools.product(*axes.values())]


def points_of(points: Points, size: str) -> list[dict]:
    """The points of ``size`` from a callable or a per-size grid."""
    if callable(points):
        return list(points(size))
    if size not in points:
        raise BadInput(f"the claim's grid has no size {size!r}; it defines {', '.join(points)}")
    return grid(**points[size])


def as_measurement(value: Any) -> dict:
    """A measurement as the store keeps it: a number becomes {"value": number}."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": float(value)}
    raise TypeError(f"a measurement must be a number or a dict of JSON values, got "
                    f"{type(value).__name__}; return e.g. {{'value': x}}")


def group_of(point: Mapping, exclude: Sequence[str]) -> tuple:
    """The point's coordinates other than ``exclude`` (size axis, seed), as a
    hashable, ordered key."""
    return tuple((key, point[key]) for key in sorted(point) if key not in exclude)


def label(group: tuple) -> str:
    """A group key as text: ``p = 1.5, r = 2`` (``all`` when empty; lists, such as a
    ladder's rungs, are left out).

    >>> label((("p", 1.5), ("ks", [1, 2]), ("r", 2)))
    'p = 1.5, r = 2'
    """
    return ", ".join(f"{key} = {_short(value)}" for key, value in group
                     if not isinstance(value, (list, tuple))) or "all"


def _short(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def key_of(point: Mapping) -> str:
    """A point as a canonical string (the key of per-point predictions)."""
    return json.dumps(point, sort_keys=True)


@dataclass
class Row:
    """One judged row: what was compared, its deviation and tolerance, and
    the alternative's deviation under the same tolerance.

    ``resolved`` is False when the row cannot tell the claim from the
    alternative: by default when the alternative is within the tolerance;
    a kind with a sharper rule (an interval, an allowance) sets ``rejects``.
    """

    at: str
    deviation: float
    tolerance: float
    alternative_deviation: float | None = None
    rejects: bool | None = None
    allowance: bool = False          # held only thanks to a finite-size allowance
    evidence: str = ""
    columns: dict = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return bool(math.isfinite(self.deviation) and self.deviation <= self.tolerance)

    @property
    def resolved(self) -> bool:
        if self.rejects is not None:
            return bool(self.rejects)
        return bool(self.alternative_deviation is None
                    or self.alternative_deviation > self.tolerance)

    def to_json(self) -> dict:
        row = {"at": self.at, **self.columns, "deviation": self.deviation,
               "tolerance": self.tolerance, "holds": self.holds}
        if self.alternative_deviation is not None or self.rejects is not None:
            row["alternative deviation"] = self.alternative_deviation
            row["alternative rejected"] = self.resolved
        if self.allowance:
            row["finite-size allowance used"] = True
        if self.evidence:
            row["evidence"] = self.evidence
        return row


def assemble(rows: Sequence[Row], *, prediction: str, measurement: str, reason: str,
             alternative: str | None, problems: Sequence[str] = (),
             evidence: Evidence = Evidence.SAMPLED, allowance: str = "",
             diagnostics: Sequence[str] = (), alternative_headline=min) -> Verdict:
    """The verdict on judged rows (the rules are in the module docstring).

    The headline deviation is the worst deviation/tolerance ratio, held to 1,
    so rows with different units and tolerances compare; the rows keep their
    own numbers.  The alternative's headline distance is the smallest over the
    rows (``alternative_headline=min``: every row must reject it) or the
    largest (``max``: one row that misses it suffices, as for a formula).
    """
    ratios = [row.deviation / row.tolerance if row.tolerance > 0 else
              (0.0 if row.deviation == 0 else math.inf) for row in rows]
    worst = max(ratios, default=None)
    unresolved = [row for row in rows if not row.resolved]
    alt = None
    if alternative is not None:
        distances = [row.alternative_deviation for row in rows
                     if row.alternative_deviation is not None]
        alt = Alternative(alternative, alternative_headline(distances, default=None),
                          bool(rows) and not unresolved)
    failed = [row for row, ratio in zip(rows, ratios) if not row.holds]
    used_allowance = [row for row in rows if row.allowance and row.holds]
    notes = list(diagnostics)
    if failed:
        outcome = Outcome.DEVIATES
        reason = (f"{reason}. {len(failed)} of {len(rows)} rows deviate, first at "
                  f"{failed[0].at}")
        if problems:
            reason += f". Besides, {len(problems)} point(s) could not be measured: {problems[0]}"
    elif problems or not rows:
        outcome = Outcome.INCONCLUSIVE
        reason = (f"{len(problems)} point(s) could not be measured: " + "; ".join(problems[:3])
                  if problems else "no point was measured")
    elif alternative is not None and (unresolved or not alt.rejected):
        outcome = Outcome.INCONCLUSIVE
        where = ", ".join(row.at for row in unresolved[:4])
        reason = (f"the measurement cannot tell the claim from its nearest alternative "
                  f"({alternative}): within the tolerance at {len(unresolved)} of {len(rows)} "
                  f"rows ({where}). {reason}")
    else:
        outcome = Outcome.HOLDS
    if used_allowance and outcome is Outcome.HOLDS and not allowance:
        allowance = (f"{len(used_allowance)} of {len(rows)} rows hold only within the "
                     "finite-size allowance")
    elif not used_allowance:
        allowance = ""
    return Verdict(outcome, prediction, measurement,
                   None if worst is None else float(worst), 1.0 if rows else None, reason,
                   [row.to_json() for row in rows], alt, evidence, allowance, notes)


@dataclass(frozen=True, kw_only=True)
class Kind:
    """The fields every claim kind has.

    id, title, statement, source, fidelity, derivation, conventions
        as in :class:`~verify.claim.Claim` (``fidelity`` may be a string:
        "paper", "summary" or "reconstructed");
    points
        a callable ``size -> list of dict`` or a grid per size
        ``{"quick": {"axis": [values], …}, "full": {…}}``;
    measure
        ``point -> number or dict`` (numerics; deterministic given the point);
    diagnose
        optional ``results -> list of str``: instance diagnostics for the report;
    preconditions
        optional ``results -> list of str``: what the measurement needs and only
        several points together can tell (e.g. SQ-2's M fit must stay
        model-limited, which the T ladder's largest model shows), each unmet
        one a line; an unmet precondition leaves a verdict that would hold
        inconclusive, and is named in the reason of one that deviates;
    shares
        optional ``point -> dict or None``: the identity of a measurement other
        claims' points share (see :class:`~verify.claim.Claim`);
    sizes
        the report sizes the claim defines: by default those of a per-size
        grid, else quick and full (name "paper" where a callable ``points``
        has it);
    figure
        optional override of the kind's figure ``(prediction, results, verdict) -> Figure``;
    audit_spec
        optional override of the kind's finite-size audit.
    """

    id: str
    title: str
    statement: str
    source: str
    fidelity: Fidelity | str
    points: Points
    measure: Callable[[dict], Any]
    derivation: str = ""
    conventions: str = ""
    diagnose: Callable[[list], list] | None = None
    preconditions: Callable[[list], list] | None = None
    shares: Callable[[dict], dict | None] | None = None
    sizes: tuple[str, ...] | None = None
    figure: Callable[..., Any] | None = None
    audit_spec: AuditSpec | None = None

    # -- what each kind supplies ------------------------------------------------
    def predict(self, size: str) -> dict:            # pragma: no cover - abstract
        raise NotImplementedError

    def compare(self, prediction: dict, results: list) -> Verdict:   # pragma: no cover
        raise NotImplementedError

    def draw(self, prediction: dict, results: list, verdict: Verdict):   # pragma: no cover
        raise NotImplementedError

    def audit(self) -> AuditSpec | None:
        return None

    # -- shared -----------------------------------------------------------------
    def perturb(self, prediction: dict) -> dict:
        """The prediction with the alternative in place of the claim."""
        return {**prediction, "judge": "alternative"}

    def all_points(self, size: str) -> list:
        """The points the runner measures (a kind may add its own, e.g. proofs)."""
        return points_of(self.points, size)

    def measure_point(self, point: dict) -> dict:
        """One point's measurement as the store keeps it."""
        return as_measurement(self.measure(point))

    def diagnostics(self, results: list) -> list:
        return list(self.diagnose(results)) if self.diagnose else []

    def judge(self, prediction: dict, results: list) -> Verdict:
        """The kind's comparison, then the claim's preconditions (see the class)."""
        verdict = self.compare(prediction, results)
        unmet = list(self.preconditions(results)) if self.preconditions else []
        if not unmet:
            return verdict
        if verdict.outcome is Outcome.DEVIATES:
            return replace(verdict, reason=f"{verdict.reason}. Besides, a precondition is not "
                                           f"met: {'; '.join(unmet)}")
        return replace(verdict, outcome=Outcome.INCONCLUSIVE,
                       reason=f"a precondition of the measurement is not met: "
                              f"{'; '.join(unmet)}. {verdict.reason}")

    def to_claim(self) -> Claim:
        """The :class:`~verify.claim.Claim` the runner, store and report use."""
        fidelity = Fidelity(self.fidelity)
        unknown = sorted(set(self.points) - set(SIZES)) if isinstance(self.points, Mapping) else []
        if unknown:
            raise BadInput(f"{self.id}: the grid's sizes {', '.join(map(repr, unknown))} are not "
                           f"report sizes; name each grid {', '.join(map(repr, SIZES))}")
        return Claim(id=self.id, title=self.title, statement=self.statement, source=self.source,
                     fidelity=fidelity, derivation=self.derivation or self.source,
                     points=self.all_points, measure=self.measure_point,
                     predict=self.predict, compare=self.judge, perturb=self.perturb,
                     figure=self.figure or self.draw,
                     audit=self.audit_spec or self.audit(),
                     conventions=self.conventions, shares=self.shares,
                     sizes=self.sizes or (tuple(size for size in SIZES if size in self.points)
                                          if isinstance(self.points, Mapping)
                                          else ("quick", "full")))


def curves(results: list, x: str, quantity: str, seed: str) -> dict:
    """Measured curves by group and seed: {group: {seed: (xs, ys)}}, xs ascending.

    A point either carries its value of ``x`` (one number measured per point)
    or not (the measurement holds whole lists under ``x`` and ``quantity``,
    e.g. a nested sweep or an α ladder).  A point whose ``seed`` is a list
    was measured for those seeds together (one vectorised run): its
    ``quantity`` then holds one entry per seed, in the list's order.
    Non-finite values are dropped.
    """
    gathered: dict = {}
    for point, measured in results:
        group = group_of(point, (x, seed))
        together = isinstance(point.get(seed), list)
        for index, key in enumerate(point[seed] if together else [point.get(seed)]):
            ys = measured[quantity][index] if together else measured[quantity]
            xs, ys = ([point[x]], [ys]) if x in point else (measured[x], ys)
            slot = gathered.setdefault(group, {}).setdefault(key, ([], []))
            for xv, yv in zip(xs, ys):
                if yv is not None and math.isfinite(float(xv)) and math.isfinite(float(yv)):
                    slot[0].append(float(xv))
                    slot[1].append(float(yv))
    for group in gathered.values():
        for key, (xs, ys) in group.items():
            order = sorted(range(len(xs)), key=xs.__getitem__)
            group[key] = ([xs[i] for i in order], [ys[i] for i in order])
    return gathered


def judged(prediction: dict) -> str:
    """Which statement a comparison judges: the claim, or (perturbed) its alternative."""
    return prediction.get("judge", "claim")


def value_or_call(value, *args):
    """``value(*args)`` when callable, else ``value``."""
    return value(*args) if callable(value) else value

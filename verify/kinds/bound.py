"""A bound: an inequality lhs ≤ rhs over a stated parameter range.

Sampled: the measurement gives lhs and rhs at sample points of the range;
each row (a group of samples) holds when the smallest relative margin
(rhs − lhs)/max(|lhs|, |rhs|) is ≥ −tolerance (the rounding of the two sides,
with its reason).  Proved: ``proofs`` name callables that decide the
inequality over whole boxes in ball arithmetic (:mod:`numerics.boxes`); each
is measured like a point and becomes a row "proved on <box>".  :func:`box_proof`
makes such a callable from a :func:`numerics.boxes.prove` run.

The nearest alternative of an inequality is that it fails somewhere in the
range.  Samples cannot reject that; a proof over the range does.  So a bound
with samples only is inconclusive unless the author names a sharper
alternative the samples can reject (``alternative=(text, margin)``: e.g. the
bound with its constant tightened, which the data must violate somewhere for
the test to have resolving power).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from verify.claim import Evidence, Verdict
from verify.claims.common import panels

from .base import Kind, Row, assemble, group_of, label, points_of

__all__ = ["Bound", "box_proof"]

FAILS_SOMEWHERE = "the inequality fails somewhere in the stated range"


def box_proof(box: str, run: Callable[[], object]) -> Callable[[], dict]:
    """A ``proofs`` entry of :class:`Bound` from a ball-arithmetic proof: ``run()``
    returns a :class:`numerics.boxes.BoxProof`, ``box`` says its range in words (shown
    in the row); the entry returns the proof's status, box, cost and counterexample.

    >>> from numerics.boxes import at_most, prove
    >>> box_proof("x ∈ [0, 1]", lambda: prove(lambda b: at_most(b["x"] ** 2, 2),
    ...                                        {"x": (0, 1)}))()["status"]
    'proved'
    """
    def measured() -> dict:
        result = run()
        out = {"status": result.status, "box": box, "boxes": result.boxes,
               "seconds": result.seconds}
        if result.counterexample is not None:
            out["point"] = {str(k): v for k, v in result.counterexample.items()}
        return out
    return measured


def relative_margin(lhs: float, rhs: float) -> float:
    """(rhs − lhs)/max(|lhs|, |rhs|): ≥ 0 where lhs ≤ rhs.

    >>> relative_margin(1.0, 2.0)
    0.5
    """
    scale = max(abs(lhs), abs(rhs))
    return 0.0 if scale == 0 else (rhs - lhs) / scale


@dataclass(frozen=True, kw_only=True)
class Bound(Kind):
    """``lhs ≤ rhs`` at every point of ``box``.

    box
        the range in words (``"ε ∈ [0.01, 10], d ≥ 2n"``), shown in every row;
    over
        the axes that sample the range (rows are the groups of the other axes);
    tolerance, reason
        relative rounding tolerance of the two sides and why;
    proofs
        ``{statement: callable}``; a callable returns a dict with ``status``
        ("proved", "counterexample" or "undecided"), ``box`` (text), ``boxes``
        (examined), ``seconds`` and, for a counterexample, ``point``;
    proofs_cover
        True only when the proofs together state the whole inequality on the whole
        range; then (and only then) all of them proved makes the claim proved and
        rejects "fails somewhere".  A proof of a part is shown as a proved row, but
        the claim stays sampled;
    alternative
        optional ``(text, (point, measured) -> relative margin)`` of a sharper
        competing bound the samples should violate somewhere.
    ``measure`` returns {"lhs": …, "rhs": …} (and anything else to tabulate).
    """

    box: str
    over: tuple
    tolerance: float
    reason: str
    proofs: Mapping[str, Callable[[], dict]] = field(default_factory=dict)
    proofs_cover: bool = False
    alternative: tuple | None = None

    def predict(self, size: str) -> dict:
        return {"bound": f"lhs ≤ rhs on {self.box}", "judge": "claim"}

    def all_points(self, size: str) -> list:
        return points_of(self.points, size) + [{"proof": name} for name in self.proofs]

    def measure_point(self, point: dict) -> dict:
        if "proof" in point and set(point) == {"proof"}:
            return dict(self.proofs[point["proof"]]())
        return super().measure_point(point)

    def compare(self, prediction: dict, results: list) -> Verdict:
        perturbed = prediction.get("judge") == "alternative"
        proofs = [(p, m) for p, m in results if set(p) == {"proof"}]
        samples = [(p, m) for p, m in results if set(p) != {"proof"}]
        proved = (self.proofs_cover and bool(proofs)
                  and all(m["status"] == "proved" for _, m in proofs))
        rows = []
        for point, measured in proofs:
            status = measured["status"]
            evidence = (f"proved on {measured['box']} ({measured['boxes']} boxes, "
                        f"{measured['seconds']:.2g} s)" if status == "proved" else
                        f"{status} on {measured['box']}" + (
                            f" at {measured['point']}" if status == "counterexample" else ""))
            rows.append(Row(point["proof"], 0.0 if status != "counterexample" else 1.0, 0.0,
                            rejects=status == "proved", evidence=evidence,
                            columns={"status": status}))
        groups = defaultdict(list)
        for point, measured in samples:
            margin = relative_margin(measured["lhs"], measured["rhs"])
            other = (self.alternative[1](point, measured) if self.alternative else None)
            if perturbed:      # judge the sharper alternative in place of the claim
                margin, other = (other if other is not None else margin - 1.0), margin
            groups[group_of(point, self.over)].append((margin, other))
        for group, values in sorted(groups.items(), key=lambda item: str(item[0])):
            margins = np.array([m for m, _ in values])
            others = [o for _, o in values if o is not None]
            worst = float(margins.min())
            rejects = (proved if not others else min(others) < -self.tolerance)
            rows.append(Row(label(group), max(-worst, 0.0), self.tolerance,
                            None if not others else max(-min(others), 0.0), rejects=rejects,
                            evidence=f"sampled at {len(values)} points of {self.box}",
                            columns={"samples": len(values), "smallest relative margin": worst}))
        alternative = self.alternative[0] if self.alternative else FAILS_SOMEWHERE
        return assemble(rows, prediction=prediction["bound"],
                        measurement=(f"{len(samples)} samples, smallest relative margin "
                                     f"{min((r.columns.get('smallest relative margin', 0) for r in rows), default=float('nan')):.3g}"
                                     + (f"; {sum(m['status'] == 'proved' for _, m in proofs)} of "
                                        f"{len(proofs)} statements proved" if proofs else "")),
                        reason=self.reason, alternative=alternative,
                        evidence=Evidence.PROVED if proved else Evidence.SAMPLED,
                        diagnostics=self.diagnostics(results))

    def draw(self, prediction, results, verdict):
        figure, (ax,) = panels(1)
        samples = [(p, m) for p, m in results if set(p) != {"proof"}]
        margins = [relative_margin(m["lhs"], m["rhs"]) for _, m in samples]
        ax.plot(np.arange(len(margins)), margins, "o", markersize=3)
        ax.axhline(0, color="k", linewidth=1)
        ax.axhline(-self.tolerance, color="r", linestyle="--", linewidth=1, label="tolerance")
        ax.set(xlabel="sample", ylabel="(rhs − lhs)/max(|lhs|, |rhs|)",
               title=f"{self.id}: margins on {self.box}")
        ax.legend(fontsize="x-small")
        return figure

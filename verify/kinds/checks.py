"""Checks: rows a claim judges itself, for a comparison no other kind fits.

Some claims compare in ways no kind owns (identities held to a certificate's
propagated bound, a spread test against a predicted dispersion, one sweep
judged in several regimes at once).  Such a claim supplies its rows — the
bespoke comparison, with a one-line comment at the claim saying why no kind
fits — and the texts of its verdict; this kind owns the rest:

* the alternative is one competing statement about the whole claim, so it is
  rejected once one row tells it apart (every row is then marked), and the
  alternative's headline distance is the largest over the rows;
* ``perturb`` judges every row against the alternative in the claim's place
  (a row the alternative does not change is judged as it is);
* the verdict (:func:`~verify.kinds.base.assemble`) and a figure of the rows'
  deviation/tolerance, with the claim's curves beside it when it has any.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from verify.claim import Verdict
from verify.claims.common import log_floor, panels

from .base import Kind, Row, assemble, judged, value_or_call

__all__ = ["Checks", "judged_rows"]


def judged_rows(prediction: dict, rows: list) -> list:
    """The rows as judged: the competing statement is rejected once one row tells it
    apart (every row is marked); perturbed, the alternative is judged instead."""
    rejected = any(row.resolved for row in rows if row.alternative_deviation)
    for row in rows:
        row.rejects = rejected
    if judged(prediction) != "alternative":
        return rows
    # a row the alternative does not change (no alternative deviation) is judged as it is
    return [Row(row.at, row.deviation if row.alternative_deviation is None else
                row.alternative_deviation, row.tolerance, row.deviation,
                rejects=row.deviation > row.tolerance, columns=row.columns) for row in rows]


@dataclass(frozen=True, kw_only=True)
class Checks(Kind):
    """Rows the claim computes, judged against one competing statement.

    rows
        ``results -> (rows, notes)``: the judged :class:`Row` s and instance notes;
    prediction, reason, alternative
        the verdict's texts (``reason`` may be ``results -> text``, e.g. to quote
        the solvers' certificates);
    measurement
        ``(judged rows, results) -> text``: the measurement's headline;
    reported
        optional ``results -> list of dict``: rows reported beside the judged
        ones (measured, not judged, e.g. a gap the audit follows);
    curves, xlabel
        optional ``results -> [(label, xs, measured ys, theory ys or None)]``,
        drawn log-log beside the rows.
    """

    rows: Callable[[list], tuple]
    prediction: str
    measurement: Callable[[list, list], str]
    reason: str | Callable[[list], str]
    alternative: str
    reported: Callable[[list], list] | None = None
    curves: Callable[[list], list] | None = None
    xlabel: str = "n"

    def predict(self, size: str) -> dict:
        return {"judge": "claim"}

    def compare(self, prediction: dict, results: list) -> Verdict:
        rows, notes = self.rows(results)
        rows = judged_rows(prediction, rows)
        verdict = assemble(rows, prediction=self.prediction,
                           measurement=self.measurement(rows, results),
                           reason=value_or_call(self.reason, results),
                           alternative=self.alternative,
                           diagnostics=[*notes, *self.diagnostics(results)],
                           alternative_headline=max)
        return replace(verdict, rows=verdict.rows + self.reported(results)) if self.reported \
            else verdict

    def draw(self, prediction, results, verdict):
        curves = self.curves(results) if self.curves else []
        figure, axes = panels(1 + bool(curves))
        rows = [row for row in verdict.rows if row.get("tolerance")]
        ratio = axes[0]
        ratio.semilogy(range(len(rows)), log_floor([r["deviation"] / r["tolerance"]
                                                    for r in rows], 1e-6), "o", label="claim")
        ratio.semilogy(range(len(rows)), log_floor([(r.get("alternative deviation") or 0)
                                                    / r["tolerance"] for r in rows], 1e-6), "x",
                       color="C3", label="nearest alternative")
        ratio.axhline(1, color="k", linestyle="--", linewidth=1)
        ratio.set(xlabel="row", ylabel="deviation / tolerance", title=f"{self.id}: rows")
        ratio.legend(fontsize="x-small")
        for index, (text, xs, values, theory) in enumerate(curves):
            axes[1].loglog(xs, values, "o-", markersize=3, color=f"C{index % 10}", label=text)
            if theory is not None:
                axes[1].loglog(xs, theory, "--", linewidth=0.8, color=f"C{index % 10}")
        if curves:
            axes[1].set(xlabel=self.xlabel, ylabel="measured (seed mean); theory dashed")
            axes[1].legend(fontsize="xx-small")
        return figure

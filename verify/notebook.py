"""The notebook API: a claim's verdict, or a formula view, as an object that
renders in Jupyter (``_repr_html_``, ``_repr_markdown_``) and holds its data.

>>> result = verify.check("KR-1")                 # doctest: +SKIP
>>> result.verdict.outcome, result.rows[0]        # doctest: +SKIP
>>> verify.formula("q_D", D=4).rows               # doctest: +SKIP

:func:`check` measures in this process by default (``Execution(workers=0)``),
so a plain script or a notebook cell needs no ``if __name__ == "__main__":``
guard; pass ``execution=Execution(workers=4)`` for worker processes (then the
guard is needed in scripts).  Without ``store`` the measurements live in an
in-memory store for this call only; pass a path to keep and resume them.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from verify.claim import Claim
from verify.compare import Evaluation, evaluate_claims
from verify.errors import BadInput
from verify.runner import Execution
from verify.store import ResultStore

__all__ = ["check", "formula", "CheckResult", "FormulaResult"]

IN_PROCESS = Execution(workers=0, progress=False)


def check(claim_or_id: Claim | str, size: str = "quick", *, store: str | Path | None = None,
          execution: Execution = IN_PROCESS) -> CheckResult:
    """Measure and judge one claim (a :class:`~verify.claim.Claim`, a claim kind,
    or a registered id); the result renders as a table and a figure."""
    from verify import claims
    from verify.kinds import Kind

    if isinstance(claim_or_id, str):
        claim = claims.get_claim(claim_or_id)
    elif isinstance(claim_or_id, Kind):
        claim = claim_or_id.to_claim()
    elif isinstance(claim_or_id, Claim):
        claim = claim_or_id
    else:
        raise BadInput(f"check needs a claim id, a verify.claim.Claim or a claim kind, got "
                       f"{type(claim_or_id).__name__}")
    if execution.workers != 0 and not isinstance(claim_or_id, str):
        # worker processes look a claim up by id in their own registry
        claims.get_claim(claim.id)
    with ResultStore(":memory:" if store is None else store) as opened:
        [evaluation] = evaluate_claims([claim], size, opened, execution)
    return CheckResult(evaluation)


@dataclass
class CheckResult:
    """One claim's verdict with its rows and (on first use) its figure."""

    evaluation: Evaluation
    _figure: object = field(default=None, repr=False)

    @property
    def claim(self) -> Claim:
        return self.evaluation.claim

    @property
    def verdict(self):
        return self.evaluation.verdict

    @property
    def rows(self) -> list[dict]:
        return self.verdict.rows

    @property
    def figure(self):
        """The claim's theory-over-numerics figure (matplotlib), or None."""
        if self._figure is None and self.claim.figure is not None and self.evaluation.results:
            self._figure = self.claim.figure(self.evaluation.prediction, self.evaluation.results,
                                             self.verdict)
        return self._figure

    def _summary(self) -> list[tuple[str, str]]:
        verdict = self.verdict
        deviation = "—" if verdict.deviation is None else f"{verdict.deviation:.4g}"
        tolerance = "—" if verdict.tolerance is None else f"{verdict.tolerance:.4g}"
        return [("verdict", verdict.outcome.value), ("prediction", verdict.prediction),
                ("measurement", verdict.measurement),
                ("deviation / tolerance", f"{deviation} / {tolerance}"),
                ("reason", verdict.reason), ("source", self.claim.source),
                ("fidelity", self.claim.fidelity.value)]

    def _title(self) -> str:
        return f"{self.claim.id}: {self.claim.title} ({self.evaluation.size})"

    def _repr_markdown_(self) -> str:
        lines = [f"**{_markdown_cell(self._title())}**", "", "| | |", "|---|---|"]
        lines += [f"| {key} | {_markdown_cell(value)} |" for key, value in self._summary()]
        lines += ["", *_markdown_table(self.rows)]
        png = _png(self.figure)
        if png:
            lines += ["", f"![{self.claim.id}](data:image/png;base64,{png})"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [f"<h4>{escape(self._title())}</h4>",
                 _html_table(["", ""], [[key, value] for key, value in self._summary()]),
                 _html_rows(self.rows)]
        png = _png(self.figure)
        if png:
            parts.append(f'<img alt="{escape(self.claim.id)}" src="data:image/png;base64,{png}">')
        return "\n".join(parts)


def formula(name: str, *, check: bool = True, **params) -> FormulaResult:
    """A formula view at ``params`` (e.g. ``formula("q_D", D=4)``): the derived
    formulas and, unless ``check=False``, their rows against an independent
    computation, as data (``.rows``) that render as a table."""
    from verify.formula import find_view

    view = find_view(name)
    values = view.resolve([f"{key}={value}" for key, value in params.items()])
    try:
        derived = view.derive(values)
        rows = view.check(values) if check and view.check is not None else []
    except (ValueError, ArithmeticError) as error:
        raise BadInput(f"formula {view.name!r} at {params}: {error}") from error
    return FormulaResult(view.name, view.title, values, derived, rows)


@dataclass(frozen=True)
class FormulaResult:
    """A formula view's derivations and check rows (``CheckRow.to_json`` dicts)."""

    name: str
    title: str
    values: dict
    formulas: list
    check_rows: list

    @property
    def rows(self) -> list[dict]:
        return [row.to_json() for row in self.check_rows]

    @property
    def passed(self) -> bool:
        return all(row.passed for row in self.check_rows)

    def _heading(self) -> str:
        at = ", ".join(f"{key} = {value}" for key, value in self.values.items())
        return f"{self.name}: {self.title} (at {at or 'no parameters'})"

    def _repr_markdown_(self) -> str:
        lines = [f"**{_markdown_cell(self._heading())}**", ""]
        lines += [f"* {_markdown_cell(p.name)}: `{p.expr}` ({_markdown_cell(p.source)})"
                  for p in self.formulas]
        return "\n".join(lines + ["", *_markdown_table(self.rows)])

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(p.name)}: <code>{escape(str(p.expr))}</code> "
                        f"({escape(p.source)})</li>" for p in self.formulas)
        return f"<h4>{escape(self._heading())}</h4><ul>{items}</ul>{_html_rows(self.rows)}"


def _columns(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def _text(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return str(value)


def _markdown_cell(value) -> str:
    return " ".join(_text(value).split()).replace("|", "\\|")


def _markdown_table(rows: list[dict]) -> list[str]:
    if not rows:
        return []
    columns = _columns(rows)
    return ["| " + " | ".join(_markdown_cell(c) for c in columns) + " |",
            "|" + "---|" * len(columns)] + [
        "| " + " | ".join(_markdown_cell(row.get(c, "")) for c in columns) + " |"
        for row in rows]


def _html_table(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(_text(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_rows(rows: list[dict]) -> str:
    columns = _columns(rows)
    return _html_table(columns, [[row.get(c, "") for c in columns] for row in rows]) if rows else ""


def _png(figure) -> str:
    """The figure as base64 PNG text ("" without a figure)."""
    if figure is None:
        return ""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode("ascii")

"""The verification report: every claim's verdict, the evidence, the audit.

:func:`build_report` measures (through the runner and store), judges and
audits; :func:`write_report` renders the result into a directory:

* ``index.md`` — Markdown, figures linked from ``figures/``;
* ``index.html`` — self-contained: figures embedded as base64 PNG, inline CSS,
  no external asset;
* ``figures/*.png`` — each claim's theory-over-numerics figure and its audit figure;
* ``results.json`` — everything above as data (standard JSON: non-finite
  numbers are written as the strings "nan", "inf", "-inf").

Both documents are rendered from one list of blocks, so they cannot say
different things.  The directory is written next to its target and swapped
in whole: a reader never sees a half-written report.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import json
import os
import re
import secrets
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence, Union

from verify import jsondata, provenance
from verify.audit import AuditResult, audit_from, audit_ladder
from verify.claim import Claim, Outcome
from verify.compare import Evaluation, check_size, evaluate
from verify.errors import BadInput
from verify.runner import Execution, measure_points
from verify.store import ResultStore

REPORT_FILES = {"index.md", "index.html", "results.json", "figures"}
MAX_TABLE_ROWS = 40  # per claim in the documents; results.json holds every row


class ReportError(BadInput):
    """The report cannot be written where asked; the message names the fix."""


@dataclass(frozen=True)
class Report:
    """Everything a report shows, before rendering."""

    meta: dict
    evaluations: list[Evaluation]
    audits: dict[str, AuditResult]


def build_report(claims: Sequence[Claim], size: str, store: ResultStore, command: str,
                 execution: Execution = Execution()) -> Report:
    """Measure, judge and audit ``claims`` at ``size``; ``command`` is what the
    report says produced it.

    The claims' points and their audit ladders are measured as one batch, so
    the workers stay busy across claims.
    """
    check_size(size)
    points = {claim.id: claim.points(size) for claim in claims}
    ladders = {claim.id: audit_ladder(claim, size) for claim in claims if claim.audit is not None}
    requests = [(claim, points[claim.id]) for claim in claims] + [
        (claim, [point for _, rung_points in ladders[claim.id] for point in rung_points])
        for claim in claims if claim.id in ladders]
    measured = measure_points(requests, store, execution, label=f"report ({size})")
    evaluations = [evaluate(claim, size, points[claim.id], measured[claim.id]) for claim in claims]
    audits = {claim.id: audit_from(claim, size, ladders[claim.id], measured[claim.id])
              for claim in claims if claim.id in ladders}
    where = (f"Dask scheduler at {execution.scheduler}" if execution.scheduler else
             f"local worker processes: {execution.workers or os.cpu_count() or 1}")
    meta = {"command": command, "commit": provenance.git_commit() or "not a git checkout",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "size": size, "measured on": where, "store": str(store.path),
            "machine": provenance.machine()}
    return Report(meta, evaluations, audits)


def check_output(out: str | Path) -> Path:
    """The absolute path of report directory ``out``, once it is known that a
    report can be written there; a :class:`ReportError` naming the fix if not.

    Call it before measuring, so a bad ``--out`` fails at once.
    """
    out = Path(out).absolute()
    nearest = next(path for path in (out, *out.parents) if path.exists())
    if nearest != out and not nearest.is_dir():
        raise ReportError(f"cannot write the report to {out}: {nearest} is a file; pass a "
                          "writable directory with --out DIR")
    try:
        if out.exists() and not (out.is_dir() and set(os.listdir(out)) <= REPORT_FILES):
            raise ReportError(f"{out} exists and is not a report directory; pass another --out "
                              "DIR (an earlier report there is replaced, other files never are)")
        out.parent.mkdir(parents=True, exist_ok=True)
        probe = _staging_path(out)
        probe.mkdir()
        probe.rmdir()
    except OSError as error:
        raise ReportError(f"cannot write the report to {out}: {error.strerror or error}; pass a "
                          "writable directory with --out DIR") from error
    return out


def write_report(report: Report, out: str | Path) -> Path:
    """Write the report into directory ``out`` (replacing an earlier report
    there) and return its path."""
    out = check_output(out)
    staging = _staging_path(out)
    try:
        (staging / "figures").mkdir(parents=True)
        pngs, sections = _render_figures(report)
        for name, png in pngs.items():
            (staging / "figures" / name).write_bytes(png)
        blocks = _document(report, sections)
        (staging / "index.md").write_text(_markdown(blocks), encoding="utf-8")
        (staging / "index.html").write_text(_html(blocks, pngs), encoding="utf-8")
        (staging / "results.json").write_text(_results_json(report, sections), encoding="utf-8")
        _swap_in(staging, out)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise ReportError(f"cannot write the report to {out}: {error}; pass a writable "
                              "directory with --out DIR") from error
        raise
    return out


def _staging_path(out: Path) -> Path:
    """A fresh hidden sibling of ``out``: same filesystem, so renames are atomic."""
    return out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with renames only (atomic on one filesystem)."""
    if not out.exists():
        os.rename(staging, out)
        return
    retired = out.parent / f".{out.name}.retired-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(out, retired)
    os.rename(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


# --- figures -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Section:
    """One claim's part of the report, with its figures' file names."""

    evaluation: Evaluation
    audit: AuditResult | None
    figure: str | None
    figure_note: str
    audit_figure: str | None


def _render_figures(report: Report) -> tuple[dict[str, bytes], list[_Section]]:
    pngs: dict[str, bytes] = {}
    sections = []
    for evaluation in report.evaluations:
        claim = evaluation.claim
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", claim.id)
        figure_name, note = None, "this claim draws no figure"
        if claim.figure is not None:
            try:
                figure = claim.figure(evaluation.prediction, evaluation.results, evaluation.verdict)
            except Exception as error:
                figure, note = None, f"the figure failed: {type(error).__name__}: {error}"
            if figure is not None:
                figure_name = f"{stem}.png"
                pngs[figure_name] = _png(figure)
        audit = report.audits.get(claim.id)
        audit_name = None
        if audit is not None and audit.figure is not None:
            audit_name = f"{stem}-audit.png"
            pngs[audit_name] = _png(audit.figure)
        sections.append(_Section(evaluation, audit, figure_name, note, audit_name))
    return pngs, sections


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    if figure.canvas.manager is not None:  # made with pyplot: release it from pyplot's registry
        import matplotlib.pyplot as plt

        plt.close(figure)
    return buffer.getvalue()


# --- the document, as blocks ---------------------------------------------------------------

@dataclass(frozen=True)
class _Link:
    text: str
    anchor: str


@dataclass(frozen=True)
class _Badge:
    """A verdict: bold in Markdown, coloured in HTML."""

    outcome: str


_Cell = Union[str, _Link, _Badge]


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class _Fields:
    """Labelled one-line values."""

    items: list[tuple[str, str]]


@dataclass(frozen=True)
class _Text:
    """Prose from a claim (may hold Markdown; shown verbatim in HTML)."""

    text: str


@dataclass(frozen=True)
class _Table:
    header: list[str]
    rows: list[list[_Cell]]


@dataclass(frozen=True)
class _Image:
    name: str
    alt: str


_Block = Union[_Heading, _Fields, _Text, _Table, _Image]


def _document(report: Report, sections: list[_Section]) -> list[_Block]:
    meta = report.meta
    blocks: list[_Block] = [
        _Heading(1, "Verification report: implicit bias"),
        _Fields([("command", meta["command"]), ("commit", meta["commit"]), ("date", meta["date"]),
                 ("size", meta["size"]), ("measured on", meta["measured on"]),
                 ("machine", ", ".join(f"{key} {value}" for key, value in meta["machine"].items()))]),
        _Heading(2, "Summary", "summary"),
        _Table(["claim", "fidelity", "prediction", "measurement", "deviation", "verdict"],
               [[_Link(f"{s.evaluation.claim.id} {s.evaluation.claim.title}", _anchor(s)),
                 s.evaluation.claim.fidelity.value, s.evaluation.verdict.prediction,
                 s.evaluation.verdict.measurement, _deviation(s.evaluation.verdict.deviation,
                                                              s.evaluation.verdict.tolerance),
                 _Badge(s.evaluation.verdict.outcome.value)] for s in sections]),
    ]
    if not sections:
        blocks.append(_Text("No claim is registered yet."))
    else:
        blocks.insert(-1, _Text(_tally(sections)))
    paper = None
    for section in sections:
        # Claims come ordered by id, so one paper's claims are consecutive.
        if _paper(section) != paper:
            paper = _paper(section)
            blocks.append(_Heading(2, paper))
        blocks += _claim_blocks(section)
    return blocks


def _paper(section: _Section) -> str:
    """The paper a claim checks: its id's prefix and the first part of its source."""
    claim = section.evaluation.claim
    return f"{claim.id.split('-')[0]}: {claim.source.split(',')[0]}"


def _tally(sections: list[_Section]) -> str:
    """One line counting the verdicts, e.g. "12 claims: 10 holds, 1 deviates, 1 inconclusive"."""
    counts = Counter(s.evaluation.verdict.outcome.value for s in sections)
    shown = ", ".join(f"{counts[outcome.value]} {outcome.value}" for outcome in Outcome
                      if counts[outcome.value])
    return f"{len(sections)} claims: {shown}."


def _claim_blocks(section: _Section) -> list[_Block]:
    claim, verdict = section.evaluation.claim, section.evaluation.verdict
    blocks: list[_Block] = [
        _Heading(3, f"{claim.id}: {claim.title}", _anchor(section)),
        _Fields([("verdict", verdict.outcome.value), ("source", claim.source),
                 ("fidelity", claim.fidelity.value)]),
        _Heading(4, "Statement"), _Text(claim.statement),
    ]
    if claim.conventions:
        blocks += [_Heading(4, "Conventions"), _Text(claim.conventions)]
    blocks += [_Heading(4, "Derivation"), _Text(claim.derivation),
               _Heading(4, "Comparison"),
               _Fields([("prediction", verdict.prediction), ("measurement", verdict.measurement),
                        ("deviation", _deviation(verdict.deviation, verdict.tolerance)),
                        ("why", verdict.reason)])]
    if verdict.rows:
        blocks.append(_rows_table(verdict.rows))
    blocks.append(_Image(section.figure, f"{claim.id}: theory and numerics") if section.figure
                  else _Text(f"(No figure: {section.figure_note}.)"))
    if section.audit is not None:
        blocks += _audit_blocks(section.audit, section.audit_figure)
    return blocks


def _rows_table(rows: list[dict]) -> _Table:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    shown = [[_format(row.get(column, "")) for column in columns] for row in rows[:MAX_TABLE_ROWS]]
    if len(rows) > MAX_TABLE_ROWS:
        shown.append([f"… {len(rows) - MAX_TABLE_ROWS} more rows in results.json"]
                     + [""] * (len(columns) - 1))
    return _Table(columns, shown)


def _audit_blocks(audit: AuditResult, figure: str | None) -> list[_Block]:
    decay, limit = audit.decay, audit.extrapolation
    gamma = "—" if decay.gamma is None else (
        f"{decay.gamma:.4g}" + (f" (95 % CI [{decay.ci95[0]:.4g}, {decay.ci95[1]:.4g}])"
                                if decay.ci95 else ""))
    extrapolated = "—" if limit.value is None else (
        f"{limit.value:.4g} (95 % CI [{limit.ci95[0]:.4g}, {limit.ci95[1]:.4g}])")
    blocks: list[_Block] = [
        _Heading(4, "Finite-size audit"),
        _Table([audit.parameter, audit.quantity, "points", "note"],
               [[_format(rung.value), _format(rung.deviation), str(rung.points), rung.note]
                for rung in audit.rungs]),
        _Fields([("asymptote", f"{audit.asymptote:g}"),
                 ("decay exponent γ", f"{gamma}; {decay.note}"),
                 ("extrapolated limit", f"{extrapolated}; {limit.note}")]),
    ]
    if figure:
        blocks.append(_Image(figure, f"{audit.claim_id}: finite-size audit"))
    return blocks


def _anchor(section: _Section) -> str:
    return re.sub(r"[^a-z0-9-]", "-", section.evaluation.claim.id.lower())


def _deviation(deviation: float | None, tolerance: float | None) -> str:
    if deviation is None:
        return "—"
    return _format(deviation) + ("" if tolerance is None else f" (tol. {_format(tolerance)})")


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "—" if value is None else str(value)


# --- renderers -----------------------------------------------------------------------------

def _markdown(blocks: list[_Block]) -> str:
    def cell(value: _Cell) -> str:
        if isinstance(value, _Link):
            text = f"[{value.text}](#{value.anchor})"
        elif isinstance(value, _Badge):
            text = f"**{value.outcome}**"
        else:
            text = value
        return text.replace("|", "\\|").replace("\n", " ")

    parts = []
    for block in blocks:
        if isinstance(block, _Heading):
            anchor = f'<a id="{block.anchor}"></a>\n' if block.anchor else ""
            parts.append(f"{anchor}{'#' * block.level} {block.text}")
        elif isinstance(block, _Fields):
            parts.append("  \n".join(f"**{label}:** {value}" for label, value in block.items))
        elif isinstance(block, _Text):
            parts.append(block.text.strip())
        elif isinstance(block, _Table):
            lines = ["| " + " | ".join(map(cell, block.header)) + " |",
                     "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(map(cell, row)) + " |" for row in block.rows]
            parts.append("\n".join(lines))
        else:
            parts.append(f"![{block.alt}](figures/{block.name})")
    return "\n\n".join(parts) + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
.text { white-space: pre-wrap; }
img { max-width: 100%; }
.holds { color: #1a7f37; font-weight: bold; }
.deviates { color: #b35900; font-weight: bold; }
.inconclusive { color: #666; font-weight: bold; }
"""


def _html(blocks: list[_Block], pngs: dict[str, bytes]) -> str:
    escape = html.escape

    def cell(value: _Cell) -> str:
        if isinstance(value, _Link):
            return f'<a href="#{escape(value.anchor)}">{escape(value.text)}</a>'
        if isinstance(value, _Badge):
            return f'<span class="{escape(value.outcome)}">{escape(value.outcome)}</span>'
        return escape(value)

    parts = []
    for block in blocks:
        if isinstance(block, _Heading):
            anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
            parts.append(f"<h{block.level}{anchor}>{escape(block.text)}</h{block.level}>")
        elif isinstance(block, _Fields):
            parts.append("<dl>" + "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"
                                          for label, value in block.items) + "</dl>")
        elif isinstance(block, _Text):
            parts.append(f'<div class="text">{escape(block.text.strip())}</div>')
        elif isinstance(block, _Table):
            head = "".join(f"<th>{escape(name)}</th>" for name in block.header)
            body = "".join("<tr>" + "".join(f"<td>{cell(value)}</td>" for value in row) + "</tr>"
                           for row in block.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        else:
            data = base64.b64encode(pngs[block.name]).decode("ascii")
            parts.append(f'<figure><img alt="{escape(block.alt)}" '
                         f'src="data:image/png;base64,{data}"></figure>')
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>Verification report: implicit bias</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n")


def _results_json(report: Report, sections: list[_Section]) -> str:
    claims = []
    for section in sections:
        evaluation, claim = section.evaluation, section.evaluation.claim
        claims.append({
            "id": claim.id, "title": claim.title, "source": claim.source,
            "fidelity": claim.fidelity.value, "statement": claim.statement,
            "conventions": claim.conventions, "derivation": claim.derivation,
            "prediction": evaluation.prediction, "verdict": evaluation.verdict.to_json(),
            "results": [{"point": point, "measurement": measurement}
                        for point, measurement in evaluation.results],
            "failures": [{"point": point, "error": error} for point, error in evaluation.failures],
            "figure": f"figures/{section.figure}" if section.figure else None,
            "audit": None if section.audit is None else {
                **section.audit.to_json(),
                "figure": f"figures/{section.audit_figure}" if section.audit_figure else None},
        })
    data = {"meta": report.meta, "claims": claims}
    return json.dumps(jsondata.plain(data, strict=False), indent=1, ensure_ascii=False,
                      allow_nan=False) + "\n"

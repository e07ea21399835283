"""The verification report: every claim's verdict, the evidence, the audit.

:func:`build_report` measures (through the runner and store), judges and
audits; :func:`write_report` renders the result into a directory:

* ``index.html`` — for reading in a browser: formulas as MathML (rendered by
  the browser itself), inline CSS, figures shown from ``figures/`` beside it;
  no external asset, so the directory is self-contained;
* ``index.md`` — the same in Markdown (formulas as ``$…$`` LaTeX);
* ``figures/`` — each claim's theory-over-numerics figure and its audit
  figure, twice: ``NAME.png`` (what the documents show) and ``NAME.pdf``;
* ``results.json`` — everything above as data (standard JSON: non-finite
  numbers are written as the strings "nan", "inf", "-inf"; every sympy
  expression as an object with its text, structure, LaTeX and free symbols).

Figures for a paper: every figure of the report is also written as a vector
PDF, ``figures/<claim id>.pdf`` and ``figures/<claim id>-audit.pdf`` (the HTML
links each one under its figure).  The PDFs are cropped to the drawing, keep
their text as text and scale without loss, so they can be included directly,
e.g. ``\\includegraphics[width=\\linewidth]{figures/ZL-3.pdf}``; the PNGs
(110 dpi) are for screens only.

Both documents are rendered from one list of blocks, so they cannot say
different things.  The directory is written next to its target and swapped
in whole: a reader never sees a half-written report.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import numbers
import os
import re
import secrets
import shutil
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence, Union

import numpy as np
import sympy

from theory.prediction import Prediction
from verify import jsondata, provenance
from verify.audit import AuditResult, audit_from, audit_ladder
from verify.claim import AUDIT_SIZES, Claim, Outcome, Verdict
from verify.compare import Evaluation, check_size, evaluate
from verify.errors import BadInput
from verify.mathml import mathml
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
    check_size(size, claims)
    points = {claim.id: claim.points(size) for claim in claims}
    ladders = {claim.id: audit_ladder(claim, size) for claim in claims
               if claim.audit is not None and size in AUDIT_SIZES}
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
        files, sections = _render_figures(report)
        for name, content in files.items():
            (staging / "figures" / name).write_bytes(content)
        blocks = _document(report, sections)
        (staging / "index.md").write_text(_markdown(blocks), encoding="utf-8")
        (staging / "index.html").write_text(_html(blocks), encoding="utf-8")
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

# Each figure is written in every format: PNG for the documents, PDF (vector) for a paper.
FIGURE_FORMATS = ("png", "pdf")


@dataclass(frozen=True)
class _Section:
    """One claim's part of the report, with its figures' names (``figures/NAME.png``, ``.pdf``)."""

    evaluation: Evaluation
    audit: AuditResult | None
    figure: str | None
    figure_note: str
    audit_figure: str | None


def _render_figures(report: Report) -> tuple[dict[str, bytes], list[_Section]]:
    """The figures' files by name, and each claim's section naming its figures."""
    files: dict[str, bytes] = {}
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
                figure_name = stem
                files.update(_figure_files(figure, figure_name))
        audit = report.audits.get(claim.id)
        audit_name = None
        if audit is not None and audit.figure is not None:
            audit_name = f"{stem}-audit"
            files.update(_figure_files(audit.figure, audit_name))
        sections.append(_Section(evaluation, audit, figure_name, note, audit_name))
    return files, sections


def _figure_files(figure, name: str) -> dict[str, bytes]:
    """``figure`` as ``name.png`` and ``name.pdf``.

    Saved "tight": the saved area grows to hold every title and label, so a
    panel title wider than its panel is shown whole instead of being cut at
    the canvas edge.  The PDF carries no creation date, so an unchanged figure
    gives an unchanged file.
    """
    files = {}
    for extension in FIGURE_FORMATS:
        buffer = io.BytesIO()
        figure.savefig(buffer, format=extension, dpi=110, bbox_inches="tight", pad_inches=0.05,
                       metadata={"CreationDate": None} if extension == "pdf" else None)
        files[f"{name}.{extension}"] = buffer.getvalue()
    if figure.canvas.manager is not None:  # made with pyplot: release it from pyplot's registry
        import matplotlib.pyplot as plt

        plt.close(figure)
    return files


# --- the document, as blocks ---------------------------------------------------------------

@dataclass(frozen=True)
class _Link:
    text: str
    anchor: str


@dataclass(frozen=True)
class _Badge:
    """A verdict: bold in Markdown, coloured in HTML; a "holds" that rests on a
    finite-size allowance carries a marker, with the allowance as its tooltip."""

    outcome: str
    allowance: str = ""


@dataclass(frozen=True)
class _Math:
    """A sympy expression: MathML in HTML, ``$LaTeX$`` in Markdown."""

    expr: sympy.Basic


@dataclass(frozen=True)
class _Rich:
    """Text with formulas in it: a sequence of ``str`` and :class:`_Math`."""

    pieces: tuple


_Inline = Union[str, _Link, _Badge, _Math, _Rich]


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    anchor: str = ""
    back: bool = False  # a link back to the summary


@dataclass(frozen=True)
class _Fields:
    """Labelled one-line values."""

    items: list[tuple[str, _Inline]]


@dataclass(frozen=True)
class _Text:
    """Prose from a claim (may hold Markdown; shown verbatim in HTML)."""

    text: str


@dataclass(frozen=True)
class _List:
    """A bulleted list."""

    items: list[_Inline]


@dataclass(frozen=True)
class _Table:
    header: list[str]
    rows: list[list[_Inline]]


@dataclass(frozen=True)
class _Image:
    """A figure: ``figures/NAME.png`` shown, ``figures/NAME.pdf`` linked."""

    name: str
    alt: str


_Block = Union[_Heading, _Fields, _Text, _List, _Table, _Image]

ALLOWANCE_MARK = "†"
SUMMARY_HEADER = ["claim", "fidelity", "prediction", "measurement", "deviation vs. tolerance",
                  "evidence", "nearest alternative", "verdict"]
SUMMARY_KEY = (
    "deviation vs. tolerance: the claim's headline deviation beside the bound it is held to "
    "(what both measure is stated under “why” in the claim's section); a deviation above its "
    "tolerance makes the claim deviate.  evidence: proved (interval arithmetic encloses the "
    "truth), certified (solver residuals met their tolerances), sampled (checked at the listed "
    "points only).  nearest alternative: whether the measurement rejects the closest competing "
    f"prediction (NOT rejected: the data cannot tell the two apart).  {ALLOWANCE_MARK}: the "
    "claim holds within a finite-size allowance, stated below.")


def _document(report: Report, sections: list[_Section]) -> list[_Block]:
    meta = report.meta
    blocks: list[_Block] = [
        _Heading(1, "Verification report: implicit bias"),
        _Fields([("command", meta["command"]), ("commit", meta["commit"]), ("date", meta["date"]),
                 ("size", meta["size"]), ("measured on", meta["measured on"]),
                 ("machine", ", ".join(f"{key} {value}" for key, value in meta["machine"].items()))]),
        _Heading(2, "Summary", "summary"),
    ]
    if not sections:
        blocks.append(_Text("No claim is registered yet."))
    else:
        blocks += [_Text(_tally(sections)),
                   _Table(SUMMARY_HEADER, [_summary_row(section) for section in sections]),
                   _Text(SUMMARY_KEY)]
        allowances = [f"{s.evaluation.claim.id}: {_allowance(s.evaluation.verdict)}"
                      for s in sections if _allowance(s.evaluation.verdict)]
        if allowances:
            blocks += [_Text(f"{ALLOWANCE_MARK} Finite-size allowances:"), _List(allowances)]
    paper = None
    for section in sections:
        # Claims come ordered by id, so one paper's claims are consecutive.
        if _paper(section) != paper:
            paper = _paper(section)
            blocks.append(_Heading(2, paper))
        blocks += _claim_blocks(section)
    return blocks


def _summary_row(section: _Section) -> list[_Inline]:
    evaluation = section.evaluation
    claim, verdict = evaluation.claim, evaluation.verdict
    return [_Link(f"{claim.id} {claim.title}", _anchor(section)), claim.fidelity.value,
            _with_formulas(verdict.prediction, _formulas(evaluation.prediction)),
            verdict.measurement, _against_tolerance(verdict.deviation, verdict.tolerance),
            _name(verdict.evidence), _alternative_status(verdict),
            _Badge(verdict.outcome.value, _allowance(verdict))]


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
    evaluation = section.evaluation
    claim, verdict = evaluation.claim, evaluation.verdict
    blocks: list[_Block] = [
        _Heading(3, f"{claim.id}: {claim.title}", _anchor(section), back=True),
        _Fields([("verdict", _Badge(verdict.outcome.value, _allowance(verdict))),
                 ("evidence", _name(verdict.evidence)), ("source", claim.source),
                 ("fidelity", claim.fidelity.value)]),
        _Heading(4, "Statement"), _Text(claim.statement),
    ]
    if claim.conventions:
        blocks += [_Heading(4, "Conventions"), _Text(claim.conventions)]
    blocks += [_Heading(4, "Derivation"), _Text(claim.derivation)]
    theory = _prediction_rows(evaluation.prediction, "") if evaluation.prediction else []
    if theory:
        blocks += [_Heading(4, "Prediction (theory)"), _limited(["quantity", "theory"], theory)]
    comparison: list[tuple[str, _Inline]] = [
        ("prediction", _with_formulas(verdict.prediction, _formulas(evaluation.prediction))),
        ("measurement", verdict.measurement),
        ("deviation vs. tolerance", _against_tolerance(verdict.deviation, verdict.tolerance)),
        ("why", verdict.reason)]
    if verdict.alternative is not None:
        comparison.append(("nearest alternative", _alternative_text(verdict)))
    if _allowance(verdict):
        comparison.append(("finite-size allowance", _allowance(verdict)))
    blocks += [_Heading(4, "Comparison"), _Fields(comparison)]
    if verdict.diagnostics:
        blocks += [_Heading(4, "Diagnostics"), _List(list(verdict.diagnostics))]
    if verdict.rows:
        blocks.append(_rows_table(verdict.rows))
    blocks.append(_Image(section.figure, f"{claim.id}: theory and numerics") if section.figure
                  else _Text(f"(No figure: {section.figure_note}.)"))
    if section.audit is not None:
        blocks += _audit_blocks(section.audit, section.audit_figure)
    return blocks


def _rows_table(rows: list[dict]) -> _Table:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return _limited(columns, [[_format(row.get(column, "")) for column in columns] for row in rows])


def _limited(header: list[str], rows: list[list[_Inline]]) -> _Table:
    """A table of at most MAX_TABLE_ROWS rows, saying how many more results.json holds."""
    shown = rows[:MAX_TABLE_ROWS]
    if len(rows) > MAX_TABLE_ROWS:
        shown.append([f"… {len(rows) - MAX_TABLE_ROWS} more rows in results.json"]
                     + [""] * (len(header) - 1))
    return _Table(header, shown)


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


# --- the verdict's parts, as text ----------------------------------------------------------

def _against_tolerance(deviation: float | None, tolerance: float | None) -> str:
    """e.g. "-0.2672 ≤ 1e-40" or "4 > 0": the deviation, on which side of its tolerance."""
    if deviation is None:
        return "—"
    if tolerance is None:
        return _format(deviation)
    shown, bound = _format(deviation), _format(tolerance)
    if shown == bound and deviation != tolerance:  # 4 digits hide the difference: show it
        shown, bound = f"{deviation:.12g}", f"{tolerance:.12g}"
    return f"{shown} {'≤' if deviation <= tolerance else '>'} {bound}"


def _name(value) -> str:
    """An enum member's value (e.g. an :class:`~verify.claim.Evidence`), "—" for None."""
    return "—" if value is None else str(getattr(value, "value", value))


def _alternative_status(verdict: Verdict) -> str:
    alternative = verdict.alternative
    if alternative is None:
        return "—"
    return "rejected" if alternative.rejected else "NOT rejected"


def _alternative_text(verdict: Verdict) -> str:
    alternative = verdict.alternative
    return (f"{alternative.prediction}; measurement's deviation from it "
            f"{_format(alternative.deviation)}: {_alternative_status(verdict)}")


def _allowance(verdict: Verdict) -> str:
    return (verdict.allowance or "").strip()


def _format(value) -> str:
    """A table value as text: numbers to 4 significant digits, also inside
    lists (confidence intervals) and mappings; truth values as yes/no."""
    if value is None:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{float(value):.4g}"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {_format(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_format(item) for item in value) + "]"
    return str(value)


# --- the prediction's formulas --------------------------------------------------------------

def _prediction_rows(value, path: str) -> list[list[_Inline]]:
    """Every leaf of a claim's prediction as a row (quantity, theory); sympy
    expressions (also the parts of a :class:`Prediction`) as formulas."""
    if isinstance(value, Prediction):
        parts = value.expr.items() if value.is_structured else [("", value.expr)]
        return [[_path(path, key), _Math(expr)] for key, expr in parts]
    if isinstance(value, sympy.Basic):
        return [[path, _Math(value)]]
    if isinstance(value, Mapping):
        return [row for key, item in value.items() for row in _prediction_rows(item, _path(path, key))]
    if isinstance(value, (list, tuple)) and not all(isinstance(item, numbers.Number)
                                                    for item in value):
        return [row for index, item in enumerate(value)
                for row in _prediction_rows(item, f"{path} [{index + 1}]")]
    return [[path, _format(value)]]


def _path(path: str, key) -> str:
    return f"{path} › {key}" if path and key != "" else (path or str(key))


def _formulas(value) -> list[sympy.Basic]:
    """The compound sympy expressions in a claim's prediction (what its texts may quote)."""
    return [row[1].expr for row in _prediction_rows(value, "") if isinstance(row[1], _Math)
            and not row[1].expr.is_Atom] if value is not None else []


def _with_formulas(text: str, formulas: list[sympy.Basic]) -> _Inline:
    """``text`` with every formula of the prediction it quotes in sympy's
    notation (e.g. "q = z*asinh(z/2) - sqrt(z**2 + 4) + 2") shown as a formula.

    A quote counts only as a whole expression: not preceded or followed by
    more of a formula (a name, digit, operator or bracket), so a formula that
    is part of a longer one is left alone.
    """
    quoted = {str(expr): expr for expr in formulas if str(expr) in text}
    if not quoted:
        return text
    alternatives = "|".join(map(re.escape, sorted(quoted, key=len, reverse=True)))
    pattern = re.compile(rf"(?<![\w.*/^(])(?:{alternatives})(?![\w.*/^(])")
    pieces: list = []
    position = 0
    for match in pattern.finditer(text):
        pieces += [text[position:match.start()], _Math(quoted[match.group()])]
        position = match.end()
    if not pieces:
        return text
    return _Rich(tuple(piece for piece in [*pieces, text[position:]] if piece != ""))


# --- renderers -----------------------------------------------------------------------------

def _markdown(blocks: list[_Block]) -> str:
    def inline(value: _Inline) -> str:
        if isinstance(value, _Link):
            return f"[{value.text}](#{value.anchor})"
        if isinstance(value, _Badge):
            return f"**{value.outcome}**" + (f" {ALLOWANCE_MARK}" if value.allowance else "")
        if isinstance(value, _Math):
            return f"${sympy.latex(value.expr)}$"
        if isinstance(value, _Rich):
            return "".join(map(inline, value.pieces))
        return value

    def cell(value: _Inline) -> str:
        return inline(value).replace("|", "\\|").replace("\n", " ")

    parts = []
    for block in blocks:
        if isinstance(block, _Heading):
            anchor = f'<a id="{block.anchor}"></a>\n' if block.anchor else ""
            back = "\n\n[↑ summary](#summary)" if block.back else ""
            parts.append(f"{anchor}{'#' * block.level} {block.text}{back}")
        elif isinstance(block, _Fields):
            parts.append("  \n".join(f"**{label}:** {inline(value)}" for label, value in block.items))
        elif isinstance(block, _Text):
            parts.append(block.text.strip())
        elif isinstance(block, _List):
            parts.append("\n".join(f"* {inline(item)}" for item in block.items))
        elif isinstance(block, _Table):
            lines = ["| " + " | ".join(map(cell, block.header)) + " |",
                     "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(map(cell, row)) + " |" for row in block.rows]
            parts.append("\n".join(lines))
        else:
            parts.append(f"![{block.alt}](figures/{block.name}.png)  \n"
                         f"[vector PDF](figures/{block.name}.pdf)")
    return "\n\n".join(parts) + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #222; }
.table-box { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; }
figure { margin: 1rem 0; }
img { max-width: 100%; height: auto; }
figcaption, a.back { font-size: 0.85rem; font-weight: normal; }
a.back { margin-left: 1rem; }
/* a font with an OpenType MATH table draws stretchy brackets and radicals; the first one
   installed is used (macOS: STIX Two Math, Windows: Cambria Math, Linux: the TeX Gyre ones) */
math { font-size: 1.1em; font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math",
       "DejaVu Math TeX Gyre", math; }
.holds { color: #1a7f37; font-weight: bold; }
.deviates { color: #b35900; font-weight: bold; }
.inconclusive { color: #666; font-weight: bold; }
"""


def _html(blocks: list[_Block]) -> str:
    escape = html.escape

    def inline(value: _Inline) -> str:
        if isinstance(value, _Link):
            return f'<a href="#{escape(value.anchor)}">{escape(value.text)}</a>'
        if isinstance(value, _Badge):
            badge = f'<span class="{escape(value.outcome)}">{escape(value.outcome)}</span>'
            if value.allowance:
                badge += (f' <abbr title="finite-size allowance: {escape(value.allowance)}">'
                          f"{ALLOWANCE_MARK}</abbr>")
            return badge
        if isinstance(value, _Math):
            return mathml(value.expr)
        if isinstance(value, _Rich):
            return "".join(map(inline, value.pieces))
        return escape(value)

    parts = []
    for block in blocks:
        if isinstance(block, _Heading):
            anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
            back = '<a class="back" href="#summary">↑ summary</a>' if block.back else ""
            parts.append(f"<h{block.level}{anchor}>{escape(block.text)}{back}</h{block.level}>")
        elif isinstance(block, _Fields):
            parts.append("<dl>" + "".join(f"<dt>{escape(label)}</dt><dd>{inline(value)}</dd>"
                                          for label, value in block.items) + "</dl>")
        elif isinstance(block, _Text):
            parts.append(f'<div class="text">{escape(block.text.strip())}</div>')
        elif isinstance(block, _List):
            parts.append("<ul>" + "".join(f"<li>{inline(item)}</li>" for item in block.items)
                         + "</ul>")
        elif isinstance(block, _Table):
            head = "".join(f"<th>{escape(name)}</th>" for name in block.header)
            body = "".join("<tr>" + "".join(f"<td>{inline(value)}</td>" for value in row) + "</tr>"
                           for row in block.rows)
            # the box scrolls sideways when the table is wider than the page
            parts.append(f'<div class="table-box"><table><thead><tr>{head}</tr></thead>'
                         f"<tbody>{body}</tbody></table></div>")
        else:
            name = escape(block.name)
            parts.append(f'<figure><img alt="{escape(block.alt)}" src="figures/{name}.png" '
                         f'loading="lazy"><figcaption>{escape(block.alt)} · '
                         f'<a href="figures/{name}.pdf">vector PDF</a></figcaption></figure>')
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
            "figure": _figure_paths(section.figure),
            "audit": None if section.audit is None else {
                **section.audit.to_json(), "figure": _figure_paths(section.audit_figure)},
        })
    data = {"meta": report.meta, "claims": claims}
    return json.dumps(jsondata.plain(data, strict=False), indent=1, ensure_ascii=False,
                      allow_nan=False) + "\n"


def _figure_paths(name: str | None) -> dict | None:
    """Where a figure's files are, by format (e.g. ``{"png": "figures/KR-1.png", …}``)."""
    return None if name is None else {extension: f"figures/{name}.{extension}"
                                      for extension in FIGURE_FORMATS}

"""The verifier's commands: ``list``, ``run``, ``report``, ``audit``, ``formula``.

:func:`add_commands` adds them to the ``python -m verify`` parser.  Bad input
(:class:`~verify.errors.BadInput`: an unknown claim id, an unwritable output,
an unreachable scheduler) ends a command with one line on stderr that names
the fix, and exit status 2.  A command whose measurements raised at some
points still prints or writes its verdicts, and exits with status 1.

The modules behind the commands (matplotlib, scipy, the claims) are imported
when a command runs, so that ``--help`` and usage errors answer at once.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

from verify.claim import SIZES
from verify.errors import BadInput

PROG = "python -m verify"
DEFAULT_STORE = Path("reports") / "results.sqlite"
DEFAULT_OUT = Path("reports") / "latest"
EXIT_MEASUREMENT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's code for a SIGINT
CELL_WIDTH = 48  # characters per cell of a printed table; the report has the full text


def add_commands(subparsers) -> None:
    """Register the verifier's commands on the ``python -m verify`` subparsers;
    each sets ``handler(args, argv) -> exit status``."""
    listing = subparsers.add_parser("list", help="list the registered claims")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_claims_option(listing)
    listing.set_defaults(handler=_guarded("list", _list))

    run = subparsers.add_parser("run", help="measure claims and print their verdicts")
    run.add_argument("ids", nargs="*", metavar="ID", help="claim ids (default: all)")
    _add_measurement_options(run)
    run.add_argument("--json", action="store_true", help="print JSON, no progress line")
    run.set_defaults(handler=_guarded("run", _run))

    report = subparsers.add_parser("report", help="measure, judge, audit and write a report")
    report.add_argument("ids", nargs="*", metavar="ID", help="claim ids (default: all)")
    _add_measurement_options(report)
    report.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help="report directory; an earlier report there is replaced whole "
                             "(default: %(default)s)")
    report.set_defaults(handler=_guarded("report", _report))

    audit = subparsers.add_parser("audit", help="the finite-size audit of one claim")
    audit.add_argument("id", metavar="ID", help="claim id")
    _add_measurement_options(audit)
    audit.add_argument("--json", action="store_true", help="print JSON, no progress line")
    audit.set_defaults(handler=_guarded("audit", _audit))

    show = subparsers.add_parser(
        "show", help="one claim: statement, conventions, source, fidelity, last verdict")
    show.add_argument("id", metavar="ID", help="claim id")
    show.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="PATH",
                      help="result store to read the last verdict from (default: %(default)s)")
    _add_claims_option(show)
    show.set_defaults(handler=_guarded("show", _show))

    formula = subparsers.add_parser(
        "formula", help="show a derived formula at chosen parameters, with its numeric check",
        description="Without NAME: list the formula views.  With NAME: the formulas theory "
                    "derives at the given parameters (KEY=VALUE; defaults otherwise) and their "
                    "check against an independent computation; exit status 1 if a check fails.")
    formula.add_argument("name", nargs="?", metavar="NAME", help="a formula view, e.g. q_D")
    formula.add_argument("assignments", nargs="*", metavar="KEY=VALUE",
                         help="parameter values, e.g. D=4")
    formula.add_argument("--all", action="store_true",
                         help="print every prediction theory registers, by claim")
    formula.add_argument("--no-check", action="store_true", help="skip the numeric check")
    formula.add_argument("--json", action="store_true", help="print JSON")
    formula.add_argument("--prove", action="store_true",
                         help="also prove each check row that has a proof on a range, in ball "
                              "arithmetic (a proven bound, not a sample); others say 'checked "
                              "at this point'")
    formula.set_defaults(handler=_guarded("formula", _formula))


def _add_measurement_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", choices=SIZES, default="quick",
                        help="quick (minutes), full (reports/full/, ~25 min on 2 cores) "
                             "or paper (the paper's own experiment size, for a cluster; "
                             "only the claims that define it); default: %(default)s")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="measure on the Dask cluster at ADDRESS (default: local processes)")
    parser.add_argument("--workers", type=_positive_int, metavar="N",
                        help="local worker processes (default: one per CPU)")
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE, metavar="PATH",
                        help="result store, reused across runs so that they resume "
                             "(default: %(default)s)")
    _add_claims_option(parser)


def _add_claims_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--claims", action="append", default=[], metavar="MODULE_OR_PATH",
                        help="also register the claims of this module name or .py file "
                             "(repeatable; like the VERIFY_CLAIM_MODULES variable)")


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return int(text)


def _guarded(name: str, command):
    """Turn bad input into one line on stderr and exit status 2, and an
    interrupt into a line saying how to resume."""
    def handler(args: argparse.Namespace, argv: list[str]) -> int:
        try:
            if getattr(args, "claims", None):
                from verify import claims

                claims.use_modules(args.claims)
            return command(args, argv)
        except BadInput as error:
            print(f"{PROG} {name}: error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except KeyboardInterrupt:
            # on a terminal, first end the progress line that is being redrawn in place
            print(("\n" if sys.stderr.isatty() else "")
                  + f"{PROG} {name}: interrupted; finished points are in the store, so the "
                  "same command resumes where this one stopped", file=sys.stderr)
            return EXIT_INTERRUPTED
    return handler


def _execution(args: argparse.Namespace, quiet: bool = False):
    from verify.runner import Execution

    return Execution(workers=args.workers, scheduler=args.scheduler, progress=not quiet)


def _selected(ids: list[str], size: str | None = None):
    """The named claims, or (no ids) every registered claim that defines ``size``."""
    from verify import claims

    if ids:
        return [claims.get_claim(claim_id) for claim_id in ids]
    return [claim for claim in claims.all_claims() if size is None or size in claim.sizes]


def _list(args: argparse.Namespace, argv: list[str]) -> int:
    rows = [{"id": claim.id, "title": claim.title, "source": claim.source,
             "fidelity": claim.fidelity.value, "audit": claim.audit is not None,
             "sizes": list(claim.sizes)} for claim in _selected([])]
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
    elif not rows:
        print("no claims are registered yet")
    else:
        _print_table(["id", "title", "source", "fidelity", "audit", "sizes"],
                     [[row["id"], row["title"], row["source"], row["fidelity"],
                       "yes" if row["audit"] else "", ", ".join(row["sizes"])]
                      for row in rows])
    return 0


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    from verify import jsondata
    from verify.claim import Outcome
    from verify.compare import evaluate_claims
    from verify.store import ResultStore

    selected = _selected(args.ids, args.size)
    if not selected:
        print(f"no registered claim defines size {args.size!r}")
        return 0
    with ResultStore(args.store) as store:
        evaluations = evaluate_claims(selected, args.size, store, _execution(args, quiet=args.json))
    if args.json:
        print(json.dumps(jsondata.plain([{
            "id": e.claim.id, "title": e.claim.title, "fidelity": e.claim.fidelity.value,
            "size": e.size, "prediction": e.prediction, "verdict": e.verdict.to_json(),
            "failures": [{"point": point, "error": error} for point, error in e.failures],
        } for e in evaluations], strict=False), indent=1, ensure_ascii=False))
    else:
        _print_table(["claim", "fidelity", "prediction", "measurement", "deviation", "verdict"],
                     [[e.claim.id, e.claim.fidelity.value, e.verdict.prediction,
                       e.verdict.measurement, _number(e.verdict.deviation), e.verdict.outcome.value]
                      for e in evaluations])
        # a verdict other than "holds" is read for its reason, which the table has no room for
        not_holding = [e for e in evaluations if e.verdict.outcome is not Outcome.HOLDS]
        if not_holding:
            print()
        for e in not_holding:
            print(f"{e.claim.id} {e.verdict.outcome.value}: {' '.join(e.verdict.reason.split())}")
    return EXIT_MEASUREMENT_FAILED if any(e.failures for e in evaluations) else 0


def _report(args: argparse.Namespace, argv: list[str]) -> int:
    from verify.report import build_report, check_output, write_report
    from verify.store import ResultStore

    selected = _selected(args.ids, args.size)
    if not selected:
        raise BadInput(f"no registered claim defines size {args.size!r}; nothing to report")
    check_output(args.out)  # before measuring: a bad --out must not cost a run
    with ResultStore(args.store) as store:
        report = build_report(selected, args.size, store, f"{PROG} {shlex.join(argv)}",
                              _execution(args))
    out = write_report(report, args.out)
    print(f"report written to {out}", file=sys.stderr)
    return EXIT_MEASUREMENT_FAILED if any(e.failures for e in report.evaluations) else 0


def _audit(args: argparse.Namespace, argv: list[str]) -> int:
    from verify import claims, jsondata
    from verify.audit import audit_claim
    from verify.store import ResultStore

    claim = claims.get_claim(args.id)
    with ResultStore(args.store) as store:
        result = audit_claim(claim, args.size, store, _execution(args, quiet=args.json))
    if args.json:
        print(json.dumps(jsondata.plain(result.to_json(), strict=False), indent=1,
                         ensure_ascii=False))
        return 0
    # the quantity is a sentence, too long for a column header: it heads the table instead
    print(f"{claim.id} audit ({args.size}): deviation = {result.quantity}, along {result.parameter}")
    _print_table([result.parameter, "deviation", "points", "note"],
                 [[_number(rung.value), _number(rung.deviation), str(rung.points), rung.note]
                  for rung in result.rungs])
    # γ assumes the asymptote; the extrapolation fits its own exponent, γ_fit (verify.audit)
    for label, value, ci, note in [
            (f"decay exponent γ (deviation − asymptote ∝ {result.parameter}^−γ)",
             result.decay.gamma, result.decay.ci95, result.decay.note),
            ("extrapolated limit", result.extrapolation.value, result.extrapolation.ci95,
             result.extrapolation.note)]:
        interval = f", 95 % CI [{_number(ci[0])}, {_number(ci[1])}]" if ci else ""
        print(f"{label}: {_number(value)}{interval} ({note})")
    return 0


def _show(args: argparse.Namespace, argv: list[str]) -> int:
    from verify import claims, provenance
    from verify.compare import evaluate
    from verify.runner import Measurements
    from verify.store import ResultStore

    claim = claims.get_claim(args.id)
    print(f"{claim.id}: {claim.title}\n")
    for label, text in [("statement", claim.statement), ("conventions", claim.conventions or "—"),
                        ("source", claim.source), ("fidelity", claim.fidelity.value),
                        ("derivation", claim.derivation)]:
        print(f"{label}: {' '.join(str(text).split())}")
    verdicts = []
    if args.store.exists():
        with ResultStore(args.store) as store:
            version = provenance.code_version(claim)
            for size in claim.sizes:
                try:
                    points = claim.points(size)
                except BadInput:     # a user's claim may define only some sizes
                    continue
                stored = store.lookup(claim.id, points, version)
                if points and len(stored) == len(points):
                    evaluation = evaluate(claim, size, points, Measurements(claim.id, stored))
                    verdicts.append((size, evaluation.verdict))
    if not verdicts:
        print(f"\nlast verdict: not measured yet (at this code version, in {args.store}); "
              f"run `{PROG} run {claim.id}`")
    for size, verdict in verdicts:
        print(f"\nlast verdict ({size}, from {args.store}): {verdict.outcome.value}: "
              f"{verdict.measurement} — {' '.join(verdict.reason.split())}")
    return 0


def _formula(args: argparse.Namespace, argv: list[str]) -> int:
    from verify.formula import all_views, find_view

    if args.all:
        if args.name:
            raise BadInput("--all prints every prediction; give either NAME or --all")
        return _all_predictions(args.json)
    if not args.name:
        views = all_views()
        if args.json:
            print(json.dumps([{"name": view.name, "title": view.title, "claims": list(view.claims),
                               "parameters": {key: {"default": parameter.default,
                                                    "help": parameter.help}
                                              for key, parameter in view.parameters.items()}}
                              for view in views], indent=2, ensure_ascii=False))
            return 0
        _print_table(["NAME", "PARAMETERS", "CLAIMS", "WHAT"],
                     [[view.name, " ".join(f"{key}={parameter.default}"
                                           for key, parameter in view.parameters.items()),
                       ", ".join(view.claims), view.title] for view in views])
        print(f"\n{PROG} formula NAME [KEY=VALUE …] shows one; --all prints every prediction")
        return 0
    view = find_view(args.name)
    values = view.resolve(args.assignments)
    try:
        derived = view.derive(values)
        rows = [] if args.no_check or view.check is None else view.check(values)
    except (ValueError, ArithmeticError) as error:
        # some errors carry no message (ZeroDivisionError from sympy): name the kind at least
        raise BadInput(f"formula {view.name!r} at {_assignments(values)}: "
                       f"{error or type(error).__name__}") from error
    failed = sum(not row.passed for row in rows)
    proofs = [row.prove() if args.prove and row.prove is not None else None for row in rows]
    if args.json:
        print(json.dumps({"name": view.name, "title": view.title, "parameters":
                          {key: str(value) for key, value in values.items()},
                          "formulas": [p.to_json() for p in derived],
                          "check": [{**row.to_json(), **({"proof": proof and proof.to_json()}
                                                         if args.prove else {})}
                                    for row, proof in zip(rows, proofs)]},
                         indent=2, ensure_ascii=False, allow_nan=False))
    else:
        claims = f" (claims {', '.join(view.claims)})" if view.claims else ""
        print(f"{view.name}: {view.title}{claims}\nat {_assignments(values)}\n")
        for prediction in derived:
            print(prediction.describe() + "\n")
        if rows:
            print("numeric check: the formula against an independent computation")
            _print_table(["AT", "FORMULA", "INDEPENDENT", "REL. DIFF.", "TOLERANCE", ""],
                         [[row.at, _digits_of(row.formula), _digits_of(row.independent),
                           f"{row.relative_difference:.2g}", f"{row.tolerance:.2g}",
                           "ok" if row.passed else "FAIL"] for row in rows])
            print()
            for text in dict.fromkeys(f"independent value: {row.method}" for row in rows):
                print(text)
            for text in dict.fromkeys(f"tolerance ({row.at.split(',')[0]}): {row.reason}"
                                      for row in rows):
                print(text)
            print(f"\n{len(rows) - failed} of {len(rows)} checks pass"
                  + (f"; {failed} FAIL" if failed else ""))
            if args.prove:
                _print_proofs(rows, proofs)
    return EXIT_MEASUREMENT_FAILED if failed else 0


def _print_proofs(rows, proofs) -> None:
    """``formula --prove``: per row, proved on a range (with the cost) or only checked."""
    print("\nproofs in ball arithmetic (Arb): proved on a range vs checked at one point")
    for row, proof in zip(rows, proofs):
        if proof is None:
            print(f"  {row.at}: checked at this point only (no proof for this row)")
            continue
        at_point = ""
        if proof.bound is not None:
            relative = proof.bound / abs(float(row.independent))
            at_point = f"; here ≤ {proof.bound:.3g} ({relative:.2g} relative)"
        print(f"  {row.at}: {proof.status} — {proof.statement}{at_point} "
              f"[{proof.boxes} boxes, {proof.seconds:.2g} s]")


def _all_predictions(as_json: bool) -> int:
    import theory

    listed = theory.formulas()
    if as_json:
        print(json.dumps({name: p.to_json() for name, p in listed.items()}, indent=2,
                         ensure_ascii=False))
    else:
        for name, prediction in listed.items():
            print(f"{name}: {prediction}")
    return 0


def _assignments(values: Mapping) -> str:
    return " ".join(f"{key}={value}" for key, value in values.items()) or "no parameters"


def _digits_of(value) -> str:
    import mpmath

    return mpmath.nstr(mpmath.mpf(value), 12)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    """A plain-text table on stdout, body cells cut to CELL_WIDTH characters."""
    def cut(text: str) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…"

    # headers are never cut: they are the key to reading a column
    cells = [[" ".join(text.split()) for text in header]] + [[cut(text) for text in row]
                                                             for row in rows]
    widths = [max(len(row[column]) for row in cells) for column in range(len(header))]
    for row in cells:
        print("  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip())

"""Command line: ``python -m verify <command>``.

Commands: ``bench`` (the solver benchmark, :mod:`verify.bench`); ``list``,
``run``, ``report``, ``audit`` and ``formula`` (the verifier,
:mod:`verify.commands`).  Bad input (an unknown command, option or claim id, an
unwritable ``--out``) ends with a one-line message on stderr and exit status
2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys

from .commands import PROG, add_commands

# the scale-out bench's claims: 285 points at size quick, ~70 s of measure on one core, the
# long ones first and the many short ones last (workers take tasks in the order submitted:
# long ones last would leave one worker idle while the other finishes them)
DASK_CLAIMS = ("KR-10", "KR-13", "KR-11", "KR-9", "KR-4", "SM-3", "KR-5")


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (argparse's default also prints the usage block)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _fail(message):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _bench(args, argv):
    if args.dask:
        return _scaleout(args)
    from . import bench   # imported here: numerics and scipy are slow to load for --help

    try:
        bench.prepare_output_dir(args.out)
    except OSError as exc:
        return _fail(f"cannot write to --out {args.out!r}: {exc.strerror or exc}")
    results = bench.run_benchmark(quick=args.quick, command=f"{PROG} {shlex.join(argv)}",
                                  progress=bench.stderr_progress)
    try:
        paths = bench.write_reports(results, args.out)
    except OSError as exc:
        return _fail(f"cannot write the reports under {args.out!r}: {exc.strerror or exc}")
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(bench.summary(results))
        print("wrote " + " and ".join(paths))
    return 0


def _scaleout(args):
    from . import scaleout
    from .errors import BadInput

    ids = [text.strip() for text in args.dask_claims.split(",") if text.strip()]
    try:
        result = scaleout.measure_scaleout(ids, workers=args.dask_workers,
                                           progress=not args.json)
    except BadInput as error:
        return _fail(str(error))
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json
          else scaleout.summary(result))
    return 0


def build_parser():
    parser = _Parser(prog=PROG, description="Verification toolkit for implicit bias in "
                                            "overparameterized linear regression.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command",
                                     parser_class=_Parser)
    bench = commands.add_parser(
        "bench", help="benchmark the solvers against CVXPY, the min-ℓ2 floor and GD",
        description="Benchmark the solvers (one BLAS thread, medians of repeats) and write "
                    "bench.md and bench.json.")
    bench.add_argument("--out", default="reports/bench", metavar="DIR",
                       help="directory for bench.md and bench.json (default: %(default)s)")
    bench.add_argument("--quick", action="store_true",
                       help="small sizes and few repeats (seconds; for tests)")
    bench.add_argument("--json", action="store_true",
                       help="print the results as JSON instead of the table")
    bench.add_argument("--dask", action="store_true",
                       help="instead: measure Dask scale-out (verify.scaleout), the same claims "
                            "in local processes and on LocalClusters of 1 and N workers")
    bench.add_argument("--dask-claims", default=",".join(DASK_CLAIMS), metavar="IDS",
                       help="with --dask: comma-separated claim ids (default: %(default)s)")
    bench.add_argument("--dask-workers", type=int, default=2, metavar="N",
                       help="with --dask: the larger cluster's workers (default: %(default)s)")
    bench.set_defaults(handler=_bench)
    add_commands(commands)
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    return args.handler(args, argv)


if __name__ == "__main__":
    sys.exit(main())

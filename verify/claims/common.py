"""What every claim module needs, written once: certified values, the verdict
on a table of judged rows, figure panels.  (Means with confidence intervals
are :func:`numerics.fits.mean_ci`.)

A measurement that meets an uncertified solve raises :class:`Uncertified`;
the runner stores the failure with its message and the claim's comparison
reports the point as not judged (never as a good value).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from verify.claim import Outcome, Verdict

__all__ = ["Uncertified", "certified", "verdict_on_rows", "panels", "log_floor"]


class Uncertified(RuntimeError):
    """A solver did not certify its answer, so the point cannot be measured."""


def certified(solution, what):
    """The value of a certified solution; :class:`Uncertified` (naming ``what``
    and the solver's status message) otherwise."""
    if not solution.ok:
        raise Uncertified(f"{what}: {solution.message}")
    return solution.value


def verdict_on_rows(rows, problems, prediction_text, measured_text, tolerance, reason):
    """The verdict on ``rows`` (each with its ``deviation`` and ``tolerance``).

    With one shared ``tolerance`` the headline is the worst deviation; with
    ``tolerance=None`` (rows held to tolerances of their own) it is the worst
    deviation/tolerance ratio, held to 1.  A row beyond its tolerance makes the
    claim deviate even when other points could not be judged (``problems``);
    otherwise an unjudged point makes it inconclusive.
    """
    if tolerance is None:
        deviation, tolerance = max((row["deviation"] / row["tolerance"] for row in rows),
                                   default=None), 1.0
    else:
        deviation = max((row["deviation"] for row in rows), default=None)
    unjudged = (f"{len(problems)} point(s) could not be judged: " + "; ".join(problems[:5])
                if problems else "")
    if deviation is not None and deviation > tolerance:
        outcome = Outcome.DEVIATES
    elif problems or deviation is None:
        outcome = Outcome.INCONCLUSIVE
        reason = unjudged or "no point was measured"
    else:
        outcome = Outcome.HOLDS
    if problems and outcome is Outcome.DEVIATES:
        reason = f"{reason}. Besides, {unjudged}"
    return Verdict(outcome, prediction_text, measured_text, deviation, tolerance, reason, rows)


def panels(count):
    """A figure with ``count`` axes, in two rows when there are more than three."""
    rows = 1 if count <= 3 else 2
    columns = -(-count // rows)
    figure = Figure(figsize=(4.6 * columns, 3.8 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for spare in axes[count:]:
        spare.set_visible(False)
    return figure, axes[:count]


def log_floor(values, floor=1e-17):
    """Values for a log axis: magnitudes, exact zeros drawn at ``floor``."""
    return np.maximum(np.abs(np.asarray(values, dtype=float)), floor)

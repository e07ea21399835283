"""Results as data: every solver returns a :class:`Solution`.

A solution carries the computed vector, a :class:`Certificate` that says how
well it satisfies its optimality conditions, and a :class:`Status` whose value
is the message a user reads.  ``Solution.ok`` is true only when the
certificate met the requested tolerance; a solver never returns an
uncertified vector as if it were good.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Status(enum.Enum):
    """Outcome of a solve; the value says what happened (the cause).

    What to do about it depends on the solver's own arguments, so the remedy
    is not here: each solver puts it in :attr:`Solution.advice`, and
    :attr:`Solution.message` reads the two together.
    """

    SUCCESS = "converged: the certificate meets the requested tolerance"
    MAX_ITERATIONS = "stopped at the iteration limit before the certificate met the tolerance"
    TIME_LIMIT = "the integration reached its end time before the residual met the tolerance"
    STAGNATED = (
        "no step could decrease the objective any further before the certificate met the "
        "tolerance: rounding at the working precision dominates the remaining progress")
    BREAKDOWN = (
        "the solve broke down: a non-finite value, a singular system, or (for an ODE) a "
        "step below float64's spacing of t")
    LP_FAILED = "the linear program behind the l1 solve did not report an optimal vertex"
    CERTIFICATE_FAILED = "the solve finished but its certificate does not meet the tolerance"
    DIVERGED = "the iteration diverged (non-finite or growing loss)"
    INFEASIBLE = (
        "no interpolant exists in the potential's domain: the dual objective decreases "
        "without bound along a ray, so y is not Xβ for any β the link can reach")
    NOT_UNIQUE = (
        "the minimiser is not unique: the value is one minimiser, certified optimal, but no "
        "dual certificate is strictly complementary (ρ = 1), so others exist and limits "
        "such as α → 0 of a diagonal network may pick a different one")

    @property
    def message(self) -> str:
        return self.value


@dataclass(frozen=True)
class Certificate:
    """What was verified about a solution, in the working precision.

    primal_residual
        ``‖Xw − y‖₂ / ‖y‖₂``.
    optimality_residual
        The relative residual of the optimality (KKT or dual) conditions; its
        meaning for each solver is stated in ``optimality_condition``.
    tolerance
        What both residuals had to meet for ``Status.SUCCESS``.
    iterations
        Newton/simplex/integration steps taken (all stages summed).
    precision
        Decimal digits of the arithmetic used (about 15.95 for float64).
    details
        Solver-specific figures (e.g. the dual vector's sup-norm for l1,
        the number of continuation stages, linear-solve statistics).
    """

    primal_residual: float
    optimality_residual: float
    optimality_condition: str
    tolerance: float
    iterations: int
    precision: float
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def kkt_residual(self) -> float:
        """The larger of the primal and optimality residuals."""
        return max(self.primal_residual, self.optimality_residual)

    @property
    def satisfied(self) -> bool:
        return self.kkt_residual <= self.tolerance


@dataclass(frozen=True)
class Problem:
    """What a solver solved, so that a later check (:func:`numerics.enclose`)
    needs nothing but the data and the Solution.

    kind
        ``"l2"``, ``"lp"``, ``"l1"``, ``"potential"`` or ``"dln"``.
    parameters
        ``p`` (lp); ``potential`` (the :class:`~numerics.potentials.Potential`
        object, potential); ``alpha`` as the caller gave it, ``depth`` and
        ``convention`` (dln).
    """

    kind: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Solution:
    """A solver's answer: ``value`` with its ``certificate`` and ``status``.

    ``dual`` is the dual vector (n entries) where the solver has one; ``value``
    and ``dual`` are numpy arrays of float64, or of mpmath ``mpf`` numbers
    (dtype object) when the solve ran at ``precision=k``.  ``advice`` names the
    remedy for a failed solve in terms of that solver's own arguments (empty on
    success); ``message`` is the status's cause followed by it.  ``problem``
    records what was solved (a :class:`Problem`; ``None`` for solvers without a
    dual).
    """

    value: Any
    certificate: Certificate
    status: Status
    dual: Any = None
    stats: dict[str, Any] = field(default_factory=dict)
    advice: str = ""
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.SUCCESS

    @property
    def message(self) -> str:
        """The status's cause and, when the solve failed, the solver's remedy."""
        return f"{self.status.value}; {self.advice}" if self.advice else self.status.value

    def __repr__(self) -> str:  # short: arrays are long
        c = self.certificate
        return (
            f"Solution(status={self.status.name}, primal_residual={c.primal_residual:.2e}, "
            f"optimality_residual={c.optimality_residual:.2e}, iterations={c.iterations}, "
            f"precision={c.precision:.3g} digits)"
        )

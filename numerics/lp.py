"""HiGHS on the toolkit's dense linear programs, with or without its presolve.

Their constraint matrices are dense, and HiGHS's presolve may find nothing to
remove while costing most of the solve: for ρ's certificate LP
(:func:`numerics.null_space.certificate_constant`, 2(d − |S|) dense rows) it
took 20 s of 20.4 s at n = 200, d = 4000 with a noisy y, and without it the LP
solved in 3.7 s to the same bracket (2–6× faster on Gaussian designs, n =
20–200, d = 60–4000; measured).  A result the caller does not
accept is solved again with presolve.

The ℓ1 vertex LP (:func:`numerics.min_l1_interpolant`) keeps presolve: its
dual at duplicate columns, which presolve merges and reports exactly, is
what certifies a NOT_UNIQUE interpolant at 40 digits (without presolve the
float64 dual misses by 2e-17); it was also only 1.2–4× faster without.
"""

from __future__ import annotations

from typing import Callable

import scipy.optimize

__all__ = ["dense_linprog"]


def dense_linprog(cost, *, options: dict | None = None,
                  accept: Callable[[scipy.optimize.OptimizeResult], bool] | None = None,
                  **problem) -> scipy.optimize.OptimizeResult:
    """``scipy.optimize.linprog(cost, **problem)`` without HiGHS's presolve, and again
    with it when ``accept(result)`` is False (default: the LP did not solve).  The
    result's ``presolve`` attribute says which run it is.

    >>> res = dense_linprog([1.0, 1.0], A_eq=[[1.0, 2.0]], b_eq=[2.0], bounds=(0, None),
    ...                     method="highs-ds")
    >>> res.status, res.presolve, res.x.round(12).tolist()
    (0, False, [0.0, 1.0])
    """
    accept = accept or (lambda result: result.status == 0)
    for setting in (False, True):
        res = scipy.optimize.linprog(cost, options={**(options or {}), "presolve": setting},
                                     **problem)
        res.presolve = setting
        if accept(res):
            break
    return res

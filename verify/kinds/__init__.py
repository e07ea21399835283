"""Claim kinds: the comparisons that recur, each owning its fit, verdict,
reason, nearest alternative, figure and audit, so that a claim — built-in or
a user's — is data plus a measurement function and a prediction.

==============  ===========================================================
kind            the statement
==============  ===========================================================
``Formula``     a formula equals an independent computation (tolerance:
                working precision or a truncation bound)
``ScalingLaw``  quantity ∝ size^e (per-seed slopes, Student-t interval,
                finite-size range theory allows, audit of the gap along size)
``Elbow``       a log-log curve breaks at a predicted location
``Bound``       lhs ≤ rhs over a stated range (sampled, or proved on boxes)
``Rate``        the gap to a limit decays like scale^r (deepest rung)
``Ordering``    A below B, paired over seeds
``Checks``      rows a claim judges itself, for a comparison no kind fits
==============  ===========================================================

Every kind takes ``alternative``, the nearest competing prediction; a
measurement that cannot reject it makes the claim ``inconclusive`` (see
:mod:`verify.kinds.base` for the rules).  ``kind.to_claim()`` gives the
:class:`~verify.claim.Claim` that the runner, store and report use; a claim
module may list kinds directly in ``CLAIMS``.
"""

from .base import Kind, Row, assemble, grid
from .bound import Bound
from .checks import Checks
from .elbow import Elbow
from .formula import Formula
from .ordering import Ordering
from .rate import Rate
from .scaling import ScalingLaw

__all__ = ["Kind", "Formula", "ScalingLaw", "Elbow", "Bound", "Rate", "Ordering", "Checks",
           "grid", "Row", "assemble"]

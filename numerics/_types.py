"""Type aliases for the public ``numerics`` signatures.

Only names for what the solvers accept; the checks themselves live in
:mod:`numerics.validation`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Union

import mpmath
import numpy as np
import numpy.typing as npt

#: An array-like of real numbers (numpy arrays, nested lists, object arrays of mpf).
RealArray = npt.ArrayLike

#: A real scalar of any common type, or a decimal string such as "1e-1000"
#: (bool is rejected at run time: see numerics.validation.check_alpha).
RealLike = Union[float, int, str, Fraction, Decimal, mpmath.mpf, np.floating, np.integer]

#: None for float64, or the number of mpmath decimal digits.
Precision = Union[int, None]

"""JSON as the exchange format of the verifier: points, measurements, reports.

Claims hand over plain data; numpy scalars and arrays are accepted and turned
into Python numbers and lists, so a claim need not convert them itself.
Points are keyed by their *canonical* JSON (sorted keys, no spaces), so the
same point written twice, in any key order, is the same key in the store.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np


def plain(value, *, strict: bool = True, path: str = "$"):
    """``value`` as nested dicts, lists, str, int, float, bool and None.

    ``strict`` (measurements, points): anything else is a :class:`TypeError`
    naming where it sits.  Not strict (reports): a sympy expression becomes
    the object of :func:`theory.prediction.expression_json` (text, structure,
    LaTeX, free symbols), an object with a ``to_json`` method (a
    :class:`~theory.prediction.Prediction`) its data, any other mapping a
    dict, other objects (mpmath numbers: all their digits) their ``str``; and
    non-finite floats become the strings ``"nan"``, ``"inf"``, ``"-inf"`` so
    the output is standard JSON.

    >>> plain({"x": np.float64(0.5), "v": np.arange(2), "t": (1, None)})
    {'x': 0.5, 'v': [0, 1], 't': [1, None]}
    >>> plain({"q": float("inf")}, strict=False)
    {'q': 'inf'}
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if strict or math.isfinite(value):
            return value
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if not strict:
        value = _as_data(value)
    if isinstance(value, dict):
        converted = {}
        for key, item in value.items():
            if not isinstance(key, str):
                if strict:
                    raise TypeError(f"{path} has the key {key!r}; JSON keys must be strings")
                key = str(key)
            converted[key] = plain(item, strict=strict, path=f"{path}.{key}")
        return converted
    if isinstance(value, (list, tuple)):
        return [plain(item, strict=strict, path=f"{path}[{i}]") for i, item in enumerate(value)]
    if strict:
        raise TypeError(f"{path} is a {type(value).__name__} ({value!r:.60}), which JSON cannot "
                        "hold; convert it with float(), str() or .tolist()")
    return str(value)


def _as_data(value):
    """What a report writes for ``value`` when JSON has no type for it (see :func:`plain`)."""
    if isinstance(value, Mapping) and not isinstance(value, dict):
        return dict(value)
    if callable(getattr(value, "to_json", None)):
        return value.to_json()
    import sympy  # here, not at the top: the workers, which only write strict JSON, never need it

    from theory.prediction import expression_json

    return expression_json(value) if isinstance(value, sympy.Basic) else value


def canonical(value) -> str:
    """The canonical JSON text of a point: the key under which it is stored.

    >>> canonical({"seed": 1, "n": np.int64(20)})
    '{"n":20,"seed":1}'
    """
    return json.dumps(plain(value), sort_keys=True, separators=(",", ":"), allow_nan=False)


def to_text(value) -> str:
    """A measurement as JSON text (non-finite floats kept, as Python's json writes them)."""
    return json.dumps(plain(value), sort_keys=True)

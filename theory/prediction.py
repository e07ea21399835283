"""The central object of ``theory``: a :class:`Prediction`.

A prediction is a sympy expression (or a small named structure of them) that
a paper claims, together with

* where it comes from (``source``: paper, theorem/equation) and how faithful
  that is (``fidelity``: ``"paper"`` when the paper's own text states it,
  ``"summary"`` when only a summary document does, ``"reconstructed"`` when it
  was derived here; see ``docs/claims.md``),
* what sympy did to obtain it (``derivation``) and where it is claimed to hold
  (``conditions``; for a truncated expansion, ``order`` is the omitted rest),
* evaluators generated from the expression by :func:`sympy.lambdify`:
  :meth:`Prediction.numpy` (float64) and :meth:`Prediction.mpmath` (mpmath at
  the current ``mp.dps``: rationals are compiled as ``mpf(p)/mpf(q)`` so they
  are rounded at call time, never frozen at import time).

What is true of the object (expression, provenance) is declared separately
from how it is evaluated, so the same prediction feeds the symbolic tests, the
float64 numerics and the high-precision tier.

>>> import sympy, mpmath
>>> x = sympy.Symbol("x", positive=True)
>>> p = Prediction("square root", sympy.sqrt(x), (x,), source="example",
...                fidelity="reconstructed", derivation="typed in")
>>> p.numpy(4.0)
2.0
>>> with mpmath.workdps(30):
...     print(p.mpmath(x=2))
1.41421356237309504880168872421
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import mpmath
import numpy as np
import sympy

__all__ = ["FIDELITIES", "Prediction", "expression_json", "latex_text"]

#: Allowed values of :attr:`Prediction.fidelity` (``docs/claims.md``).
FIDELITIES = ("paper", "summary", "reconstructed")


def _as_sympy(value, what):
    try:
        return sympy.sympify(value, strict=True)
    except (sympy.SympifyError, TypeError) as exc:
        raise TypeError(f"{what} must be a sympy expression (or a number); got {value!r}. "
                        "Build it from sympy symbols and functions.") from exc


@dataclass(frozen=True, eq=True)
class Prediction:
    """A claimed formula with provenance and generated numeric evaluators.

    Parameters
    ----------
    name:
        What the formula is, in words (``"q, depth-2 DLN potential"``).
    expr:
        A sympy expression, relation (``a <= b``, ``And(...)``), or a mapping
        ``{part name: expression}`` for a small structure (e.g. the two sides
        of a bound).  A mapping is stored read-only; evaluators then return a
        ``dict`` with the same keys.
    symbols:
        The free symbols, in the evaluators' argument order.  Every free
        symbol of ``expr`` must be listed (a symbol that does not occur may be
        listed too, so related predictions can share a signature).
    source, fidelity, derivation:
        Provenance, see the module docstring.
    conditions:
        Where the formula is claimed to hold, in words (``"0 < ε < d"``).
    order:
        For a truncated expansion, the omitted rest as a sympy ``Order``.
    functions:
        Numeric implementations of undefined sympy functions used in
        ``expr`` (e.g. ``q_3`` for the implicit depth-3 potential), as
        ``{name: (numpy_callable, mpmath_callable)}``.
    """

    name: str
    expr: Any
    symbols: tuple
    source: str
    fidelity: str
    derivation: str
    conditions: str = ""
    order: Any = None
    functions: Any = field(default_factory=dict)

    def __post_init__(self):
        if self.fidelity not in FIDELITIES:
            raise ValueError(f"fidelity must be one of {FIDELITIES}, got {self.fidelity!r}: "
                             "'paper' if the paper's own text states it, 'summary' if only a "
                             "summary does, 'reconstructed' if it was derived here.")
        if not self.source:
            raise ValueError("source must name the paper and the theorem/equation, e.g. "
                             "'Woodworth et al. 2020, Thm 1, eq. (5)'.")
        if isinstance(self.expr, Mapping):
            parts = {str(k): _as_sympy(v, f"expr[{k!r}]") for k, v in self.expr.items()}
            if not parts:
                raise ValueError("expr mapping is empty; give at least one part.")
            object.__setattr__(self, "expr", types.MappingProxyType(parts))
        else:
            object.__setattr__(self, "expr", _as_sympy(self.expr, "expr"))
        if isinstance(self.symbols, sympy.Symbol):
            object.__setattr__(self, "symbols", (self.symbols,))
        symbols = tuple(self.symbols)
        if not all(isinstance(s, sympy.Symbol) for s in symbols):
            raise TypeError(f"symbols must be sympy Symbols, got {symbols!r}.")
        if len({s.name for s in symbols}) != len(symbols):
            raise ValueError(f"symbols {symbols!r} repeat a name; keyword evaluation needs "
                             "distinct names.")
        object.__setattr__(self, "symbols", symbols)
        missing = self._all_free_symbols() - set(symbols)
        if missing:
            names = ", ".join(sorted(s.name for s in missing))
            raise ValueError(f"expr uses free symbols not listed in symbols: {names}. "
                             "Add them to symbols (that fixes the evaluators' argument order).")
        functions = dict(self.functions or {})
        for key, impl in functions.items():
            if not (isinstance(impl, tuple) and len(impl) == 2 and all(map(callable, impl))):
                raise TypeError(f"functions[{key!r}] must be a pair (numpy_callable, "
                                "mpmath_callable).")
        object.__setattr__(self, "functions", types.MappingProxyType(functions))
        undefined = {f.func.__name__ for e in self._exprs()
                     for f in e.atoms(sympy.core.function.AppliedUndef)}
        if undefined - set(functions):
            raise ValueError(f"expr uses undefined functions {sorted(undefined - set(functions))}"
                             " without numeric implementations; pass them in functions=.")

    # Frozen + eq would hash every field; the mapping fields are not hashable,
    # and name + source identify a prediction well enough for sets and caches.
    def __hash__(self):
        return hash((self.name, self.source, self.fidelity))

    # Pickled as its constructor's arguments (read-only mappings cannot be pickled, and
    # the compiled evaluators are rebuilt on use): theory.cache stores predictions on disk.
    def __reduce__(self):
        expr = dict(self.expr) if self.is_structured else self.expr
        return (Prediction, (self.name, expr, self.symbols, self.source, self.fidelity,
                             self.derivation, self.conditions, self.order, dict(self.functions)))

    # --- structure -----------------------------------------------------------
    def _exprs(self):
        return list(self.expr.values()) if self.is_structured else [self.expr]

    def _all_free_symbols(self):
        out = set()
        for e in self._exprs():
            out |= e.free_symbols
        return out

    @property
    def is_structured(self) -> bool:
        """True when ``expr`` is a mapping of named parts."""
        return isinstance(self.expr, Mapping)

    @property
    def keys(self) -> tuple:
        """The part names of a structured prediction (``()`` otherwise)."""
        return tuple(self.expr) if self.is_structured else ()

    def part(self, key: str) -> "Prediction":
        """One part of a structured prediction, as a prediction of its own."""
        if not self.is_structured:
            raise KeyError(f"{self.name!r} is a single expression; it has no parts.")
        if key not in self.expr:
            raise KeyError(f"{self.name!r} has parts {self.keys}, not {key!r}.")
        return Prediction(f"{self.name} [{key}]", self.expr[key], self.symbols, self.source,
                          self.fidelity, self.derivation, self.conditions, self.order,
                          dict(self.functions))

    def subs(self, **values) -> "Prediction":
        """Fix some symbols (by name), e.g. ``pred.subs(D=3)``; they leave the signature."""
        by_name = {s.name: s for s in self.symbols}
        unknown = set(values) - set(by_name)
        if unknown:
            raise KeyError(f"unknown symbols {sorted(unknown)}; this prediction has "
                           f"{sorted(by_name)}.")
        mapping = {by_name[k]: sympy.sympify(v) for k, v in values.items()}
        if self.is_structured:
            expr = {k: v.subs(mapping) for k, v in self.expr.items()}
        else:
            expr = self.expr.subs(mapping)
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        return Prediction(self.name, expr, tuple(s for s in self.symbols if s.name not in values),
                          self.source, self.fidelity, f"{self.derivation} Evaluated at {shown}.",
                          self.conditions,
                          self.order.subs(mapping) if self.order is not None else None,
                          dict(self.functions))

    def __str__(self):
        shown = (", ".join(f"{k}: {v}" for k, v in self.expr.items()) if self.is_structured
                 else str(self.expr))
        return f"{shown}  [{self.fidelity}; {self.source}]"

    def describe(self) -> str:
        """A few lines for reports: formula, source, fidelity, conditions."""
        if self.is_structured:
            body = "\n".join(f"  {k}: {v}" for k, v in self.expr.items())
        else:
            body = f"  {self.expr}" + (f" + {self.order}" if self.order is not None else "")
        lines = [f"{self.name}  [{self.fidelity}; {self.source}]", body]
        if self.conditions:
            lines.append(f"  holds for: {self.conditions}")
        return "\n".join(lines)

    def latex(self) -> str:
        """LaTeX of the expression (parts joined by ``;``, part names as escaped text)."""
        if self.is_structured:
            return "; ".join(f"\\text{{{latex_text(k)}}}: {sympy.latex(v)}"
                             for k, v in self.expr.items())
        return sympy.latex(self.expr)

    def to_json(self) -> dict:
        """The prediction as JSON data: the expression as an object (see
        :func:`expression_json`; a structured prediction's ``{"parts": {name:
        object}}``), its LaTeX, signature and provenance."""
        expression = ({"parts": {k: expression_json(v) for k, v in self.expr.items()}}
                      if self.is_structured else expression_json(self.expr))
        return {"name": self.name, "expression": expression, "latex": self.latex(),
                "symbols": [s.name for s in self.symbols], "source": self.source,
                "fidelity": self.fidelity, "derivation": self.derivation,
                "conditions": self.conditions,
                "order": None if self.order is None else expression_json(self.order)}

    # --- evaluators ----------------------------------------------------------
    def _compile(self, backend):
        impls = {name: pair[0 if backend == "numpy" else 1]
                 for name, pair in self.functions.items()}
        body = tuple(self._exprs())
        fn = sympy.lambdify(self.symbols, body if self.is_structured else body[0],
                            modules=[impls, backend])
        if self.is_structured:
            keys = self.keys
            return lambda *args: dict(zip(keys, fn(*args)))
        return fn

    @functools.cached_property
    def _numpy_fn(self) -> Callable:
        return self._compile("numpy")

    @functools.cached_property
    def _mpmath_fn(self) -> Callable:
        return self._compile("mpmath")

    def _bind(self, args: Sequence, kwargs: Mapping) -> list:
        if len(args) > len(self.symbols):
            raise TypeError(f"{self.name!r} takes {len(self.symbols)} arguments "
                            f"({', '.join(s.name for s in self.symbols)}), got {len(args)}.")
        values = dict(zip((s.name for s in self.symbols), args))
        for key, value in kwargs.items():
            if key not in {s.name for s in self.symbols}:
                raise TypeError(f"unknown argument {key!r}; {self.name!r} takes "
                                f"{', '.join(s.name for s in self.symbols)}.")
            if key in values:
                raise TypeError(f"argument {key!r} given twice.")
            values[key] = value
        missing = [s.name for s in self.symbols if s.name not in values]
        if missing:
            raise TypeError(f"missing arguments {missing} for {self.name!r}.")
        return [values[s.name] for s in self.symbols]

    def numpy(self, *args, **kwargs):
        """Evaluate in float64 (numpy arrays broadcast); arguments by position or name."""
        values = [np.asarray(v, dtype=np.float64) for v in self._bind(args, kwargs)]
        out = self._numpy_fn(*values)
        if isinstance(out, dict):
            return {k: _unwrap(v) for k, v in out.items()}
        return _unwrap(out)

    def mpmath(self, *args, **kwargs):
        """Evaluate in mpmath at the current ``mp.dps`` (scalars; strings such as
        ``"1e-1000"`` are accepted so that values below float64 range can be passed)."""
        values = [mpmath.mpmathify(v) for v in self._bind(args, kwargs)]
        return self._mpmath_fn(*values)


def expression_json(expr) -> dict:
    """A sympy expression as JSON data: ``sympy`` (its text, readable and
    parseable by :func:`sympy.sympify`), ``srepr`` (exact structure, for
    :func:`sympy.parse_expr` without guessing), ``latex`` and the names of its
    ``free_symbols``.

    >>> expression_json(sympy.Symbol("x") ** 2)["latex"]
    'x^{2}'
    """
    return {"sympy": str(expr), "srepr": sympy.srepr(expr), "latex": sympy.latex(expr),
            "free_symbols": sorted(symbol.name for symbol in expr.free_symbols)}


# LaTeX's special characters in text mode and how each is written literally.
_LATEX_TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_",
                       "^": r"\^{}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
                       "~": r"\~{}"}


def latex_text(text: str) -> str:
    r"""``text`` escaped for LaTeX's ``\text{…}``.

    >>> latex_text("bulk_fixed_d")
    'bulk\\_fixed\\_d'
    """
    return "".join(_LATEX_TEXT_ESCAPES.get(char, char) for char in text)


def _unwrap(value):
    """0-d arrays become Python scalars; arrays stay arrays."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, (np.floating, np.bool_)):
        return value.item()
    return value

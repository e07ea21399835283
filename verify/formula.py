"""How a user checks a derived formula: ``python -m verify formula NAME KEY=VALUE …``.

A :class:`FormulaView` is one derived formula family at chosen parameters
(``q_D D=3``, ``n_star p=1.5 d=1000``): the sympy derivations specialised to
those parameters (expression, series, asymptotics, each a
:class:`theory.Prediction` with its source and fidelity), and a numeric check
that compares the formula with a computation that does not use it
(quadrature, root finding, an exact solver), row by row, each row with its
tolerance and the reason for it.

Claim packages export their views as ``FORMULA_VIEWS`` next to ``CLAIMS``;
:func:`all_views` collects them from every registered claim module, so a
paper's formulas arrive with its claims.

>>> view = FormulaView("square", "x²", {"x": Parameter("3", "the base", domain=Domain(low=0))},
...                    derive=lambda v: [], check=lambda v: [
...                        CheckRow(f"x = {v['x']:g}", v["x"] ** 2, v["x"] * v["x"],
...                                 "multiplication", 1e-15, "float64 rounding")])
>>> view.resolve(["x=4"])
{'x': 4.0}
>>> [row.passed for row in view.check(view.resolve([]))]
[True]
>>> view.resolve(["x=-1"])
Traceback (most recent call last):
verify.errors.BadInput: x=-1 is outside the domain of formula 'square': x (the base) must be a number ≥ 0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import mpmath
import sympy

from verify.errors import BadInput

__all__ = ["Domain", "Parameter", "CheckRow", "RowProof", "FormulaView", "all_views",
           "find_view", "rational", "specialised", "expansion_rows"]

MAX_DIGITS = 1000   # the most digits a view's check works in


@dataclass(frozen=True)
class Domain:
    """Where a parameter's formula holds, and where its check is affordable.

    ``low`` and ``high`` bound the value (``None``: unbounded), each a number
    or the name of another parameter of the same view (``r ∈ [1, p]``);
    ``low_open``/``high_open`` exclude the bound itself.  ``integer`` admits
    whole numbers only.  ``cap`` is the largest value the view computes in
    reasonable time, ``cap_reason`` says why: a limit of the computation, not
    of the mathematics.  A value must be finite in any case.
    """

    low: float | str | None = None
    high: float | str | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False
    cap: float | None = None
    cap_reason: str = ""

    def __post_init__(self):
        if (self.cap is None) != (not self.cap_reason):
            raise ValueError("a cap needs its reason (cap_reason), and a reason its cap")

    def describe(self) -> str:
        """The domain in words, e.g. ``an integer ≥ 3`` or ``a number in (1, 2]``."""
        kind = "an integer" if self.integer else "a number"
        if self.low is not None and self.high is not None:
            return (f"{kind} in {'(' if self.low_open else '['}{self.low}, "
                    f"{self.high}{')' if self.high_open else ']'}")
        if self.low is not None:
            return f"{kind} {'>' if self.low_open else '≥'} {self.low}"
        if self.high is not None:
            return f"{kind} {'<' if self.high_open else '≤'} {self.high}"
        return "a finite integer" if self.integer else "a finite number"

    def violation(self, value: Any, bounds: Mapping[str, Any]) -> str | None:
        """Why ``value`` is outside the domain, or None; ``bounds`` holds the
        values of the parameters a bound names."""
        number = _real(value)
        if number is None or not mpmath.isfinite(number):
            return f"must be {self.describe()}; it is not a finite real number"
        with mpmath.workdps(MAX_DIGITS + 10):
            if self.integer and number != mpmath.floor(number):
                return f"must be {self.describe()}"
            for bound, is_open, below in ((self.low, self.low_open, False),
                                          (self.high, self.high_open, True)):
                if bound is None:
                    continue
                limit = _real(bounds[bound]) if isinstance(bound, str) else _real(bound)
                inside = ((number < limit if is_open else number <= limit) if below
                          else (number > limit if is_open else number >= limit))
                if not inside:
                    named = f" (= {bounds[bound]})" if isinstance(bound, str) else ""
                    return f"must be {self.describe()}{named}"
            if self.cap is not None and number > self.cap:
                return f"must be at most {self.cap:g} here: {self.cap_reason}"
        return None


def _real(value: Any):
    """``value`` as an mpf at more digits than any view works in; None if it is
    not a real number (a complex value, sympy's ∞ or nan)."""
    with mpmath.workdps(MAX_DIGITS + 10):
        try:
            return mpmath.mpf(mpmath.mpmathify(value))
        except (TypeError, ValueError):
            return None


def rational(text: str):
    """A parameter's text as an exact sympy rational, so that a formula specialised
    to it simplifies (a ``Parameter.parse`` for symbolic views).

    >>> rational("3/2"), rational("0.1")
    (3/2, 1/10)
    """
    import sympy

    return sympy.nsimplify(text, rational=True)


def specialised(*predictions: Callable[[], Any]) -> Callable[[dict], list]:
    """A view's ``derive`` that shows each prediction (a factory of a
    :class:`theory.Prediction`) with the view's parameters substituted, each
    prediction taking those of its symbols the view has (the others, e.g. a
    sampled design's seed, are left alone).

    >>> import sympy
    >>> from theory import Prediction
    >>> x, y = sympy.symbols("x y", positive=True)
    >>> power = lambda: Prediction("x^y", x ** y, (x, y), source="example",
    ...                            fidelity="reconstructed", derivation="typed in")
    >>> [str(p.expr) for p in specialised(power)({"x": 2, "seed": 0})]
    ['2**y']
    """
    def derive(values: dict) -> list:
        derived = []
        for factory in predictions:
            prediction = factory()
            names = {symbol.name for symbol in prediction.symbols}
            derived.append(prediction.subs(**{key: value for key, value in values.items()
                                              if key in names}))
        return derived
    return derive


@dataclass(frozen=True)
class Parameter:
    """A parameter of a view: its default (as typed on the command line), what
    it means, how the text becomes a value (``float``, ``int``, or e.g.
    ``mpmath.mpf`` for values beyond float64 such as ``alpha=1e-400``), and
    its :class:`Domain`, which every view must state (``resolve`` checks it)."""

    default: str
    help: str
    parse: Callable[[str], Any] = float
    domain: Domain = field(kw_only=True)


@dataclass(frozen=True)
class RowProof:
    """What a row's proof hook established (``--prove``), in ball arithmetic.

    ``status`` is ``"proved"``, ``"undecided"`` or ``"counterexample"``;
    ``statement`` says what holds and on which range; ``bound`` is the proven
    bound at the row's own point (absolute, e.g. on a truncation error) when
    one applies; ``boxes`` and ``seconds`` are the cost.
    """

    status: str
    statement: str
    bound: float | None
    boxes: int
    seconds: float

    def to_json(self) -> dict:
        return {"status": self.status, "statement": self.statement, "bound": self.bound,
                "boxes": self.boxes, "seconds": self.seconds}


@dataclass(frozen=True)
class CheckRow:
    """One numeric comparison: the formula's value against an independent one.

    ``tolerance`` bounds the relative difference and ``reason`` says where the
    bound comes from (working precision, the size of the first omitted term of
    an expansion, a solver's certificate).  ``prove``, when set, is a hook
    returning a :class:`RowProof`: the same statement proved on a range
    (``python -m verify formula NAME --prove``), not just checked at this point.
    """

    at: str
    formula: Any
    independent: Any
    method: str
    tolerance: float
    reason: str
    prove: Callable[[], RowProof] | None = field(default=None, compare=False, repr=False)

    @property
    def relative_difference(self) -> float:
        # mpf() rounds to the current precision: take the values at more digits
        # than any view works in, so the difference is not rounded away.
        with mpmath.workdps(MAX_DIGITS + 10):
            a, b = mpmath.mpf(self.formula), mpmath.mpf(self.independent)
            scale = max(abs(a), abs(b))
            return 0.0 if scale == 0 else float(abs(a - b) / scale)

    @property
    def passed(self) -> bool:
        difference = self.relative_difference
        return math.isfinite(difference) and difference <= self.tolerance

    def to_json(self) -> dict:
        return {"at": self.at, "formula": mpmath.nstr(mpmath.mpf(self.formula), 17),
                "independent": mpmath.nstr(mpmath.mpf(self.independent), 17),
                "method": self.method, "relative_difference": self.relative_difference,
                "tolerance": self.tolerance, "reason": self.reason, "passed": self.passed}


@dataclass(frozen=True)
class FormulaView:
    """A derived formula family, shown at given parameter values.

    derive(values) -> list of theory.Prediction
        The formulas at ``values`` (a dict of parsed parameters).
    check(values) -> list of CheckRow
        The numeric check at ``values``; ``None`` when the view has none.
    """

    name: str
    title: str
    parameters: Mapping[str, Parameter]
    derive: Callable[[dict], list]
    check: Callable[[dict], list] | None = None
    claims: tuple = field(default=())

    def resolve(self, assignments: list[str]) -> dict:
        """Parse ``KEY=VALUE`` texts over the defaults and check each value
        against its parameter's domain; a :class:`BadInput` naming the fix for
        an unknown or repeated key, a value that does not parse, or one outside
        the domain."""
        texts = {key: parameter.default for key, parameter in self.parameters.items()}
        given: dict[str, str] = {}
        for assignment in assignments:
            key, sep, text = assignment.partition("=")
            if not sep or not key:
                raise BadInput(f"{assignment!r} is not KEY=VALUE; write e.g. "
                               f"{self._example()}")
            if key not in self.parameters:
                raise BadInput(f"formula {self.name!r} has no parameter {key!r}; its parameters "
                               f"are {self._signature()}")
            if key in given:
                raise BadInput(f"{key} is given twice ({key}={given[key]}, {key}={text}); "
                               "give each parameter once")
            texts[key] = given[key] = text
        values = {}
        for key, text in texts.items():
            try:
                values[key] = self.parameters[key].parse(text)
            except (ValueError, TypeError, ArithmeticError) as error:
                raise BadInput(f"{key}={text!r} does not parse for formula {self.name!r} "
                               f"({self.parameters[key].help}): {error}") from error
        for key, parameter in self.parameters.items():
            problem = parameter.domain.violation(values[key], values)
            if problem:
                raise BadInput(f"{key}={texts[key]} is outside the domain of formula "
                               f"{self.name!r}: {key} ({parameter.help}) {problem}")
        return values

    def _signature(self) -> str:
        return ", ".join(f"{key} ({parameter.help}; default {parameter.default})"
                         for key, parameter in self.parameters.items()) or "none"

    def _example(self) -> str:
        return " ".join([self.name] + [f"{key}={parameter.default}"
                                       for key, parameter in self.parameters.items()])


def expansion_rows(at: str, expansion: Callable[[int], Any], terms: int, points, independent,
                   method: str, what: str, *, margin: float,
                   prove: Callable[[Any], RowProof] | None = None,
                   max_extra: int = 64) -> list[CheckRow]:
    """Check rows of a truncated expansion against an independent value.

    ``expansion(terms)`` is a :class:`theory.Prediction` of one variable; at each of
    ``points`` it is compared with ``independent(x)``, to ``margin`` × its first
    non-zero omitted term relative to the value (from the next-longer expansion that
    adds a non-zero term: terms + 1, + 2, + 4, … up to + ``max_extra``; a zero "omitted
    term" would make the tolerance 0).  ``prove(x)``, optional, is the row's proof hook.

    >>> from theory import Prediction
    >>> x = sympy.Symbol("x")
    >>> exp = lambda k: Prediction("exp", sum(x ** j / sympy.factorial(j) for j in range(k)),
    ...                            (x,), "Taylor", "paper", "")
    >>> [row.passed for row in expansion_rows("x", exp, 4, ["0.1"], mpmath.exp, "mpmath",
    ...                                        "Taylor series", margin=2.0)]
    [True]
    """
    short, longer, extra = expansion(terms), expansion(terms + 1), 1
    while sympy.expand(longer.expr - short.expr) == 0:
        extra *= 2
        if extra > max_extra:
            raise ArithmeticError(f"the expansion with {terms} terms gains no non-zero term "
                                  f"within {max_extra} more, so its truncation error has no "
                                  "estimate")
        longer = expansion(terms + extra)
    rows = []
    for x in points:
        value = independent(x)
        omitted = abs(longer.mpmath(x) - short.mpmath(x)) / abs(value)
        rows.append(CheckRow(f"{at} = {x}", short.mpmath(x), value, method,
                             margin * float(omitted), f"{what}: {margin:g} × its first "
                             f"non-zero omitted term ({mpmath.nstr(omitted, 3)} relative)",
                             prove=None if prove is None else functools.partial(prove, x)))
    return rows


def all_views() -> list[FormulaView]:
    """The ``FORMULA_VIEWS`` of every registered claim module, by name."""
    from verify.claims import BUILTIN_MODULES, extra_modules, loaded_module

    views: dict[str, FormulaView] = {}
    for module_name in dict.fromkeys(BUILTIN_MODULES + extra_modules()):
        for view in getattr(loaded_module(module_name), "FORMULA_VIEWS", ()):
            if view.name in views:
                raise ValueError(f"formula view {view.name!r} is defined twice; rename one")
            views[view.name] = view
    return sorted(views.values(), key=lambda view: view.name.lower())


def find_view(name: str) -> FormulaView:
    """The view called ``name``; a :class:`BadInput` listing the names otherwise."""
    views = all_views()
    for view in views:
        if view.name == name:
            return view
    raise BadInput(f"unknown formula {name!r}; known: {', '.join(v.name for v in views)} "
                   "(see `python -m verify formula`)")

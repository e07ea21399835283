"""The Prediction object: validation, evaluators, structure."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from theory import FIDELITIES, Prediction

x, y = sp.symbols("x y", positive=True)


def make(expr=None, symbols=(x,), **kw):
    base = dict(name="test", expr=sp.sqrt(x) if expr is None else expr, symbols=symbols,
                source="example", fidelity="reconstructed", derivation="typed in")
    base.update(kw)
    return Prediction(**base)


def test_fidelities_are_the_claims_vocabulary():
    assert FIDELITIES == ("paper", "summary", "reconstructed")
    with pytest.raises(ValueError, match="fidelity must be one of"):
        make(fidelity="verbatim")


def test_source_is_required():
    with pytest.raises(ValueError, match="source must name the paper"):
        make(source="")


def test_every_free_symbol_must_be_listed():
    with pytest.raises(ValueError, match="not listed in symbols: y"):
        make(expr=x + y)


def test_undefined_function_needs_an_implementation():
    g = sp.Function("g")
    with pytest.raises(ValueError, match="without numeric implementations"):
        make(expr=g(x))
    p = make(expr=g(x) + 1, functions={"g": (np.exp, mpmath.exp)})
    assert p.numpy(0.0) == pytest.approx(2.0)
    with mpmath.workdps(40):
        assert abs(p.mpmath(1) - (mpmath.e + 1)) < mpmath.mpf(10) ** -39


def test_numpy_evaluator_broadcasts_and_binds_by_name():
    p = make(expr=x * y, symbols=(x, y))
    np.testing.assert_allclose(p.numpy([1.0, 2.0], 3.0), [3.0, 6.0])
    assert p.numpy(y=2.0, x=5.0) == 10.0
    with pytest.raises(TypeError, match="missing arguments"):
        p.numpy(1.0)
    with pytest.raises(TypeError, match="unknown argument"):
        p.numpy(1.0, z=2.0)


def test_mpmath_evaluator_respects_precision():
    # the rational 1/3 is compiled as mpf(1)/mpf(3): rounded at call time, not import time
    p = make(expr=x / 3 + sp.sqrt(2))
    with mpmath.workdps(60):
        exact = mpmath.mpf(1) / 3 + mpmath.sqrt(2)
        assert abs(p.mpmath(1) - exact) < mpmath.mpf(10) ** -59
    with mpmath.workdps(15):
        coarse = p.mpmath(1)
    with mpmath.workdps(60):
        assert abs(coarse - exact) > mpmath.mpf(10) ** -30   # really computed at 15 digits


def test_mpmath_accepts_values_below_float_range():
    p = make(expr=sp.log(x))
    with mpmath.workdps(30):
        assert abs(p.mpmath("1e-1000") + 1000 * mpmath.log(10)) < 1e-25


def test_structured_prediction_parts_and_relations():
    p = make(expr={"lower": x, "upper": 2 * x, "holds": sp.And(x <= y, y <= 2 * x)},
             symbols=(x, y))
    assert p.is_structured and p.keys == ("lower", "upper", "holds")
    out = p.numpy(1.0, 1.5)
    assert out["lower"] == 1.0 and out["upper"] == 2.0 and out["holds"] is True
    assert p.numpy(1.0, 3.0)["holds"] is False
    assert p.mpmath(1, 1.5)["holds"]
    assert p.part("upper").expr == 2 * x
    with pytest.raises(KeyError):
        p.part("middle")
    with pytest.raises(TypeError):
        p.expr["lower"] = y          # read-only mapping


def test_subs_fixes_a_symbol_and_keeps_provenance():
    p = make(expr=x ** y, symbols=(x, y), fidelity="paper")
    q = p.subs(y=3)
    assert q.symbols == (x,) and q.expr == x ** 3 and q.fidelity == "paper"
    assert "y=3" in q.derivation
    assert q.numpy(2.0) == 8.0


def test_order_and_describe():
    p = make(expr=x - x ** 3 / 6, order=sp.Order(x ** 5, x), conditions="x → 0")
    text = p.describe()
    assert "O(x**5)" in text and "x → 0" in text and "reconstructed" in text
    assert hash(p) == hash(make(expr=x - x ** 3 / 6, order=sp.Order(x ** 5, x)))

"""``python -m verify formula``: views of derived formulas and their numeric checks.

A toy module (this one) registers two views through ``VERIFY_CLAIM_MODULES``:
a right formula and a deliberately wrong one, so the tests show that a check
passes when the formula is right and fails (exit status 1) when it is not.
The paper views (``q``, ``q_D``) are run at their defaults: every check row
must pass within its stated tolerance.
"""

from __future__ import annotations

import json

import math

import mpmath
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from theory import Prediction
from verify import claims as registry
from verify.__main__ import main
from verify.errors import BadInput
from verify.formula import CheckRow, Domain, FormulaView, Parameter, all_views

CLAIMS: list = []
_x = sympy.Symbol("x", positive=True)


def _sqrt_view(name, formula):
    def derive(values):
        return [Prediction(f"{name} of x", formula, (_x,), source="toy", fidelity="reconstructed",
                           derivation="typed in for the test")]

    def check(values):
        x = values["x"]
        with mpmath.workdps(30):
            formula_value = derive(values)[0].mpmath(x)
            return [CheckRow(f"x = {x}", formula_value, mpmath.findroot(lambda r: r * r - x, 1),
                             "Newton's method on r² = x", 1e-25, "30 digits, 5 spare")]

    return FormulaView(name, f"{name}: the square root", {"x": Parameter("2", "a positive number",
                                                                      domain=Domain(low=0, low_open=True))},
                       derive, check)


FORMULA_VIEWS = [_sqrt_view("toy_root", sympy.sqrt(_x)),
                 _sqrt_view("toy_wrong_root", _x ** sympy.Rational(1, 3))]


@pytest.fixture
def toy_views(monkeypatch):
    monkeypatch.setenv(registry.EXTRA_MODULES_ENV, __name__)


def _run(capsys, *argv):
    status = main(["formula", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_listing_names_every_view_with_its_parameters(toy_views, capsys):
    status, out, _ = _run(capsys)
    assert status == 0
    for view in all_views():
        assert view.name in out
    assert "x=2" in out and "D=3" in out


def test_a_right_formula_passes_and_a_wrong_one_fails(toy_views, capsys):
    status, out, _ = _run(capsys, "toy_root", "x=5", "--json")
    [row] = json.loads(out)["check"]
    assert status == 0 and row["passed"] and row["relative_difference"] < 1e-25
    status, out, _ = _run(capsys, "toy_wrong_root", "x=5")
    assert status == 1 and "FAIL" in out


@pytest.mark.parametrize("argv, fix", [
    (["nope"], "known:"),
    (["toy_root", "y=1"], "its parameters are x"),
    (["toy_root", "x"], "KEY=VALUE"),
    (["toy_root", "x=abc"], "does not parse"),
    (["q_D", "D=2"], "for depth 2 see the view q"),
    (["q", "--all"], "either NAME or --all"),
])
def test_bad_input_is_one_line_naming_the_fix(toy_views, capsys, argv, fix):
    status, out, err = _run(capsys, *argv)
    assert status == 2 and not out
    assert err.count("\n") == 1 and fix in err


def test_all_prints_every_prediction_theory_registers(capsys):
    status, out, _ = _run(capsys, "--all")
    assert status == 0 and "KR-1: q" in out and "KR-6: Thm 2" in out


# D = 5: the coefficients of w⁴ and w⁵ (w = t^(−1/5)) of the expansion at ∞ vanish, and
# a bound taken from the next term alone was 0, so the view failed its own check (issue 13)
@pytest.mark.parametrize("argv", [["q"], ["q_D", "D=4", "digits=30"], ["q_D", "D=5", "digits=30"]])
def test_the_potential_views_pass_their_checks(capsys, argv):
    """Exact formulas agree with quadrature to the working precision; truncated
    expansions within twice their first non-zero omitted term (the rows say which)."""
    status, out, _ = _run(capsys, *argv, "--json")
    shown = json.loads(out)
    assert status == 0 and shown["formulas"]
    assert len(shown["check"]) >= 7 and all(row["passed"] for row in shown["check"])
    expansions = [row for row in shown["check"] if "first non-zero omitted term" in row["reason"]]
    assert all(row["tolerance"] > 0 for row in expansions)
    # The truncation error is seen, not hidden under the precision: a wrong
    # series would be off by far more than its omitted term.
    assert expansions and all(row["relative_difference"] > 0 for row in expansions)


# q_D at D = 3 is slow (≈ 10 s CPU against q's ≈ 1 s); q (D = 2) checks the same --prove
# properties in the default run.
@pytest.mark.parametrize("argv", [["q"], pytest.param(["q_D", "D=3"], marks=pytest.mark.slow)])
def test_prove_proves_expansion_rows_on_a_range_and_bounds_their_error(capsys, argv):
    """--prove: each truncated expansion's row gets a remainder bound proved on
    a stated range; the measured error at the row's point must lie under it
    (the quadrature is exact to ~1e-45, far below the bounds)."""
    status, out, _ = _run(capsys, *argv, "--prove", "--json")
    rows = json.loads(out)["check"]
    assert status == 0 and all("proof" in row for row in rows)
    proved = [row for row in rows if row["proof"] and row["proof"]["status"] == "proved"]
    assert proved and all("≤" in row["proof"]["statement"] for row in proved)
    for row in proved:
        # relative_difference is computed at full precision (the printed values are not)
        error = row["relative_difference"] * abs(float(row["independent"]))
        assert error <= row["proof"]["bound"] * (1 + 1e-9)
    status, out, _ = _run(capsys, *argv, "--prove")
    assert status == 0 and "proved — " in out and "checked at this point only" in out


# Each of these was accepted, or answered with a traceback or an empty message (issue 13, 4).
@pytest.mark.parametrize("argv, message", [
    (["n_star", "d=-5"], "d (features, more than the support size s) must be an integer > s (= 1)"),
    (["n_star", "d=0"], "must be an integer > s (= 1)"),
    (["n_star", "p=2"], "p (the ℓp bias; at p = 2 there is no n-driven elbow) must be a number "
                        "in (1, 2)"),
    (["m_q", "a=-1.5"], "a (moment order; E|Z|^a is finite for a > −1) must be a number > -1"),
    (["q_D", "D=1000"], "D (depth; for depth 2 see the view q) must be at most 30 here"),
    (["n_star", "d=1000.5"], "must be an integer > s"),
    (["zl_exponents", "r=1.7"], "r (the norm) must be a number in [1, p] (= 3/2)"),
    (["sq_rates", "alpha=nan"], "not a finite real number"),
    (["n_star", "p=1.5", "p=1.7"], "p is given twice (p=1.5, p=1.7); give each parameter once"),
])
def test_a_value_outside_the_domain_is_one_line_naming_it(capsys, argv, message):
    status, out, err = _run(capsys, *argv)
    assert status == 2 and not out
    assert err.count("\n") == 1 and message in err, err
    assert "outside the domain" in err or "given twice" in err


def test_every_view_declares_domains_that_hold_its_defaults():
    """Every parameter of every view has a domain (Parameter requires one), and
    the defaults lie inside it."""
    for view in all_views():
        values = view.resolve([])
        for key, parameter in view.parameters.items():
            assert isinstance(parameter.domain, Domain)
            assert parameter.domain.violation(values[key], values) is None, (view.name, key)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(low=finite, width=st.floats(min_value=1e-3, max_value=1e6), low_open=st.booleans(),
       high_open=st.booleans())
def test_a_domain_admits_its_inside_and_its_closed_ends_only(low, width, low_open, high_open):
    high = low + width
    domain = Domain(low=low, high=high, low_open=low_open, high_open=high_open)
    assert domain.violation((low + high) / 2, {}) is None
    assert (domain.violation(low, {}) is None) is not low_open
    assert (domain.violation(high, {}) is None) is not high_open
    for outside in (low - width, high + width, math.inf, math.nan):
        assert domain.violation(outside, {}) is not None


@given(value=st.fractions(min_value=-100, max_value=100))
def test_an_integer_domain_admits_whole_numbers_only(value):
    domain = Domain(integer=True)
    assert (domain.violation(sympy.Rational(value.numerator, value.denominator), {}) is None) \
        is (value.denominator == 1)


def test_a_bound_may_name_another_parameter_and_a_cap_needs_its_reason():
    view = FormulaView("interval", "r in [1, p]",
                       {"p": Parameter("2", "upper end", domain=Domain(low=1)),
                        "r": Parameter("1", "inside", domain=Domain(low=1, high="p"))},
                       derive=lambda values: [])
    assert view.resolve(["r=2"]) == {"p": 2.0, "r": 2.0}
    with pytest.raises(BadInput, match=r"r=3 is outside .* must be a number in \[1, p\] \(= 2.0\)"):
        view.resolve(["r=3"])
    with pytest.raises(ValueError, match="a cap needs its reason"):
        Domain(cap=10)

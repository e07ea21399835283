"""The claim kinds judge synthetic measurements with known answers: each holds
on data that obey the claim, rejects its nearest alternative, deviates when
the alternative is judged instead (perturb), and is inconclusive when the
data cannot tell the two apart."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, strategies as st

from numerics.fits import elbow_over_seeds
from verify.claim import Evidence, Outcome
from verify.errors import BadInput
from verify.kinds import Bound, Checks, Elbow, Formula, Ordering, Rate, Row, ScalingLaw
from verify.kinds.elbow import break_row
from verify.kinds.scaling import slope_row

COMMON = dict(title="toy", statement="toy", source="tests", fidelity="reconstructed")


def run(kind, size="quick"):
    claim = kind.to_claim()
    results = [(point, claim.measure(point)) for point in claim.points(size)]
    prediction = claim.predict(size)
    return claim, prediction, results, claim.compare(prediction, results)


def noisy_power(exponent, scatter):
    def measure(point):
        rng = np.random.default_rng(point["seed"] * 1000 + int(point["n"]))
        return point["n"] ** exponent * math.exp(scatter * rng.standard_normal())
    return measure


def scaling(exponent_measured, alternative, scatter=0.01, **extra):
    extra.setdefault("points", {"quick": {"n": [10, 20, 40, 80, 160], "seed": [0, 1, 2, 3]}})
    return ScalingLaw(id="T-1", **COMMON, measure=noisy_power(exponent_measured, scatter),
                      x="n", exponent=0.5, alternative=("e = " + str(alternative), alternative),
                      **extra)


def test_a_scaling_law_holds_rejects_its_neighbour_and_fails_when_perturbed():
    claim, prediction, results, verdict = run(scaling(0.5, 0.45))
    assert verdict.outcome is Outcome.HOLDS, verdict.reason
    assert verdict.alternative.rejected and verdict.alternative.prediction == "e = 0.45"
    perturbed = claim.compare(claim.perturb(prediction), results)
    assert perturbed.outcome is Outcome.DEVIATES


def test_a_scaling_law_that_cannot_tell_its_neighbour_is_inconclusive():
    _, _, _, verdict = run(scaling(0.5, 0.5001, scatter=0.05))
    assert verdict.outcome is Outcome.INCONCLUSIVE
    assert "nearest alternative" in verdict.reason and not verdict.alternative.rejected


def test_a_finite_size_allowance_is_reported_and_does_not_reject_an_alternative_inside_it():
    kind = scaling(0.56, 0.58, finite_size=lambda group: (0.5, 0.6),
                   finite_size_reason="pre-asymptotic logs")
    _, _, _, verdict = run(kind)
    assert verdict.outcome is Outcome.INCONCLUSIVE       # 0.58 is inside the allowance
    kind = scaling(0.56, 0.8, finite_size=lambda group: (0.5, 0.6), finite_size_reason="logs")
    _, _, _, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS and verdict.allowance


def test_a_declared_correction_widens_the_tolerance_for_the_claim_and_the_alternative():
    """A measured 0.53 ± ~0.01 misses 0.5 bare, holds within a declared correction of
    0.05 (flagged as leaning on it), and the alternative 0.58 — rejected without the
    correction — is then within the same widened interval: inconclusive, not held."""
    _, _, _, bare = run(scaling(0.53, 0.58))
    assert bare.outcome is Outcome.DEVIATES
    kind = scaling(0.53, 0.58, correction=lambda group: 0.05, correction_reason="window")
    _, _, _, verdict = run(kind)
    assert verdict.outcome is Outcome.INCONCLUSIVE and not verdict.alternative.rejected
    assert verdict.rows[0]["finite-size correction"] == 0.05 and "window" in verdict.reason
    _, _, _, verdict = run(scaling(0.53, 0.7, correction=lambda group: 0.05))
    assert verdict.outcome is Outcome.HOLDS and verdict.allowance


def test_slope_and_break_rows_are_the_kinds_rules_for_a_claims_own_groups():
    slopes = [0.53, 0.535, 0.54]                # mean 0.535, 95 % half-width 0.0124
    row = slope_row("g", slopes, 0.5, 0.6, correction=0.01, r=1.0)
    assert not row.holds and row.columns["r"] == 1.0          # 0.0224 < 0.035
    row = slope_row("g", slopes, 0.5, 0.6, correction=0.03)   # 0.0424: held, 0.6 rejected
    assert row.holds and row.allowance and row.resolved
    ns = np.geomspace(10, 1000, 21)
    table = np.array([np.minimum(ns, 100.0) ** 0.5 * (1 + 0.01 * np.sin(seed + ns))
                      for seed in range(4)])
    fit = elbow_over_seeds(ns, table, replicates=200)
    row = break_row("g", fit, 100.0, 50.0)
    assert row.holds and row.resolved and not row.allowance
    assert not break_row("g", fit, 60.0, 100.0).holds and break_row("g", fit, 60.0, 100.0,
                                                                       widen=2.0).allowance


def test_a_scaling_law_outside_its_interval_deviates():
    _, _, _, verdict = run(scaling(0.6, 0.45))
    assert verdict.outcome is Outcome.DEVIATES and verdict.deviation > verdict.tolerance


def test_an_unmet_precondition_leaves_a_holding_law_inconclusive_and_is_named_if_it_deviates():
    """A claim's preconditions (what only several points together can tell) are checked
    after the kind's comparison: unmet, a verdict that would hold is inconclusive, and
    one that deviates says so beside its own reason."""
    def largest_n_at_least(limit):
        return lambda results: ([] if max(p["n"] for p, _ in results) >= limit
                                else [f"the largest n is below {limit}"])
    _, _, _, met = run(scaling(0.5, 0.45, preconditions=largest_n_at_least(100)))
    assert met.outcome is Outcome.HOLDS
    _, _, _, unmet = run(scaling(0.5, 0.45, preconditions=largest_n_at_least(1000)))
    assert unmet.outcome is Outcome.INCONCLUSIVE
    assert unmet.reason.startswith("a precondition of the measurement is not met: the largest n")
    assert unmet.rows == met.rows            # the comparison itself is unchanged
    _, _, _, deviates = run(scaling(0.6, 0.45, preconditions=largest_n_at_least(1000)))
    assert deviates.outcome is Outcome.DEVIATES and "Besides, a precondition" in deviates.reason


def test_a_claim_defines_the_sizes_of_its_grid_or_those_it_names():
    assert scaling(0.5, 0.45).to_claim().sizes == ("quick",)
    grid = {size: {"n": [10, 20], "seed": [0]} for size in ("paper", "quick")}
    assert scaling(0.5, 0.45, points=grid).to_claim().sizes == ("quick", "paper")
    named = ScalingLaw(**{**vars(scaling(0.5, 0.45)), "points": lambda size: [],
                          "sizes": ("quick", "full", "paper")})
    assert named.to_claim().sizes == ("quick", "full", "paper")
    assert ScalingLaw(**{**vars(named), "sizes": None}).to_claim().sizes == ("quick", "full")
    with pytest.raises(BadInput, match="the grid's sizes 'ful' are not report sizes"):
        scaling(0.5, 0.45, points={"quick": grid["quick"], "ful": grid["quick"]}).to_claim()


def test_seeds_measured_together_give_the_same_verdict_as_one_seed_per_point():
    one_per_point = scaling(0.5, 0.45)
    single = one_per_point.measure

    def together(point):
        return {"value": [single({**point, "seed": seed}) for seed in point["seeds"]]}
    vectorised = scaling(0.5, 0.45, seed="seeds")
    vectorised = type(vectorised)(**{**vars(vectorised), "measure": together, "points": {
        "quick": {"n": [10, 20, 40, 80, 160], "seeds": [[0, 1, 2, 3]]}}})
    _, _, _, expected = run(one_per_point)
    _, _, _, verdict = run(vectorised)
    assert verdict.outcome is expected.outcome is Outcome.HOLDS
    assert verdict.rows[0]["slope (mean)"] == expected.rows[0]["slope (mean)"]
    assert verdict.rows[0]["seeds"] == 4


def test_several_quantities_of_one_run_are_judged_as_separate_laws():
    def both(point):
        return {"a": noisy_power(0.5, 0.01)(point), "b": noisy_power(0.8, 0.01)(point)}
    kind = scaling(0.5, 0.45, quantities=("a", "b"))
    kind = type(kind)(**{**vars(kind), "measure": both, "alternative": ("e − 0.05", lambda group: {
        "a": 0.45, "b": 0.75}[group["quantity"]]),
        "exponent": lambda group: {"a": 0.5, "b": 0.8}[group["quantity"]]})
    _, _, _, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS, verdict.reason
    assert [row["predicted"] for row in verdict.rows] == [0.5, 0.8]


def test_a_scaling_audit_may_reuse_the_quick_points():
    points = {"quick": {"n": [10, 20, 40], "seed": [0, 1]},
              "full": {"n": [10, 20, 40, 80], "seed": [0, 1, 2]}}
    default = scaling(0.5, 0.4)
    default = type(default)(**{**vars(default), "points": points})
    reusing = type(default)(**{**vars(default), "audit_reuses_quick": True})
    assert {p["seed"] for p in default.audit().points(20)} == {0, 1, 2}
    assert reusing.audit().points(20) == [p for p in default.all_points("quick") if p["n"] <= 20]
    assert reusing.audit().points(80) == default.audit().points(80)


def test_the_scaling_audit_follows_local_slopes():
    claim = scaling(0.5, 0.4).to_claim()
    spec = claim.audit
    assert spec.ladder("quick") == [20, 40, 80, 160]
    rung = spec.points(40)
    results = [(p, claim.measure(p)) for p in rung]
    assert spec.deviation(results) < 0.1


@given(r=st.floats(0.2, 2.0), shift=st.floats(0.05, 0.5))
def test_a_rate_is_judged_at_the_deepest_rung(r, shift):
    def measure(point):
        alphas = [10.0 ** -k for k in range(1, 30)]
        return {"alpha": alphas, "gap": [a ** r * (1 + a ** 0.5) for a in alphas]}
    kind = Rate(id="T-2", **COMMON, points=lambda size: [{"seed": 0}], measure=measure,
                scale="alpha", gap="gap", rate=r, alternative=("r + shift", r + shift),
                tolerance=min(1e-3, shift / 4), reason="a quarter of the separation")
    claim, prediction, results, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS, verdict.reason
    assert claim.compare(claim.perturb(prediction), results).outcome is Outcome.DEVIATES


def test_a_formula_against_an_independent_computation():
    kind = Formula(id="T-3", **COMMON, points={"quick": {"x": [0.1, 1.0, 3.0]}},
                   measure=lambda p: {"value": str(mpmath.quad(mpmath.cos, [0, p["x"]]))},
                   formula=lambda p: mpmath.sin(p["x"]),
                   alternative=("sin x + x³/1e6", lambda p: mpmath.sin(p["x"]) + p["x"] ** 3 / 1e6),
                   tolerance=1e-12, reason="tanh-sinh quadrature at 15 digits")
    claim, prediction, results, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS and verdict.alternative.rejected
    assert claim.compare(claim.perturb(prediction), results).outcome is Outcome.DEVIATES


def test_a_formula_keeps_the_digits_of_high_precision_values():
    """A 50-digit formula and a 50-digit measurement that agree hold at 1e-45: the
    prediction must not round the formula's mpf to the working precision."""
    def sqrt2(point):
        with mpmath.workdps(50):
            return mpmath.sqrt(2) * point["x"]
    kind = Formula(id="T-8", **COMMON, points={"quick": {"x": [1, 3]}},
                   measure=lambda p: {"value": mpmath.nstr(sqrt2(p), 50)}, formula=sqrt2,
                   alternative=("√2·x to float64", lambda p: float(sqrt2(p))),
                   tolerance=1e-45, reason="50 digits")
    _, _, _, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS, verdict.measurement


def test_a_formula_compares_vectors_by_their_norms():
    """A vector formula (e.g. a minimiser) against a vector measurement: the relative
    difference is ‖a − b‖/max(‖a‖, ‖b‖), and a nearby vector is told apart."""
    def solve(point):     # the solution of [[2, 1], [1, 3]]·x = (1, x₂), by elimination
        return [(3 - point["b"]) / 5, (2 * point["b"] - 1) / 5]
    kind = Formula(id="T-9", **COMMON, points={"quick": {"b": [0.5, 2.0]}},
                   measure=lambda p: {"value": np.linalg.solve([[2, 1], [1, 3]],
                                                               [1, p["b"]]).tolist()},
                   formula=solve,
                   alternative=("the first entry 1 % larger",
                                lambda p: [solve(p)[0] * 1.01, solve(p)[1]]),
                   tolerance=1e-12, reason="float64 solve of a well-conditioned 2×2 system")
    claim, prediction, results, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS and verdict.alternative.rejected, verdict.reason
    assert all("formula" not in row for row in verdict.rows)     # vectors are not tabulated
    assert claim.compare(claim.perturb(prediction), results).outcome is Outcome.DEVIATES


def test_an_ordering_paired_over_seeds():
    def measure(point):
        rng = np.random.default_rng(point["seed"])
        base = math.exp(rng.standard_normal())
        return {"a": base, "b": base * point["gain"]}
    kind = Ordering(id="T-4", **COMMON, points={"quick": {"gain": [3.0, 1.0], "seed": range(5)}},
                    measure=measure, lower="a", upper="b")
    claim, prediction, results, verdict = run(kind)
    rows = {row["at"]: row for row in verdict.rows}
    assert rows["gain = 3"]["alternative rejected"]
    assert not rows["gain = 1"]["alternative rejected"]
    assert verdict.outcome is Outcome.INCONCLUSIVE            # gain 1 cannot be told apart


def test_an_ordering_with_margins_paired_across_points():
    """Pairs that span points (the value at n against the value at the next n, per
    seed): the claim supplies the margins; the alternative negates them."""
    def margins(results):
        by_seed = {}
        for point, measured in results:
            by_seed.setdefault(point["seed"], {})[point["n"]] = measured["value"]
        return {f"n = {n} → {2 * n}": [math.log(v[2 * n] / v[n]) for v in by_seed.values()]
                for n in (10, 20)}
    kind = Ordering(id="T-10", **COMMON, points={"quick": {"n": [10, 20, 40], "seed": range(4)}},
                    measure=lambda p: p["n"] * (1 + 0.01 * p["seed"]), margins=margins,
                    alternative="the value falls with n")
    claim, prediction, results, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS and verdict.alternative.rejected, verdict.reason
    assert [row["at"] for row in verdict.rows] == ["n = 10 → 20", "n = 20 → 40"]
    assert claim.compare(claim.perturb(prediction), results).outcome is Outcome.DEVIATES
    claim.figure(prediction, results, verdict)


def test_an_elbow_at_its_location():
    def measure(point):
        rng = np.random.default_rng([point["seed"], int(point["n"] * 1000)])
        return min(point["n"], 100.0) ** 0.5 * math.exp(0.01 * rng.standard_normal())
    kind = Elbow(id="T-5", **COMMON, points={"quick": {"n": list(np.geomspace(10, 1000, 21)),
                                                       "seed": range(4)}},
                 measure=measure, x="n", location=100.0, alternative=("n⋆/2", 50.0),
                 replicates=200)
    claim, prediction, results, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS, verdict.reason
    assert claim.compare(claim.perturb(prediction), results).outcome is Outcome.DEVIATES


def test_a_sampled_bound_is_inconclusive_and_a_proved_one_holds():
    sample = dict(id="T-6", **COMMON, points={"quick": {"x": list(np.linspace(0, 1, 11))}},
                  measure=lambda p: {"lhs": p["x"] ** 2, "rhs": p["x"]}, box="x ∈ [0, 1]",
                  over=("x",), tolerance=1e-15, reason="float64 rounding")
    _, _, _, verdict = run(Bound(**sample))
    assert verdict.outcome is Outcome.INCONCLUSIVE
    proof = {"x² ≤ x": lambda: {"status": "proved", "box": "[0, 1]", "boxes": 3, "seconds": 0.1}}
    _, _, _, verdict = run(Bound(**sample, proofs=proof, proofs_cover=True))
    assert verdict.outcome is Outcome.HOLDS and verdict.evidence is Evidence.PROVED
    assert any(row.get("evidence", "").startswith("proved on") for row in verdict.rows)


def test_a_bound_with_a_sharper_alternative_the_samples_violate_holds():
    kind = Bound(id="T-7", **COMMON, points={"quick": {"x": list(np.linspace(0.1, 1, 10))}},
                 measure=lambda p: {"lhs": p["x"] ** 2, "rhs": p["x"]}, box="x ∈ [0.1, 1]",
                 over=("x",), tolerance=1e-15, reason="rounding",
                 alternative=("x² ≤ x/2", lambda p, m: (m["rhs"] / 2 - m["lhs"]) / m["rhs"]))
    claim, prediction, results, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS
    assert claim.compare(claim.perturb(prediction), results).outcome is Outcome.DEVIATES


def test_a_kind_in_a_claim_module_joins_the_registry(monkeypatch, tmp_path):
    module = tmp_path / "toy_kinds_module.py"
    module.write_text("from verify.kinds import Ordering\nCLAIMS = [Ordering(id='TOY-K', "
                      "title='t', statement='s', source='x', fidelity='paper', "
                      "points={'quick': {'seed': [0, 1]}}, measure=lambda p: {'a': 1, 'b': 2}, "
                      "lower='a', upper='b')]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("VERIFY_CLAIM_MODULES", "toy_kinds_module")
    from verify.claims import get_claim
    assert get_claim("TOY-K").compare({"order": "a<b"}, [({"seed": 0}, {"a": 1, "b": 2})])


def test_a_proof_of_part_of_a_bound_does_not_make_it_proved():
    """Every proof row proved, but the proofs are not declared to cover the statement:
    the rows say "proved on …", the claim stays sampled and inconclusive."""
    kind = Bound(id="T-8", **COMMON, points={"quick": {"x": [0.2, 0.5]}},
                 measure=lambda p: {"lhs": p["x"] ** 2, "rhs": p["x"]}, box="x ∈ [0, 1]",
                 over=("x",), tolerance=1e-15, reason="rounding",
                 proofs={"x² ≤ x on [0, ½]": lambda: {"status": "proved", "box": "[0, ½]",
                                                      "boxes": 1, "seconds": 0.0}})
    _, _, _, verdict = run(kind)
    assert verdict.evidence is Evidence.SAMPLED and verdict.outcome is Outcome.INCONCLUSIVE
    assert any(row.get("evidence", "").startswith("proved on") for row in verdict.rows)


def test_a_box_proof_becomes_a_bound_proof_row():
    """numerics.boxes.prove's outcome, through box_proof: proved rows, and a counterexample
    (x² ≤ 2x fails beyond 2) that makes the bound deviate with the point named."""
    from numerics.boxes import at_most, prove
    from verify.kinds.bound import box_proof

    def square_below(lo, hi):
        return box_proof(f"x ∈ [{lo}, {hi}]", lambda: prove(
            lambda b: at_most(b["x"] ** 2, 2 * b["x"]), {"x": (lo, hi)}, budget=200))

    sample = dict(id="T-9", **COMMON, points={"quick": {"x": [0.5]}},
                  measure=lambda p: {"lhs": p["x"] ** 2, "rhs": 2 * p["x"]}, box="x ∈ [0.1, 1]",
                  over=("x",), tolerance=1e-15, reason="rounding", proofs_cover=True)
    _, _, _, verdict = run(Bound(**sample, proofs={"x² ≤ 2x": square_below("0.1", 1)}))
    assert verdict.outcome is Outcome.HOLDS and verdict.evidence is Evidence.PROVED
    _, _, _, verdict = run(Bound(**sample, proofs={"x² ≤ 2x": square_below("0.1", 3)}))
    assert verdict.outcome is Outcome.DEVIATES
    assert "counterexample on x ∈ [0.1, 3] at" in verdict.rows[0]["evidence"]


def test_checks_judge_the_claims_own_rows_against_one_competing_statement():
    """Rows the claim computes: one row that tells the alternative apart rejects it for
    the whole claim; perturbed, every row is judged against the alternative; a row the
    alternative does not change is judged as it is; reported rows are kept unjudged."""
    def rows(results):
        values = [measured["value"] for _, measured in results]
        return [Row("identity", max(values) - 1, 1e-9, abs(max(values) - 1.5)),
                Row("spread", 0.1, 0.2, 0.15),
                Row("ordering", 0.0, 1e-12)], ["a note"]
    kind = Checks(id="T-11", **COMMON, points={"quick": {"seed": [0, 1]}},
                  measure=lambda point: 1.0, rows=rows, prediction="x = 1",
                  measurement=lambda judged, results: f"{len(judged)} rows",
                  reason=lambda results: f"{len(results)} points", alternative="x = 1.5",
                  reported=lambda results: [{"at": "reported", "gap": 0.5}],
                  curves=lambda results: [("x", [1, 2], [1.0, 1.0], None)])
    claim, prediction, results, verdict = run(kind)
    assert verdict.outcome is Outcome.HOLDS and verdict.alternative.rejected, verdict.reason
    assert all(row["alternative rejected"] for row in verdict.rows[:3])
    assert verdict.alternative.deviation == 0.5 and verdict.reason == "2 points"
    assert verdict.rows[-1] == {"at": "reported", "gap": 0.5} and verdict.diagnostics == ["a note"]
    perturbed = claim.compare(claim.perturb(prediction), results)
    assert perturbed.outcome is Outcome.DEVIATES
    assert [row["at"] for row in perturbed.rows if row.get("holds") is False] == ["identity"]
    claim.figure(prediction, results, verdict)

"""The report as a reader sees it: formulas as MathML, valid LaTeX and
expression objects in results.json, figures linked (PNG and vector PDF, titles
whole), readable numbers and deviations, the verdict's alternative, evidence,
allowance and diagnostics.

Reports here are rendered from evaluations built by hand (no measuring), so
each test states exactly what the report is given.
"""

from __future__ import annotations

import json
import re
import struct
import xml.dom.minidom
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from theory.prediction import Prediction, latex_text
from verify.__main__ import main
from verify.claim import Alternative, Claim, Evidence, Fidelity, Outcome, Verdict
from verify.compare import Evaluation
from verify.mathml import mathml
from verify.report import Report, write_report

z, p, r = sp.symbols("z p r", positive=True)
Q = z * sp.asinh(z / 2) - sp.sqrt(z ** 2 + 4) + 2  # Woodworth et al. 2020, eq. (5)
EXPONENTS = Prediction(
    "exponents by regime", {"bulk_fixed_d": sp.Rational(1, 2),
                            "spike_proportional": sp.Piecewise(
                                ((2 * p - r - 2) / (2 * r * (p - 1)), r < 2 * (p - 1)), (0, True))},
    (p, r), source="a test", fidelity="reconstructed", derivation="typed in")
LONG_TITLE = "a panel title far wider than its panel, which a plain save cuts off at the edge"


def toy_figure(prediction, results, verdict):
    figure = Figure(figsize=(3, 2.5), layout="constrained")
    axes = figure.subplots(1, 2)
    axes[1].plot([0, 1], [0, 1])
    axes[1].set_title(LONG_TITLE)
    return figure


def toy_claim(claim_id: str, figure=toy_figure) -> Claim:
    def never(*args):
        raise AssertionError("a rendering test must not measure or judge")

    return Claim(id=claim_id, title="a toy", statement="s", source="a test, eq. (1)",
                 fidelity=Fidelity.PAPER, derivation="d", points=never, measure=never,
                 predict=never, compare=never, perturb=never, figure=figure)


def evaluation(claim_id: str, verdict: Verdict, prediction: dict | None = None,
               figure=toy_figure) -> Evaluation:
    return Evaluation(toy_claim(claim_id, figure), "quick",
                      {"q": Q, "exponents": EXPONENTS} if prediction is None else prediction,
                      [], [], verdict)


FULL = Verdict(
    Outcome.HOLDS, prediction=f"q = {Q}", measurement="quadrature at 3 points",
    deviation=-0.26723642611815857, tolerance=1e-40, reason="a stated reason",
    rows=[{"z": 0.1, "95 % CI": (32.953083518465974, 65.93443131327186), "holds": True,
           "evidence": "proved on [1e-8, 1e8]"},
          {"z": 2.0, "95 % CI": [6.999999999999999, 123.89458528815423], "holds": False,
           "evidence": "sampled at 18 points"}],
    alternative=Alternative("q = z²/4 (the kernel regime)", 0.4123456789, rejected=False),
    evidence=Evidence.PROVED, allowance="window bias of the finite n-range, ≤ 0.17 in log n",
    diagnostics=["2 of 40 recoveries failed", "crossover at n = 61"])
# the new fields absent, or None where a claim might leave them so
BARE = Verdict(Outcome.DEVIATES, prediction="something", measurement="m", deviation=4.0,
               tolerance=0.0, reason="counted", evidence=None, allowance=None, diagnostics=None)


def write(tmp_path: Path, *evaluations: Evaluation) -> Path:
    report = Report({"command": "pytest", "commit": "0" * 40, "date": "today", "size": "quick",
                     "measured on": "nowhere", "store": "none", "machine": {"cpus": 1}},
                    list(evaluations), {})
    return write_report(report, tmp_path / "report")


@pytest.fixture
def report_dir(tmp_path) -> Path:
    return write(tmp_path, evaluation("TOY-1", FULL), evaluation("TOY-2", BARE))


def summary_rows(page: str) -> list[str]:
    summary = page[page.index('id="summary"'):]
    table = summary[:summary.index("</table>")]
    return table.split("<tr>")[2:]


def unescaped_specials_in_text(latex: str) -> list[str]:
    r"""The arguments of ``\text{…}`` that hold an unescaped ``_``, ``^``, ``%``, ``&`` or ``#``."""
    return [argument for argument in re.findall(r"\\text\{((?:\\.|[^{}\\])*)\}", latex)
            if re.search(r"(?<!\\)[_^%&#]", argument)]


def braces_balance(latex: str) -> bool:
    depth = 0
    for brace in re.sub(r"\\.", "", latex):  # escaped characters (\{, \_) are not structure
        depth += {"{": 1, "}": -1}.get(brace, 0)
        if depth < 0:
            return False
    return depth == 0


def test_a_quoted_prediction_renders_as_mathml(report_dir):
    page = (report_dir / "index.html").read_text()
    row = summary_rows(page)[0]
    assert "<math" in row and str(Q) not in row  # the sympy text became a formula
    assert "<mi>z</mi>" in row and "<msqrt>" in row
    for formula in re.findall(r"<math.*?</math>", page, flags=re.S):
        xml.dom.minidom.parseString(formula)  # well-formed: "<" of r < 2(p−1) is escaped
    assert "<mo>&lt;</mo>" in page and "<mtable" in page  # the Piecewise, as cases
    assert "piecewise" not in page and "<mfenced" not in page  # no call syntax, no non-Core tag
    markdown = (report_dir / "index.md").read_text()
    assert f"q = ${sp.latex(Q)}$" in markdown


def test_mathml_escapes_and_writes_landau_o_at_its_point():
    assert mathml(z < 1) == ('<math display="inline"><mrow><mi>z</mi><mo>&lt;</mo><mn>1</mn>'
                             "</mrow></math>")
    at_infinity = mathml(sp.O(1 / z ** 6, (z, sp.oo)))
    assert "<mi>O</mi>" in at_infinity and "<mi>∞</mi>" in at_infinity
    assert "order" not in at_infinity


def test_results_json_writes_expressions_as_objects_with_valid_latex(report_dir):
    data = json.loads((report_dir / "results.json").read_text())
    prediction = data["claims"][0]["prediction"]
    assert prediction["q"]["sympy"] == str(Q) and prediction["q"]["free_symbols"] == ["z"]
    assert sp.sympify(prediction["q"]["srepr"]) == Q
    exponents = prediction["exponents"]
    assert isinstance(exponents["expression"], dict)
    assert set(exponents["expression"]["parts"]) == {"bulk_fixed_d", "spike_proportional"}
    for latex in [prediction["q"]["latex"], exponents["latex"],
                  *(part["latex"] for part in exponents["expression"]["parts"].values())]:
        assert braces_balance(latex) and not unescaped_specials_in_text(latex), latex
    assert r"\text{bulk\_fixed\_d}" in exponents["latex"]
    assert data["claims"][0]["figure"] == {"png": "figures/TOY-1.png", "pdf": "figures/TOY-1.pdf"}


@given(st.text(max_size=30))
def test_latex_text_escapes_every_special_character(text):
    latex = rf"\text{{{latex_text(text)}}}"
    assert braces_balance(latex)
    assert not unescaped_specials_in_text(latex)
    assert not re.search(r"(?<!\\)[$~]", latex_text(text).replace(r"\~{}", ""))


def test_figures_are_linked_in_png_and_pdf_with_titles_whole(report_dir):
    page = (report_dir / "index.html").read_text()
    assert "data:image" not in page and "base64" not in page
    shown = re.findall(r'<img [^>]*src="([^"]+)"', page)
    linked = re.findall(r'href="(figures/[^"]+)"', page)
    assert shown == ["figures/TOY-1.png", "figures/TOY-2.png"]
    assert linked == ["figures/TOY-1.pdf", "figures/TOY-2.pdf"]
    for name in shown + linked:
        assert (report_dir / name).stat().st_size > 0
    assert (report_dir / "figures/TOY-1.pdf").read_bytes().startswith(b"%PDF")
    width, _ = struct.unpack(">II", (report_dir / "figures/TOY-1.png").read_bytes()[16:24])
    # 3 inches at 110 dpi is 330 px; the long title only fits in a wider image
    assert width > 3 * 110 * 1.3, width


def test_table_numbers_are_formatted_also_in_intervals(report_dir):
    page = (report_dir / "index.html").read_text()
    assert "<td>[32.95, 65.93]</td>" in page and "<td>[7, 123.9]</td>" in page
    assert "32.953083518465974" not in page and "6.999999999999999" not in page
    assert "<td>yes</td>" in page and "<td>no</td>" in page


def test_the_deviation_reads_against_its_tolerance(report_dir):
    full, bare = summary_rows((report_dir / "index.html").read_text())
    assert "<td>-0.2672 ≤ 1e-40</td>" in full
    assert "<td>4 &gt; 0</td>" in bare


def test_the_verdicts_new_fields_render(report_dir):
    page = (report_dir / "index.html").read_text()
    full, bare = summary_rows(page)
    assert "<td>proved</td>" in full and "<td>NOT rejected</td>" in full
    assert 'title="finite-size allowance: window bias' in full and "†" in full
    assert "<td>—</td>" in bare and "†" not in bare  # no evidence, no alternative, no allowance
    section = page[page.index('id="toy-1"'):page.index('id="toy-2"')]
    assert "<li>2 of 40 recoveries failed</li>" in section and "<li>crossover at n = 61</li>" in section
    assert "q = z²/4 (the kernel regime)" in section and "0.4123" in section
    assert "window bias of the finite n-range" in section
    assert "<th>evidence</th>" in section and "<td>proved on [1e-8, 1e8]</td>" in section
    markdown = (report_dir / "index.md").read_text()
    assert "**holds** †" in markdown and "* crossover at n = 61" in markdown


def test_every_claim_section_links_back_to_the_summary(report_dir):
    page = (report_dir / "index.html").read_text()
    for anchor in ("toy-1", "toy-2"):
        heading = re.search(rf'<h3 id="{anchor}">.*?</h3>', page).group()
        assert 'href="#summary"' in heading
    assert page.count('id="summary"') == 1


def test_wide_tables_scroll_in_their_own_box(report_dir):
    page = (report_dir / "index.html").read_text()
    assert page.count("<table>") == page.count('<div class="table-box"><table>')
    assert re.search(r"\.table-box \{[^}]*overflow-x: auto", page)


def test_a_claim_without_prediction_or_figure_still_renders(tmp_path):
    out = write(tmp_path, evaluation("TOY-3", BARE, prediction={}, figure=None))
    page = (out / "index.html").read_text()
    assert "No figure: this claim draws no figure" in page and "<math" not in page
    assert "Prediction (theory)" not in page  # an empty prediction gets no empty table


@pytest.mark.parametrize("argv", [["zl_exponents", "--no-check"], ["--all"]])
def test_formula_json_writes_expressions_as_objects_with_valid_latex(capsys, argv):
    assert main(["formula", *argv, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    formulas = shown["formulas"] if "formulas" in shown else list(shown.values())
    for formula in formulas:
        expression = formula["expression"]
        parts = expression["parts"].values() if "parts" in expression else [expression]
        for part in parts:
            assert set(part) == {"sympy", "srepr", "latex", "free_symbols"}
        for latex in [formula["latex"], *(part["latex"] for part in parts)]:
            assert braces_balance(latex) and not unescaped_specials_in_text(latex), latex

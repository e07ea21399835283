"""sympy expressions as inline presentation MathML, for the HTML report.

Browsers render MathML Core natively, so formulas need no script and no
external asset.  sympy's presentation printer builds the right tree, but its
text writer does not escape (a strict inequality comes out as ``<mo><</mo>``)
and uses HTML entity names; :func:`mathml` therefore serialises the tree
itself, writing characters escaped as XML needs.  Two functions that sympy
prints as calls (``piecewise((…, …))``, ``order(…)``) get their usual
notation: cases in a brace, and O(…) with its limit point.

>>> import sympy
>>> x = sympy.Symbol("x")
>>> mathml(x < 1)
'<math display="inline"><mrow><mi>x</mi><mo>&lt;</mo><mn>1</mn></mrow></math>'
"""

from __future__ import annotations

import html
from xml.dom.minidom import Element, Node

import sympy
from sympy.printing.mathml import MathMLPresentationPrinter

__all__ = ["mathml"]


def mathml(expr) -> str:
    """``expr`` (a sympy expression) as one inline ``<math>`` element."""
    element = _Printer()._print(sympy.sympify(expr))
    return f'<math display="inline">{_serialise(element)}</math>'


def _serialise(node: Node) -> str:
    if node.nodeType == Node.TEXT_NODE:
        # sympy's text may hold entity names (&InvisibleTimes;) or raw "<"; both become characters
        return html.escape(html.unescape(node.data), quote=False)
    attributes = "".join(f' {name}="{html.escape(value)}"'
                         for name, value in node.attributes.items())
    inner = "".join(_serialise(child) for child in node.childNodes)
    return f"<{node.tagName}{attributes}>{inner}</{node.tagName}>"


class _Printer(MathMLPresentationPrinter):
    """sympy's presentation printer with cases and Landau's O written as such."""

    def _element(self, tag: str, *children, text: str | None = None, **attributes) -> Element:
        element = self.dom.createElement(tag)
        for name, value in attributes.items():
            element.setAttribute(name, value)
        if text is not None:
            element.appendChild(self.dom.createTextNode(text))
        for child in children:
            element.appendChild(child)
        return element

    def _print_Piecewise(self, expr) -> Element:
        rows = []
        for piece, condition in expr.args:
            when = (self._element("mtext", text="otherwise") if condition == sympy.true else
                    self._element("mrow", self._element("mtext", text="if\u2002"),
                                  self._print(condition)))
            rows.append(self._element("mtr", self._element("mtd", self._print(piece)),
                                      self._element("mtd", when, columnalign="left")))
        return self._element("mrow", self._element("mo", text="{", stretchy="true"),
                             self._element("mtable", *rows, columnalign="left"))

    def _print_Order(self, expr) -> Element:
        parts = [self._element("mi", text="O"), self._element("mo", text="("),
                 self._print(expr.expr), self._element("mo", text=")")]
        if expr.variables and any(point != 0 for point in expr.point):
            # O(·) at 0 is the default; any other limit point is stated, as in "O(z⁻⁶), z → ∞"
            for variable, point in zip(expr.variables, expr.point):
                parts += [self._element("mo", text=","), self._print(variable),
                          self._element("mo", text="\u2192"), self._print(point)]
        return self._element("mrow", *parts)

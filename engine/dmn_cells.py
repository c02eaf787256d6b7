"""Lint: DMN input cells the library would run wrongly. Cells are Python tests (the `?` form,
`? in ("SC", "ST")`, `100000 < ? <= 2000000`, `>= 10`, or a value compared for equality). Two
FEEL habits go wrong silently or late: a list of values (`"SC", "ST"` is a Python tuple, compared
for equality with the input, so it never matches) and anything that is not Python (a range
`[1..5]`, which fails only when an application reaches the table)."""

from __future__ import annotations

import ast
import re

from lxml import etree

from engine.errors import Problem

_QUESTION = re.compile(r"""(\?)(?=(?:[^'"]|['"][^'"]*['"])*$)""")  # the library's own: a ? outside quotes


def _parses(text: str) -> ast.Expression | None:
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError:
        return None


def cell_problem(text: str) -> str | None:
    """Why an input cell would not test what it says (None when it is fine)."""
    if not text or text == "-":
        return None  # any value
    if _QUESTION.search(text):
        if _parses(_QUESTION.sub("dmninput", text)) is None:
            return f"The rule's input cell `{text}` is not a Python test (write it like ? in (\"SC\", \"ST\") or 100000 < ? <= 2000000)."
        return None
    tree = _parses(text)
    if tree is not None:
        if isinstance(tree.body, ast.UnaryOp) and isinstance(tree.body.op, ast.Not):
            return (f"The rule's input cell `{text}` is FEEL's negation, which Python reads as false and compares with "
                    "the input; write ? != value or ? not in (values).")
        if isinstance(tree.body, ast.Tuple):
            values = ", ".join(ast.unparse(e) for e in tree.body.elts)
            return (f"The rule's input cell `{text}` is a list of values, which would never match (it is compared "
                    f"with the input as a whole); write ? in ({values}).")
        return None
    if _parses(f"v {text}") is not None:
        return None  # an operator and a value: `>= 10`
    return (f"The rule's input cell `{text}` is not a Python test; cells are written like ? in (\"SC\", \"ST\"), "
            "100000 < ? <= 2000000, >= 10 or a value.")


def lint_dmn_cells(file: str, root: etree._Element) -> list[Problem]:
    problems = []
    for entry in root.iter("{*}inputEntry"):
        text = " ".join((entry.findtext("{*}text") or "").split())
        why = cell_problem(text)
        if why:
            decision = next((a for a in entry.iterancestors() if etree.QName(a).localname == "decision"), None)
            problems.append(Problem(
                why, file=file, element_id=entry.get("id") or (decision.get("id") if decision is not None else None),
                element_name=decision.get("name") if decision is not None else None,
            ))
    return problems

"""Lint: every outcome a user task allows is routed by what follows it.

A step declares its decision choices (`spiffworkflow:property name="outcomes"`, e.g.
`approve,return,reject`); the flows after it branch on `outcome`. If an officer may choose
`return` but no flow after the step accepts `return` (and there is no default flow), the instance
would stop with "No conditions satisfied" at run time. Conditions are judged with three-valued
logic: a comparison of `outcome` with a constant is true or false for each outcome, anything else
is unknown, and a flow is counted as handling an outcome unless its condition is certainly false.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from lxml import etree

from engine.errors import Problem

_SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_BRANCHING = ("exclusiveGateway", "inclusiveGateway")


def declared_outcomes(task: etree._Element) -> list[str]:
    for prop in task.iter(f"{{{_SPIFF_NS}}}property"):
        if prop.get("name") == "outcomes":
            return [o.strip() for o in (prop.get("value") or "").split(",") if o.strip()]
    return []


def _condition(flow: etree._Element) -> str | None:
    for child in flow:
        if isinstance(child.tag, str) and etree.QName(child).localname == "conditionExpression":
            return (child.text or "").strip()
    return None


def _truth(node: ast.AST, outcome: str) -> bool | None:
    """True, False, or None (unknown) for the condition when `outcome` has this value."""
    if isinstance(node, ast.Expression):
        return _truth(node.body, outcome)
    if isinstance(node, ast.Constant):
        return bool(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _truth(node.operand, outcome)
        return None if inner is None else not inner
    if isinstance(node, ast.BoolOp):
        values = [_truth(v, outcome) for v in node.values]
        if isinstance(node.op, ast.And):
            return False if False in values else (True if all(v is True for v in values) else None)
        return True if True in values else (False if all(v is False for v in values) else None)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return _compare(node.left, node.ops[0], node.comparators[0], outcome)
    return None


def _constant(node: ast.AST) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and all(isinstance(e, ast.Constant) for e in node.elts):
        return [e.value for e in node.elts]
    return ...


def _is_outcome(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "outcome"


def _compare(left: ast.AST, op: ast.cmpop, right: ast.AST, outcome: str) -> bool | None:
    if _is_outcome(right) and isinstance(op, (ast.Eq, ast.NotEq)):
        left, right = right, left
    if not _is_outcome(left):
        return None
    value = _constant(right)
    if value is ...:
        return None
    if isinstance(op, ast.Eq):
        return outcome == value
    if isinstance(op, ast.NotEq):
        return outcome != value
    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(value, (list, str)):
        return (outcome in value) == isinstance(op, ast.In)
    return None


def lint_outcomes(
    file: str, task: etree._Element, nodes: Mapping[str, etree._Element], outgoing: Mapping[str, list[etree._Element]]
) -> list[Problem]:
    """A problem per declared outcome that no flow after the task can take."""
    outcomes = declared_outcomes(task)
    flows = outgoing.get(task.get("id"), [])
    if not outcomes or not flows:
        return []
    where = task
    default = task.get("default")
    if len(flows) == 1 and not _condition(flows[0]):
        target = nodes.get(flows[0].get("targetRef"))
        if target is None or etree.QName(target).localname not in _BRANCHING:
            return []
        where, default, flows = target, target.get("default"), outgoing.get(target.get("id"), [])
    conditions = {}
    for flow in flows:
        text = _condition(flow)
        if not text:
            if flow.get("id") != default:
                return []  # an unconditioned flow: reported by the gateway lint, takes anything
            continue
        try:
            conditions[flow.get("id")] = ast.parse(text, mode="eval")
        except SyntaxError:
            return []  # reported where the condition is translated
    if default or not any(_is_outcome(n) for tree in conditions.values() for n in ast.walk(tree)):
        return []
    label = f"gateway '{where.get('name') or where.get('id')}'" if where is not task else "the step"
    problems = []
    for outcome in outcomes:
        if all(_truth(tree, outcome) is False for tree in conditions.values()):
            problems.append(Problem(
                f"The step allows the outcome '{outcome}', but no flow leaving {label} handles it: add a flow "
                f"with the condition outcome == \"{outcome}\" (or a default flow), or remove '{outcome}' from the "
                "step's outcomes.",
                file=file, element_id=task.get("id"), element_name=task.get("name"),
            ))
    return problems

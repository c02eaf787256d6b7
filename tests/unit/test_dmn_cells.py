"""DMN input cells that would match wrongly (FEEL lists and negations) or fail when reached (FEEL
ranges) are refused at deploy; the Python forms the shipped tables use pass."""

from __future__ import annotations

import pytest

from engine.definitions import check
from engine.dmn_cells import cell_problem
from tests.flow_edits import margin_money_files, shipped_scheme_rules

FINE = ["", "-", "? <= 150000000", "2500000 < ? <= 5000000", '? == "domestic"', '? in ("SC", "ST")', '"SC"', ">= 10",
        "x > 3", '"a, b"', "'?'"]
REFUSED = [('"SC", "ST"', "write ? in ('SC', 'ST')"), ('not("SC")', "negation"), ("[1..5]", "not a Python test"),
           ("? in [1..5]", "not a Python test"), ('"SC" or', "not a Python test")]


@pytest.mark.parametrize("cell", FINE)
def test_python_cells_pass(cell: str) -> None:
    assert cell_problem(cell) is None


@pytest.mark.parametrize(("cell", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_feel_cells_are_refused_with_the_python_form(cell: str, says: str) -> None:
    assert says in (cell_problem(cell) or "")


def test_a_deploy_names_the_cell() -> None:
    files = {k: v.encode() for k, v in margin_money_files().items()}
    dmn = files["margin_money_benefit.dmn"].decode()
    files["margin_money_benefit.dmn"] = dmn.replace(
        '<inputEntry id="rule_margin_money_benefit_1_in_0"><text>? &lt;= 2500000</text>',
        '<inputEntry id="rule_margin_money_benefit_1_in_0"><text>[0..2500000]</text>',
    ).encode()
    assert files["margin_money_benefit.dmn"] != dmn.encode(), "the edit applies"
    problems = check(files, **shipped_scheme_rules()).problems
    assert [(p.element_id, "not a Python test" in p.message) for p in problems] == [("rule_margin_money_benefit_1_in_0", True)]

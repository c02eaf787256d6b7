"""Out-of-range values in a decision are refused by the use case, on both databases (issue 13)."""

from __future__ import annotations

import pytest

from engine.runtime import Runtime
from tests.integration.scheme_helpers import LOAN, MM_DATA, open_task, set_up, step, submit, walk
from workflows.errors import ValidationFailed
from workflows.usecases.decisions import MAX_AMOUNT


@pytest.mark.parametrize("amount", [2**64, 10**30, MAX_AMOUNT + 1, 0, -5, True])
def test_bank_loan_amount_out_of_range_is_refused_naming_the_field(runtime: Runtime, amount: int) -> None:
    set_up(runtime)
    number = submit(runtime, "MM")
    walk(runtime, number, [("dic_scrutiny", "approve"), ("dtf_committee", "approve")])
    with pytest.raises(ValidationFailed) as refused:
        step(runtime, number, "bank_appraisal", "approve", **{**LOAN, "loan_amount": amount})
    assert "loan_amount" in refused.value.fields
    task = open_task(runtime, number)
    assert task is not None and task.bpmn_id == "bank_appraisal"
    application = step(runtime, number, "bank_appraisal", "approve", **{**LOAN, "loan_amount": MM_DATA["project_cost"]})
    assert application.status == "in_process"

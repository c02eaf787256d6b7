"""The bank step as scheme data: the IFSC format, masking of the loan account, the bundle's checks."""

from __future__ import annotations

import pytest

from web.infra.config import ROOT
from workflows.catalogue.bank_step import bank_step, flow_problems, problems, valid_ifsc
from workflows.catalogue.bundles import load_folder
from workflows.loans import mask_account


@pytest.mark.parametrize(
    ("ifsc", "valid"),
    [("SBIN0001735", True), ("BARB0KAMAGR", True), ("PUNB0098700", True), ("SBIN1001735", False),
     ("sbin0001735", False), ("SBI00001735", False), ("SBIN000173", False), ("SBIN00017355", False),
     ("SBIN0-01735", False), ("", False), (None, False), (12345678901, False)],
)  # fmt: skip
def test_ifsc_is_four_letters_a_zero_and_six_letters_or_digits(ifsc: object, valid: bool) -> None:
    assert valid_ifsc(ifsc) is valid


def test_the_loan_account_shows_only_its_last_four() -> None:
    assert mask_account("31234567890") == "XXXX7890"
    assert "3123456" not in mask_account("31234567890")


def test_margin_money_declares_its_bank_step_and_the_fields_a_bank_officer_sees() -> None:
    bundle = load_folder(ROOT / "bpmn" / "schemes" / "margin_money")
    step = bank_step(bundle)
    assert step is not None and (step.sanction_step, step.disbursement_step) == ("bank_appraisal", "bank_disbursement")
    assert not {"date_of_birth", "category", "gender"} & set(step.officer_fields)
    application = {c["key"] for c in bundle["forms"]["application"]["components"] if "key" in c}
    assert problems(bundle, application) == []
    assert flow_problems(bundle, {"bank_appraisal", "bank_disbursement"}) == []
    assert bank_step(load_folder(ROOT / "bpmn" / "schemes" / "cfc")) is None


def test_a_bank_step_naming_what_the_scheme_lacks_is_refused_in_plain_words() -> None:
    bundle = {"bank": {"branch_field": "ifsc", "project_cost_field": "project_cost", "sanction_step": "sanction",
                       "disbursement_step": "disburse", "officer_fields": ["applicant_name", "caste"]}}
    assert problems(bundle, {"applicant_name", "project_cost"}) == [
        "The bank step's branch_field 'ifsc' is not a field of the application form.",
        "The bank officer's field 'caste' is not a field of the application form.",
    ]
    assert flow_problems(bundle, {"sanction"}) == ["The bank step's disbursement_step 'disburse' is not a user task of the flow."]

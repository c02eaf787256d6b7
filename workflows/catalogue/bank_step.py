"""A scheme's bank step, as scheme data (`"bank"` in scheme.json; D76-D77).

    "bank": {"branch_field": "bank_ifsc", "project_cost_field": "project_cost",
             "sanction_step": "bank_appraisal", "disbursement_step": "bank_disbursement",
             "officer_fields": ["applicant_name", "mobile", "product", ...]}

The application form's `branch_field` holds the IFSC of the branch the applicant chose; it routes
the bank's tasks to that branch's officers. The sanction step's decision form records
`loan_amount`, `loan_account_number` and `sanction_date`; the disbursement step's
`disbursed_amount` and `disbursement_date`. `officer_fields` are the application fields a bank
officer sees (nothing else: no date of birth, category or identity numbers), `officer_documents`
the document kinds they may open (the passbook and the project report, not the Aadhaar card).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# IFSC: four letters (the bank), a zero, six letters or digits (the branch).
IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
SANCTION_FIELDS = ("loan_amount", "loan_account_number", "sanction_date")
DISBURSEMENT_FIELDS = ("disbursed_amount", "disbursement_date")


def valid_ifsc(value: Any) -> bool:
    return isinstance(value, str) and bool(IFSC.match(value))


@dataclass(frozen=True)
class BankStep:
    branch_field: str
    project_cost_field: str
    sanction_step: str
    disbursement_step: str
    officer_fields: tuple[str, ...]
    officer_documents: tuple[str, ...] = ()  # the document kinds a bank officer may open


def bank_step(bundle: Mapping[str, Any]) -> BankStep | None:
    """The bank step of a bundle, or None when the scheme has none."""
    raw = bundle.get("bank")
    if not isinstance(raw, Mapping):
        return None
    return BankStep(
        branch_field=str(raw.get("branch_field") or ""),
        project_cost_field=str(raw.get("project_cost_field") or ""),
        sanction_step=str(raw.get("sanction_step") or ""),
        disbursement_step=str(raw.get("disbursement_step") or ""),
        officer_fields=tuple(str(f) for f in raw.get("officer_fields") or ()),
        officer_documents=tuple(str(d) for d in raw.get("officer_documents") or ()),
    )


def problems(bundle: Mapping[str, Any], application: set[str]) -> list[str]:
    """What is wrong with a bundle's bank step, in plain words (none when it has no bank step)."""
    step = bank_step(bundle)
    if step is None:
        return [] if bundle.get("bank") is None else ["The bank step must be a JSON object."]
    out = []
    for name in ("branch_field", "project_cost_field"):
        value = getattr(step, name)
        if value not in application:
            out.append(f"The bank step's {name} '{value}' is not a field of the application form.")
    for name in step.officer_fields:
        if name not in application:
            out.append(f"The bank officer's field '{name}' is not a field of the application form.")
    return out


def flow_problems(bundle: Mapping[str, Any], user_tasks: set[str]) -> list[str]:
    """The bank step's steps that the flow does not have."""
    step = bank_step(bundle)
    if step is None:
        return []
    return [
        f"The bank step's {name} '{getattr(step, name)}' is not a user task of the flow."
        for name in ("sanction_step", "disbursement_step")
        if getattr(step, name) not in user_tasks
    ]

"""Bank branches (IFSC) and the branch an application is routed to (D76).

A scheme with a bank step (workflows/catalogue/bank_step.py) asks the applicant for a branch of
their district; the application keeps it in `applications.bank_ifsc`, and only that branch's bank
officers see and work the application.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.catalogue.bank_step import valid_ifsc
from workflows.catalogue.schemes import Scheme
from workflows.errors import ValidationFailed
from workflows.models import BankBranch
from workflows.uow import SchemeUnitOfWork

IFSC_RULE = "An IFSC is 4 letters, a zero, then 6 letters or digits (e.g. SBIN0001234)."


def branches_of(session: Session, district_code: str | None) -> list[BankBranch]:
    """The bank branches that take loan cases of a district, by bank and branch name."""
    query = select(BankBranch).where(BankBranch.district_code == (district_code or ""))
    return list(session.scalars(query.order_by(BankBranch.bank_name, BankBranch.branch_name)))


def form_choices(uow: SchemeUnitOfWork, district_code: str | None) -> dict[str, list[tuple[str, str]]]:
    """The choices of form fields that come from data (`choices_from`), for a district's forms."""
    return {
        "bank_branches": [
            (b.ifsc, f"{b.bank_name}, {b.branch_name} ({b.ifsc})") for b in branches_of(uow.session, district_code)
        ]
    }


def all_branches(uow: SchemeUnitOfWork) -> list[BankBranch]:
    """Every branch, by district, bank and branch (the administrator's user page offers them)."""
    return list(uow.session.scalars(select(BankBranch).order_by(BankBranch.district_code, BankBranch.bank_name, BankBranch.branch_name)))


def branch(session: Session, ifsc: str, *, share_lock: bool = False) -> BankBranch | None:
    """The branch `ifsc`; with `share_lock`, read FOR SHARE (PostgreSQL), so that an administrator
    cannot move it to another district before this transaction ends (D102)."""
    if not valid_ifsc(ifsc):
        return None
    return session.get(BankBranch, ifsc, with_for_update={"read": True} if share_lock else None)


def routed_branch(session: Session, scheme: Scheme, district_code: str, data: Mapping[str, Any]) -> str | None:
    """The IFSC an application with `data` is routed to (None for a scheme without a bank step);
    ValidationFailed naming the branch field when it is not a branch of the district."""
    if scheme.bank is None:
        return None
    name = scheme.bank.branch_field
    ifsc = data.get(name)
    if not valid_ifsc(ifsc):
        raise ValidationFailed("Choose the bank branch for the loan.", {name: [IFSC_RULE]})
    found = session.get(BankBranch, ifsc)
    if found is None or found.district_code != district_code:
        raise ValidationFailed(
            "Choose a bank branch of your district.",
            {name: [f"{ifsc} is not a bank branch of district {district_code}; choose one from the list."]},
        )
    return str(ifsc)

"""The bank loan of an application: sanction, then disbursement; margin money only after it (D77).

The bank step's sanction step records `loan_amount` (at most the project cost),
`loan_account_number` and `sanction_date`; its disbursement step `disbursed_amount` (at most the
sanctioned loan) and `disbursement_date`. Each is checked with the decision (`check`) and
written in the decision's transaction (`record`), deciding on the row as it is at write time: the
disbursement is a conditional UPDATE of a sanctioned, not yet disbursed loan. A release step of the
benefit refuses an approval while the loan is not disbursed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from engine.clock import IST
from engine.models import Task
from workflows.catalogue.schemes import Scheme
from workflows.errors import ValidationFailed
from workflows.models import Application, BankBranch, Loan
from workflows.printing.amount_words import indian_figures
from workflows.uow import SchemeUnitOfWork


@dataclass(frozen=True)
class LoanView:
    """What the GM's release page shows of the loan: no full account number (D77)."""

    ifsc: str
    bank_name: str
    branch_name: str
    sanctioned_amount: int
    account_masked: str
    sanctioned_on: date
    disbursed_amount: int | None
    disbursed_on: date | None


def mask_account(number: str) -> str:
    """Only the last four characters: 'XXXX1234'."""
    return "XXXX" + number[-4:]


def _rupees(amount: Any) -> str:
    return "₹ " + indian_figures(int(amount)) if isinstance(amount, int | float) and 0 <= amount <= 10**12 else str(amount)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def check(
    uow: SchemeUnitOfWork, scheme: Scheme, task: Task, application: Application, outcome: str,
    cleaned: Mapping[str, Any], errors: dict[str, list[str]], today: date,
) -> None:
    """Add to `errors` what is wrong with a loan decision; refuse a release before disbursement."""
    bank = scheme.bank
    if bank is None or outcome != "approve":
        return
    submitted = application.submitted_at.astimezone(IST).date()
    if task.bpmn_id == bank.sanction_step:
        cost = application.data.get(bank.project_cost_field)
        amount = cleaned.get("loan_amount")
        if isinstance(amount, int | float) and isinstance(cost, int | float) and amount > cost:
            errors.setdefault("loan_amount", []).append(
                f"The loan ({_rupees(amount)}) is above the project cost ({_rupees(cost)}); "
                "a loan may be at most the project cost."
            )
        _dated(errors, "sanction_date", _day(cleaned.get("sanction_date")), submitted, today, "the application was filed")
    elif task.bpmn_id == bank.disbursement_step:
        loan = uow.session.get(Loan, application.id)
        amount = cleaned.get("disbursed_amount")
        if loan is None:
            errors.setdefault("disbursed_amount", []).append("No loan has been sanctioned for this application.")
            return
        if isinstance(amount, int | float) and amount > loan.sanctioned_amount:
            errors.setdefault("disbursed_amount", []).append(
                f"The disbursement ({_rupees(amount)}) is above the sanctioned loan ({_rupees(loan.sanctioned_amount)})."
            )
        _dated(errors, "disbursement_date", _day(cleaned.get("disbursement_date")), loan.sanctioned_on, today,
               "the loan was sanctioned")
    elif task.bpmn_id in scheme.release_steps:
        # Read with the decision's task, application and instance (repositories: for_decision); a
        # disbursed loan never changes again, and the release task's row lock keeps the decision single.
        loan = uow.session.get(Loan, application.id)
        if loan is None or loan.disbursed_on is None:
            errors.setdefault("outcome", []).append(
                "The margin money is released only after the bank has disbursed the loan; "
                "the bank has not recorded the disbursement yet."
            )


def _dated(errors: dict[str, list[str]], name: str, day: date | None, earliest: date, today: date, since: str) -> None:
    if day is None:
        return
    if day > today:
        errors.setdefault(name, []).append("The date cannot be in the future.")
    elif day < earliest:
        errors.setdefault(name, []).append(f"The date cannot be before {since} ({earliest.strftime('%d-%m-%Y')}).")


def record(uow: SchemeUnitOfWork, scheme: Scheme, task: Task, application: Application, data: Mapping[str, Any], actor: str) -> None:
    """Store the loan sanction or disbursement of an approved bank step, in the decision's transaction."""
    bank = scheme.bank
    if bank is None or data.get("outcome") != "approve":
        return
    if task.bpmn_id == bank.sanction_step:
        values = dict(
            bank_ifsc=application.bank_ifsc or "", district_code=application.district_code, scheme_code=application.scheme_code,
            sanctioned_amount=int(data["loan_amount"]), account_number=str(data["loan_account_number"]),
            sanctioned_on=date.fromisoformat(str(data["sanction_date"])), sanctioned_by=actor,
        )
        # One statement; sanctioned again (a flow that loops back to the bank), the newer sanction
        # replaces one not yet disbursed. Core statements on the connection: the ORM's bulk DML
        # machinery cost more than the statement; the loan loaded with the decision is refreshed.
        connection = uow.session.connection()
        table = Loan.__table__
        insert = (pg_insert if connection.dialect.name == "postgresql" else sqlite_insert)(table)
        connection.execute(
            insert.values(application_id=application.id, **values).on_conflict_do_update(
                index_elements=[table.c.application_id], set_=values, where=table.c.disbursed_on.is_(None)
            )
        )
        _refresh(uow, application.id, values)
    elif task.bpmn_id == bank.disbursement_step:
        amount = int(data["disbursed_amount"])
        values = dict(disbursed_amount=amount, disbursed_on=date.fromisoformat(str(data["disbursement_date"])), disbursed_by=actor)
        table = Loan.__table__
        moved = uow.session.connection().execute(
            update(table)
            .where(table.c.application_id == application.id, table.c.disbursed_on.is_(None), table.c.sanctioned_amount >= amount)
            .values(**values)
        ).rowcount
        if moved != 1:
            raise ValidationFailed(
                "The disbursement was not recorded: the loan is not sanctioned, is already disbursed, or is smaller.",
                {"disbursed_amount": ["Reload the page to see the loan as it is now."]},
            )
        _refresh(uow, application.id, values)


def _refresh(uow: SchemeUnitOfWork, application_id: int, values: Mapping[str, Any]) -> None:
    """The Loan object this transaction holds (if any) shows what the statement just wrote."""
    loan = uow.session.identity_map.get(inspect(Loan).identity_key_from_primary_key((application_id,)))
    if loan is not None:
        for key, value in values.items():
            set_committed_value(loan, key, value)


def loan_view(uow: SchemeUnitOfWork, application: Application) -> LoanView | None:
    row = uow.session.execute(
        select(Loan, BankBranch).join(BankBranch, BankBranch.ifsc == Loan.bank_ifsc).where(Loan.application_id == application.id)
    ).first()
    if row is None:
        return None
    loan, branch = row
    return LoanView(
        ifsc=loan.bank_ifsc, bank_name=branch.bank_name, branch_name=branch.branch_name,
        sanctioned_amount=loan.sanctioned_amount, account_masked=mask_account(loan.account_number),
        sanctioned_on=loan.sanctioned_on, disbursed_amount=loan.disbursed_amount, disbursed_on=loan.disbursed_on,
    )

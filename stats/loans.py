"""Bank loans: how many were sanctioned and how many disbursed in a period, per district (D78).

The state reports "loans approved" and "loans issued" separately; the bank step records both
(table `loans`, workflows/loans.py), so they are counted from it: sanctions by their sanction
date, disbursements by their disbursement date, each within the period and the filters.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stats.filters import Filters
from workflows.models import Loan


@dataclass(frozen=True)
class LoanFigures:
    district: str
    sanctioned: int
    sanctioned_amount: int
    disbursed: int
    disbursed_amount: int


def _scoped(query, f: Filters):  # noqa: ANN001, ANN202
    if f.scheme:
        query = query.where(Loan.scheme_code == f.scheme)
    if f.district:
        query = query.where(Loan.district_code == f.district)
    if f.bank_ifsc is not None:
        query = query.where(Loan.bank_ifsc == f.bank_ifsc)
    return query


def loan_figures(session: Session, f: Filters) -> list[LoanFigures]:
    """Per district (with any loan in the period), by district code."""
    sanctioned = session.execute(_scoped(
        select(Loan.district_code, func.count(), func.coalesce(func.sum(Loan.sanctioned_amount), 0))
        .where(Loan.sanctioned_on.between(f.start, f.end)).group_by(Loan.district_code), f,
    )).all()
    disbursed = session.execute(_scoped(
        select(Loan.district_code, func.count(), func.coalesce(func.sum(Loan.disbursed_amount), 0))
        .where(Loan.disbursed_on.between(f.start, f.end)).group_by(Loan.district_code), f,
    )).all()
    s = {d: (int(n), int(a)) for d, n, a in sanctioned}
    d_ = {d: (int(n), int(a)) for d, n, a in disbursed}
    return [
        LoanFigures(district=code, sanctioned=s.get(code, (0, 0))[0], sanctioned_amount=s.get(code, (0, 0))[1],
                    disbursed=d_.get(code, (0, 0))[0], disbursed_amount=d_.get(code, (0, 0))[1])
        for code in sorted(set(s) | set(d_))
    ]

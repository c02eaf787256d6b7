"""Use case: load the reference districts and the demo users (once; loading again adds nothing)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from workflows.models import BankBranch, District, User
from workflows.passwords import hash_password
from workflows.uow import SchemeUnitOfWork

DEMO_PASSWORD = "odop-demo-2025"


@dataclass
class LoadReport:
    districts: int
    users: int


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("workflows.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def load_districts(uow: SchemeUnitOfWork, state_code: str = "UP") -> int:
    added = 0
    for row in _rows("up_districts.csv"):
        if uow.session.get(District, row["code"]) is None:
            uow.districts.add(
                District(
                    code=row["code"], state_code=state_code, name=row["name"], division=row["division"],
                    odop_product=row["odop_product"],
                    odop_products=[p.strip() for p in (row.get("products") or "").split("|") if p.strip()] or None,
                )
            )
            added += 1
    return added


def load_bank_branches(uow: SchemeUnitOfWork) -> int:
    """The demo districts' bank branches (workflows/data/bank_branches.csv), once."""
    added = 0
    for row in _rows("bank_branches.csv"):
        if uow.session.get(BankBranch, row["ifsc"]) is None:
            uow.session.add(BankBranch(**row))
            added += 1
    return added


def _bank_officers(uow: SchemeUnitOfWork) -> None:
    """Each demo bank officer to their branch (unless an administrator set one already)."""
    for row in _rows("bank_officers.csv"):
        user = uow.users.find(row["username"])
        if user is not None and user.bank_ifsc is None:
            user.bank_ifsc = row["bank_ifsc"]


def load_demo(uow: SchemeUnitOfWork, password: str = DEMO_PASSWORD) -> LoadReport:
    districts = load_districts(uow)
    uow.flush()
    load_bank_branches(uow)
    uow.flush()
    users = 0
    password_hash = hash_password(password)
    for row in _rows("demo_users.csv"):
        if uow.users.find(row["username"]) is None:
            uow.users.add(
                User(
                    username=row["username"],
                    full_name=row["full_name"],
                    email=row["email"] or None,
                    phone=row["phone"] or None,
                    role=row["role"],
                    district_code=row["district_code"] or None,
                    password_hash=password_hash,
                    language="en",
                    active=True,
                )
            )
            users += 1
    uow.flush()
    _bank_officers(uow)
    uow.commit()
    return LoadReport(districts=districts, users=users)

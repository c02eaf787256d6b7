"""Bank branches administered in the app (D102): list them, add or update one, import many from a
CSV file, remove one that nothing refers to. Each write commits once and decides at write time.

A branch is written with one `INSERT … SELECT … FROM districts WHERE code = :district ON CONFLICT
(ifsc) DO UPDATE … WHERE <its district is unchanged, or nothing refers to it>`: no district, no
row; a referenced branch never moves to another district. A branch is removed by a `DELETE … WHERE
NOT EXISTS (<applications, loans, users that refer to it>)`. Both run after the branch's row is
locked FOR UPDATE, so an officer, application or loan being given the branch at that moment (its
foreign key holds a key-share lock) is waited for and then seen.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, delete, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from engine.messages import Text
from workflows.access import require_admin
from workflows.catalogue.bank_step import valid_ifsc
from workflows.errors import BankBranchInUse, UnknownBankBranch, ValidationFailed
from workflows.models import Application, BankBranch, District, Loan, User
from workflows.uow import SchemeUnitOfWork

COLUMNS = ("ifsc", "bank_name", "branch_name", "district_code")  # as in workflows/data/bank_branches.csv
NAME_LIMIT = 200
DOING = "manage the bank branches"
TABLE = BankBranch.__table__
LOCK_BATCH = 500  # IFSCs locked per statement
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class BranchInput:
    """One branch as typed or read from a file, tidied (IFSC upper-cased, names stripped)."""

    ifsc: str
    bank_name: str
    branch_name: str
    district_code: str

    @classmethod
    def of(cls, ifsc: str | None, bank_name: str | None, branch_name: str | None, district_code: str | None) -> BranchInput:
        return cls((ifsc or "").strip().upper(), (bank_name or "").strip(), (branch_name or "").strip(),
                   (district_code or "").strip().upper())


@dataclass(frozen=True)
class BranchRow:
    """A branch as the administrator's list shows it, with what refers to it."""

    ifsc: str
    bank_name: str
    branch_name: str
    district_code: str
    officers: int
    applications: int
    loans: int

    @property
    def in_use(self) -> bool:
        return bool(self.officers or self.applications or self.loans)


# A problem with one field: (column, kind, parameters). Said for the form, or for a line of a file.
Problem = tuple[str, str, dict[str, Any]]

SAID: dict[str, Callable[[dict[str, Any]], Text]] = {
    "required": lambda p: Text("required", "Required."),
    "max_length": lambda p: Text("max_length", f"At most {p['n']} characters.", n=p["n"]),
    "ifsc_format": lambda p: Text("ifsc_format", "An IFSC is 4 letters, a zero, then 6 letters or digits."),
    "no_district": lambda p: Text("no_district", f"There is no district {p['district']}.", district=p["district"]),
    "district_fixed": lambda p: Text(
        "branch_district_fixed", f"Bank officers, applications or loans refer to {p['ifsc']}; its district cannot change.",
        ifsc=p["ifsc"]),
}
SAID_ON_LINE: dict[str, Callable[[dict[str, Any]], Text]] = {
    "required": lambda p: Text("csv_required", f"Line {p['line']}, {p['column']}: required.", **p),
    "max_length": lambda p: Text("csv_max_length", f"Line {p['line']}, {p['column']}: at most {p['n']} characters.", **p),
    "ifsc_format": lambda p: Text(
        "csv_ifsc_format", f"Line {p['line']}, {p['column']}: an IFSC is 4 letters, a zero, then 6 letters or digits.", **p),
    "no_district": lambda p: Text("csv_no_district", f"Line {p['line']}, {p['column']}: there is no district {p['district']}.", **p),
    "district_fixed": lambda p: Text(
        "csv_district_fixed",
        f"Line {p['line']}, {p['column']}: bank officers, applications or loans refer to {p['ifsc']}; its district cannot change.",
        **p),
    "repeated": lambda p: Text("csv_repeated", f"Line {p['line']}, {p['column']}: {p['ifsc']} is on line {p['first']} already.", **p),
    "cells": lambda p: Text("csv_cells", f"Line {p['line']}: {p['found']} values instead of {p['n']}.", **p),
}


def list_branches(uow: SchemeUnitOfWork, *, district_code: str | None = None) -> list[BranchRow]:
    """Every branch (or a district's), by district, bank and branch, with how many bank officers,
    applications and loans refer to each."""
    return _listed(uow, BankBranch.district_code == district_code if district_code else None)


def _listed(uow: SchemeUnitOfWork, condition: ColumnElement[bool] | None) -> list[BranchRow]:
    # Applications and loans are many and indexed by branch: counted per listed branch. Users are few
    # and not indexed by branch: counted once, grouped, and joined.
    def per_branch(column: Any) -> Any:
        return select(func.count()).where(column == BankBranch.ifsc).correlate(BankBranch).scalar_subquery()

    officers = (
        select(User.bank_ifsc.label("ifsc"), func.count().label("n")).where(User.bank_ifsc.is_not(None))
        .group_by(User.bank_ifsc).subquery()
    )
    query = (
        select(
            BankBranch.ifsc, BankBranch.bank_name, BankBranch.branch_name, BankBranch.district_code,
            func.coalesce(officers.c.n, 0), per_branch(Application.bank_ifsc), per_branch(Loan.bank_ifsc),
        )
        .outerjoin(officers, officers.c.ifsc == BankBranch.ifsc)
        .order_by(BankBranch.district_code, BankBranch.bank_name, BankBranch.branch_name)
    )
    if condition is not None:
        query = query.where(condition)
    return [BranchRow(*row) for row in uow.session.execute(query)]


def save_branch(
    uow: SchemeUnitOfWork, *, actor: str, ifsc: str, bank_name: str, branch_name: str, district_code: str
) -> BranchInput:
    """Add a branch, or update the one with this IFSC; ValidationFailed naming each wrong field."""
    require_admin(uow.users.by_username(actor), DOING)
    branch = BranchInput.of(ifsc, bank_name, branch_name, district_code)
    problems = _problems(branch, _district_codes(uow))
    if not problems:
        _lock(uow, [branch.ifsc])
    if not problems and not _write(uow, branch):
        problems = [_refusal_of_write(uow, branch)]
    if problems:
        errors: dict[str, list[Text]] = {}
        for column, kind, params in problems:
            errors.setdefault(column, []).append(SAID[kind](params))
        raise ValidationFailed(Text("branch_invalid", "The bank branch was not saved."), errors)
    uow.audit.record("bank_branch_saved", actor, ifsc=branch.ifsc, bank_name=branch.bank_name,
                     branch_name=branch.branch_name, district=branch.district_code)
    uow.commit()
    return branch


def import_csv(uow: SchemeUnitOfWork, *, actor: str, content: bytes | str) -> int:
    """Add or update every branch of a CSV file (columns as in workflows/data/bank_branches.csv;
    lines starting with # are skipped), all or none: one ValidationFailed naming every wrong line
    and field (keys "line N, column"). Returns how many branches were written."""
    require_admin(uow.users.by_username(actor), DOING)
    lines = _read_csv(content)
    districts = _district_codes(uow)
    errors: dict[str, list[Text]] = {}
    first_line: dict[str, int] = {}
    good: list[tuple[int, BranchInput]] = []
    for number, cells in lines:
        if len(cells) != len(COLUMNS):
            errors[f"line {number}"] = [SAID_ON_LINE["cells"]({"line": number, "found": len(cells), "n": len(COLUMNS)})]
            continue
        branch = BranchInput.of(*cells)
        problems = _problems(branch, districts)
        if not problems and branch.ifsc in first_line:
            problems = [("ifsc", "repeated", {"ifsc": branch.ifsc, "first": first_line[branch.ifsc]})]
        first_line.setdefault(branch.ifsc, number)
        _add_line_problems(errors, number, problems)
        if not problems:
            good.append((number, branch))
    if not errors:  # every line is well formed: write them; a refused write is named by its line too
        _lock(uow, [branch.ifsc for _, branch in good])
        for number, branch in good:
            if not _write(uow, branch):
                _add_line_problems(errors, number, [_refusal_of_write(uow, branch)])
    if errors:
        raise ValidationFailed(Text("branches_not_imported", "No bank branch was imported."), errors)
    uow.audit.record("bank_branches_imported", actor, count=len(good), ifscs=[b.ifsc for _, b in good][:100])
    uow.commit()
    return len(good)


def remove_branch(uow: SchemeUnitOfWork, *, actor: str, ifsc: str) -> None:
    """Remove a branch that no application, loan or bank officer refers to; else BankBranchInUse
    saying how many of each do."""
    require_admin(uow.users.by_username(actor), DOING)
    ifsc = (ifsc or "").strip().upper()
    # Locked first: an application, loan or officer that is being given this branch holds a key-share
    # lock on the row (its foreign key); the DELETE below then reads what they committed.
    locked = uow.session.execute(select(BankBranch.ifsc).where(BankBranch.ifsc == ifsc).with_for_update()).scalar()
    if locked is None:
        raise UnknownBankBranch(Text("no_bank_branch", f"There is no bank branch {ifsc}.", ifsc=ifsc))
    unused = ~_referenced(ifsc)
    removed = uow.session.execute(delete(TABLE).where(TABLE.c.ifsc == ifsc, unused)).rowcount  # type: ignore[attr-defined]
    if removed != 1:
        (row,) = _listed(uow, BankBranch.ifsc == ifsc)
        raise BankBranchInUse(Text(
            "branch_in_use",
            f"{ifsc} cannot be removed: {row.officers} bank officers, {row.applications} applications and "
            f"{row.loans} loans refer to it.",
            ifsc=ifsc, officers=row.officers, applications=row.applications, loans=row.loans,
        ))
    uow.audit.record("bank_branch_removed", actor, ifsc=ifsc)
    uow.commit()


def _referenced(ifsc: str) -> ColumnElement[bool]:
    """True when a bank officer, an application or a loan refers to the branch `ifsc`."""
    return or_(*(exists().where(column == ifsc) for column in (User.bank_ifsc, Application.bank_ifsc, Loan.bank_ifsc)))


def _lock(uow: SchemeUnitOfWork, ifscs: list[str]) -> None:
    """Lock the listed branches that exist (FOR UPDATE, in IFSC order so two imports cannot deadlock).

    The upsert alone would take a lock that does not wait for an officer or an application being
    given the branch at this moment (their foreign key holds a key-share lock); this one does, so the
    upsert's NOT EXISTS then sees them. An officer's branch is read FOR SHARE (accounts.save_user)."""
    ordered = sorted(set(ifscs))
    for start in range(0, len(ordered), LOCK_BATCH):
        chunk = ordered[start:start + LOCK_BATCH]
        uow.session.execute(select(BankBranch.ifsc).where(BankBranch.ifsc.in_(chunk)).order_by(BankBranch.ifsc).with_for_update()).all()


def _write(uow: SchemeUnitOfWork, branch: BranchInput) -> bool:
    """The one statement that adds or updates the branch; False when it wrote nothing (the district
    is gone, or the branch is referenced and its district would change)."""
    insert = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = select(
        literal(branch.ifsc, String), literal(branch.bank_name, String), literal(branch.branch_name, String), District.code,
    ).where(District.code == branch.district_code)
    statement = insert(TABLE).from_select(list(COLUMNS), rows)
    statement = statement.on_conflict_do_update(
        index_elements=["ifsc"],
        set_={c: statement.excluded[c] for c in COLUMNS if c != "ifsc"},
        where=or_(TABLE.c.district_code == statement.excluded.district_code, ~_referenced(branch.ifsc)),
    )
    # RETURNING, not rowcount: on PostgreSQL the result of this INSERT … SELECT says -1 rows.
    return len(uow.session.execute(statement.returning(TABLE.c.ifsc)).all()) == 1


def _refusal_of_write(uow: SchemeUnitOfWork, branch: BranchInput) -> Problem:
    """Why the write wrote nothing (the write decided; this only explains it)."""
    if branch.district_code not in _district_codes(uow):
        return ("district_code", "no_district", {"district": branch.district_code})
    return ("district_code", "district_fixed", {"ifsc": branch.ifsc})


def _problems(branch: BranchInput, districts: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not branch.ifsc:
        problems.append(("ifsc", "required", {}))
    elif not valid_ifsc(branch.ifsc):
        problems.append(("ifsc", "ifsc_format", {}))
    for column in ("bank_name", "branch_name"):
        value = getattr(branch, column)
        if not value:
            problems.append((column, "required", {}))
        elif len(value) > NAME_LIMIT:
            problems.append((column, "max_length", {"n": NAME_LIMIT}))
    if not branch.district_code:
        problems.append(("district_code", "required", {}))
    elif branch.district_code not in districts:
        problems.append(("district_code", "no_district", {"district": branch.district_code}))
    return problems


def _add_line_problems(errors: dict[str, list[Text]], line: int, problems: list[Problem]) -> None:
    for column, kind, params in problems:
        errors.setdefault(f"line {line}, {column}", []).append(SAID_ON_LINE[kind]({**params, "line": line, "column": column}))


def _district_codes(uow: SchemeUnitOfWork) -> set[str]:
    return set(uow.session.scalars(select(District.code)))


def _read_csv(content: bytes | str) -> list[tuple[int, list[str]]]:
    """The file's data lines as (line number, cells), after the header; ValidationFailed naming
    `file` when it is not UTF-8 CSV, its header is not COLUMNS, or it has no data lines."""
    unreadable = Text("csv_unreadable", "The file is not a CSV file in UTF-8.")
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        if CONTROL.search(text):  # a text file has none (and PostgreSQL refuses NUL in a string)
            raise _file_refused(unreadable)
        reader = csv.reader(io.StringIO(text))
        lines = [(reader.line_num, cells) for cells in reader
                 if any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#")]
    except (UnicodeDecodeError, csv.Error):
        raise _file_refused(unreadable) from None
    if not lines or [c.strip().lower() for c in lines[0][1]] != list(COLUMNS):
        raise _file_refused(Text("csv_columns", f"The first line must name the columns {','.join(COLUMNS)}.",
                                 columns=",".join(COLUMNS)))
    if len(lines) == 1:
        raise _file_refused(Text("csv_empty", "The file has no bank branches."))
    return lines[1:]


def _file_refused(why: Text) -> ValidationFailed:
    return ValidationFailed(Text("branches_not_imported", "No bank branch was imported."), {"file": [why]})

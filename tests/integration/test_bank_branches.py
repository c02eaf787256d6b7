"""Bank branches administered in the app (D102), on both databases: a branch added and updated,
wrong fields refused by name, a CSV file imported all or nothing with its lines named, and a branch
removed only while no application, loan or bank officer refers to it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from engine.models import AuditEvent
from engine.runtime import Runtime
from tests.integration.scheme_helpers import LOAN, set_up, submit, walk
from web.cli import main
from workflows.errors import BankBranchInUse, NotAllowed, UnknownBankBranch, ValidationFailed
from workflows.models import BankBranch, User
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import bank_branches

TO_SANCTION = [("dic_scrutiny", "approve"), ("dtf_committee", "approve"), ("bank_appraisal", "approve", LOAN)]
GOOD_FILE = (
    "# branches of Agra and Moradabad\n"
    "ifsc,bank_name,branch_name,district_code\n"
    "CNRB0001234,Canara Bank,\"Civil Lines, Agra\",AGR\n"
    "\n"
    "sbin0002498,State Bank of India,\"Civil Lines, Moradabad (main)\",mbd\n"
)


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    return runtime


def _branch(rt: Runtime, ifsc: str) -> tuple[str, str, str] | None:
    with SchemeUnitOfWork(rt) as uow:
        found = uow.session.get(BankBranch, ifsc)
        return (found.bank_name, found.branch_name, found.district_code) if found else None


def _save(rt: Runtime, actor: str = "admin", **changes: str) -> bank_branches.BranchInput:
    values = {"ifsc": "CNRB0001234", "bank_name": "Canara Bank", "branch_name": "Civil Lines, Agra", "district_code": "AGR"}
    with SchemeUnitOfWork(rt) as uow:
        return bank_branches.save_branch(uow, actor=actor, **{**values, **changes})


def _refusal(rt: Runtime, **changes: str) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as refused:
        _save(rt, **changes)
    return refused.value.fields


def test_a_branch_is_added_then_updated_and_audited(rt: Runtime) -> None:
    saved = _save(rt, ifsc=" cnrb0001234 ", bank_name="  Canara Bank ")
    assert saved.ifsc == "CNRB0001234" and _branch(rt, "CNRB0001234") == ("Canara Bank", "Civil Lines, Agra", "AGR")
    _save(rt, branch_name="Civil Lines, Moradabad", district_code="mbd")  # not referenced: it may move
    assert _branch(rt, "CNRB0001234") == ("Canara Bank", "Civil Lines, Moradabad", "MBD")
    with SchemeUnitOfWork(rt) as uow:
        assert [r.ifsc for r in bank_branches.list_branches(uow, district_code="MBD")] == ["CNRB0001234", "SBIN0002498"]
        kinds = uow.session.scalars(select(AuditEvent.kind).where(AuditEvent.kind.like("bank_branch%"))).all()
        assert kinds == ["bank_branch_saved", "bank_branch_saved"]


def test_wrong_fields_are_refused_by_name_and_nothing_is_written(rt: Runtime) -> None:
    fields = _refusal(rt, ifsc="CNRB1234567", bank_name="", branch_name="x" * 201, district_code="ZZZ")
    assert fields == {
        "ifsc": ["An IFSC is 4 letters, a zero, then 6 letters or digits."],
        "bank_name": ["Required."],
        "branch_name": ["At most 200 characters."],
        "district_code": ["There is no district ZZZ."],
    }
    assert [m.code for m in fields["ifsc"]] == ["ifsc_format"]  # said in the page's language (D88)
    assert _refusal(rt, ifsc="") == {"ifsc": ["Required."]}
    assert _branch(rt, "CNRB1234567") is None and _branch(rt, "CNRB0001234") is None


def test_only_an_administrator_manages_branches(rt: Runtime) -> None:
    with pytest.raises(NotAllowed):
        _save(rt, actor="dic.agr")
    with pytest.raises(NotAllowed), SchemeUnitOfWork(rt) as uow:
        bank_branches.remove_branch(uow, actor="bank.agr", ifsc="SBIN0002498")
    assert _branch(rt, "CNRB0001234") is None and _branch(rt, "SBIN0002498") is not None


def test_a_file_is_imported_as_a_whole(rt: Runtime) -> None:
    with SchemeUnitOfWork(rt) as uow:
        assert bank_branches.import_csv(uow, actor="admin", content=GOOD_FILE.encode()) == 2
    assert _branch(rt, "CNRB0001234") == ("Canara Bank", "Civil Lines, Agra", "AGR")
    assert _branch(rt, "SBIN0002498") == ("State Bank of India", "Civil Lines, Moradabad (main)", "MBD")  # updated


def test_a_file_with_wrong_lines_imports_nothing_and_names_every_line(rt: Runtime) -> None:
    content = GOOD_FILE + (
        "HDFC0000001,HDFC Bank,,AGR\n"             # line 6: no branch name
        "HDFC-01,HDFC Bank,Agra,XYZ\n"             # line 7: IFSC and district
        "CNRB0001234,Canara Bank,Again,AGR\n"      # line 8: the IFSC of line 3
        "UTIB0000001,Axis Bank,Agra\n"             # line 9: a value missing
    )
    with pytest.raises(ValidationFailed) as refused, SchemeUnitOfWork(rt) as uow:
        bank_branches.import_csv(uow, actor="admin", content=content.encode())
    assert refused.value.fields == {
        "line 6, branch_name": ["Line 6, branch_name: required."],
        "line 7, ifsc": ["Line 7, ifsc: an IFSC is 4 letters, a zero, then 6 letters or digits."],
        "line 7, district_code": ["Line 7, district_code: there is no district XYZ."],
        "line 8, ifsc": ["Line 8, ifsc: CNRB0001234 is on line 3 already."],
        "line 9": ["Line 9: 3 values instead of 4."],
    }
    assert _branch(rt, "CNRB0001234") is None  # the good lines were not written either
    assert _branch(rt, "SBIN0002498") == ("State Bank of India", "Civil Lines, Moradabad", "MBD")


@pytest.mark.parametrize(("content", "says"), [
    (b"code,name\nX,Y\n", "The first line must name the columns ifsc,bank_name,branch_name,district_code."),
    (b"ifsc,bank_name,branch_name,district_code\n", "The file has no bank branches."),
    (b"\xff\xfe\x00i", "The file is not a CSV file in UTF-8."),
    (b"ifsc,bank_name,branch_name,district_code\nCNRB0001234,Canara\x00Bank,Agra,AGR\n", "The file is not a CSV file in UTF-8."),
])
def test_a_file_that_is_not_a_branch_list_is_refused(rt: Runtime, content: bytes, says: str) -> None:
    with pytest.raises(ValidationFailed) as refused, SchemeUnitOfWork(rt) as uow:
        bank_branches.import_csv(uow, actor="admin", content=content)
    assert refused.value.fields == {"file": [says]}


def test_a_referenced_branch_keeps_its_district(rt: Runtime) -> None:
    # bank.agr works for SBIN0001735: its names may change, its district may not (in a file neither).
    _save(rt, ifsc="SBIN0001735", bank_name="State Bank of India", branch_name="Sadar Bazar (main)", district_code="AGR")
    assert _branch(rt, "SBIN0001735") == ("State Bank of India", "Sadar Bazar (main)", "AGR")
    assert _refusal(rt, ifsc="SBIN0001735", district_code="MBD") == {
        "district_code": ["Bank officers, applications or loans refer to SBIN0001735; its district cannot change."]}
    content = "ifsc,bank_name,branch_name,district_code\nCNRB0001234,Canara Bank,Agra,AGR\nSBIN0001735,SBI,Sadar,MBD\n"
    with pytest.raises(ValidationFailed) as refused, SchemeUnitOfWork(rt) as uow:
        bank_branches.import_csv(uow, actor="admin", content=content)
    assert list(refused.value.fields) == ["line 3, district_code"]
    assert _branch(rt, "SBIN0001735") == ("State Bank of India", "Sadar Bazar (main)", "AGR")
    assert _branch(rt, "CNRB0001234") is None


def test_a_branch_is_removed_only_when_nothing_refers_to_it(rt: Runtime) -> None:
    walk(rt, submit(rt, "MM"), TO_SANCTION)  # an application and its loan at SBIN0001735 (bank.agr's branch)
    submit(rt, "MM", bank_ifsc="PUNB0098700")  # an application at bank2.agr's branch
    with SchemeUnitOfWork(rt) as uow:
        uow.session.get(User, uow.users.by_username("bank2.agr").id).bank_ifsc = None
        uow.commit()
    with pytest.raises(BankBranchInUse) as refused, SchemeUnitOfWork(rt) as uow:
        bank_branches.remove_branch(uow, actor="admin", ifsc="SBIN0001735")
    assert str(refused.value) == "SBIN0001735 cannot be removed: 1 bank officers, 1 applications and 1 loans refer to it."
    with pytest.raises(BankBranchInUse, match="0 bank officers, 1 applications and 0 loans"), SchemeUnitOfWork(rt) as uow:
        bank_branches.remove_branch(uow, actor="admin", ifsc="punb0098700")
    with SchemeUnitOfWork(rt) as uow:
        listed = {r.ifsc: (r.officers, r.applications, r.loans, r.in_use) for r in bank_branches.list_branches(uow)}
    assert listed == {"SBIN0001735": (1, 1, 1, True), "PUNB0098700": (0, 1, 0, True), "SBIN0002498": (0, 0, 0, False)}
    with SchemeUnitOfWork(rt) as uow:
        bank_branches.remove_branch(uow, actor="admin", ifsc="sbin0002498")
    assert _branch(rt, "SBIN0002498") is None and _branch(rt, "SBIN0001735") is not None
    with pytest.raises(UnknownBankBranch), SchemeUnitOfWork(rt) as uow:
        bank_branches.remove_branch(uow, actor="admin", ifsc="SBIN0002498")
    with SchemeUnitOfWork(rt) as uow:
        assert uow.session.scalar(select(AuditEvent.payload).where(AuditEvent.kind == "bank_branch_removed")) == {"ifsc": "SBIN0002498"}


def test_odop_banks_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The operators' command calls the same use case: a good file is imported, a wrong one names its lines."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'odop.db'}")
    runner = CliRunner()
    for args in (["db", "upgrade"], ["demo", "load"]):
        assert runner.invoke(main, args, catch_exceptions=False).exit_code == 0
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD_FILE, encoding="utf-8")
    bad.write_text("ifsc,bank_name,branch_name,district_code\nUTIB0000001,Axis Bank,Agra,XYZ\n", encoding="utf-8")
    result = runner.invoke(main, ["banks", "import", str(good)])
    assert result.exit_code == 0 and "2 bank branch(es) added or updated." in result.output
    result = runner.invoke(main, ["banks", "import", str(bad)])
    assert result.exit_code == 1 and "Line 2, district_code: there is no district XYZ." in result.output
    result = runner.invoke(main, ["banks", "import", str(good), "--actor", "dic.agr"])
    assert result.exit_code == 1 and "Only administrators manage the bank branches." in result.output


@pytest.mark.parametrize("change", ["remove", "move to another district"])
def test_an_officer_being_given_the_branch_meanwhile_is_seen(rt: Runtime, change: str) -> None:
    """The change waits for a transaction that is giving the branch an officer, then sees the officer:
    the branch is neither removed (nor failing on the foreign key) nor moved under the officer."""
    outcome: dict[str, Exception] = {}

    def act() -> None:
        try:
            with SchemeUnitOfWork(rt) as uow:
                if change == "remove":
                    bank_branches.remove_branch(uow, actor="admin", ifsc="SBIN0002498")
                else:
                    bank_branches.save_branch(uow, actor="admin", ifsc="SBIN0002498", bank_name="State Bank of India",
                                              branch_name="Civil Lines", district_code="AGR")
        except Exception as err:  # noqa: BLE001 - the test looks at which one
            outcome["error"] = err

    with rt.db.connect() as conn:
        giving = conn.begin()
        conn.execute(text("UPDATE users SET bank_ifsc = 'SBIN0002498' WHERE username = 'gm.mbd'"))
        thread = threading.Thread(target=act)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the officer's transaction
        giving.commit()
    thread.join(30)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), BankBranchInUse if change == "remove" else ValidationFailed), outcome
    assert _branch(rt, "SBIN0002498") == ("State Bank of India", "Civil Lines, Moradabad", "MBD")

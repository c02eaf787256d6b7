"""Shared set-up for scheme-level tests: the shipped processes, two districts and their officers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from engine.models import AuditEvent, Instance, Task
from engine.runtime import Runtime
from tests import identities
from tests.files import checklist_documents
from web.infra.config import ROOT
from workflows.models import Application, BankBranch, District, User
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide
from workflows.usecases.deployment import deploy_directory
from workflows.usecases.submission import submit_application

USERS = [
    ("dic.agr", "dic_officer", "AGR"),
    ("gm.agr", "gm_dic", "AGR"),
    ("dtf.agr", "district_committee", "AGR"),
    ("bank.agr", "bank_officer", "AGR"),
    ("bank2.agr", "bank_officer", "AGR"),
    ("fc.agr", "facilitation_operator", "AGR"),
    ("applicant1.agr", "applicant", "AGR"),
    ("applicant2.agr", "applicant", "AGR"),
    ("dic.mbd", "dic_officer", "MBD"),
    ("gm.mbd", "gm_dic", "MBD"),
    ("nodal1", "state_nodal", None),
    ("slc", "state_committee", None),
    ("admin", "admin", None),
]

# Two branches in Agra (one officer each), one in Moradabad.
BRANCHES = [
    ("SBIN0001735", "State Bank of India", "Sadar Bazar, Agra", "AGR"),
    ("PUNB0098700", "Punjab National Bank", "Sanjay Place, Agra", "AGR"),
    ("SBIN0002498", "State Bank of India", "Civil Lines, Moradabad", "MBD"),
]
OFFICER_BRANCH = {"bank.agr": "SBIN0001735", "bank2.agr": "PUNB0098700"}
# A margin-money application names a branch of its own district.
DISTRICT_BRANCH = {"AGR": "SBIN0001735", "MBD": "SBIN0002498"}


def mm_data(district: str) -> dict[str, Any]:
    """Margin money filed in `district`: a new applicant, the district's product and bank branch."""
    return fresh("MM", district)
# The bank steps' forms: the loan sanctioned (at most the project cost), then disbursed.
LOAN = {"loan_amount": 2_500_000, "loan_account_number": "31234567890", "sanction_date": "2025-07-07"}
DISBURSED = {"disbursed_amount": 2_500_000, "disbursement_date": "2025-07-07"}

MM_DATA: dict[str, Any] = {
    "applicant_name": "Sunita Devi",
    "aadhaar": "234123412346",
    "family_id": "UPF000000001",
    "mobile": "9876543210",
    "date_of_birth": "1990-05-01",
    "category": "OBC",
    "gender": "female",
    "product": "Leather products",
    "unit_address": "12 Shoe Market, Agra",
    "project_cost": 3_000_000,
    "bank_ifsc": "SBIN0001735",
    "bank_defaulter": False,
    "earlier_benefit": False,
}
CFC_DATA: dict[str, Any] = {
    "spv_name": "Agra Leather Artisans Producer Company",
    "registration_number": "U12345UP2024",
    "contact_name": "Imran Ansari",
    "mobile": "9876500000",
    "member_count": 30,
    "product_linked_members": 25,
    "facility_type": "testing_lab",
    "location": "Foundry Nagar, Agra",
    "project_cost": 50_000_000,
}
MDA_DATA: dict[str, Any] = {
    "applicant_name": "Sunita Devi",
    "aadhaar": "234123412346",
    "unit_name": "Devi Leather Works",
    "udyam_number": "UDYAM-UP-01-0000001",
    "mobile": "9876543210",
    "fair_name": "India International Trade Fair",
    "fair_type": "domestic",
    "fair_location": "New Delhi",
    "fair_start": "2025-06-01",
    "fair_end": "2025-06-05",
    "stall_charges": 80_000,
    "freight_charges": 12_000,
    "travel_fare": 2_400,
    "benefit_in_last_two_years": False,
}
DATA = {"MM": MM_DATA, "CFC": CFC_DATA, "MDA": MDA_DATA}
# The identity fields of each scheme's form: `submit` files each application for a new person
# (one open application per applicant and scheme, one margin money per family; D71).
IDENTITY = {"MM": ("aadhaar", "family_id"), "CFC": ("registration_number",), "MDA": ("aadhaar", "udyam_number")}


PRODUCTS = {"AGR": "Leather products", "MBD": "Metal craft"}


def fresh(scheme: str, district: str = "AGR") -> dict[str, Any]:
    """The scheme's test data with identity numbers no earlier application used (and, for margin
    money, the district's ODOP product)."""
    person = {**identities.person(), "registration_number": f"U{identities.udyam_number()[-7:]}UP2024"}
    data = {**DATA[scheme], **{k: person[k] for k in IDENTITY.get(scheme, ())}}
    if "bank_ifsc" in data:
        data["bank_ifsc"] = DISTRICT_BRANCH[district]
    return {**data, "product": PRODUCTS[district]} if "product" in data else data

# Who works each lane for an AGR application.
ACTOR = {
    "dic_officer": "dic.agr",
    "gm_dic": "gm.agr",
    "district_committee": "dtf.agr",
    "bank_officer": "bank.agr",
    "state_nodal": "nodal1",
    "state_committee": "slc",
    "applicant": "applicant1.agr",
}


def set_up(runtime: Runtime) -> None:
    with SchemeUnitOfWork(runtime) as uow:
        uow.session.add_all(
            [
                District(code="AGR", state_code="UP", name="Agra", division="Agra", odop_product="Leather products"),
                District(code="MBD", state_code="UP", name="Moradabad", division="Moradabad", odop_product="Metal craft"),
            ]
        )
        uow.flush()
        uow.session.add_all(BankBranch(ifsc=i, bank_name=b, branch_name=n, district_code=d) for i, b, n, d in BRANCHES)
        uow.flush()
        uow.session.add_all(
            User(
                username=u, full_name=u.title(), role=r, district_code=d, email=f"{u}@example.in", active=True,
                bank_ifsc=OFFICER_BRANCH.get(u),
            )
            for u, r, d in USERS
        )
        uow.commit()
    deploy_directory(lambda: SchemeUnitOfWork(runtime), ROOT / "bpmn", actor="admin")


def submit(runtime: Runtime, scheme: str = "MM", actor: str = "applicant1.agr", **changes: Any) -> str:
    with SchemeUnitOfWork(runtime) as uow:
        data = {**fresh(scheme), **changes}
        application = submit_application(
            uow, scheme_code=scheme, district_code="AGR", data=data, actor=actor,
            applicant="applicant1.agr" if actor == "fc.agr" else None, **checklist_documents(uow, scheme, data),
        )
        return application.number


def open_task(runtime: Runtime, number: str) -> Task | None:
    with SchemeUnitOfWork(runtime) as uow:
        application = uow.applications.by_number(number)
        tasks = list(uow.tasks.open_for_instance(application.instance_id))
    assert len(tasks) <= 1, tasks
    return tasks[0] if tasks else None


def step(runtime: Runtime, number: str, bpmn_id: str, outcome: str, remarks: str = "", **fields: Any) -> Application:
    """Expect `bpmn_id` to be the open task, have the lane's officer claim and decide it."""
    task = open_task(runtime, number)
    assert task is not None, f"{number} has no open task; expected {bpmn_id}"
    assert task.bpmn_id == bpmn_id, f"expected {bpmn_id}, open task is {task.bpmn_id}"
    actor = ACTOR[task.lane or ""]
    if task.lane != "applicant":
        with SchemeUnitOfWork(runtime) as uow:
            claim(uow, [task.id], actor=actor)
    with SchemeUnitOfWork(runtime) as uow:
        return decide(uow, task.id, actor=actor, outcome=outcome, remarks=remarks, fields=fields)


def walk(runtime: Runtime, number: str, steps: Iterable[tuple]) -> Application:
    application = None
    for s in steps:
        bpmn_id, outcome, *rest = s
        fields = rest[0] if rest else {}
        remarks = "Please clarify." if outcome in ("return", "reject") else ""
        application = step(runtime, number, bpmn_id, outcome, remarks, **fields)
    assert application is not None
    return application


def snapshot(runtime: Runtime) -> tuple:
    with SchemeUnitOfWork(runtime) as uow:
        s = uow.session
        return (
            sorted((t.id, t.state, t.assignee) for t in s.scalars(select(Task))),
            sorted((i.id, i.version, i.status) for i in s.scalars(select(Instance))),
            sorted((a.number, a.status, a.benefit_amount) for a in s.scalars(select(Application))),
            s.scalar(select(func.count()).select_from(AuditEvent)),
        )

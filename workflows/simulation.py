"""Generates history by driving real applications through their BPMN paths on a moving clock.

Nothing is inserted behind the engine's back: every application is submitted, claimed and decided
through the same use cases officers use, so the history has exactly the engine's shape.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from tqdm import tqdm

from engine.clock import FixedClock
from engine.models import Task
from engine.runtime import Runtime
from workflows import roles
from workflows.decisions import claim, decide
from workflows.models import Application, User
from workflows.schemes import SCHEMES
from workflows.submission import submit_application
from workflows.uow import SchemeUnitOfWork

MAX_RETURNS = 2


@dataclass
class SimulationReport:
    submitted: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        by_status = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        by_outcome = ", ".join(f"{k}: {v}" for k, v in sorted(self.decisions.items()))
        return f"Simulated {self.submitted} applications ({by_status}); decisions: {by_outcome}."


def simulate(
    runtime: Runtime,
    clock: FixedClock,
    *,
    applications: int,
    days: int,
    seed: int = 2025,
    progress: bool = True,
) -> SimulationReport:
    """`runtime` must run on `clock`; the history ends at the clock's time when called."""
    rng = random.Random(seed)
    end = clock.now()
    start = end - timedelta(days=days)
    people = _people(runtime)
    filers = [u for u in people.values() if u.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR) and u.district_code]
    applicants = [u for u in people.values() if u.role == roles.APPLICANT and u.district_code]
    if not filers or not applicants:
        raise RuntimeError("No demo applicants: run `odop demo load` first.")
    report = SimulationReport()
    moments = sorted(start + timedelta(seconds=rng.uniform(0, days * 86400)) for _ in range(applications))
    for moment in tqdm(moments, disable=not progress, unit="app", desc="simulating"):
        clock.set(_office_hours(moment, rng))
        filer = rng.choice(filers)
        local = [a for a in applicants if a.district_code == filer.district_code]
        if filer.role != roles.APPLICANT and not local:  # a centre files only in its own district (D47)
            filer = rng.choice(applicants)
        owner = filer if filer.role == roles.APPLICANT else rng.choice(local)
        scheme = rng.choice(list(SCHEMES.values()))
        with SchemeUnitOfWork(runtime) as uow:
            application = submit_application(
                uow,
                scheme_code=scheme.code,
                district_code=owner.district_code or "",
                data=_application_data(scheme.code, owner, rng),
                actor=filer.username,
                applicant=owner.username if filer is not owner else None,
            )
        report.submitted += 1
        _drive(runtime, clock, application.number, people, rng, report, end)
    with SchemeUnitOfWork(runtime) as uow:
        for status, count in Counter(uow.session.scalars(select(Application.status))).items():
            report.statuses[status] = count
    clock.set(end)
    return report


def _people(runtime: Runtime) -> dict[str, User]:
    with SchemeUnitOfWork(runtime) as uow:
        return {u.username: u for u in uow.session.scalars(select(User).where(User.active.is_(True)))}


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    # 10:00-17:30 India time is 04:30-12:00 UTC.
    base = moment.replace(hour=4, minute=30, second=0, microsecond=0)
    return base + timedelta(minutes=rng.uniform(0, 450))


def _drive(runtime, clock, number, people, rng, report, end) -> None:  # noqa: ANN001
    """Work the application step by step until it ends, the history runs out, or it waits on a future."""
    returns = 0
    while True:
        with SchemeUnitOfWork(runtime) as uow:
            application = uow.applications.by_number(number)
            open_tasks = [t for t in uow.tasks.open_for_instance(application.instance_id)]
        if not open_tasks:
            return
        task = open_tasks[0]
        clock.advance(days=_step_days(task, rng))
        if clock.now() >= end:
            return
        actor = _actor_for(task, application, people, rng)
        if actor is None:
            return
        outcome, remarks, fields = _choose(task, returns, rng)
        if outcome == "return":
            returns += 1
        with SchemeUnitOfWork(runtime) as uow:
            if task.lane != roles.APPLICANT:
                claim(uow, [task.id], actor=actor)
        clock.advance(hours=rng.uniform(0.5, 30))
        with SchemeUnitOfWork(runtime) as uow:
            decide(uow, task.id, actor=actor, outcome=outcome, remarks=remarks, fields=fields)
        report.decisions[outcome] += 1


def _step_days(task: Task, rng: random.Random) -> float:
    limit = task.time_limit_days or 7
    # Most steps finish inside the limit; about one in six runs over.
    return rng.uniform(0.1, limit * 1.6) if rng.random() < 0.17 else rng.uniform(0.1, limit * 0.9)


def _actor_for(task: Task, application: Application, people: dict[str, User], rng: random.Random) -> str | None:
    if task.lane == roles.APPLICANT:
        return next(u.username for u in people.values() if u.id == application.applicant_id)
    candidates = [
        u.username
        for u in people.values()
        if u.role == task.lane and (roles.is_state_role(u.role) or u.district_code == task.district)
    ]
    return rng.choice(candidates) if candidates else None


def _choose(task: Task, returns: int, rng: random.Random) -> tuple[str, str, dict]:
    if task.lane == roles.APPLICANT:
        return "submit", "Documents attached as asked.", {}
    roll = rng.random()
    if roll < 0.07 and task.bpmn_id not in ("release_instalment", "record_payment", "verify_utilisation_certificate"):
        return "reject", rng.choice(REJECT_REASONS), {}
    if roll < 0.17 and returns < MAX_RETURNS and task.bpmn_id in ("dic_scrutiny", "dic_verification", "technical_appraisal"):
        return "return", rng.choice(RETURN_REASONS), {}
    fields: dict[str, object] = {}
    if task.bpmn_id == "bank_appraisal":
        fields["loan_amount"] = rng.randrange(100_000, 5_000_000, 1000)
    if task.bpmn_id == "record_payment":
        fields["payment_reference"] = f"PFMS{rng.randrange(10**9, 10**10)}"
    return "approve", "", fields


REJECT_REASONS = [
    "The unit does not make the district's notified ODOP product.",
    "The project report is not viable as submitted.",
    "A benefit was already availed under another scheme.",
    "The applicant did not appear before the committee.",
]
RETURN_REASONS = [
    "The bank passbook copy is not legible; upload a clear copy.",
    "The project report lacks the cost break-up; please add it.",
    "The income certificate has expired; upload a current one.",
]

FIRST = ["Ramesh", "Sunita", "Mohammad", "Anita", "Rakesh", "Pooja", "Imran", "Kavita", "Suresh", "Neha"]
LAST = ["Kumar", "Devi", "Ansari", "Verma", "Yadav", "Gupta", "Khan", "Singh", "Maurya", "Mishra"]


def _application_data(scheme_code: str, owner: User, rng: random.Random) -> dict[str, object]:
    name = owner.full_name
    mobile = f"9{rng.randrange(10**8, 10**9)}"
    if scheme_code == "MM":
        return {
            "applicant_name": name,
            "mobile": mobile,
            "date_of_birth": date(rng.randrange(1965, 2004), rng.randrange(1, 13), rng.randrange(1, 28)).isoformat(),
            "category": rng.choice(["GEN", "OBC", "SC", "ST"]),
            "gender": rng.choice(["female", "male"]),
            "product": "ODOP product",
            "unit_address": f"{rng.randrange(1, 300)}, Industrial Area",
            "project_cost": rng.choice([rng.randrange(200_000, 2_500_000, 1000), rng.randrange(2_500_000, 20_000_000, 1000)]),
            "bank_name": rng.choice(["State Bank of India", "Bank of Baroda", "Punjab National Bank"]),
            "bank_branch": "Main Branch",
            "bank_defaulter": False,
            "earlier_benefit": False,
        }
    if scheme_code == "CFC":
        members = rng.randrange(20, 120)
        return {
            "spv_name": f"{rng.choice(LAST)} Artisans Producer Company",
            "registration_number": f"U{rng.randrange(10**6, 10**7)}",
            "contact_name": name,
            "mobile": mobile,
            "member_count": members,
            "product_linked_members": members - rng.randrange(0, members // 3),
            "facility_type": rng.choice(["testing_lab", "design_centre", "common_processing", "packaging"]),
            "location": "Industrial Estate",
            "project_cost": rng.randrange(5_000_000, 200_000_000, 10_000),
        }
    start = date.today() - timedelta(days=rng.randrange(10, 60))
    return {
        "applicant_name": name,
        "unit_name": f"{rng.choice(LAST)} Handicrafts",
        "mobile": mobile,
        "fair_name": rng.choice(["India International Trade Fair", "UP International Trade Show", "Ambiente Frankfurt"]),
        "fair_type": rng.choice(["domestic", "domestic", "international"]),
        "fair_location": rng.choice(["New Delhi", "Greater Noida", "Frankfurt"]),
        "fair_start": start.isoformat(),
        "fair_end": (start + timedelta(days=rng.randrange(1, 6))).isoformat(),
        "stall_charges": rng.randrange(10_000, 300_000, 500),
        "freight_charges": rng.randrange(0, 20_000, 100),
        "travel_fare": rng.randrange(500, 8_000, 50),
        "benefit_in_last_two_years": False,
    }




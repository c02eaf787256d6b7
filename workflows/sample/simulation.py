"""Generates history by driving real applications through their BPMN paths on a moving clock.

Nothing is inserted behind the engine's back: every application is submitted, claimed and decided
through the same use cases officers use, so the history has exactly the engine's shape. Given the
timer sweep, the time limits work too: reminders, escalations of missed limits and their
notifications to officers and supervisors fire at their moments as the clock moves; some steps run
over their limit and some stall, so the dashboards show overdue work (D91).
"""

from __future__ import annotations

import io
import random
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from pypdf import PdfWriter
from sqlalchemy import select
from tqdm import tqdm

from engine.clock import FixedClock
from engine.errors import EngineError
from engine.models import Task, TaskState
from engine.runtime import Runtime
from engine.timers import next_due_at
from workflows import identity
from workflows.catalogue import forms, roles
from workflows.catalogue.numbering import IST
from workflows.catalogue.schemes import Scheme, catalogue, scheme_of
from workflows.errors import NotEligible, ValidationFailed
from workflows.form_choices import choices_for, choices_of
from workflows.models import Application, Loan, User
from workflows.readmodels.checklist import files_of, unacceptable_kinds
from workflows.readmodels.task_page import outcomes_of
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.clarification import answer_clarification
from workflows.usecases.decisions import claim, decide, decision_form
from workflows.usecases.documents import FolderStore, Upload
from workflows.usecases.submission import submit_application

MAX_RETURNS = 2
OVER_LIMIT = 0.15  # steps that run over their time limit (the officer was away, the file waited)
STALLED = 0.06  # steps nobody takes up again before the history ends: overdue work at the end


class Sweep(Protocol):
    """The timer sweep (sla.sweep.TimerSweep): fires the timers due at the clock's time."""

    handlers: Mapping[str, Any]

    def run_once(self, limit: int = 10_000) -> Any: ...  # noqa: ANN401
ATTEMPTS = 30


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
    store: FolderStore | None = None,
    sweep: Sweep | None = None,
) -> SimulationReport:
    """`runtime` must run on `clock`; the history ends at the clock's time when called.

    Applications are filled in from each scheme's own form definition, so every published scheme
    takes part, with the documents its checklist needs for the answers given; without a `store`
    their files go to a temporary folder. With a `sweep`, due timers fire as the clock passes them
    (reminders, escalations)."""
    rng = random.Random(seed)
    end = clock.now()
    start = end - timedelta(days=days)
    people = _people(runtime)
    filers = [u for u in people.values() if u.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR) and u.district_code]
    applicants = [u for u in people.values() if u.role == roles.APPLICANT and u.district_code]
    if not filers or not applicants:
        raise RuntimeError("No demo applicants: run `odop demo load` first.")
    report = SimulationReport()
    with SchemeUnitOfWork(runtime) as uow:
        schemes = list(catalogue(uow.session).values())
    scratch = tempfile.TemporaryDirectory(prefix="odop-simulated-") if store is None else None
    store = store or FolderStore(Path(scratch.name))  # type: ignore[union-attr]
    moments = sorted(start + timedelta(seconds=rng.uniform(0, days * 86400)) for _ in range(applications))
    rng.shuffle(schemes)
    paths = random.Random(seed + 1)  # the steps' own draws, so that the applications do not depend on them
    for i, moment in enumerate(tqdm(moments, disable=not progress, unit="app", desc="simulating")):
        clock.set(_office_hours(moment, rng))
        application = None
        # An applicant the records make ineligible (a second margin money for the family, an MDA
        # within two years, a second open application) is refused as anyone would be: the
        # centre then files something else, for someone else (D71).
        for attempt in range(ATTEMPTS):
            filer = rng.choice(filers)
            local = [a for a in applicants if a.district_code == filer.district_code]
            if filer.role != roles.APPLICANT and not local:  # a centre files only in its own district (D47)
                filer = rng.choice(applicants)
            owner = filer if filer.role == roles.APPLICANT else rng.choice(local)
            scheme = schemes[i % len(schemes)] if attempt == 0 else rng.choice(schemes)  # every scheme takes part
            with SchemeUnitOfWork(runtime) as uow:
                choices = choices_for(uow, scheme, owner.district_code)
            today = clock.now().astimezone(IST).date()
            data = application_data(scheme, owner.full_name, rng, today, person=person_of(owner, scheme, rng), choices=choices)
            try:
                with SchemeUnitOfWork(runtime) as uow:
                    application = submit_application(
                        uow,
                        scheme_code=scheme.code,
                        district_code=owner.district_code or "",
                        data=data,
                        actor=filer.username,
                        applicant=owner.username if filer is not owner else None,
                        documents=_documents(scheme, data),
                        store=store,
                    )
                break
            except NotEligible:
                continue
        if application is None:
            continue
        report.submitted += 1
        _drive(runtime, clock, application.number, people, paths, report, end, store, sweep)
    _advance(runtime, clock, sweep, end)  # what fell due before the end of the history fires now
    with SchemeUnitOfWork(runtime) as uow:
        for status, count in Counter(uow.session.scalars(select(Application.status))).items():
            report.statuses[status] = count
    clock.set(end)
    if scratch is not None:
        scratch.cleanup()
    return report


def _people(runtime: Runtime) -> dict[str, User]:
    with SchemeUnitOfWork(runtime) as uow:
        return {u.username: u for u in uow.session.scalars(select(User).where(User.active.is_(True)))}


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    # 10:00-17:30 India time is 04:30-12:00 UTC.
    base = moment.replace(hour=4, minute=30, second=0, microsecond=0)
    return base + timedelta(minutes=rng.uniform(0, 450))


def _advance(runtime: Runtime, clock: FixedClock, sweep: Sweep | None, target: datetime) -> None:
    """Move the clock to `target`, firing each timer at its own moment on the way."""
    kinds = tuple(sweep.handlers) if sweep is not None else ()
    for _ in range(10_000):  # bounded: a failing timer is retried a few times, then an incident
        if sweep is None:
            break
        with SchemeUnitOfWork(runtime) as uow:
            due = next_due_at(uow, kinds)
        if due is None or due > target:
            break
        clock.set(max(due, clock.now()))
        sweep.run_once()
    clock.set(max(target, clock.now()))


def _drive(runtime, clock, number, people, rng, report, end, store, sweep=None) -> None:  # noqa: ANN001
    """Work the application step by step until it ends, the history runs out, or it waits on a future.
    A return now and then finds a document unacceptable; the applicant's answer replaces it."""
    returns = 0
    while True:
        with SchemeUnitOfWork(runtime) as uow:
            application = uow.applications.by_number(number)
            open_tasks = [t for t in uow.tasks.open_for_instance(application.instance_id)]
            form = decision_form(uow, open_tasks[0], application) if open_tasks else []
            definition = uow.definitions.get(uow.instances.get(application.instance_id).definition_id)
            outcomes = outcomes_of(definition, open_tasks[0].bpmn_id) if open_tasks else []
            bank = scheme_of(uow.session, application).bank
            loan = uow.session.get(Loan, application.id)
        if not open_tasks:
            return
        task = open_tasks[0]
        days = _step_days(task, rng)
        if days is None or clock.now() + timedelta(days=days) >= end:
            return  # still open when the history ends (its timers fire at the end)
        _advance(runtime, clock, sweep, clock.now() + timedelta(days=days))
        with SchemeUnitOfWork(runtime) as uow:
            if uow.tasks.get(task.id).state not in TaskState.OPEN:
                continue  # a timer moved the application on (a deemed approval)
        actor = actor_for(task, application, people, rng)
        if actor is None:
            return
        outcome, remarks, fields = _choose(task, returns, rng, form, outcomes)
        if outcome == "return":
            returns += 1
        with SchemeUnitOfWork(runtime) as uow:
            if task.lane != roles.APPLICANT:
                claim(uow, [task.id], actor=actor)
        clock.advance(hours=rng.uniform(0.5, 30))
        if bank is not None and outcome == "approve":
            fields = _loan_fields(task, bank, application, loan, clock.now().astimezone(IST).date(), rng) or fields
        moved_on = False
        for attempt in range(DRAWS):
            try:
                with SchemeUnitOfWork(runtime) as uow:
                    if task.lane == roles.APPLICANT:
                        answer_clarification(
                            uow, store, actor=actor, number=number, task_id=task.id, remarks=remarks, read_form=lambda _: {},
                            uploads=[Upload(k, f"{k}-copy.pdf", PDF) for k in unacceptable_kinds(files_of(uow.session, application))],
                        )  # fmt: skip
                    else:
                        marks = _unacceptable(uow, application, rng) if outcome == "return" else {}
                        decide(uow, task.id, actor=actor, outcome=outcome, remarks=remarks, fields=fields, unacceptable=marks)
                break
            except NotEligible as err:  # the DIC's check against the records refuses the approval
                outcome, remarks, fields = "reject", str(err)[:1900], {}
            except ValidationFailed:  # a figure the scheme's decision rules refuse (an appraised cost above the claim)
                if attempt == DRAWS - 1:
                    raise
                fields = _decision_values(form, rng)
            except EngineError:
                with SchemeUnitOfWork(runtime) as uow:
                    if uow.tasks.get(task.id).state in TaskState.OPEN:
                        raise
                moved_on = True
                break
        if moved_on:
            continue  # the step moved on under the officer (a timer fired meanwhile): look again
        report.decisions[outcome] += 1


def _unacceptable(uow: SchemeUnitOfWork, application: Application, rng: random.Random) -> dict[int, str]:
    """One in three returns finds one of the documents unacceptable."""
    files = files_of(uow.session, application)
    if not files or rng.random() > 1 / 3:
        return {}
    return {rng.choice(files).document.id: rng.choice(UNACCEPTABLE_REASONS)}


UNACCEPTABLE_REASONS = [
    "The scan is not readable; upload a clear copy.",
    "The name does not match the application.",
    "The document has expired; upload a current one.",
]


def _step_days(task: Task, rng: random.Random) -> float | None:
    """Calendar days until the step is decided; None: it stalls (still open when the history ends)."""
    limit = task.time_limit_days or 7
    roll = rng.random()
    if task.lane != roles.APPLICANT and roll < STALLED:
        return None
    if roll < STALLED + OVER_LIMIT:  # over the limit in working days, weekends and holidays included
        return rng.uniform(limit * 1.6, limit * 2.8)
    return rng.uniform(0.1, limit * 0.9)


def actor_for(task: Task, application: Application, people: dict[str, User], rng: random.Random) -> str | None:
    if task.lane == roles.APPLICANT:
        return next(u.username for u in people.values() if u.id == application.applicant_id)
    candidates = [
        u.username
        for u in people.values()
        if u.role == task.lane and (roles.is_state_role(u.role) or u.district_code == task.district)
        and (u.role != roles.BANK_OFFICER or u.bank_ifsc == application.bank_ifsc)  # the branch's officers (D76)
    ]
    return rng.choice(candidates) if candidates else None


def _choose(
    task: Task, returns: int, rng: random.Random, form: list[forms.Field], outcomes: list[str]
) -> tuple[str, str, dict]:
    """An outcome the step allows (mostly approve); the decision form's fields filled in."""
    if task.lane == roles.APPLICANT:
        return "submit", "Documents attached as asked.", {}
    roll = rng.random()
    if roll < 0.07 and "reject" in outcomes:
        return "reject", rng.choice(REJECT_REASONS), {}
    if roll < 0.17 and returns < MAX_RETURNS and "return" in outcomes:
        return "return", rng.choice(RETURN_REASONS), {}
    return outcomes[0] if "approve" not in outcomes else "approve", "", _decision_values(form, rng)


DRAWS = 50


def _decision_values(form: list[forms.Field], rng: random.Random) -> dict:
    """The required fields of a decision form (optional ones, like a lower sanctioned amount, left as proposed)."""
    return {f.key: _value(f, rng, "", None, high=True) for f in form if f.required}


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


def _loan_fields(task: Task, bank, application: Application, loan: Loan | None, today: date, rng: random.Random) -> dict:  # noqa: ANN001
    """The bank's figures: a loan of 60-90 % of the project cost, then disbursed in full."""
    if task.bpmn_id == bank.sanction_step:
        cost = int(application.data.get(bank.project_cost_field) or 0)
        return {"loan_amount": max(1, int(cost * rng.uniform(0.6, 0.9))), "sanction_date": today.isoformat(),
                "loan_account_number": str(rng.randrange(10**10, 10**11))}
    if task.bpmn_id == bank.disbursement_step and loan is not None:
        return {"disbursed_amount": loan.sanctioned_amount, "disbursement_date": today.isoformat()}
    return {}


def person_of(owner: User, scheme: Scheme, rng: random.Random) -> dict[str, str]:
    """The applicant's identity numbers, the same for every application of theirs: a valid
    Aadhaar number (Verhoeff check digit), Family ID and mobile; the Udyam number of their
    enterprise where the form requires one, else of a unit registered for this application."""
    base = f"7{owner.id:010d}"
    required = {f.key for f in scheme.fields if f.required}
    unit = owner.id if identity.UDYAM in required else rng.randrange(10**6, 10**7)
    return {
        identity.AADHAAR: base + str(identity.verhoeff_check_digit(base)),
        identity.FAMILY_ID: f"UPF{owner.id:09d}",
        identity.MOBILE: f"9{owner.id:09d}"[-10:],
        identity.UDYAM: f"UDYAM-UP-{owner.id % 75 + 1:02d}-{unit:07d}",
    }


def application_data(
    scheme: Scheme, name: str, rng: random.Random, today: date, *,
    person: Mapping[str, str] | None = None, choices: Mapping[str, list[tuple[str, str]]] | None = None,
) -> dict[str, object]:
    """Values for every field of the scheme's application form, within its limits and its rules
    (drawn again until the rules hold); `person`'s identity numbers, and one of `choices` for a
    field whose choices come from the records (the district's bank branches and products)."""
    for _ in range(50):
        data = {}
        for f in scheme.fields:
            options = choices_of(f.key, f.choices_from, dict(choices or {}))
            data[f.key] = rng.choice(options)[0] if options else _value(f, rng, name if f.key == scheme.applicant_name_field else "", today)
        data.update({k: v for k, v in (person or {}).items() if k in data})
        data = {k: v for k, v in data.items() if v is not None}
        try:
            scheme.validate(data, application_date=today)
            return data
        except ValidationFailed:
            continue
    raise RuntimeError(f"Could not fill in a valid {scheme.name} application; check its form and rules.")


def _value(f: forms.Field, rng: random.Random, name: str, today: date | None, high: bool = False) -> object:
    if f.type in ("select", "radio"):
        return rng.choice(f.choices)
    if f.type == "checkbox":
        return bool(f.required)  # declarations of ineligibility are answered "no"
    if f.type == "checklist":
        return rng.sample(list(f.choices), k=rng.randrange(1, len(f.choices) + 1))
    if f.type == "number":
        low = int(f.minimum if f.minimum is not None else 0)
        top = int(f.maximum if f.maximum is not None else max(low, 0) + 100_000)
        if high:  # officers' figures: mostly the upper half of the range
            low = low + (top - low) * 3 // 4 if top - low < 1000 else low
        span = min(top, max(low * 50, low + 5_000_000)) if top - low > 1_000_000 else top
        value = rng.randrange(low, max(low, span) + 1)
        return value if f.integer else float(value)
    if f.type == "datetime":
        day = today or date.today()
        if "birth" in f.key:
            return date(day.year - rng.randrange(19, 60), rng.randrange(1, 13), rng.randrange(1, 28)).isoformat()
        return (day - timedelta(days=rng.randrange(5, 60))).isoformat()
    if f.pattern and "[6-9]" in f.pattern:
        return f"9{rng.randrange(10**8, 10**9)}"
    text = name or f"{rng.choice(FIRST)} {f.label.split('(')[0].strip()}".strip()
    if f.key.endswith(("_number", "_reference", "_code")):
        text = f"{f.key[:3].upper()}{rng.randrange(10**6, 10**7)}"
    if f.min_length and len(text) < f.min_length:
        text = text.ljust(f.min_length, "x")
    return text[: f.max_length] if f.max_length else text


def _blank_pdf() -> bytes:
    """A real one-page PDF (uploads are opened before they are accepted, D49)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()


def _documents(scheme: Scheme, data: dict[str, object]) -> list[Upload]:
    return [Upload(kind=item.type, filename=f"{item.type}.pdf", content=PDF) for item in scheme.checklist if item.needed(data)]

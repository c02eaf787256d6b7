"""Appeals in the simulated history (D97): after `simulate` has driven the applications, some
applicants appeal, through the same use cases the pages call, at moments inside the history.

First appeals against rejections (filed a few days after the rejection) and against delays (filed
once the scheme's time limit has passed undecided); of these some are allowed (a rejection set aside
reopens the application), some dismissed, some left pending; a dismissed first appeal is taken to
the second appellate authority, which decides some and has others pending. A history too short to
hold enough rejections or delays (a quick `make run` test) has a few applications rejected at their
open step first, through the decision use case. Each step is dated a few days after the one before,
closer together when the history ends sooner. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from engine.clock import FixedClock
from engine.runtime import Runtime
from workflows.catalogue import roles
from workflows.errors import DomainError
from workflows.models import Appeal, Application, ApplicationStatus, User
from workflows.readmodels.appeals import CalendarFor, service_due
from workflows.readmodels.task_page import outcomes_of
from workflows.sample.simulation import actor_for
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.appeals import decide_appeal, file_appeal
from workflows.usecases.decisions import claim, decide

GROUNDS = {
    "rejection": [
        "The unit makes the district's ODOP product; the certificate was attached with the application.",
        "The rejection gives no reason that the record supports; the project report was complete.",
        "I was not heard before the rejection; the documents asked for were submitted in time.",
    ],
    "delay": [
        "No decision has been taken although the notified time limit has passed.",
        "The application has been pending beyond the time limit without any query to me.",
    ],
    "second": ["The first appellate authority did not consider the documents on record."],
}
ORDERS = {
    "approve": [
        "Heard the applicant and the district office. The documents on record meet the scheme's conditions; "
        "the office shall examine the application afresh and decide within the time limit.",
        "The office's report does not show why the application is pending; it shall decide it without further delay.",
    ],
    "reject": [
        "Heard both sides. The rejection rests on the scheme's conditions and the record supports it; the appeal fails.",
        "The applicant did not produce the documents the office asked for; no ground to interfere.",
    ],
}
# What becomes of the first appeals in turn: allowed, dismissed (and taken to the second appeal), pending.
FIRST_PLAN = ["reject", "approve", None, "reject", "approve", None]
MAX_FIRST = 8
MAX_DELAYS = 3  # of which against delays, when the history has any
WANTED = 4  # first appeals the history should hold at least
REJECTION_REASON = "The unit does not make the district's notified ODOP product."


def add_appeals(runtime: Runtime, clock: FixedClock, *, calendar_for: CalendarFor, seed: int = 2025) -> Counter[str]:
    """Files and decides appeals inside the history ending at the clock's time; returns what was done."""
    rng = random.Random(seed)
    end = clock.now()
    done: Counter[str] = Counter()
    with SchemeUnitOfWork(runtime) as uow:
        people = {u.id: u for u in uow.session.scalars(select(User).where(User.active.is_(True)))}
        rejected = list(uow.session.scalars(select(Application).where(
            Application.status == ApplicationStatus.REJECTED).order_by(Application.decided_at)))
        pending = uow.session.scalars(select(Application).where(
            Application.status.in_([ApplicationStatus.IN_PROCESS, ApplicationStatus.RETURNED])).order_by(Application.id))
        late = [(a, service_due(uow, a, calendar_for)) for a in pending]
    hearers = {level: sorted(u.username for u in people.values() if u.role == role)
               for level, role in ((1, roles.STATE_NODAL), (2, roles.STATE_COMMITTEE))}
    if not hearers[1] or not hearers[2]:
        return done
    candidates = [(a, "rejection", a.decided_at) for a in rejected if a.decided_at][:MAX_FIRST - MAX_DELAYS]
    candidates += sorted([(a, "delay", due) for a, due in late if due < end], key=lambda c: c[2])[:MAX_DELAYS]
    if len(candidates) < WANTED:
        taken = {a.id for a, _, _ in candidates}
        candidates += _reject_some(runtime, clock, people, WANTED - len(candidates), rng, end, taken)
    candidates.sort(key=lambda c: c[2])
    for index, (application, cause, since) in enumerate(candidates):
        filer = people.get(application.filed_by_id) or people.get(application.applicant_id)
        at = _after(since, rng.uniform(1, 4), end, rng)
        if filer is None:
            continue
        clock.set(at)
        try:
            with SchemeUnitOfWork(runtime) as uow:
                first = file_appeal(uow, actor=filer.username, number=application.number,
                                    grounds=rng.choice(GROUNDS[cause]), calendar_for=calendar_for)
        except DomainError:
            continue  # the window has passed, say: not every applicant appeals in time
        done[f"first appeals ({cause})"] += 1
        outcome = FIRST_PLAN[index % len(FIRST_PLAN)]
        order_at = _decide(runtime, clock, first, outcome, hearers[1], rng, end)
        if order_at is None:
            continue
        done[f"first appeals {'allowed' if outcome == 'approve' else 'dismissed'}"] += 1
        if outcome == "reject":
            _second(runtime, clock, application.number, filer.username, order_at, rng, end, hearers[2], calendar_for, done)
    clock.set(end)
    return done


def _second(runtime, clock, number, filer, since, rng, end, hearers, calendar_for, done) -> None:  # noqa: ANN001, PLR0913
    clock.set(_after(since, rng.uniform(1, 3), end, rng))
    try:
        with SchemeUnitOfWork(runtime) as uow:
            second = file_appeal(uow, actor=filer, number=number, grounds=GROUNDS["second"][0], calendar_for=calendar_for)
    except DomainError:
        return
    done["second appeals"] += 1
    outcome = "reject" if done["second appeals"] % 2 == 1 else None  # every other one is still pending
    if _decide(runtime, clock, second, outcome, hearers, rng, end) is not None:
        done["second appeals dismissed"] += 1


def _decide(runtime, clock, appeal: Appeal, outcome: str | None, hearers: list[str], rng: random.Random,  # noqa: ANN001
            end: datetime) -> datetime | None:
    """The order some days after the filing (None: left pending, or past the end of the history)."""
    if outcome is None:
        return None
    at = _after(appeal.filed_at, rng.uniform(2, 6), end, rng)
    clock.set(at)
    with SchemeUnitOfWork(runtime) as uow:
        decide_appeal(uow, actor=rng.choice(hearers), appeal_id=appeal.id, outcome=outcome, order=rng.choice(ORDERS[outcome]))
    return at


def _reject_some(runtime, clock, people, count, rng, end, taken) -> list[tuple[Application, str, datetime]]:  # noqa: ANN001, PLR0913
    """Rejects up to `count` undecided applications at their open office step, early enough that
    appeals can follow; returns them as appeal candidates."""
    with SchemeUnitOfWork(runtime) as uow:
        open_ones = []
        for application in uow.session.scalars(select(Application).where(
                Application.status == ApplicationStatus.IN_PROCESS, Application.id.not_in(taken or [0])).order_by(Application.submitted_at)):
            task = next(iter(uow.tasks.open_for_instance(application.instance_id)), None)
            definition = uow.definitions.get(uow.instances.get(application.instance_id).definition_id)
            if task is not None and task.lane != roles.APPLICANT and "reject" in outcomes_of(definition, task.bpmn_id):
                open_ones.append((application, task))
    rejected = []
    for application, task in open_ones:
        number = application.number
        officer = actor_for(task, application, people, rng)  # of the lane, district and bank branch
        if len(rejected) == count:
            break
        if officer is None:
            continue
        at = task.created_at + (end - task.created_at) / 10
        clock.set(at)
        with SchemeUnitOfWork(runtime) as uow:
            if task.assignee is None:
                claim(uow, [task.id], actor=officer)
            else:
                officer = task.assignee
        with SchemeUnitOfWork(runtime) as uow:
            decide(uow, task.id, actor=officer, outcome="reject", remarks=REJECTION_REASON, fields={})
        with SchemeUnitOfWork(runtime) as uow:
            rejected.append((uow.applications.by_number(number), "rejection", at))
    return rejected


def _after(since: datetime, days: float, end: datetime, rng: random.Random) -> datetime:
    """`days` after `since` in office hours, or a fifth of the time left when the history ends sooner."""
    at = _office_hours(since + timedelta(days=days), rng)
    if since < at < end - (end - since) * 0.8:
        return at
    return since + min(timedelta(days=days), (end - since) / 5)


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    # 10:00-17:30 India time is 04:30-12:00 UTC; a Sunday moves to Monday.
    if moment.weekday() == 6:
        moment += timedelta(days=1)
    return moment.replace(hour=4, minute=30, second=0, microsecond=0) + timedelta(minutes=rng.uniform(0, 450))

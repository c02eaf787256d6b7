"""Races on one task, on SQLite and PostgreSQL: of two commands on a task, the second decides on
what the first left (issue 13, docs/decisions.md D35).

Each race runs ROUNDS rounds on fresh tasks: two threads, each with its own unit of work (its own
session and connection), meet at a barrier and act on the same task at once; the five races run
at the same time. The instances are created in bulk first; one round in STATS_EVERY races on a
scheme's process, which the statistics count. Afterwards:

- every round's results are those of one of the two serial orders, and for claim/claim,
  claim/complete, complete/complete and reassign/complete exactly one command won (the loser got
  the domain error the web layer answers 409, naming who holds the task); unclaim/complete has
  two serial outcomes with a winner each: the completion alone (the unclaim is refused), or the
  unclaim then the completion of the unclaimed task;
- no completed row changed after its completion (rows compared with what each winning
  completion returned, and snapshots taken while the races ran compared with the end);
- replaying each task's audit events gives its row's state and holder, and there is one event
  per successful command;
- the statistics kept step by step equal a rebuild from the history.
"""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from engine.commands import claim_task, complete_task, reassign_task, start_instance, unclaim_task
from engine.definitions import deploy
from engine.errors import EngineError, TaskClaimedByOther
from engine.models import AuditEvent, Instance, InstanceStatus, Task, TaskState
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla.calendar import BusinessCalendar, WeeklyOffs
from stats import monthly, recorder
from stats.models import ApplicationFact, StepFact

ROUNDS = int(os.environ.get("ODOP_RACE_ROUNDS", "1000"))
FIXTURE = (Path(__file__).parent.parent / "fixtures" / "two_steps.bpmn").read_bytes()
# Every STATS_EVERY-th round races on the fixture deployed under a scheme's process key, which the
# statistics count (keeping them costs more than the rest of a completion); the other rounds race
# on the fixture's own key, which they ignore like any process that is not a scheme's.
PROCESS = "marketing_assistance"
STATS_EVERY = 10
CALENDAR = BusinessCalendar("UP", holidays={}, weekly_offs=WeeklyOffs())
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OK = "ok"


class TickingClock:
    """Every reading is one millisecond after the last, so no two writes share a time and a
    rewritten timestamp shows."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self._now += timedelta(milliseconds=1)
            return self._now


def _calendar(uow, year):  # noqa: ANN001, ANN202
    return CALENDAR


@pytest.fixture
def race_runtime(database_url: str) -> Iterator[Runtime]:
    rt = Runtime.create(database_url, clock=TickingClock(datetime(2025, 7, 7, 4, 30, tzinfo=UTC)))
    recorder.install(rt, _calendar)
    yield rt
    rt.db.dispose()


# --- the commands raced, each in its own unit of work --------------------------------------------


@dataclass
class Completed:
    task_id: str
    completed_by: str
    completed_at: datetime
    claimed_at: datetime
    outcome: str


def _claim(actor: str) -> Callable[[Runtime, str], object]:
    def run(rt: Runtime, task_id: str) -> object:
        with UnitOfWork(rt) as uow:
            claim_task(uow, task_id, actor=actor)
            uow.commit()

    return run


def _unclaim(actor: str) -> Callable[[Runtime, str], object]:
    def run(rt: Runtime, task_id: str) -> object:
        with UnitOfWork(rt) as uow:
            unclaim_task(uow, task_id, actor=actor)
            uow.commit()

    return run


def _reassign(actor: str, to: str) -> Callable[[Runtime, str], object]:
    def run(rt: Runtime, task_id: str) -> object:
        with UnitOfWork(rt) as uow:
            reassign_task(uow, task_id, to=to, actor=actor, reason="On leave")
            uow.commit()

    return run


def _complete(actor: str, outcome: str) -> Callable[[Runtime, str], object]:
    def run(rt: Runtime, task_id: str) -> object:
        with UnitOfWork(rt) as uow:
            task = complete_task(uow, task_id, actor=actor, data={"outcome": outcome}).task
            uow.commit()
            return Completed(task.id, task.completed_by, task.completed_at, task.claimed_at, task.outcome)

    return run


@dataclass
class Race:
    name: str
    claimed_by: str | None  # who holds the task before the round
    first: tuple[str, Callable[[Runtime, str], object]]  # (the audit event of its success, command)
    second: tuple[str, Callable[[Runtime, str], object]]
    # (first's result, second's result) -> (state, assignee) of the row afterwards
    outcomes: dict[tuple[str, str], tuple[str, str | None]]


def _event(kind: str, actor: str) -> str:
    return f"{kind}:{actor}"


RACES = [
    Race("claim/claim", None, (_event("task_claimed", "bob"), _claim("bob")), (_event("task_claimed", "eve"), _claim("eve")), {
        (OK, "TaskClaimedByOther:bob"): (TaskState.CLAIMED, "bob"),
        ("TaskClaimedByOther:eve", OK): (TaskState.CLAIMED, "eve"),
    }),
    Race("claim/complete", None, (_event("task_claimed", "eve"), _claim("eve")),
         (_event("task_completed", "bob"), _complete("bob", "approve")), {
        (OK, "TaskClaimedByOther:eve"): (TaskState.CLAIMED, "eve"),
        ("TaskAlreadyCompleted", OK): (TaskState.COMPLETED, "bob"),
    }),
    Race("complete/complete", None, (_event("task_completed", "bob"), _complete("bob", "approve")),
         (_event("task_completed", "eve"), _complete("eve", "reject")), {
        (OK, "TaskAlreadyCompleted"): (TaskState.COMPLETED, "bob"),
        ("TaskAlreadyCompleted", OK): (TaskState.COMPLETED, "eve"),
    }),
    Race("unclaim/complete", "bob", (_event("task_unclaimed", "bob"), _unclaim("bob")),
         (_event("task_completed", "bob"), _complete("bob", "reject")), {
        ("TaskAlreadyCompleted", OK): (TaskState.COMPLETED, "bob"),
        (OK, OK): (TaskState.COMPLETED, "bob"),  # unclaimed first, then completed by bob
    }),
    Race("reassign/complete", "bob", (_event("task_reassigned", "gm"), _reassign("gm", "carol")),
         (_event("task_completed", "bob"), _complete("bob", "reject")), {
        (OK, "TaskClaimedByOther:carol"): (TaskState.CLAIMED, "carol"),
        ("TaskAlreadyCompleted", OK): (TaskState.COMPLETED, "bob"),
    }),
]


def _result(run: Callable[[Runtime, str], object], rt: Runtime, task_id: str) -> tuple[str, object]:
    try:
        return OK, run(rt, task_id)
    except TaskClaimedByOther as err:
        assert err.holder and err.holder in str(err), "the loser is told who holds the task"
        return f"TaskClaimedByOther:{err.holder}", None
    except EngineError as err:
        return type(err).__name__, None


def _race(rt: Runtime, race: Race, task_ids: list[str], failures: list[BaseException]) -> tuple[list, list[threading.Thread]]:
    """Start the race's two threads: in round r both act on task_ids[r], released together by a
    barrier. Returns the list the results are written to, and the threads."""
    barrier = threading.Barrier(2)
    results: list[list] = [[None, None] for _ in task_ids]

    def worker(side: int, run: Callable[[Runtime, str], object]) -> None:
        for r, task_id in enumerate(task_ids):
            try:
                barrier.wait()
                results[r][side] = _result(run, rt, task_id)
            except BaseException as err:  # noqa: BLE001 - reported by the main thread
                failures.append(err)
                barrier.abort()
                return

    threads = [threading.Thread(target=worker, args=(i, run)) for i, (_, run) in enumerate((race.first, race.second))]
    for t in threads:
        t.start()
    return results, threads


def _run_races(rt: Runtime, tasks: list[str]) -> list[list]:
    """Every race's rounds, the five races at the same time (ten threads: each pair races on its
    own tasks, the others add contention, and one pair's waiting is another's working)."""
    failures: list[BaseException] = []
    out, running = [], []
    for n, race in enumerate(RACES):
        results, threads = _race(rt, race, tasks[n * ROUNDS : (n + 1) * ROUNDS], failures)
        out.append(results)
        running += threads
    for t in running:
        t.join()
    if failures:
        raise failures[0]
    return out


def _watch(rt: Runtime, snapshots: list[dict[str, tuple]], done: threading.Event) -> threading.Thread:
    """Snapshots of the completed rows, taken while the races run (compared with the end's)."""

    def watch() -> None:
        while not done.wait(5):
            snapshots.append(_completed_rows(rt))

    watcher = threading.Thread(target=watch)
    watcher.start()
    return watcher


# --- the tasks: instances created in bulk --------------------------------------------------------


def _create_tasks(rt: Runtime, n: int, claimed_by: list[str | None]) -> list[str]:
    """n running instances waiting at their first step, as start_instance leaves them: one per
    process is started by it, the others are copies of its state with fresh task ids, inserted in
    bulk; instance i is of the scheme's process if i % STATS_EVERY == 0, and its task is held by
    claimed_by[i] (the row and event as claim_task writes them)."""
    templates = []
    for key in ("two_steps", PROCESS):
        with UnitOfWork(rt) as uow:
            deploy(uow, {f"{key}.bpmn": FIXTURE.replace(b'id="two_steps"', f'id="{key}"'.encode())}, actor="admin")
            uow.commit()
        with UnitOfWork(rt) as uow:
            first = start_instance(uow, key, business_key=f"{key}-0", data={"cost": 400}, actor="applicant", district="AGR")
            uow.commit()
        templates.append((key, first.instance, first.created[0]))
    copies: list[tuple[Instance, Task]] = []
    for i in range(n):
        key, template, review = templates[1 if i % STATS_EVERY == 0 else 0]
        ids: dict[str, str] = {}
        state = UUID.sub(lambda m: ids.setdefault(m.group(0), str(uuid.uuid4())), template.state)  # noqa: B023
        now = rt.clock.now()
        copies.append((
            Instance(business_key=f"RACE-{i:05d}", definition_id=template.definition_id, district="AGR",
                     status=InstanceStatus.RUNNING, state=state, started_by="applicant", started_at=now, updated_at=now),
            Task(id=ids[review.id], bpmn_id=review.bpmn_id, process_key=key, name=review.name, lane=review.lane,
                 district="AGR", state=TaskState.CLAIMED if claimed_by[i] else TaskState.READY,
                 assignee=claimed_by[i], claimed_at=now if claimed_by[i] else None,
                 time_limit_days=review.time_limit_days, created_at=now),
        ))
    with UnitOfWork(rt) as uow:
        uow.session.add_all(instance for instance, _ in copies)
        uow.flush()
        for instance, row in copies:
            row.instance_id = instance.id
            uow.audit.record("instance_started", "applicant", instance_id=instance.id,
                             definition_id=instance.definition_id, business_key=instance.business_key)
            uow.audit.record("task_created", "applicant", instance_id=instance.id, task_id=row.id,
                             bpmn_id=row.bpmn_id, lane=row.lane)
            if row.assignee:
                uow.audit.record("task_claimed", row.assignee, instance_id=instance.id, task_id=row.id)
        uow.session.add_all(row for _, row in copies)
        uow.commit()
    with UnitOfWork(rt) as uow:
        # The statistics of the copies, as a rebuild makes them (the templates' were kept as
        # they started).
        recorder.rebuild(uow, _calendar)
        uow.commit()
    return [row.id for _, row in copies]


# --- what must hold afterwards -------------------------------------------------------------------


def _completed_rows(rt: Runtime) -> dict[str, tuple]:
    with UnitOfWork(rt) as uow:
        return {
            t.id: (t.state, t.assignee, t.completed_by, t.completed_at, t.claimed_at, t.outcome)
            for t in uow.session.scalars(select(Task).where(Task.state == TaskState.COMPLETED))
        }


def _replay(events: list[AuditEvent]) -> tuple[str, str | None]:
    state, holder = "missing", None
    for e in events:
        if e.kind == "task_created":
            state, holder = TaskState.READY, None
        elif e.kind == "task_claimed":
            state, holder = TaskState.CLAIMED, e.actor
        elif e.kind == "task_unclaimed":
            state, holder = TaskState.READY, None
        elif e.kind == "task_reassigned":
            to = e.payload["to"]
            state, holder = (TaskState.CLAIMED, to) if to else (TaskState.READY, None)
        elif e.kind == "task_completed":
            state, holder = TaskState.COMPLETED, e.actor
        elif e.kind == "task_cancelled":
            state = TaskState.CANCELLED
    return state, holder


def _statistics(rt: Runtime) -> list[tuple]:
    out = []
    with UnitOfWork(rt) as uow:
        for model in (ApplicationFact, StepFact, *monthly.ROLLUPS):
            key = inspect(model).primary_key
            for row in uow.session.scalars(select(model).order_by(*key)):
                out.append((model.__tablename__, *(getattr(row, c.key) for c in model.__table__.columns if c.name != "revision")))
    return out


def test_races_on_one_task(race_runtime: Runtime) -> None:
    rt = race_runtime
    holders = [race.claimed_by for race in RACES for _ in range(ROUNDS)]
    tasks = _create_tasks(rt, len(holders), holders)
    # (task, "kind:actor") of every command that succeeded, the set-up's claims included
    expected: Counter[tuple[str, str]] = Counter(
        (t, _event("task_claimed", h)) for t, h in zip(tasks, holders, strict=True) if h
    )
    won: dict[str, Completed] = {}
    seen: dict[str, Counter] = {}
    snapshots: list[dict[str, tuple]] = []
    done = threading.Event()
    watcher = _watch(rt, snapshots, done)
    try:
        all_results = _run_races(rt, tasks)
    finally:
        done.set()
        watcher.join()
    for n, (race, results) in enumerate(zip(RACES, all_results, strict=True)):
        ids = tasks[n * ROUNDS : (n + 1) * ROUNDS]
        seen[race.name] = Counter((a[0], b[0]) for a, b in results)
        for task_id, pair in zip(ids, results, strict=True):
            assert (pair[0][0], pair[1][0]) in race.outcomes, f"{race.name}: {pair} is not a serial outcome"
            for (result, value), (event, _) in zip(pair, (race.first, race.second), strict=True):
                if result == OK:
                    expected[(task_id, event)] += 1
                if isinstance(value, Completed):
                    won[task_id] = value
    print("\n".join(f"{name}: {dict(counts)}" for name, counts in seen.items()))

    # No completed row changed: each is what its winning completion returned, and every snapshot
    # taken during the races is unchanged at the end.
    final = _completed_rows(rt)
    assert set(final) == set(won), "a task is completed exactly when a completion won"
    for task_id, done in won.items():
        assert final[task_id] == (
            TaskState.COMPLETED, done.completed_by, done.completed_by, done.completed_at, done.claimed_at, done.outcome
        )
    for snapshot in snapshots:
        assert {k: final[k] for k in snapshot} == snapshot

    # The audit log agrees with the rows: one event per successful command, none for a loser, and
    # replaying a task's events gives its row.
    with UnitOfWork(rt) as uow:
        events: dict[str, list[AuditEvent]] = {}
        for e in uow.session.scalars(select(AuditEvent).where(AuditEvent.task_id.is_not(None)).order_by(AuditEvent.id)):
            events.setdefault(e.task_id, []).append(e)
        rows = {t.id: t for t in uow.session.scalars(select(Task))}
        finished = set(uow.session.scalars(select(Instance.id).where(Instance.status == InstanceStatus.COMPLETED)))
    acted = Counter(
        (task_id, _event(e.kind, e.actor))
        for task_id, es in events.items()
        for e in es
        if e.kind in ("task_claimed", "task_unclaimed", "task_reassigned", "task_completed")
    )
    assert acted == expected
    assert not [e for es in events.values() for e in es if e.kind == "task_cancelled"]
    for task_id, row in rows.items():
        assert _replay(events[task_id]) == (row.state, row.assignee), f"the events of {task_id} disagree with its row"
    for n, race in enumerate(RACES):
        for task_id in tasks[n * ROUNDS : (n + 1) * ROUNDS]:
            assert (rows[task_id].state, rows[task_id].assignee) in race.outcomes.values()
    # The workflows moved on exactly for the winners: an approval to the next step, a rejection
    # to the end.
    next_steps = {row.instance_id for row in rows.values() if row.bpmn_id == "approve"}
    assert next_steps == {rows[t].instance_id for t, done in won.items() if done.outcome == "approve"}
    assert finished == {rows[t].instance_id for t, done in won.items() if done.outcome == "reject"}

    # The statistics kept step by step equal a rebuild from the history.
    kept = _statistics(rt)
    with UnitOfWork(rt) as uow:
        recorder.rebuild(uow, _calendar)
        uow.commit()
    assert _statistics(rt) == kept

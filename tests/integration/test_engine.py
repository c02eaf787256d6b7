"""The engine's commands against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.commands import claim_task, complete_task, reassign_task, start_instance, unclaim_task
from engine.definitions import deploy
from engine.errors import (
    DefinitionInvalid,
    DuplicateBusinessKey,
    ScriptError,
    StaleState,
    TaskAlreadyCompleted,
    TaskClaimedByOther,
)
from engine.models import AuditEvent, Instance, Task, TaskState
from engine.runtime import Runtime
from engine.uow import UnitOfWork

FIXTURE = (Path(__file__).parent.parent / "fixtures" / "two_steps.bpmn").read_bytes()


def _deploy(runtime: Runtime, content: bytes = FIXTURE, comment: str = "") -> tuple[int, int, bool]:
    with UnitOfWork(runtime) as uow:
        result = deploy(uow, {"two_steps.bpmn": content}, actor="admin", comment=comment)
        uow.commit()
        return result.definition.id, result.definition.version, result.created


def _start(runtime: Runtime, key: str = "APP-1", cost: int = 400) -> int:
    with UnitOfWork(runtime) as uow:
        result = start_instance(uow, "two_steps", business_key=key, data={"cost": cost}, actor="alice", district="AGR")
        uow.commit()
        return result.instance.id


def _open_tasks(runtime: Runtime, instance_id: int) -> list[Task]:
    with UnitOfWork(runtime) as uow:
        return list(uow.tasks.open_for_instance(instance_id))


def _snapshot(runtime: Runtime) -> tuple:
    """Everything a command could change, to compare before and after a failed command."""
    with UnitOfWork(runtime) as uow:
        s = uow.session
        tasks = sorted((t.id, t.state, t.assignee, t.completed_at) for t in s.scalars(select(Task)))
        instances = sorted((i.id, i.version, i.status, i.state) for i in s.scalars(select(Instance)))
        return tasks, instances, s.scalar(select(func.count()).select_from(AuditEvent))


def test_deploy_versions_and_identical_redeploy(runtime: Runtime) -> None:
    first = _deploy(runtime)
    assert first[1:] == (1, True)
    assert _deploy(runtime)[1:] == (1, False), "identical content deploys nothing"
    changed = FIXTURE.replace(b'name="Review"', b'name="Review documents"')
    assert _deploy(runtime, changed, "renamed")[1:] == (2, True)
    with UnitOfWork(runtime) as uow:
        assert uow.definitions.latest_versions() == {"two_steps": 2}
        deployed = uow.session.scalars(select(AuditEvent).where(AuditEvent.kind == "definition_deployed")).all()
        assert [e.payload["version"] for e in deployed] == [1, 2]


def test_running_instance_keeps_its_version(runtime: Runtime) -> None:
    _deploy(runtime)
    old = _start(runtime, "OLD")
    _deploy(runtime, FIXTURE.replace(b'name="Approve"', b'name="Sanction"'))
    new = _start(runtime, "NEW")
    for instance_id in (old, new):
        (review,) = _open_tasks(runtime, instance_id)
        with UnitOfWork(runtime) as uow:
            complete_task(uow, review.id, actor="bob", data={"outcome": "approve"})
            uow.commit()
    assert [t.name for t in _open_tasks(runtime, old)] == ["Approve"]
    assert [t.name for t in _open_tasks(runtime, new)] == ["Sanction"]


def test_happy_path_projects_tasks_and_audit(runtime: Runtime, clock) -> None:  # noqa: ANN001
    _deploy(runtime)
    instance_id = _start(runtime, cost=400)
    (review,) = _open_tasks(runtime, instance_id)
    assert (review.bpmn_id, review.lane, review.district, review.state, review.time_limit_days) == (
        "review", "clerk", "AGR", TaskState.READY, 5
    )
    clock.advance(hours=1)
    with UnitOfWork(runtime) as uow:
        claim_task(uow, review.id, actor="bob")
        uow.commit()
    clock.advance(hours=2)
    with UnitOfWork(runtime) as uow:
        result = complete_task(uow, review.id, actor="bob", data={"outcome": "approve", "remarks": "ok"})
        uow.commit()
    assert result.data["amount"] == 100
    (approve,) = _open_tasks(runtime, instance_id)
    assert approve.lane == "head"
    with UnitOfWork(runtime) as uow:
        complete_task(uow, approve.id, actor="carol", data={"outcome": "approve"})
        uow.commit()
    with UnitOfWork(runtime) as uow:
        instance = uow.instances.get(instance_id)
        assert (instance.status, instance.end_event) == ("completed", "end_approved")
        done = uow.tasks.get(review.id)
        assert (done.state, done.completed_by, done.outcome) == ("completed", "bob", "approve")
        assert (done.claimed_at - done.created_at).total_seconds() == 3600
        assert (done.completed_at - done.claimed_at).total_seconds() == 7200
        kinds = [e.kind for e in uow.audit.for_instance(instance_id)]
    assert kinds == [
        "instance_started", "task_created", "task_claimed", "task_completed", "data_changed", "task_created",
        "task_completed", "data_changed", "instance_completed",
    ]


def test_rejection_path(runtime: Runtime) -> None:
    _deploy(runtime)
    instance_id = _start(runtime)
    (review,) = _open_tasks(runtime, instance_id)
    with UnitOfWork(runtime) as uow:
        complete_task(uow, review.id, actor="bob", data={"outcome": "reject", "remarks": "no"})
        uow.commit()
    with UnitOfWork(runtime) as uow:
        assert uow.instances.get(instance_id).end_event == "end_rejected"


def test_completing_twice_fails_and_changes_nothing(runtime: Runtime) -> None:
    _deploy(runtime)
    instance_id = _start(runtime)
    (review,) = _open_tasks(runtime, instance_id)
    with UnitOfWork(runtime) as uow:
        complete_task(uow, review.id, actor="bob", data={"outcome": "approve"})
        uow.commit()
    before = _snapshot(runtime)
    with pytest.raises(TaskAlreadyCompleted, match="already completed by bob"), UnitOfWork(runtime) as uow:
        complete_task(uow, review.id, actor="bob", data={"outcome": "reject"})
        uow.commit()
    assert _snapshot(runtime) == before


def test_stale_version_is_refused(runtime: Runtime) -> None:
    _deploy(runtime)
    instance_id = _start(runtime)
    (review,) = _open_tasks(runtime, instance_id)
    with UnitOfWork(runtime) as uow:
        seen = uow.instances.get(instance_id).version
        claim_task(uow, review.id, actor="bob")
        uow.commit()
    with UnitOfWork(runtime) as uow:
        reassign_task(uow, review.id, to="dave", actor="gm", reason="leave")
        uow.commit()
    before = _snapshot(runtime)
    with pytest.raises(TaskClaimedByOther), UnitOfWork(runtime) as uow:
        complete_task(uow, review.id, actor="bob", data={"outcome": "approve"})
    with UnitOfWork(runtime) as uow:  # the version did not move: claims do not touch the workflow
        assert uow.instances.get(instance_id).version == seen
        complete_task(uow, review.id, actor="dave", data={"outcome": "approve"}, expected_version=seen)
        uow.commit()
    with pytest.raises(TaskAlreadyCompleted), UnitOfWork(runtime) as uow:
        complete_task(uow, review.id, actor="dave", data={"outcome": "approve"}, expected_version=seen)
    assert _snapshot(runtime) != before


def test_expected_version_mismatch_changes_nothing(runtime: Runtime) -> None:
    _deploy(runtime)
    instance_id = _start(runtime)
    (review,) = _open_tasks(runtime, instance_id)
    before = _snapshot(runtime)
    with pytest.raises(StaleState, match="changed since you opened it"), UnitOfWork(runtime) as uow:
        complete_task(uow, review.id, actor="bob", data={"outcome": "approve"}, expected_version=999)
        uow.commit()
    assert _snapshot(runtime) == before


def test_failure_mid_command_leaves_no_partial_state(runtime: Runtime) -> None:
    _deploy(runtime)
    with UnitOfWork(runtime) as uow:  # no `cost`: the script after the gateway fails
        result = start_instance(uow, "two_steps", business_key="BROKEN", data={}, actor="alice")
        uow.commit()
    (review,) = _open_tasks(runtime, result.instance.id)
    before = _snapshot(runtime)
    with pytest.raises(ScriptError, match="Compute amount"), UnitOfWork(runtime) as uow:
        complete_task(uow, review.id, actor="bob", data={"outcome": "approve"})
        uow.commit()
    assert _snapshot(runtime) == before
    (still,) = _open_tasks(runtime, result.instance.id)
    assert still.state == TaskState.READY


def test_duplicate_business_key(runtime: Runtime) -> None:
    _deploy(runtime)
    _start(runtime, "SAME")
    before = _snapshot(runtime)
    with pytest.raises(DuplicateBusinessKey), UnitOfWork(runtime) as uow:
        start_instance(uow, "two_steps", business_key="SAME", data={"cost": 1}, actor="alice")
    assert _snapshot(runtime) == before


def test_claim_unclaim(runtime: Runtime) -> None:
    _deploy(runtime)
    (review,) = _open_tasks(runtime, _start(runtime))
    with UnitOfWork(runtime) as uow:
        claim_task(uow, review.id, actor="bob")
        uow.commit()
    with pytest.raises(TaskClaimedByOther, match="already claimed by bob"), UnitOfWork(runtime) as uow:
        claim_task(uow, review.id, actor="eve")
    with UnitOfWork(runtime) as uow:
        unclaim_task(uow, review.id, actor="bob")
        uow.commit()
    with UnitOfWork(runtime) as uow:
        task = uow.tasks.get(review.id)
        assert (task.state, task.assignee, task.claimed_at) == (TaskState.READY, None, None)


def test_invalid_definition_is_refused_with_problems(runtime: Runtime) -> None:
    broken = FIXTURE.replace(b'targetRef="calc"', b'targetRef="nowhere"').replace(b"round(cost * 0.25)", b"round(cost *")
    with pytest.raises(DefinitionInvalid) as caught, UnitOfWork(runtime) as uow:
        deploy(uow, {"two_steps.bpmn": broken}, actor="admin")
    messages = " | ".join(str(p) for p in caught.value.problems)
    assert "leads to 'nowhere'" in messages
    assert "not valid Python" in messages
    with UnitOfWork(runtime) as uow:
        assert uow.definitions.list() == []


def test_two_officers_complete_the_same_task_at_once(runtime: Runtime) -> None:
    _deploy(runtime)
    (review,) = _open_tasks(runtime, _start(runtime))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def officer(name: str) -> None:
        try:
            with UnitOfWork(runtime) as uow:
                barrier.wait()
                complete_task(uow, review.id, actor=name, data={"outcome": "approve"})
                uow.commit()
            outcomes.append("ok")
        except (StaleState, TaskAlreadyCompleted, TaskClaimedByOther) as err:
            outcomes.append(type(err).__name__)

    threads = [threading.Thread(target=officer, args=(n,)) for n in ("bob", "eve")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    with UnitOfWork(runtime) as uow:
        completed = uow.session.scalars(select(Task).where(Task.state == "completed")).all()
        assert len(completed) == 1
        created = uow.session.scalar(select(func.count()).select_from(Task).where(Task.bpmn_id == "approve"))
        assert created == 1

"""The in-process workflow cache never hands out a workflow that differs from the stored state."""

from __future__ import annotations

from engine.clock import FixedClock
from engine.commands import complete_task
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from tests.integration.test_engine import _deploy, _open_tasks, _start


def test_an_uncommitted_command_leaves_no_trace_in_the_cache(runtime: Runtime) -> None:
    _deploy(runtime)
    instance_id = _start(runtime)
    (review,) = _open_tasks(runtime, instance_id)
    with UnitOfWork(runtime) as uow:  # completes the task in memory, then leaves without commit
        complete_task(uow, review.id, actor="bob", data={"outcome": "approve"})
    with UnitOfWork(runtime) as uow:  # the task is still ready in the stored state, and here
        result = complete_task(uow, review.id, actor="bob", data={"outcome": "approve"})
        uow.commit()
    assert [t.bpmn_id for t in result.created] == ["approve"]


def test_a_change_made_by_another_process_is_not_hidden_by_the_cache(
    runtime: Runtime, database_url: str, clock: FixedClock
) -> None:
    _deploy(runtime)
    instance_id = _start(runtime)  # this runtime now caches the workflow at version 1
    other = Runtime.create(database_url, clock=clock)  # a second app process on the same database
    try:
        (review,) = _open_tasks(other, instance_id)
        with UnitOfWork(other) as uow:
            complete_task(uow, review.id, actor="bob", data={"outcome": "reject"})
            uow.commit()
    finally:
        other.db.dispose()
    with UnitOfWork(runtime) as uow:
        instance = uow.instances.get(instance_id)
        workflow = uow.instances.workflow(instance)
    assert workflow.is_completed(), "the cached version-1 workflow must not be used"


def test_disabled_cache_keeps_nothing(database_url: str, clock: FixedClock) -> None:
    runtime = Runtime.create(database_url, clock=clock, workflow_cache_size=0)
    try:
        _deploy(runtime)
        instance_id = _start(runtime)
        with UnitOfWork(runtime) as uow:
            instance = uow.instances.get(instance_id)
            assert runtime.workflows.take(instance.id, instance.version) is None
    finally:
        runtime.db.dispose()

"""The sandbox holds when hostile expressions arrive through deployed processes and stored data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.commands import complete_task, start_instance
from engine.definitions import deploy
from engine.errors import ScriptError
from engine.models import AuditEvent, Instance, Task
from engine.runtime import Runtime
from engine.uow import UnitOfWork

FIXTURE = (Path(__file__).parent.parent / "fixtures" / "two_steps.bpmn").read_bytes()
ATTACKS = [
    ("().__class__.__base__.__subclasses__()", "not allowed"),
    ('__import__("os").system("id")', "not allowed"),
    ('open("/etc/passwd").read()', "not available"),
    ("cost.__class__", "not allowed"),
    ('getattr(cost, "__class__")', "not available"),
    ('"{0.__class__}".format(cost)', "not allowed"),
]


def _state(runtime: Runtime) -> tuple:
    with UnitOfWork(runtime) as uow:
        s = uow.session
        return (
            sorted((t.id, t.state) for t in s.scalars(select(Task))),
            sorted((i.id, i.version, i.state) for i in s.scalars(select(Instance))),
            s.scalar(select(func.count()).select_from(AuditEvent)),
        )


@pytest.mark.parametrize(("attack", "message"), ATTACKS)
def test_hostile_script_task_is_refused_and_nothing_changes(runtime: Runtime, attack: str, message: str) -> None:
    hostile = FIXTURE.replace(b"amount = round(cost * 0.25)", f"amount = {attack}".encode().replace(b'"', b"&quot;"))
    with UnitOfWork(runtime) as uow:
        deploy(uow, {"two_steps.bpmn": hostile}, actor="admin")
        result = start_instance(uow, "two_steps", business_key="X", data={"cost": 4}, actor="a")
        uow.commit()
    (task,) = [t for t in result.created]
    before = _state(runtime)
    with pytest.raises(ScriptError, match=message), UnitOfWork(runtime) as uow:
        complete_task(uow, task.id, actor="b", data={"outcome": "approve"})
        uow.commit()
    assert _state(runtime) == before


def test_hostile_gateway_condition_is_refused(runtime: Runtime) -> None:
    hostile = FIXTURE.replace(b'outcome == "approve"', b"outcome.__class__.__name__ == &quot;str&quot;")
    with UnitOfWork(runtime) as uow:
        deploy(uow, {"two_steps.bpmn": hostile}, actor="admin")
        result = start_instance(uow, "two_steps", business_key="X", data={"cost": 4}, actor="a")
        uow.commit()
    before = _state(runtime)
    with pytest.raises(ScriptError, match="not allowed"), UnitOfWork(runtime) as uow:
        complete_task(uow, result.created[0].id, actor="b", data={"outcome": "approve"})
    assert _state(runtime) == before


def test_hostile_task_data_is_inert(runtime: Runtime) -> None:
    """Data is data: a string that looks like an attack is never evaluated."""
    with UnitOfWork(runtime) as uow:
        deploy(uow, {"two_steps.bpmn": FIXTURE}, actor="admin")
        result = start_instance(uow, "two_steps", business_key="X", data={"cost": 4}, actor="a")
        uow.commit()
    with UnitOfWork(runtime) as uow:
        step = complete_task(
            uow, result.created[0].id, actor="b", data={"outcome": "approve", "remarks": '__import__("os").system("id")'}
        )
        uow.commit()
    assert step.data["amount"] == 1 and step.data["remarks"].startswith("__import__")

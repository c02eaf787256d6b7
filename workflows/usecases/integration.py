"""Other systems talking to running applications: messages to one application, signals to all (D26).

A bank confirming a loan or a treasury confirming a payment sends a message to one application
(correlated by its number and the message's name); a signal reaches every instance waiting for
it, each in its own transaction. Only administrators and the `integration` role may do either.
A signal that fails in one instance does not stop the others: that instance gets an incident
(a `signal` row in the timers table) an administrator sees on the incidents page and can retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.commands import StepResult, send_message, send_signal, signal_targets
from engine.errors import EngineError
from engine.models import Timer, TimerState
from engine.uow import UnitOfWork
from workflows.catalogue import roles
from workflows.errors import DomainError, NotAllowed, ValidationFailed
from workflows.progress import apply_step
from workflows.uow import SchemeUnitOfWork

log = logging.getLogger(__name__)

SIGNAL_KIND = "signal"  # incident rows of signals that failed in an instance
MAY_SEND = (roles.ADMIN, roles.INTEGRATION)
MAX_PAYLOAD_KEYS = 100


@dataclass(frozen=True)
class Delivered:
    number: str
    message: str
    status: str
    open_steps: list[str]


@dataclass
class SignalReport:
    signal: str
    reached: int = 0
    failed: int = 0
    incidents: list[int] = field(default_factory=list)


def require_sender(uow: SchemeUnitOfWork, actor: str) -> None:
    user = uow.users.by_username(actor)
    if user.role not in MAY_SEND:
        raise NotAllowed("Only administrators and integration accounts may send messages and signals.")


def check_event(name: str, payload: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed("Name the message or signal (up to 200 characters).", {"name": ["Required."]})
    if not isinstance(payload, Mapping) or len(payload) > MAX_PAYLOAD_KEYS:
        raise ValidationFailed("The payload must be an object of at most 100 fields.", {"payload": ["Invalid."]})
    bad = [k for k in payload if not isinstance(k, str) or not k.isidentifier() or k.startswith("_")]
    if bad:
        raise ValidationFailed(
            f"Payload field names must be names (letters, digits, '_'; not starting with '_'): {', '.join(map(str, bad))}.",
            {"payload": ["Invalid field names."]},
        )
    return name, dict(payload)


def deliver_message(uow: SchemeUnitOfWork, *, actor: str, number: str, name: str, payload: Mapping[str, Any]) -> Delivered:
    """Deliver a message to the application `number`; its payload joins the process data. Commits once."""
    require_sender(uow, actor)
    name, payload = check_event(name, payload)
    result = send_message(uow, number, name, payload=payload, actor=actor)
    _apply(uow, result)
    uow.commit()
    steps = [row.name for row in uow.tasks.open_for_instance(result.instance.id)]
    return Delivered(number, name, result.instance.status, steps)


def signal(
    uow_factory: Callable[[], SchemeUnitOfWork], *, actor: str, name: str, payload: Mapping[str, Any]
) -> SignalReport:
    """An administrator's or integration account's signal to every waiting instance."""
    with uow_factory() as uow:
        require_sender(uow, actor)
    name, payload = check_event(name, payload)
    return broadcast_signal(uow_factory, name, payload=payload, actor=actor)


def broadcast_signal(
    uow_factory: Callable[[], SchemeUnitOfWork], name: str, *, payload: Mapping[str, Any], actor: str
) -> SignalReport:
    """Deliver a signal to every instance waiting for it, each in its own transaction."""
    report = SignalReport(name)
    with uow_factory() as uow:
        targets = signal_targets(uow, name)
    for instance_id in targets:
        try:
            with uow_factory() as uow:
                instance = uow.instances.get(instance_id)
                result = send_signal(uow, instance, name, payload=payload, actor=actor)
                if result is None:
                    continue
                _apply(uow, result)
                uow.commit()
                report.reached += 1
        except Exception as err:  # noqa: BLE001 - one instance's failure must not stop the others
            error = str(err) if isinstance(err, EngineError) else f"{type(err).__name__}: {err}"
            log.warning("signal %s failed in instance %s: %s", name, instance_id, error)
            report.failed += 1
            report.incidents.append(_incident(uow_factory, instance_id, name, payload, actor, error))
    return report


def redeliver_signal(uow: UnitOfWork, timer: Timer) -> None:
    """The sweep's handler for a retried signal incident: deliver it again to its instance."""
    if timer.instance_id is None:
        raise ValueError(f"Signal incident {timer.id} has no instance.")
    instance = uow.instances.get(timer.instance_id)
    payload = timer.payload or {}
    result = send_signal(uow, instance, str(payload.get("signal")), payload=payload.get("payload") or {},
                         actor=str(payload.get("actor") or "scheduler"))
    if result is not None and isinstance(uow, SchemeUnitOfWork):
        _apply(uow, result)


def _incident(
    uow_factory: Callable[[], SchemeUnitOfWork], instance_id: int, name: str, payload: Mapping[str, Any],
    actor: str, error: str,
) -> int:
    with uow_factory() as uow:
        now = uow.clock.now()
        row = Timer(
            kind=SIGNAL_KIND, instance_id=instance_id, task_id=None, due_at=now, run_at=now,
            state=TimerState.INCIDENT, attempts=1, last_error=error[:2000], created_at=now,
            payload={"signal": name, "payload": dict(payload), "actor": actor},
        )
        uow.session.add(row)
        uow.flush()
        uow.audit.record("signal_incident", actor, instance_id=instance_id, timer_id=row.id, signal=name, error=error[:500])
        uow.commit()
        return row.id


def _apply(uow: SchemeUnitOfWork, result: StepResult) -> None:
    """Keep the application's own columns in step, when the instance belongs to one."""
    try:
        application = uow.applications.by_instance(result.instance.id)
    except DomainError:
        return
    apply_step(uow, application, result)

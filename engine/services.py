"""Service tasks: a registry of named operators written in Python (D27).

A BPMN service task names its operator (`spiffworkflow:serviceTaskOperator id="..."`) and passes
parameters as sandboxed expressions. Only operators registered here run; validation refuses a
service task naming any other (and one naming none), listing the operators that exist.

The layers above register their operators on the Runtime at start-up (the engine knows neither
applicants nor calendars). An operator gets the unit of work of the command that runs the step,
the instance id and the evaluated parameters; what it returns (JSON-serializable) becomes the
task's result variable. Its failure fails the step like any script error, so nothing is stored.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServiceCall:
    uow: Any  # the unit of work of the command running the step
    instance_id: int | None
    params: Mapping[str, Any]
    data: Mapping[str, Any]  # the task's data (read it; the result variable is how to write)

    def param(self, name: str) -> Any:
        if name not in self.params:
            raise ServiceFailed(f"The operator needs the parameter '{name}'.")
        return self.params[name]


Operator = Callable[[ServiceCall], Any]


class ServiceFailed(Exception):
    """An operator refused its input or could not do its work; the message is for the model author."""


@dataclass(frozen=True)
class _Entry:
    operator: Operator
    description: str
    params: tuple[str, ...]


class ServiceRegistry:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def register(self, name: str, operator: Operator, *, description: str, params: tuple[str, ...] = ()) -> None:
        self._entries[name] = _Entry(operator, description, params)

    def names(self) -> list[str]:
        return sorted(self._entries)

    def describe(self) -> dict[str, dict[str, Any]]:
        return {n: {"description": e.description, "params": list(e.params)} for n, e in sorted(self._entries.items())}

    def call(self, name: str, params: Mapping[str, Any], data: Mapping[str, Any], instance_id: int | None) -> str:
        entry = self._entries.get(name)
        if entry is None:
            known = ", ".join(self.names()) or "none"
            raise ServiceFailed(f"There is no service operator '{name}' (operators: {known}).")
        uow = _CURRENT_UOW.get()
        if uow is None:
            raise ServiceFailed(f"The operator '{name}' can only run inside an engine command.")
        result = entry.operator(ServiceCall(uow, instance_id, dict(params), data))
        return json.dumps(result, default=str)


_CURRENT_UOW: contextvars.ContextVar[Any] = contextvars.ContextVar("odop_current_uow", default=None)


def enter_unit_of_work(uow: Any) -> contextvars.Token[Any]:
    """Operators run by engine steps use this unit of work until `leave_unit_of_work(token)`."""
    return _CURRENT_UOW.set(uow)


def leave_unit_of_work(token: contextvars.Token[Any]) -> None:
    _CURRENT_UOW.reset(token)

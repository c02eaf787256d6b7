"""Errors the engine raises. Each message is written for the person who caused it."""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""

    code = "engine_error"


class NotFound(EngineError):
    code = "not_found"


class DefinitionNotFound(NotFound):
    code = "definition_not_found"


class InstanceNotFound(NotFound):
    code = "instance_not_found"


class TaskNotFound(NotFound):
    code = "task_not_found"


class DefinitionInvalid(EngineError):
    """A BPMN/DMN set that cannot be deployed; `problems` lists every reason found."""

    code = "definition_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"The process definition is not valid: {lines}{more}")


class ReplaceNotConfirmed(EngineError):
    """The files would become the next version of a process they share nothing with."""

    code = "replace_not_confirmed"


class Problem:
    """One validation finding, tied to a file and (when known) an element."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        element_id: str | None = None,
        element_name: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.element_id = element_id
        self.element_name = element_name
        self.line = line

    def as_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "file": self.file,
            "element_id": self.element_id,
            "element_name": self.element_name,
            "line": self.line,
        }

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file + (f":{self.line}" if self.line else ""))
        if self.element_id:
            label = f"'{self.element_name}' " if self.element_name else ""
            where.append(f"{label}({self.element_id})")
        return f"{' '.join(where)}: {self.message}" if where else self.message

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class MigrationRefused(EngineError):
    """An instance cannot move to the chosen version; the message says why."""

    code = "migration_refused"


class DuplicateBusinessKey(EngineError):
    code = "duplicate_business_key"


class TaskNotReady(EngineError):
    """The task exists but cannot be acted on in its current state."""

    code = "task_not_ready"


class TaskAlreadyCompleted(TaskNotReady):
    code = "task_already_completed"


class TaskClaimedByOther(EngineError):
    """Someone else holds the task; the message names them (and so does `holder`)."""

    code = "task_claimed_by_other"

    def __init__(self, message: str, *, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class StaleState(EngineError):
    """The instance changed after the caller read it; the caller should reload and retry."""

    code = "stale_state"


CHANGED_MEANWHILE = "Someone else changed this application while you were working on it. Reload and try again."


class ScriptError(EngineError):
    """A gateway condition, script or rule failed (or was refused by the sandbox) while running."""

    code = "script_error"


class MessageNotExpected(EngineError):
    """Nothing in the instance waits for this message; `waiting` names the messages it does wait for."""

    code = "message_not_expected"

    def __init__(self, message: str, *, waiting: list[str] | None = None) -> None:
        super().__init__(message)
        self.waiting = list(waiting or [])

class DatabaseUnavailable(EngineError):
    """The database failed in a way that may pass (connection dropped, deadlock, serialization
    failure, lock timeout) and the command could not safely be tried again: try again shortly."""

    code = "database_unavailable"
    retry_after_seconds = 2

"""Tables of the engine: definitions, instances, projected tasks, timers and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from engine.types import JSONType, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements INTEGER PRIMARY KEY; BigInteger keeps PostgreSQL roomy.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Definition(Base):
    """One immutable deployed version of a process: its files and its parsed spec, stored once."""

    __tablename__ = "definitions"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_definitions_key_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    checksum: Mapped[str] = mapped_column(String(64))
    files: Mapped[dict[str, str]] = mapped_column(JSONType)
    spec: Mapped[dict[str, Any]] = mapped_column(JSONType)
    user_tasks: Mapped[dict[str, Any]] = mapped_column(JSONType)
    deployed_by: Mapped[str] = mapped_column(String(100))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, default="")


class Instance(Base):
    """A running or finished process instance. `version` makes every write an optimistic-lock check."""

    __tablename__ = "instances"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_key: Mapped[str] = mapped_column(String(64), unique=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id"), index=True)
    district: Mapped[str | None] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    end_event: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    started_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}


class Task(Base):
    """A user task projected from the workflow: the history every statistic is computed from.

    Rows in a final state (completed, cancelled) are never rewritten.
    """

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_inbox", "state", "lane", "district", "due_at"),
        Index("ix_tasks_assignee_state", "assignee", "state"),
        Index("ix_tasks_completed_by", "completed_by", "state", "completed_at"),
        Index("ix_tasks_instance", "instance_id", "created_at"),
        Index("ix_tasks_open_steps", "state", "process_key", "district", "bpmn_id", "due_at"),
        # Covers the officers' workload: claimed tasks per assignee, by district and process.
        Index("ix_tasks_claimed", "state", "assignee", "district", "process_key", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("instances.id"))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    # The process (definition key) the task belongs to, so that counts per step need no join.
    process_key: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    assignee: Mapped[str | None] = mapped_column(String(100))
    time_limit_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(32))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Append-only: one row per state change, with who, when and what."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_instance", "instance_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("instances.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    definition_id: Mapped[int | None] = mapped_column(ForeignKey("definitions.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class TaskState:
    READY = "ready"
    CLAIMED = "claimed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    OPEN = (READY, CLAIMED)


class InstanceStatus:
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Timer(Base):
    """A durable timer: a BPMN timer event waiting in an instance, or a deadline set by the SLA layer.

    A scheduler claims due rows in a transaction and marks them fired in the same transaction as
    their effect, so each fires exactly once whatever crashes or how many schedulers run.
    """

    __tablename__ = "timers"
    __table_args__ = (
        UniqueConstraint("task_id", "kind", name="uq_timers_task_kind"),
        Index("ix_timers_due", "state", "run_at"),
        Index("ix_timers_instance", "instance_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("instances.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When to try next: due_at at first, later pushed back by retries with backoff.
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class TimerState:
    PENDING = "pending"
    FIRED = "fired"
    INCIDENT = "incident"
    CANCELLED = "cancelled"


class Notification(Base):
    """The outbox: a message to a person, written in the same transaction as the event causing it.

    In-app rows are delivered when written (the person's list reads them); email rows wait for the
    sender, which marks them sent, or retries them with backoff. `key` makes a cause notify once.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_outbox", "state", "next_attempt_at"),
        Index("ix_notifications_inbox", "recipient", "channel", "read_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    template: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("instances.id"))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationState:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt; administrators see it

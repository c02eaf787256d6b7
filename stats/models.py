"""Summary tables the dashboards read: one row per application and one per completed step.

They are written in the same transaction as the step that changes them (see `recorder`) and can
be rebuilt from the task history at any time (`odop stats rebuild`), e.g. after a holiday edit
changes how many working days a case took.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models import Base, BigId
from engine.types import UTCDateTime


class ApplicationFact(Base):
    __tablename__ = "application_facts"
    __table_args__ = (
        Index(
            "ix_application_facts_received",
            "submitted_on",
            "scheme_code",
            "district_code",
            "decided_on",
            "due_on",
        ),
        Index(
            "ix_application_facts_decided",
            "decided_on",
            "scheme_code",
            "district_code",
            "outcome",
            "days_working",
            "days_calendar",
            "within_limit",
        ),
        Index("ix_application_facts_open", "decided_on", "due_on"),
    )

    instance_id: Mapped[int] = mapped_column(BigId, ForeignKey("instances.id"), primary_key=True)
    scheme_code: Mapped[str] = mapped_column(String(8))
    district_code: Mapped[str] = mapped_column(String(16))
    submitted_on: Mapped[date] = mapped_column(Date)
    # The overall time limit's last day, moved on by the working days spent with the applicant.
    due_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    days_calendar: Mapped[int | None] = mapped_column(Integer)
    days_working: Mapped[int | None] = mapped_column(Integer)
    applicant_days: Mapped[int] = mapped_column(Integer, default=0)
    within_limit: Mapped[bool | None] = mapped_column(Boolean)
    benefit_sanctioned: Mapped[int | None] = mapped_column(BigInteger)
    sanctioned_on: Mapped[date | None] = mapped_column(Date)
    benefit_released: Mapped[int | None] = mapped_column(BigInteger)
    released_on: Mapped[date | None] = mapped_column(Date)


class StepFact(Base):
    """A completed user task with its durations; unclaims and reassignments only move `claimed_at`,
    so waiting is ready -> last claim and working is last claim -> completion, never negative."""

    __tablename__ = "step_facts"
    __table_args__ = (
        Index("ix_step_facts_period", "completed_on", "scheme_code", "district_code", "bpmn_id"),
        Index("ix_step_facts_officer", "completed_by", "completed_on"),
    )

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(BigId, ForeignKey("instances.id"), index=True)
    scheme_code: Mapped[str] = mapped_column(String(8))
    district_code: Mapped[str] = mapped_column(String(16))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    lane: Mapped[str | None] = mapped_column(String(64))
    completed_on: Mapped[date] = mapped_column(Date)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_by: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(32))
    wait_minutes: Mapped[int] = mapped_column(Integer)
    work_minutes: Mapped[int] = mapped_column(Integer)
    days_working: Mapped[int] = mapped_column(Integer)
    within_limit: Mapped[bool | None] = mapped_column(Boolean)


class RegisteredBusiness(Base):
    """An applicant with at least one approved application: the public list of ODOP businesses.

    Holds no name or contact: the district, its ODOP product and the schemes used are public.
    """

    __tablename__ = "registered_businesses"
    __table_args__ = (Index("ix_registered_businesses_district", "district_code", "since"),)

    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(16))
    schemes: Mapped[str] = mapped_column(String(100))  # scheme codes, comma-separated, sorted
    since: Mapped[date] = mapped_column(Date)

"""Summary tables the dashboards read: one row per application and one per completed step.

They are written in the same transaction as the step that changes them (see `recorder`) and can
be rebuilt from the task history at any time (`odop stats rebuild`), e.g. after a holiday edit
changes how many working days a case took.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models import Base, BigId
from engine.types import JSONType, UTCDateTime


class ApplicationFact(Base):
    __tablename__ = "application_facts"
    # Covering indexes: each dashboard query reads only its index.
    __table_args__ = (
        Index(
            "ix_application_facts_received",
            "submitted_on", "scheme_code", "district_code", "decided_on", "due_on", "outcome",
        ),
        Index(
            "ix_application_facts_decided",
            "decided_on", "scheme_code", "district_code", "outcome", "days_working", "days_calendar", "within_limit",
        ),
        Index("ix_application_facts_sanctioned", "sanctioned_on", "scheme_code", "district_code", "benefit_sanctioned"),
        Index("ix_application_facts_released", "released_on", "scheme_code", "district_code", "benefit_released"),
        Index("ix_application_facts_days", "outcome", "days_calendar"),
        Index("ix_application_facts_days_all", "days_calendar"),
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
        # Covering indexes: each dashboard query reads only the index.
        Index(
            "ix_step_facts_period",
            "completed_on", "scheme_code", "district_code", "bpmn_id", "wait_minutes", "work_minutes", "within_limit",
        ),
        Index("ix_step_facts_officer", "completed_on", "completed_by", "lane", "scheme_code", "district_code", "work_minutes"),
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


def new_revision() -> int:
    return secrets.randbits(62)


def revision_column() -> Mapped[int]:
    """A roll-up row's revision: a new random number at every write, so that a reader who kept
    sums made from the row knows whether they still hold (stats/rollup_sums.py, D101)."""
    return mapped_column(BigInteger, default=new_revision, server_default=text("0"))


class _PeriodFigures:
    """The application figures of one period, scheme and district (see MonthlyStats)."""

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the period's first day
    scheme_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    open: Mapped[int] = mapped_column(Integer, default=0)
    open_due: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    approved: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    within_limit: Mapped[int] = mapped_column(Integer, default=0)
    days_working: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    days_calendar: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    days_to_approval: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    benefit_sanctioned: Mapped[int] = mapped_column(BigInteger, default=0)
    benefit_released: Mapped[int] = mapped_column(BigInteger, default=0)
    revision: Mapped[int] = revision_column()


class MonthlyStats(_PeriodFigures, Base):
    """Per month, scheme and district: what whole-month periods (financial years, the default) read
    instead of a row per application. Histograms are JSON maps value -> count, so percentiles over
    whole months stay exact. Kept by the recorder in the step's transaction; rebuilt with the rest.

    By month of submission: received, open and the due dates of the open ones; by month of the
    decision: approved, rejected, within the limit and the days histograms; by month of the
    sanction or release: the amounts.
    """

    __tablename__ = "monthly_stats"


class YearlyStats(_PeriodFigures, Base):
    """The same figures per financial year (`month` is its first month, April): multi-year
    periods read one row per year and district instead of twelve."""

    __tablename__ = "yearly_stats"


class MonthlyStepStats(Base):
    """Per month of completion, scheme, district (and all districts) and step: what the per-step
    view reads for whole months. Minute histograms keep its percentiles exact."""

    __tablename__ = "monthly_step_stats"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    scheme_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    bpmn_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    handled: Mapped[int] = mapped_column(Integer, default=0)
    with_limit: Mapped[int] = mapped_column(Integer, default=0)
    within_limit: Mapped[int] = mapped_column(Integer, default=0)
    wait_minutes: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    work_minutes: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    revision: Mapped[int] = revision_column()


class MonthlyOfficerStats(Base):
    """Per month of completion, officer, scheme and district: office steps completed and their
    working minutes, for the per-officer view."""

    __tablename__ = "monthly_officer_stats"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    completed_by: Mapped[str] = mapped_column(String(100), primary_key=True)
    scheme_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    work_minutes: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    revision: Mapped[int] = revision_column()

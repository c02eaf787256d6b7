"""The SLA layer's table: changes an administrator made to the gazetted holiday list."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models import Base
from engine.types import UTCDateTime


class CalendarChange(Base):
    """One day of one state: an added holiday (`working=False`) or a library holiday declared a
    working day (`working=True`). The `holidays` package supplies everything else."""

    __tablename__ = "calendar_changes"
    __table_args__ = (UniqueConstraint("state", "day", name="uq_calendar_changes_state_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(8))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))
    working: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

"""calendar changes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 05:08:57.823361
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", engine.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_changes")),
        sa.UniqueConstraint("state", "day", name="uq_calendar_changes_state_day"),
    )


def downgrade() -> None:
    op.drop_table("calendar_changes")

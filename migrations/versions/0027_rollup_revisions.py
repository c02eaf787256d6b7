"""Roll-up rows carry a revision, a new random number at every write (D101).

The dashboards keep the state-wide sums of the district rows per process and reuse them while the
revisions of the rows they were added from are unchanged.

Revision ID: 0027
Revises: 0021
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0021'
branch_labels = None
depends_on = None

TABLES = ("monthly_stats", "yearly_stats", "monthly_step_stats", "monthly_officer_stats")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('revision', sa.BigInteger(), server_default=sa.text('0'), nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('revision')

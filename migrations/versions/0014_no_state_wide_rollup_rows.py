"""Roll-up rows are per district only: delete the state-wide ('*') rows (D50).

State-wide figures are now the sum of the district rows, computed when read, so that no row is
written by decisions in two different districts.

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0014'
down_revision = '0016'
branch_labels = None
depends_on = None

TABLES = ("monthly_stats", "yearly_stats", "monthly_step_stats")


def upgrade() -> None:
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE district_code = '*'")


def downgrade() -> None:
    # The older code reads state-wide figures from '*' rows: after downgrading, run its
    # `odop stats rebuild`, which writes them again from the facts.
    pass

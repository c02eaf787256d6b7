"""Sign-in throttle per client address and user name; a session generation per user.

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-03 07:40:00

The old throttle rows (per user name only) are dropped: they are short-lived counters.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.types

revision = '0013'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('login_throttle')
    op.create_table(
        'login_throttle',
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', engine.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', engine.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('address', 'username', name=op.f('pk_login_throttle')),
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
    op.drop_table('login_throttle')
    op.create_table(
        'login_throttle',
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('window_start', engine.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('locked_until', engine.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle')),
    )

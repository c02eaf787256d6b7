"""Self-registrations waiting for their mobile OTP (D84).

Revision ID: 0025
Revises: 0014
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.types

revision = '0025'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_ups',
        sa.Column('mobile', sa.String(length=10), nullable=False),
        sa.Column('full_name', sa.String(length=200), nullable=False),
        sa.Column('district_code', sa.String(length=16), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('expires_at', engine.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_at', engine.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_sign_ups_district_code_districts')),
        sa.PrimaryKeyConstraint('mobile', name=op.f('pk_sign_ups')),
    )


def downgrade() -> None:
    op.drop_table('sign_ups')

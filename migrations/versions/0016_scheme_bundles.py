"""Schemes as data: published scheme bundle versions, their drafts, and the version an application
was filed under.

Applications filed before this revision were filed under the forms that are now version 1 of each
shipped bundle (`odop deploy` publishes them from bpmn/schemes/, rule for rule the same as the old
Python forms), so they are marked as filed under version 1. Their stored data needs no change: the
bundles keep the field names and value types (yes/no answers stay booleans, dates ISO strings).

Revision ID: 0016
Revises: 0008
Create Date: 2026-12-03 07:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.types

revision = '0016'
down_revision = '0013'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('scheme_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('process_key', sa.String(length=100), nullable=False),
    sa.Column('bundle', JSON, nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('published_by', sa.String(length=100), nullable=False),
    sa.Column('published_at', engine.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_versions')),
    sa.UniqueConstraint('code', 'version', name='uq_scheme_versions_code_version')
    )
    op.create_index(op.f('ix_scheme_versions_code'), 'scheme_versions', ['code'], unique=False)
    op.create_index(op.f('ix_scheme_versions_process_key'), 'scheme_versions', ['process_key'], unique=False)
    op.create_table('scheme_drafts',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('bundle', JSON, nullable=False),
    sa.Column('based_on_version', sa.Integer(), nullable=True),
    sa.Column('saved_by', sa.String(length=100), nullable=False),
    sa.Column('saved_at', engine.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_scheme_drafts'))
    )
    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('scheme_version', sa.Integer(), nullable=True))
    op.execute("UPDATE applications SET scheme_version = 1 WHERE scheme_version IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('applications') as batch:
        batch.drop_column('scheme_version')
    op.drop_table('scheme_drafts')
    op.drop_index(op.f('ix_scheme_versions_process_key'), table_name='scheme_versions')
    op.drop_index(op.f('ix_scheme_versions_code'), table_name='scheme_versions')
    op.drop_table('scheme_versions')

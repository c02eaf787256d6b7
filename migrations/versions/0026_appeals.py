"""Appeals of applicants (first and second) under the UP Janhit Guarantee Adhiniyam 2011 (D85-D87).

Revision ID: 0026
Revises: 0014
Create Date: 2026-12-03 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.types

revision = '0026'
down_revision = '0014'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('appeals',
    sa.Column('id', BigId, nullable=False),
    sa.Column('application_id', BigId, nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('cause', sa.String(length=16), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=False),
    sa.Column('instance_id', BigId, nullable=False),
    sa.Column('round_instance_id', BigId, nullable=False),
    sa.Column('filed_by', sa.String(length=100), nullable=False),
    sa.Column('filed_at', engine.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', engine.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', engine.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('order', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_appeals_application_id_applications')),
    sa.ForeignKeyConstraint(['instance_id'], ['instances.id'], name=op.f('fk_appeals_instance_id_instances')),
    sa.ForeignKeyConstraint(['round_instance_id'], ['instances.id'], name=op.f('fk_appeals_round_instance_id_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('application_id', 'level', name='uq_appeals_application_level'),
    sa.UniqueConstraint('instance_id', name=op.f('uq_appeals_instance_id')),
    )
    op.create_index(op.f('ix_appeals_application_id'), 'appeals', ['application_id'], unique=False)
    op.create_index(op.f('ix_appeals_district_code'), 'appeals', ['district_code'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_appeals_district_code'), table_name='appeals')
    op.drop_index(op.f('ix_appeals_application_id'), table_name='appeals')
    op.drop_table('appeals')

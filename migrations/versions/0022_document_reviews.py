"""Documents an officer found unacceptable when returning an application (D74).

Revision ID: 0022
Revises: 0014
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.types

revision = '0022'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=100), nullable=False),
    sa.Column('reviewed_at', engine.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_reviews_document_id_documents')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_document_reviews_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_reviews'))
    )
    op.create_index(op.f('ix_document_reviews_document_id'), 'document_reviews', ['document_id'], unique=False)
    op.create_index(op.f('ix_document_reviews_application_id'), 'document_reviews', ['application_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_document_reviews_application_id'), table_name='document_reviews')
    op.drop_index(op.f('ix_document_reviews_document_id'), table_name='document_reviews')
    op.drop_table('document_reviews')

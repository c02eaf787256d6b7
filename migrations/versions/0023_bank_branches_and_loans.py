"""The bank step: bank branches (IFSC), the branch of a bank officer and of an application, loans.

Applications filed before this revision have no branch (their bank and branch were free text);
their bank tasks stay visible to no bank officer until an administrator routes them, which the
demo data never needs (D76).

Revision ID: 0023
Revises: 0014
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('bank_branches',
    sa.Column('ifsc', sa.String(length=11), nullable=False),
    sa.Column('bank_name', sa.String(length=200), nullable=False),
    sa.Column('branch_name', sa.String(length=200), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_bank_branches_district_code_districts')),
    sa.PrimaryKeyConstraint('ifsc', name=op.f('pk_bank_branches'))
    )
    op.create_index(op.f('ix_bank_branches_district_code'), 'bank_branches', ['district_code'], unique=False)
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('bank_ifsc', sa.String(length=11), nullable=True))
        batch.create_foreign_key(op.f('fk_users_bank_ifsc_bank_branches'), 'bank_branches', ['bank_ifsc'], ['ifsc'])
    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('bank_ifsc', sa.String(length=11), nullable=True))
        batch.create_foreign_key(op.f('fk_applications_bank_ifsc_bank_branches'), 'bank_branches', ['bank_ifsc'], ['ifsc'])
        batch.create_index(op.f('ix_applications_bank_ifsc'), ['bank_ifsc'], unique=False)
    op.create_table('loans',
    sa.Column('application_id', BigId, nullable=False),
    sa.Column('bank_ifsc', sa.String(length=11), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=False),
    sa.Column('scheme_code', sa.String(length=8), nullable=False),
    sa.Column('sanctioned_amount', sa.BigInteger(), nullable=False),
    sa.Column('account_number', sa.String(length=40), nullable=False),
    sa.Column('sanctioned_on', sa.Date(), nullable=False),
    sa.Column('sanctioned_by', sa.String(length=100), nullable=False),
    sa.Column('disbursed_amount', sa.BigInteger(), nullable=True),
    sa.Column('disbursed_on', sa.Date(), nullable=True),
    sa.Column('disbursed_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_loans_application_id_applications')),
    sa.ForeignKeyConstraint(['bank_ifsc'], ['bank_branches.ifsc'], name=op.f('fk_loans_bank_ifsc_bank_branches')),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_loans'))
    )
    op.create_index(op.f('ix_loans_bank_ifsc'), 'loans', ['bank_ifsc'], unique=False)
    op.create_index(op.f('ix_loans_sanctioned_on'), 'loans', ['sanctioned_on'], unique=False)
    op.create_index(op.f('ix_loans_disbursed_on'), 'loans', ['disbursed_on'], unique=False)


def downgrade() -> None:
    op.drop_table('loans')
    with op.batch_alter_table('applications') as batch:
        batch.drop_index(op.f('ix_applications_bank_ifsc'))
        batch.drop_constraint(op.f('fk_applications_bank_ifsc_bank_branches'), type_='foreignkey')
        batch.drop_column('bank_ifsc')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('fk_users_bank_ifsc_bank_branches'), type_='foreignkey')
        batch.drop_column('bank_ifsc')
    op.drop_index(op.f('ix_bank_branches_district_code'), table_name='bank_branches')
    op.drop_table('bank_branches')

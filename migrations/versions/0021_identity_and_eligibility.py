"""Identity numbers and eligibility claims (D70-D72).

Applications get the Aadhaar number's keyed hash, the Family ID and the Udyam number as columns
(the data keeps only the masked Aadhaar number); `eligibility_claims` holds one row per
(rule, key) an application holds; districts get their list of notified ODOP products.

Revision ID: 0021
Revises: 0014
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations


import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.types

revision = '0021'
down_revision = '0023'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# Districts whose notified ODOP product is two products (up_districts.csv, column `products`).
SPLIT = {
    "LKO": ["Chikankari", "Zari-zardozi"],
    "ETA": ["Ankle bells (ghungroo)", "Brass products"],
}


def upgrade() -> None:
    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('aadhaar_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('family_id', sa.String(length=12), nullable=True))
        batch.add_column(sa.Column('udyam_number', sa.String(length=24), nullable=True))
        batch.create_index('ix_applications_aadhaar_hash', ['aadhaar_hash'])
        batch.create_index('ix_applications_family_id', ['family_id'])
        batch.create_index('ix_applications_udyam_number', ['udyam_number'])
    with op.batch_alter_table('districts') as batch:
        batch.add_column(sa.Column('odop_products', JSON, nullable=True))
    districts = sa.table('districts', sa.column('code', sa.String), sa.column('odop_products', JSON))
    for code, products in SPLIT.items():
        op.execute(districts.update().where(districts.c.code == code).values(odop_products=products))
    op.create_table(
        'eligibility_claims',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('rule', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=128), nullable=False),
        sa.Column('application_id', BIG_ID, nullable=False),
        sa.Column('application_number', sa.String(length=40), nullable=False),
        sa.Column('created_at', engine.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('rule', 'key', name='uq_eligibility_claims_rule_key'),
    )
    op.create_index('ix_eligibility_claims_application_id', 'eligibility_claims', ['application_id'])


def downgrade() -> None:
    op.drop_index('ix_eligibility_claims_application_id', table_name='eligibility_claims')
    op.drop_table('eligibility_claims')
    with op.batch_alter_table('districts') as batch:
        batch.drop_column('odop_products')
    with op.batch_alter_table('applications') as batch:
        batch.drop_index('ix_applications_udyam_number')
        batch.drop_index('ix_applications_family_id')
        batch.drop_index('ix_applications_aadhaar_hash')
        batch.drop_column('udyam_number')
        batch.drop_column('family_id')
        batch.drop_column('aadhaar_hash')



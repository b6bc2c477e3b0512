"""outbound pages and links

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 15:10:32.677396
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crawl_id', sa.Integer(), nullable=False),
    sa.Column('from_url', sa.String(length=2000), nullable=False),
    sa.Column('to_url', sa.String(length=2000), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('position', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['crawl_id'], ['crawls.id'], name=op.f('fk_links_crawl_id_crawls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links'))
    )
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_links_crawl_id'), ['crawl_id'], unique=False)

    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='portal', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_links_crawl_id'))

    op.drop_table('links')

"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 14:58:01.193868
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cities',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('population_source', sa.String(length=500), nullable=False),
    sa.Column('portal_url', sa.String(length=2000), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('url_verified', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cities'))
    )
    op.create_table('crawls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.String(length=120), nullable=False),
    sa.Column('seed_url', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('stop_reason', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('software', sa.JSON(), nullable=False),
    sa.Column('warc_path', sa.String(length=2000), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_crawls_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawls'))
    )
    with op.batch_alter_table('crawls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crawls_city_id'), ['city_id'], unique=False)

    op.create_table('pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crawl_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('final_url', sa.String(length=2000), nullable=False),
    sa.Column('fetch_status', sa.String(length=30), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('referrer', sa.String(length=2000), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('warc_record_id', sa.String(length=100), nullable=False),
    sa.Column('warc_offset', sa.Integer(), nullable=True),
    sa.Column('warc_length', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['crawl_id'], ['crawls.id'], name=op.f('fk_pages_crawl_id_crawls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pages')),
    sa.UniqueConstraint('crawl_id', 'url', name=op.f('uq_pages_crawl_id'))
    )
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pages_crawl_id'), ['crawl_id'], unique=False)

    op.create_table('probes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crawl_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('measured_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['crawl_id'], ['crawls.id'], name=op.f('fk_probes_crawl_id_crawls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_probes')),
    sa.UniqueConstraint('crawl_id', 'name', name=op.f('uq_probes_crawl_id'))
    )
    with op.batch_alter_table('probes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_probes_crawl_id'), ['crawl_id'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crawl_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.String(length=120), nullable=False),
    sa.Column('methodology_id', sa.String(length=60), nullable=False),
    sa.Column('methodology_version', sa.String(length=30), nullable=False),
    sa.Column('indicator_code', sa.String(length=30), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('detector_id', sa.String(length=80), nullable=False),
    sa.Column('detector_version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_proposals_city_id_cities')),
    sa.ForeignKeyConstraint(['crawl_id'], ['crawls.id'], name=op.f('fk_proposals_crawl_id_crawls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_crawl_id'), ['crawl_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_run_id'), ['run_id'], unique=False)

    op.create_table('renders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crawl_id', sa.Integer(), nullable=False),
    sa.Column('page_url', sa.String(length=2000), nullable=False),
    sa.Column('dom_record_id', sa.String(length=100), nullable=False),
    sa.Column('screenshot_desktop_record_id', sa.String(length=100), nullable=False),
    sa.Column('screenshot_mobile_record_id', sa.String(length=100), nullable=False),
    sa.Column('axe_version', sa.String(length=30), nullable=False),
    sa.Column('axe_results', sa.JSON(), nullable=False),
    sa.Column('console_errors', sa.JSON(), nullable=False),
    sa.Column('timings', sa.JSON(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['crawl_id'], ['crawls.id'], name=op.f('fk_renders_crawl_id_crawls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renders'))
    )
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renders_crawl_id'), ['crawl_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.String(length=120), nullable=False),
    sa.Column('methodology_id', sa.String(length=60), nullable=False),
    sa.Column('indicator_code', sa.String(length=30), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('assessor', sa.String(length=120), nullable=False),
    sa.Column('round', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_decisions_city_id_cities')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_decisions_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_city_id'), ['city_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_city_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renders_crawl_id'))

    op.drop_table('renders')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_run_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_crawl_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_city_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('probes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_probes_crawl_id'))

    op.drop_table('probes')
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pages_crawl_id'))

    op.drop_table('pages')
    with op.batch_alter_table('crawls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crawls_city_id'))

    op.drop_table('crawls')
    op.drop_table('cities')

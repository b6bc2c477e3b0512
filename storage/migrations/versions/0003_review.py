"""review app: users, sessions, login attempts, assignments, responsiveness tests, decisions.seq

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 17:48:00.607225
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempts_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempts_client'), ['client'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempts_name'), ['name'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.String(length=120), nullable=False),
    sa.Column('methodology_id', sa.String(length=60), nullable=False),
    sa.Column('round', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.String(length=120), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_assignments_city_id_cities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('city_id', 'methodology_id', 'round', name=op.f('uq_assignments_city_id'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_user_id'), ['user_id'], unique=False)

    op.create_table('responsiveness_tests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.String(length=120), nullable=False),
    sa.Column('methodology_id', sa.String(length=60), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('sent_to', sa.String(length=500), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('reply_at', sa.DateTime(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('useful', sa.Boolean(), nullable=True),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply_recorded_by', sa.String(length=120), nullable=False),
    sa.Column('reply_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['cities.id'], name=op.f('fk_responsiveness_tests_city_id_cities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responsiveness_tests'))
    )
    with op.batch_alter_table('responsiveness_tests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responsiveness_tests_city_id'), ['city_id'], unique=False)

    op.create_table('review_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_review_sessions_token_hash'))
    )
    with op.batch_alter_table('review_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
    _number_existing_decisions()
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_decisions_city_id'), ['city_id', 'methodology_id', 'indicator_code', 'round', 'seq'])



def _number_existing_decisions() -> None:
    """Decisions stored before this revision get seq 1, 2, 3 ... within their (city, edition,
    indicator, round), in the order they were taken, so the unique constraint holds and the
    review app continues each chain where it stands."""
    decisions = sa.table('decisions', sa.column('id', sa.Integer), sa.column('city_id', sa.String),
                         sa.column('methodology_id', sa.String), sa.column('indicator_code', sa.String),
                         sa.column('round', sa.String), sa.column('decided_at', sa.DateTime),
                         sa.column('seq', sa.Integer))
    bind = op.get_bind()
    rows = bind.execute(sa.select(decisions.c.id, decisions.c.city_id, decisions.c.methodology_id,
                                  decisions.c.indicator_code, decisions.c.round)
                        .order_by(decisions.c.decided_at, decisions.c.id)).all()
    counters: dict[tuple[str, str, str, str], int] = {}
    for row in rows:
        key = (row.city_id, row.methodology_id, row.indicator_code, row.round)
        counters[key] = counters.get(key, 0) + 1
        bind.execute(sa.update(decisions).where(decisions.c.id == row.id).values(seq=counters[key]))


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_decisions_city_id'), type_='unique')
        batch_op.drop_column('seq')

    with op.batch_alter_table('review_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_sessions_user_id'))

    op.drop_table('review_sessions')
    with op.batch_alter_table('responsiveness_tests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responsiveness_tests_city_id'))

    op.drop_table('responsiveness_tests')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_user_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_city_id'))

    op.drop_table('assignments')
    op.drop_table('users')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempts_name'))
        batch_op.drop_index(batch_op.f('ix_login_attempts_client'))
        batch_op.drop_index(batch_op.f('ix_login_attempts_at'))

    op.drop_table('login_attempts')

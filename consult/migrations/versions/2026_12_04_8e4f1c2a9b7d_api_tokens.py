"""Personal API tokens: hashed, scoped to read or write and to surveys

Revision ID: 8e4f1c2a9b7d
Revises: 4e6f0c1d2b3a
Create Date: 2026-12-04 22:50:00.000000

consult/accounts/models.py (ApiToken) says what each column holds. The secret itself is never
stored: only its SHA-256 hash and its first characters (to tell tokens apart on the page).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '8e4f1c2a9b7d'
down_revision = '4e6f0c1d2b3a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('write', sa.Boolean(), nullable=False),
    sa.Column('survey_ids', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))
    op.drop_table('api_token')

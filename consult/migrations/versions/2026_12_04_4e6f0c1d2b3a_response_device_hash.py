"""Responses of identified surveys keep a keyed hash of the browser's device cookie

Revision ID: 4e6f0c1d2b3a
Revises: 1a2b232ee7ed
Create Date: 2026-12-04 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "4e6f0c1d2b3a"
down_revision = "1a2b232ee7ed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("response") as batch:
        batch.add_column(sa.Column("device_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("response") as batch:
        batch.drop_column("device_hash")

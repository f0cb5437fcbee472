"""Responses by survey and public id: an anonymous survey's raw export reads them in that order

Revision ID: 9b1d3f5a7c20
Revises: 6e4b0c9d2f31
Create Date: 2026-12-05 00:30:00
"""

from __future__ import annotations

from alembic import op


revision = "9b1d3f5a7c20"
down_revision = "6e4b0c9d2f31"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_response_survey_public", "response", ["survey_id", "public_id"])


def downgrade() -> None:
    op.drop_index("ix_response_survey_public", table_name="response")

"""Starred comments: quotes for the policy brief

Revision ID: 5175b11bfe58
Revises: 2d18572314e9
Create Date: 2026-12-04 19:28:39.868606
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "5175b11bfe58"
down_revision = "2d18572314e9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "starred_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_starred_comment_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_starred_comment_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_starred_comment")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_starred_comment_answer_id")),
    )
    with op.batch_alter_table("starred_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_starred_comment_survey_id"), ["survey_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("starred_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_starred_comment_survey_id"))
    op.drop_table("starred_comment")

"""Answers carry their response's group and province; SQLite gets the summary's tally index

Revision ID: 3c1d2a9e5f70
Revises: 7bdc5bb27084
Create Date: 2026-11-25 15:40:00.000000

Why (models/response.py, Answer): the summary counts answers per question × group × province
× value. With the group and province beside the value, SQLite counts down one covering index,
in order, with no join and no sort. The (response_id) index goes: the unique
(response_id, question_id) index serves the same look-ups. On SQLite the tally index starts
with question_id, so the (question_id) index goes too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "3c1d2a9e5f70"
down_revision = "7bdc5bb27084"
branch_labels = None
depends_on = None

TALLY = ["question_id", "group_id", "value", "region", "response_id"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("region", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_answer_group_id_stakeholder_group"),
            "stakeholder_group",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_index(batch_op.f("ix_answer_response_id"))
        if sqlite:
            batch_op.drop_index(batch_op.f("ix_answer_question_id"))
    # Answers stored before this revision take their response's group and province.
    op.execute(
        "UPDATE answer SET "
        "group_id = (SELECT response.group_id FROM response WHERE response.id = answer.response_id), "
        "region = (SELECT response.region FROM response WHERE response.id = answer.response_id)"
    )
    if sqlite:
        op.create_index("ix_answer_tally", "answer", TALLY, unique=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.drop_index("ix_answer_tally", table_name="answer")
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_answer_group_id_stakeholder_group"), type_="foreignkey"
        )
        batch_op.drop_column("region")
        batch_op.drop_column("group_id")
        batch_op.create_index(batch_op.f("ix_answer_response_id"), ["response_id"], unique=False)
        if sqlite:
            batch_op.create_index(
                batch_op.f("ix_answer_question_id"), ["question_id"], unique=False
            )

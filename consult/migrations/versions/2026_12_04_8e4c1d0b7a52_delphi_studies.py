"""Delphi studies: the study and its protocol, the panel (contact details apart), rounds,
each round's links and each response's keyed pseudonym, the items' notes

Revision ID: 8e4c1d0b7a52
Revises: 8e4f1c2a9b7d
Create Date: 2026-12-04 22:40:00

consult/delphi/models.py says what each table holds. Only delphi_panellist holds a name or an
address; every other table knows a panellist by keyed pseudonym (panel_key) alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '8e4c1d0b7a52'
down_revision = '8e4f1c2a9b7d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('delphi_study',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('key_salt', sa.String(length=64), nullable=False),
    sa.Column('protocol', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_delphi_study_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delphi_study')),
    sa.UniqueConstraint('survey_id', name=op.f('uq_delphi_study_survey_id'))
    )
    op.create_table('delphi_panellist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('group_code', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['study_id'], ['delphi_study.id'], name=op.f('fk_delphi_panellist_study_id_delphi_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delphi_panellist')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_delphi_panellist_pseudonym')),
    sa.UniqueConstraint('study_id', 'email', name=op.f('uq_delphi_panellist_study_id'))
    )
    with op.batch_alter_table('delphi_panellist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delphi_panellist_study_id'), ['study_id'], unique=False)

    op.create_table('delphi_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['study_id'], ['delphi_study.id'], name=op.f('fk_delphi_round_study_id_delphi_study'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_delphi_round_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delphi_round')),
    sa.UniqueConstraint('study_id', 'number', name=op.f('uq_delphi_round_study_id')),
    sa.UniqueConstraint('survey_id', name=op.f('uq_delphi_round_survey_id'))
    )
    op.create_table('delphi_link',
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('panel_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_delphi_link_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['delphi_round.id'], name=op.f('fk_delphi_link_round_id_delphi_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_delphi_link'))
    )
    with op.batch_alter_table('delphi_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delphi_link_round_id'), ['round_id'], unique=False)

    op.create_table('delphi_response',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('panel_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_delphi_response_response_id_response'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['delphi_round.id'], name=op.f('fk_delphi_response_round_id_delphi_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_delphi_response')),
    sa.UniqueConstraint('round_id', 'panel_key', name=op.f('uq_delphi_response_round_id'))
    )
    with op.batch_alter_table('delphi_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delphi_response_panel_key'), ['panel_key'], unique=False)

    op.create_table('delphi_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('cannot_judge', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_delphi_note_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_delphi_note_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delphi_note')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_delphi_note_response_id'))
    )
    with op.batch_alter_table('delphi_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delphi_note_question_id'), ['question_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('delphi_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delphi_note_question_id'))
    op.drop_table('delphi_note')
    with op.batch_alter_table('delphi_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delphi_response_panel_key'))
    op.drop_table('delphi_response')
    with op.batch_alter_table('delphi_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delphi_link_round_id'))
    op.drop_table('delphi_link')
    op.drop_table('delphi_round')
    with op.batch_alter_table('delphi_panellist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delphi_panellist_study_id'))
    op.drop_table('delphi_panellist')
    op.drop_table('delphi_study')

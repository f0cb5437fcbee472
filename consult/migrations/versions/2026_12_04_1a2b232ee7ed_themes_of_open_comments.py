"""Themes of open comments: themes, assignments, reviews, one vector per distinct text, the job

Revision ID: 1a2b232ee7ed
Revises: 5175b11bfe58
Create Date: 2026-12-04 19:38:21.214974

consult/analysis/themes/models.py says what each table holds. No table copies a comment's text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '1a2b232ee7ed'
down_revision = '5175b11bfe58'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('theme_run',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('suggest', sa.Boolean(), nullable=False),
    sa.Column('holder', sa.String(length=32), nullable=True),
    sa.Column('heartbeat', sa.DateTime(), nullable=True),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('embedded', sa.Integer(), nullable=False),
    sa.Column('proposed', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_theme_run_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_theme_run'))
    )
    op.create_table('theme_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_theme_text_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_text')),
    sa.UniqueConstraint('survey_id', 'model', 'digest', name=op.f('uq_theme_text_survey_id_model_digest'))
    )
    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('description', sa.JSON(), nullable=False),
    sa.CheckConstraint('(question_id IS NULL) <> (recommendation_id IS NULL)', name=op.f('ck_theme_one_scope')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_theme_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_theme_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_theme_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme')),
    sa.UniqueConstraint('survey_id', 'code', name=op.f('uq_theme_survey_id_code'))
    )
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_survey_id'), ['survey_id'], unique=False)

    op.create_table('theme_candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('words', sa.JSON(), nullable=False),
    sa.Column('examples', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_theme_candidate_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_theme_candidate_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_candidate'))
    )
    with op.batch_alter_table('theme_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_candidate_survey_id'), ['survey_id'], unique=False)

    op.create_table('theme_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_theme_assignment_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_theme_assignment_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_assignment')),
    sa.UniqueConstraint('answer_id', 'theme_id', 'source', name=op.f('uq_theme_assignment_answer_id_theme_id_source'))
    )
    with op.batch_alter_table('theme_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_theme_assignment_theme_id', ['theme_id'], unique=False)

    op.create_table('theme_review',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_theme_review_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_theme_review_reviewer_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_theme_review_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', name=op.f('pk_theme_review'))
    )
    with op.batch_alter_table('theme_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_review_survey_id'), ['survey_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('theme_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_review_survey_id'))

    op.drop_table('theme_review')
    with op.batch_alter_table('theme_assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_theme_assignment_theme_id')

    op.drop_table('theme_assignment')
    with op.batch_alter_table('theme_candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_candidate_survey_id'))

    op.drop_table('theme_candidate')
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_survey_id'))
        batch_op.drop_index(batch_op.f('ix_theme_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_theme_question_id'))

    op.drop_table('theme')
    op.drop_table('theme_text')
    op.drop_table('theme_run')

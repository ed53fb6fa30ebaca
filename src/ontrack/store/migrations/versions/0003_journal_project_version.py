"""Each journal entry records the project's version after it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 06:21:30.824072
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_column("project_version")

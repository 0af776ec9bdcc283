"""Lao names of rollouts and Lao titles of workshops

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows keep their one name or title; the Lao one starts empty (English shows
    # until someone gives it).
    with op.batch_alter_table("rollouts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_lo", sa.String(length=200), server_default="", nullable=False)
        )
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("title_lo", sa.String(length=300), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("title_lo")
    with op.batch_alter_table("rollouts", schema=None) as batch_op:
        batch_op.drop_column("name_lo")

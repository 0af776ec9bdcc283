"""Programme outlines: which lesson plans make a workshop of one, two or three days

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 02:05:48

The table starts empty; importing the curriculum fills it from ``modules/programmes.yaml``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_lo", sa.String(length=300), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=False),
        sa.Column("summary_lo", sa.Text(), nullable=False),
        sa.Column("plans", sa.JSON(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("days >= 1 AND days <= 5", name=op.f("ck_programmes_days_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("key", name=op.f("uq_programmes_key")),
    )


def downgrade() -> None:
    op.drop_table("programmes")

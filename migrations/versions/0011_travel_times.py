"""Road times between provinces, for the check of a trainer's trips between workshops

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:30:00

The table starts empty; ``flask setup`` (run by ``make run`` and on every deployment)
adds an estimate for each pair of provinces that has no time yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "travel_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_a_id", sa.Integer(), nullable=False),
        sa.Column("province_b_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("estimated", sa.Boolean(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "province_a_id < province_b_id", name=op.f("ck_travel_times_pair_in_order")
        ),
        sa.CheckConstraint(
            "minutes > 0 AND minutes <= 2880", name=op.f("ck_travel_times_minutes_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["province_a_id"],
            ["provinces.id"],
            name=op.f("fk_travel_times_province_a_id_provinces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["province_b_id"],
            ["provinces.id"],
            name=op.f("fk_travel_times_province_b_id_provinces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_times")),
        sa.UniqueConstraint(
            "province_a_id", "province_b_id", name=op.f("uq_travel_times_province_a_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("travel_times")

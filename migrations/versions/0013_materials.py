"""Printable handouts (materials) and the handouts each lesson plan names

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:46:25

Both tables start empty; importing the curriculum (``flask setup`` on a database that has
none, or ``flask curriculum import``) fills them from ``modules/materials/``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_lo", sa.String(length=300), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("body_lo", sa.Text(), nullable=False),
        sa.Column("answer_en", sa.Text(), nullable=False),
        sa.Column("answer_lo", sa.Text(), nullable=False),
        sa.Column("lo_status", sa.String(length=10), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('case', 'role', 'chart', 'checklist', 'cards', 'story', 'extract')",
            name=op.f("ck_materials_kind"),
        ),
        sa.CheckConstraint(
            "lo_status IN ('draft', 'reviewed')", name=op.f("ck_materials_lo_status")
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["modules.id"],
            name=op.f("fk_materials_module_id_modules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_materials")),
        sa.UniqueConstraint("key", name=op.f("uq_materials_key")),
    )
    op.create_table(
        "lesson_plan_handouts",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
            name=op.f("fk_lesson_plan_handouts_material_id_materials"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["lesson_plans.id"],
            name=op.f("fk_lesson_plan_handouts_plan_id_lesson_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", "material_id", name=op.f("pk_lesson_plan_handouts")),
    )


def downgrade() -> None:
    op.drop_table("lesson_plan_handouts")
    op.drop_table("materials")

"""Glossary terms list the Lao spellings content must not use for them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 10:46:00

Existing terms start with an empty list; importing the curriculum fills it from the
``avoid`` lists of ``modules/glossary.yaml``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("glossary_terms") as batch:
        batch.add_column(sa.Column("avoid_lo", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("glossary_terms") as batch:
        batch.drop_column("avoid_lo")

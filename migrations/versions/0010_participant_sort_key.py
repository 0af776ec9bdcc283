"""Participants carry their name's place in Lao alphabetical order, so lists of them are
ordered and paged by the database

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import icu
import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _name(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def upgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sort_key", sa.LargeBinary(), nullable=True))
    # Every known person gets the key the application gives them from now on: ICU's Lao
    # sort key of the name in Lao script, or in Latin letters when there is none.
    collator = icu.Collator.createInstance(icu.Locale("lo"))
    people = sa.table(
        "participants",
        sa.column("id", sa.Integer),
        sa.column("given_name_lo", sa.String),
        sa.column("family_name_lo", sa.String),
        sa.column("given_name_latin", sa.String),
        sa.column("family_name_latin", sa.String),
        sa.column("sort_key", sa.LargeBinary),
    )
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                people.c.id,
                people.c.given_name_lo,
                people.c.family_name_lo,
                people.c.given_name_latin,
                people.c.family_name_latin,
            )
            .where(people.c.id > last)
            .order_by(people.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            people.update().where(people.c.id == sa.bindparam("person")),
            [
                {
                    "person": row.id,
                    "sort_key": collator.getSortKey(
                        _name(row.given_name_lo, row.family_name_lo)
                        or _name(row.given_name_latin, row.family_name_latin)
                    ),
                }
                for row in rows
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("sort_key")

"""The migrations build exactly the schema the models describe, and go down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import curriculum.models  # noqa: F401
from app.cli import alembic_config
from curriculum.db import Base, make_engine
from tests.conftest import fresh_database


def test_migrations_match_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_again(tmp_path):
    from alembic import command

    with fresh_database(tmp_path) as url:
        config = alembic_config(url)
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        engine = make_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        command.upgrade(config, "head")
        engine = make_engine(url)
        assert {"trainers", "users", "audit_events", "provinces"} <= set(
            inspect(engine).get_table_names()
        )
        engine.dispose()

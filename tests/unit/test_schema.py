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


def test_down_to_base_and_up_again_on_the_demo_database(tmp_path):
    """Every migration's downgrade runs on a database full of rows (SQLite rebuilds tables
    that others refer to), and the upgrade after it too."""
    from alembic import command

    from app import create_app
    from tests.conftest import app_config, prepare

    with fresh_database(tmp_path) as url:
        prepare(url)
        app = create_app(app_config(tmp_path, DATABASE_URL=url), instance_path=str(tmp_path / "i"))
        result = app.test_cli_runner().invoke(args=["setup", "--no-logins"])
        assert result.exit_code == 0, result.output
        app.extensions["ctg.engine"].dispose()
        engine = make_engine(url)
        with engine.connect() as connection:  # the demo is there: rows that refer to rows
            assert connection.exec_driver_sql("SELECT count(*) FROM registrations").scalar() > 100
        engine.dispose()
        config = alembic_config(url)
        command.downgrade(config, "base")
        engine = make_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        command.upgrade(config, "head")
        engine = make_engine(url)
        assert {"rollouts", "workshops", "registrations"} <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM rollouts").scalar() == 0
        engine.dispose()

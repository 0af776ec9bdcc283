"""The migrations build exactly the schema the models describe, and go down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import curriculum.models  # noqa: F401
from app.cli import alembic_config
from curriculum.db import Base, make_engine
from curriculum.models import Participant
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


def test_the_upgrade_gives_known_people_the_sort_key_the_application_gives(tmp_path):
    """People stored before the names' sort key existed get the same key a new person
    gets, so an old and a new person are ordered alike."""
    from alembic import command
    from sqlalchemy import text

    from curriculum.models.participants import name_sort_key

    names = [("ເກດ", "ແກ້ວ", "Ket", "Keo"), ("", "", "Anna", "Smith"), ("ກາ", "", "", "")]
    with fresh_database(tmp_path) as url:
        config = alembic_config(url)
        command.upgrade(config, "0009")
        engine = make_engine(url)
        with engine.begin() as connection:
            for lo, family_lo, latin, family_latin in names:
                connection.execute(
                    text(
                        "INSERT INTO participants (given_name_lo, family_name_lo, "
                        "given_name_latin, family_name_latin, sex, position, phone, email, "
                        "search_key, lock_version, created_at, updated_at) VALUES "
                        "(:lo, :flo, :latin, :flatin, 'female', '', '', '', '', 1, "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"lo": lo, "flo": family_lo, "latin": latin, "flatin": family_latin},
                )
        engine.dispose()
        command.upgrade(config, "head")
        engine = make_engine(url)
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT given_name_lo, family_name_lo, given_name_latin, family_name_latin, "
                    "sort_key FROM participants ORDER BY id"
                )
            ).all()
        engine.dispose()
    for row, (lo, family_lo, latin, family_latin) in zip(rows, names, strict=True):
        person = Participant(
            given_name_lo=lo,
            family_name_lo=family_lo,
            given_name_latin=latin,
            family_name_latin=family_latin,
        )
        assert bytes(row.sort_key) == name_sort_key(person)

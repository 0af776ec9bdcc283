"""Fixtures: a fresh database for the run, a rolled-back transaction per test, factories.

The database is SQLite (a file in a temporary folder) unless DATABASE_URL names
a PostgreSQL server; then the run creates its own database there and drops it
at the end. Tests marked ``sqlite_only`` or ``postgresql_only`` are deselected
(not skipped) on the other backend and listed. Under CI=true a skipped test
fails the run.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, object_session, sessionmaker
from werkzeug.security import generate_password_hash

from app.cli import upgrade_database
from curriculum.db import make_engine
from curriculum.models import (
    Attendance,
    Institution,
    Module,
    Participant,
    Province,
    Qualification,
    Registration,
    Rollout,
    Trainer,
    TrainingRecord,
    Unavailability,
    User,
    Workshop,
    WorkshopSession,
)
from curriculum.permissions import SYSTEM
from curriculum.seed.reference import seed_reference
from curriculum.services import accounts

PASSWORD = "correct horse battery"
PASSWORD_HASH = generate_password_hash(PASSWORD)
ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def backend() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith("postgresql") else "sqlite"


# -- selection by backend, and no skips in CI -----------------------------------------------------

_deselected: list[str] = []
_skipped: list[str] = []


def pytest_collection_modifyitems(config, items):
    other = "sqlite_only" if backend() == "postgresql" else "postgresql_only"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]
    _deselected[:] = [item.nodeid for item in deselected]
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    (build / f"deselected-{backend()}.txt").write_text("".join(n + "\n" for n in _deselected))


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"database backend: {backend()}")
    if _deselected:
        terminalreporter.write_line(
            f"deselected as making sense only on the other database ({len(_deselected)}):"
        )
        for nodeid in _deselected:
            terminalreporter.write_line(f"  {nodeid}")


def pytest_sessionfinish(session, exitstatus):
    if IN_CI and _skipped and exitstatus == 0:
        session.exitstatus = 1
        print(f"\nCI: {len(_skipped)} test(s) skipped; in CI nothing may be skipped: {_skipped}")


# -- databases ---------------------------------------------------------------------------------


@contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    """A new, empty database URL; dropped afterwards (PostgreSQL) or left in tmp_dir (SQLite)."""
    if backend() == "sqlite":
        yield f"sqlite:///{tmp_dir / f'test-{secrets.token_hex(4)}.sqlite3'}"
        return
    import psycopg

    server = make_url(os.environ["DATABASE_URL"])
    name = f"ctg_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.exit(
            f"PostgreSQL at {server.render_as_string()} is not reachable: {exc}", returncode=3
        )
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


CURRICULUM = Path(__file__).resolve().parent.parent / "modules"


def prepare(url: str) -> None:
    """Migrate, load reference data and import the shipped curriculum, as `flask setup` does."""
    from curriculum.content.files import read_curriculum
    from curriculum.services.content import import_curriculum

    upgrade_database(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_reference(session)
        import_curriculum(session, SYSTEM, read_curriculum(CURRICULUM), "Shipped curriculum")
        session.commit()
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        prepare(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session_factory(connection):
    # Every session (the test's and each request's) works inside savepoints of
    # the one outer transaction, which the test rolls back at the end.
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(session_factory) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


# -- the app -----------------------------------------------------------------------------------


# Every test has its own document cache (and job queue, in its instance folder): no test
# may pass because another one rendered a document first.
@pytest.fixture
def document_cache(tmp_path) -> Path:
    return tmp_path / "documents"


def app_config(tmp_path: Path, **overrides) -> dict:
    return {
        "DOCUMENT_CACHE": str(tmp_path / "documents"),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "JOBS_IMMEDIATE": True,
        "BACKUP_DIR": str(tmp_path / "backups"),
        **overrides,
    }


@pytest.fixture
def make_app(tmp_path, database_url, session_factory):
    from app import create_app

    def make(**overrides):
        config = app_config(
            tmp_path, DATABASE_URL=database_url, SESSION_FACTORY=session_factory, **overrides
        )
        return create_app(config, instance_path=str(tmp_path / "instance"))

    return make


@pytest.fixture(scope="session")
def _shared_app(tmp_path_factory, database_url):
    """One app for the tests that take the default configuration: building one compiles
    every URL rule and template loader (about 200 ms), too much to repeat per test."""
    from app import create_app

    base = tmp_path_factory.mktemp("shared-app")
    config = app_config(base, DATABASE_URL=database_url, SESSION_FACTORY=_no_session)
    return create_app(config, instance_path=str(base / "instance"))


def _no_session():
    raise AssertionError("the shared app is used outside the `app` fixture")


@pytest.fixture
def app(_shared_app, session_factory, tmp_path):
    """The shared app with this test's own state swapped in: its database session (a
    savepoint of the test's transaction), document cache and backup folder; whatever a
    test changes in the configuration is put back after it."""
    from curriculum.documents.render import Settings

    app = _shared_app
    config = dict(app.config)
    extensions = {k: app.extensions[k] for k in ("ctg.sessionmaker", "ctg.documents")}
    documents = tmp_path / "documents"
    app.config.update(
        SESSION_FACTORY=session_factory,
        DOCUMENT_CACHE=str(documents),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    app.extensions["ctg.sessionmaker"] = session_factory
    app.extensions["ctg.documents"] = Settings(documents, Path(app.root_path) / "translations")
    # the limiter is one object for every app: another test's app may have switched it on
    from app.extensions import limiter

    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    try:
        yield app
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions.update(extensions)


@pytest.fixture
def client(app):
    return app.test_client()


def login_id(user: User) -> str:
    """A new sign-in of ``user``, recorded in the user's database session: its cookie id."""
    db = object_session(user)
    assert db is not None, "the user must belong to a database session"
    return accounts.start_session(db, user)


def sign_in(client, user: User) -> None:
    """Sign ``user`` in without a password round trip (fast, for permission tests)."""
    token = login_id(user)
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


# -- factories ---------------------------------------------------------------------------------


def province(db: Session, code: str = "LA-VT") -> Province:
    return db.scalar(select(Province).where(Province.code == code))


def institution(db: Session, short: str = "PSC") -> Institution:
    return db.scalar(select(Institution).where(Institution.short_name == short))


_counter = iter(range(1, 10**9))


def make_trainer(db: Session, **values) -> Trainer:
    n = next(_counter)
    fields = {
        "given_name_lo": "ສົມໃຈ",
        "family_name_lo": "ພົມມະສອນ",
        "given_name_latin": f"Somchai{n}",
        "family_name_latin": "Phommasone",
        "sex": "male",
        "institution": institution(db, values.pop("institution_short", "PSC")),
        "base_province": province(db, values.pop("province_code", "LA-VT")),
        "position": "Judge",
        "phone": "+856 20 5555 1234",
        "email": f"trainer{n}@example.org",
        "languages": ["lo", "en"],
        "status": "active",
        "joined_on": dt.date(2008, 1, 15),
    }
    fields.update(values)
    trainer = Trainer(**fields)
    db.add(trainer)
    db.flush()
    return trainer


def make_user(db: Session, role: str = "coordinator", **values) -> User:
    n = next(_counter)
    fields = {
        "email": f"{role}{n}@example.org",
        "name": f"Khamphone {n}",
        "password_hash": PASSWORD_HASH,
        "role": role,
        "language": "en",
        "active": True,
    }
    fields.update(values)
    user = User(**fields)
    db.add(user)
    db.flush()
    return user


def make_record(db: Session, trainer: Trainer, **values) -> TrainingRecord:
    fields = {
        "title": "ToT workshop",
        "kind": "tot_workshop",
        "start_date": dt.date(2009, 2, 9),
        "end_date": dt.date(2009, 2, 13),
        "organiser": "CTG",
    }
    fields.update(values)
    record = TrainingRecord(trainer=trainer, **fields)
    db.add(record)
    db.flush()
    return record


def make_unavailability(db: Session, trainer: Trainer, **values) -> Unavailability:
    start = dt.date.today() + dt.timedelta(days=30)
    fields = {
        "start_date": start,
        "end_date": start + dt.timedelta(days=3),
        "reason": "Annual leave",
    }
    fields.update(values)
    item = Unavailability(trainer=trainer, **fields)
    db.add(item)
    db.flush()
    return item


def make_people(db: Session) -> dict:
    """A trainer with an account, another trainer, and one account of each role."""
    own = make_trainer(db, given_name_latin="Souksavanh", family_name_latin="Keola")
    other = make_trainer(
        db, given_name_latin="Vilaysack", family_name_latin="Sayasane", institution_short="MPS"
    )
    users = {
        "viewer": make_user(db, "viewer"),
        "trainer": make_user(db, "trainer", trainer_id=own.id),
        "coordinator": make_user(db, "coordinator"),
        "admin": make_user(db, "admin"),
    }
    return {"own": own, "other": other, "users": users}


@pytest.fixture
def people(db):
    people = make_people(db)
    db.commit()
    return people


def make_qualification(db: Session, trainer: Trainer, code: str = "M01", **values):
    module = db.scalar(select(Module).where(Module.code == code))
    qualification = Qualification(
        trainer=trainer,
        module=module,
        level=values.pop("level", "lead"),
        since=values.pop("since", dt.date(2009, 6, 15)),
        granted_by=values.pop("granted_by", "Programme board"),
        **values,
    )
    db.add(qualification)
    db.flush()
    return qualification


# -- workshops and their sessions ---------------------------------------------------------

DAY = dt.date(2027, 3, 2)  # a Tuesday


def T(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def module(db, code):
    return db.scalar(select(Module).where(Module.code == code))


def make_rollout(
    db,
    codes=("LA-VT", "LA-LP", "LA-CH"),
    modules=("M04", "M05"),
    window=(dt.date(2027, 4, 1), dt.date(2027, 4, 30)),
) -> Rollout:
    """A rollout (English and Lao names) of these provinces and modules, without workshops."""
    item = Rollout(name="Rollout 2027", name_lo="ການຝຶກອົບຮົມ 2027", start_date=window[0],
                   end_date=window[1])  # fmt: skip
    item.provinces = list(db.scalars(select(Province).where(Province.code.in_(codes))))
    item.modules = list(db.scalars(select(Module).where(Module.code.in_(modules))))
    db.add(item)
    db.flush()
    return item


def make_planner_pool(db) -> list[Trainer]:
    """Four trainers who can staff workshops of M04 and M05: two women, two men, four
    institutions, a master of each module and a co-trainer of each."""
    found = []
    for levels, sex, short in (
        ({"M04": "master", "M05": "lead"}, "female", "PSC"),
        ({"M04": "lead", "M05": "master"}, "male", "OSPP"),
        ({"M04": "co_trainer", "M05": "lead"}, "female", "MPS"),
        ({"M04": "lead", "M05": "co_trainer"}, "male", "MOJ"),
    ):
        t = make_trainer(db, sex=sex, institution_short=short)
        for code, level in levels.items():
            make_qualification(db, t, code, level=level)
        found.append(t)
    return found


def make_workshop(db, rollout=None, *, start=DAY, days=2, province_code="LA-BK", **values):
    if rollout is None:
        rollout = Rollout(
            name="Test rollout", start_date=start, end_date=start + dt.timedelta(days=60)
        )
        db.add(rollout)
    workshop = Workshop(
        rollout=rollout,
        title=values.pop("title", f"Workshop in {province_code}"),
        province=province(db, province_code),
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        **values,
    )
    db.add(workshop)
    db.flush()
    return workshop


def add_session(
    db,
    workshop,
    start,
    end,
    *,
    day=None,
    code="M04",
    trainers=(),
    room="",
    kind="session",
    title=None,
):
    s = WorkshopSession(
        workshop=workshop,
        day=day or workshop.start_date,
        start_time=T(start),
        end_time=T(end),
        kind=kind,
        title=title or f"{code} {start}",
        module=module(db, code) if kind == "session" else None,
        room=room,
    )
    s.trainers = list(trainers)
    db.add(s)
    db.flush()
    return s


def make_held_workshop(
    db: Session,
    people=(("Noy", "Sisouk", "female", (True,)),),
    *,
    start: dt.date = DAY,
    status: str = "delivered",
    title: str = "Bokeo workshop",
    province_code: str = "LA-BK",
) -> Workshop:
    """A workshop that took place, with its rollout: one day per attendance mark, and each
    person (given name, family name, sex, a present/absent mark per day) registered, with
    the Lao given name ນ້ອຍ and a phone number. The last person may be cancelled by giving
    ``None`` as their marks."""
    days = max(len(marks) for *_names, marks in people if marks is not None)
    end = start + dt.timedelta(days=days - 1)
    workshop = Workshop(
        rollout=Rollout(name="Rollout", start_date=start, end_date=end),
        title=title,
        province=province(db, province_code),
        start_date=start,
        end_date=end,
        status=status,
    )
    db.add(workshop)
    for given, family, sex, marks in people:
        registration = Registration(
            workshop=workshop,
            participant=Participant(
                given_name_latin=given,
                family_name_latin=family,
                given_name_lo="ນ້ອຍ",
                sex=sex,
                phone="+856 20 5555 1234",
            ),
            status="cancelled" if marks is None else "attended",
            attendance=[
                Attendance(day=start + dt.timedelta(days=n), present=present)
                for n, present in enumerate(marks or ())
            ],
        )
        db.add(registration)
    db.flush()
    return workshop

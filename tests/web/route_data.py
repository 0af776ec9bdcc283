"""What every URL argument of the app points at, built once for a test module: people of
every role, and a trainer's own and another's records, a workshop with its agenda, a
registration, an import, a plan and so on (``objects["-"]``, ``["own"]``, ``["other"]``).

A module that imports ``_route_connection``, ``_route_data`` and ``connection`` runs
each test in a savepoint of the module's transaction, rolled back afterwards, so a case
that deletes or changes something leaves the next one the same data.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from curriculum.models import Method
from curriculum.permissions import SYSTEM
from tests.conftest import (
    login_id,
    make_people,
    make_qualification,
    make_record,
    make_unavailability,
    make_user,
)


def _url_map_routes():
    app = create_app(
        {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"}, instance_path="/tmp/ctg-url-map"
    )
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, tuple(sorted(rule.arguments))))
    return routes


URL_MAP = _url_map_routes()


def _approved_plan(db, author):
    """An approved plan written by the trainer of ``people``: its author may start a new
    version, coordinators review it, and everyone with lesson.write may fork it."""
    from curriculum.services import lessons

    plan = lessons.create_plan(
        db,
        author,
        module_code="M01",
        language="en",
        start="template",
        template_id=lessons.list_templates(db)[0].id,
    )
    plan.status = "approved"
    db.flush()
    return plan


def _assignment(db, trainer) -> int:
    import datetime as dt

    from curriculum.services import workshops

    start = dt.date(2027, 5, 4)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "Team rollout", "start_date": start, "end_date": start}
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Team",
            "province": "LA-HO",
            "start_date": start,
            "end_date": start,
        },
    )
    return workshops.assign_trainer(db, SYSTEM, workshop.id, trainer.id).id


def _workshop_objects(db, trainer):
    import datetime as dt

    from curriculum.services import calendar, lessons, workshops

    start = dt.date(2027, 3, 2)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "Matrix rollout", "start_date": start, "end_date": start}
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Matrix",
            "province": "LA-BK",
            "start_date": start,
            "end_date": start,
        },
    )
    plan = lessons.list_plans(db)[0]
    workshops.lay_out_agenda(db, SYSTEM, workshop.id, [plan.id])
    from curriculum.services import imports
    from curriculum.services import participants as ps

    person = ps.create_participant(db, SYSTEM, {"given_name_latin": "Matrix", "sex": "female"})
    registration = ps.register(db, SYSTEM, workshop.id, person.id)
    batch = imports.start_import(
        db, SYSTEM, workshop.id, "list.csv", b"Given name,Family name,Sex\nNoy,Test,f\n"
    )
    return {
        **_scan_objects(db, workshop),
        "participant_id": person.id,
        "registration_id": registration.id,
        "batch_id": batch.id,
        "fmt": "csv",
        "lang": "en",
        "paper": "attendance",
        "rollout_id": rollout.id,
        "run": "0" * 32,  # a proposal that was never made
        "workshop_id": workshop.id,
        "session_id": next(s.id for s in workshop.sessions if s.kind == "session"),
        "token": calendar.issue_feed(db, SYSTEM, "trainer", trainer.id).token,
        "part": "participants",
        "day": "2027-03-02",
    }


def _scan_objects(db, workshop) -> dict:
    """An upload of the workshop's sign-in sheet, read, in a folder of its own: a case
    copies it into its app's scan store (``copy_scan``)."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    from curriculum.documents import sheets
    from curriculum.documents.render import Settings
    from tests.pdf import TRANSLATIONS
    from tests.scanfill import stored_scan

    root = Path(tempfile.mkdtemp(prefix="ctg-route-scan-"))
    atexit.register(shutil.rmtree, root, True)
    data = sheets.sign_in_sheets(db, workshop, workshop.start_date, "en")
    pdf = sheets.render_sheets(Settings(root / "cache", TRANSLATIONS), data, "s.pdf")
    token = stored_scan(root / "scans", workshop.id, pdf.path.read_bytes())
    return {"scan": token, "page": 1, "area": "r0.row", "scan_folder": root / "scans" / token}


def copy_scan(app, objects: dict) -> None:
    """Put the prepared upload where ``app`` looks for it."""
    import shutil

    from app.jobs import scan_store

    folder = objects["-"]["scan_folder"]
    shutil.copytree(folder, scan_store(app).root / folder.name, dirs_exist_ok=True)


def _objects(db, people):
    from curriculum.models import Institution

    spare = Institution(
        short_name="SPARE", name_en="Spare institution for tests", kind="ngo", level="central"
    )
    db.add(spare)
    objects = {
        "own": {
            "trainer_id": people["own"].id,
            "record_id": make_record(db, people["own"]).id,
            "item_id": make_unavailability(db, people["own"]).id,
            "assignment_id": _assignment(db, people["own"]),
        },
        "other": {
            "trainer_id": people["other"].id,
            "record_id": make_record(db, people["other"]).id,
            "item_id": make_unavailability(db, people["other"]).id,
            "assignment_id": _assignment(db, people["other"]),
        },
    }
    db.flush()
    objects["-"] = {
        "user_id": make_user(db, "viewer").id,
        "province_id": people["own"].base_province_id,
        "institution_id": spare.id,
        "filename": "css/app.css",
        "code": "M01",
        "key": "TIPP",
        "number": 1,
        "qualification_id": make_qualification(db, people["other"]).id,
        "plan_id": _approved_plan(db, people["users"]["trainer"]).id,
        "kind": "plan",
        "method_id": db.scalar(select(Method.id).where(Method.code == "quiz")),
        **_workshop_objects(db, people["own"]),
    }
    return objects


# The people and objects are written once for the module, in a transaction of their own
# connection; each case runs in a savepoint of it that is rolled back afterwards, so a
# case that deletes or changes something leaves the next one the same data (and building
# the data per case cost more than the requests).
@pytest.fixture(scope="module")
def _route_connection(engine):
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture(scope="module")
def _route_data(_route_connection):
    with Session(bind=_route_connection, join_transaction_mode="create_savepoint") as db:
        people = make_people(db)
        objects = _objects(db, people)
        users = {role: login_id(user) for role, user in people["users"].items()}
        db.commit()
    return users, objects


@pytest.fixture
def connection(_route_connection, _route_data):
    savepoint = _route_connection.begin_nested()
    yield _route_connection
    if savepoint.is_active:
        savepoint.rollback()


@pytest.fixture
def objects(_route_data):
    return _route_data[1]


@pytest.fixture
def user_ids(_route_data):
    return _route_data[0]

"""Every route, every method, every role, checked against the permission table.

``ROUTES`` names, for each endpoint and method of ``app.url_map``, the action
of ``curriculum.permissions.PERMISSIONS`` it needs (or PUBLIC). The expected
answer is read from that written table: allowed roles must not get 403 (nor a
404 or a 500), refused roles get 403, anonymous visitors are sent to sign in.
A route missing from ``ROUTES`` fails the test. Rows with own-trainer rights
are tried on the trainer's own record and on another's.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from curriculum.models import Method
from curriculum.permissions import PERMISSIONS, SYSTEM
from tests.conftest import (
    login_id,
    make_people,
    make_qualification,
    make_record,
    make_unavailability,
    make_user,
)
from tests.web.access import PUBLIC, ROUTES, expected_allowed

ROLES = ("anonymous", "viewer", "trainer", "coordinator", "admin")
# URL arguments that point at a trainer's own data, tried as "own" and "other".
TRAINER_ARGS = {"trainer_id", "record_id", "item_id", "assignment_id"}


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


def _cases():
    for endpoint, method, arguments in URL_MAP:
        variants = ("own", "other") if TRAINER_ARGS & set(arguments) else ("-",)
        for variant in variants:
            for role in ROLES:
                yield pytest.param(
                    endpoint,
                    method,
                    arguments,
                    variant,
                    role,
                    id=f"{method}-{endpoint}-{variant}-{role}",
                )


def test_every_route_has_an_entry():
    found = {(endpoint, method) for endpoint, method, _ in URL_MAP}
    assert sorted(found - ROUTES.keys()) == [], "routes missing from the access matrix"
    assert sorted(ROUTES.keys() - found) == [], "access-matrix rows for routes that no longer exist"
    assert all(action == PUBLIC or action in PERMISSIONS for action in ROUTES.values())


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
        "participant_id": person.id,
        "registration_id": registration.id,
        "batch_id": batch.id,
        "fmt": "csv",
        "lang": "en",
        "paper": "attendance",
        "rollout_id": rollout.id,
        "workshop_id": workshop.id,
        "session_id": next(s.id for s in workshop.sessions if s.kind == "session"),
        "token": calendar.issue_feed(db, SYSTEM, "trainer", trainer.id).token,
        "part": "participants",
        "day": "2027-03-02",
    }


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
def _matrix_connection(engine):
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture(scope="module")
def _matrix_data(_matrix_connection):
    with Session(bind=_matrix_connection, join_transaction_mode="create_savepoint") as db:
        people = make_people(db)
        objects = _objects(db, people)
        users = {role: login_id(user) for role, user in people["users"].items()}
        db.commit()
    return users, objects


@pytest.fixture
def connection(_matrix_connection, _matrix_data):
    savepoint = _matrix_connection.begin_nested()
    yield _matrix_connection
    if savepoint.is_active:
        savepoint.rollback()


@pytest.fixture
def objects(_matrix_data):
    return _matrix_data[1]


@pytest.fixture
def user_ids(_matrix_data):
    return _matrix_data[0]


@pytest.mark.parametrize("endpoint, method, arguments, variant, role", list(_cases()))
def test_access(app, client, user_ids, objects, endpoint, method, arguments, variant, role):
    action = ROUTES[(endpoint, method)]
    values = {**objects["-"], **objects.get(variant, {})}
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = user_ids[role]
            session["_fresh"] = True
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{name: values[name] for name in arguments})
    response = client.open(url, method=method, data={})
    response.close()
    status = response.status_code
    assert status < 500, response.get_data(as_text=True)[:2000]
    if expected_allowed(action, role, variant):
        assert status not in (401, 403, 404), (
            f"{role} should be allowed {method} {url}, got {status}"
        )
        if action != PUBLIC:
            assert "/login" not in response.headers.get("Location", "")
    elif role == "anonymous":
        assert status == 302 and "/login" in response.headers["Location"]
    else:
        assert status == 403, f"{role} should be refused {method} {url}, got {status}"

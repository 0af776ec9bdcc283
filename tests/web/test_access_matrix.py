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
from curriculum.permissions import PERMISSIONS
from tests.conftest import (
    make_people,
    make_qualification,
    make_record,
    make_unavailability,
    make_user,
)

PUBLIC = "public"

ROUTES: dict[tuple[str, str], str] = {
    ("static", "GET"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): PUBLIC,
    ("auth.language", "POST"): PUBLIC,
    ("auth.account", "GET"): "account.manage_own",
    ("auth.account", "POST"): "account.manage_own",
    ("dashboard.home", "GET"): "dashboard.view",
    ("trainers.index", "GET"): "trainer.view",
    ("trainers.profile", "GET"): "trainer.view",
    ("trainers.new", "GET"): "trainer.create",
    ("trainers.new", "POST"): "trainer.create",
    ("trainers.edit", "GET"): "trainer.edit",
    ("trainers.edit", "POST"): "trainer.edit",
    ("trainers.contacts", "GET"): "trainer.edit_contacts",
    ("trainers.contacts", "POST"): "trainer.edit_contacts",
    ("trainers.delete", "GET"): "trainer.delete",
    ("trainers.delete", "POST"): "trainer.delete",
    ("trainers.record_new", "GET"): "training_record.manage",
    ("trainers.record_new", "POST"): "training_record.manage",
    ("trainers.record_edit", "GET"): "training_record.manage",
    ("trainers.record_edit", "POST"): "training_record.manage",
    ("trainers.record_delete", "POST"): "training_record.manage",
    ("trainers.unavailability_new", "GET"): "unavailability.manage",
    ("trainers.unavailability_new", "POST"): "unavailability.manage",
    ("trainers.unavailability_edit", "GET"): "unavailability.manage",
    ("trainers.unavailability_edit", "POST"): "unavailability.manage",
    ("trainers.unavailability_delete", "POST"): "unavailability.manage",
    ("admin.index", "GET"): "user.manage",
    ("admin.users", "GET"): "user.manage",
    ("admin.user_new", "GET"): "user.manage",
    ("admin.user_new", "POST"): "user.manage",
    ("admin.user_edit", "GET"): "user.manage",
    ("admin.user_edit", "POST"): "user.manage",
    ("admin.user_active", "POST"): "user.manage",
    ("admin.user_password", "GET"): "user.manage",
    ("admin.user_password", "POST"): "user.manage",
    ("admin.provinces", "GET"): "reference.manage",
    ("admin.province_edit", "GET"): "reference.manage",
    ("admin.province_edit", "POST"): "reference.manage",
    ("admin.institutions", "GET"): "reference.manage",
    ("admin.institution_new", "GET"): "reference.manage",
    ("admin.institution_new", "POST"): "reference.manage",
    ("admin.institution_edit", "GET"): "reference.manage",
    ("admin.institution_edit", "POST"): "reference.manage",
    ("admin.institution_delete", "POST"): "reference.manage",
    ("admin.audit_log", "GET"): "audit.view",
    ("trainers.qualification_new", "GET"): "qualification.manage",
    ("trainers.qualification_new", "POST"): "qualification.manage",
    ("trainers.qualification_edit", "GET"): "qualification.manage",
    ("trainers.qualification_edit", "POST"): "qualification.manage",
    ("trainers.qualification_delete", "POST"): "qualification.manage",
    ("library.index", "GET"): "library.view",
    ("library.module", "GET"): "library.view",
    ("library.module_edit", "GET"): "module.edit",
    ("library.module_edit", "POST"): "module.edit",
    ("library.history", "GET"): "library.view",
    ("library.compare", "GET"): "library.view",
    ("library.version", "GET"): "library.view",
    ("library.restore", "POST"): "module.edit",
    ("library.provisions", "GET"): "library.view",
    ("library.instrument", "GET"): "library.view",
    ("library.glossary", "GET"): "library.view",
    ("library.search", "GET"): "library.view",
    ("library.review", "GET"): "library.view",
    ("library.qualifications", "GET"): "library.view",
    ("library.chapter_pdf", "GET"): "library.view",
    ("library.guide_pdf", "GET"): "library.view",
    ("library.guide_progress", "GET"): "library.view",
    ("lessons.index", "GET"): "lesson.view",
    ("lessons.new", "GET"): "lesson.write",
    ("lessons.new", "POST"): "lesson.write",
    ("lessons.plan", "GET"): "lesson.view",
    ("lessons.edit", "GET"): "lesson.write",
    ("lessons.edit", "POST"): "lesson.write",
    ("lessons.autosave", "POST"): "lesson.write",
    ("lessons.change_status", "POST"): "lesson.review",
    ("lessons.comment", "POST"): "lesson.write",
    ("lessons.fork", "POST"): "lesson.write",
    ("lessons.new_version", "POST"): "lesson.write",
    ("lessons.compare", "GET"): "lesson.view",
    ("lessons.pdf", "GET"): "lesson.view",
    ("lessons.methods", "GET"): "lesson.view",
    ("lessons.methods", "POST"): "method.manage",
    ("lessons.method_edit", "GET"): "method.manage",
    ("lessons.method_edit", "POST"): "method.manage",
    ("workshops.index", "GET"): "workshop.view",
    ("workshops.rollout_new", "GET"): "workshop.manage",
    ("workshops.rollout_new", "POST"): "workshop.manage",
    ("workshops.rollout", "GET"): "workshop.view",
    ("workshops.new", "GET"): "workshop.manage",
    ("workshops.new", "POST"): "workshop.manage",
    ("workshops.workshop", "GET"): "workshop.view",
    ("workshops.agenda", "POST"): "workshop.manage",
    ("workshops.copy_agenda", "POST"): "workshop.manage",
    ("workshops.team", "POST"): "workshop.manage",
    ("workshops.session_trainers", "GET"): "workshop.manage",
    ("workshops.staffing", "GET"): "workshop.manage",
    ("workshops.staffing", "POST"): "workshop.manage",
    ("workshops.session_trainers", "POST"): "workshop.manage",
    ("workshops.change_status", "POST"): "workshop.manage",
    ("workshops.rollout_feed", "POST"): "workshop.manage",
    ("workshops.feed", "GET"): PUBLIC,
    ("participants.verify", "GET"): PUBLIC,
    ("participants.certificates_pdf", "GET"): "workshop.manage",
    ("participants.issue_certificates", "POST"): "workshop.manage",
    ("participants.index", "GET"): "participant.view",
    ("participants.new", "GET"): "participant.manage",
    ("participants.new", "POST"): "participant.manage",
    ("participants.person", "GET"): "participant.view",
    ("participants.person", "POST"): "participant.manage",
    ("participants.duplicates", "GET"): "participant.view",
    ("participants.merge", "POST"): "participant.manage",
    ("participants.workshop", "GET"): "participant.view",
    ("participants.register", "POST"): "participant.manage",
    ("participants.registration_status", "POST"): "participant.manage",
    ("participants.attendance", "GET"): "participant.view",
    ("participants.attendance", "POST"): "participant.manage",
    ("participants.results", "GET"): "participant.view",
    ("participants.results", "POST"): "participant.manage",
    ("participants.import_list", "GET"): "participant.manage",
    ("participants.import_list", "POST"): "participant.manage",
    ("participants.import_preview", "GET"): "participant.manage",
    ("participants.import_preview", "POST"): "participant.manage",
    ("participants.import_template", "GET"): "participant.manage",
    ("participants.export_list", "GET"): "participant.view",
    ("participants.paper", "GET"): "participant.view",
    ("reports.index", "GET"): "report.view",
    ("reports.export", "GET"): "report.view",
    ("reports.workshop", "GET"): "report.view",
    ("reports.workshop_export", "GET"): "report.view",
    ("reports.donor_report", "POST"): "workshop.manage",
    ("participants.sign_in_sheet", "GET"): "workshop.manage",
    ("workshops.respond", "POST"): "assignment.respond",
    ("workshops.document", "GET"): "workshop.view",
    ("workshops.team_remove", "POST"): "workshop.manage",
    ("workshops.delivery", "GET"): "workshop.manage",
    ("workshops.delivery", "POST"): "workshop.manage",
    ("workshops.print_list", "GET"): "workshop.view",
    ("workshops.calendar_view", "GET"): "workshop.view",
    ("workshops.edit", "GET"): "workshop.manage",
    ("workshops.rollout_edit", "GET"): "workshop.manage",
    ("workshops.rollout_edit", "POST"): "workshop.manage",
    ("workshops.edit", "POST"): "workshop.manage",
    ("workshops.session_edit", "GET"): "workshop.manage",
    ("workshops.session_edit", "POST"): "workshop.manage",
    ("workshops.session_delete", "POST"): "workshop.manage",
    ("workshops.trainer_feed", "POST"): "calendar.feed",
    ("workshops.document_progress", "GET"): "workshop.view",
}

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


def expected_allowed(action: str, role: str, variant: str) -> bool:
    if action == PUBLIC:
        return True
    if role == "anonymous":
        return False
    permission = PERMISSIONS[action]
    return role in permission.roles or (role in permission.own_roles and variant == "own")


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
        db, None, {"name": "Team rollout", "start_date": start, "end_date": start}
    )
    workshop = workshops.create_workshop(
        db,
        None,
        {
            "rollout": rollout.id,
            "title": "Team",
            "province": "LA-HO",
            "start_date": start,
            "end_date": start,
        },
    )
    return workshops.assign_trainer(db, None, workshop.id, trainer.id).id


def _workshop_objects(db, trainer):
    import datetime as dt

    from curriculum.services import calendar, lessons, workshops

    start = dt.date(2027, 3, 2)
    rollout = workshops.create_rollout(
        db, None, {"name": "Matrix rollout", "start_date": start, "end_date": start}
    )
    workshop = workshops.create_workshop(
        db,
        None,
        {
            "rollout": rollout.id,
            "title": "Matrix",
            "province": "LA-BK",
            "start_date": start,
            "end_date": start,
        },
    )
    plan = lessons.list_plans(db)[0]
    workshops.lay_out_agenda(db, None, workshop.id, [plan.id])
    from curriculum.services import imports
    from curriculum.services import participants as ps

    person = ps.create_participant(db, None, {"given_name_latin": "Matrix", "sex": "female"})
    registration = ps.register(db, None, workshop.id, person.id)
    batch = imports.start_import(
        db, None, workshop.id, "list.csv", b"Given name,Family name,Sex\nNoy,Test,f\n"
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
        "token": calendar.issue_feed(db, None, "trainer", trainer.id).token,
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
        db.commit()
        users = {role: user.get_id() for role, user in people["users"].items()}
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

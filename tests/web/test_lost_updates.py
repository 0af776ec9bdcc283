"""Two coordinators on the same page: nobody's save silently erases the other's.

The grids (attendance, results, the delivery record) check each row: a row only the
other person changed keeps their change, a row both changed is refused with what the
other saved and the user's input kept; saving again then stores it on purpose. Edit
forms posted without their version are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from curriculum.models import Attendance, Registration, WorkshopSession
from tests.conftest import (
    add_session,
    make_held_workshop,
    make_people,
    make_trainer,
    make_user,
    make_workshop,
    sign_in,
)
from tests.web.browser_form import form_values, open_form

THREE = (
    ("Noy", "Sisouk", "female", (True, True)),
    ("Bounmy", "Keo", "male", (True, True)),
    ("Vanna", "Latsavong", "female", (True, True)),
)


@pytest.fixture
def two(app, db):
    """Two coordinators, each in their own browser."""
    first, second = make_user(db, "coordinator"), make_user(db, "coordinator")
    db.commit()
    browsers = app.test_client(), app.test_client()
    sign_in(browsers[0], first)
    sign_in(browsers[1], second)
    return browsers


def _ids(db, workshop) -> list[int]:
    return list(
        db.scalars(
            select(Registration.id)
            .where(Registration.workshop_id == workshop.id)
            .order_by(Registration.id)
        )
    )


def _present(db, registration_id) -> list[bool]:
    db.expire_all()
    return [
        a.present
        for a in db.scalars(
            select(Attendance)
            .where(Attendance.registration_id == registration_id)
            .order_by(Attendance.day)
        )
    ]


def _untick(form, rid, day) -> None:
    form.setlist("present", [v for v in form.getlist("present") if v != f"{rid}@{day}"])


def test_attendance_grid_keeps_what_the_other_coordinator_ticked(two, db):
    workshop = make_held_workshop(db, THREE)
    noy, bounmy, vanna = _ids(db, workshop)
    db.commit()
    day1, day2 = workshop.start_date, workshop.end_date
    grid = f"/participants/workshops/{workshop.id}/attendance"
    a, b = (open_form(client, grid, "seen-*") for client in two)
    # A: Noy was absent on day 2, and saves first
    _untick(a, noy, day2)
    assert two[0].post(grid, data=a).status_code == 302
    # B, from the page opened before A's save, marks Bounmy absent on day 1
    _untick(b, bounmy, day1)
    assert two[1].post(grid, data=b).status_code == 302
    assert _present(db, noy) == [True, False]  # A's change was not erased by B's old row
    assert _present(db, bounmy) == [False, True]
    # both change Vanna's row, on different days: each keeps the other's day
    a, b = (open_form(client, grid, "seen-*") for client in two)
    _untick(a, vanna, day1)
    assert two[0].post(grid, data=a).status_code == 302
    _untick(b, vanna, day2)
    assert two[1].post(grid, data=b).status_code == 302
    assert _present(db, vanna) == [False, False]
    assert _present(db, noy) == [True, False] and _present(db, bounmy) == [False, True]


def test_attendance_grid_without_its_row_stamps_is_refused(two, db):
    workshop = make_held_workshop(db, THREE)
    noy = _ids(db, workshop)[0]
    db.commit()
    grid = f"/participants/workshops/{workshop.id}/attendance"
    response = two[0].post(grid, data={"present": [f"{noy}@{workshop.start_date}"]})
    assert response.status_code == 400
    assert "The page did not say what each row held" in response.get_data(as_text=True)
    assert _present(db, noy) == [True, True]


def test_results_grid_keeps_the_other_coordinators_row_and_refuses_a_clash(two, db):
    workshop = make_held_workshop(db, THREE)
    noy, bounmy, _vanna = _ids(db, workshop)
    db.commit()
    grid = f"/participants/workshops/{workshop.id}/results"
    a, b = (open_form(client, grid, "seen-*").to_dict() for client in two)
    assert two[0].post(grid, data={**a, f"pre-{noy}": "40", f"post-{noy}": "80"}).status_code == 302
    assert two[1].post(grid, data={**b, f"pre-{bounmy}": "55"}).status_code == 302
    db.expire_all()
    scores = {r.id: (r.pre_score, r.post_score) for r in db.scalars(select(Registration))}
    assert scores[noy] == (40, 80) and scores[bounmy] == (55, None)
    # both type a score for Noy: the later one is refused, and keeps what was typed
    refused = two[1].post(grid, data={**b, f"pre-{noy}": "45", f"pre-{bounmy}": "56"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Someone else saved this row" in page and "Pre-test: 40.0" in page
    assert f'name="pre-{noy}" id="pre-{noy}" value="45"' in page
    db.expire_all()
    assert (
        db.get(Registration, noy).pre_score == 40 and db.get(Registration, bounmy).pre_score == 55
    )
    again = form_values(page, "seen-*").to_dict()
    assert again[f"pre-{noy}"] == "45" and again[f"post-{noy}"] == "80.0"
    assert two[1].post(grid, data=again).status_code == 302
    db.expire_all()
    assert db.get(Registration, noy).pre_score == 45 and db.get(Registration, noy).post_score == 80


def test_delivery_record_keeps_the_other_coordinators_row_and_refuses_a_clash(two, db):
    workshop = make_workshop(db, status="confirmed", days=1)
    first = add_session(db, workshop, "08:30", "10:00", code="M04").id
    second = add_session(db, workshop, "10:30", "12:00", code="M05").id
    db.commit()
    record = f"/workshops/{workshop.id}/delivery"
    a, b = (open_form(client, record, "sessions-0-seen").to_dict() for client in two)
    position = {int(a[f"sessions-{i}-id"]): i for i in (0, 1)}
    one, two_ = position[first], position[second]
    a[f"sessions-{one}-delivery"] = "dropped"
    assert two[0].post(record, data=a).status_code == 302
    b[f"sessions-{two_}-delivery"] = "as_planned"
    assert two[1].post(record, data=b).status_code == 302
    db.expire_all()
    assert db.get(WorkshopSession, first).delivery == "dropped"  # A's not erased by B's save
    assert db.get(WorkshopSession, second).delivery == "as_planned"
    b[f"sessions-{one}-delivery"] = "changed"
    b[f"sessions-{one}-notes"] = "Shortened to an hour"
    refused = two[1].post(record, data=b)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Someone else saved this row" in page and "Dropped" in page
    assert 'value="Shortened to an hour"' in page
    db.expire_all()
    assert db.get(WorkshopSession, first).delivery == "dropped"
    again = form_values(page, "sessions-0-seen").to_dict()
    assert two[1].post(record, data=again).status_code == 302
    db.expire_all()
    assert db.get(WorkshopSession, first).delivery_notes == "Shortened to an hour"


@pytest.mark.parametrize(
    "kind, path, field",
    [
        ("trainer", "/trainers/{trainer}/edit", "given_name_latin"),
        ("workshop", "/workshops/{workshop}/edit", "title"),
        ("participant", "/participants/{participant}", "given_name_latin"),
        ("plan", "/lessons/{plan}/edit", "title"),
    ],
)
def test_an_edit_posted_without_its_version_is_refused(client, db, kind, path, field):
    people = make_people(db)
    workshop = make_held_workshop(db)
    plan_path = _plan_edit(client, db, people) if kind == "plan" else None
    ids = {
        "trainer": make_trainer(db).id,
        "workshop": workshop.id,
        "participant": db.scalar(
            select(Registration.participant_id).where(Registration.workshop_id == workshop.id)
        ),
    }
    db.commit()
    sign_in(client, people["users"]["admin" if kind != "plan" else "trainer"])
    url = plan_path or path.format(**ids)
    form = open_form(client, url, field).to_dict()
    assert form.pop("lock_version")
    response = client.post(url, data={**form, field: "Changed without a version"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400, response.status_code
    assert "did not say which version of the record it changes" in page
    db.expire_all()
    assert "Changed without a version" not in client.get(url).get_data(as_text=True)


def _plan_edit(client, db, people) -> str:
    from curriculum.services import lessons

    plan = lessons.create_plan(
        db, people["users"]["trainer"], module_code="M04", language="en", title="A plan"
    )
    return f"/lessons/{plan.id}/edit"

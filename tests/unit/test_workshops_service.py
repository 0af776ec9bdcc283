"""Workshops: agenda from lesson plans, confirmation against the check, delivery record."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from curriculum.errors import PermissionDenied, ValidationError
from curriculum.models import LessonPlan, Workshop
from curriculum.permissions import SYSTEM
from curriculum.services import lessons, workshops
from tests.conftest import make_qualification, make_trainer, make_user

START = dt.date(2027, 3, 2)


def plan(db, key):
    return db.scalar(select(LessonPlan).where(LessonPlan.key == key))


@pytest.fixture
def coordinator(db):
    return make_user(db, "coordinator")


@pytest.fixture
def workshop(db, coordinator):
    rollout = workshops.create_rollout(
        db,
        coordinator,
        {
            "name": "2027 rollout",
            "start_date": START,
            "end_date": START + dt.timedelta(days=90),
            "modules": ["M04", "M05"],
            "provinces": ["LA-BK"],
        },
    )
    return workshops.create_workshop(
        db,
        coordinator,
        {
            "rollout": rollout.id,
            "title": "Bokeo workshop",
            "province": "LA-BK",
            "start_date": START,
            "end_date": START + dt.timedelta(days=1),
        },
    )


def team(db, n=3):
    trainers = []
    for inst, sex in [("PSC", "female"), ("OSPP", "male"), ("MPS", "male")][:n]:
        t = make_trainer(db, institution_short=inst, sex=sex)
        make_qualification(db, t, "M04")
        make_qualification(db, t, "M05")
        trainers.append(t)
    return trainers


def test_bad_workshop_input_names_the_fields(db, coordinator):
    with pytest.raises(ValidationError) as caught:
        workshops.create_workshop(
            db,
            coordinator,
            {
                "rollout": 999,
                "province": "LA-ZZ",
                "start_date": START,
                "end_date": START - dt.timedelta(days=1),
            },
        )
    assert set(caught.value.errors) >= {"rollout", "province", "end_date", "title"}
    with pytest.raises(PermissionDenied):
        workshops.create_rollout(db, make_user(db, "trainer"), {"name": "x"})


def test_agenda_from_lesson_plans(db, coordinator, workshop):
    chosen = [
        plan(db, k)
        for k in (
            "m04-en-indicators-first-contact-90",
            "m05-en-needs-and-rights-90",
            "m07-en-evidence-and-peace-120",
        )
    ]
    workshop, problems = workshops.lay_out_agenda(
        db, coordinator, workshop.id, [p.id for p in chosen]
    )
    assert problems == []
    teaching = [s for s in workshop.sessions if s.kind == "session"]
    for p in chosen:
        assert sum(s.minutes for s in teaching if s.lesson_plan_id == p.id) == p.duration_minutes
    assert {s.kind for s in workshop.sessions} == {"session", "break", "lunch"}
    assert all(s.module_id == s.lesson_plan.module_id for s in teaching)


def test_confirming_is_refused_with_errors_and_needs_a_reason_for_warnings(
    db, coordinator, workshop
):
    m04 = plan(db, "m04-en-indicators-first-contact-90")
    workshops.lay_out_agenda(db, coordinator, workshop.id, [m04.id])
    unqualified = make_trainer(db)
    session = next(s for s in workshop.sessions if s.kind == "session")
    workshops.set_session_trainers(db, coordinator, session.id, [unqualified.id])
    with pytest.raises(ValidationError) as caught:
        workshops.change_status(db, coordinator, workshop.id, "confirmed")
    assert "not qualified to teach M04" in str(caught.value)
    assert db.get(Workshop, workshop.id).status == "planned"
    # a qualified team of two from one institution: only warnings remain
    a, b = team(db, 1)[0], make_trainer(db, institution_short="PSC", sex="female")
    make_qualification(db, b, "M04")
    workshop.assignments.clear()
    db.flush()
    workshops.set_session_trainers(db, coordinator, session.id, [a.id, b.id])
    with pytest.raises(ValidationError) as caught:
        workshops.change_status(db, coordinator, workshop.id, "confirmed")
    assert "reason" in caught.value.errors
    confirmed = workshops.change_status(
        db, coordinator, workshop.id, "confirmed", "Only PSC trainers were free in March."
    )
    assert confirmed.status == "confirmed"
    assert confirmed.warnings_reason == "Only PSC trainers were free in March."
    assert [(c.old_status, c.new_status) for c in confirmed.status_changes] == [
        ("planned", "confirmed")
    ]


def test_a_clean_workshop_confirms_without_a_reason(db, coordinator, workshop):
    m04, m05 = (
        plan(db, "m04-en-indicators-first-contact-90"),
        plan(db, "m05-en-needs-and-rights-90"),
    )
    workshops.lay_out_agenda(db, coordinator, workshop.id, [m04.id, m05.id])
    trainers = team(db)
    for s in workshop.sessions:
        if s.kind == "session":
            workshops.set_session_trainers(db, coordinator, s.id, [t.id for t in trainers[:2]])
    for t in trainers[2:]:
        workshops.assign_trainer(db, coordinator, workshop.id, t.id)
    assert workshops.change_status(db, coordinator, workshop.id, "confirmed").warnings_reason == ""
    with pytest.raises(ValidationError):
        workshops.change_status(db, coordinator, workshop.id, "reported")  # not yet delivered


def test_a_delivered_session_keeps_the_plan_version_it_used(db, coordinator, workshop):
    m04 = plan(db, "m04-en-indicators-first-contact-90")
    workshops.lay_out_agenda(db, coordinator, workshop.id, [m04.id])
    session = next(s for s in workshop.sessions if s.kind == "session")
    workshops.record_delivery(db, coordinator, session.id, "changed", 80, "Role play shortened")
    new = lessons.start_new_version(db, SYSTEM, m04.id)
    data = lessons.plan_data(new)
    data["title"] = "A later title"
    lessons.save_plan(db, SYSTEM, new.id, data, new.lock_version)
    lessons.change_status(db, SYSTEM, new.id, "submit")
    lessons.change_status(db, SYSTEM, new.id, "approve")
    db.expire_all()
    session = db.get(type(session), session.id)
    assert session.lesson_plan_id == m04.id and session.lesson_plan.version == 1
    assert session.lesson_plan.title == "Indicators and first contact with a presumed victim"
    assert (session.delivery, session.minutes_used) == ("changed", 80)
    assert workshops.deliveries_of_plan(db, new) == [session]
    with pytest.raises(ValidationError):
        workshops.record_delivery(db, coordinator, session.id, "perfect", -3)

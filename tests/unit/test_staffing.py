"""Staffing plan by plan: a plan's trainers teach every session it was split into."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from curriculum.errors import ValidationError
from curriculum.models import LessonPlan, Workshop
from curriculum.permissions import SYSTEM
from curriculum.services import scheduling, staffing, workshops
from tests.conftest import make_qualification, make_trainer

START = dt.date(2027, 3, 2)
KEYS = ("m04-en-indicators-first-contact-90", "m07-en-evidence-and-peace-120")


@pytest.fixture
def workshop(db):
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": START, "end_date": START + dt.timedelta(days=30)}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Staffing",
            "province": "LA-BK",
            "start_date": START,
            "end_date": START + dt.timedelta(days=1),
        },
    )
    ids = [db.scalar(select(LessonPlan.id).where(LessonPlan.key == k)) for k in KEYS]
    workshops.lay_out_agenda(db, SYSTEM, w.id, ids)
    return w


def trainer(db, *codes, **values):
    t = make_trainer(db, **values)
    for code in codes:
        make_qualification(db, t, code)
    return t


def test_a_plan_split_in_parts_is_staffed_once_for_all_its_sessions(db, workshop):
    groups = staffing.plan_groups(workshop)
    assert [len(g.sessions) for g in groups] == [1, 2]  # the 120-minute plan is split in two
    lead = trainer(db, "M04", "M07", sex="female")
    co = trainer(db, "M07", institution_short="MPS")
    staffing.staff_agenda(
        db,
        SYSTEM,
        workshop.id,
        {
            groups[0].key: [(lead.id, "co_trainer")],
            groups[1].key: [(lead.id, "lead"), (co.id, "co_trainer")],
        },
    )
    db.expire_all()
    w = db.get(Workshop, workshop.id)
    groups = staffing.plan_groups(w)
    for s in groups[1].sessions:
        assert {t.id for t in s.trainers} == {lead.id, co.id}
    assert [t.id for t in groups[0].sessions[0].trainers] == [lead.id]
    # the strongest role given stands; both joined the team
    assert {a.trainer_id: a.role for a in w.assignments} == {lead.id: "lead", co.id: "co_trainer"}
    assert not [p for p in scheduling.check_workshop(db, w) if p.code == "no_trainer"]
    # opened again, the plan's trainers are offered with their level and this month's load
    shown = {c.trainer.id: c for c in staffing.candidates(db, w, groups[1])}
    assert shown[lead.id].level == "lead" and shown[lead.id].role == "lead"
    assert shown[lead.id].minutes_this_month == 90 + 120


def test_candidates_are_qualified_and_free_at_every_session_of_the_plan(db, workshop):
    groups = staffing.plan_groups(workshop)
    child = groups[1]
    trainer(db, "M07", given_name_latin="Free")
    trainer(db, "M04", given_name_latin="Unqualified")
    # busy at the second part only, in another workshop
    busy = trainer(db, "M07", given_name_latin="Busy")
    other = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": str(workshop.rollout_id),
            "title": "Elsewhere",
            "province": "LA-CH",
            "start_date": child.sessions[1].day,
            "end_date": child.sessions[1].day,
        },
    )
    ids = [db.scalar(select(LessonPlan.id).where(LessonPlan.key == KEYS[1]))]
    workshops.lay_out_agenda(db, SYSTEM, other.id, ids)
    for s in other.sessions:
        if s.kind == "session" and s.start_time < child.sessions[1].end_time:
            workshops.set_session_trainers(db, SYSTEM, s.id, [busy.id])
    names = {c.trainer.given_name_latin for c in staffing.candidates(db, workshop, child)}
    assert "Free" in names and "Unqualified" not in names
    assert "Busy" not in names


def test_bad_staffing_changes_nothing(db, workshop):
    groups = staffing.plan_groups(workshop)
    t = trainer(db, "M04")
    with pytest.raises(ValidationError):
        staffing.staff_agenda(db, SYSTEM, workshop.id, {groups[0].key: [(t.id, "boss")]})
    with pytest.raises(ValidationError):
        staffing.staff_agenda(db, SYSTEM, workshop.id, {"plan-999999": [(t.id, "lead")]})
    assert all(not s.trainers for s in workshop.sessions)
    assert workshop.assignments == []

"""The reports counted by the database give what the rows summarised in Python give, on a
varied programme and in every scope; trainer-days are summed per trainer."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from sqlalchemy import select

from curriculum.models import (
    Assignment,
    Attendance,
    Institution,
    Participant,
    Province,
    Registration,
    Rollout,
    Workshop,
)
from curriculum.services.reports import report, report_rows, summarise, trainer_days
from tests.conftest import make_trainer

START = dt.date(2031, 2, 3)
SEXES = ("female", "male", "other", "not_recorded")
STATUSES = ("attended", "registered", "attended", "cancelled", "waitlisted", "invited")


@pytest.fixture
def programme(db):
    """Two rollouts, six workshops (one cancelled) in four provinces over two years, 60
    people (some without institution, province or position) registered 150 times with
    every status, scores with halves and gaps, and attendance with absences and gaps."""
    rng = random.Random(7)
    provinces = list(db.scalars(select(Province).order_by(Province.code)))[:4]
    institutions = list(db.scalars(select(Institution).order_by(Institution.id)))[:3]
    rollouts = [
        Rollout(name=f"Queries {n}", start_date=START, end_date=START + dt.timedelta(days=400))
        for n in range(2)
    ]
    workshops = []
    for n in range(6):
        start = START + dt.timedelta(days=70 * n)
        workshops.append(
            Workshop(
                rollout=rollouts[n % 2],
                title=f"Queries workshop {n}",
                province=provinces[n % 4],
                start_date=start,
                end_date=start + dt.timedelta(days=n % 3),
                status="cancelled" if n == 4 else "delivered",
            )
        )
    people = [
        Participant(
            given_name_latin=f"Query{n}",
            family_name_latin="Person",
            sex=SEXES[n % 4] if n % 5 else rng.choice(SEXES),
            institution=rng.choice([*institutions, None]),
            province=rng.choice([*provinces, None]),
            position=rng.choice(["Judge", "Police officer", "", "Prosecutor"]),
        )
        for n in range(60)
    ]
    for w in workshops:
        for person in rng.sample(people, 25):
            days = (w.end_date - w.start_date).days + 1
            registration = Registration(
                workshop=w,
                participant=person,
                status=rng.choice(STATUSES),
                pre_score=rng.choice([None, Decimal("40.5"), Decimal("55"), Decimal("61.5")]),
                post_score=rng.choice([None, Decimal("70"), Decimal("82.5"), Decimal("90.5")]),
            )
            registration.attendance = [
                Attendance(day=w.start_date + dt.timedelta(days=d), present=rng.random() > 0.3)
                for d in range(days)
                if rng.random() > 0.2
            ]
            db.add(registration)
    db.add_all(rollouts)
    db.flush()
    return rollouts, workshops, provinces


def test_the_report_counted_in_sql_is_the_rows_summarised(db, programme):
    rollouts, workshops, provinces = programme
    scopes = [
        {"rollout_id": rollouts[0].id},
        {"rollout_id": rollouts[1].id, "language": "lo"},
        {"workshop_id": workshops[2].id},
        {"workshop_id": workshops[4].id},  # cancelled: nothing
        {"start": START + dt.timedelta(days=100), "end": START + dt.timedelta(days=300)},
        {"province_code": provinces[1].code, "start": START},
        {},
    ]
    for scope in scopes:
        expected = summarise(report_rows(db, **scope))
        assert report(db, **scope) == expected, scope
    whole = report(db, rollout_id=rollouts[0].id)
    # the data set is varied enough to mean something
    assert whole.registrations > 20 and whole.scored > 5 and whole.attended > whole.completed > 0
    assert {s.key for s in whole.by_sex.rows} == set(SEXES)
    assert "—" in {c.key for c in whole.by_position}


def test_trainer_days_count_every_day_of_each_team_joined(db):
    first = make_trainer(db, given_name_latin="Days", family_name_latin="One")
    second = make_trainer(
        db, given_name_latin="", family_name_latin="", given_name_lo="ສອງ", family_name_lo=""
    )
    province = db.scalar(select(Province).where(Province.code == "LA-VT"))
    rollout = Rollout(name="Days", start_date=START, end_date=START + dt.timedelta(days=60))
    spans = [(0, 2, "delivered"), (10, 1, "confirmed"), (20, 0, "cancelled"), (30, 4, "planned")]
    workshops = [
        Workshop(
            rollout=rollout,
            title=f"Days {n}",
            province=province,
            start_date=START + dt.timedelta(days=offset),
            end_date=START + dt.timedelta(days=offset + length),
            status=status,
        )
        for n, (offset, length, status) in enumerate(spans)
    ]
    db.add_all(workshops)
    db.flush()
    db.add_all(
        [
            Assignment(workshop=workshops[0], trainer=first, response="accepted"),
            Assignment(workshop=workshops[1], trainer=first, response="pending"),
            Assignment(workshop=workshops[2], trainer=first, response="accepted"),  # cancelled
            Assignment(workshop=workshops[3], trainer=first, response="declined"),
            Assignment(workshop=workshops[0], trainer=second, response="accepted"),
            Assignment(workshop=workshops[3], trainer=second, response="accepted"),
        ]
    )
    db.flush()
    days = trainer_days(db, rollout_id=rollout.id)
    assert [(c.key, c.count) for c in days.by_trainer] == [("ສອງ", 8), ("Days One", 5)]
    assert days.total == 13
    assert sum(c.count for c in days.by_institution) == 13
    assert trainer_days(db, workshop_id=workshops[1].id).total == 2

"""The main pages send as many SQL statements with a little data as with much more: a
rollout of 2 or 300 past workshops, a workshop whose trainers taught 2 or 300 others, a month of
2 or 20 workshops, a programme of few or many team places. Every statement a request
sends is counted (an event listener on the engine)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select

from curriculum.models import (
    Assignment,
    LessonPlan,
    Province,
    Rollout,
    Workshop,
    WorkshopSession,
)
from curriculum.models.workshops import session_trainers
from curriculum.services.workshops import AGENDA_SOURCES
from tests.conftest import make_trainer, sign_in

START = dt.date(2033, 3, 7)  # a Monday, away from every other test's dates


@pytest.fixture
def coordinator(client, people):
    sign_in(client, people["users"]["coordinator"])
    return client


@contextmanager
def counting(engine):
    seen: list[str] = []

    def count(_conn, _cursor, sql, *_args):
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements(client, engine, url: str) -> tuple[int, str]:
    """The statements of one request of ``url`` (after one that warms caches), and its page."""
    assert client.get(url).status_code == 200
    with counting(engine) as seen:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen), response.get_data(as_text=True)


class Programme:
    """Workshops with a day of agenda (two sessions of an approved plan and a break),
    taught by two trainers who are also their team."""

    def __init__(self, db):
        self.db = db
        self.plan = db.scalar(
            select(LessonPlan).where(LessonPlan.status == "approved").order_by(LessonPlan.id)
        )
        self.provinces = list(db.scalars(select(Province).order_by(Province.code)))
        self.trainers = [make_trainer(self.db) for _ in range(2)]

    def rollout(self, name: str, start: dt.date = START) -> Rollout:
        rollout = Rollout(name=name, start_date=start, end_date=start + dt.timedelta(days=400))
        self.db.add(rollout)
        return rollout

    def workshops(
        self, rollout: Rollout, count: int, *, start: dt.date = START, step: int = 7
    ) -> list[Workshop]:
        made = []
        for n in range(count):
            day = start + dt.timedelta(days=n * step)
            workshop = Workshop(
                rollout=rollout,
                title=f"Counted {rollout.name} {n}",
                province=self.provinces[n % len(self.provinces)],
                start_date=day,
                end_date=day,
                status=("planned", "delivered", "confirmed")[n % 3],
            )
            workshop.sessions = [
                WorkshopSession(
                    day=day,
                    start_time=dt.time(8 + 2 * k, 0),
                    end_time=dt.time(9 + 2 * k, 30),
                    kind=kind,
                    title=self.plan.title if kind == "session" else "Break",
                    lesson_plan=self.plan if kind == "session" else None,
                    trainers=list(self.trainers) if kind == "session" else [],
                )
                for k, kind in enumerate(("session", "break", "session"))
            ]
            workshop.assignments = [
                Assignment(trainer=t, role=role, response="accepted")
                for t, role in zip(self.trainers, ("lead", "co_trainer"), strict=True)
            ]
            self.db.add(workshop)
            made.append(workshop)
        self.db.commit()
        return made


def delivered_history(db, programme: Programme, rollout: Rollout, count: int, start: dt.date):
    """``count`` delivered workshops of ``rollout``, two teaching sessions each taught by
    the programme's trainers (bulk-inserted: more sessions than one batch of eager
    loading holds)."""
    db.flush()
    db.execute(
        insert(Workshop),
        [
            {
                "rollout_id": rollout.id,
                "title": f"Past {rollout.name} {n}",
                "province_id": programme.provinces[n % 3].id,
                "start_date": start + dt.timedelta(days=n),
                "end_date": start + dt.timedelta(days=n),
                "status": "delivered",
                "lock_version": 1,
            }
            for n in range(count)
        ],
    )
    past = list(
        db.execute(
            select(Workshop.id, Workshop.start_date).where(
                Workshop.title.like(f"Past {rollout.name} %")
            )
        )
    )
    db.execute(
        insert(WorkshopSession),
        [
            {
                "workshop_id": w.id,
                "day": w.start_date,
                "start_time": dt.time(8 + 3 * k, 0),
                "end_time": dt.time(10 + 3 * k, 0),
                "kind": "session",
                "lesson_plan_id": programme.plan.id,
                "delivery": "as_planned",
                "sequence": 0,
                "lock_version": 1,
            }
            for w in past
            for k in range(2)
        ],
    )
    sessions = db.scalars(
        select(WorkshopSession.id).where(WorkshopSession.workshop_id.in_([w.id for w in past]))
    )
    db.execute(
        insert(session_trainers),
        [{"session_id": s, "trainer_id": programme.trainers[0].id} for s in sessions],
    )
    db.execute(
        insert(Assignment),
        [
            {"workshop_id": w.id, "trainer_id": programme.trainers[0].id, "lock_version": 1}
            for w in past
        ],
    )
    db.commit()


def test_a_rollout_page_does_not_grow_with_its_workshops(coordinator, db, engine):
    """Its delivered workshops are listed without their agendas loaded as objects: 2 or
    300 of them (600 sessions, more than a batch of eager loading) take the same count."""
    programme = Programme(db)
    small, large = programme.rollout("Small"), programme.rollout("Large")
    programme.workshops(small, 4)
    programme.workshops(large, 4)
    delivered_history(db, programme, small, 2, START + dt.timedelta(days=100))
    delivered_history(db, programme, large, 300, START + dt.timedelta(days=100))
    few, html = statements(coordinator, engine, f"/workshops/rollouts/{small.id}")
    many, big = statements(coordinator, engine, f"/workshops/rollouts/{large.id}")
    assert len(re.findall(r"Past Small \d+", html)) == 2
    assert len(re.findall(r"Past Large \d+", big)) == 300
    assert "✓" in big and "○" in big  # delivered and planned cells of the coverage
    assert many == few, (few, many)


def test_a_workshop_page_does_not_grow_with_its_trainers_history(coordinator, db, engine):
    programme = Programme(db)
    rollout = programme.rollout("History")
    (workshop,) = programme.workshops(rollout, 1, start=START + dt.timedelta(days=2000))
    url = f"/workshops/{workshop.id}"
    earlier = programme.rollout("Earlier")
    delivered_history(db, programme, earlier, 2, START)
    few, html = statements(coordinator, engine, url)
    delivered_history(db, programme, programme.rollout("Older"), 300, START + dt.timedelta(days=5))
    many, after = statements(coordinator, engine, url)
    assert "Counted History 0" in after and "Lay out" in after
    assert many == few, (few, many)


def test_a_workshop_page_offers_the_latest_agendas_to_copy(coordinator, db):
    programme = Programme(db)
    rollout = programme.rollout("Copies")
    target, *_others = programme.workshops(rollout, AGENDA_SOURCES + 5)
    html = coordinator.get(f"/workshops/{target.id}").get_data(as_text=True)
    form = html[html.index('name="source"') :]
    form = form[: form.index("</select>")]
    assert len(re.findall(r"<option ", form)) == AGENDA_SOURCES
    assert f"The latest {AGENDA_SOURCES} workshops with an agenda are offered." in html


def test_a_closed_workshop_offers_no_agenda_to_lay_out(coordinator, db, engine):
    programme = Programme(db)
    _open, delivered = programme.workshops(programme.rollout("Closed"), 2)
    html = coordinator.get(f"/workshops/{delivered.id}").get_data(as_text=True)
    assert delivered.status == "delivered"
    assert "Copy the agenda" not in html and 'name="plans"' not in html


def test_a_calendar_month_does_not_grow_with_its_workshops(coordinator, db, engine):
    programme = Programme(db)
    first, second = START, START + dt.timedelta(days=28)
    rollout = programme.rollout("Calendar")
    programme.workshops(rollout, 2, start=first, step=1)
    programme.workshops(rollout, 20, start=second, step=1)
    few, html = statements(coordinator, engine, f"/workshops/calendar?date={first}")
    many, busy = statements(coordinator, engine, f"/workshops/calendar?date={second}")
    assert len(set(re.findall(r"Counted Calendar \d+", busy))) >= 20
    assert many == few, (few, many)


def test_the_programme_report_does_not_grow_with_the_team_places(coordinator, db, engine):
    """Past 500 workshops with a team (the size of a batch of eager loading), loading
    the team places as objects took one more statement each time."""
    programme = Programme(db)
    rollout = programme.rollout("Report")
    programme.workshops(rollout, 2)
    db.flush()
    few, _html = statements(coordinator, engine, "/reports/")
    trainers = [make_trainer(db) for _ in range(3)]
    days = [START + dt.timedelta(days=n) for n in range(600)]
    db.execute(
        insert(Workshop),
        [
            {
                "rollout_id": rollout.id,
                "title": f"Team places {n}",
                "province_id": programme.provinces[0].id,
                "start_date": day,
                "end_date": day,
                "status": "delivered",
                "lock_version": 1,
            }
            for n, day in enumerate(days)
        ],
    )
    ids = db.scalars(select(Workshop.id).where(Workshop.title.like("Team places %")))
    db.execute(
        insert(Assignment),
        [
            {"workshop_id": w, "trainer_id": trainers[n % 3].id, "lock_version": 1}
            for n, w in enumerate(ids)
        ],
    )
    db.commit()
    many, html = statements(coordinator, engine, "/reports/")
    assert many == few, (few, many)
    assert html.count(trainers[0].given_name_latin) >= 1

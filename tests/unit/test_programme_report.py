"""The workshop and programme report on plain rows, with hand-computed expectations."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.permissions import SYSTEM
from curriculum.services.reports import RegistrationRow, summarise


def rows_665():
    """665 registrations in 32 events: 299 women, 361 men, 5 other; every person once."""
    sexes = ["female"] * 299 + ["male"] * 361 + ["other"] * 5
    return [RegistrationRow(event_id=n % 32, person_id=n, sex=s) for n, s in enumerate(sexes)]


def test_665_registrations_in_32_events():
    report = summarise(rows_665())
    assert (report.events, report.registrations, report.people) == (32, 665, 665)
    rows = {r.key: (r.count, r.percent) for r in report.by_sex.rows}
    assert rows == {
        "female": (299, Decimal("45.0")),
        "male": (361, Decimal("54.3")),
        "other": (5, Decimal("0.8")),
    }
    assert sum(count for count, _p in rows.values()) == report.registrations
    assert "may not add up to exactly 100%" in str(report.note)


def test_unknown_sex_gets_its_own_row():
    report = summarise(
        [
            RegistrationRow(1, 1, "female"),
            RegistrationRow(1, 2, None),
            RegistrationRow(1, 3, "not_recorded"),
            RegistrationRow(1, 4, "male"),
        ]
    )
    rows = {r.key: (r.count, r.percent) for r in report.by_sex.rows}
    assert rows["not_recorded"] == (2, Decimal("50.0"))
    assert rows["other"] == (0, Decimal("0.0"))


def test_people_are_counted_once_across_workshops():
    rows = [
        RegistrationRow(1, 7, "female"),
        RegistrationRow(2, 7, "female"),
        RegistrationRow(3, 7, "female"),
        RegistrationRow(3, 8, "male"),
    ]
    report = summarise(rows)
    assert (report.events, report.registrations, report.people) == (3, 4, 2)
    people = {r.key: r.count for r in report.people_by_sex.rows}
    assert people == {"female": 1, "male": 1, "other": 0}


def test_attendance_completion_scores_and_left_out_statuses():
    rows = [
        RegistrationRow(
            1, 1, "female", "PSC", "Bokeo", "Judge", "attended", 3, 3, Decimal(40), Decimal(75)
        ),
        RegistrationRow(
            1,
            2,
            "male",
            "MPS",
            "Bokeo",
            "Police officer",
            "attended",
            2,
            3,
            Decimal(50),
            Decimal(70),
        ),
        RegistrationRow(1, 3, "male", "MPS", "Bokeo", "Police officer", "registered", 0, 3),
        RegistrationRow(1, 4, "female", "OSPP", "Bokeo", "Prosecutor", "cancelled", 0, 3),
        RegistrationRow(1, 5, "female", "OSPP", "Bokeo", "Prosecutor", "waitlisted", 0, 3),
    ]
    report = summarise(rows)
    assert report.registrations == 3
    assert (report.attended, report.completed) == (2, 1)
    assert report.attendance_rate == Decimal("55.6")  # 5 of 9 person-days
    assert report.completion_rate == Decimal("33.3")
    assert (report.pre_mean, report.post_mean, report.score_change) == (
        Decimal("45.0"),
        Decimal("72.5"),
        Decimal("27.5"),
    )
    assert [(c.key, c.count) for c in report.by_institution] == [("MPS", 2), ("PSC", 1)]
    assert [(c.key, c.count) for c in report.by_position] == [("Police officer", 2), ("Judge", 1)]


registrations = st.lists(
    st.tuples(
        st.integers(0, 5),  # event
        st.integers(0, 30),  # person
        st.sampled_from(["female", "male", "other", None]),
        st.sampled_from(["registered", "attended", "cancelled", "waitlisted"]),
    ),
    max_size=120,
)


def half_up(count: int, total: int) -> Decimal:
    # 1 decimal, half up, computed another way: integer arithmetic on tenths of a percent
    thousandths = count * 1000 * 10 // total  # hundredths of a percent, truncated
    tenths, rest = divmod(thousandths, 10)
    if rest >= 5:
        tenths += 1
    return Decimal(tenths) / 10


@settings(max_examples=300, deadline=None)
@given(registrations)
def test_report_matches_a_straightforward_computation(items):
    # a person keeps one sex across registrations, as the database stores it once
    sex_of = {}
    rows = []
    for event, person, sex, status in items:
        sex = sex_of.setdefault(person, sex)
        rows.append(RegistrationRow(event, person, sex, status=status))
    report = summarise(rows)
    counted = [r for r in rows if r.status in ("registered", "attended")]
    assert report.registrations == len(counted)
    assert report.people == len({r.person_id for r in counted}) <= report.registrations
    assert report.events == len({r.event_id for r in counted})
    expected = Counter(r.sex or "not_recorded" for r in counted)
    shown = {r.key: r for r in report.by_sex.rows}
    assert sum(r.count for r in report.by_sex.rows) == report.registrations
    for key in ("female", "male", "other"):
        assert shown[key].count == expected[key]
    assert ("not_recorded" in shown) == (expected["not_recorded"] > 0)
    for row in report.by_sex.rows:
        if report.registrations:
            assert row.percent == half_up(row.count, report.registrations)
        else:
            assert row.percent is None


def test_rows_come_from_registrations_and_attendance(db):
    import datetime as dt

    from curriculum.models import Attendance, Participant, Registration
    from curriculum.services import workshops
    from curriculum.services.reports import report_rows
    from tests.conftest import institution

    start = dt.date(2027, 3, 2)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "R", "start_date": start, "end_date": start}
    )
    w = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "W",
            "province": "LA-BK",
            "start_date": start,
            "end_date": start + dt.timedelta(days=1),
        },
    )
    people = [
        Participant(
            given_name_latin="Noy",
            family_name_latin="S",
            sex="female",
            institution=institution(db, "PSC"),
        ),
        Participant(given_name_latin="Kham", family_name_latin="P", sex="not_recorded"),
    ]
    for n, person in enumerate(people):
        reg = Registration(
            workshop=w, participant=person, status="attended", pre_score=40 + n, post_score=60
        )
        reg.attendance = [
            Attendance(day=start, present=True),
            Attendance(day=start + dt.timedelta(days=1), present=n == 0),
        ]
        db.add(reg)
    db.flush()
    report = summarise(report_rows(db, workshop_id=w.id))
    assert (report.registrations, report.people, report.completed) == (2, 2, 1)
    assert report.attendance_rate == Decimal("75.0")
    assert {r.key: r.count for r in report.by_sex.rows}["not_recorded"] == 1
    assert [(c.key, c.count) for c in report.by_institution] == [("PSC", 1), ("—", 1)]
    assert report.score_change == Decimal("19.5")
    assert summarise(report_rows(db, province_code="LA-CH")).registrations == 0
    # provinces are named in the report's language, English where no Lao name is known
    assert [c.key for c in report.by_province] == ["Bokeo"]
    lao = summarise(report_rows(db, workshop_id=w.id, language="lo"))
    assert [c.key for c in lao.by_province] == ["ບໍ່ແກ້ວ"]

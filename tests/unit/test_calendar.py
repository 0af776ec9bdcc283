"""Calendar feeds (parsed back with icalendar) and Lao public holidays."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from curriculum.errors import NotFound, PermissionDenied
from curriculum.permissions import SYSTEM
from curriculum.services import calendar
from tests.conftest import DAY, add_session, make_trainer, make_user, make_workshop


def events(ics: bytes):
    cal = icalendar.Calendar.from_ical(ics)
    return cal, [c for c in cal.walk("VEVENT")]


def test_a_trainer_feed_has_one_event_per_session_in_vientiane_time(db):
    t, other = make_trainer(db), make_trainer(db)
    w = make_workshop(db)
    add_session(db, w, "08:30", "10:00", trainers=[t])
    add_session(db, w, "10:00", "10:15", kind="break")
    add_session(db, w, "13:30", "15:00", day=DAY + dt.timedelta(days=1), trainers=[t, other])
    add_session(db, w, "15:15", "16:30", trainers=[other])
    feed = calendar.issue_feed(db, SYSTEM, "trainer", t.id)
    cal, evs = events(calendar.calendar_ics(db, feed))
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Vientiane"]
    assert len(evs) == 2
    start = evs[0].decoded("DTSTART")
    assert start == dt.datetime(2027, 3, 2, 8, 30, tzinfo=calendar.ZONE)
    assert start.utcoffset() == dt.timedelta(hours=7)
    assert evs[0]["DTSTART"].params["TZID"] == "Asia/Vientiane"
    assert evs[1].decoded("DTEND") == dt.datetime(2027, 3, 3, 15, 0, tzinfo=calendar.ZONE)
    assert {str(e["UID"]) for e in evs} == {
        f"session-{s.id}@ctg-curriculum" for s in w.sessions if t in s.trainers
    }
    assert all(str(e["STATUS"]) == "TENTATIVE" for e in evs)


def test_sequence_rises_and_cancelled_sessions_say_so(db):
    t = make_trainer(db)
    w = make_workshop(db)
    s = add_session(db, w, "08:30", "10:00", trainers=[t])
    feed = calendar.issue_feed(db, SYSTEM, "rollout", w.rollout_id)
    _cal, [before] = events(calendar.calendar_ics(db, feed))
    s.start_time = dt.time(9, 0)
    db.flush()
    _cal, [after] = events(calendar.calendar_ics(db, feed))
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").time() == dt.time(9, 0)
    w.status = "cancelled"
    db.flush()
    _cal, [cancelled] = events(calendar.calendar_ics(db, feed))
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_a_revoked_token_finds_nothing(db):
    t = make_trainer(db)
    first = calendar.issue_feed(db, SYSTEM, "trainer", t.id)
    assert calendar.feed_by_token(db, first.token) is first
    second = calendar.issue_feed(db, SYSTEM, "trainer", t.id)  # a new address replaces the old
    with pytest.raises(NotFound):
        calendar.feed_by_token(db, first.token)
    assert calendar.revoke_feed(db, SYSTEM, "trainer", t.id) == 1
    with pytest.raises(NotFound):
        calendar.feed_by_token(db, second.token)
    with pytest.raises(NotFound):
        calendar.feed_by_token(db, "guess")


def test_only_the_trainer_or_staff_make_a_trainer_feed(db):
    own, other = make_trainer(db), make_trainer(db)
    user = make_user(db, "trainer", trainer_id=own.id)
    assert calendar.issue_feed(db, user, "trainer", own.id).trainer is own
    with pytest.raises(PermissionDenied):
        calendar.issue_feed(db, user, "trainer", other.id)
    with pytest.raises(PermissionDenied):
        calendar.issue_feed(db, user, "rollout", make_workshop(db).rollout_id)


def test_lao_holidays_and_weekends():
    days = calendar.non_working_days(dt.date(2027, 4, 12), dt.date(2027, 4, 18))
    assert "Lao New Year" in days[dt.date(2027, 4, 14)]
    assert dt.date(2027, 4, 17) in days and dt.date(2027, 4, 18) in days  # Saturday, Sunday
    assert dt.date(2027, 4, 12) not in days  # a Monday
    assert dt.date(2027, 12, 2) in calendar.holidays_between(
        dt.date(2027, 12, 1), dt.date(2027, 12, 31)
    )
    # named in Lao for a Lao page
    lao = calendar.non_working_days(dt.date(2027, 4, 12), dt.date(2027, 4, 18), "lo")
    assert lao[dt.date(2027, 4, 14)] == "ບຸນປີໃໝ່ລາວ"

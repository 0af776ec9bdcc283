"""Laying lesson plans out over a workshop's days."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.services.agenda import DEFAULT_DAY, PlanItem, lay_out

DAYS = [dt.date(2027, 3, 2), dt.date(2027, 3, 3), dt.date(2027, 3, 4)]


def plan(name, *minutes):
    return PlanItem(name, name, tuple((f"{name}.{i}", m) for i, m in enumerate(minutes, 1)))


def hm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def sessions(placed, ref=None):
    return [p for p in placed if p.kind == "session" and (ref is None or p.ref == ref)]


def test_plans_fill_the_blocks_in_order_and_breaks_stay_in_place():
    placed, problems = lay_out(DAYS, [plan("A", 30, 60), plan("B", 45, 70)])
    assert problems == []
    rows = [(p.day.day, hm(p.start), hm(p.end), p.kind, p.title) for p in placed]
    assert rows == [
        (2, "08:30", "10:00", "session", "A"),
        (2, "10:00", "10:15", "break", "Break"),
        (2, "10:15", "11:00", "session", "B"),  # B's 70-minute activity does not fit before 12:00
        (2, "12:00", "13:30", "lunch", "Lunch"),
        (2, "13:30", "14:40", "session", "B"),
        # no break at 15:00: nothing is taught after it
    ]
    assert [(p.part, p.parts) for p in sessions(placed, "B")] == [(1, 2), (2, 2)]


def test_breaks_stand_only_between_teaching_sessions():
    # the day's only session ends at 09:15: no break or lunch follows it
    placed, problems = lay_out(DAYS, [plan("A", 45)])
    assert problems == []
    assert [(hm(p.start), hm(p.end), p.kind) for p in placed] == [("08:30", "09:15", "session")]
    # teaching before and after the morning break, none after lunch
    placed, _ = lay_out(DAYS, [plan("A", 90), plan("B", 60)])
    assert [(hm(p.start), p.kind) for p in placed] == [
        ("08:30", "session"),
        ("10:00", "break"),
        ("10:15", "session"),
    ]


def test_a_plan_is_split_only_between_activities():
    placed, _ = lay_out(DAYS, [plan("A", 50, 50)])  # 100 minutes, the first block has 90
    a = sessions(placed, "A")
    assert [(hm(p.start), hm(p.end), p.activities) for p in a] == [
        ("08:30", "09:20", ["A.1"]),
        ("10:15", "11:05", ["A.2"]),
    ]


def test_a_plan_longer_than_a_day_continues_the_next_day():
    long = plan("Long", *([45] * 12))  # 540 minutes; a day teaches 90 + 105 + 90 + 75 = 360
    placed, problems = lay_out(DAYS, [long, plan("Next", 30)])
    assert problems == []
    days = sorted({p.day for p in sessions(placed, "Long")})
    assert days == DAYS[:2]
    assert sum(p.minutes for p in sessions(placed, "Long")) == 540
    next_session = sessions(placed, "Next")[0]
    assert next_session.day == DAYS[1]
    # breaks and lunch stay where the template puts them, between teaching sessions:
    # the second day's teaching ends at 14:00, so it has no afternoon break
    pauses = {
        day: [(hm(p.start), p.kind) for p in placed if p.day == day and p.kind != "session"]
        for day in DAYS[:2]
    }
    assert pauses[DAYS[0]] == [("10:00", "break"), ("12:00", "lunch"), ("15:00", "break")]
    assert pauses[DAYS[1]] == [("10:00", "break"), ("12:00", "lunch")]


def test_an_activity_longer_than_any_block_is_reported():
    placed, problems = lay_out(DAYS, [plan("A", 30, 120, 30)])
    assert len(problems) == 1 and "120 minutes" in problems[0] and "place it by hand" in problems[0]
    assert sum(p.minutes for p in sessions(placed)) == 60


def test_plans_that_do_not_fit_in_the_days_are_reported():
    placed, problems = lay_out(DAYS[:1], [plan("A", *([60] * 5)), plan("B", 30)])
    assert problems == [
        "“A” does not fit in the workshop's days.",
        "“B” does not fit in the workshop's days.",
    ]
    assert placed  # what fitted is kept


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(5, 90), min_size=1, max_size=8), min_size=1, max_size=6))
def test_total_minutes_equal_the_plans_durations_and_nothing_overlaps(plans):
    items = [plan(f"P{i}", *m) for i, m in enumerate(plans)]
    placed, problems = lay_out(DAYS, items)
    if problems:
        return  # more than three days of teaching: reported, checked above
    for item in items:
        assert sum(p.minutes for p in sessions(placed, item.ref)) == sum(
            m for _t, m in item.activities
        )
    for day in DAYS:
        today = sorted((p for p in placed if p.day == day), key=lambda p: p.start)
        for a, b in zip(today, today[1:], strict=False):
            assert a.end <= b.start
        if today:  # a day neither starts nor ends with a break or lunch
            assert today[0].kind == "session" and today[-1].kind == "session"
        for p in today:
            if p.kind == "session":  # a session lies inside one teaching block
                assert any(
                    b.kind == "session" and b.start <= p.start and p.end <= b.end
                    for b in DEFAULT_DAY
                )

"""The workshop check and the trainer picker on the real database (no Flask)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curriculum.models import Assignment, Workshop, WorkshopSession
from curriculum.services import scheduling
from curriculum.services.scheduling import Interval, overlapping_pairs
from tests.conftest import (
    DAY,
    add_session,
    make_qualification,
    make_trainer,
    make_unavailability,
    make_workshop,
    module,
    province,
)


def assign(db, workshop, *trainers):
    for t in trainers:
        db.add(Assignment(workshop=workshop, trainer=t, role="co_trainer"))
    db.flush()


def qualified_trainer(db, *codes, **values):
    t = make_trainer(db, **values)
    for code in codes or ("M04",):
        make_qualification(db, t, code)
    return t


def codes(problems, severity=None):
    return sorted(p.code for p in problems if severity in (None, p.severity))


@pytest.fixture
def team(db):
    """Three qualified trainers from three institutions, both sexes."""
    return [
        qualified_trainer(db, "M04", "M05", institution_short="PSC", sex="female"),
        qualified_trainer(db, "M04", "M05", institution_short="OSPP", sex="male"),
        qualified_trainer(db, "M04", "M05", institution_short="MPS", sex="male"),
    ]


def check(db, workshop):
    db.flush()
    db.expire_all()
    return scheduling.check_workshop(db, db.get(Workshop, workshop.id))


def test_a_good_plan_has_no_problem(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    add_session(db, w, "08:30", "10:00", trainers=team[:2])
    add_session(db, w, "10:00", "10:15", kind="break")
    add_session(db, w, "10:15", "12:00", trainers=team[1:], code="M05")
    assert check(db, w) == []


def test_a_trainer_not_qualified_for_the_module(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    unqualified = make_trainer(db)
    make_qualification(db, unqualified, "M05")
    assign(db, w, unqualified)
    add_session(db, w, "08:30", "10:00", code="M04", trainers=[unqualified])
    problems = check(db, w)
    assert codes(problems, "error") == ["not_qualified"]
    assert "not qualified to teach M04" in str(problems[0].message)
    # qualified for M05: no error there
    add_session(db, w, "10:00", "11:00", code="M05", trainers=[unqualified])
    assert codes(check(db, w), "error") == ["not_qualified"]


def test_sessions_that_touch_do_not_overlap_but_those_that_cross_do(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    add_session(db, w, "10:00", "12:00", trainers=[team[0]])
    add_session(db, w, "12:00", "13:00", trainers=[team[0]])
    assert codes(check(db, w), "error") == []
    add_session(db, w, "11:59", "12:30", trainers=[team[0]], title="Crossing")
    problems = check(db, w)
    assert codes(problems, "error") == ["double_booked", "double_booked"]


def test_double_booking_across_workshops_and_rollouts(db, team):
    w = make_workshop(db, province_code="LA-BK")
    other = make_workshop(db, province_code="LA-CH", title="Champasack workshop")
    assign(db, w, *team)
    add_session(db, w, "08:30", "10:00", trainers=[team[0]])
    add_session(db, other, "09:00", "09:30", trainers=[team[0]])
    problems = check(db, w)
    assert "double_booked" in codes(problems, "error")
    assert "Champasack workshop" in " ".join(str(p.message) for p in problems)
    # the other workshop cancelled: no longer a clash
    other.status = "cancelled"
    assert "double_booked" not in codes(check(db, w))


def test_a_teaching_session_without_a_trainer_is_an_error(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    add_session(db, w, "08:30", "10:00", trainers=[team[0]])
    add_session(db, w, "10:00", "10:15", kind="break")  # a break needs nobody
    empty = add_session(db, w, "10:15", "12:00", code="M05", title="Shelter and care")
    problems = check(db, w)
    assert codes(problems, "error") == ["no_trainer"]
    assert problems[0].session_id == empty.id
    assert (
        str(problems[0].message)
        == "“Shelter and care” (Tuesday 2 March 10:15–12:00) has no trainer."
    )
    # so the workshop cannot be confirmed
    assert scheduling.errors(problems)


def test_one_double_booking_is_one_message_naming_both_sessions_and_workshops(db, team):
    here = make_workshop(db, title="Bokeo workshop")
    there = make_workshop(db, province_code="LA-CH", title="Champasack workshop")
    assign(db, here, *team)
    assign(db, there, team[0])
    add_session(db, here, "08:30", "09:30", trainers=[team[1]], title="Concepts")
    add_session(db, here, "10:00", "12:00", trainers=[team[0]], title="Indicators")
    add_session(db, there, "11:00", "12:30", trainers=[team[0]], title="Interviewing victims")
    add_session(db, there, "13:30", "15:00", trainers=[team[1]], title="Shelter")
    problems = scheduling.errors(check(db, here))
    assert [str(p.message) for p in problems] == [
        f"{team[0].name_latin} is booked twice at once: “Indicators” (Tuesday 2 March "
        "10:00–12:00, Bokeo workshop) and “Interviewing victims” (Tuesday 2 March 11:00–12:30, "
        "Champasack workshop)."
    ]
    assert problems[0].trainer_id == team[0].id
    # the other workshop's check names the same pair from its side
    there_problems = scheduling.errors(check(db, there))
    assert len(there_problems) == 1
    assert "“Interviewing victims” (Tuesday 2 March 11:00–12:30, Champasack workshop) and " in str(
        there_problems[0].message
    )


def test_problems_of_many_workshops_are_counted_in_a_fixed_number_of_queries(db, team):
    from sqlalchemy import event

    rollout = make_workshop(db).rollout

    weeks = itertools.count(1)

    def workshops(n):
        made = []
        for _i in range(n):
            w = make_workshop(db, rollout, start=DAY + dt.timedelta(days=7 * next(weeks)))
            assign(db, w, *team)
            add_session(db, w, "08:30", "10:00", trainers=[team[len(made) % 3]])
            add_session(db, w, "10:15", "12:00")  # no trainer: one error each
            made.append(w)
        return made

    def counted(ids):
        db.expire_all()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.get_bind(), "before_cursor_execute", listener)
        try:
            tallies = scheduling.tally_workshops(db, scheduling.load_for_check(db, ids))
        finally:
            event.remove(db.get_bind(), "before_cursor_execute", listener)
        return tallies, len(statements)

    few = [w.id for w in workshops(2)]
    many = [w.id for w in workshops(12)]
    tallies, few_statements = counted(few)
    assert {t.errors for t in tallies.values()} == {1}
    tallies, many_statements = counted(few + many)
    assert len(tallies) == 14 and all(t.errors == 1 for t in tallies.values())
    assert many_statements == few_statements
    # the same problems as one workshop checked on its own
    w = db.get(Workshop, many[3])
    assert [p.message for p in check(db, w)] == [
        p.message for p in scheduling.check_workshops(db, [w])[w.id]
    ]


def test_being_on_two_teams_at_once_is_not_by_itself_a_clash(db, team):
    w = _good(db, team)
    other = make_workshop(db, days=3, province_code="LA-XI", title="Xieng Khouang")
    assign(db, other, *team)
    assert check(db, w) == []
    assert codes(check(db, other), "error") == []


def road(db, a, b):
    from curriculum.services.travel import travel_table

    return travel_table(db).minutes(province(db, a).id, province(db, b).id)


def test_touching_sessions_in_two_workshops_clash_never_but_need_the_road_between(db, team):
    """A trainer teaches 10:00-12:00 in Vientiane Capital and 12:00-13:30 in Luang Prabang:
    no error, and a warning that the road takes hours; one minute of overlap is one error
    naming the trainer and both sessions."""
    vientiane = make_workshop(db, province_code="LA-VT", title="Vientiane workshop")
    luang_prabang = make_workshop(db, province_code="LA-LP", title="Luang Prabang workshop")
    assign(db, vientiane, *team)
    assign(db, luang_prabang, *team)
    add_session(db, vientiane, "10:00", "12:00", trainers=[team[0]], title="Indicators")
    there = add_session(db, luang_prabang, "12:00", "13:30", trainers=[team[1]], title="Shelter")
    assert check(db, luang_prabang) == []
    # the picker offers team[0] for the session that starts as theirs ends
    offered = [p.trainer for p in scheduling.propose_trainers(db, there)]
    assert team[0] in offered

    there.trainers.append(team[0])
    for w in (vientiane, luang_prabang):
        problems = check(db, w)
        assert codes(problems, "error") == []
        assert codes(problems, "warning") == ["no_travel_time"]
    [warning] = check(db, luang_prabang)
    hours = road(db, "LA-VT", "LA-LP")
    assert hours and hours >= 60
    assert str(warning.message) == (
        f"{team[0].name_latin} cannot be in time: the road from Vientiane Capital to Luang "
        f"Prabang takes about {hours / 60:g} hours, between “Indicators” (Tuesday 2 March "
        "10:00–12:00, Vientiane workshop) and “Shelter” (Tuesday 2 March 12:00–13:30, "
        "Luang Prabang workshop)."
    )
    assert warning.trainer_id == team[0].id and warning.session_id == there.id

    there.start_time = dt.time(11, 59)
    problems = check(db, luang_prabang)
    assert codes(problems) == ["double_booked"]  # the clash, and no road warning besides
    errors = scheduling.errors(problems)
    message = str(errors[0].message)
    for named in (team[0].name_latin, "“Indicators”", "“Shelter”", "11:59–13:30"):
        assert named in message
    # the picker no longer offers team[0] for it, nor the Vientiane session's time
    there.trainers.remove(team[0])
    db.flush()
    assert team[0] not in [p.trainer for p in scheduling.propose_trainers(db, there)]


def test_a_workshop_confirms_once_its_clash_across_workshops_is_fixed(db, team):
    from curriculum.errors import ValidationError
    from curriculum.permissions import SYSTEM
    from curriculum.services import workshops

    vientiane = make_workshop(db, province_code="LA-VT", title="Vientiane workshop")
    luang_prabang = make_workshop(db, province_code="LA-LP", title="Luang Prabang workshop")
    assign(db, vientiane, *team)
    assign(db, luang_prabang, *team)
    add_session(db, vientiane, "10:00", "12:00", trainers=[team[0]])
    crossing = add_session(db, luang_prabang, "11:59", "13:30", trainers=[team[0], team[1]])
    with pytest.raises(ValidationError, match="booked twice"):
        workshops.change_status(db, SYSTEM, luang_prabang.id, "confirmed")
    crossing.start_time = dt.time(12, 0)  # touching now: a travel warning, no error
    check(db, luang_prabang)
    workshops.change_status(
        db, SYSTEM, luang_prabang.id, "confirmed", reason="Team 1 flies to Luang Prabang."
    )
    assert db.get(Workshop, luang_prabang.id).status == "confirmed"


def test_two_provinces_on_one_day_with_the_road_between_is_a_warning(db, team):
    capital = make_workshop(db, province_code="LA-VT")
    province_next_door = make_workshop(db, province_code="LA-VI")
    assign(db, capital, *team)
    add_session(db, capital, "08:30", "10:00", trainers=[team[0]], title="Morning")
    minutes = road(db, "LA-VT", "LA-VI")
    afternoon = (dt.datetime.combine(DAY, dt.time(10)) + dt.timedelta(minutes=minutes)).time()
    add_session(db, province_next_door, afternoon.strftime("%H:%M"), "17:00", trainers=[team[0]])
    problems = check(db, capital)
    assert codes(problems) == ["two_provinces_a_day"]
    assert "on the same day" in str(problems[0].message)
    # the next morning, with the night to drive: nothing to say
    db.expire_all()
    later = db.get(Workshop, province_next_door.id)
    later.start_date = later.end_date = DAY + dt.timedelta(days=1)
    for s in later.sessions:
        s.day = later.start_date
    assert check(db, capital) == []


def test_the_road_to_a_far_province_is_checked_across_days(db, team):
    """Attapeu at 16:30 and Phongsali at 08:30 the next morning cannot both be taught."""
    south = make_workshop(db, province_code="LA-AT")
    north = make_workshop(db, province_code="LA-PH", start=DAY + dt.timedelta(days=1))
    add_session(db, south, "15:00", "16:30", trainers=[team[0]])
    add_session(db, north, "08:30", "10:00", trainers=[team[0]])
    assert road(db, "LA-AT", "LA-PH") > 16 * 60
    assert codes(check(db, north)) == ["no_travel_time", "team_size"]
    assert codes(check(db, south)) == ["no_travel_time", "team_size"]


def test_no_travel_needed_in_the_same_province(db, team):
    w = _good(db, team)
    other = make_workshop(db, province_code="LA-BK")
    add_session(db, other, "12:00", "13:00", trainers=[team[0]])
    assert check(db, w) == []


def test_a_trainer_during_their_unavailability(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    make_unavailability(
        db,
        team[1],
        start_date=DAY + dt.timedelta(days=1),
        end_date=DAY + dt.timedelta(days=5),
        reason="Court hearing",
    )
    problems = check(db, w)
    assert codes(problems, "error") == ["unavailable"]
    assert "Court hearing" in str(problems[0].message)
    db.expire_all()
    for u in team[1].unavailabilities:
        u.start_date = DAY + dt.timedelta(days=2)  # starts the day after the workshop
    assert check(db, w) == []


def test_a_session_outside_the_workshop_dates(db, team):
    w = make_workshop(db, days=2)
    assign(db, w, *team)
    add_session(db, w, "08:30", "10:00", day=DAY + dt.timedelta(days=1), trainers=[team[0]])
    assert check(db, w) == []
    add_session(db, w, "08:30", "10:00", day=DAY + dt.timedelta(days=2), trainers=[team[1]])
    assert codes(check(db, w), "error") == ["outside_dates"]


def test_one_room_used_twice(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    add_session(db, w, "08:30", "10:00", trainers=[team[0]], room="Hall A")
    add_session(db, w, "10:00", "11:00", trainers=[team[1]], room="hall a")
    assert check(db, w) == []
    add_session(db, w, "10:30", "11:30", trainers=[team[2]], room="Hall A ")
    assert codes(check(db, w), "error") == ["room_clash"]
    add_session(db, w, "10:30", "11:30", trainers=[team[0]], room="Hall B", code="M05")
    assert codes(check(db, w), "error") == ["room_clash"]


@pytest.mark.parametrize("size, warned", [(1, True), (2, False), (4, False), (5, True)])
def test_team_size(db, size, warned):
    w = make_workshop(db)
    trainers = [
        qualified_trainer(db, institution_short=inst, sex=sex)
        for inst, sex in itertools.islice(
            itertools.cycle([("PSC", "female"), ("OSPP", "male"), ("MPS", "male")]), size
        )
    ]
    assign(db, w, *trainers)
    assert ("team_size" in codes(check(db, w))) == warned


def test_one_institution_and_one_sex(db):
    w = make_workshop(db)
    a = qualified_trainer(db, institution_short="PSC", sex="male")
    b = qualified_trainer(db, institution_short="PSC", sex="male")
    assign(db, w, a, b)
    assert codes(check(db, w)) == ["one_institution", "one_sex"]
    c = qualified_trainer(db, institution_short="MPS", sex="female")
    assign(db, w, c)
    assert check(db, w) == []


def test_more_than_five_hours_of_teaching_a_day(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    add_session(db, w, "08:00", "12:00", trainers=[team[0]])
    add_session(db, w, "13:00", "14:00", trainers=[team[0]])
    assert check(db, w) == []  # exactly five hours
    add_session(db, w, "14:00", "14:30", trainers=[team[0]])
    problems = check(db, w)
    assert codes(problems) == ["long_day"] and "5.5 hours" in str(problems[0].message)


def test_a_module_of_the_rollout_no_session_covers(db, team):
    w = make_workshop(db)
    w.rollout.modules = [module(db, "M04"), module(db, "M05")]
    assign(db, w, *team)
    add_session(db, w, "08:30", "10:00", code="M04", trainers=[team[0]])
    problems = check(db, w)
    assert codes(problems) == ["module_not_covered"] and "M05" in str(problems[0].message)
    add_session(db, w, "10:00", "11:00", code="M05", trainers=[team[1]])
    assert check(db, w) == []


def test_the_picker_proposes_qualified_free_trainers(db, team):
    w = make_workshop(db)
    assign(db, w, *team[:2])
    target = add_session(db, w, "08:30", "10:00", trainers=[team[0]])
    busy = qualified_trainer(db, given_name_latin="Busy")
    other = make_workshop(db, province_code="LA-CH")
    add_session(db, other, "09:30", "11:00", trainers=[busy])
    away = qualified_trainer(db, given_name_latin="Away")
    make_unavailability(db, away, start_date=DAY, end_date=DAY)
    unqualified = make_trainer(db, given_name_latin="Unqualified")
    make_qualification(db, unqualified, "M09")
    inactive = qualified_trainer(db, given_name_latin="Gone", status="inactive")
    proposed = [p.trainer for p in scheduling.propose_trainers(db, target)]
    assert team[1] in proposed and team[2] in proposed
    for t in (team[0], busy, away, unqualified, inactive):
        assert t not in proposed


def test_the_picker_reports_load_and_last_visit(db, team):
    earlier = make_workshop(
        db, start=DAY - dt.timedelta(days=40), province_code="LA-BK", status="delivered"
    )
    assign(db, earlier, team[1])
    # a workshop only planned (never delivered) is no visit
    planned = make_workshop(db, start=DAY - dt.timedelta(days=10), province_code="LA-BK")
    assign(db, planned, team[0])
    w = make_workshop(db)
    target = add_session(db, w, "08:30", "10:00")
    add_session(db, w, "13:00", "15:00", day=DAY + dt.timedelta(days=1), trainers=[team[2]])
    proposals = {p.trainer.id: p for p in scheduling.propose_trainers(db, target)}
    assert proposals[team[2].id].minutes_this_month == 120
    assert proposals[team[1].id].last_visit == earlier.end_date
    assert proposals[team[0].id].last_visit is None
    assert [p.trainer for p in scheduling.propose_trainers(db, target)][-1] == team[
        2
    ]  # most loaded last


# -- properties ---------------------------------------------------------------------------------

BASE = dt.datetime(2027, 3, 1)
intervals = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 48), st.integers(1, 12)), max_size=25
)


@settings(max_examples=400, deadline=None)
@given(items=intervals)
def test_overlaps_are_found_exactly_when_two_intervals_of_one_trainer_intersect(items):
    booked = [
        Interval(
            t, BASE + dt.timedelta(minutes=30 * s), BASE + dt.timedelta(minutes=30 * (s + n)), i
        )
        for i, (t, s, n) in enumerate(items)
    ]
    found = {frozenset((a.ref, b.ref)) for a, b in overlapping_pairs(booked)}
    oracle = {
        frozenset((a.ref, b.ref))
        for a, b in itertools.combinations(booked, 2)
        if a.trainer_id == b.trainer_id and a.start < b.end and b.start < a.end
    }
    assert found == oracle
    assert len(overlapping_pairs(booked)) == len(oracle)  # each pair once


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sessions=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 7), st.integers(1, 4), st.integers(0, 5)),
        min_size=1,
        max_size=8,
    )
)
def test_assigning_a_proposed_trainer_adds_no_error(db, sessions):
    """Random schedules over two workshops: whoever the picker proposes can be added."""
    pool = [
        qualified_trainer(db, institution_short=i)
        for i in ("PSC", "OSPP", "MPS", "MOJ", "LBA", "FLP")
    ]
    here = make_workshop(db, days=3)
    there = make_workshop(db, start=DAY + dt.timedelta(days=1), province_code="LA-CH")
    created = []
    for where, hour, length, who in sessions:
        workshop = here if where < 2 else there
        start = dt.time(8 + hour)
        end = dt.time(min(23, 8 + hour + length))
        created.append(
            add_session(
                db,
                workshop,
                start.isoformat(),
                end.isoformat(),
                day=workshop.start_date,
                trainers=[pool[who]],
            )
        )
    for target in [s for s in created if s.workshop is here]:
        before = {(p.code, str(p.message)) for p in scheduling.errors(check(db, here))}
        target = db.get(WorkshopSession, target.id)
        for proposal in scheduling.propose_trainers(db, target):
            target.trainers.append(proposal.trainer)
            db.flush()
            after = {(p.code, str(p.message)) for p in scheduling.errors(check(db, here))}
            assert after <= before, proposal.trainer.name_latin
            target = db.get(WorkshopSession, target.id)
            target.trainers.remove(proposal.trainer)
            db.flush()
    db.rollback()


def test_a_message_names_days_and_workshops_in_the_readers_language(db, team):
    from curriculum import i18n

    here = make_workshop(db, title="Bokeo workshop")
    here.title_lo = "ກອງປະຊຸມບໍ່ແກ້ວ"
    assign(db, here, *team)
    add_session(db, here, "08:30", "10:00", trainers=[team[0]], title="Indicators")
    add_session(db, here, "09:00", "09:30", trainers=[team[0]], title="Crossing")
    [problem] = scheduling.errors(check(db, here))
    assert "Tuesday 2 March 08:30–10:00, Bokeo workshop" in str(problem.message)
    with i18n.reading_in("lo"):
        lao = str(problem.message)
    assert "ວັນອັງຄານ 2 ມີນາ 08:30–10:00, ກອງປະຊຸມບໍ່ແກ້ວ" in lao
    assert "ສົມໃຈ ພົມມະສອນ" in lao  # the trainer's Lao name


# -- each rule on its own ----------------------------------------------------------------------
# For every rule of scheduling.RULES, a plan that breaks that rule: the rule alone finds
# exactly the codes given, and finds nothing on a good plan.


def _good(db, team):
    w = make_workshop(db)
    assign(db, w, *team)
    add_session(db, w, "08:30", "10:00", trainers=team[:2])
    add_session(db, w, "10:15", "12:00", trainers=team[1:], code="M05")
    return w


def _outside_dates(db, team):
    w = _good(db, team)
    add_session(db, w, "08:30", "10:00", day=DAY + dt.timedelta(days=5), trainers=team[:1])
    return w


def _no_trainer(db, team):
    w = _good(db, team)
    add_session(db, w, "13:00", "14:00")
    return w


def _not_qualified(db, team):
    w = _good(db, team)
    add_session(db, w, "13:00", "14:00", code="M07", trainers=team[:1])
    return w


def _double_booked(db, team):
    w = _good(db, team)
    add_session(db, w, "09:00", "09:30", code="M05", trainers=team[:1])
    return w


def _far_apart(db, team):
    w = _good(db, team)  # Bokeo, 08:30-12:00
    elsewhere = make_workshop(db, province_code="LA-HO", title="Elsewhere")
    add_session(db, elsewhere, "13:00", "14:00", trainers=team[:1])  # Houaphan, an hour later
    near = make_workshop(db, province_code="LA-LM", title="Near")
    add_session(db, near, "05:00", "06:00", trainers=team[2:3])  # Luang Namtha, time to drive
    return w


def _unavailable(db, team):
    w = _good(db, team)
    make_unavailability(db, team[2], start_date=DAY, end_date=DAY, reason="Court hearing")
    return w


def _room_clash(db, team):
    w = _good(db, team)
    add_session(db, w, "13:00", "14:00", trainers=team[:1], room="Hall A")
    add_session(db, w, "13:30", "14:30", code="M05", trainers=team[1:2], room="hall a")
    return w


def _small_team(db, team):
    w = make_workshop(db)
    assign(db, w, team[0])
    add_session(db, w, "08:30", "10:00", trainers=team[:1])
    return w


def _uniform_team(db, team):
    same = [qualified_trainer(db, institution_short="MPS", sex="male") for _ in range(2)]
    w = make_workshop(db)
    assign(db, w, *same)
    add_session(db, w, "08:30", "10:00", trainers=same)
    return w


def _long_day(db, team):
    w = _good(db, team)
    add_session(db, w, "13:00", "17:00", trainers=team[1:2])
    return w


def _module_missing(db, team):
    w = _good(db, team)
    w.rollout.modules = [module(db, "M04"), module(db, "M06")]
    return w


RULE_CASES = {
    "sessions_within_dates": (_outside_dates, ["outside_dates"]),
    "someone_teaches": (_no_trainer, ["no_trainer"]),
    "trainers_qualified": (_not_qualified, ["not_qualified"]),
    "one_place_at_a_time": (_double_booked, ["double_booked"]),
    "time_to_travel": (_far_apart, ["no_travel_time", "two_provinces_a_day"]),
    "trainers_available": (_unavailable, ["unavailable"]),
    "one_session_per_room": (_room_clash, ["room_clash"]),
    "team_size": (_small_team, ["team_size"]),
    "team_mixed": (_uniform_team, ["one_institution", "one_sex"]),
    "days_not_too_long": (_long_day, ["long_day"]),
    "rollout_modules_covered": (_module_missing, ["module_not_covered"]),
}


def test_every_rule_has_a_case():
    assert [rule.__name__ for rule in scheduling.RULES] == list(RULE_CASES)


@pytest.mark.parametrize("rule", scheduling.RULES, ids=lambda rule: rule.__name__)
def test_each_rule_finds_its_own_problem(db, team, rule):
    build, expected = RULE_CASES[rule.__name__]
    broken = build(db, team)
    db.flush()
    db.expire_all()
    assert codes(rule(scheduling.facts(db, db.get(Workshop, broken.id)))) == expected


@pytest.mark.parametrize("rule", scheduling.RULES, ids=lambda rule: rule.__name__)
def test_each_rule_finds_nothing_on_a_good_plan(db, team, rule):
    good = _good(db, team)
    db.flush()
    assert list(rule(scheduling.facts(db, good))) == []

"""The rules of a lesson plan on plain values: timeline, checks, builder operations, review."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.errors import PermissionDenied, ValidationError
from curriculum.services import lesson_rules as rules
from curriculum.services.lesson_rules import Step

LECTURE = dict(lecture=True, participatory=False)


def codes(problems, severity=None):
    return [p.code for p in problems if severity in (None, p.severity)]


def test_timeline_gives_start_and_end_of_each_activity():
    slots = rules.timeline([10, 25, 40, 15])
    assert [(s.number, s.start, s.end) for s in slots] == [
        (1, 0, 10),
        (2, 10, 35),
        (3, 35, 75),
        (4, 75, 90),
    ]
    assert rules.timeline([]) == []


def test_minutes_must_add_up_to_the_duration():
    served = frozenset({1})
    ok = rules.check_plan(90, 1, [Step(45, serves=served), Step(45, serves=served)])
    assert ok == []
    short = rules.check_plan(90, 1, [Step(45, serves=served), Step(40, serves=served)])
    assert codes(short) == ["minutes"]
    assert short[0].is_error
    assert "85" in str(short[0].message) and "5 minutes still to plan" in str(short[0].message)
    long = rules.check_plan(90, 1, [Step(60, serves=served), Step(40, serves=served)])
    assert "10 minutes too many" in str(long[0].message)
    assert codes(rules.check_plan(90, 0, [])) == ["minutes"]


def test_an_objective_no_activity_serves_is_an_error():
    problems = rules.check_plan(
        30, 3, [Step(15, serves=frozenset({1})), Step(15, serves=frozenset({3}))]
    )
    assert [(p.code, p.severity, p.objective) for p in problems] == [
        ("objective_unserved", "error", 2)
    ]


def test_an_activity_serving_no_objective_is_a_warning():
    problems = rules.check_plan(30, 1, [Step(15, serves=frozenset({1})), Step(15)])
    assert [(p.code, p.severity, p.activity) for p in problems] == [
        ("activity_no_objective", "warning", 2)
    ]


def test_more_than_thirty_minutes_of_lecture_in_a_row_is_a_warning():
    s = frozenset({1})
    exactly_thirty = [
        Step(20, serves=s, **LECTURE),
        Step(10, serves=s, **LECTURE),
        Step(30, serves=s),
    ]
    assert rules.check_plan(60, 1, exactly_thirty) == []
    too_long = [Step(20, serves=s, **LECTURE), Step(15, serves=s, **LECTURE), Step(25, serves=s)]
    problems = rules.check_plan(60, 1, too_long)
    assert [(p.code, p.severity, p.activity) for p in problems] == [
        ("lecture_streak", "warning", 2)
    ]
    # a participatory activity in between resets the count
    broken = [Step(25, serves=s, **LECTURE), Step(10, serves=s), Step(25, serves=s, **LECTURE)]
    assert rules.check_plan(60, 1, broken) == []
    # a second streak gets its own warning
    twice = [Step(35, serves=s, **LECTURE), Step(5, serves=s), Step(35, serves=s, **LECTURE)]
    assert [p.activity for p in rules.check_plan(75, 1, twice)] == [1, 3]


def test_a_plan_with_nothing_participatory_is_warned():
    s = frozenset({1})
    passive = [
        Step(20, serves=s, **LECTURE),
        Step(10, serves=s, lecture=False, participatory=False),
    ]
    assert codes(rules.check_plan(30, 1, passive), "warning") == ["not_participatory"]


def test_only_minutes_and_unserved_objectives_are_errors():
    s = frozenset({1})
    problems = rules.check_plan(100, 2, [Step(40, serves=s, **LECTURE), Step(20, **LECTURE)])
    assert sorted(codes(problems, "error")) == ["minutes", "objective_unserved"]
    assert sorted(codes(problems, "warning")) == [
        "activity_no_objective",
        "lecture_streak",
        "not_participatory",
    ]
    assert rules.errors(problems) == [p for p in problems if p.severity == "error"]


def test_builder_operations():
    items = ["a", "b", "c"]
    assert rules.apply_operation(items, "up:1", lambda: "x") == ["b", "a", "c"]
    assert rules.apply_operation(items, "up:0", lambda: "x") == items
    assert rules.apply_operation(items, "down:2", lambda: "x") == items
    assert rules.apply_operation(items, "down:0", lambda: "x") == ["b", "a", "c"]
    assert rules.apply_operation(items, "delete:1", lambda: "x") == ["a", "c"]
    assert rules.apply_operation(items, "delete:7", lambda: "x") == items
    assert rules.apply_operation(items, "add", lambda: "x") == ["a", "b", "c", "x"]
    assert rules.apply_operation(items, "add:1", lambda: "x") == ["a", "x", "b", "c"]
    assert rules.apply_operation(items, "move:0:2", lambda: "x") == ["b", "c", "a"]
    assert rules.apply_operation(items, "bogus:1", lambda: "x") == items
    assert rules.apply_operation(items, "up:one", lambda: "x") == items
    assert items == ["a", "b", "c"]  # never changed in place


operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 40), st.integers(1, 120)),
        st.tuples(st.sampled_from(["up", "down", "delete"]), st.integers(0, 40), st.just(0)),
        st.tuples(st.just("move"), st.integers(0, 40), st.integers(0, 40)),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(start=st.lists(st.integers(1, 120), max_size=10), ops=operations)
def test_random_edits_keep_positions_contiguous_and_minutes_adding_up(start, ops):
    items = [{"uid": i, "minutes": m} for i, m in enumerate(start)]
    expected = {i: m for i, m in enumerate(start)}
    next_uid = len(start)
    for name, a, b in ops:
        if name == "add":
            uid, minutes = next_uid, b
            next_uid += 1
            items = rules.apply_operation(
                items, f"add:{a}", lambda uid=uid, minutes=minutes: {"uid": uid, "minutes": minutes}
            )
            expected[uid] = minutes
        elif name == "move":
            items = rules.apply_operation(items, f"move:{a}:{b}", dict)
        else:
            if name == "delete" and a < len(items):
                del expected[items[a]["uid"]]
            items = rules.apply_operation(items, f"{name}:{a}", dict)
        slots = rules.timeline(i["minutes"] for i in items)
        assert [s.number for s in slots] == list(range(1, len(items) + 1))
        assert all(x.end == y.start for x, y in zip(slots, slots[1:], strict=False))
        assert (slots[-1].end if slots else 0) == sum(expected.values())
        assert sorted(i["uid"] for i in items) == sorted(expected)


ALL = ("submit", "withdraw", "approve", "request_changes", "retire", "reinstate")
ALLOWED = {
    # (status, action): (new status, who may)
    ("draft", "submit"): ("in_review", rules.AUTHOR),
    ("in_review", "withdraw"): ("draft", rules.AUTHOR),
    ("in_review", "approve"): ("approved", rules.REVIEWER),
    ("in_review", "request_changes"): ("draft", rules.REVIEWER),
    ("approved", "retire"): ("retired", rules.REVIEWER),
    ("retired", "reinstate"): ("approved", rules.REVIEWER),
}


@pytest.mark.parametrize("status", ["draft", "in_review", "approved", "retired"])
@pytest.mark.parametrize("action", ALL)
@pytest.mark.parametrize(
    "standing", [set(), {rules.AUTHOR}, {rules.REVIEWER}], ids=["nobody", "author", "reviewer"]
)
def test_every_transition_and_who_may_take_it(status, action, standing):
    allowed = ALLOWED.get((status, action))
    who = rules.TRANSITIONS[action].by
    if who not in standing:
        with pytest.raises(PermissionDenied):
            rules.next_status(status, action, standing)
    elif allowed is None:
        with pytest.raises(ValidationError):
            rules.next_status(status, action, standing)
    else:
        assert rules.next_status(status, action, standing) == allowed[0]
        assert allowed[1] in standing
    assert (action in rules.available_actions(status, standing)) == (
        allowed is not None and allowed[1] in standing
    )


def test_a_plan_with_errors_cannot_be_submitted():
    with pytest.raises(ValidationError, match="Fix the errors"):
        rules.next_status("draft", "submit", {rules.AUTHOR}, has_errors=True)
    # ...but warnings alone do not stop it, and it can still be saved as a draft
    assert rules.next_status("draft", "submit", {rules.AUTHOR}, has_errors=False) == "in_review"


def test_unknown_action_is_refused():
    with pytest.raises(ValidationError):
        rules.next_status("draft", "publish", {rules.AUTHOR, rules.REVIEWER})


# -- each plan rule on its own --------------------------------------------------------------


def _facts(duration=60, objectives=1, *steps):
    from curriculum.services.lesson_rules import PlanFacts

    return PlanFacts(duration, objectives, steps)


def _codes(rule, plan):
    return [p.code for p in rule(plan)]


def test_rule_minutes_add_up():
    from curriculum.services.lesson_rules import Step, minutes_add_up

    assert _codes(minutes_add_up, _facts(60, 1, Step(60, serves=frozenset({1})))) == []
    assert _codes(minutes_add_up, _facts(60, 1, Step(50))) == ["minutes"]
    assert _codes(minutes_add_up, _facts(60, 1, Step(70))) == ["minutes"]


def test_rule_every_objective_served():
    from curriculum.services.lesson_rules import Step, every_objective_served

    plan = _facts(60, 3, Step(30, serves=frozenset({1})), Step(30, serves=frozenset({3})))
    assert [p.objective for p in every_objective_served(plan)] == [2]


def test_rule_every_activity_serves():
    from curriculum.services.lesson_rules import Step, every_activity_serves

    plan = _facts(60, 1, Step(30, serves=frozenset({1})), Step(30))
    assert [p.activity for p in every_activity_serves(plan)] == [2]


def test_rule_lecture_breaks_once_per_streak():
    from curriculum.services.lesson_rules import Step, lecture_breaks

    lecture = Step(20, lecture=True, participatory=False)
    group = Step(10)
    plan = _facts(110, 1, lecture, lecture, lecture, group, lecture, lecture)
    assert [p.activity for p in lecture_breaks(plan)] == [2, 6]
    assert list(lecture_breaks(_facts(40, 1, lecture, group, lecture))) == []


def test_rule_something_participatory():
    from curriculum.services.lesson_rules import Step, something_participatory

    talk = Step(30, lecture=True, participatory=False)
    assert _codes(something_participatory, _facts(30, 1, talk)) == ["not_participatory"]
    assert _codes(something_participatory, _facts(60, 1, talk, Step(30))) == []
    assert _codes(something_participatory, _facts(60, 1)) == []  # no activity yet


def test_check_plan_is_the_rules_in_order():
    from curriculum.services.lesson_rules import RULES, Step, check_plan

    steps = (Step(40, lecture=True, participatory=False),)
    expected = [p.code for rule in RULES for p in rule(_facts(60, 2, *steps))]
    assert [p.code for p in check_plan(60, 2, steps)] == expected
    assert expected == ["minutes", "objective_unserved", "objective_unserved",
                        "activity_no_objective", "lecture_streak", "not_participatory"]  # fmt: skip

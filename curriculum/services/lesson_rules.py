"""The rules of a lesson plan, on plain values (no database, no Flask).

- the timeline: each activity's start and end minute;
- what is off with a plan: errors (minutes that do not add up to the duration, an
  objective no activity serves) and warnings (an activity serving no objective,
  more than 30 minutes of lecture in a row, nothing participatory);
- the list operations of the builder (add, move, delete), which keep positions
  contiguous;
- the review state machine and who may take each step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..errors import PermissionDenied, ValidationError
from ..i18n import Message, _
from ..vocabulary import Severity

LECTURE_LIMIT = 30

T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """What the rules need to know about one activity."""

    minutes: int
    lecture: bool = False
    participatory: bool = True
    serves: frozenset[int] = frozenset()  # objective numbers, 1-based
    title: str = ""


@dataclass(frozen=True)
class Slot:
    number: int  # 1-based
    start: int
    end: int


def timeline(minutes: Iterable[int]) -> list[Slot]:
    """Start and end minute of each activity, counted from the start of the session."""
    slots = []
    start = 0
    for number, m in enumerate(minutes, start=1):
        slots.append(Slot(number, start, start + m))
        start += m
    return slots


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: Message
    activity: int | None = None  # 1-based activity number
    objective: int | None = None  # 1-based objective number

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class PlanFacts:
    """What the plan rules look at: its length, its number of objectives, its activities."""

    duration: int
    objectives: int
    steps: Sequence[Step]


def minutes_add_up(plan: PlanFacts) -> Iterator[Problem]:
    """The activities fill the plan's duration exactly (error)."""
    total = sum(s.minutes for s in plan.steps)
    difference = plan.duration - total
    if difference > 0:
        message = _(
            "The activities take %(total)d minutes; the plan lasts %(duration)d "
            "(%(left)d minutes still to plan).",
            total=total,
            duration=plan.duration,
            left=difference,
        )
    elif difference < 0:
        message = _(
            "The activities take %(total)d minutes; the plan lasts %(duration)d "
            "(%(left)d minutes too many).",
            total=total,
            duration=plan.duration,
            left=-difference,
        )
    else:
        return
    yield Problem("minutes", Severity.ERROR, message)


def every_objective_served(plan: PlanFacts) -> Iterator[Problem]:
    """Every objective is served by at least one activity (error)."""
    served = set().union(*(s.serves for s in plan.steps)) if plan.steps else set()
    for number in range(1, plan.objectives + 1):
        if number not in served:
            yield Problem(
                "objective_unserved",
                Severity.ERROR,
                _("No activity serves objective %(n)d.", n=number),
                objective=number,
            )


def every_activity_serves(plan: PlanFacts) -> Iterator[Problem]:
    """Every activity serves an objective (warning)."""
    for number, step in enumerate(plan.steps, start=1):
        if not step.serves:
            yield Problem(
                "activity_no_objective",
                Severity.WARNING,
                _("Activity %(n)d serves no objective.", n=number),
                activity=number,
            )


def lecture_breaks(plan: PlanFacts) -> Iterator[Problem]:
    """No more than LECTURE_LIMIT minutes of lecture in a row (warning, once per streak)."""
    streak = 0
    flagged = False
    for number, step in enumerate(plan.steps, start=1):
        if not step.lecture:
            streak, flagged = 0, False
            continue
        streak += step.minutes
        if streak > LECTURE_LIMIT and not flagged:
            flagged = True
            yield Problem(
                "lecture_streak",
                Severity.WARNING,
                _(
                    "%(minutes)d minutes of lecture in a row by activity %(n)d; "
                    "break it up with something participatory (at most %(limit)d).",
                    minutes=streak,
                    n=number,
                    limit=LECTURE_LIMIT,
                ),
                activity=number,
            )


def something_participatory(plan: PlanFacts) -> Iterator[Problem]:
    """At least one activity is participatory (warning)."""
    if plan.steps and not any(s.participatory for s in plan.steps):
        yield Problem(
            "not_participatory",
            Severity.WARNING,
            _("No activity is participatory: add group work, a case study, a discussion..."),
        )


# The plan rules, in the order their problems are listed.
RULES: tuple[Callable[[PlanFacts], Iterator[Problem]], ...] = (
    minutes_add_up,
    every_objective_served,
    every_activity_serves,
    lecture_breaks,
    something_participatory,
)


def check_plan(duration: int, objectives: int, steps: Sequence[Step]) -> list[Problem]:
    """Everything that is off with a plan of ``duration`` minutes and ``objectives`` objectives."""
    plan = PlanFacts(duration, objectives, steps)
    return [problem for rule in RULES for problem in rule(plan)]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


# -- builder operations -----------------------------------------------------------------------


def move(items: list[T], index: int, new_index: int) -> list[T]:
    """``items`` with the item at ``index`` moved to ``new_index`` (both clamped)."""
    items = list(items)
    if not items or not 0 <= index < len(items):
        return items
    new_index = max(0, min(len(items) - 1, new_index))
    item = items.pop(index)
    items.insert(new_index, item)
    return items


def insert(items: list[T], index: int, item: T) -> list[T]:
    items = list(items)
    items.insert(max(0, min(len(items), index)), item)
    return items


def delete(items: list[T], index: int) -> list[T]:
    items = list(items)
    if 0 <= index < len(items):
        del items[index]
    return items


def apply_operation(items: list[T], operation: str, new_item: Callable[[], T]) -> list[T]:
    """Apply a builder button: ``add``, ``up:N``, ``down:N``, ``delete:N`` or ``move:N:M``.

    N and M are 0-based positions in ``items``; an unknown operation changes nothing.
    """
    name, _sep, rest = (operation or "").partition(":")
    try:
        args = [int(x) for x in rest.split(":")] if rest else []
    except ValueError:
        return list(items)
    if name == "add":
        return insert(items, args[0] if args else len(items), new_item())
    if name == "up" and len(args) == 1:
        return move(items, args[0], args[0] - 1)
    if name == "down" and len(args) == 1:
        return move(items, args[0], args[0] + 1)
    if name == "delete" and len(args) == 1:
        return delete(items, args[0])
    if name == "move" and len(args) == 2:
        return move(items, args[0], args[1])
    return list(items)


# -- review state machine -----------------------------------------------------------------------

AUTHOR = "author"
REVIEWER = "reviewer"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    by: str  # AUTHOR or REVIEWER


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({"draft"}), "in_review", AUTHOR),
    "withdraw": Transition(frozenset({"in_review"}), "draft", AUTHOR),
    "approve": Transition(frozenset({"in_review"}), "approved", REVIEWER),
    "request_changes": Transition(frozenset({"in_review"}), "draft", REVIEWER),
    "retire": Transition(frozenset({"approved"}), "retired", REVIEWER),
    "reinstate": Transition(frozenset({"retired"}), "approved", REVIEWER),
}


def next_status(status: str, action: str, standing: Iterable[str], *, has_errors=False) -> str:
    """The status after ``action``; refused when the plan's status or the actor's standing
    (``author`` and/or ``reviewer`` of this plan) does not allow it."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError({None: [_("Unknown action.")]})
    if transition.by not in set(standing):
        raise PermissionDenied(
            _("Only the plan's authors can do this.")
            if transition.by == AUTHOR
            else _(
                "Only a reviewer can do this: a coordinator or a master trainer of the module, "
                "and never an author of the plan."
            )
        )
    if status not in transition.sources:
        raise ValidationError(
            {None: [_("This cannot be done to a plan that is %(status)s.", status=status)]}
        )
    if action == "submit" and has_errors:
        raise ValidationError(
            {None: [_("Fix the errors listed on the plan before submitting it for review.")]}
        )
    return transition.target


# The actions that move a plan forward; the page shows them as the main buttons.
FORWARD_ACTIONS = frozenset({"submit", "approve"})


def available_actions(status: str, standing: Iterable[str]) -> list[str]:
    standing = set(standing)
    return [name for name, t in TRANSITIONS.items() if status in t.sources and t.by in standing]

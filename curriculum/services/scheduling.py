"""Checks a workshop's plan and proposes free, qualified trainers.

:func:`check_workshop` returns every problem with its reason, each a blocking
error or a warning:

errors
    a teaching session with no trainer; a trainer in a session of a module they are
    not qualified for; a trainer in two sessions that overlap in time (on the real
    times, across workshops and rollouts); a trainer during their unavailability; a
    session outside the workshop's dates; two sessions of one room that overlap.
warnings
    a trainer teaching in two provinces on one day, or without the road time between
    two provinces (the travel table) from one session to the next; fewer than 2 or
    more than 4 trainers; all trainers from one institution or of one sex; a trainer
    teaching more than 5 hours a day; a module of the rollout that no session covers.

Being on two teams is not by itself a clash: only sessions are. Intervals are
half-open: a session ending at 12:00 and one starting at 12:00 do not overlap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..i18n import Message, Named, _, named
from ..localise import Day, Moment
from ..models import (
    MAX_TRAVEL_MINUTES,
    Assignment,
    LessonPlan,
    Module,
    Qualification,
    Rollout,
    Trainer,
    Unavailability,
    Workshop,
    WorkshopSession,
)
from ..models.workshops import session_trainers
from ..vocabulary import Response, SessionKind, Severity, TrainerStatus, WorkshopStatus
from .travel import TravelTable, travel_table

MIN_TEAM = 2
MAX_TEAM = 4
MAX_TEACHING_MINUTES_A_DAY = 5 * 60
# Sessions this many days around a checked workshop can be a trip away from it (the travel
# table's longest road is two days).
TRAVEL_DAYS = -(-MAX_TRAVEL_MINUTES // (24 * 60))


R = TypeVar("R")


@dataclass(frozen=True)
class Interval(Generic[R]):
    """One booking of one trainer: [start, end); ``ref`` is what is booked (a session)."""

    trainer_id: int
    start: dt.datetime
    end: dt.datetime
    ref: R


def overlapping_pairs(intervals: Iterable[Interval[R]]) -> list[tuple[Interval[R], Interval[R]]]:
    """Every pair of one trainer's intervals that intersect (a sweep per trainer)."""
    by_trainer: dict[int, list[Interval[R]]] = defaultdict(list)
    for interval in intervals:
        by_trainer[interval.trainer_id].append(interval)
    pairs: list[tuple[Interval[R], Interval[R]]] = []
    for items in by_trainer.values():
        items.sort(key=lambda i: (i.start, i.end))
        active: list[Interval[R]] = []
        for item in items:
            active = [a for a in active if a.end > item.start]
            pairs.extend((a, item) for a in active)
            active.append(item)
    return pairs


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: Message
    trainer_id: int | None = None
    session_id: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


def module_id_of(s: WorkshopSession) -> int | None:
    """The module a session teaches: its own, or its lesson plan's."""
    if s.module_id is not None:
        return s.module_id
    return s.lesson_plan.module_id if s.lesson_plan is not None else None


def _module(s: WorkshopSession) -> Module | None:
    """The module that ``s`` teaches: its own, or its lesson plan's (as :func:`module_id_of`)."""
    if s.module is not None:
        return s.module
    return s.lesson_plan.module if s.lesson_plan is not None else None


def _team(workshop: Workshop) -> list[Assignment]:
    return [a for a in workshop.assignments if a.response != Response.DECLINED]


def _when(s: WorkshopSession) -> str:
    return Moment(s.day, f"{s.start_time:%H:%M}–{s.end_time:%H:%M}")


def _name(t: Trainer) -> str:
    return Named(t.name_latin, t.name_lao)


def check_workshop(db: Session, workshop: Workshop) -> list[Problem]:
    """Every problem of ``workshop``'s plan, errors first."""
    return check_workshops(db, [workshop])[workshop.id]


@dataclass(frozen=True)
class Tally:
    errors: int
    warnings: int


def tally_workshops(db: Session, workshops: Iterable[Workshop]) -> dict[int, Tally]:
    """How many errors and warnings each workshop has (one batch of queries for all)."""
    return {
        workshop_id: Tally(sum(p.is_error for p in problems), sum(not p.is_error for p in problems))
        for workshop_id, problems in check_workshops(db, workshops).items()
    }


def load_for_check(db: Session, workshop_ids: Iterable[int]) -> list[Workshop]:
    """Workshops with everything :func:`check_workshops` reads, in a fixed number of queries."""
    return list(db.scalars(for_check(select(Workshop).where(Workshop.id.in_(set(workshop_ids))))))


def for_check(query):
    """``query`` of workshops loading everything :func:`check_workshops` reads with them."""
    return query.options(
        selectinload(Workshop.sessions).selectinload(WorkshopSession.trainers),
        selectinload(Workshop.sessions).selectinload(WorkshopSession.module),
        selectinload(Workshop.sessions)
        .selectinload(WorkshopSession.lesson_plan)
        .selectinload(LessonPlan.module),
        selectinload(Workshop.assignments)
        .selectinload(Assignment.trainer)
        .selectinload(Trainer.institution),
        selectinload(Workshop.rollout).selectinload(Rollout.modules),
        selectinload(Workshop.province),
    )


@dataclass
class _Context:
    """What the checks of a batch of workshops share: one query each."""

    qualified: set[tuple[int, int]]
    sessions_of: dict[int, list[WorkshopSession]]  # trainer id -> their sessions anywhere
    unavailable: list[Unavailability]
    travel: TravelTable


def _context(db: Session, workshops: list[Workshop]) -> _Context:
    trainer_ids: set[int] = set()
    for w in workshops:
        trainer_ids |= {a.trainer_id for a in w.assignments}
        trainer_ids |= {t.id for s in w.sessions for t in s.trainers}
    if not trainer_ids:
        return _Context(set(), {}, [], TravelTable({}))
    # Only what lies near the checked workshops can clash with them: sessions on their days
    # (or the days of their own sessions, which may lie outside their dates) and within a
    # trip of them. The rest of the programme's history is not read.
    start = min(w.start_date for w in workshops)
    end = max(w.end_date for w in workshops)
    days = [s.day for w in workshops for s in w.sessions] or [start]
    margin = dt.timedelta(days=TRAVEL_DAYS)
    first_day, last_day = min(start, *days) - margin, max(end, *days) + margin
    qualified = {
        (trainer_id, module_id)
        for trainer_id, module_id in db.execute(
            select(Qualification.trainer_id, Qualification.module_id).where(
                Qualification.trainer_id.in_(trainer_ids)
            )
        )
    }
    sessions_of: dict[int, list[WorkshopSession]] = defaultdict(list)
    for s in db.scalars(
        select(WorkshopSession)
        .join(session_trainers, session_trainers.c.session_id == WorkshopSession.id)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(
            session_trainers.c.trainer_id.in_(trainer_ids),
            Workshop.status != WorkshopStatus.CANCELLED,
            WorkshopSession.day >= first_day,
            WorkshopSession.day <= last_day,
        )
        .options(
            selectinload(WorkshopSession.trainers),
            selectinload(WorkshopSession.workshop).selectinload(Workshop.province),
        )
    ).unique():
        for t in s.trainers:
            if t.id in trainer_ids:
                sessions_of[t.id].append(s)
    unavailable = list(
        db.scalars(
            select(Unavailability).where(
                Unavailability.trainer_id.in_(trainer_ids),
                Unavailability.start_date <= end,
                Unavailability.end_date >= start,
            )
        )
    )
    return _Context(qualified, sessions_of, unavailable, travel_table(db))


def check_workshops(db: Session, workshops: Iterable[Workshop]) -> dict[int, list[Problem]]:
    """Every problem of each workshop's plan, errors first, by workshop id. The queries
    are the same few whatever the number of workshops."""
    workshops = list(workshops)
    if not workshops:
        return {}
    context = _context(db, workshops)
    return {w.id: _check(w, context) for w in workshops}


@dataclass
class WorkshopFacts:
    """What the workshop rules look at: the workshop, what its batch of checks loaded, and
    what several rules share (its teaching sessions, team, trainers, session clashes)."""

    workshop: Workshop
    context: _Context
    teaching: list[WorkshopSession]
    team: list[Assignment]
    trainers: dict[int, Trainer]
    clashes: list[tuple[Interval[WorkshopSession], Interval[WorkshopSession]]]

    @property
    def team_ids(self) -> set[int]:
        return {a.trainer_id for a in self.team}


def _facts(workshop: Workshop, context: _Context) -> WorkshopFacts:
    teaching = [s for s in workshop.sessions if s.kind == SessionKind.SESSION]
    team = _team(workshop)
    trainers = {a.trainer_id: a.trainer for a in team}
    for s in teaching:
        for t in s.trainers:
            trainers.setdefault(t.id, t)
    # a trainer's sessions here and anywhere else: each overlapping pair with one side here
    intervals: list[Interval[WorkshopSession]] = []
    for s in teaching:
        for t in s.trainers:
            intervals.append(Interval(t.id, s.starts, s.ends, s))
    for trainer_id in trainers:
        for s in context.sessions_of.get(trainer_id, ()):
            if s.workshop_id != workshop.id:
                intervals.append(Interval(trainer_id, s.starts, s.ends, s))
    clashes = []
    for a, b in overlapping_pairs(intervals):
        mine, other = (a, b) if a.ref.workshop_id == workshop.id else (b, a)
        if mine.ref.workshop_id == workshop.id:
            clashes.append((mine, other))
    return WorkshopFacts(workshop, context, teaching, team, trainers, clashes)


def sessions_within_dates(f: WorkshopFacts) -> Iterator[Problem]:
    """Every session lies within the workshop's dates (error)."""
    for s in f.workshop.sessions:
        if not f.workshop.start_date <= s.day <= f.workshop.end_date:
            yield Problem(
                "outside_dates",
                Severity.ERROR,
                _(
                    "“%(title)s” on %(day)s is outside the workshop's dates.",
                    title=s.title,
                    day=Day(s.day),
                ),
                session_id=s.id,
            )


def someone_teaches(f: WorkshopFacts) -> Iterator[Problem]:
    """A teaching session has a trainer (error)."""
    for s in f.teaching:
        if not s.trainers:
            yield Problem(
                "no_trainer",
                Severity.ERROR,
                _("“%(title)s” (%(when)s) has no trainer.", title=s.title, when=_when(s)),
                session_id=s.id,
            )


def trainers_qualified(f: WorkshopFacts) -> Iterator[Problem]:
    """Whoever teaches a session is qualified for its module (error)."""
    for s in f.teaching:
        module_id = module_id_of(s)
        if module_id is None:
            continue
        for t in s.trainers:
            if (t.id, module_id) not in f.context.qualified:
                module = _module(s)
                assert module is not None  # module_id_of(s) is set, so a module row is named
                yield Problem(
                    "not_qualified",
                    Severity.ERROR,
                    _(
                        "%(name)s is not qualified to teach %(module)s (“%(title)s”).",
                        name=_name(t),
                        module=module.code,
                        title=s.title,
                    ),
                    trainer_id=t.id,
                    session_id=s.id,
                )


def one_place_at_a_time(f: WorkshopFacts) -> Iterator[Problem]:
    """No trainer teaches two sessions that overlap, here or anywhere (error); one message
    per pair, naming both sessions and both workshops."""
    for mine, other in f.clashes:
        yield Problem(
            "double_booked",
            Severity.ERROR,
            _(
                "%(name)s is booked twice at once: “%(title)s” (%(when)s, %(workshop)s) "
                "and “%(other)s” (%(other_when)s, %(other_workshop)s).",
                name=_name(f.trainers[mine.trainer_id]),
                title=mine.ref.title,
                when=_when(mine.ref),
                workshop=named(f.workshop, "title"),
                other=other.ref.title,
                other_when=_when(other.ref),
                other_workshop=named(other.ref.workshop, "title"),
            ),
            trainer_id=mine.trainer_id,
            session_id=mine.ref.id,
        )


def _province(s: WorkshopSession) -> Named:
    p = s.workshop.province
    return Named(p.name_en, p.name_lo)


def _hours(minutes: int) -> str:
    """Hours of road as a number ("13", "6.5")."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def time_to_travel(f: WorkshopFacts) -> Iterator[Problem]:
    """Between one session and a trainer's next one in another province there is the road
    time of the travel table, and no trainer teaches in two provinces on one day
    (warnings; one per pair of consecutive sessions, at least one of them here)."""
    here = f.workshop.id
    clashing = {(i.trainer_id, i.ref.id) for pair in f.clashes for i in pair}
    for trainer_id in sorted(f.trainers):
        mine = [s for s in f.teaching if any(t.id == trainer_id for t in s.trainers)]
        elsewhere = [
            s
            for s in f.context.sessions_of.get(trainer_id, ())
            if s.workshop_id != here and s.kind == SessionKind.SESSION
        ]
        sessions = sorted(mine + elsewhere, key=lambda s: (s.starts, s.ends, s.id or 0))
        for before, after in zip(sessions, sessions[1:], strict=False):
            if here not in (before.workshop_id, after.workshop_id):
                continue
            if {(trainer_id, before.id), (trainer_id, after.id)} & clashing:
                continue  # a clash says it already
            a, b = before.workshop.province_id, after.workshop.province_id
            if a == b or after.starts < before.ends:  # an overlap is an error of its own
                continue
            road = f.context.travel.minutes(a, b)
            gap = (after.starts - before.ends).total_seconds() / 60
            values = {
                "name": _name(f.trainers[trainer_id]),
                "title": before.title,
                "when": _when(before),
                "workshop": named(before.workshop, "title"),
                "province": _province(before),
                "other": after.title,
                "other_when": _when(after),
                "other_workshop": named(after.workshop, "title"),
                "other_province": _province(after),
            }
            if road is not None and gap < road:
                yield Problem(
                    "no_travel_time",
                    Severity.WARNING,
                    _(
                        "%(name)s cannot be in time: the road from %(province)s to "
                        "%(other_province)s takes about %(road)s hours, between “%(title)s” "
                        "(%(when)s, %(workshop)s) and “%(other)s” (%(other_when)s, "
                        "%(other_workshop)s).",
                        road=_hours(road),
                        **values,
                    ),
                    trainer_id=trainer_id,
                    session_id=(before if before.workshop_id == here else after).id,
                )
            elif before.day == after.day:
                yield Problem(
                    "two_provinces_a_day",
                    Severity.WARNING,
                    _(
                        "%(name)s teaches in %(province)s (“%(title)s”, %(when)s, %(workshop)s) "
                        "and in %(other_province)s (“%(other)s”, %(other_when)s, "
                        "%(other_workshop)s) on the same day.",
                        **values,
                    ),
                    trainer_id=trainer_id,
                    session_id=(before if before.workshop_id == here else after).id,
                )


def trainers_available(f: WorkshopFacts) -> Iterator[Problem]:
    """Nobody teaches, or is on the team, during their unavailability (error)."""
    workshop = f.workshop
    for u in f.context.unavailable:
        if u.trainer_id not in f.trainers:
            continue
        if u.start_date > workshop.end_date or u.end_date < workshop.start_date:
            continue
        days = {s.day for s in f.teaching if any(t.id == u.trainer_id for t in s.trainers)}
        clash = sorted(d for d in days if u.start_date <= d <= u.end_date)
        if clash or u.trainer_id in f.team_ids:
            yield Problem(
                "unavailable",
                Severity.ERROR,
                _(
                    "%(name)s cannot teach from %(start)s to %(end)s (%(reason)s).",
                    name=_name(f.trainers[u.trainer_id]),
                    start=Day(u.start_date),
                    end=Day(u.end_date),
                    reason=u.reason or "—",
                ),
                trainer_id=u.trainer_id,
            )


def one_session_per_room(f: WorkshopFacts) -> Iterator[Problem]:
    """Two sessions do not use one room at the same time (error)."""
    by_room: dict[str, list[Interval[WorkshopSession]]] = defaultdict(list)
    for s in f.workshop.sessions:
        if s.room.strip():
            by_room[s.room.strip().casefold()].append(Interval(0, s.starts, s.ends, s))
    for items in by_room.values():
        for a, b in overlapping_pairs(items):
            yield Problem(
                "room_clash",
                Severity.ERROR,
                _(
                    "“%(a)s” and “%(b)s” use room %(room)s at the same time (%(when)s).",
                    a=a.ref.title,
                    b=b.ref.title,
                    room=a.ref.room,
                    when=_when(b.ref),
                ),
                session_id=b.ref.id,
            )


def team_size(f: WorkshopFacts) -> Iterator[Problem]:
    """A team of MIN_TEAM to MAX_TEAM trainers (warning)."""
    if not MIN_TEAM <= len(f.team) <= MAX_TEAM:
        yield Problem(
            "team_size",
            Severity.WARNING,
            _("The team has %(count)d trainers; a workshop needs 2 to 4.", count=len(f.team)),
        )


def team_mixed(f: WorkshopFacts) -> Iterator[Problem]:
    """A team of two or more mixes institutions and sexes (warnings)."""
    if len(f.team) < 2:
        return
    if len({a.trainer.institution_id for a in f.team}) == 1:
        yield Problem(
            "one_institution",
            Severity.WARNING,
            _("All trainers come from one institution; mix courts, prosecution and police."),
        )
    if len({a.trainer.sex for a in f.team}) == 1:
        yield Problem("one_sex", Severity.WARNING, _("All trainers of the team are of one sex."))


def days_not_too_long(f: WorkshopFacts) -> Iterator[Problem]:
    """Nobody teaches more than MAX_TEACHING_MINUTES_A_DAY a day (warning)."""
    load: dict[tuple[int, dt.date], int] = defaultdict(int)
    for s in f.teaching:
        for t in s.trainers:
            load[(t.id, s.day)] += s.minutes
    for (trainer_id, day), minutes in sorted(load.items(), key=lambda x: (x[0][1], x[0][0])):
        if minutes > MAX_TEACHING_MINUTES_A_DAY:
            yield Problem(
                "long_day",
                Severity.WARNING,
                _(
                    "%(name)s teaches %(hours)s hours on %(day)s (more than 5).",
                    name=_name(f.trainers[trainer_id]),
                    hours=f"{minutes / 60:.1f}",
                    day=Day(day),
                ),
                trainer_id=trainer_id,
            )


def rollout_modules_covered(f: WorkshopFacts) -> Iterator[Problem]:
    """Every module of the rollout is taught (warning)."""
    covered = {module_id_of(s) for s in f.teaching}
    for module in f.workshop.rollout.modules:
        if module.id not in covered:
            yield Problem(
                "module_not_covered",
                Severity.WARNING,
                _("No session covers %(code)s, a module of the rollout.", code=module.code),
            )


# The workshop rules; problems are listed errors first, then by code.
RULES: tuple[Callable[[WorkshopFacts], Iterator[Problem]], ...] = (
    sessions_within_dates,
    someone_teaches,
    trainers_qualified,
    one_place_at_a_time,
    time_to_travel,
    trainers_available,
    one_session_per_room,
    team_size,
    team_mixed,
    days_not_too_long,
    rollout_modules_covered,
)


def facts(db: Session, workshop: Workshop) -> WorkshopFacts:
    """The facts the rules read for one workshop (for running a rule on its own)."""
    return _facts(workshop, _context(db, [workshop]))


def _check(workshop: Workshop, context: _Context) -> list[Problem]:
    facts = _facts(workshop, context)
    problems = [problem for rule in RULES for problem in rule(facts)]
    problems.sort(key=lambda p: (not p.is_error, p.code))
    return problems


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


@dataclass(frozen=True)
class Proposal:
    trainer: Trainer
    level: str
    minutes_this_month: int
    last_visit: dt.date | None  # the end of their last workshop in this province
    travel_minutes: int | None = 0  # from their base province (None: not in the table)

    @property
    def travels(self) -> bool:
        return self.travel_minutes != 0


def _busy(db: Session, trainer_ids: set[int], ws: WorkshopSession) -> set[int]:
    """Of ``trainer_ids``, those teaching another session when ``ws`` runs, or unavailable
    during its workshop (being on another team is not being busy)."""
    workshop = ws.workshop
    busy = set(
        db.scalars(
            select(session_trainers.c.trainer_id)
            .join(WorkshopSession, WorkshopSession.id == session_trainers.c.session_id)
            .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
            .where(
                session_trainers.c.trainer_id.in_(trainer_ids),
                Workshop.status != WorkshopStatus.CANCELLED,
                WorkshopSession.id != ws.id,
                WorkshopSession.day == ws.day,
                WorkshopSession.start_time < ws.end_time,
                WorkshopSession.end_time > ws.start_time,
            )
        )
    )
    busy |= set(
        db.scalars(
            select(Unavailability.trainer_id).where(
                Unavailability.trainer_id.in_(trainer_ids),
                Unavailability.start_date <= workshop.end_date,
                Unavailability.end_date >= workshop.start_date,
            )
        )
    )
    return busy


def month_minutes(db: Session, trainer_ids: set[int], day: dt.date) -> dict[int, int]:
    """Minutes each trainer teaches in the month of ``day`` (every workshop)."""
    month_start = day.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    minutes: dict[int, int] = defaultdict(int)
    for s in db.scalars(
        select(WorkshopSession)
        .join(session_trainers, session_trainers.c.session_id == WorkshopSession.id)
        .where(
            session_trainers.c.trainer_id.in_(trainer_ids),
            WorkshopSession.day >= month_start,
            WorkshopSession.day < next_month,
        )
        .options(selectinload(WorkshopSession.trainers))
    ).unique():
        for t in s.trainers:
            if t.id in trainer_ids:
                minutes[t.id] += s.minutes
    return minutes


def propose_trainers(
    db: Session, ws: WorkshopSession, roads: TravelTable | None = None
) -> list[Proposal]:
    """Active trainers qualified for the session's module and free at its time: those based
    in the workshop's province first (no travel), then the least loaded this month; with
    the end of their last workshop in this province and the road from their base (from
    ``roads``, read here when not given)."""
    module_id = module_id_of(ws)
    if module_id is None:
        return []
    rows = db.execute(
        select(Trainer, Qualification.level)
        .join(Qualification, Qualification.trainer_id == Trainer.id)
        .where(Qualification.module_id == module_id, Trainer.status == TrainerStatus.ACTIVE)
    ).all()
    candidates = {t.id: (t, level) for t, level in rows if t not in ws.trainers}
    if not candidates:
        return []
    busy = _busy(db, set(candidates), ws)
    minutes = month_minutes(db, set(candidates), ws.day)
    last_visit = dict(
        db.execute(
            select(Assignment.trainer_id, Workshop.end_date)
            .join(Workshop, Workshop.id == Assignment.workshop_id)
            .where(
                Assignment.trainer_id.in_(set(candidates)),
                Workshop.province_id == ws.workshop.province_id,
                Workshop.end_date < ws.workshop.start_date,
                Workshop.status.in_(("delivered", "reported")),  # a visit that took place
            )
            .order_by(Workshop.end_date)
        ).all()
    )
    roads = roads if roads is not None else travel_table(db)
    province_id = ws.workshop.province_id
    proposals = [
        Proposal(
            t,
            level,
            minutes[t.id],
            last_visit.get(t.id),
            roads.minutes(t.base_province_id, province_id),
        )
        for trainer_id, (t, level) in candidates.items()
        if trainer_id not in busy
    ]
    proposals.sort(key=lambda p: (p.travels, p.minutes_this_month, p.trainer.name_latin))
    return proposals

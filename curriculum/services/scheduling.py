"""Checks a workshop's plan and proposes free, qualified trainers.

:func:`check_workshop` returns every problem with its reason, each a blocking
error or a warning:

errors
    a trainer in a session of a module they are not qualified for; a trainer in
    two sessions or two workshops that overlap in time (on the real times, across
    workshops and rollouts); a trainer during their unavailability; a session
    outside the workshop's dates; two sessions of one room that overlap.
warnings
    no travel day between workshops in different provinces for one trainer; fewer
    than 2 or more than 4 trainers; all trainers from one institution or of one
    sex; a trainer teaching more than 5 hours a day; a module of the rollout that
    no session covers.

Intervals are half-open: a session ending at 12:00 and one starting at 12:00 do
not overlap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..i18n import _
from ..models import (
    Assignment,
    Module,
    Qualification,
    Trainer,
    Unavailability,
    Workshop,
    WorkshopSession,
)
from ..models.workshops import session_trainers

MIN_TEAM = 2
MAX_TEAM = 4
MAX_TEACHING_MINUTES_A_DAY = 5 * 60


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
    severity: str  # "error" or "warning"
    message: str
    trainer_id: int | None = None
    session_id: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _module_id(s: WorkshopSession) -> int | None:
    if s.module_id is not None:
        return s.module_id
    return s.lesson_plan.module_id if s.lesson_plan is not None else None


def _module(s: WorkshopSession) -> Module | None:
    """The module that ``s`` teaches: its own, or its lesson plan's (as :func:`_module_id`)."""
    if s.module is not None:
        return s.module
    return s.lesson_plan.module if s.lesson_plan is not None else None


def _team(workshop: Workshop) -> list[Assignment]:
    return [a for a in workshop.assignments if a.response != "declined"]


def _when(s: WorkshopSession) -> str:
    return f"{s.day.isoformat()} {s.start_time:%H:%M}-{s.end_time:%H:%M}"


def _name(t: Trainer) -> str:
    return t.name_latin


def check_workshop(session: Session, workshop: Workshop) -> list[Problem]:
    """Every problem of ``workshop``'s plan, errors first."""
    problems: list[Problem] = []
    teaching = [s for s in workshop.sessions if s.kind == "session"]
    team = _team(workshop)
    trainers = {a.trainer_id: a.trainer for a in team}
    for s in teaching:
        for t in s.trainers:
            trainers.setdefault(t.id, t)
    trainer_ids = set(trainers)

    # sessions outside the workshop's dates
    for s in workshop.sessions:
        if not workshop.start_date <= s.day <= workshop.end_date:
            problems.append(
                Problem(
                    "outside_dates",
                    "error",
                    _(
                        "“%(title)s” on %(day)s is outside the workshop's dates.",
                        title=s.title,
                        day=s.day.isoformat(),
                    ),
                    session_id=s.id,
                )
            )

    # qualification for the module taught
    qualified = (
        set(
            session.execute(
                select(Qualification.trainer_id, Qualification.module_id).where(
                    Qualification.trainer_id.in_(trainer_ids)
                )
            ).all()
        )
        if trainer_ids
        else set()
    )
    for s in teaching:
        module_id = _module_id(s)
        if module_id is None:
            continue
        for t in s.trainers:
            if (t.id, module_id) not in qualified:
                module = _module(s)
                assert module is not None  # _module_id(s) is set, so a module row is named
                problems.append(
                    Problem(
                        "not_qualified",
                        "error",
                        _(
                            "%(name)s is not qualified to teach %(module)s (“%(title)s”).",
                            name=_name(t),
                            module=module.code,
                            title=s.title,
                        ),
                        trainer_id=t.id,
                        session_id=s.id,
                    )
                )

    # a trainer in two places at once: sessions anywhere, and workshops' whole days
    if trainer_ids:
        others = list(
            session.scalars(
                select(WorkshopSession)
                .join(session_trainers, session_trainers.c.session_id == WorkshopSession.id)
                .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
                .where(
                    session_trainers.c.trainer_id.in_(trainer_ids),
                    Workshop.status != "cancelled",
                    WorkshopSession.workshop_id != workshop.id,
                )
                .options(selectinload(WorkshopSession.trainers))
            ).unique()
        )
        intervals: list[Interval[WorkshopSession]] = []
        for s in teaching + others:
            for t in s.trainers:
                if t.id in trainer_ids:
                    intervals.append(Interval(t.id, s.starts, s.ends, s))
        for a, b in overlapping_pairs(intervals):
            if a.ref.workshop_id != workshop.id and b.ref.workshop_id != workshop.id:
                continue
            mine, other = (a, b) if a.ref.workshop_id == workshop.id else (b, a)
            where = (
                _("in this workshop")
                if other.ref.workshop_id == workshop.id
                else _("in %(workshop)s", workshop=other.ref.workshop.title)
            )
            problems.append(
                Problem(
                    "double_booked",
                    "error",
                    _(
                        "%(name)s teaches “%(title)s” (%(when)s) and “%(other)s” (%(other_when)s) "
                        "%(where)s at the same time.",
                        name=_name(trainers[mine.trainer_id]),
                        title=mine.ref.title,
                        when=_when(mine.ref),
                        other=other.ref.title,
                        other_when=_when(other.ref),
                        where=where,
                    ),
                    trainer_id=mine.trainer_id,
                    session_id=mine.ref.id,
                )
            )
        other_workshops = list(
            session.scalars(
                select(Workshop)
                .join(Assignment, Assignment.workshop_id == Workshop.id)
                .where(
                    Assignment.trainer_id.in_(trainer_ids),
                    Assignment.response != "declined",
                    Workshop.id != workshop.id,
                    Workshop.status != "cancelled",
                )
                .options(selectinload(Workshop.assignments), selectinload(Workshop.province))
            ).unique()
        )
        for w in other_workshops:
            for m in _team(w):
                if m.trainer_id not in trainers or m.trainer_id not in {x.trainer_id for x in team}:
                    continue
                t = trainers[m.trainer_id]
                if w.start_date <= workshop.end_date and workshop.start_date <= w.end_date:
                    problems.append(
                        Problem(
                            "two_workshops",
                            "error",
                            _(
                                "%(name)s is also on the team of %(other)s (%(start)s to %(end)s).",
                                name=_name(t),
                                other=w.title,
                                start=w.start_date.isoformat(),
                                end=w.end_date.isoformat(),
                            ),
                            trainer_id=t.id,
                        )
                    )
                elif w.province_id != workshop.province_id:
                    gap = min(
                        abs((workshop.start_date - w.end_date).days),
                        abs((w.start_date - workshop.end_date).days),
                    )
                    if gap < 2:
                        problems.append(
                            Problem(
                                "no_travel_day",
                                "warning",
                                _(
                                    "%(name)s has no travel day between %(other)s "
                                    "(%(province)s) and this workshop.",
                                    name=_name(t),
                                    other=w.title,
                                    province=w.province.name_en,
                                ),
                                trainer_id=t.id,
                            )
                        )

    # unavailability
    if trainer_ids:
        for u in session.scalars(
            select(Unavailability).where(
                Unavailability.trainer_id.in_(trainer_ids),
                Unavailability.start_date <= workshop.end_date,
                Unavailability.end_date >= workshop.start_date,
            )
        ):
            days = {s.day for s in teaching if u.trainer in s.trainers}
            on_team = u.trainer_id in {a.trainer_id for a in team}
            clash = sorted(d for d in days if u.start_date <= d <= u.end_date)
            if clash or on_team:
                problems.append(
                    Problem(
                        "unavailable",
                        "error",
                        _(
                            "%(name)s cannot teach from %(start)s to %(end)s (%(reason)s).",
                            name=_name(trainers[u.trainer_id]),
                            start=u.start_date.isoformat(),
                            end=u.end_date.isoformat(),
                            reason=u.reason or "—",
                        ),
                        trainer_id=u.trainer_id,
                    )
                )

    # rooms
    rooms = [Interval(0, s.starts, s.ends, s) for s in workshop.sessions if s.room.strip()]
    by_room: dict[str, list[Interval[WorkshopSession]]] = defaultdict(list)
    for r in rooms:
        by_room[r.ref.room.strip().casefold()].append(r)
    for items in by_room.values():
        for a, b in overlapping_pairs(items):
            problems.append(
                Problem(
                    "room_clash",
                    "error",
                    _(
                        "“%(a)s” and “%(b)s” use room %(room)s at the same time (%(when)s).",
                        a=a.ref.title,
                        b=b.ref.title,
                        room=a.ref.room,
                        when=_when(b.ref),
                    ),
                    session_id=b.ref.id,
                )
            )

    # the team
    if not MIN_TEAM <= len(team) <= MAX_TEAM:
        problems.append(
            Problem(
                "team_size",
                "warning",
                _(
                    "The team has %(count)d trainers; a workshop needs 2 to 4.",
                    count=len(team),
                ),
            )
        )
    if len(team) >= 2:
        if len({a.trainer.institution_id for a in team}) == 1:
            problems.append(
                Problem(
                    "one_institution",
                    "warning",
                    _(
                        "All trainers come from one institution; mix courts, prosecution and police."
                    ),
                )
            )
        if len({a.trainer.sex for a in team}) == 1:
            problems.append(
                Problem("one_sex", "warning", _("All trainers of the team are of one sex."))
            )
    load: dict[tuple[int, dt.date], int] = defaultdict(int)
    for s in teaching:
        for t in s.trainers:
            load[(t.id, s.day)] += s.minutes
    for (trainer_id, day), minutes in sorted(load.items(), key=lambda x: (x[0][1], x[0][0])):
        if minutes > MAX_TEACHING_MINUTES_A_DAY:
            problems.append(
                Problem(
                    "long_day",
                    "warning",
                    _(
                        "%(name)s teaches %(hours)s hours on %(day)s (more than 5).",
                        name=_name(trainers[trainer_id]),
                        hours=f"{minutes / 60:.1f}",
                        day=day.isoformat(),
                    ),
                    trainer_id=trainer_id,
                )
            )
    covered = {_module_id(s) for s in teaching}
    for module in workshop.rollout.modules:
        if module.id not in covered:
            problems.append(
                Problem(
                    "module_not_covered",
                    "warning",
                    _("No session covers %(code)s, a module of the rollout.", code=module.code),
                )
            )
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


def _busy(session: Session, trainer_ids: set[int], ws: WorkshopSession) -> set[int]:
    """Of ``trainer_ids``, those booked elsewhere when ``ws`` runs."""
    workshop = ws.workshop
    busy = set(
        session.scalars(
            select(session_trainers.c.trainer_id)
            .join(WorkshopSession, WorkshopSession.id == session_trainers.c.session_id)
            .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
            .where(
                session_trainers.c.trainer_id.in_(trainer_ids),
                Workshop.status != "cancelled",
                WorkshopSession.id != ws.id,
                WorkshopSession.day == ws.day,
                WorkshopSession.start_time < ws.end_time,
                WorkshopSession.end_time > ws.start_time,
            )
        )
    )
    busy |= set(
        session.scalars(
            select(Unavailability.trainer_id).where(
                Unavailability.trainer_id.in_(trainer_ids),
                Unavailability.start_date <= workshop.end_date,
                Unavailability.end_date >= workshop.start_date,
            )
        )
    )
    busy |= set(
        session.scalars(
            select(Assignment.trainer_id)
            .join(Workshop, Workshop.id == Assignment.workshop_id)
            .where(
                Assignment.trainer_id.in_(trainer_ids),
                Assignment.response != "declined",
                Workshop.id != workshop.id,
                Workshop.status != "cancelled",
                Workshop.start_date <= workshop.end_date,
                Workshop.end_date >= workshop.start_date,
            )
        )
    )
    return busy


def propose_trainers(session: Session, ws: WorkshopSession) -> list[Proposal]:
    """Active trainers qualified for the session's module and free at its time, the least
    loaded this month first, with the end of their last workshop in this province."""
    module_id = _module_id(ws)
    if module_id is None:
        return []
    rows = session.execute(
        select(Trainer, Qualification.level)
        .join(Qualification, Qualification.trainer_id == Trainer.id)
        .where(Qualification.module_id == module_id, Trainer.status == "active")
    ).all()
    candidates = {t.id: (t, level) for t, level in rows if t not in ws.trainers}
    if not candidates:
        return []
    busy = _busy(session, set(candidates), ws)
    month_start = ws.day.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    minutes: dict[int, int] = defaultdict(int)
    for s in session.scalars(
        select(WorkshopSession)
        .join(session_trainers, session_trainers.c.session_id == WorkshopSession.id)
        .where(
            session_trainers.c.trainer_id.in_(set(candidates)),
            WorkshopSession.day >= month_start,
            WorkshopSession.day < next_month,
        )
        .options(selectinload(WorkshopSession.trainers))
    ).unique():
        for t in s.trainers:
            if t.id in candidates:
                minutes[t.id] += s.minutes
    last_visit = dict(
        session.execute(
            select(Assignment.trainer_id, Workshop.end_date)
            .join(Workshop, Workshop.id == Assignment.workshop_id)
            .where(
                Assignment.trainer_id.in_(set(candidates)),
                Workshop.province_id == ws.workshop.province_id,
                Workshop.end_date < ws.workshop.start_date,
                Workshop.status != "cancelled",
            )
            .order_by(Workshop.end_date)
        ).all()
    )
    proposals = [
        Proposal(t, level, minutes[t.id], last_visit.get(t.id))
        for trainer_id, (t, level) in candidates.items()
        if trainer_id not in busy
    ]
    proposals.sort(key=lambda p: (p.minutes_this_month, p.trainer.name_latin))
    return proposals

"""Staffing a workshop plan by plan: the trainers of a lesson plan teach every session it
was split into, and join the team with the role the coordinator gives them.

A plan laid out over a break or two days becomes several sessions; choosing its trainers
once for all of them (and saying who leads) is what a coordinator means by "staffing".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..i18n import _
from ..models import Assignment, Qualification, Trainer, Workshop, WorkshopSession
from ..models.workshops import ASSIGNMENT_ROLES
from ..permissions import Actor, require
from ..vocabulary import Response, SessionKind
from . import audit, scheduling
from .travel import travel_table
from .validation import flush, get_or_404

# When one trainer is given several roles on one page, the strongest stands.
ROLE_RANK = {"lead": 3, "co_trainer": 2, "resource": 1}


@dataclass
class PlanGroup:
    """The teaching sessions of one lesson plan (or one session without a plan)."""

    key: str
    title: str
    sessions: list[WorkshopSession] = field(default_factory=list)

    @property
    def trainers(self) -> list[Trainer]:
        """Who teaches every session of the group (in the order of the first session)."""
        common = set.intersection(*({t.id for t in s.trainers} for s in self.sessions))
        return [t for t in self.sessions[0].trainers if t.id in common]


def plan_groups(workshop: Workshop) -> list[PlanGroup]:
    """The workshop's teaching sessions grouped by lesson plan, in agenda order."""
    groups: dict[str, PlanGroup] = {}
    teaching = sorted(
        (s for s in workshop.sessions if s.kind == SessionKind.SESSION),
        key=lambda s: (s.day, s.start_time, s.id or 0),
    )
    for s in teaching:
        key = f"plan-{s.lesson_plan_id}" if s.lesson_plan_id else f"session-{s.id}"
        title = s.lesson_plan.title if s.lesson_plan is not None else s.title
        groups.setdefault(key, PlanGroup(key, title)).sessions.append(s)
    return list(groups.values())


@dataclass(frozen=True)
class Candidate:
    trainer: Trainer
    level: str
    minutes_this_month: int
    role: str  # the role on the team now, or "" when not on it
    travel_minutes: int | None = 0  # from their base province (None: not in the table)

    @property
    def travels(self) -> bool:
        return self.travel_minutes != 0


def candidates(db: Session, workshop: Workshop, group: PlanGroup) -> list[Candidate]:
    """Who may teach the whole group: qualified for its module and free at every one of its
    sessions (the trainer picker's rules, session by session), plus whoever teaches it now."""
    roles = {a.trainer_id: a.role for a in workshop.assignments if a.response != Response.DECLINED}
    free: dict[int, scheduling.Proposal] | None = None
    roads = travel_table(db)
    for s in group.sessions:
        proposals = {p.trainer.id: p for p in scheduling.propose_trainers(db, s, roads)}
        # the group's own trainers are left out of each session's proposals: keep them
        current = {t.id for t in s.trainers}
        if free is None:
            free = proposals
        else:
            free = {k: v for k, v in free.items() if k in proposals or k in current}
    found = [
        Candidate(
            p.trainer, p.level, p.minutes_this_month, roles.get(p.trainer.id, ""), p.travel_minutes
        )
        for p in (free or {}).values()
    ]
    shown = {c.trainer.id for c in found}
    teaching_now = [t for t in group.trainers if t.id not in shown]
    if teaching_now:
        # who teaches the plan now is not proposed again: give their level and load too
        ids = {t.id for t in teaching_now}
        module_id = scheduling.module_id_of(group.sessions[0])
        levels = dict(
            db.execute(
                select(Qualification.trainer_id, Qualification.level).where(
                    Qualification.trainer_id.in_(ids), Qualification.module_id == module_id
                )
            ).all()
        )
        minutes = scheduling.month_minutes(db, ids, group.sessions[0].day)
        for t in teaching_now:
            road = roads.minutes(t.base_province_id, workshop.province_id)
            found.append(
                Candidate(t, levels.get(t.id, ""), minutes[t.id], roles.get(t.id, ""), road)
            )
    found.sort(key=lambda c: (not c.role, c.travels, c.minutes_this_month, c.trainer.name_latin))
    return found


def staff_agenda(
    db: Session,
    actor: Actor,
    workshop_id,
    staffing: Mapping[str, Sequence[tuple[str | int, str]]],
) -> Workshop:
    """Set the trainers of each named plan group (key: [(trainer id, role), ...]) on all its
    sessions, and put them on the team with their role (the strongest one given). Groups not
    named keep their trainers. All or nothing."""
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    if not workshop.is_open:
        raise ValidationError(
            {None: [_("Only a planned or confirmed workshop's trainers can be changed.")]}
        )
    groups = {g.key: g for g in plan_groups(workshop)}
    unknown = [key for key in staffing if key not in groups]
    if unknown:
        raise ValidationError({None: [_("The agenda has changed: open the page again.")]})
    roles: dict[int, str] = {}
    chosen: dict[str, list[Trainer]] = {}
    for key, picks in staffing.items():
        trainers = []
        for trainer_id, role in picks:
            if role not in ASSIGNMENT_ROLES:
                raise ValidationError({None: [_("Choose a role from the list.")]})
            trainer = get_or_404(db, Trainer, trainer_id)
            if trainer not in trainers:
                trainers.append(trainer)
            if ROLE_RANK[role] > ROLE_RANK.get(roles.get(trainer.id, ""), 0):
                roles[trainer.id] = role
        chosen[key] = trainers
    for key, trainers in chosen.items():
        for s in groups[key].sessions:
            if [t.id for t in s.trainers] != [t.id for t in trainers]:
                s.trainers = list(trainers)
                s.sequence += 1
    team = {a.trainer_id: a for a in workshop.assignments}
    for trainer_id, role in roles.items():
        assignment = team.get(trainer_id)
        if assignment is None:
            workshop.assignments.append(Assignment(trainer_id=trainer_id, role=role))
        elif assignment.role != role:
            assignment.role = role
    flush(db)
    audit.record(
        db,
        actor,
        "staffing",
        workshop,
        {"trainers": [None, sorted(roles)]},
        workshop.title,
    )
    return workshop

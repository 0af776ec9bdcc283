"""What the home page shows each role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Trainer, User
from ..permissions import Actor, can, require
from ..vocabulary import FeedKind, TrainerStatus
from .calendar import active_feeds
from .lessons import PlanFilters, list_plans, waiting_for
from .reports import SexBreakdown, report, sex_breakdown
from .trainers import count_trainers, upcoming_unavailability
from .workshops import assignments_of


@dataclass
class HomePanels:
    own_trainer: Trainer | None = None
    own_unavailability: list = field(default_factory=list)
    trainer_counts: dict[str, int] | None = None
    active_by_sex: SexBreakdown | None = None
    institutions: int = 0
    provinces_with_trainers: int = 0
    users: dict[str, int] | None = None
    waiting_plans: list = field(default_factory=list)  # lessons.WaitingItem
    own_plans: list = field(default_factory=list)  # the actor's latest plans
    own_assignments: list = field(default_factory=list)  # the actor's coming workshops
    own_feeds: list = field(default_factory=list)  # the actor's calendar addresses
    year: int = 0
    year_report: object | None = None  # reports.Report of this year's workshops


def home_panels(db: Session, actor: Actor) -> HomePanels:
    require(actor, "dashboard.view")
    panels = HomePanels()

    panels.waiting_plans = waiting_for(db, actor)
    panels.own_plans = list_plans(db, PlanFilters(author=actor.id, sort="updated"), limit=8)
    if actor.trainer is not None:
        panels.own_assignments = assignments_of(db, actor.trainer.id, dt.date.today())
        panels.own_feeds = active_feeds(db, FeedKind.TRAINER, actor.trainer.id)
        panels.own_trainer = actor.trainer
        panels.own_unavailability = upcoming_unavailability(actor.trainer)
    if can(actor, "dashboard.programme"):
        panels.trainer_counts = count_trainers(db, actor)
        panels.active_by_sex = sex_breakdown(
            dict(
                db.execute(
                    select(Trainer.sex, func.count())
                    .where(Trainer.status == TrainerStatus.ACTIVE)
                    .group_by(Trainer.sex)
                ).all()
            )
        )
        panels.institutions = (
            db.scalar(select(func.count(func.distinct(Trainer.institution_id)))) or 0
        )
        panels.provinces_with_trainers = (
            db.scalar(select(func.count(func.distinct(Trainer.base_province_id)))) or 0
        )
    if can(actor, "report.view"):
        today = dt.date.today()
        panels.year = today.year
        panels.year_report = report(
            db, start=dt.date(today.year, 1, 1), end=dt.date(today.year, 12, 31)
        )
    if can(actor, "user.manage"):
        by_role = dict(
            db.execute(
                select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)
            ).all()
        )
        panels.users = by_role
    return panels

"""Lesson plans: a module turned into a session a trainer can deliver.

Every version of a plan is its own row, sharing the plan's ``key``: an approved
version is never changed again, and a workshop session can point at the exact
version it used. A fork is a new plan (a new key) that remembers its source.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Editable, utcnow
from ..vocabulary import Decision, Language, PlanKind, PlanStatus, one_of
from .content import LegalProvision, Material, Module

PLAN_STATUSES = tuple(PlanStatus)
PLAN_KINDS = tuple(PlanKind)
DECISIONS = tuple(Decision)
MAX_ACTIVITIES = 40
MAX_OBJECTIVES = 12
MAX_ACTIVITY_MINUTES = 480
MAX_PLAN_MINUTES = 1440

lesson_plan_provisions = Table(
    "lesson_plan_provisions",
    Base.metadata,
    Column("plan_id", ForeignKey("lesson_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("provision_id", ForeignKey("legal_provisions.id", ondelete="CASCADE"), primary_key=True),
)

lesson_plan_authors = Table(
    "lesson_plan_authors",
    Base.metadata,
    Column("plan_id", ForeignKey("lesson_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

lesson_activity_objectives = Table(
    "lesson_activity_objectives",
    Base.metadata,
    Column("activity_id", ForeignKey("lesson_activities.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "objective_id", ForeignKey("lesson_objectives.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Method(Editable, Base):
    """A teaching method; admins add their own beside the shipped ones."""

    __tablename__ = "lesson_methods"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_lo: Mapped[str] = mapped_column(String(100), default="")
    # Participants talk, work or move (not only listen or watch).
    participatory: Mapped[bool] = mapped_column(Boolean, default=True)
    # Counts towards "more than 30 minutes of lecture in a row".
    lecture: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, language: str) -> str:
        return (self.name_lo if language == "lo" else "") or self.name_en


class LessonPlan(Editable, Base):
    __tablename__ = "lesson_plans"
    __table_args__ = (
        UniqueConstraint("key", "version", name="key_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(one_of("status", PLAN_STATUSES), name="status"),
        CheckConstraint(one_of("kind", PLAN_KINDS), name="kind"),
        CheckConstraint(one_of("language", Language), name="language"),
        CheckConstraint(
            f"duration_minutes >= 1 AND duration_minutes <= {MAX_PLAN_MINUTES}",
            name="duration_range",
        ),
        CheckConstraint("kind = 'template' OR module_id IS NOT NULL", name="plan_has_module"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(10), default=PlanKind.PLAN)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2), default=Language.EN)
    audience: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    key_messages: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    trainer_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=PlanStatus.DRAFT, index=True)
    forked_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_plans.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Authors named in the curriculum files (people without an account here).
    credit: Mapped[str] = mapped_column(String(300), default="")
    change_note: Mapped[str] = mapped_column(String(500), default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    search_text: Mapped[str] = mapped_column(Text, default="")

    module: Mapped[Module | None] = relationship()
    objectives: Mapped[list[LessonObjective]] = relationship(
        back_populates="plan",
        order_by="LessonObjective.position",
        cascade="all, delete-orphan",
    )
    activities: Mapped[list[LessonActivity]] = relationship(
        back_populates="plan",
        order_by="LessonActivity.position",
        cascade="all, delete-orphan",
    )
    provisions: Mapped[list[LegalProvision]] = relationship(
        secondary=lesson_plan_provisions, order_by=LegalProvision.position
    )
    authors = relationship("User", secondary=lesson_plan_authors, order_by="User.name")
    owner = relationship("User", foreign_keys=[owner_id])
    handout_links: Mapped[list[LessonHandout]] = relationship(
        order_by="LessonHandout.position", cascade="all, delete-orphan"
    )
    forked_from: Mapped[LessonPlan | None] = relationship(remote_side=[id])
    comments: Mapped[list[LessonComment]] = relationship(
        back_populates="plan", order_by="LessonComment.id", cascade="all, delete-orphan"
    )

    @property
    def total_minutes(self) -> int:
        return sum(a.minutes for a in self.activities)

    @property
    def is_template(self) -> bool:
        return self.kind == PlanKind.TEMPLATE

    @property
    def is_forkable(self) -> bool:
        """An approved lesson plan (not a template) may be copied into one's own draft."""
        return self.status == PlanStatus.APPROVED and self.kind == PlanKind.PLAN


class LessonHandout(Base):
    """A handout a plan names, in the plan's order; a handout in use cannot be deleted."""

    __tablename__ = "lesson_plan_handouts"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_plans.id", ondelete="CASCADE"), primary_key=True
    )
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)

    material: Mapped[Material] = relationship()


class LessonObjective(Base):
    __tablename__ = "lesson_objectives"
    __table_args__ = (CheckConstraint("position >= 1", name="position_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    plan: Mapped[LessonPlan] = relationship(back_populates="objectives")


class LessonActivity(Base):
    __tablename__ = "lesson_activities"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint(
            f"minutes >= 1 AND minutes <= {MAX_ACTIVITY_MINUTES}", name="minutes_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    method_id: Mapped[int] = mapped_column(ForeignKey("lesson_methods.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    trainer_does: Mapped[str] = mapped_column(Text, default="")
    participants_do: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[LessonPlan] = relationship(back_populates="activities")
    method: Mapped[Method] = relationship()
    objectives: Mapped[list[LessonObjective]] = relationship(
        secondary=lesson_activity_objectives, order_by=LessonObjective.position
    )


class LessonComment(Base):
    """A reviewer's or author's comment on a plan or one of its activities.

    A review decision is a comment with ``decision`` set; an answer points at
    the comment it answers.
    """

    __tablename__ = "lesson_comments"
    __table_args__ = (
        CheckConstraint(f"decision IS NULL OR {one_of('decision', DECISIONS)}", name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_plans.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_activities.id", ondelete="SET NULL")
    )
    # The activity's title when the comment was written (kept if it is deleted).
    activity_label: Mapped[str] = mapped_column(String(200), default="")
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_comments.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    plan: Mapped[LessonPlan] = relationship(back_populates="comments")
    activity: Mapped[LessonActivity | None] = relationship()
    reply_to: Mapped[LessonComment | None] = relationship(remote_side=[id])
    author = relationship("User")


MAX_PROGRAMME_DAYS = 5


class Programme(Editable, Base):
    """A programme outline: which lesson plans, in which order, make a workshop of
    ``days`` days. ``plans`` holds the plans' keys per language (``{"en": [...], "lo": [...]}``);
    laying an agenda out from it takes the latest approved version of each."""

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint(f"days >= 1 AND days <= {MAX_PROGRAMME_DAYS}", name="days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    days: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_en: Mapped[str] = mapped_column(String(300))
    title_lo: Mapped[str] = mapped_column(String(300), default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    summary_lo: Mapped[str] = mapped_column(Text, default="")
    plans: Mapped[dict] = mapped_column(JSON)

    def plan_keys(self, language: str) -> list[str]:
        return list((self.plans or {}).get(language) or [])

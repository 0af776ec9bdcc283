"""Provincial rollouts: workshops, their timetable of sessions, and the trainer teams.

Times are local wall time in Lao PDR (UTC+7, no daylight saving) with the day's
date; a session's ``day``, ``start`` and ``end`` are enough to place it on the calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship

from ..db import Base, Editable, utcnow
from ..vocabulary import (
    Delivery,
    FeedKind,
    Language,
    Response,
    RolloutStatus,
    SessionKind,
    TeamRole,
    WorkshopStatus,
    one_of,
)
from .content import Module
from .lessons import LessonPlan
from .people import Institution, Province, Trainer

ROLLOUT_STATUSES = tuple(RolloutStatus)
WORKSHOP_STATUSES = tuple(WorkshopStatus)
SESSION_KINDS = tuple(SessionKind)
ASSIGNMENT_ROLES = tuple(TeamRole)
RESPONSES = tuple(Response)
DELIVERY_STATUSES = tuple(Delivery)

rollout_provinces = Table(
    "rollout_provinces",
    Base.metadata,
    Column("rollout_id", ForeignKey("rollouts.id", ondelete="CASCADE"), primary_key=True),
    Column("province_id", ForeignKey("provinces.id", ondelete="CASCADE"), primary_key=True),
)

rollout_modules = Table(
    "rollout_modules",
    Base.metadata,
    Column("rollout_id", ForeignKey("rollouts.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
)

session_trainers = Table(
    "session_trainers",
    Base.metadata,
    Column("session_id", ForeignKey("workshop_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("trainer_id", ForeignKey("trainers.id", ondelete="CASCADE"), primary_key=True),
)


class Rollout(Editable, Base):
    """A planned series of workshops, one per province."""

    __tablename__ = "rollouts"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint(one_of("status", ROLLOUT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_lo: Mapped[str] = mapped_column(String(200), default="", server_default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    partner: Mapped[str] = mapped_column(String(300), default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=RolloutStatus.PLANNING)
    # Who signs the certificates: one "Name | Title" per line.
    signatories: Mapped[str] = mapped_column(Text, default="")
    # Printed on the rollout's certificates: a PNG or JPEG image and its media type.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The planner's settings for this rollout (workshop shape, weights, locked workshops);
    # None: the defaults of the app's settings.
    plan_settings: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    provinces: Mapped[list[Province]] = relationship(
        secondary=rollout_provinces, order_by=Province.name_en
    )
    modules: Mapped[list[Module]] = relationship(secondary=rollout_modules, order_by=Module.code)
    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="rollout", order_by="Workshop.start_date"
    )


class Workshop(Editable, Base):
    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint(one_of("status", WORKSHOP_STATUSES), name="status"),
        CheckConstraint(one_of("language", Language), name="language"),
        CheckConstraint("target_participants >= 1", name="target_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rollout_id: Mapped[int] = mapped_column(
        ForeignKey("rollouts.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    title_lo: Mapped[str] = mapped_column(String(300), default="", server_default="")
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id", ondelete="RESTRICT"))
    district: Mapped[str] = mapped_column(String(200), default="")
    venue: Mapped[str] = mapped_column(String(300), default="")
    host_institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL")
    )
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2), default=Language.LO)
    target_participants: Mapped[int] = mapped_column(Integer, default=30)
    status: Mapped[str] = mapped_column(String(12), default=WorkshopStatus.PLANNED)
    # Why the coordinator confirmed despite the warnings that remained.
    warnings_reason: Mapped[str] = mapped_column(Text, default="")
    # Days a participant must attend for a certificate; None means every day.
    certificate_days: Mapped[int | None] = mapped_column(Integer)

    rollout: Mapped[Rollout] = relationship(back_populates="workshops")
    province: Mapped[Province] = relationship()
    host_institution: Mapped[Institution | None] = relationship()
    sessions: Mapped[list[WorkshopSession]] = relationship(
        back_populates="workshop",
        order_by=lambda: [WorkshopSession.day, WorkshopSession.start_time],
        cascade="all, delete-orphan",
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    status_changes: Mapped[list[WorkshopStatusChange]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopStatusChange.id"
    )

    @property
    def is_open(self) -> bool:
        """Still being planned: its timetable and team may change (planned or confirmed)."""
        return self.status in (WorkshopStatus.PLANNED, WorkshopStatus.CONFIRMED)

    @property
    def is_held(self) -> bool:
        """It took place: delivered or reported (certificates, the donor report)."""
        return self.status in (WorkshopStatus.DELIVERED, WorkshopStatus.REPORTED)

    @property
    def takes_registrations(self) -> bool:
        """People may still be registered, moved or cancelled (not cancelled nor reported)."""
        return self.status not in (WorkshopStatus.CANCELLED, WorkshopStatus.REPORTED)

    @property
    def records_delivery(self) -> bool:
        """What was taught can be recorded: confirmed, delivered or reported."""
        return self.status in (
            WorkshopStatus.CONFIRMED,
            WorkshopStatus.DELIVERED,
            WorkshopStatus.REPORTED,
        )

    @property
    def is_cancelled(self) -> bool:
        return self.status == WorkshopStatus.CANCELLED

    @property
    def awaits_report(self) -> bool:
        """Delivered and not yet reported to the donor."""
        return self.status == WorkshopStatus.DELIVERED


class WorkshopStatusChange(Base):
    __tablename__ = "workshop_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[str] = mapped_column(String(12))
    new_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")

    workshop: Mapped[Workshop] = relationship(back_populates="status_changes")


class WorkshopSession(Editable, Base):
    """One block of a workshop day: a teaching session, a break or lunch."""

    __tablename__ = "workshop_sessions"
    __table_args__ = (
        CheckConstraint("end_time > start_time", name="times_in_order"),
        CheckConstraint(one_of("kind", SESSION_KINDS), name="kind"),
        CheckConstraint(one_of("delivery", DELIVERY_STATUSES), name="delivery"),
        CheckConstraint("minutes_used IS NULL OR minutes_used >= 0", name="minutes_used"),
        CheckConstraint("sequence >= 0", name="sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(String(10), default=SessionKind.SESSION)
    title: Mapped[str] = mapped_column(String(300), default="")
    # The exact version of the plan taught (plans' versions are rows of their own).
    lesson_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_plans.id", ondelete="RESTRICT")
    )
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="RESTRICT"))
    room: Mapped[str] = mapped_column(String(100), default="")
    delivery: Mapped[str] = mapped_column(String(12), default=Delivery.PLANNED)
    minutes_used: Mapped[int | None] = mapped_column(Integer)
    delivery_notes: Mapped[str] = mapped_column(Text, default="")
    # iCalendar SEQUENCE: rises each time the session's time or status changes.
    sequence: Mapped[int] = mapped_column(Integer, default=0)

    workshop: Mapped[Workshop] = relationship(back_populates="sessions")
    lesson_plan: Mapped[LessonPlan | None] = relationship()
    module: Mapped[Module | None] = relationship()
    trainers: Mapped[list[Trainer]] = relationship(secondary=session_trainers)

    @property
    def is_teaching(self) -> bool:
        """A teaching session (not a break or lunch)."""
        return self.kind == SessionKind.SESSION

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.start_time)

    @property
    def ends(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.end_time)

    @property
    def minutes(self) -> int:
        return int((self.ends - self.starts).total_seconds() // 60)


class Assignment(Editable, Base):
    """A trainer on a workshop's team, and their answer."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("workshop_id", "trainer_id", name="workshop_trainer"),
        CheckConstraint(one_of("role", ASSIGNMENT_ROLES), name="role"),
        CheckConstraint(one_of("response", RESPONSES), name="response"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12), default=TeamRole.CO_TRAINER)
    response: Mapped[str] = mapped_column(String(10), default=Response.PENDING)
    response_reason: Mapped[str] = mapped_column(Text, default="")

    workshop: Mapped[Workshop] = relationship(back_populates="assignments")
    trainer: Mapped[Trainer] = relationship()

    @property
    def is_pending(self) -> bool:
        """The trainer has not answered yet."""
        return self.response == Response.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.response == Response.ACCEPTED


@event.listens_for(WorkshopSession, "before_update")
def _next_sequence(_mapper, _connection, ws: WorkshopSession) -> None:
    """A calendar client replaces its copy of an event only when SEQUENCE rises."""
    if any(
        attributes.get_history(ws, name).has_changes()
        for name in ("day", "start_time", "end_time", "title", "room", "kind")
    ):
        ws.sequence = (ws.sequence or 0) + 1


FEED_KINDS = tuple(FeedKind)


class CalendarFeed(Base):
    """A private iCalendar address: whoever has the token reads the feed until it is revoked."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (CheckConstraint(one_of("kind", FEED_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    trainer_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainers.id", ondelete="CASCADE"), index=True
    )
    rollout_id: Mapped[int | None] = mapped_column(
        ForeignKey("rollouts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    trainer: Mapped[Trainer | None] = relationship()
    rollout: Mapped[Rollout | None] = relationship()

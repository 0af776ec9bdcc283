"""Participants of workshops, their registrations, attendance, scores and certificates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Editable, utcnow
from ..lao import collation_key
from ..vocabulary import ImportStatus, RegistrationStatus, Sex, one_of
from .people import Institution, Province
from .workshops import Workshop

PARTICIPANT_SEXES = tuple(Sex)
REGISTRATION_STATUSES = tuple(RegistrationStatus)


class Participant(Editable, Base):
    """A person trained in a workshop; reused across workshops."""

    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint(one_of("sex", PARTICIPANT_SEXES), name="sex"),
        CheckConstraint(
            "birth_year IS NULL OR (birth_year >= 1920 AND birth_year <= 2020)", name="birth_year"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name_lo: Mapped[str] = mapped_column(String(100), default="")
    family_name_lo: Mapped[str] = mapped_column(String(100), default="")
    given_name_latin: Mapped[str] = mapped_column(String(100), default="")
    family_name_latin: Mapped[str] = mapped_column(String(100), default="")
    sex: Mapped[str] = mapped_column(String(12), default=Sex.NOT_RECORDED)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL")
    )
    position: Mapped[str] = mapped_column(String(200), default="")
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id", ondelete="SET NULL"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # Folded names in both scripts and the phone's digits, for search and duplicates.
    search_key: Mapped[str] = mapped_column(Text, default="", index=True)
    # The name's place in Lao alphabetical order (ICU's sort key of the name in Lao script,
    # or in Latin letters when there is none), so that the database orders and pages lists
    # of people as a Lao reader expects. Kept by the ORM on every insert and update.
    sort_key: Mapped[bytes | None] = mapped_column(LargeBinary)

    institution: Mapped[Institution | None] = relationship()
    province: Mapped[Province | None] = relationship()
    registrations: Mapped[list[Registration]] = relationship(back_populates="participant")

    @property
    def name_latin(self) -> str:
        return f"{self.given_name_latin} {self.family_name_latin}".strip()

    @property
    def name_lao(self) -> str:
        return f"{self.given_name_lo} {self.family_name_lo}".strip()


def name_sort_key(person) -> bytes:
    """Where ``person`` (a Participant) goes in Lao alphabetical order."""
    return collation_key(person.name_lao or person.name_latin)


@event.listens_for(Participant, "before_insert")
@event.listens_for(Participant, "before_update")
def _keep_sort_key(_mapper, _connection, person: Participant) -> None:
    person.sort_key = name_sort_key(person)


class Registration(Editable, Base):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("workshop_id", "participant_id", name="workshop_participant"),
        CheckConstraint(one_of("status", REGISTRATION_STATUSES), name="status"),
        CheckConstraint("pre_score IS NULL OR (pre_score >= 0 AND pre_score <= 100)", name="pre"),
        CheckConstraint(
            "post_score IS NULL OR (post_score >= 0 AND post_score <= 100)", name="post"
        ),
        CheckConstraint(
            "feedback_rating IS NULL OR (feedback_rating >= 1 AND feedback_rating <= 5)",
            name="rating",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=RegistrationStatus.REGISTERED)
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    pre_score: Mapped[float | None] = mapped_column(Numeric(5, 1))
    post_score: Mapped[float | None] = mapped_column(Numeric(5, 1))
    feedback_rating: Mapped[int | None] = mapped_column(Integer)
    feedback_topic: Mapped[str] = mapped_column(String(300), default="")
    feedback_comment: Mapped[str] = mapped_column(Text, default="")
    # Not guessable and never reused; kept when a certificate is issued again.
    certificate_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    certificate_issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    workshop: Mapped[Workshop] = relationship()
    participant: Mapped[Participant] = relationship(back_populates="registrations")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="Attendance.day"
    )

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED


class Attendance(Base):
    """Present or absent on one day of the workshop."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("registration_id", "day", name="registration_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    present: Mapped[bool] = mapped_column(Boolean, default=True)

    registration: Mapped[Registration] = relationship(back_populates="attendance")


class ParticipantImport(Base):
    """An uploaded participant list waiting in preview: the rows as read (and as corrected
    since), kept in the database so the preview survives a restart and any worker serves it."""

    __tablename__ = "participant_imports"
    __table_args__ = (CheckConstraint(one_of("status", ImportStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # {"columns": [[heading, field or null], ...],
    #  "rows": [{"line": row in the sheet, "values": {field: text}, "skip": bool,
    #            "new": bool}, ...]}
    rows: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=ImportStatus.OPEN)
    imported_count: Mapped[int] = mapped_column(Integer, default=0)

    workshop: Mapped[Workshop] = relationship()

    @property
    def is_imported(self) -> bool:
        """Its rows were stored (the preview is kept for the record)."""
        return self.status == ImportStatus.IMPORTED

"""Places, institutions and the trainers of the Core Training Group."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Editable
from ..text import fold
from ..vocabulary import InstitutionKind, InstitutionLevel, Sex, TrainerStatus, TrainingKind, one_of

SEXES = (Sex.FEMALE, Sex.MALE, Sex.OTHER)  # a trainer's; participants may be not_recorded
TRAINER_STATUSES = tuple(TrainerStatus)
INSTITUTION_KINDS = tuple(InstitutionKind)
INSTITUTION_LEVELS = tuple(InstitutionLevel)
TRAINING_KINDS = tuple(TrainingKind)
LANGUAGES = ("lo", "en", "th", "fr", "vi", "zh")


class Province(Editable, Base):
    """One of the 18 first-level divisions of Lao PDR (ISO 3166-2:LA)."""

    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_lo: Mapped[str] = mapped_column(String(100))
    alt_names: Mapped[list[str]] = mapped_column(JSON, default=list)

    def name(self, locale: str = "en") -> str:
        return self.name_lo if locale == "lo" and self.name_lo else self.name_en

    def __repr__(self) -> str:
        return f"<Province {self.code}>"


# The longest road trip the travel table records: two days' drive.
MAX_TRAVEL_MINUTES = 48 * 60


class TravelTime(Editable, Base):
    """How long the road takes between two provinces' seats, either way: one row per pair,
    the province with the lower id first. ``estimated`` until a person has set it."""

    __tablename__ = "travel_times"
    __table_args__ = (
        UniqueConstraint("province_a_id", "province_b_id"),
        CheckConstraint("province_a_id < province_b_id", name="pair_in_order"),
        CheckConstraint(
            f"minutes > 0 AND minutes <= {MAX_TRAVEL_MINUTES}", name="minutes_in_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_a_id: Mapped[int] = mapped_column(ForeignKey("provinces.id", ondelete="CASCADE"))
    province_b_id: Mapped[int] = mapped_column(ForeignKey("provinces.id", ondelete="CASCADE"))
    minutes: Mapped[int] = mapped_column(Integer)
    estimated: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<TravelTime {self.province_a_id}-{self.province_b_id} {self.minutes} min>"


class Institution(Editable, Base):
    __tablename__ = "institutions"
    __table_args__ = (
        CheckConstraint(one_of("kind", INSTITUTION_KINDS), name="kind"),
        CheckConstraint(one_of("level", INSTITUTION_LEVELS), name="level"),
        CheckConstraint(
            "level = 'central' OR province_id IS NOT NULL", name="provincial_has_province"
        ),
        UniqueConstraint("name_en", name="uq_institutions_name_en"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    short_name: Mapped[str] = mapped_column(String(30))
    name_en: Mapped[str] = mapped_column(String(200))
    name_lo: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(12), default=InstitutionLevel.CENTRAL)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))

    province: Mapped[Province | None] = relationship()

    def name(self, locale: str = "en") -> str:
        return self.name_lo if locale == "lo" and self.name_lo else self.name_en

    def __repr__(self) -> str:
        return f"<Institution {self.short_name}>"


class Trainer(Editable, Base):
    """A member of the Core Training Group."""

    __tablename__ = "trainers"
    __table_args__ = (
        CheckConstraint(one_of("sex", SEXES), name="sex"),
        CheckConstraint(one_of("status", TRAINER_STATUSES), name="status"),
        CheckConstraint("given_name_latin <> '' OR given_name_lo <> ''", name="has_given_name"),
        Index("ix_trainers_search_key", "search_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name_lo: Mapped[str] = mapped_column(String(100), default="")
    family_name_lo: Mapped[str] = mapped_column(String(100), default="")
    given_name_latin: Mapped[str] = mapped_column(String(100))
    family_name_latin: Mapped[str] = mapped_column(String(100), default="")
    sex: Mapped[str] = mapped_column(String(10))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    position: Mapped[str] = mapped_column(String(200), default="")
    base_province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default=TrainerStatus.ACTIVE)
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Folded names in both scripts, for search that ignores case and Lao spelling variants.
    search_key: Mapped[str] = mapped_column(String(500), default="")

    institution: Mapped[Institution] = relationship()
    base_province: Mapped[Province] = relationship()
    training_records: Mapped[list[TrainingRecord]] = relationship(
        back_populates="trainer", cascade="all, delete-orphan", order_by="TrainingRecord.start_date"
    )
    unavailabilities: Mapped[list[Unavailability]] = relationship(
        back_populates="trainer", cascade="all, delete-orphan", order_by="Unavailability.start_date"
    )
    qualifications = relationship(
        "Qualification",
        back_populates="trainer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Qualification.module_id",
    )

    @property
    def name_latin(self) -> str:
        return " ".join(p for p in (self.given_name_latin, self.family_name_latin) if p)

    @property
    def name_lao(self) -> str:
        return " ".join(p for p in (self.given_name_lo, self.family_name_lo) if p)

    def display_name(self, locale: str = "en") -> str:
        if locale == "lo" and self.name_lao:
            return self.name_lao
        return self.name_latin

    def refresh_search_key(self) -> None:
        self.search_key = fold(
            " ".join(
                (
                    self.given_name_lo,
                    self.family_name_lo,
                    self.given_name_latin,
                    self.family_name_latin,
                )
            )
        )

    def __repr__(self) -> str:
        return f"<Trainer {self.id} {self.name_latin}>"


@event.listens_for(Trainer, "before_insert")
@event.listens_for(Trainer, "before_update")
def _keep_search_key(_mapper, _connection, trainer: Trainer) -> None:
    trainer.refresh_search_key()


class TrainingRecord(Editable, Base):
    """A training-of-trainers event a trainer attended."""

    __tablename__ = "training_records"
    __table_args__ = (
        CheckConstraint(one_of("kind", TRAINING_KINDS), name="kind"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("trainers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    organiser: Mapped[str] = mapped_column(String(200), default="")

    trainer: Mapped[Trainer] = relationship(back_populates="training_records")


class Unavailability(Editable, Base):
    """A period in which a trainer cannot teach (leave, other duties)."""

    __tablename__ = "unavailabilities"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("trainers.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    trainer: Mapped[Trainer] = relationship(back_populates="unavailabilities")

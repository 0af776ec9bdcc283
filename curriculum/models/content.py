"""The curriculum: modules (the Reference Guide's chapters), legal provisions, glossary,
and which trainer is qualified to teach which module."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
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
from ..vocabulary import Language, LegalReview, Level, MaterialKind, TranslationStatus, one_of

CONTENT_LANGUAGES = tuple(Language)
TRANSLATION_STATUSES = tuple(TranslationStatus)
LEGAL_REVIEW_STATUSES = tuple(LegalReview)
MATERIAL_KINDS = tuple(MaterialKind)
QUALIFICATION_LEVELS = tuple(Level)
# Levels that may lead a module's sessions; the matrix counts them per module.
LEADING_LEVELS = tuple(level for level in Level if level.leads)
MIN_LEADING_TRAINERS = 3


class Instrument(Editable, Base):
    """A legal instrument: a convention, a protocol or a Lao law."""

    __tablename__ = "instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_lo: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    provisions: Mapped[list[LegalProvision]] = relationship(
        back_populates="instrument", order_by="LegalProvision.position"
    )


module_provisions = Table(
    "module_provisions",
    Base.metadata,
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column("provision_id", ForeignKey("legal_provisions.id"), primary_key=True),
)


class LegalProvision(Editable, Base):
    """One article of an instrument, summarised in the curriculum's own words."""

    __tablename__ = "legal_provisions"
    __table_args__ = (
        CheckConstraint(one_of("lo_status", TRANSLATION_STATUSES), name="lo_status"),
        CheckConstraint(one_of("legal_review", LEGAL_REVIEW_STATUSES), name="legal_review"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    article: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_en: Mapped[str] = mapped_column(String(300))
    title_lo: Mapped[str] = mapped_column(String(300), default="")
    summary_en: Mapped[str] = mapped_column(Text)
    summary_lo: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    lo_status: Mapped[str] = mapped_column(String(10), default=TranslationStatus.DRAFT)
    legal_review: Mapped[str] = mapped_column(String(10), default=LegalReview.NEEDED)
    search_text: Mapped[str] = mapped_column(Text, default="")

    instrument: Mapped[Instrument] = relationship(back_populates="provisions")

    @property
    def anchor(self) -> str:
        return "p-" + self.key.lower()


class GlossaryTerm(Editable, Base):
    __tablename__ = "glossary_terms"
    __table_args__ = (CheckConstraint(one_of("lo_status", TRANSLATION_STATUSES), name="lo_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    term_en: Mapped[str] = mapped_column(String(200))
    term_lo: Mapped[str] = mapped_column(String(200), default="")
    definition_en: Mapped[str] = mapped_column(Text)
    definition_lo: Mapped[str] = mapped_column(Text, default="")
    lo_status: Mapped[str] = mapped_column(String(10), default=TranslationStatus.DRAFT)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Lao spellings of this concept that Lao content must not use (a calque, a near
    # synonym that means something else, a misspelling); the terminology check flags them.
    avoid_lo: Mapped[list[str]] = mapped_column(JSON, default=list)


class Material(Editable, Base):
    """A printable handout a lesson plan names (case card, role briefs, referral chart...),
    in English and Lao. ``answer_*`` is the model answer: it prints in the trainer's plan
    and never on the participants' copy."""

    __tablename__ = "materials"
    __table_args__ = (
        CheckConstraint(one_of("kind", MATERIAL_KINDS), name="kind"),
        CheckConstraint(one_of("lo_status", TRANSLATION_STATUSES), name="lo_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_en: Mapped[str] = mapped_column(String(300))
    title_lo: Mapped[str] = mapped_column(String(300), default="")
    body_en: Mapped[str] = mapped_column(Text)
    body_lo: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text, default="")
    answer_lo: Mapped[str] = mapped_column(Text, default="")
    lo_status: Mapped[str] = mapped_column(String(10), default=TranslationStatus.DRAFT)

    module: Mapped[Module | None] = relationship()

    def in_language(self, language: str) -> bool:
        """Whether the handout exists in ``language`` (a Lao plan prints only Lao handouts)."""
        return bool(self.body_lo) if language == Language.LO else True

    def text(self, field: str, language: str) -> str:
        """``title``, ``body`` or ``answer`` in ``language``, English where Lao is missing."""
        if language == Language.LO:
            return getattr(self, f"{field}_lo") or getattr(self, f"{field}_en")
        return getattr(self, f"{field}_en")


class Module(Editable, Base):
    """A curriculum module; its body is a chapter of the Trainers' Reference Guide.

    ``content`` holds the current text of both languages (the shape of
    ``curriculum.content.schema.MODULE_FIELDS``); every save adds a
    :class:`ModuleRevision` with the same content, so any version can be shown,
    compared or restored.
    """

    __tablename__ = "modules"
    __table_args__ = (CheckConstraint("revision >= 1", name="revision_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    slug: Mapped[str] = mapped_column(String(80))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    title_en: Mapped[str] = mapped_column(String(300))
    title_lo: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[dict] = mapped_column(JSON)
    search_text: Mapped[str] = mapped_column(Text, default="")

    provisions: Mapped[list[LegalProvision]] = relationship(
        secondary=module_provisions, order_by="LegalProvision.position"
    )
    revisions: Mapped[list[ModuleRevision]] = relationship(
        back_populates="module",
        cascade="all, delete-orphan",
        order_by="ModuleRevision.number.desc()",
    )

    def title(self, language: str) -> str:
        return (self.title_lo if language == "lo" else "") or self.title_en


class ModuleRevision(Base):
    """One saved version of a module's content: who, when, why."""

    __tablename__ = "module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "number", name="module_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    comment: Mapped[str] = mapped_column(String(500), default="")

    module: Mapped[Module] = relationship(back_populates="revisions")


class Qualification(Editable, Base):
    """A trainer may teach a module at a level, since a date, granted by someone."""

    __tablename__ = "qualifications"
    __table_args__ = (
        UniqueConstraint("trainer_id", "module_id", name="trainer_module"),
        CheckConstraint(one_of("level", QUALIFICATION_LEVELS), name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(12))
    since: Mapped[dt.date] = mapped_column(Date)
    granted_by: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    trainer = relationship("Trainer", back_populates="qualifications")
    module: Mapped[Module] = relationship()

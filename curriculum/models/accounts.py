"""People who sign in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Editable, utcnow
from ..vocabulary import Language, Role, one_of
from .people import Trainer

ROLES = tuple(Role)
UI_LANGUAGES = tuple(Language)


class User(Editable, Base):
    is_system = False  # see curriculum.permissions.SYSTEM
    __allow_unmapped__ = True  # for ``login_id``, a plain attribute
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role"),
        CheckConstraint(one_of("language", UI_LANGUAGES), name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    trainer_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainers.id", ondelete="SET NULL"), unique=True
    )
    language: Mapped[str] = mapped_column(String(2), default=Language.EN)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    trainer: Mapped[Trainer | None] = relationship()
    # The id of the sign-in this user object was loaded for (its cookie's token), set by
    # ``accounts.start_session`` and ``accounts.find_by_login_id``; not a column.
    login_id: str | None = None

    # Flask-Login's user protocol, kept here so the web layer needs no wrapper class.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        if self.login_id is None:
            raise RuntimeError("a user is signed in through accounts.start_session")
        return self.login_id

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginSession(Base):
    """One signed-in browser: signing out ends it alone, a password change ends the others.

    The cookie carries a random token; only its SHA-256 is stored, so the table
    cannot be used to sign in.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    user: Mapped[User] = relationship()

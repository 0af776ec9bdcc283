"""User accounts: create, edit, deactivate, passwords, language, sign-in check."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..errors import ValidationError
from ..i18n import _
from ..models import ROLES, UI_LANGUAGES, Trainer, User
from ..permissions import Actor, require
from ..vocabulary import AuditAction, Role
from . import audit
from .validation import Checker, check_lock, flush, get_or_404

MIN_PASSWORD = 10
MAX_PASSWORD = 200
AUDITED = ("email", "name", "role", "trainer_id", "language", "active")
# Compared against when the email is unknown, so a wrong email costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


def _check_password(checker: Checker, field: str, password: str | None, email: str = "") -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD:
        checker.add(field, _("Use at least %(min)d characters.", min=MIN_PASSWORD))
    elif len(password) > MAX_PASSWORD:
        checker.add(field, _("Use at most %(max)d characters.", max=MAX_PASSWORD))
    elif email and password.strip().lower() == email.lower():
        checker.add(field, _("The password cannot be your email address."))
    return password


def _check_user(db: Session, data: dict, user: User | None) -> dict:
    c = Checker()
    values = {
        "email": c.email("email", data.get("email"), required=True),
        "name": c.name("name", data.get("name"), max_length=200),
        "role": c.choice("role", data.get("role"), ROLES),
        "language": c.choice("language", data.get("language") or "en", UI_LANGUAGES),
    }
    trainer = c.reference(db, "trainer_id", Trainer, data.get("trainer_id"), required=False)
    values["trainer_id"] = trainer.id if trainer else None
    if values["email"] and "email" not in c.errors:
        clash = db.scalar(select(User).where(func.lower(User.email) == values["email"]))
        if clash is not None and clash is not user:
            c.add("email", _("Another account already uses this email address."))
    if trainer is not None:
        clash = db.scalar(select(User).where(User.trainer_id == trainer.id))
        if clash is not None and clash is not user:
            c.add("trainer_id", _("This trainer is already linked to another account."))
    if user is None:
        _check_password(c, "password", data.get("password"), values["email"])
    c.done()
    return values


def create_user(db: Session, actor: Actor, data: dict) -> User:
    require(actor, "user.manage")
    values = _check_user(db, data, None)
    user = User(
        **values,
        password_hash=generate_password_hash(data["password"]),
        active=data.get("active", True),
    )
    db.add(user)
    flush(db)
    audit.record_create(db, actor, user, AUDITED, user.email)
    return user


def update_user(db: Session, actor: Actor, user_id: int, data: dict, lock_version=None) -> User:
    require(actor, "user.manage")
    user = get_or_404(db, User, user_id)
    check_lock(user, lock_version)
    values = _check_user(db, data, user)
    if "active" in data:
        values["active"] = bool(data["active"])
    if user.id == actor.id:
        if values["role"] != Role.ADMIN or not values.get("active", True):
            raise ValidationError({"role": _("You cannot remove your own administrator rights.")})
    if not values.get("active", user.active):
        values["session_token"] = secrets.token_hex(16)
    audit.update(db, actor, user, values, AUDITED, user.email)
    return user


def set_active(db: Session, actor: Actor, user_id: int, active: bool) -> User:
    require(actor, "user.manage")
    user = get_or_404(db, User, user_id)
    if user.id == actor.id and not active:
        raise ValidationError({None: _("You cannot deactivate your own account.")})
    values: dict[str, bool | str] = {"active": active}
    if not active:
        values["session_token"] = secrets.token_hex(16)
    audit.update(db, actor, user, values, AUDITED, user.email)
    return user


def reset_password(db: Session, actor: Actor, user_id: int, password: str | None) -> User:
    require(actor, "user.manage")
    user = get_or_404(db, User, user_id)
    c = Checker()
    password = _check_password(c, "password", password, user.email)
    c.done()
    _store_password(db, actor, user, password)
    return user


def change_own_password(db: Session, actor: User, current: str | None, new: str | None) -> User:
    require(actor, "account.manage_own")
    c = Checker()
    if not check_password_hash(actor.password_hash, current or ""):
        c.add("current_password", _("This is not your current password."))
    new = _check_password(c, "new_password", new, actor.email)
    c.done()
    _store_password(db, actor, actor, new)
    return actor


def _store_password(db: Session, actor: Actor, user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)
    user.session_token = secrets.token_hex(16)
    flush(db)
    audit.record(
        db, actor, AuditAction.UPDATE, user, {"password": ["(old)", "(changed)"]}, user.email
    )


def set_language(db: Session, actor: User, language: str) -> User:
    require(actor, "account.manage_own")
    c = Checker()
    c.choice("language", language, UI_LANGUAGES)
    c.done()
    if actor.language != language:
        before = actor.language
        actor.language = language
        flush(db)
        audit.record(
            db, actor, AuditAction.UPDATE, actor, {"language": [before, language]}, actor.email
        )
    return actor


def authenticate(db: Session, email: str | None, password: str | None) -> User:
    """The active user with these credentials; ValidationError otherwise.

    A wrong email and a wrong password get the same message; a deactivated
    account is named only to someone who knows its password.
    """
    email = (email or "").strip().lower()
    user = db.scalar(select(User).where(func.lower(User.email) == email)) if email else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise ValidationError({None: _("The email address or the password is wrong.")})
    if not check_password_hash(user.password_hash, password or ""):
        raise ValidationError({None: _("The email address or the password is wrong.")})
    if not user.active:
        raise ValidationError(
            {None: _("This account is deactivated. Ask an administrator to reactivate it.")}
        )
    user.last_login_at = utcnow()
    flush(db)
    return user


def list_users(db: Session, actor: Actor) -> list[User]:
    require(actor, "user.manage")
    return list(db.scalars(select(User).order_by(User.active.desc(), User.name)))


def get_user(db: Session, actor: Actor, user_id: int) -> User:
    require(actor, "user.manage")
    return get_or_404(db, User, user_id)


def find_by_login_id(db: Session, login_id: str) -> User | None:
    """The active user whose login cookie carries ``login_id`` (``id:token``)."""
    user_id, _sep, token = (login_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user

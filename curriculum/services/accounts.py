"""User accounts: create, edit, deactivate, passwords, language, sign-in check."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..errors import ValidationError
from ..i18n import _
from ..models import ROLES, UI_LANGUAGES, LoginSession, Trainer, User
from ..permissions import Actor, require
from ..vocabulary import AuditAction, Role
from . import audit
from .validation import UNCHECKED, Checker, check_lock, flush, get_or_404

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


def update_user(
    db: Session, actor: Actor, user_id: int, data: dict, lock_version=UNCHECKED
) -> User:
    require(actor, "user.manage")
    user = get_or_404(db, User, user_id)
    check_lock(user, lock_version)
    values = _check_user(db, data, user)
    if "active" in data:
        values["active"] = bool(data["active"])
    if user.id == actor.id:
        if values["role"] != Role.ADMIN or not values.get("active", True):
            raise ValidationError({"role": _("You cannot remove your own administrator rights.")})
    audit.update(db, actor, user, values, AUDITED, user.email)
    if not user.active:
        end_sessions(db, user)
    return user


def set_active(db: Session, actor: Actor, user_id: int, active: bool) -> User:
    require(actor, "user.manage")
    user = get_or_404(db, User, user_id)
    if user.id == actor.id and not active:
        raise ValidationError({None: _("You cannot deactivate your own account.")})
    audit.update(db, actor, user, {"active": active}, AUDITED, user.email)
    if not active:
        end_sessions(db, user)
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
    """Store the new password and end the user's other sign-ins (the actor's own stays)."""
    user.password_hash = generate_password_hash(password)
    flush(db)
    end_sessions(db, user, keep=getattr(actor, "login_id", None))
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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Session, user: User) -> str:
    """Record a new sign-in of ``user``; the returned id goes in the login cookie."""
    token = secrets.token_urlsafe(32)
    db.add(LoginSession(user_id=user.id, token_hash=_token_hash(token)))
    flush(db)
    user.login_id = token
    return token


def end_session(db: Session, login_id: str | None) -> None:
    """Sign out one browser: its cookie no longer opens anything, the user's others still do."""
    if login_id:
        db.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(login_id)))


def end_sessions(db: Session, user: User, keep: str | None = None) -> None:
    """Sign out every browser of ``user`` except the one whose login id is ``keep``."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep:
        query = query.where(LoginSession.token_hash != _token_hash(keep))
    db.execute(query)


def find_by_login_id(db: Session, login_id: str, max_age: dt.timedelta) -> User | None:
    """The active user signed in, less than ``max_age`` ago, with the cookie's ``login_id``."""
    if not login_id or len(login_id) > 100:
        return None
    user = db.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.token_hash == _token_hash(login_id),
            LoginSession.created_at >= utcnow() - max_age,
            User.active.is_(True),
        )
    )
    if user is None:
        return None
    user.login_id = login_id
    return user


def prune_sessions(db: Session, max_age: dt.timedelta) -> int:
    """Forget sign-ins older than ``max_age`` (their cookies have expired); how many."""
    result = db.execute(delete(LoginSession).where(LoginSession.created_at < utcnow() - max_age))
    return int(getattr(result, "rowcount", 0) or 0)

"""User accounts: create, edit, deactivate, passwords, language, sign-in check."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn_rs_py import Warning as StrengthWarning
from zxcvbn_rs_py import zxcvbn

from ..db import utcnow
from ..errors import ValidationError
from ..i18n import Message, _
from ..models import ROLES, UI_LANGUAGES, LoginSession, Trainer, User
from ..permissions import Actor, require
from ..vocabulary import AuditAction, Role
from . import audit
from .validation import UNCHECKED, Checker, check_lock, flush, get_or_404

MIN_PASSWORD = 12
MAX_PASSWORD = 200
# The zxcvbn estimator scores a password from 0 to 4 by the guesses it needs: 3 is 10^8 to
# 10^10, which the slow password hash and the sign-in limit put far out of reach; 4 is more.
MIN_PASSWORD_SCORE = 3
# A password that the account's own words or the application's make at least ten times
# easier to guess needs the top score: any three such words join into a score of 3
# ("khamphone.sisouk", "ctgcurriculumlao"), the estimator's floor for three parts.
MIN_SCORE_WITH_OWN_WORDS = 4
# Words anyone would try first against this application's accounts, in English and Lao.
APP_WORDS = (
    "ctg",
    "core training group",
    "curriculum",
    "trafficking",
    "human trafficking",
    "lao",
    "laos",
    "lao pdr",
    "vientiane",
    "trainer",
    "training",
    "workshop",
    "ລາວ",
    "ຫຼັກສູດ",
    "ການຄ້າມະນຸດ",
    "ຄູຝຶກ",
    "ວຽງຈັນ",
)
AUDITED = ("email", "name", "role", "trainer_id", "language", "active")
# Compared against when the email is unknown, so a wrong email costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")

# The estimator's warnings (English, untranslated) by the message shown instead; tuples,
# as its warnings compare equal but cannot be hashed.
_COMMON = (
    StrengthWarning.ThisIsATop10Password,
    StrengthWarning.ThisIsATop100Password,
    StrengthWarning.ThisIsACommonPassword,
    StrengthWarning.ThisIsSimilarToACommonlyUsedPassword,
)
_PATTERN = (
    StrengthWarning.StraightRowsOfKeysAreEasyToGuess,
    StrengthWarning.ShortKeyboardPatternsAreEasyToGuess,
    StrengthWarning.RepeatsLikeAaaAreEasyToGuess,
    StrengthWarning.RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
    StrengthWarning.SequencesLikeAbcAreEasyToGuess,
)
_DATES = (StrengthWarning.RecentYearsAreEasyToGuess, StrengthWarning.DatesAreOftenEasyToGuess)


def _personal_words(email: str, name: str) -> list[str]:
    """The account's email, its parts and the words of its name, in lower case."""
    words = {email.lower(), name.lower()}
    words.update(re.split(r"[\W_]+", email.lower()))
    words.update(name.lower().split())
    return sorted(word for word in words if word)


def password_problem(password: str, email: str = "", name: str = "") -> Message | None:
    """Why ``password`` is refused for the account of ``email`` and ``name``, or None.

    Long enough, and hard to guess by the zxcvbn estimator (offline, with its lists of common
    passwords, names and words), counting the account's own email and name and this
    application's words as the first guesses. The estimator's English feedback is turned
    into one of a few translated messages.
    """
    if len(password) < MIN_PASSWORD:
        return _("Use at least %(min)d characters.", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("Use at most %(max)d characters.", max=MAX_PASSWORD)
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return _("The password has characters that cannot be typed. Type it again.")
    if email and password.strip().lower() == email.lower():
        return _("The password cannot be your email address.")
    result = zxcvbn(password, user_inputs=[*_personal_words(email, name), *APP_WORDS])
    score = int(result.score)
    if score >= MIN_SCORE_WITH_OWN_WORDS:
        return None
    warning = result.feedback.warning if result.feedback else None
    if score < MIN_PASSWORD_SCORE:
        if warning in _COMMON:
            return _(
                "This password is too common or too easy to guess: use a longer phrase of several unrelated words."
            )
        if warning in _PATTERN:
            return _(
                "Repeated characters, sequences such as abc or 1234 and rows of keys such as qwerty are easy to guess: use a phrase of several unrelated words."
            )
        if warning in _DATES:
            return _("Dates and years are easy to guess: use a phrase of several unrelated words.")
    own_words = zxcvbn(password).guesses_log10 - result.guesses_log10 >= 1
    if own_words:
        return _(
            "This password is built from your name, your email address or words such as CTG, curriculum, Lao or trafficking: use other, unrelated words."
        )
    if score < MIN_PASSWORD_SCORE:
        return _("This password is too easy to guess: add another word or two, unrelated ones.")
    return None


def generate_password() -> str:
    """A random password of 16 characters that ``password_problem`` accepts."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password) is None:
            return password


def _check_password(
    checker: Checker,
    field: str,
    password: str | None,
    email: str = "",
    name: str = "",
    current_hash: str | None = None,
) -> str:
    """``password`` checked by ``password_problem``; with ``current_hash``, the account's
    current password is refused as its new one."""
    password = password or ""
    problem = password_problem(password, email, name)
    if problem is not None:
        checker.add(field, problem)
    elif current_hash and check_password_hash(current_hash, password):
        checker.add(field, _("Choose a password different from the current one."))
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
        _check_password(c, "password", data.get("password"), values["email"], values["name"])
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
    password = _check_password(c, "password", password, user.email, user.name, user.password_hash)
    c.done()
    _store_password(db, actor, user, password)
    return user


def change_own_password(db: Session, actor: User, current: str | None, new: str | None) -> User:
    require(actor, "account.manage_own")
    c = Checker()
    known = check_password_hash(actor.password_hash, current or "")
    if not known:
        c.add("current_password", _("This is not your current password."))
    # The new one is compared with the stored hash only after the current one was given:
    # otherwise the form would tell whether a guess is the password, past the sign-in limit.
    current_hash = actor.password_hash if known else None
    new = _check_password(c, "new_password", new, actor.email, actor.name, current_hash)
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

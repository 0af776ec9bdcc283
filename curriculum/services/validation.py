"""Checks shared by the services: collect every problem, then raise once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import NotFound, StaleObject, ValidationError
from ..i18n import Message, _
from ..models import Province
from ..text import LAO_DIGITS, check_name, check_text, has_lao, normalise

EARLIEST_DATE = dt.date(1975, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,40}$")


class Checker:
    """Accumulates field errors; ``done()`` raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str | None, list[Message]] = {}

    def add(self, field: str | None, message: Message) -> None:
        self.errors.setdefault(field, []).append(message)

    def name(self, field, value, *, required=True, max_length=100, script=None) -> str:
        value, message = check_name(value, required=required, max_length=max_length)
        if message:
            self.add(field, message)
        elif value and script == "lao" and not has_lao(value):
            self.add(field, _("Type this name in Lao script."))
        elif value and script == "latin" and has_lao(value):
            self.add(field, _("Type this name in Latin letters."))
        return value

    def person_names(self, data: dict) -> dict:
        """Given and family names in Lao script and in Latin letters, each checked for its
        script; an empty dict entry stays empty (whether a name is needed is the caller's)."""
        return {
            f"{part}_name_{script}": self.name(
                f"{part}_name_{script}",
                data.get(f"{part}_name_{script}"),
                required=False,
                script="lao" if script == "lo" else "latin",
            )
            for part in ("given", "family")
            for script in ("lo", "latin")
        }

    def text(self, field, value, *, max_length=5000) -> str:
        value, message = check_text(value, max_length=max_length)
        if message:
            self.add(field, message)
        return value

    def choice(self, field, value, choices, *, required=True):
        if value in (None, ""):
            if required:
                self.add(field, _("This field is required."))
            return None
        if value not in choices:
            self.add(field, _("Not a valid choice."))
            return None
        return value

    def choices(self, field, values, choices) -> list[str]:
        values = list(dict.fromkeys(values or []))
        if any(v not in choices for v in values):
            self.add(field, _("Not a valid choice."))
            return [v for v in values if v in choices]
        return values

    def email(self, field, value, *, required=False) -> str:
        value = normalise(value).lower()
        if not value:
            if required:
                self.add(field, _("This field is required."))
            return ""
        if len(value) > 254:
            self.add(field, _("Use at most %(max)d characters.", max=254))
            return value
        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            self.add(field, _("Enter a valid email address."))
            return value

    def phone(self, field, value) -> str:
        value = normalise(value).translate(LAO_DIGITS)
        if value and not _PHONE.match(value):
            self.add(field, _("Enter a phone number: digits, spaces, + ( ) - only."))
        return value

    def date(self, field, value, *, required=True, not_future=False):
        if value is None:
            if required:
                self.add(field, _("This field is required."))
            return None
        if not isinstance(value, dt.date):
            self.add(field, _("Enter a date as YYYY-MM-DD."))
            return None
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            self.add(field, _("Enter a date between 1975 and 2100."))
        elif not_future and value > dt.date.today():
            self.add(field, _("This date cannot be in the future."))
        return value

    def period(self, start_field, start, end_field, end):
        start = self.date(start_field, start)
        end = self.date(end_field, end)
        if start and end and end < start:
            self.add(end_field, _("The end date cannot be before the start date."))
        return start, end

    def reference(self, db: Session, field, model, object_id, *, required=True):
        if object_id in (None, ""):
            if required:
                self.add(field, _("This field is required."))
            return None
        try:
            obj = db.get(model, int(object_id))
        except (TypeError, ValueError):
            obj = None
        if obj is None:
            self.add(field, _("Not a valid choice."))
        return obj

    def province(self, db: Session, field, code, *, required=True):
        """A province by its ISO 3166-2:LA code (as forms and imports send it)."""
        code = normalise(code).upper()
        if not code:
            if required:
                self.add(field, _("This field is required."))
            return None
        province = db.scalar(select(Province).where(Province.code == code))
        if province is None:
            self.add(field, _("Unknown province code %(code)s.", code=code[:10]))
        return province

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# The largest id an id column holds: they are INTEGER, 32 bits on PostgreSQL (SQLite's
# hold 64). A larger number names nothing, and is never sent to the database.
MAX_ID = 2**31 - 1


def as_id(value) -> int | None:
    """``value`` as a record id, or None when it cannot be one (not a whole number, or
    out of the database's range)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def get_or_404(db: Session, model, object_id):
    number = as_id(object_id)
    obj = db.get(model, number) if number is not None else None
    if obj is None:
        raise NotFound(_("That record does not exist."))
    return obj


class _Unchecked:
    """What a service's ``lock_version`` is when its caller edits no form (a command, a
    job, the demo seed): no version to compare. A form always sends its value, so a
    form posted without one sends None, which is refused."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Any = _Unchecked()


def check_lock(obj, lock_version) -> None:
    """Refuse a save made from a form opened before someone else's save, or from a form
    that does not say which version it edited."""
    if lock_version is UNCHECKED:
        return
    if lock_version in (None, ""):
        raise StaleObject(
            _(
                "The form did not say which version of the record it changes, so it was "
                "not saved: reload the page and make your changes again."
            )
        )
    try:
        sent = int(lock_version)
    except (TypeError, ValueError):
        sent = None  # not a version this app wrote: treated as out of date
    if sent != obj.lock_version:
        raise StaleObject(
            _(
                "Someone else saved this record after you opened it. "
                "Your changes were not saved: reload the page to see theirs, then make yours again."
            )
        )


def flush(db: Session) -> None:
    """Flush, turning a concurrent update into a StaleObject error."""
    try:
        db.flush()
    except StaleDataError as exc:
        raise StaleObject(
            _("Someone else saved this record at the same time. Your changes were not saved.")
        ) from exc

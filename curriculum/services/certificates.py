"""Certificates: who earned one, their numbers, and the public check of a number.

A participant earns a certificate by attending the days the workshop asks for
(every day unless the workshop says fewer). A number is drawn at random from an
alphabet without look-alike characters, so it cannot be guessed from another
one; issuing again keeps it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..errors import ValidationError
from ..i18n import _
from ..models import Registration, Workshop
from ..permissions import Actor, require
from ..vocabulary import RegistrationStatus, WorkshopStatus
from . import audit
from .validation import flush, get_or_404

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
GROUPS = 3
GROUP_LENGTH = 4


def new_number() -> str:
    """A random certificate number such as ``CTG-7KQM-2WXR-P9DA`` (about 59 bits)."""
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)]
    return "CTG-" + "-".join(groups)


def normalise_number(text: str) -> str:
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if cleaned.startswith("CTG"):
        cleaned = cleaned[3:]
    if len(cleaned) != GROUPS * GROUP_LENGTH:
        return ""
    parts = [cleaned[i : i + GROUP_LENGTH] for i in range(0, len(cleaned), GROUP_LENGTH)]
    return "CTG-" + "-".join(parts)


def days_required(workshop: Workshop) -> int:
    days = (workshop.end_date - workshop.start_date).days + 1
    return min(days, workshop.certificate_days or days)


def earned(registration: Registration) -> bool:
    """Attended at least the days the workshop asks for."""
    if registration.status in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.INVITED,
    ):
        return False
    present = sum(1 for a in registration.attendance if a.present)
    return present >= days_required(registration.workshop)


def issue_certificates(db: Session, actor: Actor, workshop_id) -> list[Registration]:
    """Give a number to every participant who earned a certificate (numbers already given
    are kept); returns those registrations, in name order."""
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    if workshop.status not in (WorkshopStatus.DELIVERED, WorkshopStatus.REPORTED):
        raise ValidationError(
            {None: [_("Certificates are issued once the workshop is marked as delivered.")]}
        )
    registrations = list(
        db.scalars(select(Registration).where(Registration.workshop_id == workshop.id))
    )
    taken = set(
        db.scalars(
            select(Registration.certificate_number).where(
                Registration.certificate_number.is_not(None)
            )
        )
    )
    issued = []
    new = 0
    for reg in registrations:
        if not earned(reg):
            continue
        if reg.certificate_number is None:
            number = new_number()
            while number in taken:
                number = new_number()
            taken.add(number)
            reg.certificate_number = number
            reg.certificate_issued_at = utcnow()
            new += 1
        issued.append(reg)
    flush(db)
    if new:
        audit.record(
            db,
            actor,
            "certificates",
            workshop,
            {"issued": [len(issued) - new, len(issued)]},
            workshop.title,
        )
    return _in_name_order(issued)


def issued_certificates(db: Session, workshop: Workshop) -> list[Registration]:
    """The registrations of ``workshop`` that were given a certificate, in name order
    (reading only: printing certificates changes nothing)."""
    return _in_name_order(
        db.scalars(
            select(Registration).where(
                Registration.workshop_id == workshop.id,
                Registration.certificate_number.is_not(None),
                Registration.status.not_in(
                    (
                        RegistrationStatus.CANCELLED,
                        RegistrationStatus.WAITLISTED,
                        RegistrationStatus.INVITED,
                    )
                ),
            )
        )
    )


def _in_name_order(registrations) -> list[Registration]:
    return sorted(
        registrations,
        key=lambda r: (r.participant.family_name_latin, r.participant.given_name_latin, r.id),
    )


@dataclass(frozen=True)
class Verified:
    number: str
    name_latin: str
    name_lao: str
    workshop: str
    start: str
    end: str


def verify(db: Session, number: str) -> Verified | None:
    """What the public verification page shows for a number: name, workshop, dates."""
    number = normalise_number(number)
    if not number:
        return None
    reg = db.scalar(select(Registration).where(Registration.certificate_number == number))
    if reg is None:
        return None
    p, w = reg.participant, reg.workshop
    return Verified(
        number, p.name_latin, p.name_lao, w.title, w.start_date.isoformat(), w.end_date.isoformat()
    )

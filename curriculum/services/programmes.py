"""Programme outlines: the lesson plans of a one-, two- or three-day provincial workshop,
in teaching order, offered when a coordinator lays out a workshop's agenda.

An outline names plans by key and language; laying an agenda out from it takes the latest
approved version of each plan in the workshop's language (English where the outline has
no Lao list), so an outline never needs editing when a plan gets a new version.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..i18n import _
from ..models import LessonPlan, Programme, Workshop
from ..permissions import Actor, require
from ..vocabulary import Language, PlanKind, PlanStatus
from .validation import get_or_404
from .workshops import lay_out_agenda


def list_programmes(db: Session) -> list[Programme]:
    return list(db.scalars(select(Programme).order_by(Programme.position, Programme.key)))


def for_workshop(db: Session, workshop: Workshop) -> list[Programme]:
    """The outlines, those as long as the workshop first."""
    days = (workshop.end_date - workshop.start_date).days + 1
    return sorted(list_programmes(db), key=lambda p: (p.days != days, p.position))


def outline_language(programme: Programme, language: str) -> str:
    """The language whose plans are laid out: the workshop's, if the outline lists it."""
    return language if programme.plan_keys(language) else Language.EN


def outline_plans(db: Session, programme: Programme, language: str) -> list[LessonPlan]:
    """The latest approved version of each of the outline's plans in ``language``."""
    keys = programme.plan_keys(outline_language(programme, language))
    latest = (
        select(LessonPlan.key, func.max(LessonPlan.version).label("version"))
        .where(LessonPlan.key.in_(keys), LessonPlan.status == PlanStatus.APPROVED)
        .group_by(LessonPlan.key)
        .subquery()
    )
    found = {
        p.key: p
        for p in db.scalars(
            select(LessonPlan).join(
                latest,
                (LessonPlan.key == latest.c.key) & (LessonPlan.version == latest.c.version),
            )
        )
        if p.kind == PlanKind.PLAN
    }
    missing = [k for k in keys if k not in found]
    if missing:
        raise ValidationError(
            {
                "programme": [
                    _(
                        "This outline names plans that have no approved version: %(keys)s.",
                        keys=", ".join(missing),
                    )
                ]
            }
        )
    return [found[k] for k in keys]


def lay_out_programme(db: Session, actor: Actor, workshop_id, programme_key) -> tuple:
    """Lay the workshop's agenda out from an outline, in one step (see
    :func:`curriculum.services.workshops.lay_out_agenda`)."""
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    programme = db.scalar(select(Programme).where(Programme.key == str(programme_key or "")))
    if programme is None:
        raise NotFound(_("There is no such programme outline."))
    plans = outline_plans(db, programme, workshop.language)
    return lay_out_agenda(db, actor, workshop.id, [p.id for p in plans])

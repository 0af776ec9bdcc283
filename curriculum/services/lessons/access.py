"""Who may do what to a lesson plan: its authors, its reviewers (coordinators, or a
master trainer of its module, never an author), and the command line."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import PermissionDenied, ValidationError
from ...i18n import _
from ...models import (
    LessonPlan,
    Qualification,
)
from ...permissions import can, require
from ...vocabulary import Level, PlanStatus
from .. import lesson_rules as rules

# -- who may do what ----------------------------------------------------------------------------


def is_author(actor, plan: LessonPlan) -> bool:
    if actor is None or actor.is_system or not getattr(actor, "is_authenticated", False):
        return False
    return plan.owner_id == actor.id or any(u.id == actor.id for u in plan.authors)


def is_master_trainer(db: Session, actor, module_id) -> bool:
    if actor is None or actor.trainer_id is None or module_id is None:
        return False
    return (
        db.scalar(
            select(Qualification.id).where(
                Qualification.trainer_id == actor.trainer_id,
                Qualification.module_id == module_id,
                Qualification.level == Level.MASTER,
            )
        )
        is not None
    )


def standing(db: Session, actor, plan: LessonPlan) -> set[str]:
    """``author`` and/or ``reviewer``: the actor's part in this plan's review.

    Nobody reviews a plan they wrote; a trainer reviews only the modules they are
    a master trainer of; coordinators and admins review every module.
    """
    result: set[str] = set()
    if actor is not None and actor.is_system:
        return {rules.AUTHOR, rules.REVIEWER}
    if not can(actor, "lesson.view"):
        return result
    if is_author(actor, plan) and can(actor, "lesson.write"):
        result.add(rules.AUTHOR)
    elif can(actor, "lesson.review") and (
        can(actor, "lesson.review_any_module") or is_master_trainer(db, actor, plan.module_id)
    ):
        result.add(rules.REVIEWER)
    return result


def can_edit(db: Session, actor, plan: LessonPlan) -> bool:
    return plan.status == PlanStatus.DRAFT and rules.AUTHOR in standing(db, actor, plan)


def can_start_version(db: Session, actor, plan: LessonPlan) -> bool:
    return (
        plan.status == PlanStatus.APPROVED
        and bool(standing(db, actor, plan))
        and can(actor, "lesson.write")
    )


def require_edit(db: Session, actor, plan: LessonPlan) -> None:
    require(actor, "lesson.write")
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(
            {
                None: [
                    _(
                        "An approved plan is read-only. Start a new version to change it, "
                        "or fork it into a plan of your own."
                    )
                ]
            }
        )
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            {None: [_("Only a draft can be edited; this plan is %(status)s.", status=plan.status)]}
        )
    if rules.AUTHOR not in standing(db, actor, plan):
        raise PermissionDenied(_("Only the plan's authors can edit it."))

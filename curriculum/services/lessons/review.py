"""Review of lesson plans: status changes, comments, and what waits for whom."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, selectinload

from ...db import utcnow
from ...errors import PermissionDenied
from ...i18n import _
from ...models import (
    LessonComment,
    LessonPlan,
)
from ...models.lessons import (
    lesson_plan_authors,
)
from ...permissions import Actor, can, require
from ...vocabulary import Decision, PlanStatus
from .. import audit
from .. import lesson_rules as rules
from ..validation import UNCHECKED, Checker, check_lock, flush
from .access import standing
from .plans import get_plan, plan_problems
from .values import whole_number

# -- review -------------------------------------------------------------------------------------


def change_status(
    db: Session,
    actor: Actor,
    plan_id,
    action: str,
    comment: str = "",
    lock_version=UNCHECKED,
) -> LessonPlan:
    """Submit, withdraw, approve, request changes, retire or reinstate (audited)."""
    plan = get_plan(db, plan_id)
    require(actor, "lesson.review" if action not in ("submit", "withdraw") else "lesson.write")
    check_lock(plan, lock_version)
    c = Checker()
    comment = c.text("comment", comment, max_length=5000)
    if action == "request_changes" and not comment:
        c.add("comment", _("Say what should change."))
    c.done()
    has_errors = bool(rules.errors(plan_problems(plan)))
    before = plan.status
    plan.status = rules.next_status(
        plan.status, action, standing(db, actor, plan), has_errors=has_errors
    )
    now = utcnow()
    if action == "submit":
        plan.submitted_at = now
    if action == "approve":
        plan.approved_at = now
        for older in db.scalars(
            select(LessonPlan).where(
                LessonPlan.key == plan.key,
                LessonPlan.version < plan.version,
                LessonPlan.status == PlanStatus.APPROVED,
            )
        ):
            older.status = PlanStatus.RETIRED
            audit.record(
                db,
                actor,
                "retire",
                older,
                {"status": [PlanStatus.APPROVED, PlanStatus.RETIRED]},
                older.title,
            )
    decision = {"approve": Decision.APPROVED, "request_changes": Decision.CHANGES_REQUESTED}.get(
        action
    )
    if decision or comment:
        db.add(
            LessonComment(
                plan=plan,
                author_id=actor.id,
                author_label=actor.name,
                decision=decision,
                body=comment,
            )
        )
    flush(db)
    audit.record(db, actor, action, plan, {"status": [before, plan.status]}, plan.title)
    return plan


def add_comment(
    db: Session,
    actor: Actor,
    plan_id,
    body: str | None,
    *,
    activity_id=None,
    reply_to_id=None,
) -> LessonComment:
    """A reviewer's comment (on the plan or one activity), or an author's answer."""
    plan = get_plan(db, plan_id)
    require(actor, "lesson.view")
    if not standing(db, actor, plan):
        raise PermissionDenied(_("Only the plan's authors and its reviewers can comment."))
    c = Checker()
    body = c.text("body", body, max_length=5000)
    if not body:
        c.add("body", _("Write the comment."))
    activity = None
    if activity_id not in (None, ""):
        activity = next((a for a in plan.activities if a.id == whole_number(activity_id)), None)
        if activity is None:
            c.add("activity", _("That activity is not part of this plan."))
    reply_to = None
    if reply_to_id not in (None, ""):
        reply_to = next((x for x in plan.comments if x.id == whole_number(reply_to_id)), None)
        if reply_to is None:
            c.add("reply_to", _("That comment is not on this plan."))
        else:
            activity = activity or reply_to.activity
    c.done()
    comment = LessonComment(
        plan=plan,
        activity=activity,
        activity_label=activity.title if activity is not None else "",
        reply_to=reply_to,
        author_id=actor.id,
        author_label=actor.name,
        body=body,
    )
    db.add(comment)
    flush(db)
    audit.record(db, actor, "comment", plan, {"comment": [None, comment.id]}, plan.title)
    return comment


@dataclass(frozen=True)
class WaitingItem:
    plan: LessonPlan
    reason: str  # "review" (a plan waits for the actor's review) or "changes" (for the author)

    @property
    def is_review(self) -> bool:
        """The plan waits for the actor's review (otherwise, for its author's changes)."""
        return self.reason == "review"


def waiting_for(db: Session, actor: Actor) -> list[WaitingItem]:
    """Plans that wait for the actor: reviews to do, and their own plans sent back."""
    items: list[WaitingItem] = []
    if actor is None or not can(actor, "lesson.view"):
        return items
    in_review = db.scalars(
        select(LessonPlan)
        .where(LessonPlan.status == PlanStatus.IN_REVIEW)
        .order_by(LessonPlan.submitted_at)
        .options(selectinload(LessonPlan.authors))
    )
    for plan in in_review:
        if rules.REVIEWER in standing(db, actor, plan):
            items.append(WaitingItem(plan, "review"))
    own = db.scalars(
        select(LessonPlan)
        .where(
            LessonPlan.status == PlanStatus.DRAFT,
            exists().where(
                and_(
                    lesson_plan_authors.c.plan_id == LessonPlan.id,
                    lesson_plan_authors.c.user_id == actor.id,
                )
            ),
        )
        .order_by(LessonPlan.updated_at.desc())
    )
    for plan in own:
        decisions = [c for c in plan.comments if c.decision]
        if decisions and decisions[-1].decision == Decision.CHANGES_REQUESTED:
            items.append(WaitingItem(plan, "changes"))
    return items

"""Lesson plans in the curriculum files: read from them and written to them."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ...db import utcnow
from ...errors import ValidationError
from ...models import (
    LessonPlan,
    Module,
)
from ...vocabulary import PlanKind, PlanStatus
from ..validation import flush
from .plans import clean_data, plan_data, write_content

# -- curriculum files ---------------------------------------------------------------------------


def file_data(plan: LessonPlan) -> dict:
    """A plan as the curriculum files hold it (no ids; objectives as plain text)."""
    data = plan_data(plan)
    return {
        "key": plan.key,
        "kind": plan.kind,
        "module": plan.module.code if plan.module else None,
        "language": plan.language,
        "title": plan.title,
        "credit": plan.credit,
        "audience": plan.audience,
        "duration_minutes": plan.duration_minutes,
        "objectives": [o["text"] for o in data["objectives"]],
        "key_messages": data["key_messages"],
        "materials": plan.materials,
        "handouts": data["handouts"],
        "provisions": data["provisions"],
        "assessment": plan.assessment,
        "trainer_notes": plan.trainer_notes,
        "activities": [{k: v for k, v in a.items() if k != "id"} for a in data["activities"]],
    }


def _from_file(data: dict) -> dict:
    content = {k: v for k, v in data.items() if k not in ("key", "kind", "module", "credit")}
    content["objectives"] = [{"id": None, "text": t} for t in data["objectives"]]
    content["activities"] = [{**a, "id": None} for a in data["activities"]]
    return content


def import_lesson_plans(db: Session, actor, plans: list[dict], summary) -> None:
    """Create or update plans and templates from the files: a changed one gets a new version,
    approved (the files hold the curriculum as approved). The teaching methods they use
    are reference data, added with the rest of it before any import."""
    modules = {m.code: m for m in db.scalars(select(Module))}
    for data in plans:
        label = f"{data['kind']} {data['key']}"
        current = db.scalar(
            select(LessonPlan)
            .where(LessonPlan.key == data["key"], LessonPlan.status == PlanStatus.APPROVED)
            .order_by(LessonPlan.version.desc())
            .limit(1)
        )
        if current is not None and file_data(current) == data:
            summary.unchanged.append(label)
            continue
        try:
            content = clean_data(db, None, _from_file(data))
        except ValidationError as exc:
            raise ValidationError(
                {None: [f"{data['key']}: {m}" for msgs in exc.errors.values() for m in msgs]}
            ) from exc
        last = db.scalar(select(func.max(LessonPlan.version)).where(LessonPlan.key == data["key"]))
        plan = LessonPlan(
            key=data["key"],
            version=(last or 0) + 1,
            kind=data["kind"],
            module=modules.get(data["module"]),
            status=PlanStatus.APPROVED,
            credit=data["credit"],
            title=content["title"],
            duration_minutes=content["duration_minutes"],
            change_note="Imported from the curriculum files",
            approved_at=utcnow(),
        )
        db.add(plan)
        write_content(db, plan, content)
        if current is not None:
            current.status = PlanStatus.RETIRED
        (summary.updated if last else summary.created).append(label)
    flush(db)


def is_empty(db: Session) -> bool:
    return db.scalar(select(LessonPlan.id).limit(1)) is None


def export_lesson_plans(db: Session) -> list[dict]:
    """The latest approved version of every plan and template, in key order."""
    result: list[dict] = []
    for kind in (PlanKind.TEMPLATE, PlanKind.PLAN):
        latest = (
            select(LessonPlan.key, func.max(LessonPlan.version).label("version"))
            .where(LessonPlan.kind == kind, LessonPlan.status == PlanStatus.APPROVED)
            .group_by(LessonPlan.key)
            .subquery()
        )
        plans = db.scalars(
            select(LessonPlan)
            .join(
                latest,
                and_(LessonPlan.key == latest.c.key, LessonPlan.version == latest.c.version),
            )
            .order_by(LessonPlan.key)
        )
        result.extend(file_data(p) for p in plans)
    return result

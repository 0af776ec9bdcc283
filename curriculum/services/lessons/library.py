"""The plans library: lists with filters and sorts, versions, and what changed between two."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session, selectinload

from ...models import (
    LessonActivity,
    LessonPlan,
    Method,
    Module,
    User,
)
from ...models.lessons import (
    lesson_plan_authors,
)
from ...text import fold
from ...vocabulary import PlanKind
from ..diffs import FieldDiff, line_diff
from ..paging import Page, paginate
from .plans import ACTIVITY_TEXT_FIELDS, plan_data

# -- the library ------------------------------------------------------------------------------

SORTS = ("module", "title", "duration", "updated")


@dataclass(frozen=True)
class PlanFilters:
    module: str = ""
    language: str = ""
    status: str = ""
    author: int | None = None
    method: str = ""
    max_duration: int | None = None
    min_duration: int | None = None
    q: str = ""
    sort: str = "module"


def _plans(filters: PlanFilters) -> Select:
    """The latest version of every plan, filtered and sorted (ties broken by id)."""
    latest = (
        select(LessonPlan.key, func.max(LessonPlan.version).label("version"))
        .where(LessonPlan.kind == PlanKind.PLAN)
        .group_by(LessonPlan.key)
        .subquery()
    )
    query = (
        select(LessonPlan)
        .join(latest, and_(LessonPlan.key == latest.c.key, LessonPlan.version == latest.c.version))
        .join(Module, Module.id == LessonPlan.module_id)
        .options(
            selectinload(LessonPlan.module),
            selectinload(LessonPlan.authors),
            selectinload(LessonPlan.activities).selectinload(LessonActivity.method),
        )
    )
    if filters.module:
        query = query.where(Module.code == filters.module)
    if filters.language:
        query = query.where(LessonPlan.language == filters.language)
    if filters.status:
        query = query.where(LessonPlan.status == filters.status)
    if filters.author:
        query = query.where(
            exists().where(
                and_(
                    lesson_plan_authors.c.plan_id == LessonPlan.id,
                    lesson_plan_authors.c.user_id == filters.author,
                )
            )
        )
    if filters.method:
        query = query.where(
            exists().where(
                and_(
                    LessonActivity.plan_id == LessonPlan.id,
                    LessonActivity.method_id == Method.id,
                    Method.code == filters.method,
                )
            )
        )
    if filters.max_duration:
        query = query.where(LessonPlan.duration_minutes <= filters.max_duration)
    if filters.min_duration:
        query = query.where(LessonPlan.duration_minutes >= filters.min_duration)
    if filters.q:
        folded = fold(filters.q)
        escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(LessonPlan.search_text.like(f"%{escaped}%", escape="\\"))
    order = {
        "module": (Module.code, LessonPlan.language, LessonPlan.title, LessonPlan.id),
        "title": (LessonPlan.title, LessonPlan.id),
        "duration": (LessonPlan.duration_minutes, LessonPlan.title, LessonPlan.id),
        "updated": (LessonPlan.updated_at.desc(), LessonPlan.id.desc()),
    }.get(filters.sort, (Module.code, LessonPlan.language, LessonPlan.title, LessonPlan.id))
    return query.order_by(*order)


def list_plans(
    db: Session, filters: PlanFilters = PlanFilters(), *, limit: int | None = None
) -> list[LessonPlan]:
    """The latest version of every plan (the first ``limit`` of them), filtered and sorted."""
    return list(db.scalars(_plans(filters).limit(limit)))


def page_plans(
    db: Session, filters: PlanFilters = PlanFilters(), *, page: Any = 1, per_page: int = 50
) -> Page[LessonPlan]:
    """One page of :func:`list_plans`."""
    return paginate(db, _plans(filters), page, per_page)


def plan_authors(db: Session) -> list[User]:
    """Everyone who is an author of some plan (for the library's filter)."""
    return list(
        db.scalars(
            select(User)
            .where(exists().where(lesson_plan_authors.c.user_id == User.id))
            .order_by(User.name)
        )
    )


def list_versions(db: Session, plan: LessonPlan) -> list[LessonPlan]:
    return list(
        db.scalars(
            select(LessonPlan).where(LessonPlan.key == plan.key).order_by(LessonPlan.version.desc())
        )
    )


def _activity_line(n: int, a: dict) -> str:
    serves = ", ".join(f"O{x}" for x in a["serves"])
    return f"{n}. {a['minutes']} min · {a['method']} · {a['title']} [{serves}]"


def compare_plans(old: LessonPlan, new: LessonPlan) -> list[FieldDiff]:
    """What differs between two versions, field by field, line by line."""
    a, b = plan_data(old), plan_data(new)
    fields = [
        ("title", [a["title"]], [b["title"]]),
        ("duration_minutes", [str(a["duration_minutes"])], [str(b["duration_minutes"])]),
        ("audience", a["audience"].split("\n"), b["audience"].split("\n")),
        ("objectives", [o["text"] for o in a["objectives"]], [o["text"] for o in b["objectives"]]),
        ("key_messages", a["key_messages"], b["key_messages"]),
        (
            "activities",
            [_activity_line(n, x) for n, x in enumerate(a["activities"], 1)],
            [_activity_line(n, x) for n, x in enumerate(b["activities"], 1)],
        ),
        ("materials", a["materials"].split("\n"), b["materials"].split("\n")),
        ("provisions", a["provisions"], b["provisions"]),
        ("handouts", a.get("handouts", []), b.get("handouts", [])),
        ("assessment", a["assessment"].split("\n"), b["assessment"].split("\n")),
        ("trainer_notes", a["trainer_notes"].split("\n"), b["trainer_notes"].split("\n")),
    ]
    for n, (x, y) in enumerate(zip(a["activities"], b["activities"], strict=False), 1):
        for name in ACTIVITY_TEXT_FIELDS:
            if x[name] != y[name]:
                fields.append((f"activity {n}: {name}", x[name].split("\n"), y[name].split("\n")))
    return [
        FieldDiff(name, "", line_diff(left, right)) for name, left, right in fields if left != right
    ]

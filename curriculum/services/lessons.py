"""Lesson plans: create, build, version, fork, review, browse, import and export.

A plan's content travels as one plain dict (the builder's form, the curriculum
files and :func:`plan_data` all use it)::

    title, language, audience, duration_minutes, key_messages (list), materials,
    assessment, trainer_notes, provisions (keys),
    objectives: [{id, text}],
    activities: [{id, minutes, method, title, trainer_does, participants_do,
                  materials, notes, serves (objective numbers, 1-based)}]

``id`` is the database id of an existing objective or activity (None for a new
one); it keeps review comments attached to their activity across saves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, selectinload

from ..db import utcnow
from ..errors import NotFound, PermissionDenied, ValidationError
from ..i18n import _
from ..models import (
    LegalProvision,
    LessonActivity,
    LessonComment,
    LessonObjective,
    LessonPlan,
    Method,
    Module,
    Qualification,
    User,
)
from ..models.lessons import (
    MAX_ACTIVITIES,
    MAX_ACTIVITY_MINUTES,
    MAX_OBJECTIVES,
    MAX_PLAN_MINUTES,
    lesson_plan_authors,
)
from ..permissions import Actor, can, require
from ..text import fold
from ..vocabulary import AuditAction, Decision, Language, Level, PlanKind, PlanStatus
from . import audit
from . import lesson_rules as rules
from .diffs import FieldDiff, line_diff, local
from .validation import Checker, check_lock, flush, get_or_404

DEFAULT_DURATION = 90
TEXT_FIELDS = ("audience", "materials", "assessment", "trainer_notes")
ACTIVITY_TEXT_FIELDS = ("trainer_does", "participants_do", "materials", "notes")
# An activity's fields as the builder posts them (beside its id and the objectives it serves).
ACTIVITY_FIELDS = ("minutes", "method", "title", *ACTIVITY_TEXT_FIELDS)
AUDIT_FIELDS = ("title", "language", "duration_minutes", "status", "version")


# -- reading ----------------------------------------------------------------------------------


def get_plan(db: Session, plan_id) -> LessonPlan:
    return get_or_404(db, LessonPlan, plan_id)


def list_methods(db: Session, *, active_only: bool = True) -> list[Method]:
    query = select(Method).order_by(Method.position, Method.name_en)
    if active_only:
        query = query.where(Method.active.is_(True))
    return list(db.scalars(query))


def plan_data(plan: LessonPlan) -> dict:
    """The plan's content as the builder, the files and the comparisons see it."""
    numbers = {o.id: n for n, o in enumerate(plan.objectives, start=1)}
    return {
        "title": plan.title,
        "language": plan.language,
        "audience": plan.audience,
        "duration_minutes": plan.duration_minutes,
        "key_messages": _lines(plan.key_messages),
        "materials": plan.materials,
        "assessment": plan.assessment,
        "trainer_notes": plan.trainer_notes,
        "provisions": [p.key for p in plan.provisions],
        "objectives": [{"id": o.id, "text": o.text} for o in plan.objectives],
        "activities": [
            {
                "id": a.id,
                "minutes": a.minutes,
                "method": a.method.code,
                "title": a.title,
                "trainer_does": a.trainer_does,
                "participants_do": a.participants_do,
                "materials": a.materials,
                "notes": a.notes,
                "serves": sorted(numbers[o.id] for o in a.objectives if o.id in numbers),
            }
            for a in plan.activities
        ],
    }


def steps_of(activities: list[dict], methods: dict[str, Method]) -> list[rules.Step]:
    steps = []
    for a in activities:
        method = methods.get(a.get("method") or "")
        steps.append(
            rules.Step(
                minutes=a.get("minutes") or 0,
                lecture=bool(method and method.lecture),
                participatory=bool(method and method.participatory),
                serves=frozenset(a.get("serves") or ()),
                title=a.get("title") or "",
            )
        )
    return steps


def plan_problems(plan: LessonPlan) -> list[rules.Problem]:
    steps = [
        rules.Step(
            minutes=a.minutes,
            lecture=a.method.lecture,
            participatory=a.method.participatory,
            serves=frozenset(
                n for n, o in enumerate(plan.objectives, start=1) if o in a.objectives
            ),
            title=a.title,
        )
        for a in plan.activities
    ]
    return rules.check_plan(plan.duration_minutes, len(plan.objectives), steps)


def data_problems(db: Session, data: dict) -> list[rules.Problem]:
    """The rules applied to unsaved content (the builder's live check)."""
    methods = {m.code: m for m in list_methods(db, active_only=False)}
    objectives = [o for o in data.get("objectives", []) if (o.get("text") or "").strip()]
    return rules.check_plan(
        data.get("duration_minutes") or 0, len(objectives), steps_of(data["activities"], methods)
    )


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


def _require_edit(db: Session, actor, plan: LessonPlan) -> None:
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


# -- cleaning the content --------------------------------------------------------------------


def _lines(value) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return [str(x).strip() for x in items if x and str(x).strip()]


def _int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _id(value):
    if value in (None, ""):
        return None
    return _int(value) if _int(value) is not None else -1


def clean_data(db: Session, plan: LessonPlan | None, data: dict) -> dict:
    """Check every field of ``data``; return it cleaned or raise ValidationError naming fields
    as the builder's form does (``activities-2-minutes``)."""
    c = Checker()
    activities_in = list(data.get("activities") or [])
    objectives_in = list(data.get("objectives") or [])
    if len(activities_in) > MAX_ACTIVITIES:
        raise ValidationError(
            {
                "activities": [
                    _(
                        "A plan has at most %(max)d activities; %(count)d were sent. "
                        "Nothing was saved.",
                        max=MAX_ACTIVITIES,
                        count=len(activities_in),
                    )
                ]
            }
        )
    out: dict = {
        "title": c.name("title", data.get("title"), max_length=300),
        "language": c.choice("language", data.get("language"), tuple(Language)),
    }
    for name in TEXT_FIELDS:
        out[name] = c.text(name, data.get(name), max_length=10_000)
    out["key_messages"] = [
        c.text("key_messages", m, max_length=1000) for m in _lines(data.get("key_messages"))
    ]
    duration = _int(data.get("duration_minutes"))
    if duration is None or not 1 <= duration <= MAX_PLAN_MINUTES:
        c.add(
            "duration_minutes",
            _("Give the duration in whole minutes, 1 to %(max)d.", max=MAX_PLAN_MINUTES),
        )
    out["duration_minutes"] = duration
    keys = list(dict.fromkeys(data.get("provisions") or []))
    known = set(db.scalars(select(LegalProvision.key).where(LegalProvision.key.in_(keys))))
    if any(k not in known for k in keys):
        c.add("provisions", _("Not a valid choice."))
    out["provisions"] = [k for k in keys if k in known]

    own_objectives = {o.id for o in plan.objectives} if plan is not None else set()
    own_activities = {a.id for a in plan.activities} if plan is not None else set()
    out["objectives"], renumber = _clean_objectives(c, objectives_in, own_objectives)
    methods = {m.code: m for m in list_methods(db, active_only=False)}
    out["activities"] = [
        _clean_activity(c, index, a, own_activities, methods, renumber, len(objectives_in))
        for index, a in enumerate(activities_in)
    ]
    c.done()
    return out


def _clean_objectives(
    c: Checker, objectives_in: list[dict], own: set[int]
) -> tuple[list[dict], dict[int, int]]:
    """The objectives with text, and how the numbers sent map to the numbers kept."""
    renumber: dict[int, int] = {}
    objectives = []
    for index, o in enumerate(objectives_in):
        text = c.text(f"objectives-{index}-text", o.get("text"), max_length=1000)
        oid = _id(o.get("id"))
        if text and oid is not None and oid not in own:
            c.add(
                f"objectives-{index}-text",
                _("This objective belongs to another plan. Nothing was saved."),
            )
        if text:
            objectives.append({"id": oid, "text": text})
            renumber[index + 1] = len(objectives)
    if len(objectives) > MAX_OBJECTIVES:
        c.add("objectives", _("A plan has at most %(max)d objectives.", max=MAX_OBJECTIVES))
    return objectives, renumber


def _clean_activity(
    c: Checker,
    index: int,
    a: dict,
    own: set[int],
    methods: dict,
    renumber: dict[int, int],
    objective_count: int,
) -> dict:
    prefix = f"activities-{index}-"
    aid = _id(a.get("id"))
    if aid is not None and aid not in own:
        c.add(prefix + "title", _("This activity belongs to another plan. Nothing was saved."))
    minutes = _int(a.get("minutes"))
    if minutes is None or not 1 <= minutes <= MAX_ACTIVITY_MINUTES:
        c.add(prefix + "minutes", _("Give whole minutes, 1 to %(max)d.", max=MAX_ACTIVITY_MINUTES))
    method = a.get("method")
    if method not in methods:
        c.add(prefix + "method", _("Not a valid choice."))
    serves = []
    for number in a.get("serves") or []:
        n = _int(number)
        if n is None or not 1 <= n <= objective_count:
            c.add(
                prefix + "serves",
                _("Objective %(n)s is not one of this plan's objectives.", n=str(number)[:10]),
            )
        elif n in renumber:
            serves.append(renumber[n])
    item = {
        "id": aid,
        "minutes": minutes,
        "method": method,
        "title": c.name(prefix + "title", a.get("title"), max_length=200),
        "serves": sorted(set(serves)),
    }
    for name in ACTIVITY_TEXT_FIELDS:
        item[name] = c.text(prefix + name, a.get(name), max_length=10_000)
    return item


def _write(db: Session, plan: LessonPlan, data: dict) -> None:
    """Make ``plan`` hold ``data`` (already cleaned), keeping objectives and activities by id."""
    plan.title = data["title"]
    plan.language = data["language"]
    plan.duration_minutes = data["duration_minutes"]
    plan.key_messages = "\n".join(data["key_messages"])
    for name in TEXT_FIELDS:
        setattr(plan, name, data[name])
    plan.provisions = list(
        db.scalars(select(LegalProvision).where(LegalProvision.key.in_(data["provisions"])))
    )
    existing = {o.id: o for o in plan.objectives}
    objectives = []
    for position, o in enumerate(data["objectives"], start=1):
        obj = existing.get(o["id"]) if o["id"] is not None else None
        if obj is None:
            obj = LessonObjective(text=o["text"], position=position)
        obj.text, obj.position = o["text"], position
        objectives.append(obj)
    plan.objectives = objectives
    methods = {m.code: m for m in list_methods(db, active_only=False)}
    existing_activities = {a.id: a for a in plan.activities}
    activities = []
    for position, a in enumerate(data["activities"], start=1):
        act = existing_activities.get(a["id"]) if a["id"] is not None else None
        if act is None:
            act = LessonActivity()
        act.position = position
        act.minutes = a["minutes"]
        act.method = methods[a["method"]]
        act.title = a["title"]
        for name in ACTIVITY_TEXT_FIELDS:
            setattr(act, name, a[name])
        act.objectives = [objectives[n - 1] for n in a["serves"]]
        activities.append(act)
    plan.activities = activities
    plan.search_text = _search_text(plan)
    plan.updated_at = utcnow()


def _search_text(plan: LessonPlan) -> str:
    parts = [plan.title, plan.audience, plan.key_messages]
    parts += [o.text for o in plan.objectives]
    parts += [a.title for a in plan.activities]
    return fold(" ".join(parts))[:20_000]


def new_activity(language: str = "en") -> dict:
    return {
        "id": None,
        "minutes": 10,
        "method": "plenary",
        "title": str(_("New activity")),
        "trainer_does": "",
        "participants_do": "",
        "materials": "",
        "notes": "",
        "serves": [],
    }


# -- creating, saving, versions and forks -------------------------------------------------------

STARTS = ("blank", "module", "template")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")


def _new_key(db: Session, module_code: str | None, language: str, title: str) -> str:
    base = "-".join(x for x in ((module_code or "t").lower(), language, _slug(title)) if x)
    key, n = base, 1
    while db.scalar(select(LessonPlan.id).where(LessonPlan.key == key).limit(1)):
        n += 1
        key = f"{base}-{n}"
    return key


def list_templates(db: Session) -> list[LessonPlan]:
    return [
        p for p in latest_versions(db, kind=PlanKind.TEMPLATE) if p.status == PlanStatus.APPROVED
    ]


def create_plan(
    db: Session,
    actor: Actor,
    *,
    module_code: str,
    language: str,
    start: str = "blank",
    template_id=None,
    title: str | None = "",
) -> LessonPlan:
    """A new draft: empty, prefilled from the module, or laid out from a template."""
    require(actor, "lesson.write")
    c = Checker()
    module = db.scalar(select(Module).where(Module.code == (module_code or "")))
    if module is None:
        c.add("module", _("Choose a module."))
    language = c.choice("language", language, ("en", "lo"))
    start = c.choice("start", start, STARTS)
    title = c.name("title", title, required=False, max_length=300)
    template = None
    if start == "template":
        template = db.get(LessonPlan, _int(template_id) or 0)
        if (
            template is None
            or template.kind != PlanKind.TEMPLATE
            or template.status != PlanStatus.APPROVED
        ):
            c.add("template", _("Choose a template."))
    c.done()
    assert module is not None  # c.done() raised "Choose a module." otherwise
    content = module.content
    if template is not None:
        data = plan_data(template)
        for o in data["objectives"]:
            o["id"] = None
        for a in data["activities"]:
            a["id"] = None
        data["title"] = title or f"{local(content, 'title', language).value}: {template.title}"
    else:
        data = {
            "title": title or local(content, "title", language).value,
            "audience": "",
            "duration_minutes": DEFAULT_DURATION,
            "materials": "",
            "assessment": "",
            "trainer_notes": "",
            "provisions": [],
            "objectives": [],
            "activities": [],
            "key_messages": [],
        }
    data["language"] = language
    if start in ("module", "template"):
        data["key_messages"] = list(local(content, "key_messages", language).value)
        data["audience"] = data["audience"] or local(content, "audience", language).value
    if start == "module":
        data["objectives"] = [
            {"id": None, "text": t} for t in local(content, "learning_outcomes", language).value
        ]
        data["duration_minutes"] = content.get("duration_minutes") or DEFAULT_DURATION
        data["provisions"] = list(content.get("provisions", []))[:12]
    data = clean_data(db, None, data)
    plan = LessonPlan(
        key=_new_key(db, module.code, language, data["title"]),
        version=1,
        kind=PlanKind.PLAN,
        module=module,
        status=PlanStatus.DRAFT,
        owner_id=actor.id,
        title=data["title"],
        duration_minutes=data["duration_minutes"],
    )
    if not actor.is_system:
        plan.authors = [actor]
    db.add(plan)
    _write(db, plan, data)
    flush(db)
    audit.record_create(db, actor, plan, AUDIT_FIELDS, plan.title)
    return plan


def save_plan(
    db: Session,
    actor: Actor,
    plan_id,
    data: dict,
    lock_version=None,
    operation: str | None = None,
) -> LessonPlan:
    """Save a draft's whole content in one go, after applying a builder button (``operation``).

    A draft may be saved with errors (they are shown); it is refused only for
    bad input, which stores nothing.
    """
    plan = get_plan(db, plan_id)
    _require_edit(db, actor, plan)
    check_lock(plan, lock_version)
    if len(data.get("activities") or []) > MAX_ACTIVITIES:
        clean_data(db, plan, data)  # raises the count message
    if operation:
        data = dict(data)
        data["activities"] = rules.apply_operation(
            list(data.get("activities") or []), operation, new_activity
        )
        if len(data["activities"]) > MAX_ACTIVITIES:
            raise ValidationError(
                {"activities": [_("A plan has at most %(max)d activities.", max=MAX_ACTIVITIES)]}
            )
    before = audit.snapshot(plan, AUDIT_FIELDS)
    data = clean_data(db, plan, data)
    _write(db, plan, data)
    flush(db)
    audit.record(
        db,
        actor,
        AuditAction.UPDATE,
        plan,
        audit.differences(before, audit.snapshot(plan, AUDIT_FIELDS)),
        plan.title,
    )
    return plan


def _copy(plan: LessonPlan, **values) -> LessonPlan:
    copy = LessonPlan(
        key=plan.key,
        version=plan.version,
        kind=plan.kind,
        module_id=plan.module_id,
        title=plan.title,
        language=plan.language,
        audience=plan.audience,
        duration_minutes=plan.duration_minutes,
        key_messages=plan.key_messages,
        materials=plan.materials,
        assessment=plan.assessment,
        trainer_notes=plan.trainer_notes,
        credit=plan.credit,
        search_text=plan.search_text,
        status=PlanStatus.DRAFT,
    )
    for name, value in values.items():
        setattr(copy, name, value)
    copy.provisions = list(plan.provisions)
    objectives = {}
    for o in plan.objectives:
        objectives[o.id] = LessonObjective(position=o.position, text=o.text)
    copy.objectives = list(objectives.values())
    copy.activities = [
        LessonActivity(
            position=a.position,
            minutes=a.minutes,
            method_id=a.method_id,
            title=a.title,
            trainer_does=a.trainer_does,
            participants_do=a.participants_do,
            materials=a.materials,
            notes=a.notes,
            objectives=[objectives[o.id] for o in a.objectives],
        )
        for a in plan.activities
    ]
    return copy


def newer_version(db: Session, plan: LessonPlan) -> LessonPlan | None:
    return db.scalar(
        select(LessonPlan)
        .where(LessonPlan.key == plan.key, LessonPlan.version > plan.version)
        .order_by(LessonPlan.version.desc())
        .limit(1)
    )


def start_new_version(db: Session, actor: Actor, plan_id) -> LessonPlan:
    """A new draft version of an approved plan (the approved one stays as it is)."""
    plan = get_plan(db, plan_id)
    require(actor, "lesson.write")
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({None: [_("Only an approved plan gets new versions.")]})
    if not standing(db, actor, plan):
        raise PermissionDenied(
            _(
                "Only the plan's authors, a coordinator or a master trainer of the module can "
                "start a new version; fork it to make your own."
            )
        )
    newer = newer_version(db, plan)
    if newer is not None:
        if newer.status in (PlanStatus.DRAFT, PlanStatus.IN_REVIEW):
            return newer
        raise ValidationError({None: [_("A newer version of this plan exists.")]})
    authors = list(plan.authors)
    if not actor.is_system and actor not in authors:
        authors.append(actor)
    draft = _copy(plan, version=plan.version + 1, owner_id=plan.owner_id or actor.id)
    draft.authors = authors
    draft.forked_from_id = plan.forked_from_id
    db.add(draft)
    flush(db)
    audit.record(
        db,
        actor,
        "new_version",
        draft,
        {"version": [plan.version, draft.version]},
        draft.title,
    )
    return draft


def fork_plan(db: Session, actor: Actor, plan_id) -> LessonPlan:
    """Copy an approved plan into the actor's own new draft; the copy remembers its source."""
    source = get_plan(db, plan_id)
    require(actor, "lesson.write")
    if not source.is_forkable:
        raise ValidationError({None: [_("Only an approved lesson plan can be forked.")]})
    module_code = source.module.code if source.module else None
    fork = _copy(
        source,
        key=_new_key(db, module_code, source.language, source.title),
        version=1,
        forked_from_id=source.id,
        owner_id=actor.id,
        credit="",
    )
    fork.authors = [] if actor.is_system else [actor]
    db.add(fork)
    flush(db)
    audit.record(db, actor, "fork", fork, {"forked_from": [None, source.id]}, fork.title)
    return fork


def fork_count(db: Session, plan: LessonPlan) -> int:
    """How many plans were forked from any version of ``plan``."""
    versions = select(LessonPlan.id).where(LessonPlan.key == plan.key)
    return db.execute(
        select(func.count(LessonPlan.id)).where(LessonPlan.forked_from_id.in_(versions))
    ).scalar_one()


# -- review -------------------------------------------------------------------------------------


def change_status(
    db: Session,
    actor: Actor,
    plan_id,
    action: str,
    comment: str = "",
    lock_version=None,
) -> LessonPlan:
    """Submit, withdraw, approve, request changes, retire or reinstate (audited)."""
    plan = get_plan(db, plan_id)
    check_lock(plan, lock_version)
    require(actor, "lesson.review" if action not in ("submit", "withdraw") else "lesson.write")
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
        activity = next((a for a in plan.activities if a.id == _int(activity_id)), None)
        if activity is None:
            c.add("activity", _("That activity is not part of this plan."))
    reply_to = None
    if reply_to_id not in (None, ""):
        reply_to = next((x for x in plan.comments if x.id == _int(reply_to_id)), None)
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


# -- teaching methods ---------------------------------------------------------------------------

METHOD_FIELDS = ("code", "name_en", "name_lo", "participatory", "lecture", "active")
_METHOD_CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


def save_method(db: Session, actor, data: dict, method_id=None, lock_version=None) -> Method:
    """Add a teaching method, or change one (its code stays: plans and files refer to it)."""
    require(actor, "method.manage")
    c = Checker()
    method = db.get(Method, _int(method_id)) if method_id else None
    if method_id and method is None:
        raise NotFound(_("That method does not exist."))
    if method is not None:
        check_lock(method, lock_version)
    code = (data.get("code") or "").strip().lower() if method is None else method.code
    if not _METHOD_CODE.match(code):
        c.add("code", _("Use lower-case letters, digits and _ (for example field_visit)."))
    elif method is None and db.scalar(select(Method.id).where(Method.code == code)):
        c.add("code", _("A method with this code exists already."))
    values = {
        "code": code,
        "name_en": c.name("name_en", data.get("name_en"), max_length=100),
        "name_lo": c.name("name_lo", data.get("name_lo"), required=False, max_length=100),
        "participatory": bool(data.get("participatory")),
        "lecture": bool(data.get("lecture")),
        "active": bool(data.get("active")),
    }
    c.done()
    if method is None:
        position = db.scalar(select(func.max(Method.position))) or 0
        method = Method(position=position + 1, **values)
        db.add(method)
        flush(db)
        audit.record_create(db, actor, method, METHOD_FIELDS, method.code)
        return method
    return audit.update(db, actor, method, values, METHOD_FIELDS, method.code)


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


def latest_versions(db: Session, *, kind: PlanKind = PlanKind.PLAN):
    latest = (
        select(LessonPlan.key, func.max(LessonPlan.version).label("version"))
        .where(LessonPlan.kind == kind)
        .group_by(LessonPlan.key)
        .subquery()
    )
    return db.scalars(
        select(LessonPlan)
        .join(latest, and_(LessonPlan.key == latest.c.key, LessonPlan.version == latest.c.version))
        .order_by(LessonPlan.title)
    )


def list_plans(db: Session, filters: PlanFilters = PlanFilters()) -> list[LessonPlan]:
    """The latest version of every plan, filtered and sorted."""
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
        "module": (Module.code, LessonPlan.language, LessonPlan.title),
        "title": (LessonPlan.title,),
        "duration": (LessonPlan.duration_minutes, LessonPlan.title),
        "updated": (LessonPlan.updated_at.desc(),),
    }.get(filters.sort, (Module.code, LessonPlan.language, LessonPlan.title))
    return list(db.scalars(query.order_by(*order)))


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
        _write(db, plan, content)
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

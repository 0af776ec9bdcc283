"""A lesson plan's content: read, checked, written, created, saved, versioned and forked.

A plan's content travels as one plain dict (the builder's form, the curriculum
files and :func:`plan_data` all use it)::

    title, language, audience, duration_minutes, key_messages (list), materials,
    assessment, trainer_notes, provisions (keys), handouts (material keys),
    objectives: [{id, text}],
    activities: [{id, minutes, method, title, trainer_does, participants_do,
                  materials, notes, serves (objective numbers, 1-based)}]

``id`` is the database id of an existing objective or activity (None for a new
one); it keeps review comments attached to their activity across saves.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ...db import utcnow
from ...errors import PermissionDenied, ValidationError
from ...i18n import _
from ...models import (
    LegalProvision,
    LessonActivity,
    LessonHandout,
    LessonObjective,
    LessonPlan,
    Material,
    Method,
    Module,
)
from ...models.lessons import (
    MAX_ACTIVITIES,
    MAX_ACTIVITY_MINUTES,
    MAX_OBJECTIVES,
    MAX_PLAN_MINUTES,
)
from ...permissions import Actor, require
from ...text import fold
from ...vocabulary import AuditAction, Language, PlanKind, PlanStatus
from .. import audit
from .. import lesson_rules as rules
from ..diffs import local
from ..validation import UNCHECKED, Checker, check_lock, flush, get_or_404
from .access import require_edit, standing
from .methods import list_methods
from .values import row_id, text_lines, whole_number

DEFAULT_DURATION = 90
TEXT_FIELDS = ("audience", "materials", "assessment", "trainer_notes")
ACTIVITY_TEXT_FIELDS = ("trainer_does", "participants_do", "materials", "notes")
# An activity's fields as the builder posts them (beside its id and the objectives it serves).
ACTIVITY_FIELDS = ("minutes", "method", "title", *ACTIVITY_TEXT_FIELDS)
AUDIT_FIELDS = ("title", "language", "duration_minutes", "status", "version")


# -- reading ----------------------------------------------------------------------------------


def get_plan(db: Session, plan_id) -> LessonPlan:
    return get_or_404(db, LessonPlan, plan_id)


def plan_data(plan: LessonPlan) -> dict:
    """The plan's content as the builder, the files and the comparisons see it."""
    numbers = {o.id: n for n, o in enumerate(plan.objectives, start=1)}
    return {
        "title": plan.title,
        "language": plan.language,
        "audience": plan.audience,
        "duration_minutes": plan.duration_minutes,
        "key_messages": text_lines(plan.key_messages),
        "materials": plan.materials,
        "assessment": plan.assessment,
        "trainer_notes": plan.trainer_notes,
        "provisions": [p.key for p in plan.provisions],
        "handouts": [link.material.key for link in plan.handout_links],
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


# -- cleaning the content --------------------------------------------------------------------


def check_activity_count(count: int) -> None:
    """A plan has at most MAX_ACTIVITIES activities: more are refused before anything is
    read further or stored (the builder's post is counted before it is parsed)."""
    if count > MAX_ACTIVITIES:
        raise ValidationError(
            {
                "activities": [
                    _(
                        "A plan has at most %(max)d activities; %(count)d were sent. "
                        "Nothing was saved.",
                        max=MAX_ACTIVITIES,
                        count=count,
                    )
                ]
            }
        )


def clean_data(db: Session, plan: LessonPlan | None, data: dict) -> dict:
    """Check every field of ``data``; return it cleaned or raise ValidationError naming each
    field by its path in ``data`` (``activities.2.minutes``: the third activity's minutes)."""
    c = Checker()
    activities_in = list(data.get("activities") or [])
    objectives_in = list(data.get("objectives") or [])
    check_activity_count(len(activities_in))
    out: dict = {
        "title": c.name("title", data.get("title"), max_length=300),
        "language": c.choice("language", data.get("language"), tuple(Language)),
    }
    for name in TEXT_FIELDS:
        out[name] = c.text(name, data.get(name), max_length=10_000)
    out["key_messages"] = [
        c.text("key_messages", m, max_length=1000) for m in text_lines(data.get("key_messages"))
    ]
    duration = whole_number(data.get("duration_minutes"))
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
    out["handouts"] = _clean_handouts(db, c, data.get("handouts") or [], out["language"])

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
        text = c.text(f"objectives.{index}.text", o.get("text"), max_length=1000)
        oid = row_id(o.get("id"))
        if text and oid is not None and oid not in own:
            c.add(
                f"objectives.{index}.text",
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
    prefix = f"activities.{index}."
    aid = row_id(a.get("id"))
    if aid is not None and aid not in own:
        c.add(prefix + "title", _("This activity belongs to another plan. Nothing was saved."))
    minutes = whole_number(a.get("minutes"))
    if minutes is None or not 1 <= minutes <= MAX_ACTIVITY_MINUTES:
        c.add(prefix + "minutes", _("Give whole minutes, 1 to %(max)d.", max=MAX_ACTIVITY_MINUTES))
    method = a.get("method")
    if method not in methods:
        c.add(prefix + "method", _("Not a valid choice."))
    serves = []
    for number in a.get("serves") or []:
        n = whole_number(number)
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


def _clean_handouts(db: Session, c, keys: list, language: str) -> list[str]:
    """Known handouts, each once, that exist in the plan's language."""
    keys = list(dict.fromkeys(k for k in keys if isinstance(k, str)))
    found = {m.key: m for m in db.scalars(select(Material).where(Material.key.in_(keys)))}
    if any(k not in found for k in keys):
        c.add("handouts", _("Not a valid choice."))
    missing = [found[k] for k in keys if k in found and not found[k].in_language(language)]
    if missing:
        c.add(
            "handouts",
            _(
                "These handouts have no Lao text yet: %(titles)s.",
                titles=", ".join(m.title_en for m in missing),
            ),
        )
    return [k for k in keys if k in found]


def write_content(db: Session, plan: LessonPlan, data: dict) -> None:
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
    materials = {
        m.key: m
        for m in db.scalars(select(Material).where(Material.key.in_(data.get("handouts", []))))
    }
    wanted = [materials[k] for k in data.get("handouts", []) if k in materials]
    if [link.material_id for link in plan.handout_links] != [m.id for m in wanted]:
        if plan.handout_links:
            plan.handout_links = []
            db.flush()  # the old links go before the new ones take their keys
        plan.handout_links = [
            LessonHandout(material=m, position=n) for n, m in enumerate(wanted, start=1)
        ]
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
        template = db.get(LessonPlan, whole_number(template_id) or 0)
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
            "handouts": [],
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
    write_content(db, plan, data)
    flush(db)
    audit.record_create(db, actor, plan, AUDIT_FIELDS, plan.title)
    return plan


def save_plan(
    db: Session,
    actor: Actor,
    plan_id,
    data: dict,
    lock_version=UNCHECKED,
    operation: str | None = None,
) -> LessonPlan:
    """Save a draft's whole content in one go, after applying a builder button (``operation``).

    A draft may be saved with errors (they are shown); it is refused only for
    bad input, which stores nothing.
    """
    plan = get_plan(db, plan_id)
    require_edit(db, actor, plan)
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
    write_content(db, plan, data)
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
    copy.handout_links = [
        LessonHandout(material=link.material, position=link.position) for link in plan.handout_links
    ]
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

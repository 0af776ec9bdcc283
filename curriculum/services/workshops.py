"""Rollouts and workshops: create them, lay out agendas, build teams, confirm, record delivery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from ..errors import ValidationError
from ..i18n import Message, _
from ..models import (
    ASSIGNMENT_ROLES,
    DELIVERY_STATUSES,
    ROLLOUT_STATUSES,
    Assignment,
    Institution,
    LessonPlan,
    Module,
    Province,
    Rollout,
    Trainer,
    Workshop,
    WorkshopSession,
    WorkshopStatusChange,
)
from ..permissions import Actor, require
from ..vocabulary import AuditAction, Delivery, PlanKind, Response, SessionKind, WorkshopStatus
from . import audit, grids, scheduling
from .agenda import DEFAULT_DAY, Block, PlanItem, lay_out
from .paging import Page, paginate
from .validation import UNCHECKED, Checker, as_id, check_lock, flush, get_or_404

ROLLOUT_FIELDS = (
    "name",
    "name_lo",
    "start_date",
    "end_date",
    "partner",
    "goal",
    "notes",
    "status",
    "signatories",
)
LOGO_MAX_BYTES = 500 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
WORKSHOP_FIELDS = (
    "title",
    "title_lo",
    "district",
    "venue",
    "start_date",
    "end_date",
    "language",
    "target_participants",
    "status",
    "certificate_days",
)
# Which status may follow which; "confirmed" is checked by :func:`change_status`.
NEXT_STATUSES: dict[WorkshopStatus, tuple[WorkshopStatus, ...]] = {
    WorkshopStatus.PLANNED: (WorkshopStatus.CONFIRMED, WorkshopStatus.CANCELLED),
    WorkshopStatus.CONFIRMED: (
        WorkshopStatus.PLANNED,
        WorkshopStatus.DELIVERED,
        WorkshopStatus.CANCELLED,
    ),
    WorkshopStatus.DELIVERED: (WorkshopStatus.REPORTED,),
    WorkshopStatus.REPORTED: (),
    WorkshopStatus.CANCELLED: (WorkshopStatus.PLANNED,),
}


def _signatories(c: Checker, text) -> str:
    """One signatory per line, "Name | Title"; at most three fit a certificate."""
    text = c.text("signatories", text, max_length=2000)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 3:
        c.add("signatories", _("A certificate has room for three signatories at most."))
    for line in lines:
        name, _sep, _title = line.partition("|")
        if not name.strip():
            c.add("signatories", _("Write each line as: name | title."))
            break
    return "\n".join(lines)


def set_rollout_logo(db: Session, actor: Actor, rollout_id, data: bytes | None):
    """Set (or with ``None`` remove) the logo printed on the rollout's certificates."""
    require(actor, "workshop.manage")
    rollout = get_or_404(db, Rollout, rollout_id)
    if data is None:
        rollout.logo, rollout.logo_type = None, ""
    else:
        media = next((t for magic, t in LOGO_TYPES.items() if data.startswith(magic)), None)
        if media is None:
            raise ValidationError({"logo": [_("The logo must be a PNG or JPEG image.")]})
        if len(data) > LOGO_MAX_BYTES:
            raise ValidationError(
                {"logo": [_("The logo may be at most %(kb)d KB.", kb=LOGO_MAX_BYTES // 1024)]}
            )
        rollout.logo, rollout.logo_type = data, media
    flush(db)
    audit.record(
        db,
        actor,
        AuditAction.UPDATE,
        rollout,
        {"logo": [None, rollout.logo_type or None]},
        rollout.name,
    )
    return rollout


def _rollout_values(db: Session, c: Checker, data: dict) -> dict:
    start, end = c.period("start_date", data.get("start_date"), "end_date", data.get("end_date"))
    codes = list(data.get("modules") or [])
    modules = list(db.scalars(select(Module).where(Module.code.in_(codes))))
    if len(modules) != len(set(codes)):
        c.add("modules", _("Not a valid choice."))
    provinces = []
    for code in data.get("provinces") or []:
        province = c.province(db, "provinces", code)
        if province is not None:
            provinces.append(province)
    return {
        "name": c.name("name", data.get("name"), max_length=200),
        "name_lo": c.name(
            "name_lo", data.get("name_lo"), required=False, max_length=200, script="lao"
        ),
        "start_date": start,
        "end_date": end,
        "partner": c.name("partner", data.get("partner"), required=False, max_length=300),
        "goal": c.text("goal", data.get("goal")),
        "notes": c.text("notes", data.get("notes")),
        "status": c.choice("status", data.get("status") or "planning", ROLLOUT_STATUSES),
        "signatories": _signatories(c, data.get("signatories")),
        "modules": modules,
        "provinces": provinces,
    }


def create_rollout(db: Session, actor: Actor, data: dict) -> Rollout:
    require(actor, "workshop.manage")
    c = Checker()
    values = _rollout_values(db, c, data)
    c.done()
    rollout = Rollout(**values)
    db.add(rollout)
    flush(db)
    audit.record_create(db, actor, rollout, ROLLOUT_FIELDS, rollout.name)
    return rollout


def update_rollout(
    db: Session, actor: Actor, rollout_id, data: dict, lock_version=UNCHECKED
) -> Rollout:
    require(actor, "workshop.manage")
    rollout = get_or_404(db, Rollout, rollout_id)
    check_lock(rollout, lock_version)
    c = Checker()
    values = _rollout_values(db, c, data)
    c.done()
    rollout.modules, rollout.provinces = values.pop("modules"), values.pop("provinces")
    return audit.update(db, actor, rollout, values, ROLLOUT_FIELDS, values["name"])


def _workshop_values(db: Session, c: Checker, data: dict) -> dict:
    """A workshop's checked fields (problems go to ``c``)."""
    start, end = c.period("start_date", data.get("start_date"), "end_date", data.get("end_date"))
    if start and end and (end - start).days > 13:
        c.add("end_date", _("A workshop lasts at most two weeks."))
    target = data.get("target_participants") or 30
    try:
        target = int(target)
        if not 1 <= target <= 500:
            raise ValueError
    except (TypeError, ValueError):
        c.add("target_participants", _("Give a number of participants from 1 to 500."))
    host = None
    if data.get("host_institution"):
        host = c.reference(db, "host_institution", Institution, data.get("host_institution"))
    return {
        "province": c.province(db, "province", data.get("province")),
        "host_institution": host,
        "title": c.name("title", data.get("title"), max_length=300),
        "title_lo": c.name(
            "title_lo", data.get("title_lo"), required=False, max_length=300, script="lao"
        ),
        "district": c.name("district", data.get("district"), required=False, max_length=200),
        "venue": c.name("venue", data.get("venue"), required=False, max_length=300),
        "start_date": start,
        "end_date": end,
        "language": c.choice("language", data.get("language") or "lo", ("en", "lo")),
        "target_participants": target,
        "certificate_days": _certificate_days(c, data.get("certificate_days"), start, end),
    }


def _certificate_days(c: Checker, value, start, end) -> int | None:
    """Days to attend for a certificate; empty means every day of the workshop."""
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        c.add("certificate_days", _("Give a number of days."))
        return None
    days = (end - start).days + 1 if start and end and end >= start else None
    if value < 1 or (days is not None and value > days):
        c.add(
            "certificate_days",
            _("Give a number from 1 to the workshop's %(days)s days.", days=days or "?"),
        )
        return None
    return value


def create_workshop(db: Session, actor: Actor, data: dict) -> Workshop:
    require(actor, "workshop.manage")
    c = Checker()
    rollout = c.reference(db, "rollout", Rollout, data.get("rollout"))
    values = _workshop_values(db, c, data)
    c.done()
    workshop = Workshop(rollout=rollout, status=WorkshopStatus.PLANNED, **values)
    db.add(workshop)
    flush(db)
    audit.record_create(db, actor, workshop, WORKSHOP_FIELDS, workshop.title)
    return workshop


def workshop_days(workshop: Workshop) -> list[dt.date]:
    days = (workshop.end_date - workshop.start_date).days + 1
    return [workshop.start_date + dt.timedelta(days=n) for n in range(days)]


def plan_item(plan: LessonPlan) -> PlanItem[LessonPlan]:
    return PlanItem(plan, plan.title, tuple((a.title, a.minutes) for a in plan.activities))


def lay_out_agenda(
    db: Session,
    actor: Actor,
    workshop_id,
    plan_ids: list,
    template: tuple[Block, ...] = DEFAULT_DAY,
) -> tuple[Workshop, list[str]]:
    """Replace the workshop's timetable by ``plan_ids`` laid out over its days.

    Trainers already on a session of the same plan stay on it. Returns what could
    not be placed (the rest is laid out and kept).
    """
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    _require_open(workshop)
    plans = []
    for plan_id in plan_ids:
        number = as_id(plan_id)
        plan = db.get(LessonPlan, number) if number is not None else None
        if plan is None or plan.kind != PlanKind.PLAN:
            raise ValidationError({"plans": [_("Choose lesson plans from the list.")]})
        plans.append(plan)
    if not plans:
        raise ValidationError({"plans": [_("Choose at least one lesson plan.")]})
    kept = {s.lesson_plan_id: list(s.trainers) for s in workshop.sessions if s.lesson_plan_id}
    placed, problems = lay_out(workshop_days(workshop), [plan_item(p) for p in plans], template)
    workshop.sessions = []
    flush(db)
    for p in placed:
        plan = p.ref
        title = p.title if p.parts == 1 else f"{p.title} ({p.part}/{p.parts})"
        new = WorkshopSession(
            day=p.day,
            start_time=p.start,
            end_time=p.end,
            kind=p.kind,
            title=title[:300],
            lesson_plan=plan,
            module_id=plan.module_id if plan is not None else None,
        )
        if plan is not None:
            new.trainers = list(kept.get(plan.id, []))
        workshop.sessions.append(new)
    flush(db)
    audit.record(
        db,
        actor,
        "agenda",
        workshop,
        {"sessions": [None, len(workshop.sessions)]},
        workshop.title,
    )
    return workshop, problems


# The most workshops a workshop page offers to copy an agenda from.
AGENDA_SOURCES = 60


def agenda_sources(db: Session, target_id, limit: int | None = AGENDA_SOURCES) -> list[Workshop]:
    """The workshops whose agenda another can copy (those with sessions, ``target_id``
    left out): by rollout, latest first, and by date within one; the first ``limit`` of
    them. One query, however many workshops and sessions there are."""
    return list(
        db.scalars(
            select(Workshop)
            .join(Rollout, Rollout.id == Workshop.rollout_id)
            .where(
                Workshop.id != target_id,
                exists().where(WorkshopSession.workshop_id == Workshop.id),
            )
            .order_by(
                Rollout.start_date.desc(), Rollout.id.desc(), Workshop.start_date, Workshop.id
            )
            .limit(limit)
        )
    )


def copy_agenda(db: Session, actor: Actor, source_id, target_id) -> Workshop:
    """The source workshop's timetable on the target's days (same day offsets), no trainers."""
    require(actor, "workshop.manage")
    source = get_or_404(db, Workshop, source_id)
    target = get_or_404(db, Workshop, target_id)
    _require_open(target)
    shift = target.start_date - source.start_date
    target.sessions = []
    flush(db)
    for s in source.sessions:
        day = s.day + shift
        if day > target.end_date:
            continue
        target.sessions.append(
            WorkshopSession(
                day=day,
                start_time=s.start_time,
                end_time=s.end_time,
                kind=s.kind,
                title=s.title,
                lesson_plan_id=s.lesson_plan_id,
                module_id=s.module_id,
                room=s.room,
            )
        )
    flush(db)
    audit.record(db, actor, "agenda", target, {"copied_from": [None, source.id]}, target.title)
    return target


def _require_open(workshop: Workshop) -> None:
    if not workshop.is_open:
        raise ValidationError(
            {
                None: [
                    _(
                        "The timetable of a %(status)s workshop cannot change.",
                        status=workshop.status,
                    )
                ]
            }
        )


def assign_trainer(
    db: Session, actor: Actor, workshop_id, trainer_id, role="co_trainer"
) -> Assignment:
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    trainer = get_or_404(db, Trainer, trainer_id)
    c = Checker()
    role = c.choice("role", role, ASSIGNMENT_ROLES)
    if any(a.trainer_id == trainer.id for a in workshop.assignments):
        c.add("trainer", _("This trainer is already on the team."))
    c.done()
    assignment = Assignment(workshop=workshop, trainer=trainer, role=role)
    db.add(assignment)
    flush(db)
    audit.record_create(db, actor, assignment, ("role",), f"{workshop.title}: {trainer.name_latin}")
    return assignment


def remove_from_team(db: Session, actor: Actor, assignment_id) -> Workshop:
    """Take a trainer off a workshop's team and off its sessions."""
    require(actor, "workshop.manage")
    assignment = get_or_404(db, Assignment, assignment_id)
    workshop = assignment.workshop
    for s in workshop.sessions:
        if assignment.trainer in s.trainers:
            s.trainers.remove(assignment.trainer)
            s.sequence += 1
    audit.record_delete(
        db, actor, assignment, ("role",), f"{workshop.title}: {assignment.trainer.name_latin}"
    )
    db.delete(assignment)
    flush(db)
    return workshop


def set_session_trainers(db: Session, actor: Actor, session_id, trainer_ids) -> WorkshopSession:
    """Who teaches a session; trainers not yet on the team join it as co-trainers."""
    require(actor, "workshop.manage")
    ws = get_or_404(db, WorkshopSession, session_id)
    trainers = []
    for trainer_id in dict.fromkeys(trainer_ids or []):
        trainers.append(get_or_404(db, Trainer, trainer_id))
    on_team = {a.trainer_id for a in ws.workshop.assignments}
    for t in trainers:
        if t.id not in on_team:
            ws.workshop.assignments.append(Assignment(trainer=t, role="co_trainer"))
    ws.trainers = trainers
    ws.sequence += 1
    flush(db)
    return ws


def change_status(
    db: Session,
    actor: Actor,
    workshop_id,
    status: str | None,
    reason: str = "",
    lock_version=UNCHECKED,
) -> Workshop:
    """Move a workshop on. Confirming is refused while the check finds errors, and needs a
    written reason when warnings remain (kept with the workshop)."""
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    check_lock(workshop, lock_version)
    c = Checker()
    reason = c.text("reason", reason, max_length=5000)
    c.done()
    if status is None or status not in NEXT_STATUSES.get(workshop.status, ()):
        raise ValidationError(
            {
                None: [
                    _(
                        "A %(old)s workshop cannot become %(new)s.",
                        old=workshop.status,
                        new=status,
                    )
                ]
            }
        )
    if status == WorkshopStatus.CONFIRMED:
        problems = scheduling.check_workshop(db, workshop)
        errors = scheduling.errors(problems)
        if errors:
            raise ValidationError(
                {None: [_("Fix these errors before confirming:")] + [p.message for p in errors]}
            )
        if problems and not reason:
            raise ValidationError(
                {
                    "reason": [
                        _(
                            "Warnings remain: say why the workshop goes ahead as it is "
                            "(the reason is kept with the workshop)."
                        )
                    ]
                }
            )
        workshop.warnings_reason = reason if problems else ""
    old = workshop.status
    workshop.status = status
    workshop.status_changes.append(
        WorkshopStatusChange(
            old_status=old,
            new_status=status,
            actor_label=actor.name,
            reason=reason,
        )
    )
    if WorkshopStatus.CANCELLED in (status, old):
        for s in workshop.sessions:
            s.sequence += 1
    flush(db)
    audit.record(db, actor, "status", workshop, {"status": [old, status]}, workshop.title)
    return workshop


def record_delivery(
    db: Session,
    actor: Actor,
    session_id,
    delivery: str | None,
    minutes_used=None,
    notes: str = "",
) -> WorkshopSession:
    """What was taught: as planned, changed or dropped; the minutes used; notes. The session
    keeps pointing at the exact plan version it was planned with."""
    require(actor, "workshop.manage")
    ws = get_or_404(db, WorkshopSession, session_id)
    c = Checker()
    delivery = c.choice("delivery", delivery, DELIVERY_STATUSES)
    if minutes_used not in (None, ""):
        try:
            minutes_used = int(minutes_used)
            if not 0 <= minutes_used <= 24 * 60:
                raise ValueError
        except (TypeError, ValueError):
            c.add("minutes_used", _("Give the minutes used, 0 to 1440."))
    else:
        minutes_used = None
    notes = c.text("notes", notes)
    c.done()
    if delivery == Delivery.AS_PLANNED and minutes_used is None:
        minutes_used = ws.minutes
    ws.delivery, ws.minutes_used, ws.delivery_notes = delivery, minutes_used, notes
    flush(db)
    audit.record(db, actor, "delivery", ws, {"delivery": [None, delivery]}, ws.title)
    return ws


def deliveries_of_plan(db: Session, plan: LessonPlan) -> list[WorkshopSession]:
    """Where and when any version of ``plan`` was taught (delivered sessions)."""
    versions = select(LessonPlan.id).where(LessonPlan.key == plan.key)
    return list(
        db.scalars(
            select(WorkshopSession)
            .where(
                WorkshopSession.lesson_plan_id.in_(versions),
                WorkshopSession.delivery.in_(("as_planned", "changed")),
            )
            .order_by(WorkshopSession.day)
        )
    )


def list_rollouts(db: Session) -> list[Rollout]:
    """Every rollout, latest first (for choosing one; their logos are left in the database)."""
    return list(
        db.scalars(
            select(Rollout)
            .options(defer(Rollout.logo))
            .order_by(Rollout.start_date.desc(), Rollout.id.desc())
        )
    )


def page_rollouts(db: Session, actor: Actor, *, page: Any = 1, per_page: int = 10) -> Page[Rollout]:
    """The rollouts, latest first, a page at a time, each with its workshops (and their
    provinces) loaded; their logos are left in the database."""
    require(actor, "workshop.view")
    query = (
        select(Rollout)
        .options(
            defer(Rollout.logo),
            selectinload(Rollout.workshops).selectinload(Workshop.province),
        )
        .order_by(Rollout.start_date.desc(), Rollout.id.desc())
    )
    return paginate(db, query, page, per_page)


def workshop_page(db: Session, workshop_id) -> Workshop:
    """A workshop with its agenda, team, history and what its checks read, loaded in a
    fixed number of queries (NotFound when there is none)."""
    get_or_404(db, Workshop, workshop_id)
    workshop = db.scalars(
        scheduling.for_check(select(Workshop).where(Workshop.id == workshop_id)).options(
            selectinload(Workshop.status_changes), selectinload(Workshop.host_institution)
        )
    ).one()
    return workshop


def rollout_workshops(db: Session, rollout_id: int) -> list[Workshop]:
    """A rollout's workshops by date, with their province and team, in a fixed number of
    queries."""
    return list(
        db.scalars(
            select(Workshop)
            .where(Workshop.rollout_id == rollout_id)
            .options(
                selectinload(Workshop.province),
                selectinload(Workshop.assignments).selectinload(Assignment.trainer),
            )
            .order_by(Workshop.start_date, Workshop.id)
        )
    )


def coverage(db: Session, rollout: Rollout) -> dict:
    """Provinces (the rollout's, and any with a workshop) × the rollout's modules:
    ``delivered``, ``planned`` or absent, from the sessions of its workshops. A module
    outside the rollout's gets a column when a session names it (not only its plan).
    Counted in the database: a few queries however many workshops and sessions."""
    counted = (
        Workshop.rollout_id == rollout.id,
        Workshop.status != WorkshopStatus.CANCELLED,
    )
    module_id = func.coalesce(WorkshopSession.module_id, LessonPlan.module_id)
    held = or_(
        WorkshopSession.delivery.in_((Delivery.AS_PLANNED, Delivery.CHANGED)),
        Workshop.status.in_((WorkshopStatus.DELIVERED, WorkshopStatus.REPORTED)),
    )
    rows = db.execute(
        select(
            Workshop.province_id,
            module_id,
            func.max(case((held, 1), else_=0)),
            func.max(WorkshopSession.module_id),
        )
        .join(WorkshopSession, WorkshopSession.workshop_id == Workshop.id)
        .outerjoin(LessonPlan, LessonPlan.id == WorkshopSession.lesson_plan_id)
        .where(
            *counted,
            WorkshopSession.kind == SessionKind.SESSION,
            WorkshopSession.delivery != Delivery.DROPPED,
            module_id.is_not(None),
        )
        .group_by(Workshop.province_id, module_id)
    ).all()
    cells = {
        (province_id, module): WorkshopStatus.DELIVERED if held else WorkshopStatus.PLANNED
        for province_id, module, held, _own in rows
    }
    provinces = {p.id: p for p in rollout.provinces}
    missing = select(Workshop.province_id).where(*counted)
    if provinces:
        missing = missing.where(Workshop.province_id.not_in(list(provinces)))
    provinces.update(
        {p.id: p for p in db.scalars(select(Province).where(Province.id.in_(missing)))}
    )
    modules = {m.id: m for m in rollout.modules}
    named = {module for _p, module, _held, own in rows if own is not None} - set(modules)
    if named:
        modules.update({m.id: m for m in db.scalars(select(Module).where(Module.id.in_(named)))})
    return {
        "provinces": sorted(provinces.values(), key=lambda p: p.name_en),
        "modules": sorted(modules.values(), key=lambda m: m.code),
        "cells": cells,
    }


def respond_to_assignment(
    db: Session, actor: Actor, assignment_id, response: str, reason: str = ""
) -> Assignment:
    """A trainer accepts or declines a place on a workshop's team (declining needs a reason)."""
    assignment = get_or_404(db, Assignment, assignment_id)
    require(actor, "assignment.respond", assignment.trainer_id)
    c = Checker()
    response = c.choice("response", response, (Response.ACCEPTED, Response.DECLINED))
    reason = c.text("reason", reason, max_length=2000)
    if response == Response.DECLINED and not reason:
        c.add("reason", _("Say why you cannot come."))
    c.done()
    assignment.response, assignment.response_reason = response, reason
    flush(db)
    audit.record(
        db,
        actor,
        "respond",
        assignment,
        {"response": ["pending", response]},
        assignment.workshop.title,
    )
    return assignment


def assignments_of(db: Session, trainer_id: int, since: dt.date) -> list[Assignment]:
    """A trainer's places on workshops that end on or after ``since``."""
    return list(
        db.scalars(
            select(Assignment)
            .join(Workshop, Workshop.id == Assignment.workshop_id)
            .where(
                Assignment.trainer_id == trainer_id,
                Workshop.end_date >= since,
                Workshop.status != WorkshopStatus.CANCELLED,
            )
            .order_by(Workshop.start_date)
        )
    )


def delivery_cells(ws: WorkshopSession) -> dict[str, str]:
    """A row of the delivery record as the page shows it (its stamp is made from this)."""
    minutes = "" if ws.minutes_used is None else str(ws.minutes_used)
    return {"delivery": ws.delivery, "minutes_used": minutes, "notes": ws.delivery_notes or ""}


def _delivery_summary(cells) -> Message:
    shown = {
        Delivery.PLANNED: _("Not recorded yet"),
        Delivery.AS_PLANNED: _("Delivered as planned"),
        Delivery.CHANGED: _("Changed"),
        Delivery.DROPPED: _("Dropped"),
    }
    parts = [str(shown.get(cells["delivery"], cells["delivery"]))]
    if cells["minutes_used"]:
        parts.append(f"{_('Minutes used')}: {cells['minutes_used']}")
    if cells["notes"]:
        parts.append(f"{_('Notes by the trainer')}: {cells['notes']}")
    return "; ".join(parts)


def record_deliveries(
    db: Session, actor: Actor, workshop_id, rows: list[dict], seen: Mapping[int, str] | None = None
) -> Workshop:
    """The delivery record of every session of a workshop in one go (all or nothing).

    ``rows``: {session_id, delivery, minutes_used, notes}; errors are named
    ``sessions-N-field`` after the row's position. ``seen``: each session's stamp as
    the page showed it, by session id (see ``grids``).
    """
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    if workshop.status not in (
        WorkshopStatus.CONFIRMED,
        WorkshopStatus.DELIVERED,
        WorkshopStatus.REPORTED,
    ):
        raise ValidationError({None: [_("Record what was taught once the workshop is confirmed.")]})
    own = {s.id: s for s in workshop.sessions if s.kind == SessionKind.SESSION}
    errors: dict = {}
    positions: dict[int, int] = {}  # session id: its row
    for index, row in enumerate(rows):
        ws_id = as_id(row.get("session_id"))
        if ws_id is None or ws_id not in own:
            errors[f"sessions-{index}-delivery"] = [_("This session is not part of the workshop.")]
        else:
            positions[ws_id] = index
    sent = {
        ws_id: {k: rows[i].get(k) or "" for k in ("delivery", "minutes_used", "notes")}
        for ws_id, i in positions.items()
    }
    if seen is not None and not errors:
        plan = grids.merge(seen, {i: delivery_cells(own[i]) for i in positions}, sent)
        for ws_id, now in plan.conflicts.items():
            errors[f"sessions-{positions[ws_id]}-row"] = [
                grids.conflict_message(_delivery_summary(now))
            ]
        sent = plan.store
    for ws_id, row in sent.items():
        try:
            record_delivery(
                db, actor, ws_id, row.get("delivery"), row.get("minutes_used"), row.get("notes", "")
            )
        except ValidationError as exc:
            for field_name, messages in exc.errors.items():
                errors[f"sessions-{positions[ws_id]}-{field_name}"] = messages
    if errors:
        raise ValidationError(errors)
    flush(db)
    return workshop


@dataclass(frozen=True)
class PrintItem:
    document: str  # agenda, trainers, participants
    language: str
    participants: int
    trainers: int
    spares: int

    @property
    def total(self) -> int:
        return self.participants + self.trainers + self.spares


def print_list(workshop: Workshop) -> tuple[list[PrintItem], list[tuple[str, str]]]:
    """What to print for a workshop (copies per document) and the materials to prepare,
    gathered from its lesson plans: (plan title, material), each once."""
    team = len([a for a in workshop.assignments if a.response != Response.DECLINED])
    participants = workshop.target_participants
    spares = max(2, -(-participants // 10))  # a tenth, rounded up, at least two
    items = [
        PrintItem("agenda", workshop.language, participants, team, spares),
        PrintItem("participants", workshop.language, participants, team, spares),
        PrintItem("trainers", workshop.language, 0, team, 1),
    ]
    materials: list[tuple[str, str]] = []
    seen: set[str] = set()
    plans = []
    for s in workshop.sessions:
        if s.lesson_plan is not None and s.lesson_plan not in plans:
            plans.append(s.lesson_plan)
    for plan in plans:
        pieces = [plan.materials] + [a.materials for a in plan.activities]
        for piece in pieces:
            for item in (x.strip(" .") for x in piece.replace("\n", ";").split(";")):
                if item and item.casefold() not in seen:
                    seen.add(item.casefold())
                    materials.append((plan.title, item))
    return items, materials


SESSION_FIELDS = ("day", "start_time", "end_time", "kind", "title", "room")


def save_session(
    db: Session,
    actor: Actor,
    workshop_id,
    data: dict,
    session_id=None,
    lock_version=UNCHECKED,
) -> WorkshopSession:
    """Add a block to a workshop's timetable or change one by hand (times, title, room)."""
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    _require_open(workshop)
    ws = None
    if session_id is not None:
        ws = get_or_404(db, WorkshopSession, session_id)
        if ws.workshop_id != workshop.id:
            raise ValidationError({None: [_("This session is not part of the workshop.")]})
        check_lock(ws, lock_version)
    c = Checker()
    day = c.date("day", data.get("day"))
    start, end = data.get("start_time"), data.get("end_time")
    if not isinstance(start, dt.time):
        c.add("start_time", _("Enter a time as HH:MM."))
    if not isinstance(end, dt.time):
        c.add("end_time", _("Enter a time as HH:MM."))
    elif isinstance(start, dt.time) and end <= start:
        c.add("end_time", _("The session must end after it starts."))
    kind = c.choice("kind", data.get("kind") or "session", ("session", "break", "lunch"))
    title = c.name("title", data.get("title"), max_length=300)
    room = c.name("room", data.get("room"), required=False, max_length=100)
    c.done()
    values = {
        "day": day,
        "start_time": start,
        "end_time": end,
        "kind": kind,
        "title": title,
        "room": room,
    }
    if ws is None:
        ws = WorkshopSession(workshop=workshop, **values)
        db.add(ws)
        flush(db)
        audit.record_create(db, actor, ws, SESSION_FIELDS, title)
        return ws
    return audit.update(db, actor, ws, values, SESSION_FIELDS, title)


def delete_session(db: Session, actor: Actor, session_id) -> Workshop:
    require(actor, "workshop.manage")
    ws = get_or_404(db, WorkshopSession, session_id)
    workshop = ws.workshop
    _require_open(workshop)
    audit.record_delete(db, actor, ws, SESSION_FIELDS, ws.title)
    db.delete(ws)
    flush(db)
    return workshop


def update_workshop(
    db: Session, actor: Actor, workshop_id, data: dict, lock_version=UNCHECKED
) -> Workshop:
    """Change a workshop's details (its sessions keep their days: move them by hand)."""
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    check_lock(workshop, lock_version)
    c = Checker()
    values = _workshop_values(db, c, data)
    c.done()
    return audit.update(db, actor, workshop, values, WORKSHOP_FIELDS, values["title"])

"""Participants and their registrations: people, likely duplicates, merging, the waitlist,
attendance, test scores and feedback.

A person is kept once and registered to as many workshops as they attend. A
workshop fills up to its target size; registrations past it wait in order and
move up when someone cancels.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from ..errors import ValidationError
from ..i18n import Message, _
from ..models import (
    PARTICIPANT_SEXES,
    REGISTRATION_STATUSES,
    Attendance,
    Institution,
    Participant,
    Registration,
    Workshop,
)
from ..permissions import Actor, require
from ..text import fold
from ..vocabulary import RegistrationStatus, Sex, WorkshopStatus
from . import audit, grids
from .paging import Page, paginate
from .reports import SexBreakdown, sex_breakdown
from .validation import UNCHECKED, Checker, check_lock, flush, get_or_404

PARTICIPANT_AUDITED = (
    "given_name_lo",
    "family_name_lo",
    "given_name_latin",
    "family_name_latin",
    "sex",
    "birth_year",
    "institution_id",
    "position",
    "province_id",
    "phone",
    "email",
)
RESULT_FIELDS = (
    "pre_score",
    "post_score",
    "feedback_rating",
    "feedback_topic",
    "feedback_comment",
)
# Statuses that take a seat of the target size.
SEATED = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
MIN_PHONE_DIGITS = 6


def phone_digits(phone: str) -> str:
    """The digits that identify a phone: the last eight, so "+856 20 5555 1234" and
    "020 5555 1234" are the same line."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-8:] if len(digits) >= MIN_PHONE_DIGITS else ""


def _field(values, name: str):
    """A field of a dict of values or of a Participant (or a row of its columns)."""
    return values.get(name, "") if isinstance(values, dict) else getattr(values, name)


def name_keys(values) -> tuple[str, str]:
    """Folded full names in Latin letters and in Lao script ("" when not given)."""
    latin = fold(f"{_field(values, 'given_name_latin')} {_field(values, 'family_name_latin')}")
    lao = fold(f"{_field(values, 'given_name_lo')} {_field(values, 'family_name_lo')}")
    return latin, lao


def duplicate_keys(values) -> list[str]:
    """What two likely-same people share: ``n:`` the full name in Latin letters, ``l:`` in
    Lao script, ``p:`` the phone's digits (only those given)."""
    latin, lao = name_keys(values)
    phone = phone_digits(_field(values, "phone"))
    return [f"{kind}:{key}" for kind, key in (("n", latin), ("l", lao), ("p", phone)) if key]


def search_key(values) -> str:
    return " | ".join(key.partition(":")[2] for key in duplicate_keys(values))


def display_name(person: Participant) -> str:
    if person.name_lao and person.name_latin:
        return f"{person.name_lao} ({person.name_latin})"
    return person.name_lao or person.name_latin


# -- people ------------------------------------------------------------------------------------


def check_participant(db: Session, data: dict, c: Checker | None = None) -> dict:
    """The stored values of a participant from form or import data; problems go to ``c``
    (raised at once when no checker is given)."""
    own = c is None
    c = c or Checker()
    values = {
        **c.person_names(data),
        "sex": c.choice("sex", data.get("sex") or Sex.NOT_RECORDED, PARTICIPANT_SEXES),
        "position": c.name("position", data.get("position"), required=False, max_length=200),
        "phone": c.phone("phone", data.get("phone")),
        "email": c.email("email", data.get("email")),
        "birth_year": None,
    }
    if not any(
        values[k] for k in ("given_name_lo", "family_name_lo", "given_name_latin")
    ) and not any(c.errors.get(k) for k in ("given_name_lo", "given_name_latin")):
        c.add("given_name_lo", _("Give the name in Lao script, in Latin letters, or both."))
    year = data.get("birth_year")
    if year not in (None, ""):
        try:
            year = int(str(year).strip())
        except ValueError:
            c.add("birth_year", _("Enter a year of birth such as 1985."))
        else:
            if 1920 <= year <= 2020:
                values["birth_year"] = year
            else:
                c.add("birth_year", _("Enter a year of birth between 1920 and 2020."))
    institution = c.reference(
        db, "institution_id", Institution, data.get("institution_id"), required=False
    )
    province = c.province(db, "province", data.get("province"), required=False)
    values["institution_id"] = institution.id if institution else None
    values["province_id"] = province.id if province else None
    if own:
        c.done()
    return values


def create_participant(db: Session, actor: Actor, data: dict) -> Participant:
    require(actor, "participant.manage")
    values = check_participant(db, data)
    person = Participant(**values, search_key=search_key(values))
    db.add(person)
    flush(db)
    audit.record_create(db, actor, person, PARTICIPANT_AUDITED, display_name(person))
    return person


def update_participant(
    db: Session, actor: Actor, participant_id, data: dict, lock_version=UNCHECKED
) -> Participant:
    require(actor, "participant.manage")
    person = get_or_404(db, Participant, participant_id)
    check_lock(person, lock_version)
    values = check_participant(db, data)
    values["search_key"] = search_key(values)
    return audit.update(db, actor, person, values, PARTICIPANT_AUDITED, display_name(person))


def _people(query: str = "") -> Select:
    """People whose name (either script) or phone contains every word of ``query``, in
    name order (Latin letters), ties broken by id."""
    stmt = select(Participant).options(
        selectinload(Participant.institution), selectinload(Participant.province)
    )
    for word in fold(query).split():
        stmt = stmt.where(Participant.search_key.contains(word, autoescape=True))
    return stmt.order_by(
        Participant.family_name_latin, Participant.given_name_latin, Participant.id
    )


def search_participants(
    db: Session,
    actor: Actor,
    query: str = "",
    *,
    limit: int = 50,
    not_listed_in: int | None = None,
) -> list[Participant]:
    """The first ``limit`` people whose name (either script) or phone contains ``query``;
    with ``not_listed_in``, only those not on that workshop's list (a cancelled
    registration does not count)."""
    require(actor, "participant.view")
    stmt = _people(query)
    if not_listed_in is not None:
        stmt = stmt.where(
            ~exists().where(
                Registration.participant_id == Participant.id,
                Registration.workshop_id == not_listed_in,
                Registration.status != RegistrationStatus.CANCELLED,
            )
        )
    return list(db.scalars(stmt.limit(limit)))


def find_participants(
    db: Session, actor: Actor, query: str = "", *, page: Any = 1, per_page: int = 50
) -> Page[Participant]:
    """Every known person matching ``query`` (everyone for an empty one), a page at a time."""
    require(actor, "participant.view")
    return paginate(db, _people(query), page, per_page)


def likely_duplicates(db: Session, values, *, exclude_id: int | None = None) -> list[Participant]:
    """Known people with the same full name in either script, or the same phone."""
    keys = duplicate_keys(values)
    if not keys:
        return []
    near = or_(
        *(Participant.search_key.contains(k.partition(":")[2], autoescape=True) for k in keys)
    )
    return [
        person
        for person in db.scalars(select(Participant).where(near))
        if person.id != exclude_id and set(keys) & set(duplicate_keys(person))
    ]


def duplicate_pairs(db: Session, actor: Actor, *, limit: int = 100):
    """Pairs of known people who are likely the same person, for the merge page."""
    require(actor, "participant.view")
    seen: dict[str, list[Participant]] = {}
    for person in db.scalars(select(Participant).order_by(Participant.id)):
        for key in duplicate_keys(person):
            seen.setdefault(key, []).append(person)
    pairs: dict[tuple[int, int], tuple[Participant, Participant]] = {}
    for group in seen.values():
        for other in group[1:]:
            pairs.setdefault((group[0].id, other.id), (group[0], other))
    return list(pairs.values())[:limit]


def merge_participants(db: Session, actor: Actor, keep_id, drop_id) -> Participant:
    """Fold ``drop`` into ``keep``: every registration moves over (two registrations to the
    same workshop become one, keeping every day present, scores and feedback); blank
    details of ``keep`` are filled from ``drop``; ``drop`` is deleted."""
    require(actor, "participant.manage")
    keep = get_or_404(db, Participant, keep_id)
    drop = get_or_404(db, Participant, drop_id)
    if keep.id == drop.id:
        raise ValidationError({None: [_("Choose two different people to merge.")]})
    before = audit.snapshot(keep, PARTICIPANT_AUDITED)
    for field in PARTICIPANT_AUDITED:
        mine, theirs = getattr(keep, field), getattr(drop, field)
        if mine in (None, "", Sex.NOT_RECORDED) and theirs not in (None, "", Sex.NOT_RECORDED):
            setattr(keep, field, theirs)
    keep.search_key = search_key(keep)
    kept = {reg.workshop_id: reg for reg in keep.registrations}
    moved = 0
    for reg in list(drop.registrations):
        mine = kept.get(reg.workshop_id)
        if mine is None:
            reg.participant = keep
            moved += 1
            continue
        _fold_registration(mine, reg)
        db.delete(reg)
    flush(db)
    changes = audit.differences(before, audit.snapshot(keep, PARTICIPANT_AUDITED))
    changes["merged"] = [drop.id, display_name(drop)]
    audit.record(db, actor, "merge", keep, changes, display_name(keep))
    db.delete(drop)
    flush(db)
    return keep


def _fold_registration(keep: Registration, drop: Registration) -> None:
    rank: dict[str, int] = {
        RegistrationStatus.ATTENDED: 5,
        RegistrationStatus.REGISTERED: 4,
        RegistrationStatus.WAITLISTED: 3,
        RegistrationStatus.INVITED: 2,
        RegistrationStatus.CANCELLED: 1,
    }
    if rank[drop.status] > rank[keep.status]:
        keep.status, keep.waitlist_position = drop.status, drop.waitlist_position
    days = {a.day: a for a in keep.attendance}
    for mark in drop.attendance:
        if mark.day not in days:
            keep.attendance.append(Attendance(day=mark.day, present=mark.present))
        elif mark.present:
            days[mark.day].present = True
    for field in ("pre_score", "post_score", "feedback_rating", "certificate_number"):
        if getattr(keep, field) is None and getattr(drop, field) is not None:
            value = getattr(drop, field)
            if field == "certificate_number":
                drop.certificate_number = None
            setattr(keep, field, value)
    for field in ("feedback_topic", "feedback_comment"):
        if not getattr(keep, field):
            setattr(keep, field, getattr(drop, field))


# -- registrations -----------------------------------------------------------------------------


# The order of a workshop's list: seated people, the waitlist in order, invitations, then
# cancellations; within each, names in Lao alphabetical order; ties by registration.
_LIST_GROUP = case(
    {
        RegistrationStatus.REGISTERED: 0,
        RegistrationStatus.ATTENDED: 0,
        RegistrationStatus.WAITLISTED: 1,
        RegistrationStatus.INVITED: 2,
        RegistrationStatus.CANCELLED: 3,
    },
    value=Registration.status,
    else_=4,
)


def _registrations(workshop_id, statuses: Collection[str] | None = None) -> Select:
    """A workshop's registrations (only those in ``statuses`` when given) with their
    people, in the list's order."""
    stmt = (
        select(Registration)
        .join(Registration.participant)
        .where(Registration.workshop_id == workshop_id)
        .options(
            contains_eager(Registration.participant).selectinload(Participant.institution),
            contains_eager(Registration.participant).selectinload(Participant.province),
            selectinload(Registration.attendance),
        )
        .order_by(
            _LIST_GROUP,
            func.coalesce(Registration.waitlist_position, 0),
            Participant.sort_key,
            Participant.given_name_latin,
            Participant.family_name_latin,
            Registration.id,
        )
    )
    if statuses is not None:
        stmt = stmt.where(Registration.status.in_(tuple(statuses)))
    return stmt


def registrations_of(
    db: Session, workshop_id, statuses: Collection[str] | None = None
) -> list[Registration]:
    """A workshop's registrations (only those in ``statuses`` when given): seated people in
    Lao name order, then the waitlist in order, then invitations and cancellations."""
    return list(db.scalars(_registrations(workshop_id, statuses)))


def registration_page(
    db: Session, actor: Actor, workshop_id, *, page: Any = 1, per_page: int = 50
) -> Page[Registration]:
    """One page of a workshop's list, in the list's order."""
    require(actor, "participant.view")
    return paginate(db, _registrations(workshop_id), page, per_page)


@dataclass(frozen=True)
class ListFigures:
    """What a workshop's whole list holds, whatever page of it is shown."""

    by_status: dict[str, int]
    seated_by_sex: SexBreakdown

    @property
    def seated(self) -> int:
        return sum(self.by_status.get(status, 0) for status in SEATED)

    @property
    def waiting(self) -> int:
        return self.by_status.get(RegistrationStatus.WAITLISTED, 0)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def list_figures(db: Session, actor: Actor, workshop_id) -> ListFigures:
    """Counts by status of everyone on a workshop's list, and the seated people by sex."""
    require(actor, "participant.view")
    by_status: dict[str, int] = dict(
        db.execute(
            select(Registration.status, func.count())
            .where(Registration.workshop_id == workshop_id)
            .group_by(Registration.status)
        ).all()
    )
    by_sex: dict[str | None, int] = dict(
        db.execute(
            select(Participant.sex, func.count())
            .join(Registration, Registration.participant_id == Participant.id)
            .where(Registration.workshop_id == workshop_id, Registration.status.in_(SEATED))
            .group_by(Participant.sex)
        ).all()
    )
    return ListFigures(by_status, sex_breakdown(by_sex))


def seated(db: Session, workshop_id) -> int:
    return db.execute(
        select(func.count())
        .select_from(Registration)
        .where(Registration.workshop_id == workshop_id, Registration.status.in_(SEATED))
    ).scalar_one()


def next_waitlist_position(db: Session, workshop_id) -> int:
    last = db.scalar(
        select(func.max(Registration.waitlist_position)).where(
            Registration.workshop_id == workshop_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    return (last or 0) + 1


def _open_workshop(db: Session, workshop_id) -> Workshop:
    workshop = get_or_404(db, Workshop, workshop_id)
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.REPORTED):
        raise ValidationError(
            {
                None: [
                    _("A %(status)s workshop takes no more registrations.", status=workshop.status)
                ]
            }
        )
    return workshop


def register(
    db: Session, actor: Actor, workshop_id, participant_id, status: str | None = None
) -> Registration:
    """Register a known person; without a status they take a seat while the workshop is
    under its target size and join the waitlist after that."""
    require(actor, "participant.manage")
    workshop = _open_workshop(db, workshop_id)
    person = get_or_404(db, Participant, participant_id)
    existing = db.scalar(
        select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.participant_id == person.id
        )
    )
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise ValidationError(
            {
                None: [
                    _(
                        "%(name)s is already on this workshop's list.",
                        name=display_name(person),
                    )
                ]
            }
        )
    c = Checker()
    status = c.choice(
        "status",
        status or RegistrationStatus.REGISTERED,
        (RegistrationStatus.INVITED, RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED),
    )
    c.done()
    if (
        status == RegistrationStatus.REGISTERED
        and seated(db, workshop.id) >= workshop.target_participants
    ):
        status = RegistrationStatus.WAITLISTED
    position = (
        next_waitlist_position(db, workshop.id) if status == RegistrationStatus.WAITLISTED else None
    )
    reg = existing or Registration(workshop_id=workshop.id, participant_id=person.id)
    reg.status, reg.waitlist_position = status, position
    db.add(reg)
    flush(db)
    audit.record(
        db,
        actor,
        "register",
        workshop,
        {"participant": [None, display_name(person)], "status": [None, status]},
        workshop.title,
    )
    return reg


def register_many(db: Session, actor: Actor, workshop_id, participant_ids) -> list[Registration]:
    """Register several known people at once, in the order given (all or none)."""
    ids = list(dict.fromkeys(int(i) for i in participant_ids))
    if not ids:
        raise ValidationError({None: [_("Choose at least one person to register.")]})
    return [register(db, actor, workshop_id, pid) for pid in ids]


def set_status(
    db: Session, actor: Actor, registration_id, status: str, lock_version=UNCHECKED
) -> Registration:
    """Change a registration's status; a freed seat goes to the first on the waitlist."""
    require(actor, "participant.manage")
    reg = get_or_404(db, Registration, registration_id)
    check_lock(reg, lock_version)
    c = Checker()
    status = c.choice("status", status, REGISTRATION_STATUSES)
    c.done()
    workshop = reg.workshop
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.REPORTED):
        raise ValidationError(
            {None: [_("A %(status)s workshop's list is closed.", status=workshop.status)]}
        )
    old = reg.status
    if status == old:
        return reg
    if status in SEATED and old not in SEATED:
        if seated(db, workshop.id) >= workshop.target_participants:
            raise ValidationError(
                {
                    None: [
                        _(
                            "The workshop is full (%(target)d seats): cancel someone first "
                            "or raise its target size.",
                            target=workshop.target_participants,
                        )
                    ]
                }
            )
    reg.status = status
    reg.waitlist_position = (
        next_waitlist_position(db, workshop.id) if status == RegistrationStatus.WAITLISTED else None
    )
    flush(db)
    audit.record(db, actor, "status", reg, {"status": [old, status]}, workshop.title)
    if old in SEATED and status not in SEATED:
        promote_waitlist(db, actor, workshop)
    return reg


def promote_waitlist(db: Session, actor: Actor, workshop: Workshop) -> list:
    """Seat people from the waitlist, first come first served, up to the target size."""
    promoted: list[Registration] = []
    free = workshop.target_participants - seated(db, workshop.id)
    if free <= 0:
        return promoted
    waiting = db.scalars(
        select(Registration)
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.waitlist_position, Registration.id)
        .limit(free)
    )
    for reg in waiting:
        reg.status, reg.waitlist_position = RegistrationStatus.REGISTERED, None
        audit.record(
            db,
            actor,
            "status",
            reg,
            {"status": [RegistrationStatus.WAITLISTED, RegistrationStatus.REGISTERED]},
            workshop.title,
        )
        promoted.append(reg)
    flush(db)
    return promoted


# -- attendance, scores, feedback --------------------------------------------------------------


def workshop_days(workshop: Workshop) -> list[dt.date]:
    return [
        workshop.start_date + dt.timedelta(days=i)
        for i in range((workshop.end_date - workshop.start_date).days + 1)
    ]


def attendance_cells(reg: Registration, days: list[dt.date]) -> dict[str, str]:
    """A row of the attendance grid as the page shows it: "1" for each day present."""
    marks = {a.day for a in reg.attendance if a.present}
    return {d.isoformat(): "1" if d in marks else "0" for d in days}


def _attendance_summary(cells: Mapping[str, object], days: list[dt.date]) -> Message:
    numbers = [
        str(_("Day %(n)d", n=i)) for i, d in enumerate(days, 1) if cells[d.isoformat()] == "1"
    ]
    if not numbers:
        return _("absent every day")
    return _("present on %(days)s", days=", ".join(numbers))


def _attendance_target(
    db: Session, actor: Actor, workshop_id
) -> tuple[Workshop, list[dt.date], dict[int, Registration]]:
    """The workshop whose attendance is stored, its days and its seated people by id."""
    require(actor, "participant.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    if workshop.status in (WorkshopStatus.PLANNED, WorkshopStatus.CANCELLED):
        raise ValidationError({None: [_("Attendance is recorded once the workshop is confirmed.")]})
    regs = {r.id: r for r in registrations_of(db, workshop.id, SEATED)}
    return workshop, workshop_days(workshop), regs


def _stray_marks() -> ValidationError:
    return ValidationError(
        {None: [_("The grid names someone or a day that is not on this workshop's list.")]}
    )


def record_attendance(
    db: Session,
    actor: Actor,
    workshop_id,
    present: set[tuple[int, dt.date]],
    seen: Mapping[int, str] | None = None,
    source: str = "",
) -> int:
    """Store the attendance grid: ``present`` holds (registration id, day) for every tick;
    every other seated person is absent that day. A person present on any day becomes
    "attended". Returns the number of days present stored.

    From a page, ``seen`` holds each row's stamp as the page showed it: only those rows
    are stored, merged day by day with what someone else saved meanwhile (see ``grids``).
    Without it (a command, the seed) every seated person's row is stored as sent.
    ``source`` says in the audit log where the marks came from (the kit's workbook)."""
    workshop, days, regs = _attendance_target(db, actor, workshop_id)
    stray = {rid for rid, day in present if rid not in regs or day not in days}
    if stray or (seen is not None and set(seen) - set(regs)):
        raise _stray_marks()
    ticks = {rid: {d for d in days if (rid, d) in present} for rid in regs}
    if seen is not None:
        shown = set(seen) | {rid for rid, _day in present}
        sent = {rid: _ticked_cells(ticks[rid], days) for rid in regs if rid in shown}
        plan = grids.merge(seen, {rid: attendance_cells(regs[rid], days) for rid in sent}, sent)
        if plan.conflicts:
            raise ValidationError(
                {
                    f"row-{rid}": grids.conflict_message(_attendance_summary(now, days))
                    for rid, now in plan.conflicts.items()
                }
            )
        ticks = {
            rid: {d for d in days if cells[d.isoformat()] == "1"}
            for rid, cells in plan.store.items()
        }
    count = 0
    for rid, ticked in ticks.items():
        count += _store_attendance(db, actor, workshop, regs[rid], days, ticked, source)
    flush(db)
    return count


def record_attendance_marks(
    db: Session,
    actor: Actor,
    workshop_id,
    marks: Mapping[tuple[int, dt.date], bool],
    source: str = "",
) -> int:
    """Store single days of attendance, (registration id, day) -> present, and nothing
    else: a day no mark names keeps what it holds (a paper mark says nothing of the other
    days, where the grid's page says every day). A person present on any day becomes
    "attended", one absent on every recorded day "registered". Returns the marks stored."""
    workshop, days, regs = _attendance_target(db, actor, workshop_id)
    if any(rid not in regs or day not in days for rid, day in marks):
        raise _stray_marks()
    for rid, reg in regs.items():
        mine = {day: present for (r, day), present in marks.items() if r == rid}
        if not mine:
            continue
        rows = {a.day: a for a in reg.attendance}
        changes: dict[str, list[object]] = {}
        for day, present in sorted(mine.items()):
            before = rows[day].present if day in rows else None
            if day in rows:
                rows[day].present = present
            else:
                reg.attendance.append(Attendance(day=day, present=present))
            if before != present:
                changes[day.isoformat()] = [before, present]
        attended = any(a.present for a in reg.attendance)
        status = RegistrationStatus.ATTENDED if attended else RegistrationStatus.REGISTERED
        if status != reg.status:
            changes["status"] = [reg.status, status]
            reg.status = status
        if changes:
            audit.record(db, actor, "attendance", reg, changes, _label(workshop, source))
    flush(db)
    return len(marks)


def _label(workshop: Workshop, source: str) -> str:
    """The audit log's label of a stored mark: the workshop, and where the mark came from."""
    return f"{workshop.title} ({source})" if source else workshop.title


def _ticked_cells(ticked: set[dt.date], days: list[dt.date]) -> dict[str, str]:
    return {d.isoformat(): "1" if d in ticked else "0" for d in days}


def attendance_sent(present: set[tuple[int, dt.date]], rows, days: list[dt.date]) -> dict:
    """The rows of a posted attendance grid as cells, for showing it again."""
    return {rid: _ticked_cells({d for r, d in present if r == rid}, days) for rid in rows}


def _store_attendance(
    db: Session,
    actor: Actor,
    workshop: Workshop,
    reg: Registration,
    days: list[dt.date],
    ticked: set[dt.date],
    source: str = "",
) -> int:
    marks = {a.day: a for a in reg.attendance}
    before = {d: m.present for d, m in marks.items()}
    for day in days:
        if day in marks:
            marks[day].present = day in ticked
        else:
            reg.attendance.append(Attendance(day=day, present=day in ticked))
    after = {d: d in ticked for d in days}
    new_status = RegistrationStatus.ATTENDED if ticked else RegistrationStatus.REGISTERED
    changes: dict[str, list[object]] = {
        d.isoformat(): [before.get(d), after[d]] for d in days if before.get(d) != after[d]
    }
    if new_status != reg.status:
        changes["status"] = [reg.status, new_status]
        reg.status = new_status
    if changes:
        audit.record(db, actor, "attendance", reg, changes, _label(workshop, source))
    return len(ticked)


def _score(c: Checker, field: str, value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".").rstrip("%"))
    except InvalidOperation:
        c.add(field, _("Enter a score from 0 to 100."))
        return None
    if not (0 <= number <= 100) or not number.is_finite():
        c.add(field, _("Enter a score from 0 to 100."))
        return None
    return number.quantize(Decimal("0.1"))


def result_cells(reg: Registration) -> dict[str, str]:
    """A row of the results grid as the page shows it (its stamp is made from this)."""
    values = (
        reg.pre_score,
        reg.post_score,
        reg.feedback_rating,
        reg.feedback_topic,
        reg.feedback_comment,
    )
    return {
        key: "" if value is None else str(value)
        for key, value in zip(RESULT_KEYS, values, strict=True)
    }


RESULT_KEYS = ("pre", "post", "rating", "topic", "comment")


def _results_summary(cells: Mapping[str, object]) -> str:
    labels = (_("Pre-test"), _("Post-test"), _("Rating (1-5)"), _("Most useful topic"))
    parts = [
        f"{label}: {cells[key] or '–'}" for label, key in zip(labels, RESULT_KEYS, strict=False)
    ]
    if cells["comment"]:
        parts.append(f"{_('Comments')}: {cells['comment']}")
    return "; ".join(parts)


def _result_values(c: Checker, row: str, data: Mapping[str, object]) -> dict:
    rating = data.get("rating")
    if rating in (None, ""):
        rating = None
    else:
        try:
            rating = int(str(rating).strip())
        except ValueError:
            rating = 0
        if not 1 <= rating <= 5:
            c.add(f"rating-{row}", _("Give a rating from 1 to 5."))
            rating = None
    return {
        "pre_score": _score(c, f"pre-{row}", data.get("pre")),
        "post_score": _score(c, f"post-{row}", data.get("post")),
        "feedback_rating": rating,
        "feedback_topic": c.text(f"topic-{row}", data.get("topic"), max_length=300),
        "feedback_comment": c.text(f"comment-{row}", data.get("comment")),
    }


def record_results(
    db: Session,
    actor: Actor,
    workshop_id,
    rows: dict[int, dict],
    seen: Mapping[int, str] | None = None,
    source: str = "",
) -> None:
    """Store typed-in paper results: per registration id, ``pre``, ``post`` (0-100),
    ``rating`` (1-5), ``topic`` and ``comment``. Every problem is named with its row.
    ``seen``: each row's stamp as the page showed it (see ``grids``); ``source``: where
    the results came from, for the audit log."""
    require(actor, "participant.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    named = _registrations(workshop.id).where(Registration.id.in_(list(rows)))
    regs = {r.id: r for r in db.scalars(named)}
    c = Checker()
    known = {rid: data for rid, data in rows.items() if rid in regs}
    if len(known) < len(rows):
        c.add(None, _("The grid names someone who is not on this workshop's list."))
    if seen is not None:
        plan = grids.merge(seen, {rid: result_cells(regs[rid]) for rid in known}, known)
        for rid, now in plan.conflicts.items():
            c.add(f"row-{rid}", grids.conflict_message(_results_summary(now)))
        known = dict(plan.store)
    values = {rid: _result_values(c, str(rid), data) for rid, data in known.items()}
    c.done()
    for rid, new in values.items():
        audit.update(db, actor, regs[rid], new, RESULT_FIELDS, _label(workshop, source))

"""The trainer registry: trainers, their training records and unavailability."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, selectinload

from ..i18n import _
from ..models import (
    LANGUAGES,
    SEXES,
    TRAINER_STATUSES,
    TRAINING_KINDS,
    Institution,
    Province,
    Trainer,
    TrainingRecord,
    Unavailability,
)
from ..permissions import Actor, require
from ..text import fold
from ..vocabulary import TrainerStatus
from . import audit
from .paging import Page, paginate
from .reports import SexBreakdown, sex_breakdown
from .validation import UNCHECKED, Checker, check_lock, flush, get_or_404

TRAINER_AUDITED = (
    "given_name_lo",
    "family_name_lo",
    "given_name_latin",
    "family_name_latin",
    "sex",
    "institution_id",
    "position",
    "base_province_id",
    "phone",
    "email",
    "languages",
    "status",
    "joined_on",
    "notes",
)
CONTACT_FIELDS = ("phone", "email", "languages")
RECORD_AUDITED = ("trainer_id", "title", "kind", "start_date", "end_date", "organiser")
UNAVAILABILITY_AUDITED = ("trainer_id", "start_date", "end_date", "reason")

SORTS = {
    "name": (Trainer.family_name_latin, Trainer.given_name_latin),
    "given_name": (Trainer.given_name_latin, Trainer.family_name_latin),
    "name_lo": (Trainer.given_name_lo, Trainer.family_name_lo),
    "institution": (Institution.short_name, Trainer.family_name_latin),
    "province": (Province.name_en, Trainer.family_name_latin),
    "joined": (Trainer.joined_on, Trainer.family_name_latin),
    "newest": (Trainer.created_at.desc(),),
}


# -- trainers -------------------------------------------------------------------------------


def _check_contacts(c: Checker, data: dict) -> dict:
    return {
        "phone": c.phone("phone", data.get("phone")),
        "email": c.email("email", data.get("email")),
        "languages": c.choices("languages", data.get("languages"), LANGUAGES),
    }


def _check_trainer(db: Session, data: dict) -> dict:
    c = Checker()
    values = {
        **c.person_names(data),
        "sex": c.choice("sex", data.get("sex"), SEXES),
        "position": c.name("position", data.get("position"), required=False, max_length=200),
        "status": c.choice("status", data.get("status") or "active", TRAINER_STATUSES),
        "joined_on": c.date("joined_on", data.get("joined_on"), required=False, not_future=True),
        "notes": c.text("notes", data.get("notes")),
        **_check_contacts(c, data),
    }
    if (
        not values["given_name_lo"]
        and not values["given_name_latin"]
        and not c.errors.get("given_name_latin")
    ):
        c.add(
            "given_name_latin", _("Give the given name in Lao script, in Latin letters, or both.")
        )
    institution = c.reference(db, "institution_id", Institution, data.get("institution_id"))
    province = c.province(db, "base_province", data.get("base_province"))
    values["institution_id"] = institution.id if institution else None
    values["base_province_id"] = province.id if province else None
    c.done()
    return values


def get_trainer(db: Session, actor: Actor, trainer_id: int) -> Trainer:
    require(actor, "trainer.view")
    return get_or_404(db, Trainer, trainer_id)


def create_trainer(db: Session, actor: Actor, data: dict) -> Trainer:
    require(actor, "trainer.create")
    trainer = Trainer(**_check_trainer(db, data))
    db.add(trainer)
    flush(db)
    audit.record_create(db, actor, trainer, TRAINER_AUDITED, trainer.name_latin or trainer.name_lao)
    return trainer


def _apply(db, actor, trainer: Trainer, values: dict) -> Trainer:
    return audit.update(
        db, actor, trainer, values, TRAINER_AUDITED, trainer.name_latin or trainer.name_lao
    )


def update_trainer(
    db: Session, actor: Actor, trainer_id: int, data: dict, lock_version=UNCHECKED
) -> Trainer:
    require(actor, "trainer.edit")
    trainer = get_or_404(db, Trainer, trainer_id)
    check_lock(trainer, lock_version)
    return _apply(db, actor, trainer, _check_trainer(db, data))


def update_contacts(
    db: Session, actor: Actor, trainer_id: int, data: dict, lock_version=UNCHECKED
) -> Trainer:
    """What a trainer keeps up to date on their own record: phone, email, languages."""
    trainer = get_or_404(db, Trainer, trainer_id)
    require(actor, "trainer.edit_contacts", trainer)
    check_lock(trainer, lock_version)
    c = Checker()
    values = _check_contacts(c, data)
    c.done()
    return _apply(db, actor, trainer, values)


def delete_trainer(db: Session, actor: Actor, trainer_id: int) -> None:
    require(actor, "trainer.delete")
    trainer = get_or_404(db, Trainer, trainer_id)
    audit.record_delete(db, actor, trainer, TRAINER_AUDITED, trainer.name_latin or trainer.name_lao)
    db.delete(trainer)
    flush(db)


# -- search and summary ------------------------------------------------------------------------


@dataclass
class TrainerFilters:
    query: str = ""
    institution_id: int | None = None
    province_code: str | None = None
    sex: str | None = None
    status: str | None = None
    sort: str = "name"
    page: Any = 1  # as sent; see paging.paginate
    per_page: int = 25


@dataclass
class TrainerSummary:
    total: int
    by_sex: SexBreakdown
    by_institution: list[tuple[Institution, int]] = field(default_factory=list)


@dataclass
class TrainerSearch:
    """A page of the trainers found, and the summary of all of them."""

    found: Page[Trainer]
    summary: TrainerSummary


def _filtered(filters: TrainerFilters) -> Select:
    query = select(Trainer)
    conditions: list[ColumnElement[bool]] = []
    for word in fold(filters.query).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Trainer.search_key.like(f"%{escaped}%", escape="\\"))
    if filters.institution_id:
        conditions.append(Trainer.institution_id == filters.institution_id)
    if filters.province_code:
        conditions.append(Trainer.base_province.has(Province.code == filters.province_code))
    if filters.sex:
        conditions.append(Trainer.sex == filters.sex)
    if filters.status:
        conditions.append(Trainer.status == filters.status)
    return query.where(and_(*conditions)) if conditions else query


def search_trainers(db: Session, actor: Actor, filters: TrainerFilters) -> TrainerSearch:
    """Trainers matching every word of the query (either script, any part of a name) and
    filters: one page of them, and figures for all of them."""
    require(actor, "trainer.view")
    query = _filtered(filters)
    ids = query.with_only_columns(Trainer.id).subquery()
    by_sex: dict[str | None, int] = dict(
        db.execute(
            select(Trainer.sex, func.count())
            .where(Trainer.id.in_(select(ids)))
            .group_by(Trainer.sex)
        ).all()
    )
    by_institution = db.execute(
        select(Institution, func.count(Trainer.id))
        .join(Trainer, Trainer.institution_id == Institution.id)
        .where(Trainer.id.in_(select(ids)))
        .group_by(Institution.id)
        .order_by(func.count(Trainer.id).desc(), Institution.short_name)
    ).all()
    order = SORTS.get(filters.sort, SORTS["name"])
    found = paginate(
        db,
        query.join(Institution, Trainer.institution_id == Institution.id)
        .join(Province, Trainer.base_province_id == Province.id)
        .options(selectinload(Trainer.institution), selectinload(Trainer.base_province))
        .order_by(*order, Trainer.id),
        filters.page,
        filters.per_page,
    )
    summary = TrainerSummary(
        sum(by_sex.values()), sex_breakdown(by_sex), [(i, n) for i, n in by_institution]
    )
    return TrainerSearch(found, summary)


def active_trainers(db: Session) -> list[Trainer]:
    """Every active trainer, by family name (the lists a coordinator picks a team from)."""
    return list(
        db.scalars(
            select(Trainer)
            .where(Trainer.status == TrainerStatus.ACTIVE)
            .order_by(Trainer.family_name_latin)
        )
    )


def count_trainers(db: Session, actor: Actor) -> dict[str, int]:
    require(actor, "trainer.view")
    counts = Counter(
        dict(db.execute(select(Trainer.status, func.count()).group_by(Trainer.status)).all())
    )
    return {"active": counts["active"], "inactive": counts["inactive"], "total": counts.total()}


# -- training records --------------------------------------------------------------------------


def _check_record(data: dict) -> dict:
    c = Checker()
    values = {
        "title": c.name("title", data.get("title"), max_length=200),
        "kind": c.choice("kind", data.get("kind"), TRAINING_KINDS),
        "organiser": c.name("organiser", data.get("organiser"), required=False, max_length=200),
    }
    values["start_date"], values["end_date"] = c.period(
        "start_date", data.get("start_date"), "end_date", data.get("end_date")
    )
    c.done()
    return values


def add_training_record(db: Session, actor: Actor, trainer_id: int, data: dict) -> TrainingRecord:
    trainer = get_or_404(db, Trainer, trainer_id)
    require(actor, "training_record.manage", trainer)
    record = TrainingRecord(trainer=trainer, **_check_record(data))
    db.add(record)
    flush(db)
    audit.record_create(db, actor, record, RECORD_AUDITED, f"{trainer.name_latin}: {record.title}")
    return record


def update_training_record(
    db: Session, actor: Actor, record_id: int, data: dict, lock_version=UNCHECKED
) -> TrainingRecord:
    record = get_or_404(db, TrainingRecord, record_id)
    require(actor, "training_record.manage", record.trainer)
    check_lock(record, lock_version)
    values = _check_record(data)
    label = f"{record.trainer.name_latin}: {values['title']}"
    return audit.update(db, actor, record, values, RECORD_AUDITED, label)


def delete_training_record(db: Session, actor: Actor, record_id: int) -> Trainer:
    record = get_or_404(db, TrainingRecord, record_id)
    trainer = record.trainer
    require(actor, "training_record.manage", trainer)
    audit.record_delete(db, actor, record, RECORD_AUDITED, f"{trainer.name_latin}: {record.title}")
    db.delete(record)
    flush(db)
    return trainer


# -- unavailability ----------------------------------------------------------------------------


def _check_unavailability(
    db: Session, trainer: Trainer, data: dict, current: Unavailability | None
) -> dict:
    c = Checker()
    start, end = c.period("start_date", data.get("start_date"), "end_date", data.get("end_date"))
    values = {
        "start_date": start,
        "end_date": end,
        "reason": c.name("reason", data.get("reason"), required=False, max_length=200),
    }
    if start and end and not c.errors:
        overlap = db.scalar(
            select(Unavailability).where(
                Unavailability.trainer_id == trainer.id,
                Unavailability.start_date <= end,
                Unavailability.end_date >= start,
                Unavailability.id != (current.id if current else -1),
            )
        )
        if overlap is not None:
            c.add(
                "start_date",
                _(
                    "This overlaps the period %(start)s to %(end)s already recorded; change that one instead.",
                    start=overlap.start_date.isoformat(),
                    end=overlap.end_date.isoformat(),
                ),
            )
    c.done()
    return values


def _unavailability_label(item: Unavailability) -> str:
    return f"{item.trainer.name_latin}: {item.start_date} to {item.end_date}"


def add_unavailability(db: Session, actor: Actor, trainer_id: int, data: dict) -> Unavailability:
    trainer = get_or_404(db, Trainer, trainer_id)
    require(actor, "unavailability.manage", trainer)
    item = Unavailability(trainer=trainer, **_check_unavailability(db, trainer, data, None))
    db.add(item)
    flush(db)
    audit.record_create(db, actor, item, UNAVAILABILITY_AUDITED, _unavailability_label(item))
    return item


def update_unavailability(
    db: Session, actor: Actor, item_id: int, data: dict, lock_version=UNCHECKED
) -> Unavailability:
    item = get_or_404(db, Unavailability, item_id)
    require(actor, "unavailability.manage", item.trainer)
    check_lock(item, lock_version)
    values = _check_unavailability(db, item.trainer, data, item)
    label = f"{item.trainer.name_latin}: {values['start_date']} to {values['end_date']}"
    return audit.update(db, actor, item, values, UNAVAILABILITY_AUDITED, label)


def delete_unavailability(db: Session, actor: Actor, item_id: int) -> Trainer:
    item = get_or_404(db, Unavailability, item_id)
    trainer = item.trainer
    require(actor, "unavailability.manage", trainer)
    audit.record_delete(db, actor, item, UNAVAILABILITY_AUDITED, _unavailability_label(item))
    db.delete(item)
    flush(db)
    return trainer


def upcoming_unavailability(trainer: Trainer, today: dt.date | None = None) -> list[Unavailability]:
    today = today or dt.date.today()
    return [u for u in trainer.unavailabilities if u.end_date >= today]


def get_training_record(db: Session, actor: Actor, record_id: int) -> TrainingRecord:
    record = get_or_404(db, TrainingRecord, record_id)
    require(actor, "training_record.manage", record.trainer)
    return record


def get_unavailability(db: Session, actor: Actor, item_id: int) -> Unavailability:
    item = get_or_404(db, Unavailability, item_id)
    require(actor, "unavailability.manage", item.trainer)
    return item

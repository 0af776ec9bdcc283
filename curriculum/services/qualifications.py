"""Which trainer may teach which module, at which level; the matrix of modules by trainers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..i18n import _
from ..models import (
    LEADING_LEVELS,
    MIN_LEADING_TRAINERS,
    QUALIFICATION_LEVELS,
    Module,
    Qualification,
    Trainer,
)
from ..permissions import Actor, require
from ..vocabulary import TrainerStatus
from . import audit
from .validation import UNCHECKED, Checker, check_lock, flush, get_or_404

AUDITED = ("module_id", "level", "since", "granted_by", "notes")


def _check(db: Session, trainer: Trainer, data: dict, current: Qualification | None) -> dict:
    c = Checker()
    module = c.reference(db, "module_id", Module, data.get("module_id"))
    values = {
        "module_id": module.id if module else None,
        "level": c.choice("level", data.get("level"), QUALIFICATION_LEVELS),
        "since": c.date("since", data.get("since"), not_future=True),
        "granted_by": c.name("granted_by", data.get("granted_by"), max_length=200),
        "notes": c.text("notes", data.get("notes"), max_length=2000),
    }
    if module is not None:
        existing = db.scalar(
            select(Qualification).where(
                Qualification.trainer_id == trainer.id, Qualification.module_id == module.id
            )
        )
        if existing is not None and existing is not current:
            c.add(
                "module_id",
                _(
                    "This trainer already has a qualification for %(code)s: change that one.",
                    code=module.code,
                ),
            )
    c.done()
    return values


def _label(trainer: Trainer, module_id: int, db: Session) -> str:
    module = db.get(Module, module_id)
    return f"{trainer.name_latin}: {module.code if module else module_id}"


def grant_qualification(db: Session, actor: Actor, trainer_id: int, data: dict) -> Qualification:
    trainer = get_or_404(db, Trainer, trainer_id)
    require(actor, "qualification.manage")
    qualification = Qualification(trainer=trainer, **_check(db, trainer, data, None))
    db.add(qualification)
    flush(db)
    audit.record_create(
        db, actor, qualification, AUDITED, _label(trainer, qualification.module_id, db)
    )
    return qualification


def get_qualification(db: Session, qualification_id) -> Qualification:
    return get_or_404(db, Qualification, qualification_id)


def update_qualification(
    db: Session, actor: Actor, qualification_id: int, data: dict, lock_version=UNCHECKED
) -> Qualification:
    qualification = get_or_404(db, Qualification, qualification_id)
    require(actor, "qualification.manage")
    check_lock(qualification, lock_version)
    values = _check(db, qualification.trainer, data, qualification)
    label = _label(qualification.trainer, values["module_id"], db)
    return audit.update(db, actor, qualification, values, AUDITED, label)


def withdraw_qualification(db: Session, actor: Actor, qualification_id: int) -> Trainer:
    qualification = get_or_404(db, Qualification, qualification_id)
    trainer = qualification.trainer
    require(actor, "qualification.manage")
    audit.record_delete(
        db, actor, qualification, AUDITED, _label(trainer, qualification.module_id, db)
    )
    db.delete(qualification)
    flush(db)
    return trainer


@dataclass
class Matrix:
    modules: list[Module]
    trainers: list[Trainer]
    cells: dict[tuple[int, int], Qualification]  # (trainer id, module id)
    leading: dict[int, int]  # module id -> active lead or master trainers
    qualified: dict[int, int]  # module id -> active trainers at any level

    @property
    def short_modules(self) -> list[Module]:
        """Modules with fewer than MIN_LEADING_TRAINERS active lead or master trainers."""
        return [m for m in self.modules if self.leading[m.id] < MIN_LEADING_TRAINERS]

    minimum = MIN_LEADING_TRAINERS


def qualification_matrix(db: Session, include_inactive: bool = False) -> Matrix:
    modules = list(db.scalars(select(Module).order_by(Module.code)))
    query = (
        select(Trainer)
        .options(selectinload(Trainer.qualifications), selectinload(Trainer.institution))
        .order_by(Trainer.given_name_latin, Trainer.family_name_latin)
    )
    if not include_inactive:
        query = query.where(Trainer.status == TrainerStatus.ACTIVE)
    trainers = list(db.scalars(query))
    cells = {}
    leading = {m.id: 0 for m in modules}
    qualified = {m.id: 0 for m in modules}
    for trainer in trainers:
        for q in trainer.qualifications:
            cells[(trainer.id, q.module_id)] = q
            if trainer.status == TrainerStatus.ACTIVE and q.module_id in leading:
                qualified[q.module_id] += 1
                if q.level in LEADING_LEVELS:
                    leading[q.module_id] += 1
    return Matrix(modules, trainers, cells, leading, qualified)

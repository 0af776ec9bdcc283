"""Provinces and institutions: reference data admins keep up to date."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..i18n import _
from ..models import INSTITUTION_KINDS, INSTITUTION_LEVELS, Institution, Province, Trainer
from ..permissions import Actor, require
from ..text import fold
from ..vocabulary import InstitutionLevel
from . import audit
from .validation import UNCHECKED, Checker, check_lock, flush, get_or_404

PROVINCE_AUDITED = ("code", "name_en", "name_lo", "alt_names")
INSTITUTION_AUDITED = ("short_name", "name_en", "name_lo", "kind", "level", "province_id")
_NOT_LETTERS = re.compile(r"[\s\-_'.,]+")
_PROVINCE_WORDS = re.compile(r"\b(province|prefecture|capital|city|khoueng|khouaeng)\b")


def list_provinces(db: Session) -> list[Province]:
    return list(db.scalars(select(Province).order_by(Province.name_en)))


def list_institutions(db: Session) -> list[Institution]:
    return list(db.scalars(select(Institution).order_by(Institution.level, Institution.name_en)))


def _place_key(text: str) -> str:
    return _NOT_LETTERS.sub("", fold(text))


def find_province(db: Session, text: str) -> Province | None:
    """The province named by ``text``: its code, English or Lao name or an alternate spelling.

    Matching is loose: case, spaces, hyphens, Lao spelling variants and the
    words "province" or "capital" are ignored. A name that fits more than one
    province ("Vientiane") matches none.
    """
    text = (text or "").strip()
    if not text:
        return None
    provinces = list_provinces(db)
    code = text.upper()
    for province in provinces:
        if code in (province.code, province.code[3:]):
            return province
    for loose in (False, True):
        key = _place_key(_PROVINCE_WORDS.sub("", fold(text)) if loose else text)
        matches = [
            province
            for province in provinces
            if key in {_place_key(name) for name in _names(province, loose)}
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            return None
    return None


def _names(province: Province, loose: bool) -> list[str]:
    names = [province.name_en, province.name_lo, *province.alt_names]
    return [_PROVINCE_WORDS.sub("", fold(n)) for n in names] if loose else names


def _check_province(data: dict) -> dict:
    c = Checker()
    values: dict[str, str | list[str]] = {
        "name_en": c.name("name_en", data.get("name_en"), script="latin"),
        "name_lo": c.name("name_lo", data.get("name_lo"), script="lao"),
    }
    alt_names: list[str] = []
    for raw in data.get("alt_names") or []:
        name = c.name("alt_names", raw, required=False)
        if name and name not in alt_names:
            alt_names.append(name)
    values["alt_names"] = alt_names
    c.done()
    return values


def update_province(
    db: Session, actor: Actor, province_id: int, data: dict, lock_version=UNCHECKED
) -> Province:
    require(actor, "reference.manage")
    province = get_or_404(db, Province, province_id)
    check_lock(province, lock_version)
    values = _check_province(data)
    return audit.update(db, actor, province, values, PROVINCE_AUDITED, values["name_en"])


def _check_institution(db: Session, data: dict, institution: Institution | None) -> dict:
    c = Checker()
    values = {
        "short_name": c.name("short_name", data.get("short_name"), max_length=30),
        "name_en": c.name("name_en", data.get("name_en"), max_length=200, script="latin"),
        "name_lo": c.name(
            "name_lo", data.get("name_lo"), max_length=200, required=False, script="lao"
        ),
        "kind": c.choice("kind", data.get("kind"), INSTITUTION_KINDS),
        "level": c.choice("level", data.get("level"), INSTITUTION_LEVELS),
    }
    province = c.province(db, "province", data.get("province"), required=False)
    values["province_id"] = province.id if province else None
    if (
        values["level"] == InstitutionLevel.PROVINCIAL
        and province is None
        and "province" not in c.errors
    ):
        c.add("province", _("A provincial institution needs its province."))
    if values["name_en"] and "name_en" not in c.errors:
        clash = db.scalar(
            select(Institution).where(func.lower(Institution.name_en) == values["name_en"].lower())
        )
        if clash is not None and clash is not institution:
            c.add("name_en", _("An institution with this name exists already."))
    c.done()
    return values


def create_institution(db: Session, actor: Actor, data: dict) -> Institution:
    require(actor, "reference.manage")
    institution = Institution(**_check_institution(db, data, None))
    db.add(institution)
    flush(db)
    audit.record_create(db, actor, institution, INSTITUTION_AUDITED, institution.name_en)
    return institution


def update_institution(
    db: Session, actor: Actor, institution_id: int, data: dict, lock_version=UNCHECKED
) -> Institution:
    require(actor, "reference.manage")
    institution = get_or_404(db, Institution, institution_id)
    check_lock(institution, lock_version)
    values = _check_institution(db, data, institution)
    return audit.update(db, actor, institution, values, INSTITUTION_AUDITED, values["name_en"])


def delete_institution(db: Session, actor: Actor, institution_id: int) -> None:
    require(actor, "reference.manage")
    institution = get_or_404(db, Institution, institution_id)
    in_use = db.scalar(select(func.count()).where(Trainer.institution_id == institution.id))
    if in_use:
        raise ValidationError(
            {
                None: _(
                    "%(count)d trainers belong to this institution; move them first.", count=in_use
                )
            }
        )
    audit.record_delete(db, actor, institution, INSTITUTION_AUDITED, institution.name_en)
    db.delete(institution)
    flush(db)

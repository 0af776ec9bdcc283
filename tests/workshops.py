"""Workshops with people on their list, as the paper and scan tests (and bench/scan.py) need
them: one call instead of a rollout, a workshop, its agenda and its registrations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from curriculum.models import Participant, Registration, Workshop
from curriculum.permissions import SYSTEM
from curriculum.services import programmes, workshops

LAO_GIVEN = ["ບຸນມີ", "ສົມພອນ", "ຄຳຫຼ້າ", "ນ້ອຍ", "ວິໄລວັນ", "ພອນສະຫວັນ"]
LAO_FAMILY = ["ພົມມະຈັນ", "ສີສຸວັນ", "ແກ້ວມະນີວົງ", "ຈັນທະວົງ", "ສຸວັນນະລາດ"]


def lao_people(count: int) -> list[dict]:
    """``count`` people with names in Lao and Latin script, women and men in turn."""
    return [
        {
            "given_name_lo": LAO_GIVEN[n % len(LAO_GIVEN)],
            "family_name_lo": LAO_FAMILY[n % len(LAO_FAMILY)],
            "given_name_latin": f"Person{n}",
            "family_name_latin": f"Family{n}",
            "sex": "female" if n % 2 else "male",
        }
        for n in range(count)
    ]


def workshop_with_people(
    db: Session,
    title: str,
    start: dt.date,
    days: int,
    people: list[dict],
    *,
    province: str = "LA-BK",
    programme: str | None = None,
    **values,
) -> tuple[Workshop, list[Registration]]:
    """A confirmed workshop of ``days`` days from ``start`` (its agenda laid out from
    ``programme`` when given), everyone in ``people`` (Participant fields) registered."""
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": title, "start_date": start, "end_date": start}
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": title,
            "province": province,
            "start_date": start,
            "end_date": start + dt.timedelta(days=days - 1),
            **values,
        },
    )
    if programme:
        programmes.lay_out_programme(db, SYSTEM, workshop.id, programme)
    workshop.status = "confirmed"
    registrations = [
        Registration(workshop=workshop, participant=Participant(**person), status="registered")
        for person in people
    ]
    db.add_all(registrations)
    db.flush()
    return workshop, registrations

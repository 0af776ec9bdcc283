"""Road times between provinces: what the workshop check and the trainer picker read.

One row per pair of provinces, either way (``TravelTime``). ``flask setup`` adds an
estimate for each pair that has none (``curriculum.seed.reference``); an admin sets the
real times a province at a time, and a time set by a person is no longer an estimate.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import StaleObject
from ..i18n import _
from ..models import MAX_TRAVEL_MINUTES, Province, TravelTime
from ..permissions import Actor, require
from . import audit
from .validation import UNCHECKED, Checker, check_lock, flush, get_or_404

TRAVEL_AUDITED = ("minutes", "estimated")
# "6", "6.5", "6,5", "6.25", "6:30"; not "6.30", which someone may mean as 6:30
_HOURS = re.compile(r"^(\d{1,2})(?:[.,](\d|25|75))?$|^(\d{1,2}):([0-5]\d)$")


@dataclass(frozen=True)
class TravelTable:
    """Minutes of road between provinces, by province id."""

    between: dict[tuple[int, int], int]

    def minutes(self, a: int, b: int) -> int | None:
        """The road time from ``a`` to ``b``: 0 within a province, None when not known."""
        if a == b:
            return 0
        return self.between.get((a, b) if a < b else (b, a))


def travel_table(db: Session) -> TravelTable:
    """Every pair's road time (one query; a few hundred rows)."""
    rows = db.execute(
        select(TravelTime.province_a_id, TravelTime.province_b_id, TravelTime.minutes)
    )
    return TravelTable({(a, b): minutes for a, b, minutes in rows})


@dataclass(frozen=True)
class Trip:
    """The road from one province to ``other``, as its admin page lists it."""

    other: Province
    minutes: int | None
    estimated: bool
    lock_version: int | None


def _roads_from(db: Session, province_id: int) -> dict[int, TravelTime]:
    """The rows of the roads from ``province_id``, by the other province's id."""
    either = or_(TravelTime.province_a_id == province_id, TravelTime.province_b_id == province_id)
    return {
        (t.province_b_id if t.province_a_id == province_id else t.province_a_id): t
        for t in db.scalars(select(TravelTime).where(either))
    }


def trips_from(db: Session, province_id: int) -> list[Trip]:
    """The road time from ``province_id`` to every other province, by the other's name."""
    rows = _roads_from(db, province_id)
    others = db.scalars(
        select(Province).where(Province.id != province_id).order_by(Province.name_en)
    )
    trips = []
    for other in others:
        row = rows.get(other.id)
        trips.append(
            Trip(
                other,
                row.minutes if row else None,
                row.estimated if row else False,
                row.lock_version if row else None,
            )
        )
    return trips


def estimates_left(db: Session) -> dict[int, int]:
    """How many of each province's roads still have only an estimate, by province id."""
    counts: dict[int, int] = {}
    for a, b in db.execute(
        select(TravelTime.province_a_id, TravelTime.province_b_id).where(TravelTime.estimated)
    ):
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) + 1
    return counts


def parse_hours(text: str | None) -> int | None:
    """Hours as typed ("6", "6.5", "6,5", "6.25", "6:30") as minutes; None when not a time
    ("6.30" too: it may mean 6 hours 30 or 6.3 hours)."""
    match = _HOURS.match((text or "").strip())
    if not match:
        return None
    if match.group(3) is not None:
        return int(match.group(3)) * 60 + int(match.group(4))
    whole, fraction = match.group(1), match.group(2) or "0"
    return round((int(whole) + int(fraction) / 10 ** len(fraction)) * 60)


def hours_text(minutes: int | None) -> str:
    """Minutes as the hours a form shows ("6:30"); empty when not known."""
    if minutes is None:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


def set_trips(
    db: Session,
    actor: Actor,
    province_id: int,
    hours: dict[int, str],
    versions: Mapping[int, object] | None = None,
    confirmed: Collection[int] = (),
) -> int:
    """Set the road time from ``province_id`` to each other province in ``hours`` (by the
    other's id). A new time is no longer an estimate; so is an estimate whose other
    province is in ``confirmed``; a blank or unchanged time is left as it is. Each row's
    ``versions`` entry is the version the form showed (refused when someone saved since).
    Returns how many changed; nothing is saved unless every time is valid."""
    require(actor, "reference.manage")
    province = get_or_404(db, Province, province_id)
    versions = versions or {}
    rows = _roads_from(db, province.id)
    known = set(db.scalars(select(Province.id).where(Province.id != province.id)))
    c = Checker()
    wanted: dict[int, int] = {}
    for other_id, text in hours.items():
        if other_id not in known or not (text or "").strip():
            continue
        minutes = parse_hours(text)
        if minutes is None or not 0 < minutes <= MAX_TRAVEL_MINUTES:
            c.add(
                f"hours_{other_id}",
                _("Give the hours of the trip, more than 0 and at most 48 (for example 6:30)."),
            )
        else:
            wanted[other_id] = minutes
    c.done()
    changed = 0
    for other_id, minutes in wanted.items():
        row = rows.get(other_id)
        if row is None:
            a, b = sorted((province.id, other_id))
            row = TravelTime(province_a_id=a, province_b_id=b, minutes=minutes, estimated=False)
            db.add(row)
            flush(db)
            audit.record_create(db, actor, row, TRAVEL_AUDITED, province.name_en)
            changed += 1
            continue
        try:
            check_lock(row, versions.get(other_id, UNCHECKED))
        except StaleObject:
            raise StaleObject(
                _(
                    "Someone else changed these road times after you opened the page. "
                    "Nothing was saved: reload the page to see theirs, then make yours again."
                )
            ) from None
        if row.minutes != minutes or (row.estimated and other_id in confirmed):
            audit.update(
                db, actor, row, {"minutes": minutes, "estimated": False}, TRAVEL_AUDITED,
                province.name_en,
            )  # fmt: skip
            changed += 1
    return changed

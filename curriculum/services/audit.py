"""Recording and reading the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditEvent
from ..permissions import Actor, require
from ..vocabulary import AuditAction
from .paging import Page, paginate
from .validation import flush


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a column value."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Decimal):  # a score: kept exactly, as text
        return str(value)
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _actor_label(actor: Actor) -> str:
    return actor.email


def record(
    db: Session,
    actor: Actor,
    action: str,
    obj: Any,
    changes: dict[str, Any],
    label: str = "",
) -> AuditEvent | None:
    """Add one audit event; an update that changed nothing records nothing."""
    if action == AuditAction.UPDATE and not changes:
        return None
    event = AuditEvent(
        actor_id=actor.id,
        actor_label=_actor_label(actor),
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.id,
        object_label=label[:300],
        changes=changes,
    )
    db.add(event)
    return event


def update(db: Session, actor: Actor, obj: Any, values: dict[str, Any], fields, label=""):
    """Set ``values`` on ``obj``, flush, and record what changed among ``fields``."""
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    flush(db)
    record(db, actor, AuditAction.UPDATE, obj, differences(before, snapshot(obj, fields)), label)
    return obj


def record_create(db, actor, obj, fields, label=""):
    values = snapshot(obj, fields)
    return record(db, actor, "create", obj, {k: [None, v] for k, v in values.items()}, label)


def record_delete(db, actor, obj, fields, label=""):
    values = snapshot(obj, fields)
    return record(db, actor, "delete", obj, {k: [v, None] for k, v in values.items()}, label)


def list_events(
    db: Session,
    actor: Actor,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    user_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: Any = 1,
    per_page: int = 50,
) -> Page[AuditEvent]:
    """The events matching the filters, newest first, one page at a time."""
    require(actor, "audit.view")
    query = select(AuditEvent)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if user_id is not None:
        query = query.where(AuditEvent.actor_id == user_id)
    if date_from is not None:
        query = query.where(AuditEvent.at >= dt.datetime.combine(date_from, dt.time(), dt.UTC))
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(AuditEvent.at < end)
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return paginate(db, query, page, per_page)


def object_types(db: Session) -> list[str]:
    return list(
        db.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type))
    )

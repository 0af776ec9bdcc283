"""Teaching methods: the list a plan's activities choose from, kept by coordinators."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...errors import NotFound
from ...i18n import _
from ...models import (
    Method,
)
from ...permissions import require
from .. import audit
from ..validation import UNCHECKED, Checker, check_lock, flush
from .values import whole_number

# -- teaching methods ---------------------------------------------------------------------------

METHOD_FIELDS = ("code", "name_en", "name_lo", "participatory", "lecture", "active")
_METHOD_CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


def save_method(db: Session, actor, data: dict, method_id=None, lock_version=UNCHECKED) -> Method:
    """Add a teaching method, or change one (its code stays: plans and files refer to it)."""
    require(actor, "method.manage")
    c = Checker()
    method = db.get(Method, whole_number(method_id)) if method_id else None
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


def list_methods(db: Session, *, active_only: bool = True) -> list[Method]:
    query = select(Method).order_by(Method.position, Method.name_en)
    if active_only:
        query = query.where(Method.active.is_(True))
    return list(db.scalars(query))

"""The vocabularies are the database's: a column's check constraint is built from its enum,
and the database refuses a value the enum does not have."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from curriculum import vocabulary as v
from curriculum.models import WORKSHOP_STATUSES, Workshop
from tests.conftest import make_workshop


def test_a_member_is_its_stored_value():
    assert v.WorkshopStatus.CANCELLED == "cancelled"
    assert (
        f"{v.WorkshopStatus.CANCELLED}" == "cancelled" and str(v.Sex.NOT_RECORDED) == "not_recorded"
    )
    assert v.WorkshopStatus("delivered") is v.WorkshopStatus.DELIVERED
    assert WORKSHOP_STATUSES == tuple(v.WorkshopStatus)


def test_every_vocabulary_is_offered_to_templates():
    enums = {
        name: obj
        for name, obj in vars(v).items()
        if isinstance(obj, type) and issubclass(obj, v.StrEnum) and obj is not v.StrEnum
    }
    assert enums == v.TEMPLATE_GLOBALS


def test_one_of_quotes_the_values():
    assert v.one_of("kind", v.SessionKind) == "kind IN ('session', 'break', 'lunch')"


def test_the_database_refuses_a_value_outside_the_vocabulary(db):
    w = make_workshop(db)
    with pytest.raises(IntegrityError):
        with db.begin_nested():
            db.execute(
                text("UPDATE workshops SET status = 'postponed' WHERE id = :id"), {"id": w.id}
            )
    db.execute(
        text("UPDATE workshops SET status = :s WHERE id = :id"),
        {"s": v.WorkshopStatus.CONFIRMED, "id": w.id},
    )
    db.expire_all()
    assert db.get(Workshop, w.id).status == v.WorkshopStatus.CONFIRMED

import pytest
from sqlalchemy import select

from curriculum.errors import PermissionDenied, ValidationError
from curriculum.models import AuditEvent
from curriculum.services import accounts
from tests.conftest import PASSWORD, make_trainer, make_user


def test_create_user_checks(db):
    admin = make_user(db, "admin")
    user = accounts.create_user(
        db,
        admin,
        {"email": "New@Example.org", "name": "New", "role": "viewer", "password": "x" * 10},
    )
    assert user.email == "new@example.org"
    with pytest.raises(ValidationError) as info:
        accounts.create_user(
            db,
            admin,
            {"email": "new@example.org", "name": "Again", "role": "viewer", "password": "y" * 12},
        )
    assert "email" in info.value.errors
    with pytest.raises(ValidationError) as info:
        accounts.create_user(
            db,
            admin,
            {"email": "short@example.org", "name": "S", "role": "viewer", "password": "123456789"},
        )
    assert "password" in info.value.errors
    with pytest.raises(ValidationError) as info:
        accounts.create_user(
            db, admin, {"email": "r@example.org", "name": "R", "role": "boss", "password": "x" * 10}
        )
    assert "role" in info.value.errors
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.object_type == "User", AuditEvent.object_id == user.id)
    )
    assert "password_hash" not in event.changes


def test_only_admins_manage_users(db):
    with pytest.raises(PermissionDenied):
        accounts.create_user(
            db,
            make_user(db, "coordinator"),
            {"email": "a@example.org", "name": "A", "role": "admin", "password": "x" * 10},
        )


def test_trainer_links_to_one_account(db):
    admin = make_user(db, "admin")
    trainer = make_trainer(db)
    make_user(db, "trainer", trainer_id=trainer.id)
    with pytest.raises(ValidationError) as info:
        accounts.create_user(
            db,
            admin,
            {
                "email": "t2@example.org",
                "name": "T",
                "role": "trainer",
                "password": "x" * 10,
                "trainer_id": trainer.id,
            },
        )
    assert "trainer_id" in info.value.errors


def test_authenticate(db):
    user = make_user(db, "viewer", email="someone@example.org")
    assert accounts.authenticate(db, "SOMEONE@example.org ", PASSWORD) is user
    with pytest.raises(ValidationError):
        accounts.authenticate(db, "someone@example.org", "wrong password")
    with pytest.raises(ValidationError):
        accounts.authenticate(db, "nobody@example.org", PASSWORD)
    user.active = False
    with pytest.raises(ValidationError) as info:
        accounts.authenticate(db, "someone@example.org", PASSWORD)
    assert "deactivated" in str(info.value)


def test_password_change_ends_other_sessions(db):
    user = make_user(db, "viewer")
    login_id = user.get_id()
    assert accounts.find_by_login_id(db, login_id) is user
    with pytest.raises(ValidationError) as info:
        accounts.change_own_password(db, user, "not it", "a new password!")
    assert "current_password" in info.value.errors
    accounts.change_own_password(db, user, PASSWORD, "a new password!")
    assert accounts.find_by_login_id(db, login_id) is None
    assert accounts.find_by_login_id(db, user.get_id()) is user


def test_admin_cannot_lock_themself_out(db):
    admin = make_user(db, "admin")
    with pytest.raises(ValidationError):
        accounts.set_active(db, admin, admin.id, False)
    with pytest.raises(ValidationError):
        accounts.update_user(
            db, admin, admin.id, {"email": admin.email, "name": "A", "role": "viewer"}
        )

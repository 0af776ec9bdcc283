import datetime as dt

import pytest
from sqlalchemy import select

from curriculum.db import utcnow
from curriculum.errors import PermissionDenied, ValidationError
from curriculum.models import AuditEvent, LoginSession
from curriculum.services import accounts
from tests.conftest import PASSWORD, make_trainer, make_user

STRONG = "mekong river lantern 42"


def test_create_user_checks(db):
    admin = make_user(db, "admin")
    user = accounts.create_user(
        db,
        admin,
        {"email": "New@Example.org", "name": "New", "role": "viewer", "password": STRONG},
    )
    assert user.email == "new@example.org"
    with pytest.raises(ValidationError) as info:
        accounts.create_user(
            db,
            admin,
            {"email": "new@example.org", "name": "Again", "role": "viewer", "password": STRONG},
        )
    assert "email" in info.value.errors
    with pytest.raises(ValidationError) as info:
        accounts.create_user(
            db,
            admin,
            {
                "email": "short@example.org",
                "name": "S",
                "role": "viewer",
                "password": "12345678901",
            },
        )
    assert "password" in info.value.errors
    with pytest.raises(ValidationError) as info:
        accounts.create_user(
            db, admin, {"email": "r@example.org", "name": "R", "role": "boss", "password": STRONG}
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
            {"email": "a@example.org", "name": "A", "role": "admin", "password": STRONG},
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
                "password": STRONG,
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


HOURS_12 = dt.timedelta(hours=12)


def test_password_change_ends_the_other_sessions_and_keeps_this_one(db):
    user = make_user(db, "viewer")
    here, elsewhere = accounts.start_session(db, user), accounts.start_session(db, user)
    assert accounts.find_by_login_id(db, elsewhere, HOURS_12) is user
    with pytest.raises(ValidationError) as info:
        accounts.change_own_password(db, user, "not it", "a new password!")
    assert "current_password" in info.value.errors
    assert accounts.find_by_login_id(db, elsewhere, HOURS_12) is user
    user.login_id = here
    accounts.change_own_password(db, user, PASSWORD, "a new password!")
    assert accounts.find_by_login_id(db, elsewhere, HOURS_12) is None
    assert accounts.find_by_login_id(db, here, HOURS_12) is user


def test_signing_out_ends_one_session_only(db):
    user, other = make_user(db, "viewer"), make_user(db, "viewer")
    phone, laptop = accounts.start_session(db, user), accounts.start_session(db, user)
    theirs = accounts.start_session(db, other)
    accounts.end_session(db, phone)
    assert accounts.find_by_login_id(db, phone, HOURS_12) is None
    assert accounts.find_by_login_id(db, laptop, HOURS_12) is user
    assert accounts.find_by_login_id(db, theirs, HOURS_12) is other
    # only a hash is stored: the table's contents do not open a session
    stored = db.scalars(select(LoginSession.token_hash)).all()
    assert laptop not in stored and len(stored) == 2
    assert all(accounts.find_by_login_id(db, h, HOURS_12) is None for h in stored)


def test_a_session_older_than_its_lifetime_opens_nothing_and_is_pruned(db):
    user = make_user(db, "viewer")
    old, new = accounts.start_session(db, user), accounts.start_session(db, user)
    row = db.scalar(select(LoginSession).order_by(LoginSession.id))
    row.created_at = utcnow() - dt.timedelta(hours=13)
    db.flush()
    assert accounts.find_by_login_id(db, old, HOURS_12) is None
    assert accounts.find_by_login_id(db, old, dt.timedelta(hours=14)) is user
    assert accounts.prune_sessions(db, HOURS_12) == 1
    assert accounts.find_by_login_id(db, old, dt.timedelta(hours=14)) is None
    assert accounts.find_by_login_id(db, new, HOURS_12) is user


def test_deactivating_a_user_ends_all_their_sessions(db):
    admin, user = make_user(db, "admin"), make_user(db, "viewer")
    token = accounts.start_session(db, user)
    accounts.set_active(db, admin, user.id, False)
    accounts.set_active(db, admin, user.id, True)
    assert accounts.find_by_login_id(db, token, HOURS_12) is None
    assert accounts.find_by_login_id(db, accounts.start_session(db, user), HOURS_12) is user


@pytest.mark.parametrize("cookie", ["", "x" * 101, "1:abc", "not a token"])
def test_odd_login_ids_open_nothing(db, cookie):
    make_user(db, "viewer")
    assert accounts.find_by_login_id(db, cookie, HOURS_12) is None


def test_admin_cannot_lock_themself_out(db):
    admin = make_user(db, "admin")
    with pytest.raises(ValidationError):
        accounts.set_active(db, admin, admin.id, False)
    with pytest.raises(ValidationError):
        accounts.update_user(
            db, admin, admin.id, {"email": admin.email, "name": "A", "role": "viewer"}
        )


def new_account(db, password, email="khamphone.sisouk@example.org", name="Khamphone Sisouk"):
    data = {"email": email, "name": name, "role": "viewer", "password": password}
    return accounts.create_user(db, make_user(db, "admin"), data)


def refusal(db, password, **account) -> str:
    with pytest.raises(ValidationError) as info:
        new_account(db, password, **account)
    assert list(info.value.errors) == ["password"]
    return str(info.value.errors["password"][0])


@pytest.mark.parametrize(
    "password, message",
    [
        ("aaaaaaaaaa", "Use at least 12 characters."),
        ("password12", "Use at least 12 characters."),
        ("1234567890", "Use at least 12 characters."),
        ("zq7 lamp ox", "Use at least 12 characters."),  # 11 characters, otherwise fine
        ("aaaaaaaaaaaa", "Repeated characters, sequences"),
        ("123456789012", "Repeated characters, sequences"),
        ("password1234", "This password is too common or too easy to guess"),
        ("Password123!", "This password is too common or too easy to guess"),
        ("qwertyuiopas", "This password is too common or too easy to guess"),
    ],
)
def test_short_common_and_patterned_passwords_are_refused(db, password, message):
    assert message in refusal(db, password)


def test_passwords_made_of_the_accounts_or_the_applications_words_are_refused(db):
    built = "This password is built from your name, your email address or words such as CTG"
    assert refusal(db, "khamphone.sisouk@example.org") == (
        "The password cannot be your email address."
    )
    assert refusal(db, " KHAMPHONE.SISOUK@example.org") == (
        "The password cannot be your email address."
    )
    for password in ("khamphonesisouk", "sisouk khamphone", "khamphone1985", "ctgcurriculumlao"):
        assert built in refusal(db, password), password
    # the same words are fine for someone else, but not the application's
    assert new_account(db, "sisouk khamphone", "noy@example.org", "Noy").email == "noy@example.org"
    assert built in refusal(db, "ctgcurriculumlao", email="vone@example.org", name="Vone")


def test_strong_passphrases_are_accepted(db):
    user = new_account(db, STRONG)
    assert accounts.authenticate(db, user.email, STRONG) is user
    lao = "ໝາກມ່ວງ ແມວ ລົດໄຟ"  # mango cat train
    accounts.change_own_password(db, user, STRONG, lao)
    assert accounts.authenticate(db, user.email, lao) is user
    generated = accounts.generate_password()
    accounts.reset_password(db, make_user(db, "admin"), user.id, generated)
    assert accounts.authenticate(db, user.email, generated) is user


def test_a_change_refuses_the_current_password(db):
    user = make_user(db, "viewer")
    with pytest.raises(ValidationError) as info:
        accounts.change_own_password(db, user, PASSWORD, PASSWORD)
    assert [str(m) for m in info.value.errors["new_password"]] == [
        "Choose a password different from the current one."
    ]
    # without the current password, the form does not tell whether a guess is the password
    with pytest.raises(ValidationError) as info:
        accounts.change_own_password(db, user, "not the password", PASSWORD)
    assert list(info.value.errors) == ["current_password"]
    assert accounts.authenticate(db, user.email, PASSWORD) is user


def test_a_reset_refuses_the_current_password(db):
    user = make_user(db, "viewer")
    with pytest.raises(ValidationError) as info:
        accounts.reset_password(db, make_user(db, "admin"), user.id, PASSWORD)
    assert [str(m) for m in info.value.errors["password"]] == [
        "Choose a password different from the current one."
    ]
    assert accounts.authenticate(db, user.email, PASSWORD) is user

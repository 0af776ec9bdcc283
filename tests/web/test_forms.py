"""Bad input on every form gets a message beside the field, stores nothing, and never a 500."""

import datetime as dt
import html

import pytest
from sqlalchemy import func, select

from curriculum.models import (
    AuditEvent,
    Institution,
    Province,
    Trainer,
    TrainingRecord,
    Unavailability,
    User,
)
from curriculum.services import accounts
from tests.conftest import PASSWORD, institution, make_trainer, make_user, sign_in

LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"


def trainer_form(db, **overrides):
    values = {
        "given_name_lo": "ສົມພອນ",
        "family_name_lo": "ຈັນທະວົງ",
        "given_name_latin": "Somphone",
        "family_name_latin": "Chanthavong",
        "sex": "male",
        "institution_id": str(institution(db, "OSPP").id),
        "position": "Prosecutor",
        "base_province": "LA-CH",
        "phone": "+856 20 5555 0000",
        "email": "somphone@example.org",
        "languages": ["lo", "en"],
        "status": "active",
        "joined_on": "2008-02-01",
        "notes": "",
    }
    values.update(overrides)
    return values


def count(db, model):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def error_beside(body: str, field_id: str) -> str:
    """The error text shown under a field (its id + '-error')."""
    marker = f'id="{field_id}-error">'
    assert marker in body, f"no error shown beside {field_id}"
    return html.unescape(body.split(marker, 1)[1].split("</p>", 1)[0])


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in(client, user)
    return user


def test_coordinator_adds_a_trainer(client, db, coordinator):
    response = client.post("/trainers/new", data=trainer_form(db))
    assert response.status_code == 302
    trainer = db.scalar(select(Trainer).where(Trainer.email == "somphone@example.org"))
    assert trainer.given_name_lo == "ສົມພອນ" and trainer.languages == ["lo", "en"]
    assert response.headers["Location"].endswith(f"/trainers/{trainer.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ສົມພອນ ຈັນທະວົງ" in page and "The trainer was added." in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"given_name_lo": "", "given_name_latin": ""}, "given_name_latin", "given name"),
        ({"sex": ""}, "sex", "required"),
        ({"institution_id": ""}, "institution_id", ""),
        ({"base_province": ""}, "base_province", "required"),
        ({"base_province": "LA-ZZ"}, "base_province", "Not a valid choice"),
        ({"given_name_latin": LONG}, "given_name_latin", "100"),
        ({"family_name_lo": LONG}, "family_name_lo", "100"),
        ({"family_name_latin": SCRIPT}, "family_name_latin", "< or >"),
        ({"position": SCRIPT}, "position", "< or >"),
        ({"email": "nobody"}, "email", "email"),
        ({"joined_on": "2008-13-45"}, "joined_on", "date"),
        ({"given_name_lo": "Latin only"}, "given_name_lo", "Lao script"),
    ],
)
def test_trainer_form_refuses_bad_input(client, db, coordinator, overrides, field, message):
    before = count(db, Trainer)
    response = client.post("/trainers/new", data=trainer_form(db, **overrides))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message.lower() in error_beside(body, field).lower()
    assert count(db, Trainer) == before
    if SCRIPT in overrides.values():
        assert SCRIPT not in body and "&lt;script&gt;" in body  # kept for correction, escaped


def test_viewer_cannot_create_a_trainer_even_by_posting(client, db):
    viewer = make_user(db, "viewer")
    db.commit()
    sign_in(client, viewer)
    before = count(db, Trainer)
    assert client.post("/trainers/new", data=trainer_form(db)).status_code == 403
    assert count(db, Trainer) == before


def test_two_tabs_editing_the_same_trainer(client, db, coordinator):
    trainer = make_trainer(db, position="Judge")
    db.commit()
    opened = trainer.lock_version  # both tabs loaded the form with this counter
    first = trainer_form(db, position="Chief Judge", lock_version=str(opened))
    second = trainer_form(
        db, position="Deputy Judge", notes="Typed in the second tab", lock_version=str(opened)
    )
    assert client.post(f"/trainers/{trainer.id}/edit", data=first).status_code == 302
    response = client.post(f"/trainers/{trainer.id}/edit", data=second)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Someone else saved this record after you opened it." in html.unescape(body)
    assert 'value="Deputy Judge"' in body and "Typed in the second tab" in body  # input kept
    db.refresh(trainer)
    assert trainer.position == "Chief Judge"  # the first save is not lost


def test_audit_log_shows_who_changed_which_field(client, db):
    admin = make_user(db, "admin", email="chief@example.org")
    trainer = make_trainer(db, position="Judge")
    db.commit()
    sign_in(client, admin)
    data = trainer_form(
        db,
        given_name_latin=trainer.given_name_latin,
        position="Chief Judge",
        lock_version=str(trainer.lock_version),
    )
    assert client.post(f"/trainers/{trainer.id}/edit", data=data).status_code == 302
    event = db.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "Trainer", AuditEvent.object_id == trainer.id
        )
    ).all()[-1]
    assert event.changes["position"] == ["Judge", "Chief Judge"]
    page = client.get(f"/admin/audit?object_type=Trainer&object_id={trainer.id}").get_data(
        as_text=True
    )
    assert "chief@example.org" in page and "position" in page
    assert "Judge" in page and "Chief Judge" in page
    assert (
        client.get("/admin/audit?user_id=999999").status_code == 200
    )  # unknown user: a form message
    assert client.get("/admin/audit?date_from=not-a-date").status_code == 200


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"start_date": "", "end_date": ""}, "start_date", "required"),
        ({"start_date": "2027-05-10", "end_date": "2027-05-01"}, "end_date", "before the start"),
        (
            {"start_date": "2027-05-10", "end_date": "2027-05-12", "reason": SCRIPT},
            "reason",
            "< or >",
        ),
        ({"start_date": "2027-05-10", "end_date": "2027-05-12", "reason": LONG}, "reason", "200"),
    ],
)
def test_unavailability_form_refuses_bad_input(client, db, data, field, message):
    own = make_trainer(db)
    user = make_user(db, "trainer", trainer_id=own.id)
    db.commit()
    sign_in(client, user)
    response = client.post(f"/trainers/{own.id}/unavailability/new", data=data)
    assert response.status_code == 400
    assert message in error_beside(response.get_data(as_text=True), field)
    assert count(db, Unavailability) == 0


def test_trainer_keeps_own_unavailability(client, db):
    own = make_trainer(db)
    user = make_user(db, "trainer", trainer_id=own.id)
    db.commit()
    sign_in(client, user)
    start = dt.date.today() + dt.timedelta(days=10)
    data = {
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=2)).isoformat(),
        "reason": "Mission to Bangkok",
    }
    assert client.post(f"/trainers/{own.id}/unavailability/new", data=data).status_code == 302
    assert "Mission to Bangkok" in client.get("/").get_data(
        as_text=True
    )  # on the trainer's dashboard
    other = make_trainer(db)
    db.commit()
    assert client.post(f"/trainers/{other.id}/unavailability/new", data=data).status_code == 403


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {
                "title": "",
                "kind": "tot_workshop",
                "start_date": "2009-02-09",
                "end_date": "2009-02-13",
            },
            "title",
            "required",
        ),
        (
            {"title": "T", "kind": "party", "start_date": "2009-02-09", "end_date": "2009-02-13"},
            "kind",
            "Not a valid choice",
        ),
        (
            {
                "title": "T",
                "kind": "tot_workshop",
                "start_date": "2009-02-09",
                "end_date": "2009-02-01",
            },
            "end_date",
            "before the start",
        ),
        (
            {
                "title": LONG,
                "kind": "tot_workshop",
                "start_date": "2009-02-09",
                "end_date": "2009-02-13",
            },
            "title",
            "200",
        ),
        (
            {
                "title": SCRIPT,
                "kind": "tot_workshop",
                "start_date": "2009-02-09",
                "end_date": "2009-02-13",
            },
            "title",
            "< or >",
        ),
    ],
)
def test_training_record_form_refuses_bad_input(client, db, coordinator, data, field, message):
    trainer = make_trainer(db)
    db.commit()
    response = client.post(f"/trainers/{trainer.id}/records/new", data=data)
    assert response.status_code == 400
    assert message in error_beside(response.get_data(as_text=True), field)
    assert count(db, TrainingRecord) == 0


@pytest.fixture
def admin(client, db):
    user = make_user(db, "admin", email="root@example.org")
    db.commit()
    sign_in(client, user)
    return user


def user_form(**overrides):
    values = {
        "email": "new.person@example.org",
        "name": "New Person",
        "role": "viewer",
        "trainer_id": "",
        "language": "lo",
        "password": "a long enough password",
        "active": "y",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"email": ""}, "email", "required"),
        ({"email": "root@example.org"}, "email", "already uses"),
        ({"email": "ROOT@example.org"}, "email", "already uses"),
        ({"name": LONG}, "name", "200"),
        ({"name": SCRIPT}, "name", "< or >"),
        ({"password": "short"}, "password", "between 12 and 200"),
        ({"password": "password1234"}, "password", "too common or too easy to guess"),
        ({"role": "boss"}, "role", "Not a valid choice"),
        ({"trainer_id": "999999"}, "trainer_id", "Not a valid choice"),
    ],
)
def test_user_form_refuses_bad_input(client, db, admin, overrides, field, message):
    before = count(db, User)
    response = client.post("/admin/users/new", data=user_form(**overrides))
    assert response.status_code == 400
    assert message in error_beside(response.get_data(as_text=True), field)
    assert count(db, User) == before


def test_admin_manages_accounts(client, db, admin):
    assert client.post("/admin/users/new", data=user_form()).status_code == 302
    user = db.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.language == "lo" and user.role == "viewer"
    assert client.post(f"/admin/users/{user.id}/active").status_code == 302
    db.refresh(user)
    assert not user.active
    response = client.post(f"/admin/users/{user.id}/password", data={"password": "short"})
    assert response.status_code == 400
    assert (
        client.post(
            f"/admin/users/{user.id}/password", data={"password": "another long one"}
        ).status_code
        == 302
    )
    response = client.post(f"/admin/users/{admin.id}/active", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)


def test_a_reset_to_a_weak_or_the_current_password_is_refused_on_the_form(client, db, admin):
    user = make_user(db, "viewer", email="forgetful@example.org")
    db.commit()
    for password, message in [
        ("aaaaaaaaaaaa", "Repeated characters, sequences such as abc or 1234"),
        (PASSWORD, "Choose a password different from the current one."),
    ]:
        response = client.post(f"/admin/users/{user.id}/password", data={"password": password})
        assert response.status_code == 400
        assert message in error_beside(response.get_data(as_text=True), "password")
    db.refresh(user)
    assert accounts.authenticate(db, "forgetful@example.org", PASSWORD) == user


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"short_name": ""}, "short_name", "required"),
        ({"name_en": SCRIPT}, "name_en", "< or >"),
        ({"name_en": LONG}, "name_en", "200"),
        ({"level": "provincial", "province": ""}, "province", "needs its province"),
        ({"province": "LA-ZZ"}, "province", "Not a valid choice"),
        ({"name_en": "People's Supreme Court"}, "name_en", "exists already"),
    ],
)
def test_institution_form_refuses_bad_input(client, db, admin, overrides, field, message):
    data = {
        "short_name": "BK-PC",
        "name_en": "Bokeo Provincial Court",
        "name_lo": "",
        "kind": "court",
        "level": "central",
        "province": "",
    }
    data.update(overrides)
    before = count(db, Institution)
    response = client.post("/admin/institutions/new", data=data)
    assert response.status_code == 400
    assert message in error_beside(response.get_data(as_text=True), field)
    assert count(db, Institution) == before


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name_en": ""}, "name_en", "required"),
        ({"name_lo": "Champasak"}, "name_lo", "Lao script"),
        ({"name_en": SCRIPT}, "name_en", "< or >"),
        ({"name_en": LONG}, "name_en", "100"),
        ({"alt_names": SCRIPT}, "alt_names", "< or >"),
    ],
)
def test_province_form_refuses_bad_input(client, db, admin, overrides, field, message):
    province = db.scalar(select(Province).where(Province.code == "LA-CH"))
    data = {
        "name_en": "Champasak",
        "name_lo": "ຈຳປາສັກ",
        "alt_names": "Champasack",
        "lock_version": province.lock_version,
    }
    data.update(overrides)
    response = client.post(f"/admin/provinces/{province.id}/edit", data=data)
    assert response.status_code == 400
    assert message in error_beside(response.get_data(as_text=True), field)
    db.refresh(province)
    assert province.name_en == "Champasak"


def test_account_form_refuses_bad_input(client, db):
    user = make_user(db, "viewer")
    db.commit()
    sign_in(client, user)
    response = client.post("/account", data={"current_password": "", "new_password": LONG})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "required" in error_beside(body, "current_password")
    assert "200" in error_beside(body, "new_password")


def test_list_search_filters_and_summary(client, db):
    viewer = make_user(db, "viewer")
    make_trainer(
        db,
        given_name_lo="ມະນີວອນ",
        given_name_latin="Manivonexx",
        sex="female",
        province_code="LA-HO",
    )
    make_trainer(db, given_name_latin="Houaphanman", sex="male", province_code="LA-HO")
    db.commit()
    sign_in(client, viewer)
    page = client.get("/trainers/?q=ນີວອ").get_data(as_text=True)
    assert "Manivonexx" in page and "Houaphanman" not in page
    page = client.get("/trainers/?province=LA-HO&sort=given_name").get_data(as_text=True)
    assert "2 trainers found" in page
    assert page.index("Houaphanman") < page.index("Manivonexx")
    assert "50.0%" in page
    assert (
        client.get("/trainers/?province=LA-ZZ&sex=alien&page=-4&sort=nonsense").status_code == 200
    )


def test_long_lists_are_paged(client, db):
    viewer = make_user(db, "viewer")
    for i in range(30):
        make_trainer(db, family_name_latin=f"Pagedname{i:02d}", province_code="LA-AT")
    db.commit()
    sign_in(client, viewer)
    page = client.get("/trainers/?province=LA-AT").get_data(as_text=True)
    assert "Page 1 of 2" in page and 'rel="next"' in page
    second = client.get("/trainers/?province=LA-AT&page=2")
    assert second.status_code == 200
    body = second.get_data(as_text=True)
    assert "Page 2 of 2" in body and "Pagedname29" in body and "Pagedname00" not in body


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"phone": "call me maybe", "email": ""}, "phone", "digits"),
        ({"phone": "", "email": "nobody"}, "email", "email"),
        ({"phone": "1" * 500, "email": ""}, "phone", "40"),
        ({"phone": "", "email": "", "languages": ["klingon"]}, "languages", "Not a valid choice"),
    ],
)
def test_own_contacts_form_refuses_bad_input(client, db, data, field, message):
    own = make_trainer(db, phone="+856 21 000 111")
    user = make_user(db, "trainer", trainer_id=own.id)
    db.commit()
    sign_in(client, user)
    response = client.post(
        f"/trainers/{own.id}/contacts", data={**data, "lock_version": own.lock_version}
    )
    assert response.status_code == 400
    assert message.lower() in error_beside(response.get_data(as_text=True), field).lower()
    db.refresh(own)
    assert own.phone == "+856 21 000 111"


def test_login_form_refuses_empty_and_oversized_input(client):
    response = client.post("/login", data={"email": "", "password": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "required" in error_beside(body, "email") and "required" in error_beside(
        body, "password"
    )
    response = client.post("/login", data={"email": "a" * 10_000, "password": "x"})
    assert response.status_code == 400
    assert "254" in error_beside(response.get_data(as_text=True), "email")

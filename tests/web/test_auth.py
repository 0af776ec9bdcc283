import re

from sqlalchemy import select

from curriculum.models import User
from tests.conftest import PASSWORD, make_user, sign_in
from tests.web.test_forms import error_beside
from tests.web.test_i18n import lao_catalog


def login(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_sign_in_and_out(client, db):
    user = make_user(db, "viewer", email="reader@example.org")
    db.commit()
    response = login(client, "Reader@Example.org", next="/trainers/")
    assert response.status_code == 302 and response.headers["Location"] == "/trainers/"
    assert client.get("/").status_code == 200
    db.refresh(user)
    assert user.last_login_at is not None
    assert client.post("/logout").status_code == 302
    assert "/login" in client.get("/").headers["Location"]


def test_signing_out_ends_this_session_on_the_server_and_no_other(app, db):
    make_user(db, "coordinator", email="two.devices@example.org")
    db.commit()
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        assert login(device, "two.devices@example.org").status_code == 302
    stolen = phone.get_cookie("session").value  # what the phone's browser held
    assert phone.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    for page in ("/", "/trainers/"):
        response = replay.get(page)
        assert response.status_code == 302 and "/login" in response.headers["Location"], page
        assert laptop.get(page).status_code == 200, page  # the other device stays signed in
    assert "/login" in phone.get("/").headers["Location"]


def test_next_never_leaves_the_site(client, db):
    make_user(db, "viewer", email="r2@example.org")
    db.commit()
    response = login(client, "r2@example.org", next="//evil.example/steal")
    assert response.headers["Location"] == "/"


def test_wrong_password_gets_a_message(client, db):
    make_user(db, "viewer", email="r3@example.org")
    db.commit()
    response = login(client, "r3@example.org", "wrong password")
    assert response.status_code == 401
    assert "The email address or the password is wrong." in response.get_data(as_text=True)


def test_deactivated_user_cannot_sign_in_or_stay_signed_in(client, db):
    user = make_user(db, "coordinator", email="gone@example.org")
    db.commit()
    sign_in(client, user)
    assert client.get("/").status_code == 200
    user.active = False
    db.commit()
    assert "/login" in client.get("/").headers["Location"]
    response = login(client, "gone@example.org")
    assert response.status_code == 401
    assert "deactivated" in response.get_data(as_text=True)


def test_sixth_wrong_password_in_a_minute_is_refused(make_app, db):
    make_user(db, "viewer", email="target@example.org")
    db.commit()
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    for _ in range(5):
        assert login(client, "target@example.org", "wrong password").status_code == 401
    response = login(client, "target@example.org", PASSWORD)  # even the right one, for now
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert "/login" in client.get("/").headers["Location"]


def test_failures_on_other_accounts_count_per_address(make_app, db):
    for i in range(6):
        make_user(db, "viewer", email=f"many{i}@example.org")
    db.commit()
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    for i in range(5):
        login(client, f"many{i}@example.org", "wrong password")
    assert login(client, "many5@example.org", PASSWORD).status_code == 429


def test_form_without_csrf_token_is_refused(make_app, db):
    user = make_user(db, "coordinator", email="csrf@example.org")
    db.commit()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = login(client, "csrf@example.org")
    assert response.status_code == 400
    assert "The form could not be accepted" in response.get_data(as_text=True)
    # and with the token from the page it works
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert login(client, "csrf@example.org", csrf_token=token).status_code == 302
    # a signed-in user's post without a token changes nothing
    response = client.post(
        "/trainers/new", data={"given_name_latin": "Nobody", "sex": "male"}, follow_redirects=False
    )
    assert response.status_code == 400
    assert user.active


def test_session_cookie_flags(client, db):
    make_user(db, "viewer", email="cookie@example.org")
    db.commit()
    response = login(client, "cookie@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_change_own_password(client, db):
    user = make_user(db, "trainer", email="me@example.org")
    db.commit()
    sign_in(client, user)
    response = client.post("/account", data={"current_password": "nope", "new_password": "short"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use between 12 and 200 characters." in body
    response = client.post(
        "/account", data={"current_password": PASSWORD, "new_password": "a much longer secret"}
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session stays signed in
    client.post("/logout")
    assert login(client, "me@example.org", PASSWORD).status_code == 401
    assert login(client, "me@example.org", "a much longer secret").status_code == 302


def test_a_weak_or_unchanged_new_password_is_refused_on_the_form(client, db):
    user = make_user(db, "trainer", email="weak@example.org")
    db.commit()
    sign_in(client, user)
    common = "This password is too common or too easy to guess: use a longer phrase of several unrelated words."
    data = {"current_password": PASSWORD, "new_password": "password1234"}
    response = client.post("/account", data=data)
    assert response.status_code == 400
    assert error_beside(response.get_data(as_text=True), "new_password") == common
    response = client.post("/account", data={**data, "new_password": PASSWORD})
    assert response.status_code == 400
    assert error_beside(response.get_data(as_text=True), "new_password") == (
        "Choose a password different from the current one."
    )
    # on a Lao page the message is in Lao
    client.post("/language", data={"language": "lo", "next": "/account"})
    response = client.post("/account", data=data)
    assert response.status_code == 400
    lao = lao_catalog().get(common).string
    assert lao and error_beside(response.get_data(as_text=True), "new_password") == lao
    client.post("/logout")
    assert login(client, "weak@example.org", "password1234").status_code == 401
    assert login(client, "weak@example.org", PASSWORD).status_code == 302


def test_language_is_remembered_per_user(client, db):
    user = make_user(db, "viewer", email="lao@example.org")
    db.commit()
    sign_in(client, user)
    response = client.post("/language", data={"language": "lo", "next": "/trainers/"})
    assert response.headers["Location"] == "/trainers/"
    assert db.scalar(select(User.language).where(User.id == user.id)) == "lo"
    # a new browser session for the same user opens in Lao
    other = client.application.test_client()
    sign_in(other, user)
    assert '<html lang="lo">' in other.get("/").get_data(as_text=True)
    assert client.post("/language", data={"language": "xx"}).status_code == 400


def test_anonymous_language_choice_on_the_login_page(client):
    client.post("/language", data={"language": "lo", "next": "/login"})
    assert '<html lang="lo">' in client.get("/login").get_data(as_text=True)

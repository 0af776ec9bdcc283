"""Sign-in attempts sent at once are counted before any password is checked: a real
threaded server, 30 wrong passwords at the same moment, at most 5 checked."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from curriculum.db import make_engine
from curriculum.services import accounts
from tests.conftest import PASSWORD, app_config, fresh_database, make_user, prepare

ATTEMPTS = 30


def test_thirty_wrong_passwords_at_once_check_at_most_five(tmp_path, monkeypatch):
    from app import create_app

    with fresh_database(tmp_path) as url:
        prepare(url)
        engine = make_engine(url)
        with Session(engine) as db:
            email = make_user(db, "trainer").email
            db.commit()
        engine.dispose()
        app = create_app(
            app_config(
                tmp_path, DATABASE_URL=url, RATELIMIT_ENABLED=True, LOGIN_LIMIT="5 per minute"
            ),
            instance_path=str(tmp_path / "instance"),
        )
        checked = []
        real_check = accounts.check_password_hash

        def counting_check(stored, password):
            checked.append(password)
            return real_check(stored, password)

        monkeypatch.setattr(accounts, "check_password_hash", counting_check)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        start = threading.Barrier(ATTEMPTS)

        def attempt(n: int) -> int:
            body = urllib.parse.urlencode({"email": email, "password": f"wrong {n}"}).encode()
            start.wait()
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{server.server_port}/login", body, timeout=60
                ) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        try:
            with ThreadPoolExecutor(ATTEMPTS) as pool:
                codes = list(pool.map(attempt, range(ATTEMPTS)))
        finally:
            server.shutdown()
            thread.join()
            app.extensions["ctg.engine"].dispose()
        assert sorted(set(codes)) == [401, 429], codes
        assert codes.count(401) == len(checked) <= 5, (codes, len(checked))
        assert codes.count(429) >= ATTEMPTS - 5
        # and the right password is no way round it while the limit lasts
        body = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
        with app.test_client() as client:
            assert (
                client.post("/login", data={"email": email, "password": PASSWORD}).status_code
                == 429
            )
        assert body


def test_successful_sign_ins_do_not_spend_the_limit(make_app, db):
    """An office signing in together from one address is not locked out."""
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT="5 per minute")
    users = [make_user(db, "trainer") for _ in range(8)]
    db.commit()
    for user in users:
        with app.test_client() as client:
            response = client.post("/login", data={"email": user.email, "password": PASSWORD})
            assert response.status_code == 302, response.status_code

"""Sign-in attempts sent at once are counted before any password is checked: a real
threaded server, 30 wrong passwords at the same moment, at most 5 checked."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from curriculum.services import accounts
from tests.conftest import PASSWORD
from tests.web.live import app_with_a_user, served

ATTEMPTS = 30


def test_thirty_wrong_passwords_at_once_check_at_most_five(tmp_path, monkeypatch):
    checked = []
    real_check = accounts.check_password_hash

    def counting_check(stored, password):
        checked.append(password)
        return real_check(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting_check)
    start = threading.Barrier(ATTEMPTS)
    with (
        app_with_a_user(tmp_path, RATELIMIT_ENABLED=True, LOGIN_LIMIT="5 per minute") as (
            app,
            email,
        ),
        served(app) as port,
    ):

        def attempt(n: int) -> int:
            body = urllib.parse.urlencode({"email": email, "password": f"wrong {n}"}).encode()
            start.wait()
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/login", body, timeout=60
                ) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        with ThreadPoolExecutor(ATTEMPTS) as pool:
            codes = list(pool.map(attempt, range(ATTEMPTS)))
        assert sorted(set(codes)) == [401, 429], codes
        assert codes.count(401) == len(checked) <= 5, (codes, len(checked))
        assert codes.count(429) >= ATTEMPTS - 5
        # and the right password is no way round it while the limit lasts
        with app.test_client() as client:
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 429

"""Behind a reverse proxy: each client keeps its own address (sign-in throttling, the public
certificate check) and the scheme the client used. A real proxy in front of a real server;
the clients connect from different loopback addresses."""

from __future__ import annotations

import http.client
import http.server
import io
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pypdf import PdfReader

from curriculum.permissions import SYSTEM
from curriculum.services import certificates
from tests.conftest import (
    PASSWORD,
    make_held_workshop,
    make_user,
    sign_in,
)
from tests.web.live import app_with_a_user, served, serving

PROXY_ADDRESS = "10.0.0.2"  # where the test client's requests seem to come from


class _Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards each request to the app as nginx does: X-Forwarded-For gets the client's
    address appended, X-Forwarded-Proto says https, the Host header is passed on."""

    upstream_port = 0

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        earlier = self.headers.get("X-Forwarded-For")
        client = self.client_address[0]
        headers["X-Forwarded-For"] = f"{earlier}, {client}" if earlier else client
        headers["X-Forwarded-Proto"] = "https"
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = _forward

    def log_message(self, *args) -> None:
        pass


@contextmanager
def _behind_proxy(tmp_path, proxies: int) -> Iterator[tuple[int, str]]:
    """The app on a threaded server, a proxy in front: (the proxy's port, a user's email)."""
    settings = {
        "RATELIMIT_ENABLED": True,
        "LOGIN_LIMIT": "5 per minute",
        "VERIFY_LIMIT": "10 per minute",
        "TRUSTED_PROXIES": proxies,
    }
    proxy = type("Proxy", (_Proxy,), {})
    with app_with_a_user(tmp_path, **settings) as (app, email), served(app) as app_port:
        proxy.upstream_port = app_port
        with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), proxy)) as proxy_port:
            yield proxy_port, email


def _request(port: int, client: str, method: str, path: str, form=None, headers=None) -> int:
    """Send one request from the loopback address ``client`` (127.0.0.x); its status."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(client, 0)
    )
    body = urllib.parse.urlencode(form).encode() if form else None
    sent = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    connection.request(method, path, body=body, headers={**sent, **(headers or {})})
    status = connection.getresponse().status
    connection.close()
    return status


def _sign_in(port: int, client: str, email: str, password: str, **headers) -> int:
    return _request(port, client, "POST", "/login", {"email": email, "password": password}, headers)


def test_behind_one_proxy_each_client_keeps_its_own_sign_in_limit(tmp_path):
    with _behind_proxy(tmp_path, proxies=1) as (port, email):
        for n in range(5):  # someone guesses passwords of several accounts from 127.0.0.2
            assert _sign_in(port, "127.0.0.2", f"guess{n}@example.org", "wrong") == 401
        assert _sign_in(port, "127.0.0.2", "guess5@example.org", "wrong") == 429
        # a forged X-Forwarded-For does not get them round it: the proxy's own entry counts
        forged = {"X-Forwarded-For": "198.51.100.77"}
        assert _sign_in(port, "127.0.0.2", "guess6@example.org", "wrong", **forged) == 429
        # and the user at 127.0.0.3 signs in as usual
        assert _sign_in(port, "127.0.0.3", email, PASSWORD) == 302


def test_behind_one_proxy_the_certificate_check_is_limited_per_client(tmp_path):
    with _behind_proxy(tmp_path, proxies=1) as (port, _email):
        path = "/participants/verify?number=CTG-AAAA-BBBB-CCCC"
        codes = [_request(port, "127.0.0.2", "GET", path) for _ in range(11)]
        assert codes == [200] * 10 + [429]
        assert _request(port, "127.0.0.3", "GET", path) == 200


def test_without_a_trusted_proxy_forwarded_addresses_are_not_believed(tmp_path):
    # Set up for no proxy, someone cannot dodge the limit by sending a new address each time.
    with _behind_proxy(tmp_path, proxies=0) as (port, _email):
        codes = [
            _sign_in(
                port,
                "127.0.0.2",
                f"g{n}@example.org",
                "wrong",
                **{"X-Forwarded-For": f"192.0.2.{n}"},
            )
            for n in range(6)
        ]
        assert codes == [401] * 5 + [429]


@pytest.mark.parametrize("language", ["en", "lo"])
def test_certificates_behind_an_https_proxy_print_an_https_verification_address(
    make_app, db, language
):
    workshop = make_held_workshop(db)
    certificates.issue_certificates(db, SYSTEM, workshop.id)
    coordinator = make_user(db, "coordinator")
    db.commit()
    client = make_app(TRUSTED_PROXIES=1).test_client()
    sign_in(client, coordinator)
    response = client.get(
        f"/participants/workshops/{workshop.id}/certificates.pdf?lang={language}",
        headers={
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
        },
        environ_base={"REMOTE_ADDR": PROXY_ADDRESS},
    )
    assert response.status_code == 200, response.headers.get("Location")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    response.close()
    assert "https://localhost/participants/verify" in text.replace("\n", "")
    assert "http://" not in text

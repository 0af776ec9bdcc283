"""What an operator sees: one log line per request with its request id, errors with their
traceback in the log and never on the page, and the nightly prune of expired sign-ins and
old cached documents."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curriculum.db import utcnow
from curriculum.models import LoginSession
from curriculum.services import accounts
from tests.conftest import make_user, sign_in
from tests.web.live import served
from tests.web.test_cli import cli_app  # noqa: F401  (a fixture: an app on its own database)

REQUEST_LINE = re.compile(
    r'^(?P<address>\S+) "(?P<method>[A-Z]+) (?P<path>\S+)" (?P<status>\d{3}) \S+ \d+ms user=(?P<user>\S+)$'
)


def _request_lines(caplog) -> list[tuple[logging.LogRecord, re.Match]]:
    return [
        (record, match)
        for record in caplog.records
        if record.name == "ctg.requests" and (match := REQUEST_LINE.match(record.getMessage()))
    ]


def test_each_request_writes_one_line_with_its_request_id(client, db, caplog):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in(client, user)
    caplog.set_level(logging.INFO, logger="ctg")
    first = client.get("/trainers/?q=Noy")
    second = client.get("/no-such-page")
    lines = _request_lines(caplog)
    assert len(lines) == 2
    (one, got_one), (two, got_two) = lines
    assert got_one["path"] == "/trainers/?q=Noy" and got_one["status"] == "200"
    assert got_one["user"] == str(user.id)
    assert got_two["status"] == "404"
    # each answer carries its id, the log line has the same, and no two are alike
    assert one.request_id == first.headers["X-Request-ID"]
    assert two.request_id == second.headers["X-Request-ID"]
    assert one.request_id != two.request_id and re.fullmatch(r"[0-9a-f]{16}", one.request_id)


def test_a_proxys_request_id_is_kept_only_from_a_trusted_proxy(make_app, caplog):
    caplog.set_level(logging.INFO, logger="ctg")
    headers = {"X-Request-ID": "edge-42.a"}
    assert (
        make_app(TRUSTED_PROXIES=1)
        .test_client()
        .get("/login", headers=headers)
        .headers["X-Request-ID"]
        == "edge-42.a"
    )
    untrusted = make_app().test_client().get("/login", headers=headers)
    assert untrusted.headers["X-Request-ID"] != "edge-42.a"
    odd = make_app(TRUSTED_PROXIES=1).test_client().get("/login", headers={"X-Request-ID": "a b"})
    assert re.fullmatch(r"[0-9a-f]{16}", odd.headers["X-Request-ID"])


def test_an_error_goes_to_the_log_with_its_traceback_and_the_page_shows_a_reference(
    make_app, caplog
):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/broken")
    def broken():
        raise RuntimeError("the secret detail of a bug")

    caplog.set_level(logging.INFO, logger="ctg")
    response = app.test_client().get("/broken")
    page = response.get_data(as_text=True)
    reference = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert "Something went wrong" in page and reference in page
    assert "secret detail" not in page and "Traceback" not in page and "RuntimeError" not in page
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.request_id == reference
    assert error.exc_info and error.exc_info[0] is RuntimeError
    formatted = logging.getLogger().handlers and logging.Formatter().formatException(error.exc_info)
    assert "secret detail" in formatted and "in broken" in formatted
    [(_record, line)] = _request_lines(caplog)
    assert line["status"] == "500"


def _aged(path, days: float) -> None:
    moment = time.time() - days * 86400
    os.utime(path, (moment, moment))


def test_the_nightly_prune_forgets_expired_sign_ins_and_unused_documents(cli_app, caplog):  # noqa: F811
    engine = cli_app.extensions["ctg.engine"]
    with Session(engine) as db:
        user = make_user(db, "viewer")
        expired, current = accounts.start_session(db, user), accounts.start_session(db, user)
        first = db.scalar(select(LoginSession).order_by(LoginSession.id))
        first.created_at = utcnow() - dt.timedelta(hours=13)
        db.commit()
    cache = cli_app.extensions["ctg.documents"].cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    files = {
        name: cache / name
        for name in (
            "old.pdf",
            "recent.pdf",
            "lost.progress",
            "fresh.progress",
            "x.tmp",
            "notes.txt",
        )
    }
    for path in files.values():
        path.write_bytes(b"%PDF-1.7 " + b"x" * 1000)
    _aged(files["old.pdf"], 31)
    _aged(files["recent.pdf"], 29)
    _aged(files["lost.progress"], 2)
    _aged(files["x.tmp"], 2)
    _aged(files["notes.txt"], 400)  # not the cache's: left alone

    caplog.set_level(logging.INFO, logger="ctg")
    cli_app.extensions["ctg.jobs"]["nightly_prune"]()

    assert "pruned 1 expired sign-ins and 3 cached files (3,027 bytes)" in caplog.text
    assert sorted(p.name for p in cache.iterdir()) == ["fresh.progress", "notes.txt", "recent.pdf"]
    with Session(engine) as db:
        assert db.scalar(select(func.count()).select_from(LoginSession)) == 1
        window = cli_app.permanent_session_lifetime
        assert accounts.find_by_login_id(db, current, window) is not None
        assert accounts.find_by_login_id(db, expired, window) is None


def test_sending_a_cached_document_marks_it_used_so_it_is_kept(client, db, app):
    from curriculum.documents.render import prune_cache

    user = make_user(db, "viewer")
    db.commit()
    sign_in(client, user)
    response = client.get("/library/modules/M01/chapter.pdf")
    response.get_data()
    response.close()
    assert response.status_code == 200, response.status_code
    cache = app.extensions["ctg.documents"].cache_dir
    # the chapter's PDF, beside the parts it was put together from (guide-*.pdf)
    [pdf] = [p for p in cache.glob("*.pdf") if not p.name.startswith("guide-")]
    _aged(pdf, 40)
    again = client.get("/library/modules/M01/chapter.pdf")
    again.get_data()
    again.close()  # served from the cache, and now recent
    assert prune_cache(cache, 30) == (0, 0)
    assert pdf.exists()


def test_a_real_server_writes_one_line_per_request(make_app, caplog):
    import urllib.request

    caplog.set_level(logging.INFO)
    with served(make_app()) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as answer:
            assert answer.status == 200
    lines = [r for r in caplog.records if "/login" in r.getMessage()]
    assert [r.name for r in lines] == ["ctg.requests"], [r.getMessage() for r in lines]

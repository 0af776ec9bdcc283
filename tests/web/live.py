"""The app on a real threaded server, for what the test client cannot show: requests sent at
once, a proxy in front, the server's own log lines."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from curriculum.db import make_engine
from tests.conftest import app_config, fresh_database, make_user, prepare


@contextmanager
def serving(server) -> Iterator[int]:
    """Run ``server`` (werkzeug's or http.server's) in a thread: its port."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@contextmanager
def served(app: Flask) -> Iterator[int]:
    """``app`` on a threaded development server: its port."""
    with serving(make_server("127.0.0.1", 0, app, threaded=True)) as port:
        yield port


@contextmanager
def app_with_a_user(tmp_path, **config) -> Iterator[tuple[Flask, str]]:
    """An app on a database of its own (committed, as a server sees it) with one trainer
    account: (the app, the account's email)."""
    from app import create_app

    with fresh_database(tmp_path) as url:
        prepare(url)
        engine = make_engine(url)
        with Session(engine) as db:
            email = make_user(db, "trainer").email
            db.commit()
        engine.dispose()
        app = create_app(
            app_config(tmp_path, DATABASE_URL=url, **config),
            instance_path=str(tmp_path / "instance"),
        )
        try:
            yield app, email
        finally:
            app.extensions["ctg.engine"].dispose()

"""A live server on its own database, and Debian's Chromium driven by Playwright."""

import shutil
import signal
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import IN_CI, app_config, fresh_database, prepare

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium"):
        message = "Debian's chromium is not installed (make test installs it when run as root)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path):
    """The app with reference data, demo data and accounts, served on a free port."""
    with fresh_database(tmp_path) as url:
        prepare(url)
        app = create_app(
            app_config(tmp_path, DATABASE_URL=url, WTF_CSRF_ENABLED=True, TESTING=False),
            instance_path=str(tmp_path / "instance"),
        )
        result = app.test_cli_runner().invoke(args=["setup"])
        assert result.exit_code == 0, result.output
        password = (tmp_path / "instance" / "initial-password.txt").read_text().strip()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"url": f"http://127.0.0.1:{server.port}", "password": password, "app": app}
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["ctg.engine"].dispose()


# -- a fresh database: reference data, the shipped curriculum, the demo trainers and the accounts,
# but no demo rollouts, workshops, participants or demo lesson plans ---------------------------


def _seed_trainers_and_accounts(app, password: str) -> None:
    """What `flask setup` adds on a first demo run, less the demo lesson plans, rollouts and
    participants: the demo trainers, their qualifications and the demo accounts."""
    from app.cli import create_accounts
    from curriculum.db import session_scope
    from curriculum.models import User
    from curriculum.seed.demo import seed_demo, seed_qualifications

    with app.app_context(), session_scope(app.extensions["ctg.sessionmaker"]) as session:
        assert seed_demo(session) > 0
        assert seed_qualifications(session) > 0
        # `setup --no-demo` made the admin, with the same password
        create_accounts(session, password, {"coordinator", "trainer", "viewer"})
        linked = session.query(User).filter(User.role == "trainer").one()
        assert linked.trainer_id is not None, linked.email


@contextmanager
def _fresh_app_served(tmp_path, **config):
    with fresh_database(tmp_path) as url:
        prepare(url)
        app = create_app(
            app_config(tmp_path, DATABASE_URL=url, WTF_CSRF_ENABLED=True, TESTING=False, **config),
            instance_path=str(tmp_path / "instance"),
        )
        result = app.test_cli_runner().invoke(args=["setup", "--no-demo", "--no-logins"])
        assert result.exit_code == 0, result.output
        password = (tmp_path / "instance" / "initial-password.txt").read_text().strip()
        _seed_trainers_and_accounts(app, password)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"url": f"http://127.0.0.1:{server.port}", "password": password, "app": app}
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["ctg.engine"].dispose()


@pytest.fixture
def fresh_server(tmp_path):
    """The app on a fresh database (reference data, shipped curriculum and lesson plans,
    demo trainers with their qualifications, demo accounts; no demo rollouts, workshops,
    participants or demo lesson plans), served on a free port; jobs run at once."""
    with _fresh_app_served(tmp_path) as server:
        yield server


@contextmanager
def _kept_signal_handlers():
    """Huey's consumer installs its own SIGINT/SIGTERM/SIGHUP handlers in the main process;
    give pytest its own back afterwards."""
    signums = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s]
    saved = {s: signal.getsignal(s) for s in signums}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


@pytest.fixture
def fresh_server_with_jobs(tmp_path):
    """As ``fresh_server``, but background jobs are queued (JOBS_IMMEDIATE=False) and run by a
    Huey consumer in this process (one worker thread), as `make run` does beside the server."""
    with _fresh_app_served(tmp_path, JOBS_IMMEDIATE=False) as server, _kept_signal_handlers():
        huey = server["app"].extensions["huey"]
        assert not huey.immediate
        consumer = huey.create_consumer(
            workers=1,
            worker_type="thread",
            periodic=False,
            max_delay=0.5,
            check_worker_health=False,
        )
        consumer.start()
        try:
            yield server
        finally:
            consumer.stop(graceful=True)

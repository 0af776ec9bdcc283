"""A live server on its own database, and Debian's Chromium driven by Playwright."""

import shutil
import threading

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

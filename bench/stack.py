"""The README's production recipe, started for real on this machine: app hosts on gunicorn,
each with its own instance folder, PostgreSQL (a database of its own, dropped afterwards),
the job consumer and the sign-in limits on Redis (a Redis database of its own, emptied
afterwards), and a shared document cache. Used by scripts/production-smoke and
bench/load.py; needs gunicorn and redis (pip install -e '.[production]')."""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web.browser_form import form_values  # noqa: E402

POSTGRES = os.environ.get("SMOKE_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS = os.environ.get("SMOKE_REDIS", "redis://127.0.0.1:6379/13")
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Failed(SystemExit):
    def __init__(self, what: str):
        super().__init__(f"FAILED: {what}")


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: its cookies go to every host (same address, other ports);
    redirects are not followed."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def open(self, url: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            response = error
        body = response.read()
        return response.status, dict(response.headers), body

    def get(self, url: str):
        return self.open(url)

    def post(self, url: str, fields: dict | list):
        return self.open(url, urllib.parse.urlencode(fields, doseq=True).encode())

    def sign_in(self, host: str, email: str, password: str) -> int:
        _status, _headers, body = self.get(host + "/login")
        fields = form_values(body.decode(), "password").to_dict()
        status, _headers, _body = self.post(
            host + "/login", {**fields, "email": email, "password": password}
        )
        return status


@dataclass
class Stack:
    work: Path
    hosts: dict[str, str] = field(default_factory=dict)  # name: base URL
    instances: dict[str, Path] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)
    password: str = ""

    @property
    def documents(self) -> Path:
        return self.work / "documents"

    def logs(self) -> str:
        return "".join(
            f"--- {log.name} (last lines)\n{log.read_text()[-4000:]}\n"
            for log in sorted(self.work.glob("*.log"))
        )


def _start(args: list, env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        expect(process.poll() is None, f"{url} exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise Failed(f"{url} did not answer in 90 s:\n{log.read_text()[-3000:]}")


@contextmanager
def production(workers: dict[str, int], *, consumer: bool = True) -> Iterator[Stack]:
    """Hosts named as in ``workers`` (name: gunicorn workers) on a new PostgreSQL database
    loaded by ``flask setup`` (demo data), the job consumer beside the first host."""
    stack = Stack(Path(tempfile.mkdtemp(prefix="ctg-stack-")))
    database = f"ctg_stack_{os.getpid()}"
    admin = POSTGRES.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{database}"'], check=True)
    env = {
        **{k: v for k, v in os.environ.items() if k != "FLASK_APP"},
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "REDIS_URL": REDIS,
        "SECRET_KEY": secrets.token_hex(32),
        "DOCUMENT_CACHE": str(stack.documents),
        "TRUSTED_PROXIES": "0",
    }
    try:
        names = list(workers)
        stack.instances = {name: stack.work / f"instance-{name}" for name in names}
        spec = {n: f"app:create_app(instance_path={str(p)!r})" for n, p in stack.instances.items()}
        subprocess.run(
            [BIN / "flask", "--app", spec[names[0]], "setup", "--no-logins"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stack.password = (stack.instances[names[0]] / "initial-password.txt").read_text().strip()
        for name, count in workers.items():
            port = free_port()
            stack.hosts[name] = f"http://127.0.0.1:{port}"
            log = stack.work / f"{name}.log"
            command = [BIN / "gunicorn", "-w", str(count), "-b", f"127.0.0.1:{port}", spec[name]]
            stack.processes.append(_start(command, env, log))
            _wait_until_up(stack.hosts[name], stack.processes[-1], log)
        if consumer:
            command = [BIN / "flask", "--app", spec[names[0]], "jobs"]
            stack.processes.append(_start(command, env, stack.work / "jobs.log"))
        yield stack
    except BaseException:
        print(stack.logs(), flush=True)
        raise
    finally:
        for process in stack.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in stack.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{database}"'])
        subprocess.run(
            [BIN / "python", "-c", f"import redis; redis.Redis.from_url({REDIS!r}).flushdb()"]
        )
        shutil.rmtree(stack.work, ignore_errors=True)

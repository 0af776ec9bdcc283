"""The job consumer as real processes: it stops with the server that started it, even one
killed with SIGKILL, and a second consumer on the same instance folder is refused."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def flask(instance: Path, *args: str, log: Path, sigint_ignored: bool = False) -> subprocess.Popen:
    """`flask <args>` on its own instance folder and SQLite database, output into ``log``
    (with ``sigint_ignored``, started as a shell starts a command in the background)."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_APP")}
    env["DATABASE_URL"] = f"sqlite:///{instance.parent / 'ctg.sqlite3'}"
    spec = f"app:create_app(instance_path={str(instance)!r})"
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", spec, *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
            if sigint_ignored
            else None,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (an exited process nobody has reaped yet, a zombie, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def gone_within(pid: int, seconds: float) -> bool:
    """Whether ``pid`` has stopped running within ``seconds``."""
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not alive(pid)


def consumers(parent: int) -> list[int]:
    """The `flask ... jobs` processes whose parent is ``parent`` (the server also starts
    short-lived helpers while it loads its libraries)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"jobs" in command:
            found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"after {seconds} s: {what}")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def locked(path: Path) -> bool:
    """Whether another process holds the flock on ``path``."""
    if not path.exists():
        return False
    with path.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def end_consumer(pid: int, instance: Path) -> None:
    """Kill ``pid`` if it still is a consumer of ``instance`` (no other process of that number)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return
    if alive(pid) and str(instance).encode() in command:
        os.kill(pid, signal.SIGKILL)


def test_the_consumer_stops_when_its_server_is_killed(tmp_path):
    instance, log = tmp_path / "instance", tmp_path / "serve.log"
    port = free_port()
    serve = flask(instance, "serve", "--port", str(port), log=log)
    consumer = None
    try:
        consumer = wait_for(lambda: consumers(serve.pid), 15, "no job consumer started")[0]
        wait_for(lambda: answers(port), 15, f"nothing serves on port {port}")
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=5)
        # idle, it stops within a second or two; 20 s leaves room for a loaded machine
        assert gone_within(consumer, 20), "the job consumer outlived its server by 20 s\n" + (
            log.read_text()
        )
        assert "the consumer stops too" in log.read_text()
        assert not locked(instance / "jobs.lock")
    finally:
        if serve.poll() is None:
            serve.kill()
        serve.wait(timeout=5)
        if consumer is not None:
            end_consumer(consumer, instance)


def test_a_consumer_whose_server_dies_while_it_starts_stops_too(tmp_path):
    """The server killed the moment its consumer process exists, before the consumer has
    started (and with SIGINT ignored, as in a background job of a shell)."""
    instance, log = tmp_path / "instance", tmp_path / "serve.log"
    serve = flask(instance, "serve", "--port", str(free_port()), log=log, sigint_ignored=True)
    consumer = None
    try:
        consumer = wait_for(lambda: consumers(serve.pid), 15, "no job consumer started")[0]
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=5)
        assert gone_within(consumer, 30), "the job consumer outlived its server by 30 s\n" + (
            log.read_text()
        )
    finally:
        if serve.poll() is None:
            serve.kill()
        serve.wait(timeout=5)
        if consumer is not None:
            end_consumer(consumer, instance)


def test_a_second_consumer_on_the_same_instance_folder_is_refused(tmp_path):
    instance = tmp_path / "instance"
    first = flask(instance, "jobs", log=tmp_path / "first.log")
    second = None
    try:
        # (the first holds the lock once it runs; without a lock, wait as long before the second)
        deadline = time.monotonic() + 15
        while not locked(instance / "jobs.lock") and time.monotonic() < deadline:
            time.sleep(0.1)
        second = flask(instance, "jobs", log=tmp_path / "second.log")
        try:
            status = second.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("a second consumer runs on the same instance folder")
        output = (tmp_path / "second.log").read_text()
        assert status == 1
        assert f"A job consumer is already running for the instance folder {instance}" in output
        assert f"(process {first.pid})" in output
        assert first.poll() is None, "the first consumer stopped"
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
            if process is not None:
                process.wait(timeout=5)

"""Background jobs (Huey): SQLite storage in instance/ by default, Redis when REDIS_URL is set.

``make run`` starts a consumer beside the web server (``flask --app app jobs``);
tests run jobs at once (``JOBS_IMMEDIATE``). Jobs open their own database
session and only read from it: they write documents into the cache, never rows.

One consumer runs per instance folder (``consumer_lock``); a consumer started by the
server stops when the server ends, however it ends (``stop_with_parent``).
"""

from __future__ import annotations

import dataclasses
import fcntl
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from huey import RedisHuey, SqliteHuey, crontab

from curriculum.backup import backup_sqlite
from curriculum.db import refresh_statistics, session_scope
from curriculum.documents import guide, kit, parts, workshops
from curriculum.documents.render import prune_cache
from curriculum.models import Workshop
from curriculum.services import accounts, planner, proposals, scans

log = logging.getLogger("ctg.jobs")


def init_jobs(app: Flask) -> None:
    immediate = bool(app.config["JOBS_IMMEDIATE"])
    if app.config.get("REDIS_URL"):
        huey = RedisHuey("ctg", url=app.config["REDIS_URL"], immediate=immediate)
    else:
        huey = SqliteHuey(
            "ctg", filename=str(Path(app.instance_path) / "jobs.sqlite3"), immediate=immediate
        )

    # 19:00 UTC is 02:00 in Vientiane (UTC+7, no daylight saving).
    @huey.periodic_task(crontab(hour="19", minute="0"))
    def nightly_backup():
        if app.config["DATABASE_URL"].startswith("sqlite"):
            backup_sqlite(
                app.config["DATABASE_URL"],
                Path(app.config["BACKUP_DIR"]),
                app.config["BACKUP_KEEP"],
            )

    # 19:30 UTC is 02:30 in Vientiane, after the backup.
    @huey.periodic_task(crontab(hour="19", minute="30"))
    def nightly_prune():
        """Forget expired sign-ins and cached documents nobody has used for a while, and
        refresh SQLite's table statistics."""
        with session_scope(app.extensions["ctg.sessionmaker"]) as db:
            sessions = accounts.prune_sessions(db, app.permanent_session_lifetime)
            refresh_statistics(db)  # SQLite's query planner, after a day of new rows
        files, size = prune_cache(
            Path(app.config["DOCUMENT_CACHE"]), int(app.config["DOCUMENT_CACHE_DAYS"])
        )
        files += plan_store(app).prune(int(app.config["DOCUMENT_CACHE_DAYS"]))
        files += scan_store(app).prune(int(app.config["DOCUMENT_CACHE_DAYS"]))
        log.info(
            "pruned %d expired sign-ins and %d cached files (%s bytes)",
            sessions,
            files,
            f"{size:,}",
        )

    @huey.task()
    def render_guide(language: str):
        """Render the whole Reference Guide into the document cache (a failure leaves a note):
        the parts the cache lacks are laid out in parallel processes, one per CPU."""
        settings = app.extensions["ctg.documents"]
        with app.extensions["ctg.sessionmaker"]() as db:
            document, data = guide.guide_document(db, settings, language)
            with failure_noted(document):
                if not document.ready:
                    with parts.process_pool(preload=guide.PRELOAD) as pool:
                        guide.ensure_rendered(settings, document, data, language, pool)

    @huey.task()
    def render_workshop_pack(workshop_id: int, kind: str):
        """Render a workshop's trainers' or participants' pack into the document cache."""
        settings = app.extensions["ctg.documents"]
        with app.extensions["ctg.sessionmaker"]() as db:
            workshop = db.get(Workshop, workshop_id)
            document, data = workshops.pack_document(db, settings, workshop, kind)
            with failure_noted(document):
                workshops.ensure_pack(settings, document, data)

    @huey.task()
    def render_workshop_kit(workshop_id: int, language: str):
        """Put a workshop's offline kit (documents, index page, workbook) into the cache."""
        settings = app.extensions["ctg.documents"]
        with app.extensions["ctg.sessionmaker"]() as db:
            workshop = db.get(Workshop, workshop_id)
            document, data = kit.kit_document(db, settings, workshop, language)
            with failure_noted(document):
                kit.ensure_kit(db, settings, workshop, document, data)

    @huey.task()
    def propose_plan(instance: planner.Instance, seconds: float, seed: int, name: str):
        """Search for a rollout's plan; the proposal and its progress are files beside the
        document cache (no database)."""
        proposals.run(instance, seconds, seed, plan_store(app), name)

    @huey.task()
    def read_scan(token: str):
        """Read the pages of an uploaded scan: each page's code and boxes, and the images of
        its rows, into files beside the document cache (no database)."""
        store = scan_store(app)
        try:
            scans.read_batch(store, token)
        except Exception as exc:
            store.fail(token, f"{type(exc).__name__}: {exc}")
            raise

    app.extensions["huey"] = huey
    app.extensions["ctg.jobs"] = {
        "nightly_backup": nightly_backup,
        "nightly_prune": nightly_prune,
        "render_guide": render_guide,
        "render_workshop_pack": render_workshop_pack,
        "render_workshop_kit": render_workshop_kit,
        "propose_plan": propose_plan,
        "read_scan": read_scan,
    }


@contextmanager
def failure_noted(document) -> Iterator[None]:
    """Leave a background document's failure beside it, for its progress page to show."""
    try:
        yield
    except Exception as exc:
        document.error_path.write_text(f"{type(exc).__name__}: {exc}")
        raise


def plan_store(app: Flask) -> proposals.Store:
    """Where rollout proposals are kept: beside the documents, seen by every web host."""
    return proposals.Store(Path(app.config["DOCUMENT_CACHE"]) / "plans")


def scan_store(app: Flask) -> scans.Store:
    """Where uploaded scans and what was read of them are kept, beside the documents."""
    return scans.Store(Path(app.config["DOCUMENT_CACHE"]) / "scans")


def planner_defaults(app: Flask) -> proposals.Settings:
    """The planner's settings for a rollout that has none of its own."""
    weights = {**dataclasses.asdict(planner.Weights()), **(app.config["PLANNER_WEIGHTS"] or {})}
    return proposals.Settings(
        days=int(app.config["PLANNER_DAYS"]),
        hours_a_day=int(app.config["PLANNER_HOURS_A_DAY"]),
        seconds=float(app.config["PLANNER_SECONDS"]),
        weights=planner.Weights(**{k: int(weights[k]) for k in proposals.WEIGHT_NAMES}),
    )


LOCK_FILE = "jobs.lock"
# How long a consumer whose server has gone lets a running job finish before it stops.
ORPHAN_SHUTDOWN_TIMEOUT = 10.0
# How long a consumer may take to start before a stop is forced on it.
STARTING_TIMEOUT = 60.0


class ConsumerRunning(Exception):
    """Another process runs the job consumer of this instance folder."""

    def __init__(self, folder: Path, holder: str):
        self.folder, self.holder = folder, holder
        who = f" (process {holder})" if holder.isdigit() else ""
        super().__init__(
            f"A job consumer is already running for the instance folder {folder}{who}; "
            "it runs the jobs of every server using this folder, so no second one is started."
        )


@contextmanager
def consumer_lock(instance_path: Path) -> Iterator[None]:
    """Held while this process runs the job consumer of ``instance_path``; ConsumerRunning
    when another process holds it.

    An OS file lock (flock) on instance/jobs.lock, which also names the holder's process.
    The kernel drops the lock when its process ends, however it ends, so a lock file left
    behind never blocks. The lock is per instance folder, with Redis too: consumers on
    several hosts (each with its own instance folder) share a Redis queue, and one host
    runs more with ``--workers``.
    """
    path = Path(instance_path) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise ConsumerRunning(Path(instance_path), holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def stop_with_parent(consumer, pipe_fd: int) -> threading.Thread:
    """Stop ``consumer`` when the process holding the write end of pipe ``pipe_fd`` ends.

    The server keeps the write end open and never writes; when it ends, even by SIGKILL,
    the kernel closes it and the read here returns end-of-file. The consumer then shuts
    down as on Ctrl+C (SIGINT: no new job is taken, a running one may finish for up to
    ORPHAN_SHUTDOWN_TIMEOUT seconds) and the process exits, releasing its lock.
    """

    def watch() -> None:
        with open(pipe_fd, "rb", buffering=0) as pipe:
            while pipe.read(64):
                pass
        print(
            "The server that started this job consumer has stopped; the consumer stops too.",
            file=sys.stderr,
            flush=True,
        )
        consumer.shutdown_timeout = ORPHAN_SHUTDOWN_TIMEOUT
        # The server may have gone while the consumer was starting: wait for the consumer's
        # own SIGINT handler (installed last as it starts), so that the signal means its
        # graceful stop. Until then SIGINT may even be ignored (a process started in the
        # background of a shell inherits that), and the signal would be lost.
        deadline = time.monotonic() + STARTING_TIMEOUT
        while signal.getsignal(signal.SIGINT) != consumer._handle_signal:
            if time.monotonic() > deadline:  # never started: stop its loop all the same
                consumer.stop_flag.set()
                return
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=watch, name="watch-server", daemon=True)
    thread.start()
    return thread

"""Background jobs (Huey): SQLite storage in instance/ by default, Redis when REDIS_URL is set.

``make run`` starts a consumer beside the web server (``flask --app app jobs``);
tests run jobs at once (``JOBS_IMMEDIATE``). Jobs open their own database
session and only read from it: they write documents into the cache, never rows.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from huey import RedisHuey, SqliteHuey, crontab

from curriculum.backup import backup_sqlite
from curriculum.db import session_scope
from curriculum.documents import guide, workshops
from curriculum.documents.render import prune_cache
from curriculum.models import Workshop
from curriculum.services import accounts

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
        """Forget expired sign-ins and cached documents nobody has used for a while."""
        with session_scope(app.extensions["ctg.sessionmaker"]) as db:
            sessions = accounts.prune_sessions(db, app.permanent_session_lifetime)
        files, size = prune_cache(
            Path(app.config["DOCUMENT_CACHE"]), int(app.config["DOCUMENT_CACHE_DAYS"])
        )
        log.info(
            "pruned %d expired sign-ins and %d cached files (%s bytes)",
            sessions,
            files,
            f"{size:,}",
        )

    @huey.task()
    def render_guide(language: str):
        """Render the whole Reference Guide into the document cache (a failure leaves a note)."""
        settings = app.extensions["ctg.documents"]
        with app.extensions["ctg.sessionmaker"]() as db:
            document, data = guide.guide_document(db, settings, language)
            try:
                guide.ensure_rendered(settings, document, data, language)
            except Exception as exc:
                document.error_path.write_text(f"{type(exc).__name__}: {exc}")
                raise

    @huey.task()
    def render_workshop_pack(workshop_id: int, kind: str):
        """Render a workshop's trainers' or participants' pack into the document cache."""
        settings = app.extensions["ctg.documents"]
        with app.extensions["ctg.sessionmaker"]() as db:
            workshop = db.get(Workshop, workshop_id)
            document, data = workshops.pack_document(db, settings, workshop, kind)
            try:
                workshops.ensure_pack(settings, document, data)
            except Exception as exc:
                document.error_path.write_text(f"{type(exc).__name__}: {exc}")
                raise

    app.extensions["huey"] = huey
    app.extensions["ctg.jobs"] = {
        "nightly_backup": nightly_backup,
        "nightly_prune": nightly_prune,
        "render_guide": render_guide,
        "render_workshop_pack": render_workshop_pack,
    }

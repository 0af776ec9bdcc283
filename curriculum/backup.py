"""Consistent copies of the SQLite database, taken while the app runs."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from .errors import DomainError
from .i18n import _

PREFIX = "ctg-"
SUFFIX = ".sqlite3"


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise DomainError(
            _(
                "Only a SQLite database file can be backed up this way; back up PostgreSQL with pg_dump."
            )
        )
    return Path(url.database)


def backup_sqlite(
    database_url: str, directory: Path, keep: int = 14, now: dt.datetime | None = None
) -> Path:
    """Copy the database with SQLite's online backup API and keep the newest ``keep`` copies.

    The online backup reads a consistent snapshot while other connections keep
    reading and writing. The copy is written under a temporary name and renamed
    when complete, so a half-written file never looks like a backup.
    """
    if keep < 1:
        raise DomainError(_("Keep at least one backup."))
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise DomainError(_("The database file %(path)s does not exist.", path=str(source_path)))
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    target = directory / f"{PREFIX}{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    partial.replace(target)
    for old in list_backups(directory)[keep:]:
        old.unlink()
    return target


def list_backups(directory: Path) -> list[Path]:
    """Backups in ``directory``, newest first."""
    if not directory.exists():
        return []
    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}"), reverse=True)

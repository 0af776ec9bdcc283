import datetime as dt
import sqlite3

import pytest

from curriculum.backup import backup_sqlite, list_backups
from curriculum.errors import DomainError


def make_db(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
    conn.commit()
    conn.close()


def test_backup_keeps_the_newest(tmp_path):
    source = tmp_path / "db.sqlite3"
    make_db(source)
    folder = tmp_path / "backups"
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(4):
        backup_sqlite(f"sqlite:///{source}", folder, keep=2, now=start + dt.timedelta(hours=i))
    kept = list_backups(folder)
    assert [p.name for p in kept] == ["ctg-20260101-030000.sqlite3", "ctg-20260101-020000.sqlite3"]
    assert sqlite3.connect(kept[0]).execute("SELECT count(*) FROM t").fetchone() == (100,)
    assert not list(folder.glob("*.partial"))


def test_backup_refuses_what_it_cannot_copy(tmp_path):
    with pytest.raises(DomainError, match="pg_dump"):
        backup_sqlite("postgresql+psycopg://postgres@127.0.0.1/test", tmp_path)
    with pytest.raises(DomainError, match="does not exist"):
        backup_sqlite(f"sqlite:///{tmp_path / 'missing.sqlite3'}", tmp_path)

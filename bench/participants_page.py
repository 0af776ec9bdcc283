"""A workshop's participant list with 20,000 people registered: time, size and SQL statements.

Builds a temporary instance (SQLite) with one workshop of 30 seats and N registrations
(30 seated, the rest on the waitlist), signs a coordinator in, and fetches the list's
first and last page, the people index and the attendance grid through the app. Prints
figures; not part of pass/fail.

Run: .venv/bin/python bench/participants_page.py [N]   (20,000 by default)
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import create_app
from app.cli import upgrade_database
from curriculum.db import make_engine
from curriculum.models import (
    Institution,
    Participant,
    Province,
    Registration,
    Rollout,
    User,
    Workshop,
)
from curriculum.seed.reference import seed_reference
from curriculum.services import accounts
from curriculum.services.participants import search_key

GIVEN = ["ບຸນມີ", "ມະນີວອນ", "ສົມພອນ", "ຄຳຫຼ້າ", "ພູວົງ", "ແສງເດືອນ", "ນິດຕະຍາ", "ດາລາວັນ"]
FAMILY = ["ພົມມະຈັນ", "ສີຫາລາດ", "ຈັນທະວົງ", "ໄຊຍະວົງ", "ດວງມະນີ", "ແກ້ວວົງສາ", "ບຸບຜາ"]
SEATS = 30
RUNS = 5


def build(db: Session, n: int) -> tuple[int, int]:
    """A workshop with ``n`` registrations and a coordinator; their ids."""
    institutions = list(db.scalars(select(Institution)))
    provinces = list(db.scalars(select(Province)))
    start = dt.date(2027, 3, 2)
    workshop = Workshop(
        rollout=Rollout(name="Bench rollout", start_date=start, end_date=start),
        title="Bench workshop",
        province=provinces[0],
        start_date=start,
        end_date=start + dt.timedelta(days=2),
        status="confirmed",
        target_participants=SEATS,
    )
    db.add(workshop)
    for i in range(n):
        values = {
            "given_name_lo": GIVEN[i % len(GIVEN)],
            "family_name_lo": FAMILY[(i // len(GIVEN)) % len(FAMILY)],
            "given_name_latin": f"Given{i}",
            "family_name_latin": f"Family{i}",
            "sex": ("female", "male", "other", "not_recorded")[i % 4],
            "phone": f"020 {i:08d}",
        }
        person = Participant(
            **values,
            institution_id=institutions[i % len(institutions)].id,
            province_id=provinces[i % len(provinces)].id,
            search_key=search_key(values),
        )
        seated = i < SEATS
        db.add(
            Registration(
                workshop=workshop,
                participant=person,
                status="registered" if seated else "waitlisted",
                waitlist_position=None if seated else i - SEATS + 1,
            )
        )
    user = User(
        email="coordinator@bench.example", name="Bench", password_hash="x", role="coordinator"
    )
    db.add(user)
    db.commit()
    return workshop.id, user.id


def measure(client, url: str, statements: list[int]) -> tuple[float, int, int, int]:
    """Median milliseconds over RUNS (after one warm-up), bytes, statements, status."""
    client.get(url)
    times = []
    for _ in range(RUNS):
        statements[0] = 0
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(response.data), statements[0], response.status_code


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade_database(url)
        engine = make_engine(url)
        with Session(engine) as db:
            seed_reference(db)
            db.commit()
            t0 = time.perf_counter()
            workshop_id, user_id = build(db, n)
            print(f"registered {n} people in {time.perf_counter() - t0:.1f} s")
            user = db.get(User, user_id)
            assert user is not None
            token = accounts.start_session(db, user)
            db.commit()
        engine.dispose()

        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "JOBS_IMMEDIATE": True,
                "LOG_LEVEL": "WARNING",
            },
            instance_path=str(Path(folder) / "instance"),
        )
        statements = [0]

        @event.listens_for(app.extensions["ctg.engine"], "before_cursor_execute")
        def count(*_args):
            statements[0] += 1

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        pages = {
            "workshop list, page 1": f"/participants/workshops/{workshop_id}",
            "workshop list, last page": f"/participants/workshops/{workshop_id}?page=100000",
            "workshop list, search": f"/participants/workshops/{workshop_id}?q=given19",
            "people index": "/participants/",
            "attendance grid": f"/participants/workshops/{workshop_id}/attendance",
        }
        print(f"{'page':<26} {'median ms':>10} {'KB':>9} {'SQL':>5}  status")
        for label, address in pages.items():
            ms, size, sql, status = measure(client, address, statements)
            print(f"{label:<26} {ms:>10.1f} {size / 1024:>9.1f} {sql:>5}  {status}")
        app.extensions["ctg.engine"].dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)

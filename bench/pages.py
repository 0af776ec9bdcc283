"""The main pages, timed against a hello-world route of the same app, with their SQL statements.

Two data sets: the demo (what ``flask setup`` loads) and ten years of a programme on top
of it (2,000 workshops in ten yearly rollouts of 200, each with a three-day agenda and a
team, 60,000 registrations of about 40,000 people, three days of attendance each; the
last year's workshops still to come are open). A coordinator is signed in through the
test client; every page is fetched a few times to warm up, then REQUESTS times, and its
median and 95th percentile are printed as milliseconds and as a multiple of the same
figures of ``/_hello`` (a signed-in route that returns a word), with the number of SQL
statements of one request. Prints figures; not part of pass/fail.

Run: .venv/bin/python bench/pages.py [--demo-only] [--profile PAGE]
With DATABASE_URL=postgresql://... set, PostgreSQL is measured too, in a database of its
own that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask_login import login_required
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import create_app
from curriculum.db import make_engine, refresh_statistics
from curriculum.lao import collation_key
from curriculum.models import (
    Assignment,
    Attendance,
    LessonPlan,
    Participant,
    Province,
    Registration,
    Rollout,
    Trainer,
    User,
    Workshop,
    WorkshopSession,
)
from curriculum.models.workshops import session_trainers
from curriculum.services import accounts
from curriculum.services.participants import search_key

WARM_UP = 3
REQUESTS = 30
YEARS = 10
WORKSHOPS = 2_000
REGISTRATIONS = 60_000
PEOPLE = 40_000
SEATS = REGISTRATIONS // WORKSHOPS
GIVEN = ["ບຸນມີ", "ມະນີວອນ", "ສົມພອນ", "ຄຳຫຼ້າ", "ພູວົງ", "ແສງເດືອນ", "ນິດຕະຍາ", "ດາລາວັນ"]
FAMILY = ["ພົມມະຈັນ", "ສີຫາລາດ", "ຈັນທະວົງ", "ໄຊຍະວົງ", "ດວງມະນີ", "ແກ້ວວົງສາ", "ບຸບຜາ"]
GIVEN_LATIN = ["Bounmy", "Manivone", "Somphone", "Khamla", "Phouvong", "Sengdeuane", "Nitaya"]
FAMILY_LATIN = ["Phommachanh", "Sihalath", "Chanthavong", "Xayavong", "Douangmany", "Keo"]
# One day of a workshop: three teaching sessions with a break and lunch between them.
DAY = [
    ("session", dt.time(8, 30), dt.time(10, 0)),
    ("break", dt.time(10, 0), dt.time(10, 15)),
    ("session", dt.time(10, 15), dt.time(12, 0)),
    ("lunch", dt.time(12, 0), dt.time(13, 0)),
    ("session", dt.time(13, 0), dt.time(15, 0)),
]


# -- data ----------------------------------------------------------------------------------------


def setup_demo(url: str, folder: Path) -> None:
    """What ``flask setup`` does on a first run: migrations, reference data, the curriculum,
    the demo trainers, plans, rollouts and participants, one account per role."""
    app = make_app(url, folder)
    result = app.test_cli_runner().invoke(args=["setup", "--no-logins"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    app.extensions["ctg.engine"].dispose()


def add_ten_years(db: Session) -> None:
    """Ten yearly rollouts of 200 workshops ending this year, bulk-inserted with every
    column the services keep (search and sort keys) filled as they would be."""
    rng = random.Random(10)
    today = dt.date.today()
    provinces = list(db.scalars(select(Province.id)))
    trainers = list(db.scalars(select(Trainer.id).where(Trainer.status == "active")))
    plans = list(
        db.execute(
            select(LessonPlan.id, LessonPlan.module_id).where(LessonPlan.status == "approved")
        )
    )
    people = []
    for i in range(PEOPLE):
        values = {
            "given_name_lo": GIVEN[i % len(GIVEN)],
            "family_name_lo": FAMILY[(i // len(GIVEN)) % len(FAMILY)],
            "given_name_latin": f"{GIVEN_LATIN[i % len(GIVEN_LATIN)]}{i}",
            "family_name_latin": FAMILY_LATIN[(i // 7) % len(FAMILY_LATIN)],
            "phone": f"020 {i:08d}",
            "email": "",
        }
        people.append(
            {
                **values,
                "sex": rng.choices(("female", "male", "other", "not_recorded"), (45, 53, 1, 1))[0],
                "position": rng.choice(("Police officer", "Prosecutor", "Judge", "Officer")),
                "province_id": rng.choice(provinces),
                "search_key": search_key(values),
                "sort_key": collation_key(f"{values['given_name_lo']} {values['family_name_lo']}"),
                "lock_version": 1,
            }
        )
    db.execute(insert(Participant), people)
    person_ids = list(db.scalars(select(Participant.id)))

    first_year = today.year - YEARS + 1
    db.execute(
        insert(Rollout),
        [
            {
                "name": f"Rollout {year}",
                "start_date": dt.date(year, 1, 1),
                "end_date": dt.date(year, 12, 31),
                "status": "active",
                "lock_version": 1,
            }
            for year in range(first_year, today.year + 1)
        ],
    )
    rollouts = list(
        db.execute(
            select(Rollout.id, Rollout.start_date)
            .where(Rollout.name.like("Rollout %"))
            .order_by(Rollout.start_date)
        )
    )
    rows = []
    for n in range(WORKSHOPS):
        rollout = rollouts[n * YEARS // WORKSHOPS]
        start = rollout.start_date + dt.timedelta(days=rng.randrange(0, 360))
        past = start + dt.timedelta(days=2) < today
        rows.append(
            {
                "rollout_id": rollout.id,
                "title": f"Workshop {n}",
                "province_id": rng.choice(provinces),
                "start_date": start,
                "end_date": start + dt.timedelta(days=2),
                "status": rng.choice(("delivered", "reported"))
                if past
                else rng.choice(("planned", "confirmed")),
                "language": "lo",
                "target_participants": SEATS,
                "lock_version": 1,
            }
        )
    db.execute(insert(Workshop), rows)
    workshops = list(
        db.execute(
            select(Workshop.id, Workshop.start_date, Workshop.status).where(
                Workshop.title.like("Workshop %")
            )
        )
    )
    sessions, assignments = [], []
    for w in workshops:
        lead, co = rng.sample(trainers, 2)
        assignments += [
            {"workshop_id": w.id, "trainer_id": lead, "role": "lead", "response": "accepted"},
            {"workshop_id": w.id, "trainer_id": co, "role": "co_trainer", "response": "accepted"},
        ]
        delivered = w.status in ("delivered", "reported")
        for d in range(3):
            for kind, start, end in DAY:
                plan = rng.choice(plans) if kind == "session" else None
                sessions.append(
                    {
                        "workshop_id": w.id,
                        "day": w.start_date + dt.timedelta(days=d),
                        "start_time": start,
                        "end_time": end,
                        "kind": kind,
                        "lesson_plan_id": plan.id if plan else None,
                        "module_id": plan.module_id if plan else None,
                        "delivery": "as_planned" if delivered and plan else "planned",
                        "sequence": 0,
                        "lock_version": 1,
                        "_trainer": rng.choice((lead, co)),
                    }
                )
    for a in assignments:
        a["lock_version"] = 1
    db.execute(insert(Assignment), assignments)
    trainer_of = [s.pop("_trainer") for s in sessions]
    db.execute(insert(WorkshopSession), sessions)
    session_ids = list(
        db.execute(
            select(WorkshopSession.id, WorkshopSession.kind)
            .join(Workshop)
            .where(Workshop.title.like("Workshop %"))
            .order_by(WorkshopSession.id)
        )
    )
    db.execute(
        insert(session_trainers),
        [
            {"session_id": s.id, "trainer_id": trainer}
            for s, trainer in zip(session_ids, trainer_of, strict=True)
            if s.kind == "session"
        ],
    )
    registrations = []
    for w in workshops:
        delivered = w.status in ("delivered", "reported")
        for person in rng.sample(person_ids, SEATS):
            pre = rng.randint(30, 70)
            registrations.append(
                {
                    "workshop_id": w.id,
                    "participant_id": person,
                    "status": "attended" if delivered else "registered",
                    "pre_score": pre if delivered else None,
                    "post_score": min(100, pre + rng.randint(-5, 30)) if delivered else None,
                    "lock_version": 1,
                }
            )
    db.execute(insert(Registration), registrations)
    db.execute(
        insert(Attendance),
        [
            {
                "registration_id": reg_id,
                "day": start + dt.timedelta(days=d),
                "present": rng.random() > 0.05,
            }
            for reg_id, start in db.execute(
                select(Registration.id, Workshop.start_date)
                .join(Workshop, Workshop.id == Registration.workshop_id)
                .where(
                    Workshop.status.in_(("delivered", "reported")),
                    Workshop.title.like("Workshop %"),
                )
            )
            for d in range(3)
        ],
    )
    db.commit()


# -- measuring -----------------------------------------------------------------------------------


def make_app(url: str, folder: Path):
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "JOBS_IMMEDIATE": True,
            "LOG_LEVEL": "WARNING",
        },
        instance_path=str(folder / "instance"),
    )


def addresses(db: Session) -> dict[str, str]:
    """The pages to measure, with the biggest rollout and one of its workshops."""
    rollout_id = db.scalar(
        select(Workshop.rollout_id)
        .group_by(Workshop.rollout_id)
        .order_by(func.count().desc(), Workshop.rollout_id)
        .limit(1)
    )
    workshop = (
        db.scalars(
            select(Workshop)
            .where(
                Workshop.rollout_id == rollout_id, Workshop.status.in_(("delivered", "reported"))
            )
            .order_by(Workshop.start_date.desc())
            .limit(1)
        ).first()
        or db.scalars(select(Workshop).where(Workshop.rollout_id == rollout_id)).first()
    )
    assert workshop is not None
    return {
        "dashboard": "/",
        "trainers index": "/trainers/",
        "lesson plans index": "/lessons/",
        "rollout (biggest)": f"/workshops/rollouts/{rollout_id}",
        "workshop": f"/workshops/{workshop.id}",
        "calendar month": f"/workshops/calendar?date={workshop.start_date.isoformat()}",
        "programme report": "/reports/",
        "workshop report": f"/reports/workshops/{workshop.id}",
        "workshop participants": f"/participants/workshops/{workshop.id}",
        "participant search": "/participants/?q=bounmy",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client, url: str, statements: list[int]) -> tuple[float, float, int, int]:
    """Median and 95th percentile in ms, statements of one request, status."""
    for _ in range(WARM_UP):
        client.get(url)
    times = []
    counts = set()
    status = 0
    for _ in range(REQUESTS):
        statements[0] = 0
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        counts.add(statements[0])
        status = response.status_code
    return statistics.median(times), percentile(times, 0.95), max(counts), status


def signed_in_client(app, db: Session):
    user = db.scalar(select(User).where(User.role == "coordinator", User.active.is_(True)))
    assert user is not None
    token = accounts.start_session(db, user)
    db.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def run_pages(url: str, folder: Path, label: str, profile: str | None) -> None:
    app = make_app(url, folder)

    @app.route("/_hello")
    @login_required
    def hello():
        return "hello"

    @app.route("/_bare")
    def bare():
        return "hello"

    engine = app.extensions["ctg.engine"]
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_args):
        statements[0] += 1

    with Session(engine) as db:
        client = signed_in_client(app, db)
        pages = addresses(db)
    bare_ms, _p, _s, _st = measure(app.test_client(), "/_bare", statements)
    hello_ms, hello_p95, hello_sql, _st = measure(client, "/_hello", statements)
    print(f"\n{label}: hello world {hello_ms:.2f} ms median, {hello_p95:.2f} ms p95, "
          f"{hello_sql} statements (signed in); {bare_ms:.2f} ms without signing in")  # fmt: skip
    print(
        f"{'page':<24} {'median ms':>9} {'p95 ms':>8} {'x hello':>8} {'p95 x':>6} {'SQL':>4}  status"
    )
    for name, address in pages.items():
        median, p95, sql, status = measure(client, address, statements)
        print(
            f"{name:<24} {median:>9.1f} {p95:>8.1f} {median / hello_ms:>8.1f} "
            f"{p95 / hello_p95:>6.1f} {sql:>4}  {status}"
        )
    if profile:
        run_profile(client, pages[profile])
    engine.dispose()


def run_profile(client, address: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REQUESTS):
        client.get(address)
    profiler.disable()
    print(f"\nprofile of {REQUESTS} requests of {address} (cumulative):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    import psycopg

    server = make_url(server_url)
    name = f"bench_pages_{secrets.token_hex(4)}"
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(label: str, func: Callable[[], object]) -> None:
    t0 = time.perf_counter()
    func()
    print(f"{label}: {time.perf_counter() - t0:.1f} s")


def bench(url: str, folder: Path, backend: str, demo_only: bool, profile: str | None) -> None:
    timed(f"{backend}: demo set-up (flask setup)", lambda: setup_demo(url, folder))
    run_pages(url, folder, f"{backend}, demo data", profile)
    if demo_only:
        return
    engine = make_engine(url)
    with Session(engine) as db:
        timed(f"{backend}: ten years added", lambda: add_ten_years(db))
        if backend == "PostgreSQL":
            db.execute(text("ANALYZE"))  # what autovacuum would have done by then
        else:
            timed(f"{backend}: statistics (the nightly job)", lambda: refresh_statistics(db))
        db.commit()
    engine.dispose()
    run_pages(url, folder, f"{backend}, ten years ({WORKSHOPS} workshops)", profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-only", action="store_true")
    parser.add_argument("--profile", help="a page's name in the table: profile it after timing")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        bench(url, Path(folder), "SQLite", args.demo_only, args.profile)
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql") and not args.sqlite_only:
        with tempfile.TemporaryDirectory() as folder, postgres_database(server) as url:
            bench(url, Path(folder), "PostgreSQL", args.demo_only, args.profile)


if __name__ == "__main__":
    sys.exit(main())

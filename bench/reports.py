"""The programme report on ten years of synthetic workshops, and a 10,000-row import.

Builds 2,000 workshops with 60,000 registrations (about 40,000 people, some trained
more than once, three days of attendance each), then times the programme report and
a 10,000-row XLSX list read, previewed and imported through the service the preview
page uses. Prints figures; not part of pass/fail.

Run: .venv/bin/python bench/reports.py [DATABASE_URL]   (a fresh SQLite file by default)
"""

from __future__ import annotations

import datetime as dt
import io
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.cli import upgrade_database
from curriculum.db import make_engine
from curriculum.models import (
    Attendance,
    Institution,
    Participant,
    Province,
    Registration,
    Rollout,
    Workshop,
)
from curriculum.permissions import SYSTEM
from curriculum.seed.reference import seed_reference
from curriculum.services import imports, reports

YEARS = 10
WORKSHOPS = 2_000
REGISTRATIONS = 60_000
PEOPLE = 40_000
IMPORT_ROWS = 10_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(db: Session) -> int:
    rng = random.Random(10)
    provinces = list(db.scalars(select(Province)))
    institutions = list(db.scalars(select(Institution)))
    db.execute(
        insert(Participant),
        [
            {
                "given_name_latin": f"Given{i}",
                "family_name_latin": f"Family{i}",
                "given_name_lo": "",
                "family_name_lo": "",
                "sex": rng.choices(("female", "male", "other", "not_recorded"), (45, 53, 1, 1))[0],
                "institution_id": rng.choice(institutions).id,
                "province_id": rng.choice(provinces).id,
                "position": rng.choice(("Police officer", "Prosecutor", "Judge", "Officer")),
                "phone": "",
                "email": "",
                "search_key": f"given{i} family{i}",
                "lock_version": 1,
            }
            for i in range(PEOPLE)
        ],
    )
    people = list(db.scalars(select(Participant.id)))
    for year in range(2010, 2010 + YEARS):
        db.add(
            Rollout(
                name=f"Rollout {year}",
                start_date=dt.date(year, 1, 1),
                end_date=dt.date(year, 12, 31),
            )
        )
    db.flush()
    rollouts = list(db.scalars(select(Rollout).order_by(Rollout.start_date)))
    rows = []
    for n in range(WORKSHOPS):
        rollout = rollouts[n * YEARS // WORKSHOPS]
        start = rollout.start_date + dt.timedelta(days=rng.randrange(0, 360))
        rows.append(
            {
                "rollout_id": rollout.id,
                "title": f"Workshop {n}",
                "province_id": rng.choice(provinces).id,
                "start_date": start,
                "end_date": start + dt.timedelta(days=2),
                "status": "delivered",
                "language": "lo",
                "target_participants": 30,
                "lock_version": 1,
            }
        )
    db.execute(insert(Workshop), rows)
    workshops = list(db.execute(select(Workshop.id, Workshop.start_date)))
    per = REGISTRATIONS // WORKSHOPS
    registrations = []
    for w in workshops:
        for person in rng.sample(people, per):
            pre = rng.randint(30, 70)
            registrations.append(
                {
                    "workshop_id": w.id,
                    "participant_id": person,
                    "status": "attended",
                    "pre_score": pre,
                    "post_score": min(100, pre + rng.randint(-5, 30)),
                    "lock_version": 1,
                }
            )
    db.execute(insert(Registration), registrations)
    attendance = [
        {
            "registration_id": reg_id,
            "day": start + dt.timedelta(days=d),
            "present": rng.random() > 0.05,
        }
        for reg_id, start in db.execute(
            select(Registration.id, Workshop.start_date).join(
                Workshop, Workshop.id == Registration.workshop_id
            )
        )
        for d in range(3)
    ]
    db.execute(insert(Attendance), attendance)
    db.commit()
    return len(registrations)


def import_file(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Participants")
    sheet.append(list(imports.TEMPLATE_HEADERS["en"]))
    for i in range(rows):
        sheet.append(
            ["", "", f"New{i}", f"Person{i}", ("female", "male")[i % 2], 1980 + i % 20,
             "MPS", "Officer", "LA-VT", f"020 7{i:07d}", ""]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label}: {time.perf_counter() - start:.2f} s (peak memory {peak_mb():.0f} MB)")
    return result


def main(url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade_database(url)
        engine = make_engine(url)
        with Session(engine) as db:
            seed_reference(db)
            db.commit()
            count = timed("build 2,000 workshops", lambda: build(db))
            print(f"  {count} registrations")
            report = timed(
                "programme report (all years)",
                lambda: reports.summarise(reports.report_rows(db)),
            )
            print(
                f"  {report.events} events, {report.registrations} registrations, "
                f"{report.people} people; "
                + ", ".join(f"{s.key} {s.percent}%" for s in report.by_sex.rows)
            )
            timed("trainer-days (all years)", lambda: reports.trainer_days(db))
            timed(
                "one year's report",
                lambda: reports.summarise(
                    reports.report_rows(db, start=dt.date(2015, 1, 1), end=dt.date(2015, 12, 31))
                ),
            )
            db.expunge_all()
            target = db.scalar(select(Workshop).order_by(Workshop.id.desc()))
            target.status, target.target_participants = "confirmed", IMPORT_ROWS
            db.commit()
            data = import_file(IMPORT_ROWS)
            print(f"{IMPORT_ROWS}-row XLSX: {len(data) / 1024:.0f} KB")
            batch = timed(
                "import: read the file into a preview",
                lambda: imports.start_import(db, SYSTEM, target.id, "big.xlsx", data),
            )
            db.commit()
            preview = timed(
                "import: check every row (the preview page)",
                lambda: imports.get_preview(db, SYSTEM, batch.id),
            )
            print(f"  {len(preview.rows)} rows, {preview.errors} with errors")
            stored = timed(
                "import: store every row",
                lambda: imports.commit_import(db, SYSTEM, batch.id),
            )
            db.commit()
            print(f"  {stored} people registered")
        engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)

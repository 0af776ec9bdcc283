"""A trainers' pack (and the whole guide) from the click to the PDF, with the real job consumer.

Builds a temporary instance (SQLite) with a two-day workshop of three lesson plans, starts
``flask jobs`` on it as ``make run`` does, and, signed in through the test client, clicks
the pack's link: the request queues the job and sends the browser to the progress page,
which is followed as a browser follows it (waiting as long as its refresh says) until it
offers the PDF, which is then fetched. The document cache is emptied before each round.
Then the same for the whole Reference Guide.
Prints figures; not part of pass/fail.

Run: .venv/bin/python bench/pack.py [rounds] [en|lo]   (5 rounds, English by default)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.cli import upgrade_database  # noqa: E402
from curriculum.content.files import read_curriculum  # noqa: E402
from curriculum.db import make_engine  # noqa: E402
from curriculum.documents.render import Settings  # noqa: E402
from curriculum.documents.workshops import render_pack  # noqa: E402
from curriculum.models import LessonPlan, Workshop  # noqa: E402
from curriculum.permissions import SYSTEM  # noqa: E402
from curriculum.seed.reference import seed_reference  # noqa: E402
from curriculum.services import accounts, workshops  # noqa: E402
from curriculum.services.content import import_curriculum  # noqa: E402

PLANS = (
    "m04-en-indicators-first-contact-90",
    "m05-en-needs-and-rights-90",
    "m06-en-child-sensitive-interview-90",
)
PASSWORD = "tamarind lantern orchid 7"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+(?:\.\d+)?)')


def build(db: Session, language: str) -> int:
    start = dt.date(2027, 3, 2)
    rollout = workshops.create_rollout(
        db, SYSTEM, {"name": "Bench", "start_date": start, "end_date": start}
    )
    workshop = workshops.create_workshop(
        db,
        SYSTEM,
        {
            "rollout": rollout.id,
            "title": "Bench pack workshop",
            "province": "LA-BK",
            "start_date": start,
            "end_date": start + dt.timedelta(days=1),
            "language": language,
        },
    )
    plans = [db.scalar(select(LessonPlan).where(LessonPlan.key == key)) for key in PLANS]
    workshops.lay_out_agenda(db, SYSTEM, workshop.id, [p.id for p in plans if p])
    accounts.create_user(
        db,
        SYSTEM,
        {
            "email": "bench@example.org",
            "name": "Bench",
            "role": "viewer",
            "password": PASSWORD,
            "language": "en",
        },
    )
    db.commit()
    return workshop.id


def consumer(instance: Path, url: str, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_APP")}
    env["DATABASE_URL"] = url
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                f"app:create_app(instance_path={str(instance)!r})",
                "jobs",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def click_to_pdf(client, link: str) -> tuple[float, int, bytes]:
    """Seconds from the click on ``link`` (a document rendered in the background) to its
    PDF; progress pages seen; the PDF."""
    started = time.perf_counter()
    response = client.get(link)
    pages = 0
    while response.status_code == 302:
        location = response.headers["Location"]
        response.close()
        response = client.get(location)
        while response.status_code == 200 and response.mimetype == "text/html":
            pages += 1
            page = response.get_data(as_text=True)
            response.close()
            wait = REFRESH.search(page)
            if wait:  # the browser reloads the page after that long
                time.sleep(float(wait.group(1)))
                response = client.get(location)
                continue
            opens = re.search(r'class="button primary" href="([^"]+)"', page)  # "Open the PDF"
            assert opens, page[:2000]
            response = client.get(opens.group(1).replace("&amp;", "&"))
    data = response.get_data()
    response.close()
    assert response.status_code == 200 and data.startswith(b"%PDF"), response.status_code
    return time.perf_counter() - started, pages, data


def rounds_of(client, link: str, cache: Path, rounds: int) -> tuple[list[float], list[int]]:
    """Click-to-PDF seconds and progress pages seen, each round from an empty cache."""
    times, pages = [], []
    for _ in range(rounds):
        for leftover in cache.glob("*.pdf"):
            leftover.unlink()
        seconds, seen, _pdf = click_to_pdf(client, link)
        times.append(seconds)
        pages.append(seen)
        time.sleep(0.5)  # the consumer back to polling, at a random point of its wait
    return times, pages


def main(rounds: int, language: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        instance = folder / "instance"
        instance.mkdir()
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        upgrade_database(url)
        with Session(make_engine(url)) as db:
            seed_reference(db)
            import_curriculum(db, SYSTEM, read_curriculum(ROOT / "modules"))
            workshop_id = build(db, language)

        app = create_app(
            {"DATABASE_URL": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
            instance_path=str(instance),
        )
        cache = Path(app.config["DOCUMENT_CACHE"])
        # the layout alone, in this process (the second time: imports and fonts loaded)
        layout = []
        with Session(make_engine(url)) as db:
            settings = Settings(cache, ROOT / "app" / "translations")
            for _ in range(2):
                for leftover in cache.glob("*.pdf"):
                    leftover.unlink()
                t = time.perf_counter()
                document = render_pack(db, settings, db.get(Workshop, workshop_id), "trainers")
                layout.append(time.perf_counter() - t)
        pack_pages = len(PdfReader(document.path).pages)

        log = folder / "consumer.log"
        jobs = consumer(instance, url, log)
        try:
            deadline = time.monotonic() + 60
            while b"consumer started" not in log.read_bytes() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1)  # the consumer's worker is idle and polling
            client = app.test_client()
            signed_in = client.post(
                "/login", data={"email": "bench@example.org", "password": PASSWORD}
            )
            assert signed_in.status_code == 302, signed_in.status_code
            times, pages = rounds_of(
                client, f"/workshops/{workshop_id}/trainers.pdf", cache, rounds
            )
            guide = rounds_of(client, f"/library/guide.pdf?lang={language}", cache, rounds)
        finally:
            jobs.terminate()
            jobs.wait(30)

    print(f"Trainers' pack ({language}), {pack_pages} pages, {rounds} rounds, real consumer")
    print(f"  layout alone:        {layout[-1]:.2f} s (first in a process: {layout[0]:.2f} s)")
    print(
        f"  click to PDF:        median {statistics.median(times):.2f} s, "
        f"worst {max(times):.2f} s (target: under 6 s)"
    )
    print(f"  progress pages seen: {pages}")
    print("  every round (s):     " + ", ".join(f"{t:.2f}" for t in times))
    print(f"The whole Reference Guide ({language}) the same way, from an empty cache")
    print(f"  click to PDF:        median {statistics.median(guide[0]):.2f} s")
    print(f"  progress pages seen: {guide[1]}")
    print("  every round (s):     " + ", ".join(f"{t:.2f}" for t in guide[0]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, sys.argv[2] if len(sys.argv) > 2 else "en")

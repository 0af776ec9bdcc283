"""Reading scanned sheets: seconds per page and accuracy over synthetic pages.

Builds a temporary SQLite database with a three-day workshop of 30 people, prints its
sheets as the app does (the sign-in sheet of each day, the attendance grid, the pre-test
answer sheets: 42 pages), rasterises them with poppler at 200 dpi and then, page after
page (round the 42 until ``--pages``), fills each at random (tests/scanfill.py: ticks,
crosses, filled bubbles, signatures, names written in, some boxes left empty, about 6 %
ambiguous marks) and gives it to the reader at two sizes:

- photo: a 12-megapixel phone photo (3000 x 4000), the page up to 7 degrees askew, in
  perspective, out of focus, in uneven light, JPEG quality 60;
- scan: 200 dpi, up to 2 degrees askew, JPEG quality 60.

Only the reading is timed (decoding the JPEG, finding and straightening the page, the QR
code, every box; not the images of the rows the preview shows). Prints per size: seconds
per page (mean, median, slowest), pages lost, clear boxes read right, clear boxes left
unsure (a person decides them), clear boxes read wrong, ambiguous marks taken as certain.
Goal: under 1 s a page, 99.5 % or better of clear boxes right, no ambiguous mark taken as
certain. Prints figures; not part of pass/fail.

Run: .venv/bin/python bench/scan.py [--pages 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.cli import upgrade_database  # noqa: E402
from curriculum import scanning  # noqa: E402
from curriculum.content.files import read_curriculum  # noqa: E402
from curriculum.db import make_engine  # noqa: E402
from curriculum.documents import sheets  # noqa: E402
from curriculum.documents.participants import paper_data  # noqa: E402
from curriculum.documents.render import Settings  # noqa: E402
from curriculum.permissions import SYSTEM  # noqa: E402
from curriculum.seed.reference import seed_reference  # noqa: E402
from curriculum.services.content import import_curriculum  # noqa: E402
from tests.scanfill import fill, page_of, pages_of, photograph  # noqa: E402
from tests.workshops import lao_people, workshop_with_people  # noqa: E402

START = dt.date(2027, 3, 2)


def printed_pages(folder: Path) -> list[np.ndarray]:
    """The 42 pages of a 30-person, three-day workshop, at 200 dpi."""
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade_database(url)
    engine = make_engine(url)
    settings = Settings(folder / "cache", ROOT / "app" / "translations")
    with Session(engine) as db:
        seed_reference(db)
        import_curriculum(db, SYSTEM, read_curriculum(ROOT / "modules"), "Shipped curriculum")
        workshop, _registrations = workshop_with_people(
            db,
            "Bench",
            START,
            3,
            lao_people(30),
            title_lo="ກອງປະຊຸມ ທົດລອງ",
            language="lo",
            programme="provincial-3-day",
        )
        questions = paper_data(db, workshop, "test", "lo")["questions"][:20]
        documents = [
            sheets.sign_in_sheets(db, workshop, START + dt.timedelta(days=d), "lo")
            for d in range(3)
        ]
        documents.append(sheets.attendance_sheets(db, workshop, "lo"))
        documents.append(sheets.answer_sheets(db, workshop, "pre", questions, "lo"))
        images = []
        for n, data in enumerate(documents):
            pdf = sheets.render_sheets(settings, data, f"{n}.pdf").path.read_bytes()
            images += pages_of(pdf, 200)
    engine.dispose()
    return images


def run(images: list[np.ndarray], size: str, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    seconds: list[float] = []
    counts: collections.Counter = collections.Counter()
    lost = 0
    for n in range(count):
        image = images[n % len(images)]
        page = page_of(image)
        filled = fill(image, page, 200, rng)
        photo = photograph(filled.image, rng, size, quality=60)
        started = time.perf_counter()
        read = scanning.read_page(scanning.decode_image(photo), crops=False)
        seconds.append(time.perf_counter() - started)
        if read.problem or read.page != page:
            lost += 1
            counts[("lost", "")] += len(filled.truth)
            continue
        for key, truth in filled.truth.items():
            counts[(truth, read.states[key])] += 1
    clear = sum(v for (truth, _got), v in counts.items() if truth in ("marked", "empty"))
    right = counts[("marked", "marked")] + counts[("empty", "empty")]
    left_unsure = counts[("marked", "unsure")] + counts[("empty", "unsure")]
    wrong = counts[("marked", "empty")] + counts[("empty", "marked")]
    ambiguous = sum(v for (truth, _got), v in counts.items() if truth == "unsure")
    taken = ambiguous - counts[("unsure", "unsure")]
    shape = "3000 x 4000 phone photo" if size == "photo" else "200 dpi scan"
    print(
        f"{size:5} ({shape}): {count} pages, {statistics.mean(seconds):.3f} s a page"
        f" (median {statistics.median(seconds):.3f}, slowest {max(seconds):.3f}); pages lost:"
        f" {lost}"
    )
    print(
        f"      clear boxes: {clear}, right {right} ({100 * right / max(clear, 1):.2f} %),"
        f" left unsure {left_unsure}, wrong {wrong}; ambiguous marks: {ambiguous},"
        f" taken as certain {taken}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        images = printed_pages(Path(folder))
        print(
            f"{len(images)} sheet pages printed and rasterised in {time.perf_counter() - started:.1f} s"
        )
    for size in ("photo", "scan"):
        run(images, size, args.pages, args.seed)


if __name__ == "__main__":
    main()

"""How fast the trainer list answers on a registry much larger than a real CTG.

Prints figures; not part of pass/fail. Run: .venv/bin/python bench/trainer_search.py [N]
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

from app.cli import upgrade_database
from curriculum.db import make_engine
from curriculum.models import Institution, Province, Trainer, User
from curriculum.seed.reference import seed_reference
from curriculum.services.trainers import TrainerFilters, search_trainers

GIVEN = ["ບຸນມີ", "ມະນີວອນ", "ສົມພອນ", "ຄຳຫຼ້າ", "ພູວົງ", "ແສງເດືອນ", "ນິດຕະຍາ", "ດາລາວັນ"]
FAMILY = ["ພົມມະຈັນ", "ສີຫາລາດ", "ຈັນທະວົງ", "ໄຊຍະວົງ", "ດວງມະນີ", "ແກ້ວວົງສາ", "ບຸບຜາ"]


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade_database(url)
        engine = make_engine(url)
        with Session(engine) as db:
            seed_reference(db)
            institutions = db.query(Institution).all()
            provinces = db.query(Province).all()
            start = time.perf_counter()
            for i in range(n):
                t = Trainer(
                    given_name_lo=GIVEN[i % len(GIVEN)],
                    family_name_lo=FAMILY[i % len(FAMILY)],
                    given_name_latin=f"Given{i}",
                    family_name_latin=f"Family{i}",
                    sex=("female", "male", "other")[i % 3],
                    institution=institutions[i % len(institutions)],
                    base_province=provinces[i % len(provinces)],
                    status="active" if i % 4 else "inactive",
                )
                db.add(t)
            db.commit()
            print(f"inserted {n} trainers in {time.perf_counter() - start:.2f}s")
            viewer = User(
                email="v@example.org", name="V", password_hash="x", role="viewer", active=True
            )
            queries = {
                "first page, no filter": TrainerFilters(),
                "Lao fragment ຫຼ້າ": TrainerFilters(query="ຫຼ້າ"),
                "Latin fragment 'ily12'": TrainerFilters(query="ily12"),
                "province + sex + sort": TrainerFilters(
                    province_code="LA-CH", sex="female", sort="institution"
                ),
                "last page": TrainerFilters(page=10**6),
            }
            for label, filters in queries.items():
                times = []
                for _ in range(20):
                    t0 = time.perf_counter()
                    result = search_trainers(db, viewer, filters)
                    times.append((time.perf_counter() - t0) * 1000)
                print(
                    f"{label:<28} {result.found.total:>6} found   median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms"
                )
        engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

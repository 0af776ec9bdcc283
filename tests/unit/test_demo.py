from collections import Counter

from sqlalchemy import func, select

from curriculum.models import Trainer, TrainingRecord
from curriculum.seed.demo import DEMO_DOMAIN, seed_demo


def test_demo_ctg_is_realistic_and_idempotent(db):
    added = seed_demo(db)
    assert added == 25
    trainers = db.scalars(select(Trainer).where(Trainer.email.like(f"%@{DEMO_DOMAIN}"))).all()
    assert len(trainers) == 25
    assert {t.institution.short_name for t in trainers} == {
        "PSC",
        "OSPP",
        "MPS",
        "MOJ",
        "MOFA",
        "LBA",
        "FLP",
    }
    assert Counter(t.status for t in trainers)["active"] == 11
    assert all(t.name_lao and t.name_latin for t in trainers)
    assert {t.sex for t in trainers} == {"female", "male", "other"}
    lesson_plan = db.scalar(
        select(func.count(func.distinct(TrainingRecord.trainer_id))).where(
            TrainingRecord.kind == "lesson_plan_workshop"
        )
    )
    assert lesson_plan == 11
    assert any(t.unavailabilities for t in trainers)
    assert seed_demo(db) == 0

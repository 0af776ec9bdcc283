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


def test_demo_rollouts_2009_delivered_everywhere_and_2010_shows_a_conflict(db):
    from curriculum.models import Rollout
    from curriculum.seed.demo import (
        ROLLOUT_2009,
        ROLLOUT_2010,
        TOPICS_2009,
        seed_demo_rollouts,
        seed_qualifications,
    )
    from curriculum.services import scheduling, workshops

    seed_demo(db)
    seed_qualifications(db)
    assert seed_demo_rollouts(db) == 7
    assert seed_demo_rollouts(db) == 0  # once only
    rollout = db.scalar(select(Rollout).where(Rollout.name == ROLLOUT_2009))
    assert [w.status for w in rollout.workshops] == ["delivered"] * 5
    assert {w.province.code for w in rollout.workshops} == {
        "LA-CH",
        "LA-VI",
        "LA-XI",
        "LA-HO",
        "LA-BK",
    }
    matrix = workshops.coverage(db, rollout)
    assert [m.code for m in matrix["modules"]] == sorted(TOPICS_2009)
    for province in matrix["provinces"]:
        for module in matrix["modules"]:
            assert matrix["cells"].get((province.id, module.id)) == "delivered", (
                province.code,
                module.code,
            )
    for workshop in rollout.workshops:
        assert scheduling.errors(scheduling.check_workshop(db, workshop)) == []
        assert all(s.trainers for s in workshop.sessions if s.kind == "session")
        assert all(s.lesson_plan.language == "lo" for s in workshop.sessions if s.kind == "session")
    planning = db.scalar(select(Rollout).where(Rollout.name == ROLLOUT_2010))
    codes = [p.code for w in planning.workshops for p in scheduling.check_workshop(db, w)]
    assert "double_booked" in codes


def test_demo_participants_fill_the_2009_workshops(db):
    from curriculum.models import Rollout
    from curriculum.seed.demo import (
        ROLLOUT_2009,
        seed_demo_participants,
        seed_demo_rollouts,
        seed_qualifications,
    )
    from curriculum.services import reports

    seed_demo(db)
    seed_qualifications(db)
    seed_demo_rollouts(db)
    added = seed_demo_participants(db)
    assert seed_demo_participants(db) == 0  # once only
    rollout = db.scalar(select(Rollout).where(Rollout.name == ROLLOUT_2009))
    assert 5 * 28 <= added <= 5 * 32
    report = reports.summarise(reports.report_rows(db, rollout_id=rollout.id))
    assert report.events == 5 and report.registrations == added
    female = next(r for r in report.by_sex.rows if r.key == "female")
    assert 30 <= female.percent <= 55  # about two women in five
    assert report.attendance_rate > 90 and report.score_change > 0
    assert rollout.signatories

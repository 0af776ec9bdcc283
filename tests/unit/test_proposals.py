"""A rollout's proposed plan on the real database: the planner's input read from the
rollout, the proposal kept as files, and accepted workshops that pass the check."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from curriculum.i18n import reading_in
from curriculum.models import LessonPlan, Module, Rollout, Workshop
from curriculum.permissions import SYSTEM
from curriculum.services import planner, proposals, scheduling
from curriculum.services import workshops as workshop_service
from curriculum.services.validation import ValidationError
from tests.conftest import (
    add_session,
    make_planner_pool,
    make_qualification,
    make_rollout,
    make_trainer,
    make_unavailability,
    make_workshop,
)

APRIL = (dt.date(2027, 4, 1), dt.date(2027, 4, 30))
DEFAULTS = proposals.Settings(seconds=1)


def trainer(db, levels, **values):
    t = make_trainer(db, **values)
    for code, level in levels.items():
        make_qualification(db, t, code, level=level)
    return t


def propose(db, item, tmp_path, defaults=DEFAULTS):
    prepared = proposals.prepare(db, item, proposals.settings_of(item, defaults))
    store = proposals.Store(tmp_path / "plans")
    result = proposals.run(
        prepared.instance, prepared.seconds, prepared.seed, store, prepared.digest
    )
    return prepared, store, result


def test_a_proposal_accepted_makes_workshops_that_pass_the_check(db, tmp_path):
    item = make_rollout(db)
    team = make_planner_pool(db)
    prepared, store, result = propose(db, item, tmp_path)
    assert result["found"] and set(result["workshops"]) == {"LA-VT", "LA-LP", "LA-CH"}
    assert store.result(prepared.digest) == result and store.progress(prepared.digest) is None
    made = proposals.accept(
        db, SYSTEM, item.id, prepared.digest, list(result["workshops"]), [], store, DEFAULTS
    )
    assert len(made) == 3
    db.expire_all()
    checked = scheduling.check_workshops(db, scheduling.load_for_check(db, [w.id for w in made]))
    for w in made:
        assert scheduling.errors(checked[w.id]) == [], w.title
        planned = result["workshops"][w.province.code]
        assert w.start_date == dt.date.fromisoformat(planned["start"])
        assert (w.end_date - w.start_date).days == 1
        assert w.title == f"Rollout 2027: {w.province.name_en}"
        assert w.title_lo.startswith("ການຝຶກອົບຮົມ 2027: ")
        teaching = [s for s in w.sessions if s.kind == "session"]
        assert {s.lesson_plan.module.code for s in teaching} == {"M04", "M05"}
        for s in teaching:
            assert [t.id for t in s.trainers] == planned["teaching"][s.lesson_plan.module.code]
        roles = {a.trainer_id: a.role for a in w.assignments}
        leads = {ids[0] for ids in planned["teaching"].values()}
        assert {t for t, r in roles.items() if r == "lead"} == leads
        assert set(roles) <= {t.id for t in team}
    cells = workshop_service.coverage(db, db.get(Rollout, item.id))["cells"]
    assert len(cells) == 3 * 2 and set(cells.values()) == {"planned"}


def test_an_accept_after_the_input_changed_is_refused_and_writes_nothing(db, tmp_path):
    item = make_rollout(db)
    team = make_planner_pool(db)
    prepared, store, result = propose(db, item, tmp_path)
    make_unavailability(db, team[0], start_date=APRIL[0], end_date=APRIL[1], reason="Leave")
    before = db.scalar(select(func.count()).select_from(Workshop))
    with pytest.raises(ValidationError) as refused:
        proposals.accept(
            db, SYSTEM, item.id, prepared.digest, list(result["workshops"]), [], store, DEFAULTS
        )
    assert "changed since this proposal" in str(refused.value.errors[None][0])
    assert db.scalar(select(func.count()).select_from(Workshop)) == before


def test_accepting_part_leaves_the_rest_to_plan_and_a_lock_keeps_its_day(db, tmp_path):
    item = make_rollout(db)
    make_planner_pool(db)
    prepared, store, result = propose(db, item, tmp_path)
    proposals.accept(db, SYSTEM, item.id, prepared.digest, ["LA-VT"], ["LA-LP"], store, DEFAULTS)
    db.expire_all()
    item = db.get(Rollout, item.id)
    assert [w.province.code for w in item.workshops] == ["LA-VT"]
    assert set(item.plan_settings["locks"]) == {"LA-LP"}
    again, _store, second = propose(db, item, tmp_path)
    assert {w.key for w in again.instance.workshops} == {"LA-LP", "LA-CH"}
    assert second["workshops"]["LA-LP"] == result["workshops"]["LA-LP"]
    # the accepted workshop is now a commitment of its team
    vt = result["workshops"]["LA-VT"]
    vt_days = {dt.date.fromisoformat(vt["start"]) + dt.timedelta(days=i) for i in range(2)}
    committed = {t.id: {d for d, _p in t.committed} for t in again.instance.trainers}
    for ids in vt["teaching"].values():
        for t in ids:
            assert vt_days <= committed[t]


def test_a_lock_left_unticked_is_lifted_and_other_locks_stay(db, tmp_path):
    item = make_rollout(db)
    make_planner_pool(db)
    prepared, store, _result = propose(db, item, tmp_path)
    proposals.accept(db, SYSTEM, item.id, prepared.digest, [], ["LA-LP", "LA-CH"], store, DEFAULTS)
    item.plan_settings = {**item.plan_settings, "locks": {**item.plan_settings["locks"],
                          "LA-XX": {"start": "2027-04-05", "teaching": {}}}}  # fmt: skip
    db.flush()
    again, store, _second = propose(db, item, tmp_path)
    assert set(again.instance.locks) == {"LA-LP", "LA-CH"}
    proposals.accept(db, SYSTEM, item.id, again.digest, [], ["LA-CH"], store, DEFAULTS)
    db.expire_all()
    locks = db.get(Rollout, item.id).plan_settings["locks"]
    assert set(locks) == {"LA-CH", "LA-XX"}  # LA-LP unlocked; a lock outside the proposal kept
    third, store, _third = propose(db, db.get(Rollout, item.id), tmp_path)
    with pytest.raises(ValidationError) as refused:  # nothing ticked, nothing to change
        proposals.accept(db, SYSTEM, item.id, third.digest, [], ["LA-CH"], store, DEFAULTS)
    assert "Tick the workshops" in str(refused.value.errors[None][0])


def test_the_proposal_does_not_depend_on_the_readers_language(db, tmp_path):
    item = make_rollout(db)
    make_planner_pool(db)
    english = proposals.prepare(db, item, DEFAULTS)
    with reading_in("lo"):
        lao = proposals.prepare(db, item, DEFAULTS)
        assert str(lao.titles["LA-VT"]).startswith("ການຝຶກອົບຮົມ 2027:")
    assert lao.digest == english.digest


def test_settings_are_checked_and_kept_on_the_rollout(db):
    item = make_rollout(db)
    with pytest.raises(ValidationError) as refused:
        proposals.save_settings(
            db, SYSTEM, item.id, {"days": "9", "hours_a_day": "5", "seconds": "x"}, DEFAULTS
        )
    assert set(refused.value.errors) >= {"days", "seconds"}
    assert db.get(Rollout, item.id).plan_settings is None
    data = {"days": "3", "modules_per_workshop": "1", "hours_a_day": "4", "seconds": "7"}
    data.update({f"weight_{k}": "0" for k in proposals.WEIGHT_NAMES})
    proposals.save_settings(db, SYSTEM, item.id, data, DEFAULTS)
    chosen = proposals.settings_of(db.get(Rollout, item.id), DEFAULTS)
    assert (chosen.days, chosen.modules_per_workshop, chosen.hours_a_day, chosen.seconds) == (
        3, 1, 4, 7
    )  # fmt: skip
    assert chosen.weights == planner.Weights(0, 0, 0, 0, 0, 0)


def test_one_module_per_workshop_makes_a_workshop_per_module_and_province(db, tmp_path):
    item = make_rollout(db, codes=("LA-VT",))
    make_planner_pool(db)
    item.plan_settings = {"modules_per_workshop": 1, "days": 1}
    prepared = proposals.prepare(db, item, proposals.settings_of(item, DEFAULTS))
    assert [(w.key, w.modules) for w in prepared.instance.workshops] == [
        ("LA-VT-1", ("M04",)),
        ("LA-VT-2", ("M05",)),
    ]


def test_a_rollout_that_cannot_be_planned_says_why(db):
    item = make_rollout(db, modules=("M04", "M07"))
    m07 = db.scalar(select(Module).where(Module.code == "M07"))
    for plan in db.scalars(select(LessonPlan).where(LessonPlan.module_id == m07.id)):
        plan.status = "draft"
    with pytest.raises(ValidationError) as refused:
        proposals.prepare(db, item, DEFAULTS)
    text = str(refused.value.errors[None][0])
    assert "M07" in text and "approved lesson plan" in text and "M04" not in text
    empty = Rollout(name="Empty", start_date=APRIL[0], end_date=APRIL[1])
    db.add(empty)
    db.flush()
    with pytest.raises(ValidationError):
        proposals.prepare(db, empty, DEFAULTS)


def test_no_plan_names_the_module_the_month_and_the_trainers_in_both_languages(db, tmp_path):
    """M05 is needed in three provinces in April; its only lead is on leave until 26 April."""
    item = make_rollout(db)
    lead = trainer(db, {"M04": "lead", "M05": "lead"}, given_name_latin="Bounmy",
                   family_name_latin="Keo", given_name_lo="ບຸນມີ", family_name_lo="ແກ້ວ")  # fmt: skip
    make_unavailability(db, lead, start_date=APRIL[0], end_date=dt.date(2027, 4, 25))
    for _ in range(3):
        trainer(db, {"M04": "lead", "M05": "co_trainer"})
    prepared, _store, result = propose(db, item, tmp_path)
    assert result["found"] is False
    texts = [str(t) for t in proposals.reasons(db, prepared, result)]
    assert "Bounmy Keo cannot teach on 1 – 25 April 2027." in texts
    assert any("M05 needs a lead or master trainer in Rollout 2027:" in t for t in texts)
    assert any(t.startswith("M05 is needed in") and "Bounmy Keo" in t for t in texts)
    with reading_in("lo"):
        lao = [str(t) for t in proposals.reasons(db, prepared, result)]
    assert any("ບຸນມີ ແກ້ວ" in t and "ເມສາ" in t for t in lao)  # the name and April in Lao
    # the trainers who may lead M05 are named as a Lao reader knows them
    assert any(t.startswith("M05 is needed in") and "ບຸນມີ ແກ້ວ" in t for t in lao), lao


# -- plans planted in random pools, accepted through the database -----------------------------

SPRING = (dt.date(2027, 3, 1), dt.date(2027, 5, 31))
PROVINCES = ("LA-VT", "LA-LP", "LA-CH", "LA-SV", "LA-BK")
LAO_PLANNED = ("M04", "M05", "M06", "M08")  # modules with an approved Lao plan


@st.composite
def planted(draw):
    """A rollout with a valid plan built first: one workshop per province on distinct weeks,
    each taught by two trainers who lead its modules; then more trainers, qualifications,
    days off and commitments in another rollout that leave the planted plan valid."""
    codes = draw(st.lists(st.sampled_from(PROVINCES), min_size=2, max_size=4, unique=True))
    modules = draw(st.lists(st.sampled_from(LAO_PLANNED), min_size=1, max_size=3, unique=True))
    size = draw(st.integers(4, 7))
    weeks = draw(st.lists(st.integers(0, 11), min_size=len(codes), max_size=len(codes),
                          unique=True))  # fmt: skip
    pairs = [draw(st.lists(st.integers(0, size - 1), min_size=2, max_size=2, unique=True))
             for _ in codes]  # fmt: skip
    extra = [
        draw(st.dictionaries(st.sampled_from(LAO_PLANNED),
                             st.sampled_from(("co_trainer", "lead", "master")), max_size=3))
        for _ in range(size)
    ]  # fmt: skip
    days_off = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 20)), max_size=5))
    elsewhere = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 13),
                                        st.sampled_from(PROVINCES)), max_size=5))  # fmt: skip
    return codes, modules, size, weeks, pairs, extra, days_off, elsewhere


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=planted())
def test_a_planted_plan_is_found_and_accepted_without_an_error(db, tmp_path, case):
    codes, modules, size, weeks, pairs, extra, days_off, elsewhere = case
    starts = planner.start_days(planner.Instance((), (), SPRING))
    savepoint = db.begin_nested()
    try:
        item = make_rollout(db, codes=codes, modules=modules, window=SPRING)
        planted_days: dict[int, set[dt.date]] = {}
        levels = [dict(e) for e in extra]
        for week, pair in zip(weeks, pairs, strict=True):
            first = next(d for d in starts if d >= SPRING[0] + dt.timedelta(weeks=week))
            for t in pair:
                planted_days.setdefault(t, set()).update({first, first + dt.timedelta(days=1)})
                for m in modules:
                    levels[t][m] = "master" if levels[t].get(m) == "master" else "lead"
        sexes = ("female", "male")
        people = [trainer(db, levels[i], sex=sexes[i % 2]) for i in range(size)]

        def clear(t: int, day: dt.date) -> bool:  # three days from any planted day
            return all(abs((day - d).days) > 3 for d in planted_days.get(t, ()))

        for t, offset in days_off:
            day = SPRING[0] + dt.timedelta(days=offset)
            if clear(t, day):
                make_unavailability(db, people[t], start_date=day, end_date=day)
        for t, offset, code in elsewhere:
            day = SPRING[0] + dt.timedelta(days=offset)
            if clear(t, day):
                other = make_workshop(db, start=day, days=1, province_code=code)
                add_session(db, other, "09:00", "11:00", trainers=[people[t]], day=day)
        db.flush()
        prepared, store, result = propose(db, item, tmp_path)
        assert result["found"], proposals.reasons(db, prepared, result)
        made = proposals.accept(
            db, SYSTEM, item.id, prepared.digest, list(result["workshops"]), [], store, DEFAULTS
        )
        db.expire_all()
        checked = scheduling.check_workshops(
            db, scheduling.load_for_check(db, [w.id for w in made])
        )
        assert {w.province.code for w in made} == set(codes)
        for w in made:
            assert [str(p.message) for p in scheduling.errors(checked[w.id])] == []
    finally:
        savepoint.rollback()
        db.expunge_all()  # the next example starts from an empty database again


def test_old_proposals_are_pruned(tmp_path):
    store = proposals.Store(tmp_path / "plans")
    assert store.prune(30) == 0  # no folder yet
    store.finish("a1", {"found": False})
    store.start("b2", 5)
    assert store.prune(30) == 0
    assert store.prune(30, now=dt.datetime.now().timestamp() + 31 * 86400) == 2
    assert store.result("a1") is None and store.progress("b2") is None


# -- two accepts of one proposal at the same moment -------------------------------------------


@pytest.mark.postgresql_only
def test_a_second_accept_waits_for_the_first_and_is_refused(tmp_path):
    """A double click or two coordinators: the second accept waits for the first to commit,
    then finds the workshops it made (the input changed) and adds nothing."""
    import threading

    from sqlalchemy.orm import Session

    from curriculum.db import make_engine
    from tests.conftest import fresh_database, prepare

    with fresh_database(tmp_path) as url:
        prepare(url)
        engine = make_engine(url)
        try:
            with Session(engine) as setup:
                item = make_rollout(setup)
                make_planner_pool(setup)
                setup.commit()
                prepared, store, result = propose(setup, item, tmp_path)
                rollout_id, digest, keys = item.id, prepared.digest, list(result["workshops"])
            first, second = Session(engine), Session(engine)
            outcome: list[object] = []

            def accept_again() -> None:
                try:
                    proposals.accept(second, SYSTEM, rollout_id, digest, keys, [], store, DEFAULTS)
                    second.commit()
                    outcome.append("accepted")
                except ValidationError as exc:
                    second.rollback()
                    outcome.append(str(exc.errors[None][0]))

            proposals.accept(first, SYSTEM, rollout_id, digest, keys, [], store, DEFAULTS)
            waiting = threading.Thread(target=accept_again)
            waiting.start()
            waiting.join(timeout=1.0)
            assert waiting.is_alive(), outcome  # held until the first accept commits
            first.commit()
            waiting.join(timeout=60)
            assert len(outcome) == 1 and "changed since this proposal" in str(outcome[0])
            first.close()
            second.close()
            with Session(engine) as check:
                count = select(func.count()).select_from(Workshop)
                assert check.scalar(count.where(Workshop.rollout_id == rollout_id)) == 3
        finally:
            engine.dispose()

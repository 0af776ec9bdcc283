"""The rollout planner (CP-SAT) and its greedy baseline, on plain data (no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curriculum.services import planner
from curriculum.services.planner import Instance, Lock, PlannedWorkshop, PoolTrainer

MARCH = (dt.date(2010, 3, 1), dt.date(2010, 3, 31))
ROADS = {("LA-VT", "LA-LP"): 6 * 60, ("LA-BK", "LA-AT"): 26 * 60, ("LA-VT", "LA-CH"): 13 * 60}


def trainer(tid, levels, **values):
    fields = {
        "base_province": "LA-VT",
        "institution": ("PSC", "OSPP", "MPS")[tid % 3],
        "sex": ("female", "male")[tid % 2],
    }
    fields.update(values)
    return PoolTrainer(tid, f"Trainer {tid}", levels=levels, **fields)


def test_a_plan_keeps_every_hard_rule_and_scores_no_worse_than_greedy():
    pool = tuple(
        trainer(i, {m: ("master", "lead", "co_trainer")[(i + j) % 3] for j, m in enumerate(("M04", "M05", "M06"))})
        for i in range(1, 9)
    )  # fmt: skip
    workshops = tuple(
        PlannedWorkshop(code, code, ("M04", "M05", "M06")) for code in ("LA-VT", "LA-LP", "LA-CH")
    )
    inst = Instance(workshops, pool, MARCH, roads=ROADS)
    seen: list[tuple[float, int]] = []
    plan = planner.solve(inst, seconds=1, progress=lambda s, score: seen.append((s, score)))
    assert isinstance(plan, planner.Plan)
    assert seen  # each better plan is reported as it is found, with its score
    assert seen[-1][1] == planner.penalty(inst, plan)
    assert planner.violations(inst, plan) == []
    days = planner.working_days(*MARCH)
    for planned in plan.workshops.values():
        assert set(planned.days(2)) <= days  # no weekend, no 8 March (a Lao holiday)
        assert 2 <= len(planned.team) <= 4
    assert planner.penalty(inst, plan) <= planner.penalty(inst, planner.greedy(inst))


def test_the_same_instance_and_seed_give_the_same_plan():
    pool = tuple(
        trainer(i, {"M04": "lead", "M05": ("co_trainer", "lead", "master")[i % 3]})
        for i in range(1, 7)
    )
    workshops = tuple(PlannedWorkshop(c, c, ("M04", "M05")) for c in ("LA-VT", "LA-LP"))
    inst = Instance(workshops, pool, MARCH, roads=ROADS)
    first, second = planner.solve(inst, seconds=0.5), planner.solve(inst, seconds=0.5)
    assert isinstance(first, planner.Plan) and isinstance(second, planner.Plan)
    assert first.workshops == second.workshops


def test_where_greedy_staffs_itself_into_a_corner_the_solver_does_not():
    """Both workshops fall on the same two days; trainer 1 is the only lead of M05. Greedy
    gives them the first workshop's M04 (first in line), so the second finds no lead."""
    pool = (
        trainer(1, {"M04": "lead", "M05": "lead"}),
        trainer(2, {"M04": "lead"}),
        trainer(3, {"M04": "co_trainer", "M05": "co_trainer"}),
        trainer(4, {"M04": "co_trainer", "M05": "co_trainer"}),
    )
    workshops = (
        PlannedWorkshop("first", "LA-VT", ("M04",)),
        PlannedWorkshop("second", "LA-VT", ("M05",)),
    )
    window = (dt.date(2010, 3, 1), dt.date(2010, 3, 2))
    inst = Instance(workshops, pool, window)
    baseline = planner.greedy(inst)
    assert len(baseline.workshops) < 2
    plan = planner.solve(inst, seconds=1)
    assert isinstance(plan, planner.Plan) and planner.violations(inst, plan) == []
    assert plan.workshops["second"].teaching["M05"][0] == 1


def test_no_plan_names_the_module_the_days_and_the_trainers_concerned():
    """M06 is needed in four provinces in March; its only lead cannot teach until 21 March,
    leaving too few working days to reach all four."""
    away = frozenset(dt.date(2010, 3, d) for d in range(1, 21))
    pool = (
        trainer(1, {"M04": "master", "M06": "lead"}, unavailable=away),
        *(trainer(i, {"M04": "lead", "M06": "co_trainer"}) for i in range(2, 7)),
    )
    workshops = tuple(
        PlannedWorkshop(c, c, ("M04", "M06"), title=f"{c} workshop")
        for c in ("LA-VT", "LA-LP", "LA-CH", "LA-BK")
    )
    inst = Instance(workshops, pool, MARCH, roads=ROADS)
    answer = planner.solve(inst, seconds=1)
    assert isinstance(answer, planner.NoPlan)
    texts = [str(c.text) for c in answer.conflicts]
    assert "Trainer 1 cannot teach on 1 – 20 March 2010." in texts
    assert {c.workshop for c in answer.conflicts if c.module == "M06"} == {
        "LA-VT", "LA-LP", "LA-CH", "LA-BK"
    }  # fmt: skip
    assert [str(f.text) for f in answer.facts] == [
        "M06 is needed in 4 workshops; 1 trainers may lead it: Trainer 1."
    ]
    # each item is needed: without any one of them a plan exists
    for dropped in answer.conflicts:
        if dropped.kind == "unavailable":
            easier = Instance(
                workshops, (trainer(1, pool[0].levels), *pool[1:]), MARCH, roads=ROADS
            )
        else:
            easier = Instance(
                tuple(
                    w if w.key != dropped.workshop else PlannedWorkshop(w.key, w.province, ("M04",))
                    for w in workshops
                ),
                pool,
                MARCH,
                roads=ROADS,
            )
        assert isinstance(planner.solve(easier, seconds=1), planner.Plan), dropped.text


def test_a_locked_workshop_keeps_its_day_and_teaching():
    pool = tuple(trainer(i, {"M04": "lead", "M05": "lead"}) for i in range(1, 6))
    workshops = tuple(PlannedWorkshop(c, c, ("M04", "M05")) for c in ("LA-VT", "LA-LP"))
    lock = Lock(dt.date(2010, 3, 17), {"M04": (5,), "M05": (4,)})
    inst = Instance(workshops, pool, MARCH, roads=ROADS, locks={"LA-LP": lock})
    plan = planner.solve(inst, seconds=0.5)
    assert isinstance(plan, planner.Plan) and planner.violations(inst, plan) == []
    locked = plan.workshops["LA-LP"]
    assert (locked.start, dict(locked.teaching)) == (lock.start, {"M04": (5,), "M05": (4,)})


def test_violations_catch_a_trip_too_far_overnight_and_a_day_off():
    pool = (trainer(1, {"M04": "lead"}), trainer(2, {"M04": "lead"}))
    workshops = (
        PlannedWorkshop("south", "LA-AT", ("M04",)),
        PlannedWorkshop("north", "LA-BK", ("M04",)),
    )
    inst = Instance(workshops, pool, MARCH, roads=ROADS)
    both = {"M04": (1, 2)}
    plan = planner.Plan(
        {
            "south": planner.PlannedTeaching(dt.date(2010, 3, 1), both),
            "north": planner.PlannedTeaching(dt.date(2010, 3, 3), both),  # 26 h of road
        }
    )
    assert sorted(planner.violations(inst, plan)) == [
        "trainer 1: south and north too close",
        "trainer 2: south and north too close",
    ]
    saturday = planner.Plan(
        {**plan.workshops, "north": planner.PlannedTeaching(dt.date(2010, 3, 6), both)}
    )
    assert planner.violations(inst, saturday) == [
        "north: 2010-03-06 does not start 2 working days in the window"
    ]


# -- plans planted in random pools -------------------------------------------------------------

PROVINCES = ("LA-VT", "LA-LP", "LA-CH", "LA-BK", "LA-SV")
MODULES = ("M01", "M02", "M03", "M04", "M05")


@st.composite
def planted(draw):
    """A rollout with a valid plan built first: workshops on distinct weeks of March to May,
    each taught by two trainers who lead its modules; then more trainers, qualifications
    and unavailable days that leave the planted plan valid."""
    n = draw(st.integers(2, 4))
    starts = planner.start_days(Instance((), (), (dt.date(2010, 3, 1), dt.date(2010, 5, 31))))
    weeks = sorted(draw(st.sets(st.integers(0, 11), min_size=n, max_size=n)))
    workshops, teams, used = [], [], {}
    size = draw(st.integers(4, 7))
    for i, week in enumerate(weeks):
        day = next(d for d in starts if d >= dt.date(2010, 3, 1) + dt.timedelta(weeks=week))
        modules = tuple(
            draw(st.lists(st.sampled_from(MODULES), min_size=1, max_size=2, unique=True))
        )
        pair = draw(st.lists(st.integers(1, size), min_size=2, max_size=2, unique=True))
        workshops.append(PlannedWorkshop(f"W{i}", draw(st.sampled_from(PROVINCES)), modules))
        teams.append((day, modules, pair))
        for t in pair:
            used.setdefault(t, set()).update({day, day + dt.timedelta(days=1)})
    pool = []
    for t in range(1, size + 1):
        levels = {m: draw(st.sampled_from(("co_trainer", "lead", "master"))) for m in
                  draw(st.lists(st.sampled_from(MODULES), max_size=3, unique=True))}  # fmt: skip
        for _day, modules, pair in teams:
            if t in pair:
                for m in modules:
                    levels[m] = "lead" if levels.get(m) != "master" else "master"
        free = [d for d in starts[:40] if d not in used.get(t, set())]
        off = draw(st.lists(st.sampled_from(free), max_size=3)) if free else []
        pool.append(trainer(t, levels, unavailable=frozenset(off)))
    # planted weeks are a week apart at least: no road in this table is longer than a week
    inst = Instance(tuple(workshops), tuple(pool), (dt.date(2010, 3, 1), dt.date(2010, 5, 31)),
                    roads=ROADS)  # fmt: skip
    plan = planner.Plan(
        {
            w.key: planner.PlannedTeaching(day, {m: tuple(pair) for m in modules})
            for w, (day, modules, pair) in zip(workshops, teams, strict=True)
        }
    )
    return inst, plan


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=planted())
def test_a_planted_plan_means_the_solver_finds_a_valid_one(case):
    inst, plant = case
    assert planner.violations(inst, plant) == []  # the planted plan is valid...
    found = planner.solve(inst, seconds=0.5)
    assert isinstance(found, planner.Plan), found  # ...so a plan is found every time
    assert planner.violations(inst, found) == []


def test_the_same_plan_in_processes_that_hash_strings_differently():
    """Determinism holds across processes: the model is built in an order that does not
    depend on Python's string hashing (PYTHONHASHSEED differs from run to run)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys; sys.path.insert(0, 'bench'); import scheduler\n"
        "from curriculum.services import planner\n"
        "inst = scheduler.instance(5, 7, 11, 1)\n"
        "plan = planner.solve(inst, seconds=0.3)\n"
        "print(sorted((k, v.start, sorted(v.teaching.items())) for k, v in plan.workshops.items()))"
    )
    root = Path(__file__).resolve().parents[2]
    plans = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(plans) == 1

"""The rollout planner against the greedy baseline on three sizes of rollout.

Instances (provinces x modules x active trainers): the 2009 rollout's size (5 x 7 x 11),
a national rollout (18 x 10 x 25) and a doubled one (36 x 20 x 50, each province twice).
Each province holds one workshop of MODULES_PER_WORKSHOP modules, taken in turn from the
rollout's modules so that every module is taught; trainers have seeded random
qualifications (at least three leaders per module), some unavailability and some days
committed in other rollouts; road times are the estimates ``flask setup`` stores.

Prints, for CP-SAT and the greedy plan side by side: seconds, hard-rule violations
(``planner.violations``), workshops planned, and the soft penalty (``planner.penalty``,
lower is better), with CP-SAT's penalty as a share of greedy's. Not part of pass/fail.

Run: .venv/bin/python bench/scheduler.py [--seconds 2] [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from curriculum.seed.reference import PROVINCE_SEATS, estimated_travel_minutes  # noqa: E402
from curriculum.services import planner  # noqa: E402

INSTITUTIONS = ("PSC", "OSPP", "MPS", "MOJ", "MOFA", "LBA", "FLP")
MODULES_PER_WORKSHOP = 4
SIZES = [(5, 7, 11, 1), (18, 10, 25, 3), (36, 20, 50, 5)]  # and months in the window


def instance(provinces: int, modules: int, trainers: int, months: int, seed: int = 1):
    rng = random.Random(seed * 1000 + provinces)
    codes = sorted(PROVINCE_SEATS)
    module_codes = [f"M{i + 1:02d}" for i in range(modules)]
    per = min(MODULES_PER_WORKSHOP, modules)
    workshops = []
    for i in range(provinces):
        province = codes[i % len(codes)]
        taught = tuple(module_codes[(i * per + j) % modules] for j in range(per))
        workshops.append(planner.PlannedWorkshop(f"W{i + 1:02d}-{province}", province, taught))
    first = dt.date(2010, 3, 1)
    last = (first + dt.timedelta(days=31 * months)).replace(day=1) - dt.timedelta(days=1)
    levels: list[dict[str, str]] = [{} for _ in range(trainers)]
    for module in module_codes:
        leaders = rng.sample(range(trainers), 3)
        for n, t in enumerate(leaders):
            levels[t][module] = "master" if n == 0 else "lead"
    for t in range(trainers):
        for module in module_codes:
            if module not in levels[t] and rng.random() < 0.3:
                levels[t][module] = rng.choice(("co_trainer", "co_trainer", "lead", "master"))
    pool = []
    for t in range(trainers):
        unavailable: frozenset[dt.date] = frozenset()
        if rng.random() < 0.15:
            begin = first + dt.timedelta(days=rng.randrange(0, (last - first).days))
            unavailable = frozenset(begin + dt.timedelta(days=d) for d in range(14))
        committed: tuple[tuple[dt.date, str], ...] = ()
        if rng.random() < 0.15:
            begin = first + dt.timedelta(days=rng.randrange(0, (last - first).days))
            where = rng.choice(codes)
            committed = tuple((begin + dt.timedelta(days=d), where) for d in range(3))
        pool.append(
            planner.PoolTrainer(
                t + 1,
                f"Trainer {t + 1}",
                rng.choice(("LA-VT", "LA-VT", "LA-VT", "LA-LP", "LA-CH", "LA-SV")),
                INSTITUTIONS[t % len(INSTITUTIONS)],
                "female" if rng.random() < 0.4 else "male",
                levels[t],
                unavailable,
                committed,
            )
        )
    roads = {(a, b): estimated_travel_minutes(a, b) for a in codes for b in codes if a < b}
    return planner.Instance(
        tuple(workshops),
        tuple(pool),
        (first, last),
        days=2 if per <= 3 else 3,
        roads=roads,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="CP-SAT's deterministic time limit"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"{'instance':<12} {'method':<7} {'seconds':>8} {'violations':>10} {'planned':>8} "
        f"{'penalty':>8}  vs greedy"
    )
    for provinces, modules, trainers, months in SIZES:
        inst = instance(provinces, modules, trainers, months)
        name = f"{provinces}x{modules}x{trainers}"
        t0 = time.perf_counter()
        base = planner.greedy(inst)
        greedy_seconds = time.perf_counter() - t0
        greedy_penalty = planner.penalty(inst, base)
        print(
            f"{name:<12} {'greedy':<7} {greedy_seconds:>8.2f} "
            f"{len(planner.violations(inst, base)):>10} "
            f"{len(base.workshops):>4}/{len(inst.workshops):<3} {greedy_penalty:>8}"
        )
        t0 = time.perf_counter()
        found = planner.solve(inst, seconds=args.seconds, seed=args.seed)
        seconds = time.perf_counter() - t0
        if isinstance(found, planner.NoPlan):
            print(
                f"{name:<12} {'CP-SAT':<7} {seconds:>8.2f}  no plan: "
                + "; ".join(str(c.text) for c in found.conflicts)
            )
            continue
        score = planner.penalty(inst, found)
        share = f"{score / greedy_penalty:.2f} ({found.status})" if greedy_penalty else "-"
        print(
            f"{name:<12} {'CP-SAT':<7} {seconds:>8.2f} "
            f"{len(planner.violations(inst, found)):>10} "
            f"{len(found.workshops):>4}/{len(inst.workshops):<3} {score:>8}  {share}"
        )


if __name__ == "__main__":
    sys.exit(main())

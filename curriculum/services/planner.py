"""Plans a whole rollout: the dates of each workshop, its team, and who teaches each module.

The input is plain data (:class:`Instance`): the workshops to hold (a province and the
modules each teaches), the date window, the workshop shape, the trainer pool (levels per
module, base province, institution, sex, days they cannot teach, days they are committed
elsewhere and where) and the road times. :func:`solve` answers with a :class:`Plan` found
by OR-Tools' CP-SAT solver, or with the reasons no plan exists; :func:`greedy` is the
obvious one-workshop-at-a-time plan, kept beside it for comparison; :func:`violations`
and :func:`penalty` judge any plan by the same rules.

Hard rules
    every module of a workshop is taught by a trainer qualified at lead or master level,
    with at most one more trainer qualified at any level; a team of MIN_TEAM to MAX_TEAM
    trainers, each teaching at least one module and at most ``max_minutes_a_day`` a day;
    every day of a workshop is a working day (no weekend, no Lao public holiday) in the
    window; nobody teaches on a day they cannot, nor on a day committed elsewhere, and
    between two events in two provinces there is the night (16 hours) plus whatever more
    the road takes; locked workshops keep their date and teaching.
Soft rules (weights in :class:`Weights`, which a coordinator sees and changes)
    balance the load between trainers; mix institutions and sexes in each team; fewer
    hours on the road from the trainers' bases; keep one lead with a module across the
    rollout; pair a co-trainer with a master of the module so the group grows.

Days are whole: a workshop takes ``days`` consecutive calendar days, all working days.
The same instance and seed give the same plan: one search worker and a deterministic
time limit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import holidays
from ortools.sat.python import cp_model

from ..i18n import Message, _
from ..localise import DayRanges
from ..vocabulary import Level

MIN_TEAM = 2
MAX_TEAM = 4
NIGHT_MINUTES = 16 * 60  # from 16:30 one day to 08:30 the next
DAY_MINUTES = 24 * 60
MAX_CO_TEACHERS = 2  # trainers who teach one module of one workshop


@dataclass(frozen=True)
class Weights:
    """How much each soft rule counts; zero turns a rule off."""

    balance: int = 10  # per workshop the busiest trainer has above the quietest
    mix_institutions: int = 4  # per team member from an institution already on the team
    mix_sexes: int = 4  # per team of one sex
    travel: int = 1  # per hour on the road from a trainer's base province
    same_lead: int = 2  # per extra trainer leading one module in the rollout
    mentoring: int = 3  # per module taught without a co-trainer beside a master


@dataclass(frozen=True)
class PoolTrainer:
    id: int
    name: str
    base_province: str
    institution: str
    sex: str
    levels: Mapping[str, str]  # module code -> Level value
    unavailable: frozenset[dt.date] = frozenset()
    # days already taken in other rollouts, each with the province it is spent in
    committed: tuple[tuple[dt.date, str], ...] = ()


@dataclass(frozen=True)
class PlannedWorkshop:
    key: str  # unique within the instance (e.g. the province code and a number)
    province: str
    modules: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class Lock:
    """A workshop that must not move: its first day and who teaches each module."""

    start: dt.date
    teaching: Mapping[str, tuple[int, ...]]


@dataclass(frozen=True)
class Instance:
    workshops: tuple[PlannedWorkshop, ...]
    trainers: tuple[PoolTrainer, ...]
    window: tuple[dt.date, dt.date]
    days: int = 2
    module_minutes: Mapping[str, int] = field(default_factory=dict)  # default 180
    max_minutes_a_day: int = 5 * 60
    roads: Mapping[tuple[str, str], int] = field(default_factory=dict)  # minutes, either way
    locks: Mapping[str, Lock] = field(default_factory=dict)
    weights: Weights = Weights()
    # module -> its minutes on each day of a workshop, when the agenda is known: then the
    # daily limit holds day by day; otherwise over the workshop as a whole
    day_minutes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def road(self, a: str, b: str) -> int:
        if a == b:
            return 0
        return self.roads.get((a, b), self.roads.get((b, a), 0))

    def minutes(self, module: str) -> int:
        return self.module_minutes.get(module, 180)

    def limit(self) -> int:
        """The most minutes a trainer may teach on one day (or, when the agenda is not
        known, over the whole workshop)."""
        return self.max_minutes_a_day * (1 if self.day_minutes else self.days)

    def load(self, module: str) -> tuple[int, ...]:
        """Minutes of ``module`` on each day (one figure for the whole workshop when the
        agenda is not known)."""
        if not self.day_minutes:
            return (self.minutes(module),)
        known = self.day_minutes.get(module, (self.minutes(module),))
        return tuple(known[: self.days]) + (0,) * (self.days - len(known))

    def too_much(self, modules: Iterable[str]) -> bool:
        """Whether teaching ``modules`` in one workshop passes the daily limit on some day."""
        loads = [self.load(m) for m in modules]
        return any(sum(day) > self.limit() for day in zip(*loads, strict=True))

    def gap_days(self, a: str, b: str) -> int:
        """Days that must separate the last day in ``a`` from the first in ``b`` (1 = the
        next day)."""
        extra = max(0, self.road(a, b) - NIGHT_MINUTES)
        return 1 + math.ceil(extra / DAY_MINUTES)


@dataclass(frozen=True)
class PlannedTeaching:
    start: dt.date
    teaching: Mapping[str, tuple[int, ...]]  # module -> trainer ids (the first leads it)

    @property
    def team(self) -> set[int]:
        return {t for ids in self.teaching.values() for t in ids}

    def days(self, n: int) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(n)]


@dataclass(frozen=True)
class Plan:
    workshops: Mapping[str, PlannedTeaching]
    status: str = "feasible"  # or "optimal"
    seconds: float = 0.0


@dataclass(frozen=True)
class Conflict:
    """One item of a set of things that cannot all hold (each one needed for the clash), or
    a fact that explains them; its words come from ``kind`` and ``params`` in the reader's
    language (plain data, kept as JSON by a background job)."""

    kind: str  # "module", "unavailable", "committed", "window", "team"; "leaders", "time"
    params: Mapping[str, Any] = field(default_factory=dict)
    module: str = ""
    workshop: str = ""
    trainer_id: int | None = None

    @property
    def text(self) -> Message:
        p = dict(self.params)
        if "days" in p:
            p["days"] = DayRanges(dt.date.fromisoformat(d) for d in p["days"])
        if self.kind == "module":
            return _("%(module)s needs a lead or master trainer in %(workshop)s.", **p)
        if self.kind == "team":
            return _("%(workshop)s needs a team of 2 to 4 trainers.", **p)
        if self.kind == "unavailable":
            return _("%(name)s cannot teach on %(days)s.", **p)
        if self.kind == "committed":
            return _("%(name)s is committed elsewhere on %(days)s.", **p)
        if self.kind == "window":
            return _(
                "The dates hold %(count)s days on which a workshop of %(length)s working days "
                "can start.",
                **p,
            )
        if self.kind == "leaders":
            return _(
                "%(module)s is needed in %(count)s workshops; %(leaders)s trainers may lead it: "
                "%(names)s.",
                **p,
            )
        return _("No plan was found in %(seconds)s seconds of search; try a longer search.", **p)


@dataclass(frozen=True)
class NoPlan:
    conflicts: tuple[Conflict, ...]
    facts: tuple[Conflict, ...]  # what makes them conflict (who qualifies, how many days)
    seconds: float = 0.0


# -- days ------------------------------------------------------------------------------------


def working_days(first: dt.date, last: dt.date) -> set[dt.date]:
    """Days from ``first`` to ``last`` that are not a weekend or a Lao public holiday."""
    off = holidays.country_holidays("LA", years=range(first.year, last.year + 1))
    days = set()
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in off:
            days.add(day)
        day += dt.timedelta(days=1)
    return days


def start_days(instance: Instance) -> list[dt.date]:
    """First days on which a whole workshop fits in the window on working days."""
    first, last = instance.window
    open_days = working_days(first, last)
    return sorted(
        d
        for d in open_days
        if all(d + dt.timedelta(days=i) in open_days for i in range(instance.days))
    )


def _leads(level: str | None) -> bool:
    return level is not None and Level(level).leads


def _unavailable_starts(instance: Instance, trainer: PoolTrainer) -> set[dt.date]:
    """First days of a workshop that would cover a day ``trainer`` cannot teach."""
    return {day - dt.timedelta(days=i) for day in trainer.unavailable for i in range(instance.days)}


def _committed_starts(instance: Instance, trainer: PoolTrainer, province: str) -> set[dt.date]:
    """First days a workshop in ``province`` cannot have for ``trainer``'s commitments
    elsewhere, with the road between."""
    n = instance.days
    blocked: set[dt.date] = set()
    for day, where in trainer.committed:
        before = instance.gap_days(where, province)  # the commitment, then the workshop
        after = instance.gap_days(province, where)
        first = day - dt.timedelta(days=n - 1 + after - 1)
        for i in range((day + dt.timedelta(days=before - 1) - first).days + 1):
            blocked.add(first + dt.timedelta(days=i))
    return blocked


def _blocked_starts(instance: Instance, trainer: PoolTrainer, province: str) -> set[dt.date]:
    """First days a workshop in ``province`` cannot have if ``trainer`` is on its team."""
    return _unavailable_starts(instance, trainer) | _committed_starts(instance, trainer, province)


# -- judging any plan --------------------------------------------------------------------------


def violations(instance: Instance, plan: Plan) -> list[str]:
    """Every hard rule ``plan`` breaks, in words (empty for a valid plan)."""
    found: list[str] = []
    pool = {t.id: t for t in instance.trainers}
    allowed = set(start_days(instance))
    n = instance.days
    events: dict[int, list[tuple[dt.date, dt.date, str, str]]] = defaultdict(list)
    for w in instance.workshops:
        planned = plan.workshops.get(w.key)
        if planned is None:
            found.append(f"{w.key}: not planned")
            continue
        if planned.start not in allowed:
            found.append(f"{w.key}: {planned.start} does not start {n} working days in the window")
        lock = instance.locks.get(w.key)
        if lock is not None and (
            lock.start != planned.start
            or {m: tuple(v) for m, v in lock.teaching.items()}
            != {m: tuple(v) for m, v in planned.teaching.items()}
        ):
            found.append(f"{w.key}: locked, but moved")
        for module in w.modules:
            ids = planned.teaching.get(module, ())
            if not any(_leads(pool[t].levels.get(module)) for t in ids if t in pool):
                found.append(f"{w.key}: {module} has no lead or master")
            if len(ids) > MAX_CO_TEACHERS:
                found.append(f"{w.key}: {module} has {len(ids)} trainers")
            for t in ids:
                if t not in pool or module not in pool[t].levels:
                    found.append(f"{w.key}: trainer {t} not qualified for {module}")
        team = planned.team
        if not MIN_TEAM <= len(team) <= MAX_TEAM:
            found.append(f"{w.key}: a team of {len(team)}")
        for t in team:
            if instance.too_much(m for m, ids in planned.teaching.items() if t in ids):
                found.append(f"{w.key}: trainer {t} teaches too long a day")
            trainer = pool.get(t)
            if trainer is None:
                continue
            days = planned.days(n)
            if trainer.unavailable & set(days):
                found.append(f"{w.key}: trainer {t} unavailable")
            events[t].append((days[0], days[-1], w.province, w.key))
    for t, items in events.items():
        for day, where in pool[t].committed:
            items.append((day, day, where, "elsewhere"))
        items.sort()
        for (_a0, a1, pa, ka), (b0, _b1, pb, kb) in zip(items, items[1:], strict=False):
            if (b0 - a1).days < instance.gap_days(pa, pb):
                found.append(f"trainer {t}: {ka} and {kb} too close")
    return found


def penalty(instance: Instance, plan: Plan) -> int:
    """The weighted soft score of ``plan`` (lower is better), as :func:`solve` counts it."""
    w8 = instance.weights
    pool = {t.id: t for t in instance.trainers}
    load: dict[int, int] = defaultdict(int)
    total = 0
    leads: dict[str, set[int]] = defaultdict(set)
    for w in instance.workshops:
        planned = plan.workshops.get(w.key)
        if planned is None:
            continue
        team = [pool[t] for t in planned.team if t in pool]
        for t in team:
            load[t.id] += 1
            total += w8.travel * (instance.road(t.base_province, w.province) // 60)
        total += w8.mix_institutions * (len(team) - len({t.institution for t in team}))
        if len(team) >= 2 and len({t.sex for t in team}) == 1:
            total += w8.mix_sexes
        for module, ids in planned.teaching.items():
            if not ids:
                continue
            leads[module].add(ids[0])
            levels = {pool[t].levels.get(module) for t in ids if t in pool}
            if not (Level.MASTER in levels and Level.CO_TRAINER in levels):
                total += w8.mentoring
    if load:
        counts = [load.get(t.id, 0) for t in instance.trainers]
        total += w8.balance * (max(counts) - min(counts))
    total += w8.same_lead * sum(len(ids) - 1 for ids in leads.values())
    return total


# -- the CP-SAT model --------------------------------------------------------------------------


class _Model:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.model = cp_model.CpModel()
        self.days = start_days(instance)
        self.day_index = {d: i for i, d in enumerate(self.days)}
        self.assumptions: dict[int, Conflict] = {}  # literal index -> what it stands for
        self.literals: dict[int, cp_model.IntVar] = {}
        self.pool = {t.id: t for t in instance.trainers}
        self._build()

    def _assume(self, conflict: Conflict) -> cp_model.IntVar:
        literal = self.model.new_bool_var(conflict.kind)
        self.assumptions[literal.index] = conflict
        self.literals[literal.index] = literal
        return literal

    def _build(self) -> None:
        inst, m = self.instance, self.model
        n_days = len(self.days)
        window_ok = self._assume(Conflict("window", {"count": n_days, "length": inst.days}))
        self.start: dict[str, cp_model.IntVar] = {}
        self.on: dict[tuple[str, int], cp_model.IntVar] = {}
        self.teach: dict[tuple[str, str, int], cp_model.IntVar] = {}
        self.by_member: dict[tuple[str, int], list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        self.by_module: dict[tuple[str, str], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        by_key = {w.key: w for w in inst.workshops}
        for w in inst.workshops:
            self.start[w.key] = m.new_int_var(0, max(0, n_days - 1), f"start {w.key}")
            if n_days == 0:
                m.add_bool_or([]).only_enforce_if(window_ok)
        for w in inst.workshops:
            for t in inst.trainers:
                self.on[w.key, t.id] = m.new_bool_var(f"{t.id} on {w.key}")
            for module in w.modules:
                leads = []
                taught = []
                for t in inst.trainers:
                    if module not in t.levels:
                        continue
                    x = m.new_bool_var(f"{t.id} teaches {module} in {w.key}")
                    self.teach[w.key, module, t.id] = x
                    self.by_member[w.key, t.id].append((module, x))
                    self.by_module[w.key, module].append((t.id, x))
                    m.add_implication(x, self.on[w.key, t.id])
                    taught.append(x)
                    if _leads(t.levels[module]):
                        leads.append(x)
                need = self._assume(
                    Conflict(
                        "module",
                        {"module": module, "workshop": w.title or w.key},
                        module=module,
                        workshop=w.key,
                    )
                )
                m.add_bool_or(leads).only_enforce_if(need)
                m.add(sum(taught) <= MAX_CO_TEACHERS)
            team = [self.on[w.key, t.id] for t in inst.trainers]
            sized = self._assume(Conflict("team", {"workshop": w.title or w.key}, workshop=w.key))
            m.add(sum(team) >= MIN_TEAM).only_enforce_if(sized)
            m.add(sum(team) <= MAX_TEAM)
            for t in inst.trainers:
                mine = self.by_member[w.key, t.id]
                # a team member teaches something, and not more than the days allow
                if not mine:
                    m.add(self.on[w.key, t.id] == 0)
                    continue
                m.add(sum(x for _m, x in mine) >= 1).only_enforce_if(self.on[w.key, t.id])
                loads = [(inst.load(module), x) for module, x in mine]
                for day in range(len(loads[0][0])):
                    m.add(sum(load[day] * x for load, x in loads) <= inst.limit())
        # days a trainer cannot give: unavailability and commitments elsewhere
        for t in inst.trainers:
            unavailable = (
                self._assume(
                    Conflict(
                        "unavailable",
                        {"name": t.name, "days": _iso(t.unavailable)},
                        trainer_id=t.id,
                    )
                )
                if t.unavailable
                else None
            )
            committed = (
                self._assume(
                    Conflict(
                        "committed",
                        {"name": t.name, "days": _iso(d for d, _p in t.committed)},
                        trainer_id=t.id,
                    )
                )
                if t.committed
                else None
            )
            away = _unavailable_starts(inst, t)
            for w in inst.workshops:
                for literal, blocked in (
                    (unavailable, away),
                    (committed, _committed_starts(inst, t, w.province)),
                ):
                    if literal is None:
                        continue
                    bad = [self.day_index[d] for d in self.days if d in blocked]
                    if bad:
                        m.add_linear_expression_in_domain(
                            self.start[w.key],
                            cp_model.Domain.from_values(bad).complement(),
                        ).only_enforce_if([self.on[w.key, t.id], literal])
        # two workshops of one trainer: one after the other, with the road between
        keys = [w.key for w in inst.workshops]
        ordinal = [d.toordinal() for d in self.days]
        self.day_number = {}
        for key in keys:
            number = m.new_int_var(min(ordinal, default=0), max(ordinal, default=0), f"day {key}")
            if ordinal:
                m.add_element(self.start[key], ordinal, number)
            self.day_number[key] = number
        # (a whole day apart: no overlap of their days; a road longer than the night: the
        # extra days, for the few pairs of provinces that far apart)
        for t in inst.trainers:
            possible = [key for key in keys if self.by_member[key, t.id]]
            m.add_no_overlap(
                [
                    m.new_optional_fixed_size_interval_var(
                        self.day_number[key], inst.days, self.on[key, t.id], f"{t.id} at {key}"
                    )
                    for key in possible
                ]
            )
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pa, pb = by_key[a].province, by_key[b].province
                if inst.gap_days(pa, pb) == 1 and inst.gap_days(pb, pa) == 1:
                    continue
                first = m.new_bool_var(f"{a} before {b}")
                for t in inst.trainers:
                    if not (self.by_member[a, t.id] and self.by_member[b, t.id]):
                        continue
                    both = [self.on[a, t.id], self.on[b, t.id]]
                    m.add(
                        self.day_number[b]
                        >= self.day_number[a] + inst.days - 1 + inst.gap_days(pa, pb)
                    ).only_enforce_if([*both, first])
                    m.add(
                        self.day_number[a]
                        >= self.day_number[b] + inst.days - 1 + inst.gap_days(pb, pa)
                    ).only_enforce_if([*both, first.Not()])
        for key, lock in inst.locks.items():
            if lock.start in self.day_index:
                m.add(self.start[key] == self.day_index[lock.start])
            else:
                m.add_bool_or([]).only_enforce_if(window_ok)
            for module in by_key[key].modules:
                for tid, x in self.by_module[key, module]:
                    m.add(x == int(tid in lock.teaching.get(module, ())))
        self._objective()

    def _objective(self) -> None:
        inst, m, w8 = self.instance, self.model, self.instance.weights
        terms: list = []
        loads: list = []
        for t in inst.trainers:
            load = sum(self.on[w.key, t.id] for w in inst.workshops)
            loads.append(load)
            for w in inst.workshops:
                hours = inst.road(t.base_province, w.province) // 60
                if hours and w8.travel:
                    terms.append(w8.travel * hours * self.on[w.key, t.id])
        if loads and w8.balance:
            most = m.new_int_var(0, len(inst.workshops), "most")
            least = m.new_int_var(0, len(inst.workshops), "least")
            m.add_max_equality(most, loads)
            m.add_min_equality(least, loads)
            terms.append(w8.balance * (most - least))
        for w in inst.workshops:
            team = [self.on[w.key, t.id] for t in inst.trainers]
            by_institution: dict[str, list] = defaultdict(list)
            by_sex: dict[str, list] = defaultdict(list)
            for t in inst.trainers:
                by_institution[t.institution].append(self.on[w.key, t.id])
                by_sex[t.sex].append(self.on[w.key, t.id])
            if w8.mix_institutions:
                present = _present(m, by_institution.values())
                terms.append(w8.mix_institutions * (sum(team) - sum(present)))
            if w8.mix_sexes:
                present = _present(m, by_sex.values())
                single = m.new_bool_var("")
                m.add(sum(present) <= 1).only_enforce_if(single)
                m.add(sum(present) >= 2).only_enforce_if(single.Not())
                terms.append(w8.mix_sexes * single)
            for module in w.modules:
                if w8.mentoring:
                    teachers = self.by_module[w.key, module]
                    masters = [
                        x for t, x in teachers if self.pool[t].levels[module] == Level.MASTER
                    ]
                    learners = [
                        x for t, x in teachers if self.pool[t].levels[module] == Level.CO_TRAINER
                    ]
                    grows = m.new_bool_var("")
                    m.add_bool_or(masters).only_enforce_if(grows)
                    m.add_bool_or(learners).only_enforce_if(grows)
                    if not masters or not learners:
                        m.add(grows == 0)
                    terms.append(w8.mentoring * (1 - grows))
        if w8.same_lead:
            modules = sorted({mod for w in inst.workshops for mod in w.modules})
            for module in modules:
                leaders = []
                for t in inst.trainers:
                    if not _leads(t.levels.get(module)):
                        continue
                    xs = [
                        x
                        for w in inst.workshops
                        for tid, x in self.by_module[w.key, module]
                        if tid == t.id
                    ]
                    used = m.new_bool_var("")
                    m.add_max_equality(used, xs)
                    leaders.append(used)
                if leaders:
                    terms.append(w8.same_lead * (sum(leaders) - 1))
        m.minimize(sum(terms))

    def hint(self, plan: Plan) -> None:
        """Start the search from ``plan`` (the greedy one): a valid plan is known at once."""
        for w in self.instance.workshops:
            planned = plan.workshops.get(w.key)
            if planned is None or planned.start not in self.day_index:
                continue
            self.model.add_hint(self.start[w.key], self.day_index[planned.start])
            team = planned.team
            for t in self.instance.trainers:
                self.model.add_hint(self.on[w.key, t.id], t.id in team)
            for module in w.modules:
                chosen = planned.teaching.get(module, ())
                for tid, x in self.by_module[w.key, module]:
                    self.model.add_hint(x, tid in chosen)

    def plan(self, solver: cp_model.CpSolver) -> dict[str, PlannedTeaching]:
        inst = self.instance
        found = {}
        for w in inst.workshops:
            start = self.days[solver.value(self.start[w.key])]
            teaching: dict[str, tuple[int, ...]] = {}
            for module in w.modules:
                ids = [tid for tid, x in self.by_module[w.key, module] if solver.value(x)]
                # the lead first: a master, then a lead, then by id
                ids.sort(key=lambda tid: (_rank(self.pool[tid].levels[module]), tid))
                teaching[module] = tuple(ids)
            found[w.key] = PlannedTeaching(start, teaching)
        return found


def _present(model: cp_model.CpModel, groups: Iterable[list]) -> list[cp_model.IntVar]:
    """For each group of team literals, one that is true when any member is on the team."""
    found = []
    for members in groups:
        present = model.new_bool_var("")
        model.add_max_equality(present, members)
        found.append(present)
    return found


def _rank(level: str) -> int:
    return {Level.MASTER: 0, Level.LEAD: 1}.get(Level(level), 2)


def _iso(days: Iterable[dt.date]) -> list[str]:
    return [d.isoformat() for d in sorted(set(days))]


def _solver(seconds: float, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    # CP-SAT's portfolio (search strategies and neighbourhood search) taken in turns in one
    # thread, stopped by a deterministic limit: the same instance and seed give the same
    # plan on any machine, however loaded
    solver.parameters.interleave_search = True
    solver.parameters.num_workers = 8
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = seconds
    return solver


def solve(
    instance: Instance,
    *,
    seconds: float = 2.0,
    seed: int = 0,
    progress: Callable[[float, int], None] | None = None,
) -> Plan | NoPlan:
    """The best plan found within ``seconds`` of deterministic search time (CP-SAT's own
    unit: a few seconds of wall time each on a small machine), starting from the greedy
    plan when that one is valid; or the reasons none exists (a set of conflicting
    conditions, each of them needed for the conflict)."""
    built = _Model(instance)
    built.model.add_assumptions(list(built.literals.values()))
    baseline = greedy(instance)
    if not violations(instance, baseline):
        built.hint(baseline)
    solver = _solver(seconds, seed)
    if progress is not None:
        report = progress

        class _Report(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                report(self.wall_time, round(self.objective_value))

        status = solver.solve(built.model, _Report())
    else:
        status = solver.solve(built.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Plan(
            built.plan(solver),
            "optimal" if status == cp_model.OPTIMAL else "feasible",
            solver.wall_time,
        )
    if status == cp_model.INFEASIBLE:
        return _explain(instance, built, solver, seconds, seed)
    return NoPlan((), (Conflict("time", {"seconds": f"{seconds:g}"}),), solver.wall_time)


def _explain(
    instance: Instance, built: _Model, solver: cp_model.CpSolver, seconds: float, seed: int
) -> NoPlan:
    """Shrink the solver's reasons to a set in which each one is needed: drop each in turn
    and keep the drop when the rest still conflict."""
    core = list(solver.sufficient_assumptions_for_infeasibility())
    spent = solver.wall_time
    needed: list[int] = []
    for i, literal in enumerate(core):
        trial = _Model(instance)
        keep = set(needed) | set(core[i + 1 :])
        trial.model.add_assumptions([x for i, x in trial.literals.items() if i in keep])
        trial.model.clear_objective()  # any plan answers the question
        check = _solver(seconds, seed)
        status = check.solve(trial.model)
        spent += check.wall_time
        if status != cp_model.INFEASIBLE:
            needed.append(literal)
    conflicts = tuple(built.assumptions[i] for i in needed)
    return NoPlan(conflicts, _facts(instance, conflicts), spent)


def _facts(instance: Instance, conflicts: Iterable[Conflict]) -> tuple[Conflict, ...]:
    facts = []
    for module in sorted({c.module for c in conflicts if c.module}):
        leaders = [t for t in instance.trainers if _leads(t.levels.get(module))]
        workshops = sum(1 for c in conflicts if c.module == module)
        facts.append(
            Conflict(
                "leaders",
                {
                    "module": module,
                    "count": workshops,
                    "leaders": len(leaders),
                    "names": ", ".join(t.name for t in leaders) or "—",
                    # who they are, for a reader who knows them by another name
                    "trainer_ids": [t.id for t in leaders],
                },
                module=module,
            )
        )
    return tuple(facts)


# -- the greedy baseline -----------------------------------------------------------------------


def greedy(instance: Instance) -> Plan:
    """One workshop at a time, in the order given: the earliest first day on which every
    module finds a free lead (the least loaded first), then co-trainers up to MIN_TEAM.
    A workshop that cannot be staffed is left out of the plan."""
    pool = list(instance.trainers)
    days = start_days(instance)
    n = instance.days
    booked: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    planned: dict[str, PlannedTeaching] = {}

    blocked: dict[tuple[int, str], set[dt.date]] = {}

    def free(t: PoolTrainer, w: PlannedWorkshop, start: dt.date) -> bool:
        if (t.id, w.province) not in blocked:
            blocked[t.id, w.province] = _blocked_starts(instance, t, w.province)
        if start in blocked[t.id, w.province]:
            return False
        last = start + dt.timedelta(days=n - 1)
        for a, b, where in booked[t.id]:
            if not (
                (start - b).days >= instance.gap_days(where, w.province)
                or (a - last).days >= instance.gap_days(w.province, where)
            ):
                return False
        return True

    for w in instance.workshops:
        lock = instance.locks.get(w.key)
        choices = [lock.start] if lock else days
        for start in choices:
            if lock:
                teaching = {m: tuple(ids) for m, ids in lock.teaching.items()}
            else:
                teaching = {}
                taught: dict[int, list[str]] = defaultdict(list)
                for module in w.modules:
                    leaders = sorted(
                        (t for t in pool if _leads(t.levels.get(module)) and free(t, w, start)
                         and not instance.too_much([*taught[t.id], module])),
                        key=lambda t: (load[t.id], t.id),
                    )  # fmt: skip
                    if not leaders:
                        break
                    teaching[module] = (leaders[0].id,)
                    taught[leaders[0].id].append(module)
                if len(teaching) < len(w.modules):
                    continue
                team = {ids[0] for ids in teaching.values()}
                for module in w.modules:
                    if len(team) >= MIN_TEAM:
                        break
                    helpers = sorted(
                        (t for t in pool if module in t.levels and t.id not in team
                         and free(t, w, start)
                         and not instance.too_much([*taught[t.id], module])),
                        key=lambda t: (load[t.id], t.id),
                    )  # fmt: skip
                    if helpers:
                        teaching[module] = (*teaching[module], helpers[0].id)
                        team.add(helpers[0].id)
                        taught[helpers[0].id].append(module)
                if len(team) < MIN_TEAM:
                    continue
            result = PlannedTeaching(start, teaching)
            for t in result.team:
                booked[t].append((start, start + dt.timedelta(days=n - 1), w.province))
                load[t] += 1
            planned[w.key] = result
            break
    return Plan(planned, "greedy")

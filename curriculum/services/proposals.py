"""A rollout's proposed plan: the planner's input read from the database, the proposal kept
as a file while a background job searches, and the accepted part written as workshops.

The planner (:mod:`curriculum.services.planner`) works on plain data; this module builds
that data for one rollout:

- the workshops to plan: one per province of the rollout that has none yet (or several when
  a workshop teaches fewer modules than the rollout has), each with its modules;
- what each module takes: the rollout's approved lesson plan of the module (Lao first, the
  newest version), laid out over the workshop's days as the workshop page lays an agenda
  out, so the daily teaching limit is counted day by day;
- the pool: active trainers with a qualification, their levels, base province, institution
  and sex, the days they cannot teach and the days they are committed elsewhere (sessions
  they teach and teams they are on, in any other workshop), with where;
- the road times, the window (the rollout's dates), the weights and the locked workshops.

A proposal is named by a digest of that input: the same input, search time and seed give
the same plan, so a stored proposal is reused, and an accept is refused when the input has
changed since (someone edited a trainer, a workshop, or the settings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..i18n import Message, Named, _
from ..models import (
    Assignment,
    LessonPlan,
    Module,
    Province,
    Qualification,
    Rollout,
    Trainer,
    Unavailability,
    Workshop,
    WorkshopSession,
)
from ..models.workshops import session_trainers
from ..permissions import Actor, require
from ..vocabulary import PlanKind, PlanStatus, Response, SessionKind, TeamRole, WorkshopStatus
from . import audit, planner, scheduling
from . import workshops as workshop_service
from .agenda import lay_out
from .travel import travel_table
from .validation import Checker, ValidationError, flush, get_or_404

# Bumped when the planner's rules change, so older stored proposals are not reused.
PLANNER_VERSION = 1
# Days around the window whose commitments still matter (the road to and from them).
MARGIN_DAYS = 3
MAX_DAYS = 5
MAX_SECONDS = 120


@dataclass(frozen=True)
class Settings:
    """How a rollout is planned; stored on the rollout, defaults from the app's settings."""

    days: int = 2  # days per workshop
    modules_per_workshop: int = 0  # 0: every module of the rollout in each workshop
    hours_a_day: int = 5  # the most a trainer teaches in a day
    seconds: float = 5.0  # search time (CP-SAT's deterministic seconds)
    seed: int = 0
    weights: planner.Weights = planner.Weights()
    # key -> {"start": ISO day, "teaching": {module code: [trainer ids]}}
    locks: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["locks"] = dict(self.locks)
        return data


WEIGHT_NAMES = tuple(f.name for f in dataclasses.fields(planner.Weights))


def settings_of(rollout: Rollout, defaults: Settings) -> Settings:
    """The rollout's own settings, each missing one from ``defaults``."""
    stored = rollout.plan_settings or {}
    weights = {**dataclasses.asdict(defaults.weights), **(stored.get("weights") or {})}
    values = {k: stored[k] for k in ("days", "modules_per_workshop", "hours_a_day", "seconds")
              if k in stored}  # fmt: skip
    return dataclasses.replace(
        defaults,
        **values,
        weights=planner.Weights(**{k: int(weights[k]) for k in WEIGHT_NAMES}),
        locks=dict(stored.get("locks") or {}),
    )


def _whole(c: Checker, name: str, value, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
        if not low <= number <= high:
            raise ValueError
    except (TypeError, ValueError):
        c.add(name, _("Give a whole number from %(low)s to %(high)s.", low=low, high=high))
        return low
    return number


def save_settings(
    db: Session, actor: Actor, rollout_id, data: Mapping[str, Any], defaults: Settings
) -> Settings:
    """Check and keep a rollout's planner settings (the locks stay as they are)."""
    require(actor, "workshop.manage")
    rollout = get_or_404(db, Rollout, rollout_id)
    current = settings_of(rollout, defaults)
    c = Checker()
    modules = max(1, len(rollout.modules))
    chosen = Settings(
        days=_whole(c, "days", data.get("days"), 1, MAX_DAYS),
        modules_per_workshop=_whole(
            c, "modules_per_workshop", data.get("modules_per_workshop") or 0, 0, modules
        ),
        hours_a_day=_whole(c, "hours_a_day", data.get("hours_a_day"), 1, 10),
        seconds=_whole(c, "seconds", data.get("seconds"), 1, MAX_SECONDS),
        seed=current.seed,
        weights=planner.Weights(
            **{k: _whole(c, f"weight_{k}", data.get(f"weight_{k}"), 0, 100) for k in WEIGHT_NAMES}
        ),
        locks=current.locks,
    )
    c.done()
    _store(db, actor, rollout, chosen)
    return chosen


def _store(db: Session, actor: Actor, rollout: Rollout, settings: Settings) -> None:
    before = rollout.plan_settings or {}
    after = settings.to_json()
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    rollout.plan_settings = after
    flush(db)
    if changes:
        audit.record(db, actor, "plan_settings", rollout, changes, rollout.name)


# -- the planner's input -----------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A rollout's planner input and what is needed to show and accept its plans."""

    instance: planner.Instance
    digest: str
    seconds: float
    seed: int
    plans: Mapping[str, int]  # module code -> the lesson plan laid out for it
    provinces: Mapping[str, Province]  # code -> province
    titles: Mapping[str, Named]  # workshop key -> title
    planned: tuple[Workshop, ...]  # the rollout's workshops already there (not moved)


def _chosen_plans(db: Session, modules: list[Module]) -> dict[str, LessonPlan]:
    """For each module, its approved lesson plan: in Lao when there is one, the newest."""
    rows = db.scalars(
        select(LessonPlan)
        .where(
            LessonPlan.module_id.in_([m.id for m in modules]),
            LessonPlan.status == PlanStatus.APPROVED,
            LessonPlan.kind == PlanKind.PLAN,
        )
        .options(selectinload(LessonPlan.activities))
    )
    best: dict[int, LessonPlan] = {}
    for plan in rows:
        assert plan.module_id is not None
        held = best.get(plan.module_id)
        rank = (plan.language == "lo", plan.version, plan.id)
        if held is None or rank > (held.language == "lo", held.version, held.id):
            best[plan.module_id] = plan
    return {m.code: best[m.id] for m in modules if m.id in best}


def _chunks(codes: list[str], per_workshop: int) -> list[tuple[str, ...]]:
    size = per_workshop or len(codes)
    return [tuple(codes[i : i + size]) for i in range(0, len(codes), size)]


def _day_minutes(
    chunk: tuple[str, ...], plans: Mapping[str, LessonPlan], days: int
) -> tuple[dict[str, tuple[int, ...]], list[str]]:
    """Each module's minutes on each day of a workshop teaching ``chunk`` in that order, and
    what does not fit."""
    first = dt.date(2000, 1, 3)
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    items = [workshop_service.plan_item(plans[code]) for code in chunk]
    placed, problems = lay_out(dates, items)
    minutes: dict[str, list[int]] = {code: [0] * days for code in chunk}
    for p in placed:
        if p.ref is not None and p.ref.module is not None:
            minutes[p.ref.module.code][dates.index(p.day)] += p.minutes
    return {code: tuple(v) for code, v in minutes.items()}, problems


def _busy_days(
    db: Session, trainer_ids: list[int], first: dt.date, last: dt.date
) -> dict[int, set[tuple[dt.date, str]]]:
    """The days each trainer is taken from ``first`` to ``last`` (sessions they teach, and
    every day of a workshop whose team they are on and have not declined), with the
    province; cancelled workshops do not count."""
    busy: dict[int, set[tuple[dt.date, str]]] = defaultdict(set)
    open_ = (Workshop.status != WorkshopStatus.CANCELLED,)
    sessions = db.execute(
        select(WorkshopSession.day, Province.code, session_trainers.c.trainer_id)
        .join(session_trainers, session_trainers.c.session_id == WorkshopSession.id)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .join(Province, Province.id == Workshop.province_id)
        .where(WorkshopSession.day.between(first, last), *open_)
    )
    for day, code, trainer_id in sessions:
        busy[trainer_id].add((day, code))
    teams = db.execute(
        select(Assignment.trainer_id, Workshop.start_date, Workshop.end_date, Province.code)
        .join(Workshop, Workshop.id == Assignment.workshop_id)
        .join(Province, Province.id == Workshop.province_id)
        .where(
            Assignment.response != Response.DECLINED,
            Workshop.start_date <= last,
            Workshop.end_date >= first,
            *open_,
        )
    )
    for trainer_id, start, end, code in teams:
        day = start
        while day <= end:
            busy[trainer_id].add((day, code))
            day += dt.timedelta(days=1)
    wanted = set(trainer_ids)
    return {t: days for t, days in busy.items() if t in wanted}


def _pool(db: Session, first: dt.date, last: dt.date) -> tuple[planner.PoolTrainer, ...]:
    trainers = list(
        db.scalars(
            select(Trainer)
            .where(Trainer.status == "active", Trainer.qualifications.any())
            .options(
                selectinload(Trainer.qualifications).selectinload(Qualification.module),
                selectinload(Trainer.base_province),
                selectinload(Trainer.institution),
            )
            .order_by(Trainer.id)
        )
    )
    ids = [t.id for t in trainers]
    away: dict[int, set[dt.date]] = defaultdict(set)
    for u in db.scalars(
        select(Unavailability).where(
            Unavailability.trainer_id.in_(ids),
            Unavailability.start_date <= last,
            Unavailability.end_date >= first,
        )
    ):
        day = max(u.start_date, first)
        while day <= min(u.end_date, last):
            away[u.trainer_id].add(day)
            day += dt.timedelta(days=1)
    busy = _busy_days(db, ids, first, last)
    return tuple(
        planner.PoolTrainer(
            id=t.id,
            name=t.name_latin,
            base_province=t.base_province.code,
            institution=t.institution.short_name,
            sex=t.sex,
            levels={q.module.code: q.level for q in t.qualifications},
            unavailable=frozenset(away.get(t.id, ())),
            committed=tuple(sorted(busy.get(t.id, ()))),
        )
        for t in trainers
    )


def prepare(db: Session, rollout: Rollout, settings: Settings) -> Prepared:
    """The planner's input for ``rollout`` (ValidationError when it cannot be planned:
    no provinces or modules, a module without an approved plan, plans that do not fit)."""
    problems: list[Message] = []
    modules = sorted(rollout.modules, key=lambda m: m.code)
    if not rollout.provinces or not modules:
        raise ValidationError(
            {None: [_("Choose the rollout's provinces and modules first (Edit the rollout).")]}
        )
    plans = _chosen_plans(db, modules)
    missing = [m.code for m in modules if m.code not in plans]
    if missing:
        problems.append(
            _(
                "These modules have no approved lesson plan to lay an agenda out from: "
                "%(modules)s.",
                modules=", ".join(missing),
            )
        )
    planned = tuple(w for w in rollout.workshops if w.status != WorkshopStatus.CANCELLED)
    has_workshop = {w.province_id for w in planned}
    provinces = [p for p in rollout.provinces if p.id not in has_workshop]
    if not provinces:
        problems.append(
            _("Every province of the rollout has a workshop: there is nothing to plan.")
        )
    if problems:
        raise ValidationError({None: problems})
    chunks = _chunks([m.code for m in modules], settings.modules_per_workshop)
    day_minutes: dict[str, tuple[int, ...]] = {}
    for chunk in chunks:
        minutes, unplaced = _day_minutes(chunk, plans, settings.days)
        day_minutes.update(minutes)
        if unplaced:
            problems.append(
                _(
                    "The approved plans of %(modules)s do not fit in %(days)s days: %(problems)s",
                    modules=", ".join(chunk),
                    days=settings.days,
                    problems=" ".join(unplaced),
                )
            )
    if problems:
        raise ValidationError({None: problems})
    workshops = []
    titles: dict[str, Named] = {}
    for province in sorted(provinces, key=lambda p: p.code):
        for number, chunk in enumerate(chunks, start=1):
            key = province.code if len(chunks) == 1 else f"{province.code}-{number}"
            suffix = "" if len(chunks) == 1 else f" ({number})"
            titles[key] = Named(
                f"{rollout.name}: {province.name_en}{suffix}"[:300],
                f"{rollout.name_lo or rollout.name}: {province.name_lo}{suffix}"[:300],
            )
            # the English title: the planner's input (and so its digest) must not depend on
            # the reader's language; reasons() names the workshop in the reader's language
            english = str.__str__(titles[key])
            workshops.append(planner.PlannedWorkshop(key, province.code, chunk, english))
    first = rollout.start_date - dt.timedelta(days=MARGIN_DAYS)
    last = rollout.end_date + dt.timedelta(days=MARGIN_DAYS)
    table = travel_table(db)
    by_id = {p.id: p.code for p in db.scalars(select(Province))}
    roads = {(by_id[a], by_id[b]): minutes for (a, b), minutes in table.between.items()}
    keys = {w.key for w in workshops}
    locks = {
        key: planner.Lock(
            dt.date.fromisoformat(lock["start"]),
            {m: tuple(ids) for m, ids in lock["teaching"].items()},
        )
        for key, lock in sorted(settings.locks.items())
        if key in keys
    }
    instance = planner.Instance(
        workshops=tuple(workshops),
        trainers=_pool(db, first, last),
        window=(rollout.start_date, rollout.end_date),
        days=settings.days,
        module_minutes={code: plans[code].duration_minutes for code in plans},
        max_minutes_a_day=settings.hours_a_day * 60,
        roads=roads,
        locks=locks,
        weights=settings.weights,
        day_minutes=day_minutes,
    )
    return Prepared(
        instance,
        digest(instance, settings.seconds, settings.seed),
        settings.seconds,
        settings.seed,
        {code: plan.id for code, plan in plans.items()},
        {p.code: p for p in provinces},
        titles,
        planned,
    )


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data in one canonical order (for the digest)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return sorted(([_plain(k), _plain(v)] for k, v in value.items()), key=json.dumps)
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def digest(instance: planner.Instance, seconds: float, seed: int) -> str:
    text = json.dumps([PLANNER_VERSION, _plain(instance), seconds, seed], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# -- running a proposal and keeping it ---------------------------------------------------------


class Store:
    """Proposals as files under ``root`` (beside the document cache, so every web host of
    an installation reads what a job wrote): ``<digest>.json`` when done, ``.progress``
    while the search runs, ``.error`` when it failed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str, suffix: str) -> Path:
        if not name.isalnum():
            raise ValueError(name)
        return self.root / f"{name}{suffix}"

    def result(self, name: str) -> dict[str, Any] | None:
        try:
            return json.loads(self._path(name, ".json").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def progress(self, name: str) -> dict[str, Any] | None:
        try:
            return json.loads(self._path(name, ".progress").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def error(self, name: str) -> str | None:
        try:
            return self._path(name, ".error").read_text()
        except (FileNotFoundError, ValueError):
            return None

    def _write(self, path: Path, data: Any) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(data))
        os.replace(partial, path)  # readers see the old file or the new one, never half

    def start(self, name: str, seconds: float) -> None:
        self._path(name, ".error").unlink(missing_ok=True)
        self._write(
            self._path(name, ".progress"),
            {"started": time.time(), "limit": seconds, "plans": 0, "score": None, "at": 0.0},
        )

    def report(self, name: str, at: float, score: int) -> None:
        state = self.progress(name) or {"started": time.time(), "limit": 0, "plans": 0}
        state.update(plans=state.get("plans", 0) + 1, score=score, at=round(at, 1))
        self._write(self._path(name, ".progress"), state)

    def finish(self, name: str, data: dict[str, Any]) -> None:
        self._write(self._path(name, ".json"), data)
        self._path(name, ".progress").unlink(missing_ok=True)

    def prune(self, max_age_days: int, now: float | None = None) -> int:
        """Delete proposals nobody has written for ``max_age_days``; how many files went."""
        now = time.time() if now is None else now
        deleted = 0
        for path in self.root.glob("*") if self.root.exists() else ():
            try:
                if now - path.stat().st_mtime > max_age_days * 86400:
                    path.unlink()
                    deleted += 1
            except FileNotFoundError:  # another process pruned it
                continue
        return deleted

    def fail(self, name: str, text: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._path(name, ".error").write_text(text)
        self._path(name, ".progress").unlink(missing_ok=True)


def _conflict_json(c: planner.Conflict) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "params": dict(c.params),
        "module": c.module,
        "workshop": c.workshop,
        "trainer_id": c.trainer_id,
    }


def run(instance: planner.Instance, seconds: float, seed: int, store: Store, name: str) -> dict:
    """Search for a plan, reporting progress into ``store``; the answer as JSON-ready data,
    with the greedy baseline's figures beside it."""
    store.start(name, seconds)
    try:
        answer = planner.solve(
            instance,
            seconds=seconds,
            seed=seed,
            progress=lambda at, score: store.report(name, at, score),
        )
        baseline = planner.greedy(instance)
        data: dict[str, Any] = {
            "greedy": {
                "planned": len(baseline.workshops),
                "violations": len(planner.violations(instance, baseline)),
                "penalty": planner.penalty(instance, baseline),
            },
            "seconds": round(answer.seconds, 1),
        }
        if isinstance(answer, planner.Plan):
            data.update(
                found=True,
                status=answer.status,
                penalty=planner.penalty(instance, answer),
                workshops={
                    key: {
                        "start": p.start.isoformat(),
                        "teaching": {m: list(ids) for m, ids in p.teaching.items()},
                    }
                    for key, p in answer.workshops.items()
                },
            )
        else:
            data.update(
                found=False,
                conflicts=[_conflict_json(c) for c in answer.conflicts],
                facts=[_conflict_json(c) for c in answer.facts],
            )
    except Exception as exc:
        store.fail(name, f"{type(exc).__name__}: {exc}")
        raise
    store.finish(name, data)
    return data


# -- showing a proposal --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One proposed workshop, as the proposal page shows it."""

    key: str
    title: str  # in the reader's language
    province: Province
    start: dt.date
    end: dt.date
    teaching: list[tuple[Module, list[tuple[Trainer, bool]]]]  # (trainer, leads it)
    team: list[Trainer]
    locked: bool


def rows(db: Session, prepared: Prepared, result: Mapping[str, Any]) -> list[Row]:
    """The proposal's workshops in date order, with modules and trainers loaded."""
    planned = result.get("workshops") or {}
    ids = {t for w in planned.values() for v in w["teaching"].values() for t in v}
    trainers = {t.id: t for t in db.scalars(select(Trainer).where(Trainer.id.in_(ids)))}
    modules = {m.code: m for m in db.scalars(select(Module))}
    found = []
    for w in prepared.instance.workshops:
        item = planned.get(w.key)
        if item is None:
            continue
        start = dt.date.fromisoformat(item["start"])
        teaching = [
            (modules[code], [(trainers[t], i == 0) for i, t in enumerate(item["teaching"][code])])
            for code in w.modules
        ]
        team = list({t.id: t for _m, ts in teaching for t, _lead in ts}.values())
        found.append(
            Row(
                w.key,
                str(prepared.titles[w.key]),
                prepared.provinces[w.province],
                start,
                start + dt.timedelta(days=prepared.instance.days - 1),
                teaching,
                team,
                w.key in prepared.instance.locks,
            )
        )
    return sorted(found, key=lambda r: (r.start, r.key))


def reasons(db: Session, prepared: Prepared, result: Mapping[str, Any]) -> list[Message]:
    """Why no plan exists, in the reader's language: each conflicting item, then the facts
    behind them (trainers and workshops named as the reader knows them)."""
    trainers = {t.id: t for t in db.scalars(select(Trainer))}
    texts: list[Message] = []
    for item in [*result.get("conflicts", ()), *result.get("facts", ())]:
        params = dict(item["params"])
        trainer = trainers.get(item.get("trainer_id") or 0)
        if trainer is not None and "name" in params:
            params["name"] = Named(trainer.name_latin, trainer.name_lao)
        if "trainer_ids" in params:
            named = [trainers[i] for i in params.pop("trainer_ids") if i in trainers]
            params["names"] = ", ".join(str(Named(t.name_latin, t.name_lao)) for t in named) or "—"
        if item.get("workshop") in prepared.titles and "workshop" in params:
            params["workshop"] = prepared.titles[item["workshop"]]
        texts.append(
            planner.Conflict(
                item["kind"], params, item.get("module", ""), item.get("workshop", "")
            ).text
        )
    return texts


# -- accepting -------------------------------------------------------------------------------


def accept(
    db: Session,
    actor: Actor,
    rollout_id,
    name: str,
    keys: Iterable[str],
    locks: Iterable[str],
    store: Store,
    defaults: Settings,
) -> list[Workshop]:
    """Make the workshops ``keys`` of proposal ``name`` real: dates, the agenda laid out
    from the approved plans, the team, and the trainers of each plan's sessions; lock the
    workshops ``locks`` for the next proposal (and unlock the proposal's other rows). Refused as a whole when the input has changed
    since the proposal, or when a new workshop would not pass the check without errors."""
    require(actor, "workshop.manage")
    # one accept at a time per rollout (PostgreSQL holds the row until the commit): a
    # second one, a double click or another coordinator, then finds the workshops the first
    # made, so the input's digest no longer matches and it is refused
    db.execute(select(Rollout.id).where(Rollout.id == rollout_id).with_for_update())
    rollout = get_or_404(db, Rollout, rollout_id)
    settings = settings_of(rollout, defaults)
    changed = ValidationError(
        {
            None: [
                _(
                    "Trainers, workshops or the settings changed since this proposal was "
                    "made; propose a plan again."
                )
            ]
        }
    )
    try:
        prepared = prepare(db, rollout, settings)
    except ValidationError:
        raise changed from None  # e.g. its workshops were accepted a moment ago
    result = store.result(name) if name.isalnum() else None
    if prepared.digest != name or result is None or not result.get("found"):
        raise changed
    planned: Mapping[str, Any] = result["workshops"]
    keys, locks = list(dict.fromkeys(keys)), list(dict.fromkeys(locks))
    unknown = [k for k in [*keys, *locks] if k not in planned]
    if unknown:
        raise ValidationError({None: [_("Choose workshops of the proposal.")]})
    # the lock boxes of the proposal's rows are the whole say on those rows: a box left
    # unticked unlocks its row; locks of workshops not in this proposal stay
    kept = {k: v for k, v in settings.locks.items() if k not in planned}
    kept.update({k: planned[k] for k in locks if k not in keys})
    if not keys and kept == dict(settings.locks):
        raise ValidationError({None: [_("Tick the workshops to accept or to lock.")]})
    by_key = {w.key: w for w in prepared.instance.workshops}
    made = []
    for key in keys:
        made.append(_make(db, actor, rollout, prepared, by_key[key], planned[key]))
    if made:
        checked = scheduling.check_workshops(
            db, scheduling.load_for_check(db, [w.id for w in made])
        )
        problems = [p.message for w in made for p in scheduling.errors(checked[w.id])]
        if problems:
            raise ValidationError({None: problems})
    if kept != dict(settings.locks):
        _store(db, actor, rollout, dataclasses.replace(settings, locks=kept))
    return made


def _make(
    db: Session,
    actor: Actor,
    rollout: Rollout,
    prepared: Prepared,
    w: planner.PlannedWorkshop,
    item: Mapping[str, Any],
) -> Workshop:
    start = dt.date.fromisoformat(item["start"])
    title = prepared.titles[w.key]
    workshop = workshop_service.create_workshop(
        db,
        actor,
        {
            "rollout": rollout.id,
            "province": w.province,
            "title": str.__str__(title),
            "title_lo": title.lao,
            "start_date": start,
            "end_date": start + dt.timedelta(days=prepared.instance.days - 1),
            "language": "lo",
        },
    )
    plan_ids = [prepared.plans[code] for code in w.modules]
    workshop, unplaced = workshop_service.lay_out_agenda(db, actor, workshop.id, plan_ids)
    if unplaced:
        raise ValidationError({None: unplaced})
    leads = {ids[0] for ids in item["teaching"].values() if ids}
    team = dict.fromkeys(t for code in w.modules for t in item["teaching"][code])
    for trainer_id in team:
        role = TeamRole.LEAD if trainer_id in leads else TeamRole.CO_TRAINER
        workshop_service.assign_trainer(db, actor, workshop.id, trainer_id, role)
    plan_module = {prepared.plans[code]: code for code in w.modules}
    for session in workshop.sessions:
        if session.kind == SessionKind.SESSION and session.lesson_plan_id in plan_module:
            code = plan_module[session.lesson_plan_id]
            workshop_service.set_session_trainers(db, actor, session.id, item["teaching"][code])
    return workshop

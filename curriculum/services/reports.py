"""Figures by sex, as every page, export and PDF shows them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from ..errors import ValidationError
from ..i18n import Message, _
from ..models import (
    Assignment,
    Attendance,
    Institution,
    Participant,
    Province,
    Registration,
    Trainer,
    Workshop,
)
from ..permissions import require
from ..vocabulary import Language, RegistrationStatus, Response, SessionKind, Sex, WorkshopStatus
from . import workshops
from .validation import get_or_404

SEX_ROWS = tuple(Sex)
SEX_LABELS = {
    "female": _("Female"),
    "male": _("Male"),
    "other": _("Other"),
    "not_recorded": _("Not recorded"),
}
REGISTRATION_STATUS_LABELS = {
    "invited": _("Invited"),
    "registered": _("Registered"),
    "waitlisted": _("Waitlisted"),
    "cancelled": _("Cancelled"),
    "attended": _("Attended"),
}
SHARES_NOTE = _("Each share is rounded on its own, so shares may not add up to exactly 100%.")


@dataclass(frozen=True)
class Share:
    key: str
    count: int
    percent: Decimal | None  # None when the total is zero

    @property
    def label(self):
        return SEX_LABELS.get(self.key, self.key)


@dataclass(frozen=True)
class SexBreakdown:
    total: int
    rows: tuple[Share, ...]
    note: Message = field(default_factory=lambda: SHARES_NOTE)


def percent(count: int, total: int) -> Decimal | None:
    """``count`` as a share of ``total``, rounded half up to one decimal."""
    if total <= 0:
        return None
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def sex_breakdown(counts: Mapping[str | None, int]) -> SexBreakdown:
    """Female, male and other always; "not recorded" whenever it is not zero.

    ``counts`` maps a sex (``None`` or ``"not_recorded"`` for a missing one) to
    a number of people. Unknown keys are refused rather than silently dropped.
    """
    tally: dict[str, int] = dict.fromkeys(SEX_ROWS, 0)
    for key, count in counts.items():
        key = Sex.NOT_RECORDED if key in (None, "", Sex.NOT_RECORDED) else key
        if key not in tally:
            raise ValueError(f"unknown sex {key!r}")
        tally[key] += int(count)
    total = sum(tally.values())
    rows = tuple(
        Share(key, tally[key], percent(tally[key], total))
        for key in SEX_ROWS
        if key != Sex.NOT_RECORDED or tally[key]
    )
    return SexBreakdown(total, rows)


# -- workshop and programme reports ------------------------------------------------------------

COUNTED_STATUSES = ("registered", "attended")


@dataclass(frozen=True)
class RegistrationRow:
    """One registration as the reports need it (plain values, loaded by :func:`report_rows`)."""

    event_id: int
    person_id: int
    sex: str | None
    institution: str = ""
    province: str = ""
    position: str = ""
    status: str = RegistrationStatus.REGISTERED
    days_present: int = 0
    days_total: int = 0
    pre: Decimal | None = None
    post: Decimal | None = None


@dataclass(frozen=True)
class Category:
    key: str
    count: int
    percent: Decimal | None


@dataclass(frozen=True)
class Report:
    events: int
    registrations: int
    people: int
    by_sex: SexBreakdown  # registrations
    people_by_sex: SexBreakdown  # unique people
    attended: int  # registrations present at least one day
    completed: int  # registrations present every day
    attendance_rate: Decimal | None  # days present out of days possible
    completion_rate: Decimal | None
    by_institution: tuple[Category, ...]
    by_province: tuple[Category, ...]
    by_position: tuple[Category, ...]
    scored: int  # registrations with both a pre- and a post-test score
    pre_mean: Decimal | None
    post_mean: Decimal | None
    note: Message = field(default_factory=lambda: SHARES_NOTE)

    @property
    def score_change(self) -> Decimal | None:
        if self.pre_mean is None or self.post_mean is None:
            return None
        return self.post_mean - self.pre_mean


def _categories(counts: dict[str, int], total: int) -> tuple[Category, ...]:
    return tuple(
        Category(key, count, percent(count, total))
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarise(rows) -> Report:
    """The report of a set of registrations: cancelled, invited and waitlisted ones are
    left out; a person registered in several workshops counts once among people."""
    rows = [r for r in rows if r.status in COUNTED_STATUSES]
    by_sex: dict[str | None, int] = {}
    person_sex: dict[int, str | None] = {}
    institutions: dict[str, int] = {}
    provinces: dict[str, int] = {}
    positions: dict[str, int] = {}
    present = possible = attended = completed = 0
    pre, post = [], []
    for r in rows:
        sex = r.sex if r.sex not in (None, "", Sex.NOT_RECORDED) else None
        by_sex[sex] = by_sex.get(sex, 0) + 1
        person_sex[r.person_id] = sex
        for table, key in (
            (institutions, r.institution),
            (provinces, r.province),
            (positions, r.position),
        ):
            label = key or "—"
            table[label] = table.get(label, 0) + 1
        present += r.days_present
        possible += r.days_total
        if r.days_present > 0:
            attended += 1
        if r.days_total and r.days_present >= r.days_total:
            completed += 1
        if r.pre is not None and r.post is not None:
            pre.append(Decimal(r.pre))
            post.append(Decimal(r.post))
    people_counts: dict[str | None, int] = {}
    for sex in person_sex.values():
        people_counts[sex] = people_counts.get(sex, 0) + 1
    total = len(rows)
    return Report(
        events=len({r.event_id for r in rows}),
        registrations=total,
        people=len(person_sex),
        by_sex=sex_breakdown(by_sex),
        people_by_sex=sex_breakdown(people_counts),
        attended=attended,
        completed=completed,
        attendance_rate=percent(present, possible),
        completion_rate=percent(completed, total),
        by_institution=_categories(institutions, total),
        by_province=_categories(provinces, total),
        by_position=_categories(positions, total),
        scored=len(pre),
        pre_mean=_mean(pre),
        post_mean=_mean(post),
    )


def _scoped(
    query,
    *,
    workshop_id=None,
    rollout_id=None,
    start=None,
    end=None,
    province_code=None,
):
    """``query`` narrowed to a workshop, a rollout, a period or a province (or none:
    the whole programme); cancelled workshops are always left out."""
    query = query.where(Workshop.status != WorkshopStatus.CANCELLED)
    if workshop_id is not None:
        query = query.where(Workshop.id == workshop_id)
    if rollout_id is not None:
        query = query.where(Workshop.rollout_id == rollout_id)
    if start is not None:
        query = query.where(Workshop.end_date >= start)
    if end is not None:
        query = query.where(Workshop.start_date <= end)
    if province_code:
        query = query.where(
            Workshop.province_id.in_(
                select(Province.id).where(Province.code == province_code).scalar_subquery()
            )
        )
    return query


def report_rows(
    db,
    *,
    workshop_id: int | None = None,
    rollout_id: int | None = None,
    start=None,
    end=None,
    province_code: str | None = None,
    language: str = "en",
) -> list[RegistrationRow]:
    """The registrations of a workshop, a rollout, a period, a province or the whole
    programme (no filter), as rows for :func:`summarise`. Cancelled workshops are left out.
    Provinces are named in ``language`` (Lao where known, English otherwise).

    One query of plain columns (no objects), so ten years of a programme stay quick."""
    present = (
        select(Attendance.registration_id, func.count().label("days"))
        .where(Attendance.present.is_(True))
        .group_by(Attendance.registration_id)
        .subquery()
    )
    home = aliased(Province)
    venue = aliased(Province)
    query = (
        select(
            Registration.workshop_id.label("event_id"),
            Registration.participant_id.label("person_id"),
            Participant.sex,
            func.coalesce(Institution.short_name, "").label("institution"),
            func.coalesce(
                _province_name(home, language), _province_name(venue, language), ""
            ).label("province"),
            func.coalesce(Participant.position, "").label("position"),
            Registration.status,
            func.coalesce(present.c.days, 0).label("days_present"),
            Workshop.start_date,
            Workshop.end_date,
            Registration.pre_score.label("pre"),
            Registration.post_score.label("post"),
        )
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .outerjoin(Institution, Institution.id == Participant.institution_id)
        .outerjoin(home, home.id == Participant.province_id)
        .join(venue, venue.id == Workshop.province_id)
        .outerjoin(present, present.c.registration_id == Registration.id)
    )
    query = _scoped(
        query,
        workshop_id=workshop_id,
        rollout_id=rollout_id,
        start=start,
        end=end,
        province_code=province_code,
    )
    rows = []
    for row in db.execute(query).mappings():
        fields = dict(row)
        first, last = fields.pop("start_date"), fields.pop("end_date")
        rows.append(RegistrationRow(days_total=(last - first).days + 1, **fields))
    return rows


def _province_name(province, language: str):
    """A province's name in ``language``: Lao where known, English otherwise."""
    if language == Language.LO:
        return func.coalesce(func.nullif(province.name_lo, ""), province.name_en)
    return province.name_en


class days_between(FunctionElement):
    """Whole days from the first date to the second (``end - start``), in SQL."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"({end} - {start})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def report(
    db,
    *,
    workshop_id: int | None = None,
    rollout_id: int | None = None,
    start=None,
    end=None,
    province_code: str | None = None,
    language: str = "en",
) -> Report:
    """The report of a workshop, a rollout, a period, a province or the whole programme:
    what ``summarise(report_rows(...))`` gives, counted by the database (a few grouped
    queries whose answers do not grow with the number of registrations)."""
    scope = {
        "workshop_id": workshop_id,
        "rollout_id": rollout_id,
        "start": start,
        "end": end,
        "province_code": province_code,
    }

    def counted(*columns):
        return _scoped(
            select(*columns)
            .select_from(Registration)
            .join(Workshop, Workshop.id == Registration.workshop_id)
            .join(Participant, Participant.id == Registration.participant_id)
            .where(Registration.status.in_(COUNTED_STATUSES)),
            **scope,
        )

    in_scope = counted(Registration.id).scalar_subquery()
    present = (
        select(Attendance.registration_id, func.count().label("days"))
        .where(Attendance.present.is_(True), Attendance.registration_id.in_(in_scope))
        .group_by(Attendance.registration_id)
        .subquery()
    )
    days = func.coalesce(present.c.days, 0)
    possible = days_between(Workshop.start_date, Workshop.end_date) + 1
    scored = and_(Registration.pre_score.is_not(None), Registration.post_score.is_not(None))

    def tenths(score):  # a score's tenths, a whole number on every database
        return func.sum(case((scored, func.round(score * 10)), else_=0))

    by_sex: dict[str | None, int] = {}
    people: dict[str | None, int] = {}
    present_days = possible_days = attended = completed = scored_count = 0
    pre_tenths = post_tenths = 0
    for row in db.execute(
        counted(
            Participant.sex,
            func.count(),
            func.count(func.distinct(Registration.participant_id)),
            func.sum(days),
            func.sum(possible),
            func.sum(case((days > 0, 1), else_=0)),
            func.sum(case((days >= possible, 1), else_=0)),
            func.sum(case((scored, 1), else_=0)),
            tenths(Registration.pre_score),
            tenths(Registration.post_score),
        )
        .outerjoin(present, present.c.registration_id == Registration.id)
        .group_by(Participant.sex)
    ):
        sex = row[0] if row[0] not in (None, "", Sex.NOT_RECORDED) else None
        by_sex[sex] = by_sex.get(sex, 0) + row[1]
        people[sex] = people.get(sex, 0) + row[2]
        present_days += int(row[3] or 0)
        possible_days += int(row[4] or 0)
        attended += int(row[5] or 0)
        completed += int(row[6] or 0)
        scored_count += int(row[7] or 0)
        pre_tenths += int(round(row[8] or 0))
        post_tenths += int(round(row[9] or 0))
    total = sum(by_sex.values())

    def categories(label) -> tuple[Category, ...]:
        counts: dict[str, int] = {}
        for key, count in db.execute(counted(label, func.count()).group_by(label)):
            counts[key or "—"] = counts.get(key or "—", 0) + count
        return _categories(counts, total)

    home = aliased(Province)
    venue = aliased(Province)
    province = func.coalesce(_province_name(home, language), _province_name(venue, language), "")

    def mean(tenths: int) -> Decimal | None:
        if not scored_count:
            return None
        return (Decimal(tenths) / 10 / scored_count).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    return Report(
        events=db.scalar(counted(func.count(func.distinct(Registration.workshop_id)))) or 0,
        registrations=total,
        people=sum(people.values()),
        by_sex=sex_breakdown(by_sex),
        people_by_sex=sex_breakdown(people),
        attended=attended,
        completed=completed,
        attendance_rate=percent(present_days, possible_days),
        completion_rate=percent(completed, total),
        by_institution=categories(
            func.coalesce(
                select(Institution.short_name)
                .where(Institution.id == Participant.institution_id)
                .scalar_subquery(),
                "",
            )
        ),
        by_province=_province_categories(db, counted, province, home, venue, total),
        by_position=categories(func.coalesce(Participant.position, "")),
        scored=scored_count,
        pre_mean=mean(pre_tenths),
        post_mean=mean(post_tenths),
    )


def _province_categories(db, counted, label, home, venue, total) -> tuple[Category, ...]:
    counts: dict[str, int] = {}
    query = (
        counted(label, func.count())
        .outerjoin(home, home.id == Participant.province_id)
        .join(venue, venue.id == Workshop.province_id)
        .group_by(label)
    )
    for key, count in db.execute(query):
        counts[key or "—"] = counts.get(key or "—", 0) + count
    return _categories(counts, total)


# -- trainer-days ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerDays:
    by_trainer: tuple[Category, ...]
    by_institution: tuple[Category, ...]
    total: int


def trainer_days(db, **filters) -> TrainerDays:
    """Days each trainer spent teaching: every day of a workshop they were on the team of
    (a declined assignment counts none); cancelled workshops are left out. Summed by the
    database, one row per trainer."""
    query = _scoped(
        select(
            Trainer.given_name_latin,
            Trainer.family_name_latin,
            Trainer.given_name_lo,
            Trainer.family_name_lo,
            func.coalesce(Institution.short_name, "—"),
            func.sum(days_between(Workshop.start_date, Workshop.end_date) + 1),
        )
        .select_from(Assignment)
        .join(Workshop, Workshop.id == Assignment.workshop_id)
        .join(Trainer, Trainer.id == Assignment.trainer_id)
        .outerjoin(Institution, Institution.id == Trainer.institution_id)
        .where(Assignment.response != Response.DECLINED)
        .group_by(Trainer.id, Institution.short_name),
        **filters,
    )
    trainers: dict[str, int] = {}
    institutions: dict[str, int] = {}
    for given, family, given_lo, family_lo, inst, days in db.execute(query):
        name = " ".join(p for p in (given, family) if p) or " ".join(
            p for p in (given_lo, family_lo) if p
        )
        trainers[name] = trainers.get(name, 0) + int(days)
        institutions[inst] = institutions.get(inst, 0) + int(days)
    total = sum(trainers.values())
    return TrainerDays(_categories(trainers, total), _categories(institutions, total), total)


# -- the donor report of a workshop ------------------------------------------------------------


def donor_details(db, workshop) -> dict:
    """What the donor report adds to the figures: the agenda as delivered, the team, and
    the feedback forms (ratings 1-5, most useful topics, comments)."""
    sessions = [
        {
            "day": s.day,
            "time": f"{s.start_time:%H:%M}–{s.end_time:%H:%M}",
            "title": s.title
            or (s.lesson_plan.title if s.lesson_plan else (s.module.title_en if s.module else "")),
            "kind": s.kind,
            "delivery": s.delivery if s.kind == SessionKind.SESSION else "",
            "minutes": s.minutes_used if s.minutes_used is not None else "",
        }
        for s in workshop.sessions
    ]
    team = [
        {"latin": a.trainer.name_latin, "lao": a.trainer.name_lao, "role": a.role}
        for a in workshop.assignments
        if a.response != Response.DECLINED
    ]
    regs = list(
        db.scalars(
            select(Registration).where(
                Registration.workshop_id == workshop.id,
                Registration.status.in_(COUNTED_STATUSES),
            )
        )
    )
    ratings = dict.fromkeys(range(1, 6), 0)
    topics: dict[str, int] = {}
    comments = []
    for reg in regs:
        if reg.feedback_rating:
            ratings[reg.feedback_rating] += 1
        if reg.feedback_topic:
            topics[reg.feedback_topic] = topics.get(reg.feedback_topic, 0) + 1
        if reg.feedback_comment:
            comments.append(reg.feedback_comment)
    forms = sum(ratings.values())
    mean = (
        (Decimal(sum(k * v for k, v in ratings.items())) / forms).quantize(Decimal("0.1"))
        if forms
        else None
    )
    return {
        "sessions": sessions,
        "team": team,
        "ratings": ratings,
        "rating_mean": mean,
        "topics": sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
        "comments": comments,
    }


def produce_donor_report(db, actor, workshop_id):
    """Mark a delivered workshop as reported (a reported one stays so) and return it."""
    require(actor, "workshop.manage")
    workshop = get_or_404(db, Workshop, workshop_id)
    if workshop.status == WorkshopStatus.DELIVERED:
        workshops.change_status(db, actor, workshop.id, "reported")
    elif workshop.status != WorkshopStatus.REPORTED:
        raise ValidationError(
            {None: [_("The donor report is made once the workshop is marked as delivered.")]}
        )
    return workshop

"""Private iCalendar feeds of a trainer's or a rollout's sessions, and public holidays.

Sessions are written in the Asia/Vientiane zone with its VTIMEZONE, a UID that
never changes, DTSTAMP (the session's last change) and SEQUENCE (which rises with
every change of time or place), and STATUS:CANCELLED when the workshop is
cancelled or the session dropped.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

import holidays as holiday_calendars
import icalendar
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..db import utcnow
from ..errors import NotFound
from ..i18n import _
from ..models import (
    Assignment,
    CalendarFeed,
    Province,
    Rollout,
    Trainer,
    Workshop,
    WorkshopSession,
)
from ..models.workshops import session_trainers
from ..permissions import Actor, require
from ..vocabulary import Delivery, FeedKind, Response, SessionKind, WorkshopStatus
from . import audit
from .validation import flush, get_or_404

ZONE = zoneinfo.ZoneInfo("Asia/Vientiane")
PRODID = "-//CTG Curriculum//Workshops//EN"


def holidays_between(start: dt.date, end: dt.date, language: str = "en") -> dict[dt.date, str]:
    """Lao public holidays from ``start`` to ``end`` (the holidays package, country LA),
    named in ``language``."""
    years = range(start.year, end.year + 1)
    calendar = holiday_calendars.country_holidays(
        "LA", years=years, language="lo" if language == "lo" else "en_US"
    )
    return {day: name for day, name in sorted(calendar.items()) if start <= day <= end}


def non_working_days(start: dt.date, end: dt.date, language: str = "en") -> dict[dt.date, str]:
    """Weekends and public holidays between two dates, each with what it is (a holiday's
    name in ``language``)."""
    days = {}
    holidays = holidays_between(start, end, language)
    day = start
    while day <= end:
        if day in holidays:
            days[day] = holidays[day]
        elif day.weekday() >= 5:
            days[day] = str(_("Saturday")) if day.weekday() == 5 else str(_("Sunday"))
        day += dt.timedelta(days=1)
    return days


def _subject(db: Session, actor, kind: str, object_id):
    """The trainer or rollout whose feed the actor may make or revoke."""
    if kind == FeedKind.TRAINER:
        subject = get_or_404(db, Trainer, object_id)
        require(actor, "calendar.feed", subject)
    elif kind == FeedKind.ROLLOUT:
        subject = get_or_404(db, Rollout, object_id)
        require(actor, "workshop.manage")
    else:
        raise NotFound(_("There is no such calendar."))
    return subject


def issue_feed(db: Session, actor: Actor, kind: str, object_id) -> CalendarFeed:
    """A new private address for a trainer's or a rollout's calendar; the old one stops working."""
    subject = _subject(db, actor, kind, object_id)
    for old in active_feeds(db, kind, subject.id):
        old.revoked_at = utcnow()
    feed = CalendarFeed(token=secrets.token_urlsafe(32), kind=kind)
    if kind == FeedKind.TRAINER:
        feed.trainer = subject
    else:
        feed.rollout = subject
    db.add(feed)
    flush(db)
    audit.record(db, actor, "calendar_feed", subject, {"feed": [None, feed.id]}, kind)
    return feed


def revoke_feed(db: Session, actor: Actor, kind: str, object_id) -> int:
    subject = _subject(db, actor, kind, object_id)
    feeds = active_feeds(db, kind, subject.id)
    for feed in feeds:
        feed.revoked_at = utcnow()
    flush(db)
    if feeds:
        audit.record(db, actor, "calendar_revoke", subject, {"feeds": [len(feeds), 0]}, kind)
    return len(feeds)


def active_feeds(db: Session, kind: str, object_id: int) -> list[CalendarFeed]:
    column = CalendarFeed.trainer_id if kind == FeedKind.TRAINER else CalendarFeed.rollout_id
    return list(
        db.scalars(
            select(CalendarFeed).where(
                CalendarFeed.kind == kind, column == object_id, CalendarFeed.revoked_at.is_(None)
            )
        )
    )


def feed_by_token(db: Session, token: str) -> CalendarFeed:
    feed = db.scalar(select(CalendarFeed).where(CalendarFeed.token == (token or "")[:64]))
    if feed is None or feed.revoked_at is not None:
        raise NotFound(_("There is no calendar at this address."))
    return feed


def feed_sessions(db: Session, feed: CalendarFeed) -> list[WorkshopSession]:
    query = (
        select(WorkshopSession)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(WorkshopSession.kind == SessionKind.SESSION)
        .options(
            selectinload(WorkshopSession.trainers),
            selectinload(WorkshopSession.workshop).selectinload(Workshop.province),
        )
        .order_by(WorkshopSession.day, WorkshopSession.start_time)
    )
    if feed.kind == FeedKind.TRAINER:
        query = query.join(
            session_trainers, session_trainers.c.session_id == WorkshopSession.id
        ).where(session_trainers.c.trainer_id == feed.trainer_id)
    else:
        query = query.where(Workshop.rollout_id == feed.rollout_id)
    return list(db.scalars(query).unique())


def calendar_ics(db: Session, feed: CalendarFeed) -> bytes:
    """The feed as an iCalendar file."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if feed.kind == FeedKind.TRAINER:
        assert feed.trainer is not None  # a trainer's feed names its trainer (issue_feed)
        name = feed.trainer.name_latin
    else:
        assert feed.rollout is not None  # a rollout's feed names its rollout (issue_feed)
        name = feed.rollout.name
    cal.add("x-wr-calname", f"CTG: {name}")
    cal.add("x-wr-timezone", "Asia/Vientiane")
    for s in feed_sessions(db, feed):
        workshop = s.workshop
        event = icalendar.Event()
        event.add("uid", f"session-{s.id}@ctg-curriculum")
        event.add("dtstamp", (s.updated_at or utcnow()).astimezone(dt.UTC))
        event.add("sequence", s.sequence)
        event.add("dtstart", dt.datetime.combine(s.day, s.start_time, tzinfo=ZONE))
        event.add("dtend", dt.datetime.combine(s.day, s.end_time, tzinfo=ZONE))
        event.add("summary", s.title)
        where = ", ".join(
            x for x in (workshop.venue, workshop.district, workshop.province.name_en) if x
        )
        event.add("location", where)
        trainers = ", ".join(t.name_latin for t in s.trainers)
        event.add("description", f"{workshop.title}\n{trainers}".strip())
        cancelled = workshop.status == WorkshopStatus.CANCELLED or s.delivery == Delivery.DROPPED
        event.add(
            "status",
            "CANCELLED"
            if cancelled
            else ("CONFIRMED" if workshop.status != WorkshopStatus.PLANNED else "TENTATIVE"),
        )
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _filtered(query, *, rollout_id=None, province_code=None, trainer_id=None):
    if rollout_id:
        query = query.where(Workshop.rollout_id == rollout_id)
    if province_code:
        query = query.join(Province, Province.id == Workshop.province_id).where(
            Province.code == province_code
        )
    if trainer_id:
        query = query.where(
            Workshop.id.in_(
                select(Assignment.workshop_id).where(
                    Assignment.trainer_id == trainer_id, Assignment.response != Response.DECLINED
                )
            )
        )
    return query


def workshops_between(db: Session, start: dt.date, end: dt.date, **filters) -> list[Workshop]:
    """Workshops with at least one day from ``start`` to ``end`` (the month view)."""
    query = (
        select(Workshop)
        .where(Workshop.start_date <= end, Workshop.end_date >= start)
        .options(selectinload(Workshop.province))
    )
    return list(
        db.scalars(_filtered(query, **filters).order_by(Workshop.start_date, Workshop.title))
    )


def first_event(db: Session, *, sessions: bool = False, **filters) -> dt.date | None:
    """The first day a filter shows: its first workshop (the month view) or its first
    teaching session (the week view); None when nothing matches or nothing is filtered."""
    if not any(filters.values()):
        return None
    if not sessions:
        query = select(func.min(Workshop.start_date)).select_from(Workshop)
        return db.scalar(_filtered(query, **filters))
    query = select(func.min(WorkshopSession.day)).select_from(WorkshopSession)
    return db.scalar(_teaching(query, **filters))


def _teaching(query, *, trainer_id=None, **filters):
    """``query`` over teaching sessions, of the workshops ``filters`` keep; with
    ``trainer_id``, only the sessions that trainer teaches."""
    query = query.join(Workshop, Workshop.id == WorkshopSession.workshop_id).where(
        WorkshopSession.kind == SessionKind.SESSION
    )
    query = _filtered(query, **filters)
    if trainer_id:
        query = query.join(
            session_trainers, session_trainers.c.session_id == WorkshopSession.id
        ).where(session_trainers.c.trainer_id == trainer_id)
    return query


def sessions_between(db: Session, start: dt.date, end: dt.date, **filters) -> list[WorkshopSession]:
    """Teaching sessions from ``start`` to ``end`` (the week view); with ``trainer_id``, only
    the sessions that trainer teaches."""
    query = _teaching(
        select(WorkshopSession)
        .where(WorkshopSession.day >= start, WorkshopSession.day <= end)
        .options(selectinload(WorkshopSession.trainers), selectinload(WorkshopSession.workshop)),
        **filters,
    )
    return list(
        db.scalars(query.order_by(WorkshopSession.day, WorkshopSession.start_time)).unique()
    )

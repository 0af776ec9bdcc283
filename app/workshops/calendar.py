"""The calendars of workshops and sessions (month and week, with filters) and the private
calendar addresses (iCalendar feeds) of trainers and rollouts."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from curriculum.models import Trainer
from curriculum.permissions import can, require
from curriculum.services import calendar
from curriculum.services import trainers as trainer_service
from curriculum.services import workshops as service

from ..choices import province_choices
from ..extensions import get_db
from ..language import page_language
from ..views import record_id, run_action
from .routes import bp


@bp.route("/rollouts/<int:rollout_id>/feed", methods=["POST"])
@login_required
def rollout_feed(rollout_id: int):
    require(current_user, "workshop.manage")
    revoke = request.form.get("revoke") == "1"
    run_action(
        (lambda db: calendar.revoke_feed(db, current_user, "rollout", rollout_id))
        if revoke
        else (lambda db: calendar.issue_feed(db, current_user, "rollout", rollout_id)),
        _("The calendar address was revoked.") if revoke else _("A new calendar address was made."),
    )
    return redirect(url_for(".rollout", rollout_id=rollout_id) + "#calendar")


@bp.route("/calendar/<token>.ics")
def feed(token: str):
    """A private calendar: whoever has the address reads it, until it is revoked."""
    db = get_db()
    item = calendar.feed_by_token(db, token)
    return Response(
        calendar.calendar_ics(db, item),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=300"},
    )


def _month_grid(first: dt.date) -> list[list[dt.date]]:
    """The weeks (Monday first) that show the month of ``first``."""
    return month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)


@bp.route("/calendar")
@login_required
def calendar_view():
    """All workshops by month, or sessions by week; filter by rollout, province, trainer."""
    require(current_user, "workshop.view")
    db = get_db()
    view = "week" if request.args.get("view") == "week" else "month"
    filters: dict[str, int | str] = {}
    if rollout_id := request.args.get("rollout", type=record_id):
        filters["rollout_id"] = rollout_id
    if request.args.get("province"):
        filters["province_code"] = request.args["province"][:10]
    if trainer_id := request.args.get("trainer", type=record_id):
        filters["trainer_id"] = trainer_id
    try:
        anchor = dt.date.fromisoformat(request.args.get("date", ""))
        # a month or week at the end of the calendar's range has no next one to link to
        anchor = min(max(anchor, dt.date(1900, 1, 1)), dt.date(9998, 12, 1))
    except ValueError:
        # a filter without a date opens where it has something to show
        anchor = calendar.first_event(db, sessions=view == "week", **filters) or dt.date.today()
    trainer = db.get(Trainer, filters["trainer_id"]) if "trainer_id" in filters else None
    context: dict[str, object] = {}
    if view == "month":
        first = anchor.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        weeks = _month_grid(first)
        items = calendar.workshops_between(db, weeks[0][0], weeks[-1][-1], **filters)
        context.update(
            weeks=weeks,
            month=first,
            by_day={
                d: [w for w in items if w.start_date <= d <= w.end_date]
                for week in weeks
                for d in week
            },
            previous=(first - dt.timedelta(days=1)).replace(day=1),
            following=last + dt.timedelta(days=1),
            closed=calendar.non_working_days(weeks[0][0], weeks[-1][-1], page_language()),
        )
    else:
        monday = anchor - dt.timedelta(days=anchor.weekday())
        days = [monday + dt.timedelta(days=n) for n in range(7)]
        week = calendar.sessions_between(db, days[0], days[-1], **filters)
        context.update(
            days=days,
            by_day={d: [s for s in week if s.day == d] for d in days},
            previous=monday - dt.timedelta(days=7),
            following=monday + dt.timedelta(days=7),
            closed=calendar.non_working_days(days[0], days[-1], page_language()),
        )
    return render_template(
        "workshops/calendar.html",
        view=view,
        anchor=anchor,
        trainer=trainer,
        rollouts=service.list_rollouts(db),
        provinces=province_choices(db),
        trainers=trainer_service.active_trainers(db)
        if can(current_user, "workshop.manage")
        else [],
        args={k: v for k, v in request.args.items() if k in ("rollout", "province", "trainer")},
        **context,
    )


@bp.route("/trainers/<int:trainer_id>/feed", methods=["POST"])
@login_required
def trainer_feed(trainer_id: int):
    require(current_user, "calendar.feed", trainer_id)
    revoke = request.form.get("revoke") == "1"
    db = get_db()
    if revoke:
        calendar.revoke_feed(db, current_user, "trainer", trainer_id)
    else:
        calendar.issue_feed(db, current_user, "trainer", trainer_id)
    flash(
        _("The calendar address was revoked.") if revoke else _("A new calendar address was made."),
        "success",
    )
    return redirect(url_for("dashboard.home") + "#own-workshops-heading")

"""Reports: the programme, a rollout, a period or a province, and a workshop's donor report;
as a page with charts, and as CSV, XLSX and PDF."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from curriculum import localise
from curriculum.documents.charts import report_charts
from curriculum.documents.reports import render_report
from curriculum.models import Province, Rollout, Workshop
from curriculum.permissions import require
from curriculum.services import exports, reports
from curriculum.services.validation import get_or_404
from curriculum.services.workshops import list_rollouts

from ..choices import (
    ASSIGNMENT_ROLE_CHOICES,
    WORKSHOP_STATUS_CHOICES,
    page_language,
    province_choices,
)
from ..extensions import get_db
from ..views import record_id, run_action, send_document, send_table

bp = Blueprint("reports", __name__, template_folder="templates")


def _date(name: str) -> dt.date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        flash(
            _("“%(value)s” is not a date (YYYY-MM-DD); it was left out.", value=text[:20]), "error"
        )
        return None


def _scope() -> tuple[dict, str]:
    """The filters of the request and a sentence that says what they cover."""
    db = get_db()
    filters: dict = {}
    parts = []
    rollout_id = request.args.get("rollout", type=record_id)
    if rollout_id:
        rollout = get_or_404(db, Rollout, rollout_id)
        filters["rollout_id"] = rollout.id
        parts.append(_("rollout %(name)s", name=localise.local_name(rollout, page_language())))
    code = request.args.get("province", "").strip().upper()
    if code:
        province = db.scalar(select(Province).where(Province.code == code))
        if province is None:
            abort(404)
        filters["province_code"] = code
        parts.append(province.name(page_language()))
    start, end = _date("start"), _date("end")
    if start:
        filters["start"] = start
    if end:
        filters["end"] = end
    if start or end:
        language = page_language()
        parts.append(
            f"{localise.date(start, language) if start else '…'} – "
            f"{localise.date(end, language) if end else '…'}"
        )
    scope = ", ".join(parts) if parts else _("The whole programme")
    return filters, scope


def _build(filters: dict):
    db = get_db()
    report = reports.report(db, **filters, language=page_language())
    days = reports.trainer_days(db, **filters)
    return report, days


@bp.route("/")
@login_required
def index():
    require(current_user, "report.view")
    filters, scope = _scope()
    report, days = _build(filters)
    db = get_db()
    return render_template(
        "reports/index.html",
        r=report,
        td=days,
        charts=report_charts(report, days),
        scope=scope,
        rollouts=list_rollouts(db),
        provinces=province_choices(db),
        args=request.args,
    )


@bp.route("/report.<fmt>")
@login_required
def export(fmt: str):
    require(current_user, "report.view")
    filters, scope = _scope()
    report, days = _build(filters)
    title = _("Training report")
    if fmt == "pdf":
        return send_document(_pdf(title, scope, report, days, None, "training-report.pdf"))
    table = exports.report_table(report, f"{title}: {scope}")
    return send_table(table, "training-report", fmt, title)


def _pdf(title, scope, report, days, donor, filename):
    return render_report(
        current_app.extensions["ctg.documents"],
        page_language(),
        title=title,
        scope=scope,
        report=report,
        trainer_days=days,
        donor=donor,
        filename=filename,
    )


@bp.route("/workshops/<int:workshop_id>")
@login_required
def workshop(workshop_id: int):
    require(current_user, "report.view")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    report, days = _build({"workshop_id": workshop.id})
    return render_template(
        "reports/workshop.html",
        workshop=workshop,
        r=report,
        td=days,
        charts=report_charts(report, days),
        donor=_translated(reports.donor_details(db, workshop)),
        **_labels(),
    )


def _labels() -> dict:
    """Status and delivery words in the page's language."""
    return {
        "statuses": {code: str(label) for code, label in WORKSHOP_STATUS_CHOICES},
        "deliveries": {
            "planned": _("Not recorded yet"),
            "as_planned": _("Delivered as planned"),
            "changed": _("Changed"),
            "dropped": _("Dropped"),
            "": "",
        },
    }


def _workshop_scope(workshop: Workshop) -> str:
    language = page_language()
    return " · ".join(
        (
            localise.local_name(workshop, language, "title"),
            localise.local_name(workshop.province, language),
            localise.date_range(workshop.start_date, workshop.end_date, language),
        )
    )


def _workshop_pdf(workshop: Workshop, filename: str):
    """The workshop's report with the agenda as delivered, the team and the feedback."""
    report, days = _build({"workshop_id": workshop.id})
    donor = _translated(reports.donor_details(get_db(), workshop))
    return _pdf(_("Workshop report"), _workshop_scope(workshop), report, days, donor, filename)


@bp.route("/workshops/<int:workshop_id>/report.<fmt>")
@login_required
def workshop_export(workshop_id: int, fmt: str):
    """The workshop's figures as CSV or XLSX, or its report as PDF (the status stays)."""
    require(current_user, "report.view")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    if fmt == "pdf":
        return send_document(_workshop_pdf(workshop, f"workshop-{workshop.id}-report.pdf"))
    report, _days = _build({"workshop_id": workshop.id})
    title = _("Workshop report")
    table = exports.report_table(report, f"{title}: {_workshop_scope(workshop)}")
    return send_table(table, f"workshop-{workshop.id}-report", fmt, title)


def _translated(donor: dict) -> dict:
    """The donor report's codes as words, and names in the script of the reader."""
    deliveries = _labels()["deliveries"]
    roles = dict(ASSIGNMENT_ROLE_CHOICES)
    pauses = {"break": _("Break"), "lunch": _("Lunch")}
    lao = page_language() == "lo"
    for s in donor["sessions"]:
        s["delivery"] = str(deliveries.get(s["delivery"], s["delivery"]))
        if s["kind"] in pauses:
            s["title"] = str(pauses[s["kind"]])
    donor["team"] = [
        f"{(t['lao'] or t['latin']) if lao else (t['latin'] or t['lao'])} "
        f"({roles.get(t['role'], t['role'])})"
        for t in donor["team"]
    ]
    return donor


@bp.route("/workshops/<int:workshop_id>/donor-report", methods=["POST"])
@login_required
def donor_report(workshop_id: int):
    """Produce the donor report: the workshop becomes "reported", and the PDF is sent."""
    require(current_user, "workshop.manage")
    workshop = run_action(lambda db: reports.produce_donor_report(db, current_user, workshop_id))
    if workshop is None:
        return redirect(url_for(".workshop", workshop_id=workshop_id))
    return send_document(_workshop_pdf(workshop, f"workshop-{workshop.id}-donor-report.pdf"))

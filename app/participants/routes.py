"""Participants: the public certificate check (more pages come with registration and reports)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from curriculum.errors import ValidationError
from curriculum.models import Workshop
from curriculum.permissions import require
from curriculum.services import certificates
from curriculum.services.validation import get_or_404

from ..extensions import get_db, limiter
from ..views import send_document
from . import bp


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_LIMIT", "10 per minute")


@bp.route("/verify")
@limiter.limit(_verify_limit)
def verify():
    """Anyone may check a certificate number; the page shows only name, workshop and dates."""
    number = request.args.get("number", "")[:64]
    found = certificates.verify(get_db(), number) if number else None
    return render_template(
        "participants/verify.html", number=number, found=found, checked=bool(number)
    )


@bp.route("/workshops/<int:workshop_id>/certificates.pdf")
@login_required
def certificates_pdf(workshop_id: int):
    """Issue the certificates earned (numbers are kept) and print them all in one PDF."""
    from curriculum.documents.certificates import render_certificates

    require(current_user, "workshop.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    try:
        issued = certificates.issue_certificates(db, current_user, workshop_id)
    except ValidationError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("workshops.workshop", workshop_id=workshop_id))
    db.commit()
    if not issued:
        flash(_("Nobody has met the attendance rule of this workshop yet."), "error")
        return redirect(url_for("workshops.workshop", workshop_id=workshop_id))
    document = render_certificates(
        db,
        current_app.extensions["ctg.documents"],
        workshop,
        issued,
        request.args.get("lang", "both"),
        url_for(".verify", _external=True),
    )
    return send_document(document)


@bp.route("/workshops/<int:workshop_id>/sign-in/<day>.pdf")
@login_required
def sign_in_sheet(workshop_id: int, day: str):
    """The sign-in sheet of one day, names pre-printed (Lao by default, ?lang=en)."""
    import datetime as dt

    from curriculum.documents.participants import render_sign_in_sheet
    from curriculum.errors import NotFound

    require(current_user, "workshop.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise NotFound(_("That day is not a day of the workshop.")) from exc
    document = render_sign_in_sheet(
        db, current_app.extensions["ctg.documents"], workshop, date, request.args.get("lang", "lo")
    )
    return send_document(document)

"""Scanned sheets given back: the upload, the reading job's progress, the preview of every
box with its image (the unsure ones first, each waiting for a decision) and the save."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from curriculum.models import Workshop
from curriculum.permissions import require
from curriculum.services import scans
from curriculum.services.participants import workshop_days
from curriculum.services.validation import get_or_404

from ..extensions import get_db
from ..jobs import scan_store
from ..views import attempt, form_failed
from .routes import bp

# A reading whose progress has not moved for this long was lost (a consumer stopped, or
# was stopped while reading).
LOST_AFTER_SECONDS = 300
# The upload form around its files: the CSRF token, the field names.
FORM_BYTES = 1024 * 1024


@bp.url_value_preprocessor
def _room_for_scans(endpoint: str | None, _values) -> None:
    """A scan upload may be larger than any other form (MAX_CONTENT_LENGTH). Set before the
    body is read: URL preprocessors run before every before-request hook, the CSRF check
    (which reads the form) among them."""
    if endpoint == "participants.scan_upload" and request.method == "POST":
        request.max_content_length = scans.MAX_BYTES + FORM_BYTES


def _batch(workshop_id: int, scan: str) -> tuple[Workshop, scans.Store, dict]:
    """The upload ``scan`` of ``workshop_id`` (404 for any other), for a coordinator."""
    require(current_user, "participant.manage")
    workshop = get_or_404(get_db(), Workshop, workshop_id)
    store = scan_store(current_app)
    try:
        meta = store.meta(scan)
    except ValueError:
        meta = None
    if meta is None or meta["workshop"] != workshop.id:
        abort(404)
    return workshop, store, meta


@bp.route("/workshops/<int:workshop_id>/scans", methods=["GET", "POST"])
@login_required
def scan_upload(workshop_id: int):
    """Upload photos or a scanned PDF of the workshop's sheets."""
    require(current_user, "participant.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    problems: list[str] = []
    if request.method == "POST":
        files = []
        for upload in request.files.getlist("file"):
            if upload.filename:
                files.append((upload.filename, upload.stream.read(scans.MAX_BYTES + 1)))
            upload.close()
        _pages, failed = attempt(lambda db: scans.check_upload(files))
        if failed is None:
            token = scan_store(current_app).create(workshop.id, current_user.id, files)
            current_app.extensions["ctg.jobs"]["read_scan"](token)
            return redirect(url_for(".scan", workshop_id=workshop.id, scan=token))
        problems = [m for messages in failed.values() for m in messages]
    return render_template(
        "participants/scan_upload.html",
        workshop=workshop,
        problems=problems,
        max_mb=scans.MAX_BYTES // 1024 // 1024,
        max_pages=scans.MAX_PAGES,
    )


def _show(workshop, scan: str, meta: dict, pages: list[dict], decisions=None, errors=None, take=()):
    db = get_db()
    result = scans.preview(db, current_user, workshop.id, pages, decisions)
    return render_template(
        "participants/scan_preview.html",
        workshop=workshop,
        scan=scan,
        meta=meta,
        result=result,
        days={d: n for n, d in enumerate(workshop_days(workshop), start=1)},
        iso_days={d.isoformat(): d for d in workshop_days(workshop)},
        errors=errors or {},
        take=set(take),
        # what the page says above everything: each error not of a box to decide
        general=[
            message
            for name, messages in (errors or {}).items()
            if not (name or "").startswith("decide-")
            for message in messages
        ],
    )


@bp.route("/workshops/<int:workshop_id>/scans/<scan>")
@login_required
def scan(workshop_id: int, scan: str):
    """The reading's progress, then what the pages say and would change."""
    workshop, store, meta = _batch(workshop_id, scan)
    pages = store.pages(scan)
    if pages is not None:
        return _show(workshop, scan, meta, pages)
    progress = store.progress(scan) or {"done": 0, "total": 0}
    return render_template(
        "participants/scan_progress.html",
        workshop=workshop,
        progress=progress,
        error=store.error(scan),
        lost=store.idle(scan) > LOST_AFTER_SECONDS,
    )


@bp.route("/workshops/<int:workshop_id>/scans/<scan>/<int:page>/<area>.png")
@login_required
def scan_crop(workshop_id: int, scan: str, page: int, area: str):
    """The image of one row or question as the page showed it."""
    _workshop, store, _meta = _batch(workshop_id, scan)
    try:
        path = store.crop_path(scan, page, area)
    except ValueError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=3600)
    # names and signatures: kept by the coordinator's browser, never by a shared cache
    response.cache_control.public = False
    response.cache_control.private = True
    return response


@bp.route("/workshops/<int:workshop_id>/scans/<scan>/save", methods=["POST"])
@login_required
def scan_save(workshop_id: int, scan: str):
    """Store what the preview showed, with the decisions taken on unsure boxes; all or
    nothing."""
    workshop, store, meta = _batch(workshop_id, scan)
    pages = store.pages(scan)
    if pages is None:
        abort(404)
    decisions = {
        name.removeprefix("decide-"): value
        for name, value in request.form.items()
        if name.startswith("decide-")
    }
    fingerprint = request.form.get("fingerprint", "")
    take = set(request.form.getlist("take"))
    take_all = request.form.get("take_all") == "1"
    stored, failed = attempt(
        lambda db: scans.save(
            db, current_user, workshop.id, pages, decisions, fingerprint, take, take_all
        )
    )
    if failed is None:
        flash(
            ngettext(
                "%(num)d value from the scanned sheets saved.",
                "%(num)d values from the scanned sheets saved.",
                stored,
            ),
            "success",
        )
        return redirect(url_for(".attendance", workshop_id=workshop.id))
    form_failed()
    return _show(workshop, scan, meta, pages, decisions, failed, take)

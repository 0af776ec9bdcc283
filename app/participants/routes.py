"""Participants: people, a workshop's list and its waitlist, imports, attendance, paper
results, certificates, sign-in sheets and the public certificate check."""

from __future__ import annotations

import base64
import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from curriculum.documents import sheets
from curriculum.documents.certificates import render_certificates
from curriculum.documents.participants import paper_data, render_paper
from curriculum.errors import NotFound
from curriculum.models import Participant, Registration, Workshop
from curriculum.permissions import require
from curriculum.services import certificates, exports, grids, imports
from curriculum.services import kit as kit_returns
from curriculum.services import participants as service
from curriculum.services.validation import get_or_404
from curriculum.vocabulary import RegistrationStatus

from ..choices import (
    PARTICIPANT_SEX_CHOICES,
    REGISTRATION_STATUS_CHOICES,
    institution_choices,
    options,
    province_choices,
)
from ..extensions import get_db, limiter
from ..views import (
    attempt,
    edit_form,
    form_by_id,
    form_failed,
    form_values,
    page_size,
    record_id,
    requested_page,
    run_action,
    save_form,
    send_document,
    send_table,
)
from .forms import ParticipantForm

bp = Blueprint("participants", __name__, template_folder="templates")


def _labels():
    return {
        "sexes": {k: str(v) for k, v in PARTICIPANT_SEX_CHOICES},
        "statuses": {k: str(v) for k, v in REGISTRATION_STATUS_CHOICES},
    }


# -- people ------------------------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    require(current_user, "participant.view")
    query = request.args.get("q", "")[:100]
    people = service.find_participants(
        get_db(), current_user, query, page=requested_page(), per_page=page_size("participants")
    )
    return render_template("participants/index.html", people=people, query=query, **_labels())


def _person_form(obj=None):
    db = get_db()
    form = edit_form(ParticipantForm, obj) if obj is not None else ParticipantForm()
    form.institution_id.choices = options(institution_choices(db, blank=_("Not known")))
    form.province.choices = options(province_choices(db, blank=_("Not known")))
    if obj is not None and request.method == "GET":
        form.province.data = obj.province.code if obj.province else ""
    return form


def _person_page(form, person=None, duplicates=(), workshop=None):
    return render_template(
        "participants/person.html",
        form=form,
        person=person,
        duplicates=duplicates,
        workshop=workshop,
        **_labels(),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a person (and register them when coming from a workshop's list)."""
    require(current_user, "participant.manage")
    db = get_db()
    workshop_id = request.args.get("workshop", type=record_id)
    workshop = get_or_404(db, Workshop, workshop_id) if workshop_id else None
    form = _person_form()
    duplicates = []
    if form.validate_on_submit():
        values = form_values(form, "same_person_checked")
        duplicates = service.likely_duplicates(db, values)
        if duplicates and not form.same_person_checked.data:
            form.form_errors = [
                _(
                    "These people are already known and look the same. Register one of them, "
                    "or tick the box below to add a new person."
                )
            ]
        else:

            def create(db):
                person = service.create_participant(db, current_user, values)
                if workshop is not None:
                    service.register(db, current_user, workshop.id, person.id)
                return person

            done = save_form(
                form,
                create,
                _("Person added."),
                lambda p: (
                    url_for(".workshop", workshop_id=workshop.id)
                    if workshop
                    else url_for(".person", participant_id=p.id)
                ),
            )
            if done:
                return done
    return _person_page(form, duplicates=duplicates, workshop=workshop)


@bp.route("/<int:participant_id>", methods=["GET", "POST"])
@login_required
def person(participant_id: int):
    require(current_user, "participant.view")
    db = get_db()
    person = get_or_404(db, Participant, participant_id)
    form = _person_form(person)
    if request.method == "POST":
        require(current_user, "participant.manage")
        if form.validate_on_submit():
            done = save_form(
                form,
                lambda db: service.update_participant(
                    db,
                    current_user,
                    participant_id,
                    form_values(form, "same_person_checked"),
                    form.lock_version.data,
                ),
                _("Changes saved."),
                lambda p: url_for(".person", participant_id=p.id),
            )
            if done:
                return done
    duplicates = service.likely_duplicates(db, person, exclude_id=person.id)
    return _person_page(form, person, duplicates)


@bp.route("/duplicates")
@login_required
def duplicates():
    require(current_user, "participant.view")
    pairs = service.duplicate_pairs(get_db(), current_user)
    return render_template("participants/duplicates.html", pairs=pairs, **_labels())


@bp.route("/merge", methods=["POST"])
@login_required
def merge():
    """Fold the second person into the first; their registrations move over."""
    require(current_user, "participant.manage")
    keep = request.form.get("keep", type=record_id)
    drop = request.form.get("drop", type=record_id)
    result = run_action(
        lambda db: service.merge_participants(db, current_user, keep, drop),
        _("The two records are now one; every registration was kept."),
    )
    if result:
        return redirect(url_for(".person", participant_id=keep))
    return redirect(url_for(".duplicates"))


# -- a workshop's list -------------------------------------------------------------------------

# People found by the search on a workshop's list, to tick and register: a short list
# (the page says when more match, so the user types more of the name).
FOUND_SHOWN = 40


@bp.route("/workshops/<int:workshop_id>")
@login_required
def workshop(workshop_id: int):
    """The workshop's list (a page at a time) with figures for all of it, the waitlist,
    and registering known people."""
    require(current_user, "participant.view")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    query = request.args.get("q", "")[:100]
    found = (
        service.search_participants(
            db, current_user, query, limit=FOUND_SHOWN + 1, not_listed_in=workshop.id
        )
        if query
        else []
    )
    return render_template(
        "participants/workshop.html",
        workshop=workshop,
        registrations=service.registration_page(
            db,
            current_user,
            workshop.id,
            page=requested_page(),
            per_page=page_size("registrations"),
        ),
        figures=service.list_figures(db, current_user, workshop.id),
        query=query,
        found=found[:FOUND_SHOWN],
        more_found=len(found) > FOUND_SHOWN,
        days=service.workshop_days(workshop),
        has_questions=bool(paper_data(db, workshop, "test", "en")["questions"]),
        status_choices=REGISTRATION_STATUS_CHOICES,
        **_labels(),
    )


@bp.route("/workshops/<int:workshop_id>/register", methods=["POST"])
@login_required
def register(workshop_id: int):
    require(current_user, "participant.manage")
    ids = request.form.getlist("participants", type=record_id)
    registered = run_action(lambda db: service.register_many(db, current_user, workshop_id, ids))
    if registered:
        waiting = sum(1 for r in registered if r.status == RegistrationStatus.WAITLISTED)
        flash(
            _("%(n)d registered, %(w)d of them on the waitlist.", n=len(registered), w=waiting),
            "success",
        )
    return redirect(url_for(".workshop", workshop_id=workshop_id))


@bp.route("/registrations/<int:registration_id>/status", methods=["POST"])
@login_required
def registration_status(registration_id: int):
    require(current_user, "participant.manage")
    reg = get_or_404(get_db(), Registration, registration_id)
    workshop_id = reg.workshop_id
    run_action(
        lambda db: service.set_status(
            db,
            current_user,
            registration_id,
            request.form.get("status", ""),
            request.form.get("lock_version"),
        ),
        _("Status changed."),
    )
    page = request.form.get("page", type=record_id)  # back to the page the change was made on
    return redirect(url_for(".workshop", workshop_id=workshop_id, page=page) + "#list")


def _seated(db, workshop: Workshop) -> list[Registration]:
    """Those with a seat: the rows of the attendance and results grids."""
    return service.registrations_of(db, workshop.id, service.SEATED)


@bp.route("/workshops/<int:workshop_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(workshop_id: int):
    """A grid of people by days, one tick per day present; works with a finger on a tablet."""
    require(current_user, "participant.view")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    days = service.workshop_days(workshop)
    errors: dict = {}
    kept: dict = {}
    if request.method == "POST":
        require(current_user, "participant.manage")
        present = set()
        for value in request.form.getlist("present"):
            rid, _sep, day = value.partition("@")
            try:
                present.add((int(rid), dt.date.fromisoformat(day)))
            except ValueError:
                abort(400)
        seen = form_by_id("seen-")
        _saved, failed = attempt(
            lambda db: service.record_attendance(db, current_user, workshop_id, present, seen)
        )
        if failed is None:
            flash(_("Attendance saved."), "success")
            return redirect(url_for(".attendance", workshop_id=workshop_id))
        errors = failed
    registrations = _seated(db, workshop)
    rows = {r.id: service.attendance_cells(r, days) for r in registrations}
    if errors:  # the user's ticks over what is stored now
        kept = grids.redisplay(seen, rows, service.attendance_sent(present, seen, days))
    shown = {**rows, **kept}
    marks = {(rid, d) for rid, cells in shown.items() for d in days if cells[d.isoformat()] == "1"}
    return render_template(
        "participants/attendance.html",
        workshop=workshop,
        registrations=registrations,
        days=days,
        marks=marks,
        stamps={rid: grids.stamp(cells) for rid, cells in rows.items()},
        errors=errors,
    )


def _uploaded(max_bytes: int, missing: str) -> bytes | list[str]:
    """The posted file's bytes (one more than ``max_bytes`` at most, for the service to
    refuse by size), or the page's problems when no file was chosen."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form_failed()
        return [missing]
    try:
        return upload.stream.read(max_bytes + 1)
    finally:
        upload.close()


@bp.route("/workshops/<int:workshop_id>/workbook", methods=["GET", "POST"])
@login_required
def workbook(workshop_id: int):
    """The kit's workbook given back filled: uploaded, then what it would change shown."""
    require(current_user, "participant.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    problems: list[str] = []
    if request.method == "POST":
        upload = _uploaded(kit_returns.MAX_BYTES, _("Choose the workbook to upload."))
        if isinstance(upload, list):
            problems = upload
        else:
            data = upload
            returned, failed = attempt(
                lambda db: kit_returns.read_returned_workbook(db, current_user, workshop_id, data)
            )
            if failed is None:
                return _workbook_preview(workshop, returned, data)
            problems = [m for messages in failed.values() for m in messages]
    return render_template(
        "participants/workbook.html",
        workshop=workshop,
        problems=problems,
        max_mb=kit_returns.MAX_BYTES // 1024 // 1024,
    )


def _workbook_preview(workshop: Workshop, returned, data: bytes, errors=()):
    if returned.problems:
        form_failed()
    return render_template(
        "participants/workbook_preview.html",
        workshop=workshop,
        returned=returned,
        days={d.isoformat(): d for d in service.workshop_days(workshop)},
        file=base64.b64encode(data).decode("ascii"),
        errors=list(errors),
    )


@bp.route("/workshops/<int:workshop_id>/workbook/save", methods=["POST"])
@login_required
def workbook_save(workshop_id: int):
    """Store what the preview showed, all or nothing."""
    require(current_user, "participant.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    try:
        data = base64.b64decode(request.form.get("file", ""), validate=True)
    except ValueError:
        abort(400)
    take = set(request.form.getlist("take"))
    take_all = request.form.get("take_all") == "1"
    fingerprint = request.form.get("fingerprint", "")
    stored, failed = attempt(
        lambda db: kit_returns.save_returned_workbook(
            db, current_user, workshop_id, data, fingerprint, take, take_all
        )
    )
    if failed is None:
        flash(
            ngettext(
                "%(num)d mark from the workbook saved.",
                "%(num)d marks from the workbook saved.",
                stored,
            ),
            "success",
        )
        return redirect(url_for(".attendance", workshop_id=workshop_id))
    returned, again = attempt(
        lambda db: kit_returns.read_returned_workbook(db, current_user, workshop_id, data)
    )
    if again is not None:  # the file itself is refused now (it was read before)
        abort(400)
    form_failed()
    return _workbook_preview(
        workshop, returned, data, [m for messages in failed.values() for m in messages]
    )


@bp.route("/workshops/<int:workshop_id>/results", methods=["GET", "POST"])
@login_required
def results(workshop_id: int):
    """Type in the paper pre- and post-tests and evaluation forms."""
    require(current_user, "participant.view")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    errors: dict = {}
    kept: dict = {}
    if request.method == "POST":
        require(current_user, "participant.manage")
        seen = form_by_id("seen-")
        sent = {
            rid: {key: request.form.get(f"{key}-{rid}", "") for key in service.RESULT_KEYS}
            for rid in seen
        }
        _saved, failed = attempt(
            lambda db: service.record_results(db, current_user, workshop_id, sent, seen)
        )
        if failed is None:
            flash(_("Results saved."), "success")
            return redirect(url_for(".results", workshop_id=workshop_id))
        errors = failed
        flash(_("Nothing was saved: correct the marked cells."), "error")
    registrations = _seated(db, workshop)
    rows = {r.id: service.result_cells(r) for r in registrations}
    if errors:  # what was typed over what is stored now
        kept = grids.redisplay(seen, rows, sent)
    return render_template(
        "participants/results.html",
        workshop=workshop,
        registrations=registrations,
        cells={**rows, **kept},
        stamps={rid: grids.stamp(cells) for rid, cells in rows.items()},
        errors=errors,
    )


# -- importing a list --------------------------------------------------------------------------


@bp.route("/workshops/<int:workshop_id>/import", methods=["GET", "POST"])
@login_required
def import_list(workshop_id: int):
    require(current_user, "participant.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    problems: list[str] = []
    if request.method == "POST":
        upload = _uploaded(imports.MAX_BYTES, _("Choose a CSV or XLSX file to upload."))
        if isinstance(upload, list):
            problems = upload
        else:
            data, filename = upload, request.files["file"].filename or ""
            batch, failed = attempt(
                lambda db: imports.start_import(db, current_user, workshop_id, filename, data)
            )
            if failed is None:
                return redirect(url_for(".import_preview", batch_id=batch.id))
            problems = [m for msgs in failed.values() for m in msgs]
    return render_template(
        "participants/import.html",
        workshop=workshop,
        uploads=imports.page_imports(
            db, current_user, workshop.id, page=requested_page(), per_page=page_size("imports")
        ),
        problems=problems,
        max_mb=imports.MAX_BYTES // 1024 // 1024,
        headers=imports.TEMPLATE_HEADERS,
    ), (400 if problems else 200)


@bp.route("/imports/<int:batch_id>", methods=["GET", "POST"])
@login_required
def import_preview(batch_id: int):
    """Each row as it will be stored, with its problems; correct, skip, then import."""
    require(current_user, "participant.manage")
    db = get_db()
    if request.method == "POST":
        edits: dict[int, dict[str, str]] = {}
        for key, text in request.form.items():
            line, _sep, name = key.partition("-")
            if line.isdigit() and name in imports.FIELDS:
                edits.setdefault(int(line), {})[name] = text
        ticked = set(request.form.getlist("same", type=int))
        same = {line: line in ticked for line in request.form.getlist("matched", type=int)}
        corrected = run_action(
            lambda db: imports.correct_rows(
                db,
                current_user,
                batch_id,
                edits,
                skip=set(request.form.getlist("skip", type=int)),
                same=same,
                shown=set(request.form.getlist("shown", type=int)),
            )
        )
        if corrected and request.form.get("action") == "import":
            count = run_action(  # a refused import keeps the corrections just made
                lambda db: imports.commit_import(db, current_user, batch_id),
                keep_earlier=True,
            )
            if count:
                flash(_("%(n)d people imported and registered.", n=count), "success")
                batch = get_or_404(db, imports.ParticipantImport, batch_id)
                return redirect(url_for(".workshop", workshop_id=batch.workshop_id))
        return redirect(url_for(".import_preview", batch_id=batch_id))
    preview = imports.get_preview(db, current_user, batch_id)
    show_all = request.args.get("all") == "1"
    rows = [r for r in preview.rows if show_all or r.errors or r.warnings or r.skip]
    return render_template(
        "participants/import_preview.html",
        preview=preview,
        batch=preview.batch,
        workshop=preview.batch.workshop,
        rows=rows[:500],
        hidden_rows=len(preview.rows) - len(rows[:500]),
        show_all=show_all,
        fields=imports.FIELDS,
        field_labels=_field_labels(),
    )


def _field_labels() -> dict[str, str]:
    return {
        "given_name_lo": _("Given name (Lao script)"),
        "family_name_lo": _("Family name (Lao script)"),
        "given_name_latin": _("Given name (Latin letters)"),
        "family_name_latin": _("Family name (Latin letters)"),
        # a name column whose script decides where each name goes
        "given": _("Given name"),
        "family": _("Family name"),
        "full": _("Full name"),
        "sex": _("Sex"),
        "birth_year": _("Year of birth"),
        "institution": _("Institution"),
        "position": _("Position"),
        "province": _("Province"),
        "phone": _("Phone"),
        "email": _("Email address"),
    }


@bp.route("/import-template-<lang>.xlsx")
@login_required
def import_template(lang: str):
    require(current_user, "participant.manage")
    if lang not in ("en", "lo"):
        abort(404)
    return Response(
        imports.template_xlsx(lang),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="participants-template-{lang}.xlsx"'
        },
    )


@bp.route("/workshops/<int:workshop_id>/participants.<fmt>")
@login_required
def export_list(workshop_id: int, fmt: str):
    """The workshop's list with days present and scores, as CSV or XLSX."""
    require(current_user, "participant.view")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    table = exports.participants_table(db, workshop)
    return send_table(table, f"participants-{workshop.id}", fmt, _("Participants"))


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


@bp.route("/workshops/<int:workshop_id>/certificates", methods=["POST"])
@login_required
def issue_certificates(workshop_id: int):
    """Give a number to everyone who earned a certificate (numbers already given are kept)."""
    require(current_user, "workshop.manage")
    get_or_404(get_db(), Workshop, workshop_id)
    issued = run_action(lambda db: certificates.issue_certificates(db, current_user, workshop_id))
    if issued is not None:
        if issued:
            flash(
                ngettext(
                    "%(num)d certificate issued: choose the language and open the PDF.",
                    "%(num)d certificates issued: choose the language and open the PDF.",
                    len(issued),
                ),
                "success",
            )
        else:
            flash(_("Nobody has met the attendance rule of this workshop yet."), "error")
    return redirect(url_for("workshops.workshop", workshop_id=workshop_id) + "#certificates")


@bp.route("/workshops/<int:workshop_id>/certificates.pdf")
@login_required
def certificates_pdf(workshop_id: int):
    """The certificates issued, all in one PDF, in English, Lao or both (``?lang=``).
    Printing them changes nothing."""
    require(current_user, "workshop.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    issued = certificates.issued_certificates(db, workshop)
    if not issued:
        flash(_("No certificate has been issued for this workshop yet."), "error")
        return redirect(url_for("workshops.workshop", workshop_id=workshop_id) + "#certificates")
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
    require(current_user, "workshop.manage")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise NotFound(_("That day is not a day of the workshop.")) from exc
    document = sheets.render_sign_in_sheet(
        db, current_app.extensions["ctg.documents"], workshop, date, request.args.get("lang", "lo")
    )
    return send_document(document)


@bp.route("/workshops/<int:workshop_id>/paper/<paper>.pdf")
@login_required
def paper(workshop_id: int, paper: str):
    """The attendance grid, the test's questions and answer sheets, or the evaluation form
    (Lao by default)."""
    require(current_user, "participant.view")
    db = get_db()
    workshop = get_or_404(db, Workshop, workshop_id)
    render = sheets.render_sheet if paper in sheets.SHEETS else render_paper
    document = render(
        db, current_app.extensions["ctg.documents"], workshop, paper, request.args.get("lang", "lo")
    )
    return send_document(document)

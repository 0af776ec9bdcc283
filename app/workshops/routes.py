"""Rollouts and workshops: planning pages, the agenda, the team and the calendar feed."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from curriculum import localise
from curriculum.documents import kit as kit_documents
from curriculum.documents import workshops as documents
from curriculum.models import Assignment, Rollout, Workshop, WorkshopSession
from curriculum.permissions import can, require
from curriculum.services import calendar, grids, scheduling
from curriculum.services import lessons as lesson_service
from curriculum.services import programmes as programme_service
from curriculum.services import staffing as staffing_service
from curriculum.services import trainers as trainer_service
from curriculum.services import workshops as service
from curriculum.services.content import list_modules
from curriculum.services.reference import list_institutions
from curriculum.services.validation import as_id, get_or_404
from curriculum.vocabulary import SessionKind, WorkshopStatus

from ..choices import (
    ASSIGNMENT_ROLE_CHOICES,
    PLAN_LANGUAGE_CHOICES,
    WORKSHOP_STATUS_CHOICES,
    options,
    page_language,
    province_choices,
)
from ..extensions import get_db
from ..views import (
    attempt,
    edit_form,
    form_values,
    page_size,
    render_state,
    requested_page,
    run_action,
    save_form,
    send_background_document,
    send_document,
)
from .forms import (
    AssignForm,
    CopyForm,
    LayoutForm,
    RolloutForm,
    SessionForm,
    SessionTrainersForm,
    StatusForm,
    WorkshopDetailsForm,
    WorkshopForm,
)

bp = Blueprint("workshops", __name__, template_folder="templates")


def _status_labels() -> dict[str, str]:
    return {code: str(label) for code, label in WORKSHOP_STATUS_CHOICES}


@bp.route("/")
@login_required
def index():
    require(current_user, "workshop.view")
    return render_template(
        "workshops/index.html",
        rollouts=service.page_rollouts(
            get_db(), current_user, page=requested_page(), per_page=page_size("rollouts")
        ),
        statuses=_status_labels(),
    )


@bp.route("/rollouts/new", methods=["GET", "POST"])
@login_required
def rollout_new():
    require(current_user, "workshop.manage")
    db = get_db()
    form = RolloutForm()
    del form.status
    form.provinces.choices = options(province_choices(db))
    form.modules.choices = options(
        [(m.code, f"{m.code} {m.title(page_language())}") for m in list_modules(db)]
    )
    if form.validate_on_submit():
        response = save_form(
            form,
            lambda db: _with_logo(
                db, form, service.create_rollout(db, current_user, _rollout_data(form))
            ),
            _("Rollout created."),
            lambda r: url_for(".rollout", rollout_id=r.id),
        )
        if response:
            return response
    return render_template("workshops/rollout_new.html", form=form)


def _rollout_data(form) -> dict:
    return form_values(form, "logo", "remove_logo")


def _with_logo(db, form, rollout):
    """Store an uploaded logo (or remove it) after the rollout's other fields."""
    if form.remove_logo.data:
        service.set_rollout_logo(db, current_user, rollout.id, None)
    elif form.logo.data:
        upload = form.logo.data
        try:
            data = upload.stream.read(service.LOGO_MAX_BYTES + 1)
        finally:
            upload.close()
        service.set_rollout_logo(db, current_user, rollout.id, data)
    return rollout


@bp.route("/rollouts/<int:rollout_id>/edit", methods=["GET", "POST"])
@login_required
def rollout_edit(rollout_id: int):
    require(current_user, "workshop.manage")
    db = get_db()
    item = get_or_404(db, Rollout, rollout_id)
    form = edit_form(RolloutForm, item)
    form.provinces.choices = options(province_choices(db))
    form.modules.choices = options(
        [(m.code, f"{m.code} {m.title(page_language())}") for m in list_modules(db)]
    )
    if request.method == "GET":
        form.provinces.data = [p.code for p in item.provinces]
        form.modules.data = [m.code for m in item.modules]
    if form.validate_on_submit():
        response = save_form(
            form,
            lambda db: _with_logo(
                db,
                form,
                service.update_rollout(
                    db, current_user, rollout_id, _rollout_data(form), form.lock_version.data
                ),
            ),
            _("Rollout saved."),
            lambda r: url_for(".rollout", rollout_id=r.id),
        )
        if response:
            return response
    return render_template("workshops/rollout_new.html", form=form, rollout=item)


@bp.route("/rollouts/<int:rollout_id>")
@login_required
def rollout(rollout_id: int):
    require(current_user, "workshop.view")
    db = get_db()
    item = get_or_404(db, Rollout, rollout_id)
    workshops = service.rollout_workshops(db, item.id)
    # only the open workshops are checked (and loaded with what the checks read)
    open_ones = scheduling.load_for_check(db, [w.id for w in workshops if w.is_open])
    return render_template(
        "workshops/rollout.html",
        rollout=item,
        workshops=workshops,
        tallies=scheduling.tally_workshops(db, open_ones),
        coverage=service.coverage(db, item),
        statuses=_status_labels(),
        feeds=calendar.active_feeds(db, "rollout", item.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(current_user, "workshop.manage")
    db = get_db()
    form = WorkshopForm()
    form.rollout.choices = options(
        [("", _("Choose…"))]
        + [(str(r.id), localise.local_name(r, page_language())) for r in service.list_rollouts(db)]
    )
    _details_choices(db, form)
    if request.method == "GET" and request.args.get("rollout"):
        form.rollout.data = request.args["rollout"]
    if form.validate_on_submit():
        response = save_form(
            form,
            lambda db: service.create_workshop(db, current_user, form_values(form)),
            _("Workshop created. Lay out its agenda next."),
            lambda w: url_for(".workshop", workshop_id=w.id),
        )
        if response:
            return response
    return render_template("workshops/new.html", form=form)


def _days(workshop: Workshop):
    days = []
    for day in service.workshop_days(workshop):
        days.append((day, [s for s in workshop.sessions if s.day == day]))
    outside = [
        s for s in workshop.sessions if not workshop.start_date <= s.day <= workshop.end_date
    ]
    return days, outside


@bp.route("/<int:workshop_id>")
@login_required
def workshop(workshop_id: int):
    require(current_user, "workshop.view")
    db = get_db()
    item = service.workshop_page(db, workshop_id)
    layout = LayoutForm()
    copy = CopyForm()
    plan_options: list = []
    chosen: list[str] = []
    can_manage = can(current_user, "workshop.manage")
    if can_manage and item.is_open:  # only an open workshop's agenda may be laid out again
        plan_options, chosen = _plan_options(db, item)
        copy.source.choices = options(
            [
                (
                    str(w.id),
                    f"{localise.local_name(w, page_language(), 'title')} "
                    f"({localise.date(w.start_date, page_language())})",
                )
                for w in service.agenda_sources(db, item.id)
            ]
        )
    assign = AssignForm()
    assign.trainer.choices = options(
        [
            (str(t.id), t.display_name(page_language()))
            for t in trainer_service.active_trainers(db)
            if t.id not in {a.trainer_id for a in item.assignments}
        ]
    )
    status_form = StatusForm()
    status_form.lock_version.data = str(item.lock_version)
    days, outside = _days(item)
    return render_template(
        "workshops/workshop.html",
        workshop=item,
        days=days,
        outside=outside,
        problems=scheduling.check_workshop(db, item),
        closed_days=calendar.non_working_days(item.start_date, item.end_date, page_language()),
        layout=layout,
        plan_options=plan_options,
        chosen_plans=chosen,
        copy=copy,
        assign=assign,
        status_form=status_form,
        next_statuses=service.NEXT_STATUSES.get(WorkshopStatus(item.status), ()),
        statuses=_status_labels(),
        can_manage=can_manage,
        sources_cut=len(copy.source.choices or ()) >= service.AGENDA_SOURCES,
        programmes=programme_service.for_workshop(db, item) if plan_options else [],
    )


def _plan_options(db, workshop: Workshop) -> tuple[list, list[str]]:
    """The approved plans to lay an agenda out from, in two groups (the rollout's modules,
    then the others), the workshop's language first in each; and the plans of the current
    agenda in teaching order, one per numbered place (with a few empty places after)."""
    languages = dict(PLAN_LANGUAGE_CHOICES)
    rollout_modules = {m.id for m in workshop.rollout.modules}
    plans = lesson_service.list_plans(db, lesson_service.PlanFilters(status="approved"))

    def order(p):
        return (p.language != workshop.language, p.module.code if p.module else "", p.title)

    def text(p):
        code = p.module.code if p.module else ""
        return (
            f"{code} · {p.title} ({_('%(minutes)s minutes', minutes=p.duration_minutes)}, "
            f"{languages.get(p.language, p.language)})"
        )

    ours = sorted((p for p in plans if p.module_id in rollout_modules), key=order)
    others = sorted((p for p in plans if p.module_id not in rollout_modules), key=order)
    groups = [
        (_("Modules of this rollout"), [(str(p.id), text(p), p.language) for p in ours]),
        (_("Other modules"), [(str(p.id), text(p), p.language) for p in others]),
    ]
    current = list(
        dict.fromkeys(
            str(s.lesson_plan_id)
            for s in sorted(workshop.sessions, key=lambda s: (s.day, s.start_time))
            if s.kind == SessionKind.SESSION and s.lesson_plan_id
        )
    )
    places = max(6, len(current) + 3)
    return [g for g in groups if g[1]], current + [""] * (places - len(current))


@bp.route("/<int:workshop_id>/agenda", methods=["POST"])
@login_required
def agenda(workshop_id: int):
    require(current_user, "workshop.manage")
    plan_ids = [p for p in request.form.getlist("plans") if p]  # places left empty
    result = run_action(
        lambda db: service.lay_out_agenda(db, current_user, workshop_id, plan_ids),
        _("The agenda was laid out from the lesson plans."),
    )
    if result:
        for problem in result[1]:
            flash(problem, "error")
    return redirect(url_for(".workshop", workshop_id=workshop_id) + "#agenda")


@bp.route("/<int:workshop_id>/programme", methods=["POST"])
@login_required
def programme(workshop_id: int):
    require(current_user, "workshop.manage")
    result = run_action(
        lambda db: programme_service.lay_out_programme(
            db, current_user, workshop_id, request.form.get("programme")
        ),
        _("The agenda was laid out from the programme outline."),
    )
    if result:
        for problem in result[1]:
            flash(problem, "error")
    return redirect(url_for(".workshop", workshop_id=workshop_id) + "#agenda")


@bp.route("/<int:workshop_id>/copy", methods=["POST"])
@login_required
def copy_agenda(workshop_id: int):
    require(current_user, "workshop.manage")
    run_action(
        lambda db: service.copy_agenda(db, current_user, request.form.get("source"), workshop_id),
        _("The agenda was copied."),
    )
    return redirect(url_for(".workshop", workshop_id=workshop_id) + "#agenda")


@bp.route("/<int:workshop_id>/team", methods=["POST"])
@login_required
def team(workshop_id: int):
    require(current_user, "workshop.manage")
    run_action(
        lambda db: service.assign_trainer(
            db, current_user, workshop_id, request.form.get("trainer"), request.form.get("role")
        ),
        _("Trainer added to the team."),
    )
    return redirect(url_for(".workshop", workshop_id=workshop_id) + "#team")


@bp.route("/team/<int:assignment_id>/remove", methods=["POST"])
@login_required
def team_remove(assignment_id: int):
    require(current_user, "workshop.manage")
    db = get_db()
    assignment = get_or_404(db, Assignment, assignment_id)
    workshop_id = assignment.workshop_id
    run_action(
        lambda db: service.remove_from_team(db, current_user, assignment_id),
        _("Trainer taken off the team."),
    )
    return redirect(url_for(".workshop", workshop_id=workshop_id) + "#team")


@bp.route("/sessions/<int:session_id>/trainers", methods=["GET", "POST"])
@login_required
def session_trainers(session_id: int):
    require(current_user, "workshop.manage")
    db = get_db()
    ws = get_or_404(db, WorkshopSession, session_id)
    proposals = scheduling.propose_trainers(db, ws)
    form = SessionTrainersForm()
    language = page_language()
    choices = [(str(t.id), t.display_name(language)) for t in ws.trainers] + [
        (str(p.trainer.id), p.trainer.display_name(language)) for p in proposals
    ]
    form.trainers.choices = options(choices)
    if request.method == "GET":
        form.trainers.data = [str(t.id) for t in ws.trainers]
    if form.validate_on_submit():
        if run_action(
            lambda db: service.set_session_trainers(
                db, current_user, session_id, form.trainers.data or []
            ),
            _("Trainers of the session saved."),
        ):
            return redirect(url_for(".workshop", workshop_id=ws.workshop_id) + "#agenda")
    return render_template("workshops/session_trainers.html", ws=ws, proposals=proposals, form=form)


@bp.route("/<int:workshop_id>/status", methods=["POST"])
@login_required
def change_status(workshop_id: int):
    require(current_user, "workshop.manage")
    form = StatusForm()
    if form.validate_on_submit():
        run_action(
            lambda db: service.change_status(
                db,
                current_user,
                workshop_id,
                form.status.data,
                form.reason.data or "",
                form.lock_version.data or None,
            ),
            _("Workshop status changed."),
        )
    else:
        flash(_("The reason is too long."), "error")
    return redirect(url_for(".workshop", workshop_id=workshop_id))


@bp.route("/assignments/<int:assignment_id>/respond", methods=["POST"])
@login_required
def respond(assignment_id: int):
    db = get_db()
    assignment = get_or_404(db, Assignment, assignment_id)
    require(current_user, "assignment.respond", assignment.trainer_id)
    run_action(
        lambda db: service.respond_to_assignment(
            db,
            current_user,
            assignment_id,
            request.form.get("response", ""),
            request.form.get("reason", ""),
        ),
        _("Your answer was sent to the coordinators."),
    )
    return redirect(url_for("dashboard.home"))


@bp.route("/<int:workshop_id>/<any(agenda, trainers, participants):part>.pdf")
@login_required
def document(workshop_id: int, part: str):
    """The agenda renders while the browser waits; a pack renders in the background."""
    require(current_user, "workshop.view")
    db = get_db()
    item = get_or_404(db, Workshop, workshop_id)
    settings = current_app.extensions["ctg.documents"]
    if part == "agenda":
        return send_document(
            documents.render_pack(db, settings, item, part, request.args.get("lang"))
        )
    pdf, _data = documents.pack_document(db, settings, item, part)
    return send_background_document(
        pdf,
        lambda: current_app.extensions["ctg.jobs"]["render_workshop_pack"](item.id, part),
        url_for(".document_progress", workshop_id=workshop_id, part=part),
    )


@bp.route("/<int:workshop_id>/<any(trainers, participants):part>/progress")
@login_required
def document_progress(workshop_id: int, part: str):
    require(current_user, "workshop.view")
    db = get_db()
    item = get_or_404(db, Workshop, workshop_id)
    pdf, _data = documents.pack_document(db, current_app.extensions["ctg.documents"], item, part)
    state = render_state(pdf)
    if state is None:
        return redirect(url_for(".document", workshop_id=workshop_id, part=part))
    return render_template(
        "workshops/document_progress.html",
        workshop=item,
        part=part,
        state=state,
        address=url_for(".document", workshop_id=workshop_id, part=part),
    )


def _kit(workshop_id: int):
    """The workshop, where its kit in the asked language (``?lang``) is cached, and the
    data it is made of; for those who manage workshops, since it holds participants' names."""
    require(current_user, "workshop.manage")
    item = get_or_404(get_db(), Workshop, workshop_id)
    archive, data = kit_documents.kit_document(
        get_db(), current_app.extensions["ctg.documents"], item, request.args.get("lang")
    )
    return item, archive, data


@bp.route("/<int:workshop_id>/kit.zip")
@login_required
def kit(workshop_id: int):
    """The offline kit (documents, an index page, the workbook), laid out in the background."""
    item, archive, data = _kit(workshop_id)
    return send_background_document(
        archive,
        lambda: current_app.extensions["ctg.jobs"]["render_workshop_kit"](
            item.id, data["language"]
        ),
        url_for(".kit_progress", workshop_id=workshop_id, lang=data["language"]),
    )


@bp.route("/<int:workshop_id>/kit/progress")
@login_required
def kit_progress(workshop_id: int):
    item, archive, data = _kit(workshop_id)
    address = url_for(".kit", workshop_id=workshop_id, lang=data["language"])
    state = render_state(archive)
    if state is None:
        return redirect(address)
    return render_template(
        "workshops/document_progress.html",
        workshop=item,
        part="kit",
        state=state,
        address=address,
    )


@bp.route("/<int:workshop_id>/delivery", methods=["GET", "POST"])
@login_required
def delivery(workshop_id: int):
    """What each session taught: as planned, changed or dropped, minutes used, notes."""
    require(current_user, "workshop.manage")
    db = get_db()
    item = get_or_404(db, Workshop, workshop_id)
    sessions = [s for s in item.sessions if s.kind == SessionKind.SESSION]
    errors: dict = {}
    kept: dict = {}
    if request.method == "POST":
        rows = [
            {
                "session_id": request.form.get(f"sessions-{i}-id"),
                "delivery": request.form.get(f"sessions-{i}-delivery"),
                "minutes_used": request.form.get(f"sessions-{i}-minutes_used"),
                "notes": request.form.get(f"sessions-{i}-notes", ""),
            }
            for i in range(len(sessions))
        ]
        seen = {
            number: request.form.get(f"sessions-{i}-seen", "")
            for i, row in enumerate(rows)
            if (number := as_id(row["session_id"])) is not None
        }
        _saved, failed = attempt(
            lambda db: service.record_deliveries(db, current_user, workshop_id, rows, seen)
        )
        if failed is None:
            flash(_("The delivery record was saved."), "success")
            return redirect(url_for(".workshop", workshop_id=workshop_id))
        errors = failed
    current = {s.id: service.delivery_cells(s) for s in sessions}
    if errors:  # what was typed over what is stored now
        sent = {
            number: {k: row[k] or "" for k in ("delivery", "minutes_used", "notes")}
            for row in rows
            if (number := as_id(row["session_id"])) is not None
        }
        kept = grids.redisplay(seen, current, sent)
    return render_template(
        "workshops/delivery.html",
        workshop=item,
        sessions=sessions,
        cells={**current, **kept},
        stamps={number: grids.stamp(cells) for number, cells in current.items()},
        errors=errors,
    )


@bp.route("/<int:workshop_id>/print-list")
@login_required
def print_list(workshop_id: int):
    require(current_user, "workshop.view")
    item = get_or_404(get_db(), Workshop, workshop_id)
    items, materials = service.print_list(item)
    return render_template(
        "workshops/print_list.html", workshop=item, items=items, materials=materials
    )


def _details_choices(db, form) -> None:
    form.province.choices = options(province_choices(db, _("Choose…")))
    form.host_institution.choices = options(
        [("", "—")]
        + [
            (str(i.id), f"{i.short_name} – {i.name(page_language())}")
            for i in list_institutions(db)
        ]
    )


@bp.route("/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit(workshop_id: int):
    require(current_user, "workshop.manage")
    db = get_db()
    item = get_or_404(db, Workshop, workshop_id)
    form = edit_form(WorkshopDetailsForm, item)
    _details_choices(db, form)
    if request.method == "GET":
        form.province.data = item.province.code
        form.host_institution.data = str(item.host_institution_id or "")
    if form.validate_on_submit():
        response = save_form(
            form,
            lambda db: service.update_workshop(
                db, current_user, workshop_id, form_values(form), form.lock_version.data
            ),
            _("Workshop saved."),
            lambda w: url_for(".workshop", workshop_id=w.id),
        )
        if response:
            return response
    return render_template("workshops/edit.html", form=form, workshop=item)


@bp.route("/<int:workshop_id>/sessions/new", methods=["GET", "POST"])
@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_edit(workshop_id: int | None = None, session_id: int | None = None):
    """Add a block to the timetable or adjust one by hand."""
    require(current_user, "workshop.manage")
    db = get_db()
    ws = get_or_404(db, WorkshopSession, session_id) if session_id else None
    item = ws.workshop if ws else get_or_404(db, Workshop, workshop_id)
    form = edit_form(SessionForm, ws) if ws else SessionForm()
    if request.method == "GET" and ws is None:
        form.day.data = item.start_date
    if form.validate_on_submit():
        response = save_form(
            form,
            lambda db: service.save_session(
                db, current_user, item.id, form_values(form), session_id, form.lock_version.data
            ),
            _("Timetable saved."),
            lambda s: url_for(".workshop", workshop_id=item.id) + "#agenda",
        )
        if response:
            return response
    return render_template("workshops/session_edit.html", form=form, workshop=item, ws=ws)


@bp.route("/sessions/<int:session_id>/delete", methods=["POST"])
@login_required
def session_delete(session_id: int):
    require(current_user, "workshop.manage")
    ws = get_or_404(get_db(), WorkshopSession, session_id)
    workshop_id = ws.workshop_id
    run_action(
        lambda db: service.delete_session(db, current_user, session_id),
        _("Session removed from the timetable."),
    )
    return redirect(url_for(".workshop", workshop_id=workshop_id) + "#agenda")


@bp.route("/<int:workshop_id>/staffing", methods=["GET", "POST"])
@login_required
def staffing(workshop_id: int):
    """Trainers for every lesson plan of the agenda at once: each plan's trainers teach all
    the sessions it was split into, with their role on the team."""
    require(current_user, "workshop.manage")
    db = get_db()
    item = get_or_404(db, Workshop, workshop_id)
    groups = staffing_service.plan_groups(item)
    if request.method == "POST":
        chosen = {
            g.key: [
                (trainer_id, request.form.get(f"{g.key}-role-{trainer_id}", "co_trainer"))
                for trainer_id in request.form.getlist(f"{g.key}-trainers")
            ]
            for g in groups
        }
        if run_action(
            lambda db: staffing_service.staff_agenda(db, current_user, workshop_id, chosen),
            _("The trainers of the agenda were saved."),
        ):
            return redirect(url_for(".workshop", workshop_id=workshop_id) + "#agenda")
    rows = [(g, staffing_service.candidates(db, item, g)) for g in groups]
    return render_template(
        "workshops/staffing.html",
        workshop=item,
        rows=rows,
        roles=ASSIGNMENT_ROLE_CHOICES,
    ), (400 if request.method == "POST" else 200)

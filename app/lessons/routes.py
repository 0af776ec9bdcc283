"""Lesson plans: the library of plans, the builder, review, versions, forks and PDFs."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from curriculum.documents.lessons import render_plan
from curriculum.errors import PermissionDenied, StaleObject, ValidationError
from curriculum.models import PLAN_STATUSES, Method
from curriculum.permissions import can, require
from curriculum.services import lesson_rules as rules
from curriculum.services import lessons as service
from curriculum.services.content import (
    inline_changes,
    list_materials,
    list_modules,
    list_provisions,
)
from curriculum.services.validation import get_or_404
from curriculum.services.workshops import deliveries_of_plan
from curriculum.vocabulary import PlanStatus

from ..choices import SelectChoice, options
from ..extensions import get_db
from ..views import (
    FAILED_FORM_STATUS,
    attempt,
    edit_form,
    form_values,
    page_size,
    requested_page,
    run_action,
    save_form,
    send_document,
)
from .forms import (
    BLANK_OBJECTIVES,
    LANGUAGE_CHOICES,
    ActionForm,
    CommentForm,
    MethodForm,
    NewPlanForm,
    StatusForm,
    field_errors,
    read_builder,
)

bp = Blueprint("lessons", __name__, template_folder="templates")


def status_labels() -> dict[str, str]:
    return {
        "draft": _("Draft"),
        "in_review": _("In review"),
        "approved": _("Approved"),
        "retired": _("Retired"),
    }


def action_labels() -> dict[str, str]:
    return {
        "submit": _("Submit for review"),
        "withdraw": _("Withdraw from review"),
        "approve": _("Approve"),
        "request_changes": _("Request changes"),
        "retire": _("Retire"),
        "reinstate": _("Reinstate"),
    }


def _int_arg(name: str):
    try:
        value = int(request.args.get(name, ""))
        return value if value > 0 else None
    except ValueError:
        return None


@bp.route("/")
@login_required
def index():
    require(current_user, "lesson.view")
    db = get_db()
    filters = service.PlanFilters(
        module=request.args.get("module", ""),
        language=request.args.get("language", "")
        if request.args.get("language") in ("en", "lo")
        else "",
        status=request.args.get("status", "")
        if request.args.get("status") in PLAN_STATUSES
        else "",
        author=_int_arg("author"),
        method=request.args.get("method", ""),
        max_duration=_int_arg("max_duration"),
        min_duration=_int_arg("min_duration"),
        q=request.args.get("q", "")[:200],
        sort=request.args.get("sort", "module")
        if request.args.get("sort") in service.SORTS
        else "module",
    )
    plans = service.page_plans(
        db, filters, page=requested_page(), per_page=page_size("lesson_plans")
    )
    return render_template(
        "lessons/index.html",
        plans=plans,
        filters=filters,
        modules=list_modules(db),
        methods=service.list_methods(db, active_only=False),
        authors=service.plan_authors(db),
        templates=service.list_templates(db),
        statuses=status_labels(),
        waiting=service.waiting_for(db, current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(current_user, "lesson.write")
    db = get_db()
    form = NewPlanForm()
    language = str(current_user.language or "en")
    form.module.choices = options(
        [("", _("Choose…"))] + [(m.code, f"{m.code} {m.title(language)}") for m in list_modules(db)]
    )
    templates = service.list_templates(db)
    form.template.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(
            str(t.id),
            f"{t.title} ({_('%(minutes)s minutes', minutes=t.duration_minutes)})",
            {"lang": t.language},  # a template's title is in its own language
        )
        for t in templates
    ]
    if request.method == "GET":
        form.module.data = request.args.get("module", "")
        form.language.data = request.args.get(
            "language", language if language in ("en", "lo") else "en"
        )
    if form.validate_on_submit():
        response = save_form(
            form,
            lambda db: service.create_plan(
                db,
                current_user,
                module_code=form.module.data,
                language=form.language.data,
                start=form.start.data,
                template_id=form.template.data,
                title=form.title.data,
            ),
            _("Lesson plan created as a draft."),
            lambda plan: url_for(".edit", plan_id=plan.id),
        )
        if response:
            return response
    return render_template("lessons/new.html", form=form, templates=templates)


def _comments_by_activity(plan):
    threads: dict = {}
    for comment in plan.comments:
        threads.setdefault(comment.activity_id, []).append(comment)
    return threads


@bp.route("/<int:plan_id>")
@login_required
def plan(plan_id: int):
    require(current_user, "lesson.view")
    db = get_db()
    plan = service.get_plan(db, plan_id)
    standing = service.standing(db, current_user, plan)
    status_form = StatusForm()
    status_form.lock_version.data = str(plan.lock_version)
    return render_template(
        "lessons/plan.html",
        plan=plan,
        problems=service.plan_problems(plan),
        slots=rules.timeline(a.minutes for a in plan.activities),
        standing=standing,
        actions=rules.available_actions(plan.status, standing),
        forward_actions=rules.FORWARD_ACTIONS,
        action_labels=action_labels(),
        statuses=status_labels(),
        status_form=status_form,
        comment_form=CommentForm(),
        action_form=ActionForm(),
        threads=_comments_by_activity(plan),
        can_edit=service.can_edit(db, current_user, plan),
        can_new_version=service.can_start_version(db, current_user, plan),
        newer=service.newer_version(db, plan),
        versions=service.list_versions(db, plan),
        forks=service.fork_count(db, plan),
        deliveries=deliveries_of_plan(db, plan),
    )


def _builder_context(db, plan, data, errors):
    objectives = list(data["objectives"]) + [
        {"id": "", "text": ""} for _ in range(BLANK_OBJECTIVES)
    ]
    methods = service.list_methods(db, active_only=False)
    minutes = []
    for a in data["activities"]:
        try:
            minutes.append(max(0, int(a.get("minutes") or 0)))
        except (TypeError, ValueError):
            minutes.append(0)
    try:
        problems = service.data_problems(
            db,
            {
                **data,
                "duration_minutes": int(data.get("duration_minutes") or 0),
                "activities": [
                    {
                        **a,
                        "minutes": m,
                        "serves": [int(x) for x in a.get("serves") or [] if str(x).isdigit()],
                    }
                    for a, m in zip(data["activities"], minutes, strict=True)
                ],
            },
        )
    except (TypeError, ValueError):
        problems = []
    key_messages = data.get("key_messages")
    if isinstance(key_messages, list):
        key_messages = "\n".join(key_messages)
    return {
        "plan": plan,
        "data": {**data, "key_messages": key_messages},
        "objectives": objectives,
        "slots": rules.timeline(minutes),
        "total": sum(minutes),
        "problems": problems,
        "errors": {k or "": [str(m) for m in v] for k, v in errors.items()},
        "methods": [
            m
            for m in methods
            if m.active or any(a.get("method") == m.code for a in data["activities"])
        ],
        "provisions": list_provisions(db),
        # the plan's own module's handouts first
        "materials": sorted(
            list_materials(db),
            key=lambda m: (m.module_id != (plan.module_id if plan else None), m.position),
        ),
        "languages": LANGUAGE_CHOICES,
    }


def _require_editable(db, plan):
    if plan.status == PlanStatus.APPROVED:
        flash(
            _("An approved plan is read-only. Start a new version to change it, or fork it."),
            "error",
        )
        return redirect(url_for(".plan", plan_id=plan.id))
    if not service.can_edit(db, current_user, plan):
        raise PermissionDenied(_("Only the plan's authors can edit a draft."))
    return None


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit(plan_id: int):
    require(current_user, "lesson.write")
    db = get_db()
    plan = service.get_plan(db, plan_id)
    refused = _require_editable(db, plan)
    if refused:
        return refused
    errors: dict[str, list[str]] | None = None
    data = service.plan_data(plan)
    lock_version: int | str | None = plan.lock_version
    if request.method == "POST":
        operation = request.form.get("op", "save")
        lock_version = request.form.get("lock_version")
        sent, errors = attempt(lambda db: read_builder(request.form))
        if sent is not None:
            data = sent
            plan, errors = attempt(
                lambda db: service.save_plan(
                    db,
                    current_user,
                    plan_id,
                    data,
                    lock_version,
                    operation=None if operation in ("save", "view") else operation,
                )
            )
        if errors is None:
            if operation == "view":
                flash(_("Draft saved."), "success")
                return redirect(url_for(".plan", plan_id=plan.id))
            if operation == "save":
                flash(_("Draft saved."), "success")
            anchor = ""
            if operation.startswith(("up:", "down:", "move:", "add")):
                anchor = "#activities"
            return redirect(url_for(".edit", plan_id=plan.id) + anchor)
        plan = service.get_plan(db, plan_id)
    context = _builder_context(db, plan, data, field_errors(errors or {}))
    return render_template("lessons/edit.html", lock_version=lock_version, **context)


@bp.route("/<int:plan_id>/autosave", methods=["POST"])
@login_required
def autosave(plan_id: int):
    """The builder's automatic save (JavaScript): the whole form, answered in JSON."""
    db = get_db()
    try:
        plan = service.get_plan(db, plan_id)
        data = read_builder(request.form)
        plan = service.save_plan(db, current_user, plan_id, data, request.form.get("lock_version"))
    except ValidationError as exc:  # every answer of 400 or more is rolled back
        return jsonify(
            saved=False,
            message=_("Not saved: correct the fields marked in red."),
            errors=field_errors(exc.errors),
        ), FAILED_FORM_STATUS
    except StaleObject as exc:
        return jsonify(saved=False, message=str(exc), errors={}), 409
    except PermissionDenied as exc:
        return jsonify(saved=False, message=str(exc), errors={}), 403
    problems = service.plan_problems(plan)
    return jsonify(
        saved=True,
        message=_("Draft saved automatically."),
        lock_version=plan.lock_version,
        objective_ids=[o.id for o in plan.objectives],
        activity_ids=[a.id for a in plan.activities],
        total=plan.total_minutes,
        problems=[
            {"severity": p.severity, "message": str(p.message), "activity": p.activity}
            for p in problems
        ],
    )


@bp.route("/<int:plan_id>/status", methods=["POST"])
@login_required
def change_status(plan_id: int):
    form = StatusForm()
    action = request.form.get("action", "")
    if form.validate_on_submit():
        run_action(
            lambda db: service.change_status(
                db, current_user, plan_id, action, form.comment.data or "", form.lock_version.data
            ),
            _("Done: %(action)s.", action=action_labels().get(action, action)),
        )
    else:
        flash(_("The comment is too long."), "error")
    return redirect(url_for(".plan", plan_id=plan_id))


@bp.route("/<int:plan_id>/comments", methods=["POST"])
@login_required
def comment(plan_id: int):
    require(current_user, "lesson.write")
    form = CommentForm()
    if form.validate_on_submit():
        created = run_action(
            lambda db: service.add_comment(
                db,
                current_user,
                plan_id,
                form.body.data,
                activity_id=form.activity_id.data or None,
                reply_to_id=form.reply_to_id.data or None,
            ),
            _("Comment added."),
        )
        if created is not None:
            return redirect(url_for(".plan", plan_id=plan_id) + f"#comment-{created.id}")
    else:
        flash(_("Write the comment (at most 5000 characters)."), "error")
    return redirect(url_for(".plan", plan_id=plan_id))


@bp.route("/<int:plan_id>/fork", methods=["POST"])
@login_required
def fork(plan_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = run_action(
        lambda db: service.fork_plan(db, current_user, plan_id),
        _("Forked into your own draft. The original stays as it is."),
    )
    if copy is None:
        return redirect(url_for(".plan", plan_id=plan_id))
    return redirect(url_for(".edit", plan_id=copy.id))


@bp.route("/<int:plan_id>/new-version", methods=["POST"])
@login_required
def new_version(plan_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    draft = run_action(lambda db: service.start_new_version(db, current_user, plan_id))
    if draft is None:
        return redirect(url_for(".plan", plan_id=plan_id))
    flash(_("Version %(n)s started as a draft.", n=draft.version), "success")
    return redirect(url_for(".edit", plan_id=draft.id))


@bp.route("/<int:plan_id>/compare")
@login_required
def compare(plan_id: int):
    require(current_user, "lesson.view")
    db = get_db()
    plan = service.get_plan(db, plan_id)
    versions = {p.version: p for p in service.list_versions(db, plan)}
    try:
        a = versions[int(request.args.get("a", max(1, plan.version - 1)))]
        b = versions[int(request.args.get("b", plan.version))]
    except (KeyError, ValueError):
        abort(404)
    return render_template(
        "lessons/compare.html",
        plan=plan,
        old=a,
        new=b,
        diffs=service.compare_plans(a, b),
        inline=inline_changes,
    )


@bp.route("/<int:plan_id>/<any(plan, handout):kind>.pdf")
@login_required
def pdf(plan_id: int, kind: str):
    require(current_user, "lesson.view")
    db = get_db()
    plan = service.get_plan(db, plan_id)
    document = render_plan(db, current_app.extensions["ctg.documents"], plan, kind)
    return send_document(document)


@bp.route("/methods", methods=["GET", "POST"])
@login_required
def methods():
    require(current_user, "lesson.view")
    db = get_db()
    form = MethodForm()
    if request.method == "POST":
        require(current_user, "method.manage")
        if form.validate_on_submit():
            response = save_form(
                form,
                lambda db: service.save_method(db, current_user, form_values(form)),
                _("Method added."),
                lambda _m: url_for(".methods"),
            )
            if response:
                return response
    return render_template(
        "lessons/methods.html",
        methods=service.list_methods(db, active_only=False),
        form=form,
        can_manage=can(current_user, "method.manage"),
    )


@bp.route("/methods/<int:method_id>", methods=["GET", "POST"])
@login_required
def method_edit(method_id: int):
    require(current_user, "method.manage")
    db = get_db()
    method = get_or_404(db, Method, method_id)
    form = edit_form(MethodForm, method)
    form.code.data = method.code
    if form.validate_on_submit():
        response = save_form(
            form,
            lambda db: service.save_method(
                db, current_user, form_values(form), method_id, form.lock_version.data
            ),
            _("Method saved."),
            lambda _m: url_for(".methods"),
        )
        if response:
            return response
    return render_template("lessons/method_edit.html", form=form, method=method)

"""Administration: users, provinces, institutions, the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from curriculum.models import Institution, Province
from curriculum.permissions import require
from curriculum.services import accounts, audit, reference, travel
from curriculum.services.trainers import TrainerFilters, search_trainers
from curriculum.services.validation import as_id, get_or_404

from ..choices import (
    AUDIT_ACTION_CHOICES,
    INSTITUTION_KIND_CHOICES,
    LEVEL_CHOICES,
    RECORD_KIND_CHOICES,
    ROLE_CHOICES,
    options,
    province_choices,
)
from ..extensions import get_db
from ..views import (
    attempt,
    edit_form,
    form_by_id,
    form_values,
    page_size,
    requested_page,
    run_action,
    save_form,
)
from .forms import (
    AuditFilterForm,
    InstitutionForm,
    NewUserForm,
    PasswordResetForm,
    ProvinceForm,
    UserForm,
)

bp = Blueprint("admin", __name__, template_folder="templates")


def _status() -> int:
    return 400 if request.method == "POST" else 200


@bp.route("/")
@login_required
def index():
    require(current_user, "user.manage")
    return redirect(url_for(".users"))


# -- users -----------------------------------------------------------------------------------


def _trainer_choices(db):
    result = search_trainers(db, current_user, TrainerFilters(per_page=1000, sort="name"))
    return [("", _("No trainer"))] + [
        (t.id, f"{t.name_latin} ({t.institution.short_name})") for t in result.found.items
    ]


@bp.route("/users")
@login_required
def users():
    return render_template(
        "admin/users.html",
        users=accounts.list_users(get_db(), current_user),
        role_labels={k: str(v) for k, v in ROLE_CHOICES},
    )


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def user_new():
    require(current_user, "user.manage")
    form = NewUserForm()
    form.trainer_id.choices = _trainer_choices(get_db())
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: accounts.create_user(db, current_user, form_values(form)),
            _("The account was created."),
            lambda user: url_for(".users"),
        )
        if done:
            return done
    return render_template("admin/user_form.html", form=form, user=None), _status()


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    user = accounts.get_user(get_db(), current_user, user_id)
    form = edit_form(UserForm, user)
    form.trainer_id.choices = _trainer_choices(get_db())
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: accounts.update_user(
                db, current_user, user_id, form_values(form), form.lock_version.data
            ),
            _("The changes were saved."),
            lambda u: url_for(".users"),
        )
        if done:
            return done
    return render_template("admin/user_form.html", form=form, user=user), _status()


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@login_required
def user_active(user_id: int):
    db = get_db()
    user = accounts.get_user(db, current_user, user_id)
    make_active = not user.active
    run_action(
        lambda db: accounts.set_active(db, current_user, user_id, make_active),
        _("The account was reactivated.") if make_active else _("The account was deactivated."),
    )
    return redirect(url_for(".users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@login_required
def user_password(user_id: int):
    user = accounts.get_user(get_db(), current_user, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: accounts.reset_password(db, current_user, user_id, form.password.data),
            _("The password was set. Give it to the person privately."),
            lambda u: url_for(".users"),
        )
        if done:
            return done
    return render_template("admin/user_password.html", form=form, user=user), _status()


# -- provinces and institutions ----------------------------------------------------------------


@bp.route("/provinces")
@login_required
def provinces():
    require(current_user, "reference.manage")
    return render_template("admin/provinces.html", provinces=reference.list_provinces(get_db()))


@bp.route("/provinces/<int:province_id>/edit", methods=["GET", "POST"])
@login_required
def province_edit(province_id: int):
    require(current_user, "reference.manage")
    province = get_or_404(get_db(), Province, province_id)
    form = edit_form(ProvinceForm, province)
    if request.method == "GET":
        form.alt_names.data = "\n".join(province.alt_names)
    if form.validate_on_submit():
        values = form_values(form)
        values["alt_names"] = (form.alt_names.data or "").splitlines()
        done = save_form(
            form,
            lambda db: reference.update_province(
                db, current_user, province_id, values, form.lock_version.data
            ),
            _("The changes were saved."),
            lambda p: url_for(".provinces"),
        )
        if done:
            return done
    return render_template("admin/province_form.html", form=form, province=province), _status()


def _institution_form(obj=None):
    form = edit_form(InstitutionForm, obj) if obj is not None else InstitutionForm()
    form.province.choices = options(province_choices(get_db(), blank=_("None (central)")))
    if obj is not None and request.method == "GET":
        form.province.data = obj.province.code if obj.province else ""
    return form


@bp.route("/institutions")
@login_required
def institutions():
    require(current_user, "reference.manage")
    return render_template(
        "admin/institutions.html",
        institutions=reference.list_institutions(get_db()),
        kind_labels={k: str(v) for k, v in INSTITUTION_KIND_CHOICES},
        level_labels={k: str(v) for k, v in LEVEL_CHOICES},
    )


@bp.route("/institutions/new", methods=["GET", "POST"])
@login_required
def institution_new():
    require(current_user, "reference.manage")
    form = _institution_form()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: reference.create_institution(db, current_user, form_values(form)),
            _("The institution was added."),
            lambda i: url_for(".institutions"),
        )
        if done:
            return done
    return render_template("admin/institution_form.html", form=form, institution=None), _status()


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@login_required
def institution_edit(institution_id: int):
    require(current_user, "reference.manage")
    institution = get_or_404(get_db(), Institution, institution_id)
    form = _institution_form(institution)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: reference.update_institution(
                db, current_user, institution_id, form_values(form), form.lock_version.data
            ),
            _("The changes were saved."),
            lambda i: url_for(".institutions"),
        )
        if done:
            return done
    return render_template(
        "admin/institution_form.html", form=form, institution=institution
    ), _status()


@bp.route("/institutions/<int:institution_id>/delete", methods=["POST"])
@login_required
def institution_delete(institution_id: int):
    run_action(
        lambda db: reference.delete_institution(db, current_user, institution_id),
        _("The institution was deleted."),
    )
    return redirect(url_for(".institutions"))


# -- road times between provinces ---------------------------------------------------------


@bp.route("/travel")
@login_required
def travel_times():
    require(current_user, "reference.manage")
    db = get_db()
    return render_template(
        "admin/travel.html",
        provinces=reference.list_provinces(db),
        estimates=travel.estimates_left(db),
    )


@bp.route("/travel/<int:province_id>", methods=["GET", "POST"])
@login_required
def travel_from(province_id: int):
    """The road from one province to each of the others, set in hours."""
    require(current_user, "reference.manage")
    db = get_db()
    province = get_or_404(db, Province, province_id)
    errors: dict[str, list[str]] | None = None
    typed: dict[int, str] = {}
    confirmed: set[int] = set()
    if request.method == "POST":
        typed = form_by_id("hours_")
        confirmed = {i for v in request.form.getlist("confirm") if (i := as_id(v))}
        changed, errors = attempt(
            lambda db: travel.set_trips(
                db, current_user, province_id, typed, form_by_id("version_"), confirmed
            )
        )
        if errors is not None and not any(k.startswith("hours_") for k in errors):
            typed, confirmed = {}, set()  # someone else saved: show theirs, as it is now
        if errors is None:
            flash(
                ngettext("%(num)d road time saved.", "%(num)d road times saved.", changed),
                "success",
            )
            return redirect(url_for(".travel_from", province_id=province_id))
    return render_template(
        "admin/travel_from.html",
        province=province,
        trips=travel.trips_from(db, province_id),
        typed=typed,
        confirmed=confirmed,
        errors=errors or {},
        hours=travel.hours_text,
    ), (400 if errors else 200)


# -- audit log -------------------------------------------------------------------------------


@bp.route("/audit")
@login_required
def audit_log():
    require(current_user, "audit.view")
    db = get_db()
    form = AuditFilterForm(request.args)
    kinds = dict(RECORD_KIND_CHOICES)
    form.object_type.choices = options(
        [("", _("All"))] + [(t, kinds.get(t, t)) for t in audit.object_types(db)]
    )
    form.user_id.choices = options(
        [("", _("Anyone"))]
        + [(u.id, f"{u.name} <{u.email}>") for u in accounts.list_users(db, current_user)]
    )
    filters = {}
    if form.validate():
        filters = {
            "object_type": form.object_type.data or None,
            "object_id": form.object_id.data,
            "user_id": form.user_id.data,
            "date_from": form.date_from.data,
            "date_to": form.date_to.data,
        }
    result = audit.list_events(
        db, current_user, page=requested_page(), per_page=page_size("audit"), **filters
    )
    action_labels = {code: str(label) for code, label in AUDIT_ACTION_CHOICES}
    return render_template(
        "admin/audit.html", form=form, result=result, action_labels=action_labels
    )

"""The trainer registry: list, profile, forms. Each route parses a form and calls one service."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from curriculum.permissions import require
from curriculum.services import qualifications as qualification_service
from curriculum.services import trainers as service

from ..choices import (
    LANGUAGE_CHOICES,
    QUALIFICATION_LEVEL_CHOICES,
    SEX_CHOICES,
    STATUS_CHOICES,
    TRAINING_KIND_CHOICES,
    institution_choices,
    label,
    module_choices,
    options,
    province_choices,
)
from ..extensions import get_db
from ..views import edit_form, form_values, page_size, record_id, requested_page, save_form
from .forms import (
    ContactsForm,
    DeleteForm,
    QualificationForm,
    TrainerForm,
    TrainingRecordForm,
    UnavailabilityForm,
)

bp = Blueprint("trainers", __name__, template_folder="templates")


def _status(form) -> int:
    return 400 if request.method == "POST" else 200


def _trainer_form(form_class, obj=None):
    db = get_db()
    form = edit_form(form_class, obj) if obj is not None else form_class()
    if hasattr(form, "base_province"):
        form.base_province.choices = options(province_choices(db, blank=_("Choose a province")))
        form.institution_id.choices = options(
            institution_choices(db, blank=_("Choose an institution"))
        )
        if obj is not None and request.method == "GET":
            form.base_province.data = obj.base_province.code
    return form


@bp.route("/")
@login_required
def index():
    db = get_db()
    args = request.args
    filters = service.TrainerFilters(
        query=args.get("q", "")[:200],
        institution_id=args.get("institution", type=record_id),
        province_code=args.get("province") or None,
        sex=args.get("sex") if args.get("sex") in dict(SEX_CHOICES) else None,
        status=args.get("status") if args.get("status") in dict(STATUS_CHOICES) else None,
        sort=args.get("sort", "name"),
        page=requested_page(),
        per_page=page_size("trainers"),
    )
    result = service.search_trainers(db, current_user, filters)
    return render_template(
        "trainers/index.html",
        result=result,
        filters=filters,
        institutions=institution_choices(db),
        provinces=province_choices(db),
        sexes=SEX_CHOICES,
        statuses=STATUS_CHOICES,
        sorts=service.SORTS,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(current_user, "trainer.create")
    form = _trainer_form(TrainerForm)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.create_trainer(db, current_user, form_values(form)),
            _("The trainer was added."),
            lambda trainer: url_for(".profile", trainer_id=trainer.id),
        )
        if done:
            return done
    return render_template("trainers/form.html", form=form, trainer=None), _status(form)


@bp.route("/<int:trainer_id>")
@login_required
def profile(trainer_id: int):
    trainer = service.get_trainer(get_db(), current_user, trainer_id)
    return render_template(
        "trainers/profile.html",
        trainer=trainer,
        sex_label=label(SEX_CHOICES, trainer.sex),
        status_label=label(STATUS_CHOICES, trainer.status),
        language_labels=[label(LANGUAGE_CHOICES, code) for code in trainer.languages],
        kind_labels={k: str(v) for k, v in TRAINING_KIND_CHOICES},
        level_labels={k: str(v) for k, v in QUALIFICATION_LEVEL_CHOICES},
    )


@bp.route("/<int:trainer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(trainer_id: int):
    trainer = service.get_trainer(get_db(), current_user, trainer_id)
    require(current_user, "trainer.edit", trainer)
    form = _trainer_form(TrainerForm, trainer)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.update_trainer(
                db, current_user, trainer_id, form_values(form), form.lock_version.data
            ),
            _("The changes were saved."),
            lambda t: url_for(".profile", trainer_id=t.id),
        )
        if done:
            return done
    return render_template("trainers/form.html", form=form, trainer=trainer), _status(form)


@bp.route("/<int:trainer_id>/contacts", methods=["GET", "POST"])
@login_required
def contacts(trainer_id: int):
    trainer = service.get_trainer(get_db(), current_user, trainer_id)
    require(current_user, "trainer.edit_contacts", trainer)
    form = _trainer_form(ContactsForm, trainer)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.update_contacts(
                db, current_user, trainer_id, form_values(form), form.lock_version.data
            ),
            _("Your contact details were saved."),
            lambda t: url_for(".profile", trainer_id=t.id),
        )
        if done:
            return done
    return render_template("trainers/contacts.html", form=form, trainer=trainer), _status(form)


@bp.route("/<int:trainer_id>/delete", methods=["GET", "POST"])
@login_required
def delete(trainer_id: int):
    trainer = service.get_trainer(get_db(), current_user, trainer_id)
    require(current_user, "trainer.delete", trainer)
    form = DeleteForm()
    if form.validate_on_submit():
        db = get_db()
        service.delete_trainer(db, current_user, trainer_id)
        flash(_("The trainer and their records were deleted."), "success")
        return redirect(url_for(".index"))
    return render_template("trainers/delete.html", form=form, trainer=trainer)


# -- training records --------------------------------------------------------------------------


@bp.route("/<int:trainer_id>/records/new", methods=["GET", "POST"])
@login_required
def record_new(trainer_id: int):
    trainer = service.get_trainer(get_db(), current_user, trainer_id)
    require(current_user, "training_record.manage", trainer)
    form = TrainingRecordForm()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.add_training_record(db, current_user, trainer_id, form_values(form)),
            _("The training record was added."),
            lambda record: url_for(".profile", trainer_id=trainer_id, _anchor="training"),
        )
        if done:
            return done
    return render_template("trainers/record_form.html", form=form, trainer=trainer), _status(form)


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def record_edit(record_id: int):
    record = service.get_training_record(get_db(), current_user, record_id)
    form = edit_form(TrainingRecordForm, record)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.update_training_record(
                db, current_user, record_id, form_values(form), form.lock_version.data
            ),
            _("The changes were saved."),
            lambda r: url_for(".profile", trainer_id=r.trainer_id, _anchor="training"),
        )
        if done:
            return done
    return render_template(
        "trainers/record_form.html", form=form, trainer=record.trainer, record=record
    ), _status(form)


@bp.route("/records/<int:record_id>/delete", methods=["POST"])
@login_required
def record_delete(record_id: int):
    form = DeleteForm()
    record = service.get_training_record(get_db(), current_user, record_id)
    trainer_id = record.trainer_id
    if form.validate_on_submit():
        db = get_db()
        service.delete_training_record(db, current_user, record_id)
        flash(_("The training record was deleted."), "success")
    return redirect(url_for(".profile", trainer_id=trainer_id, _anchor="training"))


# -- unavailability ----------------------------------------------------------------------------


@bp.route("/<int:trainer_id>/unavailability/new", methods=["GET", "POST"])
@login_required
def unavailability_new(trainer_id: int):
    trainer = service.get_trainer(get_db(), current_user, trainer_id)
    require(current_user, "unavailability.manage", trainer)
    form = UnavailabilityForm()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.add_unavailability(db, current_user, trainer_id, form_values(form)),
            _("The period was added."),
            lambda item: url_for(".profile", trainer_id=trainer_id, _anchor="unavailability"),
        )
        if done:
            return done
    return render_template(
        "trainers/unavailability_form.html", form=form, trainer=trainer
    ), _status(form)


@bp.route("/unavailability/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def unavailability_edit(item_id: int):
    item = service.get_unavailability(get_db(), current_user, item_id)
    form = edit_form(UnavailabilityForm, item)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.update_unavailability(
                db, current_user, item_id, form_values(form), form.lock_version.data
            ),
            _("The changes were saved."),
            lambda u: url_for(".profile", trainer_id=u.trainer_id, _anchor="unavailability"),
        )
        if done:
            return done
    return render_template(
        "trainers/unavailability_form.html", form=form, trainer=item.trainer, item=item
    ), _status(form)


@bp.route("/unavailability/<int:item_id>/delete", methods=["POST"])
@login_required
def unavailability_delete(item_id: int):
    form = DeleteForm()
    item = service.get_unavailability(get_db(), current_user, item_id)
    trainer_id = item.trainer_id
    if form.validate_on_submit():
        db = get_db()
        service.delete_unavailability(db, current_user, item_id)
        flash(_("The period was deleted."), "success")
    return redirect(url_for(".profile", trainer_id=trainer_id, _anchor="unavailability"))


# -- qualifications ----------------------------------------------------------------------------


def _qualification_form(obj=None):
    form = edit_form(QualificationForm, obj) if obj is not None else QualificationForm()
    form.module_id.choices = module_choices(get_db())
    if obj is not None and request.method == "GET":
        form.module_id.data = str(obj.module_id)
    return form


@bp.route("/<int:trainer_id>/qualifications/new", methods=["GET", "POST"])
@login_required
def qualification_new(trainer_id: int):
    trainer = service.get_trainer(get_db(), current_user, trainer_id)
    require(current_user, "qualification.manage")
    form = _qualification_form()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: qualification_service.grant_qualification(
                db, current_user, trainer_id, form_values(form)
            ),
            _("The qualification was added."),
            lambda q: url_for(".profile", trainer_id=trainer_id, _anchor="qualifications"),
        )
        if done:
            return done
    return render_template("trainers/qualification_form.html", form=form, trainer=trainer), _status(
        form
    )


@bp.route("/qualifications/<int:qualification_id>/edit", methods=["GET", "POST"])
@login_required
def qualification_edit(qualification_id: int):
    db = get_db()
    require(current_user, "qualification.manage")
    qualification = qualification_service.get_qualification(db, qualification_id)
    form = _qualification_form(qualification)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda db: qualification_service.update_qualification(
                db, current_user, qualification_id, form_values(form), form.lock_version.data
            ),
            _("The changes were saved."),
            lambda q: url_for(".profile", trainer_id=q.trainer_id, _anchor="qualifications"),
        )
        if done:
            return done
    return render_template(
        "trainers/qualification_form.html",
        form=form,
        trainer=qualification.trainer,
        qualification=qualification,
    ), _status(form)


@bp.route("/qualifications/<int:qualification_id>/delete", methods=["POST"])
@login_required
def qualification_delete(qualification_id: int):
    form = DeleteForm()
    db = get_db()
    require(current_user, "qualification.manage")
    qualification = qualification_service.get_qualification(db, qualification_id)
    trainer_id = qualification.trainer_id
    if form.validate_on_submit():
        qualification_service.withdraw_qualification(db, current_user, qualification_id)
        flash(_("The qualification was withdrawn."), "success")
    return redirect(url_for(".profile", trainer_id=trainer_id, _anchor="qualifications"))

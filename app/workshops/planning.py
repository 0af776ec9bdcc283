"""A rollout's "Propose a plan" page: the planner's settings, the search as a background
job with its progress, the proposal beside what is already planned, locks and accepting."""

from __future__ import annotations

import dataclasses
import time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from curriculum.models import Rollout
from curriculum.permissions import require
from curriculum.services import proposals
from curriculum.services import workshops as service
from curriculum.services.validation import ValidationError, get_or_404

from ..extensions import get_db
from ..jobs import plan_store, planner_defaults
from ..views import error_texts, form_failed, run_action
from .forms import PlanSettingsForm
from .routes import bp

# A search whose progress has not moved for this long (beyond its own search time) was
# lost (a consumer stopped): the page offers to start it again.
LOST_AFTER_SECONDS = 120


def _prepared(db, rollout: Rollout, settings: proposals.Settings):
    """The planner's input, or the reasons the rollout cannot be planned yet."""
    try:
        return proposals.prepare(db, rollout, settings), []
    except ValidationError as exc:
        return None, [t for texts in error_texts(exc).values() for t in texts]


def _fill(form: PlanSettingsForm, settings: proposals.Settings) -> None:
    form.days.data = settings.days
    form.modules_per_workshop.data = settings.modules_per_workshop
    form.hours_a_day.data = settings.hours_a_day
    form.seconds.data = int(settings.seconds)
    for name, value in dataclasses.asdict(settings.weights).items():
        form[f"weight_{name}"].data = value


def _running(state: dict | None, seconds: float) -> bool:
    if state is None:
        return False
    quiet = time.time() - state["started"] - state.get("at", 0)
    return quiet < seconds * 4 + LOST_AFTER_SECONDS


@bp.route("/rollouts/<int:rollout_id>/plan", methods=["GET", "POST"])
@login_required
def plan(rollout_id: int):
    require(current_user, "workshop.manage")
    db = get_db()
    rollout = get_or_404(db, Rollout, rollout_id)
    defaults = planner_defaults(current_app)
    store = plan_store(current_app)
    form = PlanSettingsForm()
    if request.method == "GET":
        _fill(form, proposals.settings_of(rollout, defaults))
    elif form.validate_on_submit():
        try:
            settings = proposals.save_settings(db, current_user, rollout.id, form.data, defaults)
        except ValidationError as exc:
            db.rollback()
            form_failed()
            for name, texts in error_texts(exc).items():
                target = form[name].errors if name in form else form.form_errors
                target.extend(texts)
        else:
            prepared, problems = _prepared(db, rollout, settings)
            if prepared is None:
                # the settings are kept (committed as the view returns); the page says
                # what stops the plan
                for text in problems:
                    flash(text, "error")
                return redirect(url_for(".plan", rollout_id=rollout.id))
            name = prepared.digest
            if store.result(name) is None and not _running(store.progress(name), settings.seconds):
                store.start(name, settings.seconds)  # the job reads no row: the input goes with it
                current_app.extensions["ctg.jobs"]["propose_plan"](
                    prepared.instance, prepared.seconds, prepared.seed, name
                )
            return redirect(url_for(".plan", rollout_id=rollout.id, run=name))
    settings = proposals.settings_of(rollout, defaults)
    prepared, problems = _prepared(db, rollout, settings)
    name = request.args.get("run", "")
    run = None
    if name.isalnum() and len(name) <= 64:
        result = store.result(name)
        state = store.progress(name)
        run = {
            "name": name,
            "result": result,
            "error": store.error(name),
            "progress": state,
            "running": result is None and _running(state, settings.seconds),
            "elapsed": int(time.time() - state["started"]) if state else 0,
            "current": prepared is not None and prepared.digest == name,
        }
        if result is not None and prepared is not None and run["current"]:
            if result.get("found"):
                run["rows"] = proposals.rows(db, prepared, result)
            else:
                run["reasons"] = proposals.reasons(db, prepared, result)
    return render_template(
        "workshops/plan.html",
        rollout=rollout,
        form=form,
        settings=settings,
        problems=problems,
        prepared=prepared,
        run=run,
        workshops=service.rollout_workshops(db, rollout.id),
    )


@bp.route("/rollouts/<int:rollout_id>/plan/<run>/accept", methods=["POST"])
@login_required
def plan_accept(rollout_id: int, run: str):
    require(current_user, "workshop.manage")
    accepted = request.form.getlist("accept")
    locked = request.form.getlist("lock")
    made = run_action(
        lambda db: proposals.accept(
            db,
            current_user,
            rollout_id,
            run,
            accepted,
            locked,
            plan_store(current_app),
            planner_defaults(current_app),
        )
    )
    if made is None:
        return redirect(url_for(".plan", rollout_id=rollout_id, run=run))
    still_locked = [key for key in dict.fromkeys(locked) if key not in accepted]
    if still_locked:
        flash(
            ngettext(
                "%(num)d workshop is locked: the next proposal keeps its dates and trainers.",
                "%(num)d workshops are locked: the next proposal keeps their dates and trainers.",
                len(still_locked),
            ),
            "success",
        )
    elif not made:
        flash(
            _("No workshop of this proposal is locked now: the next proposal may move any."),
            "success",
        )
    if not made:
        return redirect(url_for(".plan", rollout_id=rollout_id))
    flash(
        ngettext(
            "%(num)d workshop was added to the rollout, with its agenda and team.",
            "%(num)d workshops were added to the rollout, with their agendas and teams.",
            len(made),
        ),
        "success",
    )
    return redirect(url_for(".rollout", rollout_id=rollout_id) + "#coverage")

"""Sign in and out, one's own password and language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from limits import parse

from curriculum.errors import ValidationError
from curriculum.permissions import require
from curriculum.services import accounts

from ..choices import ROLE_CHOICES, label
from ..extensions import get_db, limiter
from ..views import apply_errors
from .forms import LanguageForm, LoginForm, PasswordChangeForm

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("dashboard.home")


def _login_keys(email: str | None) -> list[tuple[str, str]]:
    return [
        ("login-address", request.remote_addr or "unknown"),
        ("login-account", (email or "").strip().lower()),
    ]


def _admit_attempt(limit, keys) -> bool:
    """Count this attempt against the limit of its address and its account before its
    password is checked (the storage counts atomically, so attempts sent at once are counted
    one by one and only the first few are checked); False when a limit is spent."""
    if not limiter.enabled:
        return True
    admitted = [limiter.limiter.hit(limit, *key) for key in keys]  # every key counts
    return all(admitted)


def _give_back_attempt(limit, keys) -> None:
    if limiter.enabled:
        for key in keys:
            limiter.limiter.hit(limit, *key, cost=-1)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        limit = parse(current_app.config["LOGIN_LIMIT"])
        keys = _login_keys(form.email.data)
        if not _admit_attempt(limit, keys):
            form.form_errors = [
                _("Too many failed sign-in attempts. Wait a minute, then try again.")
            ]
            status = 429
        else:
            db = get_db()
            try:
                user = accounts.authenticate(db, form.email.data, form.password.data)
            except ValidationError as exc:  # answered 401: nothing is committed
                apply_errors(form, exc)
                status = 401
            else:
                _give_back_attempt(limit, keys)  # only failures count against the limit
                session.clear()
                accounts.start_session(db, user)
                login_user(user)
                session.permanent = True
                return redirect(_safe_next(form.next.data))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.end_session(get_db(), current_user.login_id)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    require(current_user, "account.manage_own")
    form = PasswordChangeForm()
    if form.validate_on_submit():
        db = get_db()
        try:
            accounts.change_own_password(
                db, current_user, form.current_password.data, form.new_password.data
            )
        except ValidationError as exc:
            apply_errors(form, exc)  # refused: nothing is committed
        else:
            flash(_("Your password was changed. Other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", form=form, role_label=label(ROLE_CHOICES, current_user.role)
    ), (400 if form.errors else 200)


@bp.route("/language", methods=["POST"])
def language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["lang"] = form.language.data
    if current_user.is_authenticated:
        db = get_db()
        accounts.set_language(db, current_user, form.language.data)
    return redirect(_safe_next(form.next.data))

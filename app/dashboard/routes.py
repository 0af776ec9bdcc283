"""The home page: panels per role. Later areas add their panels here."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from curriculum.permissions import require
from curriculum.services import dashboard

from ..extensions import get_db

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.route("/")
@login_required
def home():
    require(current_user, "dashboard.view")
    panels = dashboard.home_panels(get_db(), current_user)
    return render_template("dashboard/home.html", panels=panels)

from flask import Blueprint

bp = Blueprint("workshops", __name__, template_folder="templates")

from . import calendar, routes  # noqa: E402,F401

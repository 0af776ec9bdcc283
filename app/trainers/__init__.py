from flask import Blueprint

bp = Blueprint("trainers", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401

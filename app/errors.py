"""Error pages: every failure a person can meet gets a page in their language."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from curriculum.errors import NotFound, PermissionDenied


def register(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(PermissionDenied)
    @app.errorhandler(403)
    def forbidden(exc):
        reason = str(exc) if isinstance(exc, PermissionDenied) else ""
        return page(403, _("Not allowed"), reason or _("You do not have permission to do this."))

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(exc):
        # a service's NotFound may say what is missing (a paper with nothing to print)
        reason = str(exc.args[0]) if isinstance(exc, NotFound) and exc.args else ""
        return page(
            404,
            _("Not found"),
            reason or _("There is no page at this address, or the record was deleted."),
        )

    @app.errorhandler(405)
    def not_allowed(_exc):
        return page(405, _("Not possible"), _("This page cannot be used that way."))

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return page(
            400,
            _("The form could not be accepted"),
            _(
                "The form was open too long or was sent from another site. Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(400)
    def bad_request(_exc):
        return page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(413)
    def too_large(_exc):
        return page(413, _("Too large"), _("What you sent is too large."))

    @app.errorhandler(429)
    def too_many(_exc):
        return page(
            429, _("Too many requests"), _("Too many attempts. Wait a minute and try again.")
        )

    @app.errorhandler(500)
    def server_error(_exc):
        return page(
            500, _("Something went wrong"), _("The error was logged. Nothing was saved; try again.")
        )

"""Participants: the public certificate check (more pages come with registration and reports)."""

from __future__ import annotations

from flask import current_app, render_template, request

from curriculum.services import certificates

from ..extensions import get_db, limiter
from . import bp


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_LIMIT", "10 per minute")


@bp.route("/verify")
@limiter.limit(_verify_limit)
def verify():
    """Anyone may check a certificate number; the page shows only name, workshop and dates."""
    number = request.args.get("number", "")[:64]
    found = certificates.verify(get_db(), number) if number else None
    return render_template(
        "participants/verify.html", number=number, found=found, checked=bool(number)
    )

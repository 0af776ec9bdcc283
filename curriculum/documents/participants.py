"""Paper for a workshop day: the sign-in sheet, names printed in Lao and Latin script."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..i18n import _
from ..lao import collation_key
from ..models import Registration, Workshop
from .guide import page_label_css
from .render import (
    CachedDocument,
    Settings,
    add_line_breaks,
    cached,
    content_key,
    render_pdf,
    render_template,
    store,
)

WALK_IN_ROWS = 8
LISTED = ("invited", "registered", "attended")


def sign_in_data(session: Session, workshop: Workshop, day: dt.date, language: str) -> dict:
    if not workshop.start_date <= day <= workshop.end_date:
        raise NotFound(_("That day is not a day of the workshop."))
    registrations = list(
        session.scalars(
            select(Registration).where(
                Registration.workshop_id == workshop.id, Registration.status.in_(LISTED)
            )
        )
    )
    people = sorted(
        (r.participant for r in registrations),
        key=lambda p: (collation_key(p.family_name_lo or p.family_name_latin), p.family_name_latin),
    )
    return {
        "title": workshop.title,
        "province": workshop.province.name_lo if language == "lo" else workshop.province.name_en,
        "venue": workshop.venue,
        "day": day.isoformat(),
        "day_number": (day - workshop.start_date).days + 1,
        "people": [
            {
                "lao": p.name_lao,
                "latin": p.name_latin,
                "institution": p.institution.short_name if p.institution else "",
            }
            for p in people
        ],
        "blank": WALK_IN_ROWS,
    }


def render_sign_in_sheet(
    session: Session, settings: Settings, workshop: Workshop, day: dt.date, language: str = "lo"
) -> CachedDocument:
    language = language if language in ("en", "lo") else "lo"
    data = sign_in_data(session, workshop, day, language)
    document = cached(
        settings,
        content_key("sign-in", language, data),
        f"sign-in-workshop-{workshop.id}-{day.isoformat()}-{language}.pdf",
    )
    if not document.ready:
        html = render_template(
            settings,
            language,
            "sign_in.html",
            d=data,
            page_label=page_label_css(settings, language),
        )
        store(document, render_pdf(add_line_breaks(html)))
    return document

"""Paper for a workshop day: the sign-in sheet, names printed in Lao and Latin script."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import localise
from ..errors import NotFound
from ..i18n import _
from ..lao import collation_key
from ..models import Registration, Workshop
from .certificates import covered_modules
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


def paper_order(person) -> tuple:
    """The order of names on paper: family name in Lao alphabetical order (Latin after)."""
    return collation_key(
        person.family_name_lo or person.family_name_latin
    ), person.family_name_latin


def sign_in_data(db: Session, workshop: Workshop, day: dt.date, language: str) -> dict:
    if not workshop.start_date <= day <= workshop.end_date:
        raise NotFound(_("That day is not a day of the workshop."))
    registrations = list(
        db.scalars(
            select(Registration).where(
                Registration.workshop_id == workshop.id, Registration.status.in_(LISTED)
            )
        )
    )
    people = sorted(
        (r.participant for r in registrations),
        key=paper_order,
    )
    return {
        "title": localise.local_name(workshop, language, "title"),
        "province": localise.local_name(workshop.province, language),
        "venue": workshop.venue,
        "day": localise.day(day, language),
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
    db: Session, settings: Settings, workshop: Workshop, day: dt.date, language: str = "lo"
) -> CachedDocument:
    language = language if language in ("en", "lo") else "lo"
    data = sign_in_data(db, workshop, day, language)
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


# -- the attendance grid, the pre/post test and the evaluation form ----------------------------

PAPERS = ("attendance", "test", "evaluation")


def _pick(texts: dict, language: str) -> tuple[str, str]:
    if language == "lo" and texts.get("lo"):
        return texts["lo"], "lo"
    return texts.get("en", ""), "en"


def paper_data(db: Session, workshop: Workshop, kind: str, language: str) -> dict:
    """What the paper of ``kind`` prints: the people and days, or the modules' questions."""
    modules = covered_modules(workshop)
    days = [
        workshop.start_date + dt.timedelta(days=i)
        for i in range((workshop.end_date - workshop.start_date).days + 1)
    ]
    data: dict[str, Any] = {
        "kind": kind,
        "title": localise.local_name(workshop, language, "title"),
        "province": localise.local_name(workshop.province, language),
        "dates": localise.date_range(workshop.start_date, workshop.end_date, language),
        "modules": [
            {
                "code": m.code,
                "title": (m.title_lo or m.title_en) if language == "lo" else m.title_en,
            }
            for m in modules
        ],
    }
    if kind == "attendance":
        registrations = db.scalars(
            select(Registration).where(
                Registration.workshop_id == workshop.id,
                Registration.status.in_(("registered", "attended")),
            )
        )
        regs = sorted(
            registrations,
            key=lambda r: paper_order(r.participant),
        )
        data["days"] = [localise.short_day(d, language) for d in days]
        data["people"] = [
            {
                "lao": r.participant.name_lao,
                "latin": r.participant.name_latin,
                "present": [any(a.day == d and a.present for a in r.attendance) for d in days],
            }
            for r in regs
        ]
        data["blank"] = 4
    elif kind == "test":
        questions = []
        for m in modules:
            for q in m.content.get("quiz", []):
                text, q_language = _pick(q["question"], language)
                choices = (
                    q["choices"]["lo"]
                    if q_language == "lo" and q["choices"].get("lo")
                    else q["choices"]["en"]
                )
                questions.append(
                    {
                        "module": m.code,
                        "text": text,
                        "language": q_language,
                        "choices": list(choices),
                        "answer": q["answer"],
                    }
                )
        data["questions"] = questions
    return data


def render_paper(
    db: Session, settings: Settings, workshop: Workshop, kind: str, language: str = "lo"
) -> CachedDocument:
    if kind not in PAPERS:
        raise NotFound(_("There is no such paper."))
    language = language if language in ("en", "lo") else "lo"
    data = paper_data(db, workshop, kind, language)
    document = cached(
        settings,
        content_key(f"paper-{kind}", language, data),
        f"{kind}-workshop-{workshop.id}-{language}.pdf",
    )
    if not document.ready:
        html = render_template(
            settings, language, "paper.html", d=data, page_label=page_label_css(settings, language)
        )
        store(document, render_pdf(add_line_breaks(html)))
    return document

"""Certificates of a workshop: one landscape page per participant who earned one, in English,
Lao or both, with the number that the public page checks and room for a seal."""

from __future__ import annotations

import base64

from sqlalchemy.orm import Session

from ..models import Module, Registration, Workshop
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

LANGUAGES = ("en", "lo", "both")


def covered_modules(workshop: Workshop) -> list:
    """The modules of the workshop's sessions, once each, in code order."""
    modules: dict[str, Module] = {}
    for s in workshop.sessions:
        module = s.lesson_plan.module if s.lesson_plan else s.module
        if s.kind == "session" and module is not None:
            modules.setdefault(module.code, module)
    return [modules[code] for code in sorted(modules)]


def certificate_data(
    workshop: Workshop, registrations: list[Registration], verify_url: str
) -> dict:
    signatories = []
    for line in (workshop.rollout.signatories or "").splitlines():
        name, _sep, title = line.partition("|")
        if name.strip():
            signatories.append({"name": name.strip(), "title": title.strip()})
    return {
        "workshop": {
            "title": workshop.title,
            "province_en": workshop.province.name_en,
            "province_lo": workshop.province.name_lo,
            "start": workshop.start_date.isoformat(),
            "end": workshop.end_date.isoformat(),
        },
        "modules": [
            {"code": m.code, "en": m.title_en, "lo": m.title_lo or m.title_en}
            for m in covered_modules(workshop)
        ],
        "trainers": [
            a.trainer.name_latin for a in workshop.assignments if a.response != "declined"
        ],
        "signatories": signatories,
        "logo": (
            f"data:{workshop.rollout.logo_type};base64,"
            + base64.b64encode(workshop.rollout.logo).decode()
            if workshop.rollout.logo
            else ""
        ),
        "verify_url": verify_url,
        "people": [
            {
                "latin": r.participant.name_latin,
                "lao": r.participant.name_lao,
                "number": r.certificate_number,
            }
            for r in registrations
        ],
    }


def render_certificates(
    session: Session,
    settings: Settings,
    workshop: Workshop,
    registrations: list[Registration],
    language: str,
    verify_url: str,
) -> CachedDocument:
    language = language if language in LANGUAGES else "both"
    data = certificate_data(workshop, registrations, verify_url)
    document = cached(
        settings,
        content_key("certificates", language, data),
        f"certificates-workshop-{workshop.id}-{language}.pdf",
    )
    if not document.ready:
        html = render_template(
            settings, "lo" if language == "lo" else "en", "certificates.html", d=data, mode=language
        )
        store(document, render_pdf(add_line_breaks(html)))
    return document

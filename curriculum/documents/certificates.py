"""Certificates of a workshop: one landscape page per participant who earned one, in English,
Lao or both, with the number that the public page checks and room for a seal."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from .. import localise
from ..models import Module, Registration, Workshop
from ..vocabulary import Response, SessionKind
from .render import (
    CachedDocument,
    Settings,
    add_line_breaks,
    cached,
    content_key,
    render_pdf,
    render_template,
    resource_url,
    store,
)

LANGUAGES = ("en", "lo", "both")


def covered_modules(workshop: Workshop) -> list:
    """The modules of the workshop's sessions, once each, in code order."""
    modules: dict[str, Module] = {}
    for s in workshop.sessions:
        module = s.lesson_plan.module if s.lesson_plan else s.module
        if s.kind == SessionKind.SESSION and module is not None:
            modules.setdefault(module.code, module)
    return [modules[code] for code in sorted(modules)]


def _names(language: str, lao: str, latin: str) -> dict:
    """A name in the certificate's script: Lao on a Lao certificate, Latin letters on an
    English one, both on a bilingual one; the other script when only it is known."""
    if language == "lo":
        return {"lao": lao or "", "latin": "" if lao else latin}
    if language == "en":
        return {"lao": "" if latin else lao, "latin": latin or ""}
    return {"lao": lao, "latin": latin}


def certificate_data(
    workshop: Workshop, registrations: list[Registration], verify_url: str, language: str
) -> dict:
    signatories = []
    for line in (workshop.rollout.signatories or "").splitlines():
        name, _sep, title = line.partition("|")
        if name.strip():
            signatories.append({"name": name.strip(), "title": title.strip()})
    logo = workshop.rollout.logo
    team = [a.trainer for a in workshop.assignments if a.response != Response.DECLINED]
    return {
        "workshop": {
            "title": workshop.title,
            "title_lo": localise.local_name(workshop, "lo", "title"),
            "rollout_en": workshop.rollout.name,
            "rollout_lo": localise.local_name(workshop.rollout, "lo"),
            "province_en": workshop.province.name_en,
            "province_lo": workshop.province.name_lo,
            "dates_en": localise.date_range(workshop.start_date, workshop.end_date, "en"),
            "dates_lo": localise.date_range(workshop.start_date, workshop.end_date, "lo"),
        },
        "modules": [
            {"code": m.code, "en": m.title_en, "lo": m.title_lo or m.title_en}
            for m in covered_modules(workshop)
        ],
        "trainers": [
            (t.name_lao or t.name_latin) if language == "lo" else (t.name_latin or t.name_lao)
            for t in team
        ],
        "signatories": signatories,
        # the logo itself is served to the renderer by the fetcher; its hash keys the cache
        "logo": hashlib.sha256(logo).hexdigest() if logo else "",
        "verify_url": verify_url,
        "people": [
            {
                **_names(language, r.participant.name_lao, r.participant.name_latin),
                "number": r.certificate_number,
            }
            for r in registrations
        ],
    }


def render_certificates(
    db: Session,
    settings: Settings,
    workshop: Workshop,
    registrations: list[Registration],
    language: str,
    verify_url: str,
) -> CachedDocument:
    """The certificates of ``registrations``: one landscape A4 page each."""
    language = language if language in LANGUAGES else "both"
    data = certificate_data(workshop, registrations, verify_url, language)
    document = cached(
        settings,
        content_key("certificates", language, data),
        f"certificates-workshop-{workshop.id}-{language}.pdf",
    )
    if not document.ready:
        rollout = workshop.rollout
        resources = {"logo": (rollout.logo, rollout.logo_type)} if rollout.logo else {}
        html = render_template(
            settings,
            "lo" if language == "lo" else "en",
            "certificates.html",
            d=data,
            mode=language,
            logo_url=resource_url("logo") if resources else "",
        )
        store(document, render_pdf(add_line_breaks(html), resources=resources))
    return document

"""A workshop's printed documents: the agenda, the trainers' pack and the participants' pack.

The agenda has one page per day. The trainers' pack has a cover, contents, the
agenda, the trainer's plan of every session's lesson plan and the Reference Guide
chapters of the modules taught. The participants' pack has a cover, contents, the
agenda, the participant handouts and the glossary of the terms the plans use,
and never a trainer's note. Each is one PDF with contents page numbers and
bookmarks, in the workshop's language, cached by a hash of what it is made of.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from .. import localise
from ..errors import NotFound
from ..i18n import _
from ..models import Workshop
from ..vocabulary import Response, SessionKind
from .guide import _chapters, guide_data, page_label_css
from .lessons import plan_document_data
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

KINDS = ("agenda", "trainers", "participants")


def _pick(en: str, lo: str, language: str) -> str:
    return (lo if language == "lo" else "") or en


def agenda_data(workshop: Workshop, language: str) -> dict:
    days = []
    day = workshop.start_date
    while day <= workshop.end_date:
        sessions = [s for s in workshop.sessions if s.day == day]
        days.append(
            {
                "date": day,
                "sessions": [
                    {
                        "start": s.start_time.strftime("%H:%M"),
                        "end": s.end_time.strftime("%H:%M"),
                        "kind": s.kind,
                        "title": s.title,
                        "module": (
                            s.lesson_plan.module.code
                            if s.lesson_plan and s.lesson_plan.module
                            else ""
                        )
                        if s.kind == SessionKind.SESSION
                        else "",
                        "trainers": [
                            t.name_lao if language == "lo" else t.name_latin for t in s.trainers
                        ],
                        "room": s.room,
                        "plan_id": s.lesson_plan_id,
                    }
                    for s in sessions
                ],
            }
        )
        day += dt.timedelta(days=1)
    return {
        "id": workshop.id,
        "title": localise.local_name(workshop, language, "title"),
        "rollout": localise.local_name(workshop.rollout, language),
        "province": _pick(workshop.province.name_en, workshop.province.name_lo, language),
        "venue": workshop.venue,
        "start": workshop.start_date,
        "end": workshop.end_date,
        "days": days,
        "team": [
            {
                "name": a.trainer.name_lao if language == "lo" else a.trainer.name_latin,
                "institution": a.trainer.institution.short_name,
                "role": a.role,
            }
            for a in workshop.assignments
            if a.response != Response.DECLINED
        ],
    }


def pack_data(db: Session, workshop: Workshop, kind: str, language: str | None = None) -> dict:
    """Everything a document of ``kind`` is made of, as plain data (the cache key's input);
    in the workshop's language unless ``language`` says otherwise."""
    if kind not in KINDS:
        raise NotFound(_("There is no such document."))
    language = language if language in ("en", "lo") else workshop.language
    data: dict[str, Any] = {
        "kind": kind,
        "language": language,
        "agenda": agenda_data(workshop, language),
    }
    if kind == "agenda":
        return data
    plans, seen = [], set()
    for s in workshop.sessions:
        if (
            s.kind == SessionKind.SESSION
            and s.lesson_plan is not None
            and s.lesson_plan_id not in seen
        ):
            seen.add(s.lesson_plan_id)
            plans.append(plan_document_data(db, s.lesson_plan))
    data["plans"] = plans
    if kind == "trainers":
        codes = sorted({p["module"]["code"] for p in plans if p["module"]})
        data["guide"] = guide_data(db, language, codes) if codes else None
    else:
        terms, names = [], set()
        for p in plans:
            for t in p["terms"]:
                if t["term"] not in names:
                    names.add(t["term"])
                    terms.append(t)
        data["terms"] = sorted(terms, key=lambda t: t["term"].casefold())
    return data


def pack_html(settings: Settings, data: dict) -> str:
    language = data["language"]
    chapters = _chapters(data["guide"], language) if data.get("guide") else []
    html = render_template(
        settings,
        language,
        "workshop_pack.html",
        data=data,
        agenda=data["agenda"],
        chapters=chapters,
        page_label=page_label_css(settings, language),
    )
    return add_line_breaks(html)


def pack_filename(workshop: Workshop, kind: str, language: str) -> str:
    return f"workshop-{workshop.id}-{kind}-{language}.pdf"


def pack_document(
    db: Session, settings: Settings, workshop: Workshop, kind: str, language: str | None = None
) -> tuple[CachedDocument, dict]:
    data = pack_data(db, workshop, kind, language)
    return cached_pack(settings, workshop, data), data


def cached_pack(settings: Settings, workshop: Workshop, data: dict) -> CachedDocument:
    """Where the pack made of ``data`` (:func:`pack_data`) is cached."""
    key = content_key(f"workshop-{data['kind']}", data["language"], data)
    return cached(settings, key, pack_filename(workshop, data["kind"], data["language"]))


def ensure_pack(settings: Settings, document: CachedDocument, data: dict) -> CachedDocument:
    if not document.ready:
        store(document, render_pdf(pack_html(settings, data)))
    return document


def render_pack(
    db: Session, settings: Settings, workshop: Workshop, kind: str, language: str | None = None
) -> CachedDocument:
    document, data = pack_document(db, settings, workshop, kind, language)
    return ensure_pack(settings, document, data)

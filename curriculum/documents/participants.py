"""Paper for a workshop: the pre/post test and the evaluation form; the order of names on
every sheet (the sheets read back from a scan are ``sheets``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import localise
from ..errors import NotFound
from ..i18n import _
from ..lao import collation_key
from ..models import Workshop
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

LISTED = ("invited", "registered", "attended")


def paper_order(person) -> tuple:
    """The order of names on paper: family name in Lao alphabetical order (Latin after)."""
    return collation_key(
        person.family_name_lo or person.family_name_latin
    ), person.family_name_latin


# -- the pre/post test and the evaluation form (the readable sheets: ``sheets``) --------------

PAPERS = ("test", "evaluation")


def _pick(texts: dict, language: str) -> tuple[str, str]:
    if language == "lo" and texts.get("lo"):
        return texts["lo"], "lo"
    return texts.get("en", ""), "en"


def paper_data(db: Session, workshop: Workshop, kind: str, language: str) -> dict:
    """What the paper of ``kind`` prints: the modules (and their questions, for the test)."""
    modules = covered_modules(workshop)
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
    if kind == "test":
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

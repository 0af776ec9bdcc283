"""A lesson plan's two PDFs: the trainer's plan and the participant handout.

The trainer's plan has every field, the timed activity table with start and end
times, the notes and the legal references. The handout has what participants
keep: objectives, key messages, the exercises (what participants do in each
participatory activity) and the glossary terms the plan uses; never the
trainer's notes. Both print in the plan's language.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.markdown import render_markdown
from ..errors import NotFound
from ..i18n import _
from ..models import GlossaryTerm, LessonPlan
from ..services import lesson_rules
from ..services.lessons import file_data
from ..text import fold
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

KINDS = ("plan", "handout")


def _pick(en: str, lo: str, language: str) -> str:
    return (lo if language == "lo" else "") or en


def plan_document_data(db: Session, plan: LessonPlan) -> dict:
    """Everything both documents are made of, as plain data (also the cache key's input)."""
    language = plan.language
    data = file_data(plan)
    methods = {a.method.code: a.method.name(language) for a in plan.activities}
    slots = lesson_rules.timeline(a["minutes"] for a in data["activities"])
    participatory = {a.method.code: a.method.participatory for a in plan.activities}
    activities = [
        {
            **a,
            "number": n,
            "start": slot.start,
            "end": slot.end,
            "method_name": methods.get(a["method"], a["method"]),
            "participatory": participatory.get(a["method"], False),
        }
        for n, (a, slot) in enumerate(zip(data["activities"], slots, strict=True), start=1)
    ]
    text = fold(
        " ".join(
            [data["title"], *data["objectives"], *data["key_messages"]]
            + [a["title"] + " " + a["participants_do"] for a in data["activities"]]
        )
    )
    terms = []
    for term in db.scalars(select(GlossaryTerm).order_by(GlossaryTerm.position)):
        name = _pick(term.term_en, term.term_lo, language)
        if fold(name) and fold(name) in text:
            terms.append(
                {
                    "term": name,
                    "definition": _pick(term.definition_en, term.definition_lo, language),
                }
            )
    module = plan.module
    return {
        "plan": data,
        "id": plan.id,
        "version": plan.version,
        "status": plan.status,
        "module": (
            {
                "code": module.code,
                "title": _pick(module.title_en, module.title_lo, language),
            }
            if module
            else None
        ),
        "authors": [u.name for u in plan.authors] or ([plan.credit] if plan.credit else []),
        "activities": activities,
        "provisions": [
            {
                "key": p.key,
                "instrument": p.instrument.code,
                "article": p.article,
                "title": _pick(p.title_en, p.title_lo, language),
                "summary": _pick(p.summary_en, p.summary_lo, language),
            }
            for p in plan.provisions
        ],
        "terms": terms,
        "handouts": [
            {
                "key": link.material.key,
                "title": link.material.text("title", language),
                "body_html": render_markdown(
                    link.material.text("body", language),
                    anchor_prefix=f"h{plan.id}-{link.material.key}",
                    shift_headings=2,
                ).html,
                # the model answer: printed in the trainer's plan, never on the handout
                "answer_html": render_markdown(
                    link.material.text("answer", language),
                    anchor_prefix=f"a{plan.id}-{link.material.key}",
                    shift_headings=3,
                ).html
                if link.material.answer_en
                else "",
            }
            for link in plan.handout_links
        ],
        "total": slots[-1].end if slots else 0,
    }


def plan_html(settings: Settings, data: dict, kind: str) -> str:
    language = data["plan"]["language"]
    html = render_template(
        settings,
        language,
        "lesson_plan.html" if kind == "plan" else "lesson_handout.html",
        d=data,
        p=data["plan"],
        page_label=page_label_css(settings, language),
    )
    return add_line_breaks(html)


def plan_filename(plan: LessonPlan, kind: str) -> str:
    part = "plan" if kind == "plan" else "handout"
    return f"{plan.key}-v{plan.version}-{part}.pdf"


def render_plan(db: Session, settings: Settings, plan: LessonPlan, kind: str) -> CachedDocument:
    """The trainer's plan (``plan``) or the participant handout (``handout``), cached."""
    if kind not in KINDS:
        raise NotFound(_("There is no such document."))
    data = plan_document_data(db, plan)
    document = cached(
        settings,
        content_key(f"lesson-{kind}", plan.language, data),
        plan_filename(plan, kind),
    )
    if not document.ready:
        store(document, render_pdf(plan_html(settings, data, kind)))
    return document

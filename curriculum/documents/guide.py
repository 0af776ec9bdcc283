"""The Trainers' Reference Guide: the modules' chapters as a book, whole or one chapter.

A cover, a table of contents with page numbers, one chapter per module (its
summary, outcomes and key messages, the chapter, the self-check quiz with the
answers after it, the provisions it cites), then the glossary and the cited
provisions as annexes. A chapter without a Lao text prints its English text in
the Lao guide under a visible note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.markdown import render_markdown
from ..errors import NotFound
from ..i18n import _
from ..models import GlossaryTerm, LegalProvision, Module
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

LANGUAGES = ("en", "lo")


def _pick(value: dict, language: str):
    """(text, language of the text): Lao where there is Lao, else English."""
    if language == "lo" and value.get("lo"):
        return value["lo"], "lo"
    return value.get("en", ""), "en"


def guide_data(db: Session, language: str, codes: list[str] | None = None) -> dict:
    """Everything the guide is made of, as plain data (it is also the cache key's input)."""
    if language not in LANGUAGES:
        raise NotFound(_("There is no guide in that language."))
    query = select(Module).order_by(Module.code)
    if codes:
        query = query.where(Module.code.in_(codes))
    modules = list(db.scalars(query))
    if codes and len(modules) != len(set(codes)):
        raise NotFound(_("There is no such module."))
    cited = []
    for module in modules:
        for key in module.content["provisions"]:
            if key not in cited:
                cited.append(key)
    provisions = {
        p.key: p for p in db.scalars(select(LegalProvision).where(LegalProvision.key.in_(cited)))
    }
    terms = list(db.scalars(select(GlossaryTerm).order_by(GlossaryTerm.position)))
    return {
        "modules": [
            {"code": m.code, "revision": m.revision, "content": m.content} for m in modules
        ],
        "provisions": [
            {
                "key": p.key,
                "instrument": p.instrument.code,
                "instrument_name": {"en": p.instrument.name_en, "lo": p.instrument.name_lo},
                "article": p.article,
                "title": {"en": p.title_en, "lo": p.title_lo},
                "summary": {"en": p.summary_en, "lo": p.summary_lo},
                "source": p.source,
            }
            for p in sorted(provisions.values(), key=lambda p: (p.instrument.position, p.position))
        ],
        "terms": [
            {
                "key": t.key,
                "term": {"en": t.term_en, "lo": t.term_lo},
                "definition": {"en": t.definition_en, "lo": t.definition_lo},
            }
            for t in terms
        ],
        "whole": not codes,
    }


@dataclass
class Chapter:
    code: str
    number: int
    title: str
    language: str  # the language of the chapter's body
    fallback: bool  # the Lao guide prints the English text
    summary: tuple[str, str]
    outcomes: tuple[list, str]
    key_messages: tuple[list, str]
    audience: tuple[str, str]
    duration_minutes: int
    body_html: str
    quiz: list[dict]
    provisions: list[str]
    revision: int


def _chapters(data: dict, language: str) -> list[Chapter]:
    chapters = []
    for module in data["modules"]:
        c = module["content"]
        body, body_language = _pick(c["body"], language)
        title, _title_language = _pick(c["title"], language)
        quiz = []
        for q in c["quiz"]:
            question, q_language = _pick(q["question"], language)
            choices = (
                q["choices"]["lo"]
                if q_language == "lo" and q["choices"].get("lo")
                else q["choices"]["en"]
            )
            explanation, _e = _pick(q["explanation"], language)
            quiz.append(
                {
                    "question": question,
                    "language": q_language,
                    "choices": choices,
                    "answer": q["answer"],
                    "explanation": explanation,
                }
            )
        chapters.append(
            Chapter(
                code=module["code"],
                number=int(module["code"][1:]),
                title=title,
                language=body_language,
                fallback=language == "lo" and body_language != "lo",
                summary=_pick(c["summary"], language),
                outcomes=_pick(c["learning_outcomes"], language),
                key_messages=_pick(c["key_messages"], language),
                audience=_pick(c["audience"], language),
                duration_minutes=c["duration_minutes"],
                body_html=render_markdown(
                    body, anchor_prefix=module["code"].lower(), shift_headings=1
                ).html,
                quiz=quiz,
                provisions=c["provisions"],
                revision=module["revision"],
            )
        )
    return chapters


def page_label_css(settings: Settings, language: str) -> str:
    """CSS content for "Page X of Y" in the document's language."""
    text = str(settings.translations(language).gettext("Page %(page)s of %(pages)s"))
    before, _sep, rest = text.partition("%(page)s")
    middle, _sep, after = rest.partition("%(pages)s")

    def quoted(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return f"{quoted(before)} counter(page) {quoted(middle)} counter(pages) {quoted(after)}"


def guide_html(settings: Settings, data: dict, language: str, today: dt.date | None = None) -> str:
    chapters = _chapters(data, language)
    html = render_template(
        settings,
        language,
        "guide.html",
        chapters=chapters,
        provisions=[
            {
                **p,
                "title_text": _pick(p["title"], language),
                "summary_text": _pick(p["summary"], language),
                "instrument_text": _pick(p["instrument_name"], language),
            }
            for p in data["provisions"]
        ],
        terms=data["terms"],
        whole=data["whole"],
        page_label=page_label_css(settings, language),
        today=today or dt.date.today(),
        pick=_pick,
    )
    return add_line_breaks(html)


def guide_filename(language: str, codes: list[str] | None) -> str:
    part = "-".join(c.lower() for c in codes) if codes else "guide"
    return f"reference-guide-{part}-{language}.pdf"


def guide_document(
    db: Session, settings: Settings, language: str, codes: list[str] | None = None
) -> tuple[CachedDocument, dict]:
    """Where the guide's PDF is (or will be) cached, and the data it is made from."""
    data = guide_data(db, language, codes)
    key = content_key("guide", language, data)
    return cached(settings, key, guide_filename(language, codes)), data


def render_guide(
    db: Session, settings: Settings, language: str, codes: list[str] | None = None
) -> CachedDocument:
    """The guide's PDF, from the cache when nothing it is made from has changed."""
    document, data = guide_document(db, settings, language, codes)
    return ensure_rendered(settings, document, data, language)


def ensure_rendered(
    settings: Settings, document: CachedDocument, data: dict, language: str
) -> CachedDocument:
    """Lay out and cache ``document`` from ``data`` unless the cache already has it."""
    if not document.ready:
        store(document, render_pdf(guide_html(settings, data, language)))
    return document

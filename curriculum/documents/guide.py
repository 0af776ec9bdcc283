"""The Trainers' Reference Guide: the modules' chapters as a book, whole or one chapter.

A cover, a table of contents with page numbers, one chapter per module (its
summary, outcomes and key messages, the chapter, the self-check quiz with the
answers after it, the provisions it cites), then the glossary and the cited
provisions as annexes. A chapter without a Lao text prints its English text in
the Lao guide under a visible note.
"""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import Executor
from dataclasses import dataclass

from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.markdown import render_markdown
from ..errors import NotFound
from ..i18n import _
from ..models import GlossaryTerm, LegalProvision, Module
from . import parts
from .render import (
    CachedDocument,
    Settings,
    add_line_breaks,
    cached,
    content_key,
    render_template,
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
    case_studies: list[dict]  # {title, language, answer_html}: the model answers
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
        case_studies = []
        for index, case in enumerate(c.get("case_studies", []), start=1):
            case_title, case_language = _pick(case["title"], language)
            answer, answer_language = _pick(case["model_answer"], language)
            case_studies.append(
                {
                    "title": case_title,
                    "language": answer_language,
                    "answer_html": render_markdown(
                        answer,
                        anchor_prefix=f"{module['code'].lower()}-answer{index}",
                        shift_headings=3,
                    ).html,
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
                case_studies=case_studies,
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


def _provision_rows(provisions: list[dict], language: str) -> list[dict]:
    return [
        {
            **p,
            "title_text": _pick(p["title"], language),
            "summary_text": _pick(p["summary"], language),
            "instrument_text": _pick(p["instrument_name"], language),
        }
        for p in provisions
    ]


def guide_html(settings: Settings, data: dict, language: str, today: dt.date | None = None) -> str:
    """The guide as one HTML document (what the assembled guide is laid out to match; the
    benchmark prints it with Chromium too)."""
    chapters = _chapters(data, language)
    html = render_template(
        settings,
        language,
        "guide.html",
        chapters=chapters,
        provisions=_provision_rows(data["provisions"], language),
        terms=data["terms"],
        whole=data["whole"],
        page_label=page_label_css(settings, language),
        today=today or dt.date.today(),
        pick=_pick,
        pages=None,
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
    key = content_key("guide", language, [settings.catalog_version(language), data])
    return cached(settings, key, guide_filename(language, codes)), data


def render_guide(
    db: Session,
    settings: Settings,
    language: str,
    codes: list[str] | None = None,
    pool: Executor | None = None,
) -> CachedDocument:
    """The guide's PDF, from the cache when nothing it is made from has changed; else put
    together from its parts, those the cache lacks laid out in ``pool`` (or here)."""
    document, data = guide_document(db, settings, language, codes)
    return ensure_rendered(settings, document, data, language, pool)


def ensure_rendered(
    settings: Settings,
    document: CachedDocument,
    data: dict,
    language: str,
    pool: Executor | None = None,
) -> CachedDocument:
    """Make and cache ``document`` from ``data`` unless the cache already has it."""
    if not document.ready:
        assemble_guide(settings, document, data, language, pool)
    return document


# -- the guide in parts (see parts.py) ---------------------------------------------------------

# The modules a worker process needs, imported once by the fork server (parts.process_pool).
PRELOAD = (__name__,)


def _part_html(settings: Settings, language: str, template: str, **context) -> str:
    html = render_template(settings, language, template, **context)
    return parts.cross_part_links(add_line_breaks(html))


def _chapter_html(settings: Settings, language: str, module: dict) -> str:
    (chapter,) = _chapters({"modules": [module]}, language)
    return _part_html(settings, language, "guide_part.html", part="chapter", chapter=chapter)


def _glossary_html(settings: Settings, language: str, terms: list[dict]) -> str:
    return _part_html(
        settings, language, "guide_part.html", part="glossary", terms=terms, pick=_pick
    )


def _provisions_html(settings: Settings, language: str, provisions: list[dict]) -> str:
    return _part_html(
        settings,
        language,
        "guide_part.html",
        part="provisions",
        provisions=_provision_rows(provisions, language),
    )


def _front_html(settings: Settings, language: str, front: dict) -> str:
    return _part_html(settings, language, "guide_part.html", part="front", **front)


def _footer_html(settings: Settings, language: str, pages: int) -> str:
    return render_template(
        settings,
        language,
        "guide_footer.html",
        pages=pages,
        page_label=page_label_css(settings, language),
    )


def _part(
    settings: Settings, language: str, name: str, build, payload, weight: int = 0
) -> parts.Part:
    """The part ``name`` of the guide, made by ``build(settings, language, payload)`` and
    cached under a key of the payload, the language, its catalog and the templates."""
    digest = content_key(f"guide-{name}", language, [settings.catalog_version(language), payload])
    label = f"{name}-{language}"
    document = cached(settings, f"guide-{label}-{digest[:24]}", f"{label}.pdf")
    return parts.Part(label, document, build, (settings, language, payload), weight)


def _body_parts(settings: Settings, data: dict, language: str) -> list[tuple[str, parts.Part]]:
    """The chapters and the annexes, in order, each with the anchor it opens with."""
    body = []
    for module in data["modules"]:
        weight = len(json.dumps(module["content"], default=str))
        part = _part(settings, language, module["code"], _chapter_html, module, weight)
        body.append((f"ch-{module['code']}", part))
    if data["terms"]:
        weight = len(json.dumps(data["terms"]))
        part = _part(settings, language, "glossary", _glossary_html, data["terms"], weight)
        body.append(("annex-glossary", part))
    if data["provisions"]:
        weight = len(json.dumps(data["provisions"], default=str))
        part = _part(settings, language, "provisions", _provisions_html, data["provisions"], weight)
        body.append(("annex-provisions", part))
    return body


def assemble_guide(
    settings: Settings,
    document: CachedDocument,
    data: dict,
    language: str,
    pool: Executor | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """Lay out the parts of the guide that the cache lacks (the chapters and annexes first,
    then the cover and contents, whose numbers depend on their lengths) and put them
    together into ``document``; the names of the parts laid out."""
    body = _body_parts(settings, data, language)
    laid_out = parts.render_parts([part for _anchor, part in body], pool)
    readers = [PdfReader(part.path) for _anchor, part in body]
    lengths = [len(reader.pages) for reader in readers]
    heads = [
        {
            "code": m["code"],
            "number": int(m["code"][1:]),
            "title": _pick(m["content"]["title"], language)[0],
            "fallback": language == "lo" and _pick(m["content"]["body"], language)[1] != "lo",
        }
        for m in data["modules"]
    ]
    front_pages = 2  # a cover and a page of contents; corrected below if the contents run on
    for _attempt in range(4):
        pages, start = {}, front_pages + 1
        for (anchor, _body_part), length in zip(body, lengths, strict=True):
            pages[anchor] = start
            start += length
        front_data = {
            "chapters": heads,
            "whole": data["whole"],
            "terms": bool(data["terms"]),
            "provisions": bool(data["provisions"]),
            "pages": pages,
            "today": today or dt.date.today(),
        }
        front = _part(settings, language, "front", _front_html, front_data)
        footer = _part(settings, language, f"footer-{start - 1}", _footer_html, start - 1)
        laid_out += parts.render_parts([front, footer], pool)
        front_reader = PdfReader(front.path)
        if len(front_reader.pages) == front_pages:
            break
        front_pages = len(front_reader.pages)
    else:
        raise RuntimeError("the guide's contents do not settle on a number of pages")
    parts.assemble(
        document,
        [front_reader, *readers],
        footer=footer.path,
        footer_from=1,  # the cover has no page number
    )
    return laid_out

"""Search across modules, legal provisions and the glossary, in English and Lao.

Every searchable row keeps a folded copy of its text (``search_text``: case,
Lao spelling variants and digits folded, see ``curriculum.text.fold``), so the
database finds candidates with one ``LIKE`` that behaves the same on SQLite and
PostgreSQL, including a Lao word inside an unspaced sentence. The candidates
are then ranked here: a match on whole words (for Lao, on ICU's word
boundaries) above a match inside a word, a title above a body, and the match
is cut out of the text as written for highlighting.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.markdown import plain_text
from ..lao import boundaries, is_lao
from ..models import GlossaryTerm, LegalProvision, Module
from ..text import fold, fold_map
from .diffs import ContentKind

MIN_QUERY = 2
SNIPPET_CONTEXT = 70


@dataclass(frozen=True)
class Hit(ContentKind):
    kind: str  # module, provision, term
    key: str  # module code, provision key, term key
    title_en: str
    title_lo: str
    field: str  # where the best match is
    language: str
    snippet: tuple[tuple[str, bool], ...]  # (text, is the match)
    whole_word: bool
    score: int


@lru_cache(maxsize=64)
def _plain(markdown: str) -> str:
    return plain_text(markdown)


def _like(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _whole_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins and ends on word boundaries."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    lao_edges = is_lao(text[start]) or is_lao(text[end - 1])
    if lao_edges and (is_lao(before) or is_lao(after)):
        cuts = boundaries(text)
        return (start in cuts or not is_lao(before)) and (end in cuts or not is_lao(after))
    return not (before and _is_word_char(before)) and not (after and _is_word_char(after))


def _find(text: str, query: str):
    """(start, end, whole_word) of the best match of folded ``query`` in ``text``, or None."""
    folded, where = fold_map(text)
    best = None
    position = folded.find(query)
    while position != -1:
        start = where[position]
        following = position + len(query)
        end = where[following] if following < len(where) else len(text)
        while end > start + 1 and text[end - 1].isspace():
            end -= 1
        whole = _whole_word(text, start, end)
        if best is None or (whole and not best[2]):
            best = (start, end, whole)
            if whole:
                break
        position = folded.find(query, position + 1)
    return best


def _snippet(text: str, start: int, end: int) -> tuple[tuple[str, bool], ...]:
    left = max(0, start - SNIPPET_CONTEXT)
    right = min(len(text), end + SNIPPET_CONTEXT)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    before = ("…" if left > 0 else "") + " ".join(text[left:start].split())
    after = " ".join(text[end:right].split()) + ("…" if right < len(text) else "")
    if text[left:start][-1:].isspace():
        before += " "
    if text[end:right][:1].isspace():
        after = " " + after
    return tuple(p for p in ((before, False), (text[start:end], True), (after, False)) if p[0])


def _fields(kind: str, row) -> list[tuple[str, str, str, int]]:
    """(field, language, text, weight) of a row, best fields first."""
    if kind == "module":
        c = row.content
        fields = []
        for language in ("en", "lo"):
            fields.append(("title", language, c["title"].get(language, ""), 4))
        for language in ("en", "lo"):
            fields.append(("summary", language, c["summary"].get(language, ""), 2))
            for key in ("learning_outcomes", "key_messages"):
                fields.append((key, language, "\n".join(c[key].get(language, [])), 2))
            fields.append(("body", language, _plain(c["body"].get(language, "")), 1))
        return fields
    if kind == "provision":
        return [
            ("title", "en", f"{row.key} {row.title_en}", 4),
            ("title", "lo", row.title_lo, 4),
            ("summary", "en", row.summary_en, 2),
            ("summary", "lo", row.summary_lo, 2),
        ]
    return [
        ("term", "en", row.term_en, 4),
        ("term", "lo", row.term_lo, 4),
        ("definition", "en", row.definition_en, 2),
        ("definition", "lo", row.definition_lo, 2),
    ]


def _title(kind: str, row) -> tuple[str, str, str]:
    if kind == "module":
        return row.code, row.title_en, row.title_lo
    if kind == "provision":
        return row.key, f"{row.instrument.code} {row.article}: {row.title_en}", row.title_lo
    return row.key, row.term_en, row.term_lo


def search_library(db: Session, query: str, limit: int = 60) -> list[Hit]:
    """Modules, provisions and glossary terms matching ``query``, best first."""
    folded = fold(query)
    if len(folded) < MIN_QUERY:
        return []
    pattern = _like(folded)
    hits: list[Hit] = []
    kinds: tuple[tuple[str, type[Module | LegalProvision | GlossaryTerm]], ...] = (
        ("module", Module),
        ("provision", LegalProvision),
        ("term", GlossaryTerm),
    )
    for rank, (kind, model) in enumerate(kinds):
        rows = db.scalars(
            select(model).where(model.search_text.like(pattern, escape="\\")).limit(500)
        )
        for row in rows:
            best = None
            for field, language, text, weight in _fields(kind, row):
                if not text:
                    continue
                found = _find(text, folded)
                if found is None:
                    continue
                start, end, whole = found
                score = (2 if whole else 1) * 10 + weight
                if best is None or score > best[0]:
                    best = (score, field, language, text, start, end, whole)
            if best is None:
                continue  # matched only across fields joined in search_text
            score, field, language, text, start, end, whole = best
            key, title_en, title_lo = _title(kind, row)
            hits.append(
                Hit(
                    kind,
                    key,
                    title_en,
                    title_lo,
                    field,
                    language,
                    _snippet(text, start, end),
                    whole,
                    score * 10 - rank,
                )
            )
    hits.sort(key=lambda h: (-h.score, h.key))
    return hits[:limit]

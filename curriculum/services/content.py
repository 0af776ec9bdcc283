"""The curriculum library: import and export, reading, editing with versions, review lists."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..content.checks import TermRule, lao_findings, provisions_needing_review, term_rules
from ..content.files import Curriculum
from ..content.markdown import plain_text
from ..db import Base
from ..errors import NotFound, ValidationError
from ..i18n import _
from ..models import (
    GlossaryTerm,
    Instrument,
    LegalProvision,
    Material,
    Module,
    ModuleRevision,
    Programme,
)
from ..models.content import TRANSLATION_STATUSES
from ..permissions import Actor, require
from ..text import fold
from ..vocabulary import AuditAction, LegalReview, TranslationStatus
from . import audit
from .diffs import (  # noqa: F401  (the library's routes read them here)
    ContentKind,
    DiffRow,
    FieldDiff,
    LocalText,
    compare_contents,
    inline_changes,
    line_diff,
    local,
)
from .lessons import export_lesson_plans, import_lesson_plans
from .programmes import list_programmes
from .validation import UNCHECKED, Checker, as_id, check_lock, flush

# -- reading ----------------------------------------------------------------------------------


def list_modules(db: Session) -> list[Module]:
    return list(db.scalars(select(Module).order_by(Module.code)))


def get_module(db: Session, code: str) -> Module:
    module = db.scalar(
        select(Module)
        .where(Module.code == str(code).upper())
        .options(selectinload(Module.provisions))
    )
    if module is None:
        raise NotFound(_("There is no module %(code)s.", code=str(code)[:10]))
    return module


def list_instruments(db: Session) -> list[Instrument]:
    return list(
        db.scalars(
            select(Instrument)
            .order_by(Instrument.position)
            .options(selectinload(Instrument.provisions))
        )
    )


def get_instrument(db: Session, code: str) -> Instrument:
    instrument = db.scalar(select(Instrument).where(Instrument.code == code))
    if instrument is None:
        raise NotFound(_("There is no instrument %(code)s.", code=str(code)[:20]))
    return instrument


def list_provisions(db: Session) -> list[LegalProvision]:
    return list(
        db.scalars(
            select(LegalProvision)
            .join(Instrument)
            .order_by(Instrument.position, LegalProvision.position)
        )
    )


def list_terms(db: Session) -> list[GlossaryTerm]:
    return list(db.scalars(select(GlossaryTerm).order_by(GlossaryTerm.position)))


def lao_term_rules(db: Session) -> list[TermRule]:
    """The glossary's Lao terms with the spellings content must not use for them."""
    return term_rules(
        {"term": {"en": t.term_en, "lo": t.term_lo}, "avoid": t.avoid_lo or []}
        for t in list_terms(db)
    )


def check_lao_terms(c: Checker, rules: list[TermRule], field: str, text: str | list[str]) -> None:
    """Name, on the form's field, each wrong Lao term or spelling in ``text`` and what to
    write instead (the import applies the same rules to ``modules/``)."""
    joined = "\n".join(text) if isinstance(text, list) else text
    for finding in lao_findings(joined, rules):
        if finding.concept:
            c.add(
                field,
                _(
                    "Write '%(right)s', the glossary's term for %(concept)s, not '%(found)s'.",
                    right=finding.right,
                    concept=finding.concept,
                    found=finding.found,
                ),
            )
        else:
            c.add(
                field,
                _(
                    "Write '%(right)s' (the standard spelling of the same letters), not"
                    " '%(found)s'.",
                    right=finding.right,
                    found=finding.found,
                ),
            )


def modules_citing(db: Session) -> dict[str, list[str]]:
    """Provision key -> codes of the modules that cite it."""
    result: dict[str, list[str]] = {}
    for module in list_modules(db):
        for key in module.content.get("provisions", []):
            result.setdefault(key, []).append(module.code)
    return result


# -- search text ------------------------------------------------------------------------------


def module_search_text(content: dict) -> str:
    parts = []
    for language in ("en", "lo"):
        for key in ("title", "summary", "audience"):
            parts.append(content[key].get(language, ""))
        for key in ("learning_outcomes", "key_messages"):
            parts.extend(content[key].get(language, []))
        parts.append(plain_text(content["body"].get(language, "")))
    return fold("\n".join(p for p in parts if p))


def _provision_search_text(p: LegalProvision) -> str:
    return fold(
        " ".join(
            (
                p.key,
                p.instrument.code,
                p.article,
                p.title_en,
                p.title_lo,
                p.summary_en,
                p.summary_lo,
            )
        )
    )


def _term_search_text(t: GlossaryTerm) -> str:
    return fold(" ".join((t.term_en, t.term_lo, t.definition_en, t.definition_lo)))


# -- import and export ------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


M = TypeVar("M", bound=Base)


def _upsert(
    db: Session,
    model: type[M],
    key_column: str,
    key,
    values: dict,
    summary: ImportSummary,
    label: str,
) -> M:
    obj = db.scalar(select(model).where(getattr(model, key_column) == key))
    if obj is None:
        obj = model(**{key_column: key}, **values)
        db.add(obj)
        summary.created.append(label)
        return obj
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(obj, k, v)
        summary.updated.append(label)
    else:
        summary.unchanged.append(label)
    return obj


def import_curriculum(
    db: Session, actor: Actor, cur: Curriculum, comment: str = ""
) -> ImportSummary:
    """Create or update everything in ``cur`` by code or key; a changed module gets a new version.

    ``cur`` comes from :func:`curriculum.content.files.read_curriculum`, which has
    already checked it; the caller commits once, so the import is all or nothing.
    """
    require(actor, "curriculum.import")
    summary = ImportSummary()
    instruments = _import_instruments(db, cur.instruments, summary)
    provisions = _import_provisions(db, cur.provisions, instruments, summary)
    _import_terms(db, cur.terms, summary)
    for data in cur.modules:
        _import_module(db, actor, data, provisions, summary, comment)
    flush(db)
    import_materials(db, cur.materials, summary)
    flush(db)

    import_lesson_plans(db, actor, cur.lesson_plans, summary)
    flush(db)
    import_programmes(db, cur.programmes, summary)
    audit.record(
        db,
        actor,
        "import",
        CurriculumFiles(),
        {"created": [None, len(summary.created)], "updated": [None, len(summary.updated)]},
        "curriculum",
    )
    return summary


def _import_instruments(
    db: Session, items: list[dict], summary: ImportSummary
) -> dict[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    for position, data in enumerate(items):
        instruments[data["code"]] = _upsert(
            db,
            Instrument,
            "code",
            data["code"],
            {
                "name_en": data["name"]["en"],
                "name_lo": data["name"]["lo"],
                "year": data["year"],
                "source": data["source"],
                "position": position,
            },
            summary,
            f"instrument {data['code']}",
        )
    db.flush()
    return instruments


def _import_provisions(
    db: Session, items: list[dict], instruments: dict[str, Instrument], summary: ImportSummary
) -> dict[str, LegalProvision]:
    provisions: dict[str, LegalProvision] = {}
    for position, data in enumerate(items):
        provision = _upsert(
            db,
            LegalProvision,
            "key",
            data["key"],
            {
                "instrument_id": instruments[data["instrument"]].id,
                "article": data["article"],
                "position": position,
                "title_en": data["title"]["en"],
                "title_lo": data["title"]["lo"],
                "summary_en": data["summary"]["en"],
                "summary_lo": data["summary"]["lo"],
                "source": data["source"],
                "lo_status": data["translation"]["lo"],
                "legal_review": data["legal_review"],
            },
            summary,
            f"provision {data['key']}",
        )
        provisions[data["key"]] = provision
    db.flush()
    for provision in provisions.values():
        db.refresh(provision, ["instrument"])
        provision.search_text = _provision_search_text(provision)
    return provisions


def _import_terms(db: Session, items: list[dict], summary: ImportSummary) -> None:
    for position, data in enumerate(items):
        term = _upsert(
            db,
            GlossaryTerm,
            "key",
            data["key"],
            {
                "position": position,
                "term_en": data["term"]["en"],
                "term_lo": data["term"]["lo"],
                "definition_en": data["definition"]["en"],
                "definition_lo": data["definition"]["lo"],
                "lo_status": data["translation"]["lo"],
                "avoid_lo": list(data["avoid"]),
            },
            summary,
            f"term {data['key']}",
        )
        term.search_text = _term_search_text(term)


def import_materials(db: Session, items: list[dict], summary: ImportSummary) -> None:
    modules = {m.code: m.id for m in list_modules(db)}
    for position, data in enumerate(items):
        _upsert(
            db,
            Material,
            "key",
            data["key"],
            {
                "kind": data["kind"],
                "module_id": modules.get(data["module"]) if data["module"] else None,
                "position": position,
                "title_en": data["title"]["en"],
                "title_lo": data["title"]["lo"],
                "body_en": data["body"]["en"],
                "body_lo": data["body"]["lo"],
                "answer_en": data["answer"]["en"],
                "answer_lo": data["answer"]["lo"],
                "lo_status": data["translation"]["lo"],
            },
            summary,
            f"handout {data['key']}",
        )


def import_programmes(db: Session, items: list[dict], summary: ImportSummary) -> None:
    for position, data in enumerate(items):
        _upsert(
            db,
            Programme,
            "key",
            data["key"],
            {
                "days": data["days"],
                "position": position,
                "title_en": data["title"]["en"],
                "title_lo": data["title"]["lo"],
                "summary_en": data["summary"]["en"],
                "summary_lo": data["summary"]["lo"],
                "plans": {k: list(v) for k, v in data["plans"].items()},
            },
            summary,
            f"programme {data['key']}",
        )


def export_programmes(db: Session) -> list[dict]:
    return [
        {
            "key": p.key,
            "days": p.days,
            "title": {"en": p.title_en, "lo": p.title_lo},
            "summary": {"en": p.summary_en, "lo": p.summary_lo},
            "plans": {"en": p.plan_keys("en"), "lo": p.plan_keys("lo")},
        }
        for p in list_programmes(db)
    ]


def list_materials(db: Session) -> list[Material]:
    return list(db.scalars(select(Material).order_by(Material.position, Material.key)))


class CurriculumFiles:
    """What an import's audit event is about: the whole curriculum."""

    id = 0


def _apply_content(module: Module, content: dict, provisions: dict) -> None:
    module.content = content
    module.title_en = content["title"]["en"]
    module.title_lo = content["title"]["lo"]
    module.search_text = module_search_text(content)
    module.provisions = [provisions[key] for key in content["provisions"]]


def _import_module(db, actor, data, provisions, summary, comment) -> None:
    module = db.scalar(select(Module).where(Module.code == data["code"]))
    content = data["content"]
    if module is None:
        module = Module(code=data["code"], slug=data["slug"], revision=data["version"])
        _apply_content(module, content, provisions)
        db.add(module)
        summary.created.append(f"module {data['code']}")
    elif module.content == content and module.slug == data["slug"]:
        summary.unchanged.append(f"module {data['code']}")
        return
    else:
        module.slug = data["slug"]
        module.revision = max(module.revision + 1, data["version"])
        _apply_content(module, content, provisions)
        summary.updated.append(f"module {data['code']}")
    db.flush()
    _add_revision(db, actor, module, comment or "Imported from the curriculum files")


def _add_revision(db, actor, module: Module, comment: str) -> ModuleRevision:
    revision = ModuleRevision(
        module_id=module.id,
        number=module.revision,
        content=copy.deepcopy(module.content),
        author_id=actor.id,
        author_label=actor.name,
        comment=comment[:500],
    )
    db.add(revision)
    return revision


def export_curriculum(db: Session) -> Curriculum:
    cur = Curriculum()
    for instrument in list_instruments(db):
        cur.instruments.append(
            {
                "code": instrument.code,
                "name": {"en": instrument.name_en, "lo": instrument.name_lo},
                "year": instrument.year,
                "source": instrument.source,
            }
        )
    for p in db.scalars(select(LegalProvision).order_by(LegalProvision.position)):
        cur.provisions.append(
            {
                "key": p.key,
                "instrument": p.instrument.code,
                "article": p.article,
                "title": {"en": p.title_en, "lo": p.title_lo},
                "summary": {"en": p.summary_en, "lo": p.summary_lo},
                "source": p.source,
                "translation": {"lo": p.lo_status},
                "legal_review": p.legal_review,
            }
        )
    for t in list_terms(db):
        cur.terms.append(
            {
                "key": t.key,
                "term": {"en": t.term_en, "lo": t.term_lo},
                "definition": {"en": t.definition_en, "lo": t.definition_lo},
                "translation": {"lo": t.lo_status},
                "avoid": list(t.avoid_lo or ()),
            }
        )
    for m in list_modules(db):
        cur.modules.append(
            {"code": m.code, "slug": m.slug, "version": m.revision, "content": m.content}
        )

    for material in list_materials(db):
        cur.materials.append(
            {
                "key": material.key,
                "kind": material.kind,
                "module": material.module.code if material.module else None,
                "title": {"en": material.title_en, "lo": material.title_lo},
                "body": {"en": material.body_en, "lo": material.body_lo},
                "answer": {"en": material.answer_en, "lo": material.answer_lo},
                "translation": {"lo": material.lo_status},
            }
        )
    cur.lesson_plans = export_lesson_plans(db)
    cur.programmes = export_programmes(db)
    return cur


def is_empty(db: Session) -> bool:
    return not db.scalar(select(func.count()).select_from(Module))


# -- editing ----------------------------------------------------------------------------------


def _lines(value) -> list[str]:
    if isinstance(value, list):
        items = value
    else:
        items = str(value or "").splitlines()
    return [line.strip() for line in items if line and line.strip()]


def save_module(
    db: Session,
    actor: Actor,
    code: str,
    language: str,
    data: dict,
    lock_version=UNCHECKED,
) -> Module:
    """Save one language of a module as a new version (author, time and comment kept).

    ``data``: title, summary, audience, learning_outcomes and key_messages (lists
    or one per line), body, translation_status, comment; English also takes
    duration_minutes and legal_review.
    """
    module = get_module(db, code)
    require(actor, "module.edit")
    check_lock(module, lock_version)
    if language not in ("en", "lo"):
        raise ValidationError({"language": [_("Choose English or Lao.")]})
    c = Checker()
    required = language == "en"
    content = copy.deepcopy(module.content)
    content["title"][language] = c.name(
        "title", data.get("title"), required=required, max_length=300
    )
    content["summary"][language] = c.text("summary", data.get("summary"), max_length=3000)
    content["audience"][language] = c.text("audience", data.get("audience"), max_length=500)
    content["learning_outcomes"][language] = _lines(data.get("learning_outcomes"))
    content["key_messages"][language] = _lines(data.get("key_messages"))
    content["body"][language] = c.text("body", data.get("body"), max_length=200_000).replace(
        "\r\n", "\n"
    )
    content["translation"][language] = c.choice(
        "translation_status", data.get("translation_status"), TRANSLATION_STATUSES
    )
    if language == "en":
        if not content["summary"]["en"]:
            c.add("summary", _("This field is required."))
        if not content["body"]["en"]:
            c.add("body", _("This field is required."))
        if not content["learning_outcomes"]["en"]:
            c.add("learning_outcomes", _("Give at least one learning outcome."))
        duration = data.get("duration_minutes")
        try:
            if duration is None:
                raise ValueError
            duration = int(duration)
            if not 15 <= duration <= 2400:
                raise ValueError
            content["duration_minutes"] = duration
        except (TypeError, ValueError):
            c.add("duration_minutes", _("Give the duration in minutes (15-2400)."))
        content["legal_review"] = c.choice(
            "legal_review", data.get("legal_review"), ("needed", "checked")
        )
    if language == "lo":
        rules = lao_term_rules(db)
        for key in ("title", "summary", "audience", "learning_outcomes", "key_messages", "body"):
            check_lao_terms(c, rules, key, content[key]["lo"])
    comment = c.name("comment", data.get("comment"), required=True, max_length=500)
    c.done()
    if content == module.content:
        raise ValidationError({None: [_("Nothing has changed since the last version.")]})
    _check_legal_review(db, content, "legal_review")
    return _new_version(db, actor, module, content, comment)


def _check_legal_review(db: Session, content: dict, field_name: str | None) -> None:
    """Refuse "checked" for a module that cites a provision still needing legal review
    (a provision no longer in the library is left out, as a new version leaves it out)."""
    review_of = dict(
        db.execute(
            select(LegalProvision.key, LegalProvision.legal_review).where(
                LegalProvision.key.in_(content["provisions"])
            )
        ).all()
    )
    unsure = provisions_needing_review(
        content.get("legal_review", ""),
        [k for k in content["provisions"] if k in review_of],
        review_of,
    )
    if unsure:
        raise ValidationError(
            {
                field_name: [
                    _(
                        "The module cites provisions whose wording still needs legal review"
                        " (%(keys)s): its legal wording cannot be marked checked until they"
                        " are.",
                        keys=", ".join(unsure),
                    )
                ]
            }
        )


def _new_version(db, actor, module: Module, content: dict, comment: str) -> Module:
    before = module.revision
    provisions = {p.key: p for p in module.provisions}
    missing = [k for k in content["provisions"] if k not in provisions]
    if missing:
        provisions.update(
            {
                p.key: p
                for p in db.scalars(select(LegalProvision).where(LegalProvision.key.in_(missing)))
            }
        )
    content["provisions"] = [k for k in content["provisions"] if k in provisions]
    module.revision = before + 1
    _apply_content(module, content, provisions)
    flush(db)
    _add_revision(db, actor, module, comment)
    audit.record(
        db,
        actor,
        AuditAction.UPDATE,
        module,
        {"revision": [before, module.revision]},
        module.code,
    )
    flush(db)
    return module


def restore_revision(
    db: Session, actor: Actor, code: str, number: int, lock_version=UNCHECKED
) -> Module:
    """Make an earlier version the current one again, as a new version."""
    module = get_module(db, code)
    require(actor, "module.edit")
    check_lock(module, lock_version)
    old = get_revision(db, module, number)
    if old.content == module.content:
        raise ValidationError({None: [_("This version is already the current text.")]})
    _check_legal_review(db, old.content, None)
    return _new_version(
        db, actor, module, copy.deepcopy(old.content), f"Restored version {old.number}"
    )


def get_revision(db: Session, module: Module, number) -> ModuleRevision:
    number = as_id(number) or 0  # not a version number (or beyond any): none is found
    revision = db.scalar(
        select(ModuleRevision).where(
            ModuleRevision.module_id == module.id, ModuleRevision.number == number
        )
    )
    if revision is None:
        raise NotFound(
            _("Module %(code)s has no version %(number)s.", code=module.code, number=number)
        )
    return revision


def list_revisions(db: Session, module: Module) -> list[ModuleRevision]:
    return list(
        db.scalars(
            select(ModuleRevision)
            .where(ModuleRevision.module_id == module.id)
            .order_by(ModuleRevision.number.desc())
        )
    )


# -- review -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem(ContentKind):
    kind: str  # module, provision, term
    key: str
    title: str
    needs: tuple[str, ...]  # "lao" (translation by a Lao speaker), "legal" (a lawyer)


def review_needed(db: Session) -> list[ReviewItem]:
    """Content whose Lao translation or legal wording has not been reviewed yet."""
    items = []
    for m in list_modules(db):
        needs = []
        if m.content["translation"].get("lo") != TranslationStatus.REVIEWED:
            needs.append("lao")
        if m.content.get("legal_review") != LegalReview.CHECKED:
            needs.append("legal")
        if needs:
            items.append(ReviewItem("module", m.code, m.title_en, tuple(needs)))
    for p in db.scalars(select(LegalProvision).order_by(LegalProvision.position)):
        needs = []
        if p.lo_status != TranslationStatus.REVIEWED or not p.summary_lo:
            needs.append("lao")
        if p.legal_review != LegalReview.CHECKED:
            needs.append("legal")
        if needs:
            items.append(ReviewItem("provision", p.key, p.title_en, tuple(needs)))
    for t in list_terms(db):
        if t.lo_status != TranslationStatus.REVIEWED or not t.term_lo:
            items.append(ReviewItem("term", t.key, t.term_en, ("lao",)))
    return items

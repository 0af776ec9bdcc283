"""The curriculum library: modules, provisions, glossary, search, versions, the guide as PDF."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from curriculum.content.markdown import render_markdown
from curriculum.documents import guide as guide_documents
from curriculum.permissions import require
from curriculum.services import content as service
from curriculum.services.qualifications import qualification_matrix
from curriculum.services.search import search_library

from ..extensions import get_db
from ..language import page_language
from ..views import render_state, run_action, save_form, send_background_document, send_document
from .forms import ModuleForm, RestoreForm

bp = Blueprint("library", __name__, template_folder="templates")

CONTENT_LANGUAGES = ("en", "lo")


def _language(default: str | None = None) -> str:
    value = request.args.get("lang") or default or page_language()
    return value if value in CONTENT_LANGUAGES else "en"


def _rendered(markdown: str, prefix: str):
    result = render_markdown(markdown, anchor_prefix=prefix, shift_headings=1)
    return Markup(result.html), result.headings


@bp.route("/")
@login_required
def index():
    require(current_user, "library.view")
    db = get_db()
    return render_template(
        "library/index.html",
        modules=service.list_modules(db),
        instruments=service.list_instruments(db),
    )


@bp.route("/modules/<code>")
@login_required
def module(code: str):
    require(current_user, "library.view")
    db = get_db()
    module = service.get_module(db, code)
    view = request.args.get("view")
    language = _language()
    panes = []
    for lang in ("en", "lo") if view == "both" else (language,):
        body = service.local(module.content, "body", lang)
        assert isinstance(body.value, str)  # a module's body is one Markdown text
        html, headings = _rendered(body.value, f"{lang}-s")
        panes.append({"language": lang, "body": body, "html": html, "headings": headings})
    return render_template(
        "library/module.html",
        module=module,
        content=module.content,
        language=language,
        view=view,
        panes=panes,
        local=service.local,
    )


@bp.route("/modules/<code>/edit", methods=["GET", "POST"])
@login_required
def module_edit(code: str):
    db = get_db()
    module = service.get_module(db, code)
    require(current_user, "module.edit")
    language = _language("en")
    c = module.content
    if request.method == "GET":
        form = ModuleForm(
            data={
                "title": c["title"].get(language, ""),
                "summary": c["summary"].get(language, ""),
                "audience": c["audience"].get(language, ""),
                "learning_outcomes": "\n".join(c["learning_outcomes"].get(language, [])),
                "key_messages": "\n".join(c["key_messages"].get(language, [])),
                "body": c["body"].get(language, ""),
                "duration_minutes": str(c["duration_minutes"]),
                "legal_review": c["legal_review"],
                "translation_status": c["translation"].get(language, "draft"),
                "lock_version": module.lock_version,
            }
        )
    else:
        form = ModuleForm()
    preview = None
    if form.is_submitted() and form.preview.data:
        preview, _headings = _rendered(form.body.data or "", "preview")
    elif form.validate_on_submit():
        done = save_form(
            form,
            lambda db: service.save_module(
                db,
                current_user,
                code,
                language,
                {name: f.data for name, f in form._fields.items()},
                form.lock_version.data,
            ),
            _("Saved as version %(number)s.", number=module.revision + 1),
            lambda m: url_for(".module", code=m.code, lang=language),
        )
        if done:
            return done
    status = 400 if request.method == "POST" and not preview else 200
    return render_template(
        "library/module_edit.html",
        form=form,
        module=module,
        language=language,
        preview=preview,
        english=c,
    ), status


@bp.route("/modules/<code>/history")
@login_required
def history(code: str):
    require(current_user, "library.view")
    db = get_db()
    module = service.get_module(db, code)
    return render_template(
        "library/history.html",
        module=module,
        revisions=service.list_revisions(db, module),
        restore_form=RestoreForm(),
    )


@bp.route("/modules/<code>/compare")
@login_required
def compare(code: str):
    require(current_user, "library.view")
    db = get_db()
    module = service.get_module(db, code)
    # Without a choice, the current version against the one before it.
    new = service.get_revision(db, module, request.args.get("b", module.revision))
    old = service.get_revision(db, module, request.args.get("a", max(1, new.number - 1)))
    return render_template(
        "library/compare.html",
        module=module,
        old=old,
        new=new,
        diffs=service.compare_contents(old.content, new.content),
        inline=service.inline_changes,
    )


@bp.route("/modules/<code>/versions/<int:number>")
@login_required
def version(code: str, number: int):
    require(current_user, "library.view")
    db = get_db()
    module = service.get_module(db, code)
    revision = service.get_revision(db, module, number)
    language = _language()
    body = service.local(revision.content, "body", language)
    assert isinstance(body.value, str)  # a module's body is one Markdown text
    html, _headings = _rendered(body.value, "v")
    form = RestoreForm(data={"lock_version": module.lock_version})
    return render_template(
        "library/version.html",
        module=module,
        revision=revision,
        body=body,
        html=html,
        language=language,
        local=service.local,
        form=form,
    )


@bp.route("/modules/<code>/versions/<int:number>/restore", methods=["POST"])
@login_required
def restore(code: str, number: int):
    require(current_user, "module.edit")
    form = RestoreForm()
    if not form.validate_on_submit():
        abort(400)
    module = run_action(
        lambda db: service.restore_revision(db, current_user, code, number, form.lock_version.data)
    )
    if module is None:
        return redirect(url_for(".history", code=code))
    flash(
        _(
            "Version %(old)s is the current text again, as version %(new)s.",
            old=number,
            new=module.revision,
        ),
        "success",
    )
    return redirect(url_for(".module", code=module.code))


@bp.route("/provisions")
@login_required
def provisions():
    require(current_user, "library.view")
    return render_template(
        "library/provisions.html", instruments=service.list_instruments(get_db())
    )


@bp.route("/provisions/<key>")
@login_required
def instrument(key: str):
    require(current_user, "library.view")
    db = get_db()
    return render_template(
        "library/instrument.html",
        instrument=service.get_instrument(db, key),
        cited=service.modules_citing(db),
    )


@bp.route("/glossary")
@login_required
def glossary():
    require(current_user, "library.view")
    return render_template("library/glossary.html", terms=service.list_terms(get_db()))


@bp.route("/search")
@login_required
def search():
    require(current_user, "library.view")
    query = (request.args.get("q") or "").strip()[:200]
    hits = search_library(get_db(), query) if query else []
    return render_template("library/search.html", query=query, hits=hits)


@bp.route("/review")
@login_required
def review():
    require(current_user, "library.view")
    return render_template("library/review.html", items=service.review_needed(get_db()))


@bp.route("/qualifications")
@login_required
def qualifications():
    require(current_user, "library.view")
    return render_template("library/qualifications.html", matrix=qualification_matrix(get_db()))


# -- the Reference Guide as PDF ---------------------------------------------------------------


def _settings():
    return current_app.extensions["ctg.documents"]


@bp.route("/modules/<code>/chapter.pdf")
@login_required
def chapter_pdf(code: str):
    """One chapter: small enough to render while the browser waits."""
    require(current_user, "library.view")
    module = service.get_module(get_db(), code)
    document = guide_documents.render_guide(get_db(), _settings(), _language(), [module.code])
    return send_document(document)


@bp.route("/guide.pdf")
@login_required
def guide_pdf():
    """The whole guide: from the cache at once, otherwise rendered in the background."""
    require(current_user, "library.view")
    language = _language()
    document, _data = guide_documents.guide_document(get_db(), _settings(), language)
    return send_background_document(
        document,
        lambda: current_app.extensions["ctg.jobs"]["render_guide"](language),
        url_for(".guide_progress", lang=language),
    )


@bp.route("/guide/progress")
@login_required
def guide_progress():
    require(current_user, "library.view")
    language = _language()
    document, _data = guide_documents.guide_document(get_db(), _settings(), language)
    state = render_state(document)
    if state is None:
        return redirect(url_for(".guide_pdf", lang=language))
    return render_template("library/guide_progress.html", language=language, state=state)

"""Template helpers and form plumbing shared by every blueprint."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import force_locale, gettext
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import IntegerConverter
from wtforms import Form

from curriculum import localise, vocabulary
from curriculum.documents.render import mark_started, mark_used, started_at
from curriculum.errors import DomainError, NotFound, StaleObject, ValidationError
from curriculum.lao import is_lao
from curriculum.permissions import can
from curriculum.services import exports
from curriculum.services.travel import hours_text
from curriculum.services.validation import MAX_ID, as_id
from curriculum.vocabulary import SessionKind

from .choices import LANGUAGE_SWITCH, VOCABULARIES
from .config import PAGE_SIZES
from .extensions import get_db
from .language import page_language

# The status of a form sent back with problems, on every page.
FAILED_FORM_STATUS = 400
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RecordId(IntegerConverter):
    """``<int:…>`` in every route: a whole number a database id can be; a larger one is
    not found (404) rather than an overflow in the database driver."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def record_id(value) -> int:
    """A record id sent in a query or form field (``request.args.get("x", type=record_id)``):
    anything that cannot be one is treated as not sent."""
    number = as_id(value)
    if number is None:
        raise ValueError(value)
    return number


def form_failed() -> None:
    """Note that this request's form (or grid, or button) was refused: the view renders it
    again with the messages, the transaction is rolled back and the page answers
    FAILED_FORM_STATUS."""
    g.form_failed = True


def transactional(view):
    """The one place a request's writes are committed: after a state-changing view returned
    a success or a redirect, and before the response leaves (so a failed commit is never
    answered with "saved"). A refused form, a status of 400 or more, or an exception rolls
    everything back. ``install_transactions`` wraps every view that accepts a write."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except Exception:
            _rollback()
            raise
        if g.get("form_failed") and response.status_code == 200:
            response.status_code = FAILED_FORM_STATUS
        if response.status_code >= 400 or g.get("action_failed"):
            _rollback()
            return response
        db = g.get("db_session")
        if db is not None:
            try:
                db.commit()
            except Exception:
                db.rollback()
                session.pop("_flashes", None)  # nothing that was announced happened
                raise
        return response

    return wrapper


def _rollback() -> None:
    db = g.get("db_session")
    if db is not None:
        db.rollback()


def install_transactions(app: Flask) -> None:
    """Every view that accepts POST (or another writing method) goes through
    :func:`transactional`; a GET never writes."""
    for rule in app.url_map.iter_rules():
        if rule.methods and rule.methods & WRITING_METHODS and rule.endpoint != "static":
            view = app.view_functions[rule.endpoint]
            if not getattr(view, "transactional", False):
                wrapped = transactional(view)
                wrapped.transactional = True
                app.view_functions[rule.endpoint] = wrapped


def apply_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (the rest above the form)."""
    form_failed()
    for field_name, messages in error.errors.items():
        texts = [str(m) for m in messages]
        field = form._fields.get(field_name) if field_name else None
        if field is not None:
            field.errors = [*field.errors, *texts]
        else:
            form.form_errors = [*form.form_errors, *texts]


def save_form(form: Form, action, message: str, target):
    """Run ``action(db)`` for a valid form: flash and redirect to ``target(result)`` (the
    transaction commits as the view returns).

    A ValidationError or StaleObject rolls back, lands on the form and returns
    None, so the route renders the form again with the user's input kept.
    """
    db = get_db()
    try:
        result = action(db)
    except ValidationError as exc:
        db.rollback()
        apply_errors(form, exc)
    except StaleObject as exc:
        db.rollback()
        form_failed()
        form.form_errors = [*form.form_errors, str(exc)]
    else:
        flash(message, "success")
        return redirect(target(result))
    return None


def error_texts(exc: DomainError) -> dict[str, list[str]]:
    """A refusal's messages as text in the reader's language, by field ("" for the page)."""
    if isinstance(exc, ValidationError):
        return {field or "": [str(m) for m in messages] for field, messages in exc.errors.items()}
    return {"": [str(exc)]}


def run_action(action, message: str = "", *, keep_earlier: bool = False):
    """Run ``action(db)`` for a button that is not a form: flash ``message`` (when given;
    the transaction commits as the view returns), or roll back and flash every problem.
    With ``keep_earlier`` the action runs in a savepoint, so a refusal undoes only it and
    what the request wrote before it is still committed. Returns the result, or None."""
    db = get_db()
    savepoint = db.begin_nested() if keep_earlier else None
    try:
        result = action(db)
    except (ValidationError, StaleObject, NotFound) as exc:
        if savepoint is not None:
            savepoint.rollback()
        else:
            db.rollback()
            g.action_failed = True
        for texts in error_texts(exc).values():
            for text in texts:
                flash(text, "error")
        return None
    if savepoint is not None:
        savepoint.commit()
    if message:
        flash(message, "success")
    return result


def attempt(action) -> tuple[Any, dict[str, list[str]] | None]:
    """Run ``action(db)`` for a page that shows its own errors (a grid, the builder):
    ``(result, None)``, or ``(None, errors)`` with the messages by field ("" for the whole
    page) after rolling back and marking the form refused."""
    db = get_db()
    try:
        return action(db), None
    except (ValidationError, StaleObject) as exc:
        errors = error_texts(exc)
    db.rollback()
    form_failed()
    return None, errors


def edit_form(form_class, obj):
    """A form filled from ``obj`` when opened, and only from what was sent when posted.

    (WTForms falls back to the object's values for fields missing from a post,
    which would quietly save a half-empty form.)
    """
    if request.method == "GET":
        form = form_class(obj=obj)
        if "lock_version" in form._fields:
            form.lock_version.data = obj.lock_version
        return form
    return form_class()


def form_values(form: Form, *exclude: str) -> dict:
    skip = {"csrf_token", "lock_version", "submit", *exclude}
    return {name: field.data for name, field in form._fields.items() if name not in skip}


def send_document(document):
    """A cached PDF (shown in the browser, or downloaded with ``?download=1``) or ZIP. Never cached
    by the browser, since the same address gives a new file when its content changes."""
    mark_used(document)
    archive = document.filename.endswith(".zip")  # a kit: always a download
    return send_file(
        document.path,
        mimetype="application/zip" if archive else "application/pdf",
        as_attachment=archive or request.args.get("download") == "1",
        download_name=document.filename,
        max_age=0,
    )


# A background render whose marker is older than this is taken as lost (a consumer that
# stopped, a host that restarted) and started again on the next request.
STALE_AFTER_SECONDS = 15 * 60


@dataclass(frozen=True)
class RenderState:
    """Where a background document stands, for its progress page."""

    ready: bool
    error: str | None
    elapsed: int


def send_background_document(document, start_job, progress_url: str):
    """A document rendered by a background job: sent at once from the cache, or its job
    started (unless one is already under way) and the browser sent to ``progress_url``.
    A failed or lost job is started again. Every background document goes through here."""
    if document.ready:
        return send_document(document)
    started = started_at(document)
    stale = started is not None and time.time() - started > STALE_AFTER_SECONDS
    if started is None or stale or document.error_path.exists():
        document.error_path.unlink(missing_ok=True)
        mark_started(document)
        start_job()
        if document.ready:  # jobs run at once in immediate mode
            return send_document(document)
    return redirect(progress_url)


def render_state(document) -> RenderState | None:
    """The state of a background document, or None when no job was started for it (the
    progress page then sends the browser back to the document's address)."""
    if document.ready:
        return RenderState(True, None, 0)
    error = document.error_path.read_text() if document.error_path.exists() else None
    started = started_at(document)
    if started is None and error is None:
        return None
    return RenderState(False, error, int(time.time() - started) if started else 0)


def send_table(table, stem: str, fmt: str, title: str) -> Response:
    """A table of figures or names as a CSV or XLSX download (any other format: 404)."""
    if fmt == "csv":
        data, mimetype = exports.to_csv(table), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        data = exports.to_xlsx(table, title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


def page_url(**changes) -> str:
    """The current page's URL with some query arguments changed (for sorting and paging)."""
    assert request.endpoint is not None  # a page's own request has matched a route
    args: dict[str, Any] = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def page_size(name: str) -> int:
    """Rows per page of the list ``name``: the PAGE_SIZES setting (instance/config.py may
    set some lists), else the default of app.config.PAGE_SIZES."""
    sizes = current_app.config.get("PAGE_SIZES") or {}
    return max(1, int(sizes.get(name) or PAGE_SIZES[name]))


def form_by_id(prefix: str) -> dict[int, str]:
    """The posted fields named ``<prefix><record id>`` (a grid's row stamps, a table of
    inputs), by id; a name whose end is not an id is left out."""
    found = {}
    for name, value in request.form.items():
        if name.startswith(prefix) and (row := as_id(name.removeprefix(prefix))) is not None:
            found[row] = value
    return found


def requested_page() -> str:
    """The page asked for (``?page=``) as sent: the service's paginate() reads it, and
    anything that is not a page number gives the first page."""
    return request.args.get("page", "1")


def _in_page_language(format_value):
    return lambda value: format_value(value, page_language())


def register(app: Flask) -> None:
    @app.context_processor
    def helpers():
        locale = page_language()
        return {
            "can": lambda action, trainer=None: can(current_user, action, trainer),
            "locale": locale,
            "page_url": page_url,
        }

    app.jinja_env.globals.update(vocabulary.TEMPLATE_GLOBALS)

    @app.template_filter("autonym")
    def autonym(code: str) -> str:
        """A language's name in itself ("English", "ລາວ"), whatever the page's language."""
        names: dict[str, str] = dict(LANGUAGE_SWITCH)
        return names.get(code, code)

    @app.template_filter("local")
    def local_name(obj, field: str = "name"):
        """A name or title in the page's language (Lao where known, English otherwise)."""
        return localise.local_name(obj, page_language(), field)

    @app.template_filter("road")
    def road(minutes: int | None) -> str:
        """The road from a trainer's base to a workshop, as the pickers show it."""
        if minutes is None:
            return gettext("Not known")
        if minutes == 0:
            return gettext("Based here")
        return gettext("%(hours)s h", hours=hours_text(minutes))

    @app.template_filter("person")
    def person(obj):
        """A trainer's or participant's name in the page's script (the other when missing)."""
        lao, latin = getattr(obj, "name_lao", ""), getattr(obj, "name_latin", "")
        return (lao or latin) if page_language() == "lo" else (latin or lao)

    @app.template_global()
    def session_title(s):
        """A session's title; a break or lunch is named in the page's language."""
        defaults = {SessionKind.BREAK: "Break", SessionKind.LUNCH: "Lunch"}
        if s.kind not in defaults:
            return s.title
        english = defaults[s.kind]
        with force_locale("lo"):
            lao = gettext(english)
        # the title the agenda gave it (in either language) follows the page's language
        return gettext(english) if s.title in ("", english, lao) else s.title

    @app.template_filter("content")
    def content(text):
        """Free text someone typed (a position, a reason, a comment), marked with its
        language: text in Latin letters only is English content (it has no Lao version), so
        screen readers read it as English and a Lao page says which words are not its own."""
        if text_language(text) == "en":
            return Markup('<span lang="en">%s</span>') % str(text)
        return "" if text is None else text

    @app.template_global()
    def text_language(text) -> str:
        """The language of free text by its script ("lo", "en"), or "" when it has none."""
        text = "" if text is None else str(text)
        if any(is_lao(ch) for ch in text):
            return "lo"
        return "en" if any(ch.isalpha() for ch in text) else ""

    @app.template_filter("actor")
    def actor(label):
        """Who did something: a name, an email, or the command line (said in words)."""
        return gettext("command line") if label == "command line" else content(label)

    # day, date, short_day, month, moment: the same filters as the documents', in the
    # page's language
    for name in localise.DATE_FILTERS:
        app.add_template_filter(_in_page_language(getattr(localise, name)), name)

    @app.template_filter("dates")
    def dates(start, end):
        return localise.date_range(start, end, page_language())

    @app.template_filter("label")
    def label(code, vocabulary: str):
        """A stored code (a role, a level, a status) as the words of the page's language."""
        return str(dict(VOCABULARIES[vocabulary]).get(code, code or ""))

    @app.template_filter("b64")
    def b64(data: bytes) -> str:
        return base64.b64encode(data or b"").decode()

    @app.template_filter("percent")
    def percent(value):
        return "–" if value is None else f"{value}%"

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'"
        )
        return response

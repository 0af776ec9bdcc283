"""The page's language and its translations, looked up once per request.

A page asks for a translation some hundreds of times (every label, heading and name in
its template). Flask-Babel finds the request's state, its locale and its domain on each
call; these helpers keep the answer beside Flask-Babel's own state for the request and
look again only when the locale changed (``force_locale``, ``refresh``).
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import TypeVar

from babel.support import NullTranslations
from flask import g, has_request_context
from flask_babel import get_locale, get_translations

T = TypeVar("T")


def _babel_state() -> SimpleNamespace | None:
    """Flask-Babel's state for this app context (where it keeps the locale it chose)."""
    try:
        return g._flask_babel
    except (AttributeError, RuntimeError):  # not made yet; outside an app context
        return None


def _per_locale(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in Flask-Babel's state under ``key`` until its locale changes."""
    state = _babel_state()
    if state is not None:
        cached = getattr(state, key, None)
        if cached is not None and cached[0] is getattr(state, "babel_locale", None):
            return cached[1]
    value = compute()  # may choose the locale, making the state
    state = _babel_state()
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        setattr(state, key, (locale, value))
    return value


def page_translations() -> NullTranslations:
    """The catalog Flask-Babel's ``get_translations`` gives (the page's language; an
    empty one outside an app context), remembered until the locale changes."""
    return _per_locale("ctg_translations", get_translations)


def _language() -> str:
    return str(get_locale() or "en")


def page_language() -> str:
    """The language of the page being answered ("en" outside a request)."""
    if not has_request_context():
        return "en"
    return _per_locale("ctg_language", _language)


def install(app) -> None:
    """Templates' ``_``, ``gettext`` and ``ngettext`` read the request's catalog."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )

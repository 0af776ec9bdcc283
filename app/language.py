"""The page's language and its translations, looked up once per request.

A page asks for a translation some hundreds of times (every label, heading and name in
its template). Flask-Babel finds the request's state, its locale and its domain on each
call; these helpers keep the answer beside Flask-Babel's own state for the request and
look again only when the locale changed (``force_locale``, ``refresh``).
"""

from __future__ import annotations

from types import SimpleNamespace

from babel.support import NullTranslations
from flask import g, has_request_context
from flask_babel import get_locale, get_translations


def _babel_state() -> SimpleNamespace | None:
    """Flask-Babel's state for this app context (where it keeps the locale it chose)."""
    try:
        return g._flask_babel
    except (AttributeError, RuntimeError):  # not made yet; outside an app context
        return None


def page_translations() -> NullTranslations:
    """The catalog Flask-Babel's ``get_translations`` gives (the page's language; an
    empty one outside an app context), remembered until the locale changes."""
    state = _babel_state()
    if state is not None:
        cached = getattr(state, "ctg_translations", None)
        if cached is not None and cached[0] is getattr(state, "babel_locale", None):
            return cached[1]
    translations = get_translations()  # chooses the locale if nothing has yet
    state = _babel_state()
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.ctg_translations = (locale, translations)  # type: ignore[union-attr]
    return translations


def page_language() -> str:
    """The language of the page being answered ("en" outside a request)."""
    if not has_request_context():
        return "en"
    state = _babel_state()
    if state is not None:
        cached = getattr(state, "ctg_language", None)
        if cached is not None and cached[0] is getattr(state, "babel_locale", None):
            return cached[1]
    language = str(get_locale() or "en")
    state = _babel_state()
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.ctg_language = (locale, language)  # type: ignore[union-attr]
    return language


def install(app) -> None:
    """Templates' ``_``, ``gettext`` and ``ngettext`` read the request's catalog."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )

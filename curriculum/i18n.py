"""Marking user-facing text in the domain for translation without importing Flask.

Domain messages are written in English and wrapped in ``_()``: the marker lets
Babel extract them into the catalog, and ``LazyMessage`` defers the lookup to
whoever shows the message (the web layer translates it with the user's
language; the CLI prints English).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from babel.support import LazyProxy
from markupsafe import escape

_translator: Callable[[str], str] | None = None


_language: Callable[[], str] | None = None


def set_translator(func: Callable[[str], str] | None) -> None:
    """Install the function that turns an English message into the user's language."""
    global _translator
    _translator = func


def set_language(func: Callable[[], str] | None) -> None:
    """Install the function that tells the reader's language ("en" or "lo")."""
    global _language
    _language = func


def current_language() -> str:
    return _language() if _language else "en"


@contextmanager
def reading_in(language: str) -> Iterator[None]:
    """Names and dates read in ``language`` for the duration; the language function that
    was installed before (the web layer's) comes back afterwards."""
    global _language
    before = _language
    _language = lambda: language  # noqa: E731
    try:
        yield
    finally:
        _language = before


class Named(str):
    """A name or title with an English and a Lao version, shown in the reader's language
    when a message that carries it is formatted (a workshop's title in a check's message)."""

    __slots__ = ("lao",)
    lao: str

    def __new__(cls, english: str, lao: str = ""):
        obj = super().__new__(cls, english)
        obj.lao = lao
        return obj

    def __str__(self) -> str:
        if self.lao and current_language() == "lo":
            return self.lao
        return str.__str__(self)


def named(obj, field: str = "name") -> Named:
    """``obj``'s ``field`` (English) with its ``<field>_lo`` (Lao) version."""
    return Named(getattr(obj, field, "") or "", getattr(obj, f"{field}_lo", "") or "")


def _translate(msgid: str, params: dict[str, object]) -> str:
    text = _translator(msgid) if _translator else msgid
    return text % params if params else text


class LazyMessage(LazyProxy):
    """A message that is translated each time it is shown (``str(message)``, a template).

    It is not a ``str``: ``message + "!"`` gives the translated text, and what would
    silently keep the English (``", ".join([message])``, JSON, a flash stored in the
    cookie) raises ``TypeError`` instead, so every caller turns it into text for its reader.
    """

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(_translate, msgid, params, enable_cache=False)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"<LazyMessage {str(self)!r}>"


# Text for a reader: already in their language, or translated when shown.
Message = str | LazyMessage


def _(msgid: str, **params) -> LazyMessage:
    return LazyMessage(msgid, **params)

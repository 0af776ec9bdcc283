"""Marking user-facing text in the domain for translation without importing Flask.

Domain messages are written in English and wrapped in ``_()``: the marker lets
Babel extract them into the catalog, and ``LazyMessage`` defers the lookup to
whoever shows the message (the web layer translates it with the user's
language; the CLI prints English).
"""

from __future__ import annotations

from collections.abc import Callable

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


class LazyMessage(str):
    """A str that translates itself when formatted for display."""

    __slots__ = ("params",)
    params: dict[str, object]

    def __new__(cls, msgid: str, **params):
        obj = super().__new__(cls, msgid)
        obj.params = params
        return obj

    def __str__(self) -> str:
        text = _translator(str.__str__(self)) if _translator else str.__str__(self)
        return text % self.params if self.params else text

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


def _(msgid: str, **params) -> LazyMessage:
    return LazyMessage(msgid, **params)

"""Errors a user can cause. Services raise them; the web layer and the CLI show them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .i18n import LazyMessage, Message


class DomainError(Exception):
    """Base class: the message is meant for the person who caused it."""


class ValidationError(DomainError):
    """Input that breaks a rule; ``errors`` maps a field name (or ``None``) to messages."""

    def __init__(self, errors: Mapping[str | None, Sequence[Message] | Message]):
        self.errors: dict[str | None, list[Message]] = {
            field: [msgs] if isinstance(msgs, str | LazyMessage) else list(msgs)
            for field, msgs in errors.items()
        }
        super().__init__("; ".join(str(m) for msgs in self.errors.values() for m in msgs))


class PermissionDenied(DomainError):
    """The actor's role does not allow the action on this object."""


class NotFound(DomainError):
    """The object does not exist (or is not visible to the actor)."""


class StaleObject(DomainError):
    """Someone else saved the record after it was opened for editing."""

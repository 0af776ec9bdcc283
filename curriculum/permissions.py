"""What each role may do: the one table, enforced by services.

``docs/permissions.md`` is generated from ``PERMISSIONS`` (``python -m
curriculum.permissions``) and a test keeps the two equal.

An actor is a :class:`~curriculum.models.User`, or :data:`SYSTEM` for the command line,
the first-run setup, the demo seed and background jobs (it may do everything). ``None`` is
no actor at all and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from .errors import PermissionDenied
from .i18n import _
from .vocabulary import Role

if TYPE_CHECKING:
    from .models import User

ALL_ROLES = tuple(Role)
STAFF = frozenset({"admin", "coordinator"})


@dataclass(frozen=True)
class Permission:
    description: str
    roles: frozenset[str]
    # Roles allowed only on their own trainer record (user.trainer_id == trainer.id).
    own_roles: frozenset[str] = field(default_factory=frozenset)


PERMISSIONS: dict[str, Permission] = {
    "dashboard.view": Permission("See the home dashboard", frozenset(ALL_ROLES)),
    "dashboard.programme": Permission(
        "See the programme's figures on the home page (trainers by sex and institution)",
        STAFF | {"viewer"},
    ),
    "account.manage_own": Permission(
        "Change one's own password and language", frozenset(ALL_ROLES)
    ),
    "trainer.view": Permission("See the trainer registry and profiles", frozenset(ALL_ROLES)),
    "trainer.view_contacts": Permission(
        "See a trainer's phone, email and notes", STAFF, frozenset({"trainer"})
    ),
    "trainer.create": Permission("Add a trainer", STAFF),
    "trainer.edit": Permission("Edit every field of a trainer", STAFF),
    "trainer.edit_contacts": Permission(
        "Edit a trainer's phone, email and languages", STAFF, frozenset({"trainer"})
    ),
    "trainer.delete": Permission("Delete a trainer and their records", frozenset({"admin"})),
    "training_record.manage": Permission("Add, edit, delete a trainer's training record", STAFF),
    "unavailability.manage": Permission(
        "Add, edit, delete a trainer's unavailability", STAFF, frozenset({"trainer"})
    ),
    "library.view": Permission(
        "Read the curriculum library, search it, download the Reference Guide",
        frozenset(ALL_ROLES),
    ),
    "module.edit": Permission("Edit a module, restore an earlier version", STAFF),
    "curriculum.import": Permission("Import the curriculum files", frozenset({"admin"})),
    "qualification.manage": Permission(
        "Grant, change and withdraw a trainer's qualification for a module", STAFF
    ),
    "lesson.view": Permission(
        "Browse lesson plans, read them, download their PDFs", frozenset(ALL_ROLES)
    ),
    "lesson.write": Permission(
        "Create lesson plans, fork approved ones, edit one's own drafts, answer comments",
        frozenset({"admin", "coordinator", "trainer"}),
    ),
    "lesson.review": Permission(
        "Review lesson plans: comment, approve, request changes, retire "
        "(trainers only for modules they are master trainers of; nobody their own plan)",
        frozenset({"admin", "coordinator", "trainer"}),
    ),
    "lesson.review_any_module": Permission(
        "Review the lesson plans of every module (not only those one is a master trainer of)",
        STAFF,
    ),
    "method.manage": Permission("Add and edit teaching methods", frozenset({"admin"})),
    "workshop.view": Permission(
        "See rollouts, workshops, agendas, teams and the calendar", frozenset(ALL_ROLES)
    ),
    "workshop.manage": Permission(
        "Plan rollouts and workshops: agendas, teams, confirmation, delivery record; print "
        "sign-in sheets; issue and print certificates",
        STAFF,
    ),
    "assignment.respond": Permission(
        "Accept or decline one's own workshop assignments", frozenset(), frozenset({"trainer"})
    ),
    "calendar.feed": Permission(
        "Make or revoke the private calendar address of a trainer", STAFF, frozenset({"trainer"})
    ),
    "participant.view": Permission(
        "See participants, registrations, attendance and scores (personal data)", STAFF
    ),
    "participant.manage": Permission(
        "Add, import, merge participants; register them, record attendance, scores and feedback",
        STAFF,
    ),
    "report.view": Permission(
        "See and export the programme's reports (figures, no names)", frozenset(ALL_ROLES)
    ),
    "reference.manage": Permission("Edit provinces and institutions", frozenset({"admin"})),
    "user.manage": Permission(
        "Create, edit, deactivate users and reset passwords", frozenset({"admin"})
    ),
    "audit.view": Permission("Read the audit log", frozenset({"admin"})),
}

ROLE_DESCRIPTIONS = {
    "admin": "Runs the installation: users, reference data, audit log; everything a coordinator does.",
    "coordinator": "Programme secretariat: keeps the trainer registry, plans rollouts and reports.",
    "trainer": "A CTG member: reads the registry, keeps their own contacts and unavailability.",
    "viewer": "Reads the registry and reports (a partner or a ministry); changes nothing.",
}


@dataclass(frozen=True)
class SystemActor:
    """Who acts for the command line, the first-run setup, the demo seed and background
    jobs: allowed everything, and named "command line" in the audit log. It is passed
    explicitly; no actor at all (``None``) is refused like a visitor who is not signed in."""

    id: None = None
    name: str = "command line"
    email: str = "command line"
    role: str = "system"
    trainer_id: None = None
    trainer: None = None
    language: str = "en"
    is_authenticated: bool = True
    active: bool = True
    is_system: bool = True


SYSTEM = SystemActor()

# Whoever a service acts for: a signed-in user, or the system.
Actor = Union["User", SystemActor]


def _role(actor) -> str | None:
    if actor is None:
        return None
    if actor is SYSTEM:
        return "system"
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "active", False):
        return None
    return actor.role


def can(actor, action: str, trainer=None) -> bool:
    """Whether ``actor`` may do ``action`` (on ``trainer``, for per-trainer rows)."""
    permission = PERMISSIONS[action]
    role = _role(actor)
    if role == "system":
        return True
    if role is None:
        return False
    if role in permission.roles:
        return True
    if role in permission.own_roles and trainer is not None:
        trainer_id = trainer if isinstance(trainer, int) else trainer.id
        return actor.trainer_id is not None and actor.trainer_id == trainer_id
    return False


def require(actor, action: str, trainer=None) -> None:
    if not can(actor, action, trainer):
        raise PermissionDenied(_("You do not have permission to do this."))


def as_markdown() -> str:
    """The permission table as Markdown (docs/permissions.md)."""
    lines = [
        "# Roles and permissions",
        "",
        "Generated from `curriculum/permissions.py` by `python -m curriculum.permissions`;",
        "services enforce it, and the access-matrix test checks every route against it.",
        "",
        "| role | who |",
        "| --- | --- |",
    ]
    lines += [f"| {role} | {text} |" for role, text in ROLE_DESCRIPTIONS.items()]
    lines += [
        "",
        "yes: allowed; own: only on the trainer record linked to one's own account; -: refused.",
        "",
        "| action | what it allows | " + " | ".join(ALL_ROLES) + " |",
        "| --- | --- | " + " | ".join("---" for _ in ALL_ROLES) + " |",
    ]
    for name, perm in PERMISSIONS.items():
        cells = [
            "yes" if role in perm.roles else "own" if role in perm.own_roles else "-"
            for role in ALL_ROLES
        ]
        lines.append(f"| `{name}` | {perm.description} | " + " | ".join(cells) + " |")
    lines += ["", "Anyone not signed in sees only the sign-in page.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(as_markdown(), end="")

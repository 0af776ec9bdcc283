"""The named vocabularies: every status, role, level, kind and sex the data uses.

Each is a ``StrEnum``: a member is its database value (``WorkshopStatus.CANCELLED ==
"cancelled"``), so the columns stay plain text with a check constraint built from the
enum, and code compares against members rather than retyped strings. Labels in the
reader's language are in ``app/choices.py``.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """A language of the interface, of content and of printed documents."""

    EN = "en"
    LO = "lo"


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    TRAINER = "trainer"
    VIEWER = "viewer"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_RECORDED = "not_recorded"  # participants only: a list that did not say


class TrainerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class InstitutionKind(StrEnum):
    COURT = "court"
    PROSECUTION = "prosecution"
    POLICE = "police"
    MINISTRY = "ministry"
    BAR = "bar"
    UNIVERSITY = "university"
    MASS_ORGANISATION = "mass_organisation"
    NGO = "ngo"
    INTERNATIONAL = "international"


class InstitutionLevel(StrEnum):
    CENTRAL = "central"
    PROVINCIAL = "provincial"


class TrainingKind(StrEnum):
    TOT_WORKSHOP = "tot_workshop"
    TRAINING_COURSE = "training_course"
    LESSON_PLAN_WORKSHOP = "lesson_plan_workshop"
    STUDY_VISIT = "study_visit"
    CONFERENCE = "conference"
    OTHER = "other"


class Level(StrEnum):
    """A trainer's qualification level for a module."""

    CO_TRAINER = "co_trainer"
    LEAD = "lead"
    MASTER = "master"

    @property
    def leads(self) -> bool:
        """May lead the module's sessions (the qualification matrix counts these)."""
        return self in (Level.LEAD, Level.MASTER)


class TranslationStatus(StrEnum):
    DRAFT = "draft"
    REVIEWED = "reviewed"


class MaterialKind(StrEnum):
    """What a printable handout in ``modules/materials/`` is."""

    CASE = "case"  # a case card or case file for group work
    ROLE = "role"  # role-play briefs
    CHART = "chart"  # a chart to fill or follow (the referral chart)
    CHECKLIST = "checklist"
    CARDS = "cards"  # a set of cards to cut out (indicator, age-assessment cards)
    STORY = "story"  # a story told in parts
    EXTRACT = "extract"  # extracts of legal texts


class LegalReview(StrEnum):
    NEEDED = "needed"
    CHECKED = "checked"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    RETIRED = "retired"


class PlanKind(StrEnum):
    PLAN = "plan"
    TEMPLATE = "template"


class Decision(StrEnum):
    """A reviewer's decision recorded with a comment."""

    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class RolloutStatus(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class WorkshopStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    DELIVERED = "delivered"
    REPORTED = "reported"
    CANCELLED = "cancelled"


class SessionKind(StrEnum):
    SESSION = "session"  # teaching
    BREAK = "break"
    LUNCH = "lunch"


class TeamRole(StrEnum):
    LEAD = "lead"
    CO_TRAINER = "co_trainer"
    RESOURCE = "resource"


class Response(StrEnum):
    """A trainer's answer to being put on a team."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Delivery(StrEnum):
    """What became of a planned session, recorded after the workshop."""

    PLANNED = "planned"
    AS_PLANNED = "as_planned"
    CHANGED = "changed"
    DROPPED = "dropped"


class FeedKind(StrEnum):
    TRAINER = "trainer"
    ROLLOUT = "rollout"


class RegistrationStatus(StrEnum):
    INVITED = "invited"
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"


class ImportStatus(StrEnum):
    """A participant list read from a spreadsheet: being corrected, or saved."""

    OPEN = "open"
    IMPORTED = "imported"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Severity(StrEnum):
    """How much a problem found by a check matters: an error blocks, a warning informs."""

    ERROR = "error"
    WARNING = "warning"


# Every vocabulary by its class name, for templates: ``{% if s.kind == SessionKind.BREAK %}``.
TEMPLATE_GLOBALS: dict[str, type[StrEnum]] = {
    cls.__name__: cls
    for cls in (
        Language,
        Role,
        Sex,
        TrainerStatus,
        InstitutionKind,
        InstitutionLevel,
        TrainingKind,
        Level,
        TranslationStatus,
        MaterialKind,
        LegalReview,
        PlanStatus,
        PlanKind,
        Decision,
        RolloutStatus,
        WorkshopStatus,
        SessionKind,
        TeamRole,
        Response,
        Delivery,
        FeedKind,
        RegistrationStatus,
        ImportStatus,
        AuditAction,
        Severity,
    )
}


def one_of(column: str, values) -> str:
    """The SQL of a check constraint that keeps ``column`` within ``values``."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"

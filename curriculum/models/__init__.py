"""All models, imported so that ``Base.metadata`` knows every table."""

from .accounts import ROLES, UI_LANGUAGES, User
from .audit import AuditEvent
from .people import (
    INSTITUTION_KINDS,
    INSTITUTION_LEVELS,
    LANGUAGES,
    SEXES,
    TRAINER_STATUSES,
    TRAINING_KINDS,
    Institution,
    Province,
    Trainer,
    TrainingRecord,
    Unavailability,
)

__all__ = [
    "AuditEvent",
    "INSTITUTION_KINDS",
    "INSTITUTION_LEVELS",
    "Institution",
    "LANGUAGES",
    "Province",
    "ROLES",
    "SEXES",
    "TRAINER_STATUSES",
    "TRAINING_KINDS",
    "Trainer",
    "TrainingRecord",
    "UI_LANGUAGES",
    "Unavailability",
    "User",
]

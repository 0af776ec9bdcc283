"""Choice lists for forms, labelled in the page's language."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms stubs 3.2

from curriculum.services import reference
from curriculum.services.content import list_modules
from curriculum.vocabulary import (
    InstitutionKind,
    InstitutionLevel,
    Language,
    LegalReview,
    Level,
    RegistrationStatus,
    Role,
    RolloutStatus,
    SessionKind,
    Sex,
    TeamRole,
    TrainerStatus,
    TrainingKind,
    TranslationStatus,
    WorkshopStatus,
)

from .language import page_language

SEX_CHOICES = [(Sex.FEMALE, _l("Female")), (Sex.MALE, _l("Male")), (Sex.OTHER, _l("Other"))]
PARTICIPANT_SEX_CHOICES = [*SEX_CHOICES, (Sex.NOT_RECORDED, _l("Not recorded"))]
REGISTRATION_STATUS_CHOICES = [
    (RegistrationStatus.INVITED, _l("Invited")),
    (RegistrationStatus.REGISTERED, _l("Registered")),
    (RegistrationStatus.WAITLISTED, _l("Waitlisted")),
    (RegistrationStatus.CANCELLED, _l("Cancelled")),
    (RegistrationStatus.ATTENDED, _l("Attended")),
]
STATUS_CHOICES = [(TrainerStatus.ACTIVE, _l("Active")), (TrainerStatus.INACTIVE, _l("Inactive"))]
LANGUAGE_CHOICES = [
    ("lo", _l("Lao")),
    ("en", _l("English")),
    ("th", _l("Thai")),
    ("fr", _l("French")),
    ("vi", _l("Vietnamese")),
    ("zh", _l("Chinese")),
]
TRAINING_KIND_CHOICES = [
    (TrainingKind.TOT_WORKSHOP, _l("Training-of-trainers workshop")),
    (TrainingKind.TRAINING_COURSE, _l("Training course")),
    (TrainingKind.LESSON_PLAN_WORKSHOP, _l("Lesson plan development workshop")),
    (TrainingKind.STUDY_VISIT, _l("Study visit")),
    (TrainingKind.CONFERENCE, _l("Conference")),
    (TrainingKind.OTHER, _l("Other")),
]
INSTITUTION_KIND_CHOICES = [
    (InstitutionKind.COURT, _l("Court")),
    (InstitutionKind.PROSECUTION, _l("Prosecution")),
    (InstitutionKind.POLICE, _l("Police")),
    (InstitutionKind.MINISTRY, _l("Ministry")),
    (InstitutionKind.BAR, _l("Bar association")),
    (InstitutionKind.UNIVERSITY, _l("University")),
    (InstitutionKind.MASS_ORGANISATION, _l("Mass organisation")),
    (InstitutionKind.NGO, _l("Non-governmental organisation")),
    (InstitutionKind.INTERNATIONAL, _l("International organisation")),
]
LEVEL_CHOICES = [
    (InstitutionLevel.CENTRAL, _l("Central")),
    (InstitutionLevel.PROVINCIAL, _l("Provincial")),
]
ROLE_CHOICES = [
    (Role.ADMIN, _l("Administrator")),
    (Role.COORDINATOR, _l("Coordinator")),
    (Role.TRAINER, _l("Trainer")),
    (Role.VIEWER, _l("Viewer")),
]


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options a WTForms select or radio field takes."""
    return [SelectChoice(value, label) for value, label in pairs]


# The header's switch names each language in itself, so anyone can find their own.
LANGUAGE_SWITCH = [(Language.EN, "English"), (Language.LO, "ລາວ")]
UI_LANGUAGE_CHOICES = [(Language.EN, _l("English")), (Language.LO, _l("Lao"))]


def label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def province_choices(db, blank=None):
    rows = [(p.code, p.name(page_language())) for p in reference.list_provinces(db)]
    rows.sort(key=lambda row: row[1])
    return ([("", blank)] if blank else []) + rows


def institution_choices(db, blank=None):
    locale = page_language()
    rows = [(i.id, f"{i.short_name} – {i.name(locale)}") for i in reference.list_institutions(db)]
    return ([("", blank)] if blank else []) + rows


QUALIFICATION_LEVEL_CHOICES = [
    (Level.CO_TRAINER, _l("Co-trainer")),
    (Level.LEAD, _l("Lead trainer")),
    (Level.MASTER, _l("Master trainer")),
]
TRANSLATION_STATUS_CHOICES = [
    (TranslationStatus.DRAFT, _l("Draft")),
    (TranslationStatus.REVIEWED, _l("Reviewed")),
]
LEGAL_REVIEW_CHOICES = [
    (LegalReview.NEEDED, _l("Needs a lawyer's review")),
    (LegalReview.CHECKED, _l("Checked")),
]
REVIEW_NEED_CHOICES = [
    ("lao", _l("Lao translation to review")),
    ("legal", _l("Legal wording to check")),
]
CONTENT_KIND_CHOICES = [
    ("module", _l("Module")),
    ("provision", _l("Legal provision")),
    ("term", _l("Glossary term")),
]


def module_choices(db) -> list[SelectChoice]:
    language = page_language()
    return [SelectChoice("", _l("Choose…"))] + [
        SelectChoice(str(m.id), f"{m.code} {m.title(language)}") for m in list_modules(db)
    ]


ASSIGNMENT_ROLE_CHOICES = [
    (TeamRole.LEAD, _l("Lead trainer")),
    (TeamRole.CO_TRAINER, _l("Co-trainer")),
    (TeamRole.RESOURCE, _l("Resource person")),
]
WORKSHOP_STATUS_CHOICES = [
    (WorkshopStatus.PLANNED, _l("Planned")),
    (WorkshopStatus.CONFIRMED, _l("Confirmed")),
    (WorkshopStatus.DELIVERED, _l("Delivered")),
    (WorkshopStatus.REPORTED, _l("Reported")),
    (WorkshopStatus.CANCELLED, _l("Cancelled")),
]
PLAN_LANGUAGE_CHOICES = [(Language.LO, _l("Lao")), (Language.EN, _l("English"))]
ROLLOUT_STATUS_CHOICES = [
    (RolloutStatus.PLANNING, _l("In planning")),
    (RolloutStatus.ACTIVE, _l("Under way")),
    (RolloutStatus.COMPLETED, _l("Completed")),
    (RolloutStatus.CANCELLED, _l("Cancelled")),
]
SESSION_KIND_CHOICES = [
    (SessionKind.SESSION, _l("Session")),
    (SessionKind.BREAK, _l("Break")),
    (SessionKind.LUNCH, _l("Lunch")),
]

# The stored codes that pages show, each as the words of the page's language (the `label`
# template filter: ``{{ a.role|label('role') }}``).
VOCABULARIES: dict[str, Sequence[tuple[str, object]]] = {
    "role": ASSIGNMENT_ROLE_CHOICES,
    "level": QUALIFICATION_LEVEL_CHOICES,
    "workshop_status": WORKSHOP_STATUS_CHOICES,
    "registration_status": REGISTRATION_STATUS_CHOICES,
    "sex": PARTICIPANT_SEX_CHOICES,
    "language": LANGUAGE_CHOICES,
    "plan_language": PLAN_LANGUAGE_CHOICES,
    "user_role": ROLE_CHOICES,
}


# The kinds of record the audit log names, in the reader's language.
RECORD_KIND_CHOICES = [
    ("Assignment", _l("Team member")),
    ("Attendance", _l("Attendance")),
    ("CalendarFeed", _l("Calendar address")),
    ("GlossaryTerm", _l("Glossary term")),
    ("Institution", _l("Institution")),
    ("Instrument", _l("Legal instrument")),
    ("LegalProvision", _l("Legal provision")),
    ("LessonActivity", _l("Activity")),
    ("LessonComment", _l("Comment")),
    ("LessonObjective", _l("Learning objective")),
    ("LessonPlan", _l("Lesson plan")),
    ("Method", _l("Teaching method")),
    ("Module", _l("Module")),
    ("Participant", _l("Participant")),
    ("ParticipantImport", _l("Participant import")),
    ("Province", _l("Province")),
    ("Qualification", _l("Qualification")),
    ("Registration", _l("Registration")),
    ("Rollout", _l("Rollout")),
    ("Trainer", _l("Trainer")),
    ("TrainingRecord", _l("Training record")),
    ("TravelTime", _l("Road time")),
    ("Unavailability", _l("Unavailability")),
    ("User", _l("User")),
    ("Workshop", _l("Workshop")),
    ("WorkshopSession", _l("Session")),
]
AUDIT_ACTION_CHOICES = [
    ("create", _l("Created")),
    ("update", _l("Changed")),
    ("delete", _l("Deleted")),
    ("agenda", _l("Agenda laid out")),
    ("attendance", _l("Attendance recorded")),
    ("calendar_feed", _l("Calendar address made")),
    ("calendar_revoke", _l("Calendar address revoked")),
    ("comment", _l("Comment")),
    ("delivery", _l("Delivery recorded")),
    ("fork", _l("Forked")),
    ("merge", _l("Merged")),
    ("status", _l("Status changed")),
    ("certificates", _l("Certificates issued")),
    ("staffing", _l("Trainers chosen")),
]
VOCABULARIES["record_kind"] = RECORD_KIND_CHOICES
VOCABULARIES["audit_action"] = AUDIT_ACTION_CHOICES

"""Choice lists for forms, labelled in the page's language."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms stubs 3.2

from curriculum.services import reference

SEX_CHOICES = [("female", _l("Female")), ("male", _l("Male")), ("other", _l("Other"))]
PARTICIPANT_SEX_CHOICES = [*SEX_CHOICES, ("not_recorded", _l("Not recorded"))]
REGISTRATION_STATUS_CHOICES = [
    ("invited", _l("Invited")),
    ("registered", _l("Registered")),
    ("waitlisted", _l("Waitlisted")),
    ("cancelled", _l("Cancelled")),
    ("attended", _l("Attended")),
]
STATUS_CHOICES = [("active", _l("Active")), ("inactive", _l("Inactive"))]
LANGUAGE_CHOICES = [
    ("lo", _l("Lao")),
    ("en", _l("English")),
    ("th", _l("Thai")),
    ("fr", _l("French")),
    ("vi", _l("Vietnamese")),
    ("zh", _l("Chinese")),
]
TRAINING_KIND_CHOICES = [
    ("tot_workshop", _l("Training-of-trainers workshop")),
    ("training_course", _l("Training course")),
    ("lesson_plan_workshop", _l("Lesson plan development workshop")),
    ("study_visit", _l("Study visit")),
    ("conference", _l("Conference")),
    ("other", _l("Other")),
]
INSTITUTION_KIND_CHOICES = [
    ("court", _l("Court")),
    ("prosecution", _l("Prosecution")),
    ("police", _l("Police")),
    ("ministry", _l("Ministry")),
    ("bar", _l("Bar association")),
    ("university", _l("University")),
    ("mass_organisation", _l("Mass organisation")),
    ("ngo", _l("Non-governmental organisation")),
    ("international", _l("International organisation")),
]
LEVEL_CHOICES = [("central", _l("Central")), ("provincial", _l("Provincial"))]
ROLE_CHOICES = [
    ("admin", _l("Administrator")),
    ("coordinator", _l("Coordinator")),
    ("trainer", _l("Trainer")),
    ("viewer", _l("Viewer")),
]


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options a WTForms select or radio field takes."""
    return [SelectChoice(value, label) for value, label in pairs]


# The header's switch names each language in itself, so anyone can find their own.
LANGUAGE_SWITCH = [("en", "English"), ("lo", "ລາວ")]
UI_LANGUAGE_CHOICES = [("en", _l("English")), ("lo", _l("Lao"))]


def label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def page_language() -> str:
    """The language of the page being answered ("en" outside a request)."""
    if not has_request_context():
        return "en"
    return str(get_locale() or "en")


def province_choices(session, blank=None):
    rows = [(p.code, p.name(page_language())) for p in reference.list_provinces(session)]
    rows.sort(key=lambda row: row[1])
    return ([("", blank)] if blank else []) + rows


def institution_choices(session, blank=None):
    locale = page_language()
    rows = [
        (i.id, f"{i.short_name} – {i.name(locale)}") for i in reference.list_institutions(session)
    ]
    return ([("", blank)] if blank else []) + rows


QUALIFICATION_LEVEL_CHOICES = [
    ("co_trainer", _l("Co-trainer")),
    ("lead", _l("Lead trainer")),
    ("master", _l("Master trainer")),
]
TRANSLATION_STATUS_CHOICES = [("draft", _l("Draft")), ("reviewed", _l("Reviewed"))]
LEGAL_REVIEW_CHOICES = [("needed", _l("Needs a lawyer's review")), ("checked", _l("Checked"))]
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
    from curriculum.services.content import list_modules

    language = page_language()
    return [SelectChoice("", _l("Choose…"))] + [
        SelectChoice(str(m.id), f"{m.code} {m.title(language)}") for m in list_modules(db)
    ]


ASSIGNMENT_ROLE_CHOICES = [
    ("lead", _l("Lead trainer")),
    ("co_trainer", _l("Co-trainer")),
    ("resource", _l("Resource person")),
]
WORKSHOP_STATUS_CHOICES = [
    ("planned", _l("Planned")),
    ("confirmed", _l("Confirmed")),
    ("delivered", _l("Delivered")),
    ("reported", _l("Reported")),
    ("cancelled", _l("Cancelled")),
]
PLAN_LANGUAGE_CHOICES = [("lo", _l("Lao")), ("en", _l("English"))]

# The stored codes that pages show, each as the words of the page's language (the `label`
# template filter: ``{{ a.role|label('role') }}``).
VOCABULARIES = {
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

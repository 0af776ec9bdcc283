"""Forms of the lesson plans area. The builder posts one form for the whole plan,
read by :func:`read_builder` into the service's plain dict."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from curriculum.errors import ValidationError
from curriculum.i18n import _
from curriculum.models.lessons import MAX_ACTIVITIES, MAX_OBJECTIVES
from curriculum.services.lessons import ACTIVITY_FIELDS

from ..choices import UI_LANGUAGE_CHOICES, options
from ..forms_i18n import BaseForm, max_length, required

LANGUAGE_CHOICES = UI_LANGUAGE_CHOICES  # English first: most plans are drafted in English
START_CHOICES = [
    ("module", _l("From the module: its learning outcomes and key messages filled in")),
    ("template", _l("From a template: its timed activities laid out")),
    ("blank", _l("From scratch")),
]
BLANK_OBJECTIVES = 2
_ROW = re.compile(r"^(objectives|activities)-(\d{1,7})-[a-z_]+$")


class NewPlanForm(BaseForm):
    module = SelectField(_l("Module"), validators=[required()])
    language = SelectField(_l("Language of the plan"), choices=options(LANGUAGE_CHOICES))
    start = RadioField(_l("Start"), choices=options(START_CHOICES), default="module")
    template = SelectField(_l("Template"), validators=[Optional()])
    title = StringField(_l("Title (optional)"), validators=[Optional(), max_length(300)])


class StatusForm(BaseForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), max_length(5000)])
    lock_version = HiddenField()


class CommentForm(BaseForm):
    body = TextAreaField(_l("Comment"), validators=[required(), max_length(5000)])
    activity_id = HiddenField()
    reply_to_id = HiddenField()


class ActionForm(BaseForm):
    """A button that posts (fork, new version): the form carries only the CSRF token."""


class MethodForm(BaseForm):
    code = StringField(_l("Code"), validators=[required(), max_length(30)])
    name_en = StringField(_l("Name in English"), validators=[required(), max_length(100)])
    name_lo = StringField(_l("Name in Lao"), validators=[Optional(), max_length(100)])
    participatory = BooleanField(_l("Participatory (participants talk, work or move)"))
    lecture = BooleanField(_l("Counts as lecture (more than 30 minutes in a row is warned)"))
    active = BooleanField(_l("Offered in the builder"), default=True)
    lock_version = HiddenField()


def read_builder(form: MultiDict) -> dict:
    """The builder's post as the service's plan dict; refuses an absurd number of rows
    before reading them (nothing is stored)."""
    indices: dict[str, set[int]] = {"objectives": set(), "activities": set()}
    for key in form.keys():
        match = _ROW.match(key)
        if match:
            indices[match[1]].add(int(match[2]))
    if len(indices["activities"]) > MAX_ACTIVITIES:
        raise ValidationError(
            {
                "activities": [
                    _(
                        "A plan has at most %(max)d activities; %(count)d were sent. "
                        "Nothing was saved.",
                        max=MAX_ACTIVITIES,
                        count=len(indices["activities"]),
                    )
                ]
            }
        )
    if len(indices["objectives"]) > MAX_OBJECTIVES + BLANK_OBJECTIVES:
        raise ValidationError(
            {"objectives": [_("A plan has at most %(max)d objectives.", max=MAX_OBJECTIVES)]}
        )

    def order(i: int):
        try:
            return (int(form.get(f"activities-{i}-order", "")), i)
        except ValueError:
            return (i, i)

    activities = []
    for i in sorted(indices["activities"], key=order):
        item = {name: form.get(f"activities-{i}-{name}", "") for name in ("id", *ACTIVITY_FIELDS)}
        item["serves"] = form.getlist(f"activities-{i}-serves")
        activities.append(item)
    return {
        "title": form.get("title", ""),
        "language": form.get("language", ""),
        "audience": form.get("audience", ""),
        "duration_minutes": form.get("duration_minutes", ""),
        "key_messages": form.get("key_messages", ""),
        "materials": form.get("materials", ""),
        "assessment": form.get("assessment", ""),
        "trainer_notes": form.get("trainer_notes", ""),
        "provisions": form.getlist("provisions"),
        "objectives": [
            {"id": form.get(f"objectives-{i}-id", ""), "text": form.get(f"objectives-{i}-text", "")}
            for i in sorted(indices["objectives"])
        ],
        "activities": activities,
    }

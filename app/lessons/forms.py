"""Forms of the lesson plans area. The builder posts one form for the whole plan,
read by :func:`read_builder` into the service's plain dict."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from curriculum.errors import ValidationError
from curriculum.i18n import _
from curriculum.models.lessons import MAX_OBJECTIVES
from curriculum.services import lessons

from ..choices import UI_LANGUAGE_CHOICES, options
from ..forms_i18n import BaseForm, max_length, required

LANGUAGE_CHOICES = UI_LANGUAGE_CHOICES  # English first: most plans are drafted in English
START_CHOICES = [
    ("module", _l("From the module: its learning outcomes and key messages filled in")),
    ("template", _l("From a template: its timed activities laid out")),
    ("blank", _l("From scratch")),
]
BLANK_OBJECTIVES = 2


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


class ObjectiveRow(Form):
    id = HiddenField()
    text = StringField()


class ActivityRow(Form):
    id = HiddenField()
    order = StringField()  # the position the activity was dragged to
    minutes = StringField()
    method = StringField()
    title = StringField()
    trainer_does = StringField()
    participants_do = StringField()
    materials = StringField()
    notes = StringField()
    serves = SelectMultipleField(validate_choice=False)


class BuilderForm(Form):
    """The builder's post: the plan's fields, and its objectives and activities as
    numbered rows (``activities-3-minutes``). Only read; the service checks the values."""

    title = StringField()
    language = StringField()
    audience = StringField()
    duration_minutes = StringField()
    key_messages = StringField()
    materials = StringField()
    assessment = StringField()
    trainer_notes = StringField()
    provisions = SelectMultipleField(validate_choice=False)
    handouts = SelectMultipleField(validate_choice=False)
    objectives = FieldList(FormField(ObjectiveRow))
    activities = FieldList(FormField(ActivityRow))


def _row_count(form: MultiDict, prefix: str) -> int:
    return len({key.split("-", 2)[1] for key in form if key.startswith(prefix + "-")})


def read_builder(form: MultiDict) -> dict:
    """The builder's post as the service's plan dict (text as sent; "" for what is
    missing). An absurd number of activities is refused before the rows are read."""
    lessons.check_activity_count(_row_count(form, "activities"))
    if _row_count(form, "objectives") > MAX_OBJECTIVES + BLANK_OBJECTIVES:  # more than shown
        raise ValidationError(
            {"objectives": [_("A plan has at most %(max)d objectives.", max=MAX_OBJECTIVES)]}
        )
    sent = BuilderForm(formdata=form).data
    data: dict = _text(sent)
    data["objectives"] = [_text(row) for row in sent["objectives"]]
    rows = [_text(row) for row in sent["activities"]]
    data["activities"] = [
        {k: v for k, v in row.items() if k != "order"}
        for _index, row in sorted(enumerate(rows), key=lambda item: _order(*item))
    ]
    return data


def _text(row: dict) -> dict:
    return {k: "" if v is None else v for k, v in row.items()}


def _order(index: int, row: dict) -> tuple[int, int]:
    try:
        return (int(row["order"]), index)
    except ValueError:
        return (index, index)


def field_errors(errors: dict) -> dict[str, list[str]]:
    """A service's errors by the builder's field names: ``activities.2.minutes`` (a path in
    the plan's data) is the field ``activities-2-minutes``; "" is the whole form."""
    return {
        (key or "").replace(".", "-"): [str(m) for m in messages]
        for key, messages in errors.items()
    }

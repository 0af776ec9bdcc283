from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional

from ..choices import (
    LEGAL_REVIEW_CHOICES,
    TRANSLATION_STATUS_CHOICES,
    options,
)
from ..forms_i18n import BaseForm, max_length, required


class ModuleForm(BaseForm):
    """One language of a module; the service checks what the language requires."""

    title = StringField(_l("Title"), validators=[Optional(), max_length(300)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), max_length(3000)])
    audience = TextAreaField(_l("Audience"), validators=[Optional(), max_length(500)])
    learning_outcomes = TextAreaField(
        _l("Learning outcomes (one per line)"), validators=[Optional(), max_length(5000)]
    )
    key_messages = TextAreaField(
        _l("Key messages (one per line)"), validators=[Optional(), max_length(5000)]
    )
    body = TextAreaField(_l("Chapter (Markdown)"), validators=[Optional(), max_length(200_000)])
    duration_minutes = StringField(_l("Suggested duration (minutes)"), validators=[Optional()])
    legal_review = SelectField(_l("Legal wording"), choices=options(LEGAL_REVIEW_CHOICES))
    translation_status = SelectField(
        _l("Status of this language"), choices=options(TRANSLATION_STATUS_CHOICES)
    )
    comment = StringField(_l("What changed and why"), validators=[required(), max_length(500)])
    lock_version = HiddenField()
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save as a new version"))


class RestoreForm(BaseForm):
    lock_version = HiddenField()
    submit = SubmitField(_l("Restore this version"))

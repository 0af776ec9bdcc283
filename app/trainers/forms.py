from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional

from ..choices import (
    LANGUAGE_CHOICES,
    QUALIFICATION_LEVEL_CHOICES,
    SEX_CHOICES,
    STATUS_CHOICES,
    TRAINING_KIND_CHOICES,
    options,
)
from ..forms_i18n import (
    BaseForm,
    MultiCheckboxField,
    chosen,
    max_length,
    optional_int,
    required,
    valid_email,
)

NAME = [Optional(), max_length(100)]


class ContactsForm(BaseForm):
    phone = StringField(_l("Phone"), validators=[Optional(), max_length(40)])
    email = StringField(
        _l("Email address"), validators=[Optional(), max_length(254), valid_email()]
    )
    languages = MultiCheckboxField(_l("Languages"), choices=options(LANGUAGE_CHOICES))
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class TrainerForm(ContactsForm):
    given_name_lo = StringField(_l("Given name (Lao script)"), validators=NAME)
    family_name_lo = StringField(_l("Family name (Lao script)"), validators=NAME)
    given_name_latin = StringField(_l("Given name (Latin letters)"), validators=NAME)
    family_name_latin = StringField(_l("Family name (Latin letters)"), validators=NAME)
    sex = RadioField(_l("Sex"), choices=options(SEX_CHOICES), validators=[chosen()])
    institution_id = SelectField(
        _l("Institution"), coerce=optional_int, validators=[chosen()], validate_choice=True
    )
    position = StringField(_l("Position"), validators=[Optional(), max_length(200)])
    base_province = SelectField(_l("Base province"), validators=[required()])
    status = SelectField(_l("Status"), choices=options(STATUS_CHOICES), default="active")
    joined_on = DateField(_l("Joined the CTG on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(5000)])


class TrainingRecordForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), max_length(200)])
    kind = SelectField(_l("Kind"), choices=options(TRAINING_KIND_CHOICES))
    start_date = DateField(_l("From"), validators=[required()])
    end_date = DateField(_l("To"), validators=[required()])
    organiser = StringField(_l("Organiser"), validators=[Optional(), max_length(200)])
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class UnavailabilityForm(BaseForm):
    start_date = DateField(_l("From"), validators=[required()])
    end_date = DateField(_l("To"), validators=[required()])
    reason = StringField(
        _l("Reason"),
        validators=[Optional(), max_length(200)],
        description=_l("For example: annual leave, court hearings, mission abroad."),
    )
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class DeleteForm(BaseForm):
    submit = SubmitField(_l("Delete"))


class QualificationForm(BaseForm):
    module_id = SelectField(_l("Module"), validators=[chosen()])
    level = SelectField(
        _l("Level"), choices=options(QUALIFICATION_LEVEL_CHOICES), validators=[chosen()]
    )
    since = DateField(_l("Qualified since"), validators=[required()])
    granted_by = StringField(_l("Granted by"), validators=[required(), max_length(200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(2000)])
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))

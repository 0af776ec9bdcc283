from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..choices import (
    LANGUAGE_CHOICES,
    SEX_CHOICES,
    STATUS_CHOICES,
    TRAINING_KIND_CHOICES,
    options,
)

NAME = [Optional(), Length(max=100)]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class ContactsForm(FlaskForm):
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("Email address"), validators=[Optional(), Length(max=254), Email()])
    languages = MultiCheckboxField(_l("Languages"), choices=options(LANGUAGE_CHOICES))
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class TrainerForm(ContactsForm):
    given_name_lo = StringField(_l("Given name (Lao script)"), validators=NAME)
    family_name_lo = StringField(_l("Family name (Lao script)"), validators=NAME)
    given_name_latin = StringField(_l("Given name (Latin letters)"), validators=NAME)
    family_name_latin = StringField(_l("Family name (Latin letters)"), validators=NAME)
    sex = RadioField(_l("Sex"), choices=options(SEX_CHOICES), validators=[InputRequired()])
    institution_id = SelectField(
        _l("Institution"), coerce=_optional_int, validators=[InputRequired()], validate_choice=True
    )
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    base_province = SelectField(_l("Base province"), validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=options(STATUS_CHOICES), default="active")
    joined_on = DateField(_l("Joined the CTG on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    field_order = (
        "given_name_lo",
        "family_name_lo",
        "given_name_latin",
        "family_name_latin",
        "sex",
        "institution_id",
        "position",
        "base_province",
        "phone",
        "email",
        "languages",
        "status",
        "joined_on",
        "notes",
    )


class TrainingRecordForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=options(TRAINING_KIND_CHOICES))
    start_date = DateField(_l("From"), validators=[DataRequired()])
    end_date = DateField(_l("To"), validators=[DataRequired()])
    organiser = StringField(_l("Organiser"), validators=[Optional(), Length(max=200)])
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class UnavailabilityForm(FlaskForm):
    start_date = DateField(_l("From"), validators=[DataRequired()])
    end_date = DateField(_l("To"), validators=[DataRequired()])
    reason = StringField(
        _l("Reason"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example: annual leave, court hearings, mission abroad."),
    )
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete"))

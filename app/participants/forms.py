from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import NumberRange, Optional

from ..choices import PARTICIPANT_SEX_CHOICES, options
from ..forms_i18n import BaseForm, max_length, optional_int, valid_email

NAME = [Optional(), max_length(100)]


class ParticipantForm(BaseForm):
    given_name_lo = StringField(_l("Given name (Lao script)"), validators=NAME)
    family_name_lo = StringField(_l("Family name (Lao script)"), validators=NAME)
    given_name_latin = StringField(_l("Given name (Latin letters)"), validators=NAME)
    family_name_latin = StringField(_l("Family name (Latin letters)"), validators=NAME)
    sex = RadioField(_l("Sex"), choices=options(PARTICIPANT_SEX_CHOICES), default="not_recorded")
    birth_year = IntegerField(_l("Year of birth"), validators=[Optional(), NumberRange(1920, 2020)])
    institution_id = SelectField(_l("Institution"), coerce=optional_int, validate_choice=True)
    position = StringField(_l("Position"), validators=[Optional(), max_length(200)])
    province = SelectField(_l("Province"))
    phone = StringField(_l("Phone"), validators=[Optional(), max_length(40)])
    email = StringField(
        _l("Email address"), validators=[Optional(), max_length(254), valid_email()]
    )
    same_person_checked = BooleanField(_l("I checked: this is not one of the people above"))
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional

from curriculum.services.accounts import MIN_PASSWORD

from ..choices import (
    INSTITUTION_KIND_CHOICES,
    LEVEL_CHOICES,
    ROLE_CHOICES,
    UI_LANGUAGE_CHOICES,
    options,
)
from ..forms_i18n import BaseForm, max_length, optional_int, password_length, required, valid_email


class UserForm(BaseForm):
    email = StringField(
        _l("Email address"), validators=[required(), max_length(254), valid_email()]
    )
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    role = SelectField(_l("Role"), choices=options(ROLE_CHOICES))
    trainer_id = SelectField(
        _l("Linked trainer"),
        coerce=optional_int,
        description=_l(
            "A trainer's account may keep that trainer's contacts and unavailability up to date."
        ),
    )
    language = SelectField(_l("Language"), choices=options(UI_LANGUAGE_CHOICES))
    active = BooleanField(_l("Active (may sign in)"), default=True)
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Password"),
        validators=[required(), password_length()],
        description=_l(
            "At least %(min)d characters, and not easy to guess: a phrase of a few unrelated words is best. Give it to the person privately; they can change it.",
            min=MIN_PASSWORD,
        ),
    )


class PasswordResetForm(BaseForm):
    password = PasswordField(_l("New password"), validators=[required(), password_length()])
    submit = SubmitField(_l("Set password"))


class ProvinceForm(BaseForm):
    name_en = StringField(_l("Name in English"), validators=[required(), max_length(100)])
    name_lo = StringField(_l("Name in Lao"), validators=[required(), max_length(100)])
    alt_names = TextAreaField(
        _l("Other spellings"),
        validators=[Optional(), max_length(2000)],
        description=_l("One per line. Imports and search match these too."),
    )
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class InstitutionForm(BaseForm):
    short_name = StringField(_l("Short name"), validators=[required(), max_length(30)])
    name_en = StringField(_l("Name in English"), validators=[required(), max_length(200)])
    name_lo = StringField(_l("Name in Lao"), validators=[Optional(), max_length(200)])
    kind = SelectField(_l("Kind"), choices=options(INSTITUTION_KIND_CHOICES))
    level = SelectField(_l("Level"), choices=options(LEVEL_CHOICES))
    province = SelectField(_l("Province"), validators=[Optional()])
    lock_version = HiddenField()
    submit = SubmitField(_l("Save"))


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    object_type = SelectField(_l("Kind of record"), validators=[Optional()])
    object_id = IntegerField(_l("Record number"), validators=[Optional(), NumberRange(min=1)])
    user_id = SelectField(_l("Changed by"), coerce=optional_int, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, RadioField, StringField, SubmitField

from curriculum.services.accounts import MIN_PASSWORD

from ..choices import LANGUAGE_SWITCH, options
from ..forms_i18n import BaseForm, max_length, password_length, required


class LoginForm(BaseForm):
    email = StringField(_l("Email address"), validators=[required(), max_length(254)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(200)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[required()])
    new_password = PasswordField(
        _l("New password"),
        validators=[required(), password_length()],
        description=_l(
            "At least %(min)d characters, and not easy to guess: a phrase of a few unrelated words is best.",
            min=MIN_PASSWORD,
        ),
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(BaseForm):
    language = RadioField(_l("Language"), choices=options(LANGUAGE_SWITCH))
    next = HiddenField()

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from ..choices import LANGUAGE_SWITCH, options


class LoginForm(FlaskForm):
    email = StringField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("At least 10 characters. A few unrelated words make a strong password."),
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    language = RadioField(_l("Language"), choices=options(LANGUAGE_SWITCH))
    next = HiddenField()


__all__ = ["Email", "LanguageForm", "LoginForm", "PasswordChangeForm"]

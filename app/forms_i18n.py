"""A base form whose messages, WTForms' own included, come from the app's catalog.

WTForms ships no Lao translation, so its built-in messages are listed here to
be extracted into app/translations and looked up with the page's language.
Validators with our own wording are made by the helpers below.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.validators import DataRequired, Email, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from curriculum.services.accounts import MAX_PASSWORD, MIN_PASSWORD

from .language import page_translations
from .views import form_failed

WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid email address."),
    _l("Number must be at least %(min)s."),
)


class _CatalogTranslations:
    def gettext(self, string: str) -> str:
        return page_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return page_translations().ungettext(singular, plural, n)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()

    def validate(self, extra_validators=None) -> bool:
        """A form sent with problems marks the request as refused (one status everywhere,
        and nothing committed; see app.views.transactional)."""
        valid = super().validate(extra_validators=extra_validators)
        if not valid:
            form_failed()
        return valid


def required():
    return DataRequired(message=_l("This field is required."))


def chosen():
    return InputRequired(message=_l("This field is required."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


def valid_email():
    return Email(message=_l("Enter a valid email address."))


def password_length():
    """The length the accounts service asks of a password (its other checks come from there)."""
    return Length(
        min=MIN_PASSWORD,
        max=MAX_PASSWORD,
        message=_l("Use between %(min)d and %(max)d characters."),
    )


def optional_int(value):
    """A select's value as a number; the empty choice as None."""
    return int(value) if value not in (None, "") else None


class MultiCheckboxField(SelectMultipleField):
    """A choice of several, as a list of checkboxes (languages, provinces, modules)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

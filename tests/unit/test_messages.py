"""Domain messages are translated when shown, and misuse that would keep the English
fails loudly instead of passing silently."""

from __future__ import annotations

import json

import pytest

from curriculum import i18n
from curriculum.errors import ValidationError
from curriculum.i18n import LazyMessage, _


@pytest.fixture
def lao():
    before = i18n._translator  # the app's, when a test before this one made an app
    i18n.set_translator(lambda msgid: {"Saved %(n)s.": "ບັນທຶກ %(n)s ແລ້ວ."}.get(msgid, msgid))
    yield
    i18n.set_translator(before)


def test_a_message_is_translated_each_time_it_is_shown(lao):
    message = _("Saved %(n)s.", n=3)
    assert str(message) == "ບັນທຶກ 3 ແລ້ວ." and message.__html__() == "ບັນທຶກ 3 ແລ້ວ."
    assert message + "!" == "ບັນທຶກ 3 ແລ້ວ.!"  # concatenation gives the translated text
    i18n.set_translator(lambda msgid: msgid)
    assert str(message) == "Saved 3."


def test_misuse_that_would_keep_the_english_fails_loudly(lao):
    message = _("Saved %(n)s.", n=3)
    assert not isinstance(message, str)
    with pytest.raises(TypeError):
        ", ".join([message])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        json.dumps({"message": message})
    with pytest.raises(TypeError):
        hash(message)  # not a key: its text changes with the reader's language


def test_a_single_message_is_one_message_not_its_letters():
    error = ValidationError({"title": _("This field is required.")})
    [only] = error.errors["title"]
    assert isinstance(only, LazyMessage) and str(only) == "This field is required."

"""Every value of a vocabulary has a label in each language, and no label names a value
the vocabulary does not have."""

from __future__ import annotations

import pytest

from app import choices
from curriculum import vocabulary as v

LABELLED = [
    (choices.PARTICIPANT_SEX_CHOICES, v.Sex),
    (choices.REGISTRATION_STATUS_CHOICES, v.RegistrationStatus),
    (choices.STATUS_CHOICES, v.TrainerStatus),
    (choices.TRAINING_KIND_CHOICES, v.TrainingKind),
    (choices.INSTITUTION_KIND_CHOICES, v.InstitutionKind),
    (choices.LEVEL_CHOICES, v.InstitutionLevel),
    (choices.ROLE_CHOICES, v.Role),
    (choices.UI_LANGUAGE_CHOICES, v.Language),
    (choices.LANGUAGE_SWITCH, v.Language),
    (choices.QUALIFICATION_LEVEL_CHOICES, v.Level),
    (choices.TRANSLATION_STATUS_CHOICES, v.TranslationStatus),
    (choices.LEGAL_REVIEW_CHOICES, v.LegalReview),
    (choices.ASSIGNMENT_ROLE_CHOICES, v.TeamRole),
    (choices.WORKSHOP_STATUS_CHOICES, v.WorkshopStatus),
    (choices.ROLLOUT_STATUS_CHOICES, v.RolloutStatus),
    (choices.SESSION_KIND_CHOICES, v.SessionKind),
]


@pytest.mark.parametrize("table, vocabulary", LABELLED, ids=lambda x: getattr(x, "__name__", ""))
def test_each_value_has_one_label(table, vocabulary):
    values = [value for value, _label in table]
    assert sorted(values) == sorted(vocabulary) and len(values) == len(set(values))


def test_trainer_sexes_leave_out_not_recorded():
    assert [value for value, _label in choices.SEX_CHOICES] == [
        v.Sex.FEMALE,
        v.Sex.MALE,
        v.Sex.OTHER,
    ]


@pytest.mark.parametrize("language", ["en", "lo"])
def test_labels_are_in_the_page_language(app, language):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        labels = [str(label) for table, _v in LABELLED for _value, label in table]
    assert all(labels)
    if language == "lo":
        from curriculum.text import has_lao

        untranslated = [label for label in labels if not has_lao(label)]
        assert untranslated == ["English"]  # the language switch names English in English


def test_templates_see_the_vocabularies(app):
    with app.test_request_context():
        from flask import render_template_string

        assert render_template_string("{{ WorkshopStatus.CANCELLED }}") == "cancelled"
        assert render_template_string("{{ 'lo'|autonym }}") == "ລາວ"

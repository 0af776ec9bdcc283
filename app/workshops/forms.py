"""Forms of the rollouts and workshops area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import NumberRange, Optional

from ..choices import (
    ASSIGNMENT_ROLE_CHOICES,
    PLAN_LANGUAGE_CHOICES,
    ROLLOUT_STATUS_CHOICES,
    SESSION_KIND_CHOICES,
    options,
)
from ..forms_i18n import BaseForm, MultiCheckboxField, chosen, max_length, required


class RolloutForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    name_lo = StringField(
        _l("Name in Lao"),
        validators=[max_length(200)],
        description=_l("Shown on Lao pages and documents; the name above when empty."),
        render_kw={"lang": "lo"},
    )
    start_date = DateField(_l("From"), validators=[required()])
    end_date = DateField(_l("To"), validators=[required()])
    partner = StringField(_l("Partner or funder"), validators=[Optional(), max_length(300)])
    goal = TextAreaField(_l("Goal"), validators=[Optional(), max_length(5000)])
    provinces = MultiCheckboxField(_l("Target provinces"))
    modules = MultiCheckboxField(_l("Modules to cover"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(5000)])
    status = SelectField(_l("Status"), choices=options(ROLLOUT_STATUS_CHOICES), default="planning")
    signatories = TextAreaField(
        _l("Certificate signatories"),
        description=_l("One per line, at most three: name | title."),
        validators=[Optional(), max_length(2000)],
    )
    logo = FileField(
        _l("Logo on the certificates"), description=_l("A PNG or JPEG image of at most 500 KB.")
    )
    remove_logo = BooleanField(_l("Remove the logo"))
    lock_version = HiddenField()


class WorkshopDetailsForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    title_lo = StringField(
        _l("Title in Lao"),
        validators=[max_length(300)],
        description=_l(
            "Shown on Lao pages, agendas, packs and certificates; the title above when empty."
        ),
        render_kw={"lang": "lo"},
    )
    province = SelectField(_l("Province"), validators=[required()])
    district = StringField(_l("District"), validators=[Optional(), max_length(200)])
    venue = StringField(_l("Venue"), validators=[Optional(), max_length(300)])
    host_institution = SelectField(_l("Host institution"), validators=[Optional()])
    start_date = DateField(_l("First day"), validators=[required()])
    end_date = DateField(_l("Last day"), validators=[required()])
    language = SelectField(_l("Language"), choices=options(PLAN_LANGUAGE_CHOICES), default="lo")
    target_participants = IntegerField(
        _l("Target number of participants"),
        default=30,
        validators=[Optional(), NumberRange(1, 500)],
    )
    certificate_days = IntegerField(
        _l("Days to attend for a certificate"),
        description=_l("Leave empty for every day of the workshop."),
        validators=[Optional(), NumberRange(1, 14)],
    )
    lock_version = HiddenField()


class WorkshopForm(WorkshopDetailsForm):
    rollout = SelectField(_l("Rollout"), validators=[required()])


class SessionForm(BaseForm):
    day = DateField(_l("Day"), validators=[required()])
    start_time = TimeField(_l("Starts"), validators=[required()])
    end_time = TimeField(_l("Ends"), validators=[required()])
    kind = SelectField(_l("Kind"), choices=options(SESSION_KIND_CHOICES), default="session")
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    room = StringField(_l("Room"), validators=[Optional(), max_length(100)])
    lock_version = HiddenField()


class LayoutForm(BaseForm):
    """The plans come as numbered selects named ``plans``, in teaching order (built in the
    template from the route's options)."""


class CopyForm(BaseForm):
    source = SelectField(_l("Copy the agenda of"), validators=[required()])


class AssignForm(BaseForm):
    trainer = SelectField(_l("Trainer"), validators=[required()])
    role = SelectField(_l("Role"), choices=options(ASSIGNMENT_ROLE_CHOICES), default="co_trainer")


class SessionTrainersForm(BaseForm):
    trainers = MultiCheckboxField(_l("Trainers of this session"))


class StatusForm(BaseForm):
    status = HiddenField()
    reason = TextAreaField(
        _l("Reason (required when warnings remain)"), validators=[Optional(), max_length(5000)]
    )
    lock_version = HiddenField()


def _weight(label, description):
    return IntegerField(
        label,
        description=description,
        validators=[chosen(), NumberRange(0, 100)],
        render_kw={"min": 0, "max": 100, "inputmode": "numeric"},
    )


class PlanSettingsForm(BaseForm):
    """How the planner lays a rollout out (kept on the rollout)."""

    days = IntegerField(
        _l("Days per workshop"),
        validators=[chosen(), NumberRange(1, 5)],
        render_kw={"min": 1, "max": 5},
    )
    modules_per_workshop = IntegerField(
        _l("Modules per workshop"),
        description=_l("0: every module of the rollout in each province's workshop."),
        validators=[Optional(), NumberRange(0, 20)],
        render_kw={"min": 0, "max": 20},
    )
    hours_a_day = IntegerField(
        _l("Most teaching hours a day for one trainer"),
        validators=[chosen(), NumberRange(1, 10)],
        render_kw={"min": 1, "max": 10},
    )
    seconds = IntegerField(
        _l("Search time"),
        description=_l(
            "Longer searches may find better plans; the same settings always give the same plan."
        ),
        validators=[chosen(), NumberRange(1, 120)],
        render_kw={"min": 1, "max": 120},
    )
    weight_balance = _weight(
        _l("Balance the load"), _l("For each workshop the busiest trainer has above the quietest.")
    )
    weight_mix_institutions = _weight(
        _l("Mix institutions"), _l("For each team member from an institution already on the team.")
    )
    weight_mix_sexes = _weight(_l("Mix women and men"), _l("For each team of one sex."))
    weight_travel = _weight(
        _l("Fewer hours on the road"), _l("For each hour from a trainer's base province.")
    )
    weight_same_lead = _weight(
        _l("Keep one lead per module"), _l("For each more trainer leading a module in the rollout.")
    )
    weight_mentoring = _weight(
        _l("Pair co-trainers with masters"),
        _l("For each module taught without a co-trainer beside a master, so the group grows."),
    )

"""Figures by sex, as every page, export and PDF shows them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..i18n import _

SEX_ROWS = ("female", "male", "other", "not_recorded")
SEX_LABELS = {
    "female": _("Female"),
    "male": _("Male"),
    "other": _("Other"),
    "not_recorded": _("Not recorded"),
}
SHARES_NOTE = _("Each share is rounded on its own, so shares may not add up to exactly 100%.")


@dataclass(frozen=True)
class Share:
    key: str
    count: int
    percent: Decimal | None  # None when the total is zero

    @property
    def label(self):
        return SEX_LABELS.get(self.key, self.key)


@dataclass(frozen=True)
class SexBreakdown:
    total: int
    rows: tuple[Share, ...]
    note: str = SHARES_NOTE


def percent(count: int, total: int) -> Decimal | None:
    """``count`` as a share of ``total``, rounded half up to one decimal."""
    if total <= 0:
        return None
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def sex_breakdown(counts: Mapping[str | None, int]) -> SexBreakdown:
    """Female, male and other always; "not recorded" whenever it is not zero.

    ``counts`` maps a sex (``None`` or ``"not_recorded"`` for a missing one) to
    a number of people. Unknown keys are refused rather than silently dropped.
    """
    tally = dict.fromkeys(SEX_ROWS, 0)
    for key, count in counts.items():
        key = "not_recorded" if key in (None, "", "not_recorded") else key
        if key not in tally:
            raise ValueError(f"unknown sex {key!r}")
        tally[key] += int(count)
    total = sum(tally.values())
    rows = tuple(
        Share(key, tally[key], percent(tally[key], total))
        for key in SEX_ROWS
        if key != "not_recorded" or tally[key]
    )
    return SexBreakdown(total, rows)

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curriculum.services.reports import percent, sex_breakdown


def test_programme_report_figures():
    # ASEAN-ACT, Lao PDR: 665 participants, 299 female, 361 male, 5 other.
    result = sex_breakdown({"female": 299, "male": 361, "other": 5})
    assert result.total == 665
    assert [(r.key, r.count, r.percent) for r in result.rows] == [
        ("female", 299, Decimal("45.0")),
        ("male", 361, Decimal("54.3")),
        ("other", 5, Decimal("0.8")),
    ]
    assert "100%" in str(result.note)


def test_not_recorded_shown_only_when_not_zero():
    assert [r.key for r in sex_breakdown({"female": 1}).rows] == ["female", "male", "other"]
    rows = sex_breakdown({"female": 1, None: 1}).rows
    assert (
        rows[-1].key == "not_recorded"
        and rows[-1].count == 1
        and rows[-1].percent == Decimal("50.0")
    )


def test_rounds_half_up_each_share_on_its_own():
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 -> 6.3, not banker's 6.2
    assert percent(1, 3) == Decimal("33.3")
    assert percent(0, 0) is None


def test_empty_and_unknown():
    assert sex_breakdown({}).total == 0
    assert all(r.percent is None for r in sex_breakdown({}).rows)
    with pytest.raises(ValueError):
        sex_breakdown({"unknown": 1})


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=4, max_size=4))
def test_shares_are_close_to_100(counts):
    result = sex_breakdown(dict(zip(["female", "male", "other", None], counts, strict=True)))
    if result.total:
        total = sum(r.percent for r in result.rows)
        assert abs(total - 100) <= Decimal("0.05") * len(result.rows)
        assert sum(r.count for r in result.rows) == result.total

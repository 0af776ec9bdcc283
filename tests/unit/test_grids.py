"""Grid rows merged cell by cell: nobody's save erases another's change."""

from __future__ import annotations

import pytest

from curriculum.errors import StaleObject
from curriculum.services import grids

SHOWN = {"pre": "40", "post": "", "rating": "4"}


def _merge(mine: dict, theirs: dict, shown: dict = SHOWN) -> grids.Merge:
    return grids.merge({1: grids.stamp(shown)}, {1: theirs}, {1: mine})


def test_a_row_nobody_else_changed_takes_the_users_values():
    result = _merge({**SHOWN, "post": "80"}, SHOWN)
    assert result.store == {1: {**SHOWN, "post": "80"}} and not result.conflicts


def test_a_row_only_the_other_person_changed_keeps_theirs_and_stores_nothing():
    theirs = {**SHOWN, "rating": "5"}
    result = _merge(dict(SHOWN), theirs)
    assert result.store == {} and not result.conflicts and result.shown[1] == theirs


def test_changes_to_different_cells_of_one_row_are_both_kept():
    result = _merge({**SHOWN, "post": "80"}, {**SHOWN, "rating": "5"})
    assert result.store == {1: {"pre": "40", "post": "80", "rating": "5"}}


def test_the_same_change_made_twice_is_no_conflict():
    result = _merge({**SHOWN, "post": "80"}, {**SHOWN, "post": "80"})
    assert not result.conflicts and result.store == {}


def test_one_cell_changed_differently_by_both_is_a_conflict_that_keeps_the_users_input():
    theirs = {**SHOWN, "pre": "45", "rating": "5"}
    result = _merge({**SHOWN, "pre": "50"}, theirs)
    assert result.conflicts == {1: theirs} and result.store == {}
    assert result.shown[1] == {"pre": "50", "post": "", "rating": "5"}
    # saving what is shown again, with the stamp of what is stored now, stores it
    again = grids.merge({1: grids.stamp(theirs)}, {1: theirs}, {1: result.shown[1]})
    assert again.store == {1: {"pre": "50", "post": "", "rating": "5"}}


@pytest.mark.parametrize("seen", [{}, {1: ""}, {1: "abc"}, {1: "a.b"}])
def test_a_row_without_a_fitting_stamp_is_refused(seen):
    with pytest.raises(StaleObject):
        grids.merge(seen, {1: SHOWN}, {1: SHOWN})


def test_values_are_compared_as_the_page_shows_them():
    assert grids.stamp({"a": None, "b": 4}) == grids.stamp({"b": "4", "a": ""})
    assert grids.stamp({"a": "1"}) != grids.stamp({"a": "1 "})

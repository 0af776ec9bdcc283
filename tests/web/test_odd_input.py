"""Odd input gets an answer, never a 500: ids beyond what a database column holds, a
version that is not a number, dates at the edge of the calendar."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in

HUGE = 2**63  # one more than the largest signed 64-bit integer


def _routes_with_ids(app):
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule and "GET" in (rule.methods or ()):
            yield rule


def test_every_route_answers_an_id_out_of_range_with_404(app, client, people):
    sign_in(client, people["users"]["admin"])
    checked = 0
    for rule in _routes_with_ids(app):
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(HUGE))
            path = path.replace(f"<{name}>", "x")
        path = path.replace("<any(agenda, trainers, participants):part>", "agenda")
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    "url",
    [
        f"/participants/?workshop={HUGE}",
        f"/trainers/?institution={HUGE}&page={HUGE}",
        f"/admin/audit?page={HUGE}",
        f"/reports/?rollout={HUGE}",
        f"/workshops/calendar?rollout={HUGE}&trainer={HUGE}",
        "/workshops/calendar?date=9999-12-31",
        "/workshops/calendar?view=week&date=9999-12-31",
        "/workshops/calendar?date=0001-01-01",
    ],
)
def test_odd_query_values_get_a_page(client, people, url):
    sign_in(client, people["users"]["admin"])
    assert client.get(url).status_code == 200


def test_a_version_that_is_not_a_number_is_an_out_of_date_form(client, people, db):
    sign_in(client, people["users"]["admin"])
    trainer = people["own"]
    response = client.post(
        f"/trainers/{trainer.id}/contacts",
        data={"phone": "+856 20 5555 0000", "email": "x@example.org", "lock_version": "abc"},
    )
    assert response.status_code == 400
    assert "Someone else saved this record" in response.get_data(as_text=True)
    db.expire_all()
    assert trainer.phone != "+856 20 5555 0000"

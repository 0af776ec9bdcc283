"""The "Propose a plan" page of a rollout: settings, the search as a job, the proposal beside
what is planned, locks and accepting, in English and Lao."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from curriculum.models import Rollout, Workshop
from curriculum.services import scheduling
from tests.conftest import (
    make_planner_pool,
    make_qualification,
    make_rollout,
    make_trainer,
    make_unavailability,
    make_user,
    sign_in,
)
from tests.web.browser_form import form_values

APRIL = (dt.date(2027, 4, 1), dt.date(2027, 4, 30))


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in(client, user)
    return user


def pool(db):
    found = make_planner_pool(db)
    db.commit()
    return found


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def propose(client, rollout_id, **changes):
    page = client.get(f"/workshops/rollouts/{rollout_id}/plan").get_data(as_text=True)
    sent = dict(form_values(page, "weight_*").items())
    sent.update(changes)
    return client.post(f"/workshops/rollouts/{rollout_id}/plan", data=sent)


def test_a_coordinator_proposes_locks_one_and_accepts_the_rest(client, db, coordinator):
    item = make_rollout(db)
    pool(db)
    rollout_page = text(client.get(f"/workshops/rollouts/{item.id}"))
    assert f"/workshops/rollouts/{item.id}/plan" in rollout_page
    page = text(client.get(f"/workshops/rollouts/{item.id}/plan"))
    assert 'name="days" type="number" value="2"' in page or 'value="2"' in page
    assert "3 workshops to plan" in page
    response = propose(client, item.id)
    assert response.status_code == 302
    run = re.search(r"run=(\w+)", response.headers["Location"]).group(1)
    page = text(client.get(response.headers["Location"]))
    assert "Proposal found in" in page and "the one-workshop-at-a-time plan scores" in page
    keys = re.findall(r'name="accept" value="([\w-]+)"', page)
    assert sorted(keys) == ["LA-CH", "LA-LP", "LA-VT"]
    for code in ("Vientiane Capital", "Luang Prabang", "Champasak"):
        assert code in page
    response = client.post(
        f"/workshops/rollouts/{item.id}/plan/{run}/accept",
        data={"accept": ["LA-VT", "LA-LP"], "lock": ["LA-CH"]},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#coverage")
    page = text(client.get(response.headers["Location"]))
    assert "2 workshops were added to the rollout" in page
    assert "1 workshop is locked" in page
    assert page.count('class="cell-planned"') == 2 * 2  # two provinces × two modules
    db.expire_all()
    made = db.scalars(select(Workshop).where(Workshop.rollout_id == item.id)).all()
    assert sorted(w.province.code for w in made) == ["LA-LP", "LA-VT"]
    checked = scheduling.check_workshops(db, scheduling.load_for_check(db, [w.id for w in made]))
    assert all(scheduling.errors(p) == [] for p in checked.values())
    # proposing again plans only Champasak, on the locked dates
    locked = db.get(Rollout, item.id).plan_settings["locks"]["LA-CH"]
    response = propose(client, item.id)
    page = text(client.get(response.headers["Location"]))
    assert re.findall(r'name="accept" value="([\w-]+)"', page) == ["LA-CH"]
    assert "locked" in page and 'name="lock" value="LA-CH" checked' in page
    start = dt.date.fromisoformat(locked["start"])
    assert f"{start.day} – " in page
    # the lock box left unticked lifts the lock
    run = re.search(r"run=(\w+)", response.headers["Location"]).group(1)
    response = client.post(f"/workshops/rollouts/{item.id}/plan/{run}/accept", data={})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "No workshop of this proposal is locked now" in page
    db.expire_all()
    assert db.get(Rollout, item.id).plan_settings["locks"] == {}


def test_bad_settings_are_refused_on_the_form_and_nothing_is_kept(client, db, coordinator):
    item = make_rollout(db)
    response = propose(client, item.id, days="9", weight_travel="-1", seconds="")
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was saved" in page and page.count('class="error"') >= 3
    db.expire_all()
    assert db.get(Rollout, item.id).plan_settings is None


def test_a_rollout_that_cannot_be_planned_says_so_on_the_page(client, db, coordinator):
    item = make_rollout(db, modules=())
    page = text(client.get(f"/workshops/rollouts/{item.id}/plan"))
    assert "Choose the rollout's provinces and modules first" in page
    response = propose(client, item.id)
    assert response.status_code == 302
    assert "Choose the rollout's provinces and modules first" in text(
        client.get(response.headers["Location"])
    )


def test_an_accept_after_a_change_is_refused_and_adds_nothing(client, db, coordinator):
    item = make_rollout(db)
    team = pool(db)
    response = propose(client, item.id)
    run = re.search(r"run=(\w+)", response.headers["Location"]).group(1)
    make_unavailability(db, team[0], start_date=APRIL[0], end_date=APRIL[1], reason="Leave")
    db.commit()
    page = text(client.get(response.headers["Location"]))
    assert "changed since this proposal was made" in page and 'name="accept"' not in page
    response = client.post(
        f"/workshops/rollouts/{item.id}/plan/{run}/accept", data={"accept": ["LA-VT"]}
    )
    assert "changed since this proposal was made" in text(client.get(response.headers["Location"]))
    assert db.scalars(select(Workshop).where(Workshop.rollout_id == item.id)).all() == []
    response = client.post(f"/workshops/rollouts/{item.id}/plan/{'0' * 32}/accept", data={})
    assert response.status_code == 302


def test_no_plan_is_explained_in_lao(client, db, coordinator):
    item = make_rollout(db)
    lead = make_trainer(db, given_name_lo="ບຸນມີ", family_name_lo="ແກ້ວ")
    for code in ("M04", "M05"):
        make_qualification(db, lead, code, level="lead")
    make_unavailability(db, lead, start_date=APRIL[0], end_date=dt.date(2027, 4, 25))
    for _ in range(3):
        t = make_trainer(db)
        make_qualification(db, t, "M04", level="lead")
        make_qualification(db, t, "M05", level="co_trainer")
    db.commit()
    client.post("/language", data={"language": "lo"}, headers={"Referer": "/"})
    response = propose(client, item.id)
    page = text(client.get(response.headers["Location"]))
    assert 'name="accept"' not in page
    assert "ບຸນມີ ແກ້ວ" in page and "ເມສາ" in page  # the trainer and April, in Lao
    assert "M05" in page


def test_the_page_shows_progress_while_the_job_searches(make_app, db, tmp_path):
    app = make_app(JOBS_IMMEDIATE=False)
    client = app.test_client()
    user = make_user(db, "coordinator")
    item = make_rollout(db)
    pool(db)
    sign_in(client, user)
    response = propose(client, item.id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "<progress" in page
    assert "Searching" in page

"""One transaction boundary: every view that writes commits in one place, after it returned
and before the answer leaves; a refused form answers one status everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.views import FAILED_FORM_STATUS, WRITING_METHODS
from curriculum.models import Rollout
from tests.conftest import make_user, sign_in

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def coordinator(client, db):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in(client, user)
    return client


def test_every_view_that_writes_goes_through_the_boundary(app):
    writing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods and rule.methods & WRITING_METHODS and rule.endpoint != "static"
    ]
    assert len(writing) > 50
    assert [e for e in writing if not getattr(app.view_functions[e], "transactional", False)] == []


def test_the_web_layer_commits_in_one_place():
    found = [
        f"{path.relative_to(APP)}:{n}"
        for path in sorted(APP.rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\b(db|session)\.commit\(\)", line)
    ]
    places = {f.split(":")[0] for f in found}
    # the request's boundary, and the two places outside a request: the CLI and the jobs
    assert places <= {"views.py", "cli.py", "jobs.py"}, found
    assert len([f for f in found if f.startswith("views.py")]) == 1, found


def test_a_commit_that_fails_is_not_answered_as_saved(coordinator, db, monkeypatch):
    from sqlalchemy.orm import Session

    def refuse(self):
        raise RuntimeError("the disk is full")

    rollout = {"name": "Boundary", "start_date": "2027-03-01", "end_date": "2027-03-31"}
    monkeypatch.setattr(Session, "commit", refuse)
    with pytest.raises(RuntimeError):
        coordinator.post("/workshops/rollouts/new", data=rollout)
    monkeypatch.undo()
    with coordinator.session_transaction() as session:
        assert "_flashes" not in session  # no "Rollout created." waits for the next page
    assert db.scalar(select(Rollout).where(Rollout.name == "Boundary")) is None
    # the same request with a working database is saved
    assert coordinator.post("/workshops/rollouts/new", data=rollout).status_code == 302
    assert db.scalar(select(Rollout).where(Rollout.name == "Boundary")) is not None


@pytest.mark.parametrize(
    "url, data, model",
    [
        ("/trainers/new", {"given_name_latin": "", "sex": "female"}, "Trainer"),
        ("/workshops/rollouts/new", {"name": "", "start_date": "2027-03-01"}, "Rollout"),
        ("/participants/new", {"given_name_lo": "", "given_name_latin": ""}, "Participant"),
    ],
)
def test_a_refused_form_answers_one_status_and_writes_nothing(coordinator, db, url, data, model):
    from sqlalchemy import func

    import curriculum.models as models

    table = getattr(models, model)
    before = db.scalar(select(func.count()).select_from(table))
    response = coordinator.post(url, data=data)
    assert response.status_code == FAILED_FORM_STATUS
    assert db.scalar(select(func.count()).select_from(table)) == before

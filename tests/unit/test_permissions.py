from pathlib import Path

from curriculum import permissions
from curriculum.permissions import SYSTEM, can
from tests.conftest import make_trainer, make_user


def test_docs_table_matches_code():
    docs = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
    assert docs.read_text() == permissions.as_markdown(), (
        "run: python -m curriculum.permissions > docs/permissions.md"
    )


def test_own_rows_apply_only_to_ones_own_trainer(db):
    own = make_trainer(db)
    other = make_trainer(db)
    user = make_user(db, "trainer", trainer_id=own.id)
    assert can(user, "unavailability.manage", own)
    assert not can(user, "unavailability.manage", other)
    assert not can(user, "unavailability.manage")
    assert not can(user, "trainer.edit", own)


def test_inactive_anonymous_and_no_actor_may_do_nothing(db):
    user = make_user(db, "admin", active=False)
    assert not can(user, "trainer.view")

    class Anonymous:
        is_authenticated = False

    assert not can(Anonymous(), "trainer.view")
    assert not can(None, "trainer.view")  # no actor at all is refused
    assert can(SYSTEM, "user.manage")  # the command line, setup and jobs act as the system

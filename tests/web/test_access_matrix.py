"""Every route, every method, every role, checked against the permission table.

``ROUTES`` names, for each endpoint and method of ``app.url_map``, the action
of ``curriculum.permissions.PERMISSIONS`` it needs (or PUBLIC). The expected
answer is read from that written table: allowed roles must not get 403 (nor a
404 or a 500), refused roles get 403, anonymous visitors are sent to sign in.
A route missing from ``ROUTES`` fails the test. Rows with own-trainer rights
are tried on the trainer's own record and on another's.
"""

from __future__ import annotations

import pytest

from curriculum.permissions import PERMISSIONS
from tests.web.access import PUBLIC, ROUTES, expected_allowed
from tests.web.route_data import (  # noqa: F401  (fixtures: data built once for the module)
    URL_MAP,
    _route_connection,
    _route_data,
    connection,
    copy_scan,
    objects,
    user_ids,
)

ROLES = ("anonymous", "viewer", "trainer", "coordinator", "admin")
# URL arguments that point at a trainer's own data, tried as "own" and "other".
TRAINER_ARGS = {"trainer_id", "record_id", "item_id", "assignment_id"}


def _cases():
    for endpoint, method, arguments in URL_MAP:
        variants = ("own", "other") if TRAINER_ARGS & set(arguments) else ("-",)
        for variant in variants:
            for role in ROLES:
                yield pytest.param(
                    endpoint,
                    method,
                    arguments,
                    variant,
                    role,
                    id=f"{method}-{endpoint}-{variant}-{role}",
                )


def test_every_route_has_an_entry():
    found = {(endpoint, method) for endpoint, method, _ in URL_MAP}
    assert sorted(found - ROUTES.keys()) == [], "routes missing from the access matrix"
    assert sorted(ROUTES.keys() - found) == [], "access-matrix rows for routes that no longer exist"
    assert all(action == PUBLIC or action in PERMISSIONS for action in ROUTES.values())


@pytest.mark.parametrize("endpoint, method, arguments, variant, role", list(_cases()))
def test_access(app, client, user_ids, objects, endpoint, method, arguments, variant, role):  # noqa: F811
    action = ROUTES[(endpoint, method)]
    values = {**objects["-"], **objects.get(variant, {})}
    if "scan" in arguments:
        copy_scan(app, objects)
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = user_ids[role]
            session["_fresh"] = True
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{name: values[name] for name in arguments})
    response = client.open(url, method=method, data={})
    response.close()
    status = response.status_code
    assert status < 500, response.get_data(as_text=True)[:2000]
    if expected_allowed(action, role, variant):
        assert status not in (401, 403, 404), (
            f"{role} should be allowed {method} {url}, got {status}"
        )
        if action != PUBLIC:
            assert "/login" not in response.headers.get("Location", "")
    elif role == "anonymous":
        assert status == 302 and "/login" in response.headers["Location"]
    else:
        assert status == 403, f"{role} should be refused {method} {url}, got {status}"

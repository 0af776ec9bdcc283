"""Every route of ``app.url_map`` with odd input answers without a 5xx.

For each endpoint and method, signed in as an administrator: the path's arguments, the
query arguments the app reads, and (for writes) the fields of its forms get odd values
drawn by hypothesis: ids of 2^31 (one beyond a PostgreSQL INTEGER), 2^63 and more,
numbers that are not numbers, dates at the edge of the calendar, empty and very long
text, Lao, markup. The explicit cases (2^31 and 2^63 in every id and query argument, a
non-numeric ``lock_version``, ``9999-12-31`` in every field) run first, then 20 drawn
examples per route. Derandomised, so a run in CI is repeatable.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from tests.web.route_data import (  # noqa: F401  (fixtures: data built once for the module)
    URL_MAP,
    _route_connection,
    _route_data,
    connection,
    objects,
    user_ids,
)

APP = Path(__file__).resolve().parents[2] / "app"
HUGE = 2**63
BEYOND_POSTGRESQL = 2**31  # one more than a PostgreSQL INTEGER holds
EXAMPLES = 20
# Writes are not re-tried with drawn data where one costs seconds and proves nothing new.
SLOW = {"library.guide_pdf"}

ODD = [
    "",
    " ",
    "0",
    "-1",
    str(HUGE),
    str(BEYOND_POSTGRESQL),
    str(2**64 + 7),
    "9999-12-31",
    "0001-01-01",
    "2027-02-30",
    "25:61",
    "abc",
    "1e309",
    "NaN",
    "-0",
    "１２",  # full-width digits
    "ລາວ",
    "<b>x</b>",
    "%00",
    "x" * 5000,
    "null",
]

_READ = re.compile(r"""request\.(?:args|form|values)\.(?:get|getlist)\(\s*["']([^"']+)["']""")


def _names_read(kind: str) -> list[str]:
    names = set()
    for path in APP.rglob("*.py"):
        for match in _READ.finditer(path.read_text()):
            names.add(match.group(1))
    if kind == "args":
        names |= {"page", "q", "date", "view", "lang", "download", "sort"}
    return sorted(names)


def _form_fields() -> list[str]:
    """The names of every field of every form class in the app (and their subforms' first
    rows: ``activities-0-minutes``)."""
    import app  # noqa: F401  (imports every blueprint and its forms)

    names = {"lock_version", "csrf_token"}
    todo = list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        for attribute, value in vars(form).items():
            if isinstance(value, UnboundField):
                names.add(attribute)
                names.update(f"{attribute}-0-{sub}" for sub in ("minutes", "title", "text", "id"))
    return sorted(names)


QUERY_NAMES = _names_read("args")
FORM_NAMES = sorted(set(_form_fields()) | set(_names_read("form")))

odd_values = st.one_of(
    st.sampled_from(ODD),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)


def _routes():
    for endpoint, method, arguments in URL_MAP:
        if endpoint != "static":
            yield pytest.param(endpoint, method, arguments, id=f"{method}-{endpoint}")


def _rule(app, endpoint: str, arguments):
    return next(
        r
        for r in app.url_map.iter_rules()
        if r.endpoint == endpoint and set(r.arguments) == set(arguments)
    )


def _path(app, endpoint: str, values: dict) -> str:
    """The rule's path with ``values`` in it, quoted but not checked by its converters."""
    rule = _rule(app, endpoint, values)
    path = rule.rule
    for name in rule.arguments:
        text = urllib.parse.quote(str(values[name]), safe="")
        path = re.sub(rf"<(?:[^:<>]+(?:\([^)]*\))?:)?{name}>", lambda _m, t=text: t, path)
    return path


def _send(client, method: str, path: str, query: dict, form: dict):
    response = client.open(path, method=method, query_string=query, data=form)
    response.get_data()
    response.close()
    return response.status_code


def _int_arguments(app, endpoint: str, arguments) -> set[str]:
    rule = _rule(app, endpoint, arguments)
    return {name for name, conv in rule._converters.items() if type(conv).__name__ == "RecordId"}


@pytest.mark.parametrize("endpoint, method, arguments", list(_routes()))
def test_no_odd_input_gets_a_server_error(
    make_app,
    user_ids,  # noqa: F811
    objects,  # noqa: F811
    endpoint,
    method,
    arguments,
):
    app = make_app(JOBS_IMMEDIATE=False)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_ids["admin"]
        session["_fresh"] = True
    real = {**objects["-"], **objects["own"]}
    numbers = _int_arguments(app, endpoint, arguments)
    writes = method != "GET"

    def check(path_values: dict, query: dict, form: dict) -> None:
        path = _path(app, endpoint, path_values)
        status = _send(client, method, path, query, form if writes else {})
        assert status < 500, (method, path, query, form, status)

    # the explicit cases
    base = {name: real[name] for name in arguments}
    for big in (BEYOND_POSTGRESQL, HUGE):
        for name in numbers:
            check({**base, name: big}, {}, {})
        check(base, dict.fromkeys(QUERY_NAMES, str(big)), {})
    check(base, dict.fromkeys(QUERY_NAMES, "9999-12-31"), {})
    if writes:
        check(base, {}, {"lock_version": "abc"})
        check(base, {}, dict.fromkeys(FORM_NAMES, "9999-12-31"))
        check(base, {}, dict.fromkeys(FORM_NAMES, str(HUGE)))
    if endpoint in SLOW:
        return

    path_values = st.fixed_dictionaries(
        {
            name: (
                st.one_of(st.just(real[name]), st.integers(min_value=0, max_value=2**70))
                if name in numbers
                else st.one_of(st.just(real[name]), st.text(min_size=1, max_size=30))
            )
            for name in arguments
        }
    )
    queries = st.dictionaries(st.sampled_from(QUERY_NAMES), odd_values, max_size=5)
    forms = st.dictionaries(st.sampled_from(FORM_NAMES), odd_values, max_size=8)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(path_values, queries, forms if writes else st.just({}))
    def drawn(path_values, query, form):
        check(path_values, query, form)

    drawn()

"""The log: one line per request with its request id, and errors with their tracebacks.

Every line carries the id of the request it belongs to. The id comes from the
trusted proxy's ``X-Request-ID`` when there is one (so the proxy's log and this one
can be joined), and is made here otherwise; the response carries it back, and the
error page shows it so that a user can quote it. Tracebacks go to the log only.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request being served ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(g, "request_id", "-") if has_request_context() else "-"
        return True


class NoAccessLines(logging.Filter):
    """Drop the development server's own access lines (``address - - [date] "GET /" 200``):
    the app writes its own, with the request id."""

    _ACCESS = re.compile(r"^\S+ - - \[[^\]]*\] ")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self._ACCESS.match(str(record.msg))


def configure(app: Flask) -> None:
    """Send the log to standard error, one format, the app's own lines from ``LOG_LEVEL`` up.

    The handler is added to the root logger once (other handlers, such as a test
    runner's, are kept), so every library's warnings come out the same way.
    """
    root = logging.getLogger()
    if not any(isinstance(h, _Handler) for h in root.handlers):
        root.addHandler(_Handler())
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    for name in ("ctg", app.logger.name, "huey"):  # huey: jobs taken, done and failed
        logging.getLogger(name).setLevel(app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)  # the root's handler prints each error once
    logging.getLogger("werkzeug").addFilter(_NO_ACCESS_LINES)


class _Handler(logging.StreamHandler):
    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(logging.Formatter(FORMAT))
        self.addFilter(RequestIdFilter())


_NO_ACCESS_LINES = NoAccessLines()


def install(app: Flask) -> None:
    """Give each request an id and write one line when it is answered."""
    trust_header = bool(app.config["TRUSTED_PROXIES"])
    log = logging.getLogger("ctg.requests")

    @app.before_request
    def start() -> None:
        offered = request.headers.get(REQUEST_ID_HEADER, "") if trust_header else ""
        g.request_id = offered if _VALID_ID.fullmatch(offered) else uuid.uuid4().hex[:16]
        g.request_started = time.perf_counter()

    @app.after_request
    def answered(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "-")
        started = g.get("request_started")
        took = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        user = g.get("_login_user")  # only if this request loaded one: no query here
        user_id = user.id if getattr(user, "is_authenticated", False) else "-"
        log.info(
            '%s "%s %s" %s %s %.0fms user=%s',
            request.remote_addr or "-",
            request.method,
            request.full_path.rstrip("?"),
            response.status_code,
            response.content_length if response.content_length is not None else "-",
            took,
            user_id,
        )
        return response

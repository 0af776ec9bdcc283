"""Posting files through the test client."""

from __future__ import annotations

from werkzeug.test import EnvironBuilder


def post_files(client, path: str, data: dict):
    """POST ``data`` (fields, and files as (stream, name) or lists of them) as a multipart
    form to ``path``. Built by hand so that the temporary file a large body is spooled to is
    closed afterwards."""
    builder = EnvironBuilder(
        path=path, method="POST", data=data, content_type="multipart/form-data"
    )
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()

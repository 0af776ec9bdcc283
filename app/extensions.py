"""Flask extensions and the per-request database session."""

from __future__ import annotations

from flask import current_app, g
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy.orm import Session

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def get_db() -> Session:
    """The request's session; opened on first use, closed at teardown. Routes commit once."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["ctg.sessionmaker"]()
    return g.db_session


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db_session", None)
    if db is not None:
        if exc is not None:
            db.rollback()
        db.close()
